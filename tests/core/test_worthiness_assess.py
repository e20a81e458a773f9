"""Suggested suitability, the gate, and the verdict rules."""

from __future__ import annotations

import pytest

from core.worthiness import (
    GATE_CLASSIC_ML,
    GATE_ERROR_FREE,
    GATE_SIMPLER,
    VERDICT_NOT_NOW,
    VERDICT_PURSUE,
    VERDICT_SIMPLER,
    Alternative,
    Candidate,
    GateResult,
    gate,
    suggest_suitability,
    verdict,
)


def make_candidate(**overrides: object) -> Candidate:
    values: dict[str, object] = {"id": "c1", "name": "Candidate one", "acceptable_error_rate": 0.1}
    values.update(overrides)
    return Candidate(**values)  # type: ignore[arg-type]


SENSOR_FULLY = Alternative("sensor or hardware", "fully", 300.0, "humidity sensor")
SENSOR_PARTLY = Alternative("sensor or hardware", "partly")
RULE_NO = Alternative("rule-based / image processing", "no")
CLASSIC_NO = Alternative("classic ML", "no", None, "gradient boosting")
CLASSIC_FULLY = Alternative("classic ML", "fully")
API_FULLY = Alternative("off-the-shelf product or API", "fully", 1_000.0, "vendor API")


# ---------------------------------------------------------------- suggestion


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        # base 3, +1 unstructured, ±0 detect without measuring alternative, ±0 rate, ±0 labelled
        ({"modality": "image"}, 4),
        ({"modality": "text"}, 4),
        ({"modality": "multimodal"}, 4),
        ({"modality": "tabular"}, 2),
        ({"modality": "time series"}, 3),
        ({"modality": "graph"}, 3),
        ({"modality": "image", "requirement": "predict future", "horizon": "1 day"}, 5),
        ({"modality": "tabular", "requirement": "predict future", "horizon": "1 day"}, 3),
        ({"modality": "time series", "alternatives": (SENSOR_FULLY,)}, 2),
        ({"modality": "time series", "alternatives": (SENSOR_PARTLY,)}, 2),
        ({"modality": "time series", "alternatives": (RULE_NO,)}, 3),
        ({"modality": "image", "must_be_error_free": True, "acceptable_error_rate": None}, 2),
        ({"modality": "image", "acceptable_error_rate": 0.0}, 2),
        ({"modality": "image", "acceptable_error_rate": 0.005}, 3),
        ({"modality": "image", "acceptable_error_rate": 0.01}, 4),
        ({"modality": "image", "acceptable_error_rate": None}, 4),
        ({"modality": "image", "data_availability": "none"}, 3),
        ({"modality": "image", "data_availability": "must be collected"}, 4),
        ({"modality": "image", "data_availability": "exists unlabelled"}, 4),
        # clamped at 1: 3 - 1 (tabular) - 1 (sensor) - 2 (error-free) - 1 (no data) = -2
        (
            {
                "modality": "tabular",
                "alternatives": (SENSOR_FULLY,),
                "must_be_error_free": True,
                "acceptable_error_rate": None,
                "data_availability": "none",
            },
            1,
        ),
        # clamped at 5: 3 + 1 + 1 = 5 exactly; nothing pushes above 5 today, so the clamp is a guard
        ({"modality": "video", "requirement": "predict future", "horizon": "1 h"}, 5),
    ],
)
def test_suggested_suitability_table(overrides: dict[str, object], expected: int) -> None:
    assert suggest_suitability(make_candidate(**overrides)).score == expected


def test_suggestion_is_three_plus_the_factor_points_when_not_clamped() -> None:
    suggestion = suggest_suitability(make_candidate(modality="tabular", data_availability="none"))
    assert suggestion.score == 3 + sum(factor.points for factor in suggestion.factors) == 1


def test_every_suggestion_reason_names_its_input_field() -> None:
    suggestion = suggest_suitability(make_candidate(modality="audio", alternatives=(SENSOR_FULLY,)))
    assert [factor.source_field for factor in suggestion.factors] == [
        "modality",
        "alternatives[0]",
        "acceptable_error_rate",
        "data_availability",
    ]
    for reason, factor in zip(suggestion.reasons, suggestion.factors, strict=True):
        assert f"from {factor.source_field}" in reason


