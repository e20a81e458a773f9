"""The /resources page's state: the chosen scenario loaded on each visit, the query link, cached calibration.

The inputs themselves (keys, defaults, how a saved plan fills them and how they are read back) are declared
once in views.resources.fields; this module applies them to ``st.session_state``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Literal

import streamlit as st

from core.resources.calibration import CalibrationRow, calibration_rows
from core.resources.plan import ResourcePlan, ResourcesSection
from core.resources.published import AccuracyRow, load_accuracy
from core.resources.team import TeamRules
from core.store import StoreError
from ui import catalogues as cat
from ui.state import get_store
from views.resources import fields as f

SECTION = "resources"
CURRENT_NAME = "Current inputs"

SCENARIO_REPLACE = "res_scenario_replace"  # asked again on each visit to the Scenarios tab (not kept)
QUERY_APPLIED = "res_model_query_applied"  # not a widget: the ?model= value already applied
PROJECT = "res_project"  # not a widget: the project whose inputs the widgets hold
BASE = "res_base_scenario"  # not a widget: the saved scenario the inputs started from (None: the defaults)
DRAFT_WRITTEN = "res_draft_written"  # not a widget: the fingerprint of the draft this session last kept
DRAFT_PAGE = "resources"

TAB = "res_tab"
TABS: tuple[str, ...] = (
    "Memory & fit",
    "Serving",
    "Training",
    "Cloud vs buying",
    "People",
    "API or self-host",
    "Scenarios",
    "Trust",
)

DEFAULT_MODEL = "llama-3.1-8b"
DEFAULT_DEVICE = "h100-sxm"
# A widget drawn only with its tab (or its workload) keeps its value while hidden: Streamlit's own
# persist_state. The model-source radio, drawn on every run, has none: Streamlit drops it when the page is
# left, which initialise takes as the sign to start again from the project's chosen scenario.
PersistScope = Literal["page", "session"]
KEEP_WHILE_HIDDEN: PersistScope = "session"


@st.cache_data(show_spinner=False)
def calibration() -> list[CalibrationRow]:
    return calibration_rows()


@st.cache_data(show_spinner=False)
def published_accuracy() -> list[AccuracyRow]:
    return load_accuracy()


def _known_device(objects: cat.Catalogues) -> Callable[[str], bool]:
    return lambda key: objects.accelerator(key) is not None


def store_team_rules(rules: TeamRules) -> None:
    f.store_team_rules(st.session_state, rules)


def team_rules() -> TeamRules:
    return f.stored_team_rules(st.session_state)


def load_plan(plan: ResourcePlan, objects: cat.Catalogues) -> None:
    """Put a saved scenario's inputs into the widgets (call before they are drawn, e.g. in a callback)."""
    f.load_plan(plan, st.session_state, _known_device(objects))


def fingerprint(plan: ResourcePlan) -> str:
    """The plan's inputs, comparable: its name, notes and candidate left out, floats to 9 significant digits
    (the page shows some inputs in other units, so a value read back can differ in the last bits)."""
    inputs = replace(plan, name=CURRENT_NAME, notes="", candidate_id=None)
    return json.dumps(_rounded(ResourcesSection(scenarios=(inputs,)).to_document()), sort_keys=True)


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.9g}")
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def _draft(project_id: str) -> tuple[ResourcePlan, str | None] | None:
    """The project's draft (inputs not saved as a scenario) and the scenario it started from; None if none."""
    document = get_store().draft(project_id, DRAFT_PAGE)
    if document is None:
        return None
    try:
        [plan] = ResourcesSection.from_document(document.get("inputs")).scenarios
    except ValueError:
        return None  # a draft this version cannot read is dropped, not shown as an error
    base = document.get("base")
    return plan, base if isinstance(base, str) else None


def keep_draft(project_id: str, plan: ResourcePlan) -> None:
    """Keep the inputs as the project's draft when they changed, so a reload or another device finds them."""
    state = st.session_state
    printed = fingerprint(plan)
    if state.get(DRAFT_WRITTEN) == printed:
        return
    document = {"base": state.get(BASE), "inputs": ResourcesSection(scenarios=(plan,)).to_document()}
    try:
        get_store().save_draft(project_id, DRAFT_PAGE, document)
    except StoreError:
        return  # the inputs stay in this session; the next change tries again
    state[DRAFT_WRITTEN] = printed


def started_from(plan: ResourcePlan | None) -> None:
    """Record that the inputs now hold ``plan`` (loaded or saved): the unsaved marker compares with it."""
    st.session_state[BASE] = plan.name if plan is not None else None


def initialise(section: ResourcesSection, objects: cat.Catalogues, project_id: str) -> None:
    """First draw of the page in this session, after visiting another page, or for another project: every input
    starts again from the project's draft (inputs not saved yet, kept across reloads), else its chosen
    scenario, else the defaults. (``?model=KEY`` is applied after, by apply_model_query.)"""
    state = st.session_state
    if state.get(PROJECT) != project_id or f.MODEL_SOURCE.key not in state:
        for key in (*f.PERSISTED, f.TEAM_RULES, f.TEAM_RULES_ERROR, BASE, DRAFT_WRITTEN):
            state.pop(key, None)  # another visit's or another project's inputs must not leak into this one
        state[PROJECT] = project_id
        draft = _draft(project_id)
        chosen = section.chosen_plan()
        if draft is not None:
            plan, base = draft
            load_plan(plan, objects)
            state[BASE] = base
            state[DRAFT_WRITTEN] = fingerprint(plan)
        elif chosen is not None:
            load_plan(chosen, objects)
            started_from(chosen)
    for key, value in f.DEFAULTS.items():
        if key not in state:
            state[key] = value
    if f.MODEL.key not in state:
        state[f.MODEL.key] = (
            DEFAULT_MODEL if DEFAULT_MODEL in objects.architectures else next(iter(objects.architectures))
        )
    if f.DEVICE.key not in state or objects.accelerator(state[f.DEVICE.key]) is None:
        fallback = DEFAULT_DEVICE if objects.accelerator(DEFAULT_DEVICE) else objects.accelerators[0].key
        state[f.DEVICE.key] = fallback
    if f.TEAM_RULES not in state:
        store_team_rules(TeamRules())


def apply_model_query(objects: cat.Catalogues) -> str | None:
    """Preselect ``?model=KEY`` once per value; returns a warning for an unknown key (None if fine)."""
    raw = st.query_params.get("model")
    if raw is None:
        return None
    key = str(raw).strip().lower()
    if key not in objects.architectures:
        shown = key if len(key) <= 60 else key[:60] + "…"
        return (
            f"The link asked for the model '{shown}', which is not in the architecture catalogue. Pick a model below."
        )
    if st.session_state.get(QUERY_APPLIED) != key:
        st.session_state[f.MODEL_SOURCE.key] = f.SOURCE_CATALOGUE
        st.session_state[f.MODEL.key] = key
        st.session_state[QUERY_APPLIED] = key
    return None
