"""Checks that a metric chain is a good one: one rule per check, each issue pointing at a field.

`validate_chain` never raises on a well-formed chain; it returns issues for the page to list next
to the offending field. Field paths are "<part>.<element id>.<field>", e.g. "metrics.m2.baseline",
"model_metrics.mm1.drives", "label.attributed_to", "milestones.ms3.date", "decision_deadline".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final

from core.metrics._checks import check_date, format_figure
from core.metrics.chain import MILESTONE_KINDS, BusinessMetric, MetricChain

SEVERITIES: Final[tuple[str, ...]] = ("error", "warning")

RULES: Final = MappingProxyType(
    {
        "goal-without-metric": "Every goal must be proved by at least one tangible business metric.",
        "metric-missing-field": "A business metric needs a baseline, a target, a deadline and an owner.",
        "target-not-better": "A metric's target must be better than its baseline in the metric's direction.",
        "model-metric-drives-nothing": "Every model metric must drive at least one business metric.",
        "unknown-reference": "A link points to a goal or business metric that does not exist.",
        "effect-against-direction": "Improving the model metric is expected to worsen the business metric.",
        "minimum-beyond-target": "A model metric's minimum acceptable value must not be better than its target.",
        "model-metric-without-minimum": "Every model metric needs a minimum acceptable value: the go/no-go bar.",
        "label-missing": "A chain with model metrics needs a label: what exactly the model predicts.",
        "label-unattributed": "The label must be attributed to one of the chain's business metrics.",
        "label-after-decision": "The label must become observable before the decision deadline.",
        "milestones-out-of-order": "Milestones must come in the order pilot, A/B test, launch.",
        "milestone-after-deadline": "No milestone may fall after the deadline of a business metric.",
        "deadline-past": "A deadline lies in the past.",
    }
)
"""Rule code -> what the rule asks, for a legend next to the issue list."""


@dataclass(frozen=True)
class Issue:
    """One problem found in a chain: "error" blocks a sound plan, "warning" deserves a look."""

    severity: str
    rule: str
    message: str
    field: str


def _error(rule: str, message: str, field: str) -> Issue:
    return Issue("error", rule, message, field)


def _warning(rule: str, message: str, field: str) -> Issue:
    return Issue("warning", rule, message, field)


def _quoted(name: str) -> str:
    # Names may be up to 200 characters of anything; keep messages one readable line.
    text = " ".join(name.split())
    return f"'{text if len(text) <= 60 else text[:57] + '...'}'"


def _is_better(value: float, reference: float, direction: str) -> bool:
    return value > reference if direction == "higher" else value < reference


def _check_goals(chain: MetricChain) -> list[Issue]:
    linked = {goal_id for metric in chain.business_metrics for goal_id in metric.goal_ids}
    # A tangible goal needs its metric too: "more revenue" is tangible, but until a business metric with a
    # baseline, target and deadline states it, nothing in the chain says when the goal is met.
    return [
        _error(
            "goal-without-metric",
            f"{'Goal' if goal.tangible else 'Intangible goal'} {_quoted(goal.name)} has no business metric; link "
            "the business metric that proves it.",
            f"goals.{goal.id}",
        )
        for goal in chain.goals
        if goal.id not in linked
    ]


def _check_business_metrics(chain: MetricChain, today: date) -> list[Issue]:
    goal_ids = {goal.id for goal in chain.goals}
    issues: list[Issue] = []
    for metric in chain.business_metrics:
        path = f"metrics.{metric.id}"
        name = _quoted(metric.name)
        missing = {
            "baseline": metric.baseline is None,
            "target": metric.target is None,
            "deadline": metric.deadline is None,
            "owner": not metric.owner.strip(),
        }
        issues.extend(
            _error("metric-missing-field", f"Metric {name} has no {field}; enter one.", f"{path}.{field}")
            for field, is_missing in missing.items()
            if is_missing
        )
        if (
            metric.baseline is not None
            and metric.target is not None
            and not _is_better(metric.target, metric.baseline, metric.direction)
        ):
            issues.append(
                _error(
                    "target-not-better",
                    f"Metric {name} aims {metric.direction} but its target ({format_figure(metric.target)}) is no "
                    f"{'higher' if metric.direction == 'higher' else 'lower'} than its baseline "
                    f"({format_figure(metric.baseline)}); set a better target or flip the direction.",
                    f"{path}.target",
                )
            )
        unknown = [goal_id for goal_id in metric.goal_ids if goal_id not in goal_ids]
        if unknown:
            issues.append(
                _error(
                    "unknown-reference",
                    f"Metric {name} is linked to unknown goal id(s) {', '.join(unknown)}; remove the link.",
                    f"{path}.goal_ids",
                )
            )
        if metric.deadline is not None and metric.deadline < today:
            issues.append(
                _warning(
                    "deadline-past",
                    f"The deadline of metric {name} ({metric.deadline.isoformat()}) has passed; "
                    "record the result or move the deadline.",
                    f"{path}.deadline",
                )
            )
    return issues


def _check_model_metrics(chain: MetricChain) -> list[Issue]:
    metrics = {metric.id: metric for metric in chain.business_metrics}
    issues: list[Issue] = []
    for model_metric in chain.model_metrics:
        path = f"model_metrics.{model_metric.id}"
        name = _quoted(model_metric.name)
        if not model_metric.drives:
            issues.append(
                _error(
                    "model-metric-drives-nothing",
                    f"Model metric {name} drives no business metric; link the business metric it moves or drop it.",
                    f"{path}.drives",
                )
            )
        unknown = [metric_id for metric_id, _ in model_metric.drives if metric_id not in metrics]
        if unknown:
            issues.append(
                _error(
                    "unknown-reference",
                    f"Model metric {name} drives unknown business metric id(s) {', '.join(unknown)}; remove the link.",
                    f"{path}.drives",
                )
            )
        for metric_id, effect in model_metric.drives:
            driven = metrics.get(metric_id)
            if driven is None:
                continue
            helps = (effect == "raises") == (driven.direction == "higher")
            if not helps:
                issues.append(
                    _warning(
                        "effect-against-direction",
                        f"Improving {name} is expected to {effect[:-1]} {_quoted(driven.name)}, where "
                        f"{driven.direction} is better; check the expected effect.",
                        f"{path}.drives",
                    )
                )
        if model_metric.minimum is None:
            worst = "lowest" if model_metric.direction == "higher" else "highest"
            issues.append(
                _error(
                    "model-metric-without-minimum",
                    f"Model metric {name} has no minimum acceptable value; enter the {worst} value at which the "
                    "model is still worth launching.",
                    f"{path}.minimum",
                )
            )
        if (
            model_metric.minimum is not None
            and model_metric.target is not None
            and _is_better(model_metric.minimum, model_metric.target, model_metric.direction)
        ):
            bound = "above" if model_metric.direction == "higher" else "below"
            issues.append(
                _error(
                    "minimum-beyond-target",
                    f"The minimum acceptable value of {name} ({format_figure(model_metric.minimum)}) is {bound} its "
                    f"target ({format_figure(model_metric.target)}); the minimum must be the weaker of the two.",
                    f"{path}.minimum",
                )
            )
    return issues


def _check_label(chain: MetricChain, today: date) -> list[Issue]:
    label = chain.label
    if label is None:
        if chain.model_metrics:
            return [
                _warning(
                    "label-missing",
                    "No label yet; say what exactly the model predicts and which metric it serves.",
                    "label",
                )
            ]
        return []
    issues: list[Issue] = []
    metric_ids = {metric.id for metric in chain.business_metrics}
    if label.attributed_to is None:
        issues.append(
            _error(
                "label-unattributed",
                f"Label {_quoted(label.what)} is attributed to no success metric; pick the business metric it serves.",
                "label.attributed_to",
            )
        )
    elif label.attributed_to not in metric_ids:
        issues.append(
            _error(
                "label-unattributed",
                f"Label {_quoted(label.what)} is attributed to unknown metric id '{label.attributed_to}'; "
                "pick one of the chain's business metrics.",
                "label.attributed_to",
            )
        )
    if chain.decision_deadline is not None:
        # Predictions start at the first milestone (normally the pilot); without milestones, today.
        first_milestone = min((milestone.date for milestone in chain.milestones), default=None)
        start = first_milestone if first_milestone is not None else today
        start_source = "the first milestone" if first_milestone is not None else "today"
        days_available = (chain.decision_deadline - start).days
        delay = format_figure(label.observable_after_days)
        if label.observable_after_days > days_available:
            issues.append(
                _error(
                    "label-after-decision",
                    f"The label is observable {delay} days after a prediction, but "
                    f"predictions starting {start.isoformat()} ({start_source}) leave {days_available} days "
                    f"before the decision deadline {chain.decision_deadline.isoformat()}; choose a faster "
                    "label or a later deadline.",
                    "label.observable_after_days",
                )
            )
    return issues


def _phase(kind: str) -> int | None:
    """Position of a milestone kind in the normal sequence; None for "other" (no fixed place)."""
    return None if kind == "other" else MILESTONE_KINDS.index(kind)


def _check_milestones(chain: MetricChain) -> list[Issue]:
    issues: list[Issue] = []
    for milestone in chain.milestones:
        phase = _phase(milestone.name)
        if phase is None:
            continue
        earlier_kinds_later = [
            other
            for other in chain.milestones
            if (other_phase := _phase(other.name)) is not None and other_phase < phase and other.date > milestone.date
        ]
        if earlier_kinds_later:
            other = min(earlier_kinds_later, key=lambda item: item.date)
            issues.append(
                _error(
                    "milestones-out-of-order",
                    f"The {milestone.name} ({milestone.date.isoformat()}) comes before the {other.name} "
                    f"({other.date.isoformat()}); a {other.name} must precede a {milestone.name}.",
                    f"milestones.{milestone.id}.date",
                )
            )
    dated_metrics: list[BusinessMetric] = sorted(
        (metric for metric in chain.business_metrics if metric.deadline is not None),
        key=lambda metric: metric.deadline or date.max,
    )
    for milestone in chain.milestones:
        exceeded = next(
            (metric for metric in dated_metrics if metric.deadline and milestone.date > metric.deadline), None
        )
        if exceeded is not None and exceeded.deadline is not None:
            issues.append(
                _error(
                    "milestone-after-deadline",
                    f"The {milestone.name} ({milestone.date.isoformat()}) falls after the deadline of metric "
                    f"{_quoted(exceeded.name)} ({exceeded.deadline.isoformat()}); move one of them.",
                    f"milestones.{milestone.id}.date",
                )
            )
    return issues


def _check_decision_deadline(chain: MetricChain, today: date) -> list[Issue]:
    if chain.decision_deadline is not None and chain.decision_deadline < today:
        return [
            _warning(
                "deadline-past",
                f"The decision deadline ({chain.decision_deadline.isoformat()}) has passed; record the "
                "decision or move the deadline.",
                "decision_deadline",
            )
        ]
    return []


def validate_chain(chain: MetricChain, today: date) -> list[Issue]:
    """All issues of `chain` as of `today`, errors first, then in the order of the chain's parts.

    Rules and their codes are listed in `RULES`. Deadlines before `today` are warnings, not errors:
    a finished project's chain stays valid. The label check assumes predictions start at the
    earliest milestone (or today when there is none) and need `observable_after_days` whole days
    before the decision deadline.
    """
    if not isinstance(chain, MetricChain):
        raise ValueError("Only a MetricChain can be validated.")
    check_date(today, "Today's date")
    issues = [
        *_check_goals(chain),
        *_check_business_metrics(chain, today),
        *_check_model_metrics(chain),
        *_check_label(chain, today),
        *_check_milestones(chain),
        *_check_decision_deadline(chain, today),
    ]
    return sorted(issues, key=lambda issue: SEVERITIES.index(issue.severity))