def test_forecast_reason_quotes_the_horizon() -> None:
    suggestion = suggest_suitability(make_candidate(requirement="predict future", horizon="15 minutes"))
    assert any("predict 15 minutes ahead" in reason for reason in suggestion.reasons)


def test_measuring_alternative_reason_names_the_alternative() -> None:
    suggestion = suggest_suitability(make_candidate(alternatives=(RULE_NO, SENSOR_FULLY)))
    assert any(
        "humidity sensor (sensor or hardware)" in reason and "alternatives[1]" in reason
        for reason in suggestion.reasons
    )


def test_suggestion_ignores_the_override() -> None:
    plain = suggest_suitability(make_candidate())
    assert suggest_suitability(make_candidate(suitability_override=1)).score == plain.score


# ---------------------------------------------------------------- gate


def test_clean_candidate_passes_the_gate() -> None:
    result = gate(make_candidate(alternatives=(SENSOR_PARTLY, CLASSIC_NO)))
    assert result == GateResult("c1", [])
    assert result.passed


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"alternatives": (SENSOR_FULLY,)}, [(GATE_SIMPLER, "alternatives[0].meets_need")]),
        (
            {"alternatives": (RULE_NO, API_FULLY, CLASSIC_FULLY)},
            [(GATE_SIMPLER, "alternatives[1].meets_need"), (GATE_SIMPLER, "alternatives[2].meets_need")],
        ),
        ({"must_be_error_free": True, "acceptable_error_rate": None}, [(GATE_ERROR_FREE, "must_be_error_free")]),
        ({"acceptable_error_rate": 0.0}, [(GATE_ERROR_FREE, "acceptable_error_rate")]),
        ({"modality": "tabular"}, [(GATE_CLASSIC_ML, "modality")]),
        ({"modality": "tabular", "alternatives": (CLASSIC_NO,)}, []),
        (
            {"modality": "tabular", "alternatives": (Alternative("classic ML", "partly"),)},
            [(GATE_CLASSIC_ML, "modality")],
        ),
        (
            {
                "modality": "tabular",
                "must_be_error_free": True,
                "acceptable_error_rate": None,
                "alternatives": (SENSOR_FULLY,),
            },
            [
                (GATE_SIMPLER, "alternatives[0].meets_need"),
                (GATE_ERROR_FREE, "must_be_error_free"),
                (GATE_CLASSIC_ML, "modality"),
            ],
        ),
    ],
)
def test_gate_flags_and_their_sources(overrides: dict[str, object], expected: list[tuple[str, str]]) -> None:
    result = gate(make_candidate(**overrides))
    assert [(flag.code, flag.source_field) for flag in result.flags] == expected


def test_simpler_solution_message_names_the_alternative() -> None:
    (flag,) = gate(make_candidate(alternatives=(SENSOR_FULLY,))).flags
    assert flag.message.startswith("Humidity sensor (sensor or hardware) fully meets the need")


def test_simpler_solution_message_without_a_note_names_the_kind() -> None:
    (flag,) = gate(make_candidate(alternatives=(CLASSIC_FULLY,))).flags
    assert flag.message.startswith("The classic ML alternative fully meets the need")


def test_gate_codes_are_listed_once() -> None:
    result = gate(make_candidate(alternatives=(SENSOR_FULLY, API_FULLY)))
    assert result.codes == (GATE_SIMPLER,)
    assert not result.passed


# ---------------------------------------------------------------- verdict


def aggregated(impact: float = 4, value: float = 4, suitability: float = 4, risk: float = 3) -> dict[str, float]:
    return {"impact": impact, "value": value, "complexity": 3, "risk": risk, "cost": 3, "suitability": suitability}


