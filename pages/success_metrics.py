"""Success metrics page (placeholder until its issue lands)."""

from __future__ import annotations

import streamlit as st

st.title("Success metrics")
st.info(
    "Tie business goals to tangible metrics, model metrics and the label."
    " This page is being built; nothing here is computed yet.",
    icon="🚧",
)
