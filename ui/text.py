"""Showing user text safely: verbatim, never interpreted as Markdown or HTML."""

from __future__ import annotations

import re

# Characters that Streamlit's Markdown (CommonMark + GFM + directives) would interpret.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&])")


def escape_markdown(text: str) -> str:
    """Backslash-escape everything Markdown could interpret, so user text shows exactly as typed.

    >>> escape_markdown("<b>**hi**</b>")
    '\\\\<b\\\\>\\\\*\\\\*hi\\\\*\\\\*\\\\</b\\\\>'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def shorten(text: str, limit: int = 60) -> str:
    """One line, at most ``limit`` characters, for labels and pickers."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
