"""Monte Carlo sensitivity over weights and the exact single-weight threshold."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.worthiness import (
    CRITERION_KEYS,
    Weights,
    rank_weighted_sum,
    sensitivity,
    smallest_single_weight_change,
    threshold_sentence,
)
from core.worthiness.sensitivity import WeightThreshold, perturbed_weights

EQUAL = Weights()


def row(
    impact: float, value: float, complexity: float, risk: float, cost: float, suitability: float
) -> dict[str, float]:
    return dict(zip(CRITERION_KEYS, (impact, value, complexity, risk, cost, suitability), strict=True))


CLOSE_RACE = {
    "a": row(5, 5, 4, 4, 4, 3),
    "b": row(3, 3, 2, 2, 2, 3),
    "c": row(4, 4, 3, 3, 3, 3),
}


# ---------------------------------------------------------------- Monte Carlo


def test_same_seed_same_result() -> None:
    first = sensitivity(CLOSE_RACE, EQUAL, draws=500, spread=0.5, seed=7)
    second = sensitivity(CLOSE_RACE, EQUAL, draws=500, spread=0.5, seed=7)
    assert first == second


def test_different_seeds_differ_in_a_close_race() -> None:
    # Two seeds can tie by chance (1 and 2 both give 29 of 500 here), so compare five.
    results = {sensitivity(CLOSE_RACE, EQUAL, draws=500, spread=0.5, seed=seed).p_first["a"] for seed in range(5)}
    assert len(results) > 1


def test_close_race_is_uncertain_and_counts_add_up() -> None:
    result = sensitivity(CLOSE_RACE, EQUAL, draws=2_000, spread=0.5, seed=0)
    assert 0 < result.p_first["a"] < 1 and 0 < result.p_first["b"] < 1
    for candidate_id in CLOSE_RACE:
        assert sum(result.rank_counts[candidate_id]) == 2_000
        assert result.p_first[candidate_id] == result.rank_counts[candidate_id][0] / 2_000
    assert (result.draws, result.spread, result.seed) == (2_000, 0.5, 0)


def test_zero_spread_repeats_the_plain_ranking() -> None:
    result = sensitivity(CLOSE_RACE, EQUAL, draws=50, spread=0.0)
    plain = rank_weighted_sum(CLOSE_RACE, EQUAL)
    for entry in plain.entries:
        expected = [0, 0, 0]
        expected[entry.rank - 1] = 50
        assert result.rank_counts[entry.candidate_id] == tuple(expected)


def test_a_dominant_candidate_is_always_first() -> None:
    scores = {"best": row(5, 5, 1, 1, 1, 5), "worst": row(1, 1, 5, 5, 5, 1)}
    result = sensitivity(scores, EQUAL, draws=200, spread=0.9)
    assert result.p_first == {"best": 1.0, "worst": 0.0}


def test_tied_candidates_both_count_as_first() -> None:
    scores = {"a": row(4, 4, 2, 2, 2, 4), "b": row(4, 4, 2, 2, 2, 4), "c": row(1, 1, 5, 5, 5, 1)}
    result = sensitivity(scores, EQUAL, draws=100)
    assert result.p_first == {"a": 1.0, "b": 1.0, "c": 0.0}
    assert result.rank_counts["c"] == (0, 0, 100)


def test_matches_a_draw_by_draw_loop() -> None:
    draws, spread, seed = 300, 0.4, 3
    result = sensitivity(CLOSE_RACE, EQUAL, draws=draws, spread=spread, seed=seed)
    weight_rows = perturbed_weights(EQUAL, draws=draws, spread=spread, seed=seed)
    counts = {candidate_id: [0, 0, 0] for candidate_id in CLOSE_RACE}
    for weights in weight_rows:
        for entry in rank_weighted_sum(CLOSE_RACE, Weights(*weights)).entries:
            counts[entry.candidate_id][entry.rank - 1] += 1
    assert result.rank_counts == {key: tuple(value) for key, value in counts.items()}


def test_more_draws_than_one_block_are_all_counted() -> None:
    result = sensitivity(CLOSE_RACE, EQUAL, draws=25_000, spread=0.2)
    assert sum(result.rank_counts["a"]) == 25_000


def test_perturbed_weights_stay_within_the_spread_and_sum_to_one() -> None:
    weights = Weights(impact=2, value=1, complexity=0, risk=1, cost=1, suitability=1)
    rows = perturbed_weights(weights, draws=1_000, spread=0.2, seed=0)
    assert rows.shape == (1_000, 6)
    assert np.allclose(rows.sum(axis=1), 1.0)
    assert np.all(rows[:, 2] == 0)
    ratio = (rows[:, 0] / rows[:, 1]) / 2.0  # impact was twice value
    assert ratio.min() >= 0.8 / 1.2 - 1e-12 and ratio.max() <= 1.2 / 0.8 + 1e-12


@pytest.mark.parametrize(
    ("settings_kwargs", "message"),
    [
        ({"draws": 0}, "number of draws must be a whole number from 1"),
        ({"draws": 100_001}, "number of draws must be a whole number from 1"),
        ({"draws": 20.0}, "number of draws"),
        ({"spread": -0.1}, "weight spread must be between 0 and 0.95"),
        ({"spread": 1.0}, "weight spread must be between 0 and 0.95"),
        ({"spread": math.nan}, "finite number"),
        ({"spread": "0.2"}, "finite number"),
        ({"seed": -1}, "random seed"),
        ({"seed": 2**32}, "random seed"),
        ({"seed": 1.5}, "random seed"),
    ],
)
def test_sensitivity_rejects_bad_settings(settings_kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sensitivity(CLOSE_RACE, EQUAL, **settings_kwargs)  # type: ignore[arg-type]


score_value = st.integers(2, 10).map(lambda twice: twice / 2)
weight_values = st.one_of(st.just(0.0), st.floats(1e-3, 10))
weight_lists = st.lists(weight_values, min_size=6, max_size=6).filter(lambda weights: sum(weights) > 0)


@st.composite
def score_tables(draw: st.DrawFn, min_size: int = 1) -> dict[str, dict[str, float]]:
    rows = draw(st.lists(st.lists(score_value, min_size=6, max_size=6), min_size=min_size, max_size=8))
    return {f"c{i}": dict(zip(CRITERION_KEYS, values, strict=True)) for i, values in enumerate(rows)}


@settings(max_examples=30)
@given(score_tables(), weight_lists, st.integers(0, 2**32 - 1), st.floats(0, 0.95))
def test_same_seed_same_sensitivity_property(
    scores: dict[str, dict[str, float]], weights: list[float], seed: int, spread: float
) -> None:
    first = sensitivity(scores, Weights(*weights), draws=200, spread=spread, seed=seed)
    second = sensitivity(scores, Weights(*weights), draws=200, spread=spread, seed=seed)
    assert first == second


# ---------------------------------------------------------------- single-weight threshold


def weights_with(weights: Weights, criterion: str, share: float) -> Weights:
    """``criterion`` at ``share`` of the total; the others keep their proportions (equal if all zero)."""
    others = {key: value for key, value in weights.normalised().as_dict().items() if key != criterion}
    total = sum(others.values())
    rest = {key: (value / total if total > 0 else 1 / len(others)) * (1 - share) for key, value in others.items()}
    return Weights(**rest, **{criterion: share})


def weighted_scores(scores: dict[str, dict[str, float]], weights: Weights) -> dict[str, float]:
    return {entry.candidate_id: entry.score for entry in rank_weighted_sum(scores, weights).entries}


def test_threshold_by_hand() -> None:
    # Only impact and cost weigh, 0.5 each. a: impact 5, cost 3 (utility 3); b: impact 3, cost 1 (utility 5).
    # With impact at t: S_a = 5t + 3(1 - t), S_b = 3t + 5(1 - t); they cross at t = 0.5.
    # Start with impact at 0.6: a leads; a loses when impact's share drops below 0.5.
    scores = {"a": row(5, 3, 3, 3, 3, 3), "b": row(3, 3, 3, 3, 1, 3)}
    weights = Weights(impact=0.6, value=0, complexity=0, risk=0, cost=0.4, suitability=0)
    by_criterion = {item.criterion: item for item in smallest_single_weight_change(scores, weights)}
    # pytest.approx stands in for a float: it compares equal to the computed threshold and share.
    assert by_criterion["impact"] == WeightThreshold(
        "impact",
        pytest.approx(0.5),  # type: ignore[arg-type]
        "drops below",
        "b",
        pytest.approx(0.6),  # type: ignore[arg-type]
    )
    # Cost's share rises from 0.4: the same crossing seen from the other side.
    assert by_criterion["cost"].threshold == pytest.approx(0.5)
    assert by_criterion["cost"].direction == "rises above"
    # Value scores 3 for both: raising its weight only dilutes a's lead, which never goes negative.
    assert by_criterion["value"].threshold is None


def test_no_threshold_for_a_dominant_candidate() -> None:
    scores = {"best": row(5, 5, 1, 1, 1, 5), "worst": row(1, 1, 5, 5, 5, 1)}
    results = smallest_single_weight_change(scores, EQUAL)
    assert [item.threshold for item in results] == [None] * 6
    assert threshold_sentence(results) == "The top pick holds for any single weight between 0 and 1."


def test_single_candidate_has_no_threshold() -> None:
    results = smallest_single_weight_change({"a": row(3, 3, 3, 3, 3, 3)}, EQUAL)
    assert all(item.threshold is None and item.new_top is None for item in results)


def test_threshold_when_all_other_weights_are_zero() -> None:
    # Impact carries all the weight; lowering it shares the rest equally over the five others.
    scores = {"a": row(5, 1, 5, 5, 5, 1), "b": row(4, 5, 1, 1, 1, 5)}
    (impact, *_) = smallest_single_weight_change(scores, Weights(1, 0, 0, 0, 0, 0))
    assert impact.current_weight == 1.0 and impact.direction == "drops below" and impact.new_top == "b"
    # S_a(t) = 5t + 1(1 - t), S_b(t) = 4t + 5(1 - t): equal at t = 0.8.
    assert impact.threshold == pytest.approx(0.8)


def test_sentence_names_the_nearest_threshold() -> None:
    thresholds = [
        WeightThreshold("impact", 0.50, "rises above", "b", 0.20),
        WeightThreshold("value", 0.14, "drops below", "b", 0.20),
        WeightThreshold("cost", None, None, None, 0.20),
    ]
    assert threshold_sentence(thresholds) == (
        "The top pick holds unless value's weight drops below 0.14 (now 0.20); then b leads."
    )
    assert threshold_sentence(thresholds, {"a": "Alpha", "b": "Beta"}, "a") == (
        "The top pick (Alpha) holds unless value's weight drops below 0.14 (now 0.20); then Beta leads."
    )


def test_sentence_shows_three_decimals_when_two_would_hide_the_change() -> None:
    sentence = threshold_sentence([WeightThreshold("risk", 0.1664, "rises above", "b", 0.1666)])
    assert sentence == "The top pick holds unless risk's weight rises above 0.166 (now 0.167); then b leads."


@settings(max_examples=60)
@given(score_tables(min_size=2), weight_lists)
def test_threshold_is_exactly_where_the_top_pick_changes(
    scores: dict[str, dict[str, float]], weights_list: list[float]
) -> None:
    weights = Weights(*weights_list)
    top = rank_weighted_sum(scores, weights).entries[0].candidate_id
    for item in smallest_single_weight_change(scores, weights):
        if item.threshold is None:
            # No share of this criterion in [0, 1] lets anyone strictly overtake the top pick.
            for share in np.linspace(0, 1, 41):
                values = weighted_scores(scores, weights_with(weights, item.criterion, float(share)))
                assert max(values.values()) <= values[top] + 1e-9
            continue
        step = 1e-6 if item.direction == "rises above" else -1e-6
        assert 0 <= item.threshold <= 1
        past = weighted_scores(scores, weights_with(weights, item.criterion, item.threshold + step))
        assert item.new_top is not None
        assert past[item.new_top] > past[top]
        if abs(item.threshold - item.current_weight) > 1e-5:
            before = weighted_scores(scores, weights_with(weights, item.criterion, item.threshold - step))
            assert max(values for values in before.values()) <= before[top] + 1e-9
