"""Messages that outlive a rerun: a save callback (or a button that reruns) leaves one, the next run shows it
beside its form, once. Text is escaped when shown: it may quote what the user typed."""

from __future__ import annotations

from typing import Literal

import streamlit as st

from ui.text import escape_markdown

Kind = Literal["success", "error", "warning", "info"]
_PREFIX = "flash:"
# Material icons ship with Streamlit, so they render without an emoji font.
_SHOW = {
    "success": (st.success, ":material/check_circle:"),
    "error": (st.error, ":material/error:"),
    "warning": (st.warning, ":material/warning:"),
    "info": (st.info, ":material/info:"),
}


def leave(area: str, kind: Kind, text: str) -> None:
    """Leave ``text`` for the next run to show where ``show(area)`` is called (replacing one left before)."""
    st.session_state[_PREFIX + area] = (kind, text)


def forget(area: str) -> None:
    """Drop the message left for ``area``, if any, unshown (the user moved on before it was drawn)."""
    st.session_state.pop(_PREFIX + area, None)


def show(area: str) -> None:
    """Show, once, the message left for ``area`` (nothing if there is none)."""
    found = st.session_state.pop(_PREFIX + area, None)
    if found is None:
        return
    kind, text = found
    draw, icon = _SHOW[kind]
    draw(escape_markdown(text), icon=icon)
