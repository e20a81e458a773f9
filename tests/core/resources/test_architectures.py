"""Architectures: catalogue rows, parameter counts from the config, custom models."""

from __future__ import annotations

import math

import pytest

from core.resources.architectures import (
    Architecture,
    active_param_count,
    block_params,
    load_architectures,
    param_breakdown,
    param_count,
)
from core.store import read_catalogue

CATALOGUE = load_architectures()
TRANSFORMER_KEYS = sorted(k for k, a in CATALOGUE.items() if a.has_transformer_config)


@pytest.mark.parametrize("key", TRANSFORMER_KEYS)
def test_config_parameter_count_within_2_percent_of_published(key: str) -> None:
    arch = CATALOGUE[key]
    assert arch.params is not None
    assert abs(param_count(arch) - arch.params) / arch.params <= 0.02


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_catalogue_row_has_a_parameter_count(key: str) -> None:
    assert param_count(CATALOGUE[key]) > 0


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("llama-3.2-1b", 1_235_814_400),
        ("llama-3.1-8b", 8_030_261_248),
        ("gpt2", 124_439_808),
        ("t5-base", 222_903_552),
        ("mixtral-8x7b", 46_702_792_704),
    ],
)
def test_exact_counts_for_well_known_configs(key: str, expected: int) -> None:
    assert param_count(CATALOGUE[key]) == expected


def test_mixture_of_experts_active_count_uses_routed_experts() -> None:
    mixtral = CATALOGUE["mixtral-8x7b"]
    assert param_breakdown(mixtral).active == 12_879_925_248


def test_latent_attention_model_matches_published_total_and_active() -> None:
    deepseek = CATALOGUE["deepseek-v3"]
    breakdown = param_breakdown(deepseek)
    assert abs(breakdown.total - 671e9) / 671e9 < 0.001
    assert abs(breakdown.active - 37e9) / 37e9 < 0.02


def test_tied_embeddings_count_once() -> None:
    tied = CATALOGUE["llama-3.2-1b"]
    untied = tied.with_changes(tied_embeddings=False, params=None)
    assert param_count(untied) - param_count(tied) == 128_256 * 2048


def test_block_params_is_one_layer() -> None:
    arch = CATALOGUE["llama-3.2-1b"]
    assert block_params(arch) == 60_821_504


def test_from_row_accepts_strings_and_blanks() -> None:
    row = {
        "key": "toy",
        "name": "Toy",
        "family": "decoder",
        "params": "1000000",
        "layers": "2",
        "hidden": "64.0",
        "heads": "4",
        "kv_heads": "",
        "head_dim": None,
        "mlp_size": "256",
        "mlp_kind": "gelu",
        "vocab": "100",
        "tied_embeddings": "true",
        "max_context": "128",
        "gflops_per_sample": " ",
    }
    arch = Architecture.from_row(row)
    assert (arch.layers, arch.hidden, arch.kv_heads, arch.tied_embeddings) == (2, 64, None, True)
    assert arch.kv_heads_or_default == 4


@pytest.mark.parametrize(
    ("cell", "in_place"), [("", None), (None, None), ("true", True), ("false", False), (False, False)]
)
def test_from_row_reads_activations_in_place_as_unknown_true_or_false(cell: object, in_place: bool | None) -> None:
    row = {"key": "toy-cnn", "family": "cnn", "params": "1000", "activations_in_place": cell}
    assert Architecture.from_row(row).activations_in_place is in_place


def test_from_row_accepts_typed_values() -> None:
    row = read_catalogue("architectures")[0]
    assert Architecture.from_row(row).key == row["key"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"family": "rnn"}, "Family"),
        ({"layers": "2.5"}, "whole number"),
        ({"layers": "-1"}, "at least 1"),
        ({"tied_embeddings": "maybe"}, "true or false"),
        ({"activations_in_place": "sometimes"}, "activations_in_place of toy must be true or false"),
        ({"gflops_per_sample": "nan"}, "finite"),
        ({"key": ""}, "key"),
        ({"heads": "5"}, "multiple"),
        ({"mlp_kind": "tanh"}, "MLP kind"),
    ],
)
def test_from_row_rejects_bad_cells(changes: dict[str, str], message: str) -> None:
    row = {
        "key": "toy",
        "family": "decoder",
        "params": "1000000",
        "layers": "2",
        "hidden": "64",
        "heads": "4",
        "kv_heads": "2",
        "mlp_size": "256",
        "vocab": "100",
        **changes,
    }
    with pytest.raises(ValueError, match=message):
        Architecture.from_row(row)


@pytest.mark.parametrize("params", [1e9, 7e9, 70e9, 405e9])
def test_custom_model_shape_matches_its_parameter_count_within_15_percent(params: float) -> None:
    arch = Architecture.custom_model(params)
    assert arch.params == int(params)
    assert abs(param_count(arch) - params) / params < 0.15
    assert arch.heads is not None and arch.kv_heads is not None and arch.heads % arch.kv_heads == 0


def test_custom_model_keeps_known_fields() -> None:
    arch = Architecture.custom_model(7e9, layers=32, hidden=4096, vocab=32_000)
    assert (arch.layers, arch.hidden, arch.vocab) == (32, 4096, 32_000)
    assert arch.published_or_counted_params == 7_000_000_000


@pytest.mark.parametrize("params", [0, -5, math.nan, math.inf, True, 1e15, "7e9"])
def test_custom_model_rejects_bad_counts(params: object) -> None:
    with pytest.raises(ValueError):
        Architecture.custom_model(params)  # type: ignore[arg-type]


def test_custom_model_rejects_unknown_fields() -> None:
    with pytest.raises(ValueError, match="Unknown architecture field"):
        Architecture.custom_model(7e9, depth=3)


def test_active_params_default_to_total_for_dense_models() -> None:
    assert active_param_count(CATALOGUE["llama-3.1-8b"]) == 8_030_261_248
