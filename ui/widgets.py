"""Widget mechanisms every page uses, written once: filling a form from saved data once, and tabs of which
only the open one runs. (Keeping a widget's value while it is not drawn is Streamlit's own
``persist_state="session"``.)"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st


def seed_once(marker_key: str, marker: object, values: Mapping[str, Any]) -> bool:
    """Put ``values`` into the widgets' state when ``marker`` (what they were filled from) changes.

    A form is filled from saved data once; later reruns keep what the user typed, until the saved data (or
    the item being edited) changes. ``marker_key`` holds the marker of the last fill, so a save callback can
    read what the form was based on, or set it (None forces the next run to fill again). Returns True when
    it filled every widget. A widget whose state Streamlit dropped while the marker stayed (the page was
    left, or the widget was not drawn) is filled again from ``values`` alone, the others keep what was typed.
    """
    state = st.session_state
    if state.get(marker_key) == marker:
        for key, value in values.items():
            if key not in state:
                state[key] = value
        return False
    for key, value in values.items():
        state[key] = value
    state[marker_key] = marker
    return True


def open_tab(labels: Sequence[str], renderers: Sequence[Callable[[], None]], *, key: str) -> None:
    """Tabs whose content is drawn only for the open one: a rerun costs one tab's work, not every tab's.

    A tab whose state Streamlit does not track (``open`` is None) counts as open.
    """
    for tab, render in zip(st.tabs(list(labels), key=key, on_change="rerun"), renderers, strict=True):
        if tab.open is not False:
            with tab:
                render()
