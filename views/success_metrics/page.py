"""The /success-metrics page, drawn by ``render()`` (views/success_metrics.py only calls it).

Streamlit recompiles a page file on every rerun, so the page's code lives in this module, which is
compiled once. The flow: pick a candidate -> load its draft -> build the chain from the tables
(each table's error shown beside it) -> save bar, tables, checks, tree, break-even, charter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import streamlit as st

from core.metrics import MetricChain, MetricsSection, metric_tree_dot, validate_chain
from core.metrics.editing import newly_past_deadlines
from core.metrics.rows import PART_TITLES, PARTS, Row, elements_from_rows
from core.metrics.running_cost import running_cost_from_resources
from core.projects import Project
from core.ratings import merge_ratings
from core.worthiness import Candidate
from core.worthiness.model import check_candidate_id
from ui import flash
from ui.project import require_project
from ui.saving import try_edit
from ui.text import distinct_labels, escape_markdown, shorten
from views import page
from views.success_metrics import state as ms
from views.success_metrics.break_even import BreakEvenResult, baseline_name_for, render_inputs, render_results
from views.success_metrics.chain import (
    render_charter,
    render_decision_deadline,
    render_issues,
    render_label,
    render_table,
    render_template_picker,
)

CANDIDATE_KEY = "sm_candidate"
SAVED_AREA = "sm_saved"  # the save bar's message, shown after the rerun that follows a save
OVERWRITE = "sm_overwrite_confirmed"
DECISION_MESSAGE = "The decision deadline"


@dataclass
class Built:
    """The draft chain as built from the widgets now, with the errors that stopped it."""

    rows: dict[str, list[Row]]
    chain: MetricChain | None = None
    part_errors: dict[str, str] = field(default_factory=dict)
    label_error: str | None = None
    chain_error: str | None = None

    def first_error(self) -> str:
        return self.chain_error or next(iter(self.part_errors.values()), None) or self.label_error or "invalid"


def _candidates(project: Project) -> tuple[Candidate, ...]:
    try:
        worthiness = merge_ratings(project.sections)
    except ValueError as error:
        st.error(f"The worthiness section of this project cannot be read: {escape_markdown(str(error))}")
        return ()
    return worthiness.candidates if worthiness is not None else ()


def _empty_state() -> None:
    st.info(
        "Success metrics are defined per candidate use case, and this project has none yet. Add the candidates "
        "on the Worthiness page, then come back to define how each one's success is measured.",
        icon=":material/flag:",
    )
    st.page_link(page("worthiness"), label="Go to the Worthiness page", icon=":material/balance:")


def _pick_candidate(candidates: tuple[Candidate, ...]) -> Candidate:
    """The candidate picker; honours ``?candidate=<id>`` once per value, accepting only a known plain id."""
    by_id = {candidate.id: candidate for candidate in candidates}
    raw = st.query_params.get("candidate")
    if raw is not None and raw != st.session_state.get(CANDIDATE_KEY):
        try:
            check_candidate_id(raw)
        except ValueError:
            st.warning(
                "The link's candidate is not a valid candidate id; showing the first candidate.", icon=":material/link:"
            )
        else:
            if raw in by_id:
                st.session_state[CANDIDATE_KEY] = raw
            else:
                st.warning(
                    f"This project has no candidate {escape_markdown(repr(raw))}; it may have been removed. "
                    "Pick one below.",
                    icon=":material/link:",
                )
    if st.session_state.get(CANDIDATE_KEY) not in by_id:
        st.session_state[CANDIDATE_KEY] = candidates[0].id
    labels = distinct_labels({candidate_id: c.name for candidate_id, c in by_id.items()}, 80)
    chosen = st.selectbox(
        "Candidate use case",
        options=list(by_id),
        format_func=labels.__getitem__,
        key=CANDIDATE_KEY,
        on_change=lambda: st.query_params.__setitem__("candidate", st.session_state[CANDIDATE_KEY]),
        help="The candidates from the Worthiness page; each has its own chain and break-even.",
    )
    st.query_params["candidate"] = chosen
    return by_id[chosen]


def _saved_section(project: Project) -> MetricsSection | None:
    document = project.sections.get("metrics")
    return MetricsSection.from_document(document) if document is not None else MetricsSection()


def _build(draft: ms.Draft) -> Built:
    built = Built(rows=ms.fresh_rows(draft))
    elements: dict[str, tuple[object, ...]] = {}
    for part in PARTS:
        try:
            elements[part] = elements_from_rows(part, built.rows[part])
        except ValueError as error:
            built.part_errors[part] = str(error)
    fields = {key: st.session_state.get(key) for key in ms.LABEL_KEYS}
    label = None
    try:
        label = ms.label_from_fields(fields)
    except ValueError as error:
        built.label_error = str(error)
    if built.part_errors or built.label_error:
        return built
    try:
        built.chain = MetricChain(
            goals=elements["goals"],  # type: ignore[arg-type]
            business_metrics=elements["business_metrics"],  # type: ignore[arg-type]
            model_metrics=elements["model_metrics"],  # type: ignore[arg-type]
            label=label,
            milestones=elements["milestones"],  # type: ignore[arg-type]
            decision_deadline=ms.decision_deadline_from_fields(fields),
        )
    except ValueError as error:
        built.chain_error = str(error)
    return built


def _render_chain(draft: ms.Draft, built: Built, today: date, past_messages: list[str]) -> None:
    st.subheader("1 · The chain: goals → business metrics → model metrics → label")
    render_template_picker(draft)
    if built.chain_error:
        st.error(escape_markdown(built.chain_error), icon=":material/error:")
    for part in ("goals", "business_metrics", "model_metrics"):
        render_table(draft, part, built.rows, built.part_errors.get(part))
    render_label(built.rows, built.label_error)
    st.markdown("**Decision deadline**")
    render_decision_deadline(today, [m for m in past_messages if m.startswith(DECISION_MESSAGE)])
    render_table(draft, "milestones", built.rows, built.part_errors.get("milestones"))
    for message in past_messages:
        if not message.startswith(DECISION_MESSAGE):
            st.error(escape_markdown(message), icon=":material/event:")


def _render_checks_and_tree(built: Built, today: date) -> None:
    st.subheader("2 · Checks")
    chain = built.chain
    if chain is None:
        failing = [PART_TITLES[part] for part in built.part_errors] + (["Label"] if built.label_error else [])
        st.warning(
            "The checks run once the chain can be read: fix " + (", ".join(failing) or "the error above") + " first.",
            icon=":material/error:",
        )
    issues = validate_chain(chain, today) if chain is not None else []
    if chain is not None:
        render_issues(chain, issues)
    st.subheader("3 · Metric tree")
    if chain is None:
        st.caption("The tree appears once the chain can be read.")
    elif not (chain.goals or chain.business_metrics or chain.model_metrics or chain.label):
        st.caption("Insert a goal or a metric above to grow the tree.")
    else:
        st.caption("Goals → business metrics → model metrics → label; red nodes have errors, yellow ones warnings.")
        st.graphviz_chart(metric_tree_dot(chain, issues), width="stretch")


def _break_even_touched(draft: ms.Draft) -> bool:
    """Saved before, or changed from the illustrative defaults (which are never saved unasked)."""
    return draft.saved_break_even is not None or any(
        draft.fields.get(key) != value for key, value in draft.initial_break_even_fields.items()
    )


def _is_dirty(draft: ms.Draft, built: Built, break_even: BreakEvenResult) -> bool:
    if built.chain is None:
        return True
    # Nothing saved yet counts as an empty chain: opening a candidate is not a change.
    changed = built.chain != (draft.saved_chain or MetricChain())
    return changed or (_break_even_touched(draft) and break_even.inputs != draft.saved_break_even)


def _save(
    project: Project,
    candidate: Candidate,
    draft: ms.Draft,
    built: Built,
    break_even: BreakEvenResult,
    past_messages: list[str],
) -> None:
    """Write the metrics section with this candidate's chain (and break-even inputs when touched).

    Re-reads the stored section first, so that other candidates' chains saved meanwhile are kept.
    Shows why when it refuses; a refusal changes nothing stored and keeps the draft.
    """
    touched = _break_even_touched(draft)
    problems: list[str] = []
    if built.chain is None:
        problems.append(built.first_error())
    problems.extend(past_messages)
    if touched and break_even.inputs is None:
        problems.append(f"Break-even inputs: {break_even.error}")
    if problems:
        st.error("Not saved: " + escape_markdown(" ".join(problems)), icon=":material/error:")
        return
    assert built.chain is not None
    overwrite = st.session_state.get(OVERWRITE) == draft.scope
    chain = built.chain
    replaced: list[bool] = []

    def edit(stored_project: Project) -> dict[str, dict[str, Any] | None]:
        stored = _saved_section(stored_project) or MetricsSection()
        theirs = (stored.chains.get(candidate.id), stored.break_even.get(candidate.id))
        if theirs != (draft.saved_chain, draft.saved_break_even) and not overwrite:
            replaced.append(True)  # someone saved this candidate after the draft was loaded: ask first
            return {}
        inputs = dict(stored.break_even)
        if touched and break_even.inputs is not None:
            inputs[candidate.id] = break_even.inputs
        return {"metrics": MetricsSection({**stored.chains, candidate.id: chain}, inputs).to_document()}

    note = (st.session_state.get("sm_change_note") or "").strip() or f"Success metrics of {candidate.name.strip()}"
    refused = try_edit(project.id, edit, shorten(note, 200))
    if refused:
        st.error(escape_markdown(refused), icon=":material/error:")
        return
    if replaced:
        # Say so once; the next click saves over theirs (theirs stays in the history).
        st.session_state[OVERWRITE] = draft.scope
        st.warning(
            "Someone else saved this candidate's success metrics after you opened it. Click **Save** again to "
            "replace their version with yours (theirs stays in the history), or **Discard changes** to load theirs.",
            icon=":material/group:",
        )
        return
    st.session_state.pop(OVERWRITE, None)
    ms.rebase(draft, built.chain, break_even.inputs, saved_break_even=touched)
    flash.leave(SAVED_AREA, "success", "Saved. Every save is kept in the project's history (Projects page).")
    st.rerun()


def render() -> None:
    st.title("Success metrics")
    st.caption(
        "Define success before building: tie every business goal to tangible metrics, every model metric to a "
        "business metric it moves, and the label the model predicts to a success metric. Then see how good the "
        "model must be to beat the simpler solution and pay for itself."
    )
    project = require_project()
    candidates = _candidates(project)
    if not candidates:
        _empty_state()
        return
    candidate = _pick_candidate(candidates)
    if candidate.problem.strip():
        st.caption(escape_markdown(candidate.problem))
    try:
        saved = _saved_section(project) or MetricsSection()
    except ValueError as error:
        st.error(
            f"The saved success metrics cannot be read ({escape_markdown(str(error))}). Restore an earlier version "
            "on the Projects page; nothing is saved from this page until then.",
            icon=":material/error:",
        )
        return
    offered_cost = running_cost_from_resources(project.sections, candidate.id)
    draft = ms.activate(
        (project.id, candidate.id),
        saved.chains.get(candidate.id),
        saved.break_even.get(candidate.id),
        baseline_name_for(candidate),
        round(offered_cost.monthly_usd, 2) if offered_cost is not None else 0.0,
    )
    today = date.today()
    built = _build(draft)
    past_messages = newly_past_deadlines(draft.saved_chain, built.chain, today) if built.chain is not None else []

    save_box = st.container(border=True)  # drawn at the top, filled in last when everything is known
    _render_chain(draft, built, today, past_messages)
    _render_checks_and_tree(built, today)

    st.subheader("4 · Break-even model metric")
    st.caption(
        "How good must the model be to beat the simpler solution and pay its running cost? All money in US dollars."
    )
    break_even = render_inputs(candidate, offered_cost)
    render_results(break_even.inputs)

    st.subheader("5 · Metrics charter")
    ms.remember_fields(draft)
    dirty = _is_dirty(draft, built, break_even)
    render_charter(built.chain, candidate.id, dirty)
    orphans = sorted(set(saved.chains) - {c.id for c in candidates})
    if orphans:
        st.caption(
            "The saved metrics also hold chains for candidates no longer on the Worthiness page: "
            + escape_markdown(", ".join(orphans))
            + ". They are kept."
        )

    with save_box:
        flash.show(SAVED_AREA)
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
            _save(project, candidate, draft, built, break_even, past_messages)
    if discard_clicked:
        ms.discard(draft.scope)
        st.rerun()


render()
