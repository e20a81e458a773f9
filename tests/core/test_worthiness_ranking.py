"""Weighted sum, TOPSIS, agreement between them, and the value/feasibility quadrant."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.worthiness import (
    BENEFIT_CRITERIA,
    CRITERION_KEYS,
    Ranking,
    Weights,
    kendall_tau_b,
    methods_agree,
    quadrant,
    rank_topsis,
    rank_weighted_sum,
)
from core.worthiness.ranking import RankedCandidate

EQUAL = Weights()


def row(
    impact: float, value: float, complexity: float, risk: float, cost: float, suitability: float
) -> dict[str, float]:
    return dict(zip(CRITERION_KEYS, (impact, value, complexity, risk, cost, suitability), strict=True))


def only(**weights: float) -> Weights:
    return Weights(**{key: weights.get(key, 0.0) for key in CRITERION_KEYS})


# ---------------------------------------------------------------- weighted sum


def test_weighted_sum_by_hand_with_equal_weights() -> None:
    # Utilities: 5, 4, 6-2, 6-1, 6-3, 4 -> 25 / 6.
    ranking = rank_weighted_sum({"a": row(5, 4, 2, 1, 3, 4)}, EQUAL)
    assert ranking.entries[0].score == pytest.approx(25 / 6)


def test_weighted_sum_by_hand_with_uneven_weights() -> None:
    # Weights 2:1 on impact and cost -> 2/3 * 5 + 1/3 * (6 - 3) = 13/3.
    ranking = rank_weighted_sum({"a": row(5, 4, 2, 1, 3, 4)}, only(impact=2, cost=1))
    assert ranking.entries[0].score == pytest.approx(13 / 3)


@pytest.mark.parametrize("criterion", ["complexity", "risk", "cost"])
def test_a_high_cost_criterion_lowers_the_weighted_sum(criterion: str) -> None:
    low = row(3, 3, 3, 3, 3, 3) | {criterion: 1}
    high = row(3, 3, 3, 3, 3, 3) | {criterion: 5}
    ranking = rank_weighted_sum({"high": high, "low": low}, EQUAL)
    assert [entry.candidate_id for entry in ranking.entries] == ["low", "high"]


@pytest.mark.parametrize("criterion", BENEFIT_CRITERIA)
def test_a_high_benefit_criterion_raises_the_weighted_sum(criterion: str) -> None:
    ranking = rank_weighted_sum(
        {"low": row(3, 3, 3, 3, 3, 3) | {criterion: 1}, "high": row(3, 3, 3, 3, 3, 3) | {criterion: 5}}, EQUAL
    )
    assert ranking.top == ("high",)


def test_ties_share_a_rank_keep_input_order_and_skip_the_next_rank() -> None:
    scores = {
        "b": row(3, 3, 3, 3, 3, 3),
        "a": row(3, 3, 3, 3, 3, 3),
        "c": row(1, 1, 5, 5, 5, 1),
        "d": row(5, 5, 1, 1, 1, 5),
    }
    ranking = rank_weighted_sum(scores, EQUAL)
    assert [(entry.candidate_id, entry.rank) for entry in ranking.entries] == [("d", 1), ("b", 2), ("a", 2), ("c", 4)]
    assert ranking.as_dict() == {"d": 1, "b": 2, "a": 2, "c": 4}


def test_scores_that_differ_only_by_rounding_tie() -> None:
    # 0.1 + 0.2 != 0.3 in floating point; the ranking must not split them.
    scores = {"a": row(3, 3, 3, 3, 3, 3), "b": row(3, 3, 3, 3, 3, 3)}
    weights = Weights(0.1, 0.2, 0.3, 0.1 + 0.2, 0.3, 0.7)
    assert rank_weighted_sum(scores, weights).top == ("a", "b")


def test_rank_of_an_unknown_candidate_is_an_error() -> None:
    with pytest.raises(ValueError, match="'zz' is not in this ranking"):
        rank_weighted_sum({"a": row(3, 3, 3, 3, 3, 3)}, EQUAL).rank_of("zz")


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({}, "Score at least one candidate"),
        ({"a": {"impact": 3}}, "no business value score"),
        ({"a": row(3, 3, 3, 3, 3, 0.5)}, "between 1 and 5; got 0.5"),
        ({"a": row(3, 3, 3, 3, 3, 5.5)}, "between 1 and 5; got 5.5"),
        ({"a": row(3, 3, 3, 3, 3, math.nan)}, "finite number"),
        ({"a": row(3, 3, 3, 3, 3, math.inf)}, "finite number"),
        ({"a": row(3, 3, 3, 3, 3, 3) | {"risk": True}}, "finite number"),
        ({"a": [3] * 6}, "must map each criterion"),
    ],
)
@pytest.mark.parametrize("rank", [rank_weighted_sum, rank_topsis])
def test_rankings_reject_bad_scores(rank: object, scores: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rank(scores, EQUAL)  # type: ignore[operator]


# ---------------------------------------------------------------- TOPSIS


def textbook_topsis(matrix: np.ndarray, weights: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Hwang & Yoon's TOPSIS written out independently (plain Python): vector normalisation, ideal = best."""
    weighted = matrix / np.sqrt((matrix**2).sum(axis=0)) * weights
    ideal = np.where(benefit, weighted.max(axis=0), weighted.min(axis=0))
    anti = np.where(benefit, weighted.min(axis=0), weighted.max(axis=0))
    to_ideal = np.sqrt(((weighted - ideal) ** 2).sum(axis=1))
    to_anti = np.sqrt(((weighted - anti) ** 2).sum(axis=1))
    result: np.ndarray = to_anti / (to_ideal + to_anti)
    return result


