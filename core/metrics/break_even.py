r"""Break-even model metrics: how good must the model be to beat the simpler solution and pay for itself?

Classification, per month, with volume V (predictions per month), prevalence p (share of
predictions whose true answer is positive), recall r and precision P:

    TP = r p V                      true positives found
    FN = (1 - r) p V                positives missed
    FP = TP (1 - P) / P             from P = TP / (TP + FP)
    net value = TP v_tp - FP c_fp - FN c_fn - running cost

The model must do at least as well as the baseline's monthly net value B (the simpler solution's
value in the same accounting, without running cost of its own: give B directly, or give the
baseline's precision and recall and B is computed with the formula above). Writing the surplus
left before false positives are paid for as

    S(r) = TP v_tp - FN c_fn - running cost - B,

the condition net value >= B becomes FP c_fp <= S(r). With c_fp > 0 and TP > 0:

    TP (1 - P) / P <= S / c_fp   <=>   1/P - 1 <= S / (TP c_fp)   <=>   P >= TP c_fp / (TP c_fp + S).

So S < 0 means no precision is enough (even P = 1 leaves the model short), S = 0 needs P = 1, and
S > 0 gives a minimum precision strictly below 1. A model can make at most N = (1 - p) V false
positives (every negative flagged), so the minimum precision never drops below the precision of
flagging everything at that recall, TP / (TP + N); with c_fp = 0 that floor is the answer.

Accuracy is (TP + TN) / V = 1 - (FP + FN) / V; at a given recall it is lowest at the largest
allowed FP, so the minimum accuracy at recall r uses FP = min(S / c_fp, N).

Units: all money in USD per prediction (values and costs) or USD per month (running cost,
baseline value); rates are fractions in [0, 1]. Assumption: v_tp, c_fp and c_fn are the same for
every prediction. c_fn is a cost *beyond* the value v_tp that a missed positive forgoes (damage,
penalty); set it to 0 when a miss only loses v_tp, or the miss is counted twice.

Caveat: with a baseline given as precision and recall, a higher c_fp also makes the baseline
worse, so the required precision can fall as c_fp rises when the model wins mainly by making
fewer false positives than the baseline. With a baseline given as a monthly value it never falls.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Final

from core.metrics._checks import (
    check_at_least,
    check_name,
    check_number,
    check_open_unit_interval,
    check_optional_number,
    check_positive,
)

DEFAULT_RECALLS: Final[tuple[float, ...]] = tuple(step / 20 for step in range(1, 21))
"""Recalls 0.05, 0.10, ..., 1.00: a curve fine enough to read off, cheap to compute."""

# Relative slack when comparing the surplus with 0, so that a case built to break even exactly
# (S = 0 on paper) is not declared unattainable by a rounding error of a few ulps.
_RELATIVE_TOLERANCE = 1e-12


def _check_fraction(value: object, what: str, *, allow_zero: bool) -> float:
    number = check_number(value, what)
    low_ok = number >= 0 if allow_zero else number > 0
    if not (low_ok and number <= 1):
        bound = "between 0 and 1" if allow_zero else "greater than 0 and at most 1"
        raise ValueError(f"{what} must be {bound}; got {number:g}.")
    return number


def _check_recall(value: object) -> float:
    # A model that finds no positives has no precision, so recall 0 has no break-even precision.
    return _check_fraction(value, "Recall", allow_zero=False)


@dataclass(frozen=True)
class BreakEvenInputs:
    """Economics of a classification use case (see the module docstring for the algebra).

    Give the baseline either as `baseline_precision` and `baseline_recall` or as
    `baseline_monthly_value_usd` (TP value minus FP and FN costs per month; doing nothing scores
    -p V c_fn). `baseline_name` is how sentences refer to it, e.g. "the rule-based baseline".
    """

    value_true_positive_usd: float
    cost_false_positive_usd: float
    cost_false_negative_usd: float
    prevalence: float
    monthly_volume: float
    monthly_running_cost_usd: float
    baseline_precision: float | None = None
    baseline_recall: float | None = None
    baseline_monthly_value_usd: float | None = None
    baseline_name: str = "the baseline"

    def __post_init__(self) -> None:
        checked = {
            "value_true_positive_usd": check_at_least(
                self.value_true_positive_usd, "Value of a true positive (USD)", 0.0
            ),
            "cost_false_positive_usd": check_at_least(
                self.cost_false_positive_usd, "Cost of a false positive (USD)", 0.0
            ),
            "cost_false_negative_usd": check_at_least(
                self.cost_false_negative_usd, "Cost of a false negative (USD)", 0.0
            ),
            "prevalence": check_open_unit_interval(self.prevalence, "Prevalence"),
            "monthly_volume": check_positive(self.monthly_volume, "Monthly volume of predictions"),
            "monthly_running_cost_usd": check_at_least(
                self.monthly_running_cost_usd, "Monthly running cost (USD)", 0.0
            ),
            "baseline_monthly_value_usd": check_optional_number(
                self.baseline_monthly_value_usd, "Baseline monthly value (USD)"
            ),
        }
        has_rates = self.baseline_precision is not None or self.baseline_recall is not None
        if has_rates and self.baseline_monthly_value_usd is not None:
            raise ValueError("Give the baseline either as precision and recall or as a monthly value in USD, not both.")
        if self.baseline_monthly_value_usd is None:
            if self.baseline_precision is None or self.baseline_recall is None:
                raise ValueError("Give the baseline's precision and recall, or its monthly value in USD.")
            checked["baseline_precision"] = _check_fraction(
                self.baseline_precision, "Baseline precision", allow_zero=False
            )
            checked["baseline_recall"] = _check_fraction(self.baseline_recall, "Baseline recall", allow_zero=True)
        check_name(self.baseline_name, "Baseline name")
        for attribute, value in checked.items():
            object.__setattr__(self, attribute, value)

    @property
    def positives_per_month(self) -> float:
        return self.prevalence * self.monthly_volume

    @property
    def negatives_per_month(self) -> float:
        return (1.0 - self.prevalence) * self.monthly_volume

    @property
    def baseline_monthly_net_value_usd(self) -> float:
        """B: the given monthly value, or the net-value formula at the baseline's precision and recall."""
        if self.baseline_monthly_value_usd is not None:
            return self.baseline_monthly_value_usd
        assert self.baseline_precision is not None and self.baseline_recall is not None
        return _net_value_usd(self, self.baseline_precision, self.baseline_recall, running_cost_usd=0.0)


