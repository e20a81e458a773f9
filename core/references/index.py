"""Ranked offline search over references: the BM25 index and its query widening.

Typical use (the page caches the index; it is immutable and safe to share)::

    refs = load_references(read_catalogue("references"))
    index = build_index(refs + own_refs)          # ~0.3 s for 2,400 entries, built once
    hits = index.search("predict when the food arrives", industry="delivery & mobility")
    hits[0].reference.title, hits[0].score

Search is BM25 (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond",
2009; k1 = 1.2, b = 0.75, their usual defaults) over title, company, industry, task, modality,
tags, approach and summary, each field weighted (``FIELD_WEIGHTS``). Before scoring, every query word is widened to the
catalogue's own vocabulary in three ways, each at a discount so exact words still rank first:

* word forms sharing a long common prefix ("fraudulent" ~ "fraud", "recommend" ~ "recommendation");
* typo matches by rapidfuzz's normalised Indel similarity (``fuzz.ratio``) for words the
  catalogue does not contain ("recomend", "shopers");
* synonym groups from ``data/search_synonyms.csv`` ("ETA" ~ "arrival time", "churn" ~
  "attrition"), matched on whole words or phrases.

A semantic layer (``core.references.semantic``: a text-embedding model shipped inside its package)
ranks by meaning too; ``search(..., method="combined")``, the default, blends both
(:func:`combine_scores`), "lexical" and "semantic" rank by one alone.

Scores are relative: higher is better, comparable only within one query. Nothing here touches the
network, a file (except the synonym table, read once) or a database.
"""

from __future__ import annotations

import math
import threading
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from core.references.approach import APPROACH_FAMILIES, chosen_families
from core.references.catalogue import Reference, ScoredReference
from core.references.semantic import Embedder, SemanticLayerOff, embed_query, embed_references
from core.references.text import SynonymGroup, ascii_fold, load_synonyms, tokenize, tokenize_with_surface
from core.taxonomy import INDUSTRIES, ML_TASKS, MODALITIES
from core.text import quote_prefix

# Field -> weight of one word occurrence in that field. A company name or a tag says more about
# what an entry is than a word in a long title; industry, task and modality words are shared by
# hundreds of entries, so BM25's idf already damps them and a modest weight suffices.
FIELD_WEIGHTS: Mapping[str, float] = {
    "title": 1.0,
    "company": 1.2,
    "tags": 0.8,
    "industry": 0.6,
    "task": 0.7,
    "modality": 0.5,
    "approach": 0.6,
    "summary": 0.3,
}
BM25_K1 = 1.2
BM25_B = 0.75
WORD_FORM_FACTOR = 0.85  # "recommendation" for "recommend": nearly as good as the word itself
TYPO_FACTOR = 0.8  # times the rapidfuzz similarity / 100
SYNONYM_WEIGHT = 0.6  # a synonym supports a match but should not outrank the user's own words
TYPO_MIN_SIMILARITY = 80.0  # rapidfuzz ratio; 80 admits one slip in a 6-10 letter word
TYPO_MIN_LENGTH = 4  # shorter words have too many neighbours at one edit ("card" ~ "cart")
WORD_FORM_MIN_BASE = 4  # shorter bases join unrelated words ("use" -> "user", "used")
# Endings that turn one English word into another form of it (inflection and the commonest
# derivations); two words are forms of each other when they differ only by such endings.
# fmt: off
WORD_ENDINGS: tuple[str, ...] = (
    "", "e", "s", "es", "ed", "ing", "er", "ers", "ier", "iers", "or", "ors", "ion", "ions", "ation",
    "ations", "ication", "ications", "ive", "ively", "ment", "ments", "al", "ally", "ly", "ity", "ic",
    "ics", "ize", "izes", "ized", "izing", "ization", "ulent", "ster", "sters", "y", "ied", "ies",
)
# fmt: on
INFLECTIONS: tuple[str, ...] = ("", "e", "s", "es", "ed", "ing", "er", "ers", "y")
# Pairs the ending rule would join but a searcher means differently.
FALSE_FRIENDS: Mapping[str, tuple[str, ...]] = {
    "product": ("production", "productionize", "productionization", "productive", "productivity"),
    "production": ("productionize", "productionized", "productionizing", "productionization"),
    "state": ("station",),
}
MAX_WORD_FORMS = 12
MAX_QUERY_CHARS = 2_000  # longer input is cut here: a search box query, not a document
MAX_QUERY_WORDS = 32
MAX_TYPO_LOOKUPS = 8
MAX_TOP = 1_000

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
FloatArray32 = npt.NDArray[np.float32]
SearchMethod = Literal["combined", "lexical", "semantic"]
SEARCH_METHODS: tuple[str, ...] = ("combined", "lexical", "semantic")


