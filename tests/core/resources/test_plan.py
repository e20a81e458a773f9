"""Saved resource scenarios: validation, exact document round trip, comparison table, the example."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.resources.costs import BuyVersusCloud
from core.resources.labelling import LabellingInputs
from core.resources.plan import (
    MAX_SCENARIOS,
    ResourcePlan,
    ResourcesSection,
    ScenarioSummary,
    TrainingInputs,
    compare_scenarios,
    example_resources,
)
from core.resources.serving import ServingDemand
from core.resources.sites import SiteDeployment
from core.resources.team import COMPLEXITY_LEVELS, LABELLING_LEVELS, SERVING_SCALES, TeamInputs, TeamRules
from core.resources.training import PricingMultipliers, UtilisationBand
from core.resources.vocabulary import MODES, OPTIMIZERS, PRECISIONS
from core.text import has_visible_text

BASIC = ResourcePlan(name="Llama on H100", model_key="llama-3.1-8b", device_key="h100-sxm")


def roundtrip(section: ResourcesSection) -> ResourcesSection:
    return ResourcesSection.from_document(json.loads(json.dumps(section.to_document(), allow_nan=False)))


# --- round trip -----------------------------------------------------------------


def test_example_round_trips_through_json():
    section = example_resources()
    assert roundtrip(section) == section


def test_empty_section_round_trips():
    assert roundtrip(ResourcesSection()) == ResourcesSection()


def test_custom_team_rules_round_trip():
    rules = TeamRules(small_team_max_fte=2, large_team_min_fte=10)
    section = ResourcesSection(scenarios=(replace(BASIC, team=TeamInputs(), team_rules=rules),))
    assert roundtrip(section) == section


finite: dict[str, Any] = {"allow_nan": False, "allow_infinity": False}


@st.composite
def serving_demands(draw) -> ServingDemand:
    peak = draw(st.floats(min_value=1e-3, max_value=1e9, **finite))
    return ServingDemand(
        peak_requests_per_s=peak,
        average_requests_per_s=peak * draw(st.floats(min_value=1e-3, max_value=1, **finite)),
        latency_target_p95_s=draw(st.floats(min_value=1e-3, max_value=3600, **finite)),
        samples_per_request=draw(st.floats(min_value=1, max_value=1000, **finite)),
        headroom=draw(st.floats(min_value=0, max_value=3, **finite)),
        prompt_tokens=draw(st.none() | st.integers(1, 100_000)),
        output_tokens=draw(st.none() | st.integers(1, 100_000)),
    )


@st.composite
def training_inputs(draw) -> TrainingInputs:
    in_tokens = draw(st.booleans())
    low, expected, high = sorted(draw(st.lists(st.floats(0.01, 1, **finite), min_size=3, max_size=3)))
    return TrainingInputs(
        dataset_tokens=draw(st.floats(1, 1e15, **finite)) if in_tokens else None,
        dataset_samples=None if in_tokens else draw(st.floats(1, 1e12, **finite)),
        epochs=draw(st.floats(0.1, 100, **finite)),
        flops_per_sample=None if in_tokens else draw(st.none() | st.floats(1, 1e15, **finite)),
        utilisation=UtilisationBand(low, expected, high),
        scaling_efficiency_per_doubling=draw(st.floats(0.5, 1, **finite)),
        price_usd_per_device_hour=draw(st.none() | st.floats(0, 100, **finite)),
        pricing=PricingMultipliers(draw(st.floats(0, 1, **finite)), draw(st.floats(0, 1, **finite))),
        device_key=draw(st.none() | st.sampled_from(["a100-80gb-sxm", "cpu-xeon-6338", "jetson-agx-orin-64gb"])),
        devices=draw(st.none() | st.integers(1, 100_000)),
    )


buy_vs_cloud = st.builds(
    BuyVersusCloud,
    purchase_price_usd_per_device=st.floats(1, 1e6, **finite),
    devices=st.integers(1, 1000),
    tdp_w=st.floats(1, 2000, **finite),
    electricity_usd_per_kwh=st.floats(0, 1, **finite),
    hosting_usd_per_month=st.floats(0, 1e5, **finite),
    amortisation_years=st.floats(0.5, 10, **finite),
    cloud_price_usd_per_device_hour=st.floats(0.01, 100, **finite),
    utilisation=st.floats(0, 1, **finite),
    pue=st.floats(1, 3, **finite),
    idle_power_fraction=st.floats(0, 1, **finite),
)
team_inputs = st.builds(
    TeamInputs,
    labelling=st.sampled_from(LABELLING_LEVELS),
    model_complexity=st.sampled_from(COMPLEXITY_LEVELS),
    serving_scale=st.sampled_from(SERVING_SCALES),
    data_months=st.floats(0.5, 24, **finite),
    modelling_months=st.floats(0, 24, **finite),
    deployment_months=st.floats(0, 24, **finite),
    monitoring_months=st.floats(0, 24, **finite),
)
labelling_inputs = st.builds(
    LabellingInputs,
    items=st.floats(1, 1e9, **finite),
    seconds_per_item=st.floats(0, 3600, **finite),
    usd_per_item=st.none() | st.floats(0, 100, **finite),
)
site_deployments = st.builds(
    SiteDeployment,
    sites=st.integers(1, 100_000),
    devices_per_site=st.integers(1, 100),
    device_price_usd=st.none() | st.floats(0, 1e6, **finite),
    power_w_per_device=st.none() | st.floats(0, 5_000, **finite),
    electricity_usd_per_kwh=st.floats(0, 1, **finite),
    amortisation_years=st.floats(0.5, 20, **finite),
    powered_share=st.floats(0, 1, **finite),
)
keys = st.from_regex(r"[a-z0-9][a-z0-9.\-]{0,20}", fullmatch=True)
names = st.text(min_size=1, max_size=80).map(str.strip).filter(has_visible_text)


@st.composite
def resource_plans(draw, name: str) -> ResourcePlan:
    mode = draw(st.sampled_from(MODES))
    use_key = draw(st.booleans())
    return ResourcePlan(
        name=name,
        model_key=draw(keys) if use_key else None,
        custom_params=None if use_key else draw(st.floats(1, 1e12, **finite)),
        mode=mode,
        precision=draw(st.sampled_from(PRECISIONS)),
        optimizer=draw(st.sampled_from(OPTIMIZERS)),
        batch=draw(st.integers(1, 4096)),
        seq=draw(st.none() | st.integers(1, 131_072)),
        prompt_tokens=draw(st.none() | st.integers(1, 131_072)),
        new_tokens=draw(st.none() | st.integers(1, 131_072)),
        image_size=draw(st.none() | st.integers(8, 4096)),
        grad_checkpointing=draw(st.booleans()),
        lora_rank=draw(st.none() | st.integers(1, 256)) if mode == "lora" else None,
        device_key=draw(st.none() | keys),
        devices=draw(st.integers(1, 4096)),
        serving=draw(st.none() | serving_demands()),
        training=draw(st.none() | training_inputs()),
        buy_vs_cloud=draw(st.none() | buy_vs_cloud),
        team=draw(st.none() | team_inputs),
        team_rules=draw(st.none() | st.just(TeamRules())),
        labelling=draw(st.none() | labelling_inputs),
        sites=draw(st.none() | site_deployments),
        notes=draw(st.text(max_size=200)),
        candidate_id=draw(st.none() | st.sampled_from(["c1", "c2", "shelf-detection"])),
    )


@st.composite
def sections(draw) -> ResourcesSection:
    scenario_names = draw(st.lists(names, max_size=4, unique=True))
    plans = tuple(draw(resource_plans(n)) for n in scenario_names)
    chosen = draw(st.none() | st.sampled_from(scenario_names)) if scenario_names else None
    section = ResourcesSection(scenarios=plans, chosen=chosen)
    for plan in plans:
        if plan.candidate_id is not None and draw(st.booleans()):
            section = section.choose(plan.name)
    return section


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(sections())
def test_any_section_round_trips_exactly(section):
    assert roundtrip(section) == section


# --- malformed documents ------------------------------------------------------------


def good_document() -> dict:
    return json.loads(json.dumps(example_resources().to_document()))


def _set(path: list, value):
    def mutate(doc: dict) -> dict:
        target = doc
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        return doc

    return mutate


def _delete(path: list):
    def mutate(doc: dict) -> dict:
        target = doc
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]
        return doc

    return mutate


@pytest.mark.parametrize(
    "mutate",
    [
        _set(["schema_version"], 2),
        _set(["schema_version"], "1"),
        _delete(["schema_version"]),
        _set(["surprise"], 1),
        _set(["chosen"], "no such scenario"),
        _set(["chosen"], 3),
        _set(["scenarios"], {"a": 1}),
        _set(["scenarios", 0, "batch"], "8"),
        _set(["scenarios", 0, "batch"], 0),
        _set(["scenarios", 0, "batch"], True),
        _set(["scenarios", 0, "grad_checkpointing"], "yes"),
        _set(["scenarios", 0, "mode"], "serve-ish"),
        _set(["scenarios", 0, "name"], ""),
        _set(["scenarios", 0, "name"], "x" * 81),
        _set(["scenarios", 0, "colour"], "red"),
        _delete(["scenarios", 0, "name"]),
        _set(["scenarios", 0, "serving", "peak_requests_per_s"], 0),
        _set(["scenarios", 0, "serving", "peak_requests_per_s"], float("nan")),
        _set(["scenarios", 0, "serving", "latency_target_p95_s"], 0),
        _set(["scenarios", 0, "serving"], [1, 2]),
        _set(["scenarios", 0, "buy_vs_cloud", "cloud_price_usd_per_device_hour"], -1),
        _set(["scenarios", 0, "training", "utilisation", "low"], 0.9),
        _set(["scenarios", 0, "team", "labelling"], "lots"),
        _set(["scenarios", 1, "name"], "CPU nowcast service"),  # duplicate name
    ],
)
def test_malformed_documents_are_rejected(mutate):
    with pytest.raises(ValueError):
        ResourcesSection.from_document(mutate(good_document()))


@pytest.mark.parametrize("document", [None, [], "text", 3])
def test_non_object_documents_are_rejected(document):
    with pytest.raises(ValueError):
        ResourcesSection.from_document(document)


def test_error_names_the_bad_field():
    doc = _set(["scenarios", 0, "serving", "peak_requests_per_s"], 0)(good_document())
    with pytest.raises(ValueError, match=r"scenarios\[0\]\.serving: Peak requests per second must be above 0"):
        ResourcesSection.from_document(doc)


def test_missing_optional_fields_take_defaults():
    doc = {"schema_version": 1, "chosen": None, "scenarios": [{"name": "x", "custom_params": 1000}]}
    section = ResourcesSection.from_document(doc)
    assert section.scenarios[0].batch == 1
    assert section.scenarios[0].serving is None


# --- section rules ----------------------------------------------------------------------


def test_at_most_twelve_scenarios():
    plans = tuple(replace(BASIC, name=f"s{i}") for i in range(MAX_SCENARIOS + 1))
    with pytest.raises(ValueError, match="at most 12 scenarios"):
        ResourcesSection(scenarios=plans)


def test_twelve_scenarios_are_allowed():
    plans = tuple(replace(BASIC, name=f"s{i}") for i in range(MAX_SCENARIOS))
    assert len(ResourcesSection(scenarios=plans).scenarios) == 12


def test_names_are_unique():
    with pytest.raises(ValueError, match="different name"):
        ResourcesSection(scenarios=(BASIC, BASIC))


def test_with_scenario_replaces_a_scenario_of_the_same_name_in_place():
    section = example_resources()
    edited = replace(section.scenarios[0], batch=16)
    updated = section.with_scenario(edited)
    assert updated.names() == section.names()
    assert updated.scenarios[0].batch == 16


def test_with_scenario_appends_a_new_name():
    assert example_resources().with_scenario(BASIC).names()[-1] == "Llama on H100"


def test_thirteenth_scenario_is_refused_and_the_section_is_unchanged():
    section = ResourcesSection(scenarios=tuple(replace(BASIC, name=f"s{i}") for i in range(MAX_SCENARIOS)))
    with pytest.raises(ValueError):
        section.with_scenario(replace(BASIC, name="one too many"))
    assert len(section.scenarios) == 12


def test_removing_the_chosen_scenario_clears_the_choice():
    section = example_resources()
    assert section.without_scenario("CPU nowcast service").chosen is None


def test_choose_an_unknown_scenario_fails():
    with pytest.raises(ValueError):
        example_resources().choose("nope")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"model_key": None},  # neither model nor parameter count
        {"custom_params": 1e9},  # both
        {"model_key": "Llama 3"},  # not a catalogue key
        {"name": "   "},
        {"batch": 0},
        {"seq": 0},
        {"lora_rank": 8},  # inference mode
        {"precision": "fp64"},
        {"optimizer": "adam"},
        {"devices": 0},
        {"grad_checkpointing": 1},
        {"notes": "x" * 5001},
        {"serving": {"peak_requests_per_s": 1}},
    ],
)
def test_bad_resource_plan_is_rejected(kwargs):
    with pytest.raises(ValueError):
        replace(BASIC, **kwargs)


def test_lora_rank_is_fine_in_lora_mode():
    assert replace(BASIC, mode="lora", lora_rank=16).lora_rank == 16


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"dataset_tokens": 1e9, "dataset_samples": 1e6},
        {"dataset_tokens": 0},
        {"dataset_tokens": 1e9, "flops_per_sample": 1e9},
        {"dataset_samples": 1e6, "price_usd_per_device_hour": -1},
        {"dataset_samples": 1e6, "scaling_efficiency_per_doubling": 2},
    ],
)
def test_bad_training_inputs_are_rejected(kwargs):
    with pytest.raises(ValueError):
        TrainingInputs(**kwargs)


def test_training_inputs_build_a_job_with_catalogue_figures():
    job = TrainingInputs(dataset_tokens=1e10).to_job(
        params=1e9, devices=8, peak_flops_per_s=1e15, catalogue_price_usd_per_device_hour=2.5
    )
    assert job.price_usd_per_device_hour == 2.5
    assert job.total_flops == pytest.approx(6e19)


def test_a_device_without_a_price_gives_a_job_without_one():
    job = TrainingInputs(dataset_tokens=1e10).to_job(1e9, 8, 1e15, None)
    assert job.price_usd_per_device_hour is None and job.total_flops == pytest.approx(6e19)


def test_a_price_entered_outranks_the_catalogue_and_covers_its_absence():
    inputs = TrainingInputs(dataset_tokens=1e10, price_usd_per_device_hour=1.5)
    assert inputs.to_job(1e9, 8, 1e15, None).price_usd_per_device_hour == 1.5
    assert inputs.to_job(1e9, 8, 1e15, 9.0).price_usd_per_device_hour == 1.5


@pytest.mark.parametrize(
    ("device_key", "devices", "plan_device", "plan_devices", "trains_on"),
    [
        (None, None, "l4", 2, ("l4", 2)),  # saved before training had a device: the plan's
        ("a100-80gb-sxm", None, "cpu-xeon-6338", 3, ("a100-80gb-sxm", 3)),
        (None, 8, "h100-sxm", 1, ("h100-sxm", 8)),
        ("a100-80gb-sxm", 8, "cpu-xeon-6338", 200, ("a100-80gb-sxm", 8)),
    ],
)
def test_training_names_its_own_device_and_count_else_the_plans(
    device_key, devices, plan_device, plan_devices, trains_on
):
    training = TrainingInputs(dataset_tokens=1e9, device_key=device_key, devices=devices)
    plan = ResourcePlan(name="x", model_key="gpt2", device_key=plan_device, devices=plan_devices, training=training)
    assert (plan.training_device_key, plan.training_devices) == trains_on


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"device_key": "A100 80GB"}, "Training device key must be a catalogue key"),
        ({"device_key": ""}, "Training device key"),
        ({"devices": 0}, "Number of training devices"),
        ({"devices": 2.5}, "Number of training devices"),
    ],
)
def test_a_bad_training_device_is_refused_with_a_sentence(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TrainingInputs(dataset_tokens=1e9, **kwargs)


def test_a_plan_saved_before_training_had_a_device_loads_unchanged():
    document = ResourcesSection(
        scenarios=(ResourcePlan(name="old", model_key="gpt2", training=TrainingInputs(dataset_tokens=1e9)),)
    ).to_document()
    del document["scenarios"][0]["training"]["device_key"]
    del document["scenarios"][0]["training"]["devices"]
    training = ResourcesSection.from_document(document).scenarios[0].training
    assert training is not None and (training.device_key, training.devices) == (None, None)


def test_training_inputs_need_flops_per_sample_for_samples():
    with pytest.raises(ValueError, match="FLOPs per sample"):
        TrainingInputs(dataset_samples=1e6).to_job(1e9, 8, 1e15, 2.0, catalogue_flops_per_sample=None)


# --- comparison ----------------------------------------------------------------------------


A = ScenarioSummary(
    "A", memory_bytes=20e9, devices=1, monthly_serving_cost_usd=1_460, training_cost_usd=None, latency_p95_s=0.04
)
B = ScenarioSummary(
    "B", memory_bytes=80e9, devices=2, monthly_serving_cost_usd=900, training_cost_usd=5_000, latency_p95_s=0.2
)


def test_compare_builds_one_row_per_metric_with_a_column_per_scenario():
    rows = compare_scenarios([A, B])
    assert [r["metric"] for r in rows] == [
        "Memory per device",
        "Devices",
        "Monthly serving cost",
        "Training cost",
        "p95 latency",
    ]
    memory = rows[0]
    assert memory["unit"] == "GB (10^9 bytes)"
    assert (memory["A"], memory["B"]) == (20.0, 80.0)


def test_compare_marks_the_lowest_value_as_best():
    rows = {r["metric"]: r for r in compare_scenarios([A, B])}
    assert rows["Memory per device"]["best"] == "A"
    assert rows["Monthly serving cost"]["best"] == "B"
    assert rows["Training cost"]["best"] == "B"  # A has no figure
    assert rows["Training cost"]["A"] is None


def test_compare_ties_name_every_best_scenario():
    twin = replace(B, name="C", memory_bytes=20e9)
    rows = compare_scenarios([A, twin])
    assert rows[0]["best"] == "A, C"


def test_compare_a_single_scenario_has_no_best():
    assert all(r["best"] is None for r in compare_scenarios([A]))


@pytest.mark.parametrize("summaries", [[], [A, A], [replace(A, name="best")]])
def test_bad_comparisons_are_rejected(summaries):
    with pytest.raises(ValueError):
        compare_scenarios(summaries)


def test_summary_rejects_negative_costs():
    with pytest.raises(ValueError):
        replace(A, monthly_serving_cost_usd=-1)


# --- example -----------------------------------------------------------------------------------


def test_example_is_a_small_time_series_model_served_on_a_cpu():
    section = example_resources()
    chosen = section.chosen_plan()
    assert chosen is not None
    assert chosen.device_key is not None and chosen.device_key.startswith("cpu-")
    assert chosen.custom_params is not None and chosen.custom_params <= 10_000_000
    assert "CPU" in chosen.notes
    assert chosen.serving is not None and chosen.team is not None and chosen.training is not None


def test_example_compares_against_a_gpu_scenario():
    section = example_resources()
    assert len(section.scenarios) == 2
    device = section.scenarios[1].device_key
    assert device is not None and not device.startswith("cpu-")


# --- a plan per candidate ---------------------------------------------------------------------


def plan_for(name: str, candidate_id: str | None) -> ResourcePlan:
    return ResourcePlan(name=name, custom_params=1e6, candidate_id=candidate_id)


def three_candidates() -> ResourcesSection:
    return ResourcesSection(
        scenarios=(
            plan_for("chatbot on H100", "chatbot"),
            plan_for("shelves on L4", "shelves"),
            plan_for("shelves on CPU", "shelves"),
            plan_for("old, before candidates", None),
        )
    )


@pytest.mark.parametrize(
    ("choices", "candidate", "plan"),
    [
        ((), "shelves", "shelves on L4"),  # nothing chosen: the candidate's first scenario
        (("shelves on CPU",), "shelves", "shelves on CPU"),
        (("shelves on CPU", "chatbot on H100"), "shelves", "shelves on CPU"),  # choosing for one keeps the other's
        (("chatbot on H100",), "chatbot", "chatbot on H100"),
        (("chatbot on H100",), "forecast", None),  # another candidate's scenario is never this one's plan
        (("old, before candidates",), "forecast", None),  # nor one that names no candidate
    ],
)
def test_each_candidate_has_its_own_plan(choices: tuple[str, ...], candidate: str, plan: str | None) -> None:
    section = three_candidates()
    for name in choices:
        section = section.choose(name)
    found = section.plan_for(candidate)
    assert (found.name if found else None) == plan


def test_choices_per_candidate_round_trip_through_json() -> None:
    section = three_candidates().choose("shelves on CPU").choose("chatbot on H100")
    assert section.chosen_for == {"shelves": "shelves on CPU", "chatbot": "chatbot on H100"}
    assert roundtrip(section) == section


def test_deleting_a_candidates_plan_falls_back_to_its_first_scenario() -> None:
    section = three_candidates().choose("shelves on CPU").without_scenario("shelves on CPU")
    assert section.chosen_for == {}
    assert section.plan_for("shelves") == section.get("shelves on L4")


@pytest.mark.parametrize(
    ("chosen_for", "message"),
    [
        ({"shelves": "nope"}, "not among the saved ones"),
        ({"chatbot": "shelves on L4"}, "plans for 'shelves', so it cannot be the plan of 'chatbot'"),
    ],
)
def test_a_choice_must_be_a_scenario_of_that_candidate(chosen_for: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ResourcesSection(scenarios=three_candidates().scenarios, chosen_for=chosen_for)


@pytest.mark.parametrize("candidate_id", ["Not An Id", "", "x" * 200])
def test_a_scenario_names_its_candidate_by_a_valid_id(candidate_id: str) -> None:
    with pytest.raises(ValueError):
        plan_for("bad", candidate_id)


# --- the software stack -------------------------------------------------------------------------


def test_a_plan_saved_before_the_stack_existed_loads_as_eager_pytorch():
    doc = {"schema_version": 1, "chosen": None, "scenarios": [{"name": "x", "custom_params": 1000}]}
    plan = ResourcesSection.from_document(doc).scenarios[0]
    assert (plan.engine, plan.kv_cache_dtype, plan.max_batch_wait_s) == ("pytorch", "auto", 0.1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"engine": "tgi"}, "Stack must be one of"),
        ({"kv_cache_dtype": "fp4"}, "KV-cache dtype must be one of"),
        ({"engine": "vllm", "mode": "train"}, "train and fine-tune with stack pytorch"),
        ({"engine": "vllm", "kv_cache_dtype": "int8"}, "choose fp8"),
        ({"engine": "pytorch", "kv_cache_dtype": "fp8"}, "vLLM, SGLang or TensorRT-LLM"),
        ({"engine": "llama.cpp", "precision": "fp8"}, "Q4_K_M"),
        ({"max_batch_wait_s": -1.0}, "Maximum batching wait"),
    ],
)
def test_a_plan_the_estimator_would_refuse_cannot_be_built(changes, message):
    with pytest.raises(ValueError, match=message):
        replace(BASIC, **changes)


def test_the_stack_round_trips_through_the_document():
    plan = replace(BASIC, engine="tensorrt-llm", kv_cache_dtype="fp8", max_batch_wait_s=0.25)
    again = roundtrip(ResourcesSection(scenarios=(plan,))).scenarios[0]
    assert (again.engine, again.kv_cache_dtype, again.max_batch_wait_s) == ("tensorrt-llm", "fp8", 0.25)
