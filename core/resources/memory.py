"""Device memory of a workload, summed term by term, per device, at the peak of the step.

The model follows what PyTorch eager + Hugging Face ``transformers`` keep alive,
which is what ``torch.cuda.max_memory_allocated`` reports; docs/estimator.md
states every term with its source, and tests/core/resources checks it against
the H200 measurements in tests/core/resources/data/h200_measured.jsonl.

Phases. A step's peak is the largest of a few moments, each a sum of terms:

* training, *forward end*: persistent state (weights, optimizer state, master
  weights; gradients are ``None`` after ``zero_grad(set_to_none=True)``) + the
  autocast bf16 weight copies + every activation saved for backward + the
  logits and the loss's forward buffers;
* training, *loss backward*: the same activations with the loss's backward
  buffers: the fp32 log-softmax output, its gradient and the logits' gradient,
  3 x tokens x vocab x 4 bytes (the bf16 logits are no longer referenced);
* training, *optimizer step*: persistent state + all gradients (fused AdamW
  allocates nothing else worth counting);
* training with checkpointing, *recompute*: layer inputs + one layer's
  activations re-created + gradients;
* inference, *forward*: weights + the live tensors of the busiest layer or the
  logits; *generation*: prefill (KV cache of the prompt + one layer's
  activations) or the end of decoding (KV cache of prompt + new tokens);
* *model build* (random initialisation only): tied input/output embeddings are
  built untied first, so one extra vocab x hidden matrix lives until tying.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from core.resources import limits
from core.resources.architectures import (
    LATENT_ATTENTION,
    Architecture,
    block_params,
    param_breakdown,
)
from core.resources.engines import GGUF_BITS_PER_WEIGHT, kv_value_bytes, validate_engine
from core.resources.limits import MAX_DEVICES
from core.resources.vocabulary import (
    ENGINES,
    KV_CACHE_DTYPES,
    MODES,
    OPTIMIZERS,
    PARALLELISMS,
    PRECISIONS,
    Engine,
    KvCacheDtype,
    Mode,
    Optimizer,
    Parallelism,
    Precision,
)
from core.text import quote_prefix

LORA_TARGETS: tuple[str, ...] = ("q", "k", "v", "o", "gate", "up", "down")
DEFAULT_LORA_TARGETS: tuple[str, ...] = ("q", "k", "v", "o")
DEFAULT_LORA_RANK = 16
DEFAULT_SEQ = 2048

CUBLAS_TERM = "cuBLAS workspace"  # the one term a device without a CUDA runtime does not hold
# Names of the breakdown, always in this order (zero where a term does not apply).
TERMS: tuple[str, ...] = (
    "weights",
    "quantisation scales",
    "gradients",
    "optimizer state",
    "master weights",
    "autocast weight copies",
    "activations",
    "logits & loss",
    "KV cache",
    "KV pool",
    "adapters",
    "adapter optimizer",
    "init transient",
    CUBLAS_TERM,
)
PERSISTENT_TERMS = frozenset(
    {
        "weights",
        "quantisation scales",
        "gradients",
        "optimizer state",
        "master weights",
        "adapters",
        "adapter optimizer",
        CUBLAS_TERM,
        "KV pool",
    }
)

# PyTorch gives each (cuBLAS handle, stream) a 32 MiB workspace on Hopper through the
# caching allocator, so it counts in max_memory_allocated (pytorch/pytorch PR #89027;
# cuBLAS docs, cublasSetWorkspace). Measured: every H200 case's resident memory is the
# weights + 32 MiB; training adds a second handle for the autograd thread (64 MiB).
CUBLAS_WORKSPACE_BYTES = 32 * 2**20
# CUDA context of PyTorch 2.11 / CUDA 13 on the H200 (device_probe.context_overhead_bytes).
CUDA_CONTEXT_BYTES = 552_402_944
# The estimate's own line about the context; a caller that knows the device swaps it for that
# device family's figure (a V100 run must not read "0.55 GB" beside its 0.35 GB).
H200_CONTEXT_NOTE = f"CUDA context {CUDA_CONTEXT_BYTES / 1e9:.2f} GB (measured on the H200; no device chosen)."
# Allocator slack (reserved - allocated) as a share of the transient tensors. The H200 runs
# measured 4-24 % (training 3.7 %, generation 24 %, ResNet 14-18 %) and 50 % under
# checkpointing, whose recomputation fragments the cache.
SLACK_FRACTION = 0.10
SLACK_FRACTION_CHECKPOINTING = 0.40
# A CNN's inference working set as a share of its saved training activations: ResNet-50's
# peak is three 256-channel 56x56 maps plus one 64-channel one (2.61 M values per image,
# measured to 0.1 % on the H200) against 21.3 M values saved for backward.
CNN_INFERENCE_FRACTION = 0.122
# bitsandbytes 8-bit Adam: two 8-bit states + one fp32 absmax per 2,048-value block each
# (Dettmers et al. 2022, "8-bit Optimizers via Block-wise Quantization").
ADAM_8BIT_BYTES = 2 + 2 * 4 / 2048
# int4 weights: group size 128 with an fp16 scale and an fp16 zero point (GPTQ/AWQ default).
INT4_GROUP = 128
# int8 weights: one fp32 scale per output channel (LLM.int8(), Dettmers et al. 2022).
# QLoRA's NF4 base weights: 4 bits plus double-quantised block constants, 0.127 bits per weight
# (Dettmers et al. 2023, arXiv:2305.14314, section 3: 8-bit absmax per 64 weights, fp32 per 256 blocks).
NF4_SCALE_BITS = 8.0 / 64 + 32.0 / (64 * 256)

_WEIGHT_BYTES = {"fp32": 4.0, "amp": 4.0, "bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0, "int4": 0.5}


@dataclass(frozen=True)
class Workload:
    """What runs on the device(s). Validated at construction; defaults are filled in.

    * ``mode``: 'inference' (one forward pass, or generation when ``new_tokens``
      is given), 'train' (full fine-tuning or pre-training, the model's own
      objective over every position), 'lora' (frozen base weights + adapters).
    * ``precision``: 'amp' = fp32 parameters with bf16 autocast; 'bf16'/'fp16' =
      parameters in that dtype ('bf16' training keeps AdamW state in bf16; 'fp16'
      training keeps fp32 master weights and fp32 AdamW state, the classic mixed
      precision recipe); 'fp8' = bf16 parameters with fp8 matmuls (Transformer
      Engine) for training, fp8 weights for inference; 'int8'/'int4' = quantised
      weights (inference and QLoRA only). Default: amp for train, bf16 otherwise.
    * ``batch`` is the global batch (samples or sequences), split over data-parallel
      devices; ``seq`` tokens per sequence; ``prompt_tokens``/``new_tokens`` for
      generation; ``image_size`` in pixels for vision models.
    * ``zero_stage`` (0-3; 3 = FSDP full sharding) applies to data parallelism;
      ``offload_optimizer`` keeps optimizer state and master weights in CPU memory.
    * ``load_only`` estimates only loading the model; ``random_init`` builds it from
      the config with random weights instead of loading a checkpoint.
    """

    mode: Mode = "inference"
    precision: Precision | None = None
    optimizer: Optimizer | None = None
    batch: int = 1
    seq: int | None = None
    prompt_tokens: int | None = None
    new_tokens: int | None = None
    image_size: int | None = None
    grad_checkpointing: bool = False
    lora_rank: int | None = None
    lora_targets: tuple[str, ...] | None = None
    zero_stage: int = 0
    parallelism: Parallelism = "data"
    devices: int = 1
    offload_optimizer: bool = False
    load_only: bool = False
    random_init: bool = False
    engine: Engine = "pytorch"
    kv_cache_dtype: KvCacheDtype = "auto"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"Mode must be one of {', '.join(MODES)}; got {quote_prefix(self.mode)}.")
        precision = self.precision if self.precision is not None else ("amp" if self.mode == "train" else "bf16")
        if precision not in PRECISIONS:
            raise ValueError(f"Precision must be one of {', '.join(PRECISIONS)}; got {quote_prefix(precision)}.")
        if self.mode == "train" and precision in ("int8", "int4"):
            raise ValueError(f"{precision} weights cannot be trained directly; use mode 'lora' (QLoRA) instead.")
        if self.optimizer is not None and self.optimizer not in OPTIMIZERS:
            raise ValueError(f"Optimizer must be one of {', '.join(OPTIMIZERS)}; got {quote_prefix(self.optimizer)}.")
        if self.mode == "inference" and self.optimizer is not None:
            raise ValueError("An optimizer only applies to training; drop it or choose mode 'train' or 'lora'.")
        if self.engine not in ENGINES:
            raise ValueError(f"Stack must be one of {', '.join(ENGINES)}; got {quote_prefix(self.engine)}.")
        if self.kv_cache_dtype not in KV_CACHE_DTYPES:
            raise ValueError(
                f"KV-cache dtype must be one of {', '.join(KV_CACHE_DTYPES)}; got {quote_prefix(self.kv_cache_dtype)}."
            )
        validate_engine(self.engine, self.kv_cache_dtype, self.mode, precision, None)
        # QLoRA's recipe pages its optimizer state in 8 bits (arXiv:2305.14314, "paged optimizers").
        default_optimizer: Optimizer = "adamw-8bit" if self.mode == "lora" and precision == "int4" else "adamw"
        optimizer = self.optimizer or (None if self.mode == "inference" else default_optimizer)
        # The limits a saved plan shares with the estimator are checked by core.resources.limits (one definition).
        set_ = object.__setattr__
        set_(self, "batch", limits.batch_size(self.batch, "Batch size"))
        for name, label in (
            ("seq", "Sequence length"),
            ("prompt_tokens", "Prompt tokens"),
            ("new_tokens", "New tokens"),
        ):
            if getattr(self, name) is not None:
                set_(self, name, limits.token_count(getattr(self, name), label))
        if self.image_size is not None:
            set_(self, "image_size", limits.image_size(self.image_size, "Image size"))
        set_(self, "devices", limits.device_count(self.devices, "Devices"))
        for name in ("grad_checkpointing", "offload_optimizer", "load_only", "random_init"):
            limits.flag(getattr(self, name), name)
        if isinstance(self.zero_stage, bool) or self.zero_stage not in (0, 1, 2, 3):
            raise ValueError(f"ZeRO stage must be 0, 1, 2 or 3; got {quote_prefix(self.zero_stage)}.")
        if self.parallelism not in PARALLELISMS:
            raise ValueError(
                f"Parallelism must be one of {', '.join(PARALLELISMS)}; got {quote_prefix(self.parallelism)}."
            )
        if self.new_tokens is not None and self.mode != "inference":
            raise ValueError("New tokens describe generation; use mode 'inference' or drop --new-tokens.")
        if self.prompt_tokens is not None and self.new_tokens is None:
            raise ValueError("Prompt tokens only apply to generation; give new tokens too, or use seq.")
        if self.prompt_tokens is not None and self.seq is not None:
            raise ValueError("Give either seq (one forward pass) or prompt tokens (generation), not both.")
        if self.mode == "inference" and self.grad_checkpointing:
            raise ValueError("Gradient checkpointing only applies to training; drop it for inference.")
        if self.mode == "inference" and (self.zero_stage or self.offload_optimizer):
            raise ValueError("ZeRO stages and optimizer offload only apply to training.")
        if self.zero_stage and self.parallelism != "data":
            raise ValueError("ZeRO shards over data-parallel devices; use parallelism 'data' with a ZeRO stage.")
        if self.load_only and (self.mode != "inference" or self.new_tokens or self.seq or self.batch != 1):
            raise ValueError("load_only estimates loading the weights alone; use mode 'inference' without a batch.")
        if self.mode != "lora" and (self.lora_rank is not None or self.lora_targets is not None):
            raise ValueError("LoRA rank and targets only apply to mode 'lora'; choose it or drop them.")
        lora_rank = self.lora_rank
        targets = self.lora_targets
        if self.mode == "lora":
            lora_rank = DEFAULT_LORA_RANK if lora_rank is None else lora_rank
            lora_rank = limits.lora_rank(lora_rank, "LoRA rank")
            targets = DEFAULT_LORA_TARGETS if targets is None else tuple(targets)
            bad = [t for t in targets if t not in LORA_TARGETS]
            if bad or not targets:
                got = ", ".join(bad) or "none"
                raise ValueError(f"LoRA targets must be among {', '.join(LORA_TARGETS)}; got {got}.")
            if len(set(targets)) != len(targets):
                raise ValueError("LoRA targets must not repeat.")
        object.__setattr__(self, "precision", precision)
        object.__setattr__(self, "optimizer", optimizer)
        object.__setattr__(self, "lora_rank", lora_rank)
        object.__setattr__(self, "lora_targets", targets)

    @property
    def is_generation(self) -> bool:
        return self.mode == "inference" and self.new_tokens is not None

    @property
    def trains(self) -> bool:
        return self.mode in ("train", "lora")

    @property
    def is_qlora(self) -> bool:
        """LoRA on 4-bit base weights: QLoRA's recipe (NF4 base, bf16 adapters, paged 8-bit AdamW)."""
        return self.mode == "lora" and self.precision == "int4"

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class Layout:
    """How devices share the work: tensor x pipeline x data parallel, with a ZeRO stage on the data axis."""

    tensor: int = 1
    pipeline: int = 1
    data: int = 1
    zero_stage: int = 0
    offload_optimizer: bool = False

    def __post_init__(self) -> None:
        for label, value in (
            ("Tensor-parallel degree", self.tensor),
            ("Pipeline-parallel degree", self.pipeline),
            ("Data-parallel degree", self.data),
        ):
            _whole(label, value, 1, MAX_DEVICES)
        if self.zero_stage not in (0, 1, 2, 3):
            raise ValueError(f"ZeRO stage must be 0, 1, 2 or 3; got {quote_prefix(self.zero_stage)}.")

    @property
    def devices(self) -> int:
        return self.tensor * self.pipeline * self.data

    @property
    def name(self) -> str:
        parts = []
        if self.tensor > 1:
            parts.append(f"tensor parallel {self.tensor}")
        if self.pipeline > 1:
            parts.append(f"pipeline parallel {self.pipeline}")
        if self.data > 1:
            parts.append(
                {
                    0: f"data parallel {self.data} (DDP)",
                    1: f"ZeRO-1 data parallel {self.data}",
                    2: f"ZeRO-2 data parallel {self.data}",
                    3: f"ZeRO-3 / FSDP data parallel {self.data}",
                }[self.zero_stage]
            )
        text = " x ".join(parts) if parts else "single device"
        return text + (" + optimizer offload to CPU" if self.offload_optimizer else "")

    def __str__(self) -> str:
        return self.name

    def to_dict(self) -> dict[str, Any]:
        return {
            "tensor": self.tensor,
            "pipeline": self.pipeline,
            "data": self.data,
            "zero_stage": self.zero_stage,
            "offload_optimizer": self.offload_optimizer,
            "devices": self.devices,
            "name": self.name,
        }


