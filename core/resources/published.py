"""Published figures against the estimator: each row run through ``python -m core estimate`` and judged.

A row of ``published_figures.csv`` (the project's shared calibration set, see its README) is a figure
someone else measured and published, in the terms of the command line: ``estimate_args`` is the
command after ``python -m core estimate`` and ``result_path`` names the part of the JSON the figure is
compared with. Three kinds, each with its own rule:

* ``throughput``: the published figure lies inside the estimate's low-high band at ``result_path``,
  and the band is an answer: high / low at most ``MAX_BAND_RATIO`` (3);
* ``memory``: the estimate's ``peak_bytes`` or ``device_bytes`` within ``tolerance`` (relative) of the
  published bytes;
* ``fit``: the source ran it on that device (``expect_runs`` true), so the answer must not be
  "does not fit"; or it ran out of memory there (false), so it must be.

The same code builds the committed trust table (``data/published_accuracy.csv``) the resources page
reads, so the page's evidence and the test's verdicts never differ.
"""

from __future__ import annotations

import csv
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# A throughput band wider than this (high / low) is not an answer (issue 14).
MAX_BAND_RATIO = 3.0
DEFAULT_PUBLISHED_PATH = Path(__file__).resolve().parents[3] / "shared" / "calibration" / "published_figures.csv"
# The committed table the resources page's trust panel reads (the app may run without ../shared).
ACCURACY_PATH = Path(__file__).resolve().parents[2] / "data" / "published_accuracy.csv"
ACCURACY_COLUMNS = (
    "id",
    "kind",
    "engine",
    "family",
    "published",
    "unit_or_field",
    "low",
    "expected",
    "high",
    "fit",
    "error_pct",
    "holds",
    "reason",
    "source",
    "capacity_bytes",
    "accelerate",
    "gpu_poor",
    "llm_analysis",
)
# llm-analysis's defaults in its own examples: flops efficiency 0.7 for inference and 0.5 for training, HBM
# efficiency 0.9 (github.com/cli99/llm-analysis, examples/llama/outputs_*: "fe0.7-hbme0.9", "fe0.5-hbme0.9").
LLM_ANALYSIS_INFERENCE_FLOPS_EFFICIENCY = 0.7
LLM_ANALYSIS_TRAINING_FLOPS_EFFICIENCY = 0.5
LLM_ANALYSIS_HBM_EFFICIENCY = 0.9
# gpu_poor's README breakdown: model size + KV cache + "cuda + other overhead" (500 MB in its example).
GPU_POOR_OVERHEAD_BYTES = 500 * 2**20
KINDS = ("throughput", "memory", "fit")


@dataclass(frozen=True)
class PublishedFigure:
    """One published figure in the command line's terms (see the module docstring for the columns)."""

    id: str
    kind: str
    published: float | None
    unit_or_field: str
    tolerance: float | None
    expect_runs: bool | None
    estimate_args: str
    result_path: str
    source: str
    note: str

    @property
    def engine(self) -> str:
        """The software stack the row names (``--engine``; pytorch when it names none)."""
        words = shlex.split(self.estimate_args)
        return words[words.index("--engine") + 1] if "--engine" in words[:-1] else "pytorch"


@dataclass(frozen=True)
class PublishedCheck:
    """The estimator's answer for one figure and whether it holds.

    ``low``/``expected``/``high``: the band at ``result_path`` (throughput), or the estimated bytes in
    all three (memory); ``fit`` is the estimator's fit word; ``error_pct`` is (expected - published) /
    published in percent where a figure exists; ``reason`` says why a row does not hold ('' when it does).
    """

    figure: PublishedFigure
    holds: bool
    low: float | None
    expected: float | None
    high: float | None
    fit: str | None
    family: str
    error_pct: float | None
    reason: str

    def to_row(self) -> dict[str, Any]:
        f = self.figure
        return {
            "id": f.id,
            "kind": f.kind,
            "engine": f.engine,
            "family": self.family,
            "published": f.published,
            "unit_or_field": f.unit_or_field,
            "low": self.low,
            "expected": self.expected,
            "high": self.high,
            "fit": self.fit,
            "error_pct": None if self.error_pct is None else round(self.error_pct, 1),
            "holds": self.holds,
            "reason": self.reason,
            "source": f.source,
        }


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def _flag(text: str) -> bool | None:
    value = text.strip().lower()
    if not value:
        return None
    if value not in ("true", "false"):
        raise ValueError(f"expect_runs must be True, False or empty; got {text!r}.")
    return value == "true"