def _net_value_usd(inputs: BreakEvenInputs, precision: float, recall: float, running_cost_usd: float) -> float:
    true_positives = recall * inputs.positives_per_month
    false_negatives = inputs.positives_per_month - true_positives
    false_positives = true_positives * (1.0 - precision) / precision
    return (
        true_positives * inputs.value_true_positive_usd
        - false_positives * inputs.cost_false_positive_usd
        - false_negatives * inputs.cost_false_negative_usd
        - running_cost_usd
    )


def model_monthly_net_value_usd(inputs: BreakEvenInputs, precision: float, recall: float) -> float:
    """Net value per month (USD) of a model at `precision` and `recall`, after its running cost."""
    precision = _check_fraction(precision, "Precision", allow_zero=False)
    recall = _check_fraction(recall, "Recall", allow_zero=True)
    return _net_value_usd(inputs, precision, recall, inputs.monthly_running_cost_usd)


def monthly_gain_usd(inputs: BreakEvenInputs, precision: float, recall: float) -> float:
    """What a model at ``precision`` and ``recall`` adds a month over the baseline, before its running cost."""
    precision = _check_fraction(precision, "Precision", allow_zero=False)
    recall = _check_fraction(recall, "Recall", allow_zero=True)
    return _net_value_usd(inputs, precision, recall, 0.0) - inputs.baseline_monthly_net_value_usd


