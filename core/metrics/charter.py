"""The "metrics charter": a CSV with one row per business and model metric and its links."""

from __future__ import annotations

import csv
import io
from typing import Final

from core.metrics.chain import MetricChain

CHARTER_COLUMNS: Final[tuple[str, ...]] = (
    "kind",
    "id",
    "name",
    "definition",
    "unit",
    "direction",
    "baseline",
    "minimum",
    "target",
    "deadline",
    "owner",
    "data_source",
    "cadence",
    "proves_goals",
    "drives",
    "driven_by",
    "label",
)

# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection", OWASP);
# user text is hostile, so such text cells get a leading apostrophe, which spreadsheets hide.
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return repr(value).removesuffix(".0")


def _names(names: list[str]) -> str:
    return _text("; ".join(name.strip() for name in names))


def charter_csv(chain: MetricChain) -> str:
    """CSV text (header + one row per metric, business metrics first) with `CHARTER_COLUMNS`.

    Links are written by name: the goals a business metric proves, the model metrics that drive
    it and the label if it is attributed to it; for a model metric, the business metrics it
    drives with the expected effect and the label whose predictions it scores. Numbers are
    written exactly (Python's shortest round-trip form), dates as YYYY-MM-DD, and unknown link
    ids are skipped (validation reports them).
    """
    goals = {goal.id: goal.name for goal in chain.goals}
    metrics = {metric.id: metric.name for metric in chain.business_metrics}
    attributed_to = chain.label.attributed_to if chain.label is not None else None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CHARTER_COLUMNS)
    for metric in chain.business_metrics:
        driven_by = [
            model_metric.name
            for model_metric in chain.model_metrics
            if any(metric_id == metric.id for metric_id, _ in model_metric.drives)
        ]
        writer.writerow(
            (
                "business",
                metric.id,
                _text(metric.name),
                _text(metric.definition),
                _text(metric.unit),
                metric.direction,
                _number(metric.baseline),
                "",
                _number(metric.target),
                metric.deadline.isoformat() if metric.deadline else "",
                _text(metric.owner),
                _text(metric.data_source),
                metric.cadence,
                _names([goals[goal_id] for goal_id in metric.goal_ids if goal_id in goals]),
                "",
                _names(driven_by),
                _text(chain.label.what) if chain.label is not None and attributed_to == metric.id else "",
            )
        )
    for model_metric in chain.model_metrics:
        drives = [
            f"{metrics[metric_id].strip()} ({effect})"
            for metric_id, effect in model_metric.drives
            if metric_id in metrics
        ]
        writer.writerow(
            (
                "model",
                model_metric.id,
                _text(model_metric.name),
                _text(model_metric.definition),
                _text(model_metric.unit),
                model_metric.direction,
                "",
                _number(model_metric.minimum),
                _number(model_metric.target),
                "",
                "",
                "",
                "",
                "",
                _names(drives),
                "",
                _text(chain.label.what) if chain.label is not None else "",
            )
        )
    return buffer.getvalue()
