"""The /resources page's inputs, declared once in views.resources.fields: a saved plan survives load -> widget
values -> read back; the table is consistent with the dataclasses; hidden widgets keep their values."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from core.resources.architectures import load_architectures
from core.resources.costs import BuyVersusCloud
from core.resources.evaluate import GENERATIVE_FAMILIES
from core.resources.labelling import LabellingInputs
from core.resources.plan import ResourcePlan, TrainingInputs
from core.resources.serving import ServingDemand
from core.resources.sites import SiteDeployment
from core.resources.team import TeamInputs, TeamRules
from core.resources.vocabulary import OPTIMIZERS, PRECISIONS, Precision
from tests.app.conftest import no_exceptions
from tests.core.resources.test_plan import (  # one strategy per dataclass
    labelling_inputs,
    site_deployments,
    team_inputs,
    training_inputs,
)
from views import page_file
from views.resources import fields as f

ARCHS = load_architectures()
MODELS = ["llama-3.1-8b", "bert-base-uncased", "t5-small", "resnet50", "vit-b-16"]  # one per kind of input
DEVICES = ["h100-sxm", "l4", "cpu-xeon-6338"]
finite: dict[str, Any] = {"allow_nan": False, "allow_infinity": False}
# Saved in other units on the page (millions of parameters, percentages): equal up to rounding.
SCALED = {"custom_params", "serving.headroom", "buy_vs_cloud.utilisation", "sites.powered_share"}


# --- what a page session holds: the defaults, then a saved plan loaded; read back as the page does -----------


def fresh_values() -> dict[str, Any]:
    """The widget values of a first visit with nothing saved (views.resources.state.initialise)."""
    values = dict(f.DEFAULTS)
    values[f.MODEL.key] = "llama-3.1-8b"
    values[f.DEVICE.key] = "h100-sxm"
    f.store_team_rules(values, TeamRules())
    return values


def read_back(values: dict[str, Any]) -> ResourcePlan:
    """The plan the page builds from ``values`` (every tab closed), named and annotated as a save does."""
    shape = f.shape_of(values, f.model_of(values, ARCHS))

    def section(group: f.Group[Any], build: Any) -> Any:
        return build(values, shape) if group.is_on(values) else None

    team = section(f.TEAM, f.team_inputs)
    rules = f.stored_team_rules(values) if team is not None else None
    plan = f.current_plan(
        values,
        shape,
        name=values[f.SCENARIO_NAME.key],
        serving=section(f.SERVING, f.serving_demand),
        training=section(f.TRAINING, f.training_inputs),
        buy_vs_cloud=section(f.BUY, f.buy_vs_cloud),
        team=team,
        team_rules=None if rules == TeamRules() else rules,
        labelling=section(f.LABELLING, f.labelling_inputs),
        sites=section(f.SITES, f.site_deployment),
    )
    return replace(plan, notes=values[f.SCENARIO_NOTES.key])


def through_the_widgets(plan: ResourcePlan, values: dict[str, Any] | None = None) -> ResourcePlan:
    values = fresh_values() if values is None else values
    f.load_plan(plan, values, known_device=lambda key: True)
    return read_back(values)


def assert_same(back: Any, saved: Any, path: str = "") -> None:
    """Equal field by field; the fields the page shows in other units are equal up to rounding."""
    if dataclasses.is_dataclass(saved) and not isinstance(saved, type):
        assert type(back) is type(saved), (path, back, saved)
        for each in dataclasses.fields(saved):
            name = f"{path}.{each.name}".lstrip(".")
            assert_same(getattr(back, each.name), getattr(saved, each.name), name)
    elif path in SCALED and isinstance(saved, float):
        assert isinstance(back, float) and math.isclose(back, saved, rel_tol=1e-12), (path, back, saved)
    else:
        assert back == saved and type(back) is type(saved), (path, back, saved)


# --- plans the page can hold -------------------------------------------------------------------------------


@st.composite
def serving(draw: Any, own_tokens: bool) -> ServingDemand:
    """A serving section; ``own_tokens``: with token counts of its own, as plans saved before the serving tab
    read the workload's tokens have (the page saves none)."""
    peak = draw(st.floats(1e-3, 1e9, **finite))
    tokens = st.none() | st.integers(1, 100_000)
    return ServingDemand(
        peak_requests_per_s=peak,
        average_requests_per_s=peak * draw(st.floats(1e-3, 1, **finite)),
        latency_target_p95_s=draw(st.floats(1e-3, 3600, **finite)),
        samples_per_request=draw(st.floats(1, 1000, **finite)),
        headroom=draw(st.floats(0, 3, **finite)),
        prompt_tokens=draw(tokens) if own_tokens else None,
        output_tokens=draw(tokens) if own_tokens else None,
    )


