"""Browsing the accelerator catalogue: filters, price dates, the side-by-side comparison."""

from __future__ import annotations

from typing import Any

import pytest

from core.resources.accelerator_catalogue import (
    COMPARED_FIELDS,
    AcceleratorFilter,
    check_compared,
    comparison,
    filter_accelerators,
    price_dates,
    vendors,
)
from core.store import read_catalogue

ROWS: list[dict[str, Any]] = [
    {"key": "h100-sxm", "vendor": "NVIDIA", "model": "H100 SXM5 80GB", "kind": "gpu", "memory_gb": 80,
     "cloud_usd_per_hour": 3.0, "as_of": "2026-05"},
    {"key": "mi300x", "vendor": "AMD", "model": "Instinct MI300X", "kind": "gpu", "memory_gb": 192,
     "cloud_usd_per_hour": 1.99, "as_of": "2025-06"},
    {"key": "tpu-v5e", "vendor": "Google", "model": "Cloud TPU v5e", "kind": "tpu", "memory_gb": 16,
     "cloud_usd_per_hour": 1.2, "as_of": "2025-06"},
    {"key": "gaudi3", "vendor": "Intel", "model": "Gaudi 3", "kind": "npu", "memory_gb": 128,
     "cloud_usd_per_hour": None, "as_of": "2024-01"},
    {"key": "cpu-laptop", "vendor": "amd", "model": "Ryzen laptop", "kind": "cpu", "memory_gb": None,
     "cloud_usd_per_hour": None, "as_of": None},
]  # fmt: skip


def keys(chosen: AcceleratorFilter) -> list[str]:
    return [row["key"] for row in filter_accelerators(ROWS, chosen)]


def test_no_filter_keeps_everything_in_order() -> None:
    assert keys(AcceleratorFilter()) == [row["key"] for row in ROWS]
    assert not AcceleratorFilter().is_active


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (AcceleratorFilter(vendors=frozenset({"AMD"})), ["mi300x"]),
        (AcceleratorFilter(vendors=frozenset({"AMD", "Google"})), ["mi300x", "tpu-v5e"]),
        (AcceleratorFilter(kinds=frozenset({"tpu", "npu"})), ["tpu-v5e", "gaudi3"]),
        (AcceleratorFilter(min_memory_gb=100), ["mi300x", "gaudi3"]),
        (AcceleratorFilter(min_memory_gb=80), ["h100-sxm", "mi300x", "gaudi3"]),
        (AcceleratorFilter(max_usd_per_hour=2.0), ["mi300x", "tpu-v5e"]),  # unpriced rows drop out
        (AcceleratorFilter(text="h100"), ["h100-sxm"]),
        (AcceleratorFilter(text="  INSTINCT   mi300 "), ["mi300x"]),
        (AcceleratorFilter(text="v5e tpu"), ["tpu-v5e"]),  # every word, any order, model or key
        (AcceleratorFilter(text="cpu-laptop"), ["cpu-laptop"]),
        (AcceleratorFilter(text="nothing-like-this"), []),
        (AcceleratorFilter(vendors=frozenset({"AMD"}), kinds=frozenset({"tpu"})), []),
    ],
)
def test_filters_narrow_the_rows(chosen: AcceleratorFilter, expected: list[str]) -> None:
    assert keys(chosen) == expected
    assert chosen.is_active


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kinds": frozenset({"fpga"})}, "Kind must be one of"),
        ({"min_memory_gb": -1}, "Minimum memory"),
        ({"min_memory_gb": float("nan")}, "Minimum memory"),
        ({"max_usd_per_hour": 0}, "Maximum price"),
        ({"max_usd_per_hour": float("inf")}, "Maximum price"),
    ],
)
def test_a_bad_filter_value_says_why(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AcceleratorFilter(**kwargs)


def test_vendors_and_price_dates() -> None:
    assert vendors(ROWS) == ["AMD", "amd", "Google", "Intel", "NVIDIA"]
    assert price_dates(ROWS) == ("2025-06", "2026-05")  # gaudi3's 2024-01 has no price
    assert price_dates([]) is None


def test_comparison_of_catalogue_devices() -> None:
    catalogue = read_catalogue("accelerators")
    labels, columns = comparison(catalogue, ["h100-sxm", "mi300x"])
    assert labels[0] == "Memory (GB)" and len(labels) == len(COMPARED_FIELDS)
    assert list(columns) == ["H100 SXM5 80GB", "Instinct MI300X"]
    assert columns["H100 SXM5 80GB"][labels.index("BF16 dense (TFLOP/s)")] == 989.5
    assert columns["Instinct MI300X"][labels.index("Memory (GB)")] == 192


def test_comparison_names_devices_that_share_a_model_name_apart() -> None:
    rows = [{"key": "a", "model": "Same"}, {"key": "b", "model": "Same"}]
    _, columns = comparison(rows, ["a", "b"])
    assert list(columns) == ["Same (a)", "Same (b)"]
    assert all(value is None for value in columns["Same (a)"])


KNOWN = [f"d{i}" for i in range(8)]


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        (["d0"], "Pick 2 to 6 devices to compare; 1 chosen"),
        (["d0", "d0"], "1 chosen"),
        (KNOWN[:7], "7 chosen"),
        (["d0", "zzz"], "Not in the catalogue: zzz"),
    ],
)
def test_check_compared_refuses_too_few_too_many_or_unknown(chosen: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_compared(chosen, KNOWN)


def test_check_compared_keeps_the_order_chosen() -> None:
    assert check_compared(["d3", "d1", "d3"], KNOWN) == ["d3", "d1"]
