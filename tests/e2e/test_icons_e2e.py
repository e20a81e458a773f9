"""Icons render without an emoji font: no page puts an emoji code point in front of the reader.

This machine's chromium has the system's fonts only (Debian's, no colour-emoji font), which is what a locked-down
office laptop or a thin client shows: an emoji there is an empty box. Icons are Material Symbols, which Streamlit
ships as a web font with the app (offline). The check reads every element's text, hidden tabs and expanders
included (``textContent``), on every page of the example project.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import Server, assert_no_exception, goto
from views import ROUTES

# Code points that render as emoji (the Unicode emoji blocks, the dingbats and symbols that have an emoji
# presentation, and any character followed by the emoji variation selector U+FE0F).
EMOJI = re.compile(
    "[\U0001f000-\U0001faff]|[\u2600-\u27bf]\ufe0f|[\u231a\u231b\u23e9-\u23f3\u23f8-\u23fa\u2614\u2615\u2648-\u2653"
    "\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705"
    "\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55]"
)


@pytest.mark.parametrize("text", ["🔎 search", "⚠️ careful", "✅ done", "➕ add", "⭐"])
def test_the_pattern_finds_emoji(text: str) -> None:
    assert EMOJI.search(text)


@pytest.mark.parametrize("text", ["✓ ok", "× 2", "→ next", "≥ 95 %", "€ 1,000", "search"])
def test_the_pattern_leaves_plain_symbols_alone(text: str) -> None:
    assert not EMOJI.search(text)


@pytest.mark.parametrize("path", [route.url_path for route in ROUTES.values()])
def test_no_page_shows_an_emoji(page: Page, server: Server, path: str) -> None:
    goto(page, server, path)
    assert_no_exception(page)
    text = page.evaluate("document.body.textContent")
    found = sorted({match.group() for match in EMOJI.finditer(text)})
    assert not found, f"/{path} shows {found}, an empty box without an emoji font"
