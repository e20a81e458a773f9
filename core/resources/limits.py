"""The workload limits a saved scenario (``plan.ResourcePlan``) and the estimator (``memory.Workload``) share.

Each limit is written once, here, so a plan the page saves or a project imports holds only values the
estimator accepts. Every check takes ``(value, what)``: the value, and the words that name it in the refusal
(each caller keeps its own label). Whole numbers may be given as integral floats (``4.0`` is 4); booleans,
text, NaN and infinities are refused with a sentence.
"""

from __future__ import annotations

from typing import Any

from core.resources.costs import require_whole
from core.text import quote_prefix

MAX_BATCH = 1_000_000
MAX_TOKENS = 10_000_000
MIN_IMAGE_PX = 8
MAX_IMAGE_PX = 16_384
MAX_LORA_RANK = 65_536
MAX_DEVICES = 100_000


def batch_size(value: Any, what: str) -> int:
    """Samples or sequences per step: 1 to 1,000,000."""
    return require_whole(what, value, 1, MAX_BATCH)


def token_count(value: Any, what: str) -> int:
    """Tokens per sequence, prompt or generation: 1 to 10,000,000."""
    return require_whole(what, value, 1, MAX_TOKENS)


def image_size(value: Any, what: str) -> int:
    """Side of a square input image in pixels: 8 to 16,384."""
    return require_whole(what, value, MIN_IMAGE_PX, MAX_IMAGE_PX)


def lora_rank(value: Any, what: str) -> int:
    """Rank of the LoRA adapters: 1 to 65,536."""
    return require_whole(what, value, 1, MAX_LORA_RANK)


def device_count(value: Any, what: str) -> int:
    """Devices the workload runs on: 1 to 100,000."""
    return require_whole(what, value, 1, MAX_DEVICES)


def flag(value: Any, what: str) -> bool:
    """True or false, exactly (1, 0 and 'yes' are refused)."""
    if not isinstance(value, bool):
        raise ValueError(f"{what} must be true or false; got {quote_prefix(value)}.")
    return value
