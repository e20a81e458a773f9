"""Resources: memory, devices, serving replicas, training time and cost, cloud or buy, people; saved scenarios.

Thin: widgets -> ResourcePlan -> core.resources.scenario.evaluate_plan (cached) -> draw.
"""

from __future__ import annotations

import streamlit as st

from core.resources.plan import ResourcePlan
from core.resources.scenario import PlanEvaluation
from ui import catalogues as cat
from ui.project import require_project
from ui.text import escape_markdown
from views.resources import state as rs
from views.resources.inputs import (
    render_buy_inputs,
    render_model_inputs,
    render_serving_inputs,
    render_team_inputs,
    render_training_inputs,
)
from views.resources.results import (
    render_buy,
    render_memory,
    render_serving,
    render_team,
    render_training,
    render_trust,
)
from views.resources.scenarios import render_scenarios

project = require_project()
objects = cat.catalogues()
section, section_error = cat.saved_section(project.sections)
rs.persist_inputs()
rs.initialise(section, objects, project.id)
query_warning = rs.apply_model_query(objects)

st.title("Resources")
st.caption(
    "What will it take? Pick a model and a workload to see memory per device and which accelerators it fits on, "
    "then answer the three serving questions (how often requests come, how many samples each carries, how fast "
    "the reply must be), size the training run, compare buying with renting, and plan the team. Save the inputs "
    "as scenarios, compare them, and choose one as the project's plan. GB = 10⁹ bytes throughout."
)
if query_warning:
    st.warning(escape_markdown(query_warning), icon="🔗")
for skipped in objects.skipped:
    st.warning(f"A catalogue row was left out: {escape_markdown(str(skipped))}", icon="⚠️")

st.subheader("Model and workload")
model = render_model_inputs(objects)
model_errors = st.container()

# Only the open tab runs (on_change="rerun"); the inputs of the others keep their stored values.
tabs = st.tabs(rs.TABS, key=rs.TAB, on_change="rerun")
memory_tab, serving_tab, training_tab, buy_tab, team_tab, scenarios_tab, trust_tab = tabs
with serving_tab:
    serving = render_serving_inputs(model, serving_tab.open is not False)
with training_tab:
    training = render_training_inputs(training_tab.open is not False)
with buy_tab:
    buy = render_buy_inputs(model, buy_tab.open is not False)
with team_tab:
    team = render_team_inputs(team_tab.open is not False)

team_inputs, team_rules = team.value if team.value is not None else (None, None)
plan: ResourcePlan | None = None
evaluation: PlanEvaluation | None = None
error: str | None = None
try:
    plan = ResourcePlan(
        name=rs.CURRENT_NAME,
        **model.kwargs,
        serving=serving.value,
        training=training.value,
        buy_vs_cloud=buy.value,
        team=team_inputs,
        team_rules=team_rules,
    )
    evaluation = cat.evaluate(plan, objects)
except ValueError as refused:
    error = str(refused)
    model_errors.error(escape_markdown(error), icon="⚠️")

refused_section = next((s.error for s in (serving, training, buy, team) if s.error), None)
savable = plan if error is None and refused_section is None else None

if memory_tab.open:
    with memory_tab:
        if evaluation is not None:
            render_memory(evaluation)
        else:
            st.info("Fix the model and workload inputs above to see memory and fit.")
if evaluation is not None:
    for tab, render in (
        (serving_tab, render_serving),
        (training_tab, render_training),
        (buy_tab, render_buy),
        (team_tab, render_team),
    ):
        if tab.open:
            with tab:
                render(evaluation)
if scenarios_tab.open:
    with scenarios_tab:
        render_scenarios(project, section, section_error, savable, error or refused_section, objects)
if trust_tab.open:
    with trust_tab:
        render_trust(evaluation)
