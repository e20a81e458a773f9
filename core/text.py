"""Showing user text safely: verbatim, never interpreted as Markdown or HTML."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping

# Characters that change Markdown anywhere in a line (CommonMark, GFM tables and strike-through,
# Streamlit's :colour[...] directives and $math$); others matter only at the start of a line.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|~$&:])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(?:([#>+=-])|(\d+)([.)]))", re.MULTILINE)
# What Streamlit reads in text whatever its backslashes: GFM autolinks bare "https://", "www." and e-mail
# addresses; ":material/...:", ":streamlit:" and emoji shortcodes become icons; "->", "<=", "~=" and the like
# become arrows and signs. An invisible word joiner (U+2060) after the colon, "www" or "@" and inside the pairs
# breaks each pattern while the text on screen stays as typed.
_WORD_JOINER = "\u2060"
_READ_DESPITE_ESCAPES = re.compile(r":(?=\S)|www(?=\.)|@(?=[\w-])|<(?=[-=])|-(?=>)|[>~](?==)", re.IGNORECASE)


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
    >>> escape_markdown("[Log in](https://evil.example/)")
    '\\\\[Log in\\\\](https\\\\:\u2060//evil.example/)'
    """
    escaped = _READ_DESPITE_ESCAPES.sub(lambda match: match.group(0) + _WORD_JOINER, text)
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", escaped)
    escaped = _MARKDOWN_LINE_START.sub(_escape_line_start, escaped)
    # Streamlit turns a free-standing "--" into an em dash even when escaped; an invisible word joiner
    # (U+2060) between the hyphens keeps what the user typed on screen.
    escaped = escaped.replace("--", "-\u2060-")
    return escaped.replace("\n", "  \n")


def shorten(text: str, limit: int = 60) -> str:
    """One line, at most ``limit`` characters, for labels and pickers."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# Characters that draw nothing on their own. Format characters (Cf: zero-width spaces and joiners, U+2060,
# U+FEFF, the bidi marks and isolates U+200E/U+200F/U+202A-U+202E/U+2066-U+2069, tag characters), controls,
# separators, combining marks with no base, unassigned and private-use code points; plus a few letters and
# symbols that fonts draw as blank (the Hangul fillers, the blank Braille pattern).
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


# The end of the sentence that refuses a name made only of such characters: "X needs a visible character; ..."
INVISIBLE_ONLY = "it holds only spaces or invisible marks (zero-width or right-to-left characters)"


def has_visible_text(text: str) -> bool:
    """Whether ``text`` has at least one character that shows on screen (not only spaces or invisible marks).

    >>> has_visible_text(" Ann ")
    True
    >>> has_visible_text("\u200b\u200f \ufeff")
    False
    """
    return any(
        not ch.isspace() and ch not in _BLANK_GLYPHS and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
        for ch in text
    )


def quote_prefix(value: object, limit: int = 60) -> str:
    """A value quoted for an error message: its repr, cut to about ``limit`` characters of the value.

    A long text is shown as its first ``limit`` characters, an ellipsis and its length, so a message never
    repeats a 100,000-character value. A value whose repr fails (an integer too long to print) is named by type.

    >>> quote_prefix("fp16")
    "'fp16'"
    >>> quote_prefix("x" * 1000, 5)
    "'xxxxx'… (1,000 characters)"
    >>> quote_prefix(list(range(100)), 12)
    '[0, 1, 2, 3,…'
    """
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return f"{value[:limit]!r}… ({len(value):,} characters)"
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # int too long for str(), or a self-containing structure
        return f"a value too large to show ({type(value).__name__})"
    return text if len(text) <= limit else text[:limit] + "…"


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


def format_count(count: float) -> str:
    """A count in words, three significant digits: how pages, the brief and the command line write a model's
    parameters (k = thousand, M = million, B = billion, T = trillion). ValueError for a negative, infinite or
    non-number count.

    >>> format_count(8_030_261_248)
    '8.03 B'
    >>> format_count(124_439_808)
    '124 M'
    >>> format_count(3e9), format_count(25_600), format_count(950)
    ('3 B', '25.6 k', '950')
    >>> format_count(999_999)  # rounded first: never "1,000 k"
    '1 M'
    """
    if isinstance(count, bool) or not isinstance(count, int | float) or not math.isfinite(count) or count < 0:
        raise ValueError(f"A count must be a finite number of at least 0; got {quote_prefix(count)}.")
    rounded = float(f"{count:.3g}")
    for unit, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if rounded >= scale:
            value = rounded / scale
            digits = 2 if value < 10 else 1 if value < 100 else 0
            text = f"{value:,.{digits}f}"
            return (text.rstrip("0").rstrip(".") if digits else text) + f" {unit}"
    return f"{count:,.0f}"


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


def distinct_labels(names: Mapping[str, str], limit: int = 60) -> dict[str, str]:
    """A picker label per id: the shortened name, plus the id where two labels would read the same.

    A Streamlit selectbox hands back the label, not the option, so two equal labels would pick the same item.

    >>> distinct_labels({"a1b2c3d4": "Twin", "e5f6a7b8": "Twin", "c": "Solo"})
    {'a1b2c3d4': 'Twin · a1b2c3d4', 'e5f6a7b8': 'Twin · e5f6a7b8', 'c': 'Solo'}
    """
    short = {item: shorten(" ".join(name.split()) or "(unnamed)", limit) for item, name in names.items()}
    seen = Counter(label.casefold() for label in short.values())
    return {item: f"{label} · {item}" if seen[label.casefold()] > 1 else label for item, label in short.items()}
