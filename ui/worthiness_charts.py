"""The /worthiness page's Altair charts: value versus feasibility, probability of ranking first, rank distribution.

Charts are built with Altair from inline rows and turned into Vega-Lite specs
once per distinct data (``st.cache_data`` on the rows' JSON): building and
validating an Altair chart takes tens of milliseconds, a cached spec none.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import altair as alt
import streamlit as st

from core.worthiness import QUADRANT_MIDPOINT
from core.worthiness.view import VERDICT_CHART_COLOURS

_DOMAIN = [1, 5]
RIGHT_EDGE_LABELS_FROM = 3.8
BAR_HEIGHT_PX = 34
QUADRANT_HEIGHT_PX = 440
# Where each quadrant's name is written (feasibility x, value y): high value is up, feasible is right.
_QUADRANT_LABELS = (
    {"x": 4.95, "y": 4.9, "name": "do now", "align": "right"},
    {"x": 1.05, "y": 4.9, "name": "strategic bet", "align": "left"},
    {"x": 4.95, "y": 1.1, "name": "quick win", "align": "right"},
    {"x": 1.05, "y": 1.1, "name": "defer", "align": "left"},
)


def _scale() -> alt.Scale:
    return alt.Scale(domain=_DOMAIN)


def quadrant_chart(rows: Sequence[dict[str, Any]]) -> alt.LayerChart:
    """Value (y) versus feasibility (x), dashed rules at the midpoint 3, the four quadrants named, each point
    labelled with its candidate and coloured by verdict."""
    points = alt.Data(values=list(rows))
    x = alt.X(
        "Feasibility (1–5):Q", scale=_scale(), title="Feasibility (1–5): mean of 6 − complexity, risk and cost"
    )
    y = alt.Y("Value (1–5):Q", scale=_scale(), title="Value (1–5): mean of impact and value")
    middle = alt.Data(values=[{"at": QUADRANT_MIDPOINT}])
    vertical = alt.Chart(middle).mark_rule(strokeDash=[4, 4], color="#999").encode(x=alt.X("at:Q", scale=_scale()))
    horizontal = alt.Chart(middle).mark_rule(strokeDash=[4, 4], color="#999").encode(y=alt.Y("at:Q", scale=_scale()))
    labels = [
        alt.Chart(alt.Data(values=[label for label in _QUADRANT_LABELS if label["align"] == align]))
        .mark_text(align=align, baseline="middle", fontSize=14, fontWeight="bold", color="#8a8a8a")
        .encode(x=alt.X("x:Q", scale=_scale()), y=alt.Y("y:Q", scale=_scale()), text="name:N")
        for align in ("left", "right")
    ]
    tooltip = [
        alt.Tooltip("Candidate:N"),
        alt.Tooltip("Value (1–5):Q", format=".2f"),
        alt.Tooltip("Feasibility (1–5):Q", format=".2f"),
        alt.Tooltip("Quadrant:N"),
        alt.Tooltip("Verdict:N"),
    ]
    colour = alt.Color(
        "Verdict:N",
        scale=alt.Scale(domain=list(VERDICT_CHART_COLOURS), range=list(VERDICT_CHART_COLOURS.values())),
        legend=alt.Legend(title="Verdict", orient="bottom", labelLimit=320),
    )
    dots = alt.Chart(points).mark_circle(size=220, opacity=0.9).encode(x=x, y=y, color=colour, tooltip=tooltip)
    # Names sit right of their point, or left of it near the right edge so that they stay inside the chart.
    near_right = alt.datum["Feasibility (1–5)"] >= RIGHT_EDGE_LABELS_FROM
    names_right = alt.Chart(points).transform_filter(~near_right).mark_text(
        align="left", dx=10, dy=-8, fontSize=12
    ).encode(x=x, y=y, text="Candidate:N", tooltip=tooltip)
    names_left = alt.Chart(points).transform_filter(near_right).mark_text(
        align="right", dx=-10, dy=-8, fontSize=12
    ).encode(x=x, y=y, text="Candidate:N", tooltip=tooltip)
    return alt.layer(vertical, horizontal, *labels, dots, names_right, names_left)


def first_place_chart(rows: Sequence[dict[str, Any]]) -> alt.Chart:
    """Each candidate's probability (%) of ranking first over the perturbed weights."""
    values = [{**row, "P(first) %": row["P(first)"] * 100} for row in rows]
    return alt.Chart(alt.Data(values=values)).mark_bar().encode(
        x=alt.X("P(first) %:Q", scale=alt.Scale(domain=[0, 100]), title="Probability of ranking first (%)"),
        y=alt.Y("Candidate:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
        tooltip=[alt.Tooltip("Candidate:N"), alt.Tooltip("P(first) %:Q", format=".1f", title="P(first) (%)")],
    )


def rank_distribution_chart(rows: Sequence[dict[str, Any]], order: Sequence[str]) -> alt.Chart:
    """Stacked bars: for each candidate, the share of draws (%) in which it had each rank."""
    values = [{**row, "Share (%)": row["Share of draws"] * 100} for row in rows]
    return alt.Chart(alt.Data(values=values)).mark_bar().encode(
        x=alt.X("Share (%):Q", stack="zero", scale=alt.Scale(domain=[0, 100]), title="Share of draws (%)"),
        y=alt.Y("Candidate:N", sort=list(order), title=None, axis=alt.Axis(labelLimit=220)),
        color=alt.Color(
            "Rank:O", scale=alt.Scale(scheme="blues", reverse=True), legend=alt.Legend(title="Rank", orient="right")
        ),
        order=alt.Order("Rank:O", sort="ascending"),
        tooltip=[
            alt.Tooltip("Candidate:N"),
            alt.Tooltip("Rank:O"),
            alt.Tooltip("Share (%):Q", format=".1f"),
            alt.Tooltip("Draws:Q", format=","),
        ],
    )


@st.cache_data(max_entries=128, show_spinner=False)
def _spec(kind: str, payload: str) -> dict[str, Any]:
    data = json.loads(payload)
    if kind == "quadrant":
        chart: alt.TopLevelMixin = quadrant_chart(data["rows"])
    elif kind == "first":
        chart = first_place_chart(data["rows"])
    else:
        chart = rank_distribution_chart(data["rows"], data["order"])
    spec: dict[str, Any] = chart.to_dict()
    return spec


def draw(kind: str, rows: Sequence[dict[str, Any]], *, key: str, order: Sequence[str] = ()) -> None:
    """Draw one of the page's charts ("quadrant", "first" or "ranks") from its rows, spec cached."""
    payload = json.dumps({"rows": list(rows), "order": list(order)}, sort_keys=True, ensure_ascii=False)
    if kind == "quadrant":
        height = QUADRANT_HEIGHT_PX
    else:
        bars = len({row["Candidate"] for row in rows})
        height = 80 + BAR_HEIGHT_PX * max(bars, 1)
    st.vega_lite_chart(_spec(kind, payload), width="stretch", height=height, key=key)
