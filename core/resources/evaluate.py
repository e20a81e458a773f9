"""A saved scenario turned into numbers: memory, fit, serving, training, buy versus cloud, team.

``evaluate_plan`` is the one place where a ``ResourcePlan`` (plain inputs, see
plan.py) meets the estimator (memory, speed, fit) and the planning maths
(serving, training, costs, team). The resources page, the overview and the
decision brief all call it, so a scenario shows the same figures everywhere.

How the pieces are joined (each rule is repeated in the result's assumptions):

* Model: a catalogue architecture by key, or ``Architecture.custom_model`` for a
  parameter count (a Llama-3-shaped decoder).
* Memory: per device, for the plan's device count. With one device the layout is
  a single device; with several, the fit search's layouts of exactly that many
  devices are tried from the least to the most communication-hungry (DDP,
  ZeRO-1/2/3, tensor, pipeline) and the first that fits the chosen device is
  used, else the one needing the least memory. Breakdown = the estimator's terms
  + allocator slack + the CUDA context (none on a CPU socket).
* Serving: one replica = the fewest devices of a type that hold the model at
  batch 1 (same search as the fit table). Eager PyTorch batches statically: for
  batches 1, 2, 4, ... up to 256 samples that still fit that replica, the service
  time of the batch is, at the EXPECTED estimate, time to first token + (output
  tokens - 1) x time per output token for a generative model, one forward pass
  otherwise, and a batch waits at most the plan's ``max_batch_wait_s`` to fill.
  The serving engines batch continuously: for 1, 2, 4, ... sequences in flight up
  to the KV pool's ``max_concurrent_sequences``, a request's latency is its
  prefill + (output tokens - 1) decode steps of that many sequences, each step
  also carrying its share of the prefills of the requests that join (C / output
  tokens of them per step), and a replica serves C / latency requests per second
  (Little's law). Those points form a ``LatencyProfile`` per device, CPUs
  included; ``plan_replicas`` sizes each one and ``recommend`` picks among the
  devices that have a cloud price.
* Training: ``TrainingInputs.to_job`` on the training device (the training
  section's own device and count, else the plan's) with its dense peak in the
  training precision, 6 x active parameters per token (4 x for LoRA: no weight
  gradients), and the catalogue's price unless the user gave one; a device with
  no price still gets its time, with no cost. When the workload is a training
  step (mode train or lora), its memory is checked on the training device too.

Bad combinations raise ValueError with one sentence the page shows; a section
that cannot be computed (say, a device without a price for training) leaves its
result None and its reason in ``problems``, so the rest still shows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from core.resources.accelerators import Accelerator
from core.resources.architectures import Architecture, active_param_count
from core.resources.costs import BuyVersusCloudResult, compare_buy_versus_cloud
from core.resources.engines import engine_unavailable
from core.resources.fit import (
    FitAnswer,
    FitRow,
    _Search,
    absent_workspace_bytes,
    best_layout,
    context_bytes,
    engine_layout,
    engine_memory,
    fit_answer,
    fit_table,
    min_devices_to_fit,
    no_gpu_runtime_note,
    uses_kv_pool,
)
from core.resources.labelling import HOURS_PER_FTE_MONTH, describe_labelling, labelling_cost_usd
from core.resources.memory import (
    CUBLAS_TERM,
    CUDA_CONTEXT_BYTES,
    H200_CONTEXT_NOTE,
    TERMS,
    Layout,
    MemoryEstimate,
    Workload,
    estimate_memory,
)
from core.resources.plan import ResourcePlan, ScenarioSummary
from core.resources.serving import (
    DEFAULT_MAX_BATCH_WAIT_S,
    LatencyProfile,
    Recommendation,
    ReplicaPlan,
    ServingDemand,
    plan_replicas,
    recommend,
)
from core.resources.sites import SiteCosts, covers_peak, site_costs
from core.resources.speed import Throughput, compute_dtype, estimate_throughput
from core.resources.team import LABELLING_ROLE, TeamPlan, TeamRules, plan_team
from core.resources.total import ProjectCost, project_cost
from core.resources.training import TrainingEstimate, TrainingJob, estimate_training, training_curve
from core.resources.vocabulary import Mode, Precision
from core.text import format_count, format_usd, quote_prefix

# Batch sizes (samples) tried for each serving replica; a larger batch is dropped once it no longer fits.
SERVING_BATCHES: tuple[int, ...] = (1, 2, 4, 8, 16, 32, 64, 128, 256)
# Prompt length assumed for a generative request when neither the demand nor the workload gives one.
DEFAULT_PROMPT_TOKENS = 512
SLACK_TERM = "allocator slack"
CONTEXT_TERM = "CUDA context"
GENERATIVE_FAMILIES = ("decoder", "encoder-decoder")


@dataclass(frozen=True)
class ServingOption:
    """One device type's answer to the serving demand.

    ``plan`` is None when the model does not fit (``note`` says why) or the
    estimator has no speed for it. ``priced`` is False when the catalogue has no
    cloud price: its plan shows $0 a month and it is left out of the
    recommendation.
    """

    accelerator: str
    model: str
    vendor: str
    kind: str
    devices_per_replica: int | None
    layout: str | None
    profile: LatencyProfile | None
    plan: ReplicaPlan | None
    priced: bool
    note: str = ""
    batching: str = "static"  # "continuous" for the serving engines
    kv_pool_bytes: int | None = None  # the engines' paged KV pool per device
    max_concurrent_sequences: int | None = None


@dataclass(frozen=True)
class ServingEvaluation:
    """The serving demand sized on every device type, the recommendation, and the chosen device's option."""

    demand: ServingDemand
    workload: Workload  # the serving workload at batch 1
    request_shape: str  # e.g. "generation: 512 prompt + 256 output tokens per sample"
    options: tuple[ServingOption, ...]
    recommendation: Recommendation | None
    chosen: ServingOption | None
    assumptions: tuple[str, ...]

    def option(self, accelerator: str) -> ServingOption:
        for option in self.options:
            if option.accelerator == accelerator:
                return option
        raise ValueError(f"No serving option for {quote_prefix(accelerator)}.")


