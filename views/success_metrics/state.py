"""The success-metrics page's draft: what is being edited for one candidate, kept until it is saved.

One draft per (project, candidate) lives in ``st.session_state``: the chain's four tables as rows,
the values of the single-field widgets (label, decision deadline, break-even inputs), and what
was last saved, so the page can say "unsaved changes" and switching candidates loses nothing.

Tables are edited with ``st.data_editor``. Its edit state (edited/added/deleted rows) is folded
into the draft's rows by the editor's ``on_change`` callback, and the editor is then drawn under
a fresh key from the new rows; so the rows always hold what the user sees, and an editor whose
options change (a goal renamed) never drops an edit. Edit state that arrives without a callback
(AppTest sets it directly) is folded in by ``current_rows`` all the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import streamlit as st

from core.metrics import BreakEvenInputs, Label, MetricChain, RegressionBreakEvenInputs
from core.metrics.editing import apply_editor_delta, insert_template
from core.metrics.rows import PARTS, Row, chain_rows, with_ids
from ui import flash
from ui.widgets import seed_once

BreakEven = BreakEvenInputs | RegressionBreakEvenInputs

DRAFTS = "sm_drafts"
ACTIVE = "sm_active_scope"
REVISION = "sm_revision"
TEMPLATE_KEY = "sm_template"
TEMPLATE_AREA = "sm_template"  # where the template picker's messages show

# The single-field widgets whose values belong to the draft (their keys are the widgets' keys).
LABEL_KEYS = ("sm_label_what", "sm_label_source", "sm_label_days", "sm_label_attributed", "sm_decision_deadline")
BREAK_EVEN_KEYS = (
    "sm_be_kind",
    "sm_be_value_tp",
    "sm_be_cost_fp",
    "sm_be_cost_fn",
    "sm_be_prevalence",
    "sm_be_volume",
    "sm_be_baseline_mode",
    "sm_be_baseline_precision",
    "sm_be_baseline_recall",
    "sm_be_baseline_value",
    "sm_be_baseline_name",
    "sm_be_running_cost",
    "sm_be_recall",
    "sm_be_cost_per_unit",
    "sm_be_baseline_mae",
)
FIELD_KEYS = LABEL_KEYS + BREAK_EVEN_KEYS

KIND_CLASSIFICATION = "classification"
KIND_REGRESSION = "regression"
BASELINE_RATES = "precision and recall"
BASELINE_VALUE = "monthly value (USD)"

Scope = tuple[str, str]


@dataclass
class Draft:
    """What is being edited for one candidate of one project."""

    scope: Scope
    rows: dict[str, list[Row]]
    keys: dict[str, str]
    fields: dict[str, Any]
    saved_chain: MetricChain | None
    saved_break_even: BreakEven | None
    initial_break_even_fields: dict[str, Any] = field(default_factory=dict)
    frames: dict[str, Any] = field(default_factory=dict)
    """Editor key -> the DataFrame drawn under it; a key changes whenever its rows do (see `fold_edits`)."""


def _next_revision() -> int:
    st.session_state[REVISION] = st.session_state.get(REVISION, 0) + 1
    return int(st.session_state[REVISION])


def _fresh_keys() -> dict[str, str]:
    # A session-wide counter: an editor's key is never reused, so a stale edit state never applies.
    return {part: f"sm_{part}_editor_{_next_revision()}" for part in PARTS}


def label_fields(chain: MetricChain | None) -> dict[str, Any]:
    label = chain.label if chain is not None else None
    return {
        "sm_label_what": label.what if label else "",
        "sm_label_source": label.source if label else "",
        "sm_label_days": label.observable_after_days if label else 0.0,
        "sm_label_attributed": label.attributed_to if label else None,
        "sm_decision_deadline": chain.decision_deadline if chain is not None else None,
    }


def break_even_fields(saved: BreakEven | None, baseline_name: str, running_cost_usd: float) -> dict[str, Any]:
    """Widget values for saved break-even inputs, or illustrative defaults when none are saved."""
    fields: dict[str, Any] = {
        "sm_be_kind": KIND_CLASSIFICATION,
        "sm_be_value_tp": 10.0,
        "sm_be_cost_fp": 2.0,
        "sm_be_cost_fn": 0.0,
        "sm_be_prevalence": 0.1,
        "sm_be_volume": 10_000.0,
        "sm_be_baseline_mode": BASELINE_RATES,
        "sm_be_baseline_precision": 0.5,
        "sm_be_baseline_recall": 0.5,
        "sm_be_baseline_value": None,
        "sm_be_baseline_name": baseline_name,
        "sm_be_running_cost": running_cost_usd,
        "sm_be_recall": 0.8,
        "sm_be_cost_per_unit": 1.0,
        "sm_be_baseline_mae": 10.0,
    }
    if isinstance(saved, BreakEvenInputs):
        fields.update(
            {
                "sm_be_value_tp": saved.value_true_positive_usd,
                "sm_be_cost_fp": saved.cost_false_positive_usd,
                "sm_be_cost_fn": saved.cost_false_negative_usd,
                "sm_be_prevalence": saved.prevalence,
                "sm_be_volume": saved.monthly_volume,
                "sm_be_running_cost": saved.monthly_running_cost_usd,
                "sm_be_baseline_name": saved.baseline_name,
            }
        )
        if saved.baseline_monthly_value_usd is not None:
            fields["sm_be_baseline_mode"] = BASELINE_VALUE
            fields["sm_be_baseline_value"] = saved.baseline_monthly_value_usd
        else:
            fields["sm_be_baseline_precision"] = saved.baseline_precision
            fields["sm_be_baseline_recall"] = saved.baseline_recall
    elif isinstance(saved, RegressionBreakEvenInputs):
        fields.update(
            {
                "sm_be_kind": KIND_REGRESSION,
                "sm_be_cost_per_unit": saved.cost_per_unit_error_usd,
                "sm_be_volume": saved.monthly_volume,
                "sm_be_baseline_mae": saved.baseline_mae,
                "sm_be_running_cost": saved.monthly_running_cost_usd,
                "sm_be_baseline_name": saved.baseline_name,
            }
        )
    return fields


def activate(
    scope: Scope,
    saved_chain: MetricChain | None,
    saved_break_even: BreakEven | None,
    baseline_name: str,
    running_cost_usd: float,
) -> Draft:
    """The draft for `scope`, created from what is saved the first time; puts its values in the widgets.

    Call before any of the page's widgets is drawn.
    """
    drafts: dict[Scope, Draft] = st.session_state.setdefault(DRAFTS, {})
    draft = drafts.get(scope)
    if draft is None:
        be_fields = break_even_fields(saved_break_even, baseline_name, running_cost_usd)
        draft = Draft(
            scope=scope,
            rows=chain_rows(saved_chain) if saved_chain is not None else {part: [] for part in PARTS},
            keys=_fresh_keys(),
            fields={**label_fields(saved_chain), **be_fields},
            saved_chain=saved_chain,
            saved_break_even=saved_break_even,
            initial_break_even_fields=dict(be_fields),
        )
        drafts[scope] = draft
    # Another candidate (or project) on screen before: the widgets show this draft's values. Widgets not
    # drawn in the last run (another page, the other break-even kind) lost their state: the draft keeps a copy.
    seed_once(ACTIVE, scope, {key: draft.fields[key] for key in FIELD_KEYS})
    return draft


def discard(scope: Scope) -> None:
    """Forget the draft of `scope`; the next run loads what is saved."""
    st.session_state.get(DRAFTS, {}).pop(scope, None)
    st.session_state.pop(ACTIVE, None)


def remember_fields(draft: Draft) -> None:
    """Copy the widgets' values into the draft (call after the widgets are drawn)."""
    for key in FIELD_KEYS:
        if key in st.session_state:
            draft.fields[key] = st.session_state[key]


