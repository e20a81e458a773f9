"""The hosted-model catalogue: what calling a model through a provider's API costs, per unit of use.

Rows come from ``data/hosted_models.csv`` (built by ``data/build_hosted_models.py`` from the price map
the ``litellm`` package publishes, see ``data/CATALOGUE_SOURCES.md``) through the store, with the user's
edited prices applied. Units, one per column:

* ``usd_per_million_input_tokens`` / ``usd_per_million_output_tokens``: US dollars per 10^6 tokens
  (text, vision and embedding models; embeddings have no output price);
* ``usd_per_image``: US dollars per generated image at the provider's default size;
* ``usd_per_audio_minute``: US dollars per minute of audio transcribed;
* ``context_tokens``: the longest prompt accepted, in tokens.

Every row carries ``price_date`` (the day the price was read, ``YYYY-MM-DD``) and ``source`` (where it
was read). ``clean_hosted_prices`` checks a price a user typed on the editing page and returns only the
fields that differ from the published row, which is what the store keeps, so that restoring the
published price is deleting the edit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from core.text import has_visible_text, quote_prefix

MODALITIES: Final[tuple[str, ...]] = ("text", "vision", "speech-to-text", "embeddings", "image generation")
# Modalities billed by the token; the rest are billed per image or per audio minute.
TOKEN_MODALITIES: Final[tuple[str, ...]] = ("text", "vision", "embeddings")
PRICE_FIELDS: Final[tuple[str, ...]] = (
    "usd_per_million_input_tokens",
    "usd_per_million_output_tokens",
    "usd_per_image",
    "usd_per_audio_minute",
)
PRICE_LABELS: Final[dict[str, str]] = {
    "usd_per_million_input_tokens": "$ per million input tokens",
    "usd_per_million_output_tokens": "$ per million output tokens",
    "usd_per_image": "$ per image",
    "usd_per_audio_minute": "$ per audio minute",
}
EDITABLE_FIELDS: Final[tuple[str, ...]] = (*PRICE_FIELDS, "price_date", "source")
LABELS: Final[dict[str, str]] = {**PRICE_LABELS, "price_date": "Price date", "source": "Source"}
# Far above any real price (the dearest model in the catalogue costs $180 per million output tokens), but
# small enough that a month of requests stays a finite number.
MAX_USD_PER_UNIT: Final = 1e6
MAX_SOURCE_CHARS: Final = 300
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _number(label: str, value: Any, key: str) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{label} of {key} must be a finite number; got {quote_prefix(value)}.")
    number = float(value)
    if not 0 <= number <= MAX_USD_PER_UNIT:
        raise ValueError(f"{label} of {key} must be between 0 and {MAX_USD_PER_UNIT:g}; got {number:g}.")
    return number


def check_price_date(value: Any) -> str:
    """A day written ``YYYY-MM-DD`` (a real date from 1970 to 2100), else ValueError."""
    text = value.isoformat() if isinstance(value, date) else value
    if isinstance(text, str) and _DATE.match(text.strip()):
        try:
            day = date.fromisoformat(text.strip())
        except ValueError:
            pass
        else:
            if 1970 <= day.year <= 2100:
                return day.isoformat()
    raise ValueError(f"The price date must be a day such as 2026-12-02; got {quote_prefix(value)}.")


@dataclass(frozen=True)
class HostedModel:
    """One model offered through an API, with its prices (units in the module docstring)."""

    key: str
    provider: str
    model: str
    modality: str
    price_date: str
    source: str
    usd_per_million_input_tokens: float | None = None
    usd_per_million_output_tokens: float | None = None
    usd_per_image: float | None = None
    usd_per_audio_minute: float | None = None
    context_tokens: int | None = None
    architecture: str | None = None  # the architecture catalogue key of the open weights, if any
    source_url: str | None = None
    origin: str = "seed"  # "seed" (published) or "edited" (a user changed a price)

    def __post_init__(self) -> None:
        for name in ("key", "provider", "model", "source"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"A hosted model needs a {name}; got {quote_prefix(value)} for {self.key!r}.")
        if self.modality not in MODALITIES:
            raise ValueError(
                f"The modality of {self.key} must be one of {', '.join(MODALITIES)}; got {quote_prefix(self.modality)}."
            )
        object.__setattr__(self, "price_date", check_price_date(self.price_date))
        for name in PRICE_FIELDS:
            object.__setattr__(self, name, _number(PRICE_LABELS[name], getattr(self, name), self.key))
        needed = self.billing_field
        if getattr(self, needed) is None:
            raise ValueError(f"{self.key} is a {self.modality} model, so it needs a {PRICE_LABELS[needed]}.")

    @property
    def billing_field(self) -> str:
        """The price column that bills this model's main unit of use."""
        if self.modality == "speech-to-text":
            return "usd_per_audio_minute"
        if self.modality == "image generation":
            return "usd_per_image"
        return "usd_per_million_input_tokens"

    @property
    def label(self) -> str:
        """'Llama 3.1 8B Instruct (AWS Bedrock)'."""
        return f"{self.model} ({self.provider})"

    def price_sentence(self) -> str:
        """The model's prices in words, with their date: '$0.22 per million input tokens, ... (2026-12-02)'."""
        parts = [
            f"${getattr(self, name):,.4g} {PRICE_LABELS[name].removeprefix('$ ')}"
            for name in PRICE_FIELDS
            if getattr(self, name) is not None
        ]
        edited = ", edited" if self.origin == "edited" else ""
        return f"{', '.join(parts)} (price of {self.price_date}{edited})"

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> HostedModel:
        """A model from a catalogue row (CSV column names; blanks as None)."""

        def text(name: str) -> str | None:
            value = row.get(name)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                return None
            return str(value)

        context = row.get("context_tokens")
        if context is not None and not (isinstance(context, float) and math.isnan(context)):
            if isinstance(context, bool) or not isinstance(context, (int, float)) or context <= 0:
                raise ValueError(f"context_tokens of {row.get('key')} must be a positive number of tokens.")
            context = int(context)
        else:
            context = None
        return cls(
            key=str(row.get("key") or ""),
            provider=text("provider") or "",
            model=text("model") or "",
            modality=text("modality") or "",
            price_date=row.get("price_date"),  # type: ignore[arg-type]  # checked in __post_init__
            source=text("source") or "",
            usd_per_million_input_tokens=row.get("usd_per_million_input_tokens"),
            usd_per_million_output_tokens=row.get("usd_per_million_output_tokens"),
            usd_per_image=row.get("usd_per_image"),
            usd_per_audio_minute=row.get("usd_per_audio_minute"),
            context_tokens=context,
            architecture=text("architecture"),
            source_url=text("source_url"),
            origin="edited" if row.get("origin") == "edited" else "seed",
        )


