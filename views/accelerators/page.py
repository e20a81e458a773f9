"""Accelerators: browse, filter and compare the catalogue; edit a figure, add a device, restore or delete."""

from __future__ import annotations

import streamlit as st

from core.resources.accelerator_catalogue import filter_accelerators
from ui.state import get_store
from views.accelerators.charts import render_compare
from views.accelerators.form import render_editor
from views.accelerators.table import render_empty_state, render_filters, render_table

store = get_store()
st.title("Accelerators")
st.caption(
    "GPUs, TPUs, other AI chips and CPU profiles with their memory, bandwidth, compute and price. Every figure "
    "links to its source; change a figure or add your own device below, and the estimates on the Resources page "
    "use it."
)

rows = store.catalogue("accelerators")
chosen = render_filters(rows)
shown = filter_accelerators(rows, chosen) if chosen is not None else []

if chosen is not None and not shown:
    render_empty_state()
elif shown:
    render_table(shown, len(rows))
    st.subheader("Compare")
    render_compare(rows, shown)

st.subheader("Edit a figure or add a device")
render_editor(rows)
