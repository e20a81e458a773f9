"""The /resources page's inputs: model and workload, serving demand, training, buy versus cloud, team.

Each ``render_*`` draws its widgets (values live in ``st.session_state`` under the keys declared in
views.resources.fields, which also turns them into the core's dataclasses) and shows the core's ValueError
right under the widgets when a value is refused. It returns the dataclass, or None when the section is off
or refused (``Section.error`` says which).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import pandas as pd
import streamlit as st

from core.references.evidence import markdown_link_target
from core.resources.accelerators import Accelerator
from core.resources.architectures import FAMILIES, Architecture
from core.resources.costs import DEFAULT_PUE, BuyVersusCloud
from core.resources.engines import ENGINE_RULES, KV_CACHE_DTYPES_BY_ENGINE
from core.resources.labelling import LabellingInputs
from core.resources.plan import TrainingInputs
from core.resources.serving import ServingDemand
from core.resources.sites import SiteDeployment
from core.resources.team import (
    COMPLEXITY_LEVELS,
    LABELLING_LEVELS,
    PHASES,
    ROLES,
    SERVING_SCALES,
    TeamInputs,
    TeamRules,
)
from core.resources.vocabulary import ENGINES, OPTIMIZERS, Engine, KvCacheDtype, Optimizer, Precision
from ui import catalogues as cat
from ui.text import distinct_labels, escape_markdown
from views.resources import fields as f
from views.resources import state as rs

T = TypeVar("T")
KEEP: rs.PersistScope = rs.KEEP_WHILE_HIDDEN

PRECISION_LABELS: dict[Precision, str] = {
    "fp32": "fp32 (4 bytes per parameter)",
    "amp": "amp: fp32 weights, bf16 autocast",
    "bf16": "bf16 (2 bytes per parameter)",
    "fp16": "fp16 (2 bytes; fp32 master weights when training)",
    "fp8": "fp8 (1 byte; Transformer Engine when training)",
    "int8": "int8 weights (1 byte + scales)",
    "int4": "int4 weights (0.5 byte + scales)",
}
PRECISIONS_BY_WORKLOAD: dict[str, tuple[Precision, ...]] = {
    "serve": ("bf16", "fp16", "fp8", "int8", "int4", "fp32"),
    "train": ("amp", "bf16", "fp16", "fp8", "fp32"),
    "lora": ("bf16", "amp", "fp16", "fp32", "int8"),
    "qlora": ("int4",),
}
ENGINE_HELP = (
    "The software that runs the model; each keeps memory its own way. Eager PyTorch / Hugging Face allocates "
    "as it goes (tensors + allocator slack + CUDA context). vLLM reserves gpu_memory_utilization = 0.9 of the "
    "device and SGLang mem_fraction_static = 0.88; TensorRT-LLM gives 90 % of the memory left after loading "
    "to its KV cache (free_gpu_memory_fraction). What weights and workspace leave becomes a paged KV pool: "
    "how many sequences can run at once. llama.cpp stores GGUF weights (int4 = Q4_K_M, 4.84 bits; int8 = "
    "Q8_0, 8.5 bits). Sources: docs/estimator.md."
)
KV_DTYPE_LABELS: dict[KvCacheDtype, str] = {
    "auto": "auto (the stack's default)",
    "fp16": "fp16 (2 bytes)",
    "bf16": "bf16 (2 bytes)",
    "fp8": "fp8 (1 byte: vLLM, SGLang, TensorRT-LLM)",
    "int8": "int8 (1 byte + scales: TensorRT-LLM, llama.cpp q8_0)",
}
OPTIMIZER_LABELS: dict[Optimizer, str] = {
    "adamw": "AdamW (2 fp32 states per parameter)",
    "adamw-8bit": "AdamW 8-bit (bitsandbytes)",
    "sgd": "SGD (no state)",
    "sgd-momentum": "SGD with momentum (1 state)",
    "adafactor": "Adafactor (factored states)",
}


@dataclass(frozen=True)
class ModelInputs:
    """The model and device the widgets chose (arch None: a parameter count) and which inputs apply."""

    arch: Architecture | None
    device: Accelerator | None
    shape: f.Shape

    @property
    def devices(self) -> Any:
        return st.session_state.get(f.DEVICES.key, 1)


@dataclass(frozen=True)
class Section(Generic[T]):
    """One optional section's value (None when off or refused) and the refusal."""

    value: T | None = None
    error: str | None = None