BENEFIT_MASK = np.array([key in BENEFIT_CRITERIA for key in CRITERION_KEYS])


def test_topsis_by_hand_ideal_anti_ideal_and_middle() -> None:
    # Only impact and cost weigh (0.5 each). x is best on both, y worst on both, z halfway on both
    # (impact 3 of 2..4, cost 3 of 2..4), so closeness is 1, 0 and 0.5.
    scores = {"x": row(4, 3, 3, 3, 2, 3), "y": row(2, 3, 3, 3, 4, 3), "z": row(3, 3, 3, 3, 3, 3)}
    ranking = rank_topsis(scores, only(impact=1, cost=1))
    assert {entry.candidate_id: entry.score for entry in ranking.entries} == pytest.approx(
        {"x": 1.0, "y": 0.0, "z": 0.5}
    )


def test_topsis_by_hand_uneven_middle() -> None:
    # impact column 5, 1, 3 (norm sqrt 35); cost column 1, 5, 2 (norm sqrt 30); weights 0.5 / 0.5.
    # z: D+ = sqrt((1/sqrt35)^2 + (0.5/sqrt30)^2), D- = sqrt((1/sqrt35)^2 + (1.5/sqrt30)^2).
    scores = {"x": row(5, 3, 3, 3, 1, 3), "y": row(1, 3, 3, 3, 5, 3), "z": row(3, 3, 3, 3, 2, 3)}
    to_ideal = math.sqrt(1 / 35 + 0.25 / 30)
    to_anti = math.sqrt(1 / 35 + 2.25 / 30)
    ranking = rank_topsis(scores, only(impact=1, cost=1))
    closeness = {entry.candidate_id: entry.score for entry in ranking.entries}
    assert closeness["z"] == pytest.approx(to_anti / (to_ideal + to_anti))
    assert closeness["z"] == pytest.approx(0.6262, abs=1e-4)
    assert [entry.candidate_id for entry in ranking.entries] == ["x", "z", "y"]


score_value = st.integers(2, 10).map(lambda twice: twice / 2)  # 1.0, 1.5, ..., 5.0 like aggregates
score_rows = st.lists(score_value, min_size=6, max_size=6)
# Zero, or a weight a person could set (at least 0.001): subnormal weights underflow when scaled.
weight_values = st.one_of(st.just(0.0), st.floats(1e-3, 10))
weight_lists = st.lists(weight_values, min_size=6, max_size=6).filter(lambda weights: sum(weights) > 0)


