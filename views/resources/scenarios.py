"""The /resources page's scenarios: save the current inputs, load one back, compare 2-3, choose the project's plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from core.projects import EditConflict, Project
from core.ratings import merge_ratings
from core.resources.plan import ResourcePlan, ResourcesSection, compare_scenarios
from core.text import quote_prefix
from ui import catalogues as cat
from ui import flash
from ui.saving import try_edit
from ui.text import distinct_labels, escape_markdown
from views.resources import fields as f
from views.resources import state as rs

AREA = "resources-scenarios"  # where the message left by a save or a load is shown, after the rerun
MAX_COMPARED = 3
KEEP: rs.PersistScope = rs.KEEP_WHILE_HIDDEN


def _save(
    project: Project, change_section: Callable[[ResourcesSection], ResourcesSection], change: str, message: str
) -> None:
    """Apply ``change_section`` to the scenarios as stored when the save runs (so scenarios others saved
    meanwhile stay), then show ``message``; a refusal is shown beside the form and changes nothing."""

    def edit(stored: Project) -> dict[str, dict[str, Any] | None]:
        section, error = cat.saved_section(stored.sections)
        if error:
            raise ValueError(f"the stored scenarios could not be read ({error}).")
        return {cat.SECTION: change_section(section).to_document()}

    refused = try_edit(project.id, edit, change)
    if refused:
        st.error(escape_markdown(refused), icon=":material/warning:")
        return
    flash.leave(AREA, "success", message)
    st.rerun()


def _with_scenario(plan: ResourcePlan, *, replacing: bool) -> Callable[[ResourcesSection], ResourcesSection]:
    def change(section: ResourcesSection) -> ResourcesSection:
        if plan.name in section.names() and not replacing:
            raise EditConflict(
                f"a scenario named {quote_prefix(plan.name)} already exists. Tick 'Replace the saved scenario of "
                "the same name' to overwrite it, or choose another name.",
                section=cat.SECTION,
            )
        updated = section.with_scenario(plan)
        if updated.chosen is None:
            return updated.choose(plan.name)  # the project's first scenario becomes the plan
        if plan.candidate_id is not None and plan.candidate_id not in updated.chosen_for:
            # A candidate's first scenario becomes its plan; the scenario the page opens with stays as it is.
            return replace(updated, chosen_for={**updated.chosen_for, plan.candidate_id: plan.name})
        return updated

    return change


def _load(plan: ResourcePlan, objects: cat.Catalogues) -> None:
    rs.load_plan(plan, objects)
    rs.started_from(plan)
    flash.leave(AREA, "success", f"Loaded '{plan.name}' into the inputs above.")


def _typed_name() -> str:
    return str(st.session_state.get(f.SCENARIO_NAME.key) or "").strip()


def name_in_use(section: ResourcesSection) -> bool:
    return _typed_name() in section.names()


CANDIDATE_KEY = "res_scenario_candidate"


def candidate_names(project: Project) -> dict[str, str]:
    """The project's worthiness candidates, id -> a distinct display name (empty without candidates)."""
    try:
        worthiness = merge_ratings(project.sections)
    except ValueError:
        return {}  # the worthiness page says what is wrong with it
    if worthiness is None:
        return {}
    return distinct_labels({candidate.id: candidate.name for candidate in worthiness.candidates})


def _describe(plan: ResourcePlan, names: dict[str, str]) -> dict[str, object]:
    workload = {"inference": "serve", "train": "train", "lora": "LoRA" if plan.precision != "int4" else "QLoRA"}
    candidate = names.get(plan.candidate_id or "", plan.candidate_id or "none named")
    return {
        "Scenario": plan.name,
        "For candidate": candidate,
        "Model": plan.model_key or f"custom, {plan.custom_params or 0:,.0f} parameters",
        "Workload": f"{workload[plan.mode]}, {plan.precision}, batch {plan.batch}",
        "Device": f"{plan.devices} × {plan.device_key}" if plan.device_key else f"{plan.devices} device(s)",
        "Serving": plan.serving is not None,
        "Training": plan.training is not None,
    }