def load_hosted_models(rows: Iterable[Mapping[str, Any]]) -> tuple[dict[str, HostedModel], tuple[str, ...]]:
    """The catalogue by key, and one sentence per row that could not be read (the rest still load)."""
    models: dict[str, HostedModel] = {}
    skipped: list[str] = []
    for row in rows:
        try:
            model = HostedModel.from_row(row)
        except ValueError as error:
            skipped.append(f"hosted model {row.get('key')}: {error}")
        else:
            models[model.key] = model
    return models, tuple(skipped)


def for_architecture(models: Mapping[str, HostedModel], architecture: str) -> list[HostedModel]:
    """The hosted offers of one open-weight architecture, cheapest input price first."""
    found = [m for m in models.values() if m.architecture == architecture]
    return sorted(found, key=lambda m: (m.usd_per_million_input_tokens or 0.0, m.key))


# --- editing ------------------------------------------------------------------------------------


def _typed_price(label: str, raw: Any) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError(f"{label} must be a number; got {quote_prefix(raw)}.")
    if isinstance(raw, str):
        try:
            number = float(raw.strip().removeprefix("$").replace(",", ""))
        except ValueError:
            raise ValueError(
                f"{label} must be a number in US dollars (digits and a point); got {quote_prefix(raw)}."
            ) from None
    elif isinstance(raw, (int, float)):
        number = float(raw)
    else:
        raise ValueError(f"{label} must be a number; got {quote_prefix(raw)}.")
    if not math.isfinite(number):
        raise ValueError(f"{label} must be a finite number of US dollars; got {quote_prefix(raw)}.")
    if number < 0:
        raise ValueError(f"{label} must be 0 or more; got {quote_prefix(raw)}.")
    if number > MAX_USD_PER_UNIT:
        raise ValueError(f"{label} must be at most {MAX_USD_PER_UNIT:g}; got {quote_prefix(raw)}.")
    return number


def clean_hosted_prices(published: Mapping[str, Any], typed: Mapping[str, Any]) -> dict[str, Any]:
    """Check the prices a user typed for a published model; return only the fields that differ from it.

    ``typed`` holds the editable fields (prices as text or numbers, blank for "no price"; the price date;
    the source). Raises ValueError naming the field when one is wrong, or when the price that bills the
    model's main unit is left blank. An empty result means "these are the published prices".
    """
    cleaned: dict[str, Any] = {name: _typed_price(PRICE_LABELS[name], typed.get(name)) for name in PRICE_FIELDS}
    cleaned["price_date"] = check_price_date(typed.get("price_date"))
    source = typed.get("source")
    source = " ".join(source.split()) if isinstance(source, str) else ""
    if not source or not has_visible_text(source):
        raise ValueError("Say where the price comes from (a price page, a quote, a contract) in Source.")
    if len(source) > MAX_SOURCE_CHARS:
        raise ValueError(f"Source must be at most {MAX_SOURCE_CHARS} characters; got {len(source)}.")
    cleaned["source"] = source
    HostedModel.from_row({**published, **cleaned})  # the whole row must still make a model
    changes: dict[str, Any] = {}
    for name, value in cleaned.items():
        before = published.get(name)
        if isinstance(before, float) and math.isnan(before):
            before = None
        if isinstance(value, float) and isinstance(before, (int, float)) and not isinstance(before, bool):
            if math.isclose(value, float(before), rel_tol=1e-12, abs_tol=0.0):
                continue
        elif value == (str(before) if name == "price_date" and before is not None else before):
            continue
        changes[name] = value
    return changes
