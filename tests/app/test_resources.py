"""The /resources page: model and workload drive memory, fit, serving and training; scenarios; links; bad input."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from core.resources.plan import ResourcesSection
from tests.app.conftest import errors, no_exceptions, tab_opener, table

open_tab = tab_opener("res_tab")


def stored_section() -> dict[str, Any]:
    from ui.state import get_store

    store = get_store()
    project = store.get_project(store.list_projects()[0].id)
    assert project is not None
    return project.sections["resources"]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def choose_llama_on_h100(at: AppTest) -> AppTest:
    at.radio(key="res_model_source").set_value("Catalogue").run()
    at.selectbox(key="res_model").set_value("llama-3.1-8b").run()
    at.selectbox(key="res_workload").set_value("serve").run()
    at.selectbox(key="res_precision").set_value("bf16").run()
    at.checkbox(key="res_generate").check().run()
    return at.selectbox(key="res_device").set_value("h100-sxm").run()


def test_model_and_workload_drive_memory_fit_serving_and_training(app) -> None:
    at = app("resources")
    no_exceptions(at)
    # The example project's chosen scenario is loaded: a 2 M-parameter model on a CPU (no cuBLAS workspace there).
    assert at.radio(key="res_model_source").value == "Parameter count"
    assert at.selectbox(key="res_device").value == "cpu-xeon-6338"
    assert metric(at, "Memory per device") == "15.4 MB" and metric(at, "Fits?") == "fits"

    choose_llama_on_h100(at)
    no_exceptions(at)
    assert metric(at, "Memory per device") == "17.8 GB"  # 16.06 GB of bf16 weights + KV cache + context
    fit = table(at, "Fits on one")
    assert len(fit) >= 40 and fit.iloc[0]["Key"] == "h100-sxm" and fit.iloc[0]["Chosen"]
    assert fit["Chosen"].sum() == 1
    assert at.get("vega_lite_chart"), "the memory bar is drawn"
    assert any("GB = 10⁹ bytes" in caption.value for caption in at.caption)

    at.selectbox(key="res_workload").set_value("train").run()
    at.selectbox(key="res_precision").set_value("amp").run()
    no_exceptions(at)
    assert float(metric(at, "Memory per device").split()[0].replace(",", "")) > 100
    assert metric(at, "Fits?") == "does not fit" and at.warning
    at.number_input(key="res_devices").set_value(8).run()
    assert metric(at, "Fits?") == "fits"
    at.selectbox(key="res_workload").set_value("serve").run()
    at.number_input(key="res_devices").set_value(1).run()

    open_tab(at, "Serving")
    no_exceptions(at)
    before = metric(at, "Replicas at peak")
    assert any("Little's law" in m.value for m in at.markdown)
    serving = table(at, "Replicas at peak")
    assert {"CPU", "GPU"} <= set(serving["Kind"]) and len(serving) == len(fit)
    at.number_input(key="res_peak_rps").set_value(200.0)
    at.number_input(key="res_average_rps").set_value(100.0)
    at.button(key="res_serving_apply").click().run()
    no_exceptions(at)
    assert int(metric(at, "Replicas at peak").replace(",", "")) > int(before.replace(",", ""))
    at.number_input(key="res_latency_s").set_value(30.0)
    at.button(key="res_serving_apply").click().run()
    assert any("inside the 30 s target" in s.value for s in at.success), "the chosen device meets the target"
    assert any("cheapest option that meets" in s.value for s in at.success), "the recommendation and its reasons"

    open_tab(at, "Training")
    no_exceptions(at)
    days = metric(at, "Wall time, expected")
    at.radio(key="res_data_unit").set_value("tokens")
    at.number_input(key="res_data_size").set_value(1e11)
    at.number_input(key="res_epochs").set_value(1.0)
    at.button(key="res_training_apply").click().run()
    no_exceptions(at)
    assert metric(at, "Wall time, expected") != days
    assert metric(at, "Total compute (FLOPs)") == "4.82e+21"  # 6 x 8.03e9 x 1e11
    assert len(at.get("vega_lite_chart")) == 2

    open_tab(at, "People")
    assert metric(at, "Total cost").startswith("$") and any("team" in i.value.lower() for i in at.info)
    open_tab(at, "Cloud vs buying")
    at.toggle(key="res_buy_on").set_value(True).run()
    no_exceptions(at)
    assert metric(at, "Break-even utilisation").endswith("%")
    open_tab(at, "Trust")
    calibration = table(at, "Error (%)")
    assert len(calibration) >= 5 and calibration["Error (%)"].abs().max() <= 10


def test_changing_the_stack_changes_fit_memory_replicas_and_cost(app) -> None:
    at = choose_llama_on_h100(app("resources"))
    at.number_input(key="res_batch").set_value(64).run()
    at.number_input(key="res_prompt_tokens").set_value(8192).run()
    at.number_input(key="res_new_tokens").set_value(1024).run()
    no_exceptions(at)
    assert metric(at, "Fits?") == "does not fit"  # eager: 64 x 9,216 tokens of bf16 KV cache = 77 GB
    eager_memory = metric(at, "Memory per device")
    assert not any("KV pool" in c.value for c in at.caption)

    at.selectbox(key="res_engine").set_value("vllm").run()
    no_exceptions(at)
    assert metric(at, "Memory per device") != eager_memory
    assert any("KV pool" in c.value and "sequences" in c.value for c in at.caption), "the pool and its concurrency"
    at.selectbox(key="res_kv_cache_dtype").set_value("fp8").run()
    assert metric(at, "Fits?") in ("fits", "tight")  # fp8 halves the cache; the pool holds the batch

    at.number_input(key="res_batch").set_value(8).run()
    at.number_input(key="res_prompt_tokens").set_value(1024).run()
    at.number_input(key="res_new_tokens").set_value(200).run()
    open_tab(at, "Serving")
    at.number_input(key="res_peak_rps").set_value(5.0)
    at.number_input(key="res_average_rps").set_value(5.0)
    at.number_input(key="res_latency_s").set_value(5.0)
    at.button(key="res_serving_apply").click().run()
    no_exceptions(at)
    engine_replicas, engine_cost = metric(at, "Replicas at peak"), metric(at, "Monthly cost at peak")
    assert int(engine_replicas.replace(",", "")) <= 2  # the chatbot: one or two H100s under an engine

    at.selectbox(key="res_engine").set_value("pytorch").run()
    no_exceptions(at)
    assert metric(at, "Replicas at peak") != engine_replicas and metric(at, "Monthly cost at peak") != engine_cost


def test_the_trust_tab_compares_the_chosen_stack_with_published_figures(app) -> None:
    at = choose_llama_on_h100(app("resources"))
    at.selectbox(key="res_engine").set_value("tensorrt-llm").run()
    open_tab(at, "Trust")
    no_exceptions(at)
    published = table(at, "Holds")
    assert len(published) > 10 and (published["Source"].str.startswith("https://")).all()
    assert any("published figures" in m.value and "tensorrt-llm" in m.value for m in at.markdown)


def test_two_scenarios_are_saved_compared_chosen_and_loaded_back(app) -> None:
    at = app("resources")
    choose_llama_on_h100(at)
    open_tab(at, "Scenarios")
    at.text_input(key="res_scenario_name").input("8B chat on H100")
    at.button(key="res_scenario_save").click().run()
    no_exceptions(at)
    at.selectbox(key="res_device").set_value("l4").run()
    at.text_input(key="res_scenario_name").input("8B chat on L4")
    at.button(key="res_scenario_save").click().run()
    no_exceptions(at)
    section = ResourcesSection.from_document(stored_section())
    assert section.names()[-2:] == ("8B chat on H100", "8B chat on L4")
    assert section.get("8B chat on L4").device_key == "l4"
    # Saved for the form's first candidate, which had no scenario: the first becomes its plan; the forecast's
    # plan is untouched.
    assert {plan.candidate_id for plan in section.scenarios[-2:]} == {"film-backgrounds"}
    assert section.plan_for("film-backgrounds") == section.get("8B chat on H100")
    assert section.plan_for("rain-forecast-15min") == section.get("CPU nowcast service")

    # A name in use is refused unless the user ticks 'replace': no saved scenario is overwritten by accident.
    at.text_input(key="res_scenario_name").input("8B chat on H100")
    at.button(key="res_scenario_save").click().run()
    assert any("already exists" in error for error in errors(at))
    assert ResourcesSection.from_document(stored_section()).get("8B chat on H100").device_key == "h100-sxm"

    at.multiselect(key="res_compare").set_value(["8B chat on H100", "8B chat on L4"]).run()
    compared = table(at, "metric")
    assert list(compared["metric"]) == [
        "Memory per device",
        "Devices",
        "Monthly serving cost",
        "Training cost",
        "p95 latency",
    ]
    assert {"8B chat on H100", "8B chat on L4", "best"} <= set(compared.columns)

    at.selectbox(key="res_scenario_pick").set_value("8B chat on L4").run()
    at.button(key="res_scenario_choose").click().run()
    chosen = ResourcesSection.from_document(stored_section())
    assert chosen.plan_for("film-backgrounds") == chosen.get("8B chat on L4")
    assert chosen.plan_for("rain-forecast-15min") == chosen.get("CPU nowcast service")

    at.selectbox(key="res_scenario_pick").set_value("8B chat on H100").run()

    at.selectbox(key="res_model").set_value("gpt2").run()
    at.button(key="res_scenario_load").click().run()
    no_exceptions(at)
    assert at.selectbox(key="res_model").value == "llama-3.1-8b"
    assert at.selectbox(key="res_device").value == "h100-sxm"


def test_a_references_link_preselects_the_model(app) -> None:
    at = app("resources", model="llama-3.1-70b")
    no_exceptions(at)
    assert at.radio(key="res_model_source").value == "Catalogue"
    assert at.selectbox(key="res_model").value == "llama-3.1-70b"
    at.selectbox(key="res_model").set_value("gpt2").run()
    assert at.selectbox(key="res_model").value == "gpt2", "the link preselects once; the user's choice wins"

    # Another project's page starts from its own plan (none yet: the defaults), not from these inputs.
    from ui.state import CURRENT_PROJECT, get_store

    at.session_state[CURRENT_PROJECT] = get_store().create_project("Empty project")
    at.run()
    no_exceptions(at)
    assert at.selectbox(key="res_model").value == "llama-3.1-8b"
    assert at.selectbox(key="res_device").value == "h100-sxm"

    unknown = app("resources", model="no-such-model")
    no_exceptions(unknown)
    assert any("not in the architecture catalogue" in warning.value for warning in unknown.warning)


def test_bad_inputs_get_the_cores_message_and_nothing_saved_is_lost(app) -> None:
    at = app("resources")
    saved = stored_section()
    open_tab(at, "Serving")
    cases = [
        ({"res_peak_rps": 0.0}, "Peak requests per second must be above 0"),
        ({"res_peak_rps": -5.0}, "Peak requests per second must be above 0"),
        ({"res_average_rps": float("nan")}, "Average requests per second must be"),
        ({"res_latency_s": 0.0}, "Latency target (p95, seconds) must be above 0"),
        ({"res_peak_rps": 1e13, "res_average_rps": 1.0}, "must be at most 1e+12"),
    ]
    for values, message in cases:
        for key, value in values.items():
            at.number_input(key=key).set_value(value)
        at.button(key="res_serving_apply").click().run()
        no_exceptions(at)
        assert any(message in error for error in errors(at)), (values, errors(at))
        for key in values:
            at.number_input(key=key).set_value({"res_peak_rps": 20.0, "res_average_rps": 5.0}.get(key, 1.0))
        at.button(key="res_serving_apply").click().run()
        assert not errors(at), errors(at)

    # A billion requests per second is a plan, with a plain warning about the replica count.
    at.number_input(key="res_peak_rps").set_value(1e9)
    at.number_input(key="res_average_rps").set_value(1e9)
    at.button(key="res_serving_apply").click().run()
    no_exceptions(at)
    assert any("more than one deployment usually runs" in warning.value for warning in at.warning)
    at.number_input(key="res_peak_rps").set_value(20.0)
    at.number_input(key="res_average_rps").set_value(5.0)
    at.button(key="res_serving_apply").click().run()

    open_tab(at, "Training")
    at.number_input(key="res_price_override").set_value(-1.0)
    at.button(key="res_training_apply").click().run()
    no_exceptions(at)
    assert any("Price per device-hour (USD) must be 0 or more" in error for error in errors(at))

    open_tab(at, "Scenarios")
    at.text_input(key="res_scenario_name").input("Should not be saved")
    at.button(key="res_scenario_save").click().run()
    no_exceptions(at)
    assert any(error.startswith("Not saved: fix the inputs first") for error in errors(at))
    assert stored_section() == saved

    # A model/workload combination the estimator refuses is shown beside the model inputs.
    at.radio(key="res_model_source").set_value("Catalogue").run()
    at.selectbox(key="res_model").set_value("resnet50").run()
    at.selectbox(key="res_workload").set_value("lora").run()
    no_exceptions(at)
    assert any("LoRA adapters need a transformer config" in error for error in errors(at))
    at.radio(key="res_model_source").set_value("Parameter count").run()
    at.number_input(key="res_custom_params_m").set_value(-3.0).run()
    no_exceptions(at)
    assert any("Parameter count must be above 0" in error for error in errors(at))
    assert stored_section() == saved


def _labelling(at: AppTest, items: float, seconds: float, usd_per_item: float | None = None) -> AppTest:
    open_tab(at, "People")
    if not at.toggle(key="res_labelling_on").value:
        at.toggle(key="res_labelling_on").set_value(True).run()
    at.number_input(key="res_labelling_items").set_value(items)
    at.number_input(key="res_labelling_seconds").set_value(seconds)
    at.number_input(key="res_labelling_usd_per_item").set_value(usd_per_item)
    return at.button(key="res_labelling_apply").click().run()


def _total_rows(at: AppTest) -> dict[str, float]:
    frame = table(at, "When")
    return dict(zip(frame["Cost"], frame["USD"], strict=True))


def test_labelling_is_left_out_until_it_is_set_up(app) -> None:
    at = app("resources")
    open_tab(at, "People")
    no_exceptions(at)
    assert "Data and labelling" not in _total_rows(at)
    assert any("does not set it up: labelling" in c.value for c in at.caption)


def test_in_house_labels_cost_the_annotator_hours_and_a_vendor_its_price(app) -> None:
    at = _labelling(app("resources"), 50_000, 36)
    no_exceptions(at)
    assert _total_rows(at)["Data and labelling"] == 12_500  # 500 h x $4,000 / 160 h
    at = _labelling(at, 50_000, 36, usd_per_item=0.08)
    assert _total_rows(at)["Data and labelling"] == 4_000


def test_a_bad_labelling_input_is_refused_beside_the_form(app) -> None:
    at = _labelling(app("resources"), -5, 36)
    no_exceptions(at)
    assert "Items to label must be above 0" in " ".join(errors(at))


def _train_on(at: AppTest, device: str, devices: int | None) -> AppTest:
    open_tab(at, "Training")
    at.selectbox(key="res_training_device").set_value(device)
    at.number_input(key="res_training_devices").set_value(devices)
    return at.button(key="res_training_apply").click().run()


def test_training_runs_on_its_own_device_while_the_plan_serves_on_a_cpu(app) -> None:
    at = _train_on(app("resources"), "a100-80gb-sxm", 8)  # the example: a forecast served on a Xeon
    no_exceptions(at)
    assert any(c.value.startswith("8 x A100 SXM4 80GB at a dense fp32 peak") for c in at.caption)
    assert metric(at, "Cost on-demand, expected").startswith("$")
    assert at.selectbox(key="res_device").value == "cpu-xeon-6338"
    open_tab(at, "Serving")
    serving = table(at, "Replicas at peak")
    assert list(serving[serving["Chosen"]]["Key"]) == ["cpu-xeon-6338"]  # serving still sized on the CPU

    open_tab(at, "Scenarios")
    at.text_input(key="res_scenario_name").input("Train on A100s")
    at.button(key="res_scenario_save").click().run()
    saved = next(s for s in stored_section()["scenarios"] if s["name"] == "Train on A100s")
    assert (saved["device_key"], saved["training"]["device_key"], saved["training"]["devices"]) == (
        "cpu-xeon-6338",
        "a100-80gb-sxm",
        8,
    )


def test_a_device_without_a_price_gets_its_training_time_and_no_cost(app) -> None:
    at = _train_on(app("resources"), "apple-m3-max", None)
    no_exceptions(at)
    assert not errors(at)
    assert metric(at, "Wall time, expected").endswith("days")
    assert metric(at, "Cost on-demand, expected") == "no price"
    assert any("time only; enter a price to see the cost" in i.value for i in at.info)
    assert len(at.get("vega_lite_chart")) == 1, "the wall-time chart; no cost chart without a price"
    at.number_input(key="res_price_override").set_value(2.0)
    at.button(key="res_training_apply").click().run()
    assert metric(at, "Cost on-demand, expected").startswith("$") and len(at.get("vega_lite_chart")) == 2


def test_serving_at_200_stores_prices_the_devices_once_and_their_power_monthly(app) -> None:
    at = app("resources")
    at.selectbox(key="res_device").set_value("jetson-orin-nano-8gb").run()
    open_tab(at, "Serving")
    at.toggle(key="res_sites_on").set_value(True).run()
    at.number_input(key="res_sites_count").set_value(200)
    at.button(key="res_sites_apply").click().run()
    no_exceptions(at)
    assert metric(at, "Purchase (one-off)") == "$49,800" and metric(at, "Power per month") == "$548"
    open_tab(at, "People")
    rows = _total_rows(at)
    assert rows["Devices at the sites"] == 49_800 and "Serving" not in rows


def test_a_site_input_out_of_range_is_refused_beside_the_form(app) -> None:
    at = app("resources")
    open_tab(at, "Serving")
    at.toggle(key="res_sites_on").set_value(True).run()
    at.number_input(key="res_sites_powered_pct").set_value(150.0)
    at.button(key="res_sites_apply").click().run()
    no_exceptions(at)
    assert "Share of hours powered (1 = 100 %) must be between 0 and 1; got 1.5" in " ".join(errors(at))