def layout_for(workload: Workload) -> Layout:
    """The one-dimensional layout a workload names (its devices along its parallelism)."""
    n = workload.devices
    if workload.parallelism == "tensor":
        return Layout(tensor=n, offload_optimizer=workload.offload_optimizer)
    if workload.parallelism == "pipeline":
        return Layout(pipeline=n, offload_optimizer=workload.offload_optimizer)
    return Layout(data=n, zero_stage=workload.zero_stage if n > 1 else 0, offload_optimizer=workload.offload_optimizer)


@dataclass(frozen=True)
class MemoryEstimate:
    """Memory per device at the peak. ``breakdown`` sums exactly to ``peak_bytes``.

    ``peak_bytes`` is comparable with ``torch.cuda.max_memory_allocated``;
    ``device_bytes`` adds the caching allocator's slack and the CUDA context.
    """

    peak_bytes: int
    breakdown: dict[str, int]
    allocator_slack_bytes: int
    cuda_context_bytes: int
    device_bytes: int
    peak_phase: str
    layout: str
    devices: int
    assumptions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "peak_bytes": self.peak_bytes,
            "breakdown": dict(self.breakdown),
            "allocator_slack_bytes": self.allocator_slack_bytes,
            "cuda_context_bytes": self.cuda_context_bytes,
            "device_bytes": self.device_bytes,
            "peak_phase": self.peak_phase,
            "layout": self.layout,
            "devices": self.devices,
            "assumptions": list(self.assumptions),
        }


