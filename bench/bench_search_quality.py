"""Reference search quality on the judged queries: recall@10 and MRR for words, meaning and both.

Run with ``python -m bench.bench_search_quality``; prints Markdown (docs/benchmarks.md keeps a copy).
The queries (bench/data/reference_queries.csv, 242 of them, 11 to 16 per industry) were written and judged
before the search was tuned (q001-q074 in a first round, q075-q144 before the combination was redesigned,
q145-q288 blind to the catalogue after it); see bench/data/README.md. The combination's weight was chosen on the
odd-numbered queries ("tuning half"); the even-numbered ones ("check half") did not take part.

Metrics, per query, averaged over queries:
- recall@10: judged-relevant entries in the first 10 results / min(10, number judged relevant)
  (capped, so that a query with 28 relevant entries can reach 1);
- MRR@10: 1 / rank of the first relevant result in the first 10, 0 when none;
- hit@10: 1 when any of the first 10 is relevant (what "finds a relevant case" means).

The "variants" table recomputes the alternatives the combination was chosen from, on the same
scores, with the number of industries where each is at least as good as the better single method, so
the choice can be checked (a third round, none kept, adds word feedback, finer-grained meaning, concept
weights from the meaning's first entries and protected slots); its last row is an oracle (per query
the better single method), a bound for any rule that picks one of the two methods per query.
"""

from __future__ import annotations

import csv
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from core.references import build_index, load_references
from core.references.index import (
    COMBINE_AGREEMENT_BONUS,
    COMBINE_AGREEMENT_TOP,
    COMBINE_COVERAGE_BONUS,
    COMBINE_LABEL_BONUS,
    COMBINE_LABEL_VOTERS,
    COMBINE_MEANING_WEIGHT,
    COMBINE_MEANING_Z_SCALE,
    SEMANTIC_MIN_Z,
    ReferenceIndex,
    _in_first,
    _QueryTerm,
    standardised,
    with_label_vote,
)
from core.references.semantic import MODEL_NAME, _unit_rows, bundled_model, embed_query, model_problem
from core.references.text import tokenize
from core.taxonomy import INDUSTRIES

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "data" / "references.csv"
QUERIES = ROOT / "bench" / "data" / "reference_queries.csv"
METHODS = ("lexical", "semantic", "combined")
K = 10
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class JudgedQuery:
    query_id: str
    industry: str
    query: str
    relevant: frozenset[str]

    @property
    def tuning_half(self) -> bool:
        return int(self.query_id[1:]) % 2 == 1


def read_queries(path: Path = QUERIES) -> list[JudgedQuery]:
    with path.open(encoding="utf-8", newline="") as f:
        return [
            JudgedQuery(row["query_id"], row["industry"], row["query"], frozenset(row["relevant_ids"].split(";")))
            for row in csv.DictReader(f)
        ]


@dataclass(frozen=True)
class Scores:
    recall: float
    mrr: float
    hit: float


def score_ranking(ranked_ids: Sequence[str], relevant: frozenset[str]) -> Scores:
    top = list(ranked_ids[:K])
    found = [i for i in top if i in relevant]
    first = next((rank for rank, i in enumerate(top, 1) if i in relevant), None)
    return Scores(len(found) / min(K, len(relevant)), 0.0 if first is None else 1.0 / first, float(bool(found)))


def mean(scores: Sequence[Scores]) -> Scores:
    return Scores(*(statistics.fmean(getattr(s, f) for s in scores) for f in ("recall", "mrr", "hit")))


def rank_with(index: ReferenceIndex, method: str) -> Callable[[str], list[str]]:
    return lambda query: [hit.reference.id for hit in index.search(query, top=K, method=method)]  # type: ignore[arg-type]


# ---- the alternatives the combination was chosen from, on raw scores ----------------------------


@dataclass(frozen=True)
class Raw:
    """One query's raw evidence: BM25, cosine similarity, coverage, and which entries search admits."""

    words: FloatArray
    meaning: FloatArray
    coverage: FloatArray
    admitted: npt.NDArray[np.bool_]
    # For the variants of the third round (not used by the search): the query vector's cosine to each
    # entry's title and to its problem sentence (summary) alone; the BM25 score of every query concept
    # on its own; and the BM25 of the feedback terms taken from the chosen blend's first entries.
    title_meaning: FloatArray
    summary_meaning: FloatArray
    concept_words: tuple[FloatArray, ...]
    concept_weights: tuple[float, ...]
    feedback_words: FloatArray