@dataclass(frozen=True)
class TrainingEvaluation:
    """The training job built from the plan, its estimate and the time/cost curve against device count.

    ``device`` is the device it trains on (the training section's own, else the plan's); ``fit`` is the
    training step's memory on it, None when the workload is serving (it describes no training step)."""

    job: TrainingJob
    estimate: TrainingEstimate
    curve: list[dict[str, float]]
    peak_dtype: str
    peak_tflops: float
    assumptions: tuple[str, ...]
    device: Accelerator | None = None
    fit: FitAnswer | None = None


@dataclass(frozen=True)
class PlanEvaluation:
    """Everything the page, the overview and the brief show for one scenario (see the module docstring)."""

    plan: ResourcePlan
    architecture: Architecture
    workload: Workload
    device: Accelerator | None
    layout: Layout
    memory: MemoryEstimate
    memory_breakdown_bytes: dict[str, int]  # terms in order, then allocator slack and CUDA context
    memory_per_device_bytes: int  # the sum of the breakdown
    device_memory_bytes: int | None  # the chosen device's capacity as it reports it, None without a device
    fits: bool | None
    fit: FitAnswer | None  # fits / tight / does not fit, with the margin; None without a device
    fit_rows: tuple[FitRow, ...]
    throughput: Throughput | None  # the workload on the chosen device(s)
    serving: ServingEvaluation | None
    training: TrainingEvaluation | None
    buy_vs_cloud: BuyVersusCloudResult | None
    team: TeamPlan | None
    summary: ScenarioSummary
    cost: ProjectCost | None = None  # one-off and monthly lines of the sections set up (core.resources.total)
    sites: SiteCosts | None = None  # the devices bought for the sites, when the scenario serves there
    problems: dict[str, str] = field(default_factory=dict)
    assumption_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def peak_tensor_bytes(self) -> int:
        """Tensors at the peak on this device (what torch.cuda.max_memory_allocated would show): the breakdown
        without the allocator slack and the runtime context, so a device without CUDA shows no cuBLAS workspace."""
        b = self.memory_breakdown_bytes
        return self.memory_per_device_bytes - b.get(SLACK_TERM, 0) - b.get(CONTEXT_TERM, 0)

    @property
    def assumptions(self) -> tuple[str, ...]:
        """Every assumption behind the numbers, each once, in the order the groups were added."""
        seen: dict[str, None] = {}
        for group in self.assumption_groups.values():
            for line in group:
                seen.setdefault(line, None)
        return tuple(seen)


# --- building blocks ----------------------------------------------------------------------------


def plan_architecture(plan: ResourcePlan, architectures: Mapping[str, Architecture]) -> Architecture:
    """The plan's model: the catalogue row for ``model_key`` or a custom model for ``custom_params``."""
    if plan.model_key is not None:
        arch = architectures.get(plan.model_key)
        if arch is None:
            raise ValueError(
                f"The model {quote_prefix(plan.model_key)} is not in the architecture catalogue; choose one from "
                "the list or enter a parameter count."
            )
        return arch
    assert plan.custom_params is not None  # ResourcePlan guarantees one of the two
    return Architecture.custom_model(plan.custom_params)