def _surplus_usd(inputs: BreakEvenInputs, recall: float) -> float:
    """S(r): what is left per month to pay for false positives; clipped to 0 within rounding of 0."""
    positives = inputs.positives_per_month
    gains = recall * positives * inputs.value_true_positive_usd
    charges = (
        (1.0 - recall) * positives * inputs.cost_false_negative_usd
        + inputs.monthly_running_cost_usd
        + inputs.baseline_monthly_net_value_usd
    )
    surplus = gains - charges
    scale = gains + abs(charges) + 2 * abs(inputs.baseline_monthly_net_value_usd)
    if abs(surplus) <= _RELATIVE_TOLERANCE * scale:
        return 0.0
    return surplus


def _allowed_false_positives(inputs: BreakEvenInputs, recall: float) -> float | None:
    """Most false positives per month the model may make at `recall`; None if even 0 is too many."""
    surplus = _surplus_usd(inputs, recall)
    if surplus < 0:
        return None
    negatives = inputs.negatives_per_month
    if inputs.cost_false_positive_usd == 0:
        return negatives
    return min(surplus / inputs.cost_false_positive_usd, negatives)


def min_precision(inputs: BreakEvenInputs, recall: float) -> float | None:
    """Lowest precision (fraction) at which a model with this recall breaks even; None if none does."""
    recall = _check_recall(recall)
    allowed = _allowed_false_positives(inputs, recall)
    if allowed is None:
        return None
    true_positives = recall * inputs.positives_per_month
    return min(1.0, true_positives / (true_positives + allowed))


def break_even_curve(
    inputs: BreakEvenInputs, recalls: Iterable[float] = DEFAULT_RECALLS
) -> list[tuple[float, float | None]]:
    """(recall, minimum precision or None if unattainable) for each recall in (0, 1], in the given order."""
    return [(recall, min_precision(inputs, recall)) for recall in (_check_recall(r) for r in recalls)]


def min_recall(inputs: BreakEvenInputs) -> float | None:
    """Lowest recall at which a perfectly precise model (P = 1) breaks even; None if none does.

    S(r) grows linearly with r (each positive found earns v_tp and avoids c_fn), so this is the
    root of S clipped into [0, 1]; 0.0 means any recall above 0 breaks even (a lower bound, since
    recall 0 itself has no precision). Every recall from this one up to 1 breaks even at some
    precision.
    """
    if _surplus_usd(inputs, 1.0) < 0:
        return None
    if _surplus_usd(inputs, 0.0) >= 0:
        return 0.0
    slope = inputs.positives_per_month * (inputs.value_true_positive_usd + inputs.cost_false_negative_usd)
    root = (
        inputs.positives_per_month * inputs.cost_false_negative_usd
        + inputs.monthly_running_cost_usd
        + inputs.baseline_monthly_net_value_usd
    ) / slope
    return min(1.0, max(0.0, root))


def _accuracy_at(inputs: BreakEvenInputs, recall: float) -> float | None:
    allowed = _allowed_false_positives(inputs, recall)
    if allowed is None:
        return None
    errors = allowed + (1.0 - recall) * inputs.positives_per_month
    return min(1.0, max(0.0, 1.0 - errors / inputs.monthly_volume))


