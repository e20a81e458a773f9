"""Model sizes by task: typical architectures per ML task with the figures hardware is sized from.

``model_sizes_by_task`` groups the architecture catalogue's rows (``data/architectures.csv``) by
the ML tasks they list, smallest first, each with its parameter count and compute per token or
per sample; the /references page's "Model sizes" tab shows them and links each to the resource
planner (``resources_link``).

Some tasks are served by models the planner cannot estimate from a config (a recommender whose
parameters sit mostly in embedding tables, a robot policy, a time-series foundation model): their
published sizes live in ``data/task_model_sizes.csv`` (``read_task_model_sizes``), one sourced row
each, shown beside the catalogue's with ``plannable`` False, so that every task with reference
projects has an answer to "what size of model does this take".
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from core.references.catalogue import cell_tags, cell_text, is_missing
from core.taxonomy import ML_TASKS
from core.text import quote_prefix

# A dense transformer's forward pass costs about 2 FLOPs per parameter per token (one multiply
# and one add per weight): Kaplan et al., "Scaling Laws for Neural Language Models", 2020,
# section 2.1 (C_forward ~ 2N). Mixture-of-experts models pay it on their active parameters.
FLOPS_PER_PARAM_PER_TOKEN = 2.0
_TRANSFORMER_FAMILY = re.compile(
    r"transformer|llm|gpt|bert|t5|llama|mistral|mixtral|qwen|gemma|phi|decoder|encoder|moe|whisper|falcon",
    re.IGNORECASE,
)
TASK_MODEL_SIZES_PATH = Path(__file__).resolve().parents[2] / "data" / "task_model_sizes.csv"
_SIZE_SUFFIX = {"": 1.0, "k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}


@dataclass(frozen=True)
class ModelSize:
    """A typical architecture for a task with the figures a planner sizes hardware from.

    ``params`` and ``active_params`` are parameter counts (active = used per token; equal to
    params for dense models). Compute is ``flops_per_token`` (transformers on token input:
    2 x active params) or ``gflops_per_sample`` (from the catalogue, e.g. one image at
    ``image_size_px``); None when the catalogue gives neither.
    """

    key: str
    name: str
    family: str
    task: str
    modality: str
    params: int
    active_params: int
    flops_per_token: float | None
    gflops_per_sample: float | None
    image_size_px: int | None
    max_context_tokens: int | None
    source_url: str
    plannable: bool = True  # False: a published size only, not in the resource planner's catalogue

    @property
    def typical_input(self) -> str:
        """The input the compute figure refers to, in words ("224x224 px image", "8,192 tokens")."""
        parts = []
        if self.image_size_px is not None:
            parts.append(f"{self.image_size_px}x{self.image_size_px} px image")
        if self.max_context_tokens is not None:
            parts.append(f"up to {self.max_context_tokens:,} tokens")
        return "; ".join(parts)

    @property
    def compute_label(self) -> str:
        """Compute per unit of input in words ("16.1 GFLOPs per token", "4.1 GFLOPs per sample")."""
        if self.gflops_per_sample is not None:
            return f"{format_flops(self.gflops_per_sample * 1e9)} per sample"
        if self.flops_per_token is not None:
            return f"{format_flops(self.flops_per_token)} per token"
        return "not stated"

    @property
    def resources_link(self) -> str:
        """Relative link that opens the resource planner with this model selected."""
        return resources_link(self.key)


def format_flops(flops: float) -> str:
    """A FLOP count with a readable unit: "45 MFLOPs", "14.1 GFLOPs", "1.4 TFLOPs"."""
    if not math.isfinite(flops) or flops < 0:
        raise ValueError(f"A FLOP count must be a finite number of at least 0; got {quote_prefix(flops)}.")
    for unit, scale in (("TFLOPs", 1e12), ("GFLOPs", 1e9), ("MFLOPs", 1e6), ("kFLOPs", 1e3)):
        if flops >= scale:
            value = flops / scale
            return f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"
    return f"{flops:,.0f} FLOPs"


def resources_link(model_key: str) -> str:
    """``/resources?model=<key>``: the query parameter the resources page reads to preselect a model."""
    return "/resources?" + urlencode({"model": model_key})


def _count(value: Any, what: str, key: str) -> float | None:
    """A non-negative finite number from a typed value or a string such as "7e9", "7B", "1.2 M"."""
    if is_missing(value) or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{what} of architecture {quote_prefix(key)} must be a number; got {quote_prefix(value)}.")
    if isinstance(value, int | float):
        number = float(value)
    else:
        match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([kmbt]?)\s*", str(value).lower())
        if not match:
            raise ValueError(
                f"{what} of architecture {quote_prefix(key)} must be a number such as 7e9 or 7B; "
                f"got {quote_prefix(value)}."
            )
        number = float(match.group(1)) * _SIZE_SUFFIX[match.group(2)]
    if not math.isfinite(number) or number < 0:
        raise ValueError(
            f"{what} of architecture {quote_prefix(key)} must be a finite number of at least 0; "
            f"got {quote_prefix(value)}."
        )
    return number


def model_size_from_row(row: Mapping[str, Any]) -> ModelSize:
    """One architecture-catalogue row (key, name, family, task, modality, params, active_params,
    gflops_per_sample, image_size, max_context, source_url) as a :class:`ModelSize` for the first
    task it lists (use :func:`model_sizes_by_task` for all of them)."""
    key = cell_text(row.get("key"))
    if not key:
        raise ValueError(f"An architecture row needs a key; got {quote_prefix(dict(row))}.")
    params = _count(row.get("params"), "Parameter count", key)
    if params is None or params <= 0:
        raise ValueError(
            f"Parameter count of architecture {quote_prefix(key)} must be above 0; "
            f"got {quote_prefix(row.get('params'))}."
        )
    active = _count(row.get("active_params"), "Active parameter count", key) or params
    gflops = _count(row.get("gflops_per_sample"), "GFLOPs per sample", key)
    image_size = _count(row.get("image_size"), "Image size", key)
    context = _count(row.get("max_context"), "Maximum context", key)
    family = cell_text(row.get("family"))
    modality = cell_text(row.get("modality")).lower()
    token_based = gflops is None and (
        context is not None or modality == "text" or bool(_TRANSFORMER_FAMILY.search(family))
    )
    tasks = cell_tags(row.get("task"))
    return ModelSize(
        key=key,
        name=cell_text(row.get("name")) or key,
        family=family,
        task=tasks[0] if tasks else "",
        modality=modality,
        params=int(params),
        active_params=int(active),
        flops_per_token=FLOPS_PER_PARAM_PER_TOKEN * active if token_based else None,
        gflops_per_sample=gflops,
        image_size_px=None if image_size is None else int(image_size),
        max_context_tokens=None if context is None else int(context),
        source_url=cell_text(row.get("source_url")),
    )


@lru_cache(maxsize=4)
def read_task_model_sizes(path: Path = TASK_MODEL_SIZES_PATH) -> tuple[dict[str, str], ...]:
    """The published model sizes of ``data/task_model_sizes.csv`` (read once per process)."""
    with path.open(encoding="utf-8", newline="") as f:
        return tuple(dict(row) for row in csv.DictReader(f))


def model_sizes_by_task(
    architecture_rows: Iterable[Mapping[str, Any]], published_rows: Iterable[Mapping[str, Any]] = ()
) -> dict[str, list[ModelSize]]:
    """Typical architectures per ML task, smallest first, from the architecture catalogue rows
    and, marked ``plannable=False``, rows of published sizes (``read_task_model_sizes``).

    A row whose ``task`` lists several tasks (";"-separated) appears under each. Tasks come in
    ML_TASKS order, then any other task names alphabetically; rows without a task are skipped.
    Raises ValueError for a row without a key or with a non-numeric, negative or infinite size.
    """
    grouped: dict[str, list[ModelSize]] = {}
    rows = [(row, True) for row in architecture_rows] + [(row, False) for row in published_rows]
    for row, plannable in rows:
        size = model_size_from_row(row)
        if not plannable:
            size = replace(size, plannable=False)
        for task in cell_tags(row.get("task")):
            grouped.setdefault(task, []).append(
                size if task == size.task else ModelSize(**{**size.__dict__, "task": task})
            )
    order = {t: i for i, t in enumerate(ML_TASKS)}
    result: dict[str, list[ModelSize]] = {}
    for task in sorted(grouped, key=lambda t: (order.get(t, len(order)), t)):
        result[task] = sorted(grouped[task], key=lambda m: (m.params, m.name.lower(), m.key))
    return result