def load_published_figures(path: Path = DEFAULT_PUBLISHED_PATH) -> list[PublishedFigure]:
    """Every row of ``published_figures.csv`` (FileNotFoundError when the shared set is absent)."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    figures = []
    for row in rows:
        if row["kind"] not in KINDS:
            raise ValueError(f"Row {row['id']}: kind must be one of {', '.join(KINDS)}; got {row['kind']!r}.")
        figures.append(
            PublishedFigure(
                id=row["id"],
                kind=row["kind"],
                published=_number(row["published"]),
                unit_or_field=row["unit_or_field"],
                tolerance=_number(row["tolerance"]),
                expect_runs=_flag(row["expect_runs"]),
                estimate_args=row["estimate_args"],
                result_path=row["result_path"],
                source=row["source"],
                note=row["note"],
            )
        )
    return figures


def _parsed(figure: PublishedFigure) -> Any:
    from core.__main__ import build_parser

    return build_parser().parse_args(["estimate", *shlex.split(figure.estimate_args)])


def other_tools(figure: PublishedFigure) -> dict[str, float | None]:
    """What three public estimators would say for the row (None where a tool has no answer).

    * accelerate: ``accelerate estimate-memory`` (core.resources.calibration.accelerate_estimate_bytes);
    * gpu_poor: its README's inference breakdown, weights + a 16-bit KV cache + 500 MB overhead;
    * llm-analysis: its roofline with its example defaults (flops efficiency 0.7 inference / 0.5 training,
      HBM efficiency 0.9) at the figure's ``result_path``; transformers only.
    """
    from core.resources.accelerators import Accelerator
    from core.resources.calibration import accelerate_estimate_bytes
    from core.resources.cli import _accelerator, _architecture, build_workload
    from core.resources.speed import compute_dtype

    out: dict[str, float | None] = {"capacity_bytes": None, "accelerate": None, "gpu_poor": None, "llm_analysis": None}
    try:
        args = _parsed(figure)
        arch = _architecture(args)
        workload = build_workload(args)
        accelerator: Accelerator | None = _accelerator(args.gpu) if args.gpu is not None else None
    except ValueError:
        return out
    params = float(arch.published_or_counted_params)
    precision = workload.precision or "bf16"
    weight_bytes = (
        params * {"fp32": 4.0, "amp": 4.0, "bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0, "int4": 0.5}[precision]
    )
    if accelerator is not None:
        out["capacity_bytes"] = float(accelerator.memory_bytes)
    if figure.kind in ("memory", "fit"):
        out["accelerate"] = float(accelerate_estimate_bytes(arch, workload))
        if not workload.trains and arch.is_transformer:
            tokens = (workload.prompt_tokens or workload.seq or 1) + (workload.new_tokens or 0)
            kv = 2.0 * arch.kv_width * 2.0 * (arch.decoder_layers or arch.layers or 0) * tokens * workload.batch
            out["gpu_poor"] = weight_bytes / workload.devices + kv / workload.devices + GPU_POOR_OVERHEAD_BYTES
        return out
    if accelerator is None or not arch.is_transformer:
        return out
    try:
        tflops = compute_dtype(arch, workload, accelerator)[1]
    except ValueError:
        return out
    n = workload.devices
    peak = tflops * 1e12 * n
    bandwidth = accelerator.memory_bandwidth_bytes_per_s * n * LLM_ANALYSIS_HBM_EFFICIENCY
    if workload.trains:
        rate = peak * LLM_ANALYSIS_TRAINING_FLOPS_EFFICIENCY / (6.0 * params)
        out["llm_analysis"] = rate if figure.result_path == "throughput" else None
        return out
    if not workload.is_generation:
        return out
    flops_rate = peak * LLM_ANALYSIS_INFERENCE_FLOPS_EFFICIENCY
    batch, prompt, new = workload.batch, workload.prompt_tokens or 1, workload.new_tokens or 1
    kv_per_token = 2.0 * arch.kv_width * 2.0 * (arch.decoder_layers or arch.layers or 0)
    prefill_s = max(batch * prompt * 2.0 * params / flops_rate, weight_bytes / bandwidth)
    step_s = max(
        batch * 2.0 * params / flops_rate, (weight_bytes + batch * (prompt + new / 2) * kv_per_token) / bandwidth
    )
    values = {
        "throughput": batch * new / (prefill_s + (new - 1) * step_s),
        "throughput.time_to_first_token_s": prefill_s,
        "throughput.phases.prefill": batch * prompt / prefill_s,
        "throughput.phases.decode": batch / step_s,
    }
    out["llm_analysis"] = values.get(figure.result_path)
    return out


def estimate_for(figure: PublishedFigure) -> dict[str, Any]:
    """The JSON document ``python -m core estimate <estimate_args>`` prints, as a dict."""
    from core.resources.cli import estimate_from_args

    return estimate_from_args(_parsed(figure))


def _at(report: dict[str, Any], path: str) -> Any:
    value: Any = report
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(f"the estimate has no {path!r} (missing {part!r})")
        value = value[part]
    return value


def judge(figure: PublishedFigure, report: dict[str, Any]) -> PublishedCheck:
    """Apply the README's rule for the figure's kind to an estimate's JSON document."""
    family = str(report.get("family") or "")
    published = figure.published
    if figure.kind == "fit":
        fit = str(report.get("fit"))
        if figure.expect_runs:
            holds, reason = (
                fit != "does not fit",
                "" if fit != "does not fit" else "ran there; estimate says it does not fit",
            )
        else:
            holds, reason = (
                fit == "does not fit",
                "" if fit == "does not fit" else f"ran out of memory there; estimate says {fit}",
            )
        return PublishedCheck(figure, holds, None, None, None, fit, family, None, reason)
    if published is None:
        raise ValueError(f"Row {figure.id}: a {figure.kind} figure needs a published value.")
    if figure.kind == "memory":
        estimated = float(_at(report, figure.unit_or_field))
        tolerance = figure.tolerance if figure.tolerance is not None else 0.1
        error = (estimated - published) / published
        holds = abs(error) <= tolerance
        reason = "" if holds else f"{error:+.0%} is outside +/-{tolerance:.0%}"
        return PublishedCheck(figure, holds, estimated, estimated, estimated, None, family, 100 * error, reason)
    band = _at(report, figure.result_path)
    low, expected, high = float(band["low"]), float(band["expected"]), float(band["high"])
    ratio = high / low if low > 0 else float("inf")
    reasons = []
    if not low <= published <= high:
        reasons.append("outside the band")
    if ratio > MAX_BAND_RATIO:
        reasons.append(f"band {ratio:.1f}x wide (at most {MAX_BAND_RATIO:g}x)")
    error = 100 * (expected - published) / published
    return PublishedCheck(figure, not reasons, low, expected, high, None, family, error, "; ".join(reasons))


