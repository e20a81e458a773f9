"""Reference search latency: median time per query on the catalogue and on 10,000 entries.

Run with ``python -m bench.bench_references`` (or ``make bench``); prints Markdown. The target is
20 ms per query on 10,000 entries, for the page's search (words and meaning combined: the bundled
embedding model embeds the query, then one matrix product against the entries' vectors, computed
once when the first search needs them); the words-only search is measured beside it.
The 10,000-entry catalogue is synthesised from the real one:
copies get new ids and URLs and perturbed titles (one word dropped, words swapped, a typo added),
so the vocabulary grows the way a larger catalogue's would instead of repeating exactly.
"""

from __future__ import annotations

import csv
import random
import statistics
import string
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from core.references import Reference, ReferenceIndex, build_index, load_references, similar_references
from core.references.semantic import BundledModel

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "data" / "references.csv"
REPEATS = 15  # each query; the median hides the shared machine's hiccups

_rng = random.Random(1)
# Worst case for the typo look-up: every word unknown to the catalogue.
RANDOM_WORDS = " ".join(
    "".join(_rng.choice(string.ascii_lowercase) for _ in range(_rng.randint(4, 10))) for _ in range(700)
)[:5000]

QUERIES = [
    "predict when the food delivery arrives",
    "recomend products to shopers",
    "detect fraudulent card payments",
    "customer churn telecom",
    "defect inspection on a production line",
    "forcast demand for groceries",
    "LLM that answers questions from internal documents",
    "search ranking for an online marketplace",
    "ETA",
    "fraud",
    "'; DROP TABLE x; --",
    "x" * 5000,
    RANDOM_WORDS,
]


def perturb(title: str, rng: random.Random) -> str:
    words = title.split()
    if len(words) > 3:
        del words[rng.randrange(len(words))]
    if len(words) > 2:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    i = rng.randrange(len(words))
    word = words[i]
    if len(word) > 4:
        j = rng.randrange(1, len(word) - 1)
        words[i] = word[:j] + word[j + 1 :] if rng.random() < 0.5 else word[:j] + word[j] + word[j:]
    return " ".join(words)


def synthesise(references: list[Reference], size: int, seed: int = 7) -> list[Reference]:
    rng = random.Random(seed)
    out = list(references)
    copy = 0
    while len(out) < size:
        copy += 1
        for ref in references:
            if len(out) >= size:
                break
            out.append(
                replace(
                    ref,
                    id=f"{ref.id}-{copy}",
                    title=perturb(ref.title, rng),
                    source_url=f"{ref.source_url}#copy{copy}",
                )
            )
    return out


def median_ms(action: Callable[[], object], repeats: int = REPEATS) -> float:
    action()  # warm caches (typo look-up tables) as a page serving many users would be
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(index: ReferenceIndex, method: str) -> dict[str, float]:
    figures = {q: median_ms(lambda q=q: index.search(q, method=method)) for q in QUERIES}  # type: ignore[arg-type]
    figures["filtered, empty query"] = median_ms(lambda: index.search("", industry="delivery & mobility"))
    figures["similar_references"] = median_ms(
        lambda: similar_references(
            index,
            industry="delivery & mobility",
            modality="tabular",
            problem_statement="Customers want to know when their order arrives; estimate delivery time.",
        )
    )
    return figures


def main() -> None:
    with CATALOGUE.open(encoding="utf-8", newline="") as f:
        catalogue = load_references(csv.DictReader(f))
    sizes = {"catalogue": catalogue, "10,000": synthesise(catalogue, 10_000)}
    methods = ("lexical", "combined")
    results: dict[tuple[str, str], dict[str, float]] = {}
    build_ms: dict[str, float] = {}
    vectors_ms: dict[str, float] = {}
    model = BundledModel()
    model.embed(["warm up"])  # load the model once, as the first search of a process would
    for name, refs in sizes.items():
        build_ms[name] = median_ms(lambda refs=refs: build_index(refs), repeats=3)
        index = build_index(refs, embedder=model)
        start = time.perf_counter()
        index.meaning_scores("warm up")  # the entries' vectors, computed on the first search
        vectors_ms[name] = (time.perf_counter() - start) * 1000
        for method in methods:
            results[(name, method)] = measure(index, method)
    n = {name: len(refs) for name, refs in sizes.items()}
    print(f"Median of {REPEATS} runs per query, milliseconds. Target: at most 20 ms per query on 10,000 entries.")
    print("'combined' is the page's search (words and meaning); 'lexical' the words alone.")
    print()
    print(
        f"| query | {n['catalogue']:,} lexical | {n['catalogue']:,} combined | "
        f"{n['10,000']:,} lexical | {n['10,000']:,} combined |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    columns = [(name, method) for name in sizes for method in methods]
    for query in results[columns[0]]:
        label = query if len(query) <= 50 else f"{query[:12]}… ({len(query):,} characters)"
        if query == RANDOM_WORDS:
            label = f"{len(query):,} characters of random words"
        label = label.replace("|", "\\|")
        print(f"| `{label}` | " + " | ".join(f"{results[c][query]:.2f}" for c in columns) + " |")
    for column in columns:
        values = [v for k, v in results[column].items() if k in QUERIES]
        results[column]["__median"] = statistics.median(values)
        results[column]["__max"] = max(values)
    print("| **median over the queries** | " + " | ".join(f"{results[c]['__median']:.2f}" for c in columns) + " |")
    print("| **slowest query** | " + " | ".join(f"{results[c]['__max']:.2f}" for c in columns) + " |")
    print(f"| build_index (once, cached by the page) | {build_ms['catalogue']:.0f} | | {build_ms['10,000']:.0f} | |")
    print(
        f"| entries' vectors (once, on the first search by meaning) | | {vectors_ms['catalogue']:.0f} | | "
        f"{vectors_ms['10,000']:.0f} |"
    )


if __name__ == "__main__":
    main()
