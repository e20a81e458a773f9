"""Serving on devices at the sites (stores, plants, vehicles, on premises): bought once, powered every month.

A planning meeting that serves at the edge does not rent replicas: it buys ``devices per site x sites``
devices and pays their power. The capital cost is one-off; each month costs the electricity of the devices
at their power draw, plus the purchase spread over the amortisation period for a monthly view (the project
total counts the purchase once, as one-off, and only the power monthly).

Prices and power default to the serving device's catalogue row (list price, TDP); a device without a list
price needs one typed in. Whether the devices at the sites can carry the load is the serving plan's question:
``covers_peak`` compares them with the replicas the peak needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.resources.accelerators import Accelerator
from core.resources.costs import HOURS_PER_MONTH, require_between, require_non_negative, require_positive, require_whole
from core.text import format_usd

MAX_SITES = 1_000_000
MAX_DEVICES_PER_SITE = 10_000
MAX_DEVICE_PRICE_USD = 10_000_000.0
MAX_POWER_W = 100_000.0


@dataclass(frozen=True)
class SiteDeployment:
    """How many sites, devices at each, and what a device costs to buy and to power."""

    sites: int
    devices_per_site: int = 1
    device_price_usd: float | None = None  # None: the serving device's catalogue list price
    power_w_per_device: float | None = None  # None: the serving device's TDP
    electricity_usd_per_kwh: float = 0.15
    amortisation_years: float = 4.0
    powered_share: float = 1.0  # share of the month's hours the devices run (1: always on)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "sites", require_whole("Sites", self.sites, 1, MAX_SITES))
        set_(
            self, "devices_per_site", require_whole("Devices per site", self.devices_per_site, 1, MAX_DEVICES_PER_SITE)
        )
        if self.device_price_usd is not None:
            set_(
                self,
                "device_price_usd",
                require_non_negative("Price per device (USD)", self.device_price_usd, MAX_DEVICE_PRICE_USD),
            )
        if self.power_w_per_device is not None:
            set_(
                self,
                "power_w_per_device",
                require_non_negative("Power per device (W)", self.power_w_per_device, MAX_POWER_W),
            )
        set_(
            self,
            "electricity_usd_per_kwh",
            require_non_negative("Electricity (USD per kWh)", self.electricity_usd_per_kwh, 10.0),
        )
        set_(self, "amortisation_years", require_positive("Amortisation (years)", self.amortisation_years, 30.0))
        set_(self, "powered_share", require_between("Share of hours powered (1 = 100 %)", self.powered_share, 0.0, 1.0))

    @property
    def devices(self) -> int:
        return self.sites * self.devices_per_site


@dataclass(frozen=True)
class SiteCosts:
    devices: int
    capital_usd: float
    power_usd_per_month: float
    amortisation_usd_per_month: float
    power_w_per_device: float
    assumptions: tuple[str, ...]

    @property
    def monthly_usd(self) -> float:
        """Power plus the purchase spread over the amortisation period: the monthly view of owning them."""
        return self.power_usd_per_month + self.amortisation_usd_per_month


def site_costs(deployment: SiteDeployment, device: Accelerator | None) -> SiteCosts:
    """Capital, power and amortisation of the devices at the sites; ValueError says what to enter."""
    price = deployment.device_price_usd
    if price is None:
        price = device.list_price_usd if device is not None else None
    if price is None:
        name = device.model if device is not None else "the serving device"
        raise ValueError(f"{name} has no list price in the catalogue: enter the price per device for the sites.")
    power_w = deployment.power_w_per_device
    if power_w is None:
        power_w = device.tdp_w if device is not None and device.tdp_w is not None else None
    if power_w is None:
        raise ValueError("The serving device has no power figure in the catalogue: enter the power per device.")
    devices = deployment.devices
    kwh_per_month = devices * power_w / 1000.0 * HOURS_PER_MONTH * deployment.powered_share
    power = kwh_per_month * deployment.electricity_usd_per_kwh
    capital = devices * price
    amortisation = capital / (deployment.amortisation_years * 12.0)
    assumptions = (
        f"Sites: {deployment.sites:,} x {deployment.devices_per_site:,} device(s) = {devices:,} devices bought at "
        f"{format_usd(price)} each ({format_usd(capital)} one-off).",
        f"Power: {power_w:g} W per device (its TDP unless entered; a conservative draw) x {HOURS_PER_MONTH:g} h x "
        f"{deployment.powered_share:.0%} of hours at ${deployment.electricity_usd_per_kwh:g}/kWh = "
        f"{format_usd(power)} a month; no cooling overhead (PUE 1) at a store or on a vehicle.",
        f"Monthly view of owning them: the purchase over {deployment.amortisation_years:g} years "
        f"({format_usd(amortisation)} a month) plus power; the project total counts the purchase once, as one-off.",
    )
    return SiteCosts(devices, capital, power, amortisation, power_w, assumptions)


def covers_peak(costs: SiteCosts, replicas_at_peak: int, devices_per_replica: int) -> str | None:
    """A sentence when the devices at the sites are fewer than the peak needs (None when they suffice)."""
    needed = replicas_at_peak * devices_per_replica
    if costs.devices >= needed:
        return None
    return (
        f"The {costs.devices:,} devices at the sites are fewer than the {needed:,} the peak needs "
        f"({replicas_at_peak:,} replica(s) of {devices_per_replica}); add devices per site or check the peak rate."
    )
