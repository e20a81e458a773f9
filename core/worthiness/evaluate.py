"""One-call evaluation of a worthiness section: everything the /worthiness page and the brief show.

``evaluate(section)`` aggregates the raters' scores, applies suitability overrides, runs the gate,
both rankings, the quadrant, the sensitivity analysis and the single-weight thresholds, and gives
each candidate its verdict, so the page and the decision brief always show the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from core.hosted.catalogue import HostedModel
from core.hosted.choice import HostedUse
from core.hosted.compare import hosted_use_sentence
from core.worthiness.assess import (
    GateResult,
    Suggestion,
    Verdict,
    gate,
    priced_alternatives,
    suggest_suitability,
    verdict,
)
from core.worthiness.ranking import (
    Agreement,
    QuadrantPoint,
    Ranking,
    methods_agree,
    quadrant,
    rank_topsis,
    rank_weighted_sum,
)
from core.worthiness.scoring import Disagreement, Spread, aggregate_scores, disagreements, score_spread, with_overrides
from core.worthiness.section import WorthinessSection
from core.worthiness.sensitivity import (
    Sensitivity,
    WeightThreshold,
    sensitivity,
    smallest_single_weight_change,
    threshold_sentence,
)


@dataclass(frozen=True)
class Evaluation:
    """Everything the worthiness page and the decision brief show, computed once.

    ``scores`` are the aggregated scores with suitability overrides applied (what the rankings use);
    rankings and quadrants cover scored candidates only (``unscored`` lists the rest). The top pick is the
    best of the scored candidates that pass the "simplest solution first" gate (``eligible``): a candidate the
    gate sends to a simpler solution cannot be the pick, so the sensitivity analysis and the weight
    thresholds, which ask how firm the pick is, cover the eligible candidates only. ``verdicts`` covers
    scored candidates and unscored ones that the gate already decides.
    """

    section: WorthinessSection
    names: dict[str, str]
    scores: dict[str, dict[str, float]]
    spread: dict[str, dict[str, Spread]]
    disagreements: list[Disagreement]
    suggestions: dict[str, Suggestion]
    gates: dict[str, GateResult]
    unscored: tuple[str, ...]
    weighted_sum: Ranking | None
    topsis: Ranking | None
    agreement: Agreement | None
    quadrants: dict[str, QuadrantPoint]
    sensitivity: Sensitivity | None
    thresholds: list[WeightThreshold]
    threshold_sentence: str
    verdicts: dict[str, Verdict]
    eligible: tuple[str, ...] = ()
    top_pick: tuple[str, ...] = ()
    # candidate id -> alternative index -> its monthly cost from the hosted-model catalogue, in a sentence
    alternative_prices: dict[str, dict[int, str]] = field(default_factory=dict)


def evaluate(section: WorthinessSection, hosted_models: Mapping[str, HostedModel] | None = None) -> Evaluation:
    """Run every worthiness computation for a section, in candidate order.

    ``hosted_models`` (the hosted-model catalogue) prices the alternatives that point at a hosted model; the
    gate and the verdicts quote those prices. Without it such alternatives are described without a price.
    """

    def price(use: HostedUse) -> str:
        _usd, sentence = hosted_use_sentence(use, hosted_models or {})
        return sentence

    prices = (
        {candidate.id: priced_alternatives(candidate, price) for candidate in section.candidates}
        if hosted_models is not None
        else {}
    )
    names = {candidate.id: candidate.name.strip() for candidate in section.candidates}
    aggregated = aggregate_scores(section.rater_scores, section.aggregation)
    ordered = {
        candidate_id: aggregated[candidate_id] for candidate_id in section.candidate_ids if candidate_id in aggregated
    }
    scores = with_overrides(ordered, section.suitability_overrides)
    raw_spread = score_spread(section.rater_scores)
    spread = {candidate_id: raw_spread[candidate_id] for candidate_id in scores}
    suggestions = {candidate.id: suggest_suitability(candidate) for candidate in section.candidates}
    gates = {candidate.id: gate(candidate, prices.get(candidate.id)) for candidate in section.candidates}
    unscored = tuple(candidate_id for candidate_id in section.candidate_ids if candidate_id not in scores)

    weighted_sum = topsis = None
    agreement = None
    result_sensitivity = None
    thresholds: list[WeightThreshold] = []
    quadrants: dict[str, QuadrantPoint] = {}
    eligible_scores = {candidate_id: row for candidate_id, row in scores.items() if gates[candidate_id].passed}
    top_pick: tuple[str, ...] = ()
    if scores:
        weighted_sum = rank_weighted_sum(scores, section.weights)
        topsis = rank_topsis(scores, section.weights)
        agreement = methods_agree(weighted_sum, topsis)
        quadrants = quadrant(scores)
    if eligible_scores:
        top_pick = rank_weighted_sum(eligible_scores, section.weights).top
        result_sensitivity = sensitivity(
            eligible_scores,
            section.weights,
            draws=section.sensitivity_draws,
            spread=section.sensitivity_spread,
            seed=section.sensitivity_seed,
        )
        thresholds = smallest_single_weight_change(eligible_scores, section.weights)
        if len(top_pick) > 1:
            tied = " and ".join(names[candidate_id] for candidate_id in top_pick)
            sentence = f"{tied} tie for the top pick; change a weight or a score to separate them."
        elif len(eligible_scores) == 1:
            sentence = (
                "Only one scored candidate passes the gate; score another to compare."
                if len(scores) > 1
                else "Only one candidate is scored; score another to compare."
            )
        else:
            sentence = threshold_sentence(thresholds, names, top_pick[0])
    elif scores:
        sentence = (
            'No scored candidate passes the "simplest solution first" gate, so there is no top pick; '
            "see the Gate tab for the simpler solutions."
        )
    else:
        sentence = "Score at least one candidate to see a ranking."

    verdicts: dict[str, Verdict] = {}
    for candidate in section.candidates:
        gate_result = gates[candidate.id]
        if candidate.id in scores and weighted_sum is not None:
            verdicts[candidate.id] = verdict(
                candidate,
                gate_result,
                scores[candidate.id],
                weighted_sum.rank_of(candidate.id),
                prices.get(candidate.id),
            )
        elif gate_result.flags:
            verdicts[candidate.id] = verdict(candidate, gate_result, None, prices=prices.get(candidate.id))
    return Evaluation(
        section=section,
        names=names,
        scores=scores,
        spread=spread,
        disagreements=disagreements(section.rater_scores),
        suggestions=suggestions,
        gates=gates,
        unscored=unscored,
        weighted_sum=weighted_sum,
        topsis=topsis,
        agreement=agreement,
        quadrants=quadrants,
        sensitivity=result_sensitivity,
        thresholds=thresholds,
        threshold_sentence=sentence,
        verdicts=verdicts,
        eligible=tuple(eligible_scores),
        top_pick=top_pick,
        alternative_prices={cid: found for cid, found in prices.items() if found},
    )