Expansions = tuple[tuple[str, float], ...]  # (vocabulary word, factor) for one query word


class _QueryTerm(NamedTuple):
    """One concept of the query. ``alternatives`` are phrases (tuples of words, each word its
    expansions); a document scores the best phrase, a phrase the mean of its words."""

    label: str  # the user's word or the synonym group's name, for matched_terms
    weight: float
    alternatives: tuple[tuple[Expansions, ...], ...]

    def words(self) -> Iterable[str]:
        for phrase in self.alternatives:
            for expansions in phrase:
                for word, _ in expansions:
                    yield word


@dataclass(frozen=True, eq=False)
class ReferenceIndex:
    """Search structures over a fixed list of references; build with :func:`build_index`.

    Immutable after construction (the typo look-up keeps a private cache), so one instance can be
    cached by the page and shared between sessions and threads.
    """

    references: tuple[Reference, ...]
    synonyms: tuple[SynonymGroup, ...]
    _postings: dict[str, tuple[IntArray, FloatArray]] = field(repr=False)
    _vocabulary: tuple[str, ...] = field(repr=False)
    _industry_codes: IntArray = field(repr=False)
    _task_codes: IntArray = field(repr=False)
    _modality_codes: IntArray = field(repr=False)
    _years: IntArray = field(repr=False)  # -1 where unknown
    _companies: tuple[str, ...] = field(repr=False)  # case-folded
    _id_rank: IntArray = field(repr=False)
    _approach_families: npt.NDArray[np.bool_] = field(repr=False)  # entries x APPROACH_FAMILIES
    _embedder: Embedder | None = field(default=None, repr=False)
    _prefix_cache: dict[int, list[str]] = field(default_factory=dict, repr=False)
    _vectors: list[FloatArray32] = field(default_factory=list, repr=False)  # filled on first use
    _vectors_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __len__(self) -> int:
        return len(self.references)

    # ---- query widening -------------------------------------------------------------------

    def _word_forms(self, word: str) -> list[str]:
        """Vocabulary words that are other forms of ``word``: same base of at least
        ``WORD_FORM_MIN_BASE`` letters, both endings in ``WORD_ENDINGS`` ("fraudulent" ~ "fraud",
        "arrive" ~ "arrival", "shopper" ~ "shopping"), minus known false friends."""
        vocab = self._vocabulary
        forms: dict[str, None] = {}
        for ending in WORD_ENDINGS:
            if not word.endswith(ending) or len(word) - len(ending) < WORD_FORM_MIN_BASE:
                continue
            base = word[: len(word) - len(ending)] if ending else word
            i = bisect_left(vocab, base)
            while i < len(vocab) and vocab[i].startswith(base):
                other = vocab[i]
                i += 1
                rest = other[len(base) :]
                if rest[:1] == base[-1] and rest[1:] in WORD_ENDINGS:  # doubled consonant: shop-ping
                    rest = rest[1:]
                # Short bases take inflections only: "rank" -> "ranking", but not "real" -> "realize".
                endings = WORD_ENDINGS if len(base) > WORD_FORM_MIN_BASE else INFLECTIONS
                if ending not in endings or rest not in endings:
                    continue
                if other != word and not _false_friends(word, other):
                    forms[other] = None
        # The most common forms carry the meaning; rare ones add little but cost time.
        return sorted(forms, key=lambda w: (-len(self._postings[w][0]), w))[:MAX_WORD_FORMS]

    def _typo_matches(self, word: str) -> list[tuple[str, float]]:
        """Vocabulary words within a typo of ``word``: whole-word similarity, and similarity to
        the start of longer words ("recomend" ~ "recommen[dation]")."""
        vocab = self._vocabulary
        best: dict[str, float] = {}
        for choice, similarity, _ in process.extract(
            word, vocab, scorer=fuzz.ratio, score_cutoff=TYPO_MIN_SIMILARITY, limit=5
        ):
            best[choice] = max(best.get(choice, 0.0), float(similarity))
        length = len(word) + 1
        heads = self._prefix_cache.get(length)
        if heads is None:
            heads = [w[:length] for w in vocab]
            self._prefix_cache[length] = heads
        for _, similarity, position in process.extract(
            word, heads, scorer=fuzz.ratio, score_cutoff=TYPO_MIN_SIMILARITY + 5, limit=5
        ):
            choice = vocab[position]
            if len(choice) > len(word):
                best[choice] = max(best.get(choice, 0.0), float(similarity) - 5)
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))

    def _expand(self, word: str, typo_budget: list[int]) -> Expansions:
        """The vocabulary words that stand for ``word``: itself, its typo corrections when the
        catalogue lacks it and every form of it (at most ``typo_budget[0]`` more look-ups), and their other forms."""
        expansions: dict[str, float] = {}
        if word in self._postings:
            expansions[word] = 1.0
        anchors = [word]
        # An unknown word with regular forms in the catalogue ("cancel": "canceled", "cancellation") is
        # spelt right; only a word with neither is a typo to correct ("cancel" is not "cancer").
        if (
            not expansions
            and not self._word_forms(word)
            and len(word) >= TYPO_MIN_LENGTH
            and not word.isdigit()
            and typo_budget[0] > 0
        ):
            typo_budget[0] -= 1
            for choice, similarity in self._typo_matches(word):
                factor = TYPO_FACTOR * similarity / 100.0
                if factor > expansions.get(choice, 0.0):
                    expansions[choice] = factor
                    anchors.append(choice)
        for anchor in anchors:
            base = expansions.get(anchor, 1.0)
            for form in self._word_forms(anchor):
                factor = base * WORD_FORM_FACTOR
                if factor > expansions.get(form, 0.0):
                    expansions[form] = factor
        return tuple(sorted(expansions.items()))

    def _query_terms(self, query: str) -> list[_QueryTerm]:
        pairs = list(dict(tokenize_with_surface(query[:MAX_QUERY_CHARS])).items())[:MAX_QUERY_WORDS]
        words = [word for word, _ in pairs]
        typo_budget = [MAX_TYPO_LOOKUPS]
        terms: list[_QueryTerm] = []
        # Synonym phrases are looked for in the words as typed and as corrected, so that
        # "recomend" still brings in the "recommendation" group.
        corrected = list(words)
        for position, (word, surface) in enumerate(pairs):
            expansions = self._expand(word, typo_budget)
            if not expansions:
                continue
            terms.append(_QueryTerm(surface, 1.0, ((expansions,),)))
            if word not in self._postings:
                corrected[position] = max(expansions, key=lambda e: (e[1], e[0]))[0]
        covered = {w for term in terms for w in term.words()}
        unknown = {word for word, _ in pairs} - {w for w in words if w in self._postings} - set(corrected)
        for group in self.synonyms:
            triggers = [p for p in group.phrases for ws in (words, corrected) if _contains_phrase(ws, p)]
            if not triggers:
                continue
            # When the user's own word is unknown to the catalogue ("defect"), its synonyms stand
            # in for it at full weight; otherwise they only support the user's words.
            weight = 1.0 if any(w in unknown for p in triggers for w in p) else SYNONYM_WEIGHT
            # A synonym group is one more concept, not one more term per synonym, so a long
            # group cannot outvote the user's own words; words the user typed are not repeated.
            alternatives = []
            for phrase in group.phrases:
                expanded = tuple(
                    tuple((w, f) for w, f in self._expand(word, [0]) if w not in covered) for word in phrase
                )
                if any(expanded):
                    alternatives.append(expanded)
            if alternatives:
                terms.append(_QueryTerm(group.label, weight, tuple(alternatives)))
                covered.update(w for phrase in alternatives for exp in phrase for w, _ in exp)
        return terms

    # ---- scoring ----------------------------------------------------------------------------

    def _word_scores(self, expansions: Expansions) -> FloatArray:
        # Several forms of one word must not add up: a document scores its best form once.
        best = np.zeros(len(self.references), dtype=np.float64)
        for word, factor in expansions:
            ids, weights = self._postings[word]
            best[ids] = np.maximum(best[ids], factor * weights)
        return best

    def _scores(self, terms: Sequence[_QueryTerm]) -> FloatArray:
        return self._scores_and_coverage(terms)[0]

    def _scores_and_coverage(self, terms: Sequence[_QueryTerm]) -> tuple[FloatArray, FloatArray]:
        """BM25 relevance of every entry, and its coverage: the share of the query's concepts (terms,
        by weight) that the entry's words match at all, from 0 to 1."""
        total = np.zeros(len(self.references), dtype=np.float64)
        covered = np.zeros(len(self.references), dtype=np.float64)
        for term in terms:
            if len(term.alternatives) == 1 and len(term.alternatives[0]) == 1:
                best = self._word_scores(term.alternatives[0][0])
            else:
                best = np.zeros(len(self.references), dtype=np.float64)
                for phrase in term.alternatives:
                    phrase_score = sum((self._word_scores(e) for e in phrase), np.zeros_like(best)) / len(phrase)
                    np.maximum(best, phrase_score, out=best)
            total += term.weight * best
            covered += term.weight * (best > 0)
        weight = sum(term.weight for term in terms)
        return total, (covered / weight if weight > 0 else covered)

    def _matched(self, doc: int, terms: Sequence[_QueryTerm]) -> tuple[str, ...]:
        matched: dict[str, None] = {}
        for term in terms:
            for word in term.words():
                ids = self._postings[word][0]
                pos = int(np.searchsorted(ids, doc))
                if pos < len(ids) and ids[pos] == doc:
                    matched[term.label] = None
                    break
        return tuple(matched)

    def _filter_mask(
        self,
        industry: str | Iterable[str] | None,
        task: str | Iterable[str] | None,
        modality: str | Iterable[str] | None,
        year_range: tuple[int | None, int | None] | None,
        company: str | Iterable[str] | None,
        approach: str | Iterable[str] | None = None,
    ) -> npt.NDArray[np.bool_] | None:
        mask: npt.NDArray[np.bool_] | None = None

        def narrow(m: npt.NDArray[np.bool_]) -> None:
            nonlocal mask
            mask = m if mask is None else mask & m

        for name, value, allowed, codes in (
            ("industry", industry, INDUSTRIES, self._industry_codes),
            ("ML task", task, ML_TASKS, self._task_codes),
            ("modality", modality, MODALITIES, self._modality_codes),
        ):
            chosen = chosen_values(name, value, allowed)
            if chosen is not None:
                narrow(np.isin(codes, [allowed.index(c) for c in chosen]))
        if year_range is not None:
            low, high = _validate_year_range(year_range)
            narrow((self._years >= low) & (self._years <= high))
        if company is not None:
            names = {ascii_fold(c).strip() for c in ([company] if isinstance(company, str) else company)}
            names.discard("")
            if names:
                narrow(np.array([c in names for c in self._companies], dtype=np.bool_))
        families = chosen_families(approach)
        if families is not None:
            columns = [APPROACH_FAMILIES.index(f) for f in families]
            narrow(np.asarray(self._approach_families[:, columns].any(axis=1), dtype=np.bool_))
        return mask

    def _ranked(self, candidates: IntArray, scores: FloatArray) -> IntArray:
        """Candidates ordered by score, then newest year, then id (a stable, total order)."""
        order = np.lexsort((self._id_rank[candidates], -self._years[candidates], -scores[candidates]))
        return candidates[order]

    # ---- public -----------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        industry: str | Iterable[str] | None = None,
        task: str | Iterable[str] | None = None,
        modality: str | Iterable[str] | None = None,
        year_range: tuple[int | None, int | None] | None = None,
        company: str | Iterable[str] | None = None,
        approach: str | Iterable[str] | None = None,
        top: int = 20,
        method: SearchMethod = "combined",
    ) -> list[ScoredReference]:
        """Best ``top`` references for a free-text query, within the filters.

        Filters take one value or several (any of them matches): ``industry``, ``task`` and
        ``modality`` from the shared vocabularies, ``approach`` from ``APPROACH_FAMILIES``
        (case-insensitive; anything else raises ``ValueError``), ``company`` names
        (case-insensitive, exact), ``year_range`` as inclusive ``(first, last)`` years where either
        end may be None (entries without a year then drop out). A query without search words
        (empty, punctuation, stopwords only) lists the filtered entries newest first with score 0;
        with no filters either, the result is empty. Any string is a valid query: it is never
        evaluated, only split into words (the first 2,000 characters, at most 32 distinct words).

        ``method``: "lexical" ranks by the words (BM25 with word forms, typos and synonyms; no hit
        when no word is known to the catalogue); "semantic" by the bundled embedding model's
        cosine similarity alone; "combined" (the default) reads the query's meaning with the problems its
        synonym phrases name (:meth:`with_named_concepts`), ranks by :func:`combine_scores`, then
        :func:`with_label_vote` (the first 10 within the filters vote on task and modality). Without an
        embedder (``build_index(..., embedder=None)``) every method is "lexical".
        """
        if not isinstance(query, str):
            raise ValueError(f"The search query must be text; got {type(query).__name__}.")
        if method not in SEARCH_METHODS:
            raise ValueError(
                f"Unknown search method {quote_prefix(method)}; choose one of: {', '.join(SEARCH_METHODS)}."
            )
        top = validate_top(top)
        mask = self._filter_mask(industry, task, modality, year_range, company, approach)
        terms = self._query_terms(query)
        has_words = bool(tokenize(query[:MAX_QUERY_CHARS]))
        if not has_words:
            # No search words and no filters is not a question at all; filters alone list entries.
            if mask is None:
                return []
            candidates = np.flatnonzero(mask).astype(np.int32)
            zeros = np.zeros(len(self.references), dtype=np.float64)
            ranked = self._ranked(candidates, zeros)[:top]
            return [ScoredReference(self.references[i], 0.0) for i in ranked]
        if terms:
            lexical, coverage = self._scores_and_coverage(terms)
        else:
            lexical = coverage = np.zeros(len(self.references), dtype=np.float64)
        meaning = None
        if method == "semantic":
            meaning = self.meaning_scores(query)
        elif method == "combined":
            meaning = self.meaning_scores(self.with_named_concepts(query))
        if meaning is None:
            scores, hit = lexical, lexical > 0
        else:
            speaks = any(word in self._postings for word in tokenize(query[:MAX_QUERY_CHARS]))
            near = (standardised(meaning) >= SEMANTIC_MIN_Z) & speaks
            if method == "semantic":
                scores, hit = meaning.astype(np.float64), near
            else:
                scores, hit = combine_scores(lexical, meaning, coverage), (lexical > 0) | near
        if mask is not None:
            hit &= mask
        candidates = np.flatnonzero(hit).astype(np.int32)
        if meaning is not None and method == "combined":
            scores = with_label_vote(scores, candidates, (self._task_codes, self._modality_codes))
        ranked = self._ranked(candidates, scores)[:top]
        return [
            ScoredReference(
                self.references[i],
                float(scores[i]),
                self._matched(int(i), terms) if lexical[i] > 0 else (),
                None if meaning is None else float(meaning[i]),
            )
            for i in ranked
        ]

    def count(
        self,
        *,
        industry: str | Iterable[str] | None = None,
        task: str | Iterable[str] | None = None,
        modality: str | Iterable[str] | None = None,
        year_range: tuple[int | None, int | None] | None = None,
        company: str | Iterable[str] | None = None,
        approach: str | Iterable[str] | None = None,
    ) -> int:
        """How many references pass the filters (all of them when none is given); see :meth:`search`."""
        mask = self._filter_mask(industry, task, modality, year_range, company, approach)
        return len(self.references) if mask is None else int(mask.sum())

    @property
    def has_semantic_layer(self) -> bool:
        """True when searches can use the embedding model (an embedder was given to the index)."""
        return self._embedder is not None

    def _entry_vectors(self) -> FloatArray32 | None:
        """The entries' unit vectors, computed on first use (about 50 ms for 2,400 entries)."""
        if self._embedder is None:
            return None
        if not self._vectors:
            with self._vectors_lock:
                if not self._vectors:
                    try:
                        self._vectors.append(embed_references(self._embedder, self.references))
                    except SemanticLayerOff:
                        return None  # words alone; the page says why (semantic.model_problem)
        return self._vectors[0]

    def meaning_scores(self, text: str) -> FloatArray32 | None:
        """Cosine similarity of ``text`` to every entry (index order) under the embedding model;
        None without one."""
        vectors = self._entry_vectors()
        if vectors is None or self._embedder is None:
            return None
        try:
            query = embed_query(self._embedder, text)
        except SemanticLayerOff:
            return None
        # einsum rather than a BLAS matrix product: on a busy machine BLAS worker threads waking up cost
        # milliseconds (up to 18 ms measured) for what is a 0.4 ms single-threaded loop on 10,000 entries.
        scores: FloatArray32 = np.einsum("ij,j->i", vectors, query)
        return scores

    def with_named_concepts(self, query: str) -> str:
        """``query`` followed by the name of every problem-naming synonym group one of whose phrases of two
        or more words the query contains ("phone calls into text" -> "... asr speech recognition"): the
        combined search reads the query's meaning with the problem it names spelled out. A phrase the user
        typed says which problem is meant; the embedding model alone reads "recorded customer phone calls
        into text" as customer support, not as speech recognition. Single-word triggers are left alone (one
        word, "customer" or "call", is too often not the concept), and so are groups that name a domain, a
        technology or a modality (``SynonymGroup.names_problem``): "generative ai" in "virtual staging of
        empty rooms with generative ai" is image generation, and spelling out the table's "llm" for it put
        the three staging entries that both methods rank first below tenth."""
        words = tokenize(query[:MAX_QUERY_CHARS])
        names = [
            " ".join((group.label, *group.phrases[1]))
            for group in self.synonyms
            if group.names_problem
            and any(len(phrase) > 1 and _contains_phrase(words, phrase) for phrase in group.phrases)
        ]
        return " ".join((query, *names)) if names else query

    def text_scores(self, text: str) -> FloatArray:
        """Relevance of every reference (in index order) to ``text``; 0 where nothing matches."""
        terms = self._query_terms(text)
        if not terms:
            return np.zeros(len(self.references), dtype=np.float64)
        return self._scores(terms)


