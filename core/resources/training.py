"""Training plan: total compute, wall time on N devices, device-hours and cost at three prices.

Compute follows the standard counts:

* transformers: 6 x parameters FLOPs per training token (2 for the forward
  pass, 4 for the backward pass; Kaplan et al. 2020, "Scaling Laws for Neural
  Language Models", section 2.1), attention FLOPs excluded;
* vision and other models: 3 x the forward FLOPs per sample (the backward pass
  costs about twice the forward).

Wall time = total FLOPs / (devices x peak FLOP/s x utilisation x scaling
efficiency). Utilisation is model FLOPs utilisation (MFU): the share of the
device's dense peak that useful model FLOPs reach. The default band
0.30 / 0.40 / 0.50 comes from published runs: Llama 3 405B reached 38-43 % BF16
MFU on 8,192-16,384 H100s ("The Llama 3 Herd of Models", 2024, table 4);
PaLM 540B reached 46.2 % on 6,144 TPU v4 chips (Chowdhery et al. 2022,
table 3); an eager-PyTorch Llama-3.2-1B run measured for Greenlight on an
H200 reached 33 % (shared/calibration). Plain numbers only: the estimator
supplies parameters, FLOPs and device peaks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from core.resources.costs import (
    MAX_DEVICES,
    require_between,
    require_non_negative,
    require_positive,
    require_whole,
)
from core.text import format_usd, quote_prefix

SECONDS_PER_HOUR = 3600.0
SECONDS_PER_DAY = 86_400.0
MAX_PARAMS = 1e14
MAX_DATASET_UNITS = 1e17
MAX_EPOCHS = 10_000.0
MAX_FLOPS_PER_UNIT = 1e18
MAX_PEAK_FLOPS_PER_S = 1e18
MAX_PRICE_USD_PER_DEVICE_HOUR = 100_000.0

# Assumption (rule of thumb, not a measurement): devices inside one server
# (8, linked by NVLink or similar) scale perfectly; each doubling beyond one
# server keeps 97 % of the per-device rate, lost to gradient all-reduce and
# pipeline bubbles. Set 1.0 when your utilisation figure was measured at the
# scale you plan (the Llama 3 and PaLM MFU figures were).
DEFAULT_SCALING_EFFICIENCY_PER_DOUBLING = 0.97
DEVICES_PER_SERVER = 8

# Spot and committed-use prices as fractions of on-demand, editable. Spot: Google
# Cloud states Spot VMs cost 60-91 % less than on-demand
# (cloud.google.com/compute/docs/instances/create-use-spot, read November 2026)
# and AWS "up to 90 %"; GPU capacity usually sits at the shallow end, so 0.40.
# Reserved: AWS Savings Plans advertise up to 72 % off (aws.amazon.com/savingsplans,
# 3-year, all upfront), while a 1-year commitment is typically 30-40 % off; 0.60.
DEFAULT_SPOT_MULTIPLIER = 0.40
DEFAULT_RESERVED_MULTIPLIER = 0.60

# A device nobody rents by the hour (a laptop, Apple silicon, an edge module) still trains: time without cost.
NO_PRICE_SENTENCE = "No price per device-hour for this device: time only; enter a price to see the cost."

DEFAULT_CURVE_DEVICE_COUNTS: tuple[int, ...] = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)

PRICING_OPTIONS: tuple[str, ...] = ("on-demand", "spot", "reserved")


def transformer_flops_per_token(params: float) -> float:
    """Training FLOPs per token of a dense transformer: 6 x parameters (Kaplan et al. 2020)."""
    return 6.0 * require_positive("Parameter count", params, MAX_PARAMS)


def vision_flops_per_sample(forward_flops_per_sample: float) -> float:
    """Training FLOPs per sample from the forward FLOPs: forward + backward (~2 x forward) = 3 x forward."""
    return 3.0 * require_positive("Forward FLOPs per sample", forward_flops_per_sample, MAX_FLOPS_PER_UNIT)


@dataclass(frozen=True)
class UtilisationBand:
    """Model FLOPs utilisation (fraction of dense peak) at the pessimistic, expected and optimistic ends."""

    low: float = 0.30
    expected: float = 0.40
    high: float = 0.50

    def __post_init__(self) -> None:
        low = require_between("Low utilisation (MFU)", self.low, 0.001, 1)
        expected = require_between("Expected utilisation (MFU)", self.expected, 0.001, 1)
        high = require_between("High utilisation (MFU)", self.high, 0.001, 1)
        if not low <= expected <= high:
            raise ValueError(
                f"Utilisation must rise from low to expected to high; got {low:g}, {expected:g}, {high:g}."
            )
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "expected", expected)
        object.__setattr__(self, "high", high)


@dataclass(frozen=True)
class PricingMultipliers:
    """Spot and reserved prices as fractions of the on-demand price (see the defaults' sources above)."""

    spot: float = DEFAULT_SPOT_MULTIPLIER
    reserved: float = DEFAULT_RESERVED_MULTIPLIER

    def __post_init__(self) -> None:
        object.__setattr__(self, "spot", require_between("Spot price (fraction of on-demand)", self.spot, 0, 1))
        object.__setattr__(
            self, "reserved", require_between("Reserved price (fraction of on-demand)", self.reserved, 0, 1)
        )


@dataclass(frozen=True)
class Band:
    """Three values of one quantity, low <= expected <= high (a time's low end comes from high utilisation)."""

    low: float
    expected: float
    high: float


@dataclass(frozen=True)
class TrainingJob:
    """One training run: model size, data, compute per unit of data, devices and prices.

    Give ``tokens`` (language models; FLOPs per token default to 6 x params) or
    ``samples`` with ``flops_per_sample`` (training FLOPs, i.e. 3 x forward; see
    ``vision_flops_per_sample``). ``peak_flops_per_s`` is one device's dense
    peak in the training precision; ``price_usd_per_device_hour`` the on-demand
    price of one device, None when nobody knows it (the time is still estimated,
    the cost is not).
    """

    params: float
    devices: int
    peak_flops_per_s: float
    price_usd_per_device_hour: float | None
    tokens: float | None = None
    samples: float | None = None
    epochs: float = 1.0
    flops_per_token: float | None = None
    flops_per_sample: float | None = None
    utilisation: UtilisationBand = field(default_factory=UtilisationBand)
    scaling_efficiency_per_doubling: float = DEFAULT_SCALING_EFFICIENCY_PER_DOUBLING
    pricing: PricingMultipliers = field(default_factory=PricingMultipliers)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "params", require_positive("Parameter count", self.params, MAX_PARAMS))
        set_(self, "devices", require_whole("Number of devices", self.devices, 1, MAX_DEVICES))
        set_(
            self,
            "peak_flops_per_s",
            require_positive("Peak FLOP/s per device", self.peak_flops_per_s, MAX_PEAK_FLOPS_PER_S),
        )
        if self.price_usd_per_device_hour is not None:
            set_(
                self,
                "price_usd_per_device_hour",
                require_non_negative(
                    "Price per device-hour (USD)", self.price_usd_per_device_hour, MAX_PRICE_USD_PER_DEVICE_HOUR
                ),
            )
        set_(self, "epochs", require_positive("Epochs", self.epochs, MAX_EPOCHS))
        set_(
            self,
            "scaling_efficiency_per_doubling",
            require_between("Scaling efficiency per doubling", self.scaling_efficiency_per_doubling, 0.5, 1),
        )
        if not isinstance(self.utilisation, UtilisationBand):
            raise ValueError("Utilisation must be a band of low, expected and high MFU.")
        if not isinstance(self.pricing, PricingMultipliers):
            raise ValueError("Pricing must give spot and reserved multipliers.")
        if (self.tokens is None) == (self.samples is None):
            raise ValueError("Give the dataset size either in tokens or in samples, not both and not neither.")
        if self.tokens is not None:
            set_(self, "tokens", require_positive("Dataset tokens", self.tokens, MAX_DATASET_UNITS))
            if self.flops_per_sample is not None:
                raise ValueError("FLOPs per sample apply to a dataset in samples; give FLOPs per token instead.")
            if self.flops_per_token is not None:
                set_(
                    self,
                    "flops_per_token",
                    require_positive("Training FLOPs per token", self.flops_per_token, MAX_FLOPS_PER_UNIT),
                )
        else:
            set_(self, "samples", require_positive("Dataset samples", self.samples, MAX_DATASET_UNITS))
            if self.flops_per_token is not None:
                raise ValueError("FLOPs per token apply to a dataset in tokens; give FLOPs per sample instead.")
            if self.flops_per_sample is None:
                raise ValueError("A dataset in samples needs the training FLOPs per sample (3 x the forward FLOPs).")
            set_(
                self,
                "flops_per_sample",
                require_positive("Training FLOPs per sample", self.flops_per_sample, MAX_FLOPS_PER_UNIT),
            )

    @property
    def flops_per_unit(self) -> float:
        """Training FLOPs per token or per sample, whichever the dataset is counted in."""
        if self.tokens is not None:
            return self.flops_per_token if self.flops_per_token is not None else 6.0 * self.params
        assert self.flops_per_sample is not None  # guaranteed by __post_init__
        return self.flops_per_sample

    @property
    def total_flops(self) -> float:
        units = self.tokens if self.tokens is not None else self.samples
        assert units is not None
        return units * self.epochs * self.flops_per_unit


