"""Accelerators: the catalogue row and the dense peak a workload can use.

Every peak here is DENSE. Vendors headline 2:4 structured-sparsity figures,
twice the dense ones (an H100 SXM's 1,979 BF16 TFLOP/s is sparse; dense is
989); the catalogue keeps those in ``*_sparse_*`` columns and no estimate ever
reads them, because dense training and inference cannot use them.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path
from typing import Any

from core.text import quote_prefix

KINDS: tuple[str, ...] = ("gpu", "tpu", "npu", "cpu")
GB = 1e9  # the catalogue's memory_gb is decimal (1e9 bytes), as vendors state it
GIB = 2**30
# What a device reports, per catalogue row with its source (data/device_facts.csv). Vendors print
# "80GB" for a card that holds about 80 GiB: an H100 80GB reports 85.5e9 bytes, 7 % more than
# 80e9. A row without a reported figure (a user's own device) reads its GB as GiB less the ~1 %
# the driver keeps, the share the H200 (measured), H100, A100, RTX 3090 and RTX 4090 report.
DEVICE_FACTS_PATH = Path(__file__).resolve().parents[2] / "data" / "device_facts.csv"
REPORTED_SHARE_OF_GIB = 0.99
# The CUDA context per device family: the H200's was measured (PyTorch 2.11, CUDA 13, lazy module
# loading: 552,402,944 B); other families are estimates scaled from it (the context holds the
# driver's and the libraries' kernels and per-SM state, so it grows with the SM count and the
# kernels loaded). A CPU socket has none; TPUs, NPUs and Apple's unified memory keep the runtime
# in host memory.
CONTEXT_BYTES_BY_GENERATION: dict[str, int] = {
    "hopper": 552_402_944,
    "blackwell": 552_402_944,
    "ampere": 450_000_000,
    "ada": 450_000_000,
    "turing": 350_000_000,
    "volta": 350_000_000,
    "pascal": 300_000_000,
    "cdna2": 400_000_000,
    "cdna3": 500_000_000,
    "cdna4": 500_000_000,
    "gaudi": 300_000_000,
    "other": 552_402_944,
}

_NUMBER_FIELDS = (
    "memory_gb",
    "memory_bandwidth_gbps",
    "fp32_tflops",
    "tf32_tflops",
    "bf16_tflops",
    "fp8_tflops",
    "int8_tops",
    "tf32_sparse_tflops",
    "bf16_sparse_tflops",
    "fp8_sparse_tflops",
    "int8_sparse_tops",
    "tdp_w",
    "interconnect_gbps",
    "list_price_usd",
    "cloud_usd_per_hour",
)


@dataclass(frozen=True)
class Accelerator:
    """One device (or one CPU socket). Throughputs in TFLOP/s (TOP/s for int8), memory in GB (1e9 B)."""

    key: str
    vendor: str
    model: str
    kind: str
    memory_gb: float
    memory_bandwidth_gbps: float
    form_factor: str | None = None
    fp32_tflops: float | None = None
    tf32_tflops: float | None = None
    bf16_tflops: float | None = None
    fp8_tflops: float | None = None
    int8_tops: float | None = None
    tf32_sparse_tflops: float | None = None
    bf16_sparse_tflops: float | None = None
    fp8_sparse_tflops: float | None = None
    int8_sparse_tops: float | None = None
    tdp_w: float | None = None
    interconnect_gbps: float | None = None
    cores: int | None = None
    release_year: int | None = None
    list_price_usd: float | None = None
    cloud_usd_per_hour: float | None = None
    source_url: str | None = None
    as_of: str | None = None
    notes: str | None = None
    # From data/device_facts.csv (see DEVICE_FACTS_PATH); None on a row the facts do not cover.
    reported_memory_bytes: int | None = None
    memory_basis: str | None = None
    memory_source: str | None = None
    generation: str | None = None
    supports_bf16: bool | None = None
    geforce_fp16_accumulate_tflops: float | None = None

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("An accelerator needs a key, e.g. 'h100-sxm'.")
        if self.kind not in KINDS:
            raise ValueError(f"Kind of {self.key} must be one of {', '.join(KINDS)}; got {quote_prefix(self.kind)}.")
        for name in _NUMBER_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"{name} of {self.key} must be a finite number; got {quote_prefix(value)}.")
            if value < 0 or (value == 0 and name in ("memory_gb", "memory_bandwidth_gbps")):
                raise ValueError(f"{name} of {self.key} must be above 0; got {quote_prefix(value)}.")
        if self.peak_tflops("fp32") is None and self.bf16_tflops is None:
            raise ValueError(f"{self.key} needs at least one dense peak (fp32 or bf16 TFLOP/s).")

    @property
    def memory_bytes(self) -> int:
        """Device memory in bytes as the device reports it (``cudaMemGetInfo`` total), see DEVICE_FACTS_PATH."""
        if self.reported_memory_bytes is not None:
            return self.reported_memory_bytes
        return int(self.memory_gb * GIB * REPORTED_SHARE_OF_GIB)

    @property
    def has_gpu_runtime(self) -> bool:
        """True where a CUDA (or ROCm) runtime runs: its context and cuBLAS workspace take device memory.
        False on CPU sockets, TPUs, NPUs and Apple GPUs."""
        return self.kind == "gpu" and self.generation not in ("apple", "tpu", "neuron", "cpu")

    @property
    def context_bytes(self) -> int:
        """The runtime's own memory on the device (CUDA context): per family, none on CPUs, TPUs, NPUs, Apple."""
        if not self.has_gpu_runtime:
            return 0
        return CONTEXT_BYTES_BY_GENERATION.get(self.generation or "other", CONTEXT_BYTES_BY_GENERATION["other"])

    @property
    def lacks_bf16(self) -> bool:
        """True for GPUs before Ampere (Pascal, Volta, Turing): no bf16 arithmetic."""
        return self.supports_bf16 is False

    @property
    def has_fp8(self) -> bool:
        """fp8 matmuls need Hopper, Ada, Blackwell or CDNA3+: the catalogue gives them an fp8 peak."""
        return bool(self.fp8_tflops)

    @property
    def memory_bandwidth_bytes_per_s(self) -> float:
        return self.memory_bandwidth_gbps * GB

    @property
    def is_gpu(self) -> bool:
        return self.kind == "gpu"

    def peak_tflops(self, dtype: str) -> float | None:
        """Dense peak for a compute dtype: 'fp32', 'tf32', 'bf16' (also fp16), 'fp8' or 'int8'; None if unknown."""
        column = {
            "fp32": "fp32_tflops",
            "tf32": "tf32_tflops",
            "bf16": "bf16_tflops",
            "fp16": "bf16_tflops",
            "fp8": "fp8_tflops",
            "int8": "int8_tops",
        }.get(dtype)
        if column is None:
            raise ValueError(
                f"Unknown compute dtype {quote_prefix(dtype)}; choose fp32, tf32, bf16, fp16, fp8 or int8."
            )
        value = getattr(self, column)
        return float(value) if value else None

    def best_peak_tflops(self, preferred: tuple[str, ...]) -> tuple[str, float]:
        """The first dtype in ``preferred`` with a known dense peak, falling back to bf16 then fp32."""
        for dtype in (*preferred, "bf16", "fp32"):
            value = self.peak_tflops(dtype)
            if value:
                return dtype, value
        raise ValueError(f"{self.key} has no dense peak for {', '.join(preferred)}.")

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Accelerator:
        """Build from a catalogue row; accepts typed values or strings, and None or '' for blanks."""
        key = _text(row.get("key"))
        if not key:
            raise ValueError("An accelerator row needs a key.")
        values: dict[str, Any] = {"key": key}
        for name in ("vendor", "model", "kind", "form_factor", "source_url", "notes"):
            values[name] = _text(row.get(name))
        values["vendor"] = values["vendor"] or ""
        values["model"] = values["model"] or key
        values["kind"] = (values["kind"] or "").lower()
        for name in _NUMBER_FIELDS:
            values[name] = _number(row.get(name), name, key)
        for name in ("cores", "release_year"):
            number = _number(row.get(name), name, key)
            values[name] = None if number is None else int(number)
        as_of = row.get("as_of")
        values["as_of"] = None if as_of is None or str(as_of).strip() == "" else str(as_of)[:10]
        if values["memory_gb"] is None or values["memory_bandwidth_gbps"] is None:
            raise ValueError(f"{key} needs memory_gb and memory_bandwidth_gbps.")
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def load_accelerators(rows: list[dict[str, Any]] | None = None) -> dict[str, Accelerator]:
    """The accelerator catalogue keyed by ``key`` (read through core.store when rows are not given),
    each row completed with its device facts (reported memory, family, bf16) by key."""
    if rows is None:
        from core.store import read_catalogue

        rows = read_catalogue("accelerators")
    return {acc.key: with_device_facts(acc) for acc in (Accelerator.from_row(row) for row in rows)}


