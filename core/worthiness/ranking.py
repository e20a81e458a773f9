"""Ranking candidates on the six criteria: weighted sum, TOPSIS, their agreement, and the quadrant.

Scores are the aggregated 1-5 scores (``candidate id -> criterion -> score``).
Cost criteria (complexity, risk, cost) count the other way round: a candidate
gains from a low score there.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from core.text import quote_prefix
from core.worthiness.model import CRITERIA, CRITERION_KEYS, SCORE_MAX, SCORE_MIN, Weights

# Two scores closer than this are a tie: weighted sums of 1-5 scores are exact to ~1e-15, so this only
# absorbs rounding (e.g. from renormalising weights) and never merges genuinely different scores.
TIE_TOLERANCE: Final = 1e-9
QUADRANT_MIDPOINT: Final = 3.0
# The names of the value/effort matrix as planners use them: a quick win is high value for little effort,
# a major project high value for much effort, a fill-in low value and easy, a thankless task low value and hard.
QUADRANT_NAMES: Final[tuple[str, ...]] = ("quick win", "major project", "fill-in", "thankless task")
# Criterion types: 1 = benefit (higher is better), -1 = cost (lower is better).
CRITERION_TYPES: Final = np.array([1 if CRITERIA[key].direction == "benefit" else -1 for key in CRITERION_KEYS])
_IS_COST: Final = CRITERION_TYPES < 0


def score_matrix(scores: Mapping[str, Mapping[str, float]]) -> tuple[tuple[str, ...], npt.NDArray[np.float64]]:
    """Validate scores and return (candidate ids, an n x 6 matrix in ``CRITERION_KEYS`` order)."""
    if not isinstance(scores, Mapping) or not scores:
        raise ValueError("Score at least one candidate before ranking.")
    ids = tuple(scores)
    rows: list[list[float]] = []
    for candidate_id in ids:
        per_criterion = scores[candidate_id]
        if not isinstance(per_criterion, Mapping):
            raise ValueError(f"The scores of {quote_prefix(candidate_id)} must map each criterion to a number.")
        row: list[float] = []
        for key in CRITERION_KEYS:
            if key not in per_criterion:
                raise ValueError(
                    f"{quote_prefix(candidate_id)} has no {CRITERIA[key].label.lower()} score; score all six."
                )
            value = per_criterion[key]
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ValueError(
                    f"{quote_prefix(candidate_id)}'s {key} score must be a finite number; got {quote_prefix(value)}."
                )
            if not SCORE_MIN <= value <= SCORE_MAX:
                raise ValueError(
                    f"{quote_prefix(candidate_id)}'s {key} score must be between {SCORE_MIN} and {SCORE_MAX}; "
                    f"got {value}."
                )
            row.append(float(value))
        rows.append(row)
    return ids, np.array(rows, dtype=np.float64)


def utility_matrix(matrix: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Turn cost criteria around (6 - score) so that higher is better everywhere; values stay in 1..5."""
    utility: npt.NDArray[np.float64] = np.where(_IS_COST, (SCORE_MIN + SCORE_MAX) - matrix, matrix)
    return utility