def scaling_efficiency(devices: int, per_doubling: float = DEFAULT_SCALING_EFFICIENCY_PER_DOUBLING) -> float:
    """Fraction of the per-device rate kept on ``devices``: 1 within a server, x ``per_doubling`` per
    doubling beyond it (assumption, see DEFAULT_SCALING_EFFICIENCY_PER_DOUBLING)."""
    devices = require_whole("Number of devices", devices, 1, MAX_DEVICES)
    per_doubling = require_between("Scaling efficiency per doubling", per_doubling, 0.5, 1)
    doublings = max(0.0, math.log2(devices / DEVICES_PER_SERVER))
    return float(per_doubling**doublings)


@dataclass(frozen=True)
class PricedCost:
    """The run's cost at one pricing option (USD), low/expected/high following the wall-time band."""

    option: str
    usd_per_device_hour: float
    cost_usd: Band


@dataclass(frozen=True)
class TrainingEstimate:
    """Total compute (FLOPs), wall time (s), device-hours and cost per pricing option, with assumptions.

    ``costs`` is empty when the job has no price per device-hour (``priced`` False)."""

    total_flops: float
    flops_per_unit: float
    unit: str  # "token" or "sample"
    devices: int
    scaling_efficiency: float
    wall_time_s: Band
    device_hours: Band
    costs: tuple[PricedCost, ...]
    assumptions: tuple[str, ...]

    @property
    def priced(self) -> bool:
        return bool(self.costs)

    @property
    def on_demand_usd(self) -> float | None:
        """The expected on-demand cost (USD), None without a price."""
        return self.cost("on-demand").cost_usd.expected if self.priced else None

    def cost(self, option: str) -> PricedCost:
        """The cost row for ``option`` (one of PRICING_OPTIONS)."""
        if not self.priced:
            raise ValueError(NO_PRICE_SENTENCE)
        for row in self.costs:
            if row.option == option:
                return row
        raise ValueError(f"Pricing option must be one of {', '.join(PRICING_OPTIONS)}; got {quote_prefix(option)}.")


