"""core.text: user text shown verbatim, and figures formatted the same way everywhere."""

from __future__ import annotations

import pytest

from core.text import escape_markdown, format_bytes, format_number, format_usd, shorten


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("plain words 3.5", "plain words 3.5"),
        ("**bold**", r"\*\*bold\*\*"),
        ("<b>tag</b>", r"\<b\>tag\</b\>"),
        ("# heading", r"\# heading"),
        ("1. list", r"1\. list"),
        ("a | b", r"a \| b"),
        (":red[alarm]", r"\:red\[alarm\]"),
        ("$x$", r"\$x\$"),
        ("x; --", "x; -\u2060-"),
        ("two\nlines", "two  \nlines"),
    ],
)
def test_escape_markdown_keeps_what_the_user_typed(typed: str, escaped: str) -> None:
    assert escape_markdown(typed) == escaped


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
