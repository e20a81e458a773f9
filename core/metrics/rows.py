"""The chain as editable tables: one row per element with plain cell values, and the way back.

The /success-metrics page edits goals, business metrics, model metrics and milestones as tables.
A table hands cells back loosely typed: NaN or None for an empty number, a Timestamp, a date or
an ISO string for a date, a NumPy array or a list for a multi-select. The readers here accept all
of those and build chain elements; a bad row raises ValueError naming the table and the row
("Business metrics, row 2: Metric name must have 1 to 200 characters; got 10000."), so the page
can show it beside that table.

Links are plain ids in rows: the goals a business metric proves (column "goal_ids"), and the
business metrics a model metric drives as "metric id:effect" tokens (column "drives"), e.g.
"m1:lowers", so that one multi-select cell carries both the link and its expected effect.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final, cast

from core.metrics._checks import LONG_TEXT_MAX_CHARS, NAME_MAX_CHARS, SHORT_TEXT_MAX_CHARS, check_id
from core.metrics.chain import (
    DIRECTIONS,
    EFFECTS,
    BusinessGoal,
    BusinessMetric,
    MetricChain,
    Milestone,
    ModelMetric,
    fresh_id,
)
from core.text import quote_prefix

Row = dict[str, Any]

DEFAULT_CADENCE: Final = "monthly"
DEFAULT_MILESTONE: Final = "pilot"

PARTS: Final[tuple[str, ...]] = ("goals", "business_metrics", "model_metrics", "milestones")
"""The tabular parts of a chain, in the order the page shows them."""

PART_TITLES: Final[Mapping[str, str]] = {
    "goals": "Business goals",
    "business_metrics": "Business metrics",
    "model_metrics": "Model metrics",
    "milestones": "Milestones",
}

ID_PREFIXES: Final[Mapping[str, str]] = {
    "goals": "g",
    "business_metrics": "m",
    "model_metrics": "mm",
    "milestones": "ms",
}

COLUMNS: Final[Mapping[str, tuple[str, ...]]] = {
    "goals": ("id", "name", "tangible", "note"),
    "business_metrics": (
        "id",
        "name",
        "definition",
        "unit",
        "direction",
        "baseline",
        "target",
        "deadline",
        "owner",
        "data_source",
        "cadence",
        "goal_ids",
    ),
    "model_metrics": (
        "id",
        "name",
        "minimum",
        "target",
        "direction",
        "unit",
        "drives",
        "definition",
        "value_min",
        "value_max",
    ),
    "milestones": ("id", "name", "date", "criterion"),
}

COLUMN_LABELS: Final[Mapping[str, str]] = {
    "id": "Id",
    "name": "Name",
    "tangible": "Tangible",
    "note": "Note",
    "definition": "Definition or formula",
    "unit": "Unit",
    "direction": "Better when",
    "baseline": "Baseline",
    "target": "Target",
    "deadline": "Deadline",
    "owner": "Owner",
    "data_source": "Data source",
    "cadence": "Measured",
    "goal_ids": "Proves goals",
    "minimum": "Minimum acceptable",
    "drives": "Drives",
    "value_min": "Lowest possible",
    "value_max": "Highest possible",
    "date": "Date",
    "criterion": "Criterion",
    "what": "What the model predicts",
    "source": "Where the label comes from",
    "observable_after_days": "Observable after (days)",
    "attributed_to": "Attributed to",
}
"""Column and field names as people read them; the page's table headers use the same words."""

COLUMN_MAX_CHARS: Final[Mapping[str, int]] = {
    "name": NAME_MAX_CHARS,
    "what": NAME_MAX_CHARS,
    "unit": SHORT_TEXT_MAX_CHARS,
    "owner": SHORT_TEXT_MAX_CHARS,
    "data_source": SHORT_TEXT_MAX_CHARS,
    "note": LONG_TEXT_MAX_CHARS,
    "definition": LONG_TEXT_MAX_CHARS,
    "criterion": LONG_TEXT_MAX_CHARS,
    "source": LONG_TEXT_MAX_CHARS,
}
"""The longest text each text field accepts (the dataclasses enforce it; tables use it as a limit)."""