# How the two rankings are combined, chosen by measurement on the tuning half of the judged queries
# (bench/data/reference_queries.csv, then 144 queries, the odd-numbered ones; the even-numbered check half
# took no part): docs/benchmarks.md has every variant tried, on both halves and per industry. Plain
# reciprocal-rank fusion gained nothing, so the scores themselves are blended: the words' BM25 scaled
# so the best hit is 1, and the model's cosine similarity standardised over the catalogue (z-score) and
# scaled (COMBINE_MEANING_Z_SCALE), the meaning weighing 0.7. Standardising matters: raw cosines of every entry sit
# in a narrow band (0.0-0.6) whose width changes from query to query. Two small bonuses add what
# neither ranking says alone: agreement (an entry in both methods' first 20) and coverage (the share
# of the query's concepts the entry's words match: BM25 lets one rare word outrank an entry that
# matches every word of the problem). Each weighs 0.1; 0, 0.05 and 0.1 were tried, and 0.5-0.8 for
# the meaning.
COMBINE_MEANING_WEIGHT = 0.7
# The meaning's z-score is scaled by a fixed 7.5, not by the query's best z (as it was until the fifth round of
# docs/benchmarks.md): a query whose best match barely stands out of the catalogue (best z 3) then lets the words
# weigh more than one whose best match stands far out (best z 6); dividing by the best z gave both the same
# pull. Chosen on the tuning half from 4-10 (most industries meeting the per-industry line, 9 against 6 with
# the best z, then recall and MRR: 0.752 / 0.759 against 0.730 / 0.730); z above 7.5 (none seen) counts as 7.5.
COMBINE_MEANING_Z_SCALE = 7.5
COMBINE_AGREEMENT_BONUS = 0.1
COMBINE_AGREEMENT_TOP = 20
COMBINE_COVERAGE_BONUS = 0.1
# Last, the combined ranking's own first 10 (within the filters) vote, by their blended score, on the task and
# on the modality the query is about, and every entry gains 0.05 x the share of the vote its task got and 0.05 x
# its modality's share. Neither method alone sees the catalogue's labels: the words rank an entry by the words
# it shares with the query, the meaning by its closeness to the query, and both let an entry on another problem
# ("detect fraud over the phone" for "predict which customers will cancel their phone contract") sit among
# entries that agree on what the problem is. Chosen on the tuning half after the pooled judging round
# (bench/data/README.md): 5, 10 or 20 voters and 0.05-0.4 per label tried; 0.05 and 0.1 meet the per-industry
# line in as many industries of the tuning half (13 of 18, before the catalogue audit of 2026-12-03), 0.05 with
# the higher recall and MRR there, so 0.05; docs/benchmarks.md has the table.
COMBINE_LABEL_VOTERS = 10
COMBINE_LABEL_BONUS = 0.05  # for the task's share and, again, for the modality's
# An entry that no word of the query matches is admitted by its meaning alone only when its
# similarity stands out of the catalogue's (z >= 2: the top few per cent), and only for queries
# with at least one word the catalogue uses, so that letters typed at random find nothing.
SEMANTIC_MIN_Z = 2.0


