"""The /worthiness page's results: weights and ranking, sensitivity, raters, verdicts and evidence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from core.projects import EditConflict, Project
from core.worthiness import (
    AGGREGATION_METHODS,
    CRITERIA,
    CRITERION_KEYS,
    Evaluation,
    WorthinessSection,
)
from core.worthiness.sensitivity import MAX_DRAWS, MAX_SPREAD
from core.worthiness.view import (
    VERDICT_STYLE,
    first_place_rows,
    quadrant_rows,
    rank_distribution_rows,
    ranking_rows,
    resolve_references,
    section_with_settings,
    spread_rows,
    stored_section,
    verdict_label,
    weight_shares,
    weights_from_values,
)
from ui import flash
from ui.saving import Edit, try_edit
from ui.state import get_store
from ui.text import escape_markdown
from ui.widgets import seed_once
from views import page
from views.worthiness.charts import draw

WEIGHTS_FILLED_FOR = "worthiness_weights_filled_for"
SENSITIVITY_FILLED_FOR = "worthiness_sens_filled_for"
AGGREGATION_KEY = "worthiness_aggregation"
SPREAD_KEY = "worthiness_sens_spread"
DRAWS_KEY = "worthiness_sens_draws"
SEED_KEY = "worthiness_sens_seed"
WEIGHTS_AREA = "worthiness_weights"  # where the weights form's messages show
SENSITIVITY_AREA = "worthiness_sensitivity"


def weight_key(criterion: str) -> str:
    return f"worthiness_weight_{criterion}"


# ---------------------------------------------------------------- weights


def _settings_edit(based_on: object, now: Callable[[WorthinessSection], object], **settings: Any) -> Edit:
    """Save settings into the worthiness section as stored; refused when someone changed them since the
    form was filled (``now`` reads the settings concerned, ``based_on`` is what they were then)."""

    def edit(project: Project) -> dict[str, dict[str, Any] | None]:
        stored = stored_section(project.sections)
        if stored is not None and now(stored) != based_on:
            raise EditConflict("Your settings were not saved: they were changed.", section="worthiness")
        return {"worthiness": section_with_settings(stored, **settings).to_document()}

    return edit


def _save_settings(
    project_id: str,
    area: str,
    filled_for: str,
    now: Callable[[WorthinessSection], object],
    change: str,
    saved: str,
    **settings: Any,
) -> None:
    """Save one form's settings and leave the outcome for its ``area``: ``saved``, or why it was refused
    (``filled_for``: the form's seed marker, what the form was filled from)."""
    refused = try_edit(project_id, _settings_edit(st.session_state.get(filled_for), now, **settings), change)
    if refused:
        flash.leave(area, "error", refused)
    else:
        flash.leave(area, "success", saved)


def _weights_now(section: WorthinessSection) -> object:
    return (repr(section.weights), section.aggregation)


def _save_weights(project_id: str) -> None:
    values = {key: st.session_state.get(weight_key(key)) for key in CRITERION_KEYS}
    try:
        weights = weights_from_values(values)
    except ValueError as error:
        flash.leave(WEIGHTS_AREA, "error", f"Not saved: {error}")
        return
    _save_settings(
        project_id,
        WEIGHTS_AREA,
        WEIGHTS_FILLED_FOR,
        _weights_now,
        "worthiness: weights",
        "Saved the weights; the ranking below uses them.",
        weights=weights,
        aggregation=st.session_state.get(AGGREGATION_KEY),
    )


def render_weights(project_id: str, section: WorthinessSection | None) -> None:
    if section is None:
        st.info("Add a candidate first; the weights are saved with the candidates.", icon=":material/arrow_back:")
        return
    saved = section.weights.as_dict()
    filled = {weight_key(key): float(saved[key]) for key in CRITERION_KEYS}
    seed_once(WEIGHTS_FILLED_FOR, _weights_now(section), {**filled, AGGREGATION_KEY: section.aggregation})
    shares = weight_shares(saved)
    flash.show(WEIGHTS_AREA)
    with st.form("worthiness_weights_form", enter_to_submit=True):
        st.markdown("**Weights** · how much each criterion counts; only their ratios matter")
        columns = st.columns(len(CRITERION_KEYS))
        for column, key in zip(columns, CRITERION_KEYS, strict=True):
            criterion = CRITERIA[key]
            column.number_input(
                criterion.label,
                min_value=0.0,
                max_value=1e6,
                step=0.5,
                format="%.2f",
                key=weight_key(key),
                help=(
                    f"How much {criterion.label.lower()} counts. Only ratios matter: each weight is divided by "
                    "the sum of all six (its share). 0 leaves the criterion out."
                ),
            )
            share = shares[key]
            column.caption(f"share {share:.0%}" if share is not None else "share –")
        st.radio(
            "Combine raters by",
            options=list(AGGREGATION_METHODS),
            key=AGGREGATION_KEY,
            horizontal=True,
            help="The ranking uses each criterion's mean or median over the raters who scored the candidate. "
            "The median resists one outlying score.",
        )
        st.form_submit_button(
            "Save weights", type="primary", key="worthiness_weights_save", on_click=_save_weights, args=(project_id,)
        )
    st.caption("Shares are of the saved weights (share = weight ÷ sum of the six weights).")


# ---------------------------------------------------------------- ranking


def render_ranking(evaluation: Evaluation | None) -> None:
    rows = ranking_rows(evaluation) if evaluation else []
    if evaluation is None or not rows:
        st.info(
            "Score at least one candidate (Scoring tab) to see the ranking and the chart.", icon=":material/bar_chart:"
        )
        return
    if evaluation.unscored:
        unscored = ", ".join(evaluation.names[cid] for cid in evaluation.unscored)
        st.caption(f"Not ranked until someone scores them: {escape_markdown(unscored)}.")
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        key="worthiness_ranking_table",
        column_config={
            "Weighted-sum rank": st.column_config.NumberColumn(format="%d", help="1 = best; ties share a rank."),
            "Weighted sum (1–5)": st.column_config.NumberColumn(
                format="%.2f",
                help="Σ share × score, with complexity, risk and cost counted as 6 − score; 5 is best.",
            ),
            "TOPSIS rank": st.column_config.NumberColumn(format="%d", help="1 = best; ties share a rank."),
            "TOPSIS closeness (0–1)": st.column_config.NumberColumn(
                format="%.3f",
                help="Distance to the worst point ÷ (distance to the best + to the worst), on vector-normalised, "
                "weighted scores (Hwang & Yoon 1981); 1 is best.",
            ),
        },
    )
    agreement = evaluation.agreement
    if agreement is not None:
        tau = (
            "Kendall's tau is undefined here (fewer than two candidates, or all tied)."
            if agreement.kendall_tau is None
            else "Kendall's tau compares the two methods' orders: 1 = the same order, −1 = reversed."
        )
        text = f"{agreement.summary[:1].upper()}{agreement.summary[1:]} {tau}"
        (st.success if agreement.same_top else st.warning)(escape_markdown(text))
    draw("quadrant", quadrant_rows(evaluation), key="worthiness_quadrant_chart")
    st.caption(
        "Value = mean of impact and value; feasibility = mean of (6 − complexity), (6 − risk) and (6 − cost); "
        "both 1–5, the rules at 3. The chart shows the raw trade-off; the weights do not enter it."
    )


