"""Who is at this browser: the name they score and save under, remembered per browser, and a browser token.

Meeting mode needs to tell people apart without accounts. The name is typed once and kept in a cookie, so a
reload or a new tab of the same browser keeps it; the token is a random id per browser, so scores saved
under a name from another browser can be told apart from this browser's own (and the page asks first).
Cookies are read by Streamlit when a session starts (``st.context.cookies``) and written by a few lines
of script that receive their values as data, never as code, so a name cannot inject anything.
"""

from __future__ import annotations

import secrets
from urllib.parse import unquote

import streamlit as st

NAME_COOKIE = "greenlight_name"
TOKEN_COOKIE = "greenlight_browser"
_NAME = "identity_name"
_TOKEN = "identity_browser_token"
_MAX_COOKIE_CHARS = 400

_WRITE_COOKIES_JS = """
export default function (component) {
  const values = component.data || {};
  for (const [name, value] of Object.entries(values)) {
    const encoded = encodeURIComponent(value);
    const current = document.cookie.split("; ").find((pair) => pair.startsWith(name + "="));
    if (current === undefined || current.slice(name.length + 1) !== encoded) {
      document.cookie = `${name}=${encoded}; path=/; max-age=31536000; SameSite=Strict`;
    }
  }
}
"""
_cookie_writer = st.components.v2.component("greenlight_cookie_writer", js=_WRITE_COOKIES_JS)


def _cookie(name: str) -> str:
    try:
        raw = st.context.cookies.get(name)
    except Exception:  # no browser behind the session (bare runs, AppTest)
        return ""
    return unquote(raw)[:_MAX_COOKIE_CHARS] if isinstance(raw, str) else ""


def browser_token() -> str:
    """A random id for this browser, stable across reloads and tabs (a new one if cookies are refused)."""
    if _TOKEN not in st.session_state:
        token = _cookie(TOKEN_COOKIE)
        st.session_state[_TOKEN] = token if token.isalnum() and 8 <= len(token) <= 64 else secrets.token_hex(8)
    return str(st.session_state[_TOKEN])


def person_name() -> str:
    """The name this browser's person gave (empty until they type one); never pre-filled from others'."""
    if _NAME not in st.session_state:
        st.session_state[_NAME] = _cookie(NAME_COOKIE).strip()
    return str(st.session_state[_NAME])


def remember_name(name: str) -> None:
    st.session_state[_NAME] = name.strip()


def author() -> str | None:
    """Who a save is recorded as (the project history and conflict messages name them)."""
    return person_name() or None


def keep_in_browser() -> None:
    """Write the name and token to this browser's cookies; called once per run by the shared sidebar."""
    _cookie_writer(data={TOKEN_COOKIE: browser_token(), NAME_COOKIE: person_name()}, key="identity_cookies")