def params_text(count: float) -> str:
    """8.03e9 -> '8.0 B', 1.1e8 -> '110 M' (parameter counts)."""
    if count >= 1e9:
        return f"{count / 1e9:,.1f} B"
    if count >= 1e6:
        return f"{count / 1e6:,.0f} M"
    return f"{count:,.0f}"


def _arch_label(arch: Architecture) -> str:
    return f"{arch.name} · {params_text(arch.published_or_counted_params)} · {arch.family}"


def _device_label(acc: Accelerator | None) -> str:
    if acc is None:  # the picker offers catalogue keys only; a removed row shows as such until re-picked
        return "a device no longer in the catalogue"
    price = f"${acc.cloud_usd_per_hour:,.2f}/h" if acc.cloud_usd_per_hour is not None else "no cloud price"
    return f"{acc.model} · {acc.memory_gb:,.0f} GB · {price}"


def _keep_valid(key: str, options: list[Any], fallback: Any) -> None:
    if st.session_state.get(key) not in options:
        st.session_state[key] = fallback


def _number(column: Any, label: str, field: f.Field, *, help: str | None = None, step: float | None = None) -> Any:
    """A number input without bounds (the core checks the value and says what is wrong)."""
    return column.number_input(label, key=field.key, step=step, format="%g", help=help, persist_state=KEEP)


def _count(
    column: Any, label: str, field: f.Field, *, step: int, minimum: int | None = 1, help: str | None = None
) -> Any:
    """A whole-number input (a count of tokens, devices, pixels)."""
    return column.number_input(label, key=field.key, min_value=minimum, step=step, help=help, persist_state=KEEP)