def plan_workload(plan: ResourcePlan, devices: int = 1) -> Workload:
    """The estimator's Workload for the plan's model-and-workload inputs (no optimizer for inference).

    The serving engines split a model over several devices with tensor parallelism."""
    return Workload(
        mode=plan.mode,
        precision=plan.precision,
        optimizer=None if plan.mode == "inference" else plan.optimizer,
        batch=plan.batch,
        seq=plan.seq,
        prompt_tokens=plan.prompt_tokens,
        new_tokens=plan.new_tokens,
        image_size=plan.image_size,
        grad_checkpointing=plan.grad_checkpointing,
        lora_rank=plan.lora_rank,
        devices=devices,
        parallelism="tensor" if plan.engine != "pytorch" and devices > 1 else "data",
        engine=plan.engine,
        kv_cache_dtype=plan.kv_cache_dtype,
    )


def catalogue_device(key: str | None, accelerators: Sequence[Accelerator]) -> Accelerator | None:
    """The catalogue row of ``key`` (None for None); ValueError when the catalogue no longer has it."""
    if key is None:
        return None
    for acc in accelerators:
        if acc.key == key:
            return acc
    raise ValueError(
        f"The device {quote_prefix(key)} is not in the accelerator catalogue (was it deleted on the "
        "Accelerators page?); choose another device."
    )


def plan_device(plan: ResourcePlan, accelerators: Sequence[Accelerator]) -> Accelerator | None:
    return catalogue_device(plan.device_key, accelerators)


def choose_layout(arch: Architecture, workload: Workload, devices: int, capacity_bytes: float) -> Layout:
    """Layout for exactly ``devices`` devices: the first (least communication) that fits, else the smallest."""
    if devices == 1:
        return Layout()
    search = _Search(arch, workload)
    layouts = search.layouts(devices)
    for layout in layouts:
        if search.bytes_without_context(layout) <= capacity_bytes:
            return layout
    return min(layouts, key=search.bytes_without_context)


def memory_breakdown(memory: MemoryEstimate, context: int, absent_bytes: int = 0) -> dict[str, int]:
    """The estimator's terms in order, then the allocator slack and the runtime context (bytes per device);
    ``absent_bytes`` of cuBLAS workspace leave it on a device without a CUDA runtime (fit.absent_workspace_bytes)."""
    breakdown = {term: int(memory.breakdown.get(term, 0)) for term in TERMS}
    breakdown[CUBLAS_TERM] -= absent_bytes
    breakdown[SLACK_TERM] = int(memory.allocator_slack_bytes)
    breakdown[CONTEXT_TERM] = int(context)
    return breakdown


# --- serving ------------------------------------------------------------------------------------


def _serving_workload(plan: ResourcePlan, arch: Architecture, demand: ServingDemand) -> tuple[Workload, str]:
    """The inference workload one request sample runs (batch 1), and a phrase describing it."""
    precision = plan.precision
    if arch.is_transformer:
        output = demand.output_tokens
        if output is None and plan.mode == "inference":
            output = plan.new_tokens
        if output is not None:
            if arch.family not in GENERATIVE_FAMILIES:
                raise ValueError(f"{arch.name} is an encoder and does not generate text; clear the output tokens.")
            prompt = demand.prompt_tokens or plan.prompt_tokens or plan.seq or DEFAULT_PROMPT_TOKENS
            workload = Workload(
                mode="inference",
                precision=precision,
                prompt_tokens=prompt,
                new_tokens=output,
                engine=plan.engine,
                kv_cache_dtype=plan.kv_cache_dtype,
            )
            return workload, f"generation: {prompt:,} prompt + {output:,} output tokens per sample"
        seq = demand.prompt_tokens or plan.seq
        if plan.engine != "pytorch":
            raise ValueError(
                f"{plan.engine} serves generation; give output tokens per request, or choose stack pytorch for "
                "one forward pass per request."
            )
        workload = Workload(mode="inference", precision=precision, seq=seq)
        shown = seq if seq is not None else min(2048, arch.max_context or 2048)
        return workload, f"one forward pass over {shown:,} tokens per sample"
    workload = Workload(mode="inference", precision=precision, image_size=plan.image_size)
    size = plan.image_size or arch.image_size or 224
    return workload, f"one forward pass over a {size} px image per sample"


