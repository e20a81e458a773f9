"""Meeting mode: each rater's scores in a section of their own, merged back for evaluation."""

from __future__ import annotations

import dataclasses

import pytest

from core.ratings import RaterSection, merge_ratings, ratings_section_name, split_ratings
from core.worthiness import Scores, example_worthiness

MID = Scores(impact=3, value=3, complexity=3, risk=3, cost=3, suitability=3)


def test_split_then_merge_gives_back_the_section() -> None:
    section = example_worthiness()
    assert merge_ratings(split_ratings(section)) == section


def test_the_worthiness_section_keeps_no_scores_once_split() -> None:
    assert split_ratings(example_worthiness())["worthiness"]["rater_scores"] == {}


@pytest.mark.parametrize(("name", "message"), [("", "rater"), ("x" * 81, "at most 80 characters")])
def test_a_bad_rater_name_is_refused(name: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ratings_section_name(name)


def test_scores_of_a_deleted_candidate_are_ignored() -> None:
    section = example_worthiness()
    sections = split_ratings(section)
    sections["ratings:Guest"] = RaterSection("Guest", {"gone-candidate": MID}).to_document()
    merged = merge_ratings(sections)
    assert merged is not None and "Guest" not in merged.rater_scores.raters


def test_a_project_without_worthiness_has_nothing_to_merge() -> None:
    assert merge_ratings({"metrics": {}}) is None


@pytest.mark.parametrize(
    "document", [{"rater": "A"}, {"rater": "A", "scores": []}, {"rater": "A", "scores": {"c": {"impact": 9}}}]
)
def test_a_malformed_rater_section_is_refused(document: dict) -> None:
    with pytest.raises(ValueError):
        RaterSection.from_document(document)


def test_a_rater_section_round_trips() -> None:
    section = dataclasses.replace(RaterSection("Ann", {"c1": MID}))
    assert RaterSection.from_document(section.to_document()) == section