@settings(max_examples=60)
@given(st.lists(score_rows, min_size=2, max_size=8), weight_lists)
def test_topsis_matches_the_textbook_formula(rows: list[list[float]], weights: list[float]) -> None:
    matrix = np.array(rows)
    normalised = np.array(weights) / sum(weights)
    weighted_columns = normalised > 0
    if np.ptp(matrix[:, weighted_columns], axis=0).max() == 0:
        return  # all alike on what counts: covered by the 0.5 rule below
    scores = {f"c{i}": dict(zip(CRITERION_KEYS, values, strict=True)) for i, values in enumerate(rows)}
    ranking = rank_topsis(scores, Weights(*weights))
    got = np.array([{e.candidate_id: e.score for e in ranking.entries}[f"c{i}"] for i in range(len(rows))])
    assert np.allclose(got, textbook_topsis(matrix, normalised, BENEFIT_MASK))


@pytest.mark.parametrize(
    "scores",
    [
        {"only": row(4, 4, 2, 2, 2, 4)},
        {"a": row(4, 4, 2, 2, 2, 4), "b": row(4, 4, 2, 2, 2, 4)},
    ],
)
def test_topsis_gives_indistinguishable_candidates_one_half(scores: dict[str, dict[str, float]]) -> None:
    ranking = rank_topsis(scores, EQUAL)
    assert all(entry.score == 0.5 and entry.rank == 1 for entry in ranking.entries)


def test_topsis_ignores_differences_on_zero_weight_criteria() -> None:
    scores = {"a": row(4, 1, 3, 3, 3, 3), "b": row(4, 5, 3, 3, 3, 3)}
    ranking = rank_topsis(scores, only(impact=1))
    assert ranking.top == ("a", "b")


def test_topsis_scores_lie_between_zero_and_one() -> None:
    scores = {"a": row(1, 2, 3, 4, 5, 1), "b": row(5, 4, 3, 2, 1, 5), "c": row(3, 3, 3, 3, 3, 3)}
    assert all(0 <= entry.score <= 1 for entry in rank_topsis(scores, EQUAL).entries)


# ---------------------------------------------------------------- properties


@st.composite
def score_tables(draw: st.DrawFn) -> dict[str, dict[str, float]]:
    rows = draw(st.lists(score_rows, min_size=1, max_size=10))
    return {f"c{i}": dict(zip(CRITERION_KEYS, values, strict=True)) for i, values in enumerate(rows)}


@settings(max_examples=80)
@given(score_tables(), weight_lists, st.floats(1e-3, 1e3))
def test_scaling_all_weights_keeps_the_ranking(
    scores: dict[str, dict[str, float]], weights: list[float], factor: float
) -> None:
    scaled = Weights(*(weight * factor for weight in weights))
    for rank in (rank_weighted_sum, rank_topsis):
        before = rank(scores, Weights(*weights))
        after = rank(scores, scaled)
        assert [(e.candidate_id, e.rank) for e in before.entries] == [(e.candidate_id, e.rank) for e in after.entries]


@settings(max_examples=120)
@given(score_tables(), weight_lists, st.data())
def test_raising_a_benefit_score_never_lowers_the_weighted_sum_rank(
    scores: dict[str, dict[str, float]], weights: list[float], data: st.DataObject
) -> None:
    candidate_id = data.draw(st.sampled_from(sorted(scores)))
    criterion = data.draw(st.sampled_from(BENEFIT_CRITERIA))
    current = scores[candidate_id][criterion]
    raised = data.draw(st.floats(current, 5.0))
    before = rank_weighted_sum(scores, Weights(*weights)).rank_of(candidate_id)
    changed = {cid: dict(values) for cid, values in scores.items()}
    changed[candidate_id][criterion] = raised
    after = rank_weighted_sum(changed, Weights(*weights)).rank_of(candidate_id)
    assert after <= before


