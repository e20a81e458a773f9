"""Fit: fewest devices, layouts, and the table over the whole catalogue."""

from __future__ import annotations

import pytest

from core.resources.accelerators import load_accelerators
from core.resources.architectures import Architecture, load_architectures
from core.resources.fit import (
    MEMORY_UNCERTAINTY,
    _fit_word,
    absent_workspace_bytes,
    engine_memory,
    fit_answer,
    fit_table,
    min_devices_to_fit,
)
from core.resources.memory import Layout, Workload, estimate_memory

ACCS = load_accelerators()
ARCHS = load_architectures()


@pytest.mark.parametrize(
    ("device", "holds_workspace"),
    [("h100-sxm", True), ("mi300x", True), ("cpu-xeon-6338", False), ("apple-m3-max", False), ("tpu-v5e", False)],
)
def test_the_cublas_workspace_counts_only_where_a_gpu_runtime_runs(device: str, holds_workspace: bool) -> None:
    arch, workload = ARCHS["gpt2"], Workload(batch=1, seq=64)
    estimate = estimate_memory(arch, workload)
    workspace = estimate.breakdown["cuBLAS workspace"]
    acc = ACCS[device]
    answer = fit_answer(arch, workload, acc)
    assert absent_workspace_bytes(estimate, acc) == (0 if holds_workspace else workspace)
    expected = estimate.peak_bytes - (0 if holds_workspace else workspace)
    assert answer.required_bytes == expected + estimate.allocator_slack_bytes + acc.context_bytes


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


# --- fit as a margin, and the engines' pools ---------------------------------------------------------


@pytest.mark.parametrize(
    ("margin_share", "word"), [(0.2, "fits"), (0.04, "tight"), (-0.04, "tight"), (-0.2, "does not fit")]
)
def test_fit_word_follows_the_margin_and_the_estimates_uncertainty(margin_share: float, word: str) -> None:
    required = 10e9
    assert _fit_word(margin_share * required, MEMORY_UNCERTAINTY * required) == word


def test_capacity_is_what_the_device_reports_not_decimal_gb() -> None:
    # 8B bf16 inference at a batch that needs ~81 GB: over 80e9 but under the 85.5e9 an H100 reports.
    workload = Workload(batch=1, prompt_tokens=4096, new_tokens=1)
    answer = fit_answer(ARCHS["llama-3.1-8b"], workload, ACCS["h100-sxm"])
    assert answer.capacity_bytes == 85_520_809_984
    assert answer.margin_bytes == answer.capacity_bytes - answer.required_bytes


@pytest.mark.parametrize(
    ("engine", "pool_bytes"),
    [
        # vLLM / SGLang: a share of the TOTAL memory, less context, weights and workspace.
        ("vllm", lambda total, ctx, used: 0.9 * total - ctx - used),
        ("sglang", lambda total, ctx, used: 0.88 * total - ctx - used),
        # TensorRT-LLM: a share of what is FREE after the engine loaded.
        ("tensorrt-llm", lambda total, ctx, used: 0.9 * (total - ctx - used)),
    ],
)
def test_engine_pools_follow_each_stacks_rule(engine: str, pool_bytes: object) -> None:
    workload = Workload(batch=8, prompt_tokens=1024, new_tokens=200, engine=engine)  # type: ignore[arg-type]
    acc = ACCS["h100-sxm"]
    memory = engine_memory(ARCHS["llama-3.1-8b"], workload, acc, Layout())
    used = memory.weights_bytes + memory.workspace_bytes
    expected = pool_bytes(acc.memory_bytes, acc.context_bytes, used)  # type: ignore[operator]
    assert memory.kv_pool_bytes == pytest.approx(expected, abs=2)
    assert memory.max_concurrent_sequences == int(memory.kv_pool_bytes // memory.kv_per_sequence_bytes)


def test_an_fp8_kv_cache_doubles_the_concurrent_sequences() -> None:
    arch, acc = ARCHS["llama-3.1-8b"], ACCS["h100-sxm"]
    bf16 = engine_memory(arch, Workload(prompt_tokens=1024, new_tokens=200, engine="vllm"), acc, Layout())
    fp8 = engine_memory(
        arch, Workload(prompt_tokens=1024, new_tokens=200, engine="vllm", kv_cache_dtype="fp8"), acc, Layout()
    )
    assert fp8.kv_per_sequence_bytes * 2 == pytest.approx(bf16.kv_per_sequence_bytes, abs=2)
    assert fp8.max_concurrent_sequences >= 2 * bf16.max_concurrent_sequences - 1


def test_an_engine_fits_what_eager_pytorch_does_not() -> None:
    # TensorRT-LLM's published run: Llama 2 70B fp8, batch 96, 2,048 + 128 tokens on two H100s (fp8 KV cache).
    workload = Workload(batch=96, prompt_tokens=2048, new_tokens=128, precision="fp8", devices=2, parallelism="tensor")
    engine = Workload(
        batch=96,
        prompt_tokens=2048,
        new_tokens=128,
        precision="fp8",
        devices=2,
        parallelism="tensor",
        engine="tensorrt-llm",
    )
    assert not fit_answer(ARCHS["llama-2-70b"], workload, ACCS["h100-sxm"]).fits
    assert fit_answer(ARCHS["llama-2-70b"], engine, ACCS["h100-sxm"]).fits


def test_an_engine_replica_grows_tensor_parallel_until_the_weights_fit() -> None:
    workload = Workload(prompt_tokens=512, new_tokens=128, engine="vllm")
    n, layout = min_devices_to_fit(ARCHS["llama-3.1-70b"], workload, ACCS["h100-sxm"])
    assert n == 2 and layout is not None and layout.tensor == 2