BUY = st.builds(
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
)
RULES = st.builds(
    TeamRules,
    small_team_max_fte=st.floats(0, 4, **finite),
    large_team_min_fte=st.floats(5, 50, **finite),
).filter(lambda rules: rules != TeamRules())
TEXT = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ]{0,30}[A-Za-z0-9]?", fullmatch=True)


@st.composite
def page_plans(draw: Any) -> ResourcePlan:
    """A plan as the page saves it: only the inputs its model and workload show, each section as its tab has
    it (the page keeps no optimizer choice for serving, no seq when generating, and so on)."""
    model = draw(st.none() | st.sampled_from(MODELS))
    family = ARCHS[model].family if model is not None else "decoder"
    text = family in ("decoder", "encoder", "encoder-decoder")
    workload = draw(st.sampled_from(list(f.WORKLOADS)))
    trains = workload != "serve"
    generate = text and workload == "serve" and family in GENERATIVE_FAMILIES and draw(st.booleans())
    tokens = st.integers(1, 10_000_000)
    precision: Precision = (
        "int4" if workload == "qlora" else draw(st.sampled_from([p for p in PRECISIONS if p != "int4"]))
    )
    has_team = draw(st.booleans())
    return ResourcePlan(
        name=draw(TEXT),
        model_key=model,
        custom_params=None if model is not None else draw(st.floats(1, 1e12, **finite)),
        mode=f.MODE_OF_WORKLOAD[workload],
        precision=precision,
        optimizer=draw(st.sampled_from(OPTIMIZERS)) if trains else "adamw",
        batch=draw(st.integers(1, 1_000_000)),
        seq=draw(tokens) if text and not generate else None,
        prompt_tokens=draw(tokens) if generate else None,
        new_tokens=draw(tokens) if generate else None,
        image_size=None if text else draw(st.integers(8, 16_384)),
        grad_checkpointing=draw(st.booleans()) if trains else False,
        lora_rank=draw(st.integers(1, 65_536)) if workload in ("lora", "qlora") else None,
        device_key=draw(st.sampled_from(DEVICES)),
        devices=draw(st.integers(1, 100_000)),
        serving=draw(st.none() | serving(False)),
        training=draw(st.none() | training_inputs()),
        buy_vs_cloud=draw(st.none() | BUY),
        team=draw(team_inputs) if has_team else None,
        team_rules=draw(st.none() | RULES) if has_team else None,
        labelling=draw(st.none() | labelling_inputs),
        sites=draw(st.none() | site_deployments),
        notes=draw(st.text(max_size=60)),
    )


@st.composite
def any_plans(draw: Any) -> ResourcePlan:
    """Any plan ResourcePlan accepts, whether or not the page would have saved it (an imported one)."""
    mode = draw(st.sampled_from(["inference", "train", "lora"]))
    model = draw(st.none() | st.sampled_from(MODELS))
    optional = st.none() | st.integers(1, 10_000_000)
    return replace(
        draw(page_plans()),
        model_key=model,
        custom_params=None if model is not None else draw(st.floats(1, 1e12, **finite)),
        mode=mode,
        precision=draw(st.sampled_from(PRECISIONS)),
        optimizer=draw(st.sampled_from(OPTIMIZERS)),
        seq=draw(optional),
        prompt_tokens=draw(optional),
        new_tokens=draw(optional),
        image_size=draw(st.none() | st.integers(8, 16_384)),
        grad_checkpointing=draw(st.booleans()),
        lora_rank=draw(st.none() | st.integers(1, 65_536)) if mode == "lora" else None,
        device_key=draw(st.none() | st.sampled_from(DEVICES)),
        serving=draw(st.none() | serving(True)),
    )


@settings(max_examples=300)
@given(plan=page_plans())
def test_a_saved_plan_survives_load_then_widgets_then_read_back(plan: ResourcePlan) -> None:
    assert_same(through_the_widgets(plan), plan)


@settings(max_examples=200)
@given(plan=any_plans(), before=page_plans())
def test_loading_what_the_page_read_back_gives_it_again(plan: ResourcePlan, before: ResourcePlan) -> None:
    """Any plan (an imported one too), loaded over whatever the widgets held, reads back as a plan that then
    survives the widgets unchanged: loading is idempotent once the page holds it."""
    values = fresh_values()
    f.load_plan(before, values, known_device=lambda key: True)
    try:
        shown = through_the_widgets(plan, values)
    except ValueError:
        return  # the page shows the core's refusal (e.g. a LoRA rank the catalogue model cannot take)
    assert_same(through_the_widgets(shown), shown)


