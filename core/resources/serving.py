"""Serving plan: how many replicas of a model meet a request rate and a latency target, and at what cost.

The planning method (docs/method.md, section 4) sizes inference with three questions: how often requests
come (``peak_requests_per_s`` / ``average_requests_per_s``), how many samples a
request carries (``samples_per_request``, or prompt and output tokens for a
language model) and how fast the reply must be (``latency_target_p95_s``).

The estimator (memory/speed) supplies, per device, the service time of a batch
at a few batch sizes (a ``LatencyProfile``); this module turns those numbers
into a replica count and a monthly bill, with plain numbers only, so the page,
the command line and the tests compute the same thing.

Queueing model, stated once here and repeated in every result's assumptions:

* a dispatcher collects requests from the whole stream into batches and sends
  each batch to a free replica as soon as it holds ``r`` requests or its oldest
  request has waited ``max_batch_wait_s``, the rule TorchServe
  (``batch_size`` / ``max_batch_delay``, default 100 ms) and KServe
  (``maxBatchSize`` / ``maxLatency``) implement;
* the time to fill a batch of ``r`` requests is ``(r - 1) / peak rate``,
  capped by ``max_batch_wait_s``; when the cap binds, the batch leaves holding
  only the ``1 + peak rate x max_batch_wait_s`` requests that arrived;
* p95 latency = batch fill time + the service time of the batch, taking the
  profile's service time as its 95th percentile and ignoring queueing behind
  other batches, which the headroom is there to keep rare (at most
  ``1 / (1 + headroom)`` utilisation per replica);
* requests in flight follow Little's law, L = lambda x W.

Continuous batching (vLLM, SGLang, TensorRT-LLM; ``continuous=True``): a request joins the running batch at
the next decoding step, so there is no fill wait; a profile point ``(C, latency)`` says that with C
sequences in flight a request takes ``latency`` seconds, and by Little's law a replica then completes
``C / latency`` sequences per second. The largest C whose latency meets the target is chosen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.resources.costs import (
    HOURS_PER_MONTH,
    ceil_count,
    require_between,
    require_non_negative,
    require_positive,
    require_text,
    require_whole,
)
from core.text import format_usd, quote_prefix

# 10^12 requests per second is about a thousand times all of today's web
# traffic; anything above is a typo, anything below still gets a (large) plan.
MAX_REQUESTS_PER_S = 1e12
MAX_SAMPLES_PER_REQUEST = 1e6
MAX_LATENCY_TARGET_S = 86_400.0  # a day: beyond that it is a batch job, not serving
MAX_TOKENS = 10_000_000
MAX_HEADROOM = 3.0
DEFAULT_HEADROOM = 0.3
# TorchServe's default max_batch_delay is 100 ms (docs.pytorch.org/serve, management API).
DEFAULT_MAX_BATCH_WAIT_S = 0.1
MAX_BATCH = 1_000_000
MAX_PRICE_USD_PER_HOUR = 100_000.0
# More replicas than this is beyond what one team runs; the plan still says how many.
REPLICA_WARNING_THRESHOLD = 10_000


@dataclass(frozen=True)
class ServingDemand:
    """The three sizing questions, in requests per second, samples and seconds.

    ``headroom`` is spare capacity as a fraction of the peak rate (0.3 = 30 %
    more capacity than the peak needs), kept for bursts, failures and rollouts.
    ``prompt_tokens`` / ``output_tokens`` describe a language-model request; the
    estimator folds them into the service times, this module only carries them.
    """

    peak_requests_per_s: float
    average_requests_per_s: float
    latency_target_p95_s: float
    samples_per_request: float = 1.0
    headroom: float = DEFAULT_HEADROOM
    prompt_tokens: int | None = None
    output_tokens: int | None = None

    def __post_init__(self) -> None:
        peak = require_positive("Peak requests per second", self.peak_requests_per_s, MAX_REQUESTS_PER_S)
        average = require_positive("Average requests per second", self.average_requests_per_s, MAX_REQUESTS_PER_S)
        if average > peak:
            raise ValueError(
                f"Average requests per second ({average:g}) cannot exceed the peak ({peak:g}); "
                "raise the peak or lower the average."
            )
        target = require_positive("Latency target (p95, seconds)", self.latency_target_p95_s, MAX_LATENCY_TARGET_S)
        samples = require_between("Samples per request", self.samples_per_request, 1, MAX_SAMPLES_PER_REQUEST)
        headroom = require_between("Headroom (fraction of peak)", self.headroom, 0, MAX_HEADROOM)
        object.__setattr__(self, "peak_requests_per_s", peak)
        object.__setattr__(self, "average_requests_per_s", average)
        object.__setattr__(self, "latency_target_p95_s", target)
        object.__setattr__(self, "samples_per_request", samples)
        object.__setattr__(self, "headroom", headroom)
        if self.prompt_tokens is not None:
            object.__setattr__(
                self, "prompt_tokens", require_whole("Prompt tokens per request", self.prompt_tokens, 1, MAX_TOKENS)
            )
        if self.output_tokens is not None:
            object.__setattr__(
                self, "output_tokens", require_whole("Output tokens per request", self.output_tokens, 1, MAX_TOKENS)
            )


@dataclass(frozen=True)
class LatencyProfile:
    """Measured or estimated service times of one replica on one device type.

    ``points`` are ``(batch, service_time_s)`` pairs sorted by batch, where
    batch counts samples (sequences for a language model) processed together
    and service_time_s is the wall time to serve that whole batch, p95.
    ``price_usd_per_hour`` is for one replica (all the devices one replica
    needs). ``is_cpu`` marks CPU-only options so the plan can say when a CPU is
    enough.
    """

    device_name: str
    points: tuple[tuple[int, float], ...]
    price_usd_per_hour: float
    is_cpu: bool = False
    cores: int | None = None  # a CPU socket's cores: it is then priced by the cores the load needs

    def __post_init__(self) -> None:
        object.__setattr__(self, "device_name", require_text("Device name", self.device_name, 120))
        if self.cores is not None:
            object.__setattr__(self, "cores", require_whole("CPU cores", self.cores, 1, 100_000))
        if not isinstance(self.is_cpu, bool):
            raise ValueError(f"Whether the device is a CPU must be true or false; got {quote_prefix(self.is_cpu)}.")
        object.__setattr__(
            self,
            "price_usd_per_hour",
            require_non_negative("Price per replica-hour (USD)", self.price_usd_per_hour, MAX_PRICE_USD_PER_HOUR),
        )
        if len(self.points) == 0:
            raise ValueError(f"{self.device_name} needs at least one (batch, service time) point.")
        cleaned: list[tuple[int, float]] = []
        for point in self.points:
            if not isinstance(point, (tuple, list)) or len(point) != 2:
                raise ValueError(
                    f"Each latency point must be a (batch, service time in s) pair; got {quote_prefix(point)}."
                )
            batch = require_whole("Batch size", point[0], 1, MAX_BATCH)
            service_s = require_positive("Service time (s)", point[1], MAX_LATENCY_TARGET_S * 365)
            if cleaned and batch <= cleaned[-1][0]:
                raise ValueError(
                    f"Latency points for {self.device_name} must be sorted by batch with no repeats; "
                    f"batch {batch} follows {cleaned[-1][0]}."
                )
            if cleaned and service_s < cleaned[-1][1]:
                raise ValueError(
                    f"A larger batch cannot be served faster: batch {batch} takes {service_s:g} s "
                    f"but batch {cleaned[-1][0]} takes {cleaned[-1][1]:g} s on {self.device_name}."
                )
            cleaned.append((batch, service_s))
        object.__setattr__(self, "points", tuple(cleaned))


@dataclass(frozen=True)
class ReplicaPlan:
    """How one device type serves the demand: chosen batch, latency, replicas and monthly cost (USD)."""

    device_name: str
    is_cpu: bool
    price_usd_per_hour: float
    latency_target_p95_s: float
    batch_size: int
    requests_per_batch: float
    service_time_s: float
    batch_fill_wait_s: float
    latency_p95_s: float
    throughput_requests_per_s: float
    replicas_at_peak: int
    replicas_at_average: int
    requests_in_flight_at_peak: float
    monthly_cost_at_average_usd: float
    monthly_cost_at_peak_usd: float
    meets_target: bool
    reason: str
    assumptions: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())
    # A CPU replica priced by its cores (None: whole devices): the cores the peak and the average rate need.
    cores_at_peak: int | None = None
    cores_at_average: int | None = None


# A CPU replica rents at least this many cores: the smallest general-purpose cloud instances have 2 vCPUs (1 core
# with hyper-threading) to 2 cores; below that the price per core no longer holds.
MIN_CPU_CORES = 2


def cpu_cores_needed(
    cores: int,
    rate_per_s: float,
    headroom: float,
    throughput_per_s: float,
    service_s: float,
    wait_s: float,
    target_s: float,
) -> int:
    """Cores of one socket that carry ``rate_per_s`` within the latency target, when one socket is enough.

    Throughput is taken to scale with cores (requests served side by side), and a request served on fewer
    threads to take ``cores / used`` times longer, so the cores also keep the p95 inside the target."""
    load = rate_per_s * (1.0 + headroom) / throughput_per_s
    for_load = math.ceil(cores * load - 1e-9)
    room_s = target_s - wait_s
    for_latency = math.ceil(cores * service_s / room_s - 1e-9) if room_s > 0 else cores
    return max(MIN_CPU_CORES, min(cores, max(for_load, for_latency)))


@dataclass(frozen=True)
class _BatchOption:
    batch_size: int
    requests_per_batch: float
    service_time_s: float
    fill_wait_s: float
    latency_s: float
    throughput_requests_per_s: float


def _batch_option(
    demand: ServingDemand, batch: int, batch_service_s: float, max_batch_wait_s: float, continuous: bool = False
) -> _BatchOption:
    """Latency and throughput of one replica running batches of ``batch`` samples."""
    if continuous:
        requests = max(1.0, batch / demand.samples_per_request)
        return _BatchOption(
            batch_size=batch,
            requests_per_batch=requests,
            service_time_s=batch_service_s,
            fill_wait_s=0.0,
            latency_s=batch_service_s,
            throughput_requests_per_s=requests / batch_service_s,
        )
    if batch >= demand.samples_per_request:
        requests = math.floor(batch / demand.samples_per_request)
        service_s = batch_service_s
    else:
        # One request is bigger than the batch: it needs several passes in a row.
        requests = 1
        service_s = math.ceil(demand.samples_per_request / batch) * batch_service_s
    full_fill_s = (requests - 1) / demand.peak_requests_per_s
    if full_fill_s > max_batch_wait_s:
        fill_s = max_batch_wait_s
        filled: float = min(float(requests), 1 + demand.peak_requests_per_s * max_batch_wait_s)
    else:
        fill_s = full_fill_s
        filled = float(requests)
    return _BatchOption(
        batch_size=batch,
        requests_per_batch=filled,
        service_time_s=service_s,
        fill_wait_s=fill_s,
        latency_s=fill_s + service_s,
        throughput_requests_per_s=filled / service_s,
    )


def _replicas(rate_per_s: float, headroom: float, throughput_per_s: float) -> int:
    return max(1, ceil_count(rate_per_s * (1 + headroom) / throughput_per_s))


def plan_replicas(
    demand: ServingDemand,
    profile: LatencyProfile,
    max_batch_wait_s: float = DEFAULT_MAX_BATCH_WAIT_S,
    continuous: bool = False,
) -> ReplicaPlan:
    """Size a deployment of ``profile``'s device for ``demand``.

    Among the profile's batch sizes whose p95 latency (fill wait + service time,
    see the module docstring) meets the target, picks the one with the highest
    per-replica throughput (ties: the lower latency). With the usual profile,
    where throughput grows with batch, that is the largest batch that meets the
    target. Replicas at peak = ceil(peak x (1 + headroom) / throughput); at the
    average rate the same formula with the average rate, at least 1. Monthly
    cost = replicas x price per hour x 730 h. When even the smallest batch
    misses the target, the plan is still sized at that batch and says so.
    """
    max_batch_wait_s = require_non_negative("Maximum batching wait (s)", max_batch_wait_s, MAX_LATENCY_TARGET_S)
    options = [_batch_option(demand, b, s, max_batch_wait_s, continuous) for b, s in profile.points]
    meeting = [o for o in options if o.latency_s <= demand.latency_target_p95_s]
    target = demand.latency_target_p95_s
    if meeting:
        chosen = max(meeting, key=lambda o: (o.throughput_requests_per_s, -o.latency_s))
        meets = True
        reason = (
            f"Batch {chosen.batch_size} answers within {chosen.latency_s:.3g} s at p95, inside the {target:g} s target."
        )
    else:
        chosen = min(options, key=lambda o: o.latency_s)
        meets = False
        reason = (
            f"Even batch {chosen.batch_size} takes {chosen.latency_s:.3g} s at p95, over the {target:g} s "
            f"target; choose a faster device, a smaller model or a looser target."
        )

    replicas_peak = _replicas(demand.peak_requests_per_s, demand.headroom, chosen.throughput_requests_per_s)
    replicas_average = _replicas(demand.average_requests_per_s, demand.headroom, chosen.throughput_requests_per_s)
    monthly_per_replica = profile.price_usd_per_hour * HOURS_PER_MONTH
    in_flight = demand.peak_requests_per_s * chosen.latency_s
    cost_peak = replicas_peak * monthly_per_replica
    cost_average = replicas_average * monthly_per_replica
    cores_peak = cores_average = None
    cores_note: tuple[str, ...] = ()
    if profile.cores is not None and meets:
        cores = profile.cores

        def needed(rate: float) -> int:
            return cpu_cores_needed(
                cores,
                rate,
                demand.headroom,
                chosen.throughput_requests_per_s,
                chosen.service_time_s,
                chosen.fill_wait_s,
                target,
            )

        if replicas_peak == 1:
            cores_peak = needed(demand.peak_requests_per_s)
            cost_peak = monthly_per_replica * cores_peak / cores
        if replicas_average == 1:
            cores_average = needed(demand.average_requests_per_s)
            cost_average = monthly_per_replica * cores_average / cores
        if cores_peak is not None or cores_average is not None:
            cores_note = (
                f"Less than one socket is needed: a CPU replica is priced by its cores, the socket's price x cores "
                f"used / {cores} (at least {MIN_CPU_CORES}, enough for the load with headroom and for the p95 "
                "target when a request runs on fewer threads, which takes proportionally longer); at peak "
                f"{cores_peak or cores} and at average {cores_average or cores} core(s).",
            )

    warnings: list[str] = []
    if replicas_peak > REPLICA_WARNING_THRESHOLD:
        warnings.append(
            f"The peak needs {replicas_peak:,} replicas of {profile.device_name}, more than one deployment "
            f"usually runs; check the request rate ({demand.peak_requests_per_s:g} per second) or split "
            "the service."
        )
    if profile.price_usd_per_hour == 0:
        warnings.append(f"{profile.device_name} has no price per hour, so its monthly cost shows as $0.")

    if continuous:
        batching: tuple[str, ...] = (
            f"Continuous batching: requests join the running batch at the next step; {_fmt(chosen.batch_size)} "
            "sequences in flight per replica (at most what the KV pool holds).",
            "p95 latency = the request's prefill + its decoding steps at that concurrency, each step also carrying "
            "its share of the prefills of joining requests; no fill wait.",
        )
    else:
        batching = (
            f"Requests are batched by a dispatcher: a batch leaves when it holds {_fmt(chosen.requests_per_batch)} "
            f"request(s) or after at most {max_batch_wait_s:g} s of waiting (TorchServe's max_batch_delay rule).",
            "p95 latency = time to fill the batch at the peak rate + the batch's p95 service time; waiting "
            "behind other batches is assumed rare thanks to the headroom.",
        )
    assumptions = (
        *batching,
        f"Replicas = ceil(rate x (1 + headroom {demand.headroom:.0%}) / {_fmt(chosen.throughput_requests_per_s)} "
        "requests per second per replica), at least 1.",
        f"Little's law (L = lambda x W): {demand.peak_requests_per_s:g} requests/s x {chosen.latency_s:.3g} s "
        f"= {_fmt(in_flight)} requests in flight at peak.",
        f"A month is {HOURS_PER_MONTH:.0f} hours; cost at average assumes replicas scale down to the average "
        "rate, cost at peak keeps the peak's replicas all month.",
        *cores_note,
    )
    return ReplicaPlan(
        device_name=profile.device_name,
        is_cpu=profile.is_cpu,
        price_usd_per_hour=profile.price_usd_per_hour,
        latency_target_p95_s=target,
        batch_size=chosen.batch_size,
        requests_per_batch=chosen.requests_per_batch,
        service_time_s=chosen.service_time_s,
        batch_fill_wait_s=chosen.fill_wait_s,
        latency_p95_s=chosen.latency_s,
        throughput_requests_per_s=chosen.throughput_requests_per_s,
        replicas_at_peak=replicas_peak,
        replicas_at_average=replicas_average,
        requests_in_flight_at_peak=in_flight,
        monthly_cost_at_average_usd=cost_average,
        monthly_cost_at_peak_usd=cost_peak,
        meets_target=meets,
        reason=reason,
        assumptions=assumptions,
        cores_at_peak=cores_peak,
        cores_at_average=cores_average,
        warnings=tuple(warnings),
    )


def _fmt(value: float) -> str:
    """A count for a sentence: whole numbers without decimals, others to three significant figures."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.3g}"


