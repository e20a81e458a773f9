"""The software stack as an input: each stack's memory rules, KV-cache dtype, weight formats and overheads.

Sources (docs/estimator.md section 6 repeats them with what each rule changes):

* vLLM reserves ``gpu_memory_utilization`` (default 0.9) of the device's TOTAL memory; weights, the
  activations of a profiling forward pass and non-torch memory (CUDA graphs, NCCL) come out of it and
  the rest becomes the paged KV pool (docs.vllm.ai engine arguments; "No available memory for the
  cache blocks" when nothing is left). SGLang does the same with ``mem_fraction_static``
  (``kv = total x mem_fraction_static - model``; the default is picked from the GPU's size, about
  0.88 on 40-80 GB cards). TensorRT-LLM gives ``free_gpu_memory_fraction`` (default 0.9) of the memory
  FREE after the engine (weights, activations, context) loaded to the KV pool
  (nvidia.github.io/TensorRT-LLM/examples/kvcacheconfig.html). The pool divided by one sequence's KV
  bytes is the number of sequences that can be in flight at once (``max_concurrent_sequences``; vLLM
  prints it at start-up as "Maximum concurrency").
* llama.cpp stores GGUF weights: int4 means Q4_K_M, 4.84 bits per weight on Llama 2 7B (llama.cpp
  tools/quantize README table), int8 means Q8_0 (32 int8 values + one fp16 scale per block of 32:
  8.5 bits), fp16 16 bits. Scales are inside those bits. It allocates the KV cache for its context
  (f16 by default, q8_0 with ``--cache-type-k/v q8_0``) and a compute buffer; there is no pool.
* KV-cache dtype ``auto``: the model's 16-bit compute dtype, except TensorRT-LLM with fp8 weights,
  whose published fp8 recipe also quantises the KV cache (``--kv_cache_dtype fp8``, the runs of its
  performance tables). vLLM and SGLang take fp8 KV caches but not int8; llama.cpp takes q8_0 (int8)
  but not fp8; eager PyTorch keeps the KV cache in the compute dtype (Hugging Face's quantised caches
  are int8/int4 and slow).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.resources.accelerators import Accelerator
from core.resources.vocabulary import SERVING_ENGINES, Engine, KvCacheDtype, Mode, Precision


@dataclass(frozen=True)
class EngineRules:
    """What one stack does with device memory.

    ``reserved_fraction`` of ``reserved_of`` ('total': vLLM, SGLang; 'free after the engine loaded':
    TensorRT-LLM; 'none': allocate as needed) becomes the engine's budget. The host time per step is in
    core.resources.speed (EAGER_OP_S, ENGINE_S_PER_BLOCK, LLAMA_CPP_S_PER_BLOCK).
    """

    key: Engine
    label: str
    reserved_fraction: float
    reserved_of: str
    source: str


ENGINE_RULES: dict[Engine, EngineRules] = {
    "pytorch": EngineRules(
        "pytorch",
        "eager PyTorch / Hugging Face",
        1.0,
        "none",
        "https://pytorch.org/docs/stable/notes/cuda.html",
    ),
    "vllm": EngineRules(
        "vllm",
        "vLLM",
        0.9,
        "total",
        "https://docs.vllm.ai/en/stable/api/vllm/config/cache/ (gpu_memory_utilization)",
    ),
    "sglang": EngineRules(
        "sglang",
        "SGLang",
        0.88,
        "total",
        "https://www.mintlify.com/sgl-project/sglang/developer/memory-management (mem_fraction_static)",
    ),
    "tensorrt-llm": EngineRules(
        "tensorrt-llm",
        "TensorRT-LLM",
        0.9,
        "free",
        "https://nvidia.github.io/TensorRT-LLM/examples/kvcacheconfig.html (free_gpu_memory_fraction)",
    ),
    "llama.cpp": EngineRules(
        "llama.cpp",
        "llama.cpp",
        1.0,
        "none",
        "https://github.com/ggml-org/llama.cpp/tree/master/tools/quantize (bits per weight)",
    ),
}

# GGUF bits per weight, scales included (see the module docstring).
GGUF_BITS_PER_WEIGHT: dict[str, float] = {"fp32": 32.0, "fp16": 16.0, "bf16": 16.0, "int8": 8.5, "int4": 4.84}
GGUF_NAMES: dict[str, str] = {"fp32": "F32", "fp16": "F16", "bf16": "BF16", "int8": "Q8_0", "int4": "Q4_K_M"}
# The engines' activation workspace is profiled at their token budget per forward pass (vLLM's
# max_num_batched_tokens and TensorRT-LLM's max_num_tokens both default to 8,192).
ENGINE_MAX_TOKENS_PER_STEP = 8192
# Memory the engines hold outside PyTorch's allocator: CUDA-graph pools, NCCL buffers, sampler (vLLM
# logs it as "non-torch memory", typically a few hundred MB to 1 GB).
ENGINE_NON_TORCH_BYTES = 500_000_000
# llama.cpp's compute buffer for a 512-token batch (llama.cpp logs "compute buffer size", a few hundred MB).
LLAMA_CPP_COMPUTE_BUFFER_BYTES = 300_000_000
# The KV-cache dtypes each stack stores (module docstring), and what to choose instead of one it lacks.
KV_CACHE_DTYPES_BY_ENGINE: dict[Engine, tuple[KvCacheDtype, ...]] = {
    "pytorch": ("auto", "fp16", "bf16", "int8"),
    "vllm": ("auto", "fp16", "bf16", "fp8"),
    "sglang": ("auto", "fp16", "bf16", "fp8"),
    "tensorrt-llm": ("auto", "fp16", "bf16", "fp8", "int8"),
    "llama.cpp": ("auto", "fp16", "bf16", "int8"),
}
KV_CACHE_ALTERNATIVE: dict[Engine, str] = {
    "pytorch": "for an fp8 KV cache choose vLLM, SGLang or TensorRT-LLM, or keep auto",
    "vllm": "vLLM stores an 8-bit KV cache as fp8: choose fp8",
    "sglang": "SGLang stores an 8-bit KV cache as fp8: choose fp8",
    "tensorrt-llm": "",
    "llama.cpp": "llama.cpp's 8-bit KV cache is q8_0: choose int8",
}
KV_VALUE_BYTES: dict[str, float] = {"fp32": 4.0, "fp16": 2.0, "bf16": 2.0, "fp8": 1.0, "int8": 1.0625}


def rules(engine: Engine) -> EngineRules:
    return ENGINE_RULES[engine]


def is_serving_engine(engine: Engine) -> bool:
    """vLLM, SGLang and TensorRT-LLM: pre-reserved paged KV pool, continuous batching, CUDA graphs."""
    return engine in SERVING_ENGINES


def resolved_kv_dtype(engine: Engine, precision: Precision, kv_cache_dtype: KvCacheDtype) -> str:
    """The dtype the KV cache is stored in: ``kv_cache_dtype`` unless 'auto' (module docstring)."""
    if kv_cache_dtype != "auto":
        return kv_cache_dtype
    if engine == "tensorrt-llm" and precision == "fp8":
        return "fp8"
    if precision == "fp32":
        return "fp32"
    if engine == "llama.cpp":
        return "fp16"
    return "fp16" if precision == "fp16" else "bf16"


def kv_value_bytes(engine: Engine, precision: Precision, kv_cache_dtype: KvCacheDtype) -> float:
    """Bytes of one stored key or value element (int8 / q8_0 carries one fp16 scale per 32 values)."""
    return KV_VALUE_BYTES[resolved_kv_dtype(engine, precision, kv_cache_dtype)]


def validate_engine(
    engine: Engine,
    kv_cache_dtype: KvCacheDtype,
    mode: Mode,
    precision: Precision,
    generative: bool | None,
) -> None:
    """ValueError (one sentence naming the alternative) for a stack that cannot run this workload.

    ``generative`` is None when the model is not known yet (a plan being validated on its own).
    """
    label = ENGINE_RULES[engine].label
    if kv_cache_dtype not in KV_CACHE_DTYPES_BY_ENGINE[engine]:
        raise ValueError(f"{label} has no {kv_cache_dtype} KV cache; {KV_CACHE_ALTERNATIVE[engine]}.")
    if engine == "pytorch":
        return
    if mode != "inference":
        raise ValueError(f"{label} serves models; train and fine-tune with stack pytorch.")
    if generative is False:
        raise ValueError(f"{label} serves language models; use stack pytorch for this model.")
    if engine == "llama.cpp":
        if precision in ("fp8", "amp"):
            raise ValueError(f"llama.cpp has no {precision} weights; choose int4 (Q4_K_M), int8 (Q8_0) or fp16.")
        return
    if precision == "amp":
        raise ValueError(f"{label} serves weights in one dtype; choose bf16 or fp16 instead of amp.")


def engine_unavailable(engine: Engine, accelerator: Accelerator) -> str:
    """Why a stack does not run on a device ('' when it does): TensorRT-LLM is NVIDIA-only; vLLM and SGLang
    serve from NVIDIA and AMD GPUs; llama.cpp and eager PyTorch run everywhere."""
    if engine == "tensorrt-llm" and accelerator.vendor != "NVIDIA":
        return "TensorRT-LLM runs on NVIDIA GPUs only."
    if engine in ("vllm", "sglang") and (accelerator.kind != "gpu" or accelerator.vendor not in ("NVIDIA", "AMD")):
        return f"{ENGINE_RULES[engine].label} is planned here on NVIDIA and AMD GPUs only."
    return ""
