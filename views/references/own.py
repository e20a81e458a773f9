"""The /references page's own references: add an internal project, list and delete them.

Saving happens in the submit button's callback, before the page script runs, so the new entry is
already in the (re-keyed) index when the page draws: searchable at once.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.references.evidence import is_own_reference_id, new_own_reference_id, own_reference_row
from core.store import StoreError
from core.taxonomy import INDUSTRIES, ML_TASKS, MODALITIES, USES_DEEP_LEARNING
from ui import flash
from ui.state import get_store
from ui.text import distinct_labels, shorten
from views.references.data import CatalogueView

WHERE = "refs_own"  # where the section's messages show
DELETE_KEY = "refs_own_delete_choice"
FIELDS = (
    "company",
    "title",
    "year",
    "industry",
    "task",
    "modality",
    "uses_deep_learning",
    "source_url",
    "tags",
    "summary",
)
_CHOICES = {"industry": "an industry", "task": "an ML task", "modality": "a data modality"}


def field_key(name: str) -> str:
    return f"refs_own_{name}"


def _add() -> None:
    values = {name: st.session_state.get(field_key(name)) for name in FIELDS}
    try:
        for name, what in _CHOICES.items():
            if not values[name]:
                raise ValueError(f"Choose {what}.")
        row = own_reference_row(**values)
        reference_id = new_own_reference_id()
        get_store().add_user_reference(reference_id, row)
    except (ValueError, StoreError) as error:
        flash.leave(WHERE, "error", f"Not added: {error}")
        return
    for name in FIELDS:
        st.session_state.pop(field_key(name), None)
    flash.leave(WHERE, "success", f"Added {shorten(row['title'])}: it is searchable now (id {reference_id}).")


def _delete() -> None:
    reference_id = st.session_state.get(DELETE_KEY)
    if not is_own_reference_id(reference_id):
        flash.leave(WHERE, "error", "Pick one of your own references to delete.")
        return
    try:
        get_store().delete_user_reference(reference_id)
    except StoreError as error:
        flash.leave(WHERE, "error", f"Not deleted: {error}")
        return
    st.session_state.pop(DELETE_KEY, None)
    flash.leave(
        WHERE, "success", "Reference deleted. Candidates it was attached to show it as removed; detach it there."
    )


def _form() -> None:
    with st.form("refs_own_form", border=True):
        st.markdown("**Add an internal project**")
        c1, c2, c3 = st.columns([2, 4, 1])
        c1.text_input("Company or team", key=field_key("company"), placeholder="e.g. Acme Logistics")
        c2.text_input("Title", key=field_key("title"), placeholder="e.g. Parcel damage detection at the hub")
        c3.text_input("Year", key=field_key("year"), placeholder="2024", help="Optional: the year it ran.")
        c4, c5, c6, c7 = st.columns(4)
        c4.selectbox("Industry", INDUSTRIES, index=None, key=field_key("industry"), placeholder="Choose…")
        c5.selectbox("ML task", ML_TASKS, index=None, key=field_key("task"), placeholder="Choose…")
        c6.selectbox("Data modality", MODALITIES, index=None, key=field_key("modality"), placeholder="Choose…")
        c7.selectbox(
            "Uses deep learning",
            USES_DEEP_LEARNING,
            index=USES_DEEP_LEARNING.index("unclear"),
            key=field_key("uses_deep_learning"),
        )
        c8, c9 = st.columns(2)
        c8.text_input(
            "Link (optional)",
            key=field_key("source_url"),
            placeholder="https://wiki.example.internal/parcel-damage",
            help="An http(s) address: a public write-up or an internal page.",
        )
        c9.text_input(
            "Tags (optional)",
            key=field_key("tags"),
            placeholder="damage, parcels, warehouse",
            help="Comma-separated keywords; they are searched too.",
        )
        st.text_area("Summary (optional)", key=field_key("summary"), height=80)
        st.form_submit_button("Add reference", type="primary", key="refs_own_submit", on_click=_add)


def render_own(view: CatalogueView) -> None:
    st.caption(
        "Internal projects your organisation ran are often the best evidence. They stay in this database, are "
        "searched with the public catalogue, and can be attached to candidates like any reference."
    )
    flash.show(WHERE)
    _form()
    if view.skipped_own_rows:
        st.warning(f"{view.skipped_own_rows} own reference(s) could not be read and are left out.")
    if not view.own:
        st.info("No own references yet: add one with the form above.", icon=":material/edit_note:")
        return
    st.markdown(f"**Your references** ({len(view.own)})")
    st.dataframe(
        pd.DataFrame(
            {
                "Company": [r.company for r in view.own],
                "Year": pd.array([r.year for r in view.own], dtype="Int64"),
                "Title": [r.title for r in view.own],
                "Industry": [r.industry for r in view.own],
                "ML task": [r.task for r in view.own],
                "Modality": [r.modality for r in view.own],
                "Tags": [", ".join(r.tags) for r in view.own],
                "Link": [r.source_url or None for r in view.own],
            }
        ),
        hide_index=True,
        column_config={
            "Year": st.column_config.NumberColumn("Year", format="%d"),
            "Title": st.column_config.TextColumn("Title", width="large"),
            "Link": st.column_config.LinkColumn("Link", display_text="Open ↗"),
        },
        width="stretch",
        key="refs_own_table",
    )
    names = distinct_labels({r.id: f"{r.company}: {r.title}" for r in view.own}, 90)
    if st.session_state.get(DELETE_KEY) not in names:
        st.session_state.pop(DELETE_KEY, None)
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    left.selectbox("Delete one of your references", list(names), format_func=lambda rid: names[rid], key=DELETE_KEY)
    right.button("Delete", key="refs_own_delete", on_click=_delete, help="Removes it from this database for good.")
