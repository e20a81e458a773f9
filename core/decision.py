"""The decision a planning meeting ends with, and the state of each planning step.

``build_overview`` turns a project's sections into one story: is it worth it
(worthiness), how will we know (success metrics), who did it before
(references), what will it take (resources). The overview page and the
decision brief both call it, so the screen and the document never disagree.

Decision rule (stated to the user): among the scored candidates in weighted-sum
order, the first whose verdict is "pursue with deep learning" carries the
project; if none does but one should try a simpler solution first, that is the
decision; otherwise the problem is not worth solving now.

Every figure belongs to the decision candidate: its metric chain, its break-even
metric and its own resource scenario (``ResourcesSection.plan_for``). A scenario
saved for another candidate is never shown as this one's plan; the overview
lists it as an open problem instead, with the page that fixes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.hosted.catalogue import HostedModel
from core.hosted.versus import ApiComparison
from core.metrics import (
    BreakEvenInputs,
    MetricChain,
    MetricsSection,
    break_even_sentence,
    min_accuracy,
    regression_break_even_sentence,
    validate_chain,
)
from core.metrics.break_even import monthly_gain_usd, regression_monthly_gain_usd
from core.metrics.validation import Issue
from core.ratings import merge_ratings
from core.references import Reference
from core.resources.fit import FitAnswer
from core.resources.plan import ResourcePlan, ResourcesSection, ScenarioSummary
from core.resources.team import TeamPlan, plan_team
from core.resources.total import CostLine, ProjectCost, joined, payback_months
from core.text import format_number, format_usd
from core.worthiness import VERDICT_NOT_NOW, VERDICT_PURSUE, VERDICT_SIMPLER, Evaluation, evaluate

DECISION_PURSUE = "pursue with deep learning"
DECISION_SIMPLER = "simpler solution first"
DECISION_NOT_NOW = "not worth it now"
DECISION_UNDECIDED = "not decided yet"

# Recall at which the break-even precision is quoted when the chain names no recall target.
DEFAULT_QUOTED_RECALL = 0.8


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    done: bool
    detail: str
    page: str  # the key of the page that finishes the step (see views.ROUTES)


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class PlanFacts:
    """What the overview needs from the estimator for one scenario (the caller computes it with the catalogues)."""

    summary: ScenarioSummary
    fits: bool | None  # the workload's memory on the scenario's device; None without a device
    memory_per_device_bytes: float
    device_memory_bytes: float | None
    device_name: str | None
    api_comparison: ApiComparison | None = None  # the scenario against its hosted model, when it names one
    cost: ProjectCost | None = None  # one-off and monthly lines of the sections the scenario has
    # The training step on the device it trains on (the training section's own, else the scenario's); None
    # without a training section or for a serving workload, which describes no training step.
    training_fit: FitAnswer | None = None
    training_device_name: str | None = None


@dataclass(frozen=True)
class Problem:
    """An open problem and the page (a views.ROUTES key) where it is fixed."""

    text: str
    page: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Overview:
    decision: str
    candidate_id: str | None
    candidate_name: str | None
    reasons: tuple[str, ...]
    steps: tuple[Step, ...]
    figures: tuple[KeyFigure, ...]
    problems: tuple[Problem, ...]
    evaluation: Evaluation | None
    chain: MetricChain | None
    chain_issues: tuple[Issue, ...]
    break_even: str | None
    evidence: tuple[Reference, ...]
    plan: ResourcePlan | None
    plan_summary: ScenarioSummary | None
    team: TeamPlan | None
    cost: ProjectCost | None = None  # the decision candidate's plan in all (core.resources.total)
    monthly_value_usd: float | None = None  # what the model adds a month over the baseline, at the targets
    payback_months: float | None = None
    payback: str = ""  # the payback in a sentence, or what it still needs


def _ranked_ids(evaluation: Evaluation) -> list[str]:
    if evaluation.weighted_sum is None:
        return []
    return [entry.candidate_id for entry in sorted(evaluation.weighted_sum.entries, key=lambda e: e.rank)]


def _decide(evaluation: Evaluation | None) -> tuple[str, str | None, tuple[str, ...]]:
    if evaluation is None:
        return DECISION_UNDECIDED, None, ("Add candidate use cases on the Worthiness page.",)
    ranked = _ranked_ids(evaluation)
    if not ranked:
        return DECISION_UNDECIDED, None, ("Score the candidates on the Worthiness page to reach a decision.",)
    labels = {cid: evaluation.verdicts[cid].label for cid in ranked if cid in evaluation.verdicts}
    for wanted, decision in (
        (VERDICT_PURSUE, DECISION_PURSUE),
        (VERDICT_SIMPLER, DECISION_SIMPLER),
        (VERDICT_NOT_NOW, DECISION_NOT_NOW),
    ):
        chosen = next((cid for cid in ranked if labels.get(cid) == wanted), None)
        if chosen is not None:
            reasons = list(evaluation.verdicts[chosen].reasons)
            if decision != DECISION_PURSUE:
                reasons.append("No scored candidate earned the verdict 'pursue with deep learning'.")
            return decision, chosen, tuple(reasons)
    return DECISION_UNDECIDED, None, ("No candidate has a verdict yet.",)


def _stability(evaluation: Evaluation, candidate_id: str) -> str:
    if evaluation.sensitivity is None or candidate_id not in evaluation.sensitivity.p_first:
        return ""  # the sensitivity analysis covers the candidates that pass the gate only
    share = evaluation.sensitivity.p_first[candidate_id]
    spread = evaluation.sensitivity.spread
    return (
        f"ranks first in {share:.0%} of {evaluation.sensitivity.draws:,} draws with weights perturbed by ±{spread:.0%}"
    )


def _break_even_text(metrics: MetricsSection | None, candidate_id: str, chain: MetricChain | None) -> str | None:
    if metrics is None or candidate_id not in metrics.break_even:
        return None
    inputs = metrics.break_even[candidate_id]
    if isinstance(inputs, BreakEvenInputs):
        target = _planned(chain, "recall", targets_only=True)
        recall = target if target is not None and 0 < target <= 1 else DEFAULT_QUOTED_RECALL
        sentence = break_even_sentence(inputs, recall)
        accuracy = min_accuracy(inputs)
        if accuracy is not None:
            # Percent with a space, like the "At 80 % recall" sentence it follows.
            sentence += f" Below {accuracy * 100:.0f} % accuracy no model can break even at any recall."
        return sentence
    return regression_break_even_sentence(inputs)


def _planned(chain: MetricChain | None, metric: str, *, targets_only: bool = False) -> float | None:
    """The planned level of the chain's first model metric named after ``metric`` ("Recall of rain within 15
    minutes" is a recall): its target, else its minimum (unless ``targets_only``)."""
    for found in chain.model_metrics if chain else ():
        if found.name.strip().lower().startswith(metric):
            level = found.target if found.target is not None or targets_only else found.minimum
            if level is not None:
                return level
    return None


