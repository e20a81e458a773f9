"""Glue between the overview page and core.decision / core.brief: catalogue lookups and caching."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core.brief import BriefInputs
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


def brief_inputs(project: Project, today: date) -> BriefInputs:
    return BriefInputs(project_name=project.name, overview=overview_for(project, today), today=today)