Variant = Callable[[Raw], list[int]]


def _order(scores: FloatArray, hit: npt.NDArray[np.bool_]) -> list[int]:
    candidates = np.flatnonzero(hit)
    return [int(i) for i in candidates[np.argsort(-scores[candidates], kind="stable")]]


def _blend(weight: float, agreement: float = 0.0, coverage: float = 0.0) -> Variant:
    def rank(r: Raw) -> list[int]:
        lexical = r.words / r.words.max() if r.words.max() > 0 else r.words
        z = standardised(r.meaning.astype(np.float32))
        scores = (1 - weight) * lexical + weight * z / z.max() + coverage * r.coverage
        if agreement:
            scores = scores + agreement * (_in_first(r.words, 20) & _in_first(z - z.min() + 1.0, 20))
        return _order(scores, r.admitted)

    return rank


def _rrf(k: int, weight: float) -> Variant:
    def rank(r: Raw) -> list[int]:
        fused = np.zeros(len(r.words))
        by_words = _order(r.words, r.words > 0)
        by_meaning = _order(r.meaning, np.ones(len(r.words), dtype=bool))
        fused[by_words] += (1 - weight) / (k + np.arange(1, len(by_words) + 1))
        fused[by_meaning] += weight / (k + np.arange(1, len(by_meaning) + 1))
        return _order(fused, r.admitted)

    return rank


def _interleave(r: Raw) -> list[int]:
    lists = [_order(r.words, r.words > 0)[:K], _order(r.meaning, r.admitted)[:K]]
    out: list[int] = []
    for pair in zip(*lists, strict=False):
        out.extend(i for i in pair if i not in out)
    return out


def _fill(r: Raw) -> list[int]:
    out = _order(r.words, r.words > 0)[:K]
    return out + [i for i in _order(r.meaning, r.admitted) if i not in out]


def _chosen_scores(r: Raw, words: FloatArray | None = None) -> FloatArray:
    """The chosen blend's scores (as ``combine_scores``), optionally over other word scores."""
    w = r.words if words is None else words
    lexical = w / w.max() if w.max() > 0 else w
    z = standardised(r.meaning.astype(np.float32))
    scores: FloatArray = (
        (1 - COMBINE_MEANING_WEIGHT) * lexical
        + COMBINE_MEANING_WEIGHT * z / z.max()
        + COMBINE_AGREEMENT_BONUS * (_in_first(w, COMBINE_AGREEMENT_TOP) & _in_first(z - z.min() + 1.0, 20))
        + COMBINE_COVERAGE_BONUS * r.coverage
    )
    return scores


def _feedback(weight: float, keep: int = 0) -> Variant:
    """Lexical pseudo-relevance feedback (RM3-style): BM25 of the feedback terms (``Raw.feedback_words``,
    the most distinctive words of the chosen blend's first 3 entries) added to the words' scaled BM25
    at ``weight``, then blended again; ``keep`` first entries of the first ranking stay in place."""

    def rank(r: Raw) -> list[int]:
        lexical = r.words / r.words.max() if r.words.max() > 0 else r.words
        extra = r.feedback_words / r.feedback_words.max() if r.feedback_words.max() > 0 else r.feedback_words
        first = _order(_chosen_scores(r), r.admitted)
        second = _order(_chosen_scores(r, lexical + weight * extra), r.admitted)
        head = first[:keep]
        return head + [i for i in second if i not in head]

    return rank


def _finer_meaning(weight: float) -> Variant:
    """The entry's cosine and, at ``weight``, the best of its title's, its summary's and its own, each
    standardised, as the meaning in the chosen blend (static embeddings average the intent away)."""

    def rank(r: Raw) -> list[int]:
        best = np.maximum(np.maximum(r.meaning, r.title_meaning), r.summary_meaning)
        z = standardised(r.meaning.astype(np.float32)) + weight * standardised(best.astype(np.float32))
        meaning = (z - z.mean()) / z.std() * r.meaning.std() + r.meaning.mean()  # back on the cosine scale
        return _order(_chosen_scores(replace(r, meaning=meaning)), r.admitted)

    return rank


