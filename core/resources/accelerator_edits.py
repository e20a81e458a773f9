"""Checking an accelerator row a user typed: an edited figure of a catalogue device, or a new device.

The Accelerators page (/gpus) hands the form's raw values (text as typed, or numbers) to
``clean_accelerator_row``; it returns a row with the catalogue's columns
(``data/accelerators.csv``, documented in ``data/CATALOGUE_SOURCES.md``) or
raises ``ValueError`` with one sentence that names the field, which the page
shows beside the form. Nothing is saved unless the whole row passes.

Rules, field by field:
- ``key``: 1-64 characters, lowercase letters, digits, ``-``, ``_`` or ``.``,
  starting and ending with a letter or digit (``h100-sxm``); a new device may
  not reuse a key already in the catalogue.
- ``vendor``, ``model``: required, one line; ``kind`` one of gpu/tpu/npu/cpu.
- Numbers: finite and above 0 where given (blank means "not published");
  memory and memory bandwidth are required; years and core counts are whole.
- Dense rates are at most the sparse ones (vendors headline 2:4-sparse rates,
  twice the dense ones; a dense figure above its sparse twin was copied from
  the wrong column).
- ``source_url``: http(s) with a host; ``as_of``: ``YYYY-MM`` or ``YYYY-MM-DD``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from core.resources.accelerators import KINDS
from core.text import INVISIBLE_ONLY, has_visible_text, quote_prefix

KIND_LABELS: dict[str, str] = {"gpu": "GPU", "tpu": "TPU", "npu": "NPU (other AI chip)", "cpu": "CPU"}

KEY_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$")
_AS_OF_PATTERN = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class NumberField:
    """One numeric column: its label (with unit), whether it is required, whole, and its sane range."""

    name: str
    label: str
    maximum: float
    required: bool = False
    whole: bool = False
    minimum: float = 0.0  # exclusive: every figure must be above it


@dataclass(frozen=True)
class TextField:
    name: str
    label: str
    max_chars: int
    required: bool = False


# Maxima are far beyond any real device (a million GB of memory, an exaflop per
# chip) but keep every sum and product the estimator makes finite.
NUMBER_FIELDS: tuple[NumberField, ...] = (
    NumberField("memory_gb", "Memory (GB)", 1e6, required=True),
    NumberField("memory_bandwidth_gbps", "Bandwidth (GB/s)", 1e7, required=True),
    NumberField("fp32_tflops", "FP32 (TFLOP/s)", 1e6),
    NumberField("tf32_tflops", "TF32 dense (TFLOP/s)", 1e6),
    NumberField("bf16_tflops", "BF16 dense (TFLOP/s)", 1e6),
    NumberField("fp8_tflops", "FP8 dense (TFLOP/s)", 1e6),
    NumberField("int8_tops", "INT8 dense (TOP/s)", 1e6),
    NumberField("tf32_sparse_tflops", "TF32 sparse (TFLOP/s)", 1e6),
    NumberField("bf16_sparse_tflops", "BF16 sparse (TFLOP/s)", 1e6),
    NumberField("fp8_sparse_tflops", "FP8 sparse (TFLOP/s)", 1e6),
    NumberField("int8_sparse_tops", "INT8 sparse (TOP/s)", 1e6),
    NumberField("tdp_w", "TDP (W)", 1e6),
    NumberField("interconnect_gbps", "Interconnect (GB/s)", 1e7),
    NumberField("cores", "Cores", 1e6, whole=True),
    NumberField("release_year", "Release year", 2100, whole=True, minimum=1969),
    NumberField("list_price_usd", "List price ($)", 1e9),
    NumberField("cloud_usd_per_hour", "$/hour", 1e5),
)

TEXT_FIELDS: tuple[TextField, ...] = (
    TextField("vendor", "Vendor", 60, required=True),
    TextField("model", "Model", 100, required=True),
    TextField("form_factor", "Form factor", 40),
    TextField("source_url", "Source URL", 500),
    TextField("as_of", "As of", 10),
    TextField("notes", "Notes", 2000),
)

# (dense, sparse) column pairs; FP32 has no sparse rate.
DENSE_SPARSE_PAIRS: tuple[tuple[str, str], ...] = (
    ("tf32_tflops", "tf32_sparse_tflops"),
    ("bf16_tflops", "bf16_sparse_tflops"),
    ("fp8_tflops", "fp8_sparse_tflops"),
    ("int8_tops", "int8_sparse_tops"),
)

LABELS: dict[str, str] = {
    "key": "Key",
    "kind": "Kind",
    **{field.name: field.label for field in TEXT_FIELDS},
    **{field.name: field.label for field in NUMBER_FIELDS},
}

# Every column a user row may carry, in catalogue order.
ROW_FIELDS: tuple[str, ...] = (
    "vendor",
    "model",
    "kind",
    "form_factor",
    *(field.name for field in NUMBER_FIELDS),
    "source_url",
    "as_of",
    "notes",
)

_NUMBERS = {field.name: field for field in NUMBER_FIELDS}


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def parse_number(field: NumberField, raw: Any) -> float | int | None:
    """The number typed into ``field``: None when blank, else a checked float (int for whole fields).

    >>> parse_number(NUMBER_FIELDS[0], " 80 ")
    80.0
    >>> parse_number(NUMBER_FIELDS[2], "")
    """
    label = field.label
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if field.required:
            raise ValueError(f"{label} is required.")
        return None
    if isinstance(raw, bool):
        raise ValueError(f"{label} must be a number; got {_shown(raw)}.")
    if isinstance(raw, str):
        try:
            number = float(raw.strip())
        except ValueError:
            raise ValueError(
                f"{label} must be a number (digits, a point for decimals, no units); got {_shown(raw)}."
            ) from None
    elif isinstance(raw, (int, float)):
        number = float(raw)
    else:
        raise ValueError(f"{label} must be a number; got {_shown(raw)}.")
    if not math.isfinite(number):
        raise ValueError(f"{label} must be a finite number; got {_shown(raw)}.")
    if field.whole:
        if not number.is_integer() or not field.minimum < number <= field.maximum:
            low = int(field.minimum) + 1
            raise ValueError(f"{label} must be a whole number from {low} to {field.maximum:g}; got {_shown(raw)}.")
        return int(number)
    if number <= field.minimum:
        raise ValueError(f"{label} must be above 0; got {_shown(raw)}.")
    if number > field.maximum:
        raise ValueError(f"{label} must be at most {field.maximum:g}; got {_shown(raw)}.")
    return number


def validate_key(raw: Any, existing: Collection[str] = ()) -> str:
    """A new device's key: a short lowercase id, not already in the catalogue."""
    key = raw.strip() if isinstance(raw, str) else raw
    if not isinstance(key, str) or not key:
        raise ValueError("Key is required: a short id such as 'my-gpu-48gb'.")
    if not KEY_PATTERN.match(key):
        raise ValueError(
            "Key must be 1-64 lowercase letters, digits, '-', '_' or '.', starting and ending with a letter "
            f"or digit (e.g. 'my-gpu-48gb'); got {_shown(key)}."
        )
    if key in existing:
        raise ValueError(
            f"Key {quote_prefix(key)} is already in the catalogue: pick another key, or edit that device instead."
        )
    return key


