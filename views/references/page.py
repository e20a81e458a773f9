"""Reference projects: search public ML case studies and your own, find ones similar to a worthiness
candidate and attach them as evidence, see where public evidence is thin, and gauge model sizes."""

from __future__ import annotations

import streamlit as st

from ui.state import current_project_id, get_store
from ui.widgets import open_tab
from views.references.coverage import render_coverage
from views.references.data import catalogue_view
from views.references.models import render_models
from views.references.own import render_own
from views.references.search import render_search
from views.references.similar import render_similar

TAB_KEY = "refs_tab"
TABS = ("Search", "Similar to my use case", "Coverage", "Own references", "Model sizes by task")

st.title("Reference projects")
st.caption(
    "Companies in the same industry tend to optimise the same processes: their write-ups show that a use case "
    "is worth it and how others designed it. Search the catalogue of public case studies and your own projects."
)


def _similar() -> None:
    store = get_store()
    project_id = current_project_id(store)
    render_similar(catalogue_view(), store.get_project(project_id) if project_id else None)


# Only the open tab runs, so a search never pays for the heatmap, and the model sizes never index the
# catalogue; the closed tabs' widgets keep their choices (persist_state="session") for when the user comes back.
open_tab(
    TABS,
    (
        lambda: render_search(catalogue_view()),
        _similar,
        lambda: render_coverage(catalogue_view()),
        lambda: render_own(catalogue_view()),
        render_models,
    ),
    key=TAB_KEY,
)
