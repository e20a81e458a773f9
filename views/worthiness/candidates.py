"""The /worthiness page's candidates: the list with verdicts, the add/edit form, delete with confirmation."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.projects import EditConflict, Project
from core.taxonomy import INDUSTRIES, MODALITIES
from core.worthiness import (
    DATA_AVAILABILITY,
    MAX_CANDIDATES,
    MEETS_NEED,
    REQUIREMENTS,
    Evaluation,
    WorthinessSection,
)
from core.worthiness.model import API_ALTERNATIVE, Candidate
from core.worthiness.view import (
    NOT_CONSIDERED,
    AlternativeRow,
    CandidateForm,
    candidate_from_form,
    candidate_rows,
    form_from_candidate,
    new_candidate_id,
    section_with_candidate,
    section_without_candidate,
    stored_section,
)
from ui import catalogues as cat
from ui import flash
from ui.saving import Edit, try_edit
from ui.state import get_store
from ui.text import distinct_labels
from ui.widgets import seed_once

NEW = "__new__"
PICK_KEY = "worthiness_candidate_pick"
FILLED_FOR = "worthiness_candidate_filled_for"
ADDED = "worthiness_candidates_added"
ALT_COUNT = "worthiness_alt_count"
CONFIRM_DELETE = "worthiness_confirm_delete"
BASE = "worthiness_candidate_base"
SCORE_PICK = "worthiness_score_pick"  # owned by views.worthiness.scoring; set here to score a new candidate
AREA = "worthiness_candidates"  # where the form's messages show


def field_key(name: str) -> str:
    return f"worthiness_cand_{name}"


def alt_key(index: int, name: str) -> str:
    return f"worthiness_alt_{index}_{name}"


# 0 stands for "no override" (a selectbox shows None as an empty choice).
_OVERRIDE_CHOICES: tuple[int, ...] = (0, 1, 2, 3, 4, 5)


def render_list(evaluation: Evaluation | None) -> None:
    if evaluation is None:
        st.info(
            "No candidates yet. Describe a first use case in the form below: the business problem, its data, "
            "and the simpler solutions you considered. Then score it on the six criteria.",
            icon=":material/edit_note:",
        )
        return
    st.dataframe(
        candidate_rows(evaluation),
        hide_index=True,
        width="stretch",
        column_config={
            "Candidate": st.column_config.TextColumn("Candidate", width="medium"),
            "Verdict": st.column_config.TextColumn("Verdict", help="What to do, from the gate and the scores."),
            "Rank": st.column_config.NumberColumn(
                "Rank", format="%d", help="Rank by weighted sum (1 = best); empty until someone scores it."
            ),
            "Quadrant": st.column_config.TextColumn(
                "Quadrant", help="Value versus feasibility at the midpoint 3 (see Weights & ranking)."
            ),
            "Raters": st.column_config.NumberColumn("Raters", format="%d", help="People who scored it."),
        },
    )
    st.caption(f"{len(evaluation.section.candidates)} of at most {MAX_CANDIDATES} candidates.")


# ---------------------------------------------------------------- the form


def _form_values(form: CandidateForm) -> dict[str, Any]:
    """The widgets' values (and the alternatives' count and kinds) that show ``form``."""
    values: dict[str, Any] = {
        field_key("name"): form.name,
        field_key("problem"): form.problem,
        field_key("owner"): form.process_owner,
        field_key("industry"): form.industry,
        field_key("modality"): form.modality,
        field_key("availability"): form.data_availability,
        field_key("requirement"): form.requirement,
        field_key("horizon"): form.horizon,
        field_key("error_free"): form.must_be_error_free,
        field_key("error_rate"): form.acceptable_error_percent,
        field_key("override"): form.suitability_override or 0,
        ALT_COUNT: len(form.alternatives),
    }
    for index, row in enumerate(form.alternatives):
        values[alt_key(index, "kind")] = row.kind
        values[alt_key(index, "meets")] = row.meets_need
        values[alt_key(index, "cost")] = row.rough_cost_usd
        values[alt_key(index, "note")] = row.note
        values[alt_key(index, "api_model")] = row.hosted_model
        values[alt_key(index, "api_requests")] = row.requests_per_month
        values[alt_key(index, "api_in")] = row.input_tokens_per_request
        values[alt_key(index, "api_out")] = row.output_tokens_per_request
        values[alt_key(index, "api_units")] = row.units_per_request
    return values


def _hosted_inputs(index: int) -> None:
    """An API alternative may name a hosted model and a volume: its monthly cost then comes from the catalogue."""
    hosted, _skipped = cat.hosted_models()
    keys = ["", *sorted(hosted, key=lambda key: hosted[key].label)]
    if st.session_state.get(alt_key(index, "api_model")) not in keys:
        st.session_state[alt_key(index, "api_model")] = ""
    model, requests, tokens_in, tokens_out, units = st.columns([3, 1.4, 1.2, 1.2, 1.2])
    model.selectbox(
        "Hosted model (optional)",
        keys,
        key=alt_key(index, "api_model"),
        format_func=lambda key: hosted[key].label if key else "— none: no catalogue price —",
        help="Point this alternative at a hosted model: its monthly cost comes from the Hosted models catalogue "
        "and the verdict quotes it.",
    )
    requests.number_input(
        "Requests per month", min_value=0.0, step=1000.0, format="%.0f", key=alt_key(index, "api_requests")
    )
    tokens_in.number_input(
        "Input tokens / request", min_value=0.0, step=64.0, format="%.0f", key=alt_key(index, "api_in")
    )
    tokens_out.number_input(
        "Output tokens / request", min_value=0.0, step=64.0, format="%.0f", key=alt_key(index, "api_out")
    )
    units.number_input(
        "Images or audio min / request",
        min_value=0.0,
        step=1.0,
        key=alt_key(index, "api_units"),
        help="For image-generation models (images) and speech-to-text models (audio minutes).",
    )


def _read_form() -> CandidateForm:
    state = st.session_state
    rows = tuple(
        AlternativeRow(
            kind=state[alt_key(index, "kind")],
            meets_need=state.get(alt_key(index, "meets"), NOT_CONSIDERED),
            rough_cost_usd=state.get(alt_key(index, "cost")),
            note=state.get(alt_key(index, "note")) or "",
            hosted_model=state.get(alt_key(index, "api_model")) or "",
            requests_per_month=state.get(alt_key(index, "api_requests")),
            input_tokens_per_request=state.get(alt_key(index, "api_in")),
            output_tokens_per_request=state.get(alt_key(index, "api_out")),
            units_per_request=state.get(alt_key(index, "api_units")),
        )
        for index in range(state.get(ALT_COUNT, 0))
    )
    return CandidateForm(
        name=state.get(field_key("name")) or "",
        problem=state.get(field_key("problem")) or "",
        process_owner=state.get(field_key("owner")) or "",
        industry=state.get(field_key("industry")) or "",
        modality=state.get(field_key("modality")) or CandidateForm.modality,
        data_availability=state.get(field_key("availability")) or CandidateForm.data_availability,
        requirement=state.get(field_key("requirement")) or CandidateForm.requirement,
        horizon=state.get(field_key("horizon")) or "",
        must_be_error_free=bool(state.get(field_key("error_free"))),
        acceptable_error_percent=state.get(field_key("error_rate")),
        suitability_override=state.get(field_key("override")) or None,
        alternatives=rows,
    )


def _candidate_edit(pick: str, form: CandidateForm, base: Candidate | None, made: list[Candidate]) -> Edit:
    """The edit that adds the form's candidate (``pick`` is NEW) or changes candidate ``pick``, from the
    section as stored when the save runs; a changed candidate someone else edited meanwhile is refused."""

    def edit(project: Project) -> dict[str, dict[str, Any] | None]:
        stored = stored_section(project.sections)
        if pick != NEW:
            current = next((c for c in (stored.candidates if stored else ()) if c.id == pick), None)
            if current is None:
                raise EditConflict("This candidate was deleted.", section="worthiness")
            if current != base:
                raise EditConflict("Your changes were not saved: this candidate was changed.", section="worthiness")
        candidate_id = new_candidate_id(form.name, project.sections) if pick == NEW else pick
        hosted, _skipped = cat.hosted_models()
        candidate = candidate_from_form(form, candidate_id, {key: m.modality for key, m in hosted.items()})
        made[:] = [candidate]
        return {"worthiness": section_with_candidate(stored, candidate).to_document()}

    return edit


def _submit(project_id: str) -> None:
    pick = st.session_state.get(PICK_KEY, NEW)
    form = _read_form()
    made: list[Candidate] = []
    base = st.session_state.get(BASE)
    verb = "added" if pick == NEW else "changed"
    refused = try_edit(project_id, _candidate_edit(pick, form, base, made), f"worthiness: {verb} {form.name.strip()}")
    if refused:
        if pick != NEW:
            # Keep what the user typed (no refill from the newer saved copy); saving again replaces the newer copy.
            project = get_store().get_project(project_id)
            fresh = stored_section(project.sections) if project else None
            current = next((c for c in (fresh.candidates if fresh else ()) if c.id == pick), None)
            st.session_state[BASE] = current
            st.session_state[FILLED_FOR] = (pick, repr(current))
            if current is not None:
                refused += " To keep your version instead, press Save changes again."
        flash.leave(AREA, "error", refused)
        return
    candidate = made[0]
    if pick == NEW:
        st.session_state[ADDED] = st.session_state.get(ADDED, 0) + 1
        st.session_state[SCORE_PICK] = candidate.id
        flash.leave(AREA, "success", f"Added {candidate.name.strip()}. Score it in the Scoring tab.")
    else:
        flash.leave(AREA, "success", f"Changed {candidate.name.strip()}.")


def _delete(project_id: str, candidate_id: str) -> None:
    st.session_state.pop(CONFIRM_DELETE, None)

    def edit(project: Project) -> dict[str, dict[str, Any] | None]:
        stored = stored_section(project.sections)
        if stored is None or candidate_id not in stored.candidate_ids:
            return {}  # already deleted by someone else: the user's wish holds
        return {"worthiness": section_without_candidate(stored, candidate_id).to_document()}

    refused = try_edit(project_id, edit, f"worthiness: deleted {candidate_id}")
    if refused:
        flash.leave(AREA, "error", refused.replace("Not saved", "Not deleted", 1))
        return
    st.session_state[PICK_KEY] = NEW
    flash.leave(AREA, "success", "Deleted the candidate with its scores and attached references.")


def render_form(project_id: str, section: WorthinessSection | None) -> None:
    candidates = {candidate.id: candidate for candidate in (section.candidates if section else ())}
    options = [NEW, *candidates]
    labels = distinct_labels({cid: candidate.name for cid, candidate in candidates.items()})
    if st.session_state.get(PICK_KEY) not in options:
        st.session_state[PICK_KEY] = NEW
    pick = st.selectbox(
        "Add or edit",
        options=options,
        format_func=lambda cid: "New candidate" if cid == NEW else f"Edit: {labels[cid]}",
        key=PICK_KEY,
        persist_state="session",
        help="Pick a candidate to change it, or add a new one.",
    )
    chosen = candidates.get(pick)
    marker = (pick, repr(chosen)) if chosen else (NEW, st.session_state.get(ADDED, 0))
    if seed_once(FILLED_FOR, marker, _form_values(form_from_candidate(chosen))):
        st.session_state[BASE] = chosen  # what a save of this form is based on

    flash.show(AREA)
    with st.form("worthiness_candidate_form", enter_to_submit=True):
        st.text_input(
            "Name",
            key=field_key("name"),
            placeholder="e.g. Forecast rain 15 minutes ahead",
            help="A short name for the use case; required, up to 200 characters.",
        )
        st.text_area(
            "Business problem (one sentence)",
            key=field_key("problem"),
            height=68,
            help="What goes wrong today, or what the business wants to know, in its own words.",
        )
        left, middle, right = st.columns(3)
        left.text_input("Process owner", key=field_key("owner"), help="Who owns the process this changes.")
        middle.selectbox(
            "Industry",
            options=["", *INDUSTRIES],
            key=field_key("industry"),
            format_func=lambda value: value or "— not set —",
            help="Used to find reference projects of companies in the same industry.",
        )
        right.selectbox("Data modality", options=list(MODALITIES), key=field_key("modality"))
        left, middle, right = st.columns(3)
        left.selectbox(
            "Data availability",
            options=list(DATA_AVAILABILITY),
            key=field_key("availability"),
            help="Deep learning learns only from data: none, must be collected, exists unlabelled, or labelled.",
        )
        middle.radio(
            "Requirement",
            options=list(REQUIREMENTS),
            key=field_key("requirement"),
            horizontal=True,
            help="Detect what happens now, or predict the future (then say how far ahead).",
        )
        right.text_input(
            "Forecast horizon",
            key=field_key("horizon"),
            placeholder="e.g. 15 minutes",
            help="Required when the requirement is to predict the future; ignored otherwise.",
        )
        left, middle, right = st.columns(3)
        left.checkbox(
            "Must be error-free",
            key=field_key("error_free"),
            help="Tick when every single result must be right; deep learning always makes some errors.",
        )
        middle.number_input(
            "Acceptable error rate (%)",
            min_value=0.0,
            max_value=100.0,
            step=0.5,
            format="%.2f",
            key=field_key("error_rate"),
            placeholder="not stated",
            help="The share of wrong results the business can live with, in percent (5 = one in twenty). "
            "Leave empty when unknown; must be 0 or empty when the result must be error-free.",
        )
        right.selectbox(
            "Agreed suitability (team override)",
            options=list(_OVERRIDE_CHOICES),
            key=field_key("override"),
            format_func=lambda value: f"{value} of 5" if value else "— none: use the raters' scores —",
            help="When the meeting agrees on one suitability score, it replaces every rater's suitability "
            "in the ranking. Leave at none to use the raters' scores.",
        )
        st.markdown("**Simpler alternatives considered**")
        st.caption(
            "For each simpler way to meet the need: how well it would meet it, and its rough cost to set up "
            '(US$, whole cost). Leave "not considered" for the ones nobody looked at.'
        )
        for index in range(st.session_state.get(ALT_COUNT, 0)):
            kind = st.session_state[alt_key(index, "kind")]
            first, second, third = st.columns([2, 1.3, 3])
            first.selectbox(
                f"Meets the need: {kind}",
                options=[NOT_CONSIDERED, *MEETS_NEED],
                key=alt_key(index, "meets"),
                help="fully: it does the job on its own; partly: it helps but leaves a gap; no: it does not.",
            )
            second.number_input(
                "Rough cost (US$)",
                min_value=0.0,
                max_value=1e12,
                step=100.0,
                format="%.0f",
                key=alt_key(index, "cost"),
                placeholder="unknown",
                help="The whole cost to set it up, in US dollars; leave empty when unknown.",
            )
            third.text_input("Note", key=alt_key(index, "note"), placeholder="what exactly, and why it does or not")
            if kind == API_ALTERNATIVE:
                _hosted_inputs(index)
        label = "Add candidate" if pick == NEW else "Save changes"
        st.form_submit_button(
            label, type="primary", key="worthiness_candidate_save", on_click=_submit, args=(project_id,)
        )

    if chosen is None:
        return
    if st.session_state.get(CONFIRM_DELETE) == chosen.id:
        st.warning(
            "Delete this candidate? Its scores from every rater and its attached references go with it "
            "(the project history keeps the earlier version)."
        )
        left, right = st.columns(2)
        left.button(
            "Delete for good",
            type="primary",
            key="worthiness_delete_confirm",
            on_click=_delete,
            args=(project_id, chosen.id),
        )
        if right.button("Keep it", key="worthiness_delete_cancel"):
            st.session_state.pop(CONFIRM_DELETE, None)
            st.rerun()
    elif st.button("Delete this candidate…", key="worthiness_delete"):
        st.session_state[CONFIRM_DELETE] = chosen.id
        st.rerun()
