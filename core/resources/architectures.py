"""Model architectures: the catalogue row, a custom model, and parameter counts from the config.

Parameter counts are derived from the configuration the way Hugging Face
``transformers`` builds the model, so that a config can be checked against the
published count (a test requires agreement within 2 % for every catalogue row):

* embeddings ``vocab x hidden``; an untied output projection adds the same again;
* attention: ``q`` and ``o`` are ``hidden x heads*head_dim``; ``k`` and ``v`` are
  ``hidden x kv_heads*head_dim`` (grouped-query attention);
* MLP: SwiGLU has three matrices (gate, up, down), GELU and ReLU two;
* mixture of experts: every expert's MLP counts toward the total, only the
  ``active_experts`` routed ones toward the active count, plus a router
  ``hidden x experts``;
* norms, biases and positions follow the family, because the catalogue has no
  column for them: SwiGLU models are Llama-like (RMSNorm, no biases, rotary
  positions); GELU models are GPT-2/BERT/Whisper-like (LayerNorm with bias,
  biases on every linear layer, learned positions ``max_context x hidden``;
  encoders add BERT's token-type embeddings and pooler); ReLU encoder-decoders
  are T5-like (weight-only norms, no biases, 32 relative-position buckets per
  head and stack).

CNNs, ViTs, detectors and diffusion models use the catalogue's published
``params``: their layer structure is not in the catalogue.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from core.text import quote_prefix

FAMILIES: tuple[str, ...] = ("decoder", "encoder", "encoder-decoder", "cnn", "vit", "diffusion", "detector")
TRANSFORMER_FAMILIES: tuple[str, ...] = ("decoder", "encoder", "encoder-decoder")
MLP_KINDS: tuple[str, ...] = ("gelu", "swiglu", "relu")

# T5 keeps 32 relative-position buckets per head in the first layer of each stack
# (config.relative_attention_num_buckets, t5-base config.json).
T5_RELATIVE_BUCKETS = 32
# BERT's token-type vocabulary (config.type_vocab_size = 2, bert-base-uncased config.json).
BERT_TOKEN_TYPES = 2

# A custom model known only by its parameter count is shaped like Llama 3:
# hidden = 128 x layers (Llama 3.1 8B: 4096 = 128 x 32; 405B: 16384 = 130 x 126),
# head_dim 128, kv_heads = heads / 4, SwiGLU MLP of 3.5 x hidden, vocabulary 128,256.
CUSTOM_HIDDEN_PER_LAYER = 128
CUSTOM_HEAD_DIM = 128
CUSTOM_MLP_RATIO = 3.5
CUSTOM_VOCAB = 128_256
CUSTOM_MAX_CONTEXT = 131_072
MAX_PARAMS = 1e14

# Whisper's encoder front-end, not in the catalogue's columns: two 3-wide convolutions over
# 80 log-mel bins and 1,500 stored position embeddings (openai/whisper-* config.json:
# num_mel_bins 80 (128 for large-v3), max_source_positions 1500).
WHISPER_MEL_BINS = 80
WHISPER_SOURCE_POSITIONS = 1500


@dataclass(frozen=True)
class LatentAttentionMoe:
    """DeepSeek-V3's multi-head latent attention and shared-expert MoE, which the catalogue's columns cannot hold.

    Source: https://huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/config.json
    (q_lora_rank, kv_lora_rank, qk_nope_head_dim, qk_rope_head_dim, v_head_dim,
    n_shared_experts, first_k_dense_replace, intermediate_size).
    """

    q_lora_rank: int
    kv_lora_rank: int
    qk_nope_head_dim: int
    qk_rope_head_dim: int
    v_head_dim: int
    shared_experts: int
    dense_layers: int
    dense_mlp_size: int

    @property
    def kv_cache_width(self) -> int:
        """Values cached per token per layer: the compressed latent plus the shared rotary key."""
        return self.kv_lora_rank + self.qk_rope_head_dim


LATENT_ATTENTION: dict[str, LatentAttentionMoe] = {
    "deepseek-v3": LatentAttentionMoe(1536, 512, 128, 64, 128, 1, 3, 18432),
}


# Whole-number config fields: each must be a positive integer where given.
COUNT_FIELDS = (
    "params",
    "active_params",
    "layers",
    "decoder_layers",
    "hidden",
    "heads",
    "kv_heads",
    "head_dim",
    "mlp_size",
    "vocab",
    "max_context",
    "experts",
    "active_experts",
    "image_size",
)


def custom_vocab(params: int) -> int:
    """Default vocabulary of a custom transformer: Llama 3's 128,256 tokens from 1 B parameters, Llama 2's 32,000
    from 100 M, and 4,096 below (a small domain vocabulary or a time-series model's value bins), so that the
    embeddings of a small model do not outweigh its layers."""
    if params >= 1_000_000_000:
        return CUSTOM_VOCAB
    return 32_000 if params >= 100_000_000 else 4_096


@dataclass(frozen=True)
class Architecture:
    """One model architecture. Counts are plain integers; ``None`` means unknown.

    ``params`` is the published total parameter count; ``active_params`` the
    count used per token by a mixture of experts. ``activation_mb_per_sample``
    is, for vision models, the fp32 activation memory saved for the backward
    pass per sample at ``image_size`` (MB = 1e6 bytes); ``gflops_per_sample``
    is the forward pass in GFLOP (2 FLOPs per multiply-add). ``activations_in_place``
    says whether a vision model's activation functions overwrite their input
    (torchvision's ``ReLU(inplace=True)``): their extra passes over memory are then
    not in ``activation_mb_per_sample``; ``None`` means not stated (a CNN is then
    taken to be in place, the calibrated ResNet-50 case).
    """

    key: str
    name: str
    family: str
    params: int | None = None
    active_params: int | None = None
    layers: int | None = None
    decoder_layers: int | None = None
    hidden: int | None = None
    heads: int | None = None
    kv_heads: int | None = None
    head_dim: int | None = None
    mlp_size: int | None = None
    mlp_kind: str | None = None
    vocab: int | None = None
    tied_embeddings: bool = False
    max_context: int | None = None
    experts: int | None = None
    active_experts: int | None = None
    image_size: int | None = None
    gflops_per_sample: float | None = None
    activation_mb_per_sample: float | None = None
    activations_in_place: bool | None = None
    task: str | None = None
    modality: str | None = None
    release_year: int | None = None
    source_url: str | None = None
    notes: str | None = None
    custom: bool = False

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("An architecture needs a key, e.g. 'llama-3.1-8b'.")
        if self.family not in FAMILIES:
            raise ValueError(f"Family must be one of {', '.join(FAMILIES)}; got {quote_prefix(self.family)}.")
        if self.mlp_kind is not None and self.mlp_kind not in MLP_KINDS:
            raise ValueError(f"MLP kind must be one of {', '.join(MLP_KINDS)}; got {quote_prefix(self.mlp_kind)}.")
        for name in COUNT_FIELDS:
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise ValueError(
                    f"{name} of {self.key} must be a whole number of at least 1; got {quote_prefix(value)}."
                )
        if self.params is not None and self.params > MAX_PARAMS:
            raise ValueError(f"Parameter count of {self.key} must be at most 1e14; got {self.params}.")
        for name in ("gflops_per_sample", "activation_mb_per_sample"):
            value = getattr(self, name)
            if value is not None and (not math.isfinite(value) or value <= 0):
                raise ValueError(f"{name} of {self.key} must be a finite number above 0; got {quote_prefix(value)}.")
        if self.heads and self.kv_heads and self.heads % self.kv_heads:
            raise ValueError(f"Heads ({self.heads}) of {self.key} must be a multiple of kv_heads ({self.kv_heads}).")
        if self.experts and self.active_experts and self.active_experts > self.experts:
            raise ValueError(f"active_experts of {self.key} cannot exceed experts ({self.experts}).")
        if self.params is None and not self.has_transformer_config:
            raise ValueError(f"{self.key} needs a parameter count or a full transformer config.")

    # --- derived config -------------------------------------------------------------

    @property
    def is_transformer(self) -> bool:
        return self.family in TRANSFORMER_FAMILIES

    @property
    def has_transformer_config(self) -> bool:
        """True when layers, hidden, heads, MLP size and vocabulary are all known."""
        return self.is_transformer and None not in (self.layers, self.hidden, self.heads, self.mlp_size, self.vocab)

    @property
    def head_dim_or_default(self) -> int:
        if self.head_dim:
            return self.head_dim
        if self.hidden and self.heads:
            return self.hidden // self.heads
        raise ValueError(f"{self.key} has no head dimension.")

    @property
    def kv_heads_or_default(self) -> int:
        return self.kv_heads or self.heads or 1

    @property
    def attention_width(self) -> int:
        """heads x head_dim: the width of q and of the attention output."""
        return (self.heads or 1) * self.head_dim_or_default

    @property
    def kv_width(self) -> int:
        """kv_heads x head_dim: the width of k and of v (half the latent cache width under latent attention)."""
        latent = LATENT_ATTENTION.get(self.key)
        if latent is not None:
            return max(1, latent.kv_cache_width // 2)
        return self.kv_heads_or_default * self.head_dim_or_default

    @property
    def mlp_kind_or_default(self) -> str:
        return self.mlp_kind or "gelu"

    @property
    def norm_kind(self) -> str:
        """'rms' for Llama-like (SwiGLU) and T5-like (ReLU enc-dec) models, else 'layer'."""
        if self.mlp_kind_or_default == "swiglu" or (self.family == "encoder-decoder" and self.mlp_kind == "relu"):
            return "rms"
        return "layer"

    @property
    def has_biases(self) -> bool:
        return self.mlp_kind_or_default == "gelu"

    @property
    def learned_positions(self) -> bool:
        return self.mlp_kind_or_default == "gelu" and self.family in TRANSFORMER_FAMILIES

    @property
    def total_layers(self) -> int:
        return (self.layers or 0) + (self.decoder_layers or 0)

    @property
    def published_or_counted_params(self) -> int:
        """The published count when known, else the count from the config."""
        return self.params if self.params is not None else param_count(self)

    # --- construction -----------------------------------------------------------------

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Architecture:
        """Build from a catalogue row; accepts typed values or strings, and None or '' for blanks."""
        key = _text(row.get("key"))
        if not key:
            raise ValueError("An architecture row needs a key.")
        values: dict[str, Any] = {
            "key": key,
            "name": _text(row.get("name")) or key,
            "family": _text(row.get("family")) or "",
        }
        for name in (*COUNT_FIELDS, "release_year"):
            values[name] = _whole(row.get(name), name, key)
        for name in ("gflops_per_sample", "activation_mb_per_sample"):
            values[name] = _real(row.get(name), name, key)
        for name in ("mlp_kind", "task", "modality", "source_url", "notes"):
            values[name] = _text(row.get(name))
        values["tied_embeddings"] = _flag(row.get("tied_embeddings"), "tied_embeddings", key)
        in_place = row.get("activations_in_place")
        values["activations_in_place"] = None if _blank(in_place) else _flag(in_place, "activations_in_place", key)
        return cls(**values)

    @classmethod
    def custom_model(cls, params: int | float, **known: Any) -> Architecture:
        """A model given by its parameter count plus any config fields that are known.

        Missing transformer fields are filled with a Llama-3-like shape whose
        parameter count matches ``params`` (see the module constants); the
        published ``params`` still drives the weights' memory.
        """
        if isinstance(params, bool) or not isinstance(params, (int, float)) or not math.isfinite(params):
            raise ValueError(f"Parameter count must be a finite number; got {quote_prefix(params)}.")
        if params < 1_000 or params > MAX_PARAMS:
            raise ValueError(f"Parameter count must be between 1,000 and 1e14; got {params:g}.")
        allowed = {f.name for f in fields(cls)} - {"params", "custom"}
        unknown = set(known) - allowed
        if unknown:
            raise ValueError(f"Unknown architecture field(s): {', '.join(sorted(unknown))}.")
        n = int(params)
        family = known.get("family") or "decoder"
        base: dict[str, Any] = {
            "key": known.get("key") or "custom",
            "name": known.get("name") or "Custom model",
            "family": family,
            "params": n,
            "custom": True,
        }
        given = {k: v for k, v in known.items() if v is not None and k not in ("key", "name", "family")}
        if family not in TRANSFORMER_FAMILIES:
            return cls(**{**base, **given})
        vocab = given.get("vocab", custom_vocab(n))
        tied = bool(given.get("tied_embeddings", False))
        coeff = 2 + 2 / 4 + 3 * CUSTOM_MLP_RATIO  # q,o + k,v at kv = heads/4 + SwiGLU, in hidden^2 per layer
        layers = given.get("layers")
        hidden = given.get("hidden")
        if layers is None:
            if hidden is None:
                layers = max(1, round((n / (coeff * CUSTOM_HIDDEN_PER_LAYER**2)) ** (1 / 3)))
            else:
                layers = max(1, round(max(n - 2 * vocab * hidden, coeff * hidden * hidden) / (coeff * hidden**2)))
        if hidden is None:
            # Solve coeff x layers x h^2 + (1 or 2) x vocab x h = N for h, then round to whole 128-wide heads.
            embed = (1 if tied else 2) * vocab
            root = (-embed + math.sqrt(embed * embed + 4 * coeff * layers * n)) / (2 * coeff * layers)
            hidden = max(CUSTOM_HEAD_DIM, CUSTOM_HEAD_DIM * round(root / CUSTOM_HEAD_DIM))
        heads = given.get("heads") or max(1, hidden // CUSTOM_HEAD_DIM)
        head_dim = given.get("head_dim") or max(1, hidden // heads)
        kv_heads = given.get("kv_heads")
        if kv_heads is None:
            kv_heads = next(c for c in range(max(1, heads // 4), heads + 1) if heads % c == 0)
        filled = {
            "layers": layers,
            "hidden": hidden,
            "heads": heads,
            "kv_heads": kv_heads,
            "head_dim": head_dim,
            "mlp_size": given.get("mlp_size") or 64 * max(1, round(CUSTOM_MLP_RATIO * hidden / 64)),
            "mlp_kind": given.get("mlp_kind") or "swiglu",
            "vocab": vocab,
            "max_context": given.get("max_context") or CUSTOM_MAX_CONTEXT,
        }
        return cls(**{**base, **given, **filled})

    def with_changes(self, **changes: Any) -> Architecture:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class ParamBreakdown:
    """Parameter counts by role, as built by ``transformers`` (see the module docstring)."""

    embedding: int
    lm_head: int
    positions: int
    block_matmul: int  # all linear-layer weights in the blocks (every expert)
    block_matmul_active: int  # the same with only the routed experts
    block_other: int  # norms, biases, routers, relative-position tables
    head_other: int  # final norms, pooler

    @property
    def total(self) -> int:
        return self.embedding + self.lm_head + self.positions + self.block_matmul + self.block_other + self.head_other

    @property
    def active(self) -> int:
        return self.total - self.block_matmul + self.block_matmul_active

    @property
    def matmul_active(self) -> int:
        """Parameters that take part in a matrix product per token (the lm_head included)."""
        head = self.lm_head if self.lm_head else self.embedding
        return self.block_matmul_active + head


def _attention_params(arch: Architecture) -> int:
    h, d, kv = arch.hidden or 0, arch.attention_width, arch.kv_width
    return 2 * h * d + 2 * h * kv


def _mlp_params(arch: Architecture) -> int:
    h, inner = arch.hidden or 0, arch.mlp_size or 0
    return (3 if arch.mlp_kind_or_default == "swiglu" else 2) * h * inner


def _norm_params(arch: Architecture) -> int:
    h = arch.hidden or 0
    return h if arch.norm_kind == "rms" else 2 * h


def param_breakdown(arch: Architecture) -> ParamBreakdown:
    """Parameter counts by role from a transformer config (raises ValueError without one)."""
    if not arch.has_transformer_config:
        raise ValueError(f"{arch.key} has no full transformer config; use its published parameter count.")
    h = arch.hidden or 0
    inner = arch.mlp_size or 0
    experts = arch.experts or 1
    routed = min(arch.active_experts or experts, experts)
    mlp = _mlp_params(arch)
    attention = _attention_params(arch)
    attn_bias = (2 * arch.attention_width + 2 * arch.kv_width) if arch.has_biases else 0
    mlp_bias = (inner + h) if arch.has_biases else 0
    norm = _norm_params(arch)
    router = h * experts if experts > 1 else 0

    encoder_layers = arch.layers or 0
    decoder_layers = arch.decoder_layers or 0
    latent = LATENT_ATTENTION.get(arch.key)
    if latent is not None:
        return _latent_breakdown(arch, latent)
    if arch.family == "encoder-decoder":
        # Encoder layer: self-attention + MLP + 2 norms; decoder layer adds cross-attention and a third norm.
        enc_matmul = encoder_layers * (attention + mlp * experts)
        dec_matmul = decoder_layers * (2 * attention + mlp * experts)
        matmul = enc_matmul + dec_matmul
        matmul_active = encoder_layers * (attention + mlp * routed) + decoder_layers * (2 * attention + mlp * routed)
        other = encoder_layers * (attn_bias + mlp_bias + 2 * norm + router) + decoder_layers * (
            2 * attn_bias + mlp_bias + 3 * norm + router
        )
        if arch.norm_kind == "rms" and not arch.has_biases:
            other += 2 * T5_RELATIVE_BUCKETS * (arch.heads or 1)
        head_other = 2 * norm
        if arch.modality == "audio":
            head_other += WHISPER_SOURCE_POSITIONS * h + 3 * WHISPER_MEL_BINS * h + h + 3 * h * h + h
    else:
        layers = encoder_layers
        matmul = layers * (attention + mlp * experts)
        matmul_active = layers * (attention + mlp * routed)
        other = layers * (attn_bias + mlp_bias + 2 * norm + router)
        head_other = norm
        if arch.family == "encoder":
            # BERT: embedding LayerNorm and a pooler (dense hidden x hidden with bias); no final norm.
            head_other = norm + h * h + h
    embedding = (arch.vocab or 0) * h
    lm_head = 0 if arch.tied_embeddings or arch.family == "encoder" else embedding
    positions = 0
    if arch.learned_positions:
        positions = (arch.max_context or 0) * h
        if arch.family == "encoder":
            positions += BERT_TOKEN_TYPES * h
    return ParamBreakdown(embedding, lm_head, positions, matmul, matmul_active, other, head_other)


def _latent_breakdown(arch: Architecture, latent: LatentAttentionMoe) -> ParamBreakdown:
    h, heads = arch.hidden or 0, arch.heads or 1
    qk_head = latent.qk_nope_head_dim + latent.qk_rope_head_dim
    attention = (
        h * latent.q_lora_rank
        + latent.q_lora_rank * heads * qk_head
        + h * (latent.kv_lora_rank + latent.qk_rope_head_dim)
        + latent.kv_lora_rank * heads * (latent.qk_nope_head_dim + latent.v_head_dim)
        + heads * latent.v_head_dim * h
    )
    attention_norms = latent.q_lora_rank + latent.kv_lora_rank
    experts = arch.experts or 1
    routed = arch.active_experts or experts
    expert = 3 * h * (arch.mlp_size or 0)
    dense_layers = latent.dense_layers
    moe_layers = (arch.layers or 0) - dense_layers
    dense_mlp = 3 * h * latent.dense_mlp_size
    matmul = (
        (arch.layers or 0) * attention
        + dense_layers * dense_mlp
        + moe_layers * ((experts + latent.shared_experts) * expert)
    )
    matmul_active = (
        (arch.layers or 0) * attention
        + dense_layers * dense_mlp
        + moe_layers * ((routed + latent.shared_experts) * expert)
    )
    other = (arch.layers or 0) * (attention_norms + 2 * h) + moe_layers * (h * experts + experts)
    embedding = (arch.vocab or 0) * h
    lm_head = 0 if arch.tied_embeddings else embedding
    return ParamBreakdown(embedding, lm_head, 0, matmul, matmul_active, other, h)


def param_count(arch: Architecture) -> int:
    """Total parameters: from the config for transformers, the published count otherwise."""
    if arch.has_transformer_config:
        return param_breakdown(arch).total
    if arch.params is None:
        raise ValueError(f"{arch.key} has neither a parameter count nor a transformer config.")
    return arch.params


def active_param_count(arch: Architecture) -> int:
    """Parameters used per token (the routed experts only for a mixture of experts)."""
    if arch.active_params is not None:
        return arch.active_params
    if arch.has_transformer_config and (arch.experts or 1) > 1:
        return param_breakdown(arch).active
    return arch.published_or_counted_params


def block_params(arch: Architecture) -> int:
    """Parameters of one transformer block (the unit FSDP / ZeRO-3 gathers at a time)."""
    if not arch.has_transformer_config:
        return arch.published_or_counted_params
    b = param_breakdown(arch)
    return (b.block_matmul + b.block_other) // max(1, arch.total_layers)


def largest_module_params(arch: Architecture) -> int:
    """Parameters of the largest single module (DeepSpeed's ``largest_layer_params``).

    For transformers the larger of the embedding table and one MLP matrix of all
    experts of a layer; vision rows carry no layer list, so their published count
    divided by 10 stands in (under 0.1 % of any ZeRO estimate for the catalogue's
    CNNs, whose largest layers hold 2-10 % of the weights).
    """
    if not arch.has_transformer_config:
        return max(1, arch.published_or_counted_params // 10)
    h, inner = arch.hidden or 0, arch.mlp_size or 0
    return max((arch.vocab or 0) * h, h * inner, h * arch.attention_width)


def load_architectures(rows: list[dict[str, Any]] | None = None) -> dict[str, Architecture]:
    """The architecture catalogue keyed by ``key`` (read through core.store when rows are not given)."""
    if rows is None:
        from core.store import read_catalogue

        rows = read_catalogue("architectures")
    return {arch.key: arch for arch in (Architecture.from_row(row) for row in rows)}


# --- tolerant cell converters (DuckDB may type a column, or leave it text) -------------------


def _blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, float) and math.isnan(value))
    )


def _text(value: Any) -> str | None:
    return None if _blank(value) else str(value).strip()


def _whole(value: Any, name: str, key: str) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{name} of {key} must be a whole number; got {quote_prefix(value)}.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} of {key} must be a whole number; got {quote_prefix(value)}.") from None
    if not math.isfinite(number) or number != int(number):
        raise ValueError(f"{name} of {key} must be a whole number; got {quote_prefix(value)}.")
    return int(number)


def _real(value: Any, name: str, key: str) -> float | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{name} of {key} must be a number; got {quote_prefix(value)}.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} of {key} must be a number; got {quote_prefix(value)}.") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} of {key} must be a finite number; got {quote_prefix(value)}.")
    return number


def _flag(value: Any, name: str, key: str) -> bool:
    if _blank(value):
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "t", "yes", "1"):
        return True
    if text in ("false", "f", "no", "0"):
        return False
    raise ValueError(f"{name} of {key} must be true or false; got {quote_prefix(value)}.")