def _monthly_value(
    metrics: MetricsSection | None, candidate_id: str, chain: MetricChain | None
) -> tuple[float | None, str]:
    """What the model adds a month over the baseline at the chain's targets (its minimums where no target is
    set), from the break-even inputs; or None and what is missing."""
    if metrics is None or candidate_id not in metrics.break_even:
        return None, "enter the break-even inputs on the Success metrics page"
    inputs = metrics.break_even[candidate_id]
    if isinstance(inputs, BreakEvenInputs):
        precision, recall = _planned(chain, "precision"), _planned(chain, "recall")
        if precision is None or recall is None or not (0 < precision <= 1 and 0 <= recall <= 1):
            return None, "give precision and recall targets on the Success metrics page"
        return monthly_gain_usd(inputs, precision, recall), f"at {precision:.0%} precision and {recall:.0%} recall"
    mae = _planned(chain, "mae")
    if mae is None or mae < 0:
        return None, "give an MAE target on the Success metrics page"
    return regression_monthly_gain_usd(inputs, mae), f"at an MAE of {format_number(mae)}"


def _payback(cost: ProjectCost | None, value: float | None, basis: str) -> tuple[float | None, str]:
    if cost is None:
        return None, ""
    if value is None:
        return None, f"to see it, {basis}"
    months = payback_months(cost.one_off_usd, cost.monthly_usd, value)
    if months is None:
        return None, (
            f"the model adds {format_usd(value)} a month {basis}, not more than its "
            f"{format_usd(cost.monthly_usd)} monthly cost"
        )
    return months, f"{format_usd(value)} a month added {basis}, less {format_usd(cost.monthly_usd)} monthly cost"


