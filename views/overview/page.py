"""Overview: the decision, the state of each planning step, key figures, open problems, the brief."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from core import projects as pj
from core.store import StoreError
from ui.project import require_project
from ui.text import escape_markdown
from views import page
from views.overview.data import brief_markdown_bytes, brief_pdf_bytes, overview_for

project = require_project()
st.title("Greenlight")
st.markdown(f"### {escape_markdown(project.name)}")
st.caption(
    "Four questions before anything is built: is it worth it, how will we know it worked, who did it before, "
    "and what will it take. This page gathers the answers into one decision."
)

# Material icons ship with Streamlit, so they look the same in every browser (emoji depend on the system's fonts).
DECISION_STYLE = {
    "pursue with deep learning": (st.success, ":material/check_circle:"),
    "simpler solution first": (st.warning, ":material/build:"),
    "not worth it now": (st.error, ":material/pause_circle:"),
    "not decided yet": (st.info, ":material/explore:"),
}


@st.fragment(run_every="5s")
def live_decision() -> None:
    """Refreshes by itself during a meeting: other raters' scores appear without anyone reloading.

    It holds no input widgets, so the refresh never disturbs someone typing elsewhere on the page. While the
    database server cannot be reached it says so, and the next refresh after it is back shows the decision.
    """
    try:
        _draw_live_decision()
    except StoreError as error:
        st.warning(escape_markdown(str(error)), icon="🔌")


def _draw_live_decision() -> None:
    current = require_project()
    overview = overview_for(current, date.today())
    show, icon = DECISION_STYLE[overview.decision]
    headline = f"**Decision: {overview.decision}**"
    if overview.candidate_name:
        headline += f" — {escape_markdown(overview.candidate_name)}"
    show(headline + "\n\n" + "\n".join(f"- {escape_markdown(r)}" for r in overview.reasons), icon=icon)

    columns = st.columns(len(overview.steps))
    for column, step in zip(columns, overview.steps, strict=True):
        with column, st.container(border=True):
            box = ":material/check_box:" if step.done else ":material/check_box_outline_blank:"
            st.markdown(f"{box} **{step.title}**")
            st.caption(escape_markdown(step.detail))
            link = "Review" if step.done else "Finish this step"
            st.page_link(page(step.page), label=link, icon=":material/arrow_forward:")

    st.subheader("Key figures")
    if overview.figures:
        # A static table wraps long notes (a data grid cuts them off at the column edge). Its cells are
        # Markdown, so the figures (which quote candidate and metric names) are escaped to show verbatim.
        figures = pd.DataFrame(
            [(f.label, f.value, f.note) for f in overview.figures], columns=["Figure", "Value", "Note"]
        )
        st.table(figures.map(escape_markdown), hide_index=True)
    else:
        st.info("Key figures appear once candidates are scored on the Worthiness page.")

    evaluation = overview.evaluation
    if evaluation is not None and evaluation.section.rater_scores.raters:
        raters = ", ".join(evaluation.section.rater_scores.raters)
        st.caption(f"Scores from {len(evaluation.section.rater_scores.raters)} rater(s): {escape_markdown(raters)}")

    st.subheader("Open problems")
    if overview.problems:
        for problem in overview.problems:
            text, fix = st.columns([5, 1], vertical_alignment="center")
            text.markdown(f"- {escape_markdown(problem.text)}")
            fix.page_link(page(problem.page), label="Fix it", icon=":material/arrow_forward:")
    else:
        st.success("No open problems.", icon=":material/thumb_up:")


live_decision()

st.subheader("Decision brief")
st.caption("The same content in three formats: a 1-3 page PDF with charts, Markdown for a wiki, JSON to re-import.")
slug = project.id
left, middle, right = st.columns(3)
left.download_button(
    "Download PDF",
    data=lambda: brief_pdf_bytes(project, date.today()),
    file_name=f"greenlight-brief-{slug}.pdf",
    mime="application/pdf",
    key="download_pdf",
    icon=":material/picture_as_pdf:",
    on_click="ignore",
)
middle.download_button(
    "Download Markdown",
    data=lambda: brief_markdown_bytes(project, date.today()),
    file_name=f"greenlight-brief-{slug}.md",
    mime="text/markdown",
    key="download_markdown",
    icon=":material/description:",
    on_click="ignore",
)
right.download_button(
    "Download JSON",
    data=pj.export_json([project.document()]),
    file_name=f"greenlight-{slug}.json",
    mime="application/json",
    key="download_json",
    icon=":material/data_object:",
    on_click="ignore",
)
