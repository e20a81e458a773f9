"""Benchmark: published figures outside the shared calibration set, judged by the estimator.

Run: ``.venv/bin/python -m bench.bench_published_outside`` (``--csv PATH`` to judge another file).

``bench/data/published_outside.csv`` holds published benchmark figures collected independently of
``../shared/calibration/published_figures.csv``: the same kinds (throughput, memory, fit) and the same
families of sources (TensorRT-LLM's performance tables, the llama.cpp GPU benchmarks, MosaicML
llm-foundry, NVIDIA DeepLearningExamples, timm's benchmark CSVs, the Llama 3.1 memory table), but rows
the shared set does not contain, in its columns and conventions. Each row is judged by
``core.resources.published`` (``load_published_figures``, ``check_figure``, ``comparison_table``), the
same code that judges the shared set, so this is an outside check of whether the estimator generalises,
not something to tune it against.

Prints Markdown: the tally by kind and by source family, the misses, and the full comparison table.
Not a test: misses are findings, not failures (the command exits 0 whatever the tally).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

# Run as a script from anywhere: make the repository root importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.resources.published import (
    PublishedCheck,
    PublishedFigure,
    check_figure,
    comparison_table,
    load_published_figures,
)

OUTSIDE_PATH = Path(__file__).resolve().parent / "data" / "published_outside.csv"

# Source family by a piece of the source URL (first match wins).
FAMILIES = (
    # Today's engine (v1.0 docs, PyTorch backend, in-flight batching) apart from the v0.5-v0.8 tables.
    ("TensorRT-LLM/blob/00f37686", "TensorRT-LLM 1.0"),
    ("TensorRT-LLM", "TensorRT-LLM"),
    ("GPU-Benchmarks-on-LLM-Inference", "llama.cpp"),
    ("llm-foundry", "llm-foundry"),
    ("DeepLearningExamples", "DeepLearningExamples"),
    ("pytorch-image-models", "timm"),
    ("llama-31", "Llama 3.1 memory table"),
)


def source_family(figure: PublishedFigure) -> str:
    """The family of sources a row comes from (TensorRT-LLM splits into throughput and first-token latency)."""
    for needle, family in FAMILIES:
        if needle in figure.source:
            if family == "TensorRT-LLM" and figure.result_path.endswith("time_to_first_token_s"):
                return "TensorRT-LLM (first token)"
            return family
    return "other"


def tally(checks: Iterable[PublishedCheck], key: str) -> list[tuple[str, int, int]]:
    """(group, holds, misses) per kind or per source family, in first-seen order."""
    holds: Counter[str] = Counter()
    misses: Counter[str] = Counter()
    order: list[str] = []
    for check in checks:
        group = check.figure.kind if key == "kind" else source_family(check.figure)
        if group not in order:
            order.append(group)
        (holds if check.holds else misses)[group] += 1
    return [(group, holds[group], misses[group]) for group in order]


def _cell(value: float | None) -> str:
    return "" if value is None else f"{value:,.4g}"


def report(checks: list[PublishedCheck], path: Path) -> str:
    held = sum(c.holds for c in checks)
    lines = [
        f"{len(checks)} published figures from `{path.name}` judged by `core.resources.published`: "
        f"{held} hold, {len(checks) - held} miss.",
        "",
    ]
    for key, title in (("kind", "kind"), ("family", "source family")):
        lines += [f"| {title} | rows | hold | miss |", "| --- | ---: | ---: | ---: |"]
        for group, holds, misses in tally(checks, key):
            lines.append(f"| {group} | {holds + misses} | {holds} | {misses} |")
        lines.append("")
    missed = [c for c in checks if not c.holds]
    if missed:
        lines += [
            "Misses:",
            "",
            "| id | published | low | expected | high | reason |",
            "| --- | ---: | ---: | ---: | ---: | --- |",
        ]
        for c in missed:
            published = (
                f"expect {'runs' if c.figure.expect_runs else 'OOM'}"
                if c.figure.kind == "fit"
                else _cell(c.figure.published)
            )
            lines.append(
                f"| {c.figure.id} | {published} | {_cell(c.low)} | {_cell(c.expected)} | {_cell(c.high)} | {c.reason} |"
            )
        lines.append("")
    lines += ["```", comparison_table(checks), "```"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=OUTSIDE_PATH, help="published figures to judge")
    args = parser.parse_args(argv)
    checks = [check_figure(figure) for figure in load_published_figures(args.csv)]
    print(report(checks, args.csv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
