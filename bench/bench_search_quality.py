"""Reference search quality on the judged queries: recall@10 and MRR for words, meaning and both.

Run with ``python -m bench.bench_search_quality``; prints Markdown (docs/benchmarks.md keeps a copy).
The queries (bench/data/reference_queries.csv, 144 of them, 8 per industry) were written and judged
before the search was tuned (q001-q074 in a first round, q075-q144 before the combination was redesigned);
see bench/data/README.md. The combination's weight was chosen on the
odd-numbered queries ("tuning half"); the even-numbered ones ("check half") did not take part.

Metrics, per query, averaged over queries:
- recall@10: judged-relevant entries in the first 10 results / min(10, number judged relevant)
  (capped, so that a query with 28 relevant entries can reach 1);
- MRR@10: 1 / rank of the first relevant result in the first 10, 0 when none;
- hit@10: 1 when any of the first 10 is relevant (what "finds a relevant case" means).

The "variants" table recomputes the alternatives the combination was chosen from, on the same
scores, so the choice can be checked.
"""

from __future__ import annotations

import csv
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from core.references import build_index, load_references
from core.references.index import COMBINE_MEANING_WEIGHT, ReferenceIndex, standardised
from core.references.semantic import MODEL_NAME, bundled_model, model_problem
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


def _order(scores: FloatArray, hit: npt.NDArray[np.bool_]) -> list[int]:
    candidates = np.flatnonzero(hit)
    return [int(i) for i in candidates[np.argsort(-scores[candidates], kind="stable")]]


def _blend(weight: float) -> Callable[[FloatArray, FloatArray], list[int]]:
    def rank(words: FloatArray, meaning: FloatArray) -> list[int]:
        lexical = words / words.max() if words.max() > 0 else words
        z = standardised(meaning.astype(np.float32))
        return _order((1 - weight) * lexical + weight * z / z.max(), np.ones(len(words), dtype=bool))

    return rank


def _rrf(k: int, weight: float) -> Callable[[FloatArray, FloatArray], list[int]]:
    def rank(words: FloatArray, meaning: FloatArray) -> list[int]:
        fused = np.zeros(len(words))
        by_words = _order(words, words > 0)
        by_meaning = _order(meaning, np.ones(len(words), dtype=bool))
        fused[by_words] += (1 - weight) / (k + np.arange(1, len(by_words) + 1))
        fused[by_meaning] += weight / (k + np.arange(1, len(by_meaning) + 1))
        return _order(fused, fused > 0)

    return rank


def _interleave(words: FloatArray, meaning: FloatArray) -> list[int]:
    lists = [_order(words, words > 0)[:K], _order(meaning, np.ones(len(words), dtype=bool))[:K]]
    out: list[int] = []
    for pair in zip(*lists, strict=False):
        out.extend(i for i in pair if i not in out)
    return out


def _fill(words: FloatArray, meaning: FloatArray) -> list[int]:
    out = _order(words, words > 0)[:K]
    return out + [i for i in _order(meaning, np.ones(len(words), dtype=bool)) if i not in out]


VARIANTS: dict[str, Callable[[FloatArray, FloatArray], list[int]]] = {
    "plain RRF (k 60, equal weights)": _rrf(60, 0.5),
    "RRF k 10, meaning 0.6": _rrf(10, 0.6),
    "words first, meaning fills the rest": _fill,
    "interleave words and meaning": _interleave,
    **{f"z-score blend, meaning {w}": _blend(w) for w in (0.5, 0.6, 0.7, 0.8)},
}


def variant_table(index: ReferenceIndex, queries: Sequence[JudgedQuery]) -> list[str]:
    ids = [r.id for r in index.references]
    raw = {}
    for q in queries:
        terms = index._query_terms(q.query)
        words = index._scores(terms) if terms else np.zeros(len(ids))
        meaning = index.meaning_scores(q.query)
        assert meaning is not None
        raw[q.query_id] = (words, meaning.astype(np.float64))
    lines = [
        "| variant | tuning half R@10 | tuning half MRR | check half R@10 | check half MRR |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, rank in VARIANTS.items():
        halves = []
        for tuning in (True, False):
            subset = [q for q in queries if q.tuning_half == tuning]
            halves.append(mean([score_ranking([ids[i] for i in rank(*raw[q.query_id])], q.relevant) for q in subset]))
        lines.append(
            f"| {name} | {halves[0].recall:.3f} | {halves[0].mrr:.3f} | {halves[1].recall:.3f} | {halves[1].mrr:.3f} |"
        )
    return lines


def main() -> int:
    embedder = bundled_model()
    if embedder is None:
        print(model_problem(), file=sys.stderr)
        return 2
    with CATALOGUE.open(encoding="utf-8", newline="") as f:
        index = build_index(load_references(csv.DictReader(f)), embedder=embedder)
    queries = read_queries()
    results = {
        m: {q.query_id: score_ranking(rank_with(index, m)(q.query), q.relevant) for q in queries} for m in METHODS
    }
    print(f"Reference search quality: {len(queries)} judged queries, {len(index)} entries.\n")
    print(f"Model: {MODEL_NAME}; combined = z-score blend, meaning weight {COMBINE_MEANING_WEIGHT}.\n")
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
    print("| industry | queries | lexical | semantic | combined |")
    print("| --- | ---: | ---: | ---: | ---: |")
    below = 0
    for industry in INDUSTRIES:
        subset = [q.query_id for q in queries if q.industry == industry]
        per = {m: mean([results[m][i] for i in subset]) for m in METHODS}
        best_r = max(per["lexical"].recall, per["semantic"].recall)
        best_m = max(per["lexical"].mrr, per["semantic"].mrr)
        worse = per["combined"].recall < best_r - 1e-9 or per["combined"].mrr < best_m - 1e-9
        below += worse
        cells = [f"{per[m].recall:.2f} / {per[m].mrr:.2f}" for m in METHODS]
        if worse:
            cells[2] = f"**{cells[2]}**"
        print(f"| {industry} | {len(subset)} | " + " | ".join(cells) + " |")
    print(
        f"\nCombined is at least as good as the better single method in {len(INDUSTRIES) - below} "
        f"of {len(INDUSTRIES)} industries.\n"
    )
    print("### Combinations tried (same scores)\n")
    print("\n".join(variant_table(index, queries)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
