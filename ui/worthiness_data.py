"""The /worthiness page's data: the cached evaluation, the rater's name, saving and messages.

Saving happens in form-submit callbacks, before the page script runs, so every
table and chart on the page already shows what was just saved. A callback reads
the project afresh from the store, so a save never undoes what another rater
saved meanwhile (meeting mode: each rater writes only their own section).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

import streamlit as st

from core.projects import Project
from core.ratings import RATINGS_PREFIX, merge_ratings
from core.worthiness import Evaluation, WorthinessSection, evaluate
from core.worthiness.view import stored_section
from ui.state import get_store
from ui.text import escape_markdown

RATER_KEY = "worthiness_rater"
# Widget state is dropped when the user visits another page; this copy survives it.
RATER_MEMORY = "worthiness_rater_memory"


class WorthinessData(NamedTuple):
    """``merged``: the worthiness section with every rater's scores (None when the project has none);
    ``stored``: the worthiness section alone, as saved; ``evaluation``: ``evaluate(merged)``."""

    merged: WorthinessSection | None
    stored: WorthinessSection | None
    evaluation: Evaluation | None


def worthiness_json(sections: Mapping[str, Mapping[str, Any]]) -> str:
    """The sections the page reads (worthiness and every rater's), as one canonical JSON string."""
    relevant = {name: doc for name, doc in sections.items() if name == "worthiness" or name.startswith(RATINGS_PREFIX)}
    return json.dumps(relevant, sort_keys=True, ensure_ascii=False)


@st.cache_data(max_entries=64, show_spinner=False)
def _load(document_json: str) -> WorthinessData:
    sections = json.loads(document_json)
    merged = merge_ratings(sections)
    return WorthinessData(merged, stored_section(sections), evaluate(merged) if merged is not None else None)


def load(project: Project) -> WorthinessData:
    """The project's worthiness data, evaluated once per distinct saved content (cached).

    Stops the page with a clear message when the saved data cannot be read.
    """
    try:
        return _load(worthiness_json(project.sections))
    except ValueError as error:
        st.error(
            f"The saved worthiness data of this project cannot be read: {error} Restore an earlier version on "
            "the Projects page (History), or import a corrected export."
        )
        st.stop()
        raise  # unreachable; st.stop raises


def render_rater(section: WorthinessSection | None) -> str:
    """The "Your name" input; returns the name as typed (validated where it is used)."""
    if RATER_KEY not in st.session_state:
        remembered = st.session_state.get(RATER_MEMORY)
        if remembered is None:
            raters = section.rater_scores.raters if section is not None else ()
            remembered = raters[0].strip() if raters else ""
        st.session_state[RATER_KEY] = remembered
    name = st.text_input(
        "Your name",
        key=RATER_KEY,
        placeholder="Type your name to score, e.g. Ann (architect)",
        help=(
            "Everyone in the meeting scores under their own name. Your scores are saved in a section of "
            "the project that only you write, so raters never overwrite each other."
        ),
    )
    st.session_state[RATER_MEMORY] = name
    return str(name or "")


# ---------------------------------------------------------------- saving and messages


def save_sections(project_id: str, documents: Mapping[str, dict[str, Any]], change: str) -> None:
    """Save sections one by one (each validated by the store); raises ValueError when one is refused."""
    store = get_store()
    for name, document in documents.items():
        store.save_section(project_id, name, document, change)


def fresh_sections(project_id: str) -> dict[str, dict[str, Any]]:
    """The project's sections as saved right now (a callback's starting point)."""
    project = get_store().get_project(project_id)
    if project is None:
        raise ValueError("This project no longer exists; pick another in the sidebar.")
    return project.sections


def set_message(area: str, kind: str, text: str) -> None:
    """Leave a message for the next run beside a form; ``kind`` is "error" or "success"."""
    st.session_state[f"worthiness_message_{area}"] = (kind, text)


def show_message(area: str) -> None:
    """Show (once) the message left for a form. Text is escaped: it may quote the user's input."""
    found = st.session_state.pop(f"worthiness_message_{area}", None)
    if found is None:
        return
    kind, text = found
    if kind == "error":
        st.error(escape_markdown(text), icon="⚠️")
    else:
        st.success(escape_markdown(text), icon="✅")
