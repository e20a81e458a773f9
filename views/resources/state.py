"""The /resources page's state: cached catalogues and evaluations, widget keys, and plan <-> widget values.

The page keeps every input in ``st.session_state`` under the keys below, so a
saved scenario can be loaded back into the widgets (``load_plan``) and the
current widget values turned into a ``ResourcePlan`` (the input modules do that).
Evaluations are cached per plan document (JSON) and catalogue fingerprint.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import streamlit as st

from core.resources.calibration import CalibrationRow, calibration_rows
from core.resources.plan import ResourcePlan, ResourcesSection
from core.resources.team import TeamRules
from ui import catalogues as cat

SECTION = "resources"
CURRENT_NAME = "Current inputs"

# Model and workload
MODEL_SOURCE = "res_model_source"
MODEL = "res_model"
CUSTOM_PARAMS_M = "res_custom_params_m"
WORKLOAD = "res_workload"
PRECISION = "res_precision"
OPTIMIZER = "res_optimizer"
BATCH = "res_batch"
GENERATE = "res_generate"
SEQ = "res_seq"
PROMPT = "res_prompt_tokens"
NEW = "res_new_tokens"
IMAGE = "res_image_size"
CHECKPOINTING = "res_grad_checkpointing"
LORA_RANK = "res_lora_rank"
DEVICE = "res_device"
DEVICES = "res_devices"
# Serving
SERVING_ON = "res_serving_on"
PEAK = "res_peak_rps"
AVERAGE = "res_average_rps"
LATENCY = "res_latency_s"
SAMPLES = "res_samples"
HEADROOM = "res_headroom_pct"
SERVE_PROMPT = "res_serve_prompt_tokens"
SERVE_OUTPUT = "res_serve_output_tokens"
# Training
TRAINING_ON = "res_training_on"
DATA_UNIT = "res_data_unit"
DATA_SIZE = "res_data_size"
EPOCHS = "res_epochs"
FLOPS_PER_SAMPLE = "res_flops_per_sample"
MFU_LOW = "res_mfu_low"
MFU_EXPECTED = "res_mfu_expected"
MFU_HIGH = "res_mfu_high"
SCALING = "res_scaling"
PRICE = "res_price_override"
SPOT = "res_spot"
RESERVED = "res_reserved"
# Buy versus cloud
BUY_ON = "res_buy_on"
BUY_PRICE = "res_buy_price"
BUY_DEVICES = "res_buy_devices"
BUY_TDP = "res_buy_tdp"
BUY_KWH = "res_buy_kwh"
BUY_HOSTING = "res_buy_hosting"
BUY_YEARS = "res_buy_years"
BUY_CLOUD = "res_buy_cloud"
BUY_UTILISATION = "res_buy_utilisation_pct"
BUY_PUE = "res_buy_pue"
# Team
TEAM_ON = "res_team_on"
TEAM_LABELLING = "res_team_labelling"
TEAM_COMPLEXITY = "res_team_complexity"
TEAM_SCALE = "res_team_scale"
TEAM_MONTHS = {
    "data_months": "res_team_data_months",
    "modelling_months": "res_team_modelling_months",
    "deployment_months": "res_team_deployment_months",
    "monitoring_months": "res_team_monitoring_months",
}
TEAM_RULES = "res_team_rules"  # not a widget: the rules the editors start from, as plain values
TEAM_RULES_ERROR = "res_team_rules_error"  # not a widget: why the last edited rules were refused
TEAM_FTE_EDITOR = "res_team_fte_editor"
TEAM_COST_EDITOR = "res_team_cost_editor"
TEAM_SMALL = "res_team_small_fte"
TEAM_LARGE = "res_team_large_fte"
# Scenarios
SCENARIO_NAME = "res_scenario_name"
SCENARIO_NOTES = "res_scenario_notes"
SCENARIO_REPLACE = "res_scenario_replace"
SCENARIO_PICK = "res_scenario_pick"
COMPARE = "res_compare"
QUERY_APPLIED = "res_model_query_applied"  # not a widget: the ?model= value already applied
PROJECT = "res_project"  # not a widget: the project whose inputs the widgets hold

TAB = "res_tab"
TABS: tuple[str, ...] = ("Memory & fit", "Serving", "Training", "Cloud vs buying", "People", "Scenarios", "Trust")

SOURCE_CATALOGUE = "Catalogue"
SOURCE_CUSTOM = "Parameter count"
WORKLOADS: dict[str, str] = {
    "serve": "Serve (inference)",
    "train": "Train (from scratch or full fine-tune)",
    "lora": "Fine-tune with LoRA",
    "qlora": "Fine-tune with QLoRA (LoRA on int4 weights)",
}
DEFAULT_MODEL = "llama-3.1-8b"
DEFAULT_DEVICE = "h100-sxm"

# Every widget's value when nothing is loaded (units in the key names' widgets' labels).
DEFAULTS: dict[str, Any] = {
    MODEL_SOURCE: SOURCE_CATALOGUE,
    CUSTOM_PARAMS_M: 7000.0,
    WORKLOAD: "serve",
    PRECISION: "bf16",
    OPTIMIZER: "adamw",
    BATCH: 8,
    GENERATE: True,
    SEQ: 2048,
    PROMPT: 512,
    NEW: 256,
    IMAGE: 224,
    CHECKPOINTING: False,
    LORA_RANK: 16,
    DEVICES: 1,
    SERVING_ON: True,
    PEAK: 10.0,
    AVERAGE: 3.0,
    LATENCY: 10.0,
    SAMPLES: 1.0,
    HEADROOM: 30.0,
    SERVE_PROMPT: 512,
    SERVE_OUTPUT: 256,
    TRAINING_ON: True,
    DATA_UNIT: "tokens",
    DATA_SIZE: 1e9,
    EPOCHS: 1.0,
    FLOPS_PER_SAMPLE: None,
    MFU_LOW: 0.30,
    MFU_EXPECTED: 0.40,
    MFU_HIGH: 0.50,
    SCALING: 0.97,
    PRICE: None,
    SPOT: 0.40,
    RESERVED: 0.60,
    BUY_ON: False,
    BUY_KWH: 0.15,
    BUY_HOSTING: 1000.0,
    BUY_YEARS: 4.0,
    BUY_UTILISATION: 60.0,
    BUY_PUE: 1.4,
    TEAM_ON: True,
    TEAM_LABELLING: "light",
    TEAM_COMPLEXITY: "moderate",
    TEAM_SCALE: "online",
    TEAM_MONTHS["data_months"]: 3.0,
    TEAM_MONTHS["modelling_months"]: 4.0,
    TEAM_MONTHS["deployment_months"]: 2.0,
    TEAM_MONTHS["monitoring_months"]: 6.0,
    TEAM_SMALL: 3.0,
    TEAM_LARGE: 8.0,
}


def default(key: str, value: Any = None) -> None:
    """Give a widget its starting value once (widgets are then created without ``value=``)."""
    if key not in st.session_state:
        st.session_state[key] = DEFAULTS.get(key) if value is None else value


@st.cache_data(show_spinner=False)
def calibration() -> list[CalibrationRow]:
    return calibration_rows()


# --- plan -> widget values --------------------------------------------------------------------


def _workload_choice(plan: ResourcePlan) -> str:
    if plan.mode == "inference":
        return "serve"
    if plan.mode == "train":
        return "train"
    return "qlora" if plan.precision == "int4" else "lora"


def store_team_rules(rules: TeamRules) -> None:
    """Keep the rules as plain values: an object would outlive its class when Streamlit reloads edited modules."""
    st.session_state[TEAM_RULES] = asdict(rules)


def team_rules() -> TeamRules:
    """The stored rules of thumb (the defaults if they no longer validate)."""
    try:
        return TeamRules(**st.session_state[TEAM_RULES])
    except (KeyError, TypeError, ValueError):
        return TeamRules()


def load_plan(plan: ResourcePlan, objects: cat.Catalogues) -> None:
    """Put a saved scenario's inputs into the widgets (call before they are drawn, e.g. in a callback)."""
    state = st.session_state
    if plan.model_key is not None:
        state[MODEL_SOURCE] = SOURCE_CATALOGUE
        state[MODEL] = plan.model_key
    else:
        state[MODEL_SOURCE] = SOURCE_CUSTOM
        state[CUSTOM_PARAMS_M] = float(plan.custom_params or 0) / 1e6
    state[WORKLOAD] = _workload_choice(plan)
    state[PRECISION] = plan.precision
    state[OPTIMIZER] = plan.optimizer
    state[BATCH] = plan.batch
    state[GENERATE] = plan.new_tokens is not None
    state[SEQ] = plan.seq if plan.seq is not None else DEFAULTS[SEQ]
    state[PROMPT] = plan.prompt_tokens if plan.prompt_tokens is not None else DEFAULTS[PROMPT]
    state[NEW] = plan.new_tokens if plan.new_tokens is not None else DEFAULTS[NEW]
    state[IMAGE] = plan.image_size if plan.image_size is not None else DEFAULTS[IMAGE]
    state[CHECKPOINTING] = plan.grad_checkpointing
    state[LORA_RANK] = plan.lora_rank if plan.lora_rank is not None else DEFAULTS[LORA_RANK]
    if plan.device_key is not None and objects.accelerator(plan.device_key) is not None:
        state[DEVICE] = plan.device_key
    state[DEVICES] = plan.devices

    state[SERVING_ON] = plan.serving is not None
    if plan.serving is not None:
        demand = plan.serving
        state[PEAK] = demand.peak_requests_per_s
        state[AVERAGE] = demand.average_requests_per_s
        state[LATENCY] = demand.latency_target_p95_s
        state[SAMPLES] = demand.samples_per_request
        state[HEADROOM] = demand.headroom * 100
        state[SERVE_PROMPT] = demand.prompt_tokens
        state[SERVE_OUTPUT] = demand.output_tokens

    state[TRAINING_ON] = plan.training is not None
    if plan.training is not None:
        training = plan.training
        tokens = training.dataset_tokens is not None
        state[DATA_UNIT] = "tokens" if tokens else "samples"
        state[DATA_SIZE] = training.dataset_tokens if tokens else training.dataset_samples
        state[EPOCHS] = training.epochs
        state[FLOPS_PER_SAMPLE] = training.flops_per_sample
        state[MFU_LOW] = training.utilisation.low
        state[MFU_EXPECTED] = training.utilisation.expected
        state[MFU_HIGH] = training.utilisation.high
        state[SCALING] = training.scaling_efficiency_per_doubling
        state[PRICE] = training.price_usd_per_device_hour
        state[SPOT] = training.pricing.spot
        state[RESERVED] = training.pricing.reserved

    state[BUY_ON] = plan.buy_vs_cloud is not None
    if plan.buy_vs_cloud is not None:
        buy = plan.buy_vs_cloud
        state[BUY_PRICE] = buy.purchase_price_usd_per_device
        state[BUY_DEVICES] = buy.devices
        state[BUY_TDP] = buy.tdp_w
        state[BUY_KWH] = buy.electricity_usd_per_kwh
        state[BUY_HOSTING] = buy.hosting_usd_per_month
        state[BUY_YEARS] = buy.amortisation_years
        state[BUY_CLOUD] = buy.cloud_price_usd_per_device_hour
        state[BUY_UTILISATION] = buy.utilisation * 100
        state[BUY_PUE] = buy.pue

    state[TEAM_ON] = plan.team is not None
    if plan.team is not None:
        team = plan.team
        state[TEAM_LABELLING] = team.labelling
        state[TEAM_COMPLEXITY] = team.model_complexity
        state[TEAM_SCALE] = team.serving_scale
        for name, key in TEAM_MONTHS.items():
            state[key] = getattr(team, name)
    rules = plan.team_rules or TeamRules()
    store_team_rules(rules)
    state[TEAM_SMALL] = rules.small_team_max_fte
    state[TEAM_LARGE] = rules.large_team_min_fte
    state[TEAM_RULES_ERROR] = None
    for editor in (TEAM_FTE_EDITOR, TEAM_COST_EDITOR):
        state.pop(editor, None)  # the editors start again from the loaded rules
    state[SCENARIO_NAME] = plan.name
    state[SCENARIO_NOTES] = plan.notes


