"""Throughput: roofline regimes, dense peaks, bands."""

from __future__ import annotations

import pytest

import core.resources.speed as speed_module
from core.resources.accelerators import load_accelerators
from core.resources.architectures import load_architectures
from core.resources.memory import Workload
from core.resources.speed import (
    ENGINE_REQUEST_S,
    TRAIN_MFU,
    achievable_share,
    all_reduce_s,
    compute_dtype,
    estimate_throughput,
)

ACCS = load_accelerators()
ARCHS = load_architectures()
H100 = ACCS["h100-sxm"]


@pytest.mark.parametrize(
    ("key", "workload", "unit", "regime"),
    [
        (
            "llama-3.1-8b",
            Workload(batch=1, prompt_tokens=512, new_tokens=128, engine="vllm"),
            "tokens/s",
            "memory-bound",
        ),
        ("llama-3.1-8b", Workload(batch=1, prompt_tokens=512, new_tokens=128), "tokens/s", "host-bound"),
        ("llama-3.1-8b", Workload(batch=4096, prompt_tokens=64, new_tokens=8), "tokens/s", "compute-bound"),
        ("llama-3.1-8b", Workload(mode="train", batch=8, seq=2048), "tokens/s", "compute-bound"),
        ("llama-3.1-8b", Workload(batch=1, seq=16), "tokens/s", "memory-bound"),
        ("resnet50", Workload(mode="train", batch=256), "images/s", "memory-bound"),
        ("resnet50", Workload(mode="train", batch=1), "images/s", "host-bound"),
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
    # + causal attention 6 x layers x width x seq / 2 per token at the expected MFU of the achievable rate
    # (79.5 % of 989.5 TFLOP/s on Hopper); the element-wise traffic adds a few per cent.
    speed = estimate_throughput(ARCHS["llama-3.1-8b"], Workload(mode="train", batch=8, seq=2048), H100)
    flops_per_token = 3 * (2 * (8_030_261_248 - 128_256 * 4096) + 2 * 32 * 4096 * 2048)
    compute_only = TRAIN_MFU[1] * 0.795 * 989.5e12 / flops_per_token
    assert 0.85 * compute_only < speed.expected < compute_only


def test_decode_is_bounded_by_weights_read_per_step() -> None:
    speed = estimate_throughput(ARCHS["llama-3.1-8b"], Workload(batch=1, prompt_tokens=1, new_tokens=2), H100)
    assert speed.high < 3350e9 / 16.06e9  # tokens per second at full bandwidth, batch 1
    assert "prefill" in speed.phases and "decode" in speed.phases


def test_data_parallel_training_scales_until_gradient_traffic_binds() -> None:
    # 8 NVLink devices hide the gradient all-reduce behind backward; over a PCIe-class link it binds.
    workload = Workload(mode="train", batch=64, seq=2048)
    one = estimate_throughput(ARCHS["llama-3.1-8b"], workload, H100, 1).expected
    eight = estimate_throughput(ARCHS["llama-3.1-8b"], workload, H100, 8).expected
    assert eight == pytest.approx(8 * one, rel=0.01)
    small_steps = Workload(mode="train", batch=8, seq=2048)
    slow_link = estimate_throughput(ARCHS["llama-3.1-8b"], small_steps, ACCS["rtx-4090"], 8)
    assert slow_link.regime == "communication-bound"


def test_mixture_of_experts_decode_reads_only_touched_experts() -> None:
    mixtral = ARCHS["mixtral-8x7b"]
    single = estimate_throughput(mixtral, Workload(batch=1, prompt_tokens=16, new_tokens=16, engine="vllm"), H100)
    dense_equivalent = 3350e9 / (46.7e9 * 2)
    assert float(single.phases["decode"]["expected"]) > 2 * dense_equivalent * 0.7


@pytest.mark.parametrize("devices", [0, -1, 1.5, True])
def test_bad_device_counts_raise(devices: object) -> None:
    with pytest.raises(ValueError, match="Devices"):
        estimate_throughput(ARCHS["gpt2"], Workload(), H100, devices)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("message_bytes", "devices", "seconds"),
    [
        (1e9, 1, 0.0),
        (1e9, 2, 2 * 0.5 * 1e9 / 450e9 + 2 * 5e-6),  # NVLink 900 GB/s both ways = 450 GB/s each way
        (1e9, 8, 2 * 7 / 8 * 1e9 / 450e9 + 14 * 5e-6),
        (1e9, 16, 2 * 15 / 16 * 1e9 / 50e9 + 30 * 10e-6),  # beyond a node: 400 Gb/s InfiniBand per GPU
    ],
)
def test_ring_all_reduce_time(message_bytes: float, devices: int, seconds: float) -> None:
    assert all_reduce_s(message_bytes, devices, H100) == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("key", "precision", "match"),
    [("t4", "bf16", "fp16"), ("v100-16gb", "bf16", "fp16"), ("p100", "bf16", "fp16"), ("a100-80gb-sxm", "fp8", "bf16")],
)
def test_a_precision_the_device_lacks_is_refused_naming_the_alternative(key: str, precision: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        estimate_throughput(ARCHS["llama-3.1-8b"], Workload(precision=precision), ACCS[key])  # type: ignore[arg-type]


def test_amp_before_ampere_is_fp16_autocast() -> None:
    assert compute_dtype(ARCHS["resnet50"], Workload(mode="train", precision="amp"), ACCS["v100-16gb"])[1] == 125


@pytest.mark.parametrize(("mode", "tflops"), [("inference", 330.3), ("train", 165.2)])
def test_geforce_inference_uses_the_fp16_accumulate_peak(mode: str, tflops: float) -> None:
    workload = Workload(mode=mode, precision="bf16")  # type: ignore[arg-type]
    assert compute_dtype(ARCHS["vit-b-16"], workload, ACCS["rtx-4090"])[1] == tflops


@pytest.mark.parametrize(("key", "share"), [("h100-sxm", 0.795), ("a100-80gb-sxm", 0.90)])
def test_achievable_matmul_share_per_family(key: str, share: float) -> None:
    assert achievable_share(ACCS[key]) == share


def test_batch_one_resnet50_is_host_bound_in_eager_pytorch() -> None:
    speed = estimate_throughput(ARCHS["resnet50"], Workload(batch=1, precision="fp16"), ACCS["v100-16gb"])
    assert speed.regime == "host-bound" and speed.high < 150


@pytest.mark.parametrize("key", ["vit-b-16", "vit-l-16"])
def test_vision_transformers_use_the_matmul_band_not_the_cnn_band(key: str) -> None:
    speed = estimate_throughput(ARCHS[key], Workload(batch=256), H100)
    assert any("matmul rate" in line for line in speed.assumptions)


@pytest.mark.parametrize(
    ("key", "touches"),
    [
        ("resnet50", "4 touches"),  # in-place ReLU: its passes are not in the saved count
        ("resnet18", "4 touches"),
        ("efficientnet-b0", "2 touches"),  # SiLU out of place: a saved tensor of its own
        ("mobilenet-v3-large", "2 touches"),
        ("convnext-tiny", "2 touches"),
        ("yolov8m", "2 touches"),
        ("vit-b-16", "2 touches"),  # GEMM outputs read once
    ],
)
def test_activation_traffic_counts_the_passes_the_saved_tensors_leave_out(key: str, touches: str) -> None:
    speed = estimate_throughput(ARCHS[key], Workload(batch=256), ACCS["rtx-3090"])
    assert any(f"({touches} per saved value)" in line for line in speed.assumptions)


def test_a_cnn_with_out_of_place_activations_moves_half_the_bytes_and_runs_faster() -> None:
    in_place = ARCHS["efficientnet-b0"].with_changes(activations_in_place=True)
    workload = Workload(batch=256)
    faster = estimate_throughput(ARCHS["efficientnet-b0"], workload, ACCS["rtx-3090"])
    slower = estimate_throughput(in_place, workload, ACCS["rtx-3090"])
    assert faster.regime == slower.regime == "memory-bound"
    assert 1.6 < faster.expected / slower.expected < 2.0


@pytest.mark.parametrize(
    ("engine", "prompt", "added_s"),
    [
        ("vllm", 128, ENGINE_REQUEST_S),  # once per request, the same for a short prompt...
        ("vllm", 2048, ENGINE_REQUEST_S),  # ...and a long one
        ("tensorrt-llm", 128, ENGINE_REQUEST_S),
        ("pytorch", 128, 0.0),  # eager PyTorch: its host floor already dominates
        ("llama.cpp", 128, 0.0),
    ],
)
def test_an_engines_first_token_pays_a_fixed_cost_per_request(
    monkeypatch: pytest.MonkeyPatch, engine: str, prompt: int, added_s: float
) -> None:
    workload = Workload(batch=1, prompt_tokens=prompt, new_tokens=64, engine=engine)  # type: ignore[arg-type]

    def ttft_s() -> float:
        band = estimate_throughput(ARCHS["llama-3.1-8b"], workload, H100).time_to_first_token_s
        assert band is not None
        return band[1]

    with_cost = ttft_s()
    monkeypatch.setattr(speed_module, "ENGINE_REQUEST_S", 0.0)
    assert with_cost - ttft_s() == pytest.approx(added_s)


def test_generation_headline_is_end_to_end_output_tokens() -> None:
    workload = Workload(batch=8, prompt_tokens=2048, new_tokens=128, engine="vllm")
    speed = estimate_throughput(ARCHS["llama-3.1-8b"], workload, H100)
    assert speed.time_to_first_token_s is not None and speed.time_per_output_token_s is not None
    ttft, tpot = speed.time_to_first_token_s[1], speed.time_per_output_token_s[1]
    assert speed.expected == pytest.approx(8 * 128 / (ttft + 127 * tpot))
    assert speed.expected < float(speed.phases["decode"]["expected"])


def test_engines_decode_faster_than_eager_pytorch_at_batch_one() -> None:
    eager = Workload(batch=1, prompt_tokens=128, new_tokens=128)
    engine = Workload(batch=1, prompt_tokens=128, new_tokens=128, engine="vllm")
    slow = estimate_throughput(ARCHS["llama-3.1-8b"], eager, H100)
    fast = estimate_throughput(ARCHS["llama-3.1-8b"], engine, H100)
    assert slow.regime == "host-bound" and fast.regime == "memory-bound"
    assert fast.expected > 3 * slow.expected


@pytest.mark.parametrize(("kv_dtype", "faster"), [("fp8", True), ("bf16", False)])
def test_an_fp8_kv_cache_speeds_up_long_context_decode(kv_dtype: str, faster: bool) -> None:
    base = Workload(batch=32, prompt_tokens=8192, new_tokens=512, engine="vllm")
    other = Workload(batch=32, prompt_tokens=8192, new_tokens=512, engine="vllm", kv_cache_dtype=kv_dtype)  # type: ignore[arg-type]
    a = estimate_throughput(ARCHS["llama-3.1-8b"], base, H100).expected
    b = estimate_throughput(ARCHS["llama-3.1-8b"], other, H100).expected
    assert (b > a * 1.1) is faster


def test_tensor_parallel_decode_pays_for_all_reduces() -> None:
    workload = Workload(batch=1, prompt_tokens=128, new_tokens=128, engine="vllm", devices=4, parallelism="tensor")
    speed = estimate_throughput(ARCHS["llama-3.1-70b"], workload, H100)
    assert any("all-reduces per block" in line for line in speed.assumptions)


def test_a_405b_model_on_16k_gpus_shards_instead_of_gathering_weights_over_the_network() -> None:
    # Llama 3 405B reached ~430 TFLOP/s per H100 on 16K GPUs (arXiv:2407.21783) with tensor x pipeline x data.
    from core.resources.fit import best_layout

    arch = ARCHS["llama-3.1-405b"]
    workload = Workload(mode="train", precision="bf16", batch=2048, seq=8192, devices=16384, grad_checkpointing=True)
    layout = best_layout(arch, workload, H100, 16384)
    assert layout.tensor == 8 and layout.pipeline > 1
    speed = estimate_throughput(arch, workload, H100, layout=layout)
    per_gpu_tflops = speed.expected / 16384 * 6 * 405e9 / 1e12
    assert 250 < per_gpu_tflops < 600


def test_a_mixture_of_experts_split_over_devices_pays_for_its_all_to_all() -> None:
    workload = Workload(batch=1, prompt_tokens=128, new_tokens=128, engine="sglang", precision="fp8", devices=8)
    tensor = Workload(
        batch=1, prompt_tokens=128, new_tokens=128, engine="sglang", precision="fp8", devices=8, parallelism="tensor"
    )
    one = estimate_throughput(ARCHS["mixtral-8x7b"], workload, ACCS["h200-sxm"], 1)
    eight = estimate_throughput(ARCHS["mixtral-8x7b"], tensor, ACCS["h200-sxm"], 8)
    assert one.time_per_output_token_s is not None and eight.time_per_output_token_s is not None
    # Eight devices read an eighth of the weights each, but the all-reduces and all-to-alls keep the step above it.
    assert eight.time_per_output_token_s[1] > one.time_per_output_token_s[1] / 8 * 2


def test_llama_cpp_q4_decode_on_fast_memory_is_launch_bound() -> None:
    # ~25 ggml ops per block at ~8 us: 32 blocks ~ 6.4 ms a token, slower than reading 4.9 GB at 2 TB/s.
    workload = Workload(batch=1, prompt_tokens=512, new_tokens=128, precision="int4", engine="llama.cpp")
    speed = estimate_throughput(ARCHS["llama-3.1-8b"], workload, ACCS["a100-80gb-sxm"])
    assert speed.regime == "host-bound"
    assert speed.time_per_output_token_s is not None
    assert speed.time_per_output_token_s[1] == pytest.approx(32 * 25 * 8e-6)


@pytest.mark.parametrize(("gpu", "hidden"), [("apple-m3-max", True), ("a100-80gb-sxm", False)])
def test_llama_cpp_prefill_hides_the_weight_read_only_where_its_gemm_dequantises_in_kernel(
    monkeypatch: pytest.MonkeyPatch, gpu: str, hidden: bool
) -> None:
    # Metal's kernel_mul_mm dequantises inside the GEMM; CUDA's dequantise pass runs before cuBLAS.
    arch, acc = ARCHS["llama-3.1-8b"], ACCS[gpu]
    workload = Workload(batch=1, prompt_tokens=512, new_tokens=128, precision="int4", engine="llama.cpp")

    def ttft_s() -> float:
        band = estimate_throughput(arch, workload, acc).time_to_first_token_s
        assert band is not None
        return band[1]

    as_modelled = ttft_s()
    monkeypatch.setattr(speed_module, "IN_KERNEL_DEQUANT_GENERATIONS", frozenset())
    weight_read_s = speed_module._weights_bytes(arch, workload) / (
        acc.memory_bandwidth_bytes_per_s * speed_module.BANDWIDTH["llama.cpp"][1]
    )
    assert ttft_s() - as_modelled == pytest.approx(weight_read_s if hidden else 0.0)
