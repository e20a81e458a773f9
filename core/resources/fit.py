"""Which accelerators a workload fits on, how many of each it needs, in which layout, at what price.

A device "fits" when the estimated device memory (tensors at the peak + allocator slack + the
CUDA context) is at most its catalogue memory (decimal GB, which is slightly below what the
driver reports, so the answer errs on the safe side).

The search for the fewest devices tries device counts in increasing order (1-8, then doubling)
and, for each count, the layouts from the least to the most communication-hungry: data
parallelism (DDP, then ZeRO-1, ZeRO-2, ZeRO-3/FSDP), then tensor parallelism within a node (at
most 8, the NVLink domain of an HGX board), then pipeline stages across nodes. Memory does not
depend on the device, so one search serves the whole catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.resources.accelerators import Accelerator
from core.resources.architectures import Architecture
from core.resources.memory import (
    CUDA_CONTEXT_BYTES,
    PERSISTENT_TERMS,
    SLACK_FRACTION,
    SLACK_FRACTION_CHECKPOINTING,
    Layout,
    Workload,
    memory_phases,
    memory_profile,
)
from core.resources.speed import estimate_throughput

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
    """The runtime's own memory on the device: the measured CUDA context for GPUs, none for a CPU socket."""
    return 0 if accelerator.kind == "cpu" else CUDA_CONTEXT_BYTES


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
                most_sharded = Layout(
                    layout.tensor,
                    layout.pipeline,
                    layout.data,
                    3 if layout.data > 1 and self.workload.trains else 0,
                    layout.offload_optimizer,
                )
                if self.bytes_without_context(most_sharded) > capacity_bytes:
                    hopeless.add(shape)  # lower ZeRO stages of the same shape only need more
                    continue
                if self.bytes_without_context(layout) <= capacity_bytes:
                    return n, layout
        return None


def min_devices_to_fit(
    arch: Architecture, workload: Workload, accelerator: Accelerator
) -> tuple[int | None, Layout | None]:
    """(fewest devices, layout) that fit the workload on this accelerator; (None, None) beyond 16,384 devices."""
    search = _Search(arch, workload)
    found = search.fewest(accelerator.memory_bytes - context_bytes(accelerator))
    return (None, None) if found is None else found


def fit_table(arch: Architecture, workload: Workload, accelerators: list[Accelerator]) -> list[FitRow]:
    """One row per accelerator: fits on one?, fewest devices and layout, bytes per device, price, speed."""
    search = _Search(arch, workload)
    single = Layout()
    rows: list[FitRow] = []
    for acc in accelerators:
        context = context_bytes(acc)
        capacity = acc.memory_bytes - context
        one = search.bytes_without_context(single) + context
        found = search.fewest(capacity)
        if found is None:
            rows.append(FitRow(acc.key, acc.model, acc.vendor, acc.kind, acc.memory_bytes, False, one))
            continue
        n, layout = found
        per_device = search.bytes_without_context(layout) + context
        price = acc.cloud_usd_per_hour * n if acc.cloud_usd_per_hour is not None else None
        try:
            speed = estimate_throughput(arch, workload, acc, n)
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