def initialise(section: ResourcesSection, objects: cat.Catalogues, project_id: str) -> None:
    """First draw of the page in this session, after visiting another page, or for another project: the
    project's chosen scenario, else the defaults. (``?model=KEY`` is applied after, by apply_model_query.)"""
    state = st.session_state
    if MODEL_SOURCE not in state or state.get(PROJECT) != project_id:
        if state.get(PROJECT) != project_id:
            for key in (*PERSISTED, TEAM_RULES, TEAM_RULES_ERROR, BUY_PRICE):
                state.pop(key, None)  # another project's inputs must not leak into this one
        state[PROJECT] = project_id
        chosen = section.chosen_plan()
        if chosen is not None:
            load_plan(chosen, objects)
    for key, value in DEFAULTS.items():
        default(key, value)
    default(MODEL, DEFAULT_MODEL if DEFAULT_MODEL in objects.architectures else next(iter(objects.architectures)))
    if DEVICE not in st.session_state or objects.accelerator(st.session_state[DEVICE]) is None:
        fallback = DEFAULT_DEVICE if objects.accelerator(DEFAULT_DEVICE) else objects.accelerators[0].key
        st.session_state[DEVICE] = fallback
    if TEAM_RULES not in st.session_state:
        store_team_rules(TeamRules())


