"""The Accelerators page (/gpus) in a browser: chart and table render; a device added by the form survives a reload."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from core.store import read_catalogue
from tests.e2e.conftest import Server, assert_no_exception, goto, select_option, wait_for_app

CATALOGUE_SIZE = len(read_catalogue("accelerators"))


def test_accelerators_page_renders_the_chart_and_the_table(page: Page, server: Server) -> None:
    goto(page, server, "gpus")
    assert_no_exception(page)
    expect(page.get_by_role("heading", name="Accelerators")).to_be_visible()
    expect(page.get_by_text(f"Showing {CATALOGUE_SIZE} of {CATALOGUE_SIZE} devices")).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    expect(charts).to_have_count(2)  # bandwidth against compute, and price per hour of the compared devices
    expect(charts.first.locator("canvas, svg").first).to_be_visible()


def test_a_device_added_through_the_form_is_in_the_table_after_a_reload(page: Page, server: Server) -> None:
    goto(page, server, "gpus")
    select_option(page, "Device", "+ Add a new device")
    form = page.locator('[data-testid="stForm"]')
    expect(form.get_by_label("Key", exact=True)).to_have_value("")
    for label, value in [
        ("Key", "lab-gpu-48"),
        ("Vendor", "Acme Labs"),
        ("Model", "Acme Lab GPU 48GB"),
        ("Memory (GB)", "48"),
        ("Bandwidth (GB/s)", "960"),
        ("BF16 dense (TFLOP/s)", "180"),
        ("$/hour", "1.1"),
    ]:
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_label("$/hour", exact=True).press("Enter")  # Enter submits the form
    wait_for_app(page)
    expect(page.get_by_text("Added Acme Lab GPU 48GB (lab-gpu-48) to the catalogue.")).to_be_visible()
    assert_no_exception(page)

    page.reload()
    wait_for_app(page)
    expect(page.get_by_text(f"Showing {CATALOGUE_SIZE + 1} of {CATALOGUE_SIZE + 1} devices")).to_be_visible()
    search = page.get_by_role("textbox", name="Search model")
    search.fill("acme lab")
    search.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text(re.compile(rf"Showing 1 of {CATALOGUE_SIZE + 1} devices"))).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    assert_no_exception(page)