def test_loading_keeps_what_the_plan_does_not_say() -> None:
    values = fresh_values()
    values[f.PEAK.key] = 42.0
    values[f.DEVICE.key] = "l4"
    values[f.TEAM_FTE_EDITOR] = {"edited_rows": {}}
    plan = ResourcePlan(name="No serving", model_key="gpt2", device_key="gone-device")
    f.load_plan(plan, values, known_device=lambda key: key != "gone-device")
    assert values[f.SERVING_ON.key] is False and values[f.PEAK.key] == 42.0  # switched off, inputs kept
    assert values[f.DEVICE.key] == "l4"  # a device no longer in the catalogue keeps the current choice
    assert f.TEAM_FTE_EDITOR not in values  # the rules' editors start again from the loaded rules
    assert values[f.SEQ.key] == f.SEQ.default  # a seq the plan leaves empty shows the default


# --- the table ------------------------------------------------------------------------------------------------

BUILT: list[tuple[f.Group[Any], type]] = [
    (f.MODEL_INPUTS, ResourcePlan),
    (f.SERVING, ServingDemand),
    (f.TRAINING, TrainingInputs),
    (f.BUY, BuyVersusCloud),
    (f.TEAM, TeamInputs),
    (f.RULES, TeamRules),
    (f.LABELLING, LabellingInputs),
    (f.SITES, SiteDeployment),
]


def test_every_input_has_one_key_and_one_declaration() -> None:
    keys = [each.key for each in f.FIELDS]
    assert len(keys) == len(set(keys)) and all(key.startswith("res_") for key in keys)
    assert set(f.PERSISTED) == set(keys) and set(f.DEFAULTS) <= set(keys)
    declared = [value for value in vars(f).values() if isinstance(value, f.Field)] + list(f.TEAM_MONTHS)
    assert {each.key for each in declared} == set(keys), "every Field belongs to a group"


@pytest.mark.parametrize(("group", "cls"), BUILT, ids=[cls.__name__ for _, cls in BUILT])
def test_every_attribute_names_a_field_of_its_dataclass(group: f.Group[Any], cls: type) -> None:
    shapes = [f.shape_of({f.WORKLOAD.key: "train", f.DATA_UNIT.key: unit}, None) for unit in ("tokens", "samples")]
    for each in group.fields:
        for shape in shapes:
            attr = each.attr(shape) if callable(each.attr) else each.attr
            if attr is None:
                continue
            outer, _, inner = attr.partition(".")
            names = {field.name for field in dataclasses.fields(cls)}
            assert outer in names, (each.key, attr)
            if inner:
                nested: Any = group.nested[outer]
                assert inner in {field.name for field in dataclasses.fields(nested)}, (each.key, attr)


# --- the page: hidden widgets keep their values (Streamlit's persist_state, no re-assigning loop) -------------


def _tab(at: AppTest, name: str) -> AppTest:
    at.session_state["res_tab"] = name
    return at.run()


def test_inputs_keep_their_values_while_their_tab_or_workload_hides_them(app) -> None:
    at = app("resources")
    _tab(at, "Serving")
    at.number_input(key=f.PEAK.key).set_value(77.0)
    at.number_input(key=f.AVERAGE.key).set_value(7.0)
    at.button(key="res_serving_apply").click().run()
    _tab(at, "Cloud vs buying")
    at.toggle(key=f.BUY_ON.key).set_value(True).run()
    at.number_input(key=f.BUY_HOSTING.key).set_value(2500.0)
    at.button(key="res_buy_apply").click().run()
    _tab(at, "Memory & fit")
    at.selectbox(key=f.WORKLOAD.key).set_value("train").run()
    at.selectbox(key=f.OPTIMIZER.key).set_value("sgd").run()
    at.checkbox(key=f.CHECKPOINTING.key).check().run()
    at.selectbox(key=f.WORKLOAD.key).set_value("serve").run()  # optimizer and checkpointing hidden
    at.radio(key=f.MODEL_SOURCE.key).set_value("Parameter count").run()
    at.number_input(key=f.CUSTOM_PARAMS_M.key).set_value(1234.0).run()
    at.radio(key=f.MODEL_SOURCE.key).set_value("Catalogue").run()  # the parameter count hidden
    _tab(at, "Training")
    _tab(at, "People")
    no_exceptions(at)

    at.radio(key=f.MODEL_SOURCE.key).set_value("Parameter count").run()
    assert at.number_input(key=f.CUSTOM_PARAMS_M.key).value == 1234.0
    at.selectbox(key=f.WORKLOAD.key).set_value("train").run()
    assert at.selectbox(key=f.OPTIMIZER.key).value == "sgd" and at.checkbox(key=f.CHECKPOINTING.key).value
    _tab(at, "Serving")
    assert (at.number_input(key=f.PEAK.key).value, at.number_input(key=f.AVERAGE.key).value) == (77.0, 7.0)
    _tab(at, "Cloud vs buying")
    assert at.toggle(key=f.BUY_ON.key).value and at.number_input(key=f.BUY_HOSTING.key).value == 2500.0
    no_exceptions(at)


