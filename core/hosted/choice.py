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


@dataclass(frozen=True)
class HostedUse:
    """An "off-the-shelf product or API" alternative that points at a hosted model: which one, how many
    requests a month, and what one request carries (tokens in and out, images, audio minutes)."""

    hosted_model: str
    requests_per_month: float
    input_tokens_per_request: float = 0.0
    output_tokens_per_request: float = 0.0
    images_per_request: float = 0.0
    audio_minutes_per_request: float = 0.0

    def __post_init__(self) -> None:
        key = require_text("Hosted model", self.hosted_model, MAX_KEY_CHARS)
        if not _KEY.match(key):
            raise ValueError(
                f"The hosted model must be a catalogue key in lower case (see `python -m core hosted`); got "
                f"{quote_prefix(self.hosted_model)}."
            )
        object.__setattr__(self, "hosted_model", key)
        for name, label, maximum in (
            ("requests_per_month", "Requests per month", 2.628e12),
            ("input_tokens_per_request", "Input tokens per request", 1e8),
            ("output_tokens_per_request", "Output tokens per request", 1e8),
            ("images_per_request", "Images per request", 1e4),
            ("audio_minutes_per_request", "Audio minutes per request", 1e5),
        ):
            object.__setattr__(self, name, require_non_negative(label, getattr(self, name), maximum))

    def to_document(self) -> dict[str, object]:
        return {
            "hosted_model": self.hosted_model,
            "requests_per_month": self.requests_per_month,
            "input_tokens_per_request": self.input_tokens_per_request,
            "output_tokens_per_request": self.output_tokens_per_request,
            "images_per_request": self.images_per_request,
            "audio_minutes_per_request": self.audio_minutes_per_request,
        }