def render_model_inputs(objects: cat.Catalogues) -> ModelInputs:
    """Model (catalogue or custom), workload, precision, batch, tokens or image size, device and count."""
    state = st.session_state
    archs = objects.architectures
    family_rank = {family: i for i, family in enumerate(FAMILIES)}
    keys = sorted(archs, key=lambda k: (family_rank.get(archs[k].family, 99), archs[k].published_or_counted_params))
    devices = [acc.key for acc in objects.accelerators]
    _keep_valid(f.MODEL.key, keys, rs.DEFAULT_MODEL if rs.DEFAULT_MODEL in archs else keys[0])
    _keep_valid(f.DEVICE.key, devices, devices[0])
    arch = f.model_of(state, archs)
    shape = f.shape_of(state, arch)

    c1, c2, c3, c4 = st.columns([1.1, 2.2, 1.6, 1.6])
    c1.radio(
        "Model",
        [f.SOURCE_CATALOGUE, f.SOURCE_CUSTOM],
        key=f.MODEL_SOURCE.key,
        help="Pick a published architecture, or give only a parameter count (the estimator then "
        "assumes a Llama-3-shaped decoder of that size).",
    )
    if arch is not None:
        c2.selectbox(
            "Architecture",
            keys,
            key=f.MODEL.key,
            persist_state=KEEP,
            format_func=lambda k: _arch_label(archs[k]),
            help="Sorted by family, then size. Parameter counts as published (B = 10⁹).",
        )
        if arch.source_url:
            c2.caption(f"[Source of the configuration]({markdown_link_target(arch.source_url)})")
    else:
        _number(
            c2,
            "Parameters (millions)",
            f.CUSTOM_PARAMS_M,
            step=100.0,
            help="7,000 = a 7 B model. Memory follows this count; speed assumes a Llama-3-like "
            "decoder (hidden = 128 x layers, SwiGLU, grouped-query attention).",
        )
    workload = c3.selectbox(
        "Workload",
        list(f.WORKLOADS),
        key=f.WORKLOAD.key,
        format_func=f.WORKLOADS.__getitem__,
        help="Serve: one forward pass or text generation. Train: every weight gets gradients "
        "and optimizer state (from scratch and full fine-tuning need the same memory). "
        "LoRA freezes the base weights; QLoRA also stores them in int4.",
    )
    precisions = list(PRECISIONS_BY_WORKLOAD[workload])
    _keep_valid(f.PRECISION.key, precisions, precisions[0])
    c4.selectbox(
        "Precision",
        precisions,
        key=f.PRECISION.key,
        format_func=PRECISION_LABELS.__getitem__,
        disabled=workload == "qlora",
        help="Bytes per parameter of the weights. amp keeps fp32 weights and computes in bf16.",
    )
    if f.OPTIMIZER.applies(shape):
        c4.selectbox(
            "Optimizer",
            list(OPTIMIZERS),
            key=f.OPTIMIZER.key,
            persist_state=KEEP,
            format_func=OPTIMIZER_LABELS.__getitem__,
            help="Optimizer state per trainable parameter (fp32 unless stated).",
        )

    engines: list[Engine] = list(ENGINES) if workload == "serve" and shape.generative else ["pytorch"]
    _keep_valid(f.ENGINE.key, engines, "pytorch")
    s1, s2, _ = st.columns([1.1, 2.2, 3.2])
    s1.selectbox(
        "Stack",
        engines,
        key=f.ENGINE.key,
        format_func=lambda e: ENGINE_RULES[e].label,
        help=ENGINE_HELP
        + ("" if len(engines) > 1 else " Training, fine-tuning and non-text models run on eager PyTorch here."),
    )
    if f.KV_CACHE_DTYPE.applies(shape):
        kv_dtypes = list(KV_CACHE_DTYPES_BY_ENGINE[st.session_state[f.ENGINE.key]])
        _keep_valid(f.KV_CACHE_DTYPE.key, kv_dtypes, "auto")
        s2.selectbox(
            "KV-cache dtype",
            kv_dtypes,
            key=f.KV_CACHE_DTYPE.key,
            persist_state=KEEP,
            format_func=KV_DTYPE_LABELS.__getitem__,
            help="Bytes per cached key/value. auto: the compute dtype, except TensorRT-LLM with fp8 weights "
            "(its fp8 recipe also stores the KV cache in fp8). Halving it doubles the sequences the pool holds.",
        )

    d1, d2, d3, d4 = st.columns([1.1, 2.2, 1.6, 1.6])
    _count(d1, "Batch", f.BATCH, step=1, help="Sequences or images processed together per step (the global batch).")
    if shape.can_generate:
        d2.checkbox(
            "Generate text (prompt → new tokens)",
            key=f.GENERATE.key,
            persist_state=KEEP,
            help="Autoregressive decoding with a KV cache; off: one forward pass.",
        )
    if f.PROMPT.applies(shape):
        p1, p2 = d2.columns(2)
        _count(p1, "Prompt tokens", f.PROMPT, step=64)
        _count(p2, "New tokens", f.NEW, step=64, help="Tokens generated per sequence.")
    if f.SEQ.applies(shape):
        _count(
            d2, "Sequence length (tokens)", f.SEQ, step=256, help="Tokens per sequence; at most the model's context."
        )
    if f.IMAGE.applies(shape):
        _count(
            d2,
            "Image size (pixels)",
            f.IMAGE,
            step=32,
            minimum=8,
            help="Side of the square input; activations and FLOPs scale with the pixel count.",
        )
    if f.CHECKPOINTING.applies(shape):
        d2.checkbox(
            "Gradient checkpointing",
            key=f.CHECKPOINTING.key,
            persist_state=KEEP,
            help="Keep only each block's input; recompute the rest in "
            "the backward pass (less memory, ~1/3 more compute).",
        )
    if f.LORA_RANK.applies(shape):
        _count(d2, "LoRA rank", f.LORA_RANK, step=8, help="Adapters on q, k, v and o projections.")
    device_labels = distinct_labels({key: _device_label(objects.accelerator(key)) for key in devices}, 200)
    device_key = d3.selectbox(
        "Device",
        devices,
        key=f.DEVICE.key,
        format_func=device_labels.__getitem__,
        help="Your own rows from the Accelerators page are included. GB = 10⁹ bytes.",
    )
    _count(
        d4,
        "Number of devices",
        f.DEVICES,
        step=1,
        help="Devices for this workload: memory is shown per device in the best "
        "layout for this count; training uses them all unless the Training tab names its own.",
    )
    return ModelInputs(arch=arch, device=objects.accelerator(device_key), shape=shape)


