"""The /resources page's scenarios: save the current inputs, load one back, compare 2-3, choose the project's plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from core.projects import EditConflict, Project
from core.resources.plan import ResourcePlan, ResourcesSection, compare_scenarios
from core.text import quote_prefix
from ui import catalogues as cat
from ui import flash
from ui.saving import try_edit
from ui.text import escape_markdown
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
        st.error(escape_markdown(refused), icon="⚠️")
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
        return updated.choose(plan.name) if updated.chosen is None else updated  # the first becomes the plan

    return change


def _load(plan: ResourcePlan, objects: cat.Catalogues) -> None:
    rs.load_plan(plan, objects)
    flash.leave(AREA, "success", f"Loaded '{plan.name}' into the inputs above.")


def _typed_name() -> str:
    return str(st.session_state.get(f.SCENARIO_NAME.key) or "").strip()


def name_in_use(section: ResourcesSection) -> bool:
    return _typed_name() in section.names()


def _describe(plan: ResourcePlan) -> dict[str, object]:
    workload = {"inference": "serve", "train": "train", "lora": "LoRA" if plan.precision != "int4" else "QLoRA"}
    return {
        "Scenario": plan.name,
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
    st.markdown("**Save the current inputs as a scenario**")
    with st.form("res_save_form", border=True):
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
            st.error(f"Not saved: fix the inputs first. {escape_markdown(current_error or '')}".strip(), icon="⚠️")
        elif name_in_use(section) and not st.session_state.get(rs.SCENARIO_REPLACE):
            st.error(
                f"Not saved: a scenario named '{escape_markdown(_typed_name())}' already exists. Tick 'Replace the "
                "saved scenario of the same name' to overwrite it, or choose another name.",
                icon="⚠️",
            )
        else:
            try:
                plan = replace(
                    current,
                    name=st.session_state.get(f.SCENARIO_NAME.key) or "",
                    notes=st.session_state.get(f.SCENARIO_NOTES.key) or "",
                )
            except ValueError as error:
                st.error(f"Not saved: {escape_markdown(str(error))}", icon="⚠️")
            else:
                # The newest scenarios are the ones to compare: the saved one joins the comparison.
                st.session_state[f.COMPARE.key] = [*section.names(), plan.name][-MAX_COMPARED:]
                replacing = bool(st.session_state.get(rs.SCENARIO_REPLACE))
                _save(
                    project,
                    _with_scenario(plan, replacing=replacing),
                    f"Saved resource scenario '{plan.name}'",
                    f"Saved '{plan.name}'.",
                )

    if not section.scenarios:
        st.info(
            "No scenario saved yet. Name the current inputs above and save them; save two or three to compare "
            "them side by side and choose one as the project's plan."
        )
        return
    st.markdown("**Saved scenarios**")
    table = pd.DataFrame(
        [{**_describe(plan), "Project's plan": plan.name == section.chosen} for plan in section.scenarios]
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
    if b2.button(
        "Make it the project's plan",
        key="res_scenario_choose",
        width="stretch",
        disabled=pick == section.chosen or bool(section_error),
        help="The overview, the break-even metric and the decision brief use the project's plan.",
    ):
        _save(
            project,
            lambda stored: stored.choose(stored.get(pick).name),  # refused if deleted meanwhile
            f"Chose resource scenario '{pick}'",
            f"'{pick}' is the project's plan.",
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
                icon="⚠️",
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
