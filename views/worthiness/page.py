"""Worthiness: is this problem worth solving, and with deep learning at all? Candidates, scores, gate, ranking,
sensitivity, raters, verdicts and evidence."""

from __future__ import annotations

import streamlit as st

from ui.project import require_project
from ui.text import escape_markdown
from ui.widgets import open_tab
from views.worthiness.candidates import render_form, render_list
from views.worthiness.data import load, render_rater
from views.worthiness.results import (
    render_evidence,
    render_ranking,
    render_raters,
    render_sensitivity,
    render_verdicts,
    render_weights,
)
from views.worthiness.scoring import render_gate, render_scoring

st.title("Worthiness")
st.caption(
    "Is the problem worth solving, and is deep learning the right tool, or does a rule, a sensor or classic ML do it "
    "cheaper and more reliably? Describe the candidates, score them on six criteria, and let the gate, the ranking "
    "and the sensitivity analysis tell you where to start."
)

project = require_project()
data = load(project)
evaluation = data.evaluation

rater = render_rater(data.merged)
if evaluation is not None and evaluation.top_pick:
    top = evaluation.top_pick
    names = " and ".join(evaluation.names[cid] for cid in top)
    label = evaluation.verdicts[top[0]].label if top[0] in evaluation.verdicts else ""
    chance = evaluation.sensitivity.p_first.get(top[0]) if evaluation.sensitivity else None
    summary = f"**Top pick** (best of the candidates that pass the gate): {escape_markdown(names)} ({label})"
    if chance is not None:
        summary += f" · ranks first in {chance:.0%} of the perturbed weightings"
    st.markdown(summary)
elif evaluation is not None and evaluation.weighted_sum is not None:
    st.markdown(escape_markdown(evaluation.threshold_sentence))

TAB_KEY = "worthiness_tab"
TABS = ("Candidates", "Scoring", "Gate", "Weights & ranking", "Sensitivity", "Raters", "Verdicts & evidence")


def _candidates() -> None:
    render_list(evaluation)
    render_form(project.id, data.stored)


def _ranking() -> None:
    render_weights(project.id, data.merged)
    st.divider()
    render_ranking(evaluation)


def _verdicts() -> None:
    render_verdicts(evaluation)
    st.subheader("Evidence: reference projects")
    render_evidence(evaluation)


RENDERERS = (
    _candidates,
    lambda: render_scoring(project.id, evaluation, rater),
    lambda: render_gate(evaluation, data.merged),
    _ranking,
    lambda: render_sensitivity(project.id, evaluation),
    lambda: render_raters(evaluation),
    _verdicts,
)
open_tab(TABS, RENDERERS, key=TAB_KEY)  # only the open tab runs: a rerun costs one tab's work, not seven