def _build(make: Callable[[], T], shown: bool) -> Section[T]:
    """Build a section's dataclass from the stored values; show the core's refusal where the widgets are."""
    try:
        return Section(value=make())
    except ValueError as error:
        if shown:
            st.error(escape_markdown(str(error)), icon=":material/warning:")
        return Section(error=str(error))


def _enabled(shown: bool, label: str, group: f.Group[Any], help: str, hint: str) -> bool:
    """The section's on/off toggle (drawn only when its tab is open; the stored value otherwise)."""
    if not shown:
        return group.is_on(st.session_state)
    assert group.toggle is not None
    on = st.toggle(label, key=group.toggle.key, persist_state=KEEP, help=help)
    if not on:
        st.info(hint)
    return on


def _tokens(field: f.Field) -> str:
    value = st.session_state.get(field.key)
    return f"{value:,}" if isinstance(value, int) else "default"


def render_serving_inputs(model: ModelInputs, shown: bool) -> Section[ServingDemand]:
    """The three sizing questions: request rates, samples (or tokens) per request, p95 latency target.

    Widgets are drawn when ``shown`` (their tab is open); the demand is built from the stored values always.
    """
    if not _enabled(
        shown,
        "Plan serving",
        f.SERVING,
        "Size replicas and monthly cost for a request load.",
        "Turn on **Plan serving** to size replicas for a request rate and a latency target.",
    ):
        return Section()
    if shown:
        with st.form("res_serving_form", border=True):
            c1, c2, c3 = st.columns(3)
            _number(
                c1,
                "Peak requests per second",
                f.PEAK,
                step=1.0,
                help="How often do requests come at the busiest time? Replicas are sized for this rate.",
            )
            _number(
                c2,
                "Average requests per second",
                f.AVERAGE,
                step=1.0,
                help="The usual rate: the 'monthly cost at average' assumes replicas scale down to it.",
            )
            _number(
                c3,
                "Latency target, p95 (seconds)",
                f.LATENCY,
                step=0.1,
                help="How fast must the reply be? 95 % of requests answer within this time. "
                "p95 = batch fill wait + service time of the batch.",
            )
            e1, e2, e3 = st.columns(3)
            _number(
                e1,
                "Samples per request",
                f.SAMPLES,
                step=1.0,
                help="How many samples (images, texts, sequences) does one request carry on average?",
            )
            _number(
                e2,
                "Headroom (% above peak)",
                f.HEADROOM,
                step=5.0,
                help="Spare capacity for bursts, failures and roll-outs: replicas = ceil(peak x (1 + headroom) / "
                "requests per second per replica).",
            )
            if model.shape.generate:
                e3.caption(
                    f"**Tokens per request**: the workload's {_tokens(f.PROMPT)} prompt + {_tokens(f.NEW)} new "
                    "tokens (Model and workload above): memory and serving count the same request."
                )
            if st.session_state.get(f.ENGINE.key, "pytorch") in ("pytorch", "llama.cpp"):
                _number(
                    e1,
                    "Maximum batch wait (s)",
                    f.MAX_BATCH_WAIT,
                    step=0.05,
                    help="Static batching: a batch leaves when full or after this wait (TorchServe's "
                    "max_batch_delay, 0.1 s by default). The serving engines batch continuously instead.",
                )
            st.form_submit_button("Update the serving plan", key="res_serving_apply", type="primary")
    return _build(lambda: f.serving_demand(st.session_state, model.shape), shown)


