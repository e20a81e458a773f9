"""Data and labelling cost, and a scenario's cost in all: one-off and monthly lines of the sections it has."""

from __future__ import annotations

import math

import pytest

from core.resources.labelling import HOURS_PER_FTE_MONTH, LabellingInputs, annotator_fte, labelling_cost_usd
from core.resources.team import LABELLING_ROLE, PHASES, TeamInputs, TeamRules, plan_team
from core.resources.total import CostLine, ProjectCost, joined, payback_months, project_cost

ANNOTATOR_USD_PER_FTE_MONTH = 4_000.0


@pytest.mark.parametrize(
    ("inputs", "cost_usd"),
    [
        (LabellingInputs(items=50_000, seconds_per_item=36), 50_000 * 36 / 3600 * 4_000 / 160),  # 500 h = $12,500
        (LabellingInputs(items=50_000, seconds_per_item=36, usd_per_item=0.08), 4_000.0),  # the vendor's price
        (LabellingInputs(items=1, seconds_per_item=0), 0.0),  # labels come with the data
    ],
)
def test_labelling_costs_the_vendor_price_or_the_annotator_hours(inputs: LabellingInputs, cost_usd: float) -> None:
    assert labelling_cost_usd(inputs, ANNOTATOR_USD_PER_FTE_MONTH) == pytest.approx(cost_usd)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"items": 0}, "Items to label must be above 0"),
        ({"items": math.nan}, "Items to label must be a finite number"),
        ({"items": 10, "seconds_per_item": -1}, "Seconds per item must be 0 or more"),
        ({"items": 10, "usd_per_item": "cheap"}, "Price per item \\(USD\\) must be a number"),
        ({"items": 10, "usd_per_item": -0.5}, "Price per item \\(USD\\) must be 0 or more"),
    ],
)
def test_bad_labelling_inputs_say_what_to_fix(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LabellingInputs(**kwargs)  # type: ignore[arg-type]


def test_in_house_annotators_follow_from_the_hours_over_the_data_phase() -> None:
    labels = LabellingInputs(items=96_000, seconds_per_item=30)  # 800 hours
    assert annotator_fte(labels, data_months=2) == pytest.approx(800 / HOURS_PER_FTE_MONTH / 2)  # 2.5 FTE
    team = plan_team(TeamInputs(data_months=2), labelling=labels)
    (row,) = [r for r in team.rows if r.phase == PHASES[0] and r.role == LABELLING_ROLE]
    assert row.fte == pytest.approx(2.5) and row.cost_usd == pytest.approx(800 / 160 * 4_000)


def test_a_vendor_takes_the_annotators_out_of_the_data_phase() -> None:
    team = plan_team(TeamInputs(), labelling=LabellingInputs(items=10_000, usd_per_item=0.1))
    assert not [r for r in team.rows if r.phase == PHASES[0] and r.role == LABELLING_ROLE]
    assert [r for r in team.rows if r.phase == PHASES[1] and r.role == LABELLING_ROLE], "error analysis stays"


def test_labelling_in_house_needs_a_data_phase() -> None:
    with pytest.raises(ValueError, match="needs a data collection & labelling phase"):
        plan_team(TeamInputs(data_months=0), labelling=LabellingInputs(items=100))


def test_the_total_counts_only_the_sections_the_scenario_has() -> None:
    cost = project_cost(training_usd=None, labelling_usd=None, serving_usd_per_month=250.0, team=None)
    assert cost.one_off == () and cost.monthly == (CostLine("Serving", 250.0, "at the average rate"),)
    assert cost.not_set_up == ("training", "labelling", "team")
    assert joined(cost.one_off) == "none set up"


def test_the_labelling_line_replaces_the_annotators_in_the_build_cost_not_adds_to_them() -> None:
    labels = LabellingInputs(items=96_000, seconds_per_item=30)
    team = plan_team(TeamInputs(data_months=2), TeamRules(), labels)
    labelling_usd = labelling_cost_usd(labels, TeamRules().cost_usd_per_fte_month(LABELLING_ROLE))
    cost = project_cost(
        training_usd=100.0,
        labelling_usd=labelling_usd,
        serving_usd_per_month=None,
        team=team,
        monitoring_months=6.0,
    )
    build = next(line for line in cost.one_off if line.label == "Building the model")
    build_phases = sum(r.cost_usd for r in team.rows if r.phase in PHASES[:3])
    assert build.usd == pytest.approx(build_phases - labelling_usd)
    running = next(line for line in cost.monthly if line.label == "Running it")
    assert running.usd == pytest.approx(sum(r.cost_usd for r in team.rows if r.phase == PHASES[3]) / 6.0)
    assert cost.one_off_usd == pytest.approx(100.0 + labelling_usd + build.usd)


@pytest.mark.parametrize(
    ("one_off", "monthly", "value", "months"),
    [
        (120_000.0, 10_000.0, 30_000.0, 6.0),
        (0.0, 10_000.0, 30_000.0, 0.0),
        (120_000.0, 10_000.0, 10_000.0, None),  # the value only pays the running cost
        (120_000.0, 10_000.0, -5_000.0, None),  # worse than the baseline
    ],
)
def test_payback_is_the_one_off_over_what_the_value_leaves_each_month(
    one_off: float, monthly: float, value: float, months: float | None
) -> None:
    assert payback_months(one_off, monthly, value) == (pytest.approx(months) if months is not None else None)


def test_project_cost_sums_its_lines() -> None:
    cost = ProjectCost((CostLine("a", 1.5), CostLine("b", 2.0)), (CostLine("c", 4.0),), ())
    assert (cost.one_off_usd, cost.monthly_usd) == (3.5, 4.0)
