"""Several raters: aggregation, spread, disagreements, suitability overrides."""

from __future__ import annotations

import math

import pytest

from core.worthiness import (
    CRITERION_KEYS,
    Disagreement,
    RaterScores,
    Scores,
    aggregate_scores,
    disagreements,
    score_spread,
    with_overrides,
)


def uniform(value: int, **changes: int) -> Scores:
    values = dict.fromkeys(CRITERION_KEYS, value)
    values.update(changes)
    return Scores(**values)


THREE_RATERS = RaterScores(
    {
        "Ann": {"a": uniform(1, cost=5), "b": uniform(3)},
        "Bo": {"a": uniform(2, cost=4)},
        "Cy": {"a": uniform(4, cost=1)},
    }
)


@pytest.mark.parametrize(
    ("method", "criterion", "expected"),
    [
        ("mean", "impact", (1 + 2 + 4) / 3),
        ("median", "impact", 2.0),
        ("mean", "cost", 10 / 3),
        ("median", "cost", 4.0),
    ],
)
def test_aggregate_over_the_raters_who_scored(method: str, criterion: str, expected: float) -> None:
    assert aggregate_scores(THREE_RATERS, method)["a"][criterion] == pytest.approx(expected)


def test_median_of_an_even_number_of_raters_is_the_midpoint() -> None:
    rater_scores = RaterScores({"Ann": {"a": uniform(2)}, "Bo": {"a": uniform(5)}})
    assert aggregate_scores(rater_scores, "median")["a"]["risk"] == 3.5


def test_a_single_rater_is_the_aggregate() -> None:
    assert aggregate_scores(THREE_RATERS)["b"] == dict.fromkeys(CRITERION_KEYS, 3.0)


def test_aggregate_returns_floats_for_all_six_criteria() -> None:
    result = aggregate_scores(THREE_RATERS)
    assert list(result) == ["a", "b"]
    assert all(isinstance(value, float) for value in result["a"].values())
    assert list(result["a"]) == list(CRITERION_KEYS)


def test_no_raters_no_aggregate() -> None:
    assert aggregate_scores(RaterScores()) == {}


@pytest.mark.parametrize("method", ["average", "", None, "MEAN"])
def test_aggregate_rejects_unknown_methods(method: object) -> None:
    with pytest.raises(ValueError, match="Aggregate scores by 'mean' or 'median'"):
        aggregate_scores(THREE_RATERS, method)  # type: ignore[arg-type]


def test_spread_of_three_raters() -> None:
    spread = score_spread(THREE_RATERS)["a"]["cost"]
    assert (spread.min, spread.max, spread.range, spread.raters) == (1, 5, 4, 3)
    assert spread.mean == pytest.approx(10 / 3)
    expected_std = math.sqrt(((5 - 10 / 3) ** 2 + (4 - 10 / 3) ** 2 + (1 - 10 / 3) ** 2) / 3)
    assert spread.std == pytest.approx(expected_std)


def test_spread_of_a_single_rater_is_zero() -> None:
    spread = score_spread(THREE_RATERS)["b"]["impact"]
    assert (spread.std, spread.range, spread.raters) == (0.0, 0, 1)


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        (4, [("a", "cost")]),
        (3, [("a", "cost"), ("a", "impact"), ("a", "value"), ("a", "complexity"), ("a", "risk"), ("a", "suitability")]),
        (1, [("a", "cost"), ("a", "impact"), ("a", "value"), ("a", "complexity"), ("a", "risk"), ("a", "suitability")]),
    ],
)
def test_disagreements_at_or_above_the_threshold(threshold: int, expected: list[tuple[str, str]]) -> None:
    found = disagreements(THREE_RATERS, threshold)
    assert [(item.candidate_id, item.criterion) for item in found] == expected


def test_a_two_point_gap_is_a_disagreement_by_default() -> None:
    rater_scores = RaterScores({"Ann": {"a": uniform(3, cost=4)}, "Bo": {"a": uniform(3, cost=2)}})
    assert disagreements(rater_scores) == [Disagreement("a", "cost", 2, 4, {"Ann": 4, "Bo": 2})]


def test_a_one_point_gap_is_not_a_disagreement_by_default() -> None:
    rater_scores = RaterScores({"Ann": {"a": uniform(3, cost=4)}, "Bo": {"a": uniform(3)}})
    assert disagreements(rater_scores) == []


def test_a_single_rater_never_disagrees() -> None:
    assert disagreements(RaterScores({"Ann": {"a": uniform(1, impact=5)}}), 1) == []


@pytest.mark.parametrize("threshold", [0, 5, 2.0, True, None])
def test_disagreement_threshold_must_be_one_to_four_points(threshold: object) -> None:
    with pytest.raises(ValueError, match="whole number of points from 1 to 4"):
        disagreements(THREE_RATERS, threshold)  # type: ignore[arg-type]


def test_overrides_replace_suitability_only_for_scored_candidates() -> None:
    aggregated = aggregate_scores(THREE_RATERS)
    result = with_overrides(aggregated, {"a": 5, "zzz": 1})
    assert result["a"]["suitability"] == 5.0
    assert result["a"]["impact"] == aggregated["a"]["impact"]
    assert "zzz" not in result
    assert aggregated["a"]["suitability"] != 5.0  # the input is left alone