def render_training_inputs(model: ModelInputs, shown: bool, objects: cat.Catalogues) -> Section[TrainingInputs]:
    """Dataset size x epochs, utilisation band, prices (on-demand override, spot and reserved fractions), and
    the device the run trains on (the one chosen above unless another is picked)."""
    if not _enabled(
        shown,
        "Plan training",
        f.TRAINING,
        "Estimate training time and cost.",
        "Turn on **Plan training** to estimate compute, time and cost of a training run.",
    ):
        return Section()
    if shown:
        with st.form("res_training_form", border=True):
            c1, c2, c3, c4 = st.columns(4)
            c1.radio(
                "Dataset counted in",
                ["tokens", "samples"],
                key=f.DATA_UNIT.key,
                persist_state=KEEP,
                horizontal=True,
                help="Tokens for language models (compute = 6 x parameters x tokens); samples for vision "
                "(compute = 3 x forward FLOPs per sample).",
            )
            _number(c2, "Dataset size (tokens or samples)", f.DATA_SIZE, step=1e6, help="Per epoch. 1e9 = one billion.")
            _number(c3, "Epochs", f.EPOCHS, step=1.0, help="Passes over the dataset.")
            _number(
                c4,
                "Training FLOPs per sample (optional)",
                f.FLOPS_PER_SAMPLE,
                step=1e9,
                help="Only for a dataset in samples: 3 x the forward FLOPs. Empty: from the catalogue "
                "(vision) or 6 x parameters x sequence length (transformers).",
            )
            u1, u2, u3, u4 = st.columns(4)
            _number(
                u1,
                "MFU low",
                f.MFU_LOW,
                step=0.05,
                help="Model FLOPs utilisation: the share of the dense peak useful FLOPs reach. Llama 3: 38-43 % "
                "on H100s; PaLM: 46 % on TPU v4; eager PyTorch on the H200: 33 %.",
            )
            _number(u2, "MFU expected", f.MFU_EXPECTED, step=0.05, help="Wall time = FLOPs / (devices x peak x MFU).")
            _number(u3, "MFU high", f.MFU_HIGH, step=0.05, help="The optimistic end of the band.")
            _number(
                u4,
                "Scaling efficiency per doubling",
                f.SCALING,
                step=0.01,
                help="Share of the per-device rate kept each time devices double beyond one 8-device server "
                "(rule of thumb 0.97).",
            )
            p1, p2, p3 = st.columns(3)
            _number(
                p1,
                "On-demand price per device-hour (USD, optional)",
                f.PRICE,
                step=0.1,
                help="Empty: the catalogue's cloud price of the chosen device.",
            )
            _number(
                p2,
                "Spot price (fraction of on-demand)",
                f.SPOT,
                step=0.05,
                help="Google Cloud: Spot VMs 60-91 % off; GPU capacity sits at the shallow end, so 0.40.",
            )
            _number(
                p3,
                "Reserved price (fraction of on-demand)",
                f.RESERVED,
                step=0.05,
                help="A 1-year commitment is typically 30-40 % off on-demand, so 0.60.",
            )
            t1, t2, _ = st.columns([2.2, 1.1, 1.1])
            devices = [f.SAME_DEVICE, *(acc.key for acc in objects.accelerators)]
            _keep_valid(f.TRAINING_DEVICE.key, devices, f.SAME_DEVICE)
            labels = distinct_labels(
                {key: _device_label(objects.accelerator(key)) for key in devices if key != f.SAME_DEVICE}, 200
            )
            labels[f.SAME_DEVICE] = "The device chosen above"
            t1.selectbox(
                "Train on",
                devices,
                key=f.TRAINING_DEVICE.key,
                persist_state=KEEP,
                format_func=labels.__getitem__,
                help="Training often runs on other hardware than serving: train on rented GPUs, serve on a "
                "store's CPU or an edge box. Time, memory fit and cost of the run use this device.",
            )
            _count(
                t2,
                "Training devices (optional)",
                f.TRAINING_DEVICES,
                step=1,
                help="How many devices the run uses. Empty: the number chosen above.",
            )
            st.form_submit_button("Update the training plan", key="res_training_apply", type="primary")
    return _build(lambda: f.training_inputs(st.session_state, model.shape), shown)


