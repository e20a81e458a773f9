"""Insertable goals, business metrics and model metrics, and how to turn them into chain elements.

The goal/business-metric pairs follow the planning method (docs/method.md,
section 3): time customers spend proves delight (customer satisfaction), revenue proves employee
performance, click-through rate proves targeted marketing, customer lifetime value proves
long-term loyalty and conversion rate proves promotions and website experience. Model-metric
definitions are the textbook ones (e.g. scikit-learn's model-evaluation guide).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, TypeVar

from core.metrics.chain import BusinessGoal, BusinessMetric, ModelMetric, fresh_id


@dataclass(frozen=True)
class GoalTemplate:
    key: str
    name: str
    tangible: bool
    note: str


@dataclass(frozen=True)
class BusinessMetricTemplate:
    """`proves_goal` is the key of the goal template this metric usually proves (None: stands alone)."""

    key: str
    name: str
    definition: str
    unit: str
    direction: str
    cadence: str
    proves_goal: str | None


@dataclass(frozen=True)
class ModelMetricTemplate:
    """`value_max` None means unbounded above; `task` is "classification", "regression" or "serving"."""

    key: str
    name: str
    definition: str
    unit: str
    value_min: float
    value_max: float | None
    direction: str
    task: str


_T = TypeVar("_T", GoalTemplate, BusinessMetricTemplate, ModelMetricTemplate)


def _index(templates: Iterable[_T]) -> Mapping[str, _T]:
    return MappingProxyType({template.key: template for template in templates})


GOAL_TEMPLATES: Final[Mapping[str, GoalTemplate]] = _index(
    (
        GoalTemplate(
            "customer-satisfaction",
            "Customer satisfaction",
            False,
            "Customers are delighted and come back; prove it with time spent, repeat use or survey scores.",
        ),
        GoalTemplate(
            "employee-performance",
            "Employee performance",
            False,
            "Staff get more done with the same effort; the guide pairs it with revenue.",
        ),
        GoalTemplate(
            "shareholder-outlook",
            "Shareholder outlook",
            False,
            "Owners expect the business to grow and stay profitable; prove it with margin or growth.",
        ),
        GoalTemplate(
            "long-term-loyalty",
            "Long-term customer loyalty",
            False,
            "Customers stay for years; prove it with customer lifetime value or retention.",
        ),
        GoalTemplate(
            "targeted-marketing",
            "Relevant, well-targeted marketing",
            False,
            "Customers see offers that matter to them; prove it with click-through rate.",
        ),
        GoalTemplate(
            "website-experience",
            "Effective promotions and website experience",
            False,
            "Visitors find what they want and buy; prove it with conversion rate.",
        ),
        GoalTemplate("increase-revenue", "Increase revenue", True, "Measured directly in money per period."),
        GoalTemplate("reduce-operating-cost", "Reduce operating cost", True, "Measured directly in money per period."),
        GoalTemplate("reduce-manual-work", "Reduce manual work", True, "Measured in staff hours spent on the task."),
        GoalTemplate("save-water", "Save water", True, "Measured with a water meter, in litres."),
    )
)

BUSINESS_METRIC_TEMPLATES: Final[Mapping[str, BusinessMetricTemplate]] = _index(
    (
        BusinessMetricTemplate(
            "time-customers-spend",
            "Time customers spend",
            "Average minutes an active customer spends with the product per session.",
            "minutes per session",
            "higher",
            "weekly",
            "customer-satisfaction",
        ),
        BusinessMetricTemplate(
            "revenue",
            "Revenue",
            "Money received from sales in the period, net of refunds.",
            "USD per month",
            "higher",
            "monthly",
            "employee-performance",
        ),
        BusinessMetricTemplate(
            "click-through-rate",
            "Click-through rate",
            "Clicks on shown items (offers, ads, recommendations) divided by the number of times they were shown.",
            "% of impressions",
            "higher",
            "weekly",
            "targeted-marketing",
        ),
        BusinessMetricTemplate(
            "customer-lifetime-value",
            "Customer lifetime value",
            "Expected net margin from a customer over the whole relationship: average margin per period "
            "times the expected number of periods the customer stays.",
            "USD per customer",
            "higher",
            "quarterly",
            "long-term-loyalty",
        ),
        BusinessMetricTemplate(
            "conversion-rate",
            "Conversion rate",
            "Sessions that end in a purchase or sign-up divided by all sessions.",
            "% of sessions",
            "higher",
            "weekly",
            "website-experience",
        ),
        BusinessMetricTemplate(
            "net-promoter-score",
            "Net promoter score",
            "Share of surveyed customers who would recommend us (9-10 of 10) minus the share who would "
            "not (0-6 of 10).",
            "points (-100 to 100)",
            "higher",
            "quarterly",
            "customer-satisfaction",
        ),
        BusinessMetricTemplate(
            "operating-margin",
            "Operating margin",
            "Operating income divided by revenue for the period.",
            "% of revenue",
            "higher",
            "quarterly",
            "shareholder-outlook",
        ),
        BusinessMetricTemplate(
            "handling-time",
            "Average handling time",
            "Average staff minutes spent to complete one case, from opening to closing.",
            "minutes per case",
            "lower",
            "weekly",
            "employee-performance",
        ),
        BusinessMetricTemplate(
            "water-use",
            "Water use",
            "Litres of water used for irrigation in the period, read from the water meter.",
            "litres per week",
            "lower",
            "weekly",
            "save-water",
        ),
    )
)

MODEL_METRIC_TEMPLATES: Final[Mapping[str, ModelMetricTemplate]] = _index(
    (
        ModelMetricTemplate(
            "accuracy",
            "Accuracy",
            "Share of all predictions that are correct: (TP + TN) / all. Misleading when one class is rare.",
            "fraction",
            0.0,
            1.0,
            "higher",
            "classification",
        ),
        ModelMetricTemplate(
            "precision",
            "Precision",
            "Share of predicted positives that are truly positive: TP / (TP + FP).",
            "fraction",
            0.0,
            1.0,
            "higher",
            "classification",
        ),
        ModelMetricTemplate(
            "recall",
            "Recall",
            "Share of true positives the model finds: TP / (TP + FN).",
            "fraction",
            0.0,
            1.0,
            "higher",
            "classification",
        ),
        ModelMetricTemplate(
            "f1",
            "F1 score",
            "Harmonic mean of precision and recall: 2 P R / (P + R).",
            "fraction",
            0.0,
            1.0,
            "higher",
            "classification",
        ),
        ModelMetricTemplate(
            "roc-auc",
            "ROC AUC",
            "Area under the ROC curve (true-positive rate against false-positive rate over all "
            "thresholds); 0.5 is chance.",
            "fraction",
            0.0,
            1.0,
            "higher",
            "classification",
        ),
        ModelMetricTemplate(
            "pr-auc",
            "PR AUC",
            "Area under the precision-recall curve (average precision); chance equals the prevalence, "
            "so it suits rare positives better than ROC AUC.",
            "fraction",
            0.0,
            1.0,
            "higher",
            "classification",
        ),
        ModelMetricTemplate(
            "mae",
            "MAE",
            "Mean absolute error: average of |actual - predicted|.",
            "units of the target",
            0.0,
            None,
            "lower",
            "regression",
        ),
        ModelMetricTemplate(
            "rmse",
            "RMSE",
            "Root mean squared error: square root of the average of (actual - predicted)^2; punishes "
            "large errors more than MAE.",
            "units of the target",
            0.0,
            None,
            "lower",
            "regression",
        ),
        ModelMetricTemplate(
            "mape",
            "MAPE",
            "Mean absolute percentage error: average of |actual - predicted| / |actual| times 100; "
            "undefined when an actual value is 0.",
            "%",
            0.0,
            None,
            "lower",
            "regression",
        ),
        ModelMetricTemplate(
            "latency-p95",
            "Latency p95",
            "95th percentile of the time from request to response: 95 % of requests are answered faster.",
            "seconds",
            0.0,
            None,
            "lower",
            "serving",
        ),
    )
)


def _template(templates: Mapping[str, _T], key: str, what: str) -> _T:
    if key not in templates:
        raise ValueError(f"Unknown {what} template '{key}'; choose one of: {', '.join(templates)}.")
    return templates[key]


def goal_from_template(key: str, taken_ids: Iterable[str]) -> BusinessGoal:
    """A new goal from `GOAL_TEMPLATES[key]` with a fresh id ("g1", "g2", ...)."""
    template = _template(GOAL_TEMPLATES, key, "goal")
    return BusinessGoal(fresh_id("g", taken_ids), template.name, template.tangible, template.note)


def business_metric_from_template(key: str, taken_ids: Iterable[str], goal_ids: Iterable[str] = ()) -> BusinessMetric:
    """A new business metric from `BUSINESS_METRIC_TEMPLATES[key]` with a fresh id ("m1", ...).

    Baseline, target, deadline, owner and data source are left empty for the team to fill in.
    """
    template = _template(BUSINESS_METRIC_TEMPLATES, key, "business metric")
    return BusinessMetric(
        id=fresh_id("m", taken_ids),
        name=template.name,
        definition=template.definition,
        unit=template.unit,
        direction=template.direction,
        cadence=template.cadence,
        goal_ids=tuple(goal_ids),
    )


def model_metric_from_template(
    key: str, taken_ids: Iterable[str], drives: Iterable[tuple[str, str]] = ()
) -> ModelMetric:
    """A new model metric from `MODEL_METRIC_TEMPLATES[key]` with a fresh id ("mm1", ...)."""
    template = _template(MODEL_METRIC_TEMPLATES, key, "model metric")
    return ModelMetric(
        id=fresh_id("mm", taken_ids),
        name=template.name,
        drives=tuple(drives),
        direction=template.direction,
        unit=template.unit,
        definition=template.definition,
        value_min=template.value_min,
        value_max=template.value_max,
    )