# --- the per-workload profile: every coefficient the phases need, computed once --------------


@dataclass(frozen=True)
class ActivationDtypes:
    """Bytes per activation value: what the matmuls produce and what the residual stream carries."""

    compute_bytes: float  # 4 in fp32, else 2 (bf16 / fp16, also under autocast)
    residual_bytes: float  # 4 in fp32 and under autocast (the residual stream stays fp32), else 2
    autocast: bool  # amp: fp32 parameters with bf16 autocast


@dataclass(frozen=True)
class MatmulParams:
    """Parameter counts of the matmul weights: what autocast copies and int8 / int4 quantise."""

    total: float  # the blocks' linear layers, the output head, and a tied input embedding
    output_head: float  # the output projection (the tied embedding for a decoder; 0 for an encoder)
    blocks: float  # the blocks' linear layers (every parameter of a model without a transformer config)
    hidden: int  # the hidden width; 0 for a model without a transformer config


@dataclass(frozen=True)
class ModelStateBytes:
    """Bytes the whole model keeps through a step, before it is split over devices."""

    weights: float
    quantisation_scales: float
    gradients: float
    optimizer_state: float
    master_weights: float
    autocast_copies: float  # autocast / fp8 weight copies saved for backward
    head_autocast_copies: float  # the part of autocast_copies belonging to the output projection
    head_gradient: float  # the output head's weight gradient (+ its bf16 form under autocast)
    adapters: float
    adapter_gradients: float
    adapter_optimizer_state: float
    weight_bytes_per_param: float  # bytes of one stored weight (ZeRO-3 gathers a block of them)
    grad_bytes_per_param: float  # bytes of one weight gradient; 0 when the weights are frozen
    assumptions: tuple[str, ...]


@dataclass(frozen=True)
class ActivationBytesPerSample:
    """Activation bytes per sample (a sequence or an image) the phases add up; 0 where a term does not apply."""

    saved_by_layers: float = 0.0  # all layers, as saved for backward (checkpointed: layer inputs only)
    one_layer_recompute: float = 0.0  # one layer's full saved activations, re-created by the recompute
    saved_by_head: float = 0.0  # final norm / head saved for backward + rotary tables
    forward_extra: float = 0.0  # forward-only transients at the loss (final norm output)
    logits_forward: float = 0.0  # the logits and the loss's forward buffers
    logits_backward: float = 0.0  # the loss's backward: 3 fp32 copies of the logits
    inference_live: float = 0.0  # inference: the busiest layer's live tensors + rotary tables
    inference_logits: float = 0.0  # inference: the logits of every position
    kv_cache_prefill: float = 0.0  # generation: the KV cache of the prompt (+ cross-attention keys)
    kv_cache_final: float = 0.0  # generation: the KV cache at the end of decoding
    kv_layer_copy: float = 0.0  # generation: torch.cat's copy of one layer's keys
    last_logits: float = 0.0  # generation: the last position's logits
    inputs: float = 0.0  # vision: the input images
    assumptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class MemoryProfile:
    """Everything the phases of a workload need, computed once: independent of the layout and device."""

    vision: bool
    mode: Mode
    generation: bool
    load_only: bool
    random_init: bool
    checkpointing: bool
    layers: int
    block_params: int  # parameters of one block (every parameter for a model without blocks)
    state: ModelStateBytes
    init_transient_bytes: float  # the untied output projection while a tied model is built
    cublas_workspace_bytes: float
    activations: ActivationBytesPerSample
    assumptions: tuple[str, ...]


