"""Restoring a version in a real browser: it shows what would change, asks first, and can restore one section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from core.example import example_project
from core.store import open_store
from tests.e2e.conftest import assert_no_exception, goto, rerun, select_option, start_server, stop_server


def rescored(section: dict[str, Any]) -> dict[str, Any]:
    """The same rater's section with every impact score moved (1 <-> 5)."""
    scores = {
        candidate: {**criteria, "impact": 6 - criteria["impact"]} for candidate, criteria in section["scores"].items()
    }
    return {**section, "scores": scores}


def test_restore_shows_the_diff_asks_and_restores_one_raters_scores(page: Page, tmp_path: Path) -> None:
    database = str(tmp_path / "restore.duckdb")
    store = open_store(database, example=example_project)
    [summary] = store.list_projects()
    before = store.get_project(summary.id)
    assert before is not None
    first, second = sorted(section for section in before.sections if section.startswith("ratings:"))[:2]
    for section in (first, second):
        store.save_section(summary.id, section, rescored(before.sections[section]), f"{section} changed")
    store.close()
    first_title, second_title = (f"{section.split(':', 1)[1]}'s scores" for section in (first, second))

    server = start_server(tmp_path, database)
    try:
        goto(page, server, f"projects?project={summary.id}")
        page.get_by_text("History: every save of this project").click()
        select_option(page, "View a version", "1")
        expect(page.get_by_text("Restoring version 1 would change:")).to_be_visible()
        page.get_by_text(f"{first_title}: changed").click()
        expect(page.locator('[data-testid="stCode"]').filter(has_text='"impact"').first).to_be_visible()

        with rerun(page):
            page.get_by_role("button", name=f"Remove {second_title}").click()
        with rerun(page):
            page.get_by_role("button", name="Restore 1 section(s) from version 1…").click()
        dialog = page.get_by_role("dialog")
        expect(dialog.get_by_text("every other section stays as it is now")).to_be_visible()
        expect(dialog.get_by_text(first_title)).to_be_visible()
        with rerun(page):
            dialog.get_by_role("button", name="Restore", exact=True).click()
        expect(page.get_by_text("the project is now at version 4")).to_be_visible()
        assert_no_exception(page)
    finally:
        stop_server(server)

    store = open_store(database)
    after = store.get_project(summary.id)
    store.close()
    assert after is not None and after.version == 4
    assert after.sections[first] == before.sections[first], "the chosen rater's scores went back"
    assert after.sections[second] == rescored(before.sections[second]), "the other rater's scores stayed"
