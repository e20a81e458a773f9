"""The overview in a real browser: the decision shows and all three brief formats download."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, assert_no_exception, goto


def test_the_overview_shows_the_decision(page: Page, server: Server) -> None:
    goto(page, server)
    expect(page.get_by_text("Decision: pursue with deep learning")).to_be_visible()
    assert_no_exception(page)


@pytest.mark.parametrize(
    ("button", "suffix", "starts_with"),
    [
        ("Download PDF", ".pdf", b"%PDF"),
        ("Download Markdown", ".md", b"# Decision brief"),
        ("Download JSON", ".json", b"{"),
    ],
)
def test_each_brief_format_downloads(page: Page, server: Server, button: str, suffix: str, starts_with: bytes) -> None:
    goto(page, server)
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name=button).click()
    download = download_info.value
    assert download.suggested_filename.endswith(suffix)
    content = Path(download.path()).read_bytes()
    assert content.startswith(starts_with)
    if suffix == ".json":
        assert json.loads(content)["kind"] == "greenlight-export"
