"""Break-even model metrics: hand-computed cases and properties."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.metrics import (
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


def inputs(**changes: object) -> BreakEvenInputs:
    """Base case: 1,000 predictions a month, 10 % positive -> 100 positives, 900 negatives."""
    fields: dict[str, object] = {
        "value_true_positive_usd": 100.0,
        "cost_false_positive_usd": 20.0,
        "cost_false_negative_usd": 50.0,
        "prevalence": 0.1,
        "monthly_volume": 1000.0,
        "monthly_running_cost_usd": 1000.0,
        "baseline_monthly_value_usd": 0.0,
    }
    fields.update(changes)
    return BreakEvenInputs(**fields)  # type: ignore[arg-type]


PR_BASELINE = {"baseline_monthly_value_usd": None, "baseline_precision": 0.5, "baseline_recall": 0.5}


@pytest.mark.parametrize(
    ("changes", "recall", "expected"),
    [
        # TP = 80, FN = 20; S = 80*100 - 20*50 - 1000 - 0 = 6000; FP <= 6000/20 = 300; P = 80/380.
        ({}, 0.8, 80 / 380),
        # TP = 100, FN = 0; S = 10000 - 1000 = 9000; FP <= 450; P = 100/550.
        ({}, 1.0, 100 / 550),
        # S = 8000 - 1000 - 7000 = 0: not a single false positive may be afforded -> P = 1.
        ({"monthly_running_cost_usd": 7000.0}, 0.8, 1.0),
        # S = -1: even a perfect precision falls one dollar short.
        ({"monthly_running_cost_usd": 7001.0}, 0.8, None),
        # TP = 20, FN = 80; S = 2000 - 4000 - 1000 = -3000.
        ({}, 0.2, None),
        # Free false positives: any precision will do, i.e. flag all 900 negatives: P = 80/980.
        ({"cost_false_positive_usd": 0.0}, 0.8, 80 / 980),
        # FP <= 6000/1 = 6000 > 900 negatives: capped at flagging all negatives, P = 80/980.
        ({"cost_false_positive_usd": 1.0}, 0.8, 80 / 980),
        # Baseline P = R = 0.5: TP 50, FP 50, FN 50 -> B = 5000 - 1000 - 2500 = 1500;
        # S = 8000 - 1000 - 1000 - 1500 = 4500; FP <= 225; P = 80/305.
        (PR_BASELINE, 0.8, 80 / 305),
        # Baseline worth 2000: S = 6000 - 2000 = 4000; FP <= 200; P = 80/280.
        ({"baseline_monthly_value_usd": 2000.0}, 0.8, 80 / 280),
        # A negative baseline value lowers the bar: S = 6000 + 3000; FP <= 450; P = 80/530.
        ({"baseline_monthly_value_usd": -3000.0}, 0.8, 80 / 530),
    ],
)
def test_min_precision_matches_hand_computation(
    changes: dict[str, object], recall: float, expected: float | None
) -> None:
    result = min_precision(inputs(**changes), recall)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected, rel=1e-12)


def test_baseline_value_from_precision_and_recall() -> None:
    # TP 50 * 100 - FP 50 * 20 - FN 50 * 50 = 1500, with no running cost for the baseline.
    assert inputs(**PR_BASELINE).baseline_monthly_net_value_usd == pytest.approx(1500.0)


def test_curve_keeps_the_order_of_the_recalls() -> None:
    assert break_even_curve(inputs(), [1.0, 0.2, 0.8]) == [
        (1.0, pytest.approx(100 / 550)),
        (0.2, None),
        (0.8, pytest.approx(80 / 380)),
    ]


def test_default_curve_spans_5_to_100_percent_recall() -> None:
    curve = break_even_curve(inputs())
    assert [recall for recall, _ in curve] == list(DEFAULT_RECALLS)
    assert DEFAULT_RECALLS[0] == 0.05 and DEFAULT_RECALLS[-1] == 1.0


@pytest.mark.parametrize("recall", [0.0, -0.1, 1.01, math.nan, math.inf, "0.5", True])
def test_recall_outside_0_to_1_is_rejected(recall: object) -> None:
    with pytest.raises(ValueError, match="Recall must be"):
        break_even_curve(inputs(), [recall])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # S(r) = 15000 r - 6000 = 0 at r = 0.4.
        ({}, 0.4),
        # S(1) = 10000 - 11000 < 0: never.
        ({"monthly_running_cost_usd": 11000.0}, None),
        # S(0) = -5000 - 0 + 6000 >= 0 with a baseline worth -6000: any recall.
        ({"baseline_monthly_value_usd": -7000.0}, 0.0),
    ],
)
def test_min_recall_of_a_perfectly_precise_model(changes: dict[str, object], expected: float | None) -> None:
    result = min_recall(inputs(**changes))
    assert result == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(
    ("changes", "recall", "expected"),
    [
        # r = 0.8: FP 300 + FN 20 errors out of 1000 -> 0.68.
        ({}, 0.8, 0.68),
        # r = 1: FP 450 + FN 0 -> 0.55.
        ({}, 1.0, 0.55),
        ({}, 0.2, None),
        # Errors along the frontier: 20 FP per... FP = (15000 r - 6000)/20, FN = 100 - 100 r ->
        # errors = 650 r - 200, largest at r = 1: 450 errors -> 0.55 is the lowest accuracy.
        ({}, None, 0.55),
        # With c_fp = 200, FP = (15000 r - 6000)/200, errors = 100 - 25 r - 30 = 70 - 25 r... largest
        # at the lowest feasible recall r = 0.4: FP 0, FN 60 -> 0.94.
        ({"cost_false_positive_usd": 200.0}, None, 0.94),
        ({"monthly_running_cost_usd": 11000.0}, None, None),
    ],
)
def test_min_accuracy_matches_hand_computation(
    changes: dict[str, object], recall: float | None, expected: float | None
) -> None:
    result = min_accuracy(inputs(**changes), recall)
    assert result == (None if expected is None else pytest.approx(expected))


def test_model_net_value_at_break_even_equals_the_baseline() -> None:
    # At r = 0.8 and P = 80/380: 8000 - 300*20 - 20*50 - 1000 = 0, the baseline's value.
    assert model_monthly_net_value_usd(inputs(), 80 / 380, 0.8) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"prevalence": 0.0}, "Prevalence must be strictly between 0 and 1"),
        ({"prevalence": 1.0}, "Prevalence must be strictly between 0 and 1"),
        ({"prevalence": math.nan}, "Prevalence must be a finite number"),
        ({"monthly_volume": 0.0}, "Monthly volume of predictions must be greater than 0"),
        ({"monthly_volume": -5.0}, "Monthly volume of predictions must be greater than 0"),
        ({"monthly_running_cost_usd": -1.0}, "Monthly running cost \\(USD\\) must be at least 0"),
        ({"value_true_positive_usd": math.inf}, "finite number"),
        ({"cost_false_positive_usd": -0.01}, "Cost of a false positive \\(USD\\) must be at least 0"),
        ({"cost_false_negative_usd": "5"}, "must be a number"),
        ({"baseline_monthly_value_usd": None}, "Give the baseline's precision and recall, or its monthly value"),
        ({"baseline_precision": 0.5}, "either as precision and recall or as a monthly value"),
        ({**PR_BASELINE, "baseline_recall": None}, "Give the baseline's precision and recall"),
        ({**PR_BASELINE, "baseline_precision": 0.0}, "Baseline precision must be greater than 0 and at most 1"),
        ({**PR_BASELINE, "baseline_recall": 1.5}, "Baseline recall must be between 0 and 1"),
        ({"baseline_name": " "}, "Baseline name must have 1 to 200 characters"),
    ],
)
def test_bad_break_even_inputs_are_rejected(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        inputs(**changes)


def test_baseline_recall_of_zero_is_a_baseline_that_flags_nothing() -> None:
    # TP 0, FP 0, FN 100 -> B = -100 * 50 = -5000.
    assert inputs(**{**PR_BASELINE, "baseline_recall": 0.0}).baseline_monthly_net_value_usd == -5000.0


# --- sentences --------------------------------------------------------------------------------


def test_sentence_states_precision_rounded_up() -> None:
    # TP 80, FN 20; S = 80*150 - 20*50 - 4000 - 2000 = 5000; FP <= 50; P = 80/130 = 61.5 % -> 62 %.
    case = inputs(
        value_true_positive_usd=150.0,
        cost_false_positive_usd=100.0,
        monthly_running_cost_usd=4000.0,
        baseline_monthly_value_usd=2000.0,
        baseline_name="the rule-based baseline",
    )
    assert break_even_sentence(case, 0.8) == (
        "At 80 % recall the model needs at least 62 % precision to beat the rule-based baseline "
        "and cover $4,000/month of running cost."
    )


@pytest.mark.parametrize(
    ("changes", "recall", "expected"),
    [
        (
            {},
            0.2,
            "At 20 % recall no precision is enough to beat the baseline and cover $1,000/month of running cost; "
            "even a perfectly precise model needs at least 40 % recall.",
        ),
        (
            {"monthly_running_cost_usd": 20000.0},
            0.8,
            "No model can beat the baseline and cover $20,000/month of running cost, at any recall; "
            "revisit the values, the costs or the baseline.",
        ),
        (
            {"cost_false_positive_usd": 0.0, "monthly_running_cost_usd": 0.0},
            0.805,
            "At 80.5 % recall the model can beat the baseline (no running cost entered) at any precision.",
        ),
        # S = 10000 - 12.5 = 9987.5; FP <= 499.375; P = 100 / 599.375 = 16.7 % -> 17 %.
        (
            {"monthly_running_cost_usd": 12.5},
            1.0,
            "At 100 % recall the model needs at least 17 % precision to beat the baseline and cover "
            "$12.50/month of running cost.",
        ),
    ],
)
def test_sentence_covers_unattainable_free_and_small_cost_cases(
    changes: dict[str, object], recall: float, expected: str
) -> None:
    assert break_even_sentence(inputs(**changes), recall) == expected


# --- regression -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cost", "volume", "baseline_mae", "running", "expected"),
    [
        # 5 - 20000 / (2 * 10000) = 4.
        (2.0, 10_000.0, 5.0, 20_000.0, 4.0),
        # No running cost: merely match the baseline.
        (2.0, 10_000.0, 5.0, 0.0, 5.0),
        # 5 - 100000 / 20000 = 0: only a perfect model pays.
        (2.0, 10_000.0, 5.0, 100_000.0, 0.0),
        # 5 - 100001 / 20000 < 0: none does.
        (2.0, 10_000.0, 5.0, 100_001.0, None),
        # 3 - 300 / (0.5 * 1000) = 2.4.
        (0.5, 1000.0, 3.0, 300.0, 2.4),
    ],
)
def test_regression_break_even_matches_hand_computation(
    cost: float, volume: float, baseline_mae: float, running: float, expected: float | None
) -> None:
    result = regression_break_even(cost, volume, baseline_mae, running)
    assert result == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0.0, 1000.0, 3.0, 0.0), "Cost per unit of error \\(USD\\) must be greater than 0"),
        ((1.0, -1.0, 3.0, 0.0), "Monthly volume of predictions must be greater than 0"),
        ((1.0, 1000.0, -3.0, 0.0), "Baseline MAE must be at least 0"),
        ((1.0, 1000.0, 3.0, math.nan), "finite number"),
    ],
)
def test_bad_regression_inputs_are_rejected(args: tuple[float, float, float, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        regression_break_even(*args)


@pytest.mark.parametrize(
    ("running", "expected"),
    [
        (20_000.0, "The model needs an MAE of at most 4 to beat the baseline and cover $20,000/month of running cost."),
        (200_000.0, "Even a perfect model (MAE 0) cannot beat the baseline and cover $200,000/month of running cost"),
    ],
)
def test_regression_sentence(running: float, expected: str) -> None:
    assert regression_break_even_sentence(RegressionBreakEvenInputs(2.0, 10_000.0, 5.0, running)).startswith(expected)


@pytest.mark.parametrize(
    ("baseline_mae", "running", "stated"),
    [
        (10.0, 7.0, "at most 9.99 "),  # 9.9993 is the limit: rounding to nearest would say 10, which misses it
        (10.0, 0.0, "at most 10 "),
        (0.125, 0.0, "at most 0.125 "),
        (12_345.678, 0.0, "at most 12,300 "),
        (0.0123456, 0.0, "at most 0.0123 "),
    ],
)
def test_the_stated_mae_limit_is_rounded_down(baseline_mae: float, running: float, stated: str) -> None:
    sentence = regression_break_even_sentence(RegressionBreakEvenInputs(1.0, 10_000.0, baseline_mae, running))
    assert stated in sentence


@given(
    baseline_mae=st.floats(min_value=1e-3, max_value=1e6),
    running=st.floats(min_value=0.0, max_value=1e5),
)
def test_meeting_the_stated_mae_limit_always_breaks_even(baseline_mae: float, running: float) -> None:
    inputs = RegressionBreakEvenInputs(1.0, 10_000.0, baseline_mae, running)
    limit = regression_break_even(1.0, 10_000.0, baseline_mae, running)
    sentence = regression_break_even_sentence(inputs)
    if limit is None:
        assert "cannot" in sentence
        return
    stated = float(sentence.split("at most ", 1)[1].split(" ", 1)[0].replace(",", ""))
    assert stated <= limit


# --- properties -------------------------------------------------------------------------------

money = st.floats(min_value=0.0, max_value=1e5, allow_nan=False)
fractions = st.floats(min_value=0.001, max_value=0.999)
recalls = st.floats(min_value=0.01, max_value=1.0)


def as_rank(precision: float | None) -> float:
    """None (unattainable) demands more than any precision."""
    return math.inf if precision is None else precision


@st.composite
def economics(draw: st.DrawFn, *, value_baseline: bool | None = None) -> BreakEvenInputs:
    use_value = draw(st.booleans()) if value_baseline is None else value_baseline
    baseline: dict[str, Any] = (
        {"baseline_monthly_value_usd": draw(st.floats(min_value=-1e6, max_value=1e6))}
        if use_value
        else {"baseline_precision": draw(st.floats(0.01, 1.0)), "baseline_recall": draw(st.floats(0.0, 1.0))}
    )
    return BreakEvenInputs(
        value_true_positive_usd=draw(money),
        cost_false_positive_usd=draw(money),
        cost_false_negative_usd=draw(money),
        prevalence=draw(fractions),
        monthly_volume=draw(st.floats(min_value=1.0, max_value=1e7)),
        monthly_running_cost_usd=draw(money),
        **baseline,
    )


@given(economics(value_baseline=True), money, money, recalls)
def test_higher_false_positive_cost_never_lowers_required_precision(
    case: BreakEvenInputs, cost_a: float, cost_b: float, recall: float
) -> None:
    low, high = sorted((cost_a, cost_b))
    cheaper = min_precision(BreakEvenInputs(**{**case.__dict__, "cost_false_positive_usd": low}), recall)
    dearer = min_precision(BreakEvenInputs(**{**case.__dict__, "cost_false_positive_usd": high}), recall)
    assert as_rank(dearer) >= as_rank(cheaper)


def test_with_a_precision_recall_baseline_a_dearer_false_positive_can_lower_the_bar() -> None:
    # The documented caveat: the model here wins only by making fewer false positives than the
    # baseline (P 0.1 at recall 0.9), so dearer false positives hurt the baseline more.
    case = dict(
        value_true_positive_usd=1.0,
        cost_false_negative_usd=0.0,
        prevalence=0.1,
        monthly_volume=1000.0,
        monthly_running_cost_usd=50.0,
        baseline_precision=0.1,
        baseline_recall=0.9,
    )
    cheaper = min_precision(BreakEvenInputs(cost_false_positive_usd=1.0, **case), 0.9)  # type: ignore[arg-type]
    dearer = min_precision(BreakEvenInputs(cost_false_positive_usd=10.0, **case), 0.9)  # type: ignore[arg-type]
    assert cheaper is not None and dearer is not None and dearer < cheaper


@given(economics(), money, money, recalls)
def test_higher_running_cost_never_lowers_required_precision(
    case: BreakEvenInputs, cost_a: float, cost_b: float, recall: float
) -> None:
    low, high = sorted((cost_a, cost_b))
    cheaper = min_precision(BreakEvenInputs(**{**case.__dict__, "monthly_running_cost_usd": low}), recall)
    dearer = min_precision(BreakEvenInputs(**{**case.__dict__, "monthly_running_cost_usd": high}), recall)
    assert as_rank(dearer) >= as_rank(cheaper)


@given(economics(), st.lists(recalls, min_size=1, max_size=5))
def test_curve_values_are_fractions_or_none(case: BreakEvenInputs, points: list[float]) -> None:
    for _, precision in break_even_curve(case, points):
        assert precision is None or 0.0 <= precision <= 1.0
    accuracy = min_accuracy(case)
    assert accuracy is None or 0.0 <= accuracy <= 1.0


@given(economics(), recalls)
def test_min_precision_is_exactly_break_even(case: BreakEvenInputs, recall: float) -> None:
    precision = min_precision(case, recall)
    baseline = case.baseline_monthly_net_value_usd
    scale = (
        1.0
        + abs(baseline)
        + case.monthly_volume
        * (case.value_true_positive_usd + case.cost_false_positive_usd + case.cost_false_negative_usd)
        + case.monthly_running_cost_usd
    )
    if precision is None:
        assert model_monthly_net_value_usd(case, 1.0, recall) < baseline + 1e-9 * scale
    else:
        assert model_monthly_net_value_usd(case, precision, recall) >= baseline - 1e-9 * scale
        slightly_worse = precision * (1 - 1e-6)
        floor = recall * case.prevalence / (recall * case.prevalence + 1 - case.prevalence)
        if slightly_worse > floor and case.cost_false_positive_usd > 0:
            assert model_monthly_net_value_usd(case, slightly_worse, recall) <= baseline + 1e-9 * scale


@settings(max_examples=40)
@given(economics())
def test_min_accuracy_is_the_lowest_over_recalls(case: BreakEvenInputs) -> None:
    overall = min_accuracy(case)
    grid = [step / 400 for step in range(1, 401)]
    at_grid = [accuracy for r in grid if (accuracy := min_accuracy(case, r)) is not None]
    if overall is None:
        assert at_grid == []
    else:
        assert all(overall <= accuracy + 1e-6 for accuracy in at_grid)
