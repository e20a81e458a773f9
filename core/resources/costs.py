"""Buying accelerators versus renting them, plus the number checks the planning modules share.

The buy-versus-cloud model compares a month of owning devices (purchase price
spread over the amortisation period, electricity through the facility's PUE,
hosting) with a month of renting the same number of devices by the hour for the
hours they are busy. It answers two questions a budget owner asks: above what
utilisation does buying pay, and after how many months has the purchase paid
for itself at the utilisation we expect?

The checks at the top (``require_*``) are used by serving, training, team and
plan too, so every planning input is validated the same way and fails with one
sentence a user can act on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from core.text import INVISIBLE_ONLY, format_usd, has_visible_text, quote_prefix

# A month is 365 days x 24 h / 12 = 730 h: the convention AWS, Google Cloud and
# Azure use to turn hourly prices into monthly estimates in their calculators.
HOURS_PER_MONTH = 730.0

# Power usage effectiveness (total facility power / IT power). 1.4 sits between
# hyperscale sites (~1.1) and the industry-wide average the Uptime Institute
# reports (1.58 in its 2023 Global Data Center Survey; flat at 1.55-1.59 since
# 2020): https://intelligence.uptimeinstitute.com/resource/large-data-centers-are-mostly-more-efficient-analysis-confirms
DEFAULT_PUE = 1.4

# Assumption, not a measurement: an idle data-centre accelerator still draws
# about a tenth of its TDP. Set 0 to count busy hours only.
DEFAULT_IDLE_POWER_FRACTION = 0.1

# Far above any real purchase, but small enough that every product stays finite.
MAX_USD = 1e15
MAX_DEVICES = 10_000_000


# --- shared checks -----------------------------------------------------------


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return quote_prefix(value)
    try:
        text = str(value)  # numbers as written (numpy's repr would add its type name)
    except ValueError:  # an integer too long to print
        return "a number too long to show"
    return text if len(text) <= 60 else text[:60] + "…"


def require_number(label: str, value: Any) -> float:
    """``value`` as a finite float, or ValueError naming ``label`` (NaN, inf, text and booleans fail)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{label} must be a number; got {_describe(value)}.")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{label} must be a finite number; got {_describe(value)}.")
    return number


def require_positive(label: str, value: Any, maximum: float) -> float:
    """A finite number above 0 and at most ``maximum``."""
    number = require_number(label, value)
    if number <= 0:
        raise ValueError(f"{label} must be above 0; got {_describe(value)}.")
    if number > maximum:
        raise ValueError(f"{label} must be at most {maximum:g}; got {_describe(value)}.")
    return number


def require_non_negative(label: str, value: Any, maximum: float) -> float:
    """A finite number from 0 to ``maximum``."""
    number = require_number(label, value)
    if number < 0:
        raise ValueError(f"{label} must be 0 or more; got {_describe(value)}.")
    if number > maximum:
        raise ValueError(f"{label} must be at most {maximum:g}; got {_describe(value)}.")
    return number


def require_between(label: str, value: Any, low: float, high: float) -> float:
    """A finite number in the closed range [low, high]."""
    number = require_number(label, value)
    if not low <= number <= high:
        raise ValueError(f"{label} must be between {low:g} and {high:g}; got {_describe(value)}.")
    return number


