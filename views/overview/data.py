"""Glue between the overview page and core.decision / core.brief: catalogue lookups, the chosen plan, caching."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from core.decision import Overview, PlanFacts, build_overview
from core.hosted.versus import ApiComparison, compare_chosen
from core.projects import Project
from core.references import Reference, load_references
from core.resources.evaluate import PlanEvaluation
from core.resources.plan import ResourcePlan
from ui import catalogues as cat
from ui.state import get_store


@st.cache_resource(show_spinner=False, max_entries=4)
def _references(version: str) -> list[Reference]:
    # The version argument only keys the cache; the rows come from the store.
    return load_references(get_store().catalogue("references"))


def catalogue_references() -> list[Reference]:
    return _references(get_store().catalogue_version("references"))


def plan_evaluation(plan: ResourcePlan | None) -> PlanEvaluation | None:
    """The estimator's evaluation of one scenario; None when there is none or it cannot be computed."""
    if plan is None:
        return None
    try:
        return cat.evaluate(plan, cat.catalogues())
    except ValueError:
        return None  # the resources page shows why; the overview shows the plan without its figures


def api_comparison(evaluation: PlanEvaluation | None) -> ApiComparison | None:
    """A scenario against its hosted model (the same call as the resources page); None without one."""
    if evaluation is None or evaluation.plan.api_comparison is None:
        return None
    try:
        return compare_chosen(evaluation, cat.hosted_models()[0], evaluation.plan.api_comparison)
    except ValueError:
        return None  # the resources page's "API or self-host" tab says why


def plan_facts(plan: ResourcePlan) -> PlanFacts | None:
    evaluation = plan_evaluation(plan)
    if evaluation is None:
        return None
    training = evaluation.training
    return PlanFacts(
        summary=evaluation.summary,
        fits=evaluation.fits,
        memory_per_device_bytes=evaluation.memory_per_device_bytes,
        device_memory_bytes=evaluation.device_memory_bytes,
        device_name=evaluation.device.model if evaluation.device is not None else None,
        api_comparison=api_comparison(evaluation),
        cost=evaluation.cost,
        training_fit=training.fit if training is not None else None,
        training_device_name=training.device.model if training is not None and training.device is not None else None,
    )


def overview_for(project: Project, today: date) -> Overview:
    """The decision and its figures; the resource figures are those of the decision candidate's own scenario."""
    return build_overview(
        project.sections,
        references=catalogue_references(),
        assess_plan=plan_facts,
        today=today,
        hosted_models=cat.hosted_models()[0],
    )


def _brief_inputs(project: Project, today: date) -> Any:
    from core.brief import BriefInputs

    overview = overview_for(project, today)
    evaluation = plan_evaluation(overview.plan)
    comparison = api_comparison(evaluation)
    device = evaluation.device.model if evaluation is not None and evaluation.device is not None else "device"
    return BriefInputs(
        project_name=project.name,
        overview=overview,
        today=today,
        memory_breakdown_bytes=evaluation.memory_breakdown_bytes if evaluation is not None else {},
        device_memory_bytes=evaluation.device_memory_bytes if evaluation is not None else None,
        device_name=device,
        assumptions=tuple(evaluation.assumptions) if evaluation is not None else (),
        api_comparison=comparison,
    )


# The brief's PDF and chart libraries load only when someone downloads a brief: importing them with the
# page added half a second to every cold start.
def brief_pdf_bytes(project: Project, today: date) -> bytes:
    from core.brief import brief_pdf

    return brief_pdf(_brief_inputs(project, today))


def brief_markdown_bytes(project: Project, today: date) -> bytes:
    from core.brief import brief_markdown

    return brief_markdown(_brief_inputs(project, today)).encode("utf-8")
