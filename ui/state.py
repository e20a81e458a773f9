"""The store and the current project, shared by every page of a session."""

from __future__ import annotations

import os
from typing import Any

import streamlit as st

from core import projects as pj
from core.example import example_project
from core.store import DataLocation, Store, StoreError, describe_target, open_store, resolve_target
from ui.text import escape_markdown

CURRENT_PROJECT = "current_project_id"
_LINK_SEEN = "share_link_seen"


def _secrets() -> dict[str, Any]:
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return {}


def database_target() -> str:
    return resolve_target(os.environ, _secrets())


@st.cache_resource(show_spinner="Opening the database…")
def _store_for(target: str) -> Store:
    # One connection per process (per target); every call takes its own cursor.
    token = (_secrets().get("storage") or {}).get("motherduck_token")
    return open_store(target, motherduck_token=token, example=example_project)


def get_store() -> Store:
    """The process-wide store; shows a clear message and stops the page if the database cannot be used."""
    target = database_target()
    try:
        return _store_for(target)
    except StoreError as error:
        # The message names the database with its secrets hidden (core.store.redact_target); a path may
        # hold Markdown characters, so it is shown escaped.
        st.error(escape_markdown(str(error)), icon=":material/error:")
        st.stop()
        raise  # unreachable; st.stop raises


def data_location() -> DataLocation:
    # Community Cloud mounts the app under /mount/src; files written there vanish on restart.
    on_cloud = os.environ.get("HOSTNAME", "").startswith("streamlit") or os.path.isdir("/mount/src")
    return describe_target(database_target(), cloud=on_cloud)


def _read_share_link(store: Store) -> None:
    """Honour ``?project=<id>`` once per value; a bad or unknown id gets a friendly message."""
    raw = st.query_params.get("project")
    # Act only when the link's value is new to this session: the URL keeps the last project shown, so an
    # unchanged value must not pull the session back from a project chosen since.
    if raw is None or raw == st.session_state.get(_LINK_SEEN):
        return
    st.session_state[_LINK_SEEN] = raw
    try:
        project_id = pj.parse_project_id(raw)
    except ValueError as error:
        st.warning(f"The share link could not be opened: {escape_markdown(str(error))}", icon=":material/link:")
        return
    if not store.project_exists(project_id):
        st.warning(
            "No project with that id exists in this database. It may have been deleted, or the link was made "
            "on another Greenlight installation. Pick a project in the sidebar.",
            icon=":material/link:",
        )
        return
    select_project(project_id)


def current_project_id(store: Store) -> str | None:
    """The project this session works on: from the share link, the picker, or the most recent one."""
    _read_share_link(store)
    chosen = st.session_state.get(CURRENT_PROJECT)
    # One indexed lookup per rerun; the whole list is read only when the choice is gone (deleted elsewhere).
    if not (isinstance(chosen, str) and store.project_exists(chosen)):
        summaries = store.list_projects()
        chosen = summaries[0].id if summaries else None
        st.session_state[CURRENT_PROJECT] = chosen
    return chosen


PICKER_KEY = "project_picker"


def select_project(project_id: str | None) -> None:
    """Make a project current (and the URL its share link).

    The sidebar sets its picker to the current project before drawing it on the next run (a widget's
    value can be set only before it is drawn, and setting it also updates the browser's copy).
    """
    st.session_state[CURRENT_PROJECT] = project_id
    if project_id:
        st.query_params["project"] = project_id
        st.session_state[_LINK_SEEN] = project_id
