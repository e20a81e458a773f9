"""How robust is the ranking to the weights? Monte Carlo over weights, and the exact single-weight threshold.

Weights are opinions; a top pick that changes when one weight moves a little
deserves a discussion before anyone commits money. Both functions rank by the
weighted sum (see ``rank_weighted_sum``), the method whose scores are linear in
the weights.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt

from core.text import quote_prefix
from core.worthiness.model import CRITERION_KEYS, Weights
from core.worthiness.ranking import TIE_TOLERANCE, competition_ranks, score_matrix, utility_matrix

# 2,000 draws put each candidate's share of wins within about ±1 point (binomial standard error at most
# 1.1 %); a fixed seed gives the same answer on every rerun; ±20 % is how far an agreed weight may be off.
DEFAULT_DRAWS: Final = 2_000
DEFAULT_SPREAD: Final = 0.20
DEFAULT_SEED: Final = 0
MAX_DRAWS: Final = 100_000
# Spreads of 100 % or more could drive every weight to zero at once.
MAX_SPREAD: Final = 0.95
# Draws ranked per block, so that the (draws x candidates x candidates) comparison stays small in memory.
_BLOCK_DRAWS: Final = 10_000


def check_sensitivity_settings(draws: object, spread: object, seed: object) -> tuple[int, float, int]:
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= MAX_DRAWS:
        raise ValueError(
            f"The number of draws must be a whole number from 1 to {MAX_DRAWS:,}; got {quote_prefix(draws)}."
        )
    if isinstance(spread, bool) or not isinstance(spread, int | float) or not np.isfinite(spread):
        raise ValueError(f"The weight spread must be a finite number; got {quote_prefix(spread)}.")
    if not 0 <= spread <= MAX_SPREAD:
        raise ValueError(
            f"The weight spread must be between 0 and {MAX_SPREAD:g} (0.2 = ±20 %); got {float(spread):g}."
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise ValueError(f"The random seed must be a whole number from 0 to {2**32 - 1}; got {quote_prefix(seed)}.")
    return draws, float(spread), seed


@dataclass(frozen=True)
class Sensitivity:
    """Monte Carlo result over perturbed weights.

    ``p_first[id]`` is the share of draws (0..1) in which the candidate ranked first; tied candidates
    all count as first, so the shares can sum to more than 1 when candidates tie.
    ``rank_counts[id][r - 1]`` is the number of draws in which it had rank r (each row sums to ``draws``).
    """

    candidate_ids: tuple[str, ...]
    p_first: dict[str, float]
    rank_counts: dict[str, tuple[int, ...]]
    draws: int
    spread: float
    seed: int


def perturbed_weights(weights: Weights, *, draws: int, spread: float, seed: int) -> npt.NDArray[np.float64]:
    """A (draws x 6) matrix of weights: each weight times (1 + u), u uniform in [-spread, +spread],
    then each row renormalised to sum to 1. A weight of zero stays zero."""
    draws, spread, seed = check_sensitivity_settings(draws, spread, seed)
    generator = np.random.default_rng(seed)
    factors = 1.0 + generator.uniform(-spread, spread, size=(draws, len(CRITERION_KEYS)))
    raw = weights.vector()[np.newaxis, :] * factors
    normalised: npt.NDArray[np.float64] = raw / raw.sum(axis=1, keepdims=True)
    return normalised


def sensitivity(
    scores: Mapping[str, Mapping[str, float]],
    weights: Weights,
    *,
    draws: int = DEFAULT_DRAWS,
    spread: float = DEFAULT_SPREAD,
    seed: int = DEFAULT_SEED,
) -> Sensitivity:
    """Perturb the weights ``draws`` times (relative ±``spread``, uniform), rank by weighted sum each time.

    Vectorised: all draws are scored by one matrix product (draws x 6 @ 6 x candidates) and ranked by
    comparing every pair of candidates per draw. The same seed gives the same result.
    """
    ids, matrix = score_matrix(scores)
    weight_draws = perturbed_weights(weights, draws=draws, spread=spread, seed=seed)
    utility_t = utility_matrix(matrix).T
    count = len(ids)
    rank_counts = np.zeros((count, count), dtype=np.int64)
    for start in range(0, draws, _BLOCK_DRAWS):
        block_scores = weight_draws[start : start + _BLOCK_DRAWS] @ utility_t
        ranks = competition_ranks(block_scores)
        # Flattened (candidate, rank - 1) cells, counted in one pass.
        cells = np.arange(count)[np.newaxis, :] * count + (ranks - 1)
        rank_counts += np.bincount(cells.ravel(), minlength=count * count).reshape(count, count)
    return Sensitivity(
        candidate_ids=ids,
        p_first={candidate_id: float(rank_counts[row, 0] / draws) for row, candidate_id in enumerate(ids)},
        rank_counts={candidate_id: tuple(int(n) for n in rank_counts[row]) for row, candidate_id in enumerate(ids)},
        draws=draws,
        spread=spread,
        seed=seed,
    )


# ---------------------------------------------------------------- single-weight threshold


class WeightThreshold(NamedTuple):
    """The nearest normalised weight of ``criterion`` at which the top pick changes.

    ``threshold`` and ``current_weight`` are shares of the total weight (0..1); ``direction`` is
    "rises above" or "drops below"; ``new_top`` is the candidate that leads just past the threshold.
    threshold, direction and new_top are None when no weight of this criterion in [0, 1] changes the
    top pick.
    """

    criterion: str
    threshold: float | None
    direction: str | None
    new_top: str | None
    current_weight: float


def smallest_single_weight_change(scores: Mapping[str, Mapping[str, float]], weights: Weights) -> list[WeightThreshold]:
    """For each criterion, the nearest weight at which another candidate overtakes the weighted-sum top pick.

    The top pick is the first of ``rank_weighted_sum``. One criterion's normalised weight t moves while
    the others keep their proportions and share 1 - t (shared equally when all of them are zero). Each
    candidate's score is then linear in t: S_j(t) = t u_jc + (1 - t) B_j, with B_j its weighted score on
    the other criteria, so the lead of the top pick a over j, S_a(t) - S_j(t), crosses zero at
    t* = D_B / (D_B - D_u) with D_B = B_a - B_j and D_u = u_ac - u_jc. The threshold is the crossing
    nearest to the current weight; j must be strictly ahead just past it, within 0..1.
    """
    ids, matrix = score_matrix(scores)
    utility = utility_matrix(matrix)
    current = weights.vector()
    top_row = _top_row(utility @ current)
    results: list[WeightThreshold] = []
    for column, key in enumerate(CRITERION_KEYS):
        t_now = float(current[column])
        others = np.delete(current, column)
        others = others / others.sum() if others.sum() > 0 else np.full(len(others), 1 / len(others))
        base = np.delete(utility, column, axis=1) @ others
        own = utility[:, column]
        best: tuple[float, str, int] | None = None  # (distance, direction, row)
        for row in range(len(ids)):
            if row == top_row:
                continue
            lead_at_zero = base[top_row] - base[row]
            slope = (own[top_row] - own[row]) - lead_at_zero
            if abs(slope) <= TIE_TOLERANCE:
                continue  # the lead does not depend on this weight
            crossing = lead_at_zero / -slope
            if slope < 0 and crossing < 1 - TIE_TOLERANCE:
                # The lead shrinks as t grows: j overtakes above the crossing.
                crossing = max(crossing, t_now)
                candidate = (crossing - t_now, "rises above", row)
            elif slope > 0 and crossing > TIE_TOLERANCE:
                crossing = min(crossing, t_now)
                candidate = (t_now - crossing, "drops below", row)
            else:
                continue
            if best is None or _closer(candidate, best, own, slope_sign=candidate[1]):
                best = candidate
        if best is None:
            results.append(WeightThreshold(key, None, None, None, t_now))
        else:
            distance, direction, row = best
            threshold = t_now + distance if direction == "rises above" else t_now - distance
            results.append(WeightThreshold(key, float(threshold), direction, ids[row], t_now))
    return results


def _top_row(values: npt.NDArray[np.float64]) -> int:
    """Row of the weighted-sum top pick: highest score, the first given among ties (as in Ranking)."""
    ranks = competition_ranks(values)
    return int(np.flatnonzero(ranks == 1)[0])


def _closer(
    candidate: tuple[float, str, int],
    best: tuple[float, str, int],
    own: npt.NDArray[np.float64],
    *,
    slope_sign: str,
) -> bool:
    """Whether ``candidate`` is a nearer crossing than ``best``; at equal distance in the same direction,
    the one that leads just past it wins (highest own score when rising, lowest when dropping)."""
    if candidate[0] < best[0] - TIE_TOLERANCE:
        return True
    if candidate[0] > best[0] + TIE_TOLERANCE or candidate[1] != best[1]:
        return False
    if slope_sign == "rises above":
        return bool(own[candidate[2]] > own[best[2]] + TIE_TOLERANCE)
    return bool(own[candidate[2]] < own[best[2]] - TIE_TOLERANCE)


def threshold_sentence(
    thresholds: list[WeightThreshold],
    names: Mapping[str, str] | None = None,
    top: str | None = None,
) -> str:
    """One sentence on the smallest single-weight change that changes the top pick.

    E.g. "The top pick holds unless value's weight drops below 0.14 (now 0.17); then B leads." Weights are shares of
    the total (0..1), rounded to 2 decimals. ``names`` maps candidate ids to display names.
    """
    names = names or {}
    found = [item for item in thresholds if item.threshold is not None]
    subject = f"The top pick ({names.get(top, top)})" if top else "The top pick"
    if not found:
        return f"{subject} holds for any single weight between 0 and 1."
    nearest = min(found, key=lambda item: abs(float(item.threshold or 0.0) - item.current_weight))
    # The short key ("value") reads better in a sentence than the label ("Business value").
    label = nearest.criterion
    new_top = names.get(nearest.new_top or "", nearest.new_top)
    threshold = float(nearest.threshold or 0.0)
    # Two decimals as in the guide's example, three when two would show the current weight itself.
    digits = 2 if f"{threshold:.2f}" != f"{nearest.current_weight:.2f}" else 3
    return (
        f"{subject} holds unless {label}'s weight {nearest.direction} {threshold:.{digits}f} "
        f"(now {nearest.current_weight:.{digits}f}); then {new_top} leads."
    )
