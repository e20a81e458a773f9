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


def test_memory_bytes_are_decimal() -> None:
    assert CATALOGUE["h100-sxm"].memory_bytes == 80_000_000_000


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
