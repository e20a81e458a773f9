"""Worthiness page (placeholder until its issue lands)."""

from __future__ import annotations

import streamlit as st

st.title("Worthiness")
st.info(
    "Rank candidate problems and decide whether deep learning is the right tool."
    " This page is being built; nothing here is computed yet.",
    icon="🚧",
)
