"""Which accelerators a workload fits on, how many of each it needs, in which layout, at what price.

Capacity is what the device reports (``Accelerator.memory_bytes``: an "80GB" card holds about 80 GiB).
Fit is a margin, not a boolean (``fit_answer``): eager PyTorch and llama.cpp need the estimated device
memory (tensors at the peak + allocator slack + the device family's CUDA context); the serving engines
reserve a share of the device and page a KV pool out of what is left, so their margin is the pool less
the batch's KV cache. "tight" means the margin is within the estimate's own uncertainty
(``MEMORY_UNCERTAINTY`` of the bytes it depends on), either side of the limit.

The search for the fewest devices tries device counts in increasing order (1-8, then doubling)
and, for each count, the layouts from the least to the most communication-hungry: data
parallelism (DDP, then ZeRO-1, ZeRO-2, ZeRO-3/FSDP), then tensor parallelism within a node (at
most 8, the NVLink domain of an HGX board), then pipeline stages across nodes. Memory does not
depend on the device, so one search serves the whole catalogue.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from core.resources.accelerators import Accelerator
from core.resources.architectures import Architecture
from core.resources.engines import (
    ENGINE_MAX_TOKENS_PER_STEP,
    ENGINE_NON_TORCH_BYTES,
    is_serving_engine,
    rules,
)
from core.resources.memory import (
    CUBLAS_TERM,
    H200_CONTEXT_NOTE,
    PERSISTENT_TERMS,
    SLACK_FRACTION,
    SLACK_FRACTION_CHECKPOINTING,
    Layout,
    MemoryEstimate,
    MemoryProfile,
    Workload,
    estimate_memory,
    layout_for,
    memory_phases,
    memory_profile,
)
from core.resources.speed import estimate_throughput, workload_layout

# How far the memory estimate may be off: the H200 cases hold within 3 %, the published memory
# figures (PEFT, QLoRA, Hugging Face) within 15 %; 5 % of the estimated bytes marks a fit as tight.
MEMORY_UNCERTAINTY = 0.05
FIT_WORDS = ("fits", "tight", "does not fit")

MAX_FIT_DEVICES = 16_384
MAX_TENSOR_PARALLEL = 8  # one NVLink domain (HGX H100/H200/B200 boards hold 8 GPUs)
_COUNTS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8, *(2**k for k in range(4, 15)))


@dataclass(frozen=True)
class FitRow:
    """One accelerator's answer for a workload. Bytes per device; price for all ``min_devices`` together."""

    accelerator: str
    model: str
    vendor: str
    kind: str
    memory_bytes: int
    fits_on_one: bool
    single_device_bytes: int
    # None where the workload fits on no number of these devices.
    min_devices: int | None = None
    layout: str | None = None
    per_device_bytes: int | None = None
    price_usd_per_hour: float | None = None
    throughput_unit: str | None = None
    throughput_expected: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def context_bytes(accelerator: Accelerator) -> int:
    """The runtime's own memory on the device: the CUDA context of its family, none for a CPU socket."""
    return accelerator.context_bytes


def with_device_context(assumptions: Sequence[str], accelerator: Accelerator) -> list[str]:
    """The memory estimate's assumptions with its H200 context line replaced by this device's: its family's
    figure on a GPU, nothing where :func:`no_gpu_runtime_note` already says there is none."""
    line = (
        f"CUDA context {accelerator.context_bytes / 1e9:.2f} GB ({accelerator.generation or 'unknown'} family)."
        if accelerator.has_gpu_runtime
        else None
    )
    return [kept for kept in ((line if a == H200_CONTEXT_NOTE else a) for a in assumptions) if kept is not None]


def absent_workspace_bytes(estimate: MemoryEstimate, accelerator: Accelerator) -> int:
    """Bytes of the estimate that this device does not hold: the cuBLAS workspace, where no CUDA (or ROCm)
    runtime runs (a CPU socket, a TPU, an Apple GPU); 0 on a GPU."""
    return 0 if accelerator.has_gpu_runtime else int(estimate.breakdown.get(CUBLAS_TERM, 0))


def no_gpu_runtime_note(accelerator: Accelerator) -> str | None:
    """The assumption that says why a device shows neither a cuBLAS workspace nor a CUDA context (None on a GPU)."""
    if accelerator.has_gpu_runtime:
        return None
    return f"No cuBLAS workspace and no CUDA context on {accelerator.model}: it runs no CUDA runtime."


