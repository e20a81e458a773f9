"""The README's rules for a published figure, applied to hand-made estimates (no ../shared needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.resources.published import (
    AccuracyRow,
    PublishedFigure,
    accuracy_for,
    check_figure,
    judge,
    load_accuracy,
)


def _figure(kind: str, published: float | None = None, **kw: Any) -> PublishedFigure:
    values: dict[str, Any] = {
        "id": "x",
        "kind": kind,
        "published": published,
        "unit_or_field": "",
        "tolerance": None,
        "expect_runs": None,
        "estimate_args": "--arch gpt2 --mode inference --engine vllm --json",
        "result_path": "throughput",
        "source": "",
        "note": "",
    }
    values.update(kw)
    return PublishedFigure(**values)


def _band(low: float, expected: float, high: float) -> dict[str, Any]:
    return {"throughput": {"low": low, "expected": expected, "high": high}}


@pytest.mark.parametrize(
    ("published", "band", "holds"),
    [
        (100.0, (80.0, 100.0, 120.0), True),
        (80.0, (80.0, 100.0, 120.0), True),  # the band's edges count as inside
        (79.0, (80.0, 100.0, 120.0), False),
        (121.0, (80.0, 100.0, 120.0), False),
        (100.0, (30.0, 100.0, 91.0), False),  # inside, but 3.03x wide: not an answer
        (50.0, (25.0, 50.0, 75.0), True),  # exactly 3x
    ],
)
def test_throughput_rule(published: float, band: tuple[float, float, float], holds: bool) -> None:
    assert judge(_figure("throughput", published), _band(*band)).holds is holds


@pytest.mark.parametrize(
    ("estimated", "tolerance", "holds"),
    [(110.0, 0.1, True), (90.0, 0.1, True), (111.0, 0.1, False), (84.0, 0.15, False), (86.0, 0.15, True)],
)
def test_memory_rule(estimated: float, tolerance: float, holds: bool) -> None:
    figure = _figure("memory", 100.0, unit_or_field="device_bytes", tolerance=tolerance)
    assert judge(figure, {"device_bytes": estimated}).holds is holds


@pytest.mark.parametrize(
    ("expect_runs", "fit", "holds"),
    [
        (True, "fits", True),
        (True, "tight", True),
        (True, "does not fit", False),
        (False, "does not fit", True),
        (False, "tight", False),
        (False, "fits", False),
    ],
)
def test_fit_rule(expect_runs: bool, fit: str, holds: bool) -> None:
    assert judge(_figure("fit", expect_runs=expect_runs), {"fit": fit}).holds is holds


def test_a_refused_estimate_does_not_hold_and_keeps_the_sentence() -> None:
    def refuse(_: PublishedFigure) -> dict[str, Any]:
        raise ValueError("The T4 has no bf16 arithmetic.")

    check = check_figure(_figure("throughput", 1.0), refuse)
    assert not check.holds and "bf16" in check.reason


def test_a_missing_result_path_does_not_hold() -> None:
    check = check_figure(_figure("throughput", 1.0, result_path="throughput.phases.decode"), lambda _: _band(1, 1, 1))
    assert not check.holds and "phases" in check.reason


@pytest.mark.parametrize(
    ("args", "engine"),
    [("--arch x --engine vllm", "vllm"), ("--arch x", "pytorch"), ("--engine llama.cpp", "llama.cpp")],
)
def test_engine_of_a_row(args: str, engine: str) -> None:
    assert _figure("fit", estimate_args=args).engine == engine


def _row(id_: str, engine: str, family: str) -> AccuracyRow:
    return AccuracyRow(id_, "fit", engine, family, None, "", None, None, None, "fits", None, True, "", "")


ROWS = [_row("a", "vllm", "decoder"), _row("b", "pytorch", "cnn"), _row("c", "pytorch", "decoder")]


@pytest.mark.parametrize(
    ("engine", "family", "ids"),
    [
        ("pytorch", "cnn", ["b"]),  # the stack and the family
        ("pytorch", "vit", ["b", "c"]),  # the stack's rows when the family has none
        ("sglang", "decoder", ["a", "b", "c"]),  # everything when the stack has none
    ],
)
def test_the_trust_panel_shows_the_chosen_stack_and_family(engine: str, family: str, ids: list[str]) -> None:
    assert [r.id for r in accuracy_for(ROWS, engine, family)] == ids


def test_the_committed_trust_table_loads(tmp_path: Path) -> None:
    rows = load_accuracy()
    assert rows and all(r.source.startswith("http") for r in rows)
    assert load_accuracy(tmp_path / "missing.csv") == []
