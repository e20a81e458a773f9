"""The /gpus page's editor: change a figure of a catalogue device, add a device, restore or delete.

Saving happens in the submit button's callback, before the page script runs,
so the table and chart above the form already show the saved row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Literal

import streamlit as st

from core.resources.accelerator_catalogue import ORIGIN_LABELS
from core.resources.accelerator_edits import (
    KIND_LABELS,
    LABELS,
    ROW_FIELDS,
    changes_from_published,
    clean_accelerator_row,
    form_text,
    new_accelerator_row,
    suggest_key,
)
from core.resources.accelerators import KINDS
from core.store import CATALOGUE_SEEDS, DATA_DIR, StoreError, read_catalogue
from ui import flash
from ui.state import get_store
from ui.text import escape_markdown
from ui.widgets import seed_once

NEW = "__new__"
PICKER_KEY = "gpu_edit_device"
FILLED_FOR = "gpu_form_filled_for"
# A refusal shows inside the form, beside the fields; a success below it.
ERROR_AREA = "gpu_form_error"
SAVED_AREA = "gpu_form_saved"
CONFIRM_DELETE = "gpu_confirm_delete"


def field_key(name: str) -> str:
    return f"gpu_field_{name}"


# Form layout: (heading, fields) rows; sparse rates sit under their dense twins.
_LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Device", ("vendor", "model", "kind", "form_factor")),
    ("Memory and power", ("memory_gb", "memory_bandwidth_gbps", "interconnect_gbps", "tdp_w")),
    ("Dense rates (no sparsity)", ("bf16_tflops", "fp8_tflops", "int8_tops", "tf32_tflops", "fp32_tflops")),
    (
        "Sparse rates (2:4, where the vendor quotes them)",
        ("bf16_sparse_tflops", "fp8_sparse_tflops", "int8_sparse_tops", "tf32_sparse_tflops"),
    ),
    ("Price and more", ("cloud_usd_per_hour", "list_price_usd", "release_year", "cores")),
    ("Source", ("source_url", "as_of")),
)
_COLUMNS = 5

_HELP: dict[str, str] = {
    "vendor": "Required. Colours the chart.",
    "model": "Required. The name shown in the table and chart.",
    "memory_gb": "Required. Device memory as printed by the vendor; GB = 10⁹ bytes.",
    "memory_bandwidth_gbps": "Required. Peak memory bandwidth in GB/s (10⁹ bytes per second).",
    "interconnect_gbps": "Device-to-device bandwidth, GB/s (NVLink per device total, or one direction of PCIe).",
    "tdp_w": "Thermal design power, watts.",
    "bf16_tflops": "Dense BF16/FP16 tensor rate. Vendors often headline the 2:4-sparse rate: halve it.",
    "fp8_tflops": "Dense FP8 rate; blank where the device has no FP8.",
    "int8_tops": "Dense INT8 rate, tera-operations per second.",
    "fp32_tflops": "FP32 (non-tensor) peak.",
    "tf32_tflops": "Dense TF32 tensor rate (NVIDIA).",
    "bf16_sparse_tflops": "The 2:4-sparse headline rate; must be at least the dense one.",
    "cloud_usd_per_hour": "Typical on-demand cloud price per device-hour, US dollars.",
    "list_price_usd": "Purchase price of one device, US dollars.",
    "release_year": "Year of release, e.g. 2024.",
    "source_url": "Where the figures come from: a web address starting with http:// or https://.",
    "as_of": "Month the price and figures were taken, e.g. 2026-05.",
    "cores": "CPU cores (CPU profiles only).",
    "form_factor": "e.g. sxm, pcie, oam, chip, socket.",
}


@st.cache_data(show_spinner=False, max_entries=4)
def _published_rows(seed_stamp: tuple[int, int]) -> dict[str, dict[str, Any]]:
    """The catalogue as published in its seed file (keyed by device), cached until the file changes."""
    return {str(row["key"]): row for row in read_catalogue("accelerators")}


def published_rows() -> dict[str, dict[str, Any]]:
    path: Path = DATA_DIR / CATALOGUE_SEEDS["accelerators"]
    stat = path.stat()
    return _published_rows((stat.st_mtime_ns, stat.st_size))


def _form_values(row: Mapping[str, Any] | None) -> dict[str, Any]:
    """Every field's value from a row (None: a blank new device)."""
    values: dict[str, Any] = {}
    for name in ROW_FIELDS:
        if name == "kind":
            values[field_key(name)] = (row or {}).get("kind") if (row or {}).get("kind") in KINDS else "gpu"
        else:
            values[field_key(name)] = form_text((row or {}).get(name))
    if row is None:
        values[field_key("as_of")] = date.today().strftime("%Y-%m")
    values[field_key("key")] = ""
    return values


