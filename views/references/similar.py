"""The /references page's "Similar to my use case": references close to a worthiness candidate,
attached to it as evidence (saved in the "worthiness" section only) and detached again."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from core.projects import Project
from core.ratings import merge_ratings
from core.references import similar_references
from core.references.evidence import (
    attach_references,
    candidate_query,
    detach_reference,
    evidence_for,
    markdown_link_target,
)
from core.worthiness import WorthinessSection
from ui import flash
from ui.saving import try_edit
from ui.text import distinct_labels, escape_markdown, shorten
from views import page
from views.references.data import CatalogueView
from views.references.search import show_references

SIMILAR_TOP = 15
CANDIDATE_KEY = "refs_candidate"
ATTACH_KEY = "refs_attach_choice"
WHERE = "refs_similar"  # where the section's messages show


def _save_worthiness(project_id: str, change: str, update: Callable[[Mapping[str, Any]], dict[str, Any]]) -> bool:
    """Apply ``update`` to the "worthiness" document as stored when the save runs; save that section only
    (raters' "ratings:<rater>" sections are never written here)."""

    def edit(project: Project) -> dict[str, dict[str, Any] | None]:
        if "worthiness" not in project.sections:
            raise ValueError("This project has no worthiness candidates any more.")
        return {"worthiness": update(project.sections["worthiness"])}

    refused = try_edit(project_id, edit, change)
    if refused:
        flash.leave(WHERE, "error", refused)
        return False
    return True


def _attach(project_id: str, candidate_id: str, candidate_name: str) -> None:
    chosen = list(st.session_state.get(ATTACH_KEY) or [])
    if not chosen:
        flash.leave(WHERE, "error", "Pick one or more references in the list first.")
        return
    saved = _save_worthiness(
        project_id,
        f"attached {len(chosen)} reference(s) to {shorten(candidate_name, 80)}",
        lambda document: attach_references(document, candidate_id, chosen),
    )
    if saved:
        st.session_state[ATTACH_KEY] = []
        flash.leave(WHERE, "success", f"Attached {len(chosen)} reference(s) as evidence for {shorten(candidate_name)}.")


def _detach(project_id: str, candidate_id: str, candidate_name: str, reference_id: str) -> None:
    if _save_worthiness(
        project_id,
        f"detached reference {reference_id} from {shorten(candidate_name, 80)}",
        lambda document: detach_reference(document, candidate_id, reference_id),
    ):
        flash.leave(WHERE, "success", "Reference detached.")


def _no_candidates() -> None:
    st.info(
        "This project has no worthiness candidates yet. Describe the use cases on the Worthiness page first: "
        "each one's industry, data modality and problem statement find similar references here.",
        icon=":material/balance:",
    )
    st.page_link(page("worthiness"), label="Go to Worthiness", icon=":material/balance:")


def _evidence(view: CatalogueView, project: Project, section: WorthinessSection, candidate_id: str) -> None:
    name = section.candidate(candidate_id).name
    attached = evidence_for(section, candidate_id, view.by_id)
    st.markdown(f"**Evidence attached to {escape_markdown(shorten(name))}** ({len(attached)})")
    if not attached:
        st.caption("Nothing attached yet. Pick references above; they appear here and on the Worthiness page.")
        return
    for item in attached:
        left, right = st.columns([6, 1], vertical_alignment="center")
        ref = item.reference
        if ref is None:
            left.markdown(
                f"*A reference that is no longer in the catalogue* (`{escape_markdown(item.reference_id)}`); "
                "an own reference may have been deleted."
            )
        else:
            year = f", {ref.year}" if ref.year else ""
            title = escape_markdown(ref.title)
            link = f"[{title}]({markdown_link_target(ref.source_url)})" if ref.source_url else title
            left.markdown(f"{link}  \n{escape_markdown(ref.company)}{year} · {ref.industry} · {ref.task}")
        right.button(
            "Detach",
            key=f"refs_detach_{candidate_id}_{item.reference_id}",
            on_click=_detach,
            args=(project.id, candidate_id, name, item.reference_id),
            help="Remove this reference from the candidate's evidence (the reference itself stays).",
        )


def render_similar(view: CatalogueView, project: Project | None) -> None:
    flash.show(WHERE)
    if project is None:
        st.info(
            "Create a project in the sidebar (**New project**) to compare your use cases.", icon=":material/arrow_back:"
        )
        return
    try:
        section = merge_ratings(project.sections)
    except ValueError as error:
        st.error(f"The worthiness section of this project could not be read: {escape_markdown(str(error))}")
        return
    if section is None:
        _no_candidates()
        return
    names = distinct_labels({candidate.id: candidate.name for candidate in section.candidates})
    if st.session_state.get(CANDIDATE_KEY) not in names:
        st.session_state.pop(CANDIDATE_KEY, None)
    candidate_id = st.selectbox(
        "Worthiness candidate",
        list(names),
        format_func=names.__getitem__,
        key=CANDIDATE_KEY,
        persist_state="session",
        help="Its industry, data modality and problem statement drive the comparison.",
    )
    candidate = section.candidate(candidate_id)
    st.caption(
        f"Industry: {candidate.industry or 'not set'} · Modality: {candidate.modality} · Problem: "
        + (escape_markdown(shorten(candidate.problem, 200)) if candidate.problem.strip() else "not described yet")
    )
    hits = similar_references(
        view.index,
        industry=candidate.industry or None,
        modality=candidate.modality,
        problem_statement=candidate_query(candidate),
        top=SIMILAR_TOP,
    )
    if not hits:
        st.info(
            "No reference shares words with this candidate's name and problem statement. Describe the problem "
            "in more detail on the Worthiness page, or use the Search tab.",
            icon=":material/search:",
        )
    else:
        show_references(
            hits,
            key="refs_similar_table",
            score="Similarity",
            score_help="0 to 1: 0.6 x text relevance of the problem statement (best match = 1) + 0.25 for the "
            "same industry + 0.15 for the same data modality.",
        )
        attached = set(section.references.get(candidate_id, ()))
        labels = distinct_labels(
            {
                h.reference.id: f"{h.reference.company}: {h.reference.title}"
                for h in hits
                if h.reference.id not in attached
            },
            90,
        )
        remembered = st.session_state.get(ATTACH_KEY)
        if remembered:  # the list changes with the candidate: forget picks it no longer offers
            st.session_state[ATTACH_KEY] = [rid for rid in remembered if rid in labels]
        with st.form("refs_attach_form", border=False):
            st.multiselect(
                "Attach as evidence",
                list(labels),
                format_func=lambda rid: labels.get(rid, rid),
                key=ATTACH_KEY,
                placeholder="Pick the references that support this use case",
                help="Saved in this project's worthiness section, shown on the Worthiness page and in the brief.",
            )
            st.form_submit_button(
                "Attach as evidence",
                type="primary",
                key="refs_attach_submit",
                on_click=_attach,
                args=(project.id, candidate_id, candidate.name),
            )
    _evidence(view, project, section, candidate_id)
