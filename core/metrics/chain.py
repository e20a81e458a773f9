"""The metric chain of one candidate use case: goals -> business metrics -> model metrics -> label.

Every element is a frozen dataclass validated when built, so a chain that exists is well formed
(types, ranges, unique ids); whether it is a *good* chain (every intangible goal measured, every
model metric serving a business metric, ...) is judged separately by `core.metrics.validation`.
docs/method.md, section 3: model metrics matter only when tied to business goals, and the label
the model predicts must be attributable to a success metric.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final, cast

from core.metrics._checks import (
    LONG_TEXT_MAX_CHARS,
    SHORT_TEXT_MAX_CHARS,
    check_at_least,
    check_bool,
    check_choice,
    check_date,
    check_id,
    check_name,
    check_optional_date,
    check_optional_number,
    check_text,
)

DIRECTIONS: Final[tuple[str, ...]] = ("higher", "lower")
"""Which way a metric gets better."""

CADENCES: Final[tuple[str, ...]] = ("daily", "weekly", "monthly", "quarterly")
"""How often a business metric is measured."""

EFFECTS: Final[tuple[str, ...]] = ("raises", "lowers")
"""What improving a model metric is expected to do to the business metric it drives."""

MILESTONE_KINDS: Final[tuple[str, ...]] = ("pilot", "A/B test", "launch", "other")
"""Time-based success definitions, in the order a project normally reaches them ("other" is unordered)."""


def _as_tuple(value: object, what: str) -> tuple[object, ...]:
    # Pages naturally hold lists; storing tuples keeps the frozen dataclasses hashable and comparable.
    if isinstance(value, tuple | list):
        return tuple(value)
    raise ValueError(f"{what} must be a list; got {type(value).__name__}.")


def _check_unique(ids: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for element_id in ids:
        if element_id in seen:
            raise ValueError(f"Two {what} share the id '{element_id}'; give each a unique id.")
        seen.add(element_id)


@dataclass(frozen=True)
class BusinessGoal:
    """What the business wants, e.g. "customer satisfaction" (intangible) or "save water" (tangible).

    An intangible goal cannot be measured directly; the guide asks that it be proved by at least one
    tangible business metric (see `BusinessMetric.goal_ids`).
    """

    id: str
    name: str
    tangible: bool
    note: str = ""

    def __post_init__(self) -> None:
        check_id(self.id, "Goal id")
        check_name(self.name, "Goal name")
        check_bool(self.tangible, "Whether the goal is tangible")
        check_text(self.note, "Goal note", LONG_TEXT_MAX_CHARS)


@dataclass(frozen=True)
class BusinessMetric:
    """A tangible, measurable success metric (a proxy for one or more goals).

    Units are free text (e.g. "litres per week", "USD per month"); `baseline` and `target` are in
    that unit. `direction` says whether higher or lower values are better. Fields left empty
    (None or "") are allowed while a chain is being drafted; `validate_chain` reports them.
    """

    id: str
    name: str
    definition: str = ""
    unit: str = ""
    direction: str = "higher"
    baseline: float | None = None
    target: float | None = None
    deadline: date | None = None
    owner: str = ""
    data_source: str = ""
    cadence: str = "monthly"
    goal_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_id(self.id, "Metric id")
        check_name(self.name, "Metric name")
        check_text(self.definition, "Metric definition", LONG_TEXT_MAX_CHARS)
        check_text(self.unit, "Metric unit", SHORT_TEXT_MAX_CHARS)
        check_choice(self.direction, "Metric direction", DIRECTIONS)
        object.__setattr__(self, "baseline", check_optional_number(self.baseline, "Metric baseline"))
        object.__setattr__(self, "target", check_optional_number(self.target, "Metric target"))
        check_optional_date(self.deadline, "Metric deadline")
        check_text(self.owner, "Metric owner", SHORT_TEXT_MAX_CHARS)
        check_text(self.data_source, "Metric data source", SHORT_TEXT_MAX_CHARS)
        check_choice(self.cadence, "Measurement cadence", CADENCES)
        goal_ids = _as_tuple(self.goal_ids, "Goals the metric proves")
        for goal_id in goal_ids:
            check_id(goal_id, "Goal id linked to a metric")
        _check_unique((str(goal_id) for goal_id in goal_ids), "goal links of one metric")
        object.__setattr__(self, "goal_ids", goal_ids)


@dataclass(frozen=True)
class ModelMetric:
    """A model metric (accuracy, recall, MAE, latency, ...) and the business metrics it drives.

    `minimum` is the worst acceptable value: a floor when higher is better, a ceiling when lower is
    better (e.g. the largest tolerable MAE). `drives` pairs a business-metric id with the expected
    effect of improving this model metric on it ("raises" or "lowers"). `value_min`/`value_max`
    are the metric's possible range (0..1 for precision), used to reject impossible values such as
    a precision of 80 typed as a percentage.
    """

    id: str
    name: str
    minimum: float | None = None
    target: float | None = None
    drives: tuple[tuple[str, str], ...] = ()
    direction: str = "higher"
    unit: str = ""
    definition: str = ""
    value_min: float | None = None
    value_max: float | None = None

    def __post_init__(self) -> None:
        check_id(self.id, "Model metric id")
        check_name(self.name, "Model metric name")
        minimum = check_optional_number(self.minimum, "Minimum acceptable value")
        target = check_optional_number(self.target, "Model metric target")
        check_choice(self.direction, "Model metric direction", DIRECTIONS)
        check_text(self.unit, "Model metric unit", SHORT_TEXT_MAX_CHARS)
        check_text(self.definition, "Model metric definition", LONG_TEXT_MAX_CHARS)
        value_min = check_optional_number(self.value_min, "Lowest possible value")
        value_max = check_optional_number(self.value_max, "Highest possible value")
        if value_min is not None and value_max is not None and value_min > value_max:
            raise ValueError(f"The lowest possible value ({value_min:g}) must not exceed the highest ({value_max:g}).")
        for label, value in (("minimum acceptable value", minimum), ("target", target)):
            if value is None:
                continue
            if (value_min is not None and value < value_min) or (value_max is not None and value > value_max):
                low = "-inf" if value_min is None else f"{value_min:g}"
                high = "+inf" if value_max is None else f"{value_max:g}"
                raise ValueError(
                    f"The {label} of {self.name.strip()[:60]} must lie between {low} and {high}; got {value:g}."
                )
        drives: list[tuple[str, str]] = []
        for pair in _as_tuple(self.drives, "Business metrics driven"):
            if not isinstance(pair, tuple | list) or len(pair) != 2:
                raise ValueError("Each driven business metric must be a pair (metric id, 'raises'|'lowers').")
            metric_id = check_id(pair[0], "Driven business metric id")
            effect = check_choice(pair[1], "Expected effect", EFFECTS)
            drives.append((metric_id, effect))
        _check_unique((metric_id for metric_id, _ in drives), "links from one model metric")
        object.__setattr__(self, "minimum", minimum)
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "value_min", value_min)
        object.__setattr__(self, "value_max", value_max)
        object.__setattr__(self, "drives", tuple(drives))


@dataclass(frozen=True)
class Label:
    """What the model predicts, where the ground truth comes from and when it can be seen.

    `observable_after_days` is the delay between a prediction and the moment its true label is
    known (days, may be fractional: 15 minutes is about 0.0104). `attributed_to` is the id of the
    business metric this label serves, or None while undecided.
    """

    what: str
    source: str = ""
    observable_after_days: float = 0.0
    attributed_to: str | None = None

    def __post_init__(self) -> None:
        check_name(self.what, "What the label is")
        check_text(self.source, "Label source", LONG_TEXT_MAX_CHARS)
        object.__setattr__(
            self,
            "observable_after_days",
            check_at_least(self.observable_after_days, "Days until the label is observable", 0.0),
        )
        if self.attributed_to is not None:
            check_id(self.attributed_to, "Business metric the label is attributed to")


@dataclass(frozen=True)
class Milestone:
    """A dated, time-based success definition; `name` is its kind (one of `MILESTONE_KINDS`)."""

    id: str
    name: str
    date: date
    criterion: str = ""

    def __post_init__(self) -> None:
        check_id(self.id, "Milestone id")
        check_choice(self.name, "Milestone", MILESTONE_KINDS)
        check_date(self.date, "Milestone date")
        check_text(self.criterion, "Milestone criterion", LONG_TEXT_MAX_CHARS)


@dataclass(frozen=True)
class MetricChain:
    """Everything that defines success for one candidate use case.

    `decision_deadline` is the date by which the go/no-go decision on the model must be taken;
    labels have to be observable before it. Ids are unique within each kind of element; links
    between elements are by id and are checked by `validate_chain`, not here, so that a draft with
    a dangling link can still be saved and shown.
    """

    goals: tuple[BusinessGoal, ...] = ()
    business_metrics: tuple[BusinessMetric, ...] = ()
    model_metrics: tuple[ModelMetric, ...] = ()
    label: Label | None = None
    milestones: tuple[Milestone, ...] = ()
    decision_deadline: date | None = field(default=None)

    def __post_init__(self) -> None:
        parts: tuple[tuple[str, str, type], ...] = (
            ("goals", "goals", BusinessGoal),
            ("business_metrics", "business metrics", BusinessMetric),
            ("model_metrics", "model metrics", ModelMetric),
            ("milestones", "milestones", Milestone),
        )
        for attribute, what, kind in parts:
            elements = _as_tuple(getattr(self, attribute), what.capitalize())
            for element in elements:
                if not isinstance(element, kind):
                    raise ValueError(f"{what.capitalize()} must hold {kind.__name__} values.")
            _check_unique((cast(Any, element).id for element in elements), what)
            object.__setattr__(self, attribute, elements)
        if self.label is not None and not isinstance(self.label, Label):
            raise ValueError("The label must be a Label or empty.")
        check_optional_date(self.decision_deadline, "Decision deadline")

    def element_ids(self) -> frozenset[str]:
        """All ids in use, for `fresh_id` when a new element is added."""
        return frozenset(
            element.id
            for group in (self.goals, self.business_metrics, self.model_metrics, self.milestones)
            for element in group
        )


def fresh_id(prefix: str, taken_ids: Iterable[str]) -> str:
    """The first of prefix1, prefix2, ... not in `taken_ids`, e.g. fresh_id("m", {"m1"}) == "m2"."""
    check_id(prefix, "Id prefix")
    taken = set(taken_ids)
    number = 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"
