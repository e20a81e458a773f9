"""Serving on devices at the sites: bought once, powered monthly; in the project total instead of rented replicas."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.resources.accelerators import load_accelerators
from core.resources.sites import SiteDeployment, covers_peak, site_costs
from core.resources.total import project_cost

DEVICES = load_accelerators()
JETSON = DEVICES["jetson-orin-nano-8gb"]


def test_200_stores_with_a_jetson_each_cost_its_list_price_once_and_its_power_monthly() -> None:
    costs = site_costs(SiteDeployment(sites=200), JETSON)
    assert costs.devices == 200 and costs.capital_usd == pytest.approx(200 * 249)
    assert costs.power_usd_per_month == pytest.approx(200 * 25 / 1000 * 730 * 0.15)  # $547.50
    assert costs.amortisation_usd_per_month == pytest.approx(200 * 249 / 48)


@pytest.mark.parametrize(
    ("deployment", "capital", "power"),
    [
        (SiteDeployment(sites=10, devices_per_site=2, device_price_usd=500.0), 10_000.0, 20 * 25 / 1000 * 730 * 0.15),
        (
            SiteDeployment(sites=10, power_w_per_device=10.0, electricity_usd_per_kwh=0.3),
            2_490.0,
            10 * 10 / 1000 * 730 * 0.3,
        ),
        (SiteDeployment(sites=10, powered_share=0.5), 2_490.0, 10 * 25 / 1000 * 730 * 0.15 / 2),  # store hours
    ],
)
def test_typed_prices_power_and_hours_replace_the_catalogues(
    deployment: SiteDeployment, capital: float, power: float
) -> None:
    costs = site_costs(deployment, JETSON)
    assert costs.capital_usd == pytest.approx(capital) and costs.power_usd_per_month == pytest.approx(power)


def test_a_device_without_a_list_price_asks_for_one() -> None:
    unpriced = replace(JETSON, list_price_usd=None)
    with pytest.raises(ValueError, match="has no list price in the catalogue: enter the price per device"):
        site_costs(SiteDeployment(sites=3), unpriced)
    assert site_costs(SiteDeployment(sites=3, device_price_usd=100.0), unpriced).capital_usd == 300.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sites": 0}, "Sites must be"),
        ({"sites": 2.5}, "Sites must be a whole number"),
        ({"sites": 1, "devices_per_site": 0}, "Devices per site must be"),
        ({"sites": 1, "device_price_usd": -1.0}, "Price per device \\(USD\\) must be 0 or more"),
        ({"sites": 1, "powered_share": 1.5}, "Share of hours powered \\(1 = 100 %\\) must be between 0 and 1"),
    ],
)
def test_bad_site_inputs_say_what_to_fix(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SiteDeployment(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("sites", "short"), [(200, False), (3, True)])
def test_fewer_devices_than_the_peak_needs_are_named(sites: int, short: bool) -> None:
    costs = site_costs(SiteDeployment(sites=sites), JETSON)
    sentence = covers_peak(costs, replicas_at_peak=5, devices_per_replica=1)
    assert (sentence is not None) == short
    if sentence:
        assert "fewer than the 5 the peak needs" in sentence


def test_the_total_counts_the_sites_instead_of_rented_replicas() -> None:
    costs = site_costs(SiteDeployment(sites=200), JETSON)
    cost = project_cost(training_usd=None, labelling_usd=None, serving_usd_per_month=9_999.0, team=None, sites=costs)
    [bought] = cost.one_off
    [power] = cost.monthly
    assert (bought.label, power.label) == ("Devices at the sites", "Power at the sites")
    assert bought.usd == pytest.approx(49_800) and power.usd == pytest.approx(547.5)
    assert "serving" not in cost.not_set_up
