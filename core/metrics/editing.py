"""Editing a chain on the page: table edits, one-click templates, and dates that must not be new and past.

- `apply_editor_delta` applies the edit state a data-editor table reports (edited, deleted and
  added rows, by position) to the rows it was drawn from, the same way Streamlit applies it.
- `TEMPLATE_CHOICES` / `template_label` / `insert_template`: one list of every goal, business-metric
  and model-metric template, and the insertion of one into the tables with sensible links (a
  business metric is linked to the goal its template proves when that goal is in the chain; a
  model metric drives the only business metric, when there is exactly one).
- `newly_past_deadlines`: deadlines typed in that already lie in the past. A deadline that has
  passed since it was saved is only a warning (`validate_chain`), but entering one is a mistake.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

from core.metrics.chain import MetricChain
from core.metrics.rows import (
    PARTS,
    Row,
    business_metric_row,
    goal_row,
    model_metric_row,
    read_text,
    with_ids,
)
from core.metrics.templates import (
    BUSINESS_METRIC_TEMPLATES,
    GOAL_TEMPLATES,
    MODEL_METRIC_TEMPLATES,
    business_metric_from_template,
    goal_from_template,
    model_metric_from_template,
)

# --- table edits ------------------------------------------------------------------------------


def _position(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError, OverflowError):
        return None


def apply_editor_delta(rows: Sequence[Mapping[str, Any]], delta: object) -> list[Row]:
    """`rows` with a data editor's edit state applied; the input rows are not changed.

    `delta` is {"edited_rows": {position: {column: value}}, "deleted_rows": [position, ...],
    "added_rows": [{column: value}, ...]} with positions in `rows`. As in Streamlit, cell edits
    come first, then deletions, then additions at the end. Anything malformed (a position out of
    range, a non-mapping) is ignored: the state comes from the browser.
    """
    result = [dict(row) for row in rows]
    if not isinstance(delta, Mapping):
        return result
    edited = delta.get("edited_rows")
    if isinstance(edited, Mapping):
        for key, changes in edited.items():
            position = _position(key)
            if position is not None and 0 <= position < len(result) and isinstance(changes, Mapping):
                result[position].update({str(column): value for column, value in changes.items()})
    deleted_rows = delta.get("deleted_rows")
    deleted = {_position(key) for key in deleted_rows} if isinstance(deleted_rows, list | tuple) else set()
    result = [row for position, row in enumerate(result) if position not in deleted]
    added_rows = delta.get("added_rows")
    if isinstance(added_rows, list | tuple):
        for added in added_rows:
            if isinstance(added, Mapping):
                result.append(
                    {str(column): value for column, value in added.items() if not str(column).startswith("_")}
                )
    return result


# --- templates --------------------------------------------------------------------------------

_KINDS: Final[Mapping[str, str]] = {"goal": "Goal", "metric": "Business metric", "model": "Model metric"}

TEMPLATE_CHOICES: Final[tuple[str, ...]] = (
    *(f"goal:{key}" for key in GOAL_TEMPLATES),
    *(f"metric:{key}" for key in BUSINESS_METRIC_TEMPLATES),
    *(f"model:{key}" for key in MODEL_METRIC_TEMPLATES),
)
"""Every insertable template as "<kind>:<template key>", goals first, then business and model metrics."""


def _split_choice(choice: str) -> tuple[str, str]:
    kind, _, key = choice.partition(":")
    if kind not in _KINDS or choice not in TEMPLATE_CHOICES:
        raise ValueError(f"Unknown template {choice[:60]!r}; pick one from the list.")
    return kind, key


def template_label(choice: str) -> str:
    """How a template is listed, e.g. "Business metric · Revenue (USD per month)"."""
    kind, key = _split_choice(choice)
    if kind == "goal":
        goal = GOAL_TEMPLATES[key]
        return f"Goal · {goal.name} ({'tangible' if goal.tangible else 'intangible'})"
    if kind == "metric":
        metric = BUSINESS_METRIC_TEMPLATES[key]
        return f"Business metric · {metric.name} ({metric.unit})"
    model = MODEL_METRIC_TEMPLATES[key]
    return f"Model metric · {model.name} ({model.task}, {model.unit})"


def template_help(choice: str) -> str:
    """The template's definition or note, for a caption under the picker."""
    kind, key = _split_choice(choice)
    if kind == "goal":
        return GOAL_TEMPLATES[key].note
    if kind == "metric":
        return BUSINESS_METRIC_TEMPLATES[key].definition
    return MODEL_METRIC_TEMPLATES[key].definition


