"""The hosted-model catalogue (data/hosted_models.csv): coverage, units, sources, dates; checking an edited price."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core.hosted.catalogue import (
    MODALITIES,
    HostedModel,
    clean_hosted_prices,
    for_architecture,
    load_hosted_models,
)
from core.store import read_catalogue

DATA = Path(__file__).resolve().parents[3] / "data"
ROWS = read_catalogue("hosted_models")
MODELS, SKIPPED = load_hosted_models(ROWS)
ARCHITECTURES = {row["key"] for row in read_catalogue("architectures")}
COLUMNS = [
    "key", "provider", "model", "modality", "usd_per_million_input_tokens", "usd_per_million_output_tokens",
    "usd_per_image", "usd_per_audio_minute", "context_tokens", "architecture", "price_date", "source", "source_url",
]  # fmt: skip
MODEL_VENDORS = {"OpenAI", "Anthropic", "Google (Gemini API)", "Mistral AI"}
CLOUDS = {"AWS Bedrock", "Azure AI Foundry", "Google Vertex AI"}


def test_the_catalogue_loads_offline_with_every_row_readable() -> None:
    assert not SKIPPED
    assert len(MODELS) == len(ROWS) >= 40
    with (DATA / "hosted_models.csv").open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == COLUMNS


def test_it_covers_the_model_vendors_clouds_reselling_open_weights_and_every_modality() -> None:
    providers = {m.provider for m in MODELS.values()}
    assert len(providers) >= 6 and providers >= MODEL_VENDORS
    open_weight_clouds = {m.provider for m in MODELS.values() if m.provider in CLOUDS and m.architecture}
    assert len(open_weight_clouds) >= 2
    assert {m.modality for m in MODELS.values()} == set(MODALITIES)


@pytest.mark.parametrize("row", ROWS, ids=lambda row: str(row["key"]))
def test_every_row_has_a_source_a_date_and_the_price_its_modality_bills(row: dict[str, Any]) -> None:
    model = HostedModel.from_row(row)
    assert model.source.startswith("litellm ") and "model_prices_and_context_window" in model.source
    assert re.match(r"^https://", str(row["source_url"]))
    assert isinstance(row["price_date"], date) and date(2025, 1, 1) <= row["price_date"] <= date(2027, 12, 31)
    billed = getattr(model, model.billing_field)
    assert billed is not None and 0 < billed < 1000
    if model.modality in ("text", "vision"):
        assert model.usd_per_million_output_tokens is not None
        assert model.usd_per_million_output_tokens >= model.usd_per_million_input_tokens * 0.5  # type: ignore[operator]
    if model.architecture is not None:
        assert model.architecture in ARCHITECTURES, "open weights name an architecture of the catalogue"


def test_the_selection_file_lists_exactly_the_catalogue_keys() -> None:
    with (DATA / "hosted_models_selection.csv").open(encoding="utf-8", newline="") as handle:
        selection = [row["key"] for row in csv.DictReader(handle)]
    assert selection == [row["key"] for row in ROWS]


@pytest.mark.parametrize(
    ("key", "field", "usd"),
    [
        # Spot checks of litellm's figures against published price lists (data/CATALOGUE_SOURCES.md).
        ("openai-gpt-4o-mini", "usd_per_million_input_tokens", 0.15),
        ("openai-gpt-4o-mini", "usd_per_million_output_tokens", 0.6),
        ("openai-gpt-4o", "usd_per_million_output_tokens", 10.0),
        ("anthropic-claude-sonnet-4.5", "usd_per_million_input_tokens", 3.0),
        ("anthropic-claude-sonnet-4.5", "usd_per_million_output_tokens", 15.0),
        ("openai-whisper-1", "usd_per_audio_minute", 0.006),
    ],
)
def test_spot_checked_prices_match_the_published_lists(key: str, field: str, usd: float) -> None:
    assert getattr(MODELS[key], field) == pytest.approx(usd)


def test_the_offers_of_one_open_weight_model_are_listed_cheapest_first() -> None:
    offers = for_architecture(MODELS, "llama-3.1-8b")
    assert {m.provider for m in offers} >= {"AWS Bedrock", "Together AI"}
    prices = [m.usd_per_million_input_tokens for m in offers]
    assert prices == sorted(prices)  # type: ignore[type-var]
    assert for_architecture(MODELS, "no-such-architecture") == []


PUBLISHED = {row["key"]: row for row in ROWS}["bedrock-llama-3.1-8b"]
SAME = {
    "usd_per_million_input_tokens": "0.22",
    "usd_per_million_output_tokens": "0.22",
    "usd_per_image": "",
    "usd_per_audio_minute": "",
    "price_date": "2026-12-02",
    "source": PUBLISHED["source"],
}


@pytest.mark.parametrize(
    ("typed", "changes"),
    [
        ({}, {}),
        ({"usd_per_million_input_tokens": "0.18"}, {"usd_per_million_input_tokens": 0.18}),
        ({"usd_per_million_input_tokens": "$0.18 "}, {"usd_per_million_input_tokens": 0.18}),
        ({"usd_per_million_output_tokens": "0"}, {"usd_per_million_output_tokens": 0.0}),
        (
            {"price_date": "2027-01-05", "source": "Quote from AWS, January 2027"},
            {"price_date": "2027-01-05", "source": "Quote from AWS, January 2027"},
        ),
    ],
)
def test_an_edit_keeps_only_what_differs_from_the_published_row(typed: dict[str, str], changes: dict[str, Any]) -> None:
    assert clean_hosted_prices(PUBLISHED, {**SAME, **typed}) == changes


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"usd_per_million_input_tokens": "cheap"}, r"\$ per million input tokens must be a number in US dollars"),
        ({"usd_per_million_input_tokens": "-1"}, "must be 0 or more"),
        ({"usd_per_million_input_tokens": "nan"}, "must be a finite number"),
        ({"usd_per_million_input_tokens": "inf"}, "must be a finite number"),
        ({"usd_per_million_input_tokens": "1e7"}, "must be at most 1e\\+06"),
        ({"usd_per_million_input_tokens": ""}, r"needs a \$ per million input tokens"),
        ({"price_date": "yesterday"}, "price date must be a day such as 2026-12-02"),
        ({"price_date": "2026-02-30"}, "price date must be a day"),
        ({"source": "   "}, "Say where the price comes from"),
        ({"source": "\u200b\u2060"}, "Say where the price comes from"),
        ({"usd_per_million_input_tokens": "9" * 5000}, r"must be a finite number.*… \(5,000 characters\)"),
        ({"source": "x" * 301}, "at most 300 characters"),
    ],
)
def test_a_bad_edit_is_refused_naming_the_field(typed: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        clean_hosted_prices(PUBLISHED, {**SAME, **typed})