def fill_buy_from_device(device: Accelerator | None, devices: int) -> None:
    """Purchase price, TDP and cloud price from the catalogue row (callback of the 'use the device' button)."""
    state = st.session_state
    state[f.BUY_PRICE.key] = float(device.list_price_usd) if device and device.list_price_usd else 10_000.0
    state[f.BUY_TDP.key] = float(device.tdp_w) if device and device.tdp_w else 300.0
    state[f.BUY_CLOUD.key] = float(device.cloud_usd_per_hour) if device and device.cloud_usd_per_hour else 1.0
    state[f.BUY_DEVICES.key] = int(devices)


def render_buy_inputs(model: ModelInputs, shown: bool) -> Section[BuyVersusCloud]:
    """Owning (purchase, power through PUE, hosting, amortisation) against renting by the busy hour."""
    if not _enabled(
        shown,
        "Compare buying with the cloud",
        f.BUY,
        "Break-even utilisation and months for owning the devices.",
        "Turn on **Compare buying with the cloud** to see when owning the devices pays off.",
    ):
        return Section()
    if f.BUY_PRICE.key not in st.session_state:
        fill_buy_from_device(model.device, model.devices)
    if shown:
        st.button(
            "Use the chosen device's figures",
            key="res_buy_fill",
            on_click=fill_buy_from_device,
            args=(model.device, model.devices),
            help="Purchase price, TDP and cloud price from the catalogue row of the device chosen above.",
        )
        with st.form("res_buy_form", border=True):
            c1, c2, c3 = st.columns(3)
            _number(
                c1,
                "Purchase price per device (USD)",
                f.BUY_PRICE,
                step=1000.0,
                help="Street or quoted price of one device (data-centre GPUs: ±30 %).",
            )
            _count(c2, "Devices", f.BUY_DEVICES, step=1, minimum=None, help="How many devices you would buy or rent.")
            _number(
                c3,
                "Amortisation (years)",
                f.BUY_YEARS,
                step=1.0,
                help="The purchase is spread evenly over this period (no resale value).",
            )
            e1, e2, e3 = st.columns(3)
            _number(
                e1,
                "Power per device, TDP (W)",
                f.BUY_TDP,
                step=50.0,
                help="Electricity = devices x TDP x PUE x hours x price per kWh (idle hours draw 10 % of TDP).",
            )
            _number(e2, "Electricity (USD per kWh)", f.BUY_KWH, step=0.01, help="Your facility's price.")
            _number(
                e3,
                f"PUE (default {DEFAULT_PUE:g})",
                f.BUY_PUE,
                step=0.1,
                help="Facility power / IT power: 1.1 hyperscale, 1.58 industry average (Uptime Institute 2023).",
            )
            h1, h2, h3 = st.columns(3)
            _number(
                h1,
                "Hosting (USD per month)",
                f.BUY_HOSTING,
                step=100.0,
                help="Rack space, network, support and a share of an administrator, for the whole deployment.",
            )
            _number(
                h2,
                "Cloud price per device-hour (USD)",
                f.BUY_CLOUD,
                step=0.1,
                help="On-demand rate; the cloud is paid only for busy hours.",
            )
            _number(
                h3,
                "Utilisation (% of hours busy)",
                f.BUY_UTILISATION,
                step=5.0,
                help="Share of the month's 730 hours the devices are busy.",
            )
            st.form_submit_button("Update the comparison", key="res_buy_apply", type="primary")
    return _build(lambda: f.buy_vs_cloud(st.session_state, model.shape), shown)


def _fte_frame(rules: TeamRules) -> pd.DataFrame:
    return pd.DataFrame(
        [[rules.base(phase, role) for role in ROLES] for phase in PHASES], index=list(PHASES), columns=list(ROLES)
    )


def _cost_frame(rules: TeamRules) -> pd.DataFrame:
    return pd.DataFrame(
        {"USD per FTE-month": [rules.cost_usd_per_fte_month(role) for role in ROLES]}, index=list(ROLES)
    )