def standardised(meaning: FloatArray32) -> FloatArray:
    """Cosine similarities as z-scores over the entries (zeros when all are equal)."""
    values = meaning.astype(np.float64)
    spread = float(values.std()) if len(values) else 0.0
    if spread <= 0:
        return np.zeros_like(values)
    z: FloatArray = (values - float(values.mean())) / spread
    return z


def _in_first(values: FloatArray, n: int) -> npt.NDArray[np.bool_]:
    """True for the entries among the ``n`` highest positive ``values`` (ties at the edge included)."""
    positive = values > 0
    if int(positive.sum()) <= n:
        return positive
    edge = float(np.partition(values, len(values) - n)[len(values) - n])
    result: npt.NDArray[np.bool_] = positive & (values >= edge)
    return result


def combine_scores(lexical: FloatArray, meaning: FloatArray32, coverage: FloatArray | None = None) -> FloatArray:
    """The combined relevance of every entry, at most 1:

        (0.3 x BM25 / best BM25 + 0.7 x min(z / 7.5, 1) + 0.1 x agreement + 0.1 x coverage) / 1.2

    where z is the standardised cosine similarity (:func:`standardised`), agreement is 1 for an entry
    among the first 20 of both methods, and coverage the share of the query's concepts its words match
    (``ReferenceIndex._scores_and_coverage``; none when not given)."""
    best_words = float(lexical.max()) if len(lexical) else 0.0
    words = lexical / best_words if best_words > 0 else np.zeros_like(lexical)
    z = standardised(meaning)
    near = np.minimum(z / COMBINE_MEANING_Z_SCALE, 1.0)
    combined: FloatArray = (1.0 - COMBINE_MEANING_WEIGHT) * words + COMBINE_MEANING_WEIGHT * near
    if len(lexical):
        both = _in_first(lexical, COMBINE_AGREEMENT_TOP) & _in_first(z - z.min() + 1.0, COMBINE_AGREEMENT_TOP)
        combined = combined + COMBINE_AGREEMENT_BONUS * both
    if coverage is not None:
        combined = combined + COMBINE_COVERAGE_BONUS * coverage
    scaled: FloatArray = combined / (1.0 + COMBINE_AGREEMENT_BONUS + COMBINE_COVERAGE_BONUS)
    return scaled