def min_accuracy(inputs: BreakEvenInputs, recall: float | None = None) -> float | None:
    """Lowest accuracy (fraction) of a break-even model; None if no model breaks even.

    With `recall`, at that recall (the accuracy at the minimum precision). Without, the lowest over
    all recalls in (0, 1]: a model less accurate than this cannot beat the baseline at any recall.
    That is a necessary condition only, since accuracy hides the mix of errors. Along the break-even
    frontier accuracy is piecewise linear in recall, so the minimum lies at r = 1, at the lowest
    feasible recall, where the false-positive cap N starts to bind, or (as an infimum) at r -> 0.
    """
    if recall is not None:
        return _accuracy_at(inputs, _check_recall(recall))
    slope = inputs.positives_per_month * (inputs.value_true_positive_usd + inputs.cost_false_negative_usd)
    fixed = (
        inputs.positives_per_month * inputs.cost_false_negative_usd
        + inputs.monthly_running_cost_usd
        + inputs.baseline_monthly_net_value_usd
    )
    positives = inputs.positives_per_month
    volume = inputs.monthly_volume
    at_full_recall = _accuracy_at(inputs, 1.0)
    if at_full_recall is None:
        # S grows with recall, so if r = 1 cannot break even, no recall can.
        return None
    accuracies = [at_full_recall]
    if (at_zero := _accuracy_at(inputs, 0.0)) is not None:
        accuracies.append(at_zero)
    # The breakpoints are evaluated from their definitions rather than through S(r), whose
    # rounding slack could misjudge them when costs differ by many orders of magnitude.
    if slope > 0 and 0.0 <= (lowest := fixed / slope) <= 1.0:
        allowed = inputs.negatives_per_month if inputs.cost_false_positive_usd == 0 else 0.0
        accuracies.append(1.0 - (allowed + (1.0 - lowest) * positives) / volume)
    if slope > 0 and inputs.cost_false_positive_usd > 0:
        capped = (inputs.cost_false_positive_usd * inputs.negatives_per_month + fixed) / slope
        if 0.0 <= capped <= 1.0:
            # All negatives flagged and (1 - r) of the positives missed: only r p V are right.
            accuracies.append(capped * inputs.prevalence)
    accuracies = [min(1.0, max(0.0, accuracy)) for accuracy in accuracies]
    return min(accuracies, default=None)


def _percent(fraction: float) -> str:
    """0.8 -> "80 %", 0.805 -> "80.5 %"."""
    text = f"{fraction * 100:.1f}".removesuffix(".0")
    return f"{text} %"


def _percent_at_least(fraction: float) -> str:
    """Rounded up to a whole percent, so that the stated requirement is always enough."""
    return f"{math.ceil(fraction * 100 - 1e-9)} %"


def _at_most(limit: float, significant: int = 3) -> str:
    """A limit rounded *down* to ``significant`` digits, so that meeting the stated figure is always enough.

    >>> _at_most(9.9993), _at_most(4.0), _at_most(0.29), _at_most(12_345.6)
    ('9.99', '4', '0.29', '12,300')
    """
    if limit <= 0:
        return "0"
    # Floored in decimal from the shortest repr, so a limit such as 0.29 (binary 0.28999...) stays 0.29.
    exact = Decimal(repr(limit))
    step = Decimal(1).scaleb(exact.adjusted() - significant + 1)
    floored = exact.quantize(step, rounding=ROUND_FLOOR)
    if floored >= 1000:
        return f"{floored:,.0f}"
    return format(floored.normalize(), "f")


def _usd(amount: float) -> str:
    """$4,000 for whole or large amounts; cents only where they matter ($12.50)."""
    if amount.is_integer() or amount >= 1000:
        return f"${amount:,.0f}"
    return f"${amount:,.2f}"


def break_even_sentence(inputs: BreakEvenInputs, recall: float) -> str:
    """The break-even requirement at `recall` in one sentence, e.g.

    "At 80 % recall the model needs at least 62 % precision to beat the rule-based baseline and
    cover $4,000/month of running cost." Precision is rounded up to a whole percent.
    """
    recall = _check_recall(recall)
    running = inputs.monthly_running_cost_usd
    goal = (
        f"beat {inputs.baseline_name.strip()} and cover {_usd(running)}/month of running cost"
        if running > 0
        else f"beat {inputs.baseline_name.strip()} (no running cost entered)"
    )
    precision = min_precision(inputs, recall)
    if precision is None:
        lowest_recall = min_recall(inputs)
        if lowest_recall is None:
            return f"No model can {goal}, at any recall; revisit the values, the costs or the baseline."
        return (
            f"At {_percent(recall)} recall no precision is enough to {goal}; even a perfectly precise "
            f"model needs at least {_percent_at_least(lowest_recall)} recall."
        )
    true_positives = recall * inputs.positives_per_month
    floor = true_positives / (true_positives + inputs.negatives_per_month)
    if precision <= floor:
        return f"At {_percent(recall)} recall the model can {goal} at any precision."
    return f"At {_percent(recall)} recall the model needs at least {_percent_at_least(precision)} precision to {goal}."


