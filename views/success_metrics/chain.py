"""The chain on the success-metrics page: template picker, the four tables, label, checks, tree, charter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from core.metrics import CADENCES, DIRECTIONS, EFFECTS, MILESTONE_KINDS, Issue, MetricChain, charter_csv
from core.metrics.editing import TEMPLATE_CHOICES, template_help, template_label
from core.metrics.rows import (
    COLUMN_LABELS,
    COLUMN_MAX_CHARS,
    COLUMNS,
    FIRST_PLAN_YEAR,
    LAST_PLAN_YEAR,
    PART_TITLES,
    Row,
    field_location,
    link_token,
    read_bool,
    read_date,
    read_list,
    read_number,
    read_text,
)
from core.metrics.validation import RULES
from ui import flash
from ui.text import escape_markdown, shorten
from views.success_metrics.state import TEMPLATE_AREA, TEMPLATE_KEY, Draft, on_insert_template, on_table_edit

_NUMBER_COLUMNS = frozenset({"baseline", "target", "minimum", "value_min", "value_max"})
_DATE_COLUMNS = frozenset({"deadline", "date"})
# The date editors refuse what the chain would refuse (see core.metrics.rows.read_date).
PLAN_DATES = (date(FIRST_PLAN_YEAR, 1, 1), date(LAST_PLAN_YEAR, 12, 31))
_LIST_COLUMNS = frozenset({"goal_ids", "drives"})
_BOOL_COLUMNS = frozenset({"tangible"})

_PART_HELP = {
    "goals": (
        "What the business wants. Tick **Tangible** when it can be measured directly (revenue, water); an "
        "intangible goal (customer satisfaction) must be proved by at least one business metric."
    ),
    "business_metrics": (
        "Tangible success metrics that prove the goals: each needs a baseline, a target, a deadline and an owner. "
        "Baseline and target are in the metric's unit."
    ),
    "model_metrics": (
        "How the model is scored. Each must drive a business metric (the Drives column says which, and whether "
        "improving the model raises or lowers it). Minimum is the worst acceptable value."
    ),
    "milestones": "Dated, time-based success definitions (pilot, A/B test, launch), each with its criterion.",
}


def _lenient(read: Any, value: object) -> Any:
    # Tables show what they can; a value a reader rejects is reported when the chain is built.
    try:
        return read(value)
    except ValueError:
        return None


def table_frame(part: str, rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The rows of one part as a DataFrame with one clean type per column, for st.data_editor."""
    data: dict[str, list[Any]] = {}
    for column in COLUMNS[part]:
        values = [row.get(column) for row in rows]
        if column in _NUMBER_COLUMNS:
            data[column] = [_lenient(read_number, value) for value in values]
        elif column in _DATE_COLUMNS:
            data[column] = [_lenient(read_date, value) for value in values]
        elif column in _LIST_COLUMNS:
            data[column] = [_lenient(read_list, value) or [] for value in values]
        elif column in _BOOL_COLUMNS:
            data[column] = [read_bool(value) for value in values]
        else:
            data[column] = [read_text(value) for value in values]
    frame = pd.DataFrame(data, columns=list(COLUMNS[part]))
    for column in COLUMNS[part]:
        if column in _NUMBER_COLUMNS:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        elif column in _BOOL_COLUMNS:
            frame[column] = frame[column].astype("bool")
        elif column in _DATE_COLUMNS or column in _LIST_COLUMNS:
            frame[column] = frame[column].astype("object")
        else:
            # An empty or all-missing column would otherwise be typed as numbers and refuse text.
            frame[column] = frame[column].astype("string")
    return frame


def _text(column: str, *, help: str | None = None, required: bool = False) -> Any:
    return st.column_config.TextColumn(
        COLUMN_LABELS[column], max_chars=COLUMN_MAX_CHARS[column], help=help, required=required
    )


def _names(rows: Sequence[Row]) -> dict[str, str]:
    return {str(row["id"]): shorten(read_text(row.get("name")) or "(no name)", 40) for row in rows if row.get("id")}


