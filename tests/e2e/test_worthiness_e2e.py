"""The /worthiness page in real Chromium: add a candidate, score it, change a weight and see the ranking and the
verdicts follow; a second browser scoring under another name shows up in the first one's spread."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Server, assert_no_exception, goto, open_tab, score, wait_for_app, widget

NEW_NAME = "Detect parcel damage"


def test_add_score_and_reweight_in_the_browser(page: Page, server: Server) -> None:
    goto(page, server)
    page.get_by_role("link", name="Worthiness").first.click()
    wait_for_app(page)
    assert_no_exception(page)
    expect(page.get_by_text(re.compile(r"Top pick.*: Forecast rain 15 minutes ahead"))).to_be_visible()

    # Add a candidate; Enter in a form field submits it.
    widget(page, "worthiness_cand_error_rate").locator("input").fill("5")
    name = widget(page, "worthiness_cand_name").locator("input")
    name.fill(NEW_NAME)
    name.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text(f"Added {NEW_NAME}")).to_be_visible()

    # Score it: the new candidate is already picked, its suitability pre-suggested.
    open_tab(page, "Scoring")
    expect(widget(page, "worthiness_score_pick").get_by_role("combobox")).to_have_value(NEW_NAME)
    expect(page.get_by_text("Suggested suitability: 4 of 5")).to_be_visible()
    # Nobody's name is pre-filled; the example's Architect scored from another browser, so this one asks first.
    rater = widget(page, "worthiness_rater").locator("input")
    expect(rater).to_have_value("")
    rater.fill("Architect")
    rater.press("Enter")
    wait_for_app(page)
    score(page, {"impact": 5, "value": 5, "complexity": 4, "risk": 2, "cost": 2, "suitability": 3})
    expect(page.get_by_text("Architect has already saved scores from another browser")).to_be_visible()
    page.get_by_role("button", name="Yes, I am Architect: save under this name").click()
    wait_for_app(page)
    expect(page.get_by_text(f"Saved Architect's scores for {NEW_NAME}")).to_be_visible()
    # The name is remembered by this browser: a reload keeps it.
    page.reload()
    wait_for_app(page)
    expect(widget(page, "worthiness_rater").locator("input")).to_have_value("Architect")
    new_top = re.compile(rf"Top pick.*: {re.escape(NEW_NAME)} \(pursue with deep learning\)")
    expect(page.get_by_text(new_top)).to_be_visible()

    open_tab(page, "Weights & ranking")
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
    expect(page.get_by_text("pick the same top candidate")).to_be_visible()
    weight = widget(page, "worthiness_weight_suitability").locator("input")
    weight.fill("5")
    weight.press("Enter")
    wait_for_app(page)
    assert_no_exception(page)
    expect(page.get_by_text("Saved the weights")).to_be_visible()
    expect(page.get_by_text("share 50%")).to_be_visible()
    forecast_top = re.compile(r"Top pick.*: Forecast rain 15 minutes ahead \(pursue with deep learning\)")
    expect(page.get_by_text(forecast_top)).to_be_visible()

    open_tab(page, "Verdicts & evidence")
    expect(page.get_by_text("It ranks 2 by weighted sum.")).to_be_visible()
    expect(page.get_by_text("It ranks 1 by weighted sum.")).to_be_visible()
    expect(page.get_by_text("try the simpler solution first").first).to_be_visible()


def test_a_second_rater_in_another_browser_shows_up_in_the_spread(page: Page, server: Server, browser: Browser) -> None:
    goto(page, server, "worthiness")
    open_tab(page, "Raters")
    expect(page.get_by_text("Data scientist")).to_have_count(0)

    other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    other.set_default_timeout(30_000)
    goto(other, server, "worthiness")
    rater = widget(other, "worthiness_rater").locator("input")
    rater.fill("Data scientist")
    rater.press("Enter")
    wait_for_app(other)
    open_tab(other, "Scoring")
    expect(widget(other, "worthiness_score_pick").get_by_role("combobox")).to_have_value("Replace film backgrounds")
    score(other, {"impact": 1, "value": 3, "complexity": 4, "risk": 4, "cost": 3})  # suitability: the suggestion
    expect(other.get_by_text("Saved Data scientist's scores for Replace film backgrounds")).to_be_visible()
    other.context.close()

    # The first browser sees the new rater's scores on its next run, with the 3-point gap to discuss.
    open_tab(page, "Scoring")
    open_tab(page, "Raters")
    expect(page.get_by_text(re.compile(r"3 rater\(s\): Architect, Data scientist, Product owner"))).to_be_visible()
    gap = re.compile(r"Architect 3, Data scientist 1, Product owner 4 \(3 points apart\)")
    expect(page.get_by_text(gap)).to_be_visible()