def _intent_weights(top: int, power: float, floor: float) -> Variant:
    """Query concepts weighted by how much more often the meaning's first ``top`` entries match them than
    the catalogue does: ((share in top + floor) / (share overall + floor)) ** ``power``."""

    def rank(r: Raw) -> list[int]:
        if not r.concept_words:
            return _order(_chosen_scores(r), r.admitted)
        near = np.argsort(-r.meaning, kind="stable")[:top]
        weights = np.array(
            [
                w * (((a[near] > 0).mean() + floor) / ((a > 0).mean() + floor)) ** power
                for w, a in zip(r.concept_weights, r.concept_words, strict=True)
            ]
        )
        weights *= sum(r.concept_weights) / weights.sum()
        words = sum((w * a for w, a in zip(weights, r.concept_words, strict=True)), np.zeros_like(r.words))
        coverage = sum((w * (a > 0) for w, a in zip(weights, r.concept_words, strict=True)), np.zeros_like(r.words))
        reweighted = replace(r, coverage=coverage / weights.sum())
        return _order(_chosen_scores(reweighted, words), r.admitted)

    return rank


def _protected(words_top: int, meaning_top: int, min_coverage: float, min_z: float) -> Variant:
    """The chosen blend, but its first 10 always hold the words' first ``words_top`` entries that match
    at least ``min_coverage`` of the concepts and the meaning's first ``meaning_top`` with z >= ``min_z``,
    the rest of the 10 by the blend, the 10 in the blend's order."""

    def rank(r: Raw) -> list[int]:
        scores = _chosen_scores(r)
        blend = _order(scores, r.admitted)
        z = standardised(r.meaning.astype(np.float32))
        kept = [i for i in _order(r.words, r.words > 0)[:words_top] if r.coverage[i] >= min_coverage]
        kept += [i for i in _order(r.meaning, r.admitted)[:meaning_top] if z[i] >= min_z and i not in kept]
        rest = [i for i in blend if i not in kept]
        first = sorted(kept + rest[: max(0, K - len(kept))], key=lambda i: -scores[i])
        return first + rest[max(0, K - len(kept)) :]

    return rank


def _label_vote(labels: Sequence[npt.NDArray[np.int32]], voters: int, bonus: float) -> Variant:
    """The chosen blend's first ``voters`` vote on each kind of label (task, modality) by their score;
    an entry gains ``bonus`` x its labels' shares (``with_label_vote`` at other settings)."""

    def rank(r: Raw) -> list[int]:
        scores = _chosen_scores(r) / (1 + COMBINE_AGREEMENT_BONUS + COMBINE_COVERAGE_BONUS)  # as combine_scores
        candidates = np.flatnonzero(r.admitted).astype(np.int32)
        return _order(with_label_vote(scores, candidates, labels, voters, bonus), r.admitted)

    return rank


def _calibrated(
    labels: Sequence[npt.NDArray[np.int32]],
    z_scale: float = 0.0,
    best_of: float = 0.0,
    meaning_only_penalty: float = 0.0,
) -> Variant:
    """Fifth round, each a change to the blend (meaning over its best z) before its label vote: the meaning scaled
    by a fixed ``z_scale`` instead of its best z (a query whose best match barely stands out then weighs less),
    ``best_of``
    x the larger of the two scaled scores added (CombMAX: a first place in either method counts), or
    ``meaning_only_penalty`` off entries that no word of the query matches."""

    def rank(r: Raw) -> list[int]:
        lexical = r.words / r.words.max() if r.words.max() > 0 else r.words
        z = standardised(r.meaning.astype(np.float32))
        near = np.minimum(z / (z_scale or z.max()), 1.0)
        scores = (
            (1 - COMBINE_MEANING_WEIGHT) * lexical
            + COMBINE_MEANING_WEIGHT * near
            + best_of * np.maximum(lexical, near)
            + COMBINE_AGREEMENT_BONUS * (_in_first(r.words, COMBINE_AGREEMENT_TOP) & _in_first(z - z.min() + 1.0, 20))
            + COMBINE_COVERAGE_BONUS * r.coverage
            - meaning_only_penalty * (r.words <= 0)
        ) / (1 + COMBINE_AGREEMENT_BONUS + COMBINE_COVERAGE_BONUS)
        candidates = np.flatnonzero(r.admitted).astype(np.int32)
        voted = with_label_vote(scores, candidates, labels, COMBINE_LABEL_VOTERS, COMBINE_LABEL_BONUS)
        return _order(voted, r.admitted)

    return rank


