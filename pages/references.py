"""Reference projects page (placeholder until its issue lands)."""

from __future__ import annotations

import streamlit as st

st.title("Reference projects")
st.info(
    "Find companies in your industry that solved something similar."
    " This page is being built; nothing here is computed yet.",
    icon="🚧",
)
