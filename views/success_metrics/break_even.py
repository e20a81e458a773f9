"""The break-even model metric on the success-metrics page: inputs, chart, sentence, minimum accuracy."""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

import altair as alt
import streamlit as st

from core.metrics import (
    BreakEvenInputs,
    RegressionBreakEvenInputs,
    break_even_curve,
    break_even_sentence,
    min_accuracy,
    min_recall,
    regression_break_even,
    regression_break_even_sentence,
)
from core.metrics.running_cost import RunningCostDefault
from core.worthiness import MEETS_NEED, Candidate
from ui.text import escape_markdown
from views.success_metrics.state import BASELINE_RATES, BASELINE_VALUE, KIND_CLASSIFICATION, KIND_REGRESSION

BreakEven = BreakEvenInputs | RegressionBreakEvenInputs

CURVE_RECALLS = tuple(step / 100 for step in range(1, 101))
"""Recalls 0.01 ... 1.00 for the chart: smooth enough, about a millisecond to compute."""

PAYS_OFF = "model beats the baseline and pays for itself"
UNATTAINABLE = "no precision is enough at this recall"


@dataclass(frozen=True)
class BreakEvenResult:
    inputs: BreakEven | None
    error: str | None


def baseline_name_for(candidate: Candidate) -> str:
    """The simpler alternative that best meets the need, as the sentences name it."""
    usable = [alternative for alternative in candidate.alternatives if alternative.meets_need != "no"]
    if not usable:
        return "the current process"
    best = min(usable, key=lambda alternative: MEETS_NEED.index(alternative.meets_need))
    return f"the {best.kind} alternative"


def _alternatives_caption(candidate: Candidate) -> str:
    if not candidate.alternatives:
        return (
            "No simpler alternative is listed for this candidate on the Worthiness page; the baseline is what "
            "the business does today. Enter its precision and recall, or its net value per month."
        )
    parts = []
    for alternative in candidate.alternatives:
        cost = f", about ${alternative.rough_cost_usd:,.0f} to set up" if alternative.rough_cost_usd is not None else ""
        note = f": {alternative.note}" if alternative.note.strip() else ""
        parts.append(f"{alternative.kind} (meets the need {alternative.meets_need}{cost}){note}")
    return (
        "Simpler alternatives from the Worthiness page: "
        + "; ".join(parts)
        + ". Enter the best one's precision and recall, or its net value per month, as the baseline."
    )


def _number(column: Any, label: str, key: str, help: str, *, fmt: str = "%g", step: float = 1.0) -> float | None:
    # value=None lets a field be cleared; the message then asks for a number instead of a 0 slipping in.
    value = column.number_input(label, key=key, value=None, step=step, format=fmt, help=help)
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _monthly_volume(column: Any) -> float | None:
    """One input for both kinds of model, so a volume typed for one is kept when the kind changes."""
    return _number(
        column,
        "Monthly volume (predictions per month)",
        "sm_be_volume",
        "How many predictions the model makes in a month; greater than 0.",
        fmt="%.0f",
        step=1000.0,
    )


def _require(values: dict[str, float | None]) -> None:
    missing = [label for label, value in values.items() if value is None]
    if missing:
        raise ValueError(f"Enter a number for: {', '.join(missing)}.")


def _running_cost_hint(offered: RunningCostDefault | None) -> None:
    if offered is None:
        st.caption(
            "Running cost typed in: this candidate has no resource scenario with buy-versus-cloud figures on the "
            "Resources page. Include serving, monitoring and the people who keep the model running."
        )
        return
    current = st.session_state.get("sm_be_running_cost")
    st.caption(
        f"This candidate's resource scenario “{escape_markdown(offered.scenario)}” costs about "
        f"\\${offered.monthly_usd:,.0f} per month ({offered.basis}); it is the default here. Add people and other "
        "running costs it does not include."
    )
    if current is None or not math.isclose(float(current), offered.monthly_usd, rel_tol=1e-9):
        st.button(
            f"Use ${offered.monthly_usd:,.0f}/month from the resource plan",
            key="sm_be_use_resources",
            on_click=lambda: st.session_state.__setitem__("sm_be_running_cost", offered.monthly_usd),
        )


