"""Glue between the overview page and core.decision / core.brief: catalogue lookups and caching."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core.decision import Overview, build_overview
from core.projects import Project
from core.references import Reference, load_references
from ui.state import get_store


@st.cache_data(show_spinner=False, max_entries=4)
def _references(version: int) -> list[Reference]:
    # The version argument only keys the cache; the rows come from the store.
    return load_references(get_store().catalogue("references"))


def catalogue_references() -> list[Reference]:
    rows = get_store().catalogue("references")
    return _references(len(rows))


def overview_for(project: Project, today: date) -> Overview:
    return build_overview(project.sections, references=catalogue_references(), today=today)


# The brief's PDF and chart libraries load only when someone downloads a brief: importing them with the
# page added half a second to every cold start.
def brief_pdf_bytes(project: Project, today: date) -> bytes:
    from core.brief import BriefInputs, brief_pdf

    return brief_pdf(BriefInputs(project_name=project.name, overview=overview_for(project, today), today=today))


def brief_markdown_bytes(project: Project, today: date) -> bytes:
    from core.brief import BriefInputs, brief_markdown

    inputs = BriefInputs(project_name=project.name, overview=overview_for(project, today), today=today)
    return brief_markdown(inputs).encode("utf-8")
