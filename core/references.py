"""Reference projects: typed catalogue rows, ranked offline search, similarity, coverage, model sizes.

The catalogue (``data/references.csv``, built by ``data/build_references.py``) lists public write-ups
in which a company describes an ML system it runs. A planner searches it to find companies in the
same industry that solved a similar problem: proof that a use case is worth it and a pointer to how
others designed it.

Typical use (the page caches the index; it is immutable and safe to share)::

    refs = load_references(read_catalogue("references"))
    index = build_index(refs + own_refs)          # ~0.15 s for 2,100 entries, built once
    hits = index.search("predict when the food arrives", industry="delivery & mobility")
    hits[0].reference.title, hits[0].score

Search is BM25 (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond",
2009; k1 = 1.2, b = 0.75, their usual defaults) over title, company, industry, task, modality and
tags, each field weighted (``FIELD_WEIGHTS``). Before scoring, every query word is widened to the
catalogue's own vocabulary in three ways, each at a discount so exact words still rank first:

* word forms sharing a long common prefix ("fraudulent" ~ "fraud", "recommend" ~ "recommendation");
* typo matches by rapidfuzz's normalised Indel similarity (``fuzz.ratio``) for words the
  catalogue does not contain ("recomend", "shopers");
* synonym groups from ``data/search_synonyms.csv`` ("ETA" ~ "arrival time", "churn" ~
  "attrition"), matched on whole words or phrases.

Scores are relative: higher is better, comparable only within one query. Nothing here touches the
network, a file (except the synonym table, read once) or a database.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlencode

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from core.taxonomy import INDUSTRIES, ML_TASKS, MODALITIES, USES_DEEP_LEARNING
from core.text import quote_prefix

ORIGINS: tuple[str, ...] = ("catalogue", "own")
"""Where a reference comes from: the shipped catalogue, or the user's own internal projects."""

SYNONYMS_PATH = Path(__file__).resolve().parent.parent / "data" / "search_synonyms.csv"

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

# Words too common to say anything about a use case.
# fmt: off
STOPWORDS = frozenset({
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "before",
    "being", "between", "both", "but", "by", "can", "com", "could", "did", "do", "does", "doing", "during",
    "each", "for", "from", "further", "had", "has", "have", "how", "http", "https", "i", "if", "in", "into",
    "is", "it", "its", "just", "me", "more", "most", "my", "no", "nor", "not", "of", "off", "on", "once",
    "only", "or", "other", "our", "out", "over", "own", "same", "should", "so", "some", "such", "than",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to",
    "too", "under", "until", "up", "very", "via", "vs", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "www", "you", "your", "yours",
})
# fmt: on

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_PLURAL_EXCEPTIONS = frozenset({"series", "species", "news", "analysis", "status", "bus", "gas", "lens"})


# --------------------------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------------------------


def _require_text(name: str, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"A reference needs a non-empty {name}; got {quote_prefix(value)}.")