def require_whole(label: str, value: Any, minimum: int, maximum: int) -> int:
    """A whole number in [minimum, maximum]; integral floats such as 4.0 are accepted as 4."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{label} must be a whole number; got {_describe(value)}.")
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise ValueError(f"{label} must be a whole number; got {_describe(value)}.")
    number = int(value)
    if number < minimum:
        raise ValueError(f"{label} must be a whole number of at least {minimum}; got {_describe(value)}.")
    if number > maximum:
        raise ValueError(f"{label} must be a whole number of at most {maximum}; got {_describe(value)}.")
    return number


def require_text(label: str, value: Any, max_chars: int) -> str:
    """Non-blank text of at most ``max_chars`` characters, stripped of surrounding spaces."""
    if not isinstance(value, str):
        raise ValueError(f"{label} must be text; got {_describe(value)}.")
    text = value.strip()
    if not text:
        raise ValueError(f"{label} must not be empty.")
    if not has_visible_text(text):
        raise ValueError(f"{label} needs at least one visible character; {INVISIBLE_ONLY}.")
    if len(text) > max_chars:
        raise ValueError(f"{label} must be at most {max_chars} characters; got {len(text)}.")
    return text


def require_choice(label: str, value: Any, choices: tuple[str, ...]) -> str:
    """One of ``choices``, exactly."""
    if value not in choices:
        raise ValueError(f"{label} must be one of {', '.join(choices)}; got {_describe(value)}.")
    return str(value)


def ceil_count(amount: float) -> int:
    """Round a count up, ignoring floating-point fuzz (13.000000000000002 -> 13, not 14)."""
    if amount <= 0:
        return 0
    count = math.ceil(amount)
    if count - 1 >= amount * (1 - 1e-13):
        count -= 1
    return count


# --- buy versus cloud --------------------------------------------------------


@dataclass(frozen=True)
class BuyVersusCloud:
    """Inputs for owning ``devices`` accelerators versus renting them by the hour.

    Money in US dollars. ``hosting_usd_per_month`` is for the whole deployment
    (rack space, network, support contract, a share of an administrator).
    ``utilisation`` is the fraction of the month's hours the devices are busy;
    the cloud is paid only for those hours, owned devices cost money all month.
    ``pue`` (power usage effectiveness) defaults to 1.4, see ``DEFAULT_PUE``.
    """

    purchase_price_usd_per_device: float
    devices: int
    tdp_w: float
    electricity_usd_per_kwh: float
    hosting_usd_per_month: float
    amortisation_years: float
    cloud_price_usd_per_device_hour: float
    utilisation: float
    pue: float = DEFAULT_PUE
    idle_power_fraction: float = DEFAULT_IDLE_POWER_FRACTION

    def __post_init__(self) -> None:
        checks = {
            "purchase_price_usd_per_device": require_positive(
                "Purchase price per device (USD)", self.purchase_price_usd_per_device, MAX_USD
            ),
            "devices": require_whole("Number of devices", self.devices, 1, MAX_DEVICES),
            "tdp_w": require_positive("Power draw per device (TDP, W)", self.tdp_w, 100_000),
            "electricity_usd_per_kwh": require_non_negative(
                "Electricity price (USD per kWh)", self.electricity_usd_per_kwh, 100
            ),
            "hosting_usd_per_month": require_non_negative(
                "Hosting cost (USD per month)", self.hosting_usd_per_month, MAX_USD
            ),
            "amortisation_years": require_positive("Amortisation period (years)", self.amortisation_years, 30),
            "cloud_price_usd_per_device_hour": require_positive(
                "Cloud price per device-hour (USD)", self.cloud_price_usd_per_device_hour, 100_000
            ),
            "utilisation": require_between("Utilisation (fraction of hours busy)", self.utilisation, 0, 1),
            "pue": require_between("PUE (facility power / IT power)", self.pue, 1, 4),
            "idle_power_fraction": require_between("Idle power (fraction of TDP)", self.idle_power_fraction, 0, 1),
        }
        for name, value in checks.items():
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class BuyVersusCloudResult:
    """Monthly costs at the stated utilisation and the two break-even points (USD, months)."""

    capex_usd_per_month: float
    power_usd_per_month: float
    hosting_usd_per_month: float
    owning_usd_per_month: float
    cloud_usd_per_month: float
    cheaper: str  # "own", "cloud" or "equal"
    break_even_utilisation: float | None
    break_even_months: float | None
    pays_back_within_amortisation: bool
    summary: str
    assumptions: tuple[str, ...]


def _power_usd_per_month(inputs: BuyVersusCloud, utilisation: float) -> float:
    """Electricity for a month: TDP while busy, ``idle_power_fraction`` x TDP otherwise, through the PUE."""
    full_kw = inputs.devices * inputs.tdp_w / 1000 * inputs.pue
    busy_share = utilisation + (1 - utilisation) * inputs.idle_power_fraction
    return full_kw * HOURS_PER_MONTH * busy_share * inputs.electricity_usd_per_kwh


def _capex_usd_per_month(inputs: BuyVersusCloud) -> float:
    return inputs.purchase_price_usd_per_device * inputs.devices / (inputs.amortisation_years * 12)


def owning_usd_per_month(inputs: BuyVersusCloud, utilisation: float) -> float:
    """Straight-line amortisation + electricity + hosting, USD per month, at ``utilisation``."""
    return _capex_usd_per_month(inputs) + _power_usd_per_month(inputs, utilisation) + inputs.hosting_usd_per_month


def cloud_usd_per_month(inputs: BuyVersusCloud, utilisation: float) -> float:
    """Renting the same devices for the busy hours only, USD per month."""
    return inputs.devices * inputs.cloud_price_usd_per_device_hour * HOURS_PER_MONTH * utilisation


def break_even_utilisation(inputs: BuyVersusCloud) -> float | None:
    """Utilisation (0..1) above which owning is cheaper per month, or None if renting always wins.

    Owning costs F + V x u a month (F: amortisation, hosting and idle power;
    V: the extra power of busy hours); the cloud costs C x u. They meet at
    u* = F / (C - V).
    """
    fixed = _capex_usd_per_month(inputs) + inputs.hosting_usd_per_month + _power_usd_per_month(inputs, 0.0)
    variable = _power_usd_per_month(inputs, 1.0) - _power_usd_per_month(inputs, 0.0)
    cloud_full = cloud_usd_per_month(inputs, 1.0)
    if cloud_full <= variable:
        return None
    utilisation = fixed / (cloud_full - variable)
    return utilisation if utilisation <= 1 else None


def break_even_months(inputs: BuyVersusCloud) -> float | None:
    """Months until the cash spent on owning (purchase up front, then power and hosting) equals the
    cloud bill at the stated utilisation; None if the cloud is cheaper month by month."""
    running_own = _power_usd_per_month(inputs, inputs.utilisation) + inputs.hosting_usd_per_month
    saving_per_month = cloud_usd_per_month(inputs, inputs.utilisation) - running_own
    if saving_per_month <= 0:
        return None
    return inputs.purchase_price_usd_per_device * inputs.devices / saving_per_month


def compare_buy_versus_cloud(inputs: BuyVersusCloud) -> BuyVersusCloudResult:
    """Monthly cost of owning versus cloud at ``inputs.utilisation``, with both break-even points."""
    capex = _capex_usd_per_month(inputs)
    power = _power_usd_per_month(inputs, inputs.utilisation)
    owning = capex + power + inputs.hosting_usd_per_month
    cloud = cloud_usd_per_month(inputs, inputs.utilisation)
    cheaper = "own" if owning < cloud else "cloud"
    if math.isclose(owning, cloud, rel_tol=1e-9):
        cheaper = "equal"
    utilisation_star = break_even_utilisation(inputs)
    months_star = break_even_months(inputs)
    amortisation_months = inputs.amortisation_years * 12
    pays_back = months_star is not None and months_star <= amortisation_months

    at = f"{inputs.utilisation:.0%} utilisation"
    if cheaper == "own":
        lead = f"At {at}, owning costs {format_usd(owning)} a month against {format_usd(cloud)} in the cloud."
    elif cheaper == "cloud":
        lead = f"At {at}, the cloud costs {format_usd(cloud)} a month against {format_usd(owning)} for owning."
    else:
        lead = f"At {at}, owning and the cloud cost the same: {format_usd(owning)} a month."
    if utilisation_star is None:
        middle = " Renting stays cheaper at any utilisation."
    else:
        middle = f" Buying pays above {utilisation_star:.0%} utilisation."
    if months_star is None:
        tail = " At this utilisation the purchase never pays for itself."
    elif pays_back:
        tail = f" The purchase pays for itself after {months_star:.1f} months."
    else:
        tail = (
            f" The purchase would take {months_star:.1f} months to pay for itself, longer than the "
            f"{amortisation_months:.0f}-month amortisation period."
        )
    assumptions = (
        f"A month is {HOURS_PER_MONTH:.0f} hours (365 x 24 / 12), as cloud price calculators use.",
        "Purchase price is spread evenly over the amortisation period (straight line, no resale value, "
        "no financing cost).",
        f"Electricity = devices x TDP x PUE ({inputs.pue:g}) x hours x price; busy hours draw the full TDP, "
        f"idle hours {inputs.idle_power_fraction:.0%} of it. Host CPUs, memory and networking are not counted.",
        "The cloud is paid only for busy hours at the on-demand price; commitments or spot capacity change that.",
        "Break-even months compare cash: the whole purchase up front against monthly cloud bills.",
    )
    return BuyVersusCloudResult(
        capex_usd_per_month=capex,
        power_usd_per_month=power,
        hosting_usd_per_month=inputs.hosting_usd_per_month,
        owning_usd_per_month=owning,
        cloud_usd_per_month=cloud,
        cheaper=cheaper,
        break_even_utilisation=utilisation_star,
        break_even_months=months_star,
        pays_back_within_amortisation=pays_back,
        summary=lead + middle + tail,
        assumptions=assumptions,
    )


def cost_by_utilisation(inputs: BuyVersusCloud, steps: int = 21) -> list[dict[str, float]]:
    """Rows for a chart of monthly cost (USD) against utilisation from 0 to 1 in ``steps`` points."""
    steps = require_whole("Number of chart points", steps, 2, 1001)
    rows = []
    for i in range(steps):
        utilisation = i / (steps - 1)
        rows.append(
            {
                "utilisation": utilisation,
                "owning_usd_per_month": owning_usd_per_month(inputs, utilisation),
                "cloud_usd_per_month": cloud_usd_per_month(inputs, utilisation),
            }
        )
    return rows


def cumulative_cost_by_month(inputs: BuyVersusCloud, months: int | None = None) -> list[dict[str, float]]:
    """Rows for a chart of cumulative cash spent (USD) by month at the stated utilisation.

    Owning starts at the purchase price (month 0) and adds power and hosting;
    the cloud starts at 0. Defaults to the amortisation period (at most 360 months).
    """
    if months is None:
        months = max(1, min(360, math.ceil(inputs.amortisation_years * 12)))
    months = require_whole("Number of months to chart", months, 1, 360)
    purchase = inputs.purchase_price_usd_per_device * inputs.devices
    running_own = _power_usd_per_month(inputs, inputs.utilisation) + inputs.hosting_usd_per_month
    cloud = cloud_usd_per_month(inputs, inputs.utilisation)
    return [
        {
            "month": float(month),
            "owning_cumulative_usd": purchase + running_own * month,
            "cloud_cumulative_usd": cloud * month,
        }
        for month in range(months + 1)
    ]
