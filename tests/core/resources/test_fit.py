"""Fit: fewest devices, layouts, and the table over the whole catalogue."""

from __future__ import annotations

import pytest

from core.resources.accelerators import load_accelerators
from core.resources.architectures import Architecture, load_architectures
from core.resources.fit import fit_table, min_devices_to_fit
from core.resources.memory import Workload, estimate_memory

ACCS = load_accelerators()
ARCHS = load_architectures()


def test_small_model_fits_one_device() -> None:
    n, layout = min_devices_to_fit(ARCHS["resnet50"], Workload(mode="train", batch=32), ACCS["t4"])
    assert (n, layout.name if layout else None) == (1, "single device")


def test_70b_bf16_inference_needs_two_80gb_gpus() -> None:
    # 70.6e9 x 2 bytes = 141 GB of weights: more than one 80 GB card, less than two.
    n, layout = min_devices_to_fit(ARCHS["llama-3.1-70b"], Workload(seq=512), ACCS["h100-sxm"])
    assert n == 2 and layout is not None and layout.tensor == 2


def test_70b_int4_inference_fits_one_80gb_gpu() -> None:
    n, _ = min_devices_to_fit(ARCHS["llama-3.1-70b"], Workload(precision="int4", seq=512), ACCS["h100-sxm"])
    assert n == 1


def test_found_layout_really_fits() -> None:
    arch, workload, acc = ARCHS["llama-3.1-8b"], Workload(mode="train", batch=16, seq=2048), ACCS["a100-40gb"]
    n, layout = min_devices_to_fit(arch, workload, acc)
    assert n is not None and layout is not None and n > 1
    assert estimate_memory(arch, workload, layout).device_bytes <= acc.memory_bytes


def test_nothing_fits_returns_none() -> None:
    giant = Architecture.custom_model(9e13)
    n, layout = min_devices_to_fit(giant, Workload(mode="train", seq=4096), ACCS["rtx-3080"])
    assert (n, layout) == (None, None)


def test_fit_table_has_a_row_per_accelerator_with_prices_for_all_devices() -> None:
    accs = list(ACCS.values())
    rows = fit_table(ARCHS["llama-3.1-70b"], Workload(batch=4, prompt_tokens=1024, new_tokens=256), accs)
    assert [r.accelerator for r in rows] == [a.key for a in accs]
    for row, acc in zip(rows, accs, strict=True):
        assert row.fits_on_one == (row.single_device_bytes <= acc.memory_bytes)
        assert row.fits_on_one == (row.min_devices == 1)
        if row.min_devices and acc.cloud_usd_per_hour is not None:
            assert row.price_usd_per_hour == pytest.approx(row.min_devices * acc.cloud_usd_per_hour)
        if row.per_device_bytes is not None:
            assert row.per_device_bytes <= acc.memory_bytes
    assert rows[0].to_dict()["accelerator"] == accs[0].key


@pytest.mark.parametrize(
    "workload",
    [
        Workload(mode="lora", precision="int4", batch=4, seq=2048, grad_checkpointing=True),
        Workload(mode="train", precision="amp", optimizer="adamw", batch=4, seq=2048),
        Workload(mode="train", precision="bf16", optimizer="adamw", batch=2, seq=1024, grad_checkpointing=True),
        Workload(mode="inference", precision="bf16", batch=16, prompt_tokens=2048, new_tokens=128),
    ],
    ids=["qlora-ckpt", "amp", "bf16-ckpt", "generate"],
)
def test_the_device_search_counts_memory_exactly_as_the_estimate(workload: Workload) -> None:
    """Otherwise "fits on one" and "fewest devices" could disagree for the same workload."""
    from core.resources.fit import _Search
    from core.resources.memory import layout_for

    arch = Architecture.custom_model(7e9)
    estimate = estimate_memory(arch, workload)
    searched = _Search(arch, workload).bytes_without_context(layout_for(workload))
    assert searched == estimate.peak_bytes + estimate.allocator_slack_bytes