def _whole(label: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{label} must be a whole number; got {value}.")
        raise ValueError(f"{label} must be a whole number of at least {low}; got {quote_prefix(value)}.")
    if value < low:
        raise ValueError(f"{label} must be a whole number of at least {low}; got {value}.")
    if value > high:
        raise ValueError(f"{label} must be at most {high:,}; got {value:,}.")
    return value


def _activation_dtypes(precision: Precision) -> ActivationDtypes:
    """The activations' bytes per value in a precision."""
    if precision == "fp32":
        return ActivationDtypes(compute_bytes=4.0, residual_bytes=4.0, autocast=False)
    if precision == "amp":
        return ActivationDtypes(compute_bytes=2.0, residual_bytes=4.0, autocast=True)
    return ActivationDtypes(compute_bytes=2.0, residual_bytes=2.0, autocast=False)


def _matmul_params(arch: Architecture) -> MatmulParams:
    """The matmul weights of a model; a model without a transformer config counts as all blocks."""
    params = float(arch.published_or_counted_params)
    if not arch.has_transformer_config:
        return MatmulParams(total=params, output_head=0.0, blocks=params, hidden=0)
    counts = param_breakdown(arch)
    return MatmulParams(
        total=float(counts.block_matmul + counts.lm_head + (counts.embedding if arch.tied_embeddings else 0)),
        output_head=float(counts.lm_head or (counts.embedding if arch.family != "encoder" else 0)),
        blocks=float(counts.block_matmul),
        hidden=arch.hidden or 1,
    )


def _optimizer_bytes_per_param(optimizer: Optimizer | None, state_bytes: float, hidden: int | None) -> float:
    if optimizer is None or optimizer == "sgd":
        return 0.0
    if optimizer == "adamw":
        return 2 * state_bytes
    if optimizer == "adamw-8bit":
        return ADAM_8BIT_BYTES
    if optimizer == "sgd-momentum":
        return state_bytes
    # Adafactor keeps factored second moments: a row and a column vector per matrix, in fp32
    # (Shazeer & Stern 2018), i.e. about 2 / hidden of the parameter count; 1 % for CNNs.
    return 4.0 * (2.0 / hidden if hidden else 0.01)


def validate_for(arch: Architecture, workload: Workload) -> None:
    """Raise ValueError when a workload does not make sense for this architecture."""
    generative = arch.is_transformer and arch.family in ("decoder", "encoder-decoder")
    validate_engine(workload.engine, workload.kv_cache_dtype, workload.mode, workload.precision or "bf16", generative)
    if arch.is_transformer:
        if workload.image_size is not None:
            raise ValueError(f"{arch.key} is a {arch.family} transformer; image size applies to vision models only.")
        if not arch.has_transformer_config:
            raise ValueError(f"{arch.key} lacks layers/hidden/heads/MLP/vocab; give them or its parameter count.")
        tokens = (
            (workload.prompt_tokens or 0) + (workload.new_tokens or 0)
            if workload.is_generation
            else (workload.seq or min(DEFAULT_SEQ, arch.max_context or DEFAULT_SEQ))
        )
        if arch.max_context and tokens > arch.max_context:
            what = "prompt + new tokens" if workload.is_generation else "sequence length"
            raise ValueError(f"The {what} ({tokens:,}) exceeds {arch.key}'s context of {arch.max_context:,} tokens.")
        if workload.is_generation and arch.family == "encoder":
            raise ValueError(f"{arch.key} is an encoder and does not generate text; drop new tokens.")
    else:
        if workload.seq is not None or workload.is_generation:
            raise ValueError(f"{arch.key} is a {arch.family} model; sequence and token counts do not apply.")
        if workload.mode == "lora":
            raise ValueError(f"LoRA adapters need a transformer config; {arch.key} is a {arch.family} model.")
        if not workload.load_only and arch.activation_mb_per_sample is None:
            raise ValueError(f"{arch.key} has no activation_mb_per_sample in the catalogue; add it to estimate.")


# Full training: bytes of one optimizer-state value and of one parameter (and its gradient) per precision.
_TRAINING_STATE_VALUE_BYTES = {"fp32": 4.0, "amp": 4.0, "bf16": 2.0, "fp16": 4.0, "fp8": 4.0}
_TRAINING_PARAM_BYTES = {"fp32": 4.0, "amp": 4.0, "bf16": 2.0, "fp16": 2.0, "fp8": 2.0}


def _trained_model_state(
    arch: Architecture, workload: Workload, precision: Precision, dtypes: ActivationDtypes, matmuls: MatmulParams
) -> ModelStateBytes:
    """Full training: every weight has a gradient and optimizer state."""
    params = float(arch.published_or_counted_params)
    state_value_bytes = _TRAINING_STATE_VALUE_BYTES[precision]
    param_bytes = _TRAINING_PARAM_BYTES[precision]
    assumptions: list[str] = []
    master_weights = 0.0
    if precision in ("fp16", "fp8"):
        master_weights = params * 4.0
        assumptions.append(
            f"{precision} training keeps fp32 master weights and fp32 optimizer state "
            "(mixed precision, Micikevicius et al. 2018; ZeRO paper's 16 bytes per parameter)."
        )
    autocast_copies = head_autocast_copies = 0.0
    if dtypes.autocast:
        autocast_copies = matmuls.total * 2.0
        head_autocast_copies = matmuls.output_head * 2.0
    if precision == "fp8":
        autocast_copies = matmuls.total * 1.0
        head_autocast_copies = matmuls.output_head * 1.0
    return ModelStateBytes(
        weights=params * param_bytes,
        quantisation_scales=0.0,
        gradients=params * param_bytes,
        optimizer_state=params * _optimizer_bytes_per_param(workload.optimizer, state_value_bytes, arch.hidden),
        master_weights=master_weights,
        autocast_copies=autocast_copies,
        head_autocast_copies=head_autocast_copies,
        head_gradient=matmuls.output_head * (param_bytes + (2.0 if dtypes.autocast else 0.0)),
        adapters=0.0,
        adapter_gradients=0.0,
        adapter_optimizer_state=0.0,
        weight_bytes_per_param=param_bytes,
        grad_bytes_per_param=param_bytes,
        assumptions=tuple(assumptions),
    )


def _frozen_model_state(
    arch: Architecture, workload: Workload, precision: Precision, dtypes: ActivationDtypes, matmuls: MatmulParams
) -> ModelStateBytes:
    """Inference and LoRA: the base weights get no gradients; LoRA adds adapters that are trained."""
    params = float(arch.published_or_counted_params)
    bytes_per_weight = _WEIGHT_BYTES[precision]
    assumptions: list[str] = []
    gguf = workload.engine == "llama.cpp"
    if gguf:
        # GGUF quantises every tensor (Q4_K_M keeps a few at Q6_K); its bits per weight include the scales.
        bytes_per_weight = GGUF_BITS_PER_WEIGHT[precision] / 8.0
        weights = params * bytes_per_weight
        assumptions.append(
            f"llama.cpp GGUF {precision}: {GGUF_BITS_PER_WEIGHT[precision]:g} bits per weight, scales included."
        )
    elif workload.mode == "lora" and precision in ("int8", "int4") and arch.has_transformer_config:
        # LoRA on a bitsandbytes 4-bit (QLoRA) or 8-bit base through PEFT: prepare_model_for_kbit_training (which
        # TRL's SFTTrainer and the QLoRA paper's qlora.py call on a k-bit model) casts every parameter that is
        # not quantised to fp32 for stable training: embeddings, output head and norms take 4 bytes, not 2.
        weights = matmuls.blocks * bytes_per_weight + (params - matmuls.blocks) * 4.0
        assumptions.append(
            f"LoRA on {precision}: block linear weights quantised; embeddings, output head and norms cast to fp32 "
            "by PEFT's prepare_model_for_kbit_training."
        )
    elif precision in ("fp8", "int8", "int4") and arch.has_transformer_config:
        # Only the blocks' linear layers are quantised; embeddings, output head and norms stay bf16.
        weights = matmuls.blocks * bytes_per_weight + (params - matmuls.blocks) * 2.0
        assumptions.append(f"{precision}: block linear weights quantised, embeddings/output head/norms in bf16.")
    else:
        weights = params * bytes_per_weight
    quantisation_scales = 0.0
    if gguf:
        pass
    elif workload.is_qlora:
        quantisation_scales = matmuls.blocks * NF4_SCALE_BITS / 8.0
    elif precision == "int4":
        quantisation_scales = matmuls.blocks * 4.0 / INT4_GROUP
    elif precision == "int8":
        quantisation_scales = matmuls.blocks * 4.0 / max(matmuls.hidden, 512)
    autocast_copies = head_autocast_copies = 0.0
    if dtypes.autocast and not workload.load_only:
        autocast_copies = matmuls.total * 2.0
        head_autocast_copies = matmuls.output_head * 2.0
    adapters = adapter_gradients = adapter_optimizer_state = 0.0
    if workload.mode == "lora":
        rank = workload.lora_rank or DEFAULT_LORA_RANK
        adapter_params = _lora_params(arch, rank, workload.lora_targets or DEFAULT_LORA_TARGETS)
        # PEFT keeps adapters in fp32 by default (autocast_adapter_dtype=True); QLoRA's recipe trains them
        # in bf16 (arXiv:2305.14314: "BFloat16 computation data type" for the adapters).
        adapter_bytes = 2.0 if workload.is_qlora else 4.0
        adapters = adapter_params * adapter_bytes
        adapter_gradients = adapter_params * adapter_bytes
        adapter_optimizer_state = adapter_params * _optimizer_bytes_per_param(workload.optimizer, 4.0, arch.hidden)
        if workload.is_qlora:
            assumptions.append(
                f"QLoRA r={rank} on {','.join(workload.lora_targets or ())}: NF4 base weights (4.127 bits with "
                f"double-quantised constants), bf16 adapters and gradients, {workload.optimizer} optimizer state "
                "(the paper's paged 8-bit AdamW by default)."
            )
        else:
            assumptions.append(
                f"LoRA r={rank} on {','.join(workload.lora_targets or ())}: adapters, their "
                "gradients and optimizer state in fp32 (PEFT default); base weights frozen."
            )
    return ModelStateBytes(
        weights=weights,
        quantisation_scales=quantisation_scales,
        gradients=0.0,
        optimizer_state=0.0,
        master_weights=0.0,
        autocast_copies=autocast_copies,
        head_autocast_copies=head_autocast_copies,
        head_gradient=0.0,
        adapters=adapters,
        adapter_gradients=adapter_gradients,
        adapter_optimizer_state=adapter_optimizer_state,
        weight_bytes_per_param=bytes_per_weight,
        grad_bytes_per_param=0.0,
        assumptions=tuple(assumptions),
    )


def memory_profile(arch: Architecture, workload: Workload) -> MemoryProfile:
    """The per-workload coefficients, computed once and evaluated per layout by ``memory_phases``."""
    validate_for(arch, workload)
    precision: Precision = workload.precision or "bf16"
    dtypes = _activation_dtypes(precision)
    matmuls = _matmul_params(arch)
    if workload.mode == "train":
        state = _trained_model_state(arch, workload, precision, dtypes, matmuls)
    else:
        state = _frozen_model_state(arch, workload, precision, dtypes, matmuls)
    init_transient = 0.0
    init_assumptions: tuple[str, ...] = ()
    if workload.random_init and arch.has_transformer_config and arch.tied_embeddings:
        init_transient = float((arch.vocab or 0) * (arch.hidden or 0)) * state.weight_bytes_per_param
        init_assumptions = (
            "Random initialisation builds the output projection untied before tying it to the "
            "input embedding: one extra vocab x hidden matrix at build time.",
        )
    if workload.load_only:
        activations = ActivationBytesPerSample()
    elif arch.is_transformer:
        activations = _transformer_activations(arch, workload, dtypes)
    else:
        activations = _vision_activations(arch, workload, dtypes)
    return MemoryProfile(
        vision=not arch.is_transformer,
        mode=workload.mode,
        generation=workload.is_generation,
        load_only=workload.load_only,
        random_init=workload.random_init,
        checkpointing=workload.grad_checkpointing,
        layers=max(1, arch.total_layers),
        block_params=block_params(arch) if arch.has_transformer_config else int(matmuls.blocks),
        state=state,
        init_transient_bytes=init_transient,
        cublas_workspace_bytes=float(CUBLAS_WORKSPACE_BYTES * (2 if workload.trains else 1)),
        activations=activations,
        assumptions=state.assumptions + init_assumptions + activations.assumptions,
    )


def _lora_params(arch: Architecture, rank: int, targets: tuple[str, ...]) -> float:
    """rank x (in + out) per adapted linear layer, over every block."""
    h, d, kv, inner = arch.hidden or 0, arch.attention_width, arch.kv_width, arch.mlp_size or 0
    dims = {
        "q": (h, d),
        "k": (h, kv),
        "v": (h, kv),
        "o": (d, h),
        "gate": (h, inner),
        "up": (h, inner),
        "down": (inner, h),
    }
    per_layer = sum(rank * (dims[t][0] + dims[t][1]) for t in targets)
    return float(per_layer * max(1, arch.total_layers))


def _norm_saved(norm: str, n_consumers: int, h: int, cb: float, amp: bool, trainable: bool) -> float:
    """Bytes per token a norm (and the casts of its output under autocast) keeps for backward."""
    if not trainable:
        # Frozen norm weight: only the input (RMSNorm's fp32 view of it) is needed for the input's gradient.
        return 4.0 * h if norm == "rms" else (4.0 if amp or cb == 4 else 2.0) * h
    if norm == "rms":
        if amp:  # fp32 residual (= its fp32 view), normalised fp32, one bf16 cast per consuming linear
            return 4.0 * h + 4.0 * h + n_consumers * 2.0 * h
        if cb == 4:
            return 12.0 * h  # input, normalised, output
        return 4.0 * h + 2.0 * h + 2.0 * h  # fp32 copy of the input, normalised bf16, output bf16
    if amp:  # layer_norm runs in fp32 under autocast: fp32 input; its fp32 output is cast per consumer
        return 4.0 * h + n_consumers * 2.0 * h
    return 2.0 * cb * h  # input and output


def _transformer_activations(
    arch: Architecture, workload: Workload, dtypes: ActivationDtypes
) -> ActivationBytesPerSample:
    """A transformer's activations per sequence: saved for backward when training, live when serving."""
    cb, rb, amp = dtypes.compute_bytes, dtypes.residual_bytes, dtypes.autocast
    assumptions: list[str] = []
    h = arch.hidden or 1
    d, kv = arch.attention_width, arch.kv_width
    inner = arch.mlp_size or 0
    heads = arch.heads or 1
    vocab = arch.vocab or 0
    experts = arch.experts or 1
    routed = min(arch.active_experts or experts, experts)
    mlp_kind = arch.mlp_kind_or_default
    norm = arch.norm_kind
    layers_enc = arch.layers or 0
    layers_dec = arch.decoder_layers or 0
    rotary = norm == "rms" and arch.family == "decoder"
    rotary_per_token = 2.0 * arch.head_dim_or_default * (4.0 if amp or cb == 4 else 2.0) if rotary else 0.0
    fused_qkv = arch.family == "decoder" and mlp_kind == "gelu"
    qkv_consumers = 1 if fused_qkv else 3
    mlp_consumers = 2 if mlp_kind == "swiglu" else 1
    mlp_mats = {"swiglu": 4.0, "gelu": 2.0, "relu": 2.0}[mlp_kind]
    latent = LATENT_ATTENTION.get(arch.key)
    kv_bytes = 3.0 if amp else (4.0 if cb == 4 else 2.0)  # amp caches fp32 keys (rotary in fp32) and bf16 values
    if workload.is_generation and not amp:
        kv_bytes = kv_value_bytes(workload.engine, workload.precision or "bf16", workload.kv_cache_dtype)
    kv_per_token_layer = 2.0 * kv * kv_bytes
    decoder_layers = layers_dec if arch.family == "encoder-decoder" else layers_enc
    if workload.trains:
        seq = workload.seq or min(DEFAULT_SEQ, arch.max_context or DEFAULT_SEQ)
        trainable = workload.mode == "train"
        targets = set(workload.lora_targets or ()) if not trainable else set()
        attention = (2.0 * d + 2.0 * kv) * cb + heads * 4.0  # q, k, v, output + fp32 log-sum-exp (SDPA)
        if trainable:
            mlp = mlp_mats * inner * cb * routed
        else:
            # Frozen MLP: gate, SiLU output and up stay for the chain rule; down's input does not.
            mlp = (3.0 if mlp_kind == "swiglu" else 1.0) * inner * cb * routed
        lora_cast = 2.0 if amp or workload.is_qlora else 4.0
        adapted_inputs = {"q": h, "k": h, "v": h, "o": d, "gate": h, "up": h, "down": inner}
        adapters = sum(lora_cast * adapted_inputs[t] + 4.0 * (workload.lora_rank or 0) for t in targets)
        layer = (
            _norm_saved(norm, qkv_consumers, h, cb, amp, trainable)
            + attention
            + _norm_saved(norm, mlp_consumers, h, cb, amp, trainable)
            + mlp
            + adapters
        )
        cross = _norm_saved(norm, 1, h, cb, amp, trainable) + attention
        full_layers = layers_enc * layer + (layers_dec * (layer + cross) if arch.family == "encoder-decoder" else 0)
        if workload.grad_checkpointing:
            saved_by_layers = seq * rb * h * (layers_enc + layers_dec)
            assumptions.append(
                "Gradient checkpointing on every block keeps only each block's input; one block is "
                "recomputed at a time in the backward pass."
            )
        else:
            saved_by_layers = seq * full_layers
        one_layer_recompute = seq * (layer + (cross if layers_dec else 0.0))
        head = _norm_saved(norm, 1, h, cb, amp, trainable)
        if arch.family == "encoder":
            head += 3.0 * h * cb  # masked-LM head transform: dense, GELU, LayerNorm
        saved_by_head = seq * (head + rotary_per_token)
        forward_extra = seq * (4.0 if amp else cb) * h
        # Logits in the compute dtype; transformers upcasts them to fp32 for the loss. Backward holds the
        # fp32 log-softmax output, its gradient and the logits' gradient at once.
        logits_forward = seq * vocab * (cb + (4.0 if cb < 4 else 0.0) + 4.0)
        logits_backward = seq * vocab * 12.0
        objective = {"decoder": "causal-LM", "encoder": "masked-LM", "encoder-decoder": "seq2seq"}[arch.family]
        if arch.family == "encoder-decoder":
            assumptions.append(
                "Encoder and decoder both take seq tokens (Whisper's encoder really sees 1,500 audio frames)."
            )
        assumptions.append(
            f"{objective} loss over all {seq:,} positions per sequence; logits upcast to fp32 "
            "(transformers' loss); peak at the loss's backward with 3 fp32 copies of the logits."
        )
        assumptions.append(
            "Attention through SDPA (flash / memory-efficient): no sequence x sequence matrix, one "
            "fp32 log-sum-exp per head and token."
        )
        if amp:
            assumptions.append(
                "amp: fp32 parameters, bf16 autocast; autograd keeps the bf16 copy of every "
                "matmul weight and each consuming linear's own bf16 copy of its input."
            )
        return ActivationBytesPerSample(
            saved_by_layers=saved_by_layers,
            one_layer_recompute=one_layer_recompute,
            saved_by_head=saved_by_head,
            forward_extra=forward_extra,
            logits_forward=logits_forward,
            logits_backward=logits_backward,
            assumptions=tuple(assumptions),
        )
    # inference
    if workload.is_generation:
        prompt = workload.prompt_tokens or 1
        new = workload.new_tokens or 1
        enc_tokens = prompt
        tokens = prompt
    else:
        tokens = workload.seq or min(DEFAULT_SEQ, arch.max_context or DEFAULT_SEQ)
        enc_tokens = tokens
    expert_share = routed / experts if experts > 1 else 1.0  # experts run one after another in eager HF
    mlp_live = {"swiglu": 3.0, "gelu": 2.0, "relu": 2.0}[mlp_kind] * inner * cb * expert_share
    norm_out = (4.0 if amp else cb) * h
    base = 3.0 * rb * h + norm_out  # embeddings kept by the caller, block input, residual, normed
    attention_live = 2.0 * rb * h + norm_out + (5.0 * d + 3.0 * kv) * cb
    per_token = max(base + mlp_live, attention_live) + rotary_per_token
    inference_live = tokens * per_token
    if workload.is_generation:
        if arch.family == "encoder-decoder":
            cross_kv = 2.0 * kv * kv_bytes * enc_tokens * layers_dec
            kv_cache_prefill = cross_kv + enc_tokens * rb * h
            kv_cache_final = cross_kv + enc_tokens * rb * h + (new + 1) * kv_per_token_layer * layers_dec
            kv_layer_copy = 0.0
        else:
            if latent is not None:
                kv_per_token_layer = latent.kv_cache_width * kv_bytes
            kv_cache_prefill = prompt * kv_per_token_layer * decoder_layers
            kv_cache_final = (prompt + new) * kv_per_token_layer * decoder_layers
            kv_layer_copy = (prompt + new) * kv_per_token_layer / 2.0  # torch.cat of one layer's keys
        assumptions.append(
            "Generation: KV cache of prompt + new tokens; prefill runs one block at a time and "
            "computes only the last position's logits."
        )
        return ActivationBytesPerSample(
            inference_live=inference_live,
            kv_cache_prefill=kv_cache_prefill,
            kv_cache_final=kv_cache_final,
            kv_layer_copy=kv_layer_copy,
            last_logits=vocab * (cb + 4.0),
            assumptions=tuple(assumptions),
        )
    inference_logits = 0.0
    if arch.family != "encoder":
        inference_logits = tokens * ((rb + cb) * h + cb * vocab)
        assumptions.append("One forward pass: logits for every position in the compute dtype; no KV cache kept.")
    return ActivationBytesPerSample(
        inference_live=inference_live, inference_logits=inference_logits, assumptions=tuple(assumptions)
    )


def _vision_activations(arch: Architecture, workload: Workload, dtypes: ActivationDtypes) -> ActivationBytesPerSample:
    """A vision model's activations per image: the catalogue's saved activations scaled by pixel count."""
    cb = dtypes.compute_bytes
    base_px = arch.image_size or 224
    px = workload.image_size or base_px
    scale = (px / base_px) ** 2
    saved_fp32 = (arch.activation_mb_per_sample or 0.0) * 1e6 * scale
    ratio = cb / 4.0
    if workload.trains:
        return ActivationBytesPerSample(
            saved_by_layers=saved_fp32 * ratio,
            inputs=3.0 * px * px * 4.0 + (3.0 * px * px * 2.0 if cb < 4 else 0.0),
            assumptions=(
                f"Activations: the catalogue's {arch.activation_mb_per_sample:g} MB per sample (fp32, "
                f"{base_px} px) scaled by pixel count{', halved for 16-bit' if cb < 4 else ''}.",
            ),
        )
    if arch.family == "vit" and arch.hidden and arch.max_context:
        # A vision transformer's inference peak is one block's live tensors, as for a text encoder: the
        # residual stream, the normalised input, q/k/v and the attention output, or the MLP's two
        # intermediates (fc1 output and its GELU), over (patches + class token) x pixel scale tokens. The
        # CNN share of the training activations counts the MLP and attention of every block at once.
        h, inner = float(arch.hidden), float(arch.mlp_size or 4 * arch.hidden)
        tokens = arch.max_context * scale
        live_per_token = max(3.0 * h * cb + 2.0 * inner * cb, (3.0 * h + 4.0 * arch.attention_width) * cb)
        return ActivationBytesPerSample(
            inference_live=tokens * live_per_token,
            inputs=3.0 * px * px * cb,
            assumptions=(
                f"Vision transformer inference: one block's live tensors over {tokens:,.0f} tokens per image "
                "(residual, normalised input, then MLP intermediates or q/k/v and attention output).",
            ),
        )
    return ActivationBytesPerSample(
        inference_live=saved_fp32 * ratio * CNN_INFERENCE_FRACTION,
        inputs=3.0 * px * px * cb,
        assumptions=(
            f"Inference working set: {CNN_INFERENCE_FRACTION:.1%} of the training activations "
            "(derived from ResNet-50's layer shapes and measured on the H200).",
        ),
    )


# --- per-device phases ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceShare:
    """How much of the model and of the batch one device holds under a layout."""

    tensor_parallel: int  # activations are split this many ways (sequence parallel)
    model_shards: float  # tensor x pipeline degree: weights and their state are split this many ways
    samples: int  # this data-parallel rank's share of the global batch, rounded up
    micro_batch: int  # samples in one forward pass: 1 when pipelined, else the rank's share
    layer_samples: float  # samples' worth of layer activations held (1F1B: pipeline micro-batches of 1/pipeline)


@dataclass(frozen=True)
class StateBytesPerDevice:
    """The model state on one device: sharded over tensor x pipeline, ZeRO-partitioned, optimizer offloaded."""

    weights: float
    zero3_gather: float  # ZeRO-3 / FSDP: one block gathered at full size, and the next one prefetched
    quantisation_scales: float
    gradients: float
    gradient_floor: float  # ZeRO-3 / FSDP: one block's complete gradient before its reduce-scatter
    head_gradient: float
    adapter_gradients: float
    optimizer_state: float
    master_weights: float
    autocast_copies: float
    head_autocast_copies: float
    layer_autocast_copies: float  # one block's share of the non-head copies (what a recompute re-creates)
    adapters: float
    adapter_optimizer_state: float
    cublas_workspace: float

    def resident(self) -> dict[str, float]:
        """The terms present in every phase, in breakdown order."""
        return {
            "weights": self.weights + self.zero3_gather,
            "quantisation scales": self.quantisation_scales,
            "optimizer state": self.optimizer_state,
            "master weights": self.master_weights,
            "adapters": self.adapters,
            "adapter optimizer": self.adapter_optimizer_state,
            CUBLAS_TERM: self.cublas_workspace,
        }


@dataclass(frozen=True)
class MemoryPhase:
    """One moment of the step and the bytes per device of each breakdown term alive at it."""

    name: str
    bytes_by_term: dict[str, float]


def _device_share(workload: Workload, layout: Layout) -> DeviceShare:
    samples = -(-workload.batch // layout.data)  # ceil: each data-parallel rank takes its share of the batch
    model_shards = float(layout.tensor * layout.pipeline)
    if layout.pipeline > 1:
        # 1F1B: the first stage keeps `pipeline` micro-batches of its 1/pipeline of the layers.
        in_flight = min(layout.pipeline, samples)
        return DeviceShare(layout.tensor, model_shards, samples, 1, in_flight / layout.pipeline)
    return DeviceShare(layout.tensor, model_shards, samples, samples, float(samples))


def _state_per_device(p: MemoryProfile, layout: Layout) -> StateBytesPerDevice:
    state = p.state
    shards = float(layout.tensor * layout.pipeline)
    data = layout.data
    zero = layout.zero_stage if data > 1 else 0
    weights = state.weights / shards
    scales = state.quantisation_scales / shards
    gradients = state.gradients / shards
    optimizer = state.optimizer_state / shards
    master = state.master_weights / shards
    gather = 0.0
    gradient_floor = 0.0
    if zero >= 1:
        optimizer /= data
        master /= data
    if zero >= 2:
        gradients /= data
    if zero >= 3:
        weights /= data
        scales /= data
        # FSDP / ZeRO-3 gathers one block (and prefetches the next) at full size; its gradient is
        # complete before the reduce-scatter.
        gather = 2.0 * p.block_params * state.weight_bytes_per_param / layout.tensor
        gradient_floor = p.block_params * state.grad_bytes_per_param / layout.tensor
    if layout.offload_optimizer:
        optimizer = 0.0
        master = 0.0
    casts = state.autocast_copies / shards / (data if zero >= 3 else 1)
    if zero >= 3:
        casts += gather / 2.0 * (state.autocast_copies / max(state.weights, 1.0))
    return StateBytesPerDevice(
        weights=weights,
        zero3_gather=gather,
        quantisation_scales=scales,
        gradients=gradients,
        gradient_floor=gradient_floor,
        head_gradient=state.head_gradient / shards,
        adapter_gradients=state.adapter_gradients / shards,
        optimizer_state=optimizer,
        master_weights=master,
        autocast_copies=casts,
        head_autocast_copies=state.head_autocast_copies / shards,
        layer_autocast_copies=(state.autocast_copies - state.head_autocast_copies) / shards / p.layers,
        adapters=state.adapters / shards,
        adapter_optimizer_state=state.adapter_optimizer_state / shards,
        cublas_workspace=p.cublas_workspace_bytes,
    )


def _training_phases(p: MemoryProfile, share: DeviceShare, state: StateBytesPerDevice) -> list[MemoryPhase]:
    """Forward end, loss backward, output head backward, recompute (checkpointing), optimizer step."""
    resident = state.resident()
    acts = p.activations
    tensor = share.tensor_parallel
    micro = share.micro_batch
    saved = (acts.saved_by_layers * share.layer_samples + acts.saved_by_head * micro) / tensor
    phases: list[MemoryPhase] = []
    if p.vision:
        terms = {"autocast weight copies": state.autocast_copies, "activations": saved + acts.inputs * micro}
        phases.append(MemoryPhase("forward and backward", {**resident, **terms}))
    else:
        backward_casts = state.head_autocast_copies if p.checkpointing else state.autocast_copies
        terms = {
            "autocast weight copies": state.autocast_copies,
            "activations": saved + acts.forward_extra * micro / tensor,
            "logits & loss": acts.logits_forward * micro / tensor,
        }
        phases.append(MemoryPhase("forward end", {**resident, **terms}))
        terms = {
            "autocast weight copies": backward_casts,
            "activations": saved,
            "logits & loss": acts.logits_backward * micro / tensor,
            "gradients": state.gradient_floor,
        }
        phases.append(MemoryPhase("loss backward", {**resident, **terms}))
        if p.state.head_gradient:
            # The output head's backward, right after the loss's: its weight gradient appears while
            # every block's activations are still held (the peak for short sequences and big vocabularies).
            terms = {
                "autocast weight copies": backward_casts,
                "activations": saved + acts.forward_extra * micro / tensor,
                "gradients": state.head_gradient + state.gradient_floor,
            }
            phases.append(MemoryPhase("output head backward", {**resident, **terms}))
        if p.checkpointing:
            terms = {
                "autocast weight copies": state.head_autocast_copies + state.layer_autocast_copies,
                "activations": saved + acts.one_layer_recompute * micro / tensor,
                "gradients": state.gradients + state.adapter_gradients,
            }
            phases.append(MemoryPhase("recompute", {**resident, **terms}))
    gradients = state.gradients + state.gradient_floor + state.adapter_gradients
    phases.append(MemoryPhase("optimizer step", {**resident, "gradients": gradients}))
    return phases


def _inference_phases(p: MemoryProfile, share: DeviceShare, state: StateBytesPerDevice) -> list[MemoryPhase]:
    """One forward pass (and its logits), or generation's prefill and end of decoding."""
    resident = {**state.resident(), "autocast weight copies": state.autocast_copies}
    acts = p.activations
    tensor = share.tensor_parallel
    samples = share.samples
    live = acts.inference_live * samples / tensor
    if p.vision:
        return [MemoryPhase("forward", {**resident, "activations": live + acts.inputs * samples})]
    if p.generation:
        logits = acts.last_logits * samples / tensor
        prefill = {
            "activations": live,
            "KV cache": acts.kv_cache_prefill * samples / share.model_shards,
            "logits & loss": logits,
        }
        end_of_decoding = {
            "KV cache": acts.kv_cache_final * samples / share.model_shards,
            "activations": acts.kv_layer_copy * samples / tensor,
            "logits & loss": logits,
        }
        return [
            MemoryPhase("prefill", {**resident, **prefill}),
            MemoryPhase("end of decoding", {**resident, **end_of_decoding}),
        ]
    phases = [MemoryPhase("forward", {**resident, "activations": live})]
    if acts.inference_logits:
        phases.append(MemoryPhase("logits", {**resident, "logits & loss": acts.inference_logits * samples / tensor}))
    return phases


def memory_phases(p: MemoryProfile, workload: Workload, layout: Layout) -> list[MemoryPhase]:
    """The moments of a step whose sum of live tensors may be the peak, per device under ``layout``."""
    share = _device_share(workload, layout)
    state = _state_per_device(p, layout)
    phases: list[MemoryPhase] = []
    if p.random_init and p.init_transient_bytes:
        init = {"init transient": p.init_transient_bytes / share.model_shards}
        phases.append(MemoryPhase("model build", {**state.resident(), **init}))
    if p.load_only:
        phases.append(MemoryPhase("resident weights", state.resident()))
        return phases
    if p.mode in ("train", "lora"):
        return phases + _training_phases(p, share, state)
    return phases + _inference_phases(p, share, state)


def _assemble(p: MemoryProfile, workload: Workload, layout: Layout) -> tuple[str, dict[str, int]]:
    best_name = ""
    best: dict[str, int] = {}
    best_total = -1
    for phase in memory_phases(p, workload, layout):
        breakdown = {term: max(0, round(phase.bytes_by_term.get(term, 0.0))) for term in TERMS}
        total = sum(breakdown.values())
        if total > best_total:
            best_name, best, best_total = phase.name, breakdown, total
    return best_name, best


def device_peak_bytes(p: MemoryProfile, workload: Workload, layout: Layout) -> int:
    """Peak tensor bytes per device (no slack, no context): the fast path for device searches."""
    best = 0.0
    for phase in memory_phases(p, workload, layout):
        total = sum(phase.bytes_by_term.values())
        best = max(best, total)
    return round(best)


def slack_bytes(peak_bytes: int, breakdown: dict[str, int], checkpointing: bool) -> int:
    """Caching-allocator slack: a share of the transient (non-persistent) tensors."""
    transient = peak_bytes - sum(v for k, v in breakdown.items() if k in PERSISTENT_TERMS)
    fraction = SLACK_FRACTION_CHECKPOINTING if checkpointing else SLACK_FRACTION
    return max(0, round(transient * fraction))


def estimate_memory(arch: Architecture, workload: Workload, layout: Layout | None = None) -> MemoryEstimate:
    """Per-device memory at the peak of the workload, with its breakdown and assumptions.

    ``layout`` overrides the one the workload names (``devices`` along ``parallelism``).
    """
    p = memory_profile(arch, workload)
    chosen = layout or layout_for(workload)
    if (chosen.tensor > 1 or chosen.pipeline > 1) and not arch.is_transformer:
        raise ValueError(f"Tensor and pipeline parallelism apply to transformers; use data parallel for {arch.key}.")
    phase, breakdown = _assemble(p, workload, chosen)
    peak = sum(breakdown.values())
    slack = slack_bytes(peak, breakdown, workload.grad_checkpointing)
    assumptions = list(p.assumptions)
    assumptions.append(
        f"cuBLAS workspace {CUBLAS_WORKSPACE_BYTES // 2**20} MiB per handle (Hopper default; "
        f"{'two: forward and autograd threads' if workload.trains else 'one'})."
    )
    if workload.trains:
        assumptions.append(
            "Gradients are freed by zero_grad(set_to_none=True) before the forward pass; no "
            "gradient accumulation across micro-batches."
        )
    if chosen.devices > 1:
        assumptions.append(
            f"Layout {chosen.name}: the global batch of {workload.batch} is split over "
            f"{chosen.data} data-parallel rank(s); tensor parallelism shards weights and "
            "activations (sequence parallel); 1F1B pipelining keeps up to `pipeline` micro-batches."
        )
    fraction = SLACK_FRACTION_CHECKPOINTING if workload.grad_checkpointing else SLACK_FRACTION
    assumptions.append(f"Allocator slack {fraction:.0%} of transient tensors (measured on the H200).")
    assumptions.append(H200_CONTEXT_NOTE)
    return MemoryEstimate(
        peak_bytes=peak,
        breakdown=breakdown,
        allocator_slack_bytes=slack,
        cuda_context_bytes=CUDA_CONTEXT_BYTES,
        device_bytes=peak + slack + CUDA_CONTEXT_BYTES,
        peak_phase=phase,
        layout=chosen.name,
        devices=chosen.devices,
        assumptions=assumptions,
    )