# Cells that say nothing when left at their defaults: a row holding only these is an empty row.
_DEFAULTED: Final[frozenset[str]] = frozenset({"id", "tangible", "direction", "cadence", "value_min", "value_max"})
_MILESTONE_DEFAULTED: Final[frozenset[str]] = frozenset({"id", "name"})


# --- cells ------------------------------------------------------------------------------------


def is_empty_cell(value: object) -> bool:
    """None, NaN/NaT, blank text and empty lists are empty; False and 0 are values."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float) and math.isnan(value):
        return True
    if _is_list_like(value):
        return len(list(value)) == 0  # type: ignore[call-overload]
    # pandas' NaT is not a float but compares unequal to itself like NaN; pandas' NA compares to NA,
    # whose truth value is undefined (TypeError), which marks it as missing too.
    try:
        unequal = value != value
    except (TypeError, ValueError):
        return False
    try:
        return bool(unequal)
    except (TypeError, ValueError):
        return True


def _is_list_like(value: object) -> bool:
    return isinstance(value, list | tuple) or (hasattr(value, "tolist") and hasattr(value, "__len__"))


def read_text(value: object) -> str:
    """A text cell: empty -> ""; text kept verbatim."""
    if is_empty_cell(value):
        return ""
    return value if isinstance(value, str) else str(value)


def read_number(value: object) -> float | None:
    """A number cell: empty (None, NaN, blank) -> None; text such as "12.5" is read; other values are
    returned for the dataclass to judge (it rejects infinities and non-numbers with a message)."""
    if is_empty_cell(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {quote_prefix(value)}.")
    if isinstance(value, str):
        try:
            return float(value.replace(",", "").strip())
        except ValueError:
            raise ValueError(f"{value[:40]!r} is not a number.") from None
    if hasattr(value, "item") and not isinstance(value, int | float):
        value = value.item()  # NumPy scalar -> Python number
    return value  # type: ignore[return-value]


# Planning dates: a date outside these years is a typing slip (a table's date editor turns "06302027" typed into
# the year field into the year 6302027), so it is refused with a sentence instead of being stored.
FIRST_PLAN_YEAR: Final = 2000
LAST_PLAN_YEAR: Final = 2100
_DATE_FORMATS: Final = (
    ("%Y-%m-%d", "2027-06-30"),
    ("%Y/%m/%d", "2027/06/30"),
    ("%Y%m%d", "20270630"),
    ("%d.%m.%Y", "30.06.2027"),
    ("%d %B %Y", "30 June 2027"),
    ("%d %b %Y", "30 Jun 2027"),
    ("%B %d %Y", "June 30 2027"),
    ("%b %d %Y", "Jun 30 2027"),
)


def _typed_date(text: str) -> date:
    extended = re.match(r"\s*[+-]?(\d{5,})-\d\d-\d\d", text)
    if extended:  # JavaScript's ISO form for years past 9999 ("+070630-02-02"), which Python's date cannot hold
        raise ValueError(
            f"The year {int(extended.group(1)):,} lies outside {FIRST_PLAN_YEAR}-{LAST_PLAN_YEAR}; check the year "
            "(YYYY-MM-DD)."
        )
    cleaned = text.strip().replace(",", " ")
    cleaned = " ".join(cleaned.split())
    if "T" in cleaned[:11] and cleaned[:4].isdigit():
        cleaned = cleaned[:10]  # an ISO timestamp: the date part
    for pattern, _example in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    parts = cleaned.split("/")
    if len(parts) == 3 and all(part.isdigit() for part in parts) and len(parts[2]) == 4:
        first, second, year = (int(part) for part in parts)
        # 30/06/2027 and 06/30/2027 are unambiguous; 03/06/2027 could be either, so it is refused.
        if first > 12 >= second:
            return date(year, second, first)
        if second > 12 >= first:
            return date(year, first, second)
        raise ValueError(f"{text[:40]!r} could be day/month or month/day; write it YYYY-MM-DD.")
    raise ValueError(f"{text[:40]!r} is not a date; write it YYYY-MM-DD (e.g. 2027-06-30).")


def read_date(value: object) -> date | None:
    """A date cell: empty -> None; a date, datetime, Timestamp or a date as people type it -> date.

    Accepted text: 2027-06-30, 2027/06/30, 20270630, 30.06.2027, 30 June 2027, June 30, 2027, and day/month or
    month/day when the day is above 12. Dates outside FIRST_PLAN_YEAR..LAST_PLAN_YEAR are refused.
    """
    if is_empty_cell(value):
        return None
    if isinstance(value, datetime):  # pandas.Timestamp is a datetime
        found = value.date()
    elif isinstance(value, date):
        found = value
    elif isinstance(value, str):
        found = _typed_date(value)
    else:
        raise ValueError(f"{str(value)[:40]!r} is not a date.")
    if not FIRST_PLAN_YEAR <= found.year <= LAST_PLAN_YEAR:
        raise ValueError(
            f"{found.isoformat()} lies outside {FIRST_PLAN_YEAR}-{LAST_PLAN_YEAR}; check the year (YYYY-MM-DD)."
        )
    return found


def read_bool(value: object) -> bool:
    """A checkbox cell: empty -> False."""
    if is_empty_cell(value):
        return False
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "1"}
    return bool(value)


def read_list(value: object) -> list[str]:
    """A multi-select cell: empty -> []; a list, tuple or array -> list of str; "a, b" -> ["a", "b"]."""
    if is_empty_cell(value):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if _is_list_like(value):
        items = value.tolist() if hasattr(value, "tolist") else list(value)  # type: ignore[call-overload]
        return [str(item) for item in items if not is_empty_cell(item)]
    return [str(value)]


def read_choice(value: object, default: str) -> str:
    """A select-box cell: empty -> `default`; anything else is passed on for the dataclass to check."""
    return default if is_empty_cell(value) else read_text(value)


def _has_id(value: object) -> bool:
    try:
        check_id(value, "Id")
    except ValueError:
        return False
    return True


# --- links ------------------------------------------------------------------------------------


def link_token(metric_id: str, effect: str) -> str:
    """("m1", "lowers") -> "m1:lowers", the value a "drives" cell holds for one link."""
    return f"{metric_id}:{effect}"


def parse_link_token(token: str) -> tuple[str, str]:
    """Read a "drives" token: "m1:lowers" -> ("m1", "lowers"); ValueError for anything else."""
    metric_id, _, effect = token.rpartition(":")
    if not metric_id or effect not in EFFECTS:
        raise ValueError(
            f"A driven business metric must be written 'metric id:raises' or 'metric id:lowers'; got {token[:40]!r}."
        )
    return metric_id, effect


# --- chain -> rows ----------------------------------------------------------------------------


def goal_row(goal: BusinessGoal) -> Row:
    return {"id": goal.id, "name": goal.name, "tangible": goal.tangible, "note": goal.note}


def business_metric_row(metric: BusinessMetric) -> Row:
    return {
        "id": metric.id,
        "name": metric.name,
        "definition": metric.definition,
        "unit": metric.unit,
        "direction": metric.direction,
        "baseline": metric.baseline,
        "target": metric.target,
        "deadline": metric.deadline,
        "owner": metric.owner,
        "data_source": metric.data_source,
        "cadence": metric.cadence,
        "goal_ids": list(metric.goal_ids),
    }


def model_metric_row(model_metric: ModelMetric) -> Row:
    return {
        "id": model_metric.id,
        "name": model_metric.name,
        "minimum": model_metric.minimum,
        "target": model_metric.target,
        "direction": model_metric.direction,
        "unit": model_metric.unit,
        "drives": [link_token(metric_id, effect) for metric_id, effect in model_metric.drives],
        "definition": model_metric.definition,
        "value_min": model_metric.value_min,
        "value_max": model_metric.value_max,
    }


def milestone_row(milestone: Milestone) -> Row:
    return {"id": milestone.id, "name": milestone.name, "date": milestone.date, "criterion": milestone.criterion}


def chain_rows(chain: MetricChain) -> dict[str, list[Row]]:
    """The chain's four tables (label and decision deadline are single fields, not tables)."""
    return {
        "goals": [goal_row(goal) for goal in chain.goals],
        "business_metrics": [business_metric_row(metric) for metric in chain.business_metrics],
        "model_metrics": [model_metric_row(model_metric) for model_metric in chain.model_metrics],
        "milestones": [milestone_row(milestone) for milestone in chain.milestones],
    }