def render_scenarios(
    project: Project,
    section: ResourcesSection,
    section_error: str | None,
    current: ResourcePlan | None,
    current_error: str | None,
    objects: cat.Catalogues,
) -> None:
    flash.show(AREA)
    if section_error:
        st.error(
            f"The saved scenarios could not be read ({escape_markdown(section_error)}). Saving is off so nothing "
            "stored is overwritten; fix or import the project on the Projects page."
        )
    candidates = candidate_names(project)
    st.markdown("**Save the current inputs as a scenario**")
    with st.form("res_save_form", border=True):
        if st.session_state.get(CANDIDATE_KEY) not in candidates:
            st.session_state.pop(CANDIDATE_KEY, None)
        st.selectbox(
            "For candidate",
            options=list(candidates),
            format_func=candidates.__getitem__,
            key=CANDIDATE_KEY,
            placeholder="Add candidates on the Worthiness page first",
            help="Each candidate has its own plan: the overview and the brief show the decision candidate's.",
        )
        st.text_input(
            "Scenario name",
            key=f.SCENARIO_NAME.key,
            persist_state=KEEP,
            max_chars=80,
            placeholder="e.g. 8B chat on H100, 20 requests/s",
            help="Saving under an existing name replaces that scenario.",
        )
        st.text_area("Notes (optional)", key=f.SCENARIO_NOTES.key, persist_state=KEEP, height=68, max_chars=5000)
        st.checkbox(
            "Replace the saved scenario of the same name",
            key=rs.SCENARIO_REPLACE,
            help="Without this tick, a name already in use is refused so no saved scenario is overwritten.",
        )
        submitted = st.form_submit_button("Save scenario", key="res_scenario_save", type="primary")
    if submitted:
        if section_error:
            st.error("Not saved: the stored scenarios could not be read.")
        elif current is None:
            st.error(
                f"Not saved: fix the inputs first. {escape_markdown(current_error or '')}".strip(),
                icon=":material/warning:",
            )
        elif name_in_use(section) and not st.session_state.get(rs.SCENARIO_REPLACE):
            st.error(
                f"Not saved: a scenario named '{escape_markdown(_typed_name())}' already exists. Tick 'Replace the "
                "saved scenario of the same name' to overwrite it, or choose another name.",
                icon=":material/warning:",
            )
        else:
            try:
                plan = replace(
                    current,
                    name=st.session_state.get(f.SCENARIO_NAME.key) or "",
                    notes=st.session_state.get(f.SCENARIO_NOTES.key) or "",
                    candidate_id=st.session_state.get(CANDIDATE_KEY),
                )
            except ValueError as error:
                st.error(f"Not saved: {escape_markdown(str(error))}", icon=":material/warning:")
            else:
                # The newest scenarios are the ones to compare: the saved one joins the comparison.
                st.session_state[f.COMPARE.key] = [*section.names(), plan.name][-MAX_COMPARED:]
                replacing = bool(st.session_state.get(rs.SCENARIO_REPLACE))
                before = st.session_state.get(rs.BASE)
                rs.started_from(plan)  # the saved inputs are the ones the marker compares with now
                _save(
                    project,
                    _with_scenario(plan, replacing=replacing),
                    f"Saved resource scenario '{plan.name}'",
                    f"Saved '{plan.name}'.",
                )
                st.session_state[rs.BASE] = before  # reached only when the save was refused

    if not section.scenarios:
        st.info(
            "No scenario saved yet. Name the current inputs above and save them; save two or three to compare "
            "them side by side and choose one as the project's plan."
        )
        return
    st.markdown("**Saved scenarios**")
    table = pd.DataFrame(
        [
            {
                **_describe(plan, candidates),
                "Candidate's plan": plan.candidate_id is not None and section.plan_for(plan.candidate_id) == plan,
            }
            for plan in section.scenarios
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch", key="res_scenarios_table")
    names = list(section.names())
    if st.session_state.get(f.SCENARIO_PICK.key) not in names:
        st.session_state[f.SCENARIO_PICK.key] = section.chosen if section.chosen in names else names[0]
    pick = st.selectbox("Scenario", names, key=f.SCENARIO_PICK.key, persist_state=KEEP)
    b1, b2, b3 = st.columns(3)
    b1.button(
        "Load into the inputs",
        key="res_scenario_load",
        on_click=_load,
        args=(section.get(pick), objects),
        width="stretch",
        help="Replaces every input on this page with the scenario's.",
    )
    picked = section.get(pick)
    owner = candidates.get(picked.candidate_id or "")
    is_plan = picked.candidate_id is not None and section.plan_for(picked.candidate_id) == picked
    if b2.button(
        "Make it the candidate's plan",
        key="res_scenario_choose",
        width="stretch",
        disabled=owner is None or is_plan or bool(section_error),
        help="The overview, the break-even metric and the decision brief use the decision candidate's plan. "
        "A scenario saved before scenarios named their candidate cannot be a plan: load it and save it again.",
    ):
        _save(
            project,
            lambda stored: stored.choose(stored.get(pick).name),  # refused if deleted meanwhile
            f"Chose resource scenario '{pick}' for {owner}",
            f"'{pick}' is the plan for {owner}.",
        )
    if b3.button("Delete", key="res_scenario_delete", width="stretch", disabled=bool(section_error)):
        _save(
            project,
            lambda stored: stored.without_scenario(pick) if pick in stored.names() else stored,
            f"Deleted resource scenario '{pick}'",
            f"Deleted '{pick}'.",
        )

    st.markdown("**Compare side by side**")
    kept = [name for name in st.session_state.get(f.COMPARE.key, names[-MAX_COMPARED:]) if name in names]
    st.session_state[f.COMPARE.key] = kept[:MAX_COMPARED]
    compared = st.multiselect(
        "Scenarios to compare (2-3)",
        names,
        key=f.COMPARE.key,
        persist_state=KEEP,
        max_selections=MAX_COMPARED,
        help="Lower is better on every row; 'best' names the lowest. A newly saved scenario joins the comparison.",
    )
    summaries = []
    for name in compared:
        try:
            summaries.append(cat.evaluate(section.get(name), objects).summary)
        except ValueError as error:
            st.warning(
                f"'{escape_markdown(name)}' cannot be computed with today's catalogues: {escape_markdown(str(error))}",
                icon=":material/warning:",
            )
    if len(summaries) < 2:
        st.caption("Pick at least two scenarios.")
        return
    rows = compare_scenarios(summaries)
    frame = pd.DataFrame(rows)
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key="res_compare_table",
        column_config={
            "metric": "Metric",
            "unit": "Unit",
            "best": "Best (lowest)",
            **{s.name: st.column_config.NumberColumn(s.name, format="%,.4g") for s in summaries},
        },
    )
    st.caption(
        "Memory per device in GB (10⁹ bytes); monthly serving cost at the peak's replicas on each scenario's "
        "device (or the recommended one); training cost at on-demand prices, expected; p95 latency of the "
        "serving plan. — where a scenario has no such plan."
    )
