"""Resources: memory, devices, serving replicas, training time and cost, cloud or buy, people; saved scenarios.

Thin: widgets -> ResourcePlan (views.resources.fields) -> core.resources.evaluate.evaluate_plan (cached) -> draw.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from core.resources.evaluate import PlanEvaluation
from core.resources.plan import ResourcePlan
from ui import catalogues as cat
from ui.project import require_project
from ui.text import escape_markdown
from ui.widgets import open_tab
from views.resources import fields as f
from views.resources import hosted
from views.resources import state as rs
from views.resources.inputs import (
    render_buy_inputs,
    render_labelling_inputs,
    render_model_inputs,
    render_serving_inputs,
    render_site_inputs,
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
    st.warning(escape_markdown(query_warning), icon=":material/link:")
for skipped in objects.skipped:
    st.warning(f"A catalogue row was left out: {escape_markdown(str(skipped))}", icon=":material/warning:")

st.subheader("Model and workload")
draft_status = st.empty()
model = render_model_inputs(objects)
model_errors = st.container()


def show_draft_status(plan: ResourcePlan) -> None:
    """Keep the inputs as the project's draft and say whether they differ from the scenario they started from."""
    rs.keep_draft(project.id, plan)
    base_name = st.session_state.get(rs.BASE)
    base = section.get(base_name) if base_name in section.names() else None
    if base is not None and rs.fingerprint(base) == rs.fingerprint(plan):
        draft_status.caption(f":material/check: Inputs as saved in scenario '{escape_markdown(base.name)}'.")
        return
    what = f"to scenario '{escape_markdown(base.name)}'" if base is not None else "(not saved as a scenario yet)"
    draft_status.markdown(
        f":material/edit: **Unsaved changes** {what}: kept as this project's draft, so a reload or another "
        "page keeps them; save them on the Scenarios tab."
    )


@dataclass(frozen=True)
class Current:
    """The plan of every input and its evaluation (None where refused), and why it was refused."""

    plan: ResourcePlan | None
    evaluation: PlanEvaluation | None
    error: str | None  # the model-and-workload inputs, or the evaluation, refused
    refused_section: str | None  # the first optional section that refused its inputs

    @property
    def savable(self) -> ResourcePlan | None:
        return self.plan if self.error is None and self.refused_section is None else None


def current(shown: str | None) -> Current:
    """Every section from its stored values (the ``shown`` tab's inputs drawn, in that tab), the plan and its
    evaluation (cached); a refusal of the model inputs is shown beside them."""
    serving = render_serving_inputs(model, shown == "Serving")
    sites = render_site_inputs(model, shown == "Serving")
    training = render_training_inputs(model, shown == "Training", objects)
    buy = render_buy_inputs(model, shown == "Cloud vs buying")
    team = render_team_inputs(model, shown == "People")
    labelling = render_labelling_inputs(model, shown == "People")
    api = hosted.render_api_inputs(model, shown == hosted.TAB)
    team_inputs, team_rules = team.value if team.value is not None else (None, None)
    refused_section = next((s.error for s in (serving, sites, training, buy, team, labelling, api) if s.error), None)
    try:
        plan = f.current_plan(
            st.session_state,
            model.shape,
            name=rs.CURRENT_NAME,
            serving=serving.value,
            training=training.value,
            buy_vs_cloud=buy.value,
            team=team_inputs,
            team_rules=team_rules,
            api_comparison=api.value,
            labelling=labelling.value,
            sites=sites.value,
        )
        show_draft_status(plan)
        return Current(plan, cat.evaluate(plan, objects), None, refused_section)
    except ValueError as refused:
        model_errors.error(escape_markdown(str(refused)), icon=":material/warning:")
        return Current(None, None, str(refused), refused_section)


def memory_tab() -> None:
    evaluation = current(None).evaluation
    if evaluation is not None:
        render_memory(evaluation)
    else:
        st.info("Fix the model and workload inputs above to see memory and fit.")


def section_tab(name: str, results: Callable[[PlanEvaluation], None]) -> Callable[[], None]:
    def render() -> None:
        evaluation = current(name).evaluation
        if evaluation is not None:
            results(evaluation)

    return render


def scenarios_tab() -> None:
    now = current(None)
    render_scenarios(project, section, section_error, now.savable, now.error or now.refused_section, objects)


# Only the open tab runs; the inputs of the others keep their stored values (and count in the plan).
open_tab(
    rs.TABS,
    [
        memory_tab,
        section_tab("Serving", render_serving),
        section_tab("Training", render_training),
        section_tab("Cloud vs buying", render_buy),
        section_tab("People", render_team),
        section_tab(hosted.TAB, hosted.render_api_tab),
        scenarios_tab,
        lambda: render_trust(current(None).evaluation),
    ],
    key=rs.TAB,
)