@pytest.mark.parametrize(
    ("scores", "label"),
    [
        (aggregated(), VERDICT_PURSUE),
        (aggregated(impact=2, value=3), VERDICT_PURSUE),  # average 2.5: not below the bar
        (aggregated(impact=2, value=2.5), VERDICT_NOT_NOW),  # average 2.25
        (aggregated(impact=1, value=1, suitability=5), VERDICT_NOT_NOW),
        (aggregated(suitability=2.5), VERDICT_PURSUE),
        (aggregated(suitability=2), VERDICT_SIMPLER),
        # low value is checked before low suitability
        (aggregated(impact=1, value=1, suitability=1), VERDICT_NOT_NOW),
        # high risk that outweighs the gain waits; high risk below the gain is pursued with a mitigation
        (aggregated(risk=4.5), VERDICT_NOT_NOW),
        (aggregated(impact=3, value=3.5, risk=4), VERDICT_NOT_NOW),
        (aggregated(risk=4), VERDICT_PURSUE),  # risk equal to the gain: not above it
        (aggregated(impact=5, value=5, risk=5), VERDICT_PURSUE),
        (aggregated(risk=3.9), VERDICT_PURSUE),
        # low suitability is checked before risk
        (aggregated(suitability=2, risk=5), VERDICT_SIMPLER),
    ],
)
def test_verdict_rules_on_scores(scores: dict[str, float], label: str) -> None:
    candidate = make_candidate()
    assert verdict(candidate, gate(candidate), scores, 1).label == label


@pytest.mark.parametrize(
    ("risk", "named"),
    [(3.9, False), (4.0, True), (5.0, True)],
)
def test_a_pursued_candidate_names_high_risk_among_its_reasons(risk: float, named: bool) -> None:
    candidate = make_candidate()
    result = verdict(candidate, gate(candidate), aggregated(impact=5, value=5, risk=risk), 1)
    assert result.label == VERDICT_PURSUE
    assert any("Risk is high" in reason for reason in result.reasons) is named


def test_a_risk_that_outweighs_the_gain_says_how_to_reduce_it() -> None:
    candidate = make_candidate()
    (reason,) = verdict(candidate, gate(candidate), aggregated(risk=5), 1).reasons
    assert reason.startswith("Risk is 5.0 of 5, above the 4.00 that business impact and value average")
    assert "human reviews each result" in reason


@pytest.mark.parametrize(
    "overrides",
    [
        {"alternatives": (SENSOR_FULLY,)},
        {"must_be_error_free": True, "acceptable_error_rate": None},
        {"modality": "tabular"},
    ],
)
def test_any_gate_flag_decides_before_the_scores(overrides: dict[str, object]) -> None:
    candidate = make_candidate(**overrides)
    gate_result = gate(candidate)
    result = verdict(candidate, gate_result, aggregated(impact=5, value=5, suitability=5), 1)
    assert result.label == VERDICT_SIMPLER
    assert result.reasons == [flag.message for flag in gate_result.flags]


def test_gated_candidate_needs_no_scores() -> None:
    candidate = make_candidate(alternatives=(SENSOR_FULLY,))
    assert verdict(candidate, gate(candidate), None).label == VERDICT_SIMPLER


def test_unscored_candidate_without_flags_cannot_get_a_verdict() -> None:
    candidate = make_candidate()
    with pytest.raises(ValueError, match="Score 'Candidate one' on the six criteria first"):
        verdict(candidate, gate(candidate), None)


def test_verdict_rejects_the_gate_result_of_another_candidate() -> None:
    with pytest.raises(ValueError, match="gate result is for 'other'"):
        verdict(make_candidate(), GateResult("other", []), aggregated())


def test_verdict_rejects_incomplete_scores() -> None:
    candidate = make_candidate()
    with pytest.raises(ValueError, match="lack suitability"):
        verdict(candidate, gate(candidate), {"impact": 4, "value": 4, "complexity": 3, "risk": 3, "cost": 3})


def test_pursue_reasons_quote_the_scores_and_the_rank() -> None:
    candidate = make_candidate()
    result = verdict(candidate, gate(candidate), aggregated(impact=4.5, value=4, suitability=5), 2)
    assert "Business impact 4.5 and business value 4.0 average 4.25 of 5." in result.reasons
    assert "Suitability for deep learning is 5.0 of 5." in result.reasons
    assert "It ranks 2 by weighted sum." in result.reasons


def test_not_now_reason_quotes_the_average() -> None:
    candidate = make_candidate()
    result = verdict(candidate, gate(candidate), aggregated(impact=2, value=2), None)
    assert result.reasons == [
        "Business impact 2.0 and business value 2.0 average 2.00, below 2.5: the gain does not justify a project now."
    ]
