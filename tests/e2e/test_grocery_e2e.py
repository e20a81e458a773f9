"""The grocery chain (tests/grocery.py) in a real browser: the overview and both downloaded briefs show the
decision candidate's own plan and the project total, and nothing of the chatbot's plan (chosen last)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pypdf
from playwright.sync_api import Page, expect

from core.example import example_project
from core.store import open_store
from tests.e2e.conftest import assert_no_exception, goto, start_server, stop_server
from tests.grocery import CHATBOT_PLAN, SHELF_PLAN, grocery_project

CHATBOT_ONLY = (CHATBOT_PLAN, "H100", "Llama 3.1 8B", "llama-3.1-8b")


def _download(page: Page, button: str) -> bytes:
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=button).click()
    return Path(download.value.path()).read_bytes()


def test_the_overview_and_the_briefs_show_the_shelf_detectors_plan_and_total(page: Page, tmp_path: Path) -> None:
    database = str(tmp_path / "grocery.duckdb")
    store = open_store(database, example=example_project)
    project_id = store.create_project(*grocery_project())
    store.close()
    server = start_server(tmp_path, database)
    try:
        goto(page, server, f"?project={project_id}")
        assert_no_exception(page)
        expect(page.get_by_text("Decision: pursue with deep learning")).to_be_visible()
        table = page.get_by_test_id("stTable").first
        expect(table).to_contain_text(f"scenario '{SHELF_PLAN}' for Detect empty shelves")
        for label in ("One-off cost", "Monthly cost", "Payback"):
            expect(table).to_contain_text(label)
        expect(table).to_contain_text("data and labelling $12,500")
        shown = page.locator("body").inner_text()
        assert not [word for word in CHATBOT_ONLY if word in shown]

        markdown = _download(page, "Download Markdown").decode("utf-8").replace("\\", "")
        reader = pypdf.PdfReader(BytesIO(_download(page, "Download PDF")))
        pdf = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
        for brief in (markdown, pdf):
            plan = " ".join(brief.split("What will it take?)", 1)[1].split("Open problems", 1)[0].split())
            assert f"Scenario: {SHELF_PLAN}" in plan and "Project total, one-off: $" in plan and "Payback: " in plan
            assert not [word for word in CHATBOT_ONLY if word in plan], plan
    finally:
        stop_server(server)