def estimate_training(job: TrainingJob) -> TrainingEstimate:
    """Total FLOPs, wall time, device-hours and cost of ``job`` at on-demand, spot and reserved prices."""
    efficiency = scaling_efficiency(job.devices, job.scaling_efficiency_per_doubling)
    total = job.total_flops
    rate_per_utilisation = job.devices * job.peak_flops_per_s * efficiency

    def seconds(utilisation: float) -> float:
        return total / (rate_per_utilisation * utilisation)

    wall = Band(
        low=seconds(job.utilisation.high),
        expected=seconds(job.utilisation.expected),
        high=seconds(job.utilisation.low),
    )
    hours = Band(
        low=wall.low * job.devices / SECONDS_PER_HOUR,
        expected=wall.expected * job.devices / SECONDS_PER_HOUR,
        high=wall.high * job.devices / SECONDS_PER_HOUR,
    )
    on_demand = job.price_usd_per_device_hour
    prices: dict[str, float] = {}
    if on_demand is not None:
        prices = {
            "on-demand": on_demand,
            "spot": on_demand * job.pricing.spot,
            "reserved": on_demand * job.pricing.reserved,
        }
    costs = tuple(
        PricedCost(
            option=option,
            usd_per_device_hour=price,
            cost_usd=Band(low=hours.low * price, expected=hours.expected * price, high=hours.high * price),
        )
        for option, price in prices.items()
    )
    unit = "token" if job.tokens is not None else "sample"
    if job.tokens is not None and job.flops_per_token is None:
        compute_rule = "Compute = 6 x parameters x tokens x epochs (Kaplan et al. 2020); attention FLOPs excluded."
    elif unit == "token":
        compute_rule = "Compute = the given training FLOPs per token x tokens x epochs."
    else:
        compute_rule = "Compute = training FLOPs per sample (3 x forward) x samples x epochs."
    assumptions = (
        compute_rule,
        f"Model FLOPs utilisation {job.utilisation.low:.0%} / {job.utilisation.expected:.0%} / "
        f"{job.utilisation.high:.0%} of the dense peak (Llama 3: 38-43 % on H100; PaLM: 46 % on TPU v4).",
        f"Scaling efficiency on {job.devices} device(s): {efficiency:.0%} (perfect within a "
        f"{DEVICES_PER_SERVER}-device server, x{job.scaling_efficiency_per_doubling:g} per doubling beyond).",
        "Wall time counts training steps only: no evaluation, checkpointing, restarts after failures or "
        "hyper-parameter search.",
        f"Spot = {job.pricing.spot:.0%} and reserved = {job.pricing.reserved:.0%} of the on-demand price; spot "
        "assumes no time lost to pre-emption (checkpoint often)."
        if on_demand is not None
        else NO_PRICE_SENTENCE,
    )
    return TrainingEstimate(
        total_flops=total,
        flops_per_unit=job.flops_per_unit,
        unit=unit,
        devices=job.devices,
        scaling_efficiency=efficiency,
        wall_time_s=wall,
        device_hours=hours,
        costs=costs,
        assumptions=assumptions,
    )


