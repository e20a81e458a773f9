"""Team plan: FTE per phase and role from rules of thumb, totals, cost and the tooling note."""

from __future__ import annotations

import pytest

from core.resources.team import (
    DEFAULT_LOADED_COST_USD_PER_FTE_MONTH,
    PHASES,
    ROLES,
    TeamInputs,
    TeamRules,
    describe_team,
    plan_team,
    role_fte,
)

FLAT_COSTS = tuple((role, 4_000.0 if role == "labelling/annotation" else 10_000.0) for role in ROLES)
SMALL_RULES = TeamRules(
    base_fte=(
        ("data collection & labelling", "labelling/annotation", 2.0),
        ("modelling", "ML engineer", 1.0),
        ("modelling", "data scientist", 0.5),
        ("deployment & MLOps", "MLOps engineer", 1.0),
    ),
    loaded_cost_usd_per_fte_month=FLAT_COSTS,
)
BIG_PROJECT = TeamInputs(
    labelling="heavy",
    model_complexity="complex",
    serving_scale="high-traffic",
    data_months=2,
    modelling_months=3,
    deployment_months=1,
    monitoring_months=0,
)


def test_fte_months_and_cost_by_hand():
    # annotators 2 x 3 (heavy) = 6 FTE x 2 months = 12 FTE-months x $4,000 = $48,000
    # ML engineer 1 x 2 (complex) = 2 FTE x 3 months = 6 x $10,000 = $60,000
    # data scientist 0.5 x 2 = 1 FTE x 3 months = 3 x $10,000 = $30,000
    # MLOps engineer 1 x 2 (high traffic) = 2 FTE x 1 month = 2 x $10,000 = $20,000
    # total 23 FTE-months, $158,000
    plan = plan_team(BIG_PROJECT, SMALL_RULES)
    assert plan.total_fte_months == pytest.approx(23)
    assert plan.total_cost_usd == pytest.approx(158_000)
    assert len(plan.rows) == 4


def test_peak_counts_by_hand():
    # data phase 6 FTE (annotators), modelling 3, deployment 2, monitoring 0
    plan = plan_team(BIG_PROJECT, SMALL_RULES)
    assert dict(plan.fte_by_phase) == pytest.approx(
        {"data collection & labelling": 6, "modelling": 3, "deployment & MLOps": 2, "monitoring": 0}
    )
    assert plan.peak_fte == pytest.approx(6)
    assert plan.peak_engineering_fte == pytest.approx(3)  # annotators are not engineers


def test_three_engineers_is_a_small_team_that_should_use_managed_services():
    plan = plan_team(BIG_PROJECT, SMALL_RULES)
    assert plan.team_size == "small"
    assert "managed services" in plan.tooling_note


def test_default_rules_for_a_complex_high_traffic_project_give_a_mid_sized_team():
    # modelling phase: data engineer 0.5 + ML engineer 1 x 2 + data scientist 1 x 2 + MLOps 0.25 x 2 = 5 FTE
    plan = plan_team(TeamInputs(model_complexity="complex", serving_scale="high-traffic"))
    assert plan.peak_engineering_fte == pytest.approx(5)
    assert plan.team_size == "mid-sized"


def test_large_team_note_mentions_a_platform_team():
    rules = TeamRules(small_team_max_fte=1, large_team_min_fte=2)
    plan = plan_team(TeamInputs(), rules)
    assert plan.team_size == "large"
    assert "platform team" in plan.tooling_note


def test_default_reference_project_totals():
    # The reference project (moderate, online, light) over 3 + 4 + 2 + 6 months: the FTE-months of
    # DEFAULT_BASE_FTE weighted by phase length: 3 x 4.0 + 4 x 3.5 + 2 x 2.75 + 6 x 1.6 = 41.1
    plan = plan_team(TeamInputs())
    assert plan.total_fte_months == pytest.approx(41.1)


def test_no_labelling_drops_annotators():
    plan = plan_team(TeamInputs(labelling="none"))
    assert all(row.role != "labelling/annotation" for row in plan.rows)


def test_zero_month_phase_has_no_rows():
    plan = plan_team(TeamInputs(monitoring_months=0))
    assert all(row.phase != "monitoring" for row in plan.rows)


@pytest.mark.parametrize(("complexity", "expected"), [("simple", 0.5), ("moderate", 1.0), ("complex", 2.0)])
def test_model_complexity_scales_modelling_roles(complexity, expected):
    inputs = TeamInputs(model_complexity=complexity)
    assert role_fte(inputs, TeamRules(), "modelling", "ML engineer") == pytest.approx(expected)


@pytest.mark.parametrize(("scale", "expected"), [("batch", 0.5), ("online", 1.0), ("high-traffic", 2.0)])
def test_serving_scale_scales_mlops(scale, expected):
    inputs = TeamInputs(serving_scale=scale)
    assert role_fte(inputs, TeamRules(), "deployment & MLOps", "MLOps engineer") == pytest.approx(expected)


def test_loaded_costs_derive_from_bls_medians():
    # software developers $133,080 / 12 x (44.40 / 31.25) = $15,756 -> $15,800
    # data scientists $112,590 / 12 x 1.4208 = $13,331 -> $13,300
    costs = dict(DEFAULT_LOADED_COST_USD_PER_FTE_MONTH)
    assert costs["ML engineer"] == 15_800
    assert costs["data scientist"] == 13_300


def test_plan_says_its_numbers_are_rules_of_thumb():
    plan = plan_team(TeamInputs())
    assert "rules of thumb" in plan.assumptions[0]
    assert "rules of thumb" in (TeamRules.__doc__ or "").lower()


def test_every_phase_and_role_has_a_default_rule():
    rules = TeamRules()
    assert {p for p, _, _ in rules.base_fte} == set(PHASES)
    assert {r for _, r, _ in rules.base_fte} == set(ROLES)


def test_describe_team_sentence():
    assert describe_team(plan_team(BIG_PROJECT, SMALL_RULES)) == (
        "23.0 FTE-months costing about $158,000, at most 6.0 FTE at once."
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"labelling": "lots"},
        {"model_complexity": "huge"},
        {"serving_scale": "web"},
        {"data_months": -1},
        {"modelling_months": float("nan")},
        {"data_months": 0, "modelling_months": 0, "deployment_months": 0, "monitoring_months": 0},
        {"monitoring_months": 500},
    ],
)
def test_bad_team_inputs_are_rejected(kwargs):
    with pytest.raises(ValueError):
        TeamInputs(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_fte": (("modelling", "wizard", 1.0),)},
        {"base_fte": (("testing", "ML engineer", 1.0),)},
        {"base_fte": (("modelling", "ML engineer", -1.0),)},
        {"base_fte": (("modelling", "ML engineer", 1.0), ("modelling", "ML engineer", 2.0))},
        {"base_fte": (("modelling", "ML engineer"),)},
        {"loaded_cost_usd_per_fte_month": (("ML engineer", 10_000.0),)},  # other roles missing
        {"complexity_multipliers": (("simple", 0.5), ("moderate", 1.0))},
        {"serving_multipliers": (("batch", -1.0), ("online", 1.0), ("high-traffic", 2.0))},
        {"small_team_max_fte": 8, "large_team_min_fte": 3},
    ],
)
def test_bad_rules_are_rejected(kwargs):
    with pytest.raises(ValueError):
        TeamRules(**kwargs)
