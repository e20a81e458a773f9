"""Chain elements: construction-time validation, templates and fresh ids."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from core.metrics import (
    BUSINESS_METRIC_TEMPLATES,
    GOAL_TEMPLATES,
    MODEL_METRIC_TEMPLATES,
    BusinessGoal,
    BusinessMetric,
    Label,
    MetricChain,
    Milestone,
    ModelMetric,
    business_metric_from_template,
    fresh_id,
    goal_from_template,
    model_metric_from_template,
)


def metric(**changes: object) -> BusinessMetric:
    fields: dict[str, object] = {"id": "m1", "name": "Revenue"}
    fields.update(changes)
    return BusinessMetric(**fields)  # type: ignore[arg-type]


# --- names and ids ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "1 to 200 characters; got 0"),
        ("   \n\t", "1 to 200 characters; got 0"),
        ("x" * 201, "got 201"),
        ("x" * 10_000, "got 10000"),
        (None, "must be text"),
        (42, "must be text"),
    ],
)
def test_metric_name_outside_1_to_200_characters_is_rejected(name: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        metric(name=name)


@pytest.mark.parametrize("name", ["R", "x" * 200, "  " + "x" * 200 + "  ", '"];evil[ <b>\\'])
def test_metric_name_within_limits_is_stored_verbatim(name: str) -> None:
    assert metric(name=name).name == name


@pytest.mark.parametrize("bad_id", ["", "a b", "-m1", "m.1", "m1\n", "x" * 65, 7, None, "é"])
def test_element_id_outside_plain_alphabet_is_rejected(bad_id: object) -> None:
    with pytest.raises(ValueError, match="Metric id must be 1 to 64 letters"):
        metric(id=bad_id)


@pytest.mark.parametrize("good_id", ["m1", "M_2", "9-x", "x" * 64])
def test_element_id_in_plain_alphabet_is_accepted(good_id: str) -> None:
    assert metric(id=good_id).id == good_id


# --- business metrics -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"direction": "up"}, "direction must be one of 'higher', 'lower'"),
        ({"cadence": "yearly"}, "cadence must be one of"),
        ({"baseline": math.nan}, "baseline must be a finite number"),
        ({"baseline": math.inf}, "baseline must be a finite number"),
        ({"target": -math.inf}, "target must be a finite number"),
        ({"target": "12"}, "target must be a number"),
        ({"baseline": True}, "baseline must be a number"),
        ({"target": 10**400}, "integer too large"),
        ({"deadline": "2027-01-01"}, "deadline must be a calendar date"),
        ({"deadline": datetime(2027, 1, 1, 9, 30)}, "deadline must be a calendar date"),
        ({"owner": "o" * 201}, "owner must have at most 200 characters"),
        ({"definition": "d" * 2001}, "definition must have at most 2000"),
        ({"goal_ids": ("g1", "bad id")}, "Goal id linked to a metric"),
        ({"goal_ids": ("g1", "g1")}, "share the id 'g1'"),
        ({"goal_ids": "g1"}, "must be a list"),
    ],
)
def test_business_metric_rejects_bad_field(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        metric(**changes)


def test_business_metric_stores_numbers_as_float_and_links_as_tuple() -> None:
    built = metric(baseline=10, target=12, goal_ids=["g1", "g2"])
    assert (built.baseline, built.target, built.goal_ids) == (10.0, 12.0, ("g1", "g2"))
    assert isinstance(built.baseline, float)


def test_business_metric_accepts_an_empty_draft() -> None:
    # Missing fields are validation issues, not construction errors, so a draft can be saved.
    built = metric()
    assert (built.baseline, built.target, built.deadline, built.owner) == (None, None, None, "")


# --- model metrics, labels, milestones --------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"minimum": 80.0, "value_min": 0.0, "value_max": 1.0}, "must lie between 0 and 1; got 80"),
        ({"target": -0.1, "value_min": 0.0, "value_max": 1.0}, "must lie between 0 and 1; got -0.1"),
        ({"target": -1.0, "value_min": 0.0}, "must lie between 0 and \\+inf"),
        ({"value_min": 1.0, "value_max": 0.0}, "must not exceed the highest"),
        ({"minimum": math.nan}, "Minimum acceptable value must be a finite number"),
        ({"drives": (("m1", "improves"),)}, "Expected effect must be one of 'raises', 'lowers'"),
        ({"drives": (("m1",),)}, "must be a pair"),
        ({"drives": ("m1",)}, "must be a pair"),
        ({"drives": (("m1", "raises"), ("m1", "lowers"))}, "share the id 'm1'"),
        ({"direction": "best"}, "direction must be one of"),
    ],
)
def test_model_metric_rejects_bad_field(changes: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"id": "mm1", "name": "Precision"}
    fields.update(changes)
    with pytest.raises(ValueError, match=message):
        ModelMetric(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [0.0, 0.5, 1.0])
def test_model_metric_accepts_values_on_the_range_edges(value: float) -> None:
    built = ModelMetric("mm1", "Recall", minimum=value, target=value, value_min=0.0, value_max=1.0)
    assert built.minimum == value


def test_model_metric_links_become_tuples() -> None:
    built = ModelMetric("mm1", "Recall", drives=[["m1", "raises"]])  # type: ignore[arg-type]  # lists, as JSON has them
    assert built.drives == (("m1", "raises"),)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"observable_after_days": -1}, "at least 0"),
        ({"observable_after_days": math.nan}, "finite number"),
        ({"observable_after_days": math.inf}, "finite number"),
        ({"what": ""}, "What the label is must have 1 to 200"),
        ({"attributed_to": "m 1"}, "attributed to must be 1 to 64"),
    ],
)
def test_label_rejects_bad_field(changes: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"what": "Rain within 15 minutes"}
    fields.update(changes)
    with pytest.raises(ValueError, match=message):
        Label(**fields)  # type: ignore[arg-type]


def test_label_accepts_fractional_days() -> None:
    assert Label("Rain within 15 minutes", observable_after_days=15 / 1440).observable_after_days > 0


@pytest.mark.parametrize(
    ("name", "when", "message"),
    [
        ("beta", date(2027, 1, 1), "Milestone must be one of 'pilot', 'A/B test', 'launch', 'other'"),
        ("pilot", None, "Milestone date must be a calendar date"),
        ("pilot", datetime(2027, 1, 1), "Milestone date must be a calendar date"),
    ],
)
def test_milestone_rejects_bad_field(name: str, when: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Milestone("ms1", name, when)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"goals": (BusinessGoal("g1", "A", True), BusinessGoal("g1", "B", False))}, "Two goals share the id 'g1'"),
        ({"business_metrics": (BusinessMetric("m1", "A"), BusinessMetric("m1", "B"))}, "business metrics share"),
        ({"goals": (BusinessMetric("m1", "A"),)}, "Goals must hold BusinessGoal values"),
        ({"label": "rain"}, "The label must be a Label"),
        ({"decision_deadline": "2027-01-01"}, "Decision deadline must be a calendar date"),
        ({"milestones": None}, "Milestones must be a list"),
    ],
)
def test_chain_rejects_bad_parts(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MetricChain(**changes)  # type: ignore[arg-type]


def test_chain_allows_the_same_id_in_different_parts() -> None:
    chain = MetricChain(goals=(BusinessGoal("x1", "Goal", True),), business_metrics=(BusinessMetric("x1", "M"),))
    assert chain.element_ids() == {"x1"}


def test_goal_rejects_non_boolean_tangible() -> None:
    with pytest.raises(ValueError, match="true or false"):
        BusinessGoal("g1", "Save water", "yes")  # type: ignore[arg-type]


# --- fresh ids and templates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "taken", "expected"),
    [("m", [], "m1"), ("m", ["m1"], "m2"), ("m", ["m1", "m3"], "m2"), ("mm", ["m1", "mm1"], "mm2")],
)
def test_fresh_id_takes_the_first_free_number(prefix: str, taken: list[str], expected: str) -> None:
    assert fresh_id(prefix, taken) == expected


@pytest.mark.parametrize(
    ("key", "goal_key"),
    [
        ("time-customers-spend", "customer-satisfaction"),
        ("revenue", "employee-performance"),
        ("click-through-rate", "targeted-marketing"),
        ("customer-lifetime-value", "long-term-loyalty"),
        ("conversion-rate", "website-experience"),
    ],
)
def test_guide_metric_templates_prove_the_guides_intangible_goal(key: str, goal_key: str) -> None:
    template = BUSINESS_METRIC_TEMPLATES[key]
    assert template.proves_goal == goal_key
    assert GOAL_TEMPLATES[goal_key].tangible is False
    assert template.definition and template.unit


@pytest.mark.parametrize(
    "key", ["customer-satisfaction", "employee-performance", "shareholder-outlook", "long-term-loyalty"]
)
def test_guide_intangible_goal_templates_exist(key: str) -> None:
    assert GOAL_TEMPLATES[key].tangible is False


def test_goal_templates_include_tangible_examples() -> None:
    assert any(template.tangible for template in GOAL_TEMPLATES.values())


def test_every_business_template_names_a_known_goal() -> None:
    for template in BUSINESS_METRIC_TEMPLATES.values():
        assert template.proves_goal is None or template.proves_goal in GOAL_TEMPLATES


@pytest.mark.parametrize(
    "key", ["accuracy", "precision", "recall", "f1", "roc-auc", "pr-auc", "mae", "rmse", "mape", "latency-p95"]
)
def test_model_metric_template_instantiates_with_its_range(key: str) -> None:
    template = MODEL_METRIC_TEMPLATES[key]
    built = model_metric_from_template(key, ["mm1"], drives=[("m1", "raises")])
    assert built.id == "mm2"
    assert (built.name, built.direction, built.value_min, built.value_max) == (
        template.name,
        template.direction,
        template.value_min,
        template.value_max,
    )
    assert built.definition and built.unit


def test_goal_and_business_metric_templates_instantiate_with_fresh_ids() -> None:
    goal = goal_from_template("customer-satisfaction", ["g1"])
    built = business_metric_from_template("revenue", ["m1", "m2"], goal_ids=[goal.id])
    assert (goal.id, goal.tangible, built.id, built.goal_ids, built.baseline) == ("g2", False, "m3", ("g2",), None)


@pytest.mark.parametrize(
    "make",
    [
        lambda: goal_from_template("happiness", []),
        lambda: business_metric_from_template("profit", []),
        lambda: model_metric_from_template("bleu", []),
    ],
)
def test_unknown_template_key_is_rejected_with_the_choices(make: object) -> None:
    with pytest.raises(ValueError, match=r"Unknown .* template .*; choose one of"):
        make()  # type: ignore[operator]
