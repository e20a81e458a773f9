"""Several raters, one set of scores: aggregate, spread and disagreements.

In a planning meeting everyone scores the same candidates under their own
name. Ranking uses the aggregate (mean or median, chosen by the team); the
spread and the disagreements show where the meeting should talk first.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, NamedTuple

from core.text import quote_prefix
from core.worthiness.model import CRITERION_KEYS, RaterScores

AGGREGATION_METHODS: Final[tuple[str, ...]] = ("mean", "median")
# Raters 2 or more points apart on the 1-5 scale chose different anchored levels, not shades of one
# level: worth discussing before their scores are averaged away.
DEFAULT_DISAGREEMENT_POINTS: Final = 2


def check_aggregation(method: object) -> str:
    if method not in AGGREGATION_METHODS:
        raise ValueError(f"Aggregate scores by 'mean' or 'median'; got {quote_prefix(method)}.")
    return str(method)


def aggregate_scores(rater_scores: RaterScores, method: str = "mean") -> dict[str, dict[str, float]]:
    """Candidate id -> criterion -> the mean or median of the raters' scores (1.0-5.0).

    Only raters who scored a candidate count for it; unscored candidates are left out.
    Candidates appear in the order they were first scored.
    """
    check_aggregation(method)
    combine = statistics.fmean if method == "mean" else statistics.median
    result: dict[str, dict[str, float]] = {}
    for candidate_id in rater_scores.candidate_ids():
        per_rater = list(rater_scores.for_candidate(candidate_id).values())
        result[candidate_id] = {
            key: float(combine([getattr(scores, key) for scores in per_rater])) for key in CRITERION_KEYS
        }
    return result


@dataclass(frozen=True)
class Spread:
    """How the raters' scores for one criterion of one candidate spread out.

    ``std`` is the population standard deviation (the raters present are the whole group,
    not a sample), so a single rater has std 0.
    """

    mean: float
    min: int
    max: int
    std: float
    raters: int

    @property
    def range(self) -> int:
        return self.max - self.min


def score_spread(rater_scores: RaterScores) -> dict[str, dict[str, Spread]]:
    """Candidate id -> criterion -> Spread of the raters' scores, for scored candidates."""
    result: dict[str, dict[str, Spread]] = {}
    for candidate_id in rater_scores.candidate_ids():
        per_rater = list(rater_scores.for_candidate(candidate_id).values())
        per_criterion: dict[str, Spread] = {}
        for key in CRITERION_KEYS:
            values = [getattr(scores, key) for scores in per_rater]
            per_criterion[key] = Spread(
                mean=statistics.fmean(values),
                min=min(values),
                max=max(values),
                std=statistics.pstdev(values),
                raters=len(values),
            )
        result[candidate_id] = per_criterion
    return result


class Disagreement(NamedTuple):
    """Raters differ by ``high - low`` points on one criterion of one candidate; ``raters`` maps name -> score."""

    candidate_id: str
    criterion: str
    low: int
    high: int
    raters: dict[str, int]


def disagreements(rater_scores: RaterScores, threshold: int = DEFAULT_DISAGREEMENT_POINTS) -> list[Disagreement]:
    """Every (candidate, criterion) where the highest and lowest score differ by ``threshold`` points or more.

    Sorted by the size of the gap (largest first), then by candidate and criterion order.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 1 <= threshold <= 4:
        raise ValueError(
            f"The disagreement threshold must be a whole number of points from 1 to 4; got {quote_prefix(threshold)}."
        )
    found: list[Disagreement] = []
    for candidate_id in rater_scores.candidate_ids():
        per_rater = rater_scores.for_candidate(candidate_id)
        for key in CRITERION_KEYS:
            by_name = {rater: getattr(scores, key) for rater, scores in per_rater.items()}
            low, high = min(by_name.values()), max(by_name.values())
            if high - low >= threshold:
                found.append(Disagreement(candidate_id, key, low, high, by_name))
    # Stable sort keeps candidate and criterion order among equal gaps.
    return sorted(found, key=lambda item: -(item.high - item.low))


def with_overrides(
    aggregated: Mapping[str, Mapping[str, float]], overrides: Mapping[str, int]
) -> dict[str, dict[str, float]]:
    """Aggregated scores with the team's suitability override put in place of the raters' suitability."""
    result = {candidate_id: dict(scores) for candidate_id, scores in aggregated.items()}
    for candidate_id, override in overrides.items():
        if candidate_id in result:
            result[candidate_id]["suitability"] = float(override)
    return result