# --- rows -> chain ----------------------------------------------------------------------------


def is_blank_row(part: str, row: Mapping[str, Any]) -> bool:
    """True when a row holds nothing but defaults (e.g. a row added to a table and left empty)."""
    defaulted = _MILESTONE_DEFAULTED if part == "milestones" else _DEFAULTED
    return all(is_empty_cell(value) for column, value in row.items() if column not in defaulted)


def with_ids(
    rows_by_part: Mapping[str, Sequence[Mapping[str, Any]]], *, drop_blank: bool = True
) -> dict[str, list[Row]]:
    """Give every row without a usable id a fresh one (g1, m2, mm1, ms3, ...), dropping blank rows
    unless `drop_blank` is False (a row just added to a table, about to be filled in).

    Fresh ids avoid every id in use in the chain, as `fresh_id` over `MetricChain.element_ids` would.
    """
    cleaned = {
        part: [dict(row) for row in rows_by_part.get(part, ()) if not (drop_blank and is_blank_row(part, row))]
        for part in PARTS
    }
    taken = {row["id"] for rows in cleaned.values() for row in rows if _has_id(row.get("id"))}
    for part in PARTS:
        seen: set[str] = set()
        for row in cleaned[part]:
            element_id = row.get("id")
            if not _has_id(element_id) or element_id in seen:
                element_id = fresh_id(ID_PREFIXES[part], taken)
                taken.add(element_id)
                row["id"] = element_id
            seen.add(str(element_id))
    return cleaned