def _choose(name: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ValueError(f"Unknown {name} {quote_prefix(value)}; choose one of: {', '.join(allowed)}.")


@dataclass(frozen=True)
class Reference:
    """One reference project: a public write-up (origin "catalogue") or an internal one ("own").

    ``year`` is the publication year (None when unknown); ``tags`` are lower-case keywords;
    ``source_url`` is an http(s) link to the write-up, or "" for an internal project without one.
    """

    id: str
    company: str
    title: str
    year: int | None
    industry: str
    task: str
    modality: str
    uses_deep_learning: str = "unclear"
    tags: tuple[str, ...] = ()
    source_url: str = ""
    summary: str = ""
    origin: str = "catalogue"

    def __post_init__(self) -> None:
        _require_text("id", self.id)
        _require_text("company", self.company)
        _require_text("title", self.title)
        if self.year is not None and (
            isinstance(self.year, bool) or not isinstance(self.year, int) or not 1950 <= self.year <= 2100
        ):
            raise ValueError(
                f"Year must be a whole number between 1950 and 2100, or empty; got {quote_prefix(self.year)}."
            )
        _choose("industry", self.industry, INDUSTRIES)
        _choose("ML task", self.task, ML_TASKS)
        _choose("modality", self.modality, MODALITIES)
        _choose("uses-deep-learning answer", self.uses_deep_learning, USES_DEEP_LEARNING)
        _choose("origin", self.origin, ORIGINS)
        if not isinstance(self.tags, tuple) or not all(isinstance(t, str) for t in self.tags):
            raise ValueError(f"Tags must be a tuple of strings; got {quote_prefix(self.tags)}.")
        # The page renders this as a link: anything but http(s) (javascript:, data:) is refused.
        if self.source_url and not re.match(r"https?://[^\s/]+", self.source_url, re.IGNORECASE):
            raise ValueError(f"Source URL must start with http:// or https://; got {quote_prefix(self.source_url)}.")

    @classmethod
    def from_row(cls, row: Mapping[str, Any], *, origin: str | None = None) -> Reference:
        """Build from a catalogue row as DuckDB or ``csv`` returns it.

        Accepts typed values and strings alike: ``year`` as int, integral float, digit string,
        None, "" or NaN; ``tags`` as a ";"-separated string or a list; ``uses_deep_learning`` as
        "yes"/"no"/"unclear" or a boolean. ``origin`` overrides the row's own ``origin`` column.
        """
        return cls(
            id=_text(row.get("id")),
            company=_text(row.get("company")),
            title=_text(row.get("title")),
            year=_year(row.get("year")),
            industry=_text(row.get("industry")).lower(),
            task=_text(row.get("task")).lower(),
            modality=_text(row.get("modality")).lower(),
            uses_deep_learning=_deep_learning(row.get("uses_deep_learning")),
            tags=_tags(row.get("tags")),
            source_url=_text(row.get("source_url")),
            summary=_text(row.get("summary")),
            origin=origin if origin is not None else (_text(row.get("origin")) or "catalogue"),
        )


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _text(value: Any) -> str:
    return "" if _is_missing(value) else str(value).strip()


def _year(value: Any) -> int | None:
    if _is_missing(value) or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"Year must be a whole number such as 2021; got {quote_prefix(value)}.")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ValueError(f"Year must be a whole number such as 2021; got {quote_prefix(value)}.")
        return int(value)
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError(f"Year must be a whole number such as 2021; got {quote_prefix(value)}.")
    return int(text)


def _tags(value: Any) -> tuple[str, ...]:
    if _is_missing(value):
        return ()
    items = value.split(";") if isinstance(value, str) else list(value)
    return tuple(t for t in (str(i).strip().lower() for i in items) if t)


