"""One resource scenario against one hosted model: the figures the resources page, the brief and the
command line show for "buy the model or host it".

``compare_with_api(evaluation, model, choice)`` takes the scenario's evaluation (``evaluate_plan``) and
joins it with the hosted model's prices:

* Volume: the serving demand's average rate x 2,628,000 s (a 730-hour month) is the planned volume;
  the peak rate x the same month is the volume "at peak" (the bill if the peak lasted all month).
* Per request: the serving workload's prompt tokens (or its sequence length for a forward pass) and
  output tokens, times the samples per request; images per request = samples per request; audio minutes
  from the choice.
* Self-hosting: the serving plan on the chosen device (else the recommended one): its replica price per
  hour, its throughput, the demand's headroom and peak-to-average ratio (``SelfHostingCost.from_serving``),
  plus the team share: the choice's figure, else the monthly cost of the people plan's monitoring phase
  (the people who keep the service running once it is live), else nothing (said in the assumptions).

Raises ValueError with one sentence when the scenario cannot be compared (no serving demand, no priced
serving plan, a workload without the unit the model bills).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.hosted.catalogue import HostedModel
from core.hosted.choice import ApiChoice
from core.hosted.compare import (
    ASSUMPTIONS_LEFT_OUT,
    SECONDS_PER_MONTH,
    ApiCost,
    BreakEven,
    HostedWorkload,
    SelfHostingCost,
    VolumeCosts,
    api_usd_per_request,
    break_even,
    break_even_sentence,
    chart_rows,
    costs_at,
    verdict_sentence,
)
from core.resources.architectures import Architecture
from core.resources.evaluate import PlanEvaluation
from core.resources.memory import Workload
from core.resources.serving import ReplicaPlan
from core.resources.team import PHASES, TeamPlan
from core.text import format_usd, quote_prefix

MONITORING_PHASE = PHASES[3]


@dataclass(frozen=True)
class ApiComparison:
    """Everything shown for one scenario against one hosted model (USD per month, requests per month)."""

    model: HostedModel
    workload: HostedWorkload
    api: ApiCost
    hosting: SelfHostingCost
    hosting_label: str  # "2 x H100 SXM per replica"
    planned_requests_per_month: float
    peak_requests_per_month: float
    at_average: VolumeCosts  # the planned volume, self-hosting provisioned for the peak
    at_peak: VolumeCosts  # the peak rate all month
    self_hosting_usd_per_month_scaled_down: float  # replicas at the average rate (autoscaling), plus team
    break_even: BreakEven
    verdict: str
    break_even_text: str
    assumptions: tuple[str, ...]

    def chart(self) -> list[dict[str, float | str]]:
        """Chart rows from 0 to beyond both the planned volume and the break-even point."""
        top = 2.0 * self.peak_requests_per_month
        if self.break_even.break_even_requests_per_month is not None:
            top = max(top, 1.5 * self.break_even.break_even_requests_per_month)
        return chart_rows(self.api, self.hosting, max(top, 1.0))


def team_usd_per_month(team: TeamPlan | None) -> float | None:
    """The monthly cost of the people plan's monitoring phase (FTE x loaded cost), None without one."""
    if team is None:
        return None
    rows = [row for row in team.rows if row.phase == MONITORING_PHASE and row.months > 0]
    return sum(row.cost_usd / row.months for row in rows)


def serving_replica_plan(evaluation: PlanEvaluation) -> tuple[ReplicaPlan, str]:
    """The serving plan the scenario's self-hosting cost comes from, and its device phrase.

    The chosen device's plan when it has a price, else the recommended one, as the scenario summary does.
    """
    serving = evaluation.serving
    if serving is None:
        problem = evaluation.problems.get("serving")
        raise ValueError(
            problem or "Fill in the Serving tab (request rates and latency target) to compare with an API."
        )
    chosen = serving.chosen
    if chosen is not None and chosen.plan is not None and chosen.priced:
        return chosen.plan, f"{chosen.devices_per_replica} x {chosen.model} per replica"
    recommended = serving.recommendation.chosen if serving.recommendation is not None else None
    if recommended is not None:
        option = next((o for o in serving.options if o.plan is recommended), None)
        per = option.devices_per_replica if option is not None else 1
        return recommended, f"{per} x {recommended.device_name} per replica (recommended)"
    raise ValueError(
        "No priced device meets the serving plan, so self-hosting has no monthly cost to compare; choose a "
        "device with a cloud price or loosen the latency target."
    )


def request_workload(
    arch: Architecture, workload: Workload, samples_per_request: float, audio_minutes_per_request: float = 0.0
) -> HostedWorkload:
    """What one request asks of an API for an estimator workload: its prompt tokens (or sequence length for a
    forward pass; 2,048 capped at the model's context when neither is given) and output tokens, times the
    samples per request; one image per sample; the audio minutes as given. The page, the brief and
    ``python -m core estimate --compare-api`` all count tokens here."""
    prompt = workload.prompt_tokens or workload.seq or min(2048, arch.max_context or 2048)
    output = workload.new_tokens or 0
    return HostedWorkload(
        input_tokens_per_request=float(prompt) * samples_per_request if arch.is_transformer else 0.0,
        output_tokens_per_request=float(output) * samples_per_request,
        images_per_request=samples_per_request,
        audio_minutes_per_request=audio_minutes_per_request,
    )


