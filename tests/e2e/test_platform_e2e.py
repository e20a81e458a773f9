"""The platform in a real browser: every page, a project that survives a reload, share links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, assert_no_exception, goto, new_project, wait_for_app, watch_dialogs

PATHS = ["", "worthiness", "success-metrics", "references", "resources", "gpus", "projects"]


@pytest.mark.parametrize("path", PATHS)
def test_every_url_path_renders_without_an_exception(page: Page, server: Server, path: str) -> None:
    goto(page, server, path)
    assert_no_exception(page)
    expect(page.locator("h1").first).to_be_visible()


def test_a_project_created_in_the_browser_survives_a_reload(page: Page, server: Server) -> None:
    goto(page, server)
    new_project(page, "Parcel damage detection")
    expect(page.get_by_role("heading", name="Parcel damage detection")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?project=[0-9a-f]{12}"))
    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Parcel damage detection")).to_be_visible()
    assert_no_exception(page)


def test_a_share_link_opens_its_project_in_a_fresh_browser(page: Page, server: Server, browser) -> None:
    goto(page, server)
    new_project(page, "Shared by link")
    link = page.url
    other = browser.new_context().new_page()
    other.goto(link)
    wait_for_app(other)
    expect(other.get_by_role("heading", name="Shared by link")).to_be_visible()
    other.context.close()


@pytest.mark.parametrize("raw", ["nope", "%3Cscript%3Ealert(1)%3C/script%3E", "0123456789ab"])
def test_a_bad_share_link_gets_a_friendly_message(page: Page, server: Server, raw: str) -> None:
    dialogs = watch_dialogs(page)
    goto(page, server, f"?project={raw}")
    assert_no_exception(page)
    expect(page.get_by_text(re.compile("share link could not be opened|No project with that id"))).to_be_visible()
    assert dialogs == []


@pytest.mark.parametrize("path", ["worthiness?project=", "gpus"])
def test_a_deep_link_on_a_freshly_started_server_runs_the_whole_app(page: Page, tmp_path, path: str) -> None:
    """The first request a server ever gets may be a share link: it must come with the sidebar and layout."""
    from tests.e2e.conftest import start_server, stop_server

    fresh = start_server(tmp_path)
    try:
        goto(page, fresh, path)
        expect(page.get_by_text("Current project")).to_be_visible()
        assert_no_exception(page)
    finally:
        stop_server(fresh)


def test_after_creating_a_project_other_pages_open_it_too(page: Page, server: Server) -> None:
    goto(page, server)
    new_project(page, "Follow me around")
    page.get_by_role("link", name="Projects", exact=True).first.click()
    wait_for_app(page)
    expect(page.get_by_text("Follow me around · version 1")).to_be_visible()
    page.get_by_role("link", name="Overview", exact=True).first.click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Follow me around")).to_be_visible()


def _export_all(page: Page) -> bytes:
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Export all projects (JSON)").click()
    return Path(download.value.path()).read_bytes()


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{not json", "The file is not valid JSON"), (b'{"kind": "greenlight-export", "projects": []}', "holds no")],
)
def test_a_malformed_import_gets_a_message_and_loses_nothing(
    page: Page, server: Server, tmp_path, content: bytes, message: str
) -> None:
    goto(page, server, "projects")
    before = _export_all(page)
    upload = tmp_path / "bad.json"
    upload.write_bytes(content)
    page.locator('input[type="file"]').set_input_files(str(upload))
    wait_for_app(page)
    # The file is read as soon as it is chosen: a file that cannot be imported offers no Import button.
    expect(page.get_by_text("Nothing can be imported from this file")).to_contain_text(message)
    expect(page.get_by_role("button", name="Import", exact=True)).to_have_count(0)
    assert_no_exception(page)
    assert _export_all(page) == before


def test_delete_for_good_after_confirmation(page: Page, server: Server) -> None:
    """(A dialog's buttons rerun only the dialog in a browser, which AppTest cannot replay.)"""
    goto(page, server)
    new_project(page, "Doomed project")
    page.get_by_role("link", name="Projects", exact=True).first.click()
    wait_for_app(page)
    expect(page.get_by_text("Doomed project · version 1")).to_be_visible()
    page.get_by_role("button", name="Delete…").click()
    wait_for_app(page)
    page.get_by_role("button", name="Delete for good").click()
    wait_for_app(page)
    expect(page.get_by_text("Doomed project · version 1")).to_have_count(0)
    assert "Doomed project" not in _export_all(page).decode()
    assert_no_exception(page)
