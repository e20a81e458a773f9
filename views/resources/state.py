"""The /resources page's state: the chosen scenario loaded on each visit, the query link, cached calibration.

The inputs themselves (keys, defaults, how a saved plan fills them and how they are read back) are declared
once in views.resources.fields; this module applies them to ``st.session_state``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import streamlit as st

from core.resources.calibration import CalibrationRow, calibration_rows
from core.resources.plan import ResourcePlan, ResourcesSection
from core.resources.published import AccuracyRow, load_accuracy
from core.resources.team import TeamRules
from ui import catalogues as cat
from views.resources import fields as f

SECTION = "resources"
CURRENT_NAME = "Current inputs"

SCENARIO_REPLACE = "res_scenario_replace"  # asked again on each visit to the Scenarios tab (not kept)
QUERY_APPLIED = "res_model_query_applied"  # not a widget: the ?model= value already applied
PROJECT = "res_project"  # not a widget: the project whose inputs the widgets hold

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


def initialise(section: ResourcesSection, objects: cat.Catalogues, project_id: str) -> None:
    """First draw of the page in this session, after visiting another page, or for another project: every input
    starts again from the project's chosen scenario, else the defaults. (``?model=KEY`` is applied after, by
    apply_model_query.)"""
    state = st.session_state
    if state.get(PROJECT) != project_id or f.MODEL_SOURCE.key not in state:
        for key in (*f.PERSISTED, f.TEAM_RULES, f.TEAM_RULES_ERROR):
            state.pop(key, None)  # another visit's or another project's inputs must not leak into this one
        state[PROJECT] = project_id
        chosen = section.chosen_plan()
        if chosen is not None:
            load_plan(chosen, objects)
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