def with_label_vote(
    scores: FloatArray,
    candidates: IntArray,
    labels: Sequence[IntArray],
    voters: int = COMBINE_LABEL_VOTERS,
    bonus: float = COMBINE_LABEL_BONUS,
) -> FloatArray:
    """``scores`` (from :func:`combine_scores`) with the label vote added, rescaled to stay within 0-1:

        (1.2 x score + 0.05 x task share + 0.05 x modality share) / 1.3

    where a label's share is the summed (non-negative) score of the ``voters`` best-scored ``candidates`` that
    carry it, over the summed score of all of them. ``labels`` holds one code per entry for each kind of label
    (task, modality); ``voters`` and ``bonus`` other than the defaults are for the benchmark's variants."""
    first = candidates
    if len(first) > voters:  # a partial sort: a long query can admit most of the catalogue
        first = first[np.argpartition(-scores[first], voters - 1)[:voters]]
    weights = np.clip(scores[first], 0.0, None)  # an entry the meaning puts below average does not vote
    total = float(weights.sum())
    base = 1.0 + COMBINE_AGREEMENT_BONUS + COMBINE_COVERAGE_BONUS
    if total <= 0:
        return scores
    voted: FloatArray = scores * base
    for codes in labels:
        share = np.bincount(codes[first], weights=weights, minlength=int(codes.max()) + 1) / total
        voted = voted + bonus * share[codes]
    rescaled: FloatArray = voted / (base + bonus * len(labels))
    return rescaled


