"""Widget mechanisms every page uses, written once: filling a form from saved data once, and tabs of which
only the open one runs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st


def seed_once(marker_key: str, marker: object, values: Mapping[str, Any]) -> bool:
    """Put ``values`` into the widgets' state when ``marker`` (what they were filled from) changes.

    A form is filled from saved data once; later reruns keep what the user typed, until the saved data (or
    the item being edited) changes. Returns True when it filled the widgets. A widget whose state Streamlit
    dropped (the page was left) is filled again.
    """
    if st.session_state.get(marker_key) == marker and all(key in st.session_state for key in values):
        return False
    for key, value in values.items():
        st.session_state[key] = value
    st.session_state[marker_key] = marker
    return True


def open_tab(labels: Sequence[str], renderers: Sequence[Callable[[], None]], *, key: str) -> None:
    """Tabs whose content is drawn only for the open one: a rerun costs one tab's work, not every tab's.

    A tab whose state Streamlit does not track (``open`` is None) counts as open.
    """
    for tab, render in zip(st.tabs(list(labels), key=key, on_change="rerun"), renderers, strict=True):
        if tab.open is not False:
            with tab:
                render()
