"""Calibration: every measured H200 memory case within 10 %, speeds inside their bands, anchors computed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.resources.architectures import load_architectures, param_count
from core.resources.calibration import (
    DEFAULT_CALIBRATION_PATH,
    accelerate_estimate_bytes,
    anchor_rows,
    anchors_markdown,
    calibration_rows,
    case_to_workload,
    deepspeed_zero2_bytes,
    deepspeed_zero3_bytes,
    load_calibration,
    measured_architectures,
    memory_cases,
    resnet_saved_activation_values,
    throughput_rows,
)
from core.resources.memory import Workload

ROWS = {row.case: row for row in calibration_rows()}
SPEEDS = throughput_rows()


def test_calibration_file_has_the_nine_memory_cases() -> None:
    assert len(memory_cases(load_calibration())) == 9 == len(ROWS)


@pytest.mark.parametrize("case", sorted(ROWS))
def test_every_memory_case_within_10_percent_of_measured_peak(case: str) -> None:
    assert abs(ROWS[case].error_pct) <= 10.0


@pytest.mark.parametrize("case", sorted(ROWS))
def test_calibration_row_reports_the_error_of_its_own_numbers(case: str) -> None:
    row = ROWS[case]
    assert row.error_pct == pytest.approx(100 * (row.predicted_bytes - row.measured_bytes) / row.measured_bytes)


def test_catalogue_configs_of_measured_transformers_match_the_measured_ones() -> None:
    catalogue = load_architectures()
    for key, measured in measured_architectures().items():
        if measured.has_transformer_config:
            assert param_count(catalogue[key]) == param_count(measured)


def test_resnet50_saved_activations_derived_layer_by_layer() -> None:
    # 21.3 M values x 4 bytes = 85.3 MB per image; the H200 measured (peak - resident) / batch = 86.7 MB.
    assert resnet_saved_activation_values() * 4 / 1e6 == pytest.approx(86.7, rel=0.03)


@pytest.mark.parametrize(
    ("case", "key", "expected"),
    [
        ("weights/llama-3.2-1b/float32", "llama-3.2-1b", Workload(precision="fp32", load_only=True, random_init=True)),
        (
            "generate/llama-3.1-8b/b16_p2048_n128",
            "llama-3.1-8b",
            Workload(batch=16, prompt_tokens=2048, new_tokens=128),
        ),
        (
            "train/llama-3.2-1b/b4_s2048/amp/ckpt",
            "llama-3.2-1b",
            Workload(mode="train", precision="amp", batch=4, seq=2048, grad_checkpointing=True),
        ),
        (
            "train/llama-3.2-3b/b2_s1024/bf16",
            "llama-3.2-3b",
            Workload(mode="train", precision="bf16", batch=2, seq=1024),
        ),
        ("train/llama-3.1-8b/b1_s4096/lora", "llama-3.1-8b", Workload(mode="lora", batch=1, seq=4096)),
        (
            "train/resnet50/b128/amp",
            "resnet50",
            Workload(mode="train", precision="amp", optimizer="sgd-momentum", batch=128),
        ),
        ("infer/resnet50/b256/bf16", "resnet50", Workload(batch=256)),
        ("infer/llama-3.2-1b/b8_s1024/bf16", "llama-3.2-1b", Workload(batch=8, seq=1024)),
    ],
)
def test_case_names_map_to_workloads(case: str, key: str, expected: Workload) -> None:
    assert case_to_workload(case) == (key, expected)


@pytest.mark.parametrize(
    "case",
    [
        "weights/llama-3.2-1b",
        "train/x/b4_s2048/sgd",
        "generate/x/b4",
        "probe/x",
        "infer/resnet50/b256/int3",
        "weights/x/float64",
        "train/x/four/amp",
    ],
)
def test_bad_case_names_raise(case: str) -> None:
    with pytest.raises(ValueError):
        case_to_workload(case)


def test_unknown_architecture_in_a_case_raises(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"case": "infer/vgg16/b8/bf16", "peak_alloc": 10}) + "\n")
    with pytest.raises(ValueError, match="No architecture 'vgg16'"):
        calibration_rows(path)


def test_malformed_calibration_line_raises(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text("{not json}\n")
    with pytest.raises(ValueError, match="Line 1"):
        load_calibration(path)


@pytest.mark.parametrize("check", SPEEDS, ids=lambda c: f"{c.case}:{c.phase}")
def test_measured_speeds_fall_inside_the_estimated_band(check: object) -> None:
    assert check.within_band  # type: ignore[attr-defined]


@pytest.mark.parametrize("check", SPEEDS, ids=lambda c: f"{c.case}:{c.phase}")
def test_every_band_is_an_answer_at_most_3x_wide(check: object) -> None:
    assert check.high / check.low <= 3.0  # type: ignore[attr-defined]


def test_eager_generate_decode_is_host_bound() -> None:
    # Hugging Face eager generate is Python-bound (calibration README): the host floor sets the band.
    decode = [c for c in SPEEDS if c.phase == "decode"]
    assert decode and all("host-bound" in c.note for c in decode)


def test_accelerate_formula_gives_about_20_gb_for_the_1b_amp_run() -> None:
    arch = measured_architectures()["llama-3.2-1b"]
    _, workload = case_to_workload("train/llama-3.2-1b/b4_s2048/amp")
    assert accelerate_estimate_bytes(arch, workload) == 16 * 1_235_814_400


def test_deepspeed_formulas_on_one_gpu() -> None:
    arch = measured_architectures()["llama-3.2-1b"]
    assert deepspeed_zero2_bytes(arch) == 20 * 1_235_814_400
    assert deepspeed_zero3_bytes(arch) == 18 * 1_235_814_400 + 4 * 128_256 * 2048


def test_anchor_rows_cover_every_memory_case_and_only_training_gets_deepspeed() -> None:
    rows = anchor_rows()
    assert len(rows) == 9
    assert all((r.deepspeed_zero2_bytes is None) == (not r.case.startswith("train/")) for r in rows)


def test_anchors_document_is_generated_from_the_data() -> None:
    text = anchors_markdown()
    assert "| `train/llama-3.2-1b/b4_s2048/amp` | 47.07 |" in text
    doc = Path(__file__).resolve().parents[3] / "docs" / "estimator-anchors.md"
    assert doc.read_text(encoding="utf-8") == text, "regenerate: python -m core.resources.calibration"


def test_default_path_is_the_copy_inside_the_repository() -> None:
    assert DEFAULT_CALIBRATION_PATH.is_file()
    assert "tests" in DEFAULT_CALIBRATION_PATH.parts