def _service_time_s(speed: Throughput, workload: Workload, arch: Architecture) -> float:
    """Seconds to serve one batch at the expected estimate (see the module docstring)."""
    batch = workload.batch
    if workload.is_generation:
        return batch * (workload.new_tokens or 1) / speed.expected
    if speed.unit == "images/s":
        return batch / speed.expected
    seq = workload.seq or min(2048, arch.max_context or 2048)
    return batch * seq / speed.expected


class _ServingSearch:
    """Per-batch memory searches shared by every device type (memory does not depend on the device)."""

    def __init__(self, arch: Architecture, base: Workload) -> None:
        self.arch = arch
        self.base = base
        self._workloads: dict[int, Workload] = {}
        self._searches: dict[int, _Search] = {}

    def workload(self, batch: int) -> Workload:
        if batch not in self._workloads:
            self._workloads[batch] = replace(self.base, batch=batch)
        return self._workloads[batch]

    def search(self, batch: int) -> _Search:
        if batch not in self._searches:
            self._searches[batch] = _Search(self.arch, self.workload(batch))
        return self._searches[batch]


def serving_batches(demand: ServingDemand, max_batch_wait_s: float = DEFAULT_MAX_BATCH_WAIT_S) -> tuple[int, ...]:
    """Batch sizes worth trying, in samples.

    A dispatcher fills at most ``1 + peak x wait`` requests per batch, so once a batch holds
    ``ceil(1 + peak x wait)`` whole requests, a larger one carries no more requests and only adds
    service time: ``plan_replicas`` would never pick it. Trying no further keeps the page fast.
    """
    fillable = math.ceil(1.0 + demand.peak_requests_per_s * max_batch_wait_s) * demand.samples_per_request
    batches: list[int] = []
    for batch in SERVING_BATCHES:
        batches.append(batch)
        if batch >= fillable:
            break
    return tuple(batches)


NO_PRICE_NOTE = "No cloud price in the catalogue: shown as $0, not recommended."


def _replica_profile(
    acc: Accelerator, points: list[tuple[int, float]], price: float | None, devices: int
) -> LatencyProfile:
    """One replica's latency per batch (or concurrency), priced for its devices ($0 without a catalogue price)."""
    replica_price = price * devices if price is not None else 0.0
    is_cpu = acc.kind == "cpu"
    return LatencyProfile(
        device_name=acc.model[:120],
        points=tuple(points),
        price_usd_per_hour=replica_price,
        is_cpu=is_cpu,
        # One socket per replica is priced by the cores it needs (core.resources.serving.cpu_cores_needed).
        cores=int(acc.cores) if is_cpu and devices == 1 and acc.cores else None,
    )


def _continuous_option(
    acc: Accelerator, searches: _ServingSearch, demand: ServingDemand, common: dict[str, Any]
) -> ServingOption:
    """A serving engine on one device type: continuous batching up to the KV pool (module docstring)."""
    arch, base = searches.arch, searches.base
    price = acc.cloud_usd_per_hour
    devices, layout = min_devices_to_fit(arch, base, acc)
    if devices is None or layout is None:
        return ServingOption(
            **common,
            devices_per_replica=None,
            layout=None,
            profile=None,
            plan=None,
            priced=price is not None,
            note="The model does not fit even on 16,384 of these.",
            batching="continuous",
        )
    sized = replace(base, devices=devices, parallelism="tensor" if layout.tensor > 1 else "pipeline")
    if devices == 1:
        sized = replace(base, devices=1, parallelism="data")
    memory = engine_memory(arch, sized, acc, layout, searches.search(1).profile)
    new_tokens = base.new_tokens or 1
    points: list[tuple[int, float]] = []
    try:
        first = estimate_throughput(arch, sized, acc, devices)
        assert first.time_to_first_token_s is not None
        prefill_s = first.time_to_first_token_s[1]
        for concurrency in SERVING_BATCHES:
            if concurrency > max(1, memory.max_concurrent_sequences):
                break
            speed = estimate_throughput(arch, replace(sized, batch=concurrency), acc, devices)
            assert speed.time_per_output_token_s is not None
            step_s = speed.time_per_output_token_s[1] + concurrency / new_tokens * prefill_s
            latency_s = prefill_s + (new_tokens - 1) * step_s
            if points and latency_s < points[-1][1]:
                latency_s = points[-1][1]
            points.append((concurrency, latency_s))
    except ValueError as error:
        return ServingOption(
            **common,
            devices_per_replica=devices,
            layout=layout.name,
            profile=None,
            plan=None,
            priced=price is not None,
            note=str(error),
            batching="continuous",
        )
    profile = _replica_profile(acc, points, price, devices)
    return ServingOption(
        **common,
        devices_per_replica=devices,
        layout=layout.name,
        profile=profile,
        plan=plan_replicas(demand, profile, continuous=True),
        priced=price is not None,
        note="" if price is not None else NO_PRICE_NOTE,
        batching="continuous",
        kv_pool_bytes=memory.kv_pool_bytes,
        max_concurrent_sequences=memory.max_concurrent_sequences,
    )


