"""The /gpus page's comparison: bandwidth-versus-compute chart, price bars and the side-by-side table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from core.accelerator_browse import MAX_COMPARED, MIN_COMPARED, comparison, vendors
from core.accelerator_edits import LABELS, form_text

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


def _points(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    columns = ("key", "model", "vendor", "memory_gb", "memory_bandwidth_gbps", "bf16_tflops", "cloud_usd_per_hour")
    frame = pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=columns)
    for column in columns[3:]:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def vendor_colours(all_vendors: Sequence[str]) -> alt.Color:
    """One colour per vendor, the same in every chart whatever the filters show."""
    return alt.Color("vendor:N", title="Vendor", scale=alt.Scale(domain=list(all_vendors), scheme="tableau10"))


def bandwidth_compute_chart(
    rows: Sequence[Mapping[str, Any]], labelled: Sequence[str], log_axes: bool, colour: alt.Color
) -> alt.Chart:
    """Memory bandwidth (x) against dense BF16 TFLOP/s (y), sized by memory, coloured by vendor."""
    frame = _points(rows).dropna(subset=["memory_bandwidth_gbps", "bf16_tflops"])
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


def price_chart(rows: Sequence[Mapping[str, Any]], colour: alt.Color) -> alt.Chart:
    """Price per device-hour of the compared devices, cheapest first."""
    frame = _points(rows).dropna(subset=["cloud_usd_per_hour"]).sort_values("cloud_usd_per_hour")
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


def _sanitise_selection(known: Sequence[str]) -> None:
    """Drop devices that no longer exist (deleted by this user or another) from the comparison."""
    chosen = st.session_state.get(COMPARE_KEY)
    if chosen is None:
        st.session_state[COMPARE_KEY] = [key for key in DEFAULT_COMPARED if key in known]
    else:
        st.session_state[COMPARE_KEY] = [key for key in chosen if key in known][:MAX_COMPARED]


def render_compare(all_rows: Sequence[Mapping[str, Any]], shown: Sequence[Mapping[str, Any]]) -> None:
    names = {str(row["key"]): f"{row.get('model') or row['key']} ({row['key']})" for row in all_rows}
    colour = vendor_colours(vendors(all_rows))
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
    st.altair_chart(bandwidth_compute_chart(plotted, chosen, log_axes, colour), width="stretch")
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
        st.error(str(error))
        return
    selected = [row for row in all_rows if row["key"] in chosen]
    left, right = st.columns([1, 1.3])
    with left:
        st.markdown("**Price per hour**")
        if any(row.get("cloud_usd_per_hour") is not None for row in selected):
            st.altair_chart(price_chart(selected, colour), width="stretch")
        unpriced = [str(row.get("model") or row["key"]) for row in selected if row.get("cloud_usd_per_hour") is None]
        if unpriced:
            st.caption("No cloud price listed for: " + ", ".join(unpriced) + ".")
    with right:
        st.markdown("**Side by side**")
        table = pd.DataFrame(
            {name: [form_text(value) or "—" for value in values] for name, values in columns.items()}, index=labels
        )
        st.dataframe(table, width="stretch", height=38 + 35 * len(labels), key="gpu_compare_table")