def _variants(index: ReferenceIndex) -> dict[str, Variant]:
    task, modality = index._task_codes, index._modality_codes
    return {
        **VARIANTS,
        # Fourth round, after the pooled judging: the blend's first entries vote on the catalogue's labels.
        "chosen blend + task vote 0.1 (10 voters)": _label_vote([task], 10, 0.1),
        "chosen blend + task and modality vote 0.2 each (10 voters)": _label_vote([task, modality], 10, 0.2),
        "chosen blend + task and modality vote 0.1 each (5 voters)": _label_vote([task, modality], 5, 0.1),
        "chosen blend + task and modality vote 0.1 each (20 voters)": _label_vote([task, modality], 20, 0.1),
        "chosen blend + task and modality vote 0.1 each (10 voters)": _label_vote([task, modality], 10, 0.1),
        "chosen blend + task and modality vote 0.05 each (10 voters): chosen": _label_vote(
            [task, modality], COMBINE_LABEL_VOTERS, COMBINE_LABEL_BONUS
        ),
        # Fifth round (after the named problems): the meaning scaled by a fixed z instead of its best z, and two
        # other changes to the blend before its vote; z / 7.5 is the search's blend now.
        "fifth round: meaning scaled by its best z (the blend until then)": _calibrated([task, modality]),
        **{
            f"fifth round, meaning scaled by z / {scale:g}"
            + (": chosen" if scale == COMBINE_MEANING_Z_SCALE else ""): (_calibrated([task, modality], z_scale=scale))
            for scale in (4.0, 6.0, 6.5, 7.0, 7.5, 8.0, 9.0, 10.0)
        },
        "fifth round, best-z blend + 0.2 x the better of the two scaled scores": _calibrated(
            [task, modality], best_of=0.2
        ),
        "fifth round, best-z blend - 0.1 for an entry no query word matches": _calibrated(
            [task, modality], meaning_only_penalty=0.1
        ),
    }


VARIANTS: dict[str, Variant] = {
    "plain RRF (k 60, equal weights)": _rrf(60, 0.5),
    "RRF k 20, equal weights": _rrf(20, 0.5),
    "RRF k 10, meaning 0.6": _rrf(10, 0.6),
    "words first, meaning fills the rest": _fill,
    "interleave words and meaning": _interleave,
    **{f"z-score blend, meaning {w}": _blend(w) for w in (0.5, 0.6, 0.7, 0.8)},
    "z-score blend 0.7 + agreement 0.1": _blend(0.7, agreement=0.1),
    "z-score blend 0.7 + coverage 0.1": _blend(0.7, coverage=0.1),
    "z-score blend 0.7 + agreement 0.05 + coverage 0.1": _blend(0.7, agreement=0.05, coverage=0.1),
    "z-score blend 0.6 + agreement 0.1 + coverage 0.1": _blend(0.6, agreement=0.1, coverage=0.1),
    "z-score blend 0.7 + agreement 0.1 + coverage 0.1 (the chosen blend)": _blend(0.7, agreement=0.1, coverage=0.1),
    # Third round, each on top of the chosen blend; the best setting of each idea on the tuning half.
    "chosen + word feedback (first 3 entries, 5 terms, weight 0.1)": _feedback(0.1),
    "chosen + word feedback 0.3, the first 3 results kept": _feedback(0.3, keep=3),
    "chosen, meaning + 0.5 x best of entry/title/summary cosine": _finer_meaning(0.5),
    "chosen, meaning + 1.0 x best of entry/title/summary cosine": _finer_meaning(1.0),
    "chosen, concepts weighted by the meaning's first 50 (power 0.25)": _intent_weights(50, 0.25, 0.2),
    "chosen, concepts weighted by the meaning's first 100 (power 0.25)": _intent_weights(100, 0.25, 0.2),
    "chosen, first 10 keep the meaning's first 3 (z >= 2.5)": _protected(0, 3, 1.0, 2.5),
    "chosen, first 10 keep words' first 2 (coverage >= 0.6) and meaning's first 3": _protected(2, 3, 0.6, 2.5),
}