@dataclass(frozen=True)
class EngineMemory:
    """A serving engine's memory per device: what it reserves and what the batch needs of it (bytes)."""

    weights_bytes: int
    workspace_bytes: int  # activations of one profiled forward pass + non-torch memory + cuBLAS
    kv_per_sequence_bytes: int  # one sequence of prompt + new tokens, this device's share
    kv_needed_bytes: int  # the batch's sequences at full length
    kv_pool_bytes: int  # what the engine pages out of its reservation (negative: the weights do not fit)
    max_concurrent_sequences: int

    @property
    def peak_bytes(self) -> int:
        return self.weights_bytes + self.workspace_bytes + max(self.kv_pool_bytes, self.kv_needed_bytes)


@dataclass(frozen=True)
class FitAnswer:
    """``fit`` is 'fits', 'tight' or 'does not fit'; ``margin_bytes`` is free memory left (negative: short)."""

    fit: str
    margin_bytes: int
    uncertainty_bytes: int
    capacity_bytes: int
    required_bytes: int
    engine: EngineMemory | None = None

    @property
    def fits(self) -> bool:
        return self.fit != "does not fit"

    def advice(self) -> str:
        """What to change when the answer is tight or no (one sentence for the page)."""
        if self.fit == "fits":
            return ""
        short = "within the estimate's uncertainty of the limit" if self.fit == "tight" else "short"
        return (
            f"{abs(self.margin_bytes) / 1e9:,.1f} GB {'left' if self.margin_bytes >= 0 else 'over'} ({short}): "
            "lower the batch or the context, store the KV cache in fp8/int8, choose a serving engine or "
            "int4/int8 weights, or add one more device."
        )


def _fit_word(margin: float, uncertainty: float) -> str:
    if margin > uncertainty:
        return "fits"
    return "tight" if margin >= -uncertainty else "does not fit"