# ---------------------------------------------------------------- agreement


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ([1, 2, 3], [1, 2, 3], 1.0),
        ([1, 2, 3], [3, 2, 1], -1.0),
        ([1, 2, 3], [1, 3, 2], 1 / 3),
        ([1, 1, 2], [1, 2, 3], 2 / math.sqrt(6)),  # tau-b with one tie in the first list
        ([1, 2, 3, 4], [2, 1, 4, 3], 1 / 3),
    ],
)
def test_kendall_tau_b_by_hand(first: list[float], second: list[float], expected: float) -> None:
    assert kendall_tau_b(first, second) == pytest.approx(expected)


@pytest.mark.parametrize(("first", "second"), [([1], [1]), ([], []), ([2, 2, 2], [1, 2, 3])])
def test_kendall_tau_b_is_none_when_undefined(first: list[float], second: list[float]) -> None:
    assert kendall_tau_b(first, second) is None


def test_kendall_tau_b_needs_equal_lengths() -> None:
    with pytest.raises(ValueError, match="same length"):
        kendall_tau_b([1, 2], [1])


def ranking(method: str, *entries: tuple[str, float, int]) -> Ranking:
    return Ranking(method, tuple(RankedCandidate(*entry) for entry in entries))


def test_methods_agree_on_the_same_top_pick() -> None:
    first = ranking("weighted sum", ("a", 4.0, 1), ("b", 3.0, 2), ("c", 2.0, 3))
    second = ranking("TOPSIS", ("a", 0.9, 1), ("c", 0.5, 2), ("b", 0.4, 3))
    agreement = methods_agree(first, second)
    assert agreement.same_top
    assert agreement.kendall_tau == pytest.approx(1 / 3)
    assert agreement.summary == "weighted sum and TOPSIS pick the same top candidate (Kendall's tau 0.33)."


def test_methods_disagree_on_the_top_pick() -> None:
    first = ranking("weighted sum", ("a", 4.0, 1), ("b", 3.0, 2))
    second = ranking("TOPSIS", ("b", 0.9, 1), ("a", 0.5, 2))
    agreement = methods_agree(first, second)
    assert not agreement.same_top
    assert (agreement.top_first, agreement.top_second) == (("a",), ("b",))
    assert agreement.kendall_tau == -1.0
    assert "different top candidates" in agreement.summary


def test_methods_agree_needs_the_same_candidates() -> None:
    with pytest.raises(ValueError, match="same candidates"):
        methods_agree(ranking("x", ("a", 1.0, 1)), ranking("y", ("b", 1.0, 1)))


def test_a_single_candidate_agrees_without_a_tau() -> None:
    scores = {"a": row(3, 3, 3, 3, 3, 3)}
    agreement = methods_agree(rank_weighted_sum(scores, EQUAL), rank_topsis(scores, EQUAL))
    assert agreement.same_top and agreement.kendall_tau is None
    assert agreement.summary == "weighted sum and TOPSIS pick the same top candidate."


# ---------------------------------------------------------------- quadrant


@pytest.mark.parametrize(
    ("scores", "value_axis", "feasibility_axis", "name"),
    [
        (row(5, 4, 1, 2, 3, 1), 4.5, 4.0, "quick win"),
        (row(5, 4, 5, 4, 5, 1), 4.5, 4 / 3, "major project"),
        (row(1, 2, 1, 1, 1, 5), 1.5, 5.0, "fill-in"),
        (row(1, 2, 5, 5, 5, 5), 1.5, 1.0, "thankless task"),
        (row(3, 3, 3, 3, 3, 1), 3.0, 3.0, "quick win"),  # the midpoint counts as high
        (row(3, 2, 3, 3, 3, 1), 2.5, 3.0, "fill-in"),
        (row(3, 3, 4, 3, 3, 1), 3.0, 8 / 3, "major project"),
    ],
)
def test_quadrant_table(scores: dict[str, float], value_axis: float, feasibility_axis: float, name: str) -> None:
    point = quadrant({"a": scores})["a"]
    assert point.value_axis == pytest.approx(value_axis)
    assert point.feasibility_axis == pytest.approx(feasibility_axis)
    assert point.quadrant == name


def test_quadrant_ignores_suitability() -> None:
    assert quadrant({"a": row(4, 4, 2, 2, 2, 1)}) == quadrant({"a": row(4, 4, 2, 2, 2, 5)})