TeamSection = tuple[TeamInputs, TeamRules | None]


def render_team_inputs(model: ModelInputs, shown: bool) -> Section[TeamSection]:
    """Size drivers, phase durations, and the rules of thumb (FTE per phase and role, cost per role).

    The rules' editors are drawn only with their tab; the last valid edited rules are kept in
    ``st.session_state[TEAM_RULES]`` (data editors cannot keep their state while hidden).
    """
    if not _enabled(
        shown,
        "Plan the team",
        f.TEAM,
        "Roles and FTE per phase, with cost.",
        "Turn on **Plan the team** to see roles, FTE and cost per phase.",
    ):
        return Section()
    rules = rs.team_rules()
    fte = cost = None
    if shown:
        with st.form("res_team_form", border=True):
            c1, c2, c3 = st.columns(3)
            for column, label, options, field, help in (
                (
                    c1,
                    "Labelling need",
                    LABELLING_LEVELS,
                    f.TEAM_LABELLING,
                    "none: labels arrive with the data; heavy: large manual annotation.",
                ),
                (
                    c2,
                    "Model complexity",
                    COMPLEXITY_LEVELS,
                    f.TEAM_COMPLEXITY,
                    "Scales ML engineers and data scientists in the data and modelling phases.",
                ),
                (
                    c3,
                    "Serving scale",
                    SERVING_SCALES,
                    f.TEAM_SCALE,
                    "Scales MLOps engineers, and ML engineers in deployment and monitoring.",
                ),
            ):
                column.selectbox(label, list(options), key=field.key, persist_state=KEEP, help=help)
            months = st.columns(4)
            labels = (
                "Data collection & labelling (months)",
                "Modelling (months)",
                "Deployment & MLOps (months)",
                "Monitoring (months)",
            )
            for column, label, phase in zip(months, labels, f.TEAM_MONTHS, strict=True):
                _number(column, label, phase, step=1.0, help="0 skips the phase. Phases run one after another.")
            with st.expander("Rules of thumb (editable; not measurements)"):
                st.caption(
                    "FTE per phase and role for a moderately complex model served online with light labelling, "
                    "before the size multipliers. Loaded cost = BLS median pay x 1.42 (total compensation / "
                    "wages); annotator and domain-expert rates are assumptions. Replace them with your own."
                )
                fte = st.data_editor(
                    _fte_frame(rules),
                    key=f.TEAM_FTE_EDITOR,
                    width="stretch",
                    column_config={
                        role: st.column_config.NumberColumn(role, min_value=0.0, step=0.05, format="%.2f")
                        for role in ROLES
                    },
                )
                cost = st.data_editor(
                    _cost_frame(rules),
                    key=f.TEAM_COST_EDITOR,
                    column_config={
                        "USD per FTE-month": st.column_config.NumberColumn(
                            "USD per FTE-month", min_value=0.0, step=100.0, format="$%,.0f"
                        )
                    },
                )
                t1, t2 = st.columns(2)
                _number(
                    t1,
                    "Small team: at most (engineering FTE)",
                    f.TEAM_SMALL,
                    step=0.5,
                    help="A busiest phase this small favours managed services.",
                )
                _number(
                    t2,
                    "Large team: at least (engineering FTE)",
                    f.TEAM_LARGE,
                    step=0.5,
                    help="A team this large can justify self-hosted platforms.",
                )
            st.form_submit_button("Update the team plan", key="res_team_apply", type="primary")
    state = st.session_state

    def make() -> TeamSection:
        inputs = f.team_inputs(state, model.shape)
        if fte is None or cost is None:
            if state.get(f.TEAM_RULES_ERROR):
                raise ValueError(state[f.TEAM_RULES_ERROR])
            return inputs, (None if rules == TeamRules() else rules)
        try:
            edited = _edited_rules(rules, fte, cost, model.shape)
        except ValueError as error:
            state[f.TEAM_RULES_ERROR] = str(error)
            raise
        state[f.TEAM_RULES_ERROR] = None
        rs.store_team_rules(edited)
        return inputs, (None if edited == TeamRules() else edited)

    return _build(make, shown)


