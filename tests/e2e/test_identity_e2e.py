"""Project identity in a real browser: a share link keeps its project on every page, and every write lands there,
even beside another project whose name reads the same (a database from before names were unique)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from core.store import open_store
from tests.e2e.conftest import (
    COUNT_FINISHED_RUNS,
    Server,
    assert_no_exception,
    start_server,
    stop_server,
    wait_for_app,
    widget,
)

PAGES = ["Worthiness", "Success metrics", "Reference projects", "Resources", "Accelerators", "Projects", "Overview"]


@pytest.fixture
def twins(tmp_path: Path) -> Iterator[tuple[Server, Path, str, str]]:
    path = tmp_path / "twins.duckdb"
    store = open_store(str(path))
    first = store.create_project("Twin")
    # A database written before names were unique may hold two projects called the same.
    second = "00000000beef"
    with store._cursor() as cur:
        cur.execute("INSERT INTO projects VALUES (?, 'Twin', now(), now(), 0)", [second])
    store.close()
    server = start_server(tmp_path, database=str(path))
    yield server, path, first, second
    stop_server(server)


def test_a_share_link_keeps_its_project_on_every_page_and_every_write_lands_there(
    browser: Browser, twins: tuple[Server, Path, str, str]
) -> None:
    server, path, first, second = twins
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(COUNT_FINISHED_RUNS)
    page: Page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{server.url}/?project={second}")
    wait_for_app(page)
    # The picker tells the twins apart.
    expect(page.get_by_role("combobox", name="Current project")).to_have_value(f"Twin · {second}")
    page.wait_for_timeout(6_000)  # the overview refreshes itself every few seconds: it must not switch project
    for label in PAGES:
        page.get_by_role("link", name=label).first.click()
        wait_for_app(page)
        assert_no_exception(page)
        expect(page).to_have_url(re.compile(rf"project={second}"))
        expect(page.get_by_role("combobox", name="Current project")).to_have_value(f"Twin · {second}")

    page.get_by_role("link", name="Worthiness").first.click()
    wait_for_app(page)
    name = widget(page, "worthiness_cand_name").locator("input")
    name.fill("Detect empty shelves")
    name.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("Added Detect empty shelves")).to_be_visible()
    context.close()

    stop_server(server)
    store = open_store(str(path))
    try:
        linked, other = store.get_project(second), store.get_project(first)
        assert linked is not None and other is not None
        assert "Detect empty shelves" in str(linked.sections.get("worthiness"))
        assert other.sections == {} and other.version == 1
    finally:
        store.close()
