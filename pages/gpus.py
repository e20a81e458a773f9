"""Accelerators page (placeholder until its issue lands)."""

from __future__ import annotations

import streamlit as st

st.title("Accelerators")
st.info(
    "Browse and compare the accelerator catalogue. This page is being built; nothing here is computed yet.", icon="🚧"
)