def _deep_learning(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = _text(value).lower()
    return text or "unclear"


def load_references(rows: Iterable[Mapping[str, Any]], *, origin: str = "catalogue") -> list[Reference]:
    """References from catalogue rows (``core.store.read_catalogue("references")``) or own rows."""
    return [Reference.from_row(row, origin=origin) for row in rows]


@dataclass(frozen=True)
class ScoredReference:
    """A search hit: the reference, its relevance score (relative, higher is better; 0 for a plain
    filtered listing) and what it matched: the query's words as typed (lower-cased) and the names
    of synonym groups ("eta" for a hit on "arrival time")."""

    reference: Reference
    score: float
    matched_terms: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict: the reference's fields plus ``score`` and ``matched_terms``."""
        ref = self.reference
        return {
            "id": ref.id,
            "title": ref.title,
            "company": ref.company,
            "year": ref.year,
            "industry": ref.industry,
            "task": ref.task,
            "modality": ref.modality,
            "uses_deep_learning": ref.uses_deep_learning,
            "tags": list(ref.tags),
            "source_url": ref.source_url,
            "summary": ref.summary,
            "origin": ref.origin,
            "score": round(self.score, 4),
            "matched_terms": list(self.matched_terms),
        }


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def normalise_word(word: str) -> str:
    """Fold a plural onto its singular ("payments" -> "payment", "queries" -> "query")."""
    if len(word) <= 3 or word.isdigit() or word in _PLURAL_EXCEPTIONS:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize_with_surface(text: str) -> list[tuple[str, str]]:
    """(search word, the word as written, lower-cased) pairs of a text; see :func:`tokenize`."""
    pairs: list[tuple[str, str]] = []
    for raw in _WORD.findall(_fold(text)):
        parts = re.split(r"[-']", raw)
        if len(parts) > 1:
            parts = [*parts, "".join(parts)]
        for part in parts:
            if len(part) < 2 or part in STOPWORDS:
                continue
            pairs.append((normalise_word(part), part))
    return pairs


def tokenize(text: str) -> list[str]:
    """Search words of a text, in order: lower-cased, accents dropped, plurals folded, stopwords
    and one-letter words removed. A hyphenated word yields its parts and the joined form
    ("e-commerce" -> "commerce", "ecommerce") so either spelling finds it."""
    return [word for word, _ in tokenize_with_surface(text)]


@dataclass(frozen=True)
class SynonymGroup:
    """Phrases that mean the same thing to a searcher; each phrase is a tuple of search words.
    ``label`` names the group in ``matched_terms`` (the table's ``term`` as written)."""

    label: str
    phrases: tuple[tuple[str, ...], ...]


def parse_synonyms(rows: Iterable[Mapping[str, str]]) -> tuple[SynonymGroup, ...]:
    """Groups from rows with ``term`` and ``synonyms`` (";"-separated phrases); symmetric."""
    groups: list[SynonymGroup] = []
    for row in rows:
        term = (row.get("term") or "").strip()
        phrases = [term, *(row.get("synonyms") or "").split(";")]
        tokenized = tuple(dict.fromkeys(t for t in (tuple(tokenize(p)) for p in phrases) if t))
        if len(tokenized) >= 2:
            groups.append(SynonymGroup(label=term.lower(), phrases=tokenized))
    return tuple(groups)


@lru_cache(maxsize=1)
def load_synonyms(path: Path = SYNONYMS_PATH) -> tuple[SynonymGroup, ...]:
    """The project's synonym table (``data/search_synonyms.csv``); read once per process."""
    with path.open(encoding="utf-8", newline="") as f:
        return parse_synonyms(csv.DictReader(f))


# --------------------------------------------------------------------------------------------
# Index
# --------------------------------------------------------------------------------------------

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]


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
    _prefix_cache: dict[int, list[str]] = field(default_factory=dict, repr=False)

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
        catalogue lacks it (at most ``typo_budget[0]`` more look-ups), and their other forms."""
        expansions: dict[str, float] = {}
        if word in self._postings:
            expansions[word] = 1.0
        anchors = [word]
        if not expansions and len(word) >= TYPO_MIN_LENGTH and not word.isdigit() and typo_budget[0] > 0:
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
        total = np.zeros(len(self.references), dtype=np.float64)
        for term in terms:
            if len(term.alternatives) == 1 and len(term.alternatives[0]) == 1:
                total += term.weight * self._word_scores(term.alternatives[0][0])
                continue
            best = np.zeros(len(self.references), dtype=np.float64)
            for phrase in term.alternatives:
                phrase_score = sum((self._word_scores(e) for e in phrase), np.zeros_like(best)) / len(phrase)
                np.maximum(best, phrase_score, out=best)
            total += term.weight * best
        return total

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
            chosen = _chosen_values(name, value, allowed)
            if chosen is not None:
                narrow(np.isin(codes, [allowed.index(c) for c in chosen]))
        if year_range is not None:
            low, high = _validate_year_range(year_range)
            narrow((self._years >= low) & (self._years <= high))
        if company is not None:
            names = {_fold(c).strip() for c in ([company] if isinstance(company, str) else company)}
            names.discard("")
            if names:
                narrow(np.array([c in names for c in self._companies], dtype=np.bool_))
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
        top: int = 20,
    ) -> list[ScoredReference]:
        """Best ``top`` references for a free-text query, within the filters.

        Filters take one value or several (any of them matches): ``industry``, ``task`` and
        ``modality`` from the shared vocabularies (case-insensitive; anything else raises
        ``ValueError``), ``company`` names (case-insensitive, exact), ``year_range`` as inclusive
        ``(first, last)`` years where either end may be None (entries without a year then drop
        out). A query without search words (empty, punctuation, stopwords only) lists the filtered
        entries newest first with score 0; with no filters either, the result is empty, as it is
        when no word is known to the catalogue even after typo correction. Any string is a valid
        query: it is never evaluated, only split into words (the first 2,000 characters, at most
        32 distinct words).
        """
        if not isinstance(query, str):
            raise ValueError(f"The search query must be text; got {type(query).__name__}.")
        top = _validate_top(top)
        mask = self._filter_mask(industry, task, modality, year_range, company)
        terms = self._query_terms(query)
        if not terms:
            # Search words none of which the catalogue knows match nothing, filters or not; no
            # search words and no filters is not a question at all.
            if mask is None or tokenize(query[:MAX_QUERY_CHARS]):
                return []
            candidates = np.flatnonzero(mask).astype(np.int32)
            zeros = np.zeros(len(self.references), dtype=np.float64)
            ranked = self._ranked(candidates, zeros)[:top]
            return [ScoredReference(self.references[i], 0.0) for i in ranked]
        scores = self._scores(terms)
        hit = scores > 0
        if mask is not None:
            hit &= mask
        candidates = np.flatnonzero(hit).astype(np.int32)
        ranked = self._ranked(candidates, scores)[:top]
        return [ScoredReference(self.references[i], float(scores[i]), self._matched(int(i), terms)) for i in ranked]

    def text_scores(self, text: str) -> FloatArray:
        """Relevance of every reference (in index order) to ``text``; 0 where nothing matches."""
        terms = self._query_terms(text)
        if not terms:
            return np.zeros(len(self.references), dtype=np.float64)
        return self._scores(terms)


def _false_friends(word: str, other: str) -> bool:
    return other in FALSE_FRIENDS.get(word, ()) or word in FALSE_FRIENDS.get(other, ())


def _contains_phrase(words: Sequence[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    if n == 1:
        return phrase[0] in words
    return any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1))


def _chosen_values(name: str, value: str | Iterable[str] | None, allowed: Sequence[str]) -> list[str] | None:
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


def _validate_top(top: int) -> int:
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= MAX_TOP:
        raise ValueError(f"The number of results must be a whole number from 1 to {MAX_TOP}; got {quote_prefix(top)}.")
    return top


def build_index(references: Iterable[Reference], *, synonyms: Sequence[SynonymGroup] | None = None) -> ReferenceIndex:
    """Index references (catalogue and own alike) for :meth:`ReferenceIndex.search`.

    ``synonyms`` defaults to the project's table (``data/search_synonyms.csv``). Reference ids
    must be unique, since evidence links point at them. Cost is linear in the catalogue: about
    0.15 s for 2,100 entries and 0.6 s for 10,000 (bench/bench_references.py); build once and reuse.
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
        _companies=tuple(_fold(r.company).strip() for r in refs),
        _id_rank=id_rank,
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
    top: int = 20,
) -> list[ScoredReference]:
    """Ranked search; see :meth:`ReferenceIndex.search`. Pass a prebuilt index for speed: given
    plain references, an index is built for this one call."""
    index = references if isinstance(references, ReferenceIndex) else build_index(references)
    return index.search(
        query, industry=industry, task=task, modality=modality, year_range=year_range, company=company, top=top
    )


