"""Every input of the /resources page, declared once: its widget key, its value when nothing is loaded, the
field of the saved dataclass it stands for, and how its value is written back.

The tables below generate what the page needs around its widgets:

* ``DEFAULTS``: each input's value when nothing is loaded;
* ``plan_values``: a saved ResourcePlan as widget values (what loading a scenario puts into the widgets);
* ``PERSISTED``: every input, cleared when another project (or another visit to the page) starts;
* the builders ``current_plan``, ``serving_demand``, ``training_inputs``, ``buy_vs_cloud``, ``team_inputs`` and
  ``team_rules``: widget values -> the core's dataclasses (the core checks the values and words the refusal).

Rendering stays hand-written in views.resources.inputs: each widget is created with ``key=FIELD.key`` and
drawn when ``FIELD.applies(shape)`` (the FLOPs per sample are always shown, optional). Nothing here imports
Streamlit: ``values`` is ``st.session_state`` on the page and a plain dict in the tests.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import asdict, dataclass, field
from typing import Any, Generic, Literal, TypeVar

from core.hosted.choice import ApiChoice
from core.resources.architectures import Architecture
from core.resources.costs import BuyVersusCloud
from core.resources.evaluate import GENERATIVE_FAMILIES
from core.resources.labelling import LabellingInputs
from core.resources.plan import ResourcePlan, TrainingInputs
from core.resources.serving import DEFAULT_MAX_BATCH_WAIT_S, ServingDemand
from core.resources.sites import SiteDeployment
from core.resources.team import TeamInputs, TeamRules
from core.resources.training import PricingMultipliers, UtilisationBand
from core.resources.vocabulary import Mode

# st.session_state on the page (its keys are str | int), a dict in the tests.
Values = MutableMapping[Any, Any]
ReadValues = Mapping[Any, Any]
S = TypeVar("S")

SOURCE_CATALOGUE = "Catalogue"
SOURCE_CUSTOM = "Parameter count"
WORKLOADS: dict[str, str] = {
    "serve": "Serve (inference)",
    "train": "Train (from scratch or full fine-tune)",
    "lora": "Fine-tune with LoRA",
    "qlora": "Fine-tune with QLoRA (LoRA on int4 weights)",
}
MODE_OF_WORKLOAD: dict[str, Mode] = {"serve": "inference", "train": "train", "lora": "lora", "qlora": "lora"}
TEXT_FAMILIES = ("decoder", "encoder", "encoder-decoder")


class _Marker:
    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


NO_DEFAULT: Any = _Marker("NO_DEFAULT")  # the input has no fixed starting value (the catalogues or a device give it)
KEEP: Any = _Marker("KEEP")  # loading leaves the widget's value as it is


@dataclass(frozen=True)
class Shape:
    """Which inputs apply, from the stored choices and the chosen model (None: a parameter count)."""

    catalogue: bool  # a catalogue model; else a parameter count
    workload: str  # a key of WORKLOADS
    text: bool  # a language model: sequence or prompt tokens; else an image size
    can_generate: bool  # serving a model that generates text (the 'generate' switch is offered)
    generate: bool  # ... and generating: prompt + new tokens instead of one forward pass
    generative: bool  # the model can generate text (prompt and output tokens per request apply)
    tokens: bool  # the training data is counted in tokens; else in samples

    @property
    def trains(self) -> bool:
        return self.workload != "serve"

    @property
    def lora(self) -> bool:
        return self.workload in ("lora", "qlora")


def model_of(values: ReadValues, architectures: Mapping[str, Architecture]) -> Architecture | None:
    """The chosen catalogue model; None for a parameter count (or a key no longer in the catalogue)."""
    if values.get(MODEL_SOURCE.key) != SOURCE_CATALOGUE:
        return None
    return architectures.get(values.get(MODEL.key, ""))


def shape_of(values: ReadValues, arch: Architecture | None) -> Shape:
    family = arch.family if arch is not None else "decoder"  # a parameter count is a Llama-shaped decoder
    workload = str(values.get(WORKLOAD.key))
    can_generate = workload == "serve" and family in GENERATIVE_FAMILIES
    return Shape(
        catalogue=values.get(MODEL_SOURCE.key) == SOURCE_CATALOGUE,
        workload=workload,
        text=family in TEXT_FAMILIES,
        can_generate=can_generate,
        generate=can_generate and bool(values.get(GENERATE.key)),
        generative=family in GENERATIVE_FAMILIES,
        tokens=values.get(DATA_UNIT.key) == "tokens",
    )


def _always(shape: Shape) -> bool:
    return True


@dataclass(frozen=True)
class Scale:
    """A widget that shows a saved value in other units (a percentage of a fraction, millions of a count)."""

    to_widget: Callable[[Any], Any]
    to_saved: Callable[[Any], Any]


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# Values the core would refuse pass through unchanged, so its refusal names what the user typed.
PERCENT = Scale(lambda fraction: fraction * 100, lambda percent: percent / 100 if _number(percent) else percent)
MILLIONS = Scale(
    lambda count: float(count) / 1e6, lambda millions: float(millions) * 1e6 if millions is not None else math.nan
)


@dataclass(frozen=True)
class Field:
    """One input. ``attr`` is the saved dataclass's field it stands for ('utilisation.low' for a nested one;
    a function of the shape where the input stands for one field or another; None: it steers other inputs).

    ``load`` and ``save`` replace reading and writing the attribute as it is; ``empty`` says what a saved None
    loads as (None, the default, or the widget's value kept); ``applies`` says when the input counts: it is
    saved only then (otherwise the dataclass's default), and the page draws it only then.
    """

    key: str
    default: Any = NO_DEFAULT
    attr: str | Callable[[Shape], str] | None = None
    scale: Scale | None = None
    load: Callable[[Any], Any] | None = None
    save: Callable[[Any, Shape], Any] | None = None
    empty: Literal["none", "default", "keep"] = "none"
    applies: Callable[[Shape], bool] = _always

    def loaded(self, saved: Any) -> Any:
        """The widget value for ``saved`` (KEEP: leave the widget as it is)."""
        if self.load is not None:
            return self.load(saved)
        if not isinstance(self.attr, str):
            return KEEP
        value = saved
        for part in self.attr.split("."):
            value = getattr(value, part)
        if value is None:
            return {"none": None, "default": self.default, "keep": KEEP}[self.empty]
        return self.scale.to_widget(value) if self.scale is not None else value

    def saved(self, values: ReadValues, shape: Shape) -> Any:
        """The value to give the dataclass, from the widget's."""
        value = values.get(self.key)
        if self.save is not None:
            return self.save(value, shape)
        return self.scale.to_saved(value) if self.scale is not None else value


@dataclass(frozen=True)
class Group(Generic[S]):
    """The inputs of one dataclass: where the plan keeps it, its on/off switch, how to build it."""

    fields: tuple[Field, ...]
    saved: Callable[[ResourcePlan], S | None]
    make: Callable[..., S] | None = None
    toggle: Field | None = None  # the section's switch: on when the plan has the section
    nested: Mapping[str, Callable[..., Any]] = field(default_factory=dict)

    @property
    def every_field(self) -> tuple[Field, ...]:
        return (self.toggle, *self.fields) if self.toggle is not None else self.fields

    def is_on(self, values: ReadValues) -> bool:
        return self.toggle is None or bool(values.get(self.toggle.key))

    def load(self, plan: ResourcePlan, into: dict[str, Any]) -> None:
        saved = self.saved(plan)
        if self.toggle is not None:
            into[self.toggle.key] = saved is not None
        if saved is None:
            return
        for each in self.fields:
            value = each.loaded(saved)
            if value is not KEEP:
                into[each.key] = value

    def build(self, values: ReadValues, shape: Shape, **fixed: Any) -> S:
        """The dataclass from the widget values of the inputs that apply (the rest take the dataclass's
        defaults); ``fixed`` gives the fields that are no input of this group. ValueError from the core."""
        assert self.make is not None, "this group is not built from its widgets"
        kwargs: dict[str, Any] = dict(fixed)
        parts: dict[str, dict[str, Any]] = {}
        for each in self.fields:
            attr = each.attr(shape) if callable(each.attr) else each.attr
            if attr is None or not each.applies(shape):
                continue
            outer, _, inner = attr.partition(".")
            if inner:
                parts.setdefault(outer, {})[inner] = each.saved(values, shape)
            else:
                kwargs[attr] = each.saved(values, shape)
        for outer, inner_kwargs in parts.items():
            kwargs[outer] = self.nested[outer](**inner_kwargs)
        return self.make(**kwargs)


def _workload_choice(plan: ResourcePlan) -> str:
    if plan.mode == "inference":
        return "serve"
    if plan.mode == "train":
        return "train"
    return "qlora" if plan.precision == "int4" else "lora"


# --- model and workload (fields of ResourcePlan) ---------------------------------------------------------

MODEL_SOURCE = Field(
    "res_model_source",
    SOURCE_CATALOGUE,
    load=lambda plan: SOURCE_CATALOGUE if plan.model_key is not None else SOURCE_CUSTOM,
)
MODEL = Field("res_model", attr="model_key", empty="keep", applies=lambda s: s.catalogue)
CUSTOM_PARAMS_M = Field(
    "res_custom_params_m", 7000.0, "custom_params", MILLIONS, empty="keep", applies=lambda s: not s.catalogue
)
WORKLOAD = Field(
    "res_workload",
    "serve",
    "mode",
    load=_workload_choice,
    save=lambda workload, shape: MODE_OF_WORKLOAD.get(workload, workload),
)
PRECISION = Field(
    "res_precision",
    "bf16",
    "precision",
    save=lambda precision, shape: "int4" if shape.workload == "qlora" else precision,
)
OPTIMIZER = Field("res_optimizer", "adamw", "optimizer", applies=lambda s: s.trains)
BATCH = Field("res_batch", 8, "batch")
GENERATE = Field("res_generate", True, load=lambda plan: plan.new_tokens is not None)
SEQ = Field("res_seq", 2048, "seq", empty="default", applies=lambda s: s.text and not s.generate)
PROMPT = Field("res_prompt_tokens", 512, "prompt_tokens", empty="default", applies=lambda s: s.generate)
NEW = Field("res_new_tokens", 256, "new_tokens", empty="default", applies=lambda s: s.generate)
IMAGE = Field("res_image_size", 224, "image_size", empty="default", applies=lambda s: not s.text)
CHECKPOINTING = Field("res_grad_checkpointing", False, "grad_checkpointing", applies=lambda s: s.trains)
LORA_RANK = Field("res_lora_rank", 16, "lora_rank", empty="default", applies=lambda s: s.lora)
DEVICE = Field("res_device", attr="device_key", empty="keep")
DEVICES = Field("res_devices", 1, "devices")
# The software stack: eager PyTorch unless the workload serves a language model (then also the engines).
ENGINE = Field("res_engine", "pytorch", "engine")
KV_CACHE_DTYPE = Field("res_kv_cache_dtype", "auto", "kv_cache_dtype", applies=lambda s: s.generate)
# Static batching's wait (pytorch and llama.cpp serving); drawn with the serving inputs, saved with the plan.
MAX_BATCH_WAIT = Field("res_max_batch_wait_s", DEFAULT_MAX_BATCH_WAIT_S, "max_batch_wait_s")

MODEL_INPUTS: Group[ResourcePlan] = Group(
    fields=(
        MODEL_SOURCE,
        MODEL,
        CUSTOM_PARAMS_M,
        WORKLOAD,
        PRECISION,
        OPTIMIZER,
        BATCH,
        GENERATE,
        SEQ,
        PROMPT,
        NEW,
        IMAGE,
        CHECKPOINTING,
        LORA_RANK,
        DEVICE,
        DEVICES,
        ENGINE,
        KV_CACHE_DTYPE,
        MAX_BATCH_WAIT,
    ),
    saved=lambda plan: plan,
    make=ResourcePlan,
)

# --- serving demand ------------------------------------------------------------------------------------

SERVING_ON = Field("res_serving_on", True)
PEAK = Field("res_peak_rps", 10.0, "peak_requests_per_s")
AVERAGE = Field("res_average_rps", 3.0, "average_requests_per_s")
LATENCY = Field("res_latency_s", 10.0, "latency_target_p95_s")
SAMPLES = Field("res_samples", 1.0, "samples_per_request")
HEADROOM = Field("res_headroom_pct", 30.0, "headroom", PERCENT)
# One token budget: a request is the workload's prompt and new tokens (Model and workload), so memory and the
# serving plan count the same tokens. ServingDemand's own token counts are read from older saved plans only,
# and the overview names a plan whose counts differ from its workload's as an open problem.

SERVING: Group[ServingDemand] = Group(
    fields=(PEAK, AVERAGE, LATENCY, SAMPLES, HEADROOM),
    saved=lambda plan: plan.serving,
    make=ServingDemand,
    toggle=SERVING_ON,
)

# --- training ------------------------------------------------------------------------------------------

TRAINING_ON = Field("res_training_on", False)  # off until set up: no cost from defaults nobody entered
DATA_UNIT = Field(
    "res_data_unit", "tokens", load=lambda training: "tokens" if training.dataset_tokens is not None else "samples"
)
DATA_SIZE = Field(
    "res_data_size",
    1e9,
    lambda s: "dataset_tokens" if s.tokens else "dataset_samples",
    load=lambda training: training.dataset_tokens if training.dataset_tokens is not None else training.dataset_samples,
)
EPOCHS = Field("res_epochs", 1.0, "epochs")
FLOPS_PER_SAMPLE = Field("res_flops_per_sample", None, "flops_per_sample", applies=lambda s: not s.tokens)
MFU_LOW = Field("res_mfu_low", 0.30, "utilisation.low")
MFU_EXPECTED = Field("res_mfu_expected", 0.40, "utilisation.expected")
MFU_HIGH = Field("res_mfu_high", 0.50, "utilisation.high")
SCALING = Field("res_scaling", 0.97, "scaling_efficiency_per_doubling")
PRICE = Field("res_price_override", None, "price_usd_per_device_hour")
SPOT = Field("res_spot", 0.40, "pricing.spot")
RESERVED = Field("res_reserved", 0.60, "pricing.reserved")
# The device the run trains on; SAME_DEVICE (never a catalogue key: keys are not empty) saves None, the plan's.
SAME_DEVICE = ""
TRAINING_DEVICE = Field(
    "res_training_device",
    SAME_DEVICE,
    "device_key",
    load=lambda training: training.device_key if training.device_key is not None else SAME_DEVICE,
    save=lambda key, shape: None if key == SAME_DEVICE else key,
)
TRAINING_DEVICES = Field("res_training_devices", None, "devices")  # None: the plan's count

TRAINING: Group[TrainingInputs] = Group(
    fields=(
        DATA_UNIT,
        DATA_SIZE,
        EPOCHS,
        FLOPS_PER_SAMPLE,
        MFU_LOW,
        MFU_EXPECTED,
        MFU_HIGH,
        SCALING,
        PRICE,
        SPOT,
        RESERVED,
        TRAINING_DEVICE,
        TRAINING_DEVICES,
    ),
    saved=lambda plan: plan.training,
    make=TrainingInputs,
    toggle=TRAINING_ON,
    nested={"utilisation": UtilisationBand, "pricing": PricingMultipliers},
)

# --- buy versus cloud (price, devices, TDP and cloud price start from the chosen device) ---------------

BUY_ON = Field("res_buy_on", False)
BUY_PRICE = Field("res_buy_price", attr="purchase_price_usd_per_device")
BUY_DEVICES = Field("res_buy_devices", attr="devices")
BUY_TDP = Field("res_buy_tdp", attr="tdp_w")
BUY_KWH = Field("res_buy_kwh", 0.15, "electricity_usd_per_kwh")
BUY_HOSTING = Field("res_buy_hosting", 1000.0, "hosting_usd_per_month")
BUY_YEARS = Field("res_buy_years", 4.0, "amortisation_years")
BUY_CLOUD = Field("res_buy_cloud", attr="cloud_price_usd_per_device_hour")
BUY_UTILISATION = Field("res_buy_utilisation_pct", 60.0, "utilisation", PERCENT)
BUY_PUE = Field("res_buy_pue", 1.4, "pue")

BUY: Group[BuyVersusCloud] = Group(
    fields=(BUY_PRICE, BUY_DEVICES, BUY_TDP, BUY_KWH, BUY_HOSTING, BUY_YEARS, BUY_CLOUD, BUY_UTILISATION, BUY_PUE),
    saved=lambda plan: plan.buy_vs_cloud,
    make=BuyVersusCloud,
    toggle=BUY_ON,
)

# --- serving on devices at the sites (off until set up) ------------------------------------------------------

SITES_ON = Field("res_sites_on", False)
SITES_COUNT = Field("res_sites_count", 10, "sites")
SITES_DEVICES = Field("res_sites_devices", 1, "devices_per_site")
SITES_PRICE = Field("res_sites_price", None, "device_price_usd")  # None: the device's list price
SITES_POWER = Field("res_sites_power_w", None, "power_w_per_device")  # None: the device's TDP
SITES_KWH = Field("res_sites_kwh", 0.15, "electricity_usd_per_kwh")
SITES_YEARS = Field("res_sites_years", 4.0, "amortisation_years")
SITES_POWERED = Field("res_sites_powered_pct", 100.0, "powered_share", PERCENT)
SITES: Group[SiteDeployment] = Group(
    fields=(SITES_COUNT, SITES_DEVICES, SITES_PRICE, SITES_POWER, SITES_KWH, SITES_YEARS, SITES_POWERED),
    saved=lambda plan: plan.sites,
    make=SiteDeployment,
    toggle=SITES_ON,
)

# --- data and labelling (absent unless switched on: no cost from defaults nobody entered) --------------------

LABELLING_ON = Field("res_labelling_on", False)
LABELLING_ITEMS = Field("res_labelling_items", 10_000.0, "items")
LABELLING_SECONDS = Field("res_labelling_seconds", 30.0, "seconds_per_item")
LABELLING_PRICE = Field("res_labelling_usd_per_item", None, "usd_per_item")  # None: labelled in house
LABELLING: Group[LabellingInputs] = Group(
    fields=(LABELLING_ITEMS, LABELLING_SECONDS, LABELLING_PRICE),
    saved=lambda plan: plan.labelling,
    make=LabellingInputs,
    toggle=LABELLING_ON,
)

# --- team ------------------------------------------------------------------------------------------------

TEAM_ON = Field("res_team_on", False)  # off until set up, like training and labelling
TEAM_LABELLING = Field("res_team_labelling", "light", "labelling")
TEAM_COMPLEXITY = Field("res_team_complexity", "moderate", "model_complexity")
TEAM_SCALE = Field("res_team_scale", "online", "serving_scale")
TEAM_MONTHS = (
    Field("res_team_data_months", 3.0, "data_months"),
    Field("res_team_modelling_months", 4.0, "modelling_months"),
    Field("res_team_deployment_months", 2.0, "deployment_months"),
    Field("res_team_monitoring_months", 6.0, "monitoring_months"),
)

TEAM: Group[TeamInputs] = Group(
    fields=(TEAM_LABELLING, TEAM_COMPLEXITY, TEAM_SCALE, *TEAM_MONTHS),
    saved=lambda plan: plan.team,
    make=TeamInputs,
    toggle=TEAM_ON,
)


# The rules of thumb: the FTE and cost tables are edited in data editors (their state cannot outlive a
# hidden tab), so the last valid rules are kept as plain values under TEAM_RULES; these two are inputs.
def _rules(plan: ResourcePlan) -> TeamRules:
    return plan.team_rules or TeamRules()


TEAM_SMALL = Field("res_team_small_fte", 3.0, "small_team_max_fte")
TEAM_LARGE = Field("res_team_large_fte", 8.0, "large_team_min_fte")
RULES: Group[TeamRules] = Group(fields=(TEAM_SMALL, TEAM_LARGE), saved=_rules, make=TeamRules)
TEAM_RULES = "res_team_rules"  # not a widget: the rules the editors start from, as plain values
TEAM_RULES_ERROR = "res_team_rules_error"  # not a widget: why the last edited rules were refused
TEAM_FTE_EDITOR = "res_team_fte_editor"
TEAM_COST_EDITOR = "res_team_cost_editor"

# --- API or self-host (core.hosted): the hosted model the scenario is compared with ------------------------

API_ON = Field("res_api_on", True)
API_MODEL = Field("res_api_model", attr="hosted_model")  # no default: the page offers the same open weights first
API_AUDIO = Field("res_api_audio_minutes", 0.0, "audio_minutes_per_request")
API_FIXED = Field("res_api_fixed_usd", 0.0, "fixed_usd_per_month")
API_TEAM = Field("res_api_team_usd", None, "team_usd_per_month")
API: Group[ApiChoice] = Group(
    fields=(API_MODEL, API_AUDIO, API_FIXED, API_TEAM),
    saved=lambda plan: plan.api_comparison,
    make=ApiChoice,
    toggle=API_ON,
)

# --- scenarios -----------------------------------------------------------------------------------------

SCENARIO_NAME = Field("res_scenario_name", attr="name")
SCENARIO_NOTES = Field("res_scenario_notes", attr="notes")
SCENARIO_PICK = Field("res_scenario_pick")
COMPARE = Field("res_compare")
SCENARIO: Group[ResourcePlan] = Group(
    fields=(SCENARIO_NAME, SCENARIO_NOTES, SCENARIO_PICK, COMPARE), saved=lambda plan: plan
)

GROUPS: tuple[Group[Any], ...] = (
    MODEL_INPUTS,
    SERVING,
    SITES,
    TRAINING,
    BUY,
    TEAM,
    RULES,
    LABELLING,
    API,
    SCENARIO,
)
FIELDS: tuple[Field, ...] = tuple(each for group in GROUPS for each in group.every_field)

# Each input's value when nothing is loaded (the model and device come from the catalogues; the purchase
# figures from the chosen device; the scenario's name and notes start empty).
DEFAULTS: dict[str, Any] = {each.key: each.default for each in FIELDS if each.default is not NO_DEFAULT}
# Every input: cleared when another project, or another visit to the page, starts (views.resources.state).
PERSISTED: tuple[str, ...] = tuple(each.key for each in FIELDS)


# --- saved plan -> widget values ----------------------------------------------------------------------


def plan_values(plan: ResourcePlan, known_device: Callable[[str], bool]) -> dict[str, Any]:
    """The widget values that show ``plan`` (keys left out keep their widget's value): a section the plan
    lacks is switched off with its inputs as they are; a device no longer in the catalogue keeps the choice."""
    values: dict[str, Any] = {}
    for group in GROUPS:
        group.load(plan, values)
    if DEVICE.key in values and not known_device(values[DEVICE.key]):
        del values[DEVICE.key]
    if values.get(TRAINING_DEVICE.key, SAME_DEVICE) != SAME_DEVICE and not known_device(values[TRAINING_DEVICE.key]):
        del values[TRAINING_DEVICE.key]
    values[TEAM_RULES] = asdict(_rules(plan))
    values[TEAM_RULES_ERROR] = None
    return values


def load_plan(plan: ResourcePlan, values: Values, known_device: Callable[[str], bool]) -> None:
    """Put a saved scenario's inputs into ``values`` (the editors start again from its rules)."""
    values.update(plan_values(plan, known_device))
    for editor in (TEAM_FTE_EDITOR, TEAM_COST_EDITOR):
        values.pop(editor, None)


def store_team_rules(values: Values, rules: TeamRules) -> None:
    """Keep the rules as plain values: an object would outlive its class when Streamlit reloads edited modules."""
    values[TEAM_RULES] = asdict(rules)


def stored_team_rules(values: ReadValues) -> TeamRules:
    """The stored rules of thumb (the defaults if they no longer validate)."""
    try:
        return TeamRules(**values[TEAM_RULES])
    except (KeyError, TypeError, ValueError):
        return TeamRules()


# --- widget values -> the core's dataclasses (ValueError from the core for a refused value) ----------------


def current_plan(
    values: ReadValues,
    shape: Shape,
    *,
    name: str,
    serving: ServingDemand | None,
    training: TrainingInputs | None,
    buy_vs_cloud: BuyVersusCloud | None,
    team: TeamInputs | None,
    team_rules: TeamRules | None,
    api_comparison: ApiChoice | None = None,
    labelling: LabellingInputs | None = None,
    sites: SiteDeployment | None = None,
) -> ResourcePlan:
    """The plan of the model-and-workload inputs with the given sections."""
    return MODEL_INPUTS.build(
        values,
        shape,
        name=name,
        serving=serving,
        training=training,
        buy_vs_cloud=buy_vs_cloud,
        team=team,
        team_rules=team_rules,
        api_comparison=api_comparison,
        labelling=labelling,
        sites=sites,
    )


def serving_demand(values: ReadValues, shape: Shape) -> ServingDemand:
    return SERVING.build(values, shape)


def training_inputs(values: ReadValues, shape: Shape) -> TrainingInputs:
    return TRAINING.build(values, shape)


def buy_vs_cloud(values: ReadValues, shape: Shape) -> BuyVersusCloud:
    return BUY.build(values, shape)


def api_choice(values: ReadValues, shape: Shape) -> ApiChoice:
    return API.build(values, shape)


def site_deployment(values: ReadValues, shape: Shape) -> SiteDeployment:
    return SITES.build(values, shape)


def labelling_inputs(values: ReadValues, shape: Shape) -> LabellingInputs:
    return LABELLING.build(values, shape)


def team_inputs(values: ReadValues, shape: Shape) -> TeamInputs:
    return TEAM.build(values, shape)


def team_rules(
    values: ReadValues,
    shape: Shape,
    base: TeamRules,
    *,
    base_fte: tuple[tuple[str, str, Any], ...],
    loaded_cost_usd_per_fte_month: tuple[tuple[str, Any], ...],
) -> TeamRules:
    """``base`` with the edited FTE and cost tables and the two team-size inputs."""
    return RULES.build(
        values,
        shape,
        base_fte=base_fte,
        complexity_multipliers=base.complexity_multipliers,
        serving_multipliers=base.serving_multipliers,
        labelling_multipliers=base.labelling_multipliers,
        loaded_cost_usd_per_fte_month=loaded_cost_usd_per_fte_month,
    )
