"""Overview: the state of each planning step and the decision (filled in by the decision-brief work)."""

from __future__ import annotations

import streamlit as st

from ui.project import require_project
from ui.text import escape_markdown

project = require_project()
st.title("Greenlight")
st.markdown(f"### {escape_markdown(project.name)}")
st.write(
    "Greenlight walks a deep-learning idea through four questions before anything is built: "
    "is it worth it, how will we know it worked, who did it before, and what will it take."
)