@dataclass(frozen=True)
class Recommendation:
    """The cheapest plan that meets the target (None if none does), why, and whether a CPU would do."""

    chosen: ReplicaPlan | None
    reasons: list[str]
    cpu_is_enough: bool
    cpu_sentence: str


def _cost_key(plan: ReplicaPlan) -> tuple[float, float, float, str]:
    return (plan.monthly_cost_at_peak_usd, plan.monthly_cost_at_average_usd, plan.latency_p95_s, plan.device_name)


def recommend(plans: Sequence[ReplicaPlan]) -> Recommendation:
    """Pick the cheapest plan meeting the latency target, ranked by monthly cost at peak, then at average.

    Says plainly whether any CPU option meets the target, even when a GPU is cheaper.
    """
    if len(plans) == 0:
        raise ValueError("There are no serving options to compare; add at least one device.")
    meeting = sorted((p for p in plans if p.meets_target), key=_cost_key)
    missing = [p for p in plans if not p.meets_target]
    reasons: list[str] = []
    chosen = meeting[0] if meeting else None
    if chosen is not None:
        reasons.append(
            f"{chosen.device_name} is the cheapest option that meets the {chosen.latency_target_p95_s:g} s p95 "
            f"target: {chosen.replicas_at_peak:,} replica(s) at peak, "
            f"{format_usd(chosen.monthly_cost_at_peak_usd)} a month at peak and "
            f"{format_usd(chosen.monthly_cost_at_average_usd)} at the average rate."
        )
        reasons.append(
            "Options are ranked by monthly cost with the peak's replicas running all month, then by cost "
            "at the average rate."
        )
        reasons.append(f"{len(meeting)} of {len(plans)} options meet the target.")
        if len(meeting) > 1:
            runner_up = meeting[1]
            extra = runner_up.monthly_cost_at_peak_usd - chosen.monthly_cost_at_peak_usd
            reasons.append(
                f"Next cheapest: {runner_up.device_name} at {format_usd(runner_up.monthly_cost_at_peak_usd)} "
                f"a month at peak ({format_usd(extra)} more)."
            )
    else:
        fastest = min(plans, key=lambda p: p.latency_p95_s)
        reasons.append(
            f"No option meets the {fastest.latency_target_p95_s:g} s p95 target; the fastest, "
            f"{fastest.device_name}, answers in {fastest.latency_p95_s:.3g} s. Loosen the target, shrink the "
            "model or add faster devices."
        )
    if missing and chosen is not None:
        names = ", ".join(p.device_name for p in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        reasons.append(f"Too slow even at the smallest batch: {names}{more}.")

    cpus = [p for p in plans if p.is_cpu]
    cpu_meeting = sorted((p for p in cpus if p.meets_target), key=_cost_key)
    if not cpus:
        cpu_sentence = "No CPU option was evaluated, so this plan cannot say whether a CPU would be enough."
    elif cpu_meeting:
        best_cpu = cpu_meeting[0]
        cpu_sentence = (
            f"A CPU is enough: {best_cpu.device_name} meets the {best_cpu.latency_target_p95_s:g} s target with "
            f"{best_cpu.replicas_at_peak:,} replica(s) at peak for {format_usd(best_cpu.monthly_cost_at_peak_usd)} "
            "a month, no GPU needed."
        )
        if chosen is not None and not chosen.is_cpu:
            cpu_sentence += f" {chosen.device_name} is cheaper at this load, but a GPU is not required."
    else:
        cpu_sentence = "No CPU meets the latency target: this workload needs an accelerator (or a looser target)."
    return Recommendation(chosen=chosen, reasons=reasons, cpu_is_enough=bool(cpu_meeting), cpu_sentence=cpu_sentence)