def render_inputs(candidate: Candidate, offered: RunningCostDefault | None) -> BreakEvenResult:
    """The break-even inputs; returns the inputs when they are valid, else the message shown beside them."""
    kind = st.radio(
        "Kind of use case",
        options=(KIND_CLASSIFICATION, KIND_REGRESSION),
        key="sm_be_kind",
        horizontal=True,
        format_func=lambda value: (
            "Classification (yes / no decisions)"
            if value == KIND_CLASSIFICATION
            else "Regression (a number is predicted)"
        ),
    )
    try:
        inputs: BreakEven
        inputs = _regression_inputs(offered) if kind == KIND_REGRESSION else _classification_inputs(candidate, offered)
    except ValueError as error:
        st.error(f"Break-even inputs: {escape_markdown(str(error))}", icon=":material/error:")
        return BreakEvenResult(None, str(error))
    return BreakEvenResult(inputs, None)


def _classification_inputs(candidate: Candidate, offered: RunningCostDefault | None) -> BreakEvenInputs:
    c1, c2, c3 = st.columns(3)
    value_tp = _number(
        c1,
        "Value of a true positive (USD per prediction)",
        "sm_be_value_tp",
        "What one correctly flagged case earns or saves, in US dollars.",
        step=1.0,
    )
    cost_fp = _number(
        c2,
        "Cost of a false positive (USD per prediction)",
        "sm_be_cost_fp",
        "What one false alarm costs (wasted work, a wrong action), in US dollars.",
        step=1.0,
    )
    cost_fn = _number(
        c3,
        "Cost of a false negative (USD per prediction)",
        "sm_be_cost_fn",
        "Damage or penalty of a missed case beyond the value it forgoes; 0 when a miss only loses that value "
        "(else the miss is counted twice).",
        step=1.0,
    )
    prevalence = _number(
        c1,
        "Prevalence (fraction of predictions, 0-1)",
        "sm_be_prevalence",
        "Share of predictions whose true answer is positive, strictly between 0 and 1: 0.08 = 8 %.",
        fmt="%.4f",
        step=0.01,
    )
    volume = _monthly_volume(c2)
    running = _number(
        c3,
        "Monthly running cost (USD per month)",
        "sm_be_running_cost",
        "Serving, monitoring and upkeep of the model per month, in US dollars; the baseline's own running cost "
        "is assumed already netted out of its value.",
        step=100.0,
    )
    _running_cost_hint(offered)
    st.caption(escape_markdown(_alternatives_caption(candidate)))
    b1, b2, b3 = st.columns(3)
    mode = b1.radio(
        "Baseline given as",
        options=(BASELINE_RATES, BASELINE_VALUE),
        key="sm_be_baseline_mode",
        help="Either the simpler solution's precision and recall (its value is then computed with the same "
        "money figures), or its net value per month in US dollars.",
    )
    name = b1.text_input(
        "Baseline name (as sentences call it)",
        key="sm_be_baseline_name",
        help="e.g. the rule-based baseline; up to 200 characters.",
    )
    values: dict[str, float | None] = {
        "value of a true positive": value_tp,
        "cost of a false positive": cost_fp,
        "cost of a false negative": cost_fn,
        "prevalence": prevalence,
        "monthly volume": volume,
        "monthly running cost": running,
    }
    baseline: dict[str, float | None] = {}
    if mode == BASELINE_VALUE:
        baseline["baseline_monthly_value_usd"] = _number(
            b2,
            "Baseline net value (USD per month)",
            "sm_be_baseline_value",
            "Value of its true positives minus the costs of its false positives and negatives, per month. Doing "
            "nothing scores minus prevalence x volume x cost of a false negative.",
            step=100.0,
        )
        values["baseline net value"] = baseline["baseline_monthly_value_usd"]
    else:
        baseline["baseline_precision"] = _number(
            b2,
            "Baseline precision (fraction, 0-1)",
            "sm_be_baseline_precision",
            "Share of the simpler solution's alerts that are right: TP / (TP + FP).",
            fmt="%.3f",
            step=0.05,
        )
        baseline["baseline_recall"] = _number(
            b3,
            "Baseline recall (fraction, 0-1)",
            "sm_be_baseline_recall",
            "Share of the positives the simpler solution finds: TP / (TP + FN).",
            fmt="%.3f",
            step=0.05,
        )
        values["baseline precision"] = baseline["baseline_precision"]
        values["baseline recall"] = baseline["baseline_recall"]
    _require(values)
    return BreakEvenInputs(
        value_true_positive_usd=value_tp,  # type: ignore[arg-type]
        cost_false_positive_usd=cost_fp,  # type: ignore[arg-type]
        cost_false_negative_usd=cost_fn,  # type: ignore[arg-type]
        prevalence=prevalence,  # type: ignore[arg-type]
        monthly_volume=volume,  # type: ignore[arg-type]
        monthly_running_cost_usd=running,  # type: ignore[arg-type]
        baseline_name=name or "",
        **baseline,
    )