def _serving_option(
    acc: Accelerator,
    searches: _ServingSearch,
    demand: ServingDemand,
    batches: tuple[int, ...],
    max_batch_wait_s: float = DEFAULT_MAX_BATCH_WAIT_S,
) -> ServingOption:
    if uses_kv_pool(searches.base):
        common_engine: dict[str, Any] = {
            "accelerator": acc.key,
            "model": acc.model,
            "vendor": acc.vendor,
            "kind": acc.kind,
        }
        reason = engine_unavailable(searches.base.engine, acc)
        if reason:
            return ServingOption(
                **common_engine,
                devices_per_replica=None,
                layout=None,
                profile=None,
                plan=None,
                priced=acc.cloud_usd_per_hour is not None,
                note=reason,
                batching="continuous",
            )
        return _continuous_option(acc, searches, demand, common_engine)
    context = context_bytes(acc)
    capacity = acc.memory_bytes - context
    found = searches.search(1).fewest(capacity)
    price = acc.cloud_usd_per_hour
    common: dict[str, Any] = {"accelerator": acc.key, "model": acc.model, "vendor": acc.vendor, "kind": acc.kind}
    if found is None:
        return ServingOption(
            **common,
            devices_per_replica=None,
            layout=None,
            profile=None,
            plan=None,
            priced=price is not None,
            note="The model does not fit even on 16,384 of these.",
        )
    devices, layout = found
    points: list[tuple[int, float]] = []
    try:
        for batch in batches:
            if batch > 1 and searches.search(batch).bytes_without_context(layout) > capacity:
                break
            workload = searches.workload(batch)
            speed = estimate_throughput(searches.arch, workload, acc, devices)
            service_s = _service_time_s(speed, workload, searches.arch)
            if points and service_s < points[-1][1]:
                service_s = points[-1][1]
            points.append((batch, service_s))
    except ValueError as error:
        return ServingOption(
            **common,
            devices_per_replica=devices,
            layout=layout.name,
            profile=None,
            plan=None,
            priced=price is not None,
            note=str(error),
        )
    profile = _replica_profile(acc, points, price, devices)
    return ServingOption(
        **common,
        devices_per_replica=devices,
        layout=layout.name,
        profile=profile,
        plan=plan_replicas(demand, profile, max_batch_wait_s),
        priced=price is not None,
        note="" if price is not None else NO_PRICE_NOTE,
    )


def evaluate_serving(
    plan: ResourcePlan, arch: Architecture, accelerators: Sequence[Accelerator], device: Accelerator | None
) -> ServingEvaluation:
    """The plan's serving demand sized on every accelerator (see the module docstring)."""
    demand = plan.serving
    if demand is None:
        raise ValueError("The scenario has no serving demand; enter the request rates and the latency target.")
    base, shape = _serving_workload(plan, arch, demand)
    searches = _ServingSearch(arch, base)
    batches = serving_batches(demand, plan.max_batch_wait_s)
    options = tuple(_serving_option(acc, searches, demand, batches, plan.max_batch_wait_s) for acc in accelerators)
    priced = [o.plan for o in options if o.plan is not None and o.priced]
    recommendation = recommend(priced) if priced else None
    chosen = next((o for o in options if device is not None and o.accelerator == device.key), None)
    batching: tuple[str, ...]
    if uses_kv_pool(base):
        batching = (
            f"Stack {plan.engine}: continuous batching. A replica is the fewest devices that hold the model with "
            "its KV pool; 1, 2, 4, ... sequences in flight are tried up to what the pool holds (and 256, vLLM's "
            "max_num_seqs); a request's latency = its prefill + (output tokens - 1) decoding steps at that "
            "concurrency, each step carrying concurrency / output tokens prefills of joining requests.",
        )
    else:
        batching = (
            "Service time of a batch = time to first token + (output tokens - 1) x time per output token for "
            "generation, one forward pass otherwise, at the EXPECTED estimate; the p95 is taken to be that "
            "service time.",
            f"A replica is the fewest devices of a type that hold the model at batch 1; batches of "
            f"{', '.join(str(b) for b in batches)} sample(s) are tried while they still fit that replica (a larger "
            f"batch cannot fill within the {plan.max_batch_wait_s:g} s batching wait at the peak rate).",
        )
    assumptions = (
        f"Each request sample is {shape}; a request carries {demand.samples_per_request:g} sample(s).",
        *batching,
        "Devices without a cloud price are shown but left out of the recommendation.",
    )
    return ServingEvaluation(
        demand=demand,
        workload=base,
        request_shape=shape,
        options=options,
        recommendation=recommendation,
        chosen=chosen,
        assumptions=assumptions,
    )