def competition_ranks(values: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Rank 1 = highest; equal values (within TIE_TOLERANCE) share a rank and the next rank skips ("1224").

    Works on the last axis, so a (draws, candidates) matrix gives one ranking per draw.
    """
    greater = values[..., np.newaxis, :] > values[..., :, np.newaxis] + TIE_TOLERANCE
    ranks: npt.NDArray[np.int64] = 1 + greater.sum(axis=-1, dtype=np.int64)
    return ranks


@dataclass(frozen=True)
class RankedCandidate:
    candidate_id: str
    score: float
    rank: int


@dataclass(frozen=True)
class Ranking:
    """Candidates best first. Tied candidates share a rank and keep the order in which they were given."""

    method: str
    entries: tuple[RankedCandidate, ...]

    @property
    def top(self) -> tuple[str, ...]:
        """The candidate ids ranked first (several when they tie)."""
        return tuple(entry.candidate_id for entry in self.entries if entry.rank == 1)

    def rank_of(self, candidate_id: str) -> int:
        for entry in self.entries:
            if entry.candidate_id == candidate_id:
                return entry.rank
        raise ValueError(f"{quote_prefix(candidate_id)} is not in this ranking; score it first.")

    def as_dict(self) -> dict[str, int]:
        return {entry.candidate_id: entry.rank for entry in self.entries}


def _ranking(method: str, ids: Sequence[str], values: npt.NDArray[np.float64]) -> Ranking:
    ranks = competition_ranks(values)
    # A stable sort on rank keeps the given order among ties, so the result never depends on float noise.
    order = sorted(range(len(ids)), key=lambda index: int(ranks[index]))
    return Ranking(
        method,
        tuple(RankedCandidate(ids[index], float(values[index]), int(ranks[index])) for index in order),
    )


def rank_weighted_sum(scores: Mapping[str, Mapping[str, float]], weights: Weights) -> Ranking:
    """Rank by the weighted sum of scores, cost criteria counted as 6 - score.

    The score is sum(w_k * u_k) with normalised weights w (summing to 1) and u the utility (score for
    impact, value and suitability; 6 - score for complexity, risk and cost), so it lies in 1..5.
    """
    ids, matrix = score_matrix(scores)
    values: npt.NDArray[np.float64] = utility_matrix(matrix) @ weights.vector()
    return _ranking("weighted sum", ids, values)


def rank_topsis(scores: Mapping[str, Mapping[str, float]], weights: Weights) -> Ranking:
    """Rank by TOPSIS (Hwang & Yoon 1981).

    Columns are vector-normalised (x / sqrt(sum x^2)), weighted with the normalised weights; the
    score is each candidate's relative closeness D- / (D+ + D-) in 0..1, where D+ and D- are its
    Euclidean distances to the ideal (best value per criterion: highest for impact, value and
    suitability, lowest for complexity, risk and cost) and to the anti-ideal.
    Written here rather than taken from pymcdm: the method is a dozen lines of numpy, while pymcdm
    imports matplotlib and SciPy, which added over a second to the app's cold start and doubled its
    memory. The tests check it against hand-computed cases and an independent implementation.
    When all candidates are equal on every weighted criterion (one candidate, for instance) the
    closeness is 0/0; they then all score 0.5.
    """
    ids, matrix = score_matrix(scores)
    weight_vector = weights.vector()
    weighted_columns = weight_vector > 0
    spread = matrix[:, weighted_columns].max(axis=0) - matrix[:, weighted_columns].min(axis=0)
    if not np.any(spread > 0):
        return _ranking("TOPSIS", ids, np.full(len(ids), 0.5))
    with np.errstate(invalid="ignore", divide="ignore"):
        norms = np.sqrt((matrix**2).sum(axis=0))
        weighted = matrix / np.where(norms > 0, norms, 1.0) * weight_vector
        benefit = CRITERION_TYPES > 0
        ideal = np.where(benefit, weighted.max(axis=0), weighted.min(axis=0))
        anti_ideal = np.where(benefit, weighted.min(axis=0), weighted.max(axis=0))
        to_ideal = np.sqrt(((weighted - ideal) ** 2).sum(axis=1))
        to_anti_ideal = np.sqrt(((weighted - anti_ideal) ** 2).sum(axis=1))
        closeness = to_anti_ideal / (to_ideal + to_anti_ideal)
    # 0/0 can still occur when the weights that separate candidates are so small (below ~1e-300)
    # that the weighted values underflow to zero; such candidates are indistinguishable, hence 0.5.
    closeness = np.where(np.isnan(closeness), 0.5, closeness)
    return _ranking("TOPSIS", ids, closeness)


# ---------------------------------------------------------------- agreement


def kendall_tau_b(first: Sequence[float], second: Sequence[float]) -> float | None:
    """Kendall's tau-b between two paired score lists (1 = same order, -1 = reversed).

    Ties count as neither concordant nor discordant, with the tau-b correction. None when it is
    undefined: fewer than two candidates, or one list entirely tied.
    """
    if len(first) != len(second):
        raise ValueError("Kendall's tau needs two lists of the same length.")
    concordant = discordant = ties_first = ties_second = 0
    count = len(first)
    for i in range(count):
        for j in range(i + 1, count):
            a = first[i] - first[j]
            b = second[i] - second[j]
            a_tied = abs(a) <= TIE_TOLERANCE
            b_tied = abs(b) <= TIE_TOLERANCE
            if a_tied and b_tied:
                continue
            if a_tied:
                ties_first += 1
            elif b_tied:
                ties_second += 1
            elif (a > 0) == (b > 0):
                concordant += 1
            else:
                discordant += 1
    denominator = math.sqrt((concordant + discordant + ties_first) * (concordant + discordant + ties_second))
    if denominator == 0:
        return None
    return (concordant - discordant) / denominator


@dataclass(frozen=True)
class Agreement:
    """Whether two rankings pick the same top candidate, and how alike their orders are."""

    same_top: bool
    top_first: tuple[str, ...]
    top_second: tuple[str, ...]
    kendall_tau: float | None
    summary: str


def methods_agree(first: Ranking, second: Ranking) -> Agreement:
    """Compare two rankings of the same candidates (e.g. weighted sum and TOPSIS).

    ``same_top`` is True when both rank the same set of candidates first. ``kendall_tau`` is Kendall's
    tau-b between the two methods' scores (None when undefined).
    """
    first_ids = [entry.candidate_id for entry in first.entries]
    if sorted(first_ids) != sorted(entry.candidate_id for entry in second.entries):
        raise ValueError("Compare rankings of the same candidates; these two rank different ones.")
    second_scores = {entry.candidate_id: entry.score for entry in second.entries}
    tau = kendall_tau_b(
        [entry.score for entry in first.entries], [second_scores[candidate_id] for candidate_id in first_ids]
    )
    same_top = set(first.top) == set(second.top)
    order = "" if tau is None else f" (Kendall's tau {tau:.2f})"
    if same_top:
        summary = f"{first.method} and {second.method} pick the same top candidate{order}."
    else:
        summary = f"{first.method} and {second.method} pick different top candidates{order}: discuss the trade-off."
    return Agreement(same_top, first.top, second.top, tau, summary)


# ---------------------------------------------------------------- quadrant


@dataclass(frozen=True)
class QuadrantPoint:
    value_axis: float
    feasibility_axis: float
    quadrant: str


def quadrant_name(value_axis: float, feasibility_axis: float) -> str:
    high_value = value_axis >= QUADRANT_MIDPOINT
    feasible = feasibility_axis >= QUADRANT_MIDPOINT
    if high_value:
        return "quick win" if feasible else "major project"
    return "fill-in" if feasible else "thankless task"


def quadrant(scores: Mapping[str, Mapping[str, float]]) -> dict[str, QuadrantPoint]:
    """Place each candidate on the value-versus-feasibility chart (both axes 1..5, midpoint 3).

    value = mean(impact, value); feasibility = mean(6 - complexity, 6 - risk, 6 - cost).
    A point exactly on the midpoint counts as high. Quadrants: high value and feasible "quick win";
    high value, hard "major project"; low value, feasible "fill-in"; low value, hard "thankless task".
    Weights do not enter: the chart shows the raw trade-off.
    """
    ids, matrix = score_matrix(scores)
    utility = utility_matrix(matrix)
    index = {key: position for position, key in enumerate(CRITERION_KEYS)}
    points: dict[str, QuadrantPoint] = {}
    for row, candidate_id in enumerate(ids):
        value_axis = float((utility[row, index["impact"]] + utility[row, index["value"]]) / 2)
        feasibility_axis = float(
            (utility[row, index["complexity"]] + utility[row, index["risk"]] + utility[row, index["cost"]]) / 3
        )
        points[candidate_id] = QuadrantPoint(value_axis, feasibility_axis, quadrant_name(value_axis, feasibility_axis))
    return points
