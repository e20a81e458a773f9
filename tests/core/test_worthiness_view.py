"""The /worthiness page's pure helpers: form <-> candidate, saved sections, table and chart rows, evidence."""

from __future__ import annotations

from typing import Any

import pytest

from core.ratings import split_ratings
from core.worthiness import (
    ALTERNATIVE_KINDS,
    CRITERION_KEYS,
    Alternative,
    Candidate,
    Scores,
    Weights,
    evaluate,
    example_worthiness,
)
from core.worthiness.view import (
    NOT_CONSIDERED,
    UNDECIDED,
    AlternativeRow,
    CandidateForm,
    alternative_rows,
    candidate_from_form,
    candidate_rows,
    field_label,
    first_place_rows,
    form_from_candidate,
    new_candidate_id,
    quadrant_rows,
    rank_distribution_rows,
    ranking_rows,
    rater_column,
    rater_document,
    rater_scores_for,
    reserved_candidate_ids,
    resolve_references,
    scores_from_values,
    section_with_candidate,
    section_with_settings,
    section_without_candidate,
    spread_rows,
    stored_section,
    weight_shares,
    weights_from_values,
)


@pytest.fixture
def example_sections():
    return split_ratings(example_worthiness())


# ---------------------------------------------------------------- candidate form


def test_every_example_candidate_survives_a_round_trip_through_the_form() -> None:
    for candidate in example_worthiness().candidates:
        rebuilt = candidate_from_form(form_from_candidate(candidate), candidate.id)
        # The form lists alternatives by kind, so only their order may differ.
        assert sorted(rebuilt.alternatives, key=repr) == sorted(candidate.alternatives, key=repr)
        assert rebuilt == Candidate(**{**candidate.__dict__, "alternatives": rebuilt.alternatives})


def test_the_blank_form_has_one_unconsidered_row_per_kind() -> None:
    form = form_from_candidate(None)
    assert [row.kind for row in form.alternatives] == list(ALTERNATIVE_KINDS)
    assert {row.meets_need for row in form.alternatives} == {NOT_CONSIDERED}


def test_a_second_alternative_of_one_kind_gets_a_row_of_its_own() -> None:
    candidate = Candidate(
        id="c",
        name="C",
        alternatives=(Alternative("manual process", "partly", 10.0), Alternative("manual process", "no", 5.0)),
    )
    rows = alternative_rows(candidate)
    assert len(rows) == len(ALTERNATIVE_KINDS) + 1
    assert rows[-1] == AlternativeRow("manual process", "no", 5.0, "")
    assert len(candidate_from_form(form_from_candidate(candidate), "c").alternatives) == 2


