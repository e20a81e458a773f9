"""The /resources page's "API or self-host" tab: pick a hosted model, see both monthly costs and the break-even.

The figures come from ``core.hosted.versus.compare_with_api`` (the brief and ``python -m core estimate
--compare-api`` call the same function); this module only draws them.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.hosted.catalogue import HostedModel, for_architecture
from core.hosted.choice import ApiChoice
from core.hosted.versus import ApiComparison, compare_chosen
from core.resources.evaluate import PlanEvaluation
from core.text import format_usd
from ui import catalogues as cat
from ui.text import escape_markdown
from views import page as page_of
from views.resources import fields as f
from views.resources.inputs import KEEP, ModelInputs, Section, _build, _enabled, _number

TAB = "API or self-host"
FALLBACK_MODEL = "openai-gpt-4o-mini"
CHART_COLOURS = {"API": "#1f77b4", "self-hosting": "#ff7f0e"}


def _label(models: dict[str, HostedModel], key: str) -> str:
    model = models.get(key)
    if model is None:
        return "a model no longer in the catalogue"
    same = " · same open weights" if model.architecture else ""
    return f"{model.label} · {model.modality}{same}"


def _default_model(models: dict[str, HostedModel], model: ModelInputs) -> str:
    """The cheapest hosted offer of the same open weights, else a cheap general model."""
    if model.arch is not None:
        offers = for_architecture(models, model.arch.key)
        if offers:
            return offers[0].key
    return FALLBACK_MODEL if FALLBACK_MODEL in models else next(iter(models))


def render_api_inputs(model: ModelInputs, shown: bool) -> Section[ApiChoice]:
    """The hosted model to compare with and what pricing it needs; drawn when ``shown``."""
    models, skipped = cat.hosted_models()
    if not models:
        if shown:
            st.info("The hosted-model catalogue is empty, so there is no API to compare with.")
        return Section()
    if not _enabled(
        shown,
        "Compare with a hosted API",
        f.API,
        "Price the same requests on a hosted model and find where self-hosting becomes cheaper.",
        "Turn on **Compare with a hosted API** to price the same workload on a provider's API.",
    ):
        return Section()
    state = st.session_state
    if state.get(f.API_MODEL.key) not in models:
        state[f.API_MODEL.key] = _default_model(models, model)
    if shown:
        for problem in skipped:
            st.warning(f"A hosted-model row was left out: {escape_markdown(problem)}", icon=":material/warning:")
        with st.form("res_api_form", border=True):
            keys = sorted(models, key=lambda k: (models[k].architecture != (model.arch.key if model.arch else None), k))
            st.selectbox(
                "Hosted model",
                keys,
                format_func=lambda key: _label(models, key),
                key=f.API_MODEL.key,
                persist_state=KEEP,
                help="Offers of the same open weights as your model come first: a like-for-like price. Prices "
                "are on the Hosted models page, where you can change them.",
            )
            c1, c2, c3 = st.columns(3)
            _number(
                c1,
                "Audio minutes per request",
                f.API_AUDIO,
                step=1.0,
                help="Only for speech-to-text models, billed per minute of audio.",
            )
            _number(
                c2,
                "Fixed API fee ($ per month)",
                f.API_FIXED,
                step=100.0,
                help="A subscription or committed spend the API charges whatever the volume; 0 for pay-as-you-go.",
            )
            _number(
                c3,
                "Team share of self-hosting ($ per month)",
                f.API_TEAM,
                step=1000.0,
                help="Empty: the People tab's monitoring phase (the people who keep the service running).",
            )
            st.form_submit_button("Update the comparison", key="res_api_apply", type="primary")
    return _build(lambda: f.api_choice(state, model.shape), shown)


def _chart_spec(rows: list[dict[str, float | str]], planned: float, point: float | None) -> dict[str, Any]:
    """Monthly cost (USD) against monthly volume for both options; rules at the plan and the break-even."""
    rules: list[dict[str, Any]] = [{"requests_per_month": planned, "what": "planned volume"}]
    if point is not None and point > 0:
        rules.append({"requests_per_month": point, "what": "break-even"})
    x = {"field": "requests_per_month", "type": "quantitative", "title": "Requests per month", "axis": {"format": "~s"}}
    return {
        "layer": [
            {
                "data": {"values": rows},
                "mark": {"type": "line", "interpolate": "linear", "strokeWidth": 2},
                "encoding": {
                    "x": x,
                    "y": {
                        "field": "usd_per_month",
                        "type": "quantitative",
                        "title": "Monthly cost (US$ per month)",
                        "axis": {"format": "$,.0f"},
                    },
                    "color": {
                        "field": "option",
                        "type": "nominal",
                        "title": None,
                        "scale": {"domain": list(CHART_COLOURS), "range": list(CHART_COLOURS.values())},
                    },
                    "tooltip": [
                        {"field": "option", "type": "nominal"},
                        {
                            "field": "requests_per_month",
                            "type": "quantitative",
                            "format": ",.0f",
                            "title": "Requests/month",
                        },
                        {"field": "usd_per_month", "type": "quantitative", "format": "$,.0f", "title": "US$ per month"},
                    ],
                },
            },
            {
                "data": {"values": rules},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#555"},
                "encoding": {"x": x, "tooltip": [{"field": "what", "type": "nominal"}]},
            },
            {
                "data": {"values": rules},
                "mark": {"type": "text", "align": "left", "dx": 4, "dy": 6, "baseline": "top", "color": "#555"},
                "encoding": {"x": x, "y": {"value": 0}, "text": {"field": "what"}},
            },
        ],
        "width": "container",
    }


def _volume(value: float | None) -> str:
    return "never" if value is None else f"{value:,.0f}"


def render_comparison(comparison: ApiComparison) -> None:
    """Both monthly costs, the break-even volume, the chart and the assumptions."""
    at = comparison.at_average
    c1, c2, c3 = st.container(key="res_api_metrics").columns(3)
    c1.metric(
        "API at planned volume",
        f"{format_usd(at.api_usd_per_month)}/month",
        help=f"{at.requests_per_month:,.0f} requests a month (the average rate all month).",
    )
    c2.metric(
        "Self-hosting",
        f"{format_usd(at.self_hosting_usd_per_month)}/month",
        help=f"{at.replicas:,} replica(s) sized for the peak, all month, plus the team share.",
    )
    c3.metric(
        "Break-even (requests/month)",
        _volume(comparison.break_even.break_even_requests_per_month),
        help="The lowest monthly volume at which self-hosting costs no more than the API.",
    )
    show = st.success if at.cheaper == "API" else st.info
    show(escape_markdown(comparison.verdict))
    st.markdown(escape_markdown(comparison.break_even_text))
    st.table(
        [
            {
                "Volume": "Average rate all month (planned)",
                "Requests per month": f"{comparison.planned_requests_per_month:,.0f}",
                "API (US$ per month)": format_usd(comparison.at_average.api_usd_per_month),
                "Self-hosting (US$ per month)": format_usd(comparison.at_average.self_hosting_usd_per_month),
            },
            {
                "Volume": "Peak rate all month",
                "Requests per month": f"{comparison.peak_requests_per_month:,.0f}",
                "API (US$ per month)": format_usd(comparison.at_peak.api_usd_per_month),
                "Self-hosting (US$ per month)": format_usd(comparison.at_peak.self_hosting_usd_per_month),
            },
        ]
    )
    st.caption(
        f"Self-hosting with replicas scaled down to the average rate would cost "
        f"{format_usd(comparison.self_hosting_usd_per_month_scaled_down)} a month: the floor if the replicas "
        "follow the load. The verdict keeps the peak's replicas all month, as the serving plan ranks devices."
    )
    st.vega_lite_chart(
        _chart_spec(
            comparison.chart(),
            comparison.planned_requests_per_month,
            comparison.break_even.break_even_requests_per_month,
        ),
        width="stretch",
        height=320,
    )
    with st.expander("Assumptions and what this leaves out"):
        st.markdown("\n".join(f"- {escape_markdown(line)}" for line in comparison.assumptions))


def render_api_tab(evaluation: PlanEvaluation) -> None:
    """The tab's results for the current inputs (the inputs are drawn above by ``render_api_inputs``)."""
    choice = evaluation.plan.api_comparison
    st.page_link(page_of("hosted_models"), label="See or change the hosted-model prices", icon=":material/sell:")
    if choice is None:
        return
    if evaluation.plan.serving is None:
        st.info("Turn on **Plan serving** on the Serving tab: the comparison needs the request rates.")
        return
    models, _ = cat.hosted_models()
    try:
        comparison = compare_chosen(evaluation, models, choice)
    except ValueError as error:
        st.warning(escape_markdown(str(error)), icon=":material/warning:")
        return
    render_comparison(comparison)