# --- training -----------------------------------------------------------------------------------


def _training_precision(plan: ResourcePlan) -> Precision:
    if plan.mode != "inference":
        return plan.precision
    # An inference precision such as int8 says nothing about how the model was trained: bf16 then.
    return plan.precision if plan.precision in ("fp32", "amp", "bf16", "fp16", "fp8") else "bf16"


def training_fit(plan: ResourcePlan, arch: Architecture, device: Accelerator, devices: int) -> FitAnswer | None:
    """The training step's memory on ``devices`` x ``device`` (best layout); None for a serving workload."""
    if plan.mode == "inference":
        return None
    workload = plan_workload(plan, devices)
    return fit_answer(arch, workload, device, best_layout(arch, workload, device, devices))


def evaluate_training(plan: ResourcePlan, arch: Architecture, device: Accelerator | None) -> TrainingEvaluation:
    """The training job of the plan on ``device`` (the training device: the training section's own, else the
    plan's) x the plan's training device count, its estimate, memory fit and the curve against devices."""
    inputs = plan.training
    if inputs is None:
        raise ValueError("The scenario has no training inputs; enter the dataset size and epochs.")
    if device is None:
        raise ValueError("Choose a device for training (in the Training tab, or above) to estimate its time.")
    devices = plan.training_devices
    mode: Mode = "lora" if plan.mode == "lora" else "train"
    dtype_workload = Workload(mode=mode, precision=_training_precision(plan))
    dtype, tflops = compute_dtype(arch, dtype_workload, device)
    params = float(active_param_count(arch))
    per_token = (4.0 if mode == "lora" else 6.0) * params
    catalogue_per_sample: float | None = None
    if arch.is_transformer:
        seq = plan.seq or min(2048, arch.max_context or 2048)
        catalogue_per_sample = per_token * seq
    elif arch.gflops_per_sample is not None:
        base_px = arch.image_size or 224
        px = plan.image_size or base_px
        catalogue_per_sample = 3.0 * arch.gflops_per_sample * 1e9 * (px / base_px) ** 2
    job = inputs.to_job(
        params=params,
        devices=devices,
        peak_flops_per_s=tflops * 1e12,
        catalogue_price_usd_per_device_hour=device.cloud_usd_per_hour,
        catalogue_flops_per_sample=catalogue_per_sample,
    )
    if mode == "lora" and job.tokens is not None:
        job = replace(job, flops_per_token=per_token)
    estimate = estimate_training(job)
    assumptions = [f"Peak: {device.model}'s dense {dtype} rate, {tflops:g} TFLOP/s per device."]
    if params != arch.published_or_counted_params:
        assumptions.append(f"Compute uses the {format_count(params)} active parameters of the mixture of experts.")
    if mode == "lora":
        assumptions.append(
            "LoRA: 4 x parameters FLOPs per token (forward + activation gradients; the frozen "
            "weights get no gradients)."
        )
    if inputs.dataset_samples is not None and inputs.flops_per_sample is None and arch.is_transformer:
        assumptions.append(f"A sample is one sequence of {plan.seq or min(2048, arch.max_context or 2048):,} tokens.")
    if inputs.price_usd_per_device_hour is None and device.cloud_usd_per_hour is not None:
        assumptions.append(f"On-demand price: the catalogue's ${device.cloud_usd_per_hour:g} per device-hour.")
    if inputs.device_key is not None or inputs.devices is not None:
        assumptions.append(
            f"Trains on {devices:,} x {device.model}, the training section's own device; serving and the memory "
            "tab use the plan's."
        )
    fit = training_fit(plan, arch, device, devices)
    if fit is not None:
        assumptions.append(
            f"The training step needs {fit.required_bytes / 1e9:,.1f} GB per device of the "
            f"{fit.capacity_bytes / 1e9:,.1f} GB a {device.model} holds: {fit.fit}."
        )
    return TrainingEvaluation(
        job=job,
        estimate=estimate,
        curve=training_curve(job),
        peak_dtype=dtype,
        peak_tflops=tflops,
        assumptions=(*assumptions, *estimate.assumptions),
        device=device,
        fit=fit,
    )


