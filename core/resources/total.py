"""What a candidate's plan costs in all: one-off (training, data and labelling, building) and monthly (serving,
the team that runs it), and the payback against the value the model adds a month.

The lines come from the sections the scenario actually has: a scenario without a training section has no
training line (it is listed under ``not_set_up``), never a cost from defaults nobody entered.

* **Training**: the training section's compute on the plan's device at its price (one-off).
* **Data and labelling**: items x the vendor's price, or the in-house annotator hours at the team's
  annotator rate (core.resources.labelling; one-off).
* **Building the model**: the team plan's data, modelling and deployment phases (one-off); the data phase's
  annotators are left out here when the labelling line already pays for them.
* **Serving**: the serving plan's monthly cost at the average rate (replicas scale down to it); or, when the
  scenario serves on devices at the sites (core.resources.sites), their purchase (one-off) and power (monthly).
* **Running it**: the team plan's monitoring phase, per month.

Payback = one-off / (monthly value added - monthly costs), in months; none when the value does not cover
the monthly costs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.resources.sites import SiteCosts
from core.resources.team import LABELLING_ROLE, PHASES, TeamPlan, TeamRow
from core.text import format_usd


@dataclass(frozen=True)
class CostLine:
    label: str
    usd: float
    note: str = ""


@dataclass(frozen=True)
class ProjectCost:
    """One-off and monthly cost lines of one scenario, and the sections it lacks."""

    one_off: tuple[CostLine, ...]
    monthly: tuple[CostLine, ...]
    not_set_up: tuple[str, ...]
    unpriced: tuple[str, ...] = ()  # set up, but its device has no price: not in the total either

    @property
    def one_off_usd(self) -> float:
        return sum(line.usd for line in self.one_off)

    @property
    def monthly_usd(self) -> float:
        return sum(line.usd for line in self.monthly)


def _phase_cost(rows: Sequence[TeamRow], phases: Sequence[str], skip_annotators: bool) -> float:
    return sum(
        row.cost_usd
        for row in rows
        if row.phase in phases and not (skip_annotators and row.phase == PHASES[0] and row.role == LABELLING_ROLE)
    )


def project_cost(
    *,
    training_usd: float | None,
    labelling_usd: float | None,
    labelling_note: str = "",
    serving_usd_per_month: float | None,
    team: TeamPlan | None,
    monitoring_months: float = 0.0,
    unpriced: Sequence[str] = (),
    sites: SiteCosts | None = None,
) -> ProjectCost:
    """The cost lines of a scenario from what its sections computed (None: the section is not set up, or,
    when named in ``unpriced``, set up on a device without a price)."""
    one_off: list[CostLine] = []
    monthly: list[CostLine] = []
    missing: list[str] = []
    if training_usd is not None:
        one_off.append(CostLine("Training", training_usd, "compute at the on-demand price"))
    elif "training" not in unpriced:
        missing.append("training")
    if labelling_usd is not None:
        one_off.append(CostLine("Data and labelling", labelling_usd, labelling_note))
    else:
        missing.append("labelling")
    if team is not None:
        build = _phase_cost(team.rows, PHASES[:3], skip_annotators=labelling_usd is not None)
        one_off.append(CostLine("Building the model", build, "team: data, modelling and deployment phases"))
        if monitoring_months > 0:
            running = _phase_cost(team.rows, PHASES[3:], skip_annotators=False) / monitoring_months
            monthly.append(CostLine("Running it", running, "team: monitoring phase"))
    else:
        missing.append("team")
    if sites is not None:
        # Serving on owned devices at the sites: bought once, powered monthly, no rented replicas.
        one_off.append(CostLine("Devices at the sites", sites.capital_usd, f"{sites.devices:,} devices bought"))
        monthly.append(CostLine("Power at the sites", sites.power_usd_per_month, "the devices' electricity"))
    elif serving_usd_per_month is not None:
        monthly.append(CostLine("Serving", serving_usd_per_month, "at the average rate"))
    else:
        missing.append("serving")
    return ProjectCost(tuple(one_off), tuple(monthly), tuple(missing), tuple(unpriced))


def joined(lines: Sequence[CostLine]) -> str:
    """'training $4.06 + data and labelling $10,417', or 'none set up'."""
    return " + ".join(f"{line.label.lower()} {format_usd(line.usd)}" for line in lines) or "none set up"


def payback_months(one_off_usd: float, monthly_cost_usd: float, monthly_value_usd: float) -> float | None:
    """Months until the value added has paid for the one-off cost; None when it never does."""
    net = monthly_value_usd - monthly_cost_usd
    if net <= 0:
        return None
    return one_off_usd / net
