"""Throughput by roofline, per phase, with the binding regime named and a low/expected/high band.

time per step = max(FLOPs / (devices x dense peak x utilisation), bytes moved / (devices x bandwidth x
bandwidth utilisation)); the larger term names the regime. Peaks are always DENSE (see accelerators.py).

FLOPs (2 per multiply-add):

* transformer forward: 2 x the parameters in matrix products per token, plus attention
  ``4 x layers x heads*head_dim x context`` per token, halved under a causal mask
  (Kaplan et al. 2020, arXiv:2001.08361, table 1; PaLM's MFU appendix, arXiv:2204.02311);
* training: 3 x forward (backward = 2 x forward); LoRA: 2 x forward (no weight gradients for
  the frozen base); gradient checkpointing recomputes the forward once more (hardware FLOPs);
* vision: the catalogue's forward GFLOP per image, x 3 for training, scaled by pixel count.

Decoding reads every weight (for a mixture of experts, every expert some token in the batch
routes to) and the whole KV cache once per step.

Utilisation bands (fractions of the dense peak, or of the memory bandwidth):

* training, transformers: 0.25 / 0.38 / 0.55. Eager PyTorch measured 33 % (6N) on the H200
  (Llama-3.2-1B, amp); Llama 3 405B reached 38-43 % on 16K H100s (arXiv:2407.21783, table 4);
  PaLM 540B 46.2 % on TPU v4 (arXiv:2204.02311, table 3); Megatron-LM 52 % of peak on A100s
  (arXiv:2104.04473). The H200's matmul probe reached 79.5 % (786.7 of 989 TFLOP/s): no phase can
  beat that.
* prefill and single forward passes: 0.35 / 0.50 / 0.70; measured prefill on the H200 (Llama 3.1 8B,
  16 x 2,048 tokens) reached 48 % with attention counted.
* vision models: 0.07 / 0.15 / 0.35; measured on the H200: ResNet-50 training 13 % (of TF32, which
  cuDNN uses for fp32 convolutions by default), inference 13 % (bf16); normalisation and
  activation layers are memory-bound, so CNNs use far less of the peak than matrix products do.
* decoding, bandwidth: 0.50 / 0.70 / 0.85. The H200's device-to-device copy reached 88 %
  (4,242 of 4,800 GB/s); "model bandwidth utilisation" as defined by Databricks
  (databricks.com/blog/llm-inference-performance-engineering-best-practices) sits below it in
  serving engines. Hugging Face's eager ``generate`` is far slower (Python-bound): it is shown
  next to the estimate, not fitted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from core.resources.accelerators import Accelerator
from core.resources.architectures import Architecture, param_breakdown
from core.resources.memory import DEFAULT_SEQ, Workload, validate_for
from core.text import quote_prefix

Band = tuple[float, float, float]
TRAIN_MFU: Band = (0.25, 0.38, 0.55)
FORWARD_MFU: Band = (0.35, 0.50, 0.70)
VISION_UTILISATION: Band = (0.07, 0.15, 0.35)
DECODE_BANDWIDTH: Band = (0.50, 0.70, 0.85)
# Each doubling of devices loses about 5 % to communication (a rule of thumb for NVLink/InfiniBand
# clusters; Megatron-LM kept 76 % scaling efficiency from 1 to 512 GPUs, Shoeybi et al. 2019,
# arXiv:1909.08053; this rule gives 69 % at 512).
SCALING_LOSS_PER_DOUBLING = 0.05


@dataclass(frozen=True)
class Throughput:
    """Samples per second for the whole job on ``devices`` devices: ``unit`` is 'tokens/s' or 'images/s'."""

    unit: str
    low: float
    expected: float
    high: float
    regime: str
    devices: int
    assumptions: list[str] = field(default_factory=list)
    phases: dict[str, dict[str, float | str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "low": self.low,
            "expected": self.expected,
            "high": self.high,
            "regime": self.regime,
            "devices": self.devices,
            "assumptions": list(self.assumptions),
            "phases": {k: dict(v) for k, v in self.phases.items()},
        }


def scaling_efficiency(devices: int) -> float:
    """Share of linear speed-up kept on ``devices`` devices (1.0 for one)."""
    if devices <= 1:
        return 1.0
    return 1.0 / (1.0 + SCALING_LOSS_PER_DOUBLING * math.log2(devices))


def compute_dtype(arch: Architecture, workload: Workload, accelerator: Accelerator) -> tuple[str, float]:
    """(dtype, dense TFLOP/s) the workload's matrix products run at on this accelerator."""
    precision = workload.precision or "bf16"
    if precision == "fp32":
        # PyTorch keeps TF32 off for matmuls but on for cuDNN convolutions by default.
        preferred: tuple[str, ...] = ("fp32",) if arch.is_transformer else ("tf32", "fp32")
    elif precision == "fp8":
        preferred = ("fp8",)
    elif precision in ("int8", "int4"):
        # Language models quantise weights only and multiply in bf16; vision engines (TensorRT) run int8.
        preferred = ("bf16",) if arch.is_transformer else ("int8",)
    else:
        preferred = ("bf16",)
    return accelerator.best_peak_tflops(preferred)


