"""Altair chart specifications shared by the pages and the decision brief (rendered offline for the PDF).

Pure: each function takes computed results and returns an ``alt.Chart``; the
page draws it with ``st.altair_chart`` and the brief renders it with vl-convert.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import altair as alt
import pandas as pd

from core.worthiness import QUADRANT_MIDPOINT, Evaluation

VERDICT_COLOURS = {
    "pursue with deep learning": "#1f9d55",
    "try the simpler solution first": "#d97706",
    "not worth solving now": "#9ca3af",
    "not scored": "#cbd5e1",
}

# Where each quadrant's name is written (value axis high/low x feasibility high/low), scores 1..5.
_QUADRANT_LABELS = (
    ("do now", 4.6, 4.9),
    ("strategic bet", 1.4, 4.9),
    ("quick win", 4.6, 1.1),
    ("defer", 1.4, 1.1),
)


def quadrant_frame(evaluation: Evaluation) -> pd.DataFrame:
    rows = []
    for candidate_id, point in evaluation.quadrants.items():
        verdict = evaluation.verdicts.get(candidate_id)
        rows.append(
            {
                "candidate": evaluation.names[candidate_id],
                "value": point.value_axis,
                "feasibility": point.feasibility_axis,
                "quadrant": point.quadrant,
                "verdict": verdict.label if verdict else "not scored",
            }
        )
    return pd.DataFrame(rows, columns=["candidate", "value", "feasibility", "quadrant", "verdict"])


def quadrant_chart(evaluation: Evaluation, *, width: int = 520, height: int = 380) -> alt.LayerChart:
    """Value (mean of impact and value) against feasibility (6 minus complexity, risk and cost, averaged)."""
    frame = quadrant_frame(evaluation)
    scale = alt.Scale(domain=[1, 5])
    colour = alt.Color(
        "verdict:N",
        title="Verdict",
        scale=alt.Scale(domain=list(VERDICT_COLOURS), range=list(VERDICT_COLOURS.values())),
    )
    rules = pd.DataFrame({"at": [QUADRANT_MIDPOINT]})
    labels = pd.DataFrame(_QUADRANT_LABELS, columns=["name", "feasibility", "value"])
    base = alt.Chart(frame)
    chart = (
        alt.Chart(rules).mark_rule(color="#94a3b8", strokeDash=[4, 4]).encode(x=alt.X("at:Q", scale=scale))
        + alt.Chart(rules).mark_rule(color="#94a3b8", strokeDash=[4, 4]).encode(y=alt.Y("at:Q", scale=scale))
        + alt.Chart(labels)
        .mark_text(color="#64748b", fontSize=13, fontWeight="bold")
        .encode(x=alt.X("feasibility:Q", scale=scale), y=alt.Y("value:Q", scale=scale), text="name:N")
        + base.mark_circle(size=220, opacity=0.9).encode(
            x=alt.X("feasibility:Q", scale=scale, title="Feasibility (1 hard … 5 easy)"),
            y=alt.Y("value:Q", scale=scale, title="Value (1 low … 5 high)"),
            color=colour,
            tooltip=[
                "candidate:N",
                "verdict:N",
                "quadrant:N",
                alt.Tooltip("value:Q", format=".2f"),
                alt.Tooltip("feasibility:Q", format=".2f"),
            ],
        )
        + base.mark_text(align="left", dx=10, dy=-8, fontSize=12).encode(
            x=alt.X("feasibility:Q", scale=scale), y=alt.Y("value:Q", scale=scale), text="candidate:N"
        )
    ).properties(width=width, height=height, title="Value versus feasibility")
    return cast(alt.LayerChart, chart)


def memory_chart(
    breakdown_bytes: Mapping[str, float],
    device_memory_bytes: float | None = None,
    *,
    device_name: str = "device",
    width: int = 520,
    height: int = 110,
) -> alt.LayerChart | alt.Chart:
    """One stacked bar of memory terms in GB (10^9 bytes), with the device's memory as a red rule."""
    frame = pd.DataFrame(
        [
            {"term": term, "GB": value / 1e9, "order": i}
            for i, (term, value) in enumerate(breakdown_bytes.items())
            if value > 0
        ]
    )
    if frame.empty:
        frame = pd.DataFrame({"term": ["(nothing)"], "GB": [0.0], "order": [0]})
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("sum(GB):Q", title="Memory per device (GB = 10^9 bytes)"),
            color=alt.Color("term:N", title="Term", sort=list(frame["term"])),
            order=alt.Order("order:Q"),
            tooltip=["term:N", alt.Tooltip("GB:Q", format=",.2f")],
        )
    )
    if device_memory_bytes is None:
        return cast(alt.Chart, bars.properties(width=width, height=height))
    limit = pd.DataFrame(
        {"GB": [device_memory_bytes / 1e9], "label": [f"{device_name}: {device_memory_bytes / 1e9:,.0f} GB"]}
    )
    rule = alt.Chart(limit).mark_rule(color="#dc2626", strokeWidth=2).encode(x="GB:Q", tooltip=["label:N"])
    text = (
        alt.Chart(limit)
        .mark_text(color="#dc2626", align="left", dx=4, dy=-height / 2 + 8)
        .encode(x="GB:Q", text="label:N")
    )
    return cast(alt.LayerChart, (bars + rule + text).properties(width=width, height=height))