def training_curve(
    job: TrainingJob, device_counts: Sequence[int] = DEFAULT_CURVE_DEVICE_COUNTS
) -> list[dict[str, float]]:
    """Rows for a chart of wall time (days) and cost (USD) against the number of devices.

    Each row: devices, scaling_efficiency, wall_time_days_low / _expected /
    _high, device_hours_expected, cost_usd_on_demand / _spot / _reserved (at
    expected utilisation; left out when the job has no price). Sorted by devices, duplicates dropped.
    """
    if len(device_counts) == 0:
        raise ValueError("Give at least one device count for the chart.")
    if len(device_counts) > 200:
        raise ValueError(f"Give at most 200 device counts for the chart; got {len(device_counts)}.")
    counts = sorted({require_whole("Number of devices", n, 1, MAX_DEVICES) for n in device_counts})
    rows = []
    for devices in counts:
        estimate = estimate_training(replace(job, devices=devices))
        row = {
            "devices": float(devices),
            "scaling_efficiency": estimate.scaling_efficiency,
            "wall_time_days_low": estimate.wall_time_s.low / SECONDS_PER_DAY,
            "wall_time_days_expected": estimate.wall_time_s.expected / SECONDS_PER_DAY,
            "wall_time_days_high": estimate.wall_time_s.high / SECONDS_PER_DAY,
            "device_hours_expected": estimate.device_hours.expected,
        }
        if estimate.priced:
            row["cost_usd_on_demand"] = estimate.cost("on-demand").cost_usd.expected
            row["cost_usd_spot"] = estimate.cost("spot").cost_usd.expected
            row["cost_usd_reserved"] = estimate.cost("reserved").cost_usd.expected
        rows.append(row)
    return rows


def describe_training(estimate: TrainingEstimate) -> str:
    """One sentence for the page: expected days on N devices and the on-demand cost."""
    days = estimate.wall_time_s.expected / SECONDS_PER_DAY
    on_demand = estimate.on_demand_usd
    cost = f"{format_usd(on_demand)} at on-demand prices" if on_demand is not None else "no price, so no cost"
    return (
        f"About {days:,.1f} days on {estimate.devices:,} device(s) "
        f"({estimate.device_hours.expected:,.0f} device-hours), {cost}."
    )