@dataclass(frozen=True)
class RegressionBreakEvenInputs:
    """Economics of a regression use case: every unit of absolute error costs the same.

    `cost_per_unit_error_usd` is USD per prediction per unit of absolute error (e.g. USD per litre
    mis-forecast), so a month of errors costs cost * volume * MAE; `baseline_mae` is in the
    target's unit.
    """

    cost_per_unit_error_usd: float
    monthly_volume: float
    baseline_mae: float
    monthly_running_cost_usd: float
    baseline_name: str = "the baseline"

    def __post_init__(self) -> None:
        checked = {
            "cost_per_unit_error_usd": check_positive(self.cost_per_unit_error_usd, "Cost per unit of error (USD)"),
            "monthly_volume": check_positive(self.monthly_volume, "Monthly volume of predictions"),
            "baseline_mae": check_at_least(self.baseline_mae, "Baseline MAE", 0.0),
            "monthly_running_cost_usd": check_at_least(
                self.monthly_running_cost_usd, "Monthly running cost (USD)", 0.0
            ),
        }
        check_name(self.baseline_name, "Baseline name")
        for attribute, value in checked.items():
            object.__setattr__(self, attribute, value)


def regression_break_even(
    cost_per_unit_error_usd: float,
    monthly_volume: float,
    baseline_mae: float,
    monthly_running_cost_usd: float,
) -> float | None:
    """Largest MAE the model may have to beat the baseline and pay its running cost; None if none can.

    The model breaks even when c V MAE + running cost <= c V baseline MAE, i.e.
    MAE <= baseline MAE - running cost / (c V). Below 0 no model can (None).
    """
    inputs = RegressionBreakEvenInputs(cost_per_unit_error_usd, monthly_volume, baseline_mae, monthly_running_cost_usd)
    return _max_mae(inputs)


def regression_monthly_gain_usd(inputs: RegressionBreakEvenInputs, mae: float) -> float:
    """What a model with this MAE saves a month over the baseline's errors, before its running cost."""
    mae = check_at_least(mae, "MAE", 0.0)
    return inputs.cost_per_unit_error_usd * inputs.monthly_volume * (inputs.baseline_mae - mae)


def _max_mae(inputs: RegressionBreakEvenInputs) -> float | None:
    max_mae = inputs.baseline_mae - inputs.monthly_running_cost_usd / (
        inputs.cost_per_unit_error_usd * inputs.monthly_volume
    )
    if max_mae < -_RELATIVE_TOLERANCE * inputs.baseline_mae:
        return None
    return max(0.0, max_mae)


def regression_break_even_sentence(inputs: RegressionBreakEvenInputs) -> str:
    """E.g. "The model needs an MAE of at most 4 to beat the baseline and cover $20,000/month of running cost."."""
    max_mae = _max_mae(inputs)
    running = inputs.monthly_running_cost_usd
    goal = (
        f"beat {inputs.baseline_name.strip()} and cover {_usd(running)}/month of running cost"
        if running > 0
        else f"beat {inputs.baseline_name.strip()} (no running cost entered)"
    )
    if max_mae is None:
        return f"Even a perfect model (MAE 0) cannot {goal}; the errors it saves are worth too little."
    return f"The model needs an MAE of at most {_at_most(max_mae)} to {goal}."
