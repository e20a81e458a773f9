"""Meeting mode: two people score the same candidate in their own browsers; the overview, left open in a
third, shows both without anyone reloading it."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Server, goto, open_tab, score, wait_for_app, widget


def _score_as(browser: Browser, server: Server, share_link: str, rater: str, impact: int) -> None:
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(30_000)
    goto(page, server, "worthiness" + share_link)
    name = widget(page, "worthiness_rater").locator("input")
    name.fill(rater)
    name.press("Enter")
    wait_for_app(page)
    open_tab(page, "Scoring")
    score(page, {"impact": impact, "value": 4, "complexity": 2, "risk": 2, "cost": 2})
    expect(page.get_by_text(f"Saved {rater}'s scores")).to_be_visible()
    page.context.close()


def test_two_raters_in_their_own_browsers_appear_on_the_open_overview(
    page: Page, server: Server, browser: Browser
) -> None:
    goto(page, server)
    share_link = "?" + page.url.split("?", 1)[1]
    expect(page.get_by_text(re.compile(r"Scores from 2 rater\(s\)"))).to_be_visible()

    _score_as(browser, server, share_link, "Ann from finance", 5)
    _score_as(browser, server, share_link, "Ben from operations", 2)

    # No reload: the overview's live part reruns every few seconds by itself.
    expect(
        page.get_by_text(re.compile(r"Scores from 4 rater\(s\): .*Ann from finance.*Ben from operations"))
    ).to_be_visible(timeout=20_000)