# --------------------------------------------------------------------------------------------
# Similar to my use case
# --------------------------------------------------------------------------------------------

# How a candidate's closeness to a reference is composed (weights sum to 1, so scores lie in
# [0, 1]): what the problem is about matters most; the same industry is the guide's strongest
# hint ("companies in the same industry optimise the same processes"); the same data modality
# says the design will transfer.
SIMILARITY_TEXT_WEIGHT = 0.6
SIMILARITY_INDUSTRY_WEIGHT = 0.25
SIMILARITY_MODALITY_WEIGHT = 0.15


def similar_references(
    index: ReferenceIndex,
    *,
    industry: str | None,
    modality: str | None,
    problem_statement: str,
    top: int = 10,
) -> list[ScoredReference]:
    """References closest to a worthiness candidate, best first; scores lie in [0, 1].

    score = 0.6 x text relevance of the problem statement (scaled so the best match is 1)
          + 0.25 if the industry is the candidate's + 0.15 if the modality is the candidate's.
    When the statement has search words, only references matching some of them are returned
    (a same-industry entry about something else is not "similar"); without any, the entries of
    the same industry or modality are listed, newest first among equals.
    """
    if not isinstance(problem_statement, str):
        raise ValueError(f"The problem statement must be text; got {type(problem_statement).__name__}.")
    top = _validate_top(top)
    industry_key = _chosen_values("industry", industry, INDUSTRIES) if industry is not None else None
    modality_key = _chosen_values("modality", modality, MODALITIES) if modality is not None else None
    n_docs = len(index.references)
    same_industry = (
        index._industry_codes == INDUSTRIES.index(industry_key[0]) if industry_key else np.zeros(n_docs, bool)
    )
    same_modality = (
        index._modality_codes == MODALITIES.index(modality_key[0]) if modality_key else np.zeros(n_docs, bool)
    )
    boosts = SIMILARITY_INDUSTRY_WEIGHT * same_industry + SIMILARITY_MODALITY_WEIGHT * same_modality
    terms = index._query_terms(problem_statement)
    if terms:
        text = index._scores(terms)
        best = float(text.max())
        if best <= 0:
            return []
        scores = SIMILARITY_TEXT_WEIGHT * text / best + boosts
        candidates = np.flatnonzero(text > 0).astype(np.int32)
    else:
        scores = boosts.astype(np.float64)
        candidates = np.flatnonzero(scores > 0).astype(np.int32)
    ranked = index._ranked(candidates, scores)[:top]
    return [
        ScoredReference(index.references[i], float(scores[i]), index._matched(int(i), terms) if terms else ())
        for i in ranked
    ]


