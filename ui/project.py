"""Page-side access to the current project's sections."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.projects import Project
from ui.state import current_project_id, get_store


def require_project() -> Project:
    """The current project, or a helpful empty state that stops the page."""
    store = get_store()
    project_id = current_project_id(store)
    project = store.get_project(project_id) if project_id else None
    if project is None:
        st.info("Create a project in the sidebar (**New project**) to start.", icon="👈")
        st.stop()
        raise RuntimeError("unreachable")
    return project


def save_section(project: Project, section: str, document: dict[str, Any], change: str) -> bool:
    """Save a section; show the reason beside the form when it is refused. True when saved."""
    try:
        get_store().save_section(project.id, section, document, change)
    except ValueError as error:
        st.error(f"Not saved: {error}")
        return False
    return True
