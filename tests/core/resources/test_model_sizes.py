"""Model sizes by task: architecture catalogue rows grouped by task, compute labels, links to the planner."""

from __future__ import annotations

from typing import Any

import pytest

from core.resources.model_sizes import format_flops, model_size_from_row, model_sizes_by_task, resources_link

ARCHITECTURES: list[dict[str, Any]] = [
    {"key": "llm-7b", "name": "Some LLM 7B", "family": "decoder", "task": "generation", "modality": "text",
     "params": "7B", "active_params": "", "gflops_per_sample": "", "image_size": "", "max_context": "8192",
     "source_url": "https://example.com/llm"},
    {"key": "moe", "name": "Some MoE", "family": "moe decoder", "task": "generation", "modality": "text",
     "params": 46_700_000_000, "active_params": 12_900_000_000, "gflops_per_sample": None, "image_size": None,
     "max_context": 32768, "source_url": "https://example.com/moe"},
    {"key": "resnet50", "name": "ResNet-50", "family": "cnn", "task": "classification;detection & segmentation",
     "modality": "image", "params": 25_557_032, "active_params": None, "gflops_per_sample": 4.1,
     "image_size": 224, "max_context": None, "source_url": "https://example.com/resnet"},
    {"key": "gbm", "name": "A tree model", "family": "trees", "task": "classification", "modality": "tabular",
     "params": "1e3", "source_url": ""},
]  # fmt: skip


def test_model_sizes_group_by_task_smallest_first() -> None:
    sizes = model_sizes_by_task(ARCHITECTURES)
    assert list(sizes) == ["classification", "detection & segmentation", "generation"]
    assert [m.key for m in sizes["generation"]] == ["llm-7b", "moe"]
    assert [m.key for m in sizes["classification"]] == ["gbm", "resnet50"]
    assert sizes["detection & segmentation"][0].task == "detection & segmentation"


def test_transformer_compute_is_two_flops_per_active_parameter_per_token() -> None:
    sizes = {m.key: m for m in model_sizes_by_task(ARCHITECTURES)["generation"]}
    assert sizes["llm-7b"].flops_per_token == pytest.approx(2 * 7e9)
    assert sizes["moe"].flops_per_token == pytest.approx(2 * 12.9e9)
    assert sizes["moe"].compute_label == "25.8 GFLOPs per token"
    assert sizes["llm-7b"].typical_input == "up to 8,192 tokens"


def test_vision_compute_is_per_sample() -> None:
    resnet = model_sizes_by_task(ARCHITECTURES)["classification"][1]
    assert (resnet.gflops_per_sample, resnet.flops_per_token) == (4.1, None)
    assert resnet.compute_label == "4.1 GFLOPs per sample"
    assert resnet.typical_input == "224x224 px image"
    assert resnet.resources_link == "/resources?model=resnet50"


def test_a_model_without_compute_figures_says_so() -> None:
    assert model_sizes_by_task(ARCHITECTURES)["classification"][0].compute_label == "not stated"


@pytest.mark.parametrize("params", ["-5", "lots", float("nan"), float("inf"), 0, None, True])
def test_model_size_refuses_a_bad_parameter_count(params: Any) -> None:
    with pytest.raises(ValueError, match="architecture 'k'"):
        model_size_from_row({"key": "k", "params": params, "task": "generation"})


def test_model_size_needs_a_key() -> None:
    with pytest.raises(ValueError, match="key"):
        model_size_from_row({"params": 10})


@pytest.mark.parametrize(
    ("flops", "label"), [(45e6, "45.0 MFLOPs"), (1.4e13, "14.0 TFLOPs"), (250e9, "250 GFLOPs"), (12, "12 FLOPs")]
)
def test_format_flops(flops: float, label: str) -> None:
    assert format_flops(flops) == label


def test_resources_link_escapes_the_key() -> None:
    assert resources_link("clip vit/b&32") == "/resources?model=clip+vit%2Fb%2632"


def test_every_task_with_reference_projects_has_a_sourced_model_size() -> None:
    import csv
    from pathlib import Path

    from core.resources.model_sizes import read_task_model_sizes

    data = Path(__file__).resolve().parents[3] / "data"
    with (data / "architectures.csv").open(encoding="utf-8", newline="") as f:
        sizes = model_sizes_by_task(list(csv.DictReader(f)), read_task_model_sizes())
    with (data / "references.csv").open(encoding="utf-8", newline="") as f:
        tasks = {row["task"] for row in csv.DictReader(f)}
    assert tasks - set(sizes) == set()
    for task in tasks:
        assert all(m.params > 0 and m.source_url.startswith("https://") for m in sizes[task]), task


def test_published_sizes_are_marked_as_outside_the_planner() -> None:
    published = [
        {"key": "rec", "name": "A recommender", "family": "sequential recommender", "task": "ranking & recommendation",
         "modality": "tabular", "params": "1.5t", "source_url": "https://x"},
    ]  # fmt: skip
    sizes = model_sizes_by_task(ARCHITECTURES, published)
    (rec,) = sizes["ranking & recommendation"]
    assert not rec.plannable and rec.params == 1_500_000_000_000 and rec.compute_label == "not stated"
    assert all(m.plannable for m in sizes["generation"])
