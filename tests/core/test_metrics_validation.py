"""validate_chain: every rule has a case that triggers it and one that does not."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from core.metrics import (
    RULES,
    BusinessGoal,
    BusinessMetric,
    Issue,
    Label,
    MetricChain,
    Milestone,
    ModelMetric,
    validate_chain,
)

TODAY = date(2027, 1, 1)


def good_chain() -> MetricChain:
    """A chain that breaks no rule as of TODAY; each test changes one thing."""
    return MetricChain(
        goals=(BusinessGoal("g1", "Customer satisfaction", False), BusinessGoal("g2", "Increase revenue", True)),
        business_metrics=(
            BusinessMetric(
                id="m1",
                name="Conversion rate",
                unit="% of sessions",
                direction="higher",
                baseline=2.0,
                target=2.5,
                deadline=date(2027, 12, 31),
                owner="Head of e-commerce",
                goal_ids=("g1", "g2"),
            ),
        ),
        model_metrics=(ModelMetric("mm1", "Recall", minimum=0.8, target=0.9, drives=(("m1", "raises"),)),),
        label=Label("Visitor buys within the session", "Order database", 1.0, attributed_to="m1"),
        milestones=(
            Milestone("ms1", "pilot", date(2027, 3, 1)),
            Milestone("ms2", "A/B test", date(2027, 5, 1)),
            Milestone("ms3", "launch", date(2027, 7, 1)),
        ),
        decision_deadline=date(2027, 6, 1),
    )


def with_metric(**changes: Any) -> MetricChain:
    chain = good_chain()
    return replace(chain, business_metrics=(replace(chain.business_metrics[0], **changes),))


def with_model_metric(**changes: Any) -> MetricChain:
    chain = good_chain()
    return replace(chain, model_metrics=(replace(chain.model_metrics[0], **changes),))


def with_label(**changes: Any) -> MetricChain:
    chain = good_chain()
    assert chain.label is not None
    return replace(chain, label=replace(chain.label, **changes))


def rules(chain: MetricChain, today: date = TODAY) -> list[tuple[str, str]]:
    return [(issue.rule, issue.field) for issue in validate_chain(chain, today)]


def test_good_chain_has_no_issues() -> None:
    assert validate_chain(good_chain(), TODAY) == []


def test_empty_chain_has_no_issues() -> None:
    assert validate_chain(MetricChain(), TODAY) == []


# --- goals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("goal", "said"),
    [
        (
            BusinessGoal("g3", "Shareholder outlook", False),
            "Intangible goal 'Shareholder outlook' has no business metric",
        ),
        # a tangible goal is not proved either until a metric with a baseline, a target and a deadline states it
        (BusinessGoal("g3", "Save water", True), "Goal 'Save water' has no business metric"),
    ],
)
def test_a_goal_without_a_business_metric_is_an_error(goal: BusinessGoal, said: str) -> None:
    chain = replace(good_chain(), goals=(*good_chain().goals, goal))
    [issue] = validate_chain(chain, TODAY)
    assert (issue.severity, issue.rule, issue.field) == ("error", "goal-without-metric", "goals.g3")
    assert issue.message.startswith(said)


@pytest.mark.parametrize(("direction", "worst"), [("higher", "lowest"), ("lower", "highest")])
def test_a_model_metric_without_a_minimum_is_an_error(direction: str, worst: str) -> None:
    first = good_chain().model_metrics[0]
    changed = replace(first, minimum=None, target=None, direction=direction)
    chain = replace(good_chain(), model_metrics=(changed, *good_chain().model_metrics[1:]))
    issues = [issue for issue in validate_chain(chain, TODAY) if issue.rule == "model-metric-without-minimum"]
    assert [(issue.severity, issue.field) for issue in issues] == [("error", f"model_metrics.{first.id}.minimum")]
    assert f"enter the {worst} value" in issues[0].message


# --- business metrics -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"baseline": None}, "metrics.m1.baseline"),
        ({"target": None}, "metrics.m1.target"),
        ({"deadline": None}, "metrics.m1.deadline"),
        ({"owner": ""}, "metrics.m1.owner"),
        ({"owner": "   "}, "metrics.m1.owner"),
    ],
)
def test_metric_missing_field_is_one_error_on_that_field(changes: dict[str, object], field: str) -> None:
    assert rules(with_metric(**changes)) == [("metric-missing-field", field)]


def test_metric_missing_everything_gets_one_error_per_field() -> None:
    chain = with_metric(baseline=None, target=None, deadline=None, owner="")
    assert [field for _, field in rules(chain)] == [
        "metrics.m1.baseline",
        "metrics.m1.target",
        "metrics.m1.deadline",
        "metrics.m1.owner",
    ]


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "flagged"),
    [
        ("higher", 10.0, 12.0, False),
        ("higher", 10.0, 10.0, True),
        ("higher", 10.0, 9.0, True),
        ("higher", -5.0, -4.0, False),
        ("lower", 10.0, 8.0, False),
        ("lower", 10.0, 10.0, True),
        ("lower", 10.0, 11.0, True),
        ("lower", 0.0, -1.0, False),
    ],
)
def test_target_must_beat_baseline_in_the_metrics_direction(
    direction: str, baseline: float, target: float, flagged: bool
) -> None:
    # Only this rule: a "lower" metric also draws a warning about the model metric's "raises" effect.
    found = [
        item
        for item in rules(with_metric(direction=direction, baseline=baseline, target=target))
        if item[0] == "target-not-better"
    ]
    assert found == ([("target-not-better", "metrics.m1.target")] if flagged else [])


def test_metric_linked_to_unknown_goal_is_an_error() -> None:
    assert rules(with_metric(goal_ids=("g1", "g2", "g9"))) == [("unknown-reference", "metrics.m1.goal_ids")]


# --- model metrics ----------------------------------------------------------------------------


def test_model_metric_driving_nothing_is_an_error() -> None:
    assert rules(with_model_metric(drives=())) == [("model-metric-drives-nothing", "model_metrics.mm1.drives")]


def test_model_metric_driving_unknown_metric_is_an_error() -> None:
    chain = with_model_metric(drives=(("m1", "raises"), ("m7", "raises")))
    assert rules(chain) == [("unknown-reference", "model_metrics.mm1.drives")]


@pytest.mark.parametrize(
    ("metric_direction", "effect", "flagged"),
    [("higher", "raises", False), ("higher", "lowers", True), ("lower", "lowers", False), ("lower", "raises", True)],
)
def test_effect_against_the_metrics_direction_is_a_warning(metric_direction: str, effect: str, flagged: bool) -> None:
    chain = with_metric(direction=metric_direction, baseline=10.0, target=12.0 if metric_direction == "higher" else 8.0)
    chain = replace(chain, model_metrics=(replace(chain.model_metrics[0], drives=(("m1", effect),)),))
    issues = validate_chain(chain, TODAY)
    expected = [("warning", "effect-against-direction", "model_metrics.mm1.drives")] if flagged else []
    assert [(issue.severity, issue.rule, issue.field) for issue in issues] == expected


@pytest.mark.parametrize(
    ("direction", "minimum", "target", "flagged"),
    [
        ("higher", 0.8, 0.9, False),
        ("higher", 0.9, 0.9, False),
        ("higher", 0.95, 0.9, True),
        ("lower", 5.0, 3.0, False),
        ("lower", 3.0, 3.0, False),
        ("lower", 2.0, 3.0, True),
        ("higher", None, 0.9, False),
        ("higher", 0.95, None, False),
    ],
)
def test_model_metric_minimum_must_not_beat_its_target(
    direction: str, minimum: float | None, target: float | None, flagged: bool
) -> None:
    found = rules(with_model_metric(direction=direction, minimum=minimum, target=target))
    found = [rule for rule in found if rule[0] != "model-metric-without-minimum"]
    assert found == ([("minimum-beyond-target", "model_metrics.mm1.minimum")] if flagged else [])


# --- label ------------------------------------------------------------------------------------


def test_model_metrics_without_label_is_a_warning() -> None:
    issues = validate_chain(replace(good_chain(), label=None), TODAY)
    assert [(issue.severity, issue.rule, issue.field) for issue in issues] == [("warning", "label-missing", "label")]


def test_no_label_and_no_model_metrics_is_not_flagged() -> None:
    assert rules(replace(good_chain(), label=None, model_metrics=())) == []


@pytest.mark.parametrize("attributed_to", [None, "m9"])
def test_label_attributed_to_no_known_metric_is_an_error(attributed_to: str | None) -> None:
    assert rules(with_label(attributed_to=attributed_to)) == [("label-unattributed", "label.attributed_to")]


# First milestone 2027-03-01, decision deadline 2027-06-01: 92 days between them.
@pytest.mark.parametrize(("days", "flagged"), [(0.0, False), (91.0, False), (92.0, False), (92.5, True), (400.0, True)])
def test_label_must_be_observable_before_the_decision_deadline(days: float, flagged: bool) -> None:
    found = rules(with_label(observable_after_days=days))
    assert found == ([("label-after-decision", "label.observable_after_days")] if flagged else [])


# Without milestones predictions start today: 2027-01-01 to 2027-06-01 is 151 days.
@pytest.mark.parametrize(("days", "flagged"), [(151.0, False), (152.0, True)])
def test_label_delay_counts_from_today_without_milestones(days: float, flagged: bool) -> None:
    chain = replace(with_label(observable_after_days=days), milestones=())
    assert rules(chain) == ([("label-after-decision", "label.observable_after_days")] if flagged else [])


def test_label_delay_is_not_checked_without_a_decision_deadline() -> None:
    assert rules(replace(with_label(observable_after_days=10_000.0), decision_deadline=None)) == []


def test_huge_label_delay_does_not_overflow_dates() -> None:
    assert rules(with_label(observable_after_days=1e300)) == [("label-after-decision", "label.observable_after_days")]


# --- milestones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("milestones", "flagged_field"),
    [
        ((("pilot", date(2027, 3, 1)), ("launch", date(2027, 2, 1))), "milestones.ms2.date"),
        ((("A/B test", date(2027, 3, 1)), ("pilot", date(2027, 4, 1))), "milestones.ms1.date"),
        ((("launch", date(2027, 5, 1)), ("A/B test", date(2027, 5, 2))), "milestones.ms1.date"),
        ((("pilot", date(2027, 3, 1)), ("launch", date(2027, 3, 1))), None),
        ((("launch", date(2027, 7, 1)), ("pilot", date(2027, 3, 1))), None),
        ((("other", date(2027, 9, 1)), ("pilot", date(2027, 3, 1)), ("other", date(2027, 1, 2))), None),
    ],
)
def test_milestones_must_follow_pilot_ab_test_launch(
    milestones: tuple[tuple[str, date], ...], flagged_field: str | None
) -> None:
    chain = replace(
        good_chain(),
        milestones=tuple(Milestone(f"ms{index}", kind, when) for index, (kind, when) in enumerate(milestones, 1)),
        decision_deadline=None,
    )
    expected = [("milestones-out-of-order", flagged_field)] if flagged_field else []
    assert rules(chain) == expected


@pytest.mark.parametrize(("deadline", "flagged"), [(date(2027, 7, 1), False), (date(2027, 6, 30), True)])
def test_milestone_after_a_metric_deadline_is_an_error(deadline: date, flagged: bool) -> None:
    found = rules(with_metric(deadline=deadline))
    assert found == ([("milestone-after-deadline", "milestones.ms3.date")] if flagged else [])


def test_milestone_after_deadline_names_the_earliest_deadline_it_misses() -> None:
    chain = with_metric(deadline=date(2027, 6, 30))
    second = BusinessMetric(
        "m2", "Revenue", baseline=1.0, target=2.0, deadline=date(2027, 4, 1), owner="CFO", goal_ids=("g2",)
    )
    chain = replace(chain, business_metrics=(*chain.business_metrics, second))
    issues = [issue for issue in validate_chain(chain, TODAY) if issue.rule == "milestone-after-deadline"]
    assert [issue.field for issue in issues] == ["milestones.ms2.date", "milestones.ms3.date"]
    assert all("'Revenue' (2027-04-01)" in issue.message for issue in issues)


# --- past deadlines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2027, 6, 1), []),
        (date(2027, 6, 2), [("warning", "deadline-past", "decision_deadline")]),
        (
            date(2028, 1, 1),
            [("warning", "deadline-past", "metrics.m1.deadline"), ("warning", "deadline-past", "decision_deadline")],
        ),
    ],
)
def test_deadline_in_the_past_is_a_warning(today: date, expected: list[tuple[str, str, str]]) -> None:
    issues = validate_chain(good_chain(), today)
    assert [(issue.severity, issue.rule, issue.field) for issue in issues] == expected


# --- the issue list as a whole ----------------------------------------------------------------


def test_errors_come_before_warnings() -> None:
    chain = replace(with_metric(owner=""), label=None)
    assert [issue.severity for issue in validate_chain(chain, date(2028, 1, 1))] == [
        "error",
        "warning",
        "warning",
        "warning",
    ]


def test_every_rule_code_is_documented_and_reachable() -> None:
    broken = MetricChain(
        goals=(BusinessGoal("g1", "Delight", False),),
        business_metrics=(
            BusinessMetric("m1", "Water use", direction="lower", baseline=5.0, target=6.0, goal_ids=("g9",)),
            BusinessMetric("m2", "Revenue", baseline=1.0, target=2.0, deadline=date(2026, 1, 1), owner="CFO"),
        ),
        model_metrics=(
            ModelMetric("mm1", "Recall", minimum=0.9, target=0.8),
            ModelMetric("mm2", "Precision", drives=(("m1", "raises"), ("m5", "raises"))),
        ),
        label=Label("Rain", observable_after_days=60.0),
        milestones=(Milestone("ms1", "launch", date(2026, 2, 1)), Milestone("ms2", "pilot", date(2026, 3, 1))),
        decision_deadline=date(2026, 3, 15),
    )
    chain_without_label = replace(broken, label=None)
    found = {issue.rule for chain in (broken, chain_without_label) for issue in validate_chain(chain, TODAY)}
    assert found == set(RULES)


def test_messages_are_single_lines_even_for_hostile_names() -> None:
    chain = replace(
        good_chain(), goals=(*good_chain().goals, BusinessGoal("g3", "line one\nline two" + "x" * 150, False))
    )
    [issue] = validate_chain(chain, TODAY)
    assert "\n" not in issue.message and len(issue.message) < 200


def test_validate_rejects_a_datetime_for_today() -> None:
    from datetime import datetime

    with pytest.raises(ValueError, match="Today's date must be a calendar date"):
        validate_chain(good_chain(), datetime(2027, 1, 1, 12))


def test_issue_is_a_plain_value() -> None:
    assert Issue("error", "r", "m", "f") == Issue("error", "r", "m", "f")