def _same_name(row: Mapping[str, Any], name: str) -> bool:
    return read_text(row.get("name")).strip().casefold() == name.strip().casefold()


def insert_template(
    rows_by_part: Mapping[str, Sequence[Mapping[str, Any]]], choice: str
) -> tuple[dict[str, list[Row]], str]:
    """The tables with the template `choice` added at the end of its table, and a sentence saying what
    was added and linked. Blank rows are dropped and missing ids filled first (see `with_ids`)."""
    kind, key = _split_choice(choice)
    rows = with_ids(rows_by_part)
    taken = {row["id"] for part in PARTS for row in rows[part]}
    if kind == "goal":
        goal = goal_from_template(key, taken)
        rows["goals"].append(goal_row(goal))
        proving = {template.name for template in BUSINESS_METRIC_TEMPLATES.values() if template.proves_goal == key}
        linked = []
        for metric in rows["business_metrics"]:
            if any(_same_name(metric, name) for name in proving):
                goal_ids = list(metric.get("goal_ids") or [])
                if goal.id not in goal_ids:
                    metric["goal_ids"] = [*goal_ids, goal.id]
                    linked.append(read_text(metric.get("name")).strip())
        note = f"Added goal '{goal.name}' ({goal.id})"
        return rows, note + (f", proved by {', '.join(repr(n) for n in linked)}." if linked else ".")
    if kind == "metric":
        template = BUSINESS_METRIC_TEMPLATES[key]
        proves = GOAL_TEMPLATES.get(template.proves_goal) if template.proves_goal else None
        goal_ids = [str(row["id"]) for row in rows["goals"] if proves is not None and _same_name(row, proves.name)]
        new_metric = business_metric_from_template(key, taken, goal_ids)
        rows["business_metrics"].append(business_metric_row(new_metric))
        note = f"Added business metric '{new_metric.name}' ({new_metric.id})"
        if goal_ids and proves is not None:
            return rows, f"{note}, proving goal '{proves.name}'. Fill in its baseline, target, deadline and owner."
        return rows, f"{note}. Link the goal it proves and fill in its baseline, target, deadline and owner."
    metrics = rows["business_metrics"]
    drives: list[tuple[str, str]] = []
    if len(metrics) == 1:
        only = metrics[0]
        # Improving a model metric should move the business metric the way it gets better.
        drives = [(str(only["id"]), "raises" if read_text(only.get("direction")) != "lower" else "lowers")]
    model_metric = model_metric_from_template(key, taken, drives)
    rows["model_metrics"].append(model_metric_row(model_metric))
    note = f"Added model metric '{model_metric.name}' ({model_metric.id})"
    if drives:
        metric_name = read_text(metrics[0].get("name")).strip()
        return rows, f"{note}, driving '{metric_name}' ({drives[0][1]} it)."
    return rows, f"{note}. Pick the business metric it drives in the Drives column."


# --- dates ------------------------------------------------------------------------------------


def newly_past_deadlines(saved: MetricChain | None, draft: MetricChain, today: date) -> list[str]:
    """Messages for deadlines in `draft` that lie before `today` and differ from what was saved.

    Covers the decision deadline and each business metric's deadline (matched by metric id).
    """
    messages: list[str] = []
    if (
        draft.decision_deadline is not None
        and draft.decision_deadline < today
        and (saved is None or saved.decision_deadline != draft.decision_deadline)
    ):
        messages.append(
            f"The decision deadline {draft.decision_deadline.isoformat()} lies in the past; "
            f"choose {today.isoformat()} or later."
        )
    saved_deadlines = {metric.id: metric.deadline for metric in saved.business_metrics} if saved else {}
    for metric in draft.business_metrics:
        if (
            metric.deadline is not None
            and metric.deadline < today
            and saved_deadlines.get(metric.id) != metric.deadline
        ):
            name = " ".join(metric.name.split())
            name = name if len(name) <= 60 else name[:59] + "…"
            messages.append(
                f"The deadline of '{name}' ({metric.deadline.isoformat()}) lies in the past; "
                f"choose {today.isoformat()} or later."
            )
    return messages
