"""Chart specifications shared by the pages and the decision brief (rendered offline for the PDF).

Pure: each function takes computed results and returns an ``alt.Chart``; the
page draws it with ``st.altair_chart`` and the brief renders it with vl-convert.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import altair as alt

from core.worthiness import QUADRANT_MIDPOINT
from core.worthiness.view import VERDICT_CHART_COLOURS

_DOMAIN = [1, 5]
RIGHT_EDGE_LABELS_FROM = 3.8
# Where each quadrant's name is written (feasibility x, value y): high value is up, feasible is right.
_QUADRANT_LABELS = (
    {"x": 4.95, "y": 4.9, "name": "quick win", "align": "right"},
    {"x": 1.05, "y": 4.9, "name": "major project", "align": "left"},
    {"x": 4.95, "y": 1.1, "name": "fill-in", "align": "right"},
    {"x": 1.05, "y": 1.1, "name": "thankless task", "align": "left"},
)


def _inline(values: Sequence[Mapping[str, Any]]) -> alt.Data:
    """Rows embedded in the spec (no pandas round trip: the page caches specs per distinct rows)."""
    return alt.Data(values=list(values))  # type: ignore[no-untyped-call]


def _scale() -> alt.Scale:
    return alt.Scale(domain=_DOMAIN)


def quadrant_chart(rows: Sequence[dict[str, Any]]) -> alt.LayerChart:
    """Value (y) versus feasibility (x), dashed rules at the midpoint 3, the four quadrants named, each point
    labelled with its candidate and coloured by verdict."""
    points = _inline(list(rows))
    x = alt.X("Feasibility (1–5):Q", scale=_scale(), title="Feasibility (1–5): mean of 6 − complexity, risk and cost")
    y = alt.Y("Value (1–5):Q", scale=_scale(), title="Value (1–5): mean of impact and value")
    middle = _inline([{"at": QUADRANT_MIDPOINT}])
    vertical = alt.Chart(middle).mark_rule(strokeDash=[4, 4], color="#999").encode(x=alt.X("at:Q", scale=_scale()))
    horizontal = alt.Chart(middle).mark_rule(strokeDash=[4, 4], color="#999").encode(y=alt.Y("at:Q", scale=_scale()))
    labels = [
        alt.Chart(_inline([label for label in _QUADRANT_LABELS if label["align"] == align]))
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
    names_right = (
        alt.Chart(points)
        .transform_filter(~near_right)
        .mark_text(align="left", dx=10, dy=-8, fontSize=12)
        .encode(x=x, y=y, text="Candidate:N", tooltip=tooltip)
    )
    names_left = (
        alt.Chart(points)
        .transform_filter(near_right)
        .mark_text(align="right", dx=-10, dy=-8, fontSize=12)
        .encode(x=x, y=y, text="Candidate:N", tooltip=tooltip)
    )
    return cast(alt.LayerChart, alt.layer(vertical, horizontal, *labels, dots, names_right, names_left))


GB = 1e9


# Beyond this ratio of device memory to the estimate, the device's red rule would squash the bar to a sliver.
DEVICE_RULE_MAX_RATIO = 20.0
LIMIT_TITLE_STYLE: dict[str, Any] = {"fontSize": 11, "fontWeight": "normal", "anchor": "start", "color": "#dc2626"}


def memory_spec(
    breakdown_bytes: Mapping[str, float], device_memory_bytes: float | None, device_name: str
) -> dict[str, Any]:
    """One stacked bar of the memory terms in GB (10^9 bytes), the device's memory as a red rule (or, when the
    device holds over ``DEVICE_RULE_MAX_RATIO`` times the estimate, as a red title instead).

    A plain Vega-Lite dict rather than Altair: the resources page redraws it on every widget change and
    Altair's schema validation cost tens of milliseconds. It sets no size: the page passes a height to
    ``st.vega_lite_chart``; the brief adds width and height before rendering.
    """
    values = [
        {"term": term, "GB": value / GB, "order": i}
        for i, (term, value) in enumerate(breakdown_bytes.items())
        if value > 0
    ]
    terms = [row["term"] for row in values]
    bar: dict[str, Any] = {
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {
                "aggregate": "sum",
                "field": "GB",
                "type": "quantitative",
                "title": "Memory per device (GB = 10^9 bytes)",
            },
            "y": {"datum": "per device", "type": "nominal", "title": None, "axis": None},
            "color": {
                "field": "term",
                "type": "nominal",
                "title": None,
                "sort": terms,
                "legend": {"orient": "bottom", "columns": 4},
            },
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [
                {"field": "term", "type": "nominal"},
                {"field": "GB", "type": "quantitative", "format": ",.2f"},
            ],
        },
    }
    layers: list[dict[str, Any]] = [bar]
    total_bytes = sum(value for value in breakdown_bytes.values() if value > 0)
    if (
        device_memory_bytes is not None
        and total_bytes > 0
        and device_memory_bytes > DEVICE_RULE_MAX_RATIO * total_bytes
    ):
        # Drawn to the device's scale the bar would be a sliver: draw the bar alone, say where the limit is.
        ratio = device_memory_bytes / total_bytes
        limit_text = f"{device_name} holds {device_memory_bytes / GB:,.0f} GB, {ratio:,.0f}x this (off the scale)"
        return {"layer": layers, "title": {"text": limit_text, **LIMIT_TITLE_STYLE}}
    if device_memory_bytes is not None:
        limit = [{"GB": device_memory_bytes / GB, "label": f"{device_name}: {device_memory_bytes / GB:,.0f} GB"}]
        layers.append(
            {
                "data": {"values": limit},
                "mark": {"type": "rule", "color": "#dc2626", "strokeWidth": 2},
                "encoding": {"x": {"field": "GB", "type": "quantitative"}, "tooltip": [{"field": "label"}]},
            }
        )
        layers.append(
            {
                "data": {"values": limit},
                "mark": {"type": "text", "color": "#dc2626", "align": "left", "dx": 4, "dy": -28},
                "encoding": {"x": {"field": "GB", "type": "quantitative"}, "text": {"field": "label"}},
            }
        )
    return {"layer": layers}