# --- the whole plan -----------------------------------------------------------------------------


def evaluate_plan(
    plan: ResourcePlan, architectures: Mapping[str, Architecture], accelerators: Sequence[Accelerator]
) -> PlanEvaluation:
    """Memory, fit, serving, training, buy versus cloud and team of one scenario (module docstring).

    Raises ValueError (one sentence) when the model and workload do not make sense
    together; other sections that cannot be computed are reported in ``problems``.
    """
    accelerators = list(accelerators)
    arch = plan_architecture(plan, architectures)
    device = plan_device(plan, accelerators)
    workload = plan_workload(plan, plan.devices)
    context = context_bytes(device) if device is not None else CUDA_CONTEXT_BYTES
    capacity = float(device.memory_bytes - context) if device is not None else float("inf")
    pooled = uses_kv_pool(workload)
    if pooled:
        layout = engine_layout(workload)
    elif device is not None:
        layout = best_layout(arch, workload, device, plan.devices)
    else:
        layout = choose_layout(arch, workload, plan.devices, capacity)
    memory = estimate_memory(arch, workload, layout)
    absent = absent_workspace_bytes(memory, device) if device is not None else 0
    breakdown = memory_breakdown(memory, context, absent)
    fit = fit_answer(arch, workload, device, layout) if device is not None else None
    if fit is not None and fit.engine is not None:
        # The engine reserves its KV pool up front: the breakdown shows the reservation, not eager tensors.
        breakdown = {term: 0 for term in breakdown}
        breakdown["weights"] = fit.engine.weights_bytes
        breakdown["activations"] = fit.engine.workspace_bytes
        breakdown["KV pool"] = max(fit.engine.kv_pool_bytes, fit.engine.kv_needed_bytes)
        breakdown[CONTEXT_TERM] = context
    per_device = sum(breakdown.values())
    fit_rows = tuple(fit_table(arch, workload, accelerators))

    groups: dict[str, tuple[str, ...]] = {}
    problems: dict[str, str] = {}
    model_line = f"Model: {arch.name}, {format_count(arch.published_or_counted_params)} parameters" + (
        " (custom: a Llama-3-shaped decoder of that size)." if arch.custom else "."
    )
    groups["memory"] = (
        model_line,
        f"Layout on {plan.devices} device(s): {layout.name}.",
        # With a device, its own line below states its family's context in place of the H200's.
        *(a for a in memory.assumptions if device is None or a != H200_CONTEXT_NOTE),
        *([note] if device is not None and (note := no_gpu_runtime_note(device)) else []),
        "GB = 10^9 bytes (device makers' unit); 1 GiB = 2^30 bytes = 1.074 GB.",
    )
    if device is not None:
        source = device.memory_source or "its GB read as GiB, less the ~1 % the driver keeps"
        groups["memory"] = (
            *groups["memory"],
            f"{device.model} capacity: {device.memory_bytes / 1e9:,.1f} GB as the device reports it ({source}); "
            f"CUDA context {context / 1e9:.2f} GB ({device.generation or 'unknown'} family).",
        )
    if fit is not None and fit.engine is not None:
        groups["memory"] = (
            *groups["memory"],
            f"Stack {plan.engine}: it reserves its share of the device and pages a KV pool of "
            f"{fit.engine.kv_pool_bytes / 1e9:,.2f} GB out of what weights and workspace leave; that holds "
            f"{fit.engine.max_concurrent_sequences:,} sequences of {fit.engine.kv_per_sequence_bytes / 1e6:,.1f} MB "
            f"(prompt + new tokens).",
        )
    if device is not None and device.kind == "cpu":
        groups["memory"] = (*groups["memory"], "A CPU socket has no CUDA context; its memory is the host RAM.")

    throughput: Throughput | None = None
    if device is not None:
        try:
            throughput = estimate_throughput(arch, workload, device, layout=layout)
            groups["speed"] = tuple(throughput.assumptions)
        except ValueError as error:
            problems["speed"] = str(error)

    serving: ServingEvaluation | None = None
    if plan.serving is not None:
        try:
            serving = evaluate_serving(plan, arch, accelerators, device)
        except ValueError as error:
            problems["serving"] = str(error)
        else:
            reference = serving.chosen.plan if serving.chosen is not None else None
            if reference is None and serving.recommendation is not None:
                reference = serving.recommendation.chosen
            groups["serving"] = serving.assumptions + (reference.assumptions if reference is not None else ())
            if serving.chosen is not None and serving.chosen.plan is None:
                problems["serving"] = f"{serving.chosen.model}: {serving.chosen.note}"

    training: TrainingEvaluation | None = None
    if plan.training is not None:
        try:
            training = evaluate_training(plan, arch, catalogue_device(plan.training_device_key, accelerators))
        except ValueError as error:
            problems["training"] = str(error)
        else:
            groups["training"] = training.assumptions

    buy = compare_buy_versus_cloud(plan.buy_vs_cloud) if plan.buy_vs_cloud is not None else None
    if buy is not None:
        groups["buy versus cloud"] = buy.assumptions
    try:
        team = plan_team(plan.team, plan.team_rules, plan.labelling) if plan.team is not None else None
    except ValueError as error:
        problems["team"] = str(error)
        team = None
    if team is not None:
        groups["team"] = team.assumptions

    summary = _summary(plan, per_device, serving, training)
    labelling_usd: float | None = None
    labelling_note = ""
    if plan.labelling is not None:
        rate = (plan.team_rules or TeamRules()).cost_usd_per_fte_month(LABELLING_ROLE)
        labelling_usd = labelling_cost_usd(plan.labelling, rate)
        labelling_note = describe_labelling(plan.labelling, labelling_usd)
        groups["data and labelling"] = (
            labelling_note,
            f"In-house labels are paid at the team plan's annotator rate, {format_usd(rate)} per FTE-month / "
            f"{HOURS_PER_FTE_MONTH:.0f} hours; a vendor's price per item replaces it.",
        )
    replica, priced = _reference_replica(serving)
    sites: SiteCosts | None = None
    if plan.sites is not None:
        try:
            sites = site_costs(plan.sites, device)
        except ValueError as error:
            problems["sites"] = str(error)
        else:
            groups["sites"] = sites.assumptions
            short = covers_peak(sites, replica.replicas_at_peak, plan.devices) if replica is not None else None
            if short:
                problems["sites"] = short
    cost = project_cost(
        sites=sites,
        training_usd=summary.training_cost_usd,
        unpriced=("training",) if training is not None and not training.estimate.priced else (),
        labelling_usd=labelling_usd,
        labelling_note=labelling_note,
        serving_usd_per_month=replica.monthly_cost_at_average_usd if replica is not None and priced else None,
        team=team,
        monitoring_months=plan.team.monitoring_months if plan.team is not None else 0.0,
    )
    return PlanEvaluation(
        plan=plan,
        architecture=arch,
        workload=workload,
        device=device,
        layout=layout,
        memory=memory,
        memory_breakdown_bytes=breakdown,
        memory_per_device_bytes=per_device,
        device_memory_bytes=device.memory_bytes if device is not None else None,
        fits=fit.fits if fit is not None else None,
        fit=fit,
        fit_rows=fit_rows,
        throughput=throughput,
        serving=serving,
        training=training,
        buy_vs_cloud=buy,
        team=team,
        summary=summary,
        cost=cost,
        sites=sites,
        problems=problems,
        assumption_groups=groups,
    )


def _reference_replica(serving: ServingEvaluation | None) -> tuple[ReplicaPlan | None, bool]:
    """The replica plan the figures quote (the chosen device's, else the recommended one) and whether it is
    priced."""
    if serving is not None:
        if serving.chosen is not None and serving.chosen.plan is not None:
            return serving.chosen.plan, serving.chosen.priced
        if serving.recommendation is not None and serving.recommendation.chosen is not None:
            return serving.recommendation.chosen, True
    return None, False


def _summary(
    plan: ResourcePlan, per_device: int, serving: ServingEvaluation | None, training: TrainingEvaluation | None
) -> ScenarioSummary:
    """Figures for the side-by-side comparison: serving cost and latency on the chosen device, else the
    recommended one."""
    replica, priced = _reference_replica(serving)
    return ScenarioSummary(
        name=plan.name,
        memory_bytes=float(per_device),
        devices=plan.devices,
        monthly_serving_cost_usd=replica.monthly_cost_at_peak_usd if replica is not None and priced else None,
        training_cost_usd=training.estimate.on_demand_usd if training is not None else None,
        latency_p95_s=replica.latency_p95_s if replica is not None else None,
    )