def _lines(lines: Sequence[CostLine], cost: ProjectCost, sections: tuple[str, ...]) -> str:
    """'training $4 + data and labelling $10,417 (not set up: serving)'."""
    note = joined(lines)
    missing = [name for name in cost.not_set_up if name in sections]
    unpriced = [name for name in cost.unpriced if name in sections]
    return (
        note
        + (f" (not set up: {', '.join(missing)})" if missing else "")
        + (f" (no price: {', '.join(unpriced)})" if unpriced else "")
    )


def _tokens(pair: tuple[int | None, int | None]) -> str:
    prompt, output = pair
    prompt_text = "default" if prompt is None else f"{prompt:,}"
    output_text = "no" if output is None else f"{output:,}"
    return f"{prompt_text} prompt + {output_text} new tokens"


def _plan_problems(
    plan: ResourcePlan | None, facts: PlanFacts | None, chosen: ResourcePlan | None, names: Mapping[str, str], name: str
) -> list[Problem]:
    problems: list[Problem] = []
    if plan is None and chosen is not None:
        owner = names.get(chosen.candidate_id or "", "") if chosen.candidate_id else ""
        whose = f"is for {owner}" if owner else "names no candidate"
        problems.append(
            Problem(
                f"plan: the chosen resource scenario '{chosen.name}' {whose}, not for the decision candidate {name}; "
                f"save a scenario for {name} on the Resources page.",
                "resources",
            )
        )
    demand = plan.serving if plan is not None else None
    if plan is not None and demand is not None:
        serving_tokens = (demand.prompt_tokens, demand.output_tokens)
        workload_tokens = (plan.prompt_tokens, plan.new_tokens)
        if any(
            own is not None and own != workload for own, workload in zip(serving_tokens, workload_tokens, strict=True)
        ):
            problems.append(
                Problem(
                    f"plan: two token budgets: scenario '{plan.name}' serves {_tokens(serving_tokens)} per request "
                    f"but sizes memory for {_tokens(workload_tokens)}; load it on the Resources page, set the "
                    "workload's tokens and save it again (serving now reads the workload's).",
                    "resources",
                )
            )
    if plan is None or facts is None:
        return problems
    if plan.mode != "inference" and facts.training_fit is not None:
        # The training section trains on its own device: that device must hold the step, whatever serves.
        fits: bool | None = facts.training_fit.fits
        device = facts.training_device_name or "its device"
        need = format_number(facts.training_fit.required_bytes / 1e9)
        have = format_number(facts.training_fit.capacity_bytes / 1e9)
    else:
        fits = facts.fits
        device = facts.device_name or "its device"
        need = format_number(facts.memory_per_device_bytes / 1e9)
        have = format_number((facts.device_memory_bytes or 0) / 1e9)
    if fits is False:
        what = (
            "the training plan's device cannot hold the training step"
            if plan.mode != "inference"
            else ("the serving plan does not fit in memory")
        )
        problems.append(
            Problem(
                f"plan: {what}: scenario '{plan.name}' needs {need} GB per device, {device} holds {have} GB; "
                "add devices, lower the batch or precision, or pick a larger device.",
                "resources",
            )
        )
    return problems


