"""Success metrics: goal -> tangible business metrics -> model metrics -> label, checked live, and the break-even
model metric, per worthiness candidate."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core.metrics import MetricChain, MetricsSection, metric_tree_dot, validate_chain
from core.metrics.editing import newly_past_deadlines
from core.metrics.rows import PART_TITLES, PARTS, elements_from_rows
from core.metrics.running_cost import running_cost_from_resources
from core.ratings import merge_ratings
from core.worthiness import Candidate
from core.worthiness.model import check_candidate_id
from ui import metrics_state as ms
from ui.metrics_break_even import baseline_name_for, render_inputs, render_results
from ui.metrics_chain import (
    render_charter,
    render_decision_deadline,
    render_issues,
    render_label,
    render_table,
    render_template_picker,
)
from ui.project import require_project, save_section
from ui.state import get_store
from ui.text import escape_markdown, shorten

CANDIDATE_KEY = "sm_candidate"
SAVED_NOTICE = "sm_saved_notice"

st.title("Success metrics")
st.caption(
    "Define success before building: tie every business goal to tangible metrics, every model metric to a "
    "business metric it moves, and the label the model predicts to a success metric. Then see how good the "
    "model must be to beat the simpler solution and pay for itself."
)

project = require_project()
try:
    worthiness = merge_ratings(project.sections)
except ValueError as error:
    st.error(f"The worthiness section of this project cannot be read: {escape_markdown(str(error))}")
    worthiness = None
candidates: tuple[Candidate, ...] = worthiness.candidates if worthiness is not None else ()

if not candidates:
    st.info(
        "Success metrics are defined per candidate use case, and this project has none yet. Add the candidates "
        "on the Worthiness page, then come back to define how each one's success is measured.",
        icon="🎯",
    )
    st.page_link("pages/worthiness.py", label="Go to the Worthiness page", icon="⚖️")
    st.stop()

by_id = {candidate.id: candidate for candidate in candidates}


def _on_candidate_change() -> None:
    st.query_params["candidate"] = st.session_state[CANDIDATE_KEY]


# A share link may carry ?candidate=<id>: accepted only as a plain, known candidate id.
raw_candidate = st.query_params.get("candidate")
if raw_candidate is not None and raw_candidate != st.session_state.get(CANDIDATE_KEY):
    try:
        check_candidate_id(raw_candidate)
    except ValueError:
        st.warning("The link's candidate is not a valid candidate id; showing the first candidate.", icon="🔗")
    else:
        if raw_candidate in by_id:
            st.session_state[CANDIDATE_KEY] = raw_candidate
        else:
            st.warning(
                f"This project has no candidate {raw_candidate!r}; it may have been removed. Pick one below.",
                icon="🔗",
            )
if st.session_state.get(CANDIDATE_KEY) not in by_id:
    st.session_state[CANDIDATE_KEY] = candidates[0].id

candidate_id = st.selectbox(
    "Candidate use case",
    options=list(by_id),
    format_func=lambda cid: shorten(by_id[cid].name, 80),
    key=CANDIDATE_KEY,
    on_change=_on_candidate_change,
    help="The candidates from the Worthiness page; each has its own chain and break-even.",
)
st.query_params["candidate"] = candidate_id
candidate = by_id[candidate_id]
if candidate.problem.strip():
    st.caption(escape_markdown(candidate.problem))

try:
    saved_section = (
        MetricsSection.from_document(project.sections["metrics"]) if "metrics" in project.sections else MetricsSection()
    )
except ValueError as error:
    st.error(
        f"The saved success metrics cannot be read ({escape_markdown(str(error))}). Restore an earlier version on "
        "the Projects page; nothing is saved from this page until then.",
        icon="🛑",
    )
    st.stop()
    raise  # unreachable; st.stop raises

orphans = sorted(set(saved_section.chains) - set(by_id))
offered_cost = running_cost_from_resources(project.sections)
draft = ms.activate(
    (project.id, candidate_id),
    saved_section.chains.get(candidate_id),
    saved_section.break_even.get(candidate_id),
    baseline_name_for(candidate),
    round(offered_cost.monthly_usd, 2) if offered_cost is not None else 0.0,
)
today = date.today()

# --- the draft chain, built from the tables and fields as they are now ---------------------------
rows = ms.fresh_rows(draft)
part_errors: dict[str, str] = {}
elements: dict[str, tuple[object, ...]] = {}
for part in PARTS:
    try:
        elements[part] = elements_from_rows(part, rows[part])
    except ValueError as error:
        part_errors[part] = str(error)
label_error: str | None = None
try:
    label = ms.label_from_fields({key: st.session_state.get(key) for key in ms.LABEL_KEYS})
except ValueError as error:
    label_error = str(error)
    label = None
chain: MetricChain | None = None
chain_error: str | None = None
if not part_errors and label_error is None:
    try:
        chain = MetricChain(
            goals=elements["goals"],  # type: ignore[arg-type]
            business_metrics=elements["business_metrics"],  # type: ignore[arg-type]
            model_metrics=elements["model_metrics"],  # type: ignore[arg-type]
            label=label,
            milestones=elements["milestones"],  # type: ignore[arg-type]
            decision_deadline=ms.decision_deadline_from_fields(
                {key: st.session_state.get(key) for key in ms.LABEL_KEYS}
            ),
        )
    except ValueError as error:
        chain_error = str(error)
past_messages = newly_past_deadlines(draft.saved_chain, chain, today) if chain is not None else []

# --- save bar --------------------------------------------------------------------------------------
save_box = st.container(border=True)

# --- the chain -------------------------------------------------------------------------------------
st.subheader("1 · The chain: goals → business metrics → model metrics → label")
render_template_picker(draft)
if chain_error:
    st.error(escape_markdown(chain_error), icon="🛑")
for part in ("goals", "business_metrics", "model_metrics"):
    render_table(draft, part, rows, part_errors.get(part))
render_label(rows, label_error)
st.markdown("**Milestones and decision deadline**")
render_decision_deadline(today, past_messages)
render_table(draft, "milestones", rows, part_errors.get("milestones"))
for message in past_messages:
    if not message.startswith("The decision deadline"):
        st.error(escape_markdown(message), icon="📅")

# --- checks and tree -------------------------------------------------------------------------------
st.subheader("2 · Checks")
issues = validate_chain(chain, today) if chain is not None else []
if chain is None:
    failing = [PART_TITLES[part] for part in part_errors] + (["Label"] if label_error else [])
    st.warning(
        "The checks run once the chain can be read: fix " + (", ".join(failing) or "the error above") + " first.",
        icon="🛑",
    )
else:
    render_issues(chain, issues)

st.subheader("3 · Metric tree")
if chain is None:
    st.caption("The tree appears once the chain can be read.")
elif not (chain.goals or chain.business_metrics or chain.model_metrics or chain.label):
    st.caption("Insert a goal or a metric above to grow the tree.")
else:
    st.caption("Goals → business metrics → model metrics → label; red nodes have errors, yellow ones warnings.")
    st.graphviz_chart(metric_tree_dot(chain, issues), width="stretch")

# --- break-even ------------------------------------------------------------------------------------
st.subheader("4 · Break-even model metric")
st.caption("How good must the model be to beat the simpler solution and pay its running cost? All money in US dollars.")
break_even = render_inputs(candidate, offered_cost)
render_results(break_even.inputs)

# --- charter ---------------------------------------------------------------------------------------
st.subheader("5 · Metrics charter")
ms.remember_fields(draft)
break_even_touched = draft.saved_break_even is not None or any(
    draft.fields[key] != value for key, value in draft.initial_break_even_fields.items()
)
dirty = chain != draft.saved_chain if chain is not None else True
if chain is not None and draft.saved_chain is None and chain == MetricChain():
    dirty = False
if break_even_touched and break_even.inputs != draft.saved_break_even:
    dirty = True
render_charter(chain, candidate_id, dirty)
if orphans:
    st.caption(
        "The saved metrics also hold chains for candidates no longer on the Worthiness page: "
        + escape_markdown(", ".join(orphans))
        + ". They are kept."
    )


# --- saving (drawn at the top, decided here, once everything above is known) ---------------------------
def _save() -> None:
    problems: list[str] = []
    if chain is None:
        problems.append(chain_error or next(iter(part_errors.values()), None) or label_error or "the chain is invalid")
    problems.extend(past_messages)
    if break_even_touched and break_even.inputs is None:
        problems.append(f"Break-even inputs: {break_even.error}")
    if problems:
        save_box.error("Not saved: " + escape_markdown(" ".join(problems)), icon="🛑")
        return
    assert chain is not None
    fresh = get_store().get_project(project.id)
    if fresh is None:
        save_box.error("Not saved: this project no longer exists (deleted in another session?).", icon="🛑")
        return
    try:
        stored = (
            MetricsSection.from_document(fresh.sections["metrics"]) if "metrics" in fresh.sections else MetricsSection()
        )
    except ValueError as error:
        save_box.error(f"Not saved: the stored success metrics cannot be read ({escape_markdown(str(error))}).")
        return
    chains = {**stored.chains, candidate_id: chain}
    inputs = dict(stored.break_even)
    if break_even_touched and break_even.inputs is not None:
        inputs[candidate_id] = break_even.inputs
    note = (st.session_state.get("sm_change_note") or "").strip() or f"Success metrics of {candidate.name.strip()}"
    with save_box:
        saved = save_section(project, "metrics", MetricsSection(chains, inputs).to_document(), shorten(note, 200))
    if saved:
        ms.rebase(draft, chain, break_even.inputs, saved_break_even=break_even_touched)
        st.session_state[SAVED_NOTICE] = "Saved. Every save is kept in the project's history (Projects page)."
        st.rerun()


with save_box:
    if SAVED_NOTICE in st.session_state:
        st.success(st.session_state.pop(SAVED_NOTICE), icon="💾")
    status, note_column, button_column = st.columns([2, 3, 1], vertical_alignment="bottom")
    status.markdown("**Unsaved changes**" if dirty else "All changes saved.")
    note_column.text_input(
        "What changed (for the history)", key="sm_change_note", placeholder="e.g. targets agreed with finance"
    )
    save_clicked = button_column.button("Save", key="sm_save", type="primary", width="stretch")
    discard_clicked = button_column.button(
        "Discard changes",
        key="sm_discard",
        width="stretch",
        disabled=not dirty,
        help="Reload what is saved for this candidate.",
    )
if save_clicked:
    _save()
if discard_clicked:
    ms.discard(draft.scope)
    st.rerun()
