"""Training compute, time and cost: hand-computed cases and a published anchor (Llama 3.1 8B)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from core.resources.training import (
    PricingMultipliers,
    TrainingJob,
    UtilisationBand,
    estimate_training,
    scaling_efficiency,
    training_curve,
    transformer_flops_per_token,
    vision_flops_per_sample,
)

# NVIDIA H100 SXM dense BF16 peak: 989 TFLOP/s (1,979 with 2:4 sparsity), NVIDIA H100 datasheet.
H100_BF16_DENSE_FLOPS = 989e12


def small_job(**overrides) -> TrainingJob:
    kwargs: dict[str, Any] = {
        "params": 1e9,
        "devices": 8,
        "peak_flops_per_s": 1e15,
        "price_usd_per_device_hour": 2.0,
        "tokens": 1e10,
        "utilisation": UtilisationBand(0.25, 0.5, 1.0),
    }
    kwargs.update(overrides)
    return TrainingJob(**kwargs)


def test_llama_3_1_8b_reported_gpu_hours_agree_with_6nd_within_a_factor_of_4():
    """Meta's model card for Llama 3.1 8B reports 1.46M H100-80GB GPU-hours of pre-training for ~15T tokens
    (huggingface.co/meta-llama/Llama-3.1-8B). 6 x 8.03e9 params x 15e12 tokens = 7.23e23 FLOPs; at the default
    expected MFU of 40 % (Llama 3 paper: 38-43 % on H100) and 989 TFLOP/s dense BF16 that is 0.51M GPU-hours,
    2.9x below the report.

    Why a factor of 4, and why only one direction: 6ND is a lower bound on what the run spent. It leaves out
    attention FLOPs (12 x layers x hidden x context per token: +27 % at 8K context for this model, far more in the
    128K long-context stage), and the card's cumulative GPU-hours include the long-context and annealing stages,
    evaluation, checkpointing and restarts after the hardware failures the Llama 3 paper reports. So the
    estimate must come out below the report, and no more than 4x below it; a wrong formula (2ND, or a unit slip
    in hours) would fall outside that band.
    """
    job = TrainingJob(
        params=8.03e9,
        devices=16_384,
        peak_flops_per_s=H100_BF16_DENSE_FLOPS,
        price_usd_per_device_hour=0.0,
        tokens=15e12,
        scaling_efficiency_per_doubling=1.0,  # the 38-43 % MFU was measured at this scale
    )
    estimate = estimate_training(job)
    reported_gpu_hours = 1.46e6
    ratio = reported_gpu_hours / estimate.device_hours.expected
    assert 1.0 <= ratio <= 4.0
    assert estimate.total_flops == pytest.approx(7.227e23)


def test_total_flops_is_six_n_d_by_default():
    # 6 x 1e9 x 1e10 = 6e19
    assert estimate_training(small_job()).total_flops == pytest.approx(6e19)


def test_epochs_multiply_the_compute():
    assert estimate_training(small_job(epochs=3)).total_flops == pytest.approx(1.8e20)


def test_wall_time_device_hours_and_costs_by_hand():
    # rate = 8 devices x 1e15 x 0.5 MFU x 1.0 scaling = 4e15 FLOP/s -> 6e19 / 4e15 = 15,000 s
    # device-hours = 15,000 x 8 / 3600 = 33.33; on-demand $2 -> $66.67; spot 40 % -> $26.67; reserved 60 % -> $40
    estimate = estimate_training(small_job())
    assert estimate.wall_time_s.expected == pytest.approx(15_000)
    assert estimate.device_hours.expected == pytest.approx(33.3333, rel=1e-4)
    assert estimate.cost("on-demand").cost_usd.expected == pytest.approx(66.6667, rel=1e-4)
    assert estimate.cost("spot").cost_usd.expected == pytest.approx(26.6667, rel=1e-4)
    assert estimate.cost("reserved").cost_usd.expected == pytest.approx(40.0)


def test_time_band_follows_the_utilisation_band():
    # high MFU 1.0 -> 7,500 s; low MFU 0.25 -> 30,000 s
    wall = estimate_training(small_job()).wall_time_s
    assert (wall.low, wall.expected, wall.high) == pytest.approx((7_500, 15_000, 30_000))


def test_vision_compute_is_three_times_forward_per_sample():
    # ResNet-50: 4.1 GMAC = 8.2 GFLOP forward; ImageNet 1.28M images x 90 epochs x 3 x 8.2e9 = 2.834e18 FLOPs
    job = small_job(tokens=None, samples=1.28e6, epochs=90, flops_per_sample=vision_flops_per_sample(8.2e9))
    estimate = estimate_training(job)
    assert estimate.total_flops == pytest.approx(2.8339e18, rel=1e-4)
    assert estimate.unit == "sample"


def test_transformer_flops_per_token_helper():
    assert transformer_flops_per_token(7e9) == pytest.approx(4.2e10)


def test_explicit_flops_per_token_overrides_six_n():
    assert estimate_training(small_job(flops_per_token=1e10)).total_flops == pytest.approx(1e20)


@pytest.mark.parametrize(
    ("devices", "expected"),
    [(1, 1.0), (8, 1.0), (16, 0.97), (32, 0.97**2), (64, 0.97**3), (1024, 0.97**7)],
)
def test_scaling_efficiency_is_perfect_in_a_server_then_loses_3_percent_per_doubling(devices, expected):
    assert scaling_efficiency(devices) == pytest.approx(expected)


def test_scaling_efficiency_lengthens_time_beyond_one_server():
    # 16 devices at 97 %: 6e19 / (16 x 1e15 x 0.5 x 0.97) = 7,731.96 s
    assert estimate_training(small_job(devices=16)).wall_time_s.expected == pytest.approx(7731.96, rel=1e-5)


def test_custom_pricing_multipliers_apply():
    estimate = estimate_training(small_job(pricing=PricingMultipliers(spot=0.3, reserved=0.5)))
    assert estimate.cost("spot").usd_per_device_hour == pytest.approx(0.6)
    assert estimate.cost("reserved").usd_per_device_hour == pytest.approx(1.0)


def test_unknown_pricing_option_is_rejected():
    with pytest.raises(ValueError):
        estimate_training(small_job()).cost("free")


def test_assumptions_cite_the_utilisation_sources():
    text = " ".join(estimate_training(small_job()).assumptions)
    assert "Llama 3" in text and "PaLM" in text


def test_curve_is_sorted_deduplicated_and_faster_with_more_devices():
    rows = training_curve(small_job(), [64, 1, 8, 8])
    assert [r["devices"] for r in rows] == [1, 8, 64]
    times = [r["wall_time_days_expected"] for r in rows]
    assert times == sorted(times, reverse=True)


def test_curve_cost_grows_once_scaling_loses_efficiency():
    rows = training_curve(small_job(), [1, 8, 64])
    assert rows[0]["cost_usd_on_demand"] == pytest.approx(rows[1]["cost_usd_on_demand"])
    assert rows[2]["cost_usd_on_demand"] > rows[1]["cost_usd_on_demand"]


def test_curve_rows_have_the_chart_columns():
    row = training_curve(small_job(), [2])[0]
    assert set(row) == {
        "devices",
        "scaling_efficiency",
        "wall_time_days_low",
        "wall_time_days_expected",
        "wall_time_days_high",
        "device_hours_expected",
        "cost_usd_on_demand",
        "cost_usd_spot",
        "cost_usd_reserved",
    }


@pytest.mark.parametrize("counts", [[], [0], [1.5], [-2], list(range(1, 300))])
def test_bad_curve_device_counts_are_rejected(counts):
    with pytest.raises(ValueError):
        training_curve(small_job(), counts)


@pytest.mark.parametrize(
    "overrides",
    [
        {"params": 0},
        {"params": float("nan")},
        {"params": -1e9},
        {"devices": 0},
        {"devices": 2.5},
        {"peak_flops_per_s": 0},
        {"price_usd_per_device_hour": -1},
        {"price_usd_per_device_hour": float("inf")},
        {"tokens": None},  # neither tokens nor samples
        {"samples": 1e6},  # both tokens and samples
        {"tokens": None, "samples": 1e6},  # samples without FLOPs per sample
        {"flops_per_sample": 1e9},  # FLOPs per sample with a dataset in tokens
        {"tokens": 0},
        {"epochs": 0},
        {"scaling_efficiency_per_doubling": 0.2},
        {"scaling_efficiency_per_doubling": 1.1},
    ],
)
def test_bad_job_is_rejected(overrides):
    with pytest.raises(ValueError):
        small_job(**overrides)


@pytest.mark.parametrize(("low", "expected", "high"), [(0.5, 0.4, 0.6), (0, 0.4, 0.5), (0.3, 0.4, 1.2)])
def test_bad_utilisation_band_is_rejected(low, expected, high):
    with pytest.raises(ValueError):
        UtilisationBand(low, expected, high)


@pytest.mark.parametrize(("spot", "reserved"), [(-0.1, 0.6), (0.4, 1.5), (float("nan"), 0.6)])
def test_bad_pricing_multipliers_are_rejected(spot, reserved):
    with pytest.raises(ValueError):
        PricingMultipliers(spot, reserved)


def test_huge_job_stays_finite():
    job = small_job(params=1e14, tokens=1e17, epochs=10_000, devices=1, peak_flops_per_s=1.0)
    estimate = estimate_training(job)
    assert math.isfinite(estimate.wall_time_s.high)
    assert math.isfinite(estimate.cost("on-demand").cost_usd.high)
