"""The metrics section of a project document, and its JSON-safe form.

`MetricsSection.to_document()` returns plain dicts, lists, strings, numbers, booleans and None
(dates as ISO "YYYY-MM-DD"), ready for `json.dumps`; `MetricsSection.from_document()` reads that
form back strictly: any missing or unexpected key, wrong type or invalid value raises ValueError
naming the place, e.g. "chains.rain-forecast.business_metrics[0]: Metric name must have 1 to 200
characters; got 0." The round trip is exact.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final, TypeVar

from core.metrics._checks import check_name
from core.metrics.break_even import BreakEvenInputs, RegressionBreakEvenInputs
from core.metrics.chain import BusinessGoal, BusinessMetric, Label, MetricChain, Milestone, ModelMetric
from core.metrics.rows import business_metric_row, goal_row, milestone_row, model_metric_row
from core.text import quote_prefix

DOCUMENT_VERSION: Final = 1
"""Bump when the document's shape changes, and teach `from_document` to read the old shape."""

BreakEven = BreakEvenInputs | RegressionBreakEvenInputs

_BREAK_EVEN_KINDS: Final[dict[str, type[BreakEvenInputs] | type[RegressionBreakEvenInputs]]] = {
    "classification": BreakEvenInputs,
    "regression": RegressionBreakEvenInputs,
}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_T = TypeVar("_T")


@dataclass(frozen=True)
class MetricsSection:
    """Per candidate use case (keyed by candidate id): its metric chain and its break-even inputs.

    A candidate may have a chain without break-even inputs or the reverse.
    """

    chains: Mapping[str, MetricChain] = field(default_factory=dict)
    break_even: Mapping[str, BreakEven] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for attribute, kinds in (
            ("chains", (MetricChain,)),
            ("break_even", (BreakEvenInputs, RegressionBreakEvenInputs)),
        ):
            mapping = getattr(self, attribute)
            if not isinstance(mapping, Mapping):
                raise ValueError(f"The metrics section's {attribute} must map candidate ids to values.")
            for candidate_id, value in mapping.items():
                check_name(candidate_id, "Candidate id")
                if not isinstance(value, kinds):
                    raise ValueError(f"The {attribute} entry of candidate '{candidate_id}' has the wrong type.")
            # A private copy, so that a caller mutating its dict cannot change a frozen section.
            object.__setattr__(self, attribute, dict(mapping))

    def to_document(self) -> dict[str, Any]:
        return {
            "version": DOCUMENT_VERSION,
            "chains": {candidate_id: _chain_to_document(chain) for candidate_id, chain in self.chains.items()},
            "break_even": {
                candidate_id: _break_even_to_document(inputs) for candidate_id, inputs in self.break_even.items()
            },
        }

    @classmethod
    def from_document(cls, document: object) -> MetricsSection:
        fields = _object(document, "metrics section", ("version", "chains", "break_even"))
        version = fields["version"]
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise ValueError(
                f"The metrics section's version must be a whole number of at least 1; got {quote_prefix(version)}."
            )
        if version > DOCUMENT_VERSION:
            raise ValueError(
                f"The metrics section has version {version}, newer than this app reads ({DOCUMENT_VERSION}); "
                "update the app."
            )
        chains = {
            candidate_id: _chain_from_document(value, f"chains.{candidate_id}")
            for candidate_id, value in _mapping(fields["chains"], "chains").items()
        }
        break_even = {
            candidate_id: _break_even_from_document(value, f"break_even.{candidate_id}")
            for candidate_id, value in _mapping(fields["break_even"], "break_even").items()
        }
        return _build(lambda: cls(chains, break_even), "metrics section")


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _chain_to_document(chain: MetricChain) -> dict[str, Any]:
    return {
        # The table rows the page edits, in JSON form: dates as ISO text, links as objects.
        "goals": [goal_row(goal) for goal in chain.goals],
        "business_metrics": [
            {**business_metric_row(metric), "deadline": _iso(metric.deadline)} for metric in chain.business_metrics
        ],
        "model_metrics": [
            {
                **model_metric_row(model_metric),
                "drives": [{"metric_id": metric_id, "effect": effect} for metric_id, effect in model_metric.drives],
            }
            for model_metric in chain.model_metrics
        ],
        "label": None
        if chain.label is None
        else {
            "what": chain.label.what,
            "source": chain.label.source,
            "observable_after_days": chain.label.observable_after_days,
            "attributed_to": chain.label.attributed_to,
        },
        "milestones": [
            {**milestone_row(milestone), "date": milestone.date.isoformat()} for milestone in chain.milestones
        ],
        "decision_deadline": _iso(chain.decision_deadline),
    }


