"""bench/data/published_outside.csv parses and every row's arguments are accepted by the CLI.

Only the file's shape is checked here: whether the estimator's answers hold is a finding reported by
``python -m bench.bench_published_outside`` (docs/benchmarks.md), never a failing test.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from core.__main__ import build_parser
from core.resources.published import estimate_for, load_published_figures

OUTSIDE = Path(__file__).resolve().parents[1] / "bench" / "data" / "published_outside.csv"


def test_outside_figures_parse_and_the_cli_accepts_every_row():
    figures = load_published_figures(OUTSIDE)
    assert len(figures) >= 25
    assert len({f.id for f in figures}) == len(figures)
    parser = build_parser()
    for figure in figures:
        assert figure.source.startswith("https://"), figure.id
        if figure.kind in ("throughput", "memory"):
            assert figure.published is not None, figure.id
        else:
            assert figure.expect_runs is not None, figure.id
        args = parser.parse_args(["estimate", *shlex.split(figure.estimate_args)])
        assert args.json, figure.id
        # Accepted means answered: the GPU and architecture keys exist, the flags combine (no refusal).
        assert estimate_for(figure)["workload"], figure.id