def _band(work: float, rate: Band, peak_per_s: float) -> Band:
    return tuple(work / (peak_per_s * u) for u in rate)  # type: ignore[return-value]


def _weights_bytes(arch: Architecture, workload: Workload) -> float:
    bytes_per = {"fp32": 4.0, "amp": 4.0, "bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0, "int4": 0.5}
    return arch.published_or_counted_params * bytes_per[workload.precision or "bf16"]


def estimate_throughput(
    arch: Architecture, workload: Workload, accelerator: Accelerator, devices: int | None = None
) -> Throughput:
    """Throughput band of the workload on ``devices`` accelerators (default: the workload's devices)."""
    validate_for(arch, workload)
    n = workload.devices if devices is None else devices
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"Devices must be a whole number of at least 1; got {quote_prefix(n)}.")
    dtype, tflops = compute_dtype(arch, workload, accelerator)
    efficiency = scaling_efficiency(n)
    flops_per_s = tflops * 1e12 * n * efficiency
    bandwidth = accelerator.memory_bandwidth_bytes_per_s * n * efficiency
    assumptions = [
        f"Dense {dtype} peak {tflops:g} TFLOP/s per device; {n} device(s) at {efficiency:.0%} scaling efficiency."
    ]
    if not arch.is_transformer:
        return _vision(arch, workload, flops_per_s, n, assumptions)
    if workload.is_generation:
        return _generation(arch, workload, flops_per_s, bandwidth, n, assumptions)
    return _tokens(arch, workload, flops_per_s, bandwidth, n, assumptions)


def _vision(arch: Architecture, workload: Workload, flops_per_s: float, n: int, assumptions: list[str]) -> Throughput:
    if arch.gflops_per_sample is None:
        raise ValueError(f"{arch.key} has no gflops_per_sample in the catalogue; add it to estimate speed.")
    base_px = arch.image_size or 224
    px = workload.image_size or base_px
    per_image = arch.gflops_per_sample * 1e9 * (px / base_px) ** 2 * (3.0 if workload.trains else 1.0)
    rates = tuple(flops_per_s * u / per_image for u in VISION_UTILISATION)
    if arch.family == "diffusion":
        assumptions.append(
            "Diffusion: one 'image' is one denoising step of the network; a generated image takes "
            "20-50 steps (twice that with classifier-free guidance)."
        )
    assumptions.append(
        f"{per_image / 1e9:.1f} GFLOP per image ({'3 x forward' if workload.trains else 'forward'}); "
        f"utilisation {VISION_UTILISATION[0]:.0%}/{VISION_UTILISATION[1]:.0%}/"
        f"{VISION_UTILISATION[2]:.0%} of the dense peak (measured 13 % on the H200)."
    )
    return Throughput("images/s", rates[0], rates[1], rates[2], "compute-bound", n, assumptions)


def _attention_flops_per_token(arch: Architecture, context: float, causal: bool) -> float:
    """Forward attention FLOPs per token over ``context`` keys (QK^T and AV), all layers."""
    per_layer = 4.0 * arch.attention_width * context * (0.5 if causal else 1.0)
    if arch.family == "encoder-decoder":
        return per_layer * (arch.layers or 0) + per_layer * (arch.decoder_layers or 0) * 2
    return per_layer * (arch.layers or 0)