def _false_friends(word: str, other: str) -> bool:
    return other in FALSE_FRIENDS.get(word, ()) or word in FALSE_FRIENDS.get(other, ())


def _contains_phrase(words: Sequence[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    if n == 1:
        return phrase[0] in words
    return any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1))


def chosen_values(name: str, value: str | Iterable[str] | None, allowed: Sequence[str]) -> list[str] | None:
    """A filter's values, lower-cased and checked against ``allowed``; None when nothing is chosen."""
    if value is None:
        return None
    values = [value] if isinstance(value, str) else list(value)
    chosen = []
    for v in values:
        if not isinstance(v, str):
            raise ValueError(f"The {name} filter takes names from the list; got {quote_prefix(v)}.")
        key = v.strip().lower()
        if not key:
            continue
        if key not in allowed:
            raise ValueError(f"Unknown {name} {quote_prefix(v)}; choose one of: {', '.join(allowed)}.")
        chosen.append(key)
    return chosen or None


def _validate_year_range(year_range: tuple[int | None, int | None]) -> tuple[int, int]:
    try:
        low, high = year_range
    except (TypeError, ValueError):
        raise ValueError(f"Year range must be a pair (first, last); got {quote_prefix(year_range)}.") from None
    for y in (low, high):
        if y is not None and (isinstance(y, bool) or not isinstance(y, int)):
            raise ValueError(f"Years in the range must be whole numbers such as 2020, or None; got {quote_prefix(y)}.")
    first = 0 if low is None else low
    last = 9999 if high is None else high
    if first > last:
        raise ValueError(f"The first year ({low}) must not be after the last year ({high}).")
    return first, last


