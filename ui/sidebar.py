"""The sidebar every page shares: pick, create and rename projects; where the data lives."""

from __future__ import annotations

import streamlit as st

from core.store import StoreError
from ui.identity import author, keep_in_browser
from ui.state import (
    CURRENT_PROJECT,
    PICKER_KEY,
    current_project_id,
    data_location,
    get_store,
    select_project,
)
from ui.text import distinct_labels, escape_markdown


def _create_project_form() -> None:
    store = get_store()
    with st.form("new_project", clear_on_submit=True, border=False):
        name = st.text_input("Name of the new project", max_chars=None, placeholder="e.g. Parcel damage detection")
        if st.form_submit_button("Create project", type="primary"):
            try:
                project_id = store.create_project(name, author=author())
            except (ValueError, StoreError) as error:
                st.error(escape_markdown(str(error)))
            else:
                select_project(project_id)
                st.rerun()


RENAME_KEY = "rename_project_name"
# (project id, the name the field was filled with): what a rename is based on. Filled once per project, so a
# rename someone else makes meanwhile neither resets what this person typed nor is silently replaced by it.
RENAME_BASE = "rename_project_base"


def _rename_project_form(project_id: str, current_name: str) -> None:
    store = get_store()
    base = st.session_state.get(RENAME_BASE)
    if not (isinstance(base, tuple) and base[0] == project_id) or RENAME_KEY not in st.session_state:
        st.session_state[RENAME_KEY] = current_name
        st.session_state[RENAME_BASE] = base = (project_id, current_name)
    with st.form("rename_project", border=False):
        name = st.text_input("New name", key=RENAME_KEY)
        if st.form_submit_button("Rename"):
            try:
                store.rename_project(project_id, name, based_on_name=base[1], author=author())
            except (ValueError, StoreError) as error:
                # Refused (e.g. renamed meanwhile): the next click is based on the name as it is now.
                st.session_state[RENAME_BASE] = (project_id, current_name)
                st.error(escape_markdown(str(error)))
            else:
                st.session_state.pop(RENAME_BASE, None)
                st.rerun()


def render_sidebar() -> None:
    store = get_store()
    project_id = current_project_id(store)
    summaries = store.list_projects()
    names = {summary.id: summary.name for summary in summaries}
    labels = distinct_labels(names)  # the picker hands back a label: equal labels would swap projects
    if project_id in names:
        st.session_state[PICKER_KEY] = project_id
    with st.sidebar:
        st.subheader("Project")
        if summaries:
            chosen = st.selectbox(
                "Current project",
                options=list(names),
                format_func=labels.__getitem__,
                key=PICKER_KEY,
                on_change=lambda: st.session_state.__setitem__(CURRENT_PROJECT, st.session_state[PICKER_KEY]),
                help="Everything you enter is saved to this project. Share it with the link below.",
            )
            select_project(chosen)  # keeps the URL a share link of what is shown
            st.caption(f"Share link: `?project={chosen}`")
        else:
            st.info("No project yet: create one below.")
        with st.popover("New project", width="stretch"):
            _create_project_form()
        if project_id in names:
            with st.popover("Rename project", width="stretch"):
                _rename_project_form(project_id, names[project_id])
        keep_in_browser()
        location = data_location()
        st.divider()
        st.caption(f"Data: {escape_markdown(location.description)}")  # a path may hold _ or *
        if location.ephemeral:
            st.warning(
                "This storage is temporary. Export your projects (Projects page) or configure a MotherDuck "
                "database to keep them.",
                icon=":material/warning:",
            )