def _typed_row() -> dict[str, Any]:
    return {name: st.session_state.get(field_key(name)) for name in ROW_FIELDS}


def _say(kind: Literal["error", "success"], text: str) -> None:
    flash.leave(ERROR_AREA if kind == "error" else SAVED_AREA, kind, text)


def _catalogue() -> dict[str, dict[str, Any]]:
    return {str(row["key"]): row for row in get_store().catalogue("accelerators")}


def _save(choice: str) -> None:
    """Submit callback: check the typed row with core; save it only when every field passes."""
    store = get_store()
    try:
        current = _catalogue()
        if choice == NEW:
            key, row = new_accelerator_row(st.session_state.get(field_key("key")), _typed_row(), current)
            store.save_user_accelerator(key, row)
            st.session_state[PICKER_KEY] = key
            st.session_state[FILLED_FOR] = key
            _say("success", f"Added {row['model']} ({key}) to the catalogue.")
            return
        if choice not in current:
            raise ValueError("That device is no longer in the catalogue; it may have been deleted by someone else.")
        row = clean_accelerator_row(_typed_row())
        if current[choice]["origin"] == "user":
            store.save_user_accelerator(choice, row)
            _say("success", f"Saved {row['model']}.")
            return
        published = published_rows().get(choice)
        if published is None:  # the seed lost this device while the page was open: keep the whole row
            store.save_user_accelerator(choice, row)
            _say("success", f"Saved {row['model']}.")
            return
        changes = changes_from_published(published, row)
        if changes:
            store.save_user_accelerator(choice, changes)
            _say("success", f"Saved your figures for {row['model']}: it is now marked edited.")
        elif current[choice]["origin"] == "edited":
            store.delete_user_accelerator(choice)
            _say("success", "These are the published figures again, so your edit was removed.")
        else:
            _say("success", "Nothing changed: these are the published figures.")
    except (ValueError, StoreError) as error:
        _say("error", f"Not saved: {error}")


def _restore(key: str) -> None:
    try:
        get_store().delete_user_accelerator(key)
    except StoreError as error:
        _say("error", f"Not restored: {error}")
        return
    st.session_state[FILLED_FOR] = None
    _say("success", "Published figures restored.")


def _delete(key: str) -> None:
    try:
        get_store().delete_user_accelerator(key)
    except StoreError as error:
        _say("error", f"Not deleted: {error}")
        return
    st.session_state.pop(CONFIRM_DELETE, None)
    st.session_state[PICKER_KEY] = NEW
    st.session_state[FILLED_FOR] = None
    _say("success", "Device deleted.")


def _ask_delete(key: str) -> None:
    st.session_state[CONFIRM_DELETE] = key


def _cancel_delete() -> None:
    st.session_state.pop(CONFIRM_DELETE, None)


def _picked() -> None:
    flash.forget(ERROR_AREA)
    flash.forget(SAVED_AREA)
    st.session_state.pop(CONFIRM_DELETE, None)