def test_loading_a_scenario_fills_the_inputs_of_closed_tabs_and_leaving_the_page_keeps_them(app) -> None:
    at = app("resources")
    _tab(at, "Serving")
    at.number_input(key=f.PEAK.key).set_value(77.0)
    at.button(key="res_serving_apply").click().run()
    _tab(at, "Scenarios")
    at.text_input(key=f.SCENARIO_NAME.key).input("Peak 77")
    at.button(key="res_scenario_save").click().run()
    no_exceptions(at)
    _tab(at, "Serving")
    at.number_input(key=f.PEAK.key).set_value(5.0)
    at.button(key="res_serving_apply").click().run()
    _tab(at, "Scenarios")
    at.selectbox(key=f.SCENARIO_PICK.key).set_value("Peak 77").run()
    at.button(key="res_scenario_load").click().run()
    assert any("Loaded 'Peak 77'" in message.value for message in at.success)
    _tab(at, "Serving")
    assert at.number_input(key=f.PEAK.key).value == 77.0, "loaded while the Serving tab was closed"

    at.switch_page(page_file("overview")).run()
    at.switch_page(page_file("resources")).run()
    no_exceptions(at)
    _tab(at, "Serving")
    assert at.number_input(key=f.PEAK.key).value == 77.0, "back on the page: the project's draft, as left"
    assert any("Inputs as saved in scenario 'Peak 77'" in c.value for c in at.caption)


# --- the project's draft: inputs survive a reload, with an "unsaved changes" marker -------------------------------


def _unsaved(at: AppTest) -> bool:
    return any("Unsaved changes" in m.value for m in at.markdown)


def test_a_changed_input_is_marked_unsaved_and_survives_a_new_session(app) -> None:
    at = app("resources")
    assert not _unsaved(at), "the example's chosen scenario, as saved"
    at.number_input(key=f.BATCH.key).set_value(16).run()
    assert _unsaved(at)
    again = app("resources")  # a reload: a new session on the same database
    no_exceptions(again)
    assert again.number_input(key=f.BATCH.key).value == 16 and _unsaved(again)


def test_saving_the_inputs_as_a_scenario_clears_the_marker(app) -> None:
    at = app("resources")
    at.number_input(key=f.BATCH.key).set_value(16).run()
    _tab(at, "Scenarios")
    at.text_input(key=f.SCENARIO_NAME.key).input("Batch 16")
    at.button(key="res_scenario_save").click().run()
    no_exceptions(at)
    assert not _unsaved(at) and any("Inputs as saved in scenario 'Batch 16'" in c.value for c in at.caption)


def test_a_draft_this_version_cannot_read_is_dropped_not_shown(app) -> None:
    from ui.state import get_store

    app()
    store = get_store()
    project_id = store.list_projects()[0].id
    store.save_draft(project_id, "resources", {"base": None, "inputs": {"schema_version": 99}})
    at = app("resources")
    no_exceptions(at)
    assert not at.error and at.selectbox(key=f.DEVICE.key).value == "cpu-xeon-6338", "the chosen scenario"


def test_a_training_device_no_longer_in_the_catalogue_keeps_the_current_choice() -> None:
    values = fresh_values()
    values[f.TRAINING_DEVICE.key] = "l4"
    plan = ResourcePlan(
        name="Gone", model_key="gpt2", training=TrainingInputs(dataset_tokens=1e9, device_key="gone-device")
    )
    f.load_plan(plan, values, known_device=lambda key: key != "gone-device")
    assert values[f.TRAINING_ON.key] is True and values[f.TRAINING_DEVICE.key] == "l4"


@pytest.mark.parametrize(("saved", "shown"), [(None, f.SAME_DEVICE), ("a100-80gb-sxm", "a100-80gb-sxm")])
def test_training_on_the_plans_device_shows_as_the_device_chosen_above(saved: str | None, shown: str) -> None:
    values = fresh_values()
    plan = ResourcePlan(name="x", model_key="gpt2", training=TrainingInputs(dataset_tokens=1e9, device_key=saved))
    f.load_plan(plan, values, known_device=lambda key: True)
    training = read_back(values).training
    assert values[f.TRAINING_DEVICE.key] == shown and training is not None and training.device_key == saved
