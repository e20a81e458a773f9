"""The /success-metrics page in a real browser: templates, live checks, tree, break-even chart, saving."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, assert_no_exception, goto, rerun, select_option, wait_for_app

GOAL_MESSAGE = "has no business metric"


def _insert(page: Page, template: str) -> None:
    select_option(page, "Insert from a template", template)
    insert = page.get_by_role("button", name="Insert", exact=True)
    expect(insert).to_be_enabled()
    with rerun(page):
        insert.click()


def test_a_chain_from_templates_is_checked_drawn_and_saved(page: Page, server: Server) -> None:
    goto(page, server, "success-metrics")
    expect(page.get_by_role("heading", name="Success metrics", exact=True)).to_be_visible()
    expect(page.get_by_text("No issues: every check of the chain passes.")).to_be_visible()

    _insert(page, "Goal · Customer satisfaction (intangible)")
    expect(page.get_by_text(GOAL_MESSAGE)).to_be_visible()

    _insert(page, "Business metric · Time customers spend (minutes per session)")
    expect(page.get_by_text(GOAL_MESSAGE)).to_have_count(0)
    expect(page.get_by_text("Time customers spend' has no baseline").first).to_be_visible()

    expect(page.locator('[data-testid="stGraphVizChart"] svg')).to_be_visible()
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    expect(page.get_by_text("precision to beat")).to_be_visible()

    page.get_by_label("What changed (for the history)").fill("customer satisfaction from templates")
    page.get_by_role("button", name="Save", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text("Saved. Every save is kept")).to_be_visible()
    expect(page.get_by_text("All changes saved.")).to_be_visible()
    assert_no_exception(page)