FEEDBACK_ENTRIES = 3  # pseudo-relevance feedback: the chosen blend's first entries read
FEEDBACK_TERMS = 5  # their most distinctive words added
FEEDBACK_MAX_SHARE = 0.2  # words in more than this share of the entries are not distinctive


def _entry_words(index: ReferenceIndex) -> list[list[tuple[str, float]]]:
    """Per entry, its words with their BM25 weight (tf x idf), from the index's postings."""
    words: list[list[tuple[str, float]]] = [[] for _ in range(len(index))]
    for word, (ids, weights) in index._postings.items():
        for i, w in zip(ids.tolist(), weights.tolist(), strict=True):
            words[i].append((word, w))
    return words


def _concept_scores(index: ReferenceIndex, terms: Sequence[_QueryTerm]) -> tuple[FloatArray, ...]:
    """BM25 of each query concept alone, as ``ReferenceIndex._scores_and_coverage`` sums them."""
    out = []
    for term in terms:
        best = np.zeros(len(index))
        for phrase in term.alternatives:
            phrase_score = sum((index._word_scores(e) for e in phrase), np.zeros(len(index))) / len(phrase)
            np.maximum(best, phrase_score, out=best)
        out.append(best)
    return tuple(out)


def raw_evidence(index: ReferenceIndex, queries: Sequence[JudgedQuery]) -> dict[str, Raw]:
    raw = {}
    embedder = index._embedder
    assert embedder is not None
    titles = _unit_rows(embedder.embed([r.title for r in index.references]))
    summaries = _unit_rows(embedder.embed([r.summary or r.title for r in index.references]))
    entry_words = _entry_words(index)
    entries_with = {word: len(ids) for word, (ids, _) in index._postings.items()}
    for q in queries:
        terms = index._query_terms(q.query)
        if terms:
            words, coverage = index._scores_and_coverage(terms)
        else:
            words = coverage = np.zeros(len(index))
        meaning = index.meaning_scores(index.with_named_concepts(q.query))  # as the combined search reads it
        assert meaning is not None
        speaks = any(word in index._postings for word in tokenize(q.query))
        admitted = (words > 0) | ((standardised(meaning) >= SEMANTIC_MIN_Z) & speaks)
        query_vector = embed_query(embedder, q.query)
        concepts = _concept_scores(index, terms)
        raw[q.query_id] = Raw(
            words,
            meaning.astype(np.float64),
            coverage,
            admitted,
            (titles @ query_vector).astype(np.float64),
            (summaries @ query_vector).astype(np.float64),
            concepts,
            tuple(t.weight for t in terms),
            np.zeros(len(index)),
        )
        # Feedback terms: the words of the chosen blend's first entries, by summed BM25 weight, not the
        # query's own, not in more than a fifth of the catalogue, not in one entry only.
        own = {w for t in terms for w in t.words()}
        gathered: dict[str, float] = {}
        for i in _order(_chosen_scores(raw[q.query_id]), admitted)[:FEEDBACK_ENTRIES]:
            for word, weight in entry_words[i]:
                if word not in own and 2 <= entries_with[word] <= FEEDBACK_MAX_SHARE * len(index):
                    gathered[word] = gathered.get(word, 0.0) + weight
        chosen = sorted(gathered.items(), key=lambda item: (-item[1], item[0]))[:FEEDBACK_TERMS]
        feedback = np.zeros(len(index))
        total = sum(weight for _, weight in chosen)
        for word, weight in chosen:
            ids, weights = index._postings[word]
            feedback[ids] += weight / total * weights
        raw[q.query_id] = replace(raw[q.query_id], feedback_words=feedback)
    return raw


