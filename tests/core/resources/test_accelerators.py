"""Accelerators: catalogue rows and dense peaks."""

from __future__ import annotations

import pytest

from core.resources.accelerators import Accelerator, load_accelerators

CATALOGUE = load_accelerators()


def test_whole_catalogue_loads() -> None:
    assert {"h200-sxm", "h100-sxm", "t4", "mi300x", "tpu-v5e"} <= set(CATALOGUE)


def test_peak_is_dense_never_sparse() -> None:
    h100 = CATALOGUE["h100-sxm"]
    dense = h100.peak_tflops("bf16")
    assert dense == pytest.approx(989.5)
    assert dense is not None and (h100.bf16_sparse_tflops is None or dense < h100.bf16_sparse_tflops)


@pytest.mark.parametrize(("preferred", "dtype"), [(("fp8",), "fp8"), (("tf32",), "tf32"), (("int8",), "int8")])
def test_best_peak_uses_the_preferred_dtype_when_known(preferred: tuple[str, ...], dtype: str) -> None:
    assert CATALOGUE["h100-sxm"].best_peak_tflops(preferred)[0] == dtype


def test_best_peak_falls_back_to_bf16_when_fp8_is_unknown() -> None:
    assert CATALOGUE["a100-80gb-sxm"].best_peak_tflops(("fp8",)) == ("bf16", 312.0)


@pytest.mark.parametrize(
    ("key", "reported_bytes"),
    [
        ("h100-sxm", 85_520_809_984),  # "80GB" reports 81,559 MiB
        ("h200-sxm", 150_109_880_320),  # measured on the calibration H200
        ("rtx-4090", int(23.65 * 2**30)),
    ],
)
def test_memory_bytes_are_what_the_device_reports(key: str, reported_bytes: int) -> None:
    assert CATALOGUE[key].memory_bytes == reported_bytes


def test_a_device_without_reported_memory_reads_its_gb_as_gib_less_one_percent() -> None:
    custom = Accelerator(
        key="x", vendor="", model="X", kind="gpu", memory_gb=80, memory_bandwidth_gbps=1000, bf16_tflops=100
    )
    assert custom.memory_bytes == int(80 * 2**30 * 0.99)


@pytest.mark.parametrize(
    ("key", "context_bytes"), [("h100-sxm", 552_402_944), ("a100-80gb-sxm", 450_000_000), ("cpu-xeon-8480", 0)]
)
def test_cuda_context_is_per_device_family(key: str, context_bytes: int) -> None:
    assert CATALOGUE[key].context_bytes == context_bytes


def test_every_catalogue_row_has_device_facts_with_a_source() -> None:
    assert all(acc.generation and acc.memory_basis for acc in CATALOGUE.values())
    assert all(acc.memory_source for acc in CATALOGUE.values() if acc.memory_basis != "rule")


def test_unknown_dtype_is_rejected() -> None:
    with pytest.raises(ValueError, match="compute dtype"):
        CATALOGUE["t4"].peak_tflops("fp4")


def test_from_row_accepts_strings() -> None:
    acc = Accelerator.from_row(
        {
            "key": "x",
            "vendor": "V",
            "model": "X",
            "kind": "GPU",
            "memory_gb": "24",
            "memory_bandwidth_gbps": "600",
            "bf16_tflops": "70",
            "fp8_tflops": "",
            "as_of": "2026-05",
        }
    )
    assert (acc.kind, acc.memory_gb, acc.fp8_tflops, acc.as_of) == ("gpu", 24.0, None, "2026-05")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "fpga"}, "Kind"),
        ({"memory_gb": "0"}, "above 0"),
        ({"memory_gb": None}, "memory_gb"),
        ({"bf16_tflops": "-3"}, "above 0"),
        ({"bf16_tflops": "fast"}, "number"),
        ({"key": ""}, "key"),
        ({"bf16_tflops": None}, "dense peak"),
    ],
)
def test_from_row_rejects_bad_cells(changes: dict[str, object], message: str) -> None:
    row: dict[str, object] = {
        "key": "x",
        "vendor": "V",
        "model": "X",
        "kind": "gpu",
        "memory_gb": "24",
        "memory_bandwidth_gbps": "600",
        "bf16_tflops": "70",
        **changes,
    }
    with pytest.raises(ValueError, match=message):
        Accelerator.from_row(row)
