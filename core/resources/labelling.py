"""Data and labelling cost: items to label x the time or price per item.

Two ways to pay for labels, one input each:

* **in house**: people label; ``items x seconds per item`` is annotator hours, paid at the team plan's
  annotator rate (its loaded cost per FTE-month / ``HOURS_PER_FTE_MONTH``). The annotators then appear in
  the team plan's data phase as the FTE those hours take over the phase's months, instead of the rule of
  thumb (core.resources.team).
* **a vendor**: ``items x price per item``; nobody in the team labels during the data phase.

Seconds per item includes review (a second look at a share of the items): what one finished label costs
in people's time. Typical published figures, for orientation only: a bounding box a few seconds to a few
tens of seconds, a polygon segmentation minutes, a transcribed minute of audio several minutes.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.resources.costs import require_non_negative, require_positive
from core.text import format_usd

HOURS_PER_FTE_MONTH = 160.0  # 40 hours x 4 weeks: the team plan's month of one full-time person
MAX_ITEMS = 1e10
MAX_SECONDS_PER_ITEM = 86_400.0
MAX_USD_PER_ITEM = 10_000.0


@dataclass(frozen=True)
class LabellingInputs:
    """How many items need a label and what one label takes (see the module docstring)."""

    items: float
    seconds_per_item: float = 30.0
    usd_per_item: float | None = None  # a vendor's price per item; None: labelled in house

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", require_positive("Items to label", self.items, MAX_ITEMS))
        object.__setattr__(
            self,
            "seconds_per_item",
            require_non_negative("Seconds per item", self.seconds_per_item, MAX_SECONDS_PER_ITEM),
        )
        if self.usd_per_item is not None:
            price = require_non_negative("Price per item (USD)", self.usd_per_item, MAX_USD_PER_ITEM)
            object.__setattr__(self, "usd_per_item", price)

    @property
    def in_house(self) -> bool:
        return self.usd_per_item is None

    @property
    def annotator_hours(self) -> float:
        """People's hours for every label, in house or at the vendor."""
        return self.items * self.seconds_per_item / 3600.0


def labelling_cost_usd(inputs: LabellingInputs, annotator_usd_per_fte_month: float) -> float:
    """What the labels cost: the vendor's price, or the in-house annotator hours at the team's rate."""
    if inputs.usd_per_item is not None:
        return inputs.items * inputs.usd_per_item
    return inputs.annotator_hours * annotator_usd_per_fte_month / HOURS_PER_FTE_MONTH


def annotator_fte(inputs: LabellingInputs, data_months: float) -> float:
    """Annotators needed during the data phase to finish the labels in it (0 when a vendor labels).

    Raises ValueError when labels are made in house but the data phase lasts 0 months."""
    if not inputs.in_house or inputs.annotator_hours == 0:
        return 0.0
    if data_months <= 0:
        raise ValueError(
            "Labelling in house needs a data collection & labelling phase: give it a duration in months, "
            "or enter a vendor's price per item."
        )
    return inputs.annotator_hours / HOURS_PER_FTE_MONTH / data_months


def describe_labelling(inputs: LabellingInputs, cost_usd: float) -> str:
    """One sentence, e.g. '50,000 items x 30 s = 417 annotator hours in house: about $10,417.'."""
    how = (
        f"at ${inputs.usd_per_item:,.2f} an item from a vendor"
        if inputs.usd_per_item is not None
        else f"x {inputs.seconds_per_item:g} s = {inputs.annotator_hours:,.0f} annotator hours in house"
    )
    return f"{inputs.items:,.0f} items {how}: about {format_usd(cost_usd)}."
