"""core.text: user text shown verbatim, and figures formatted the same way everywhere."""

from __future__ import annotations

import re

import pytest

from core.text import escape_markdown, format_bytes, format_number, format_usd, has_visible_text, quote_prefix, shorten

J = "\u2060"  # the invisible word joiner escape_markdown puts where a backslash is not enough


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("plain words 3.5", "plain words 3.5"),
        ("**bold** _it_ ~~gone~~", r"\*\*bold\*\* \_it\_ \~\~gone\~\~"),
        ("<b>tag</b>", r"\<b\>tag\</b\>"),
        ("<img src=x onerror=alert(1)>", r"\<img src=x onerror=alert(1)\>"),
        ("# heading", r"\# heading"),
        ("1. list", r"1\. list"),
        ("> quote", r"\> quote"),
        ("`code`", r"\`code\`"),
        ("a | b", r"a \| b"),
        ("$x$", r"\$x\$"),
        ("x; --", f"x; -{J}-"),
        ("two\nlines", "two  \nlines"),
        ("Note: ok", r"Note\: ok"),  # a colon before a space starts nothing: no joiner
        # Links and images: the brackets are escaped, and the address cannot become a bare autolink.
        ("[Log in again](https://evil.example/)", rf"\[Log in again\](https\:{J}//evil.example/)"),
        ("![x](https://evil.example/x.png)", rf"!\[x\](https\:{J}//evil.example/x.png)"),
        ("[a]: https://evil.example/", rf"\[a\]\: https\:{J}//evil.example/"),
        ("<https://evil.example/>", rf"\<https\:{J}//evil.example/\>"),
        # GFM links bare addresses even when escaped: a joiner breaks "://", "www." and "@domain".
        ("see HTTP://evil.example", rf"see HTTP\:{J}//evil.example"),
        ("www.evil.example", f"www{J}.evil.example"),
        ("bob@evil.example", f"bob@{J}evil.example"),
        ("mailto:bob@evil.example", rf"mailto\:{J}bob@{J}evil.example"),
        # Streamlit's directives, icons and emoji shortcodes.
        (":red[alarm]", rf"\:{J}red\[alarm\]"),
        (":material/home:", rf"\:{J}material/home\:"),
        (":streamlit: :smile:", rf"\:{J}streamlit\: \:{J}smile\:"),
        ("12:30", rf"12\:{J}30"),
        # Streamlit's typography: arrows and signs between spaces.
        ("a -> b <- c <-> d", rf"a -{J}\> b \<{J}- c \<{J}-{J}\> d"),
        ("x >= 1, y <= 2, z ~= 3", rf"x \>{J}= 1, y \<{J}= 2, z \~{J}= 3"),
    ],
)
def test_escape_markdown_keeps_what_the_user_typed(typed: str, escaped: str) -> None:
    assert escape_markdown(typed) == escaped
    # What the reader sees (backslash escapes resolved, joiners invisible) is what was typed.
    assert escape_markdown(typed).replace(J, "").replace("  \n", "\n").replace("\\", "") == typed.replace("\\", "")


@pytest.mark.parametrize(
    "payload",
    [
        "[Log in again](https://evil.example/)",
        "![x](https://evil.example/x.png)",
        "<img src=x onerror=alert(1)>",
        "<https://evil.example/>",
        "**bold**",
        ":material/warning: :red[x] :smile:",
        "https://evil.example www.evil.example bob@evil.example",
    ],
)
def test_escaped_text_holds_no_markup_streamlit_reads(payload: str) -> None:
    escaped = escape_markdown(payload)
    for live in ("](", "![", "<img", "<https", "**", ":material/", ":red[", ":smile:", "://", "www.", "@e"):
        # Present only behind a backslash (read as a literal character), if at all.
        assert not re.search(r"(?<!\\)" + re.escape(live), escaped), live