# --------------------------------------------------------------------------------------------
# Coverage
# --------------------------------------------------------------------------------------------


class CoverageCell(NamedTuple):
    """Number of references for one industry x task pair."""

    industry: str
    task: str
    count: int  # type: ignore[assignment]  # the field shadows tuple.count on purpose: it reads naturally


def coverage(references: Iterable[Reference]) -> list[CoverageCell]:
    """Entries per (industry, task) for every pair of the shared vocabularies, zeros included,
    in INDUSTRIES x ML_TASKS order, so a heatmap shows where public evidence is thin."""
    counts: dict[tuple[str, str], int] = {}
    for ref in references:
        counts[(ref.industry, ref.task)] = counts.get((ref.industry, ref.task), 0) + 1
    return [CoverageCell(i, t, counts.get((i, t), 0)) for i in INDUSTRIES for t in ML_TASKS]


def companies(references: Iterable[Reference]) -> list[str]:
    """Company names in the references, sorted case-insensitively, each once (for a filter list)."""
    return sorted({r.company for r in references}, key=lambda c: (_fold(c), c))


# --------------------------------------------------------------------------------------------
# Model sizes by task
# --------------------------------------------------------------------------------------------

# A dense transformer's forward pass costs about 2 FLOPs per parameter per token (one multiply
# and one add per weight): Kaplan et al., "Scaling Laws for Neural Language Models", 2020,
# section 2.1 (C_forward ~ 2N). Mixture-of-experts models pay it on their active parameters.
FLOPS_PER_PARAM_PER_TOKEN = 2.0
_TRANSFORMER_FAMILY = re.compile(
    r"transformer|llm|gpt|bert|t5|llama|mistral|mixtral|qwen|gemma|phi|decoder|encoder|moe|whisper|falcon",
    re.IGNORECASE,
)
_SIZE_SUFFIX = {"": 1.0, "k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}


@dataclass(frozen=True)
class ModelSize:
    """A typical architecture for a task with the figures a planner sizes hardware from.

    ``params`` and ``active_params`` are parameter counts (active = used per token; equal to
    params for dense models). Compute is ``flops_per_token`` (transformers on token input:
    2 x active params) or ``gflops_per_sample`` (from the catalogue, e.g. one image at
    ``image_size_px``); None when the catalogue gives neither.
    """

    key: str
    name: str
    family: str
    task: str
    modality: str
    params: int
    active_params: int
    flops_per_token: float | None
    gflops_per_sample: float | None
    image_size_px: int | None
    max_context_tokens: int | None
    source_url: str

    @property
    def typical_input(self) -> str:
        """The input the compute figure refers to, in words ("224x224 px image", "8,192 tokens")."""
        parts = []
        if self.image_size_px is not None:
            parts.append(f"{self.image_size_px}x{self.image_size_px} px image")
        if self.max_context_tokens is not None:
            parts.append(f"up to {self.max_context_tokens:,} tokens")
        return "; ".join(parts)

    @property
    def compute_label(self) -> str:
        """Compute per unit of input in words ("16.1 GFLOPs per token", "4.1 GFLOPs per sample")."""
        if self.gflops_per_sample is not None:
            return f"{format_flops(self.gflops_per_sample * 1e9)} per sample"
        if self.flops_per_token is not None:
            return f"{format_flops(self.flops_per_token)} per token"
        return "not stated"

    @property
    def resources_link(self) -> str:
        """Relative link that opens the resource planner with this model selected."""
        return resources_link(self.key)


def format_flops(flops: float) -> str:
    """A FLOP count with a readable unit: "45 MFLOPs", "14.1 GFLOPs", "1.4 TFLOPs"."""
    if not math.isfinite(flops) or flops < 0:
        raise ValueError(f"A FLOP count must be a finite number of at least 0; got {quote_prefix(flops)}.")
    for unit, scale in (("TFLOPs", 1e12), ("GFLOPs", 1e9), ("MFLOPs", 1e6), ("kFLOPs", 1e3)):
        if flops >= scale:
            value = flops / scale
            return f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"
    return f"{flops:,.0f} FLOPs"


def resources_link(model_key: str) -> str:
    """``/resources?model=<key>``: the query parameter the resources page reads to preselect a model."""
    return "/resources?" + urlencode({"model": model_key})


def _count(value: Any, what: str, key: str) -> float | None:
    """A non-negative finite number from a typed value or a string such as "7e9", "7B", "1.2 M"."""
    if _is_missing(value) or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{what} of architecture {quote_prefix(key)} must be a number; got {quote_prefix(value)}.")
    if isinstance(value, int | float):
        number = float(value)
    else:
        match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([kmbt]?)\s*", str(value).lower())
        if not match:
            raise ValueError(
                f"{what} of architecture {quote_prefix(key)} must be a number such as 7e9 or 7B; "
                f"got {quote_prefix(value)}."
            )
        number = float(match.group(1)) * _SIZE_SUFFIX[match.group(2)]
    if not math.isfinite(number) or number < 0:
        raise ValueError(
            f"{what} of architecture {quote_prefix(key)} must be a finite number of at least 0; "
            f"got {quote_prefix(value)}."
        )
    return number


def model_size_from_row(row: Mapping[str, Any]) -> ModelSize:
    """One architecture-catalogue row (key, name, family, task, modality, params, active_params,
    gflops_per_sample, image_size, max_context, source_url) as a :class:`ModelSize` for the first
    task it lists (use :func:`model_sizes_by_task` for all of them)."""
    key = _text(row.get("key"))
    if not key:
        raise ValueError(f"An architecture row needs a key; got {quote_prefix(dict(row))}.")
    params = _count(row.get("params"), "Parameter count", key)
    if params is None or params <= 0:
        raise ValueError(
            f"Parameter count of architecture {quote_prefix(key)} must be above 0; "
            f"got {quote_prefix(row.get('params'))}."
        )
    active = _count(row.get("active_params"), "Active parameter count", key) or params
    gflops = _count(row.get("gflops_per_sample"), "GFLOPs per sample", key)
    image_size = _count(row.get("image_size"), "Image size", key)
    context = _count(row.get("max_context"), "Maximum context", key)
    family = _text(row.get("family"))
    modality = _text(row.get("modality")).lower()
    token_based = gflops is None and (
        context is not None or modality == "text" or bool(_TRANSFORMER_FAMILY.search(family))
    )
    tasks = _tags(row.get("task"))
    return ModelSize(
        key=key,
        name=_text(row.get("name")) or key,
        family=family,
        task=tasks[0] if tasks else "",
        modality=modality,
        params=int(params),
        active_params=int(active),
        flops_per_token=FLOPS_PER_PARAM_PER_TOKEN * active if token_based else None,
        gflops_per_sample=gflops,
        image_size_px=None if image_size is None else int(image_size),
        max_context_tokens=None if context is None else int(context),
        source_url=_text(row.get("source_url")),
    )


def model_sizes_by_task(architecture_rows: Iterable[Mapping[str, Any]]) -> dict[str, list[ModelSize]]:
    """Typical architectures per ML task, smallest first, from the architecture catalogue rows.

    A row whose ``task`` lists several tasks (";"-separated) appears under each. Tasks come in
    ML_TASKS order, then any other task names alphabetically; rows without a task are skipped.
    Raises ValueError for a row without a key or with a non-numeric, negative or infinite size.
    """
    grouped: dict[str, list[ModelSize]] = {}
    for row in architecture_rows:
        size = model_size_from_row(row)
        for task in _tags(row.get("task")):
            grouped.setdefault(task, []).append(
                size if task == size.task else ModelSize(**{**size.__dict__, "task": task})
            )
    order = {t: i for i, t in enumerate(ML_TASKS)}
    result: dict[str, list[ModelSize]] = {}
    for task in sorted(grouped, key=lambda t: (order.get(t, len(order)), t)):
        result[task] = sorted(grouped[task], key=lambda m: (m.params, m.name.lower(), m.key))
    return result
