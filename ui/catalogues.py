"""Catalogues and resource evaluations, cached per process and shared by the pages that show resource figures
(the resources page, the overview and the brief). Rebuilt when a catalogue row or a saved plan changes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st

from core.hosted.catalogue import HostedModel, load_hosted_models
from core.resources.accelerators import Accelerator, with_device_facts
from core.resources.architectures import Architecture
from core.resources.evaluate import PlanEvaluation, evaluate_plan
from core.resources.plan import ResourcePlan, ResourcesSection
from ui.state import get_store

SECTION = "resources"  # the project section that holds the resource scenarios


# --- catalogues -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogues:
    architectures: dict[str, Architecture]
    accelerators: list[Accelerator]
    fingerprint: str
    skipped: tuple[str, ...]  # rows that could not be read, with the reason

    def accelerator(self, key: str | None) -> Accelerator | None:
        return next((acc for acc in self.accelerators if acc.key == key), None)


@st.cache_resource(show_spinner=False, max_entries=8)
def _catalogue_objects(fingerprint: str) -> Catalogues:
    # The fingerprint only keys the cache; the rows are read again here on a miss.
    store = get_store()
    skipped: list[str] = []
    architectures: dict[str, Architecture] = {}
    for row in store.catalogue("architectures"):
        try:
            arch = Architecture.from_row(row)
        except ValueError as error:
            skipped.append(f"architecture {row.get('key')}: {error}")
        else:
            architectures[arch.key] = arch
    accelerators: list[Accelerator] = []
    for row in store.catalogue("accelerators"):
        try:
            accelerators.append(with_device_facts(Accelerator.from_row(row)))
        except ValueError as error:
            skipped.append(f"accelerator {row.get('key')}: {error}")
    return Catalogues(architectures, accelerators, fingerprint, tuple(skipped))


def catalogues() -> Catalogues:
    """The architecture and accelerator catalogues as objects (user rows included), rebuilt when a row changes."""
    store = get_store()
    # The store's versions change with every seed or user-row change (any process), at the cost of one query.
    fingerprint = f"{store.catalogue_version('architectures')}|{store.catalogue_version('accelerators')}"
    return _catalogue_objects(fingerprint)


@st.cache_resource(show_spinner=False, max_entries=8)
def _hosted_objects(version: str) -> tuple[dict[str, HostedModel], tuple[str, ...]]:
    # The version only keys the cache; the rows (published prices with the user's edits) come from the store.
    return load_hosted_models(get_store().catalogue("hosted_models"))


def hosted_models() -> tuple[dict[str, HostedModel], tuple[str, ...]]:
    """The hosted-model catalogue with edited prices applied, and the rows that could not be read."""
    return _hosted_objects(get_store().catalogue_version("hosted_models"))


# --- evaluation -------------------------------------------------------------------------------


def plan_json(plan: ResourcePlan) -> str:
    """The plan's saved document as canonical JSON: the cache key of its evaluation."""
    return json.dumps(ResourcesSection(scenarios=(plan,)).to_document()["scenarios"][0], sort_keys=True)


@st.cache_resource(show_spinner=False, max_entries=64)
def _evaluate(document: str, fingerprint: str) -> PlanEvaluation | str:
    section = ResourcesSection.from_document({"schema_version": 1, "scenarios": [json.loads(document)]})
    objects = _catalogue_objects(fingerprint)
    try:
        return evaluate_plan(section.scenarios[0], objects.architectures, objects.accelerators)
    except ValueError as error:
        return str(error)


def evaluate(plan: ResourcePlan, objects: Catalogues) -> PlanEvaluation:
    """``evaluate_plan`` cached on the plan's document; ValueError with the core's sentence."""
    # The hosted model a plan is compared with changes no estimate: keep it out of the cache key.
    result = _evaluate(plan_json(replace(plan, api_comparison=None)), objects.fingerprint)
    if isinstance(result, str):
        raise ValueError(result)
    return result if result.plan == plan else replace(result, plan=plan)


# --- the saved section ------------------------------------------------------------------------


def saved_section(sections: Mapping[str, Any]) -> tuple[ResourcesSection, str | None]:
    """The project's saved scenarios, or an empty section and the reason it could not be read."""
    document = sections.get(SECTION)
    if document is None:
        return ResourcesSection(), None
    try:
        return ResourcesSection.from_document(document), None
    except ValueError as error:
        return ResourcesSection(), str(error)
