"""Success metrics: the chain from business goal to label, its validation, its tree and break-even.

The /success-metrics page reads widgets, builds these dataclasses (a ValueError carries the
message to show next to the widget), calls these functions and draws the results:

- chain elements: `BusinessGoal`, `BusinessMetric`, `ModelMetric`, `Label`, `Milestone`, `MetricChain`;
- templates: `GOAL_TEMPLATES`, `BUSINESS_METRIC_TEMPLATES`, `MODEL_METRIC_TEMPLATES` and the
  `*_from_template` functions (fresh ids via `fresh_id`);
- `validate_chain(chain, today) -> list[Issue]` with the rules listed in `RULES`;
- `metric_tree_dot(chain, issues) -> str` for `st.graphviz_chart`;
- break-even: `BreakEvenInputs`, `break_even_curve`, `min_precision`, `min_recall`,
  `min_accuracy`, `break_even_sentence`; `RegressionBreakEvenInputs`, `regression_break_even`,
  `regression_break_even_sentence`;
- `charter_csv(chain) -> str` for the download;
- `MetricsSection` (`to_document` / `from_document`) for the project document, and `example_metrics()`.
"""

from core.metrics.break_even import (
    DEFAULT_RECALLS,
    BreakEvenInputs,
    RegressionBreakEvenInputs,
    break_even_curve,
    break_even_sentence,
    min_accuracy,
    min_precision,
    min_recall,
    model_monthly_net_value_usd,
    regression_break_even,
    regression_break_even_sentence,
)
from core.metrics.chain import (
    CADENCES,
    DIRECTIONS,
    EFFECTS,
    MILESTONE_KINDS,
    BusinessGoal,
    BusinessMetric,
    Label,
    MetricChain,
    Milestone,
    ModelMetric,
    fresh_id,
)
from core.metrics.charter import CHARTER_COLUMNS, charter_csv
from core.metrics.document import DOCUMENT_VERSION, MetricsSection
from core.metrics.example import EXAMPLE_REFERENCE_DATE, example_metrics
from core.metrics.templates import (
    BUSINESS_METRIC_TEMPLATES,
    GOAL_TEMPLATES,
    MODEL_METRIC_TEMPLATES,
    BusinessMetricTemplate,
    GoalTemplate,
    ModelMetricTemplate,
    business_metric_from_template,
    goal_from_template,
    model_metric_from_template,
)
from core.metrics.tree import dot_quote, metric_tree_dot
from core.metrics.validation import RULES, Issue, validate_chain

__all__ = [
    "BUSINESS_METRIC_TEMPLATES",
    "CADENCES",
    "CHARTER_COLUMNS",
    "DEFAULT_RECALLS",
    "DIRECTIONS",
    "DOCUMENT_VERSION",
    "EFFECTS",
    "EXAMPLE_REFERENCE_DATE",
    "GOAL_TEMPLATES",
    "MILESTONE_KINDS",
    "MODEL_METRIC_TEMPLATES",
    "RULES",
    "BreakEvenInputs",
    "BusinessGoal",
    "BusinessMetric",
    "BusinessMetricTemplate",
    "GoalTemplate",
    "Issue",
    "Label",
    "MetricChain",
    "MetricsSection",
    "Milestone",
    "ModelMetric",
    "ModelMetricTemplate",
    "RegressionBreakEvenInputs",
    "break_even_curve",
    "break_even_sentence",
    "business_metric_from_template",
    "charter_csv",
    "dot_quote",
    "example_metrics",
    "fresh_id",
    "goal_from_template",
    "metric_tree_dot",
    "min_accuracy",
    "min_precision",
    "min_recall",
    "model_metric_from_template",
    "model_monthly_net_value_usd",
    "regression_break_even",
    "regression_break_even_sentence",
    "validate_chain",
]