def _input(column: Any, name: str) -> None:
    if name == "kind":
        column.selectbox(LABELS["kind"], list(KINDS), format_func=lambda kind: KIND_LABELS[kind], key=field_key("kind"))
    else:
        column.text_input(LABELS[name], key=field_key(name), help=_HELP.get(name), placeholder="—")


def _changes_note(row: Mapping[str, Any], published: Mapping[str, Any] | None) -> None:
    if published is None:
        return
    changes = changes_from_published(published, row)
    lines = [
        f"- {escape_markdown(LABELS[name])}: {escape_markdown(form_text(published.get(name)) or '—')} → "
        f"{escape_markdown(form_text(value) or '—')}"
        for name, value in changes.items()
    ]
    if lines:
        st.markdown("Your changes to the published figures:\n" + "\n".join(lines))


def render_editor(rows: Sequence[Mapping[str, Any]]) -> None:
    by_key = {str(row["key"]): row for row in rows}
    options = [NEW, *by_key]
    if st.session_state.get(PICKER_KEY) not in options:
        st.session_state[PICKER_KEY] = next(iter(by_key), NEW)

    def label(key: str) -> str:
        if key == NEW:
            return "+ Add a new device"
        row = by_key[key]
        return f"{row.get('model') or key} ({key}) · {ORIGIN_LABELS.get(row['origin'], row['origin'])}"

    choice = st.selectbox(
        "Device",
        options,
        format_func=label,
        key=PICKER_KEY,
        on_change=_picked,
        help="Pick a catalogue device to change its figures, or add your own device.",
    )
    row = by_key.get(choice)
    seed_once(FILLED_FOR, choice, _form_values(row))

    origin = row["origin"] if row else "new"
    if origin == "seed":
        st.caption(
            "Published figures. Change any of them and save: your figures then replace these everywhere in "
            "Greenlight (marked edited), and you can restore the published ones at any time."
        )
    elif origin == "edited":
        st.caption("You changed this device's published figures.")
    elif origin == "user":
        st.caption("A device you added.")
    else:
        st.caption(
            "A device of your own. Key, vendor, model, memory and bandwidth are required; leave unknown figures blank."
        )

    with st.form("gpu_form", border=True):
        if choice == NEW:
            model_hint = suggest_key(str(st.session_state.get(field_key("model")) or "")) or "my-gpu-48gb"
            st.text_input(
                "Key",
                key=field_key("key"),
                placeholder=model_hint,
                help="A short id for the command line and the estimator (--gpu KEY): lowercase letters, digits "
                "and '-'. It cannot be changed later.",
            )
        for heading, names in _LAYOUT:
            st.markdown(f"**{heading}**")
            columns = st.columns(_COLUMNS)
            for column, name in zip(columns, names, strict=False):
                _input(column, name)
        st.text_area(
            "Notes",
            key=field_key("notes"),
            height=68,
            help="Anything a reader should know: sources of a price, what a figure means.",
        )
        flash.show(ERROR_AREA)  # once, on the run right after the save it reports
        st.form_submit_button(
            "Add device" if choice == NEW else "Save figures",
            type="primary",
            key="gpu_form_save",
            on_click=_save,
            args=(choice,),
        )
    flash.show(SAVED_AREA)

    if origin == "edited" and row is not None:
        _changes_note(row, published_rows().get(choice))
        st.button(
            "Restore published figures",
            key="gpu_restore",
            on_click=_restore,
            args=(choice,),
            help="Drops your figures for this device; the published ones come back.",
        )
    elif origin == "user":
        if st.session_state.get(CONFIRM_DELETE) == choice:
            st.warning("Delete this device from your catalogue? This cannot be undone.")
            left, right, _ = st.columns([1, 1, 4])
            left.button("Delete for good", type="primary", key="gpu_delete_confirm", on_click=_delete, args=(choice,))
            right.button("Keep it", key="gpu_delete_cancel", on_click=_cancel_delete)
        else:
            st.button("Delete this device…", key="gpu_delete", on_click=_ask_delete, args=(choice,))