def _regression_inputs(offered: RunningCostDefault | None) -> RegressionBreakEvenInputs:
    c1, c2, c3 = st.columns(3)
    cost = _number(
        c1,
        "Cost per unit of error (USD per unit, per prediction)",
        "sm_be_cost_per_unit",
        "What one unit of absolute error costs on one prediction, e.g. USD per litre mis-forecast; a month of "
        "errors costs this x volume x MAE.",
        step=0.1,
    )
    volume = _monthly_volume(c2)
    running = _number(
        c3,
        "Monthly running cost (USD per month)",
        "sm_be_running_cost",
        "Serving, monitoring and upkeep of the model per month, in US dollars.",
        step=100.0,
    )
    baseline_mae = _number(
        c1,
        "Baseline MAE (units of the target)",
        "sm_be_baseline_mae",
        "Mean absolute error of the simpler solution, in the target's unit.",
        step=1.0,
    )
    name = c2.text_input("Baseline name (as sentences call it)", key="sm_be_baseline_name")
    _running_cost_hint(offered)
    _require(
        {
            "cost per unit of error": cost,
            "monthly volume": volume,
            "monthly running cost": running,
            "baseline MAE": baseline_mae,
        }
    )
    return RegressionBreakEvenInputs(
        cost_per_unit_error_usd=cost,  # type: ignore[arg-type]
        monthly_volume=volume,  # type: ignore[arg-type]
        baseline_mae=baseline_mae,  # type: ignore[arg-type]
        monthly_running_cost_usd=running,  # type: ignore[arg-type]
        baseline_name=name or "",
    )


# --- results ----------------------------------------------------------------------------------


def _curve_datasets(inputs: BreakEvenInputs, recall: float) -> dict[str, list[dict[str, Any]]]:
    """The chart's data: the attainable part of the curve, the unattainable recall bands, the marker."""
    half = 0.005  # half the recall step, so that bands meet
    attainable: list[dict[str, Any]] = []
    bands: list[dict[str, Any]] = []
    for point_recall, precision in break_even_curve(inputs, CURVE_RECALLS):
        if precision is not None:
            attainable.append({"recall": point_recall, "min_precision": precision, "ceiling": 1.0, "region": PAYS_OFF})
        elif bands and math.isclose(bands[-1]["end"], point_recall - half, abs_tol=1e-9):
            bands[-1]["end"] = min(1.0, point_recall + half)
        else:
            bands.append(
                {"start": max(0.0, point_recall - half), "end": min(1.0, point_recall + half), "region": UNATTAINABLE}
            )
    return {"attainable": attainable, "bands": bands, "marker": [{"recall": recall}]}


@st.cache_resource(show_spinner=False)
def _classification_template() -> dict[str, Any]:
    """The Vega-Lite spec of the break-even chart, built with Altair once; data comes by name per run.

    Building and validating an Altair chart takes tens of milliseconds, too slow for every rerun.
    """
    colour = alt.Color(
        "region:N",
        title=None,
        scale=alt.Scale(domain=[PAYS_OFF, UNATTAINABLE], range=["#2e7d32", "#c62828"]),
        legend=alt.Legend(orient="bottom", labelLimit=400),
    )
    x = alt.X(
        "recall:Q",
        title="Recall (share of positives found)",
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format=".0%"),
    )
    y = alt.Y(
        "min_precision:Q",
        title="Minimum precision",
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format=".0%"),
    )
    attainable = alt.Data(name="attainable")
    area = alt.Chart(attainable).mark_area(opacity=0.18).encode(x=x, y=y, y2="ceiling:Q", color=colour)
    line = (
        alt.Chart(attainable)
        .mark_line(color="#2e7d32", strokeWidth=2)
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("recall:Q", title="Recall", format=".0%"),
                alt.Tooltip("min_precision:Q", title="Minimum precision", format=".1%"),
            ],
        )
    )
    bands = (
        alt.Chart(alt.Data(name="bands"))
        .mark_rect(opacity=0.22)
        .encode(x="start:Q", x2="end:Q", y=alt.datum(0), y2=alt.datum(1), color=colour)
    )
    marker = (
        alt.Chart(alt.Data(name="marker"))
        .mark_rule(strokeDash=[4, 4], color="#555")
        .encode(x="recall:Q", tooltip=[alt.Tooltip("recall:Q", title="Recall in the sentence", format=".0%")])
    )
    return alt.layer(bands, area, line, marker).properties(height=320).to_dict()


def classification_chart_spec(inputs: BreakEvenInputs, recall: float) -> dict[str, Any]:
    """Minimum precision against recall: the area above the curve pays off; red bands cannot at any precision."""
    # A deep copy: Streamlit moves data out of the spec it is given, and the template is shared.
    return {**copy.deepcopy(_classification_template()), "datasets": _curve_datasets(inputs, recall)}