def validate_top(top: int) -> int:
    """The number of results asked for, checked to be a whole number from 1 to ``MAX_TOP``."""
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= MAX_TOP:
        raise ValueError(f"The number of results must be a whole number from 1 to {MAX_TOP}; got {quote_prefix(top)}.")
    return top


def _family_matrix(refs: Sequence[Reference]) -> npt.NDArray[np.bool_]:
    """Entries x APPROACH_FAMILIES: True where the entry's approach names the family."""
    matrix = np.zeros((len(refs), len(APPROACH_FAMILIES)), dtype=np.bool_)
    column = {family: i for i, family in enumerate(APPROACH_FAMILIES)}
    for row, ref in enumerate(refs):
        for family in ref.approach_families:  # a regular-expression pass per entry: compute it once
            matrix[row, column[family]] = True
    return matrix


def build_index(
    references: Iterable[Reference],
    *,
    synonyms: Sequence[SynonymGroup] | None = None,
    embedder: Embedder | None = None,
) -> ReferenceIndex:
    """Index references (catalogue and own alike) for :meth:`ReferenceIndex.search`.

    ``synonyms`` defaults to the project's table (``data/search_synonyms.csv``). Reference ids
    must be unique, since evidence links point at them. Cost is linear in the catalogue: about
    0.3 s for 2,400 entries and 1.5 s for 10,000 on a busy 2-core machine (bench/bench_references.py);
    build once and reuse.
    ``embedder`` (``core.references.semantic.bundled_model()``) enables the semantic layer; the
    entries' vectors are computed on the first search that uses it, not here.
    """
    refs = tuple(references)
    seen: set[str] = set()
    for ref in refs:
        if not isinstance(ref, Reference):
            raise ValueError(f"build_index takes Reference objects; got {type(ref).__name__}.")
        if ref.id in seen:
            raise ValueError(f"Reference id {quote_prefix(ref.id)} appears twice; give each reference its own id.")
        seen.add(ref.id)

    doc_terms: list[dict[str, float]] = []
    lengths = np.zeros(len(refs), dtype=np.float64)
    for i, ref in enumerate(refs):
        counts: dict[str, float] = {}
        fields = {
            "title": ref.title,
            "company": ref.company,
            "tags": " ".join(ref.tags),
            "industry": ref.industry,
            "task": ref.task,
            "modality": ref.modality,
            "approach": ref.approach,
            "summary": ref.summary,
        }
        for name, text in fields.items():
            weight = FIELD_WEIGHTS[name]
            for word in tokenize(text):
                counts[word] = counts.get(word, 0.0) + weight
        doc_terms.append(counts)
        lengths[i] = sum(counts.values())

    n_docs = len(refs)
    avg_length = float(lengths.mean()) if n_docs else 1.0
    postings_lists: dict[str, tuple[list[int], list[float]]] = {}
    for i, counts in enumerate(doc_terms):
        norm = BM25_K1 * (1.0 - BM25_B + BM25_B * lengths[i] / avg_length)
        for word, tf in counts.items():
            ids, tfs = postings_lists.setdefault(word, ([], []))
            ids.append(i)
            tfs.append(tf * (BM25_K1 + 1.0) / (tf + norm))
    postings: dict[str, tuple[IntArray, FloatArray]] = {}
    for word, (ids, tfs) in postings_lists.items():
        df = len(ids)
        idf = math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
        postings[word] = (np.asarray(ids, dtype=np.int32), np.asarray(tfs, dtype=np.float64) * idf)

    id_order = sorted(range(n_docs), key=lambda i: refs[i].id)
    id_rank = np.empty(n_docs, dtype=np.int32)
    id_rank[id_order] = np.arange(n_docs, dtype=np.int32)
    return ReferenceIndex(
        references=refs,
        synonyms=tuple(load_synonyms() if synonyms is None else synonyms),
        _postings=postings,
        _vocabulary=tuple(sorted(postings)),
        _industry_codes=np.array([INDUSTRIES.index(r.industry) for r in refs], dtype=np.int32),
        _task_codes=np.array([ML_TASKS.index(r.task) for r in refs], dtype=np.int32),
        _modality_codes=np.array([MODALITIES.index(r.modality) for r in refs], dtype=np.int32),
        _years=np.array([-1 if r.year is None else r.year for r in refs], dtype=np.int32),
        _companies=tuple(ascii_fold(r.company).strip() for r in refs),
        _id_rank=id_rank,
        _approach_families=_family_matrix(refs),
        _embedder=embedder,
    )


def search_references(
    references: ReferenceIndex | Iterable[Reference],
    query: str,
    *,
    industry: str | Iterable[str] | None = None,
    task: str | Iterable[str] | None = None,
    modality: str | Iterable[str] | None = None,
    year_range: tuple[int | None, int | None] | None = None,
    company: str | Iterable[str] | None = None,
    approach: str | Iterable[str] | None = None,
    top: int = 20,
) -> list[ScoredReference]:
    """Ranked search; see :meth:`ReferenceIndex.search`. Pass a prebuilt index for speed: given
    plain references, an index is built for this one call."""
    index = references if isinstance(references, ReferenceIndex) else build_index(references)
    return index.search(
        query,
        industry=industry,
        task=task,
        modality=modality,
        year_range=year_range,
        company=company,
        approach=approach,
        top=top,
    )
