"""Buy the model or host it: the monthly cost of an API against the monthly cost of self-hosting.

Both sides are functions of one number, the monthly volume in requests (``requests_per_month``).

**The API** bills per unit of use, so its cost is a straight line through the origin, plus any fixed
monthly fee (a subscription or a commitment; 0 for pay-as-you-go)::

    api_usd_per_month(V) = fixed_usd_per_month + V x usd_per_request

**Self-hosting** pays for replicas by the hour whether they are busy or not, and each replica serves at
most a fixed number of requests a month. Replicas are sized for the peak, as the serving plan does
(``core.resources.serving.plan_replicas``): a month with V requests has an average rate of
V / 2,628,000 requests per second (730 h), a peak ``peak_to_average`` times that, and needs::

    replicas(V) = max(1, ceil(peak rate x (1 + headroom) / requests per second per replica))

kept all month, so one replica covers C = requests per second per replica / (1 + headroom) /
peak_to_average x 2,628,000 requests a month, and::

    self_hosting_usd_per_month(V) = replicas(V) x replica_usd_per_month + team_usd_per_month

a STEP function: flat while the replicas keep up, one replica's month dearer at every multiple of C. The
serving plan's own numbers sit on it: at the planned volume it gives the plan's replicas at peak.

**Break-even.** ``break_even_requests_per_month`` is the lowest volume at which self-hosting costs no
more than the API (the first point where the API line meets a step). Because the steps keep climbing,
the API can be cheaper again just after a step; ``self_hosting_cheaper_from_requests_per_month`` is the
volume from which self-hosting stays no dearer at every higher volume. Writing R for a replica's month,
T for the team share minus the API's fixed fee, p for the price of a request and d = p x C - R (what a
full replica saves against the API):

* R + T <= 0: self-hosting is no dearer even at zero volume; the first point is 0, and so is the second
  ("always cheaper") when d >= 0, while with d < 0 the API line falls below the steps later (None).
* p = 0, or d < T with d <= 0: the API line never reaches a step; both are None ("never cheaper").
* otherwise the first step reached is n* = 1 if T <= d, else ceil(T / d), at V* = (n* R + T) / p;
  self-hosting stays no dearer from V = (m R + T) / p with m = ceil((R + T) / d) when d > 0, and never
  (None) when d <= 0, since then just after each step the API is cheaper again.

At zero volume the API costs its fixed fee and self-hosting one replica plus the team.

The comparison leaves out (and says so): data residency and privacy, latency and its variance, quality
differences between the hosted and the self-hosted model, rate limits, volume discounts, engineering time
to integrate either option, and the idle time of the minimum replica.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from core.hosted.catalogue import HostedModel
from core.hosted.choice import HostedUse
from core.resources.costs import HOURS_PER_MONTH, ceil_count, require_non_negative, require_positive
from core.text import format_usd, quote_prefix

SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600.0  # 2,628,000 s: the 730-hour month of the cloud calculators
# Far above any real service (a million requests a second for a month) but keeps every product finite.
MAX_REQUESTS_PER_MONTH = 1e6 * SECONDS_PER_MONTH
MAX_TOKENS_PER_REQUEST = 1e8
MAX_USD_PER_MONTH = 1e12
MAX_PEAK_TO_AVERAGE = 1e6
CHART_POINTS = 240

ASSUMPTIONS_LEFT_OUT = (
    "Left out of both sides: data residency and privacy rules, latency and its spread, and quality "
    "differences between the hosted model and the one you would host; check them before choosing on price.",
    "Also left out: rate limits, volume discounts and committed-use prices, and the engineering time to "
    "integrate either option (needed both ways).",
)


@dataclass(frozen=True)
class HostedWorkload:
    """What one request asks of an API: tokens in and out, images or audio minutes (per request)."""

    input_tokens_per_request: float = 0.0
    output_tokens_per_request: float = 0.0
    images_per_request: float = 0.0
    audio_minutes_per_request: float = 0.0

    def __post_init__(self) -> None:
        for name, label, maximum in (
            ("input_tokens_per_request", "Input tokens per request", MAX_TOKENS_PER_REQUEST),
            ("output_tokens_per_request", "Output tokens per request", MAX_TOKENS_PER_REQUEST),
            ("images_per_request", "Images per request", 1e4),
            ("audio_minutes_per_request", "Audio minutes per request", 1e5),
        ):
            object.__setattr__(self, name, require_non_negative(label, getattr(self, name), maximum))


def api_usd_per_request(model: HostedModel, workload: HostedWorkload) -> float:
    """What one request costs on ``model``, in US dollars, from the catalogue's unit prices.

    Token models: input tokens x input price + output tokens x output price (per 10^6 tokens); image
    models: images x price per image; speech-to-text: audio minutes x price per minute. Raises ValueError
    when the workload has none of the unit the model bills.
    """
    if model.modality == "speech-to-text":
        if workload.audio_minutes_per_request <= 0:
            raise ValueError(
                f"{model.label} is billed per audio minute; enter the audio minutes per request to price it."
            )
        return workload.audio_minutes_per_request * (model.usd_per_audio_minute or 0.0)
    if model.modality == "image generation":
        if workload.images_per_request <= 0:
            raise ValueError(f"{model.label} is billed per image; enter the images per request to price it.")
        return workload.images_per_request * (model.usd_per_image or 0.0)
    if workload.input_tokens_per_request <= 0 and workload.output_tokens_per_request <= 0:
        raise ValueError(f"{model.label} is billed per token; enter the input and output tokens per request.")
    usd = workload.input_tokens_per_request * (model.usd_per_million_input_tokens or 0.0) / 1e6
    if workload.output_tokens_per_request > 0:
        if model.usd_per_million_output_tokens is None:
            if model.modality != "embeddings":
                raise ValueError(f"{model.label} has no output-token price in the catalogue; edit it to add one.")
        else:
            usd += workload.output_tokens_per_request * model.usd_per_million_output_tokens / 1e6
    return usd


@dataclass(frozen=True)
class ApiCost:
    """The API side: price of one request and any fixed monthly fee (US dollars)."""

    usd_per_request: float
    fixed_usd_per_month: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "usd_per_request", require_non_negative("Price per request (USD)", self.usd_per_request, 1e9)
        )
        object.__setattr__(
            self,
            "fixed_usd_per_month",
            require_non_negative("Fixed API fee (USD per month)", self.fixed_usd_per_month, MAX_USD_PER_MONTH),
        )

    def usd_per_month(self, requests_per_month: float) -> float:
        return self.fixed_usd_per_month + requests_per_month * self.usd_per_request


@dataclass(frozen=True)
class SelfHostingCost:
    """The self-hosting side (see the module docstring): a replica's month, its monthly capacity, the team.

    ``requests_per_month_per_replica`` is C: the monthly volume one replica serves with the peak it brings.
    """

    replica_usd_per_month: float
    requests_per_month_per_replica: float
    team_usd_per_month: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "replica_usd_per_month",
            require_positive("Monthly cost of one replica (USD)", self.replica_usd_per_month, MAX_USD_PER_MONTH),
        )
        object.__setattr__(
            self,
            "requests_per_month_per_replica",
            require_positive(
                "Requests a month one replica serves", self.requests_per_month_per_replica, MAX_REQUESTS_PER_MONTH
            ),
        )
        object.__setattr__(
            self,
            "team_usd_per_month",
            require_non_negative("Team share (USD per month)", self.team_usd_per_month, MAX_USD_PER_MONTH),
        )

    @classmethod
    def from_serving(
        cls,
        *,
        price_usd_per_replica_hour: float,
        throughput_requests_per_s: float,
        headroom: float,
        peak_to_average: float,
        team_usd_per_month: float = 0.0,
    ) -> SelfHostingCost:
        """From a serving plan: a replica's hourly price and throughput, the headroom and the peak's ratio."""
        peak_to_average = require_positive("Peak-to-average ratio", peak_to_average, MAX_PEAK_TO_AVERAGE)
        if peak_to_average < 1:
            raise ValueError(f"The peak rate cannot be below the average; got a ratio of {peak_to_average:g}.")
        throughput = require_positive("Requests per second per replica", throughput_requests_per_s, 1e9)
        headroom = require_non_negative("Headroom (fraction of peak)", headroom, 10)
        return cls(
            replica_usd_per_month=price_usd_per_replica_hour * HOURS_PER_MONTH,
            requests_per_month_per_replica=throughput / (1 + headroom) / peak_to_average * SECONDS_PER_MONTH,
            team_usd_per_month=team_usd_per_month,
        )

    def replicas(self, requests_per_month: float) -> int:
        """Replicas needed all month for ``requests_per_month`` (at least 1)."""
        volume = require_non_negative("Requests per month", requests_per_month, MAX_REQUESTS_PER_MONTH)
        return max(1, ceil_count(volume / self.requests_per_month_per_replica))

    def usd_per_month(self, requests_per_month: float) -> float:
        return self.replicas(requests_per_month) * self.replica_usd_per_month + self.team_usd_per_month


@dataclass(frozen=True)
class BreakEven:
    """Where self-hosting stops being dearer (see the module docstring); None: never."""

    break_even_requests_per_month: float | None
    self_hosting_cheaper_from_requests_per_month: float | None


def break_even(api: ApiCost, hosting: SelfHostingCost) -> BreakEven:
    """The first volume at which self-hosting costs no more than the API, and the volume from which it
    never costs more again (requests per month; None when there is none). Closed form, module docstring."""
    r = hosting.replica_usd_per_month
    t = hosting.team_usd_per_month - api.fixed_usd_per_month
    p = api.usd_per_request
    d = p * hosting.requests_per_month_per_replica - r
    if r + t <= 0:
        # No dearer at zero volume; it stays so at every step only if a full replica saves against the API.
        return BreakEven(0.0, 0.0 if d >= 0 else None)
    if p <= 0:
        return BreakEven(None, None)
    if t <= d:
        first: int | None = 1
    elif d > 0:
        first = max(1, ceil_count(t / d))
    else:
        first = None
    if first is None:
        return BreakEven(None, None)
    v_first = (first * r + t) / p
    if d <= 0:
        return BreakEven(v_first, None)
    last = max(1, ceil_count((r + t) / d))
    return BreakEven(v_first, max(v_first, (last * r + t) / p))


@dataclass(frozen=True)
class VolumeCosts:
    """Both monthly costs at one volume (US dollars per month)."""

    requests_per_month: float
    api_usd_per_month: float
    self_hosting_usd_per_month: float
    replicas: int

    @property
    def cheaper(self) -> str:
        """'API', 'self-hosting' or 'equal'."""
        if math.isclose(self.api_usd_per_month, self.self_hosting_usd_per_month, rel_tol=1e-9, abs_tol=1e-9):
            return "equal"
        return "API" if self.api_usd_per_month < self.self_hosting_usd_per_month else "self-hosting"

    @property
    def saving_usd_per_month(self) -> float:
        """How much less the cheaper option costs a month."""
        return abs(self.api_usd_per_month - self.self_hosting_usd_per_month)


def costs_at(api: ApiCost, hosting: SelfHostingCost, requests_per_month: float) -> VolumeCosts:
    return VolumeCosts(
        requests_per_month=requests_per_month,
        api_usd_per_month=api.usd_per_month(requests_per_month),
        self_hosting_usd_per_month=hosting.usd_per_month(requests_per_month),
        replicas=hosting.replicas(requests_per_month),
    )


def verdict_sentence(at_plan: VolumeCosts, api_label: str, hosting_label: str) -> str:
    """'At 1,314,000 requests a month, the API (X) is cheaper by $1,234 a month: $99 against $1,333.'"""
    volume = f"{at_plan.requests_per_month:,.0f} requests a month"
    api = format_usd(at_plan.api_usd_per_month)
    own = format_usd(at_plan.self_hosting_usd_per_month)
    if at_plan.cheaper == "equal":
        return f"At {volume}, the API ({api_label}) and self-hosting on {hosting_label} cost the same: {api} a month."
    saving = format_usd(at_plan.saving_usd_per_month)
    if at_plan.cheaper == "API":
        return (
            f"At {volume}, the API ({api_label}) is cheaper by {saving} a month: {api} against {own} for "
            f"self-hosting on {hosting_label}."
        )
    return (
        f"At {volume}, self-hosting on {hosting_label} is cheaper by {saving} a month: {own} against {api} "
        f"for the API ({api_label})."
    )


def break_even_sentence(point: BreakEven, planned_requests_per_month: float) -> str:
    """The break-even volume in words, and how far the plan is from it."""
    first = point.break_even_requests_per_month
    steady = point.self_hosting_cheaper_from_requests_per_month
    if first is None:
        return "Self-hosting never becomes cheaper: at every volume the API costs less."
    if first == 0 and steady == 0:
        return "Self-hosting is cheaper at every volume, even with no requests (the API's fixed fee is higher)."
    text = f"Self-hosting becomes cheaper from {first:,.0f} requests a month"
    ratio = first / planned_requests_per_month if planned_requests_per_month > 0 else math.inf
    if math.isfinite(ratio):
        text += f" ({ratio:.2g} x the planned volume)"
    if steady is None:
        text += "; past each new replica the API is briefly cheaper again, at every volume."
    elif steady > first * (1 + 1e-9):
        text += f", and stays cheaper from {steady:,.0f} requests a month."
    else:
        text += " and stays cheaper above it."
    return text


def chart_rows(
    api: ApiCost, hosting: SelfHostingCost, max_requests_per_month: float, points: int = CHART_POINTS
) -> list[dict[str, float | str]]:
    """Rows (requests_per_month, option, usd_per_month) for a chart of both costs from 0 to the maximum.

    The self-hosting rows include both sides of every replica step in range (when there are fewer steps
    than ``points``), so the chart draws the steps as steps; the API line needs its two ends only.
    """
    top = require_positive("Chart range (requests per month)", max_requests_per_month, MAX_REQUESTS_PER_MONTH)
    capacity = hosting.requests_per_month_per_replica
    steps = int(top // capacity)
    volumes: set[float] = {0.0, top}
    if steps <= points:
        for n in range(1, steps + 1):
            volumes.update((n * capacity, math.nextafter(n * capacity, math.inf)))
    else:
        volumes.update(top * i / points for i in range(1, points))
    rows: list[dict[str, float | str]] = []
    for volume in sorted(v for v in volumes if v <= top):
        rows.append(
            {"requests_per_month": volume, "option": "self-hosting", "usd_per_month": hosting.usd_per_month(volume)}
        )
    for volume in (0.0, top):
        rows.append({"requests_per_month": volume, "option": "API", "usd_per_month": api.usd_per_month(volume)})
    return rows


def hosted_use_sentence(use: HostedUse, models: Mapping[str, HostedModel]) -> tuple[float | None, str]:
    """What an API alternative costs a month (US dollars) and a sentence quoting it with its catalogue price.

    None and a sentence saying why when the model is not in the catalogue or the use lacks the unit the
    model bills (the sentence then asks for it).
    """
    model = models.get(use.hosted_model)
    if model is None:
        return None, f"the hosted model {quote_prefix(use.hosted_model)} is no longer in the catalogue"
    workload = HostedWorkload(
        input_tokens_per_request=use.input_tokens_per_request,
        output_tokens_per_request=use.output_tokens_per_request,
        images_per_request=use.images_per_request,
        audio_minutes_per_request=use.audio_minutes_per_request,
    )
    try:
        per_request = api_usd_per_request(model, workload)
    except ValueError as error:
        return None, str(error)
    usd = per_request * use.requests_per_month
    return usd, (
        f"{model.label} costs {format_usd(usd)} a month for {use.requests_per_month:,.0f} requests "
        f"({model.price_sentence()})"
    )