def engine_memory(
    arch: Architecture,
    workload: Workload,
    accelerator: Accelerator,
    layout: Layout,
    profile: MemoryProfile | None = None,
) -> EngineMemory:
    """vLLM / SGLang / TensorRT-LLM memory on one device of ``layout`` (see core.resources.engines)."""
    profile = profile or memory_profile(arch, workload)
    state = profile.state
    shards = layout.tensor * layout.pipeline
    weights = (state.weights + state.quantisation_scales) / shards
    acts = profile.activations
    prompt = workload.prompt_tokens or workload.seq or 1
    live_per_token = acts.inference_live / max(1, prompt)
    # The engines profile one forward pass at their token budget per step, whatever the batch.
    activations = live_per_token * ENGINE_MAX_TOKENS_PER_STEP / layout.tensor
    workspace = activations + ENGINE_NON_TORCH_BYTES + profile.cublas_workspace_bytes
    kv_heads = max(1, arch.kv_heads or arch.heads or 1)
    kv_shards = min(layout.tensor, kv_heads) * layout.pipeline
    per_sequence = max(acts.kv_cache_final, 1.0) / kv_shards
    sequences = -(-workload.batch // layout.data)
    capacity = accelerator.memory_bytes
    context = accelerator.context_bytes
    rule = rules(workload.engine)
    if rule.reserved_of == "free":
        pool = rule.reserved_fraction * (capacity - context - weights - workspace)
    else:
        pool = rule.reserved_fraction * capacity - context - weights - workspace
    return EngineMemory(
        weights_bytes=round(weights),
        workspace_bytes=round(workspace),
        kv_per_sequence_bytes=round(per_sequence),
        kv_needed_bytes=round(per_sequence * sequences),
        kv_pool_bytes=round(pool),
        max_concurrent_sequences=max(0, math.floor(pool / per_sequence)),
    )


def uses_kv_pool(workload: Workload) -> bool:
    """Generation on vLLM, SGLang or TensorRT-LLM: memory is a reservation with a paged KV pool."""
    return is_serving_engine(workload.engine) and workload.is_generation


def engine_layout(workload: Workload) -> Layout:
    """The engines split a model with tensor parallelism (pipeline with --parallelism pipeline)."""
    if workload.parallelism == "pipeline":
        return Layout(pipeline=workload.devices)
    if workload.parallelism == "tensor":
        return Layout(tensor=workload.devices)
    return Layout(data=workload.devices)


def fit_answer(
    arch: Architecture,
    workload: Workload,
    accelerator: Accelerator,
    layout: Layout | None = None,
    profile: MemoryProfile | None = None,
) -> FitAnswer:
    """Fits / tight / does not fit on ``accelerator`` under ``layout`` (default: the workload's own)."""
    capacity = accelerator.memory_bytes
    if uses_kv_pool(workload):
        chosen = layout or engine_layout(workload)
        memory = engine_memory(arch, workload, accelerator, chosen, profile)
        margin = memory.kv_pool_bytes - memory.kv_needed_bytes
        uncertainty = MEMORY_UNCERTAINTY * (memory.weights_bytes + memory.workspace_bytes + memory.kv_needed_bytes)
        required = memory.weights_bytes + memory.workspace_bytes + memory.kv_needed_bytes + accelerator.context_bytes
        return FitAnswer(_fit_word(margin, uncertainty), round(margin), round(uncertainty), capacity, required, memory)
    estimate = estimate_memory(arch, workload, layout or layout_for(workload))
    tensors = estimate.peak_bytes - absent_workspace_bytes(estimate, accelerator)
    required = tensors + estimate.allocator_slack_bytes + accelerator.context_bytes
    margin = capacity - required
    uncertainty = MEMORY_UNCERTAINTY * (tensors + estimate.allocator_slack_bytes)
    return FitAnswer(_fit_word(margin, uncertainty), round(margin), round(uncertainty), capacity, required)


class _Search:
    """Device-independent memory of candidate layouts, computed lazily and cached."""

    def __init__(self, arch: Architecture, workload: Workload) -> None:
        self.arch = arch
        self.workload = workload
        self.profile = memory_profile(arch, workload)
        self.slack = SLACK_FRACTION_CHECKPOINTING if workload.grad_checkpointing else SLACK_FRACTION
        self._cache: dict[Layout, int] = {}
        self._minimum: dict[int, int] = {}
        self._layouts: dict[int, list[Layout]] = {}
        self._sharded: dict[Layout, Layout] = {}

    def bytes_without_context(self, layout: Layout) -> int:
        """Peak tensors + allocator slack per device under ``layout``."""
        cached = self._cache.get(layout)
        if cached is not None:
            return cached
        # Exactly as estimate_memory: the phase with the most tensor bytes is the peak, and the slack is a
        # share of that phase's transient tensors.
        peak_total = -1.0
        peak_transient = 0.0
        for phase in memory_phases(self.profile, self.workload, layout):
            terms = phase.bytes_by_term
            total = sum(terms.values())
            if total > peak_total:
                peak_total = total
                peak_transient = total - sum(v for k, v in terms.items() if k in PERSISTENT_TERMS)
        value = round(peak_total + max(0.0, peak_transient) * self.slack)
        self._cache[layout] = value
        return value

    def layouts(self, n: int) -> list[Layout]:
        """Layouts of exactly ``n`` devices, most preferred first."""
        cached = self._layouts.get(n)
        if cached is None:
            cached = self._layouts[n] = self._make_layouts(n)
        return cached

    def _make_layouts(self, n: int) -> list[Layout]:
        offload = self.workload.offload_optimizer
        trains = self.workload.trains
        out: list[tuple[tuple[int, int, int], Layout]] = []
        tensors = [1]
        pipelines = [1]
        if self.arch.is_transformer:
            heads = self.arch.heads or 1
            tensors = [t for t in (1, 2, 4, 8) if t <= min(MAX_TENSOR_PARALLEL, heads)]
            layers = max(1, self.arch.total_layers)
            pipelines = [p for p in (2**k for k in range(0, 15)) if p <= layers]
        for tp in tensors:
            for pp in pipelines:
                # Pipeline stages only once tensor parallelism fills a node (Narayanan et al. 2021).
                if pp > 1 and tp != tensors[-1]:
                    continue
                if n % (tp * pp):
                    continue
                dp = n // (tp * pp)
                stages = (0, 1, 2, 3) if trains and dp > 1 else (0,)
                for stage in stages:
                    out.append(((tp * pp, pp, stage), Layout(tp, pp, dp, stage, offload)))
        out.sort(key=lambda item: item[0])
        return [layout for _, layout in out]

    def minimum(self, n: int) -> int:
        """The least memory per device any layout of ``n`` devices reaches (ZeRO-3 bounds the others)."""
        if n not in self._minimum:
            candidates = [
                lay for lay in self.layouts(n) if lay.zero_stage == (3 if lay.data > 1 and self.workload.trains else 0)
            ]
            self._minimum[n] = min(self.bytes_without_context(lay) for lay in candidates)
        return self._minimum[n]

    def _most_sharded(self, layout: Layout) -> Layout:
        """The same shape with ZeRO-3 on its data axis (when training): the least memory that shape reaches."""
        cached = self._sharded.get(layout)
        if cached is None:
            stage = 3 if layout.data > 1 and self.workload.trains else 0
            cached = Layout(layout.tensor, layout.pipeline, layout.data, stage, layout.offload_optimizer)
            self._sharded[layout] = cached
        return cached

    def fewest(self, capacity_bytes: int) -> tuple[int, Layout] | None:
        for n in _COUNTS:
            if n > MAX_FIT_DEVICES:
                break
            if self.minimum(n) > capacity_bytes:
                continue
            hopeless: set[tuple[int, int]] = set()
            for layout in self.layouts(n):
                shape = (layout.tensor, layout.pipeline)
                if shape in hopeless:
                    continue
                most_sharded = self._most_sharded(layout)
                if self.bytes_without_context(most_sharded) > capacity_bytes:
                    hopeless.add(shape)  # lower ZeRO stages of the same shape only need more
                    continue
                if self.bytes_without_context(layout) <= capacity_bytes:
                    return n, layout
        return None


def _engine_fewest(
    arch: Architecture, workload: Workload, accelerator: Accelerator, profile: MemoryProfile
) -> tuple[int, Layout] | None:
    """Fewest devices for an engine: tensor parallel within a node, then pipeline stages across nodes."""
    heads = max(1, arch.heads or 1)
    for n in _COUNTS:
        tensor = max(t for t in (1, 2, 4, 8) if t <= min(n, MAX_TENSOR_PARALLEL, heads))
        if n % tensor:
            continue
        layout = Layout(tensor=tensor, pipeline=n // tensor)
        if layout.pipeline > max(1, arch.total_layers):
            return None
        if fit_answer(arch, workload, accelerator, layout, profile).fits:
            return n, layout
    return None


def min_devices_to_fit(
    arch: Architecture, workload: Workload, accelerator: Accelerator
) -> tuple[int | None, Layout | None]:
    """(fewest devices, layout) that fit the workload on this accelerator; (None, None) beyond 16,384 devices."""
    if uses_kv_pool(workload):
        found_engine = _engine_fewest(arch, workload, accelerator, memory_profile(arch, workload))
        return (None, None) if found_engine is None else found_engine
    search = _Search(arch, workload)
    found = search.fewest(accelerator.memory_bytes - context_bytes(accelerator))
    return (None, None) if found is None else found


def fit_table(arch: Architecture, workload: Workload, accelerators: list[Accelerator]) -> list[FitRow]:
    """One row per accelerator: fits on one?, fewest devices and layout, bytes per device, price, speed."""
    search = _Search(arch, workload)
    pooled = uses_kv_pool(workload)
    single = Layout()
    rows: list[FitRow] = []
    for acc in accelerators:
        context = context_bytes(acc)
        capacity = acc.memory_bytes - context
        if pooled:
            one = fit_answer(arch, workload, acc, single, search.profile).required_bytes
            found = _engine_fewest(arch, workload, acc, search.profile)
        else:
            one = search.bytes_without_context(single) + context
            found = search.fewest(capacity)
        if found is None:
            rows.append(FitRow(acc.key, acc.model, acc.vendor, acc.kind, acc.memory_bytes, False, one))
            continue
        n, layout = found
        if pooled:
            per_device = fit_answer(arch, workload, acc, layout, search.profile).required_bytes
        else:
            per_device = search.bytes_without_context(layout) + context
        price = acc.cloud_usd_per_hour * n if acc.cloud_usd_per_hour is not None else None
        try:
            speed = estimate_throughput(arch, workload, acc, layout=layout)
            unit, expected = speed.unit, speed.expected
        except ValueError:
            unit, expected = None, None
        rows.append(
            FitRow(
                acc.key,
                acc.model,
                acc.vendor,
                acc.kind,
                acc.memory_bytes,
                n == 1,
                one,
                n,
                layout.name,
                per_device,
                price,
                unit,
                expected,
            )
        )
    return rows


def best_layout(arch: Architecture, workload: Workload, accelerator: Accelerator, devices: int) -> Layout:
    """The layout of exactly ``devices`` devices the estimate uses.

    The workload's own when it names one (tensor or pipeline parallelism, or a ZeRO stage: llm-foundry runs
    FSDP over every device); the engines' tensor-then-pipeline split; otherwise, among the fit search's
    layouts of that many devices that fit the device, the one the step model runs fastest (a 405B model on
    16,384 GPUs shards over tensor x pipeline x data, as Llama 3 did, instead of gathering every weight over the
    network); with none that fits, the one needing the least memory.
    """
    if devices == 1:
        return Layout()
    if uses_kv_pool(workload):
        return engine_layout(replace(workload, devices=devices))
    if workload.parallelism != "data" or workload.zero_stage:
        return workload_layout(workload, devices)
    search = _Search(arch, workload)
    capacity = accelerator.memory_bytes - accelerator.context_bytes
    layouts = search.layouts(devices)
    fitting = [layout for layout in layouts if search.bytes_without_context(layout) <= capacity]
    if not fitting:
        return min(layouts, key=search.bytes_without_context)
    try:
        return max(fitting, key=lambda lay: estimate_throughput(arch, workload, accelerator, layout=lay).expected)
    except ValueError:
        return fitting[0]  # the device lacks the precision: the speed is refused elsewhere, memory still shows
