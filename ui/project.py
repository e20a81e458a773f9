"""Page-side access to the current project's sections."""

from __future__ import annotations

import streamlit as st

from core.projects import Project
from ui.state import current_project_id, get_store


def require_project() -> Project:
    """The current project, or a helpful empty state that stops the page."""
    store = get_store()
    project_id = current_project_id(store)
    project = store.get_project(project_id) if project_id else None
    if project is None:
        st.info("Create a project in the sidebar (**New project**) to start.", icon=":material/arrow_back:")
        st.stop()
        raise RuntimeError("unreachable")
    return project
