"""Showing user text safely: verbatim, never interpreted as Markdown or HTML."""

from __future__ import annotations

import re

# Characters that change Markdown anywhere in a line (CommonMark, GFM tables and strike-through,
# Streamlit's :colour[...] directives and $math$); others matter only at the start of a line.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|~$&:])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(?:([#>+=-])|(\d+)([.)]))", re.MULTILINE)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker, digits, punctuation = match.groups()
    return f"{indent}\\{marker}" if marker else f"{indent}{digits}\\{punctuation}"


def escape_markdown(text: str) -> str:
    """Backslash-escape what Markdown would interpret, so user text shows exactly as typed.

    >>> escape_markdown("<b>**hi**</b> 3.5")
    '\\\\<b\\\\>\\\\*\\\\*hi\\\\*\\\\*\\\\</b\\\\> 3.5'
    >>> escape_markdown("# 1. title")
    '\\\\# 1. title'
    >>> escape_markdown("1. first")
    '1\\\\. first'
    >>> escape_markdown("x; --")
    'x; -\u2060-'
    """
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", text)
    escaped = _MARKDOWN_LINE_START.sub(_escape_line_start, escaped)
    # Streamlit turns a free-standing "--" into an em dash even when escaped; an invisible word joiner
    # (U+2060) between the hyphens keeps what the user typed on screen.
    escaped = escaped.replace("--", "-\u2060-")
    return escaped.replace("\n", "  \n")


def shorten(text: str, limit: int = 60) -> str:
    """One line, at most ``limit`` characters, for labels and pickers."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def format_number(value: float | None, unit: str = "", *, significant: int = 3) -> str:
    """A human figure: whole numbers exact with thousands separated, fractions to ``significant`` digits
    (3 for display; validation messages ask for 6 so that a target of 0.9995 is not shown as 1); '—' for None.

    >>> format_number(42000.0, "litres")
    '42,000 litres'
    >>> format_number(0.1234)
    '0.123'
    >>> format_number(0.9995, significant=6)
    '0.9995'
    """
    if value is None:
        return "—"
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        text = f"{int(value):,}"
    elif abs(value) >= 10**significant:
        text = f"{value:,.0f}"
    else:
        text = f"{value:,.{significant}g}"
    return f"{text} {unit}".strip()


def format_usd(amount_usd: float | None) -> str:
    """US dollars for sentences: $1,234; cents only below $100, where they matter; '—' for None.

    >>> format_usd(12_345.6)
    '$12,346'
    >>> format_usd(0.5)
    '$0.50'
    """
    if amount_usd is None:
        return "—"
    if amount_usd < 100:
        return f"${amount_usd:,.2f}"
    return f"${amount_usd:,.0f}"


def format_bytes(value: float) -> str:
    """Bytes in decimal units (GB = 10^9 bytes), three significant figures at most.

    >>> format_bytes(48_907_571)
    '48.9 MB'
    >>> format_bytes(16.06e9)
    '16.1 GB'
    """
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if abs(value) >= size:
            return f"{value / size:,.3g} {unit}" if value / size < 1000 else f"{value / size:,.0f} {unit}"
    return f"{value:,.0f} B"