def check_figure(
    figure: PublishedFigure, run: Callable[[PublishedFigure], dict[str, Any]] = estimate_for
) -> PublishedCheck:
    """Run one figure through the estimator and judge it; a refused estimate does not hold, with its sentence."""
    try:
        report = run(figure)
    except (ValueError, KeyError) as error:
        return PublishedCheck(figure, False, None, None, None, None, "", None, f"estimate refused: {error}")
    try:
        return judge(figure, report)
    except KeyError as error:
        return PublishedCheck(figure, False, None, None, None, None, "", None, str(error))


def comparison_table(checks: Iterable[PublishedCheck]) -> str:
    """A plain-text table of the checks, one line each, for test output and the docs."""
    lines = [f"{'id':<42} {'kind':<10} {'published':>14} {'low':>12} {'expected':>12} {'high':>12} {'err %':>8}  ok"]
    for c in checks:
        f = c.figure

        def cell(value: float | None) -> str:
            return "" if value is None else f"{value:,.4g}"

        published = f"expect {'runs' if f.expect_runs else 'OOM'}" if f.kind == "fit" else cell(f.published)
        low = c.fit or "" if f.kind == "fit" else cell(c.low)
        err = "" if c.error_pct is None else f"{c.error_pct:+.0f}"
        ok = "yes" if c.holds else f"NO  {c.reason}"
        lines.append(
            f"{f.id:<42} {f.kind:<10} {published:>14} {low:>12} {cell(c.expected) if f.kind != 'fit' else '':>12} "
            f"{cell(c.high) if f.kind != 'fit' else '':>12} {err:>8}  {ok}"
        )
    return "\n".join(lines)