def _percent(value: float | None) -> str:
    return "none" if value is None else f"{math.ceil(value * 1000 - 1e-9) / 10:g} %"


def render_classification_results(inputs: BreakEvenInputs) -> None:
    recall = st.slider(
        "Recall for the sentence",
        min_value=0.05,
        max_value=1.0,
        step=0.05,
        key="sm_be_recall",
        format="%.2f",
        help="The recall the team expects to reach; the sentence states the precision needed there.",
    )
    st.vega_lite_chart(classification_chart_spec(inputs, recall), width="stretch")
    st.info(escape_markdown(break_even_sentence(inputs, recall)), icon=":material/flag:")
    overall = min_accuracy(inputs)
    at_recall = min_accuracy(inputs, recall)
    lowest_recall = min_recall(inputs)
    m1, m2, m3 = st.columns(3)
    m1.metric(
        "Minimum accuracy (any recall)",
        _percent(overall),
        help="No model less accurate than this beats the baseline at any recall: accuracy = 1 - (FP + FN) / "
        "volume, at the most false positives the surplus can pay for. Necessary, not sufficient.",
    )
    m2.metric(
        f"Minimum accuracy at {recall:.0%} recall",
        _percent(at_recall),
        help="Accuracy of a model at that recall and exactly the minimum precision.",
    )
    m3.metric(
        "Minimum recall (perfect precision)",
        _percent(lowest_recall),
        help="Even a model with no false positives needs at least this recall to break even.",
    )
    st.caption(
        "Above the green line the model earns more per month than the baseline after its running cost; red bands "
        "mark recalls where no precision is enough. Percentages are rounded up, so the stated minimum always "
        "suffices."
    )


@st.cache_resource(show_spinner=False)
def _regression_template() -> dict[str, Any]:
    """The regression chart's Vega-Lite spec, built with Altair once (see `_classification_template`)."""
    line = (
        alt.Chart(alt.Data(name="savings"))
        .mark_line(color="#2e7d32", strokeWidth=2)
        .encode(
            x=alt.X("mae:Q", title="Model MAE (units of the target)"),
            y=alt.Y("saving:Q", title="Net saving against the baseline (USD per month)"),
            tooltip=[
                alt.Tooltip("mae:Q", title="MAE", format=".3g"),
                alt.Tooltip("saving:Q", title="USD per month", format=",.0f"),
            ],
        )
    )
    zero = alt.Chart(alt.Data(name="zero")).mark_rule(color="#555").encode(y="saving:Q")
    limit = alt.Chart(alt.Data(name="limit")).mark_rule(strokeDash=[4, 4], color="#c62828").encode(x="mae:Q")
    return alt.layer(zero, line, limit).properties(height=320).to_dict()


def regression_chart_spec(inputs: RegressionBreakEvenInputs, max_mae: float | None) -> dict[str, Any]:
    """Monthly net saving against the model's MAE; the model breaks even where the line crosses zero."""
    top = max(inputs.baseline_mae * 1.2, 1e-9)
    scale = inputs.cost_per_unit_error_usd * inputs.monthly_volume
    savings = [
        {"mae": mae, "saving": scale * (inputs.baseline_mae - mae) - inputs.monthly_running_cost_usd}
        for mae in (top * step / 50 for step in range(51))
    ]
    limit = [] if max_mae is None else [{"mae": max_mae}]
    return {
        **copy.deepcopy(_regression_template()),
        "datasets": {"savings": savings, "zero": [{"saving": 0.0}], "limit": limit},
    }


def render_regression_results(inputs: RegressionBreakEvenInputs) -> None:
    max_mae = regression_break_even(
        inputs.cost_per_unit_error_usd, inputs.monthly_volume, inputs.baseline_mae, inputs.monthly_running_cost_usd
    )
    st.vega_lite_chart(regression_chart_spec(inputs, max_mae), width="stretch")
    st.info(escape_markdown(regression_break_even_sentence(inputs)), icon=":material/flag:")
    st.metric(
        "Largest MAE that breaks even (units of the target)",
        "none" if max_mae is None else f"{max_mae:.3g}",
        help="baseline MAE - running cost / (cost per unit of error x monthly volume).",
    )


def render_results(inputs: BreakEven | None) -> None:
    if inputs is None:
        st.caption("Fix the inputs above to see the break-even chart.")
    elif isinstance(inputs, BreakEvenInputs):
        render_classification_results(inputs)
    else:
        render_regression_results(inputs)
