"""The /worthiness page's data: the cached evaluation and the rater's name.

Saving happens in form-submit callbacks, before the page script runs, so every
table and chart on the page already shows what was just saved. A callback's
change is computed from the project as stored when the save runs (``ui.saving``),
so a save never undoes what another rater saved meanwhile.
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
from ui import catalogues as cat
from ui.identity import person_name, remember_name
from ui.state import get_store
from ui.text import escape_markdown

RATER_KEY = "worthiness_rater"


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
def _load(document_json: str, hosted_version: str) -> WorthinessData:
    # The hosted catalogue's version keys the cache: an edited API price changes the verdicts' reasons.
    sections = json.loads(document_json)
    merged = merge_ratings(sections)
    hosted, _skipped = cat.hosted_models()
    evaluation = evaluate(merged, hosted) if merged is not None else None
    return WorthinessData(merged, stored_section(sections), evaluation)


def load(project: Project) -> WorthinessData:
    """The project's worthiness data, evaluated once per distinct saved content (cached).

    Stops the page with a clear message when the saved data cannot be read.
    """
    try:
        return _load(worthiness_json(project.sections), get_store().catalogue_version("hosted_models"))
    except ValueError as error:
        st.error(
            f"The saved worthiness data of this project cannot be read: {escape_markdown(str(error))} Restore an "
            "earlier version on the Projects page (History), or import a corrected export."
        )
        st.stop()
        raise  # unreachable; st.stop raises


def render_rater(section: WorthinessSection | None) -> str:
    """The "Your name" input; returns the name as typed (validated where it is used).

    Never pre-filled with somebody else's name (a newcomer would score as them): it starts empty, or with
    the name this browser gave before, and is remembered for this browser's later visits.
    """
    if RATER_KEY not in st.session_state:
        st.session_state[RATER_KEY] = person_name()
    name = st.text_input(
        "Your name",
        key=RATER_KEY,
        placeholder="Type your name to score, e.g. Ann (architect)",
        on_change=lambda: remember_name(str(st.session_state.get(RATER_KEY) or "")),
        help=(
            "Everyone in the meeting scores under their own name; this browser remembers it. Your scores "
            "are saved in a part of the project that only you write, so raters never overwrite each other."
        ),
    )
    return str(name or "")