@cache
def device_facts() -> dict[str, dict[str, str]]:
    """data/device_facts.csv by key: reported memory bytes and its basis and source, family, bf16, GeForce peaks."""
    with DEVICE_FACTS_PATH.open(newline="", encoding="utf-8") as handle:
        return {row["key"]: row for row in csv.DictReader(handle)}


def with_device_facts(acc: Accelerator) -> Accelerator:
    """The accelerator with the facts its key has in data/device_facts.csv (unchanged when it has none)."""
    facts = device_facts().get(acc.key)
    if facts is None or acc.reported_memory_bytes is not None:
        return acc
    # A user's edit of the memory size outranks the reported figure of the seed row.
    reported = int(facts["reported_memory_bytes"])
    if abs(reported / GIB - acc.memory_gb) / acc.memory_gb > 0.1:
        reported_or_none: int | None = None
    else:
        reported_or_none = reported
    accumulate = facts.get("geforce_fp16_accumulate_tflops") or ""
    return replace(
        acc,
        reported_memory_bytes=reported_or_none,
        memory_basis=facts["memory_basis"] if reported_or_none is not None else "rule",
        memory_source=facts["memory_source"] if reported_or_none is not None else None,
        generation=facts["generation"],
        supports_bf16=facts["bf16"].strip().lower() == "true",
        geforce_fp16_accumulate_tflops=float(accumulate) if accumulate else None,
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _number(value: Any, name: str, key: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{name} of {key} must be a number; got {quote_prefix(value)}.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} of {key} must be a number; got {quote_prefix(value)}.") from None
    if math.isnan(number):
        return None
    return number
