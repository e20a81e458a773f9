"""The decision brief: the PDF opens and holds the decision, the table and a chart; the Markdown has every section."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pypdf
import pytest

from core.brief import BriefInputs, brief_markdown, brief_pdf
from core.decision import build_overview
from core.example import example_project

TODAY = date(2027, 1, 15)


@pytest.fixture(scope="module")
def inputs() -> BriefInputs:
    name, sections = example_project()
    overview = build_overview(sections, today=TODAY)
    return BriefInputs(name, overview, TODAY, {"weights": 2e9, "activations": 6e9}, 24e9, "L4", ("An assumption.",))


@pytest.fixture(scope="module")
def pdf(inputs: BriefInputs) -> pypdf.PdfReader:
    return pypdf.PdfReader(BytesIO(brief_pdf(inputs)))


def test_the_pdf_has_one_to_three_pages(pdf: pypdf.PdfReader) -> None:
    assert 1 <= len(pdf.pages) <= 3


def test_the_pdf_states_the_decision_and_ranks_the_candidates(pdf: pypdf.PdfReader) -> None:
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Decision: Pursue with deep learning" in text
    for header in ("Rank", "Candidate", "Weighted sum", "TOPSIS rank", "Verdict"):
        assert header in text
    for candidate in ("Forecast rain 15 minutes ahead", "Replace film backgrounds"):
        assert candidate.lower() in text.lower()


def test_the_pdf_holds_chart_images(pdf: pypdf.PdfReader) -> None:
    assert sum(len(page.images) for page in pdf.pages) >= 2  # quadrant and memory charts


MARKDOWN_SECTIONS = [
    "# Decision brief:",
    "## Decision",
    "## Planning steps",
    "## Key figures",
    "## Candidates ranked",
    "## Success metrics",
    "## Reference projects",
    "## Resource plan",
    "## Open problems",
    "## Assumptions",
]


@pytest.mark.parametrize("heading", MARKDOWN_SECTIONS)
def test_the_markdown_has_every_section(inputs: BriefInputs, heading: str) -> None:
    assert heading in brief_markdown(inputs)


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "| a | b |", "[x](javascript:alert(1))", "雨の予報 ✓"])
def test_user_text_cannot_inject_markdown_and_still_prints_in_the_pdf(inputs: BriefInputs, name: str) -> None:
    hostile = BriefInputs(name, inputs.overview, TODAY)
    markdown = brief_markdown(hostile)
    first = markdown.splitlines()[0]
    assert "<script>" not in first and "](" not in first.replace("\\]", "")
    assert brief_pdf(hostile).startswith(b"%PDF")


def _with_evidence(approach: str, outcome: str) -> BriefInputs:
    from core.references import Reference
    from core.references.evidence import attach_references

    name, sections = example_project()
    chosen = build_overview(sections, today=TODAY).candidate_id
    assert chosen is not None
    sections = {**sections, "worthiness": attach_references(sections["worthiness"], chosen, ["ref-1"])}
    reference = Reference(
        "ref-1", "Acme Grid", "Forecasting load with gradient boosting", 2024, "energy & utilities",
        "regression & forecasting", "time series", source_url="https://example.com/acme",
        approach=approach, outcome=outcome,
    )  # fmt: skip
    overview = build_overview(sections, references=[reference], today=TODAY)
    assert overview.evidence == (reference,)
    return BriefInputs(name, overview, TODAY)


@pytest.mark.parametrize(
    ("approach", "outcome", "shown"),
    [
        (
            "gradient-boosted trees (LightGBM)",
            "forecast error down 20 %",
            ("gradient-boosted trees (LightGBM)", "forecast error down 20 %"),
        ),
        ("", "", ("not named in the source", "no figure published")),
    ],
)
def test_the_brief_shows_each_references_approach_and_outcome(
    approach: str, outcome: str, shown: tuple[str, str]
) -> None:
    inputs = _with_evidence(approach, outcome)
    markdown = brief_markdown(inputs)
    assert f"Approach: {shown[0]}. Outcome: {shown[1]}." in markdown.replace("\\", "")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(brief_pdf(inputs))).pages)
    assert "Approach:" in text and shown[1].split()[0] in text
