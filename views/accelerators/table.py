"""The /gpus page's filters and catalogue table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from core.resources.accelerator_catalogue import ORIGIN_LABELS, AcceleratorFilter, price_dates, vendors
from core.resources.accelerator_edits import KIND_LABELS, LABELS
from core.resources.accelerators import KINDS
from ui.text import escape_markdown

FILTER_KEYS = {
    "vendors": "gpu_filter_vendors",
    "kinds": "gpu_filter_kinds",
    "min_memory": "gpu_filter_min_memory",
    "max_price": "gpu_filter_max_price",
    "text": "gpu_filter_text",
}

# Table columns in display order (catalogue column names; labels come from core.resources.accelerator_edits.LABELS).
TABLE_COLUMNS: tuple[str, ...] = (
    "model",
    "vendor",
    "kind",
    "memory_gb",
    "memory_bandwidth_gbps",
    "bf16_tflops",
    "fp8_tflops",
    "int8_tops",
    "fp32_tflops",
    "tdp_w",
    "cloud_usd_per_hour",
    "list_price_usd",
    "release_year",
    "origin",
    "source_url",
    "as_of",
    "key",
    "notes",
)

_FIGURE_HELP = {
    "memory_gb": "Device memory as the vendor prints it; GB = 10⁹ bytes.",
    "memory_bandwidth_gbps": "Peak memory bandwidth, GB/s (10⁹ bytes per second). Decode speed is bound by it.",
    "bf16_tflops": "Dense BF16/FP16 tensor rate, no 2:4 sparsity (vendors headline twice this).",
    "fp8_tflops": "Dense FP8 tensor rate, no sparsity.",
    "int8_tops": "Dense INT8 rate in tera-operations per second, no sparsity.",
    "fp32_tflops": "FP32 (non-tensor) peak.",
    "tdp_w": "Thermal design power of one device, watts.",
    "cloud_usd_per_hour": "Typical on-demand cloud price per device-hour, US dollars, as of the As of month.",
    "list_price_usd": "Launch or street price of one device, US dollars (data-centre GPUs: estimates, ±30 %).",
}


def _reset_filters() -> None:
    for key in FILTER_KEYS.values():
        st.session_state.pop(key, None)


def render_filters(rows: Sequence[Mapping[str, Any]]) -> AcceleratorFilter | None:
    """The filter bar; returns the filter, or None (with the message shown) when a value is refused."""
    c1, c2, c3, c4, c5 = st.columns([2, 2, 1.3, 1.3, 2])
    chosen_vendors = c1.multiselect(
        "Vendor", vendors(rows), key=FILTER_KEYS["vendors"], placeholder="Any vendor", help="Empty: every vendor."
    )
    chosen_kinds = c2.multiselect(
        "Kind",
        list(KINDS),
        format_func=lambda kind: KIND_LABELS[kind],
        key=FILTER_KEYS["kinds"],
        placeholder="Any kind",
        help="GPU, TPU, other AI chips (NPU) and CPU profiles for CPU inference. Empty: every kind.",
    )
    min_memory = c3.number_input(
        "Min. memory (GB)",
        min_value=0.0,
        max_value=1e6,
        value=0.0,
        step=8.0,
        format="%g",
        key=FILTER_KEYS["min_memory"],
        help="Only devices with at least this much memory (GB = 10⁹ bytes). 0: no limit.",
    )
    max_price = c4.number_input(
        "Max. $/hour",
        min_value=0.01,
        max_value=1e5,
        value=None,
        step=0.5,
        format="%g",
        key=FILTER_KEYS["max_price"],
        placeholder="any",
        help="Only devices whose on-demand cloud price per device-hour is at most this. Devices without a listed "
        "price are hidden while a limit is set. Blank: no limit.",
    )
    text = c5.text_input(
        "Search model",
        key=FILTER_KEYS["text"],
        placeholder="e.g. h100, rtx, mi3",
        help="Matches every word in the model name or key, ignoring case.",
    )
    try:
        return AcceleratorFilter(
            vendors=frozenset(chosen_vendors),
            kinds=frozenset(chosen_kinds),
            min_memory_gb=float(min_memory or 0.0),
            max_usd_per_hour=max_price,
            text=text or "",
        )
    except ValueError as error:
        st.error(escape_markdown(str(error)))
        return None


def render_empty_state() -> None:
    st.info(
        "No accelerator matches these filters. Lower the minimum memory, raise the price limit, pick other "
        "vendors or kinds, or clear the search.",
        icon=":material/search:",
    )
    st.button("Clear all filters", key="gpu_clear_filters", on_click=_reset_filters)


def table_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame([{column: row.get(column) for column in TABLE_COLUMNS} for row in rows], columns=TABLE_COLUMNS)
    frame["origin"] = frame["origin"].map(lambda origin: ORIGIN_LABELS.get(origin, origin))
    frame["kind"] = frame["kind"].map(lambda kind: str(KIND_LABELS.get(kind, kind)).split(" ")[0])
    for column in ("memory_gb", "memory_bandwidth_gbps", "bf16_tflops", "fp8_tflops", "int8_tops", "fp32_tflops"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in ("tdp_w", "cloud_usd_per_hour", "list_price_usd"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame["release_year"] = pd.to_numeric(frame["release_year"], errors="coerce").astype("Int64")
    return frame


def _figure(name: str, fmt: str = "localized", **extra: Any) -> Any:
    return st.column_config.NumberColumn(LABELS[name], help=_FIGURE_HELP.get(name), format=fmt, **extra)


COLUMN_CONFIG: dict[str, Any] = {
    "model": st.column_config.TextColumn("Model", pinned=True),
    "vendor": st.column_config.TextColumn("Vendor"),
    "kind": st.column_config.TextColumn("Kind"),
    "memory_gb": _figure("memory_gb"),
    "memory_bandwidth_gbps": _figure("memory_bandwidth_gbps"),
    "bf16_tflops": _figure("bf16_tflops"),
    "fp8_tflops": _figure("fp8_tflops"),
    "int8_tops": _figure("int8_tops"),
    "fp32_tflops": _figure("fp32_tflops"),
    "tdp_w": _figure("tdp_w"),
    "cloud_usd_per_hour": _figure("cloud_usd_per_hour", "dollar"),
    "list_price_usd": _figure("list_price_usd", "dollar", step=1),
    "release_year": st.column_config.NumberColumn("Released", format="%d"),
    "origin": st.column_config.TextColumn(
        "Origin",
        help="seed: the published catalogue figures; edited: a catalogue device whose figures you changed "
        "(restorable below); yours: a device you added.",
    ),
    "source_url": st.column_config.LinkColumn(
        "Source",
        help="The page the figures come from (opens in a new tab).",
        display_text=r"https?://(?:www\.)?([^/]+)",
    ),
    "as_of": st.column_config.TextColumn("As of", help="Month the price and any changing figure were taken."),
    "key": st.column_config.TextColumn("Key", help="The id the command line and the estimator use (--gpu KEY)."),
    "notes": st.column_config.TextColumn("Notes", width="large"),
}


def units_note(rows: Sequence[Mapping[str, Any]]) -> str:
    dates = price_dates(rows)
    when = (
        "no cloud prices listed"
        if dates is None
        else (
            f"cloud prices as of {dates[0]}" if dates[0] == dates[1] else f"cloud prices as of {dates[0]} to {dates[1]}"
        )
    )
    return (
        "All compute rates are **dense** (no 2:4 sparsity; vendors often headline sparse rates, twice as high). "
        "GB = 10⁹ bytes (memory as the vendor prints it; the few sold in GiB say so in Notes). "
        f"Prices are per device in US dollars; {when} (each row's month is in *As of*)."
    )


def render_table(rows: Sequence[Mapping[str, Any]], total: int) -> None:
    st.caption(f"Showing {len(rows)} of {total} devices. {units_note(rows)}")
    st.dataframe(
        table_frame(rows),
        hide_index=True,
        column_config=COLUMN_CONFIG,
        width="stretch",
        height=min(38 + 35 * len(rows), 600),
        placeholder="—",
        key="gpu_table",
    )