def _goal(row: Mapping[str, Any]) -> BusinessGoal:
    return BusinessGoal(
        id=read_text(row.get("id")),
        name=read_text(row.get("name")),
        tangible=read_bool(row.get("tangible")),
        note=read_text(row.get("note")),
    )


def _business_metric(row: Mapping[str, Any]) -> BusinessMetric:
    return BusinessMetric(
        id=read_text(row.get("id")),
        name=read_text(row.get("name")),
        definition=read_text(row.get("definition")),
        unit=read_text(row.get("unit")),
        direction=read_choice(row.get("direction"), DIRECTIONS[0]),
        baseline=read_number(row.get("baseline")),
        target=read_number(row.get("target")),
        deadline=read_date(row.get("deadline")),
        owner=read_text(row.get("owner")),
        data_source=read_text(row.get("data_source")),
        cadence=read_choice(row.get("cadence"), DEFAULT_CADENCE),
        goal_ids=tuple(read_list(row.get("goal_ids"))),
    )


def _model_metric(row: Mapping[str, Any]) -> ModelMetric:
    return ModelMetric(
        id=read_text(row.get("id")),
        name=read_text(row.get("name")),
        minimum=read_number(row.get("minimum")),
        target=read_number(row.get("target")),
        drives=tuple(parse_link_token(token) for token in read_list(row.get("drives"))),
        direction=read_choice(row.get("direction"), DIRECTIONS[0]),
        unit=read_text(row.get("unit")),
        definition=read_text(row.get("definition")),
        value_min=read_number(row.get("value_min")),
        value_max=read_number(row.get("value_max")),
    )