@pytest.mark.parametrize(
    ("text", "limit", "shown"),
    [
        ("short", 60, "short"),
        ("  spaced \n out  ", 60, "spaced out"),
        ("abcdefghij", 5, "abcd…"),
        ("abcde", 5, "abcde"),
    ],
)
def test_shorten_gives_one_line_within_the_limit(text: str, limit: int, shown: str) -> None:
    assert shorten(text, limit) == shown


@pytest.mark.parametrize(
    ("value", "unit", "significant", "shown"),
    [
        (None, "", 3, "—"),
        (42000.0, "litres", 3, "42,000 litres"),
        (0.1234, "", 3, "0.123"),
        (1234.5, "", 3, "1,234"),
        (-7.0, "°C", 3, "-7 °C"),
        (1.5e-07, "", 3, "1.5e-07"),
        (1e20, "", 3, "100,000,000,000,000,000,000"),
        (0.9995, "", 3, "1"),
        (0.9995, "", 6, "0.9995"),
        (1234.5, "", 6, "1,234.5"),
        (1234567.8, "", 6, "1,234,568"),
    ],
)
def test_format_number(value: float | None, unit: str, significant: int, shown: str) -> None:
    assert format_number(value, unit, significant=significant) == shown


@pytest.mark.parametrize(
    ("amount_usd", "shown"),
    [(None, "—"), (0.5, "$0.50"), (99.994, "$99.99"), (100.0, "$100"), (12_345.6, "$12,346"), (0.0, "$0.00")],
)
def test_format_usd_shows_cents_only_below_100_dollars(amount_usd: float | None, shown: str) -> None:
    assert format_usd(amount_usd) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.0, "0 B"), (999.0, "999 B"), (48_907_571.0, "48.9 MB"), (16.06e9, "16.1 GB"), (2.5e15, "2,500 TB")],
)
def test_format_bytes_uses_decimal_units(value: float, shown: str) -> None:
    assert format_bytes(value) == shown


@pytest.mark.parametrize(
    ("text", "visible"),
    [
        ("Ann", True),
        ("  Ann  ", True),
        ("\u200bA", True),
        ("é", True),
        ("日本", True),
        ("\u05d0", True),  # a Hebrew letter: right-to-left, but visible
        ("", False),
        ("   \t", False),
        ("\u200b\u200c\u200d", False),  # zero-width space, non-joiner, joiner
        ("\u2060\ufeff", False),  # word joiner, byte-order mark
        ("\u200e\u200f", False),  # left-to-right and right-to-left marks
        ("\u202a\u202b\u202c\u202d\u202e", False),  # bidi embeddings and overrides
        ("\u2066\u2067\u2068\u2069", False),  # bidi isolates
        ("\u00a0\u3000", False),  # no-break and ideographic spaces
        ("\u0301", False),  # a combining accent with nothing to sit on
        ("\u3164", False),  # Hangul filler, drawn blank
        ("\U000e0041", False),  # a tag character
    ],
)
def test_has_visible_text_sees_only_characters_that_show(text: str, visible: bool) -> None:
    assert has_visible_text(text) is visible


@pytest.mark.parametrize(
    ("value", "limit", "shown"),
    [
        ("fp16", 60, "'fp16'"),
        ("x" * 60, 60, repr("x" * 60)),
        ("x" * 61, 60, repr("x" * 60) + "… (61 characters)"),
        ("abcdefgh", 3, "'abc'… (8 characters)"),
        (42, 60, "42"),
        (None, 60, "None"),
        (list(range(100)), 12, "[0, 1, 2, 3,…"),
        pytest.param(10**5000, 60, "a value too large to show (int)", id="int-too-long-to-print"),
    ],
)
def test_quote_prefix_quotes_at_most_a_short_prefix(value: object, limit: int, shown: str) -> None:
    assert quote_prefix(value, limit) == shown


def test_quote_prefix_never_repeats_a_long_value() -> None:
    value = "y" * 100_000
    assert len(quote_prefix(value)) < 100
