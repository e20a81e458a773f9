"""Resources inputs in a real browser: changed inputs survive another page and a reload, marked unsaved until
saved as a scenario (they are the project's draft, kept in the database)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, assert_no_exception, goto, rerun, wait_for_app, widget

UNSAVED = "Unsaved changes"


def _batch(page: Page) -> str:
    return widget(page, "res_batch").locator("input").input_value()


def test_changed_inputs_survive_navigation_and_a_reload_marked_unsaved(page: Page, server: Server) -> None:
    goto(page, server, "resources")
    expect(page.get_by_text("Inputs as saved in scenario", exact=False)).to_be_visible()
    field = widget(page, "res_batch").locator("input")
    with rerun(page):
        field.fill("24")
        field.press("Enter")
    expect(page.get_by_text(UNSAVED)).to_be_visible()

    page.get_by_test_id("stSidebarNav").get_by_text("Worthiness").click()
    wait_for_app(page)
    page.get_by_test_id("stSidebarNav").get_by_text("Resources").click()
    wait_for_app(page)
    assert _batch(page) == "24", "another page and back: the inputs as left"
    expect(page.get_by_text(UNSAVED)).to_be_visible()

    page.reload()
    wait_for_app(page)
    assert_no_exception(page)
    assert _batch(page) == "24", "a reload: the project's draft"
    expect(page.get_by_text(UNSAVED)).to_be_visible()