def _milestone(row: Mapping[str, Any]) -> Milestone:
    when = read_date(row.get("date"))
    if when is None:
        raise ValueError("give the milestone a date (YYYY-MM-DD).")
    return Milestone(
        id=read_text(row.get("id")),
        name=read_choice(row.get("name"), DEFAULT_MILESTONE),
        date=when,
        criterion=read_text(row.get("criterion")),
    )


_BUILDERS: Final[Mapping[str, Callable[[Mapping[str, Any]], object]]] = {
    "goals": _goal,
    "business_metrics": _business_metric,
    "model_metrics": _model_metric,
    "milestones": _milestone,
}


def elements_from_rows(part: str, rows: Iterable[Mapping[str, Any]]) -> tuple[Any, ...]:
    """Build the elements of one table; ValueError "<Table>, row <n>: <why>" on the first bad row.

    Rows should have ids (see `with_ids`); blank rows are skipped.
    """
    if part not in _BUILDERS:
        raise ValueError(f"Unknown part of a chain: {quote_prefix(part)}.")
    elements = []
    for number, row in enumerate((row for row in rows if not is_blank_row(part, row)), start=1):
        try:
            elements.append(_BUILDERS[part](row))
        except ValueError as error:
            message = str(error)
            raise ValueError(f"{PART_TITLES[part]}, row {number}: {message[:1].upper()}{message[1:]}") from None
    return tuple(elements)


def chain_from_rows(
    rows_by_part: Mapping[str, Sequence[Mapping[str, Any]]],
    label: Any = None,
    decision_deadline: date | None = None,
) -> MetricChain:
    """The whole chain from its tables, label and decision deadline; ValueError on the first problem."""
    rows = with_ids(rows_by_part)
    parts = {part: elements_from_rows(part, rows[part]) for part in PARTS}
    return MetricChain(
        goals=parts["goals"],
        business_metrics=parts["business_metrics"],
        model_metrics=parts["model_metrics"],
        label=label,
        milestones=parts["milestones"],
        decision_deadline=decision_deadline,
    )


# --- where an issue points --------------------------------------------------------------------

_FIELD_PARTS: Final[Mapping[str, str]] = {
    "goals": "goals",
    "metrics": "business_metrics",
    "model_metrics": "model_metrics",
    "milestones": "milestones",
}


def _shortened(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def field_location(chain: MetricChain, field: str) -> str:
    """Where a validation issue's field path points, as a reader finds it on the page.

    >>> from core.metrics.chain import BusinessGoal, BusinessMetric, MetricChain
    >>> chain = MetricChain(business_metrics=(BusinessMetric("m1", "Revenue"),))
    >>> field_location(chain, "metrics.m1.baseline")
    "Business metrics › row 1 'Revenue' › Baseline"
    >>> field_location(chain, "label.attributed_to")
    'Label › Attributed to'
    """
    pieces = field.split(".")
    head = pieces[0]
    if head == "label":
        return "Label" + (f" › {COLUMN_LABELS.get(pieces[1], pieces[1])}" if len(pieces) > 1 else "")
    if head == "decision_deadline":
        return "Decision deadline"
    part = _FIELD_PARTS.get(head)
    if part is None or len(pieces) < 2:
        return field
    elements = {
        "goals": chain.goals,
        "business_metrics": chain.business_metrics,
        "model_metrics": chain.model_metrics,
        "milestones": chain.milestones,
    }[part]
    where = PART_TITLES[part]
    for number, element in enumerate(elements, start=1):
        if cast(Any, element).id == pieces[1]:
            where += f" › row {number} '{_shortened(cast(Any, element).name)}'"
            break
    else:
        where += f" › {pieces[1]}"
    if len(pieces) > 2:
        where += f" › {COLUMN_LABELS.get(pieces[2], pieces[2])}"
    return where
