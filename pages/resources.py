"""Resources page (placeholder until its issue lands)."""

from __future__ import annotations

import streamlit as st

st.title("Resources")
st.info(
    "Memory, GPUs, latency, training time, cost and people. This page is being built; nothing here is computed yet.",
    icon="🚧",
)
