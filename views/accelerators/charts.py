"""The /gpus page's comparison: bandwidth-versus-compute chart, price bars and the side-by-side table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from core.resources.accelerator_catalogue import MAX_COMPARED, MIN_COMPARED, comparison, vendors
from core.resources.accelerator_edits import LABELS, form_text
from ui.text import escape_markdown

COMPARE_KEY = "gpu_compare"
DEFAULT_COMPARED = ("h100-sxm", "a100-80gb-sxm", "l40s", "mi300x")

_TOOLTIP = [
    alt.Tooltip("model:N", title="Model"),
    alt.Tooltip("vendor:N", title="Vendor"),
    alt.Tooltip("memory_gb:Q", title=LABELS["memory_gb"], format=",.4~g"),
    alt.Tooltip("memory_bandwidth_gbps:Q", title=LABELS["memory_bandwidth_gbps"], format=",.5~g"),
    alt.Tooltip("bf16_tflops:Q", title=LABELS["bf16_tflops"], format=",.5~g"),
    alt.Tooltip("cloud_usd_per_hour:Q", title="$/hour (cloud, on demand)", format="$,.2f"),
]


_POINT_COLUMNS = ("key", "model", "vendor", "memory_gb", "memory_bandwidth_gbps", "bf16_tflops", "cloud_usd_per_hour")

# A chart's data as plain, hashable values (one tuple per device, in _POINT_COLUMNS order), so the
# finished Vega-Lite spec can be cached: building and validating it costs far more than drawing it.
Points = tuple[tuple[Any, ...], ...]


def chart_points(rows: Sequence[Mapping[str, Any]]) -> Points:
    return tuple(tuple(row.get(column) for column in _POINT_COLUMNS) for row in rows)


def _points(points: Points) -> pd.DataFrame:
    frame = pd.DataFrame(list(points), columns=list(_POINT_COLUMNS))
    for column in _POINT_COLUMNS[3:]:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def vendor_colours(all_vendors: Sequence[str]) -> alt.Color:
    """One colour per vendor, the same in every chart whatever the filters show."""
    return alt.Color("vendor:N", title="Vendor", scale=alt.Scale(domain=list(all_vendors), scheme="tableau10"))


def bandwidth_compute_chart(points: Points, labelled: Sequence[str], log_axes: bool, colour: alt.Color) -> alt.Chart:
    """Memory bandwidth (x) against dense BF16 TFLOP/s (y), sized by memory, coloured by vendor."""
    frame = _points(points).dropna(subset=["memory_bandwidth_gbps", "bf16_tflops"])
    scale = alt.Scale(type="log") if log_axes else alt.Scale(zero=True)
    base = alt.Chart(frame).encode(
        x=alt.X("memory_bandwidth_gbps:Q", title="Memory bandwidth (GB/s)", scale=scale),
        y=alt.Y("bf16_tflops:Q", title="BF16 dense (TFLOP/s)", scale=scale),
    )
    points = base.mark_circle(opacity=0.75, stroke="white", strokeWidth=0.6).encode(
        size=alt.Size("memory_gb:Q", title="Memory (GB)", scale=alt.Scale(range=[25, 900])),
        color=colour,
        tooltip=_TOOLTIP,
    )
    names = (
        base.transform_filter(alt.FieldOneOfPredicate(field="key", oneOf=list(labelled)))
        .mark_text(align="left", dx=9, dy=-6, fontSize=11)
        .encode(text="model:N")
    )
    return (points + names).properties(height=420)


def price_chart(points: Points, colour: alt.Color) -> alt.Chart:
    """Price per device-hour of the compared devices, cheapest first."""
    frame = _points(points).dropna(subset=["cloud_usd_per_hour"]).sort_values("cloud_usd_per_hour")
    highest = float(frame["cloud_usd_per_hour"].max()) if len(frame) else 1.0
    bars = alt.Chart(frame).encode(
        y=alt.Y(
            "model:N",
            title=None,
            sort=list(frame["model"]),
            axis=alt.Axis(labelOverlap=False, labelLimit=180),
        ),
        x=alt.X(
            "cloud_usd_per_hour:Q",
            title="$/hour per device (on demand)",
            scale=alt.Scale(domain=[0, highest * 1.3]),
        ),
        tooltip=_TOOLTIP,
    )
    return (
        bars.mark_bar(cornerRadiusEnd=3).encode(color=colour.legend(None))
        + bars.mark_text(align="left", dx=4).encode(text=alt.Text("cloud_usd_per_hour:Q", format="$,.2f"))
    ).properties(height=max(100, 44 * len(frame)))


@st.cache_data(show_spinner=False, max_entries=64)
def _scatter_spec(points: Points, labelled: tuple[str, ...], log_axes: bool, domain: tuple[str, ...]) -> dict[str, Any]:
    return bandwidth_compute_chart(points, labelled, log_axes, vendor_colours(domain)).to_dict()


@st.cache_data(show_spinner=False, max_entries=64)
def _price_spec(points: Points, domain: tuple[str, ...]) -> dict[str, Any]:
    return price_chart(points, vendor_colours(domain)).to_dict()


def _sanitise_selection(known: Sequence[str]) -> None:
    """Drop devices that no longer exist (deleted by this user or another) from the comparison."""
    chosen = st.session_state.get(COMPARE_KEY)
    if chosen is None:
        st.session_state[COMPARE_KEY] = [key for key in DEFAULT_COMPARED if key in known]
    else:
        st.session_state[COMPARE_KEY] = [key for key in chosen if key in known][:MAX_COMPARED]


def render_compare(all_rows: Sequence[Mapping[str, Any]], shown: Sequence[Mapping[str, Any]]) -> None:
    names = {str(row["key"]): f"{row.get('model') or row['key']} ({row['key']})" for row in all_rows}
    domain = tuple(vendors(all_rows))
    _sanitise_selection(list(names))
    chosen = st.multiselect(
        "Devices to compare side by side",
        list(names),
        format_func=lambda key: names.get(key, key),
        key=COMPARE_KEY,
        max_selections=MAX_COMPARED,
        help=f"Pick {MIN_COMPARED} to {MAX_COMPARED} devices from the whole catalogue (filters do not apply). "
        "They are labelled on the chart when the filters show them.",
    )
    log_axes = st.toggle(
        "Logarithmic axes",
        value=True,
        key="gpu_log_axes",
        help="The catalogue spans a laptop CPU (about 2 TFLOP/s) to a B200 (2,250): log axes keep both readable.",
    )
    plotted = [row for row in shown if row.get("bf16_tflops") is not None and row.get("memory_bandwidth_gbps")]
    st.vega_lite_chart(_scatter_spec(chart_points(plotted), tuple(chosen), log_axes, domain), width="stretch")
    missing = len(shown) - len(plotted)
    st.caption(
        "Up and to the right is faster: training and prefill are bound by compute (y), token-by-token decoding by "
        "memory bandwidth (x). Point area: memory (GB)."
        + (f" {missing} device(s) without a published BF16 rate are not plotted." if missing else "")
    )
    if len(chosen) < MIN_COMPARED:
        st.info(f"Pick at least {MIN_COMPARED} devices above to compare their prices and figures side by side.")
        return
    try:
        labels, columns = comparison(all_rows, chosen)
    except ValueError as error:
        st.error(escape_markdown(str(error)))
        return
    selected = [row for row in all_rows if row["key"] in chosen]
    left, right = st.columns([1, 1.3])
    with left:
        st.markdown("**Price per hour**")
        if any(row.get("cloud_usd_per_hour") is not None for row in selected):
            st.vega_lite_chart(_price_spec(chart_points(selected), domain), width="stretch")
        unpriced = [str(row.get("model") or row["key"]) for row in selected if row.get("cloud_usd_per_hour") is None]
        if unpriced:
            st.caption("No cloud price listed for: " + escape_markdown(", ".join(unpriced)) + ".")
    with right:
        st.markdown("**Side by side**")
        table = pd.DataFrame(
            {name: [form_text(value) or "—" for value in values] for name, values in columns.items()}, index=labels
        )
        st.dataframe(table, width="stretch", height=38 + 35 * len(labels), key="gpu_compare_table")