def accuracy_csv(checks: Iterable[PublishedCheck]) -> str:
    """The trust table as CSV text (``python -m core.resources.published > data/published_accuracy.csv``)."""
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ACCURACY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for check in checks:
        row: dict[str, Any] = {**check.to_row(), **other_tools(check.figure)}
        writer.writerow(
            {
                k: ("" if row[k] is None else (f"{row[k]:.6g}" if isinstance(row[k], float) else row[k]))
                for k in ACCURACY_COLUMNS
            }
        )
    return buffer.getvalue()


@dataclass(frozen=True)
class AccuracyRow:
    """One row of the committed trust table (data/published_accuracy.csv)."""

    id: str
    kind: str
    engine: str
    family: str
    published: float | None
    unit_or_field: str
    low: float | None
    expected: float | None
    high: float | None
    fit: str
    error_pct: float | None
    holds: bool
    reason: str
    source: str
    capacity_bytes: float | None = None
    accelerate: float | None = None
    gpu_poor: float | None = None
    llm_analysis: float | None = None


def load_accuracy(path: Path = ACCURACY_PATH) -> list[AccuracyRow]:
    """The committed trust table; empty when the file is missing."""
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        AccuracyRow(
            id=r["id"],
            kind=r["kind"],
            engine=r["engine"],
            family=r["family"],
            published=_number(r["published"]),
            unit_or_field=r["unit_or_field"],
            low=_number(r["low"]),
            expected=_number(r["expected"]),
            high=_number(r["high"]),
            fit=r["fit"],
            error_pct=_number(r["error_pct"]),
            holds=r["holds"] == "True",
            reason=r["reason"],
            source=r["source"],
            capacity_bytes=_number(r.get("capacity_bytes") or ""),
            accelerate=_number(r.get("accelerate") or ""),
            gpu_poor=_number(r.get("gpu_poor") or ""),
            llm_analysis=_number(r.get("llm_analysis") or ""),
        )
        for r in rows
    ]


def accuracy_for(rows: Iterable[AccuracyRow], engine: str, family: str) -> list[AccuracyRow]:
    """Rows of the chosen stack and model family; the stack's rows when the family has none; else all."""
    rows = list(rows)
    for chosen in (
        [r for r in rows if r.engine == engine and r.family == family],
        [r for r in rows if r.engine == engine],
    ):
        if chosen:
            return chosen
    return rows


def main() -> int:
    print(accuracy_csv(check_figure(f) for f in load_published_figures()), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
