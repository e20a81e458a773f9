"""The grocery chain (tests/grocery.py) on the overview page and in both briefs: the decision candidate's own
plan and the project total; nothing from the chatbot's plan, although it was chosen last and saved first."""

from __future__ import annotations

from io import BytesIO

import pypdf
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import no_exceptions, plain
from tests.grocery import CHATBOT_PLAN, NAME, SHELF_PLAN, TODAY, grocery_project
from ui.state import get_store

# What only the chatbot's plan would put on the page.
CHATBOT_ONLY = (CHATBOT_PLAN, "H100", "Llama 3.1 8B", "llama-3.1-8b")


@pytest.fixture
def grocery(app) -> tuple[AppTest, str]:
    app()  # the first run creates the database (and the example project)
    project_id = get_store().create_project(*grocery_project())
    return app(project=project_id), project_id


def _figures(at: AppTest) -> dict[str, tuple[str, str]]:
    table = at.table[0].value
    return {row["Figure"]: (plain(row["Value"]), plain(row["Note"])) for _, row in table.iterrows()}


def test_the_overview_decides_for_the_shelf_detector_with_its_own_plan(grocery: tuple[AppTest, str]) -> None:
    at, _ = grocery
    no_exceptions(at)
    figures = _figures(at)
    assert figures["Decision candidate"][0] == "Detect empty shelves"
    assert figures["Devices per replica"] == ("1 × L4", f"scenario '{SHELF_PLAN}' for Detect empty shelves")
    shown = " ".join(" ".join(pair) for pair in figures.values())
    assert not [word for word in CHATBOT_ONLY if word in shown], shown


def test_the_overview_shows_the_project_total_and_its_payback(grocery: tuple[AppTest, str]) -> None:
    figures = _figures(grocery[0])
    one_off, lines = figures["One-off cost"]
    assert one_off.startswith("$") and "data and labelling $12,500" in lines and "training $" in lines
    assert "running it $" in figures["Monthly cost"][1] and "serving $" in figures["Monthly cost"][1]
    assert figures["Payback"][0].endswith(" months")
    assert "at 90% precision and 90% recall" in figures["Payback"][1]


def _brief_section(text: str) -> str:
    return text.split("Resource plan (What will it take?)", 1)[1].split("Open problems", 1)[0]


def test_both_briefs_carry_the_decision_candidates_plan_and_the_total(grocery: tuple[AppTest, str]) -> None:
    from views.overview.data import brief_markdown_bytes, brief_pdf_bytes

    at, project_id = grocery
    figures = _figures(at)
    project = get_store().get_project(project_id)
    assert project is not None and project.name == NAME
    markdown = plain(brief_markdown_bytes(project, TODAY).decode("utf-8"))
    reader = pypdf.PdfReader(BytesIO(brief_pdf_bytes(project, TODAY)))
    pdf = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for text in (markdown, " ".join(pdf.split())):
        section = " ".join(_brief_section(text).split())
        assert f"Scenario: {SHELF_PLAN}" in section
        assert f"Project total, one-off: {figures['One-off cost'][0]}" in section
        assert f"Project total, monthly: {figures['Monthly cost'][0]}" in section
        assert f"Payback: {figures['Payback'][0]}" in section
        assert not [word for word in CHATBOT_ONLY if word in section], section