def _tokens(
    arch: Architecture, workload: Workload, flops_per_s: float, bandwidth: float, n: int, assumptions: list[str]
) -> Throughput:
    pb = param_breakdown(arch)
    seq = workload.seq or min(DEFAULT_SEQ, arch.max_context or DEFAULT_SEQ)
    causal = arch.family != "encoder"
    head = pb.lm_head or pb.embedding
    matmul = pb.block_matmul_active + (head if (arch.family != "encoder" or workload.trains) else 0)
    forward = 2.0 * matmul + _attention_flops_per_token(arch, seq, causal)
    if workload.mode == "train":
        multiplier = 3.0
    elif workload.mode == "lora":
        multiplier = 2.0
    else:
        multiplier = 1.0
    recompute = 1.0 if workload.grad_checkpointing else 0.0
    flops_per_token = forward * (multiplier + recompute)
    band = TRAIN_MFU if workload.trains else FORWARD_MFU
    tokens = workload.batch * seq
    step_compute = tuple(tokens * flops_per_token / (flops_per_s * u) for u in band)
    # Weights are read in the forward pass, twice more in the backward one; the optimizer reads and
    # writes its state. Activation traffic is left out (fused kernels keep most of it on chip).
    weights = _weights_bytes(arch, workload)
    moved = weights * (3.0 if workload.trains else 1.0) + (4.0 * weights if workload.mode == "train" else 0.0)
    step_memory = tuple(moved / (bandwidth * u) for u in DECODE_BANDWIDTH)
    regime = "compute-bound" if step_compute[1] >= step_memory[1] else "memory-bound"
    times = [max(c, m) for c, m in zip(step_compute, step_memory, strict=True)]
    rates = (tokens / times[0], tokens / times[1], tokens / times[2])
    what = {"train": "6 x params", "lora": "4 x params (no weight gradients)", "inference": "2 x params"}
    assumptions.append(
        f"{flops_per_token / 1e9:.2f} GFLOP per token: {what[workload.mode]} + attention over "
        f"{seq:,} tokens{' (causal)' if causal else ''}"
        f"{' + forward recomputation' if recompute else ''}."
    )
    assumptions.append(
        f"Utilisation {band[0]:.0%}/{band[1]:.0%}/{band[2]:.0%} of the dense peak "
        f"({'published and measured training MFU' if workload.trains else 'prefill-like forward'})."
    )
    return Throughput("tokens/s", rates[0], rates[1], rates[2], regime, n, assumptions)


def _generation(
    arch: Architecture, workload: Workload, flops_per_s: float, bandwidth: float, n: int, assumptions: list[str]
) -> Throughput:
    pb = param_breakdown(arch)
    prompt = workload.prompt_tokens or 1
    new = workload.new_tokens or 1
    batch = workload.batch
    head = pb.lm_head or pb.embedding
    # Prefill: every prompt token through the blocks, the output head for the last position only.
    prefill_flops = batch * (
        prompt * (2.0 * pb.block_matmul_active + _attention_flops_per_token(arch, prompt, True)) + 2.0 * head
    )
    prefill_times = tuple(prefill_flops / (flops_per_s * u) for u in FORWARD_MFU)
    # Decode: per step every weight touched is read once, plus the KV cache at its average length.
    context = prompt + new / 2.0
    experts = arch.experts or 1
    routed = min(arch.active_experts or experts, experts)
    weights = _weights_bytes(arch, workload)
    if experts > routed:
        # A batch of B tokens touches E x (1 - (1 - k/E)^B) distinct experts per layer on average.
        touched = experts * (1.0 - (1.0 - routed / experts) ** batch)
        per_expert = (pb.block_matmul - pb.block_matmul_active) / (experts - routed)
        total = arch.published_or_counted_params
        weights *= (total - per_expert * (experts - touched)) / total
    kv_bytes_per_token = 2.0 * arch.kv_width * 2.0 * (arch.decoder_layers or arch.layers or 0)
    step_bytes = weights + batch * context * kv_bytes_per_token
    step_flops = batch * (
        2.0 * (pb.block_matmul_active + head) + 2.0 * _attention_flops_per_token(arch, context, False) / 2.0
    )
    mem_times = tuple(step_bytes / (bandwidth * u) for u in DECODE_BANDWIDTH)
    cmp_times = tuple(step_flops / (flops_per_s * u) for u in FORWARD_MFU)
    step_times = [max(m, c) for m, c in zip(mem_times, cmp_times, strict=True)]
    regime = "memory-bound" if mem_times[1] >= cmp_times[1] else "compute-bound"
    rates = (batch / step_times[0], batch / step_times[1], batch / step_times[2])
    prefill_rates = tuple(batch * prompt / t for t in prefill_times)
    assumptions.append(
        f"Decode reads {step_bytes / 1e9:.2f} GB per step (weights + KV cache at its mean length "
        f"{context:,.0f}); bandwidth utilisation {DECODE_BANDWIDTH[0]:.0%}/{DECODE_BANDWIDTH[1]:.0%}/"
        f"{DECODE_BANDWIDTH[2]:.0%} (a serving engine, not eager Python)."
    )
    assumptions.append(
        f"Prefill is compute-bound: {prefill_rates[1]:,.0f} prompt tokens/s expected; time to first "
        f"token {prefill_times[1]:.3f} s for the batch."
    )
    phases: dict[str, dict[str, float | str]] = {
        "prefill": {
            "unit": "tokens/s",
            "low": prefill_rates[0],
            "expected": prefill_rates[1],
            "high": prefill_rates[2],
            "regime": "compute-bound",
            "time_to_first_token_s": prefill_times[1],
        },
        "decode": {"unit": "tokens/s", "low": rates[0], "expected": rates[1], "high": rates[2], "regime": regime},
    }
    return Throughput("tokens/s", rates[0], rates[1], rates[2], regime, n, assumptions, phases)