# Widget values kept while their tab is closed (only the open tab's widgets are drawn).
PERSISTED: tuple[str, ...] = (
    *DEFAULTS,
    MODEL,
    DEVICE,
    BUY_PRICE,
    BUY_DEVICES,
    BUY_TDP,
    BUY_CLOUD,
    SCENARIO_NAME,
    SCENARIO_NOTES,
    SCENARIO_PICK,
    COMPARE,
)


def persist_inputs() -> None:
    """Keep every input's value when its widget is not drawn this run (Streamlit drops a widget's value
    when the widget is not drawn; re-assigning the key keeps it, as Streamlit's docs advise)."""
    state = st.session_state
    for key in PERSISTED:
        if key in state:
            state[key] = state[key]


def apply_model_query(objects: cat.Catalogues) -> str | None:
    """Preselect ``?model=KEY`` once per value; returns a warning for an unknown key (None if fine)."""
    raw = st.query_params.get("model")
    if raw is None:
        return None
    key = str(raw).strip().lower()
    if key not in objects.architectures:
        shown = key if len(key) <= 60 else key[:60] + "…"
        return (
            f"The link asked for the model '{shown}', which is not in the architecture catalogue. Pick a model below."
        )
    if st.session_state.get(QUERY_APPLIED) != key:
        st.session_state[MODEL_SOURCE] = SOURCE_CATALOGUE
        st.session_state[MODEL] = key
        st.session_state[QUERY_APPLIED] = key
    return None
