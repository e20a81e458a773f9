"""A default monthly running cost for the break-even model metric, taken from the project's resource plan.

The resources page saves scenarios and marks one as chosen. When the chosen scenario has
buy-versus-cloud inputs, its devices cost a known amount a month: the cheaper of owning them
(amortisation, power, hosting) and renting them for the busy hours, at the scenario's
utilisation (`core.resources.costs`). That is offered as the default; people, data labelling and
other running costs are not in it, which the page says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.resources.costs import compare_buy_versus_cloud
from core.resources.plan import ResourcesSection


@dataclass(frozen=True)
class RunningCostDefault:
    """`monthly_usd` (USD per month) of scenario `scenario`; `basis` says how it was priced."""

    monthly_usd: float
    scenario: str
    basis: str


def running_cost_from_resources(sections: Mapping[str, Any], candidate_id: str) -> RunningCostDefault | None:
    """The monthly device cost of the candidate's resource scenario, or None when there is none to offer.

    None when the project has no resources section, it cannot be read, the candidate has no scenario, or
    its scenario has no buy-versus-cloud inputs.
    """
    document = sections.get("resources")
    if document is None:
        return None
    try:
        plan = ResourcesSection.from_document(document).plan_for(candidate_id)
        if plan is None or plan.buy_vs_cloud is None:
            return None
        result = compare_buy_versus_cloud(plan.buy_vs_cloud)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    if result.owning_usd_per_month <= result.cloud_usd_per_month:
        return RunningCostDefault(result.owning_usd_per_month, plan.name, "owning the devices")
    return RunningCostDefault(result.cloud_usd_per_month, plan.name, "renting the devices in the cloud")
