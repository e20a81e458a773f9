"""The estimator's workload vocabulary, defined once: mode, precision, optimizer, parallelism.

A saved plan (``plan.ResourcePlan``), the estimator (``memory.Workload``), the command line and the
resources page all speak these words. Each is a ``Literal`` alias, so mypy checks a literal value
where it is written, and a tuple of its words (in the order the page offers them) for the checks a
value read from a document, a widget or a command line still needs at run time.

* mode: ``inference`` (one forward pass, or generation), ``train`` (every weight trained:
  pre-training, or a full fine-tune from a checkpoint), ``lora`` (frozen base weights + adapters;
  QLoRA is lora with int4 weights);
* precision: ``amp`` = fp32 parameters with bf16 autocast; ``bf16``/``fp16``/``fp32`` = parameters
  in that dtype; ``fp8`` = fp8 matmuls (Transformer Engine) when training, fp8 weights when serving;
  ``int8``/``int4`` = quantised weights (inference and QLoRA only);
* optimizer: the state kept per trainable parameter (AdamW, its bitsandbytes 8-bit form, SGD with
  or without momentum, Adafactor's factored moments);
* parallelism: the axis several devices split a workload along;
* engine: the software stack that runs the model. ``pytorch`` is eager PyTorch / Hugging Face
  (the default, and the only stack for training and vision models); ``vllm``, ``sglang`` and
  ``tensorrt-llm`` are serving engines with a pre-reserved paged KV pool, CUDA graphs and fused
  kernels; ``llama.cpp`` runs GGUF weights (int4 = Q4_K_M, int8 = Q8_0);
* KV-cache dtype: ``auto`` follows the stack's usual default for the precision (docs/estimator.md).
"""

from __future__ import annotations

from typing import Final, Literal, get_args

Mode = Literal["inference", "train", "lora"]
Precision = Literal["fp32", "amp", "bf16", "fp16", "fp8", "int8", "int4"]
Optimizer = Literal["adamw", "adamw-8bit", "sgd", "sgd-momentum", "adafactor"]
Parallelism = Literal["data", "tensor", "pipeline"]
Engine = Literal["pytorch", "vllm", "sglang", "tensorrt-llm", "llama.cpp"]
KvCacheDtype = Literal["auto", "fp16", "bf16", "fp8", "int8"]

MODES: Final[tuple[Mode, ...]] = get_args(Mode)
PRECISIONS: Final[tuple[Precision, ...]] = get_args(Precision)
OPTIMIZERS: Final[tuple[Optimizer, ...]] = get_args(Optimizer)
PARALLELISMS: Final[tuple[Parallelism, ...]] = get_args(Parallelism)
ENGINES: Final[tuple[Engine, ...]] = get_args(Engine)
KV_CACHE_DTYPES: Final[tuple[KvCacheDtype, ...]] = get_args(KvCacheDtype)
# The stacks that reserve device memory up front and page a KV pool (continuous batching).
SERVING_ENGINES: Final[tuple[Engine, ...]] = ("vllm", "sglang", "tensorrt-llm")