def industries_meeting(
    queries: Sequence[JudgedQuery], results: Mapping[str, Mapping[str, Scores]], candidate: Mapping[str, Scores]
) -> int:
    """Industries where ``candidate`` is at least as good as the better single method in both measures."""
    met = 0
    for industry in INDUSTRIES:
        subset = [q.query_id for q in queries if q.industry == industry]
        if not subset:
            continue
        lex, sem, cand = (
            mean([scores[i] for i in subset]) for scores in (results["lexical"], results["semantic"], candidate)
        )
        met += cand.recall >= max(lex.recall, sem.recall) - 1e-9 and cand.mrr >= max(lex.mrr, sem.mrr) - 1e-9
    return met


BOOTSTRAP_DRAWS = 4_000


def shortfall_intervals(
    queries: Sequence[JudgedQuery], results: Mapping[str, Mapping[str, Scores]], seed: int = 0
) -> list[tuple[str, str, str, float, float, float]]:
    """Where combined trails a single method in an industry: (industry, measure, method, mean difference,
    low, high), the difference combined - method over the industry's queries with its 95 % paired bootstrap
    interval (queries resampled with replacement). An interval that reaches 0 is a shortfall the industry's
    queries (11 to 16 in the default set) cannot tell from noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for industry in INDUSTRIES:
        subset = [q.query_id for q in queries if q.industry == industry]
        for measure in ("recall", "mrr"):
            for method in ("lexical", "semantic"):
                diffs = np.array(
                    [getattr(results["combined"][i], measure) - getattr(results[method][i], measure) for i in subset]
                )
                if not len(diffs) or diffs.mean() >= 0:
                    continue
                draws = rng.choice(diffs, size=(BOOTSTRAP_DRAWS, len(diffs))).mean(axis=1)
                low, high = np.percentile(draws, [2.5, 97.5])
                rows.append((industry, measure, method, float(diffs.mean()), float(low), float(high)))
    return rows


def variant_table(
    index: ReferenceIndex, queries: Sequence[JudgedQuery], results: Mapping[str, Mapping[str, Scores]]
) -> list[str]:
    ids = [r.id for r in index.references]
    raw = raw_evidence(index, queries)
    lines = [
        "| variant | tuning half R@10 / MRR (industries) | check half R@10 / MRR (industries) "
        "| all R@10 / MRR (industries) |",
        "| --- | ---: | ---: | ---: |",
    ]
    rows = {
        name: {q.query_id: score_ranking([ids[i] for i in rank(raw[q.query_id])], q.relevant) for q in queries}
        for name, rank in _variants(index).items()
    }
    # Not a method: per query, whichever single method did better (recall, then MRR). A gate that
    # always chose right could do no better than this without finding entries neither method ranks.
    rows["oracle: the better single method per query (not a method)"] = {
        q.query_id: max(
            results["lexical"][q.query_id], results["semantic"][q.query_id], key=lambda s: (s.recall, s.mrr)
        )
        for q in queries
    }
    for name, scored in rows.items():
        cells = []
        for subset in ([q for q in queries if q.tuning_half], [q for q in queries if not q.tuning_half], list(queries)):
            m = mean([scored[q.query_id] for q in subset])
            cells.append(f"{m.recall:.3f} / {m.mrr:.3f} ({industries_meeting(subset, results, scored)})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def main(argv: Sequence[str] = ()) -> int:
    """``argv``: optionally another judged set in the same columns (bench/data/reference_queries_fresh.csv, never
    used to choose anything); its report leaves out the variants, which were chosen on the default set."""
    path = Path(argv[0]) if argv else QUERIES
    embedder = bundled_model()
    if embedder is None:
        print(model_problem(), file=sys.stderr)
        return 2
    with CATALOGUE.open(encoding="utf-8", newline="") as f:
        index = build_index(load_references(csv.DictReader(f)), embedder=embedder)
    queries = read_queries(path)
    results = {
        m: {q.query_id: score_ranking(rank_with(index, m)(q.query), q.relevant) for q in queries} for m in METHODS
    }
    print(f"Reference search quality: {len(queries)} judged queries ({path.name}), {len(index)} entries.\n")
    print(
        f"Model: {MODEL_NAME}; combined = the meaning of the query with the problems its synonym phrases "
        f"name spelled out (``with_named_concepts``), z-score blend (z / {COMBINE_MEANING_Z_SCALE}), meaning weight "
        f"{COMBINE_MEANING_WEIGHT}, "
        f"+ {COMBINE_AGREEMENT_BONUS} agreement (both methods' first {COMBINE_AGREEMENT_TOP}) "
        f"+ {COMBINE_COVERAGE_BONUS} coverage (share of the query's concepts matched), then the first "
        f"{COMBINE_LABEL_VOTERS} vote on task and modality (+ {COMBINE_LABEL_BONUS} x each label's share).\n"
    )
    print("| method | recall@10 | MRR@10 | hit@10 | tuning half R@10 / MRR | check half R@10 / MRR |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for m in METHODS:
        overall = mean(list(results[m].values()))
        halves = [mean([results[m][q.query_id] for q in queries if q.tuning_half == t]) for t in (True, False)]
        print(
            f"| {m} | {overall.recall:.3f} | {overall.mrr:.3f} | {overall.hit:.3f} | "
            f"{halves[0].recall:.3f} / {halves[0].mrr:.3f} | {halves[1].recall:.3f} / {halves[1].mrr:.3f} |"
        )
    print("\nPer industry (recall@10 / MRR@10; **bold** where combined is below the better single method):\n")
    print(
        "| industry | lexical | semantic | combined | tuning half: lexical | semantic | combined "
        "| check half: lexical | semantic | combined |"
    )
    print("| --- " + "| ---: " * 9 + "|")
    below = 0
    for industry in INDUSTRIES:
        cells = []
        for half in (None, True, False):
            subset = [q.query_id for q in queries if q.industry == industry and half in (None, q.tuning_half)]
            if not subset:  # another judged set may leave a half of an industry empty
                cells.extend(["-"] * len(METHODS))
                continue
            per = {m: mean([results[m][i] for i in subset]) for m in METHODS}
            best_r = max(per["lexical"].recall, per["semantic"].recall)
            best_m = max(per["lexical"].mrr, per["semantic"].mrr)
            worse = per["combined"].recall < best_r - 1e-9 or per["combined"].mrr < best_m - 1e-9
            if half is None:
                below += worse
            three = [f"{per[m].recall:.2f} / {per[m].mrr:.2f}" for m in METHODS]
            if worse:
                three[2] = f"**{three[2]}**"
            cells.extend(three)
        print(f"| {industry} | " + " | ".join(cells) + " |")
    industries = len({q.industry for q in queries})
    met_halves = [
        industries_meeting([q for q in queries if q.tuning_half == t], results, results["combined"])
        for t in (True, False)
    ]
    print(
        f"\nCombined is at least as good as the better single method in {industries - below} "
        f"of {industries} industries ({len(queries) / industries:.3g} queries each); on the odd-numbered "
        f"half alone (the tuning half of the default set) in {met_halves[0]}, on the even-numbered half in "
        f"{met_halves[1]}.\n"
    )
    shortfalls = shortfall_intervals(queries, results)
    print(
        "Where combined trails a single method, the mean per-query difference (combined - method) and its 95 % "
        "paired bootstrap interval:\n"
    )
    print("| industry | queries | measure | method | difference | 95 % interval |")
    print("| --- | ---: | --- | --- | ---: | --- |")
    per_industry = Counter(q.industry for q in queries)
    for industry, measure, method, diff, low, high in shortfalls:
        print(
            f"| {industry} | {per_industry[industry]} | {measure} | {method} | {diff:+.3f} | "
            f"{low:+.3f} to {high:+.3f} |"
        )
    beyond = sum(high < 0 for *_, high in shortfalls)
    print(
        f"\n{len(shortfalls)} shortfalls; {beyond} of them beyond the noise (interval below 0; with one or two "
        "queries an industry's interval says nothing).\n"
    )
    if path == QUERIES:
        print("### Combinations tried (same scores; in brackets the industries meeting the line)\n")
        print("\n".join(variant_table(index, queries, results)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
