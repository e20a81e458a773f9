"""Is this problem worth deep learning? Candidates, scores, gate, ranking, sensitivity and verdict.

The /worthiness page reads widgets, calls these functions and draws; it
computes nothing itself. ``evaluate(section)`` (module ``evaluate``) runs everything
at once so that the page and the decision brief always agree.

Modules:
- ``model``: candidates, alternatives, the six criteria with anchored levels, scores, weights;
- ``assess``: suggested suitability, the "simplest solution first" gate, the verdict;
- ``scoring``: several raters -> aggregate (mean or median), spread, disagreements;
- ``ranking``: weighted sum, TOPSIS, agreement between them, value/feasibility quadrant;
- ``sensitivity``: Monte Carlo over weights and the exact single-weight threshold;
- ``section``: the saved project section and the example project;
- ``evaluate``: ``evaluate(section)``, every figure the page and the brief show.
"""

from core.worthiness.assess import (
    GATE_CLASSIC_ML,
    GATE_ERROR_FREE,
    GATE_SIMPLER,
    HIGH_RISK_FROM,
    LOW_SUITABILITY_BELOW,
    LOW_VALUE_BELOW,
    VERDICT_LABELS,
    VERDICT_NOT_NOW,
    VERDICT_PURSUE,
    VERDICT_SIMPLER,
    GateFlag,
    GateResult,
    Suggestion,
    SuitabilityFactor,
    Verdict,
    gate,
    suggest_suitability,
    verdict,
)
from core.worthiness.evaluate import Evaluation, evaluate
from core.worthiness.model import (
    ALTERNATIVE_KINDS,
    BENEFIT_CRITERIA,
    COST_CRITERIA,
    CRITERIA,
    CRITERION_KEYS,
    DATA_AVAILABILITY,
    MAX_CANDIDATES,
    MEETS_NEED,
    REQUIREMENTS,
    Alternative,
    Candidate,
    Criterion,
    RaterScores,
    Scores,
    Weights,
    make_candidate_id,
)
from core.worthiness.ranking import (
    QUADRANT_MIDPOINT,
    QUADRANT_NAMES,
    Agreement,
    QuadrantPoint,
    RankedCandidate,
    Ranking,
    kendall_tau_b,
    methods_agree,
    quadrant,
    rank_topsis,
    rank_weighted_sum,
)
from core.worthiness.scoring import (
    AGGREGATION_METHODS,
    Disagreement,
    Spread,
    aggregate_scores,
    disagreements,
    score_spread,
    with_overrides,
)
from core.worthiness.section import WorthinessSection, example_worthiness
from core.worthiness.sensitivity import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    DEFAULT_SPREAD,
    Sensitivity,
    WeightThreshold,
    sensitivity,
    smallest_single_weight_change,
    threshold_sentence,
)

__all__ = [
    "AGGREGATION_METHODS",
    "ALTERNATIVE_KINDS",
    "BENEFIT_CRITERIA",
    "COST_CRITERIA",
    "CRITERIA",
    "CRITERION_KEYS",
    "DATA_AVAILABILITY",
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "DEFAULT_SPREAD",
    "GATE_CLASSIC_ML",
    "GATE_ERROR_FREE",
    "GATE_SIMPLER",
    "HIGH_RISK_FROM",
    "LOW_SUITABILITY_BELOW",
    "LOW_VALUE_BELOW",
    "MAX_CANDIDATES",
    "MEETS_NEED",
    "QUADRANT_MIDPOINT",
    "QUADRANT_NAMES",
    "REQUIREMENTS",
    "VERDICT_LABELS",
    "VERDICT_NOT_NOW",
    "VERDICT_PURSUE",
    "VERDICT_SIMPLER",
    "Agreement",
    "Alternative",
    "Candidate",
    "Criterion",
    "Disagreement",
    "Evaluation",
    "GateFlag",
    "GateResult",
    "QuadrantPoint",
    "RankedCandidate",
    "Ranking",
    "RaterScores",
    "Scores",
    "Sensitivity",
    "Spread",
    "Suggestion",
    "SuitabilityFactor",
    "Verdict",
    "WeightThreshold",
    "Weights",
    "WorthinessSection",
    "aggregate_scores",
    "disagreements",
    "evaluate",
    "example_worthiness",
    "gate",
    "kendall_tau_b",
    "make_candidate_id",
    "methods_agree",
    "quadrant",
    "rank_topsis",
    "rank_weighted_sum",
    "score_spread",
    "sensitivity",
    "smallest_single_weight_change",
    "suggest_suitability",
    "threshold_sentence",
    "verdict",
    "with_overrides",
]
