"""Editing on the page: data-editor deltas, one-click templates with links, new past deadlines, running cost."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from core.metrics import (
    BUSINESS_METRIC_TEMPLATES,
    GOAL_TEMPLATES,
    MODEL_METRIC_TEMPLATES,
    BusinessMetric,
    MetricChain,
    example_metrics,
    validate_chain,
)
from core.metrics.editing import (
    TEMPLATE_CHOICES,
    apply_editor_delta,
    insert_template,
    newly_past_deadlines,
    template_help,
    template_label,
)
from core.metrics.example import RAIN_FORECAST
from core.metrics.rows import PARTS, chain_from_rows
from core.metrics.running_cost import running_cost_from_resources
from core.resources.plan import EXAMPLE_CANDIDATE, example_resources

TODAY = date(2027, 2, 1)
ROWS = [{"id": "g1", "name": "A"}, {"id": "g2", "name": "B"}, {"id": "g3", "name": "C"}]


# --- deltas -----------------------------------------------------------------------------------


def test_edits_then_deletions_then_additions_as_streamlit_applies_them() -> None:
    delta = {
        "edited_rows": {"0": {"name": "A2"}, 2: {"note": "n"}},
        "deleted_rows": [1],
        "added_rows": [{"name": "D", "_index": 3}],
    }
    result = apply_editor_delta(ROWS, delta)
    assert result == [{"id": "g1", "name": "A2"}, {"id": "g3", "name": "C", "note": "n"}, {"name": "D"}]
    assert ROWS[0]["name"] == "A", "the input rows are left alone"


@pytest.mark.parametrize(
    "delta",
    [
        None,
        "garbage",
        {},
        {"edited_rows": {"7": {"name": "x"}, "-1": {"name": "y"}, "z": {"name": "w"}, "0": "not a mapping"}},
        {"deleted_rows": "0"},
        {"added_rows": ["not a row"]},
    ],
)
def test_malformed_or_empty_deltas_change_nothing(delta: object) -> None:
    assert apply_editor_delta(ROWS, delta) == ROWS


# --- templates --------------------------------------------------------------------------------


def test_every_template_is_offered_once_with_a_label_and_help() -> None:
    expected = len(GOAL_TEMPLATES) + len(BUSINESS_METRIC_TEMPLATES) + len(MODEL_METRIC_TEMPLATES)
    assert len(TEMPLATE_CHOICES) == len(set(TEMPLATE_CHOICES)) == expected
    for choice in TEMPLATE_CHOICES:
        assert template_label(choice).split(" · ")[0] in {"Goal", "Business metric", "Model metric"}
        assert template_help(choice)
    assert template_label("goal:customer-satisfaction") == "Goal · Customer satisfaction (intangible)"
    assert template_label("metric:revenue") == "Business metric · Revenue (USD per month)"


@pytest.mark.parametrize("choice", ["goal:nope", "metric:customer-satisfaction", "nonsense", ""])
def test_unknown_templates_are_refused(choice: str) -> None:
    with pytest.raises(ValueError, match="Unknown template"):
        insert_template({}, choice)


def build(rows: dict[str, list[dict[str, object]]]) -> MetricChain:
    return chain_from_rows(rows)


def test_building_a_chain_from_templates_links_goal_metric_and_model_metric() -> None:
    rows, note = insert_template({}, "goal:customer-satisfaction")
    assert note == "Added goal 'Customer satisfaction' (g1)."
    issues = validate_chain(build(rows), TODAY)
    assert [issue.rule for issue in issues] == ["goal-without-metric"]

    rows, note = insert_template(rows, "metric:time-customers-spend")
    assert "proving goal 'Customer satisfaction'" in note
    chain = build(rows)
    assert chain.business_metrics[0].goal_ids == ("g1",)
    assert {issue.rule for issue in validate_chain(chain, TODAY)} == {"metric-missing-field"}

    rows, note = insert_template(rows, "model:recall")
    chain = build(rows)
    assert chain.model_metrics[0].drives == (("m1", "raises"),)
    assert "driving 'Time customers spend' (raises it)" in note
    assert [element.id for part in (chain.goals, chain.business_metrics, chain.model_metrics) for element in part] == [
        "g1",
        "m1",
        "mm1",
    ]


def test_a_goal_inserted_after_its_metric_is_linked_back() -> None:
    rows, _ = insert_template({}, "metric:revenue")
    rows, note = insert_template(rows, "goal:employee-performance")
    assert build(rows).business_metrics[0].goal_ids == ("g1",)
    assert note.endswith("proved by 'Revenue'.")
    # inserting it again adds a second goal; the metric gains a link to it as well, once
    rows, _ = insert_template(rows, "goal:employee-performance")
    assert build(rows).business_metrics[0].goal_ids == ("g1", "g2")


def test_a_model_metric_drives_a_lower_is_better_metric_by_lowering_it() -> None:
    rows, _ = insert_template({}, "metric:handling-time")
    rows, _ = insert_template(rows, "model:accuracy")
    assert build(rows).model_metrics[0].drives == (("m1", "lowers"),)
    assert not [i for i in validate_chain(build(rows), TODAY) if i.rule == "effect-against-direction"]


def test_a_model_metric_is_left_unlinked_when_the_target_is_ambiguous() -> None:
    rows, _ = insert_template({}, "metric:revenue")
    rows, _ = insert_template(rows, "metric:conversion-rate")
    rows, note = insert_template(rows, "model:precision")
    assert build(rows).model_metrics[0].drives == ()
    assert "Pick the business metric it drives" in note


def test_inserting_keeps_edits_drops_blank_rows_and_never_reuses_ids() -> None:
    start: dict[str, Any] = {
        "goals": [{"id": "g1", "name": "Mine", "tangible": True}, {"id": None, "name": None}],
        "business_metrics": [{"id": None, "name": "Typed in, no id yet"}],
    }
    rows, _ = insert_template(start, "goal:save-water")
    assert [row["id"] for row in rows["goals"]] == ["g1", "g2"]
    assert rows["business_metrics"][0]["id"] == "m1"
    assert set(rows) == set(PARTS)


# --- deadlines --------------------------------------------------------------------------------


def test_a_past_decision_deadline_typed_in_is_caught_but_a_saved_one_is_not() -> None:
    saved = example_metrics().chains[RAIN_FORECAST]
    assert newly_past_deadlines(saved, saved, date(2030, 1, 1)) == []
    draft = dataclasses.replace(saved, decision_deadline=date(2020, 1, 1))
    (message,) = newly_past_deadlines(saved, draft, TODAY)
    assert message == "The decision deadline 2020-01-01 lies in the past; choose 2027-02-01 or later."
    assert newly_past_deadlines(None, draft, TODAY) == [message]


def test_a_past_metric_deadline_typed_in_is_caught_by_metric_id() -> None:
    saved = MetricChain(business_metrics=(BusinessMetric("m1", "Revenue", deadline=date(2026, 1, 1)),))
    renamed = MetricChain(business_metrics=(BusinessMetric("m1", "Sales", deadline=date(2026, 1, 1)),))
    assert newly_past_deadlines(saved, renamed, TODAY) == []
    moved = MetricChain(business_metrics=(BusinessMetric("m1", "x" * 100, deadline=date(2025, 1, 1)),))
    (message,) = newly_past_deadlines(saved, moved, TODAY)
    assert message.startswith("The deadline of '" + "x" * 59 + "…' (2025-01-01) lies in the past")
    assert newly_past_deadlines(saved, MetricChain(), TODAY) == []


# --- running cost from the resource plan ------------------------------------------------------


def test_the_candidates_resource_scenario_offers_its_monthly_device_cost() -> None:
    offered = running_cost_from_resources({"resources": example_resources().to_document()}, EXAMPLE_CANDIDATE)
    assert offered is not None
    assert offered.scenario == "CPU nowcast service"
    # 8,000 / 48 months + 0.3 kW x 1.4 x 730 h x $0.15 + $150 hosting = 166.67 + 45.99 + 150
    assert offered.monthly_usd == pytest.approx(8_000 / 48 + 0.3 * 1.4 * 730 * 0.15 + 150)
    assert offered.basis == "owning the devices"


def test_no_running_cost_is_offered_without_a_usable_scenario_for_the_candidate() -> None:
    section = example_resources()
    assert running_cost_from_resources({}, EXAMPLE_CANDIDATE) is None
    assert running_cost_from_resources({"resources": {"broken": True}}, EXAMPLE_CANDIDATE) is None
    # another candidate's scenario is never this one's running cost
    assert running_cost_from_resources({"resources": section.to_document()}, "film-backgrounds") is None
    gpu = section.choose("Same model on a GPU")  # no buy-versus-cloud inputs
    assert running_cost_from_resources({"resources": gpu.to_document()}, EXAMPLE_CANDIDATE) is None
