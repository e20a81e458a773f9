"""Vega-Lite specifications for the /resources page, written as plain dicts.

The page redraws after every widget change; building an Altair chart validates
its whole schema, which costs tens of milliseconds per chart, so these charts
are plain Vega-Lite dicts drawn with ``st.vega_lite_chart``. No spec sets a height: Streamlit
collapses a layered spec's own height; pass ``height=`` to ``st.vega_lite_chart`` instead. The memory bar
is ``core.charts.memory_spec``, shared with the decision brief.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

GB = 1e9
X_TITLE = "Memory per device (GB = 10^9 bytes)"
Spec = dict[str, Any]


def lines_spec(
    rows: Sequence[Mapping[str, float]],
    x: str,
    series: Mapping[str, str],
    *,
    title: str,
    x_title: str,
    y_title: str,
    x_log: bool = False,
    y_log: bool = False,
    x_format: str | None = None,
    y_format: str = ",.0f",
    band: tuple[str, str] | None = None,
) -> Spec:
    """Lines of several columns of ``rows`` against ``x``; ``series`` maps column -> legend label.

    ``band`` = (low column, high column) adds a shaded band behind the lines.
    """
    values = [{x: row[x], "series": label, "value": row[column]} for row in rows for column, label in series.items()]
    x_axis: Spec = {"field": x, "type": "quantitative", "title": x_title}
    if x_log:
        x_axis["scale"] = {"type": "log", "base": 2}
    if x_format:
        x_axis["axis"] = {"format": x_format}
    y_axis: Spec = {"field": "value", "type": "quantitative", "title": y_title, "axis": {"format": y_format}}
    if y_log:
        y_axis["scale"] = {"type": "log"}
    lines: Spec = {
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": x_axis,
            "y": y_axis,
            "color": {"field": "series", "type": "nominal", "title": None, "legend": {"orient": "bottom"}},
            "tooltip": [
                {"field": x, "type": "quantitative", "format": x_format or ","},
                {"field": "series", "type": "nominal"},
                {"field": "value", "type": "quantitative", "format": y_format},
            ],
        },
    }
    layers: list[Spec] = []
    if band is not None:
        low, high = band
        layers.append(
            {
                "data": {"values": [{x: row[x], "low": row[low], "high": row[high]} for row in rows]},
                "mark": {"type": "area", "opacity": 0.2},
                "encoding": {
                    "x": {"field": x, "type": "quantitative"},
                    "y": {"field": "low", "type": "quantitative"},
                    "y2": {"field": "high"},
                },
            }
        )
    layers.append(lines)
    return {"title": title, "layer": layers}
