"""Browsing the accelerator catalogue: filters, the price date, the side-by-side comparison.

Rows are the dicts ``Store.catalogue("accelerators")`` returns (catalogue
columns plus ``origin``: "seed", "edited" or "user"). Pure functions; the
Accelerators page (/gpus) draws what they return.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.resources.accelerator_edits import LABELS
from core.resources.accelerators import KINDS

ORIGIN_LABELS: dict[str, str] = {"seed": "seed", "edited": "edited", "user": "yours"}

# The figures compared side by side, in the order the comparison table lists them.
COMPARED_FIELDS: tuple[str, ...] = (
    "memory_gb",
    "memory_bandwidth_gbps",
    "bf16_tflops",
    "fp8_tflops",
    "int8_tops",
    "fp32_tflops",
    "tf32_tflops",
    "tdp_w",
    "interconnect_gbps",
    "release_year",
    "list_price_usd",
    "cloud_usd_per_hour",
)

MIN_COMPARED = 2
MAX_COMPARED = 6


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class AcceleratorFilter:
    """What the user narrows the catalogue to. Empty vendor/kind sets and None limits mean "any"."""

    vendors: frozenset[str] = field(default_factory=frozenset)
    kinds: frozenset[str] = field(default_factory=frozenset)
    min_memory_gb: float = 0.0
    max_usd_per_hour: float | None = None
    text: str = ""

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"Kind must be one of {', '.join(KINDS)}; got {', '.join(sorted(unknown))}.")
        memory = _number(self.min_memory_gb)
        if memory is None or memory < 0:
            raise ValueError(f"Minimum memory (GB) must be a finite number, 0 or more; got {self.min_memory_gb}.")
        if self.max_usd_per_hour is not None:
            price = _number(self.max_usd_per_hour)
            if price is None or price <= 0:
                raise ValueError(
                    f"Maximum price ($/hour) must be a finite number above 0, or blank; got {self.max_usd_per_hour}."
                )

    def matches(self, row: Mapping[str, Any]) -> bool:
        if self.vendors and row.get("vendor") not in self.vendors:
            return False
        if self.kinds and row.get("kind") not in self.kinds:
            return False
        if self.min_memory_gb > 0:
            memory = _number(row.get("memory_gb"))
            if memory is None or memory < self.min_memory_gb:
                return False
        if self.max_usd_per_hour is not None:
            # A device without a listed cloud price cannot be shown to be under the limit.
            price = _number(row.get("cloud_usd_per_hour"))
            if price is None or price > self.max_usd_per_hour:
                return False
        needle = " ".join(self.text.split()).casefold()
        if needle:
            haystack = f"{row.get('model') or ''} {row.get('key') or ''}".casefold()
            return all(word in haystack for word in needle.split())
        return True

    @property
    def is_active(self) -> bool:
        return bool(self.vendors or self.kinds or self.min_memory_gb > 0 or self.max_usd_per_hour or self.text.strip())


def filter_accelerators(rows: Iterable[Mapping[str, Any]], chosen: AcceleratorFilter) -> list[Mapping[str, Any]]:
    """The rows that pass every filter, in catalogue order."""
    return [row for row in rows if chosen.matches(row)]


def vendors(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every vendor in the catalogue, sorted case-insensitively."""
    return sorted({str(row["vendor"]) for row in rows if row.get("vendor")}, key=lambda name: (name.casefold(), name))


def price_dates(rows: Iterable[Mapping[str, Any]]) -> tuple[str, str] | None:
    """(earliest, latest) ``as_of`` among rows with a cloud price; None when no row has one."""
    dates = sorted(
        str(row["as_of"]) for row in rows if row.get("as_of") and _number(row.get("cloud_usd_per_hour")) is not None
    )
    return (dates[0], dates[-1]) if dates else None


def check_compared(keys: Sequence[str], known: Iterable[str]) -> list[str]:
    """The keys to compare: 2 to 6 known devices, in the order chosen."""
    catalogue = set(known)
    missing = [key for key in keys if key not in catalogue]
    if missing:
        raise ValueError(f"Not in the catalogue: {', '.join(missing)}.")
    unique = list(dict.fromkeys(keys))
    if not MIN_COMPARED <= len(unique) <= MAX_COMPARED:
        raise ValueError(f"Pick {MIN_COMPARED} to {MAX_COMPARED} devices to compare; {len(unique)} chosen.")
    return unique


def comparison(
    rows: Sequence[Mapping[str, Any]], keys: Sequence[str]
) -> tuple[list[str], dict[str, list[float | None]]]:
    """The side-by-side table: figure labels (with units) and, per device name, its figures (None: not published).

    Device names are the models, made unique with the key where two share a name.
    """
    by_key = {str(row["key"]): row for row in rows}
    chosen = [by_key[key] for key in check_compared(keys, by_key)]
    models = [str(row.get("model") or row["key"]) for row in chosen]
    names = [
        f"{model} ({row['key']})" if models.count(model) > 1 else model
        for model, row in zip(models, chosen, strict=True)
    ]
    labels = [LABELS[name] for name in COMPARED_FIELDS]
    columns = {name: [_number(row.get(f)) for f in COMPARED_FIELDS] for name, row in zip(names, chosen, strict=True)}
    return labels, columns
