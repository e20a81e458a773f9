"""The /references page in Chromium: search and filter, attach a reference and see it on /worthiness,
follow "Plan resources for this model" to /resources?model=KEY."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.conftest import Server, assert_no_exception, goto, open_tab, wait_for_app

# Streamlit saves a table's CSV through the File System Access API when the browser has it; without
# it the download is an ordinary one that Playwright can catch and read.
NO_SAVE_PICKER = "delete window.showSaveFilePicker; window.showSaveFilePicker = undefined;"


@pytest.fixture
def page_csv(page: Page) -> Page:
    page.context.add_init_script(NO_SAVE_PICKER)
    return page


def table_rows(page: Page, table: Locator) -> list[dict[str, str]]:
    """The rows of a st.dataframe (drawn on a canvas), read through its "Download as CSV" button."""
    table.scroll_into_view_if_needed()
    table.hover()
    button = table.get_by_role("button", name="Download as CSV")
    with page.expect_download() as download:
        try:
            button.click(timeout=5_000)
        except PlaywrightTimeoutError:
            # On a short table the grid's scroller lies over the toolbar and takes the pointer events.
            button.dispatch_event("click")
    path = download.value.path()
    with open(path, encoding="utf-8-sig") as file:
        return list(csv.DictReader(io.StringIO(file.read())))


def _pick(page: Page, label: str, option: str | None = None) -> str:
    """Choose an option (the first one when ``option`` is None) in the multiselect called ``label``.

    Under load the first click can land before the list opens; the choice is retried until its chip shows."""
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text=label)
    text = ""
    for _attempt in range(4):
        text = _pick_once(page, box, option)
        if text and box.get_by_text(text, exact=True).count():
            return text
    expect(box.get_by_text(text, exact=True)).to_be_visible()
    return text


def _pick_once(page: Page, box: Locator, option: str | None) -> str:
    """One try: open the list, click the option; '' when the list did not open in time (the caller retries)."""
    box.locator("input").click()
    page.keyboard.press("ArrowDown")  # a click near the window's edge focuses the box without opening it
    if option:
        # Long lists render only the options in view: typing narrows the list to the wanted one.
        page.keyboard.type(option)
    options = page.get_by_role("option")
    # Streamlit's multiselect opens with a "Select all" entry; a reference's label is "Company: Title".
    choice = options.filter(has_text=re.compile(f"^{re.escape(option)}$" if option else ": ")).first
    try:
        text = choice.inner_text(timeout=10_000)
    except PlaywrightTimeoutError:
        page.keyboard.press("Escape")
        return ""
    choice.click()
    page.keyboard.press("Escape")
    return text


def _search_for(page: Page, query: str) -> None:
    box = page.get_by_role("textbox", name="Search the catalogue")
    box.fill(query)
    expect(box).to_have_value(query)
    _submit(page)


def _submit(page: Page) -> None:
    """Submit the search form (after typing or a filter change) with Enter in the search box, pressed again
    when no script run starts within 20 s. The multiselect's list can still be closing when the Search button
    is clicked, and under load that click was swallowed; an Enter was swallowed once too (a 60 s timeout in the
    full suite, on a 2-core machine running two workers). A second Enter submits the same form again, which
    is harmless."""
    box = page.get_by_role("textbox", name="Search the catalogue")
    for attempt in range(3):
        before = page.evaluate("window.__greenlightRunsDone")
        box.press("Enter")
        try:
            page.wait_for_function("before => window.__greenlightRunsDone > before", arg=before, timeout=20_000)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
    wait_for_app(page)
    assert_no_exception(page)


def test_plain_words_find_by_meaning_and_a_thin_industry_pivots(page_csv: Page, server: Server) -> None:
    page = page_csv
    goto(page, server, "references")
    _search_for(page, "check how well students pronounce words when they speak")
    rows = table_rows(page, page.get_by_test_id("stDataFrame").first)
    assert sum(row["ML task"] == "speech recognition" for row in rows[:5]) >= 2, [r["Title"] for r in rows[:5]]
    assert "similar meaning" in {row["Matched"] for row in rows}

    _pick(page, "Industry", "telecom")
    _search_for(page, "forecast electricity demand")
    expect(page.get_by_text("Only 4 entries in telecom for regression & forecasting")).to_be_visible()
    for neighbour in ("technology & cloud", "energy & utilities", "media & entertainment"):
        expect(page.get_by_text(f"Nearest industry: {neighbour}")).to_be_visible()
    tables = page.get_by_test_id("stDataFrame")
    expect(tables).to_have_count(4)
    first_neighbour = table_rows(page, tables.nth(0))
    assert {row["Industry"] for row in first_neighbour} == {"technology & cloud"}
    assert {row["ML task"] for row in first_neighbour} == {"regression & forecasting"}
    assert {row["Industry"] for row in table_rows(page, tables.nth(3))} == {"telecom"}


def test_filter_by_approach(page_csv: Page, server: Server) -> None:
    page = page_csv
    goto(page, server, "references")
    _search_for(page, "fraud detection")
    everything = table_rows(page, page.get_by_test_id("stDataFrame").first)
    assert {"Approach", "Outcome"} <= set(everything[0])
    _pick(page, "Approach", "gradient-boosted trees")
    _submit(page)
    boosted = table_rows(page, page.get_by_test_id("stDataFrame").first)
    assert 0 < len(boosted) < len(everything)
    assert all(re.search(r"boost|xgboost|lightgbm|catboost|forest|gbdt|tree", r["Approach"], re.I) for r in boosted)


def test_search_and_filter(page_csv: Page, server: Server) -> None:
    page = page_csv
    goto(page, server, "references")
    _search_for(page, "fraud in card payments")
    rows = table_rows(page, page.get_by_test_id("stDataFrame").first)
    assert any("fraud" in row["Title"].lower() for row in rows[:5])
    assert len({row["Industry"] for row in rows}) > 1

    _pick(page, "Industry", "retail & e-commerce")
    _submit(page)
    narrowed = table_rows(page, page.get_by_test_id("stDataFrame").first)
    assert 0 < len(narrowed) < len(rows)
    assert {row["Industry"] for row in narrowed} == {"retail & e-commerce"}
    assert "fraud" in narrowed[0]["Title"].lower() or "fraud" in narrowed[0]["Matched"]
    assert_no_exception(page)


def _shows_text(page: Page, text: str) -> bool:
    """The text is on the page, as text or inside one of its tables."""
    if page.get_by_text(text, exact=False).count():
        return True
    tables = page.get_by_test_id("stDataFrame")
    return any(text in row.values() for i in range(tables.count()) for row in table_rows(page, tables.nth(i)))


def test_an_attached_reference_appears_on_the_worthiness_page(page_csv: Page, server: Server) -> None:
    page = page_csv
    goto(page, server, "references")
    open_tab(page, "Similar to my use case")
    label = _pick(page, "Attach as evidence")
    page.get_by_role("button", name="Attach as evidence", exact=True).click()
    wait_for_app(page)
    assert_no_exception(page)
    expect(page.get_by_text("Attached 1 reference(s) as evidence")).to_be_visible()
    title = label.split(": ", 1)[1].rstrip("…")
    expect(page.get_by_text(title[:40], exact=False).last).to_be_visible()

    goto(page, server, "worthiness")
    evidence_tab = page.get_by_role("tab", name=re.compile("evidence", re.IGNORECASE))
    if evidence_tab.count():
        evidence_tab.first.click()
        wait_for_app(page)
    assert_no_exception(page)
    assert _shows_text(page, title) or _shows_text(page, title[:40]), f"{title!r} is not on /worthiness"


def test_plan_resources_for_a_model_opens_the_planner_with_it(page: Page, server: Server) -> None:
    goto(page, server, "references")
    open_tab(page, "Model sizes by task")
    link = page.get_by_role("link", name=re.compile("^Plan resources for ")).first
    expect(link).to_be_visible()
    href = link.get_attribute("href") or ""
    (model,) = parse_qs(urlparse(href).query)["model"]
    link.click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/resources\?(.*&)?model=" + re.escape(model) + r"(&|$)"))
    assert_no_exception(page)