def column_config(part: str, rows: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    """Units, select boxes, date columns and link pickers for one table (options from the current rows)."""
    config: dict[str, Any] = {
        "id": st.column_config.TextColumn("Id", disabled=True, width="small", help="Given automatically."),
        "name": _text("name", required=True, help=f"Up to {COLUMN_MAX_CHARS['name']} characters."),
    }
    if part == "goals":
        config["tangible"] = st.column_config.CheckboxColumn(
            "Tangible", default=False, help="Ticked: measurable as it is. Unticked: needs a tangible metric."
        )
        config["note"] = _text("note")
    elif part == "business_metrics":
        goals = _names(rows["goals"])
        linked = {goal for row in rows["business_metrics"] for goal in read_list(row.get("goal_ids"))}
        options = list(goals) + sorted(linked - set(goals))
        config.update(
            {
                "definition": _text("definition", help="How it is computed, e.g. a formula."),
                "unit": _text("unit", help="e.g. USD per month, % of sessions, litres per week."),
                "direction": st.column_config.SelectboxColumn(
                    COLUMN_LABELS["direction"],
                    options=list(DIRECTIONS),
                    default=DIRECTIONS[0],
                    required=True,
                    help="higher: larger values are better; lower: smaller values are better.",
                ),
                "baseline": st.column_config.NumberColumn(
                    COLUMN_LABELS["baseline"], help="Today's value, in the metric's unit.", format="%g"
                ),
                "target": st.column_config.NumberColumn(
                    COLUMN_LABELS["target"], help="The value that means success, in the metric's unit.", format="%g"
                ),
                "deadline": st.column_config.DateColumn(
                    COLUMN_LABELS["deadline"],
                    format="YYYY-MM-DD",
                    help="When the target must be reached.",
                    min_value=PLAN_DATES[0],
                    max_value=PLAN_DATES[1],
                ),
                "owner": _text("owner", help="Who answers for this metric."),
                "data_source": _text("data_source", help="Where the numbers come from."),
                "cadence": st.column_config.SelectboxColumn(
                    COLUMN_LABELS["cadence"],
                    options=list(CADENCES),
                    default="monthly",
                    required=True,
                    help="How often it is measured.",
                ),
                "goal_ids": st.column_config.MultiselectColumn(
                    COLUMN_LABELS["goal_ids"],
                    options=options,
                    help="The goals this metric proves.",
                    format_func=lambda goal_id: f"{goals.get(goal_id, 'unknown goal')} ({goal_id})",
                ),
            }
        )
    elif part == "model_metrics":
        metrics = _names(rows["business_metrics"])
        tokens = [link_token(metric_id, effect) for metric_id in metrics for effect in EFFECTS]
        used = {token for row in rows["model_metrics"] for token in read_list(row.get("drives"))}

        def describe(token: str) -> str:
            metric_id, _, effect = token.rpartition(":")
            return f"{effect} {metrics.get(metric_id, 'unknown metric')} ({metric_id})"

        config.update(
            {
                "minimum": st.column_config.NumberColumn(
                    COLUMN_LABELS["minimum"],
                    format="%g",
                    help="Worst acceptable value (a floor when higher is better, a ceiling when lower is better). "
                    "Fractions such as precision are 0-1.",
                ),
                "target": st.column_config.NumberColumn(COLUMN_LABELS["target"], format="%g"),
                "direction": st.column_config.SelectboxColumn(
                    COLUMN_LABELS["direction"], options=list(DIRECTIONS), default=DIRECTIONS[0], required=True
                ),
                "unit": _text("unit", help="e.g. fraction, seconds, units of the target."),
                "drives": st.column_config.MultiselectColumn(
                    COLUMN_LABELS["drives"],
                    options=tokens + sorted(used - set(tokens)),
                    format_func=describe,
                    help="The business metric(s) this model metric moves, and whether improving it raises or "
                    "lowers them.",
                ),
                "definition": _text("definition"),
            }
        )
    else:
        config.update(
            {
                "name": st.column_config.SelectboxColumn(
                    "Milestone", options=list(MILESTONE_KINDS), default=MILESTONE_KINDS[0], required=True
                ),
                "date": st.column_config.DateColumn(
                    "Date", format="YYYY-MM-DD", required=True, min_value=PLAN_DATES[0], max_value=PLAN_DATES[1]
                ),
                "criterion": _text("criterion", help="What must be true on that date."),
            }
        )
    return config


def render_template_picker(draft: Draft) -> None:
    """Select a template and click Insert: goals, business metrics and model metrics from the guide."""
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    choice = left.selectbox(
        "Insert from a template",
        options=TEMPLATE_CHOICES,
        format_func=template_label,
        key=TEMPLATE_KEY,
        help="The planning method's goals and their tangible proxies, and the common model metrics. A business "
        "metric is linked to its goal when that goal is in the chain.",
    )
    right.button(
        "Insert",
        key="sm_insert_template",
        type="primary",
        on_click=on_insert_template,
        args=(draft.scope,),
        width="stretch",
    )
    if choice:
        st.caption(escape_markdown(template_help(choice)))
    flash.show(TEMPLATE_AREA)


def render_table(draft: Draft, part: str, rows: Mapping[str, Sequence[Row]], error: str | None) -> None:
    """One editable table, with its error (from building its elements) right under it."""
    st.markdown(f"**{PART_TITLES[part]}**")
    st.caption(_PART_HELP[part])
    order = [column for column in COLUMNS[part] if column not in ("value_min", "value_max")]
    key = draft.keys[part]
    frame = draft.frames.get(key)
    if frame is None:
        # Rows change only together with their editor key, so a key's frame is built once.
        frame = table_frame(part, draft.rows[part])
        draft.frames = {k: v for k, v in draft.frames.items() if k in draft.keys.values()}
        draft.frames[key] = frame
    st.data_editor(
        frame,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        column_order=order,
        column_config=column_config(part, rows),
        on_change=on_table_edit,
        args=(draft.scope, part),
        width="stretch",
    )
    if error:
        st.error(escape_markdown(error), icon=":material/error:")


def render_label(rows: Mapping[str, Sequence[Row]], error: str | None) -> None:
    st.markdown("**Label**")
    st.caption(
        "What exactly the model predicts, where the true answer comes from, and how long after a prediction it "
        "can be seen. The label must be attributed to a success metric: a wrong label sends a project back to "
        "data preparation."
    )
    metrics = {str(row["id"]): read_text(row.get("name")) for row in rows["business_metrics"]}
    current = st.session_state.get("sm_label_attributed")
    options: list[str | None] = [None, *metrics]
    if current is not None and current not in metrics:
        options.append(current)  # a link to a removed metric stays visible until it is changed
    left, right = st.columns(2)
    left.text_input(
        COLUMN_LABELS["what"],
        key="sm_label_what",
        placeholder="e.g. rain observed on site within 15 minutes of the prediction",
    )
    left.text_input(COLUMN_LABELS["source"], key="sm_label_source", placeholder="e.g. on-site rain gauge log")
    right.number_input(
        "Observable after (days after the prediction)",
        key="sm_label_days",
        value=None,
        step=1.0,
        format="%g",
        help="0 when the true answer is known at once; 0.0104 days is 15 minutes. It must fit before the decision "
        "deadline, counted from the first milestone.",
    )
    right.selectbox(
        "Attributed to (business metric)",
        options=options,
        key="sm_label_attributed",
        format_func=lambda metric_id: (
            "— none yet —"
            if metric_id is None
            else f"{shorten(metrics.get(metric_id, 'unknown metric'), 50)} ({metric_id})"
        ),
        help="The success metric this label serves.",
    )
    if error:
        st.error(escape_markdown(error), icon=":material/error:")


def render_decision_deadline(today: date, messages: Sequence[str]) -> None:
    st.date_input(
        "Decision deadline (go / no-go on the model)",
        key="sm_decision_deadline",
        value=None,
        min_value=date(2000, 1, 1),
        max_value=date(2100, 12, 31),
        format="YYYY-MM-DD",
        help="Labels must become observable before it; milestones before the metrics' deadlines.",
    )
    deadline = st.session_state.get("sm_decision_deadline")
    for message in messages:
        if message.startswith("The decision deadline"):
            st.error(escape_markdown(message), icon=":material/event:")
    if isinstance(deadline, date) and deadline < today and not any(m.startswith("The decision") for m in messages):
        st.warning(
            "The decision deadline has passed; record the decision or move the deadline.", icon=":material/event:"
        )


def render_issues(chain: MetricChain, issues: Sequence[Issue]) -> None:
    """The live list of checks: severity icon, where it points, and the message."""
    if not issues:
        if chain == MetricChain():
            st.info("Nothing to check yet: insert a goal or a metric from a template above.", icon=":material/info:")
        else:
            st.success("No issues: every check of the chain passes.", icon=":material/check_circle:")
        return
    errors = sum(issue.severity == "error" for issue in issues)
    warnings = len(issues) - errors
    st.caption(f"{errors} error(s), {warnings} warning(s). Fix them in the tables above; the list updates at once.")
    with st.container(border=True):
        for issue in issues:
            icon = ":material/error:" if issue.severity == "error" else ":material/warning:"
            where = escape_markdown(field_location(chain, issue.field))
            st.markdown(
                f"{icon} **{where}** — {escape_markdown(issue.message)}",
                help=RULES.get(issue.rule),
            )


def render_charter(chain: MetricChain | None, candidate_id: str, dirty: bool) -> None:
    if chain is None:
        st.caption("Fix the errors above to download the charter.")
        return
    st.download_button(
        "Download the metrics charter (CSV)",
        data=charter_csv(chain).encode("utf-8"),
        file_name=f"metrics-charter-{candidate_id}.csv",
        mime="text/csv",
        key="sm_charter_download",
        on_click="ignore",
        help="One row per business and model metric with its links; opens in any spreadsheet.",
    )
    if dirty:
        st.caption("The charter holds what is on screen, including unsaved changes.")