def render_site_inputs(model: ModelInputs, shown: bool) -> Section[SiteDeployment]:
    """Serving on devices bought for the sites: how many sites and devices, their price and power."""
    if not _enabled(
        shown,
        "Serve on devices at the sites",
        f.SITES,
        "Stores, plants or vehicles with their own device: bought once and powered every month, instead of "
        "rented replicas.",
        "Turn on **Serve on devices at the sites** to price edge or on-premises serving (the device chosen above).",
    ):
        return Section()
    if shown:
        with st.form("res_sites_form", border=True):
            c1, c2, c3 = st.columns(3)
            _count(c1, "Sites", f.SITES_COUNT, step=1, help="Stores, plants, vehicles or branches.")
            _count(c2, "Devices per site", f.SITES_DEVICES, step=1, help="Of the device chosen above.")
            _number(
                c3,
                "Price per device (USD, optional)",
                f.SITES_PRICE,
                step=10.0,
                help="Empty: the catalogue's list price of the device chosen above.",
            )
            d1, d2, d3, d4 = st.columns(4)
            _number(d1, "Power per device (W, optional)", f.SITES_POWER, step=5.0, help="Empty: the device's TDP.")
            _number(d2, "Electricity (USD per kWh)", f.SITES_KWH, step=0.01, help="The sites' price.")
            _number(d3, "Amortisation (years)", f.SITES_YEARS, step=1.0, help="For the monthly view of owning them.")
            _number(d4, "Powered (% of hours)", f.SITES_POWERED, step=5.0, help="100: always on.")
            st.form_submit_button("Update the sites", key="res_sites_apply", type="primary")
    return _build(lambda: f.site_deployment(st.session_state, model.shape), shown)


def render_labelling_inputs(model: ModelInputs, shown: bool) -> Section[LabellingInputs]:
    """Items to label and what one label takes, in house (seconds per item) or from a vendor (price)."""
    if not _enabled(
        shown,
        "Count the labelling cost",
        f.LABELLING,
        "Items to label x time or price per item: a one-off cost, and the annotators of the data phase.",
        "Turn on **Count the labelling cost** when the data needs labels made by people.",
    ):
        return Section()
    if shown:
        with st.form("res_labelling_form", border=True):
            c1, c2, c3 = st.columns(3)
            _number(c1, "Items to label", f.LABELLING_ITEMS, step=1000.0, help="Images, documents, calls, rows.")
            _number(
                c2,
                "Seconds per item",
                f.LABELLING_SECONDS,
                step=5.0,
                help="One person's time for a finished label, review included: a bounding box takes seconds, "
                "a segmentation minutes. In house, the annotators of the data phase follow from it.",
            )
            _number(
                c3,
                "Vendor price per item (USD, optional)",
                f.LABELLING_PRICE,
                step=0.01,
                help="Leave empty when your own people label (paid at the team's annotator rate).",
            )
            st.form_submit_button("Update the labelling cost", key="res_labelling_apply", type="primary")
    return _build(lambda: f.labelling_inputs(st.session_state, model.shape), shown)


def _edited_rules(rules: TeamRules, fte: pd.DataFrame, cost: pd.DataFrame, shape: f.Shape) -> TeamRules:
    """The rules with the editors' FTE and cost tables (ValueError from the core for a refused value)."""
    return f.team_rules(
        st.session_state,
        shape,
        rules,
        base_fte=tuple(
            (phase, role, _cell(fte.loc[phase, role]))
            for phase in PHASES
            for role in ROLES
            if _cell(fte.loc[phase, role]) != 0
        ),
        loaded_cost_usd_per_fte_month=tuple((role, _cell(cost.loc[role, "USD per FTE-month"])) for role in ROLES),
    )


def _cell(value: Any) -> Any:
    """A data-editor cell as a plain number (an emptied cell counts as 0)."""
    if value is None or (isinstance(value, float) and value != value):
        return 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        return value
