"""The /worthiness page's scoring (six anchored 1-5 scores per candidate, saved per rater) and the gate."""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from core.projects import Project
from core.worthiness import CRITERIA, CRITERION_KEYS, Evaluation, WorthinessSection
from core.worthiness.view import (
    NameTakenElsewhere,
    field_label,
    rater_document,
    rater_scores_for,
    scores_from_values,
)
from ui import flash
from ui.identity import browser_token
from ui.saving import try_edit
from ui.text import distinct_labels, escape_markdown, shorten
from ui.widgets import seed_once

PICK_KEY = "worthiness_score_pick"
FILLED_FOR = "worthiness_score_filled_for"
AREA = "worthiness_scores"  # where the scoring form's messages show
ASKING = "worthiness_score_asking"  # the name whose "is that you?" question is open
CONFIRM_NAME = "worthiness_score_confirm_name"  # the name the person confirmed is theirs
_SCORE_OPTIONS = (1, 2, 3, 4, 5)


def score_key(criterion: str) -> str:
    return f"worthiness_score_{criterion}"


def _submit(project_id: str, rater: str, candidate_id: str, name: str) -> None:
    values = {key: st.session_state.get(score_key(key)) for key in CRITERION_KEYS}
    confirmed = st.session_state.pop(CONFIRM_NAME, None) == rater.strip()
    try:
        scores = scores_from_values(values)
    except ValueError as error:
        flash.leave(AREA, "error", f"Not saved: {error}")
        return
    asks: list[str] = []

    def edit(project: Project) -> dict[str, dict[str, Any] | None]:
        try:
            section_name, document = rater_document(
                project.sections, rater, candidate_id, scores, browser=browser_token(), confirmed=confirmed
            )
        except NameTakenElsewhere as question:
            asks.append(str(question))
            return {}
        return {section_name: document}

    refused = try_edit(project_id, edit, f"worthiness: {rater.strip()} scored {name}")
    if refused:
        flash.leave(AREA, "error", refused)
    elif asks:
        st.session_state[ASKING] = rater.strip()
        flash.leave(AREA, "error", f"Not saved yet: {asks[0]}")
    else:
        flash.leave(AREA, "success", f"Saved {rater.strip()}'s scores for {name}.")


def _confirm_and_submit(project_id: str, rater: str, candidate_id: str, name: str) -> None:
    st.session_state.pop(ASKING, None)
    st.session_state[CONFIRM_NAME] = rater.strip()
    _submit(project_id, rater, candidate_id, name)


def _level_text(criterion: str, score: int) -> str:
    return f"{score} – {CRITERIA[criterion].levels[score - 1]}"


def render_scoring(project_id: str, evaluation: Evaluation | None, rater: str) -> None:
    if evaluation is None:
        st.info("Add a candidate in the Candidates tab first; then score it here.", icon=":material/arrow_back:")
        return
    section = evaluation.section
    names = evaluation.names
    labels = distinct_labels(dict(names))
    ids = list(section.candidate_ids)
    if st.session_state.get(PICK_KEY) not in ids:
        st.session_state[PICK_KEY] = ids[0]
    candidate_id = st.selectbox(
        "Candidate to score",
        options=ids,
        format_func=lambda cid: labels[cid],
        key=PICK_KEY,
        persist_state="session",
    )
    candidate = section.candidate(candidate_id)
    suggestion = evaluation.suggestions[candidate_id]
    saved = rater_scores_for(section, rater, candidate_id) if rater.strip() else None
    filled = {score_key(key): saved[key] if saved else None for key in CRITERION_KEYS}
    if saved is None:
        filled[score_key("suitability")] = suggestion.score
    seed_once(FILLED_FOR, (rater.strip(), candidate_id, repr(saved), suggestion.score), filled)

    if not rater.strip():
        st.info(
            "Type your name at the top of the page to score; everyone scores under their own name.",
            icon=":material/edit:",
        )
    elif saved is None:
        st.caption("You have not scored this candidate yet: pick a level for each criterion and save.")
    else:
        st.caption("These are your saved scores; change any and save again.")

    with st.expander(f"Suggested suitability: {suggestion.score} of 5, and why", expanded=False):
        st.markdown("\n".join(f"- {escape_markdown(reason)}" for reason in suggestion.reasons))
        st.caption(
            "Start at 3, add each step above, keep within 1 to 5. The suggestion is pre-selected below; pick "
            "another level to override it."
        )
    if candidate.suitability_override is not None:
        st.caption(
            f"The team agreed a suitability of {candidate.suitability_override}; it replaces every rater's "
            "suitability in the ranking (change it in the candidate's form)."
        )

    flash.show(AREA)
    asking = st.session_state.get(ASKING)
    if asking and asking == rater.strip():
        st.button(
            f"Yes, I am {escape_markdown(shorten(asking, 40))}: save under this name",
            key="worthiness_score_confirm",
            type="primary",
            on_click=_confirm_and_submit,
            args=(project_id, rater, candidate_id, names[candidate_id]),
            help="Saves the scores in the form below; they join those already saved under this name.",
        )
    with st.form("worthiness_scores_form", enter_to_submit=False):
        columns = st.columns(2)
        for position, key in enumerate(CRITERION_KEYS):
            criterion = CRITERIA[key]
            good = "high is good" if criterion.direction == "benefit" else "high is bad"
            columns[position % 2].radio(
                f"**{criterion.label}** ({good})",
                options=_SCORE_OPTIONS,
                key=score_key(key),
                format_func=partial(_level_text, key),
                help=criterion.help,
            )
        st.form_submit_button(
            "Save my scores",
            type="primary",
            key="worthiness_score_save",
            on_click=_submit,
            args=(project_id, rater, candidate_id, names[candidate_id]),
        )


def render_gate(evaluation: Evaluation | None, section: WorthinessSection | None) -> None:
    if evaluation is None or section is None:
        st.info("Add a candidate first; the gate then checks it for a simpler solution.", icon=":material/arrow_back:")
        return
    st.caption(
        'Before any ranking, each candidate is checked against the rule "simplest solution first": a simpler '
        "alternative that fully meets the need, a result that must be error-free, or tabular-only data. "
        "Each reason names the input it came from; change that input to change the outcome."
    )
    for candidate in section.candidates:
        result = evaluation.gates[candidate.id]
        st.markdown(f"**{escape_markdown(candidate.name.strip())}**")
        if result.passed:
            st.markdown(
                "- :material/check_circle: Passes the gate: no simpler alternative fully meets the need, and some "
                "errors are acceptable."
            )
            continue
        lines = []
        for flag in result.flags:
            source = escape_markdown(field_label(candidate, flag.source_field))
            lines.append(f"- :material/block: {escape_markdown(flag.message)} *(from: {source})*")
        st.markdown("\n".join(lines))
