"""The /references page's model sizes by task, each with a link into the resource planner."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.references.evidence import model_size_rows
from core.resources.model_sizes import (
    FLOPS_PER_PARAM_PER_TOKEN,
    ModelSize,
    model_sizes_by_task,
    read_task_model_sizes,
)
from core.store import StoreError
from ui.state import get_store
from ui.text import escape_markdown
from views import page

TASK_KEY = "refs_model_task"
LINK_COLUMNS = 3

COLUMNS = {
    "model": st.column_config.TextColumn("Model", width="medium"),
    "family": st.column_config.TextColumn("Family"),
    "modality": st.column_config.TextColumn("Modality"),
    "params_label": st.column_config.TextColumn(
        "Parameters", help="Total parameter count (k = thousand, M = million, B = billion)."
    ),
    "active_label": st.column_config.TextColumn(
        "Active", help="Active parameters: those used per token; smaller than the total only for mixture-of-experts."
    ),
    "compute": st.column_config.TextColumn(
        "Compute",
        help="Forward-pass FLOPs per sample (as published, at the typical input) or per token "
        f"(≈ {FLOPS_PER_PARAM_PER_TOKEN:g} x active parameters, Kaplan et al. 2020).",
    ),
    "typical_input": st.column_config.TextColumn("Typical input", help="The input the compute figure refers to."),
    "planner": st.column_config.TextColumn(
        "In the planner",
        help="'yes': the resource planner can estimate it; 'size only': a published size for tasks whose models the "
        "planner cannot build from a config (recommenders with embedding tables, robot policies).",
    ),
    "source_url": st.column_config.LinkColumn("Source", display_text="Source ↗"),
}


def _by_task() -> dict[str, list[ModelSize]]:
    # 56 rows: grouping them costs well under a millisecond, less than a cache look-up would.
    return model_sizes_by_task(get_store().catalogue("architectures"), read_task_model_sizes())


def render_models() -> None:
    st.caption(
        "Gauge the size of suitable architectures before budgeting compute: typical models for each ML task from "
        "the architecture catalogue the resource planner uses, and published sizes for tasks it does not model."
    )
    try:
        by_task = _by_task()
    except (ValueError, StoreError) as error:
        st.error(f"The architecture catalogue could not be read: {escape_markdown(str(error))}")
        return
    if not by_task:
        st.info("The architecture catalogue lists no models with a task yet.")
        return
    if st.session_state.get(TASK_KEY) not in by_task:
        st.session_state.pop(TASK_KEY, None)
    task = st.selectbox(
        "ML task",
        list(by_task),
        key=TASK_KEY,
        persist_state="session",
        format_func=lambda t: f"{t} ({len(by_task[t])} models)",
        help="Only tasks the architecture catalogue covers are listed.",
    )
    rows = model_size_rows(by_task[task])
    st.dataframe(
        pd.DataFrame(rows, columns=list(COLUMNS)),
        hide_index=True,
        column_config=COLUMNS,
        width="stretch",
        height=min(38 + 35 * len(rows), 560),
        key="refs_models_table",
    )
    plannable = [row for row in rows if row["resources_link"]]
    if not plannable:
        st.caption(
            "These are published sizes only; the resource planner has no model of this kind yet. Plan with a "
            "custom model of the same parameter count on the Resources page."
        )
        return
    st.markdown("**Plan resources for this model**")
    st.caption("Opens the resource planner with the model selected (memory, GPUs, latency, cost).")
    columns = st.columns(LINK_COLUMNS)
    for position, row in enumerate(plannable):
        columns[position % LINK_COLUMNS].page_link(
            page("resources"),
            label=f"Plan resources for {escape_markdown(row['model'])}",
            icon=":material/computer:",
            query_params={"model": row["key"]},
        )
