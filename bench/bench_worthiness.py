"""Benchmark: ranking plus a 2,000-draw weight sensitivity for 20 candidates (target <= 50 ms).

Run: ``.venv/bin/python bench/bench_worthiness.py`` (add ``--runs N`` to change the repetitions).

What one run times, as the /worthiness page does after a widget changes:
weighted-sum ranking, TOPSIS ranking, their agreement, 2,000-draw Monte Carlo
sensitivity (±20 %) and the exact single-weight thresholds, for 20 candidates
scored by 3 raters (aggregated first). The figure reported is the median of 30
runs measured with time.perf_counter after one warm-up run. A second line times
``evaluate`` on a full 20-candidate section (everything the page shows).

Recorded figures (2-core shared development machine, load average ~1.3, Python 3.11,
numpy 2.4.6; two consecutive invocations):
    ranking + sensitivity + thresholds: median 2.7-3.1 ms (min 2.6 ms, max 4.2 ms) over 30 runs
    evaluate (whole page):              median 5.9-8.9 ms over 30 runs
This is not a timed test; the numbers vary with the machine's load.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Run as a script from anywhere: make the repository root importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.worthiness import (
    CRITERION_KEYS,
    Candidate,
    RaterScores,
    Scores,
    Weights,
    WorthinessSection,
    aggregate_scores,
    evaluate,
    methods_agree,
    rank_topsis,
    rank_weighted_sum,
    sensitivity,
    smallest_single_weight_change,
)

CANDIDATES = 20
RATERS = 3
DRAWS = 2_000
TARGET_MS = 50.0


def build_section(seed: int = 0) -> WorthinessSection:
    generator = random.Random(seed)
    candidates = tuple(
        Candidate(id=f"c{index:02d}", name=f"Candidate {index}", acceptable_error_rate=0.1)
        for index in range(CANDIDATES)
    )
    by_rater = {
        f"Rater {rater}": {
            candidate.id: Scores(**{key: generator.randint(1, 5) for key in CRITERION_KEYS}) for candidate in candidates
        }
        for rater in range(RATERS)
    }
    weights = Weights(**{key: generator.uniform(0.5, 2.0) for key in CRITERION_KEYS})
    return WorthinessSection(candidates=candidates, rater_scores=RaterScores(by_rater), weights=weights)


def time_ms(work: Callable[[], object], runs: int) -> list[float]:
    work()  # warm-up: imports and numpy first-call costs
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append((time.perf_counter() - start) * 1_000)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    section = build_section()
    scores = aggregate_scores(section.rater_scores, "mean")

    def ranking_and_sensitivity() -> None:
        weighted = rank_weighted_sum(scores, section.weights)
        topsis = rank_topsis(scores, section.weights)
        methods_agree(weighted, topsis)
        sensitivity(scores, section.weights, draws=DRAWS, spread=0.20, seed=0)
        smallest_single_weight_change(scores, section.weights)

    core = time_ms(ranking_and_sensitivity, args.runs)
    whole = time_ms(lambda: evaluate(section), args.runs)
    median = statistics.median(core)
    print(f"{CANDIDATES} candidates, {DRAWS:,} draws, {args.runs} runs (time.perf_counter)")
    print(
        f"ranking + sensitivity + thresholds: median {median:.1f} ms (min {min(core):.1f} ms, "
        f"max {max(core):.1f} ms); target <= {TARGET_MS:.0f} ms: {'met' if median <= TARGET_MS else 'MISSED'}"
    )
    print(
        f"evaluate (whole page):              median {statistics.median(whole):.1f} ms "
        f"(min {min(whole):.1f} ms, max {max(whole):.1f} ms)"
    )
    return 0 if median <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
