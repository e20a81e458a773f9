"""The decision and the planning steps, from project sections."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from core.decision import (
    DECISION_NOT_NOW,
    DECISION_PURSUE,
    DECISION_SIMPLER,
    DECISION_UNDECIDED,
    build_overview,
)
from core.example import example_project
from core.ratings import merge_ratings, split_ratings
from core.references import Reference
from core.worthiness import RaterScores, Scores

TODAY = date(2027, 1, 15)
FORECAST = "rain-forecast-15min"


def _sections() -> dict:
    return example_project()[1]


def _rescored(scores: Scores) -> dict:
    """The example with every rater giving the forecast candidate these scores."""
    sections = _sections()
    section = merge_ratings(sections)
    assert section is not None
    for rater in section.rater_scores.raters:
        section = section.with_scores(rater, FORECAST, scores)
    return {**sections, **split_ratings(section)}


def test_the_example_decides_to_pursue_the_forecast() -> None:
    overview = build_overview(_sections(), today=TODAY)
    assert (overview.decision, overview.candidate_id) == (DECISION_PURSUE, FORECAST)
    assert overview.reasons


@pytest.mark.parametrize(
    ("scores", "decision"),
    [
        (Scores(impact=1, value=1, complexity=3, risk=3, cost=3, suitability=5), DECISION_SIMPLER),
        (Scores(impact=5, value=5, complexity=2, risk=2, cost=2, suitability=1), DECISION_SIMPLER),
    ],
)
def test_without_a_pursue_verdict_the_decision_falls_back(scores: Scores, decision: str) -> None:
    assert build_overview(_rescored(scores), today=TODAY).decision == decision


def test_when_every_candidate_is_not_worth_it_the_decision_says_so() -> None:
    section = merge_ratings(_sections())
    assert section is not None
    low = Scores(impact=1, value=1, complexity=5, risk=5, cost=5, suitability=5)
    only = dataclasses.replace(
        section, candidates=(section.candidate(FORECAST),), rater_scores=RaterScores(), references={}
    ).with_scores("Architect", FORECAST, low)
    assert build_overview(split_ratings(only), today=TODAY).decision == DECISION_NOT_NOW


def test_an_empty_project_is_undecided_and_says_what_to_do() -> None:
    overview = build_overview({}, today=TODAY)
    assert overview.decision == DECISION_UNDECIDED
    assert "Worthiness" in overview.reasons[0]
    assert [step.done for step in overview.steps] == [False, False, False, False]


def test_steps_of_the_example_show_references_still_open() -> None:
    steps = {step.key: step.done for step in build_overview(_sections(), today=TODAY).steps}
    assert steps == {"worthiness": True, "metrics": True, "references": False, "resources": True}


def test_attached_references_complete_the_evidence_step() -> None:
    sections = _sections()
    section = merge_ratings(sections)
    assert section is not None
    section = dataclasses.replace(section, references={FORECAST: ("ref-1",)})
    sections = {**sections, **split_ratings(section)}
    reference = Reference.from_row(
        {
            "id": "ref-1",
            "company": "Acme Farms",
            "title": "Nowcasting",
            "year": 2024,
            "industry": "agriculture",
            "task": "regression & forecasting",
            "modality": "time series",
            "uses_deep_learning": "yes",
            "tags": "weather",
            "source_url": "https://example.com/nowcast",
        }
    )
    overview = build_overview(sections, references=[reference], today=TODAY)
    assert overview.evidence == (reference,)
    assert {s.key: s.done for s in overview.steps}["references"]
    figure = next(f for f in overview.figures if f.label == "References from the same industry")
    assert figure.value == "1 attached"


def test_key_figures_cover_metric_break_even_devices_and_team() -> None:
    labels = [f.label for f in build_overview(_sections(), today=TODAY).figures]
    for expected in (
        "Decision candidate",
        "Primary success metric",
        "Break-even model metric",
        "Chosen devices",
        "Team",
    ):
        assert expected in labels


def test_rater_disagreements_are_open_problems() -> None:
    problems = build_overview(_sections(), today=TODAY).problems
    assert any(problem.startswith("disagreement:") for problem in problems)
