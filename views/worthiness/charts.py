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

from core.charts import quadrant_chart

BAR_HEIGHT_PX = 34
QUADRANT_HEIGHT_PX = 440


def first_place_chart(rows: Sequence[dict[str, Any]]) -> alt.Chart:
    """Each candidate's probability (%) of ranking first over the perturbed weights."""
    values = [{**row, "P(first) %": row["P(first)"] * 100} for row in rows]
    return (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            x=alt.X("P(first) %:Q", scale=alt.Scale(domain=[0, 100]), title="Probability of ranking first (%)"),
            y=alt.Y("Candidate:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
            tooltip=[alt.Tooltip("Candidate:N"), alt.Tooltip("P(first) %:Q", format=".1f", title="P(first) (%)")],
        )
    )


def rank_distribution_chart(rows: Sequence[dict[str, Any]], order: Sequence[str]) -> alt.Chart:
    """Stacked bars: for each candidate, the share of draws (%) in which it had each rank."""
    values = [{**row, "Share (%)": row["Share of draws"] * 100} for row in rows]
    return (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
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