def _break_even_to_document(inputs: BreakEven) -> dict[str, Any]:
    kind = "classification" if isinstance(inputs, BreakEvenInputs) else "regression"
    return {"kind": kind, **dataclasses.asdict(inputs)}


# --- strict reading ---------------------------------------------------------------------------


def _build(make: Callable[[], _T], path: str) -> _T:
    try:
        return make()
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None


def _object(value: object, path: str, keys: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{path} must be an object with the keys {', '.join(keys)}.")
    missing = [key for key in keys if key not in value]
    unexpected = [str(key) for key in value if key not in keys]
    if missing:
        raise ValueError(f"{path} lacks the key(s) {', '.join(missing)}.")
    if unexpected:
        raise ValueError(f"{path} has unexpected key(s) {', '.join(unexpected)[:200]}.")
    return value


def _mapping(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise ValueError(f"{path} must be an object keyed by candidate id.")
    return value


def _list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{path} must be a list.")
    return value


def _date(value: object, path: str) -> date:
    if not isinstance(value, str) or _ISO_DATE.fullmatch(value) is None:
        raise ValueError(f"{path} must be a date written YYYY-MM-DD; got {str(value)[:40]!r}.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{path} is not a real calendar date: {value}.") from None


def _optional_date(value: object, path: str) -> date | None:
    return None if value is None else _date(value, path)


def _goal(value: object, path: str) -> BusinessGoal:
    fields = _object(value, path, ("id", "name", "tangible", "note"))
    return _build(lambda: BusinessGoal(**fields), path)


def _business_metric(value: object, path: str) -> BusinessMetric:
    keys = tuple(item.name for item in dataclasses.fields(BusinessMetric))
    fields = dict(_object(value, path, keys))
    fields["deadline"] = _optional_date(fields["deadline"], f"{path}.deadline")
    fields["goal_ids"] = tuple(_list(fields["goal_ids"], f"{path}.goal_ids"))
    return _build(lambda: BusinessMetric(**fields), path)


def _model_metric(value: object, path: str) -> ModelMetric:
    keys = tuple(item.name for item in dataclasses.fields(ModelMetric))
    fields = dict(_object(value, path, keys))
    drives = []
    for index, link in enumerate(_list(fields["drives"], f"{path}.drives")):
        link_fields = _object(link, f"{path}.drives[{index}]", ("metric_id", "effect"))
        drives.append((link_fields["metric_id"], link_fields["effect"]))
    fields["drives"] = tuple(drives)
    return _build(lambda: ModelMetric(**fields), path)


def _label(value: object, path: str) -> Label | None:
    if value is None:
        return None
    fields = _object(value, path, ("what", "source", "observable_after_days", "attributed_to"))
    return _build(lambda: Label(**fields), path)


def _milestone(value: object, path: str) -> Milestone:
    fields = dict(_object(value, path, ("id", "name", "date", "criterion")))
    fields["date"] = _date(fields["date"], f"{path}.date")
    return _build(lambda: Milestone(**fields), path)


def _elements(value: object, path: str, read: Callable[[object, str], _T]) -> tuple[_T, ...]:
    return tuple(read(item, f"{path}[{index}]") for index, item in enumerate(_list(value, path)))


def _chain_from_document(value: object, path: str) -> MetricChain:
    fields = _object(
        value, path, ("goals", "business_metrics", "model_metrics", "label", "milestones", "decision_deadline")
    )
    goals = _elements(fields["goals"], f"{path}.goals", _goal)
    metrics = _elements(fields["business_metrics"], f"{path}.business_metrics", _business_metric)
    model_metrics = _elements(fields["model_metrics"], f"{path}.model_metrics", _model_metric)
    label = _label(fields["label"], f"{path}.label")
    milestones = _elements(fields["milestones"], f"{path}.milestones", _milestone)
    deadline = _optional_date(fields["decision_deadline"], f"{path}.decision_deadline")
    return _build(lambda: MetricChain(goals, metrics, model_metrics, label, milestones, deadline), path)


def _break_even_from_document(value: object, path: str) -> BreakEven:
    if not isinstance(value, dict) or value.get("kind") not in _BREAK_EVEN_KINDS:
        raise ValueError(f"{path} must be an object whose kind is 'classification' or 'regression'.")
    kind = _BREAK_EVEN_KINDS[value["kind"]]
    keys = ("kind", *(item.name for item in dataclasses.fields(kind)))
    fields = {key: item for key, item in _object(value, path, keys).items() if key != "kind"}
    return _build(lambda: kind(**fields), path)