# ---------------------------------------------------------------- sensitivity


def _sensitivity_now(section: WorthinessSection) -> object:
    return (section.sensitivity_spread, section.sensitivity_draws, section.sensitivity_seed)


def _save_sensitivity(project_id: str) -> None:
    state = st.session_state
    _save_settings(
        project_id,
        SENSITIVITY_AREA,
        SENSITIVITY_FILLED_FOR,
        _sensitivity_now,
        "worthiness: sensitivity settings",
        "Saved; the sensitivity below uses the new settings.",
        spread_percent=state.get(SPREAD_KEY),
        draws=state.get(DRAWS_KEY),
        seed=state.get(SEED_KEY),
    )


def render_sensitivity(project_id: str, evaluation: Evaluation | None) -> None:
    if evaluation is None:
        st.info("Add and score candidates first.", icon=":material/arrow_back:")
        return
    section = evaluation.section
    seed_once(
        SENSITIVITY_FILLED_FOR,
        _sensitivity_now(section),
        {
            SPREAD_KEY: round(section.sensitivity_spread * 100, 6),
            DRAWS_KEY: section.sensitivity_draws,
            SEED_KEY: section.sensitivity_seed,
        },
    )
    st.info(escape_markdown(evaluation.threshold_sentence), icon=":material/flag:")
    flash.show(SENSITIVITY_AREA)
    with st.form("worthiness_sensitivity_form", enter_to_submit=True):
        left, middle, right = st.columns(3)
        left.number_input(
            "Weight spread (± %)",
            min_value=0.0,
            max_value=MAX_SPREAD * 100,
            step=5.0,
            format="%.0f",
            key=SPREAD_KEY,
            help="Each draw multiplies every weight by (1 + u), u uniform between −spread and +spread, then "
            "renormalises; 20 means each weight varies by up to ±20 %.",
        )
        middle.number_input(
            "Draws",
            min_value=1,
            max_value=MAX_DRAWS,
            step=500,
            key=DRAWS_KEY,
            help="Monte Carlo draws of the weights; 2,000 gives each probability to within about ±2 points.",
        )
        right.number_input(
            "Seed",
            min_value=0,
            max_value=2**32 - 1,
            step=1,
            key=SEED_KEY,
            help="The random seed: the same seed gives the same result, so the meeting sees the same figures.",
        )
        st.form_submit_button(
            "Rerun the sensitivity", key="worthiness_sens_save", on_click=_save_sensitivity, args=(project_id,)
        )
    result = evaluation.sensitivity
    if result is None:
        st.info("Score at least one candidate to see how robust the ranking is.", icon=":material/bar_chart:")
        return
    st.caption(
        f"{result.draws:,} draws, each weight within ±{result.spread:.0%}, seed {result.seed}; ranked by weighted sum."
    )
    left, right = st.columns(2)
    with left:
        st.markdown("**Probability of ranking first**")
        draw("first", first_place_rows(evaluation), key="worthiness_first_chart")
    with right:
        st.markdown("**Rank distribution**")
        order = (
            [evaluation.names[entry.candidate_id] for entry in evaluation.weighted_sum.entries]
            if evaluation.weighted_sum
            else []
        )
        draw("ranks", rank_distribution_rows(evaluation), order=order, key="worthiness_rank_chart")