def current_rows(draft: Draft) -> dict[str, list[Row]]:
    """The draft's tables with any edit state not yet folded in (see the module docstring)."""
    return {part: apply_editor_delta(draft.rows[part], st.session_state.get(draft.keys[part])) for part in PARTS}


def fold_edits(draft: Draft, parts: tuple[str, ...] = PARTS) -> None:
    """Fold pending table edits into the draft's rows and redraw those tables under fresh keys.

    New rows get their ids at once (blank ones too, so a row just added stays on screen), so that
    links made to them point at a fixed id.
    """
    changed = False
    for part in parts:
        pending = st.session_state.get(draft.keys[part])
        if pending:
            draft.rows[part] = apply_editor_delta(draft.rows[part], pending)
            draft.keys[part] = f"sm_{part}_editor_{_next_revision()}"
            changed = True
    if changed:
        before = draft.rows
        draft.rows = with_ids(draft.rows, drop_blank=False)
        for part in PARTS:
            if draft.rows[part] != before[part] and part not in parts:
                draft.keys[part] = f"sm_{part}_editor_{_next_revision()}"


def _draft(scope: Scope) -> Draft | None:
    drafts: dict[Scope, Draft] = st.session_state.get(DRAFTS, {})
    return drafts.get(scope)


def on_table_edit(scope: Scope, part: str) -> None:
    """The editors' on_change callback."""
    draft = _draft(scope)
    if draft is not None:
        fold_edits(draft, (part,))


def on_insert_template(scope: Scope) -> None:
    """The Insert button's callback: add the chosen template to the tables (one click)."""
    draft = _draft(scope)
    choice = st.session_state.get(TEMPLATE_KEY)
    if draft is None or not choice:
        return
    fold_edits(draft)
    try:
        rows, note = insert_template(draft.rows, choice)
    except ValueError as error:
        flash.leave(TEMPLATE_AREA, "error", str(error))
        return
    draft.rows = rows
    draft.keys = _fresh_keys()
    flash.leave(TEMPLATE_AREA, "success", note)


def rebase(draft: Draft, chain: MetricChain, break_even: BreakEven | None, saved_break_even: bool) -> None:
    """After a save: the saved chain becomes the draft's base and the new 'last saved' state."""
    draft.rows = chain_rows(chain)
    draft.keys = _fresh_keys()
    draft.saved_chain = chain
    if saved_break_even:
        draft.saved_break_even = break_even


def label_from_fields(fields: dict[str, Any]) -> Label | None:
    """The label from its widgets; None when every label field is empty. ValueError when one is bad."""
    what = fields.get("sm_label_what") or ""
    source = fields.get("sm_label_source") or ""
    days = fields.get("sm_label_days")
    attributed = fields.get("sm_label_attributed")
    if not what.strip() and not source.strip() and attributed is None and not days:
        return None
    if days is None or (isinstance(days, float) and math.isnan(days)):
        raise ValueError("Say after how many days the label can be observed (0 when at once).")
    return Label(what=what, source=source, observable_after_days=days, attributed_to=attributed)


def decision_deadline_from_fields(fields: dict[str, Any]) -> date | None:
    value = fields.get("sm_decision_deadline")
    return value if isinstance(value, date) else None


def fresh_rows(draft: Draft) -> dict[str, list[Row]]:
    """Current rows with blank rows dropped and ids filled in, as the chain will hold them."""
    return with_ids(current_rows(draft))
