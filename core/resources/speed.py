"""Throughput per phase from the stack and the device: roofline terms that add up, floors, and bands.

Every band is (slow, expected, fast) evaluated through the same model; docs/estimator.md section 4 states
each constant with its evidence, and tests/core/resources/test_published.py holds the result against
published figures (TensorRT-LLM, llama.cpp, llm-foundry, DeepLearningExamples, timm).

The model, in the order a step spends its time:

* **Peaks.** Dense peaks only. A matmul reaches at most the device's *achievable* share of its dense
  peak: 79.5 % on Hopper and Blackwell (the H200's bf16 8192^3 probe: 786.7 of 989 TFLOP/s; these
  parts cannot hold their boost clock at full tensor load), 90 % elsewhere. GeForce cards run 16-bit
  tensor math at half rate with fp32 accumulation (training) and at full rate with fp16 accumulation,
  which inference kernels use (llama.cpp's cuBLAS calls, TensorRT; timm's ViT-L/16 inference on an
  RTX 3090 reaches 60 TFLOP/s, 84 % of the fp32-accumulate peak, which only the full rate explains).
* **Compute and memory add up.** Matrix products run at a utilisation band of the achievable peak;
  the element-wise work between them (norms, activations, residual adds, rotary) and the KV cache are
  read at a bandwidth band. They are separate kernels, so their times add: a step is
  ``GEMM time + element-wise time + attention-cache time``, and a GEMM whose weights are larger than
  its arithmetic is bound by reading them (``max(flops / rate, weight bytes / bandwidth)``).
* **Host floor.** A step cannot be faster than the host issues it: eager PyTorch dispatches each op
  from Python (about 60 us an op with autograd, autocast and the dispatcher; ~40 ops per decoder
  block in Hugging Face's decoding step: the H200 eager 8B decode measured 2.7 ms per block and
  step), the engines replay CUDA graphs (a few us a kernel), llama.cpp launches ~25 small kernels a
  block. Step time = max(device time, host time).
* **Communication.** Tensor parallelism all-reduces the activations twice per block (four times in
  training) and data parallelism all-reduces the gradients (ZeRO-3/FSDP: gathers the weights twice and
  reduce-scatters the gradients), ring algorithm over the catalogue's interconnect within a node and
  the node's network beyond 8 devices; data-parallel traffic overlaps the backward pass (max), tensor-
  parallel traffic sits on the critical path (sum).
* **Generation headline** = end-to-end output tokens/s = batch x new tokens / (time to first token +
  (new tokens - 1) x time per output token): what serving benchmarks quote. Decode reads the weights the
  batch touches (a mixture of experts: ``E x (1 - (1 - k/E)^B)`` experts per layer) and the KV cache at
  its mean length in the stack's KV dtype.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from core.resources.accelerators import Accelerator
from core.resources.architectures import LATENT_ATTENTION, Architecture, ParamBreakdown, param_breakdown
from core.resources.engines import GGUF_BITS_PER_WEIGHT, is_serving_engine, kv_value_bytes
from core.resources.memory import DEFAULT_SEQ, NF4_SCALE_BITS, Layout, Workload, validate_for
from core.text import quote_prefix

Band = tuple[float, float, float]
# Utilisation of the achievable matmul rate, (slow, expected, fast).
TRAIN_MFU: Band = (0.38, 0.58, 0.88)
PREFILL_MFU: dict[str, Band] = {
    "pytorch": (0.42, 0.60, 0.85),
    "engine": (0.55, 0.72, 0.92),
    "llama.cpp": (0.26, 0.45, 0.78),
}
# fp8 GEMMs keep this share of the utilisation 16-bit GEMMs reach (activation quantisation per GEMM,
# scaling epilogues): TensorRT-LLM's fp8 prefill on H100 reaches ~45 % of the fp8 peak where its fp16
# prefill on A100 reaches ~63 % of the fp16 peak (performance tables, time to first token at 2,048 tokens).
FP8_GEMM_SHARE = 0.85
# Bandwidth utilisation, (slow, expected, fast): the H200's device-to-device copy reached 88 % of spec.
BANDWIDTH: dict[str, Band] = {
    "pytorch": (0.55, 0.70, 0.85),
    "engine": (0.60, 0.75, 0.88),
    "llama.cpp": (0.50, 0.75, 0.95),
}
# Convolutions reach less of the tensor peak than plain GEMMs (implicit GEMM over small channel counts).
CONV_UTILISATION: Band = (0.40, 0.60, 0.85)
# fp32 convolutions on CUDA cores (no TF32): cuDNN's Winograd and FFT paths do fewer multiplies than the
# FLOP count, so the nominal utilisation sits near the peak (V100 and T4 fp32 DeepLearningExamples runs) and
# can pass it: Winograd F(4x4, 3x3) does a quarter of the multiplies of a 3x3 stride-1 convolution, about
# half of ResNet-50's FLOPs, which allows up to ~1.5x the nominal rate; at ~85 % of the peak on what remains,
# 1.3 at the fast end. The V100's fp32 ResNet-50 runs (DeepLearningExamples: 1,261 images/s inference, 367
# training; a plain torchvision V100 run, 374 training) sat 25-35 % above a fast end of 1.0.
SIMT_CONV_UTILISATION: Band = (0.60, 0.85, 1.30)
# A CNN in eager PyTorch writes every conv output, BN reads and writes it, the in-place ReLU reads and
# writes it, the next conv reads it; conv and BN outputs both count in the saved activations, the in-place
# ReLU's passes do not: about 4 touches per saved value, the figure the H200's ResNet-50 bf16 inference
# (15,535 images/s) implies.
IN_PLACE_CNN_TOUCHES_PER_SAVED_VALUE = 4.0
# Where every kernel's output is a saved tensor of its own (a vision transformer's GEMM outputs; a CNN whose
# SiLU, hardswish or GELU does not run in place, e.g. EfficientNet, MobileNetV3, ConvNeXt, YOLOv8), each is
# written once and read once by the next kernel. timm's published RTX 3090/4090 inference rates of those CNNs
# (bench/data/published_outside.csv) sit at half what 4 touches would allow, where 2 predicts them.
SAVED_TENSOR_TOUCHES_PER_SAVED_VALUE = 2.0
# Of those touches, the convolution's own (it reads its input and writes its output: two per convolution, which
# accounts for two saved values, its output and batch norm's) run inside the kernel that does the arithmetic.
# At the slow and expected ends they add to it, as every pass does in eager PyTorch; at the fast end the kernel
# streams them while it multiplies (the larger of the two), and the passes of batch norm, activation and
# residual add still follow (slow, expected, fast), as a prompt's GEMM hides its weight stream at the fast end
# (PREFILL_WEIGHT_OVERLAP). Without it the fast end sat below every V100 DeepLearningExamples ResNet-50 row
# (fp16 inference 3,382 images/s, AMP training 1,200, 1,156 on 32 GB): a memory-bound step at 85 % of the
# bandwidth with every touch outside the arithmetic is slower than NVIDIA measured.
CONV_OWN_TOUCHES_PER_SAVED_VALUE = 1.0
CONV_OVERLAP: tuple[bool, bool, bool] = (False, False, True)
# Does a prompt's GEMM hide its weight stream behind its arithmetic (slow, expected, fast)? At a few hundred
# tokens a prefill GEMM sits near the device's ridge point (a 128-token GEMM on A100 does 128 FLOP per weight
# byte, the ridge is 153) and has few output tiles (128 x 4096 in 128 x 128 tiles: 32 tiles for 108 SMs), so
# neither the arithmetic nor the weight stream runs at its peak and the two times add (expected and slow
# ends; TensorRT-LLM's A100 fp16 Llama 2 7B first token at 128 tokens, 16 ms, is the sum). A kernel with
# split-K / stream-K and enough tiles streams the weights while it multiplies: at the fast end the serving
# engines' GEMMs (cuBLASLt / CUTLASS with split-K heuristics for small M) take the larger of the two
# (TensorRT-LLM's GPT-J 6B first token on A100 at 128 tokens, 12 ms, lies between the two: 7.2 ms with full
# overlap, 15.6 ms without). llama.cpp keeps the sum at every end: its CUDA backend dequantises a quantised
# weight into an fp16 buffer in its own kernel before the cuBLAS call (ggml-cuda mul_mat for batches above
# 8), a separate pass over the weights, and its utilisation band already spans 3x. Its Metal backend does not:
# kernel_mul_mm is templated on the block format's dequantise function, loads each quantised block from memory
# into threadgroup memory, dequantises it there and multiplies with simdgroup matrices (ggml-metal.metal), so
# the weight stream is part of a compute-bound GEMM at every end (llama.cpp on Apple GPUs takes the max).
PREFILL_WEIGHT_OVERLAP: tuple[bool, bool, bool] = (False, False, True)
IN_KERNEL_DEQUANT_GENERATIONS = frozenset({"apple"})
# Host time per op (eager) or per block (engines, llama.cpp), band (fast, expected, slow) as multipliers.
EAGER_OP_S = 60e-6
EAGER_OPS_PER_DECODER_BLOCK = 40
EAGER_OPS_PER_ENCODER_BLOCK = 15
EAGER_OPS_CNN = 175  # ResNet-50: 53 conv, 53 BN, 49 ReLU, 16 adds, pool, fc
ENGINE_S_PER_BLOCK = 30e-6  # ~15 graph-replayed kernels of ~2 us minimum each
# llama.cpp's CUDA backend launches each ggml op on its own (~25 per block: norms, four attention matvecs, rope,
# KV copies, the attention's products and softmax, three MLP matvecs, activations, adds) at ~8 us each: ~200 us
# per block and token, which is why a 4.9 GB Q4_K_M 8B decodes at ~130-145 tokens/s on an A100 or H100 whose
# bandwidth alone would allow ~400 (XiongjieDai/GPU-Benchmarks-on-LLM-Inference). CUDA graphs (2024) cut it.
LLAMA_CPP_S_PER_BLOCK = 25 * 8e-6
PREFILL_LAUNCH_S_PER_BLOCK = 75e-6  # prefill is not graph-captured: ~15 launches of ~5 us
# A serving engine's first token also waits for work outside the model's kernels, once per request: the runtime
# sets up the request's buffers, KV blocks and decoder/sampling state, copies the prompt in, samples the first
# token, copies it out and synchronises (TensorRT-LLM issue #517: decoder and KV set-up sit inside the measured
# first-token latency). About 2 ms: the first-token tables of TensorRT-LLM v0.5 and v0.8 put 128-token prompts
# on H100 and H200 at 5.2-7 ms where the kernels take 2-4 ms, across GPT-J, Llama 2 7B and Mistral 7B.
ENGINE_REQUEST_S = 2e-3
# Training's host time per forward op: the op itself from Python, then its backward kernels from the C++
# autograd engine (about two per op at ~10 us): 1.33 forward ops' worth; recomputation replays the forward.
BACKWARD_HOST_SHARE = 1.0 / 3.0
HOST_BAND: Band = (1.4, 1.0, 0.7)
# Collectives reach a band of the ring's time (NCCL and the engines' custom all-reduce; contention).
COMM_BAND: Band = (1.4, 1.0, 0.7)
# Ring all-reduce: per-hop latency, and the network per device beyond one 8-device node (DGX H100: 8 x 400 Gb/s
# NDR InfiniBand = 50 GB/s per GPU; DGX A100: 8 x 200 Gb/s HDR = 25 GB/s).
NVLINK_HOP_S = 5e-6
NETWORK_HOP_S = 10e-6
NODE_DEVICES = 8
NETWORK_BYTES_PER_S = {"hopper": 50e9, "blackwell": 100e9, "ampere": 25e9}
DEFAULT_NETWORK_BYTES_PER_S = 12.5e9
ACHIEVABLE_MATMUL_SHARE = {"hopper": 0.795, "blackwell": 0.795}
DEFAULT_ACHIEVABLE_MATMUL_SHARE = 0.90


@dataclass(frozen=True)
class Throughput:
    """Samples per second for the whole job on ``devices`` devices: ``unit`` is 'tokens/s' or 'images/s'.

    For generation the headline is end-to-end output tokens/s; ``time_to_first_token_s`` and
    ``time_per_output_token_s`` are (fast, expected, slow) times in seconds.
    """

    unit: str
    low: float
    expected: float
    high: float
    regime: str
    devices: int
    assumptions: list[str] = field(default_factory=list)
    phases: dict[str, dict[str, float | str]] = field(default_factory=dict)
    time_to_first_token_s: Band | None = None
    time_per_output_token_s: Band | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "unit": self.unit,
            "low": self.low,
            "expected": self.expected,
            "high": self.high,
            "regime": self.regime,
            "devices": self.devices,
            "assumptions": list(self.assumptions),
            "phases": {k: dict(v) for k, v in self.phases.items()},
        }
        for name in ("time_to_first_token_s", "time_per_output_token_s"):
            band = getattr(self, name)
            if band is not None:
                out[name] = {"low": band[0], "expected": band[1], "high": band[2]}
        return out


@cache
def _breakdown(arch: Architecture) -> ParamBreakdown:
    """param_breakdown, once per architecture: the fit table asks for it once per device."""
    return param_breakdown(arch)


def check_precision(accelerator: Accelerator, precision: str) -> None:
    """ValueError naming the alternative when the device lacks the arithmetic a precision needs."""
    # amp is autocast in the device's 16-bit type: bf16 from Ampere on, fp16 before (torch.autocast's CUDA
    # default dtype is float16; the Hugging Face Trainer's fp16=True): same memory, same tensor-core rate.
    if precision == "bf16" and accelerator.lacks_bf16:
        raise ValueError(
            f"The {accelerator.model} has no bf16 arithmetic ({accelerator.generation or 'pre-Ampere'}); choose fp16 "
            "(the same tensor-core rate; fp16 training keeps fp32 master weights) or fp32."
        )
    if precision == "fp8" and not accelerator.has_fp8:
        raise ValueError(
            f"The {accelerator.model} has no fp8 arithmetic (fp8 needs Hopper, Ada, Blackwell or MI300); choose bf16, "
            "or int8 / int4 weights for serving."
        )


def achievable_share(accelerator: Accelerator) -> float:
    return ACHIEVABLE_MATMUL_SHARE.get(accelerator.generation or "", DEFAULT_ACHIEVABLE_MATMUL_SHARE)


def compute_dtype(arch: Architecture, workload: Workload, accelerator: Accelerator) -> tuple[str, float]:
    """(dtype, dense TFLOP/s) the workload's matrix products run at on this accelerator.

    Raises ValueError when the device lacks the precision (see ``check_precision``).
    """
    precision = workload.precision or "bf16"
    check_precision(accelerator, precision)
    if precision == "fp32":
        # PyTorch keeps TF32 off for matmuls but on for cuDNN convolutions by default.
        preferred: tuple[str, ...] = ("fp32",) if arch.is_transformer or arch.family == "vit" else ("tf32", "fp32")
    elif precision == "fp8":
        preferred = ("fp8",)
    elif precision in ("int8", "int4"):
        # Language models quantise weights only and multiply in 16 bits; vision engines (TensorRT) run int8.
        preferred = ("bf16",) if arch.is_transformer else ("int8",)
    else:
        preferred = ("bf16",)
    dtype, tflops = accelerator.best_peak_tflops(preferred)
    if dtype == "bf16" and not workload.trains and accelerator.geforce_fp16_accumulate_tflops:
        return "fp16 (fp16 accumulate)", accelerator.geforce_fp16_accumulate_tflops
    return dtype, tflops


def _host_band(seconds: float) -> Band:
    """A host-side time as a band (fast, expected, slow)."""
    return (seconds * HOST_BAND[2], seconds * HOST_BAND[1], seconds * HOST_BAND[0])


def _stack(workload: Workload) -> str:
    if is_serving_engine(workload.engine):
        return "engine"
    return "llama.cpp" if workload.engine == "llama.cpp" else "pytorch"


def _weights_bytes(arch: Architecture, workload: Workload) -> float:
    """Bytes of weights a forward pass reads (quantised formats with their scales)."""
    precision = workload.precision or "bf16"
    params = float(arch.published_or_counted_params)
    if workload.engine == "llama.cpp":
        return params * GGUF_BITS_PER_WEIGHT[precision] / 8.0
    bytes_per = {"fp32": 4.0, "amp": 4.0, "bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0, "int4": 0.5}[precision]
    if precision == "int4":
        bytes_per += (NF4_SCALE_BITS if workload.is_qlora else 32.0 / 128) / 8.0
    return params * bytes_per


def _network(accelerator: Accelerator, n: int) -> tuple[float, float]:
    """(bytes/s per device per direction, per-hop latency s) of the ring between ``n`` devices."""
    link = (accelerator.interconnect_gbps or 16.0) * 1e9 / 2.0  # catalogue figures are both directions
    if n <= NODE_DEVICES:
        return link, NVLINK_HOP_S
    network = NETWORK_BYTES_PER_S.get(accelerator.generation or "", DEFAULT_NETWORK_BYTES_PER_S)
    return min(link, network), NETWORK_HOP_S


def all_reduce_s(message_bytes: float, n: int, accelerator: Accelerator) -> float:
    """Ring all-reduce of ``message_bytes`` over ``n`` devices: 2 (n-1)/n of the data each way + 2 (n-1) hops."""
    if n <= 1:
        return 0.0
    bandwidth, hop_s = _network(accelerator, n)
    return 2.0 * (n - 1) / n * message_bytes / bandwidth + 2.0 * (n - 1) * hop_s


def workload_layout(workload: Workload, devices: int) -> Layout:
    """The layout a workload names for ``devices`` devices (all of them along its parallelism)."""
    if devices == 1:
        return Layout()
    if workload.parallelism == "tensor":
        return Layout(tensor=devices)
    if workload.parallelism == "pipeline":
        return Layout(pipeline=devices)
    return Layout(data=devices, zero_stage=workload.zero_stage)


def estimate_throughput(
    arch: Architecture,
    workload: Workload,
    accelerator: Accelerator,
    devices: int | None = None,
    layout: Layout | None = None,
) -> Throughput:
    """Throughput band of the workload on ``devices`` accelerators (default: the workload's devices), split
    as ``layout`` says (default: every device along the workload's parallelism)."""
    validate_for(arch, workload)
    n = workload.devices if devices is None else devices
    if layout is not None:
        n = layout.devices
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"Devices must be a whole number of at least 1; got {quote_prefix(n)}.")
    layout = layout or workload_layout(workload, n)
    dtype, tflops = compute_dtype(arch, workload, accelerator)
    share = achievable_share(accelerator)
    rate = tflops * 1e12 * share
    model = _StepModel(arch, workload, accelerator, layout, rate, dtype)
    assumptions = [
        f"{dtype} peak {tflops:g} TFLOP/s per device, {share:.1%} of it achievable by a matmul; "
        f"bandwidth {accelerator.memory_bandwidth_gbps:g} GB/s; {n} device(s) ({layout.name}); stack "
        f"{workload.engine}."
    ]
    if not arch.is_transformer:
        return model.vision(assumptions)
    if workload.is_generation:
        return model.generation(assumptions)
    return model.tokens(assumptions)


class _StepModel:
    """The step-time model of one workload on one device type (see the module docstring)."""

    def __init__(
        self, arch: Architecture, workload: Workload, acc: Accelerator, layout: Layout, rate: float, dtype: str
    ) -> None:
        self.arch, self.workload, self.acc, self.n = arch, workload, acc, layout.devices
        self.rate = rate * (FP8_GEMM_SHARE if dtype == "fp8" else 1.0)
        self.stack = _stack(workload)
        self.bandwidth = acc.memory_bandwidth_bytes_per_s
        self.tensor, self.pipeline, self.data = layout.tensor, layout.pipeline, layout.data
        self.zero_stage = layout.zero_stage

    # -- building blocks ---------------------------------------------------------------------------

    def _host_s(self, blocks: int, decode: bool, passes: float = 1.0) -> Band:
        """Host floor per step (fast, expected, slow)."""
        if self.stack == "pytorch":
            if not self.arch.is_transformer and self.arch.family != "vit":
                per_step = EAGER_OPS_CNN * EAGER_OP_S
            else:
                ops = EAGER_OPS_PER_DECODER_BLOCK if decode else EAGER_OPS_PER_ENCODER_BLOCK
                per_step = blocks * ops * EAGER_OP_S
        elif decode:
            per_step = blocks * (ENGINE_S_PER_BLOCK if self.stack == "engine" else LLAMA_CPP_S_PER_BLOCK)
        elif self.stack == "llama.cpp":
            per_step = blocks * LLAMA_CPP_S_PER_BLOCK
        else:
            per_step = blocks * PREFILL_LAUNCH_S_PER_BLOCK
        return _host_band(per_step * passes)

    def _prefill_hides_weights(self, end: int) -> bool:
        """Whether the prompt's GEMMs stream the weights while they multiply at this end of the band (see
        PREFILL_WEIGHT_OVERLAP): the engines at the fast end, llama.cpp's Metal kernels at every end."""
        if self.stack == "llama.cpp":
            return self.acc.generation in IN_KERNEL_DEQUANT_GENERATIONS
        return self.stack == "engine" and PREFILL_WEIGHT_OVERLAP[end]

    def _request_s(self) -> Band:
        """Fixed work per request before its first token (fast, expected, slow): the engines only; eager
        PyTorch's host floor and llama.cpp's per-op launches already dominate a short prompt there."""
        if self.stack != "engine":
            return (0.0, 0.0, 0.0)
        return _host_band(ENGINE_REQUEST_S)

    def _elementwise_bytes_per_token(self) -> float:
        """Bytes the non-GEMM kernels of one forward pass read and write per token, all blocks."""
        h = float(self.arch.hidden or 0)
        inner = float(self.arch.mlp_size or 4 * h) * (self.arch.active_experts or 1)
        act_bytes = 4.0 if self.workload.precision == "fp32" else 2.0
        # Two norms (read + write), rotary on q and k, two residual adds (read 2, write 1), the MLP's
        # activation (read gate and up, write one): 14 h + 3 I values per token and block.
        return (14.0 * h + 3.0 * inner) * act_bytes * max(1, self.arch.total_layers)

    def _tp_activation_s(self, tokens: float, all_reduces_per_block: float) -> float:
        """Tensor-parallel all-reduces per step on the critical path, plus a mixture of experts' all-to-all.

        With the experts split over the model's devices, each MoE block sends every token's hidden state to the
        devices of its routed experts and back: two all-to-alls of ``tokens x k x h`` 16-bit values, each
        ``(n - 1) / n`` of it over the link plus ``n - 1`` hops."""
        shards = self.tensor * self.pipeline
        blocks = max(1, self.arch.total_layers) / self.pipeline
        seconds = 0.0
        h = float(self.arch.hidden or 0)
        if self.tensor > 1:
            seconds += all_reduce_s(tokens * h * 2.0, self.tensor, self.acc) * all_reduces_per_block * blocks
        experts = self.arch.experts or 1
        if experts > 1 and shards > 1:
            bandwidth, hop_s = _network(self.acc, shards)
            routed = min(self.arch.active_experts or 1, experts)
            message = tokens * routed * h * 2.0
            per = (shards - 1) / shards * message / bandwidth + (shards - 1) * hop_s
            seconds += 2.0 * per * max(1, self.arch.total_layers) * (all_reduces_per_block / 2.0)
        return seconds

    # -- vision ------------------------------------------------------------------------------------

    def vision(self, assumptions: list[str]) -> Throughput:
        arch, workload = self.arch, self.workload
        if arch.gflops_per_sample is None:
            raise ValueError(f"{arch.key} has no gflops_per_sample in the catalogue; add it to estimate speed.")
        base_px = arch.image_size or 224
        px = workload.image_size or base_px
        scale = (px / base_px) ** 2
        passes = 3.0 if workload.trains else 1.0
        flops = arch.gflops_per_sample * 1e9 * scale * passes
        value_bytes = 4.0 if workload.precision == "fp32" else 2.0
        saved_values = (arch.activation_mb_per_sample or 0.0) * 1e6 / 4.0 * scale
        vit = arch.family == "vit"
        in_place = not vit and arch.activations_in_place is not False
        touches = IN_PLACE_CNN_TOUCHES_PER_SAVED_VALUE if in_place else SAVED_TENSOR_TOUCHES_PER_SAVED_VALUE
        traffic = saved_values * value_bytes * touches * passes
        simt = workload.precision == "fp32" and self.acc.peak_tflops("tf32") is None and not vit
        util = TRAIN_MFU if vit else (SIMT_CONV_UTILISATION if simt else CONV_UTILISATION)
        bandwidth = BANDWIDTH["pytorch"]
        per_device = math.ceil(workload.batch / self.n)
        blocks = arch.total_layers or 0
        host = self._host_s(blocks, decode=False, passes=1.0 + BACKWARD_HOST_SHARE if workload.trains else 1.0)
        times = []
        for i in range(3):
            compute_s = flops / (self.rate * util[i])
            traffic_s = traffic / (self.bandwidth * bandwidth[i])
            own_s = traffic_s * CONV_OWN_TOUCHES_PER_SAVED_VALUE / touches if CONV_OVERLAP[i] and not vit else 0.0
            device_s = per_device * (max(compute_s, own_s) + traffic_s - own_s)
            grad_s = (self._dp_gradient_s() if workload.trains else 0.0) * COMM_BAND[i]
            times.append(max(device_s, grad_s, host[2 - i]))
        rates = tuple(workload.batch / t for t in times)
        compute_share = (
            flops / (self.rate * util[1]) / (flops / (self.rate * util[1]) + traffic / (self.bandwidth * bandwidth[1]))
        )
        regime = "compute-bound" if compute_share >= 0.5 else "memory-bound"
        if host[1] >= times[1] * 0.999:
            regime = "host-bound"
        if arch.family == "diffusion":
            assumptions.append(
                "Diffusion: one 'image' is one denoising step of the network; a generated image takes "
                "20-50 steps (twice that with classifier-free guidance)."
            )
        assumptions.append(
            f"{flops / 1e9:.1f} GFLOP per image ({'3 x forward' if workload.trains else 'forward'}) at "
            f"{util[0]:.0%}/{util[1]:.0%}/{util[2]:.0%} of the achievable "
            f"{'matmul' if vit else 'convolution'} rate, plus {traffic / 1e6:,.0f} MB of activation traffic "
            f"per image ({touches:g} touches per saved value) at {bandwidth[0]:.0%}/{bandwidth[1]:.0%}/"
            f"{bandwidth[2]:.0%} of the bandwidth"
            + ("" if vit else "; at the fast end each convolution's own reads and writes overlap its arithmetic")
            + f"; host floor {host[1] * 1e3:.1f} ms per step (eager ops)."
        )
        return Throughput("images/s", rates[0], rates[1], rates[2], regime, self.n, assumptions)

    def _dp_gradient_s(self) -> float:
        """Data-parallel gradient traffic per step (overlapped with backward: compared, not added)."""
        if self.data <= 1:
            return 0.0
        params = float(self.arch.published_or_counted_params) / (self.tensor * self.pipeline)
        if self.workload.mode == "lora":
            return 0.0
        grad_bytes = 4.0 if self.workload.precision in ("amp", "fp32") else 2.0
        # DDP all-reduces the gradients; ZeRO-3 / FSDP all-gathers the 16-bit weights for forward and for
        # backward and reduce-scatters the gradients: three half all-reduces of 2-byte values.
        moved = 1.5 * params * 2.0 if self.zero_stage >= 3 else params * grad_bytes
        return all_reduce_s(moved, self.data, self.acc)

    # -- transformer forward / training ------------------------------------------------------------

    def tokens(self, assumptions: list[str]) -> Throughput:
        arch, workload = self.arch, self.workload
        pb = _breakdown(arch)
        seq = workload.seq or min(DEFAULT_SEQ, arch.max_context or DEFAULT_SEQ)
        causal = arch.family != "encoder"
        head = pb.lm_head or pb.embedding
        matmul = pb.block_matmul_active + (head if (arch.family != "encoder" or workload.trains) else 0)
        forward = 2.0 * matmul + _attention_flops_per_token(arch, seq, causal)
        multiplier = {"train": 3.0, "lora": 2.0, "inference": 1.0}[workload.mode]
        recompute = 1.0 if workload.grad_checkpointing else 0.0
        flops_per_token = forward * (multiplier + recompute)
        band = TRAIN_MFU if workload.trains else PREFILL_MFU[self.stack]
        bandwidth = BANDWIDTH[self.stack]
        tokens = workload.batch * seq
        tokens_per_device = tokens / max(1, self.data)
        passes = multiplier + recompute
        ew = self._elementwise_bytes_per_token() * passes
        weights = _weights_bytes(arch, workload) / (self.tensor * self.pipeline)
        weight_reads = weights * (3.0 if workload.trains else 1.0)
        host_passes = 1.0 + (BACKWARD_HOST_SHARE if workload.trains else 0.0) + recompute
        host = self._host_s(arch.total_layers, decode=False, passes=host_passes)
        tp_s = self._tp_activation_s(tokens_per_device, 4.0 if workload.trains else 2.0)
        grad_s = self._dp_gradient_s() if workload.trains else 0.0
        times = []
        for i in range(3):
            gemm_s = max(
                tokens_per_device * flops_per_token / (self.tensor * self.pipeline) / (self.rate * band[i]),
                weight_reads / (self.bandwidth * bandwidth[i]),
            )
            ew_s = tokens_per_device * ew / (self.tensor * self.pipeline) / (self.bandwidth * bandwidth[i])
            device_s = gemm_s + ew_s + tp_s * COMM_BAND[i]
            times.append(max(device_s, grad_s * COMM_BAND[i], host[2 - i]))
        rates = tuple(tokens / t for t in times)
        compute_s = tokens_per_device * flops_per_token / (self.tensor * self.pipeline) / (self.rate * band[1])
        regime = "compute-bound" if compute_s >= weight_reads / (self.bandwidth * bandwidth[1]) else "memory-bound"
        if grad_s >= times[1] * 0.999:
            regime = "communication-bound"
        what = {"train": "6 x params", "lora": "4 x params (no weight gradients)", "inference": "2 x params"}
        assumptions.append(
            f"{flops_per_token / 1e9:.2f} GFLOP per token: {what[workload.mode]} + attention over "
            f"{seq:,} tokens{' (causal)' if causal else ''}{' + forward recomputation' if recompute else ''}, at "
            f"{band[0]:.0%}/{band[1]:.0%}/{band[2]:.0%} of the achievable rate "
            f"({'training MFU: llm-foundry, Llama 3, Megatron-LM' if workload.trains else 'forward pass'}); "
            f"element-wise work {ew / 1e6:.1f} MB per token at the bandwidth band."
        )
        if self.n > 1:
            assumptions.append(
                f"Communication per step: tensor-parallel all-reduces {tp_s * 1e3:.1f} ms on the critical path; "
                f"data-parallel gradient traffic {grad_s * 1e3:.1f} ms, overlapped with backward "
                f"({self.acc.interconnect_gbps or 16:g} GB/s interconnect, ring all-reduce)."
            )
        return Throughput("tokens/s", rates[0], rates[1], rates[2], regime, self.n, assumptions)

    # -- generation --------------------------------------------------------------------------------

    def generation(self, assumptions: list[str]) -> Throughput:
        arch, workload = self.arch, self.workload
        pb = _breakdown(arch)
        prompt = workload.prompt_tokens or 1
        new = workload.new_tokens or 1
        batch = workload.batch
        shards = self.tensor * self.pipeline
        replicas = max(1, self.data)
        per_replica = math.ceil(batch / replicas)
        head = pb.lm_head or pb.embedding
        band = PREFILL_MFU[self.stack]
        bandwidth = BANDWIDTH[self.stack]
        blocks = max(1, arch.total_layers)
        weights = _weights_bytes(arch, workload)
        # Prefill: every prompt token through the blocks, the output head for the last position only.
        prefill_flops = per_replica * (
            prompt * (2.0 * pb.block_matmul_active + _attention_flops_per_token(arch, prompt, True)) + 2.0 * head
        )
        prefill_ew = per_replica * prompt * self._elementwise_bytes_per_token()
        prefill_tp = self._tp_activation_s(per_replica * prompt, 2.0)
        prefill_host = self._host_s(blocks, decode=False)
        # Decode: the weights the batch touches, the KV cache at its mean length, one token per sequence.
        context = prompt + new / 2.0
        experts = arch.experts or 1
        routed = min(arch.active_experts or experts, experts)
        touched_weights = weights
        if experts > routed:
            touched = experts * (1.0 - (1.0 - routed / experts) ** per_replica)
            per_expert = (pb.block_matmul - pb.block_matmul_active) / (experts - routed)
            total = arch.published_or_counted_params
            touched_weights *= (total - per_expert * (experts - touched)) / total
        kv_bytes = kv_value_bytes(workload.engine, workload.precision or "bf16", workload.kv_cache_dtype)
        kv_per_token = 2.0 * arch.kv_width * kv_bytes * (arch.decoder_layers or arch.layers or 0)
        latent = LATENT_ATTENTION.get(arch.key)
        if latent is not None:
            kv_per_token = latent.kv_cache_width * kv_bytes * (arch.layers or 0)
        kv_shards = min(self.tensor, max(1, arch.kv_heads or arch.heads or 1)) * self.pipeline
        step_flops = per_replica * (
            2.0 * (pb.block_matmul_active + head) + _attention_flops_per_token(arch, context, False)
        )
        decode_tp = self._tp_activation_s(per_replica, 2.0)
        decode_host = self._host_s(blocks, decode=True)
        request = self._request_s()
        ttft: list[float] = []
        tpot: list[float] = []
        for i in range(3):
            # Whether the prompt's GEMMs stream the weights while they multiply decides sum or max.
            prefill_compute_s = prefill_flops / shards / (self.rate * band[i])
            prefill_weights_s = weights / shards / (self.bandwidth * bandwidth[i])
            prefill_s = (
                (
                    max(prefill_compute_s, prefill_weights_s)
                    if self._prefill_hides_weights(i)
                    else prefill_compute_s + prefill_weights_s
                )
                + prefill_ew / shards / (self.bandwidth * bandwidth[i])
                + prefill_tp * COMM_BAND[i]
            )
            ttft.append(max(prefill_s, prefill_host[2 - i]) + request[2 - i])
            gemm_s = max(
                touched_weights / shards / (self.bandwidth * bandwidth[i]),
                step_flops / shards / (self.rate * band[i]),
            )
            attention_s = per_replica * context * kv_per_token / kv_shards / (self.bandwidth * bandwidth[i])
            tpot.append(max(gemm_s + attention_s + decode_tp * COMM_BAND[i], decode_host[2 - i]))
        end_to_end = [batch * new / (ttft[i] + (new - 1) * tpot[i]) for i in range(3)]
        prefill_rates = [batch * prompt / ttft[i] for i in range(3)]
        decode_rates = [batch / tpot[i] for i in range(3)]
        memory_s = touched_weights / shards / (self.bandwidth * bandwidth[1]) + (
            per_replica * context * kv_per_token / kv_shards / (self.bandwidth * bandwidth[1])
        )
        compute_s = step_flops / shards / (self.rate * band[1])
        regime = "memory-bound" if memory_s >= compute_s else "compute-bound"
        if decode_host[1] >= tpot[1] * 0.999:
            regime = "host-bound"
        assumptions.append(
            f"Headline: end-to-end output tokens/s = batch x new tokens / (time to first token + (new - 1) x time "
            f"per output token), {end_to_end[1]:,.0f} expected."
        )
        assumptions.append(
            f"Prefill: {prefill_flops / 1e12:,.1f} TFLOP per replica at {band[0]:.0%}/{band[1]:.0%}/{band[2]:.0%} "
            f"of the achievable rate ({workload.engine}) + "
            + (
                "the element-wise work (the weights are read inside the GEMMs, which dequantise in-kernel); "
                if self._prefill_hides_weights(1)
                else "one read of the weights and the element-wise work; "
            )
            + f"time to first token {ttft[1]:.3f} s expected."
        )
        assumptions.append(
            f"Decode: {touched_weights / shards / 1e9:.2f} GB of weights per device and step + the KV cache at its "
            f"mean length {context:,.0f} ({kv_bytes:g} B per value) at {bandwidth[0]:.0%}/{bandwidth[1]:.0%}/"
            f"{bandwidth[2]:.0%} of the bandwidth; host floor {decode_host[1] * 1e3:.2f} ms per step; "
            f"{tpot[1] * 1e3:.2f} ms per output token expected."
        )
        if self.tensor > 1:
            assumptions.append(
                f"Tensor parallel {self.tensor}: two ring all-reduces per block and step over "
                f"{self.acc.interconnect_gbps or 16:g} GB/s ({decode_tp * 1e3:.2f} ms per decode step)."
            )
        phases: dict[str, dict[str, float | str]] = {
            "prefill": {
                "unit": "tokens/s",
                "low": prefill_rates[0],
                "expected": prefill_rates[1],
                "high": prefill_rates[2],
                "regime": "compute-bound",
                "time_to_first_token_s": ttft[1],
            },
            "decode": {
                "unit": "tokens/s",
                "low": decode_rates[0],
                "expected": decode_rates[1],
                "high": decode_rates[2],
                "regime": regime,
            },
        }
        return Throughput(
            "tokens/s",
            end_to_end[0],
            end_to_end[1],
            end_to_end[2],
            regime,
            self.n,
            assumptions,
            phases,
            time_to_first_token_s=(ttft[2], ttft[1], ttft[0]),
            time_per_output_token_s=(tpot[2], tpot[1], tpot[0]),
        )


def _attention_flops_per_token(arch: Architecture, context: float, causal: bool) -> float:
    """Forward attention FLOPs per token over ``context`` keys (QK^T and AV), all layers."""
    per_layer = 4.0 * arch.attention_width * context * (0.5 if causal else 1.0)
    if arch.family == "encoder-decoder":
        return per_layer * (arch.layers or 0) + per_layer * (arch.decoder_layers or 0) * 2
    return per_layer * (arch.layers or 0)
