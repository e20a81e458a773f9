"""Buy versus cloud: hand-computed monthly costs and break-even points, plus the shared number checks."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from core.resources.costs import (
    DEFAULT_PUE,
    BuyVersusCloud,
    break_even_months,
    break_even_utilisation,
    ceil_count,
    compare_buy_versus_cloud,
    cost_by_utilisation,
    cumulative_cost_by_month,
    require_whole,
)

# 8 GPUs at $30,000, 700 W, PUE 1.4, $0.10/kWh, $1,000/month hosting, 4 years, $3/GPU-hour, 50 % busy, no idle draw.
CASE = BuyVersusCloud(
    purchase_price_usd_per_device=30_000,
    devices=8,
    tdp_w=700,
    electricity_usd_per_kwh=0.10,
    hosting_usd_per_month=1_000,
    amortisation_years=4,
    cloud_price_usd_per_device_hour=3.0,
    utilisation=0.5,
    pue=1.4,
    idle_power_fraction=0.0,
)


def test_monthly_owning_cost_by_hand():
    # capex: 8 x 30,000 / 48 months = 5,000
    # power: 8 x 0.7 kW x 1.4 x 730 h x 0.5 busy x $0.10 = 286.16
    # owning: 5,000 + 286.16 + 1,000 = 6,286.16
    result = compare_buy_versus_cloud(CASE)
    assert result.capex_usd_per_month == pytest.approx(5_000)
    assert result.power_usd_per_month == pytest.approx(286.16)
    assert result.owning_usd_per_month == pytest.approx(6_286.16)


def test_monthly_cloud_cost_by_hand():
    # 8 x $3 x 730 h x 0.5 = 8,760
    result = compare_buy_versus_cloud(CASE)
    assert result.cloud_usd_per_month == pytest.approx(8_760)
    assert result.cheaper == "own"


def test_break_even_utilisation_by_hand():
    # fixed 5,000 + 1,000 = 6,000; cloud at 100 % 17,520; power at 100 % 572.32
    # u* = 6,000 / (17,520 - 572.32) = 0.354032
    assert break_even_utilisation(CASE) == pytest.approx(0.354032, rel=1e-5)


def test_break_even_months_by_hand():
    # purchase 240,000 / (8,760 - 1,000 - 286.16) = 32.1120 months
    assert break_even_months(CASE) == pytest.approx(32.1120, rel=1e-5)
    assert compare_buy_versus_cloud(CASE).pays_back_within_amortisation


def test_idle_power_counts_outside_busy_hours():
    # 10 % idle: busy share 0.5 + 0.5 x 0.1 = 0.55 -> 572.32 x 0.55 = 314.776
    result = compare_buy_versus_cloud(replace(CASE, idle_power_fraction=0.1))
    assert result.power_usd_per_month == pytest.approx(314.776)


def test_default_pue_is_1_4():
    assert DEFAULT_PUE == 1.4


def test_low_utilisation_favours_the_cloud():
    result = compare_buy_versus_cloud(replace(CASE, utilisation=0.1))
    assert result.cheaper == "cloud"
    assert "Buying pays above 35%" in result.summary


def test_zero_utilisation_never_pays_back():
    result = compare_buy_versus_cloud(replace(CASE, utilisation=0.0))
    assert result.break_even_months is None
    assert result.cloud_usd_per_month == 0
    assert "never pays for itself" in result.summary


def test_cloud_cheaper_than_electricity_has_no_break_even():
    cheap_cloud = replace(CASE, cloud_price_usd_per_device_hour=0.05)  # below 0.7 kW x 1.4 x $0.10 = $0.098/h
    assert break_even_utilisation(cheap_cloud) is None
    assert "Renting stays cheaper" in compare_buy_versus_cloud(cheap_cloud).summary


def test_break_even_above_full_utilisation_is_reported_as_none():
    # fixed 6,000 > cloud at 100 % (8 x 0.5 x 730 = 2,920) minus power: no utilisation makes buying pay
    assert break_even_utilisation(replace(CASE, cloud_price_usd_per_device_hour=0.5)) is None


def test_slow_payback_is_flagged_against_the_amortisation_period():
    # 1-year amortisation (12 months) but 32.1 months to pay back
    result = compare_buy_versus_cloud(replace(CASE, amortisation_years=1))
    assert not result.pays_back_within_amortisation
    assert "longer than the 12-month amortisation period" in result.summary


def test_utilisation_curve_crosses_at_the_break_even():
    rows = cost_by_utilisation(CASE, steps=11)
    assert len(rows) == 11
    assert rows[0]["utilisation"] == 0 and rows[-1]["utilisation"] == 1
    assert rows[3]["owning_usd_per_month"] > rows[3]["cloud_usd_per_month"]  # 30 % < 35.4 %
    assert rows[4]["owning_usd_per_month"] < rows[4]["cloud_usd_per_month"]  # 40 % > 35.4 %


def test_cumulative_curve_starts_at_the_purchase_price_and_spans_the_amortisation():
    rows = cumulative_cost_by_month(CASE)
    assert len(rows) == 49  # months 0..48
    assert rows[0]["owning_cumulative_usd"] == pytest.approx(240_000)
    assert rows[0]["cloud_cumulative_usd"] == 0
    # month 33 is the first month past the 32.1-month break-even
    assert rows[32]["cloud_cumulative_usd"] < rows[32]["owning_cumulative_usd"]
    assert rows[33]["cloud_cumulative_usd"] > rows[33]["owning_cumulative_usd"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"purchase_price_usd_per_device": -1},
        {"purchase_price_usd_per_device": 0},
        {"purchase_price_usd_per_device": float("nan")},
        {"devices": 0},
        {"devices": 1.5},
        {"tdp_w": 0},
        {"electricity_usd_per_kwh": -0.1},
        {"hosting_usd_per_month": -1},
        {"amortisation_years": 0},
        {"cloud_price_usd_per_device_hour": -1},
        {"cloud_price_usd_per_device_hour": float("inf")},
        {"utilisation": 1.1},
        {"utilisation": -0.1},
        {"pue": 0.9},
        {"idle_power_fraction": 2},
    ],
)
def test_bad_inputs_are_rejected(overrides):
    with pytest.raises(ValueError):
        replace(CASE, **overrides)


def test_price_message_is_actionable():
    with pytest.raises(ValueError, match=r"^Cloud price per device-hour \(USD\) must be above 0; got -1\.$"):
        replace(CASE, cloud_price_usd_per_device_hour=-1)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(13.000000000000002, 13), (13.5, 14), (1.0, 1), (0.001, 1), (0.0, 0), (2_031_250.0000001, 2_031_250)],
)
def test_ceil_count_ignores_floating_point_fuzz(amount, expected):
    assert ceil_count(amount) == expected


@pytest.mark.parametrize(("value", "ok"), [(4, True), (4.0, True), (4.5, False), (True, False), ("4", False)])
def test_require_whole(value, ok):
    if ok:
        assert require_whole("Batch size", value, 1, 10) == 4
    else:
        with pytest.raises(ValueError):
            require_whole("Batch size", value, 1, 10)


def test_results_are_never_negative():
    result = compare_buy_versus_cloud(replace(CASE, electricity_usd_per_kwh=0, hosting_usd_per_month=0))
    for value in (result.owning_usd_per_month, result.cloud_usd_per_month, result.power_usd_per_month):
        assert value >= 0 and math.isfinite(value)
