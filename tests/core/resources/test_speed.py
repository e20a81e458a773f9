"""Throughput: roofline regimes, dense peaks, bands."""

from __future__ import annotations

import pytest

from core.resources.accelerators import load_accelerators
from core.resources.architectures import load_architectures
from core.resources.memory import Workload
from core.resources.speed import compute_dtype, estimate_throughput, scaling_efficiency

ACCS = load_accelerators()
ARCHS = load_architectures()
H100 = ACCS["h100-sxm"]


@pytest.mark.parametrize(
    ("key", "workload", "unit", "regime"),
    [
        ("llama-3.1-8b", Workload(batch=1, prompt_tokens=512, new_tokens=128), "tokens/s", "memory-bound"),
        ("llama-3.1-8b", Workload(batch=4096, prompt_tokens=64, new_tokens=8), "tokens/s", "compute-bound"),
        ("llama-3.1-8b", Workload(mode="train", batch=8, seq=2048), "tokens/s", "compute-bound"),
        ("llama-3.1-8b", Workload(batch=1, seq=16), "tokens/s", "memory-bound"),
        ("resnet50", Workload(mode="train", batch=64), "images/s", "compute-bound"),
    ],
)
def test_regime_and_unit(key: str, workload: Workload, unit: str, regime: str) -> None:
    speed = estimate_throughput(ARCHS[key], workload, H100)
    assert (speed.unit, speed.regime) == (unit, regime)
    assert 0 < speed.low <= speed.expected <= speed.high


def test_training_uses_the_dense_bf16_peak() -> None:
    assert compute_dtype(ARCHS["llama-3.1-8b"], Workload(mode="train"), H100) == ("bf16", 989.5)


def test_fp32_convolutions_use_tf32_but_fp32_transformers_do_not() -> None:
    assert compute_dtype(ARCHS["resnet50"], Workload(mode="train", precision="fp32"), H100)[0] == "tf32"
    assert compute_dtype(ARCHS["gpt2"], Workload(mode="train", precision="fp32"), H100)[0] == "fp32"


def test_training_expected_rate_from_six_n_and_mfu() -> None:
    # 8B, 2,048 tokens: 6 x the parameters in matmuls (all but the input embedding table, which is a lookup)
    # + causal attention 6 x layers x width x seq / 2 per token; expected MFU 0.38 of 989.5 TFLOP/s.
    speed = estimate_throughput(ARCHS["llama-3.1-8b"], Workload(mode="train", batch=8, seq=2048), H100)
    flops_per_token = 3 * (2 * (8_030_261_248 - 128_256 * 4096) + 2 * 32 * 4096 * 2048)
    assert speed.expected == pytest.approx(0.38 * 989.5e12 / flops_per_token, rel=0.02)


def test_decode_is_bounded_by_weights_read_per_step() -> None:
    speed = estimate_throughput(ARCHS["llama-3.1-8b"], Workload(batch=1, prompt_tokens=1, new_tokens=2), H100)
    assert speed.high < 3350e9 / 16.06e9  # tokens per second at full bandwidth, batch 1
    assert "prefill" in speed.phases and "decode" in speed.phases


def test_more_devices_are_faster_but_not_linearly() -> None:
    workload = Workload(mode="train", batch=64, seq=2048)
    one = estimate_throughput(ARCHS["llama-3.1-8b"], workload, H100, 1).expected
    eight = estimate_throughput(ARCHS["llama-3.1-8b"], workload, H100, 8).expected
    assert one * 4 < eight < one * 8


def test_mixture_of_experts_decode_reads_only_touched_experts() -> None:
    mixtral = ARCHS["mixtral-8x7b"]
    single = estimate_throughput(mixtral, Workload(batch=1, prompt_tokens=16, new_tokens=16), H100)
    dense_equivalent = 3350e9 / (46.7e9 * 2)
    assert single.expected > 2 * dense_equivalent * 0.7


@pytest.mark.parametrize("devices", [0, -1, 1.5, True])
def test_bad_device_counts_raise(devices: object) -> None:
    with pytest.raises(ValueError, match="Devices"):
        estimate_throughput(ARCHS["gpt2"], Workload(), H100, devices)  # type: ignore[arg-type]


def test_scaling_efficiency_is_one_for_one_device_and_falls() -> None:
    assert scaling_efficiency(1) == 1.0
    assert 1.0 > scaling_efficiency(8) > scaling_efficiency(1024) > 0.5
