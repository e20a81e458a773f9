"""Reference projects: search public ML case studies and your own, find ones similar to a worthiness
candidate and attach them as evidence, see where public evidence is thin, and gauge model sizes."""

from __future__ import annotations

import streamlit as st

from ui.state import current_project_id, get_store
from views.references.coverage import render_coverage
from views.references.data import catalogue_view, keep_widget_state
from views.references.models import TASK_KEY, render_models
from views.references.own import render_own
from views.references.search import FILTER_KEYS, QUERY_KEY, YEARS_KEY, render_search
from views.references.similar import CANDIDATE_KEY, render_similar

TAB_KEY = "refs_tab"
TABS = ("Search", "Similar to my use case", "Coverage", "Own references", "Model sizes by task")

st.title("Reference projects")
st.caption(
    "Companies in the same industry tend to optimise the same processes: their write-ups show that a use case "
    "is worth it and how others designed it. Search the catalogue of public case studies and your own projects."
)

# Only the open tab runs (each tab switch reruns the page), so a search never pays for the heatmap;
# the closed tabs' choices are kept for when the user comes back.
keep_widget_state([QUERY_KEY, *FILTER_KEYS.values(), YEARS_KEY, CANDIDATE_KEY, TASK_KEY])
search, similar, gaps, own, models = st.tabs(TABS, key=TAB_KEY, on_change="rerun")
if models.open:
    with models:
        render_models()
else:
    view = catalogue_view()
    if search.open:
        with search:
            render_search(view)
    if similar.open:
        store = get_store()
        project_id = current_project_id(store)
        with similar:
            render_similar(view, store.get_project(project_id) if project_id else None)
    if gaps.open:
        with gaps:
            render_coverage(view)
    if own.open:
        with own:
            render_own(view)