def build_overview(
    sections: Mapping[str, Mapping[str, Any]],
    *,
    references: Sequence[Reference] = (),
    assess_plan: Callable[[ResourcePlan], PlanFacts | None] | None = None,
    today: date,
    hosted_models: Mapping[str, HostedModel] | None = None,
) -> Overview:
    """Decision, step states, key figures and open problems of one project (see module docstring).

    ``assess_plan`` computes the estimator's figures (and the hosted-model comparison) for the decision
    candidate's scenario (None: not computed); ``hosted_models`` prices the alternatives that point at a hosted
    model (their verdicts quote it).
    """
    worthiness = merge_ratings(sections)
    evaluation = evaluate(worthiness, hosted_models) if worthiness is not None else None
    decision, candidate_id, reasons = _decide(evaluation)
    metrics = MetricsSection.from_document(sections["metrics"]) if "metrics" in sections else None
    resources = ResourcesSection.from_document(sections["resources"]) if "resources" in sections else None
    plan = resources.plan_for(candidate_id) if resources is not None and candidate_id else None
    chosen = resources.chosen_plan() if resources is not None else None
    facts = assess_plan(plan) if plan is not None and assess_plan is not None else None
    plan_summary = facts.summary if facts is not None else None
    name = evaluation.names[candidate_id] if evaluation is not None and candidate_id else None

    chain = metrics.chains.get(candidate_id) if metrics is not None and candidate_id else None
    issues = tuple(validate_chain(chain, today)) if chain is not None else ()
    errors = [issue for issue in issues if issue.severity == "error"]
    by_id = {reference.id: reference for reference in references}
    attached_ids = worthiness.references.get(candidate_id, ()) if worthiness is not None and candidate_id else ()
    evidence = tuple(by_id[rid] for rid in attached_ids if rid in by_id)
    industry = worthiness.candidate(candidate_id).industry if worthiness is not None and candidate_id else ""
    same_industry = [ref for ref in evidence if industry and ref.industry == industry]
    catalogue_in_industry = sum(1 for ref in references if industry and ref.industry == industry)
    try:
        team = (
            plan_team(plan.team, plan.team_rules, plan.labelling)
            if plan is not None and plan.team is not None
            else None
        )
    except ValueError:
        team = None  # the resources page's team tab says why

    scored = evaluation is not None and not evaluation.unscored and evaluation.weighted_sum is not None
    steps = (
        Step(
            "worthiness",
            "Is it worth it?",
            scored,
            "every candidate scored" if scored else "score every candidate on the six criteria",
            "worthiness",
        ),
        Step(
            "metrics",
            "How will we know?",
            chain is not None and not errors,
            "metric chain complete"
            if chain is not None and not errors
            else ("define the metric chain" if chain is None else f"{len(errors)} problem(s) in the metric chain"),
            "success_metrics",
        ),
        Step(
            "references",
            "Who did it before?",
            bool(evidence),
            f"{len(evidence)} reference(s) attached" if evidence else "attach reference projects as evidence",
            "references",
        ),
        Step(
            "resources",
            "What will it take?",
            plan is not None,
            f"scenario '{plan.name}' for {name}" if plan is not None else "save a resource scenario for the candidate",
            "resources",
        ),
    )

    figures: list[KeyFigure] = []
    if evaluation is not None and candidate_id:
        figures.append(KeyFigure("Decision candidate", name or candidate_id, _stability(evaluation, candidate_id)))
    if chain is not None and chain.business_metrics:
        metric = chain.business_metrics[0]
        deadline = f"by {metric.deadline.isoformat()}" if metric.deadline else "no deadline"
        unit = f" {metric.unit}" if metric.unit else ""
        figures.append(
            KeyFigure(
                "Primary success metric",
                metric.name,
                f"{format_number(metric.baseline)} → {format_number(metric.target)}{unit}, {deadline}",
            )
        )
    break_even = _break_even_text(metrics, candidate_id, chain) if candidate_id else None
    if break_even:
        figures.append(KeyFigure("Break-even model metric", break_even))
    if candidate_id:
        figures.append(
            KeyFigure(
                "References from the same industry",
                f"{len(same_industry)} attached",
                f"{catalogue_in_industry:,} in the catalogue for {industry}"
                if industry
                else "candidate has no industry",
            )
        )
    if plan is not None:
        device_name = (facts.device_name if facts is not None else None) or plan.device_key
        device = f"{plan.devices} × {device_name}" if device_name else f"{plan.devices} device(s)"
        figures.append(KeyFigure("Devices per replica", device, f"scenario '{plan.name}' for {name}"))
        if plan_summary is not None:
            figures.append(
                KeyFigure("Monthly serving cost", format_usd(plan_summary.monthly_serving_cost_usd), "at peak")
            )
            figures.append(KeyFigure("Training cost", format_usd(plan_summary.training_cost_usd), "on-demand price"))
    api_comparison = facts.api_comparison if facts is not None else None
    if plan is not None and api_comparison is not None:
        at = api_comparison.at_average
        value = (
            "both cost the same"
            if at.cheaper == "equal"
            else f"{at.cheaper} cheaper by {format_usd(at.saving_usd_per_month)} a month"
        )
        figures.append(
            KeyFigure(
                "API or self-host",
                value,
                f"{api_comparison.model.label} at {at.requests_per_month:,.0f} requests a month",
            )
        )
    cost = facts.cost if plan is not None and facts is not None else None
    monthly_value, value_basis = _monthly_value(metrics, candidate_id, chain) if candidate_id else (None, "")
    payback_in, payback = _payback(cost, monthly_value, value_basis)
    if cost is not None:
        figures.append(
            KeyFigure(
                "One-off cost", format_usd(cost.one_off_usd), _lines(cost.one_off, cost, ("training", "labelling"))
            )
        )
        figures.append(
            KeyFigure("Monthly cost", format_usd(cost.monthly_usd), _lines(cost.monthly, cost, ("serving",)))
        )
        figures.append(KeyFigure("Payback", f"{payback_in:,.1f} months" if payback_in is not None else "none", payback))
    if team is not None:
        figures.append(
            KeyFigure(
                "Team",
                f"{team.peak_fte:.1f} FTE at peak",
                f"{team.total_fte_months:.0f} FTE-months, {format_usd(team.total_cost_usd)}",
            )
        )

    problems = [Problem(f"{issue.severity}: {issue.message}", "success_metrics") for issue in issues]
    if candidate_id and evaluation is not None:
        problems += _plan_problems(plan, facts, chosen, evaluation.names, name or candidate_id)
    if cost is not None and monthly_value is not None and payback_in is None:
        # The decision and its own figures disagree: the plan costs more each month than the model adds.
        problems.append(
            Problem(
                f"plan: it never pays back: {payback}; lower the monthly cost (serving, the team running it) on "
                "the Resources page, or check the value and the targets on Success metrics.",
                "resources",
            )
        )
    if evaluation is not None:
        problems += [
            Problem(
                f"disagreement: raters differ by {d.high - d.low} points on {d.criterion} for "
                f"{evaluation.names.get(d.candidate_id, d.candidate_id)}",
                "worthiness",
            )
            for d in evaluation.disagreements
        ]
        problems += [Problem(f"unscored: {evaluation.names[cid]}", "worthiness") for cid in evaluation.unscored]
    return Overview(
        decision=decision,
        candidate_id=candidate_id,
        candidate_name=name,
        reasons=reasons,
        steps=steps,
        figures=tuple(figures),
        problems=tuple(problems),
        evaluation=evaluation,
        chain=chain,
        chain_issues=issues,
        break_even=break_even,
        evidence=evidence,
        plan=plan,
        plan_summary=plan_summary,
        team=team,
        cost=cost,
        monthly_value_usd=monthly_value,
        payback_months=payback_in,
        payback=payback,
    )
