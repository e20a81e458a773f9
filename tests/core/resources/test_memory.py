"""Memory model: workload validation, the physics of each term, and monotonicity properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.resources.architectures import Architecture, load_architectures, param_breakdown
from core.resources.calibration import measured_architectures
from core.resources.memory import (
    CUBLAS_WORKSPACE_BYTES,
    TERMS,
    Layout,
    Workload,
    estimate_memory,
    validate_for,
)
from core.resources.vocabulary import MODES, Mode, Optimizer, Precision

ARCHS = measured_architectures()
L1, L8, RESNET = ARCHS["llama-3.2-1b"], ARCHS["llama-3.1-8b"], ARCHS["resnet50"]
GPT2 = Architecture(
    key="gpt2",
    name="GPT-2",
    family="decoder",
    params=124_439_808,
    layers=12,
    hidden=768,
    heads=12,
    kv_heads=12,
    head_dim=64,
    mlp_size=3072,
    mlp_kind="gelu",
    vocab=50257,
    tied_embeddings=True,
    max_context=1024,
)
BERT = Architecture(
    key="bert",
    name="BERT",
    family="encoder",
    params=109_482_240,
    layers=12,
    hidden=768,
    heads=12,
    mlp_size=3072,
    mlp_kind="gelu",
    vocab=30522,
    tied_embeddings=True,
    max_context=512,
)
T5 = Architecture(
    key="t5",
    name="T5",
    family="encoder-decoder",
    params=222_903_552,
    layers=12,
    decoder_layers=12,
    hidden=768,
    heads=12,
    mlp_size=3072,
    mlp_kind="relu",
    vocab=32128,
    tied_embeddings=True,
    max_context=512,
)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"batch": 0}, "Batch size must be a whole number of at least 1; got 0."),
        ({"batch": -3}, "at least 1"),
        ({"batch": math.nan}, "whole number"),
        ({"batch": 2.5}, "whole number"),
        ({"batch": True}, "whole number"),
        ({"seq": 0}, "Sequence length"),
        ({"mode": "serve"}, "Mode"),
        ({"precision": "fp4"}, "Precision"),
        ({"mode": "train", "precision": "int4"}, "lora"),
        ({"mode": "train", "optimizer": "lion"}, "Optimizer"),
        ({"optimizer": "adamw"}, "only applies to training"),
        ({"lora_rank": 8}, "only apply to mode 'lora'"),
        ({"mode": "lora", "lora_targets": ("q", "x")}, "LoRA targets"),
        ({"mode": "lora", "lora_rank": 0}, "LoRA rank"),
        ({"mode": "train", "new_tokens": 5}, "generation"),
        ({"prompt_tokens": 5}, "give new tokens too"),
        ({"seq": 5, "prompt_tokens": 5, "new_tokens": 5}, "not both"),
        ({"grad_checkpointing": True}, "only applies to training"),
        ({"zero_stage": 3}, "only apply to training"),
        ({"mode": "train", "zero_stage": 4}, "ZeRO stage"),
        ({"mode": "train", "zero_stage": 2, "parallelism": "tensor"}, "parallelism 'data'"),
        ({"devices": 0}, "Devices"),
        ({"image_size": 4}, "Image size"),
        ({"parallelism": "expert"}, "Parallelism"),
        ({"load_only": True, "batch": 4}, "load_only"),
    ],
)
def test_bad_workloads_raise_an_actionable_sentence(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Workload(**kwargs)  # type: ignore[arg-type]


def test_defaults_follow_the_mode() -> None:
    assert (Workload(mode="train").precision, Workload(mode="train").optimizer) == ("amp", "adamw")
    lora = Workload(mode="lora")
    assert (lora.precision, lora.lora_rank, lora.lora_targets) == ("bf16", 16, ("q", "k", "v", "o"))
    assert Workload().optimizer is None


@pytest.mark.parametrize(
    ("arch", "workload", "message"),
    [
        (GPT2, Workload(seq=2048), "exceeds gpt2's context of 1,024"),
        (GPT2, Workload(prompt_tokens=1000, new_tokens=100), "prompt \\+ new tokens"),
        (GPT2, Workload(image_size=224), "vision models only"),
        (RESNET, Workload(seq=128), "do not apply"),
        (RESNET, Workload(mode="lora"), "transformer config"),
        (BERT, Workload(new_tokens=5), "does not generate"),
    ],
)
def test_workloads_that_do_not_fit_the_architecture_raise(arch: Architecture, workload: Workload, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_for(arch, workload)


@pytest.mark.parametrize(
    "workload",
    [
        Workload(),
        Workload(mode="train"),
        Workload(mode="train", grad_checkpointing=True),
        Workload(mode="lora"),
        Workload(batch=3, prompt_tokens=100, new_tokens=50),
        Workload(mode="train", precision="fp16"),
        Workload(mode="lora", precision="int4"),
        Workload(precision="int8"),
        Workload(mode="train", precision="fp8"),
    ],
)
@pytest.mark.parametrize("arch", [L1, GPT2, BERT, T5], ids=lambda a: a.key)
def test_breakdown_sums_to_peak_and_is_never_negative(arch: Architecture, workload: Workload) -> None:
    if arch.family == "encoder" and workload.is_generation:
        return
    estimate = estimate_memory(arch, workload)
    assert tuple(estimate.breakdown) == TERMS
    assert sum(estimate.breakdown.values()) == estimate.peak_bytes
    assert all(v >= 0 for v in estimate.breakdown.values())
    assert estimate.device_bytes == estimate.peak_bytes + estimate.allocator_slack_bytes + estimate.cuda_context_bytes
    assert estimate.assumptions


def test_amp_keeps_bf16_copies_of_every_matmul_weight() -> None:
    estimate = estimate_memory(L1, Workload(mode="train", batch=2, seq=1024))
    assert estimate.peak_phase == "loss backward"
    b = param_breakdown(L1)
    assert estimate.breakdown["autocast weight copies"] == 2 * (b.block_matmul + b.embedding)


def test_training_peak_holds_three_fp32_copies_of_the_logits() -> None:
    estimate = estimate_memory(L1, Workload(mode="train", batch=4, seq=2048))
    assert estimate.peak_phase == "loss backward"
    assert estimate.breakdown["logits & loss"] == 3 * 4 * 4 * 2048 * 128_256


def test_checkpointing_keeps_only_block_inputs() -> None:
    full = estimate_memory(L1, Workload(mode="train", batch=4, seq=2048))
    ckpt = estimate_memory(L1, Workload(mode="train", batch=4, seq=2048, grad_checkpointing=True))
    assert ckpt.breakdown["activations"] < full.breakdown["activations"] / 10
    assert ckpt.breakdown["autocast weight copies"] == 2 * 128_256 * 2048  # only the output head's copy


def test_kv_cache_of_generation_counts_prompt_and_new_tokens() -> None:
    # Prompt 10 and 4,000 new tokens: the end of decoding dominates; 2 x kv heads x head dim x layers x 2 bytes.
    estimate = estimate_memory(L8, Workload(batch=2, prompt_tokens=10, new_tokens=4000))
    assert estimate.peak_phase == "end of decoding"
    assert estimate.breakdown["KV cache"] == 2 * 4010 * (2 * 8 * 128 * 32 * 2)


def test_fp16_training_keeps_fp32_master_weights() -> None:
    estimate = estimate_memory(L1, Workload(mode="train", precision="fp16", batch=1, seq=16))
    assert estimate.breakdown["master weights"] == 4 * L1.params  # type: ignore[operator]


def test_bf16_training_keeps_adamw_state_in_bf16() -> None:
    estimate = estimate_memory(L1, Workload(mode="train", precision="bf16", batch=1, seq=16))
    assert estimate.breakdown["optimizer state"] == 4 * L1.params  # type: ignore[operator]


@pytest.mark.parametrize(("optimizer", "bytes_per_param"), [("sgd", 0.0), ("sgd-momentum", 4.0), ("adamw", 8.0)])
def test_optimizer_state_per_parameter(optimizer: Optimizer, bytes_per_param: float) -> None:
    estimate = estimate_memory(RESNET, Workload(mode="train", precision="fp32", optimizer=optimizer, batch=2))
    assert estimate.breakdown["optimizer state"] == round(bytes_per_param * RESNET.params)  # type: ignore[operator]


def test_adamw_8bit_uses_about_two_bytes_per_parameter() -> None:
    estimate = estimate_memory(L1, Workload(mode="train", optimizer="adamw-8bit", batch=1, seq=16))
    assert 2.0 <= estimate.breakdown["optimizer state"] / L1.params < 2.01  # type: ignore[operator]


def test_lora_trains_only_adapters() -> None:
    estimate = estimate_memory(L1, Workload(mode="lora", batch=1, seq=16))
    adapters = 16 * (2 * (2048 + 2048) + 2 * (2048 + 512)) * 16  # r x (in + out) for q, o, k, v over 16 layers
    assert estimate.breakdown["adapters"] == 4 * adapters
    assert estimate.breakdown["weights"] == 2 * L1.params  # type: ignore[operator]
    assert estimate.breakdown["optimizer state"] == 0


def test_qlora_base_is_four_bit_with_scales() -> None:
    estimate = estimate_memory(L8, Workload(mode="lora", precision="int4", batch=1, seq=16))
    assert estimate.breakdown["quantisation scales"] > 0
    # NF4 blocks (0.5 B a weight) + embeddings and output head cast to fp32 by prepare_model_for_kbit_training
    # (2 x 128,256 x 4,096 values at 4 B): 3.5 + 4.2 GB, under half the bf16 model.
    assert estimate.breakdown["weights"] < 0.5 * 2 * L8.params  # type: ignore[operator]


def test_qlora_casts_what_is_not_four_bit_to_fp32() -> None:
    qlora = estimate_memory(L8, Workload(mode="lora", precision="int4", batch=1, seq=16))
    int4 = estimate_memory(L8, Workload(mode="inference", precision="int4", batch=1, seq=16))
    embeddings_and_head = 2 * 128_256 * 4096
    assert qlora.breakdown["weights"] - int4.breakdown["weights"] == pytest.approx(2 * embeddings_and_head, rel=0.01)


def test_cpu_offload_removes_optimizer_state_from_the_device() -> None:
    estimate = estimate_memory(L1, Workload(mode="train", offload_optimizer=True, batch=1, seq=16))
    assert estimate.breakdown["optimizer state"] == 0


def test_inference_workspace_is_one_cublas_handle() -> None:
    assert estimate_memory(L1, Workload(seq=16)).breakdown["cuBLAS workspace"] == CUBLAS_WORKSPACE_BYTES


def test_vision_activations_scale_with_pixels() -> None:
    small = estimate_memory(RESNET, Workload(mode="train", batch=8, image_size=224))
    large = estimate_memory(RESNET, Workload(mode="train", batch=8, image_size=448))
    assert large.breakdown["activations"] == pytest.approx(4 * small.breakdown["activations"], rel=0.01)


def test_tensor_and_pipeline_layouts_are_for_transformers() -> None:
    with pytest.raises(ValueError, match="data parallel"):
        estimate_memory(RESNET, Workload(mode="train", batch=8), Layout(tensor=2))


def test_zero_stages_shard_progressively_more() -> None:
    base = Workload(mode="train", batch=8, seq=512, devices=8)
    peaks = [estimate_memory(L8, Workload(**{**base.to_dict(), "zero_stage": s})).peak_bytes for s in (0, 1, 2, 3)]
    assert peaks == sorted(peaks, reverse=True)
    assert peaks[3] < peaks[0] / 3


def test_tensor_parallel_splits_weights() -> None:
    one = estimate_memory(L8, Workload(seq=128))
    four = estimate_memory(L8, Workload(seq=128, devices=4, parallelism="tensor"))
    assert four.breakdown["weights"] == pytest.approx(one.breakdown["weights"] / 4, rel=1e-6)
    assert four.layout == "tensor parallel 4"


# --- properties -----------------------------------------------------------------------------------

TRANSFORMERS = st.sampled_from([L1, GPT2, BERT, T5])


@settings(max_examples=60)
@given(
    arch=TRANSFORMERS,
    mode=st.sampled_from(MODES),
    batch=st.integers(1, 64),
    seq=st.integers(1, 448),
    extra=st.integers(1, 64),
)
def test_memory_never_decreases_with_batch_or_sequence(
    arch: Architecture, mode: Mode, batch: int, seq: int, extra: int
) -> None:
    def peak(b: int, s: int) -> int:
        return estimate_memory(arch, Workload(mode=mode, batch=b, seq=s)).peak_bytes

    assert peak(batch + extra, seq) >= peak(batch, seq)
    assert peak(batch, seq + extra) >= peak(batch, seq)


@settings(max_examples=40)
@given(
    arch=TRANSFORMERS,
    batch=st.integers(1, 16),
    prompt=st.integers(1, 200),
    new=st.integers(1, 200),
    extra=st.integers(1, 100),
)
def test_generation_memory_never_decreases_with_tokens(
    arch: Architecture, batch: int, prompt: int, new: int, extra: int
) -> None:
    if arch.family == "encoder":
        return

    def peak(p: int, n: int) -> int:
        return estimate_memory(arch, Workload(batch=batch, prompt_tokens=p, new_tokens=n)).peak_bytes

    assert peak(prompt + extra, new) >= peak(prompt, new)
    assert peak(prompt, new + extra) >= peak(prompt, new)


# Bytes per stored weight; precisions with equal bytes are not ordered against each other.
WEIGHT_BYTES: dict[Precision, float] = {"int4": 0.5, "int8": 1, "fp8": 1, "bf16": 2, "fp16": 2, "fp32": 4}


@settings(max_examples=60)
@given(
    arch=st.sampled_from([L1, GPT2, T5]),
    mode=st.sampled_from(["inference", "lora"]),
    batch=st.integers(1, 16),
    seq=st.integers(1, 256),
    pair=st.permutations(list(WEIGHT_BYTES)),
)
def test_memory_never_decreases_with_precision_bytes(
    arch: Architecture, mode: Mode, batch: int, seq: int, pair: list[Precision]
) -> None:
    smaller, larger = sorted(pair[:2], key=WEIGHT_BYTES.__getitem__)
    if WEIGHT_BYTES[smaller] == WEIGHT_BYTES[larger]:
        return
    if mode == "lora" and (smaller in KBIT) != (larger in KBIT):
        # LoRA on a k-bit base casts the embeddings, head and norms to fp32 (prepare_model_for_kbit_training):
        # with a large vocabulary an int4 base can outweigh an fp8 one.
        return

    def peak(precision: Precision) -> int:
        return estimate_memory(arch, Workload(mode=mode, precision=precision, batch=batch, seq=seq)).peak_bytes

    assert peak(larger) >= peak(smaller)


KBIT: tuple[str, ...] = ("int8", "int4")


@settings(max_examples=40)
@given(batch=st.integers(1, 32), seq=st.integers(16, 256))
def test_full_training_in_fp32_needs_at_least_bf16_memory(batch: int, seq: int) -> None:
    def peak(precision: Precision) -> int:
        return estimate_memory(L1, Workload(mode="train", precision=precision, batch=batch, seq=seq)).peak_bytes

    assert peak("fp32") >= peak("bf16")


@settings(max_examples=40)
@given(
    arch=st.sampled_from([L1, L8, GPT2]),
    batch=st.integers(1, 64),
    seq=st.integers(16, 1024),
    devices=st.integers(1, 256),
)
def test_zero3_memory_per_device_falls_as_devices_grow(arch: Architecture, batch: int, seq: int, devices: int) -> None:
    def peak(n: int) -> int:
        workload = Workload(mode="train", batch=batch, seq=seq, devices=n, zero_stage=3 if n > 1 else 0)
        return estimate_memory(arch, workload).peak_bytes

    assert peak(2 * devices) <= peak(devices)
    assert peak(devices + 1) <= peak(devices)


# --- stacks, KV dtype, QLoRA and vision transformers ----------------------------------------------------

CATALOGUE = load_architectures()


@pytest.mark.parametrize(("precision", "bits"), [("int4", 4.84), ("int8", 8.5), ("fp16", 16.0)])
def test_llama_cpp_weights_are_gguf_bits_per_weight(precision: str, bits: float) -> None:
    arch = CATALOGUE["llama-2-7b"]
    workload = Workload(prompt_tokens=16, new_tokens=1, precision=precision, engine="llama.cpp")  # type: ignore[arg-type]
    breakdown = estimate_memory(arch, workload).breakdown
    assert breakdown["weights"] == pytest.approx(arch.published_or_counted_params * bits / 8, rel=1e-6)
    assert breakdown["quantisation scales"] == 0  # inside the bits per weight


@pytest.mark.parametrize(("kv_dtype", "share"), [("auto", 1.0), ("fp8", 0.5), ("int8", 0.53125)])
def test_the_kv_cache_dtype_sets_its_bytes(kv_dtype: str, share: float) -> None:
    arch = CATALOGUE["llama-3.1-8b"]
    base = estimate_memory(arch, Workload(batch=4, prompt_tokens=4096, new_tokens=1, engine="tensorrt-llm"))
    other = estimate_memory(
        arch,
        Workload(batch=4, prompt_tokens=4096, new_tokens=1, engine="tensorrt-llm", kv_cache_dtype=kv_dtype),  # type: ignore[arg-type]
    )
    assert other.breakdown["KV cache"] == pytest.approx(share * base.breakdown["KV cache"], rel=1e-6)


def test_tensorrt_llm_fp8_stores_an_fp8_kv_cache_by_default() -> None:
    arch = CATALOGUE["llama-3.1-8b"]
    fp8 = estimate_memory(arch, Workload(prompt_tokens=4096, new_tokens=1, precision="fp8", engine="tensorrt-llm"))
    vllm = estimate_memory(arch, Workload(prompt_tokens=4096, new_tokens=1, precision="fp8", engine="vllm"))
    assert fp8.breakdown["KV cache"] * 2 == pytest.approx(vllm.breakdown["KV cache"], rel=1e-6)


def test_qlora_recipe_nf4_base_bf16_adapters_paged_8bit_adam() -> None:
    arch = CATALOGUE["llama-3.1-8b"]
    qlora = Workload(mode="lora", precision="int4", batch=1, seq=512)
    assert qlora.optimizer == "adamw-8bit"
    breakdown = estimate_memory(arch, qlora).breakdown
    lora = estimate_memory(arch, Workload(mode="lora", precision="bf16", batch=1, seq=512)).breakdown
    assert breakdown["adapters"] * 2 == pytest.approx(lora["adapters"], rel=1e-9)  # bf16, not fp32
    assert breakdown["adapter optimizer"] < lora["adapter optimizer"] / 3  # 8-bit states
    blocks = param_breakdown(arch).block_matmul
    assert breakdown["quantisation scales"] == pytest.approx(blocks * (8 / 64 + 32 / (64 * 256)) / 8, rel=1e-9)


def test_vit_inference_memory_is_one_blocks_live_tensors() -> None:
    vit = CATALOGUE["vit-b-16"]
    bytes_per_image = estimate_memory(vit, Workload(batch=256)).breakdown["activations"] / 256
    # 197 tokens x (3 x 768 + 2 x 3,072) x 2 bytes + the 224 px input: about 3.6 MB, not the CNN rule's 9.4 MB.
    assert bytes_per_image == pytest.approx(197 * (3 * 768 + 2 * 3072) * 2 + 3 * 224 * 224 * 2, rel=0.01)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"engine": "vllm", "mode": "train"}, "pytorch"),
        ({"engine": "vllm", "kv_cache_dtype": "int8"}, "fp8"),
        ({"engine": "sglang", "precision": "amp"}, "bf16 or fp16"),
        ({"engine": "llama.cpp", "kv_cache_dtype": "fp8"}, "int8"),
    ],
)
def test_stack_combinations_it_lacks_are_refused(changes: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Workload(**changes)  # type: ignore[arg-type]


def test_engines_refuse_models_that_do_not_generate() -> None:
    with pytest.raises(ValueError, match="language models"):
        validate_for(CATALOGUE["resnet50"], Workload(engine="vllm"))