# ---------------------------------------------------------------- raters


def render_raters(evaluation: Evaluation | None) -> None:
    if evaluation is None or not evaluation.spread:
        st.info("Nobody has scored yet. Each person types their name at the top and scores.", icon=":material/group:")
        return
    raters = evaluation.section.rater_scores.raters
    st.caption(
        f"{len(raters)} rater(s): {escape_markdown(', '.join(name.strip() for name in raters))}. The ranking uses the "
        f"{evaluation.section.aggregation} of their scores (change it under Weights & ranking)."
    )
    if evaluation.disagreements:
        lines = []
        for item in evaluation.disagreements:
            who = ", ".join(f"{name.strip()} {score}" for name, score in item.raters.items())
            lines.append(
                f"- **{escape_markdown(evaluation.names[item.candidate_id])}**, "
                f"{CRITERIA[item.criterion].label.lower()}: {escape_markdown(who)} "
                f"({item.high - item.low} points apart)"
            )
        st.warning(
            "Discuss first: the raters differ by 2 points or more on\n\n" + "\n".join(lines), icon=":material/forum:"
        )
    else:
        st.success("No two raters differ by 2 points or more on any criterion.")
    frames = []
    for candidate_id in evaluation.spread:
        rows = spread_rows(evaluation, candidate_id)
        for row in rows:
            row["Candidate"] = evaluation.names[candidate_id]
        frames.extend(rows)
    table = pd.DataFrame(frames)
    columns = ["Candidate", "Criterion", "Discuss", "Mean (1–5)", "Min–max", "Gap (points)"]
    table = table[columns + [name for name in table.columns if name not in columns]]
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="worthiness_spread_table",
        column_config={
            "Mean (1–5)": st.column_config.NumberColumn(format="%.2f", help="Mean of the raters' scores."),
            "Gap (points)": st.column_config.NumberColumn(format="%d", help="Highest minus lowest score."),
        },
    )


# ---------------------------------------------------------------- verdicts and evidence


def render_verdicts(evaluation: Evaluation | None) -> None:
    if evaluation is None:
        st.info("Add a candidate first.", icon=":material/arrow_back:")
        return
    for candidate in evaluation.section.candidates:
        label = verdict_label(evaluation, candidate.id)
        colour, icon = VERDICT_STYLE.get(label, ("gray", ":material/help:"))  # st.badge colours, see VERDICT_STYLE
        with st.container(border=True):
            st.markdown(f"**{escape_markdown(candidate.name.strip())}**")
            st.badge(label, color=colour, icon=icon)  # type: ignore[arg-type]
            found = evaluation.verdicts.get(candidate.id)
            if found is None:
                st.caption("Score it (Scoring tab) to get a verdict.")
            else:
                st.markdown("\n".join(f"- {escape_markdown(reason)}" for reason in found.reasons))


def render_evidence(evaluation: Evaluation | None) -> None:
    st.page_link(page("references"), label="Find reference projects to attach as evidence", icon=":material/menu_book:")
    if evaluation is None:
        return
    attached = evaluation.section.references
    if not attached:
        st.caption(
            "No reference projects are attached yet. Companies in the same industry that solved a similar "
            "problem show that a use case is worth it; find them on the Reference projects page and attach them."
        )
        return
    resolved = resolve_references(attached, get_store().catalogue("references"))
    rows = [
        {
            "Candidate": evaluation.names[candidate_id],
            "Company": item.company if item.found else "",
            "Title": item.title if item.found else f"{item.reference_id} (no longer in the catalogue)",
            "Year": item.year,
            "Approach": item.approach or ("not named in the source" if item.found else ""),
            "Outcome": item.outcome or ("no figure published" if item.found else ""),
            "Link": item.source_url or None,
        }
        for candidate_id, items in resolved.items()
        for item in items
    ]
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        key="worthiness_evidence_table",
        column_config={
            "Year": st.column_config.NumberColumn(format="%d"),
            "Approach": st.column_config.TextColumn("Approach", help="The model family the write-up names."),
            "Outcome": st.column_config.TextColumn("Outcome", help="The result the write-up publishes, if any."),
            "Link": st.column_config.LinkColumn("Link", display_text="open ↗"),
        },
    )