def suggest_key(model: str) -> str:
    """A key derived from a model name (the form's hint for a new device).

    >>> suggest_key("GeForce RTX 4090 (24 GB)")
    'geforce-rtx-4090-24-gb'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", model.lower()).strip("-")
    return slug[:64].rstrip("-") or "my-device"


def _text(field: TextField, raw: Any) -> str | None:
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise ValueError(f"{field.label} must be text; got {_shown(raw)}.")
    text = raw.strip() if field.name == "notes" else " ".join(raw.split())
    if field.name == "notes":
        text = _CONTROL.sub(lambda m: m.group() if m.group() in "\n\t" else "", text)
    if not text:
        if field.required:
            raise ValueError(f"{field.label} is required.")
        return None
    if field.required and not has_visible_text(text):
        raise ValueError(f"{field.label} needs at least one visible character; {INVISIBLE_ONLY}.")
    if len(text) > field.max_chars:
        raise ValueError(f"{field.label} must be at most {field.max_chars} characters; got {len(text)}.")
    return text


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
        raise ValueError(f"Source URL must be a web address starting with http:// or https://; got {_shown(url)}.")
    return url


def _check_as_of(text: str) -> str:
    match = _AS_OF_PATTERN.match(text)
    valid = False
    if match:
        year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
        try:
            valid = 1970 <= year <= 2100 and bool(date(year, month, day))
        except ValueError:
            valid = False
    if not valid:
        raise ValueError(f"As of must be a month such as 2026-05 (or a date, 2026-05-31); got {_shown(text)}.")
    return text


def clean_accelerator_row(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check every field of a typed row; return it with the catalogue's columns (blank -> None).

    Raises ValueError naming the first field that is wrong. ``key`` is not part
    of the row: check it with ``validate_key`` (a new device) or keep the
    catalogue's (an edit).
    """
    row: dict[str, Any] = {}
    for text_field in TEXT_FIELDS:
        row[text_field.name] = _text(text_field, raw.get(text_field.name))
    kind = raw.get("kind")
    kind = kind.strip().lower() if isinstance(kind, str) else kind
    if kind not in KINDS:
        raise ValueError(f"Kind must be one of {', '.join(KINDS)}; got {_shown(kind)}.")
    row["kind"] = kind
    for number_field in NUMBER_FIELDS:
        row[number_field.name] = parse_number(number_field, raw.get(number_field.name))
    for dense, sparse in DENSE_SPARSE_PAIRS:
        if row[dense] is not None and row[sparse] is not None and row[dense] > row[sparse]:
            raise ValueError(
                f"{LABELS[dense]} ({row[dense]:g}) must not exceed {LABELS[sparse]} ({row[sparse]:g}): vendors "
                "headline 2:4-sparse rates, twice the dense ones, so the dense figure is the smaller one."
            )
    if row["source_url"] is not None:
        _check_url(row["source_url"])
    if row["as_of"] is not None:
        _check_as_of(row["as_of"])
    return {name: row[name] for name in ROW_FIELDS}


def new_accelerator_row(key: Any, raw: Mapping[str, Any], existing_keys: Collection[str]) -> tuple[str, dict[str, Any]]:
    """A new device: its checked key and row. The key is checked first, as it is the first field of the form."""
    checked_key = validate_key(key, existing_keys)
    return checked_key, clean_accelerator_row(raw)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=0.0)
    if (a is None or (isinstance(a, float) and math.isnan(a))) and (
        b is None or (isinstance(b, float) and math.isnan(b))
    ):
        return True
    return bool(a == b)


def changes_from_published(published: Mapping[str, Any], edited: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of ``edited`` that differ from the published row: what an override stores.

    Storing only the changes keeps every other figure tracking the catalogue
    when its seed file is corrected later. Empty when nothing differs.
    """
    return {
        name: edited[name] for name in ROW_FIELDS if name in edited and not _same(edited[name], published.get(name))
    }


def form_text(value: Any) -> str:
    """A catalogue value as the form shows it: blank for missing, numbers without a needless '.0'.

    >>> form_text(989.5), form_text(141.0), form_text(None)
    ('989.5', '141', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def number_field(name: str) -> NumberField:
    return _NUMBERS[name]