def hosted_workload(evaluation: PlanEvaluation, choice: ApiChoice) -> HostedWorkload:
    """What one request of the scenario asks of an API (``request_workload`` of its serving workload)."""
    serving = evaluation.serving
    if serving is None:
        raise ValueError("Fill in the Serving tab (request rates and latency target) to compare with an API.")
    return request_workload(
        evaluation.architecture,
        serving.workload,
        serving.demand.samples_per_request,
        choice.audio_minutes_per_request,
    )


def compare_with_api(evaluation: PlanEvaluation, model: HostedModel, choice: ApiChoice) -> ApiComparison:
    """The scenario's self-hosting cost against ``model``'s API cost (module docstring)."""
    if choice.hosted_model != model.key:
        raise ValueError(f"The choice names {quote_prefix(choice.hosted_model)}, not {quote_prefix(model.key)}.")
    replica_plan, hosting_label = serving_replica_plan(evaluation)
    assert evaluation.serving is not None  # serving_replica_plan checked it
    demand = evaluation.serving.demand
    workload = hosted_workload(evaluation, choice)
    api = ApiCost(api_usd_per_request(model, workload), choice.fixed_usd_per_month)
    team_from_plan = team_usd_per_month(evaluation.team)
    team = choice.team_usd_per_month if choice.team_usd_per_month is not None else (team_from_plan or 0.0)
    hosting = SelfHostingCost.from_serving(
        price_usd_per_replica_hour=replica_plan.price_usd_per_hour,
        throughput_requests_per_s=replica_plan.throughput_requests_per_s,
        headroom=demand.headroom,
        peak_to_average=demand.peak_requests_per_s / demand.average_requests_per_s,
        team_usd_per_month=team,
    )
    planned = demand.average_requests_per_s * SECONDS_PER_MONTH
    peak = demand.peak_requests_per_s * SECONDS_PER_MONTH
    at_average = costs_at(api, hosting, planned)
    # The replicas are sized for the peak either way, so self-hosting costs the same in a month at the peak
    # rate; the API bills every request of it.
    at_peak = VolumeCosts(
        requests_per_month=peak,
        api_usd_per_month=api.usd_per_month(peak),
        self_hosting_usd_per_month=at_average.self_hosting_usd_per_month,
        replicas=at_average.replicas,
    )
    scaled_down = replica_plan.replicas_at_average * hosting.replica_usd_per_month + hosting.team_usd_per_month
    point = break_even(api, hosting)
    if choice.team_usd_per_month is not None:
        team_line = f"Team share of self-hosting: {format_usd(team)} a month, as entered."
    elif team_from_plan is not None:
        team_line = (
            f"Team share of self-hosting: {format_usd(team)} a month, the people plan's monitoring phase (the "
            "people who keep the service running once it is live)."
        )
    else:
        team_line = "No people plan in this scenario, so self-hosting counts no team cost; fill in the People tab."
    per_request = (
        f"One request: {workload.input_tokens_per_request:,.0f} input + {workload.output_tokens_per_request:,.0f} "
        f"output tokens"
        if model.modality not in ("speech-to-text", "image generation")
        else (
            f"One request: {workload.audio_minutes_per_request:g} audio minute(s)"
            if model.modality == "speech-to-text"
            else f"One request: {workload.images_per_request:g} image(s)"
        )
    )
    price = format_usd(api.usd_per_request) if api.usd_per_request >= 0.01 else f"${api.usd_per_request:.6f}"
    assumptions = (
        f"{per_request}, {price} on {model.label} at {model.price_sentence()}; source: {model.source}.",
        f"Planned volume = average rate {demand.average_requests_per_s:g}/s x 2,628,000 s (730 h) = "
        f"{planned:,.0f} requests a month; at peak, {demand.peak_requests_per_s:g}/s all month = {peak:,.0f}.",
        f"Self-hosting: {hosting_label} at {format_usd(replica_plan.price_usd_per_hour)} an hour "
        f"({format_usd(hosting.replica_usd_per_month)} a month); each replica serves "
        f"{replica_plan.throughput_requests_per_s:.3g} requests/s, so with {demand.headroom:.0%} headroom and a "
        f"peak {demand.peak_requests_per_s / demand.average_requests_per_s:.3g} x the average it covers "
        f"{hosting.requests_per_month_per_replica:,.0f} requests a month.",
        "Self-hosting cost is a step function of volume: replicas sized for the peak, kept all month (at least "
        "one), one more replica at every multiple of a replica's monthly volume; the API is a straight line.",
        team_line,
        f"API fixed fee: {format_usd(api.fixed_usd_per_month)} a month."
        if api.fixed_usd_per_month
        else "API billed per use only (no fixed fee).",
        *ASSUMPTIONS_LEFT_OUT,
    )
    return ApiComparison(
        model=model,
        workload=workload,
        api=api,
        hosting=hosting,
        hosting_label=hosting_label,
        planned_requests_per_month=planned,
        peak_requests_per_month=peak,
        at_average=at_average,
        at_peak=at_peak,
        self_hosting_usd_per_month_scaled_down=scaled_down,
        break_even=point,
        verdict=verdict_sentence(at_average, model.label, hosting_label),
        break_even_text=break_even_sentence(point, planned),
        assumptions=assumptions,
    )


def compare_chosen(evaluation: PlanEvaluation, models: Mapping[str, HostedModel], choice: ApiChoice) -> ApiComparison:
    """``compare_with_api`` for the model the choice names; ValueError when it is not in the catalogue."""
    model = models.get(choice.hosted_model)
    if model is None:
        raise ValueError(
            f"The hosted model {quote_prefix(choice.hosted_model)} is not in the catalogue; pick another one."
        )
    return compare_with_api(evaluation, model, choice)