def test_the_form_turns_percent_into_a_fraction_and_skips_unconsidered_alternatives() -> None:
    rows = tuple(
        AlternativeRow(kind, "fully" if kind == "sensor or hardware" else NOT_CONSIDERED, 300.0, "a sensor")
        for kind in ALTERNATIVE_KINDS
    )
    form = CandidateForm(name="Rain now", acceptable_error_percent=5.0, alternatives=rows, horizon="left over")
    candidate = candidate_from_form(form, "rain-now")
    assert candidate.acceptable_error_rate == pytest.approx(0.05)
    assert candidate.alternatives == (Alternative("sensor or hardware", "fully", 300.0, "a sensor"),)
    assert candidate.horizon == "", "a horizon only counts for a forecast"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (CandidateForm(name=""), "cannot be empty"),
        (CandidateForm(name="x" * 201), "at most 200 characters"),
        (CandidateForm(name="F", requirement="predict future"), "Say how far ahead"),
        (
            CandidateForm(name="E", must_be_error_free=True, acceptable_error_percent=1.0),
            "must be 0 % or left empty; got 1 %",
        ),
        (CandidateForm(name="P", acceptable_error_percent=150.0), "percentage from 0 to 100"),
        (CandidateForm(name="P", acceptable_error_percent=float("nan")), "percentage from 0 to 100"),
        (CandidateForm(name="O", suitability_override=7), "from 1 to 5"),
        (
            CandidateForm(name="A", alternatives=(AlternativeRow("manual process", "fully", -1.0),)),
            "between 0 and",
        ),
    ],
)
def test_bad_form_values_get_the_cores_message(form: CandidateForm, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        candidate_from_form(form, "some-id")


def test_a_new_id_avoids_ids_still_scored_in_a_raters_section(example_sections) -> None:
    sections = dict(example_sections)
    sections["ratings:Ann"] = {"rater": "Ann", "scores": {"old-idea": dict.fromkeys(CRITERION_KEYS, 3)}}
    assert {"film-backgrounds", "old-idea"} <= reserved_candidate_ids(sections)
    assert new_candidate_id("Old idea", sections) == "old-idea-2"
    assert new_candidate_id("Replace film backgrounds", sections) == "replace-film-backgrounds"
    assert new_candidate_id("Film backgrounds", sections) == "film-backgrounds-2"
    assert reserved_candidate_ids({}) == set()


# ---------------------------------------------------------------- saved sections


def test_the_stored_section_holds_candidates_without_the_raters_scores(example_sections) -> None:
    stored = stored_section(example_sections)
    assert stored is not None
    assert stored.candidate_ids == example_worthiness().candidate_ids
    assert stored.rater_scores.raters == ()
    assert stored_section({}) is None


def test_adding_changing_and_removing_candidates(example_sections) -> None:
    first = section_with_candidate(None, Candidate(id="a", name="A"))
    assert first.candidate_ids == ("a",)
    stored = stored_section(example_sections)
    changed = section_with_candidate(stored, Candidate(id="film-backgrounds", name="Film, renamed"))
    assert changed.candidate("film-backgrounds").name == "Film, renamed"
    assert len(changed.candidates) == 3
    assert section_without_candidate(stored, "film-backgrounds").candidate_ids == (
        "rain-now-watering",
        "rain-forecast-15min",
    )
    with pytest.raises(ValueError, match="at least one candidate"):
        section_without_candidate(first, "a")
    with pytest.raises(ValueError, match="no candidates yet"):
        section_without_candidate(None, "a")


def test_settings_are_validated_by_the_core(example_sections) -> None:
    stored = stored_section(example_sections)
    updated = section_with_settings(
        stored, weights=Weights(value=3.0), aggregation="median", spread_percent=40, draws=3_000, seed=7
    )
    assert (updated.weights.value, updated.aggregation) == (3.0, "median")
    assert (updated.sensitivity_spread, updated.sensitivity_draws, updated.sensitivity_seed) == (0.4, 3_000, 7)
    with pytest.raises(ValueError, match=r"between 0 and 0\.95"):
        section_with_settings(stored, spread_percent=120)
    with pytest.raises(ValueError, match="draws must be a whole number"):
        section_with_settings(stored, draws=0)
    with pytest.raises(ValueError, match="'mean' or 'median'"):
        section_with_settings(stored, aggregation="mode")
    with pytest.raises(ValueError, match="Add a candidate first"):
        section_with_settings(None, weights=Weights())


def test_weights_from_the_inputs() -> None:
    assert weights_from_values(dict.fromkeys(CRITERION_KEYS, 2.0)) == Weights(*([2.0] * 6))
    with pytest.raises(ValueError, match="above zero"):
        weights_from_values(dict.fromkeys(CRITERION_KEYS, 0.0))
    with pytest.raises(ValueError, match="Give a weight for risk"):
        weights_from_values({**dict.fromkeys(CRITERION_KEYS, 1.0), "risk": None})


def test_weight_shares() -> None:
    shares = weight_shares({**dict.fromkeys(CRITERION_KEYS, 1.0), "suitability": 5.0})
    assert shares["suitability"] == pytest.approx(0.5)
    assert sum(share or 0.0 for share in shares.values()) == pytest.approx(1.0)
    assert set(weight_shares(dict.fromkeys(CRITERION_KEYS, 0.0)).values()) == {None}
    assert weight_shares({**dict.fromkeys(CRITERION_KEYS, 1.0), "risk": None})["risk"] == 0.0


def test_scores_from_the_inputs() -> None:
    assert scores_from_values(dict.fromkeys(CRITERION_KEYS, 4)) == Scores(4, 4, 4, 4, 4, 4)
    with pytest.raises(ValueError, match="still without a score: business impact, cost"):
        scores_from_values({**dict.fromkeys(CRITERION_KEYS, 3), "impact": None, "cost": None})
    with pytest.raises(ValueError, match="whole number from 1 to 5; got 7"):
        scores_from_values({**dict.fromkeys(CRITERION_KEYS, 3), "value": 7})


def test_a_raters_document_keeps_their_other_scores(example_sections) -> None:
    name, document = rater_document(example_sections, " Architect ", "film-backgrounds", Scores(1, 1, 1, 1, 1, 1))
    assert name == "ratings:Architect"
    assert document["rater"] == "Architect"
    assert document["scores"]["film-backgrounds"] == dict.fromkeys(CRITERION_KEYS, 1)
    assert set(document["scores"]) == {"film-backgrounds", "rain-now-watering", "rain-forecast-15min"}
    name, document = rater_document(example_sections, "Ann", "film-backgrounds", Scores(2, 2, 2, 2, 2, 2))
    assert (name, list(document["scores"])) == ("ratings:Ann", ["film-backgrounds"])
    with pytest.raises(ValueError, match="rater's name cannot be empty"):
        rater_document(example_sections, "  ", "film-backgrounds", Scores(2, 2, 2, 2, 2, 2))


def test_a_raters_saved_scores() -> None:
    section = example_worthiness()
    assert rater_scores_for(section, "Architect ", "rain-forecast-15min") == dict(
        zip(CRITERION_KEYS, (4, 4, 4, 3, 4, 5), strict=True)
    )
    assert rater_scores_for(section, "Nobody", "rain-forecast-15min") is None
    assert rater_scores_for(None, "Architect", "rain-forecast-15min") is None


# ---------------------------------------------------------------- what the page shows


@pytest.mark.parametrize(
    ("source", "label"),
    [
        ("alternatives[0].meets_need", "Alternative 1 (rule-based / image processing): meets the need"),
        ("alternatives[1]", "Alternative 2 (manual process)"),
        ("alternatives[9].meets_need", "Alternative 10 (?): meets the need"),
        ("must_be_error_free", "Must be error-free"),
        ("modality", "Data modality"),
        ("something_new", "something_new"),
    ],
)
def test_field_labels_name_the_input(source: str, label: str) -> None:
    film = example_worthiness().candidates[0]
    assert field_label(film, source) == label


def test_every_gate_flag_and_suggestion_names_a_known_input() -> None:
    evaluation = evaluate(example_worthiness())
    for candidate in evaluation.section.candidates:
        sources = [flag.source_field for flag in evaluation.gates[candidate.id].flags]
        sources += [factor.source_field for factor in evaluation.suggestions[candidate.id].factors]
        for source in sources:
            assert field_label(candidate, source) != source, source


def test_the_candidate_list_and_the_ranking_rows() -> None:
    evaluation = evaluate(example_worthiness())
    rows = candidate_rows(evaluation)
    assert [row["Candidate"] for row in rows] == [c.name for c in evaluation.section.candidates]
    assert rows[2]["Verdict"] == "pursue with deep learning"
    assert rows[2]["Rank"] == 1 and rows[2]["Raters"] == 2
    ranking = ranking_rows(evaluation)
    assert [row["Weighted-sum rank"] for row in ranking] == [1, 2, 3]
    assert ranking[0]["Candidate"] == "Forecast rain 15 minutes ahead"
    assert 1 <= ranking[0]["Weighted sum (1–5)"] <= 5 and 0 <= ranking[0]["TOPSIS closeness (0–1)"] <= 1


def test_an_unscored_candidate_is_listed_without_rank_or_verdict() -> None:
    section = example_worthiness().with_candidate(Candidate(id="new", name="New", modality="audio"))
    rows = candidate_rows(evaluate(section))
    assert rows[-1]["Rank"] is None
    assert rows[-1]["Verdict"].endswith(UNDECIDED)
    assert len(ranking_rows(evaluate(section))) == 3


def test_chart_rows() -> None:
    evaluation = evaluate(example_worthiness())
    points = quadrant_rows(evaluation)
    assert {row["Quadrant"] for row in points} <= {"quick win", "major project", "fill-in", "thankless task"}
    assert all(1 <= row["Value (1–5)"] <= 5 and 1 <= row["Feasibility (1–5)"] <= 5 for row in points)
    first = first_place_rows(evaluation)
    assert first[0]["Candidate"] == "Forecast rain 15 minutes ahead"
    assert first == sorted(first, key=lambda row: -row["P(first)"])
    ranks = rank_distribution_rows(evaluation)
    # only the candidates that pass the gate enter the sensitivity analysis
    assert sum(row["Draws"] for row in ranks) == len(evaluation.eligible) * evaluation.section.sensitivity_draws
    assert all(row["Draws"] > 0 for row in ranks)


def test_spread_rows_flag_the_gaps_to_discuss() -> None:
    evaluation = evaluate(example_worthiness())
    rows = {row["Criterion"]: row for row in spread_rows(evaluation, "rain-forecast-15min")}
    assert rows["Cost"]["Min–max"] == "2–4"
    assert rows["Cost"]["Discuss"] == "yes"
    assert rows["Business impact"]["Discuss"] == ""
    assert rows["Cost"][rater_column("Architect")] == 4
    assert spread_rows(evaluation, "unknown") == []


def test_a_rater_called_like_a_column_does_not_overwrite_it() -> None:
    section = example_worthiness()
    section = section.with_scores("Criterion", "film-backgrounds", Scores(1, 1, 1, 1, 1, 1))
    rows = spread_rows(evaluate(section), "film-backgrounds")
    assert rows[0]["Criterion"] == "Business impact"
    assert rows[0][rater_column("Criterion")] == 1


def test_nothing_scored_gives_empty_rows() -> None:
    section = example_worthiness()
    bare = section.__class__(candidates=section.candidates)
    evaluation = evaluate(bare)
    assert ranking_rows(evaluation) == [] and first_place_rows(evaluation) == []
    assert rank_distribution_rows(evaluation) == [] and quadrant_rows(evaluation) == []


def test_attached_references_are_resolved_and_unsafe_links_dropped() -> None:
    catalogue: list[dict[str, Any]] = [
        {
            "id": "cs1",
            "company": "Acme",
            "title": "Rain nowcasting",
            "year": 2021.0,
            "source_url": "https://a.example",
            "approach": " convolutional network on radar ",
            "outcome": "beat the physics model at 1 hour",
        },
        {
            "id": "cs2",
            "company": "Evil",
            "title": "X",
            "year": None,
            "source_url": "javascript:alert(1)",
            "approach": float("nan"),
            "outcome": None,
        },
        {"id": "cs3", "company": "Other", "title": "Unrelated", "year": "2019", "source_url": ""},
    ]
    resolved = resolve_references({"rain": ("cs1", "cs2", "gone")}, catalogue)
    first, second, third = resolved["rain"]
    assert (first.company, first.title, first.year, first.source_url) == (
        "Acme",
        "Rain nowcasting",
        2021,
        "https://a.example",
    )
    assert (first.approach, first.outcome) == ("convolutional network on radar", "beat the physics model at 1 hour")
    assert second.source_url == "" and second.year is None and (second.approach, second.outcome) == ("", "")
    assert not third.found and third.reference_id == "gone"
