"""Which hosted model a resource scenario is compared with, saved with the scenario's inputs.

Kept apart from the comparison itself so that the scenario document (``core.resources.plan``) can hold it
without importing the estimator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.resources.costs import require_non_negative, require_text
from core.text import quote_prefix

MAX_KEY_CHARS = 80
_KEY = re.compile(r"^[a-z0-9][a-z0-9._+-]*$")


@dataclass(frozen=True)
class ApiChoice:
    """The hosted model to compare with (a catalogue key) and what the scenario adds to price it.

    ``audio_minutes_per_request`` prices a speech-to-text model (0 for others); ``fixed_usd_per_month``
    is a subscription or commitment the API charges whatever the volume (0 for pay-as-you-go);
    ``team_usd_per_month`` replaces the team share of self-hosting (None: the monitoring phase of the
    scenario's people plan, see ``core.hosted.versus``).
    """

    hosted_model: str
    audio_minutes_per_request: float = 0.0
    fixed_usd_per_month: float = 0.0
    team_usd_per_month: float | None = None

    def __post_init__(self) -> None:
        key = require_text("Hosted model", self.hosted_model, MAX_KEY_CHARS)
        if not _KEY.match(key):
            raise ValueError(
                f"The hosted model must be a catalogue key in lower case (see `python -m core hosted`); got "
                f"{quote_prefix(self.hosted_model)}."
            )
        object.__setattr__(self, "hosted_model", key)
        object.__setattr__(
            self,
            "audio_minutes_per_request",
            require_non_negative("Audio minutes per request", self.audio_minutes_per_request, 1e5),
        )
        object.__setattr__(
            self,
            "fixed_usd_per_month",
            require_non_negative("Fixed API fee (USD per month)", self.fixed_usd_per_month, 1e12),
        )
        if self.team_usd_per_month is not None:
            object.__setattr__(
                self,
                "team_usd_per_month",
                require_non_negative("Team share of self-hosting (USD per month)", self.team_usd_per_month, 1e12),
            )
