"""Every name validator in core refuses names that show nothing, and no validator repeats a long value.

Two raters called "\u200b" and "\u200f" would look identical on screen; a message quoting a 100,000-character
value in full would flood the page. Each row below is one validator a form, an import or a URL reaches.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from core.example import example_project
from core.metrics._checks import check_name
from core.projects import validate_project_name, validate_section
from core.ratings import RaterSection, check_meeting_rater_name, ratings_section_name
from core.references.evidence import own_reference_row
from core.resources import accelerator_edits as ae
from core.resources.plan import ResourcePlan
from core.taxonomy import INDUSTRIES, MODALITIES
from core.worthiness import Candidate, Scores
from core.worthiness.model import check_candidate_id, check_rater_name

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202e\u2066\u2069"

_ACCELERATOR_ROW = {"vendor": "Acme", "model": "X1", "kind": "gpu", "memory_gb": "80", "memory_bandwidth_gbps": "3000"}


def _reference(**fields: object) -> object:
    row: dict[str, object] = {
        "company": "Acme",
        "title": "Parcel damage",
        "year": "",
        "industry": INDUSTRIES[0],
        "task": "classification",
        "modality": MODALITIES[0],
    }
    return own_reference_row(**{**row, **fields})


NAME_VALIDATORS: dict[str, Callable[[str], object]] = {
    "project name": validate_project_name,
    "candidate name": lambda name: Candidate(id="c1", name=name),
    "rater name": check_rater_name,
    "meeting rater name": check_meeting_rater_name,
    "rater section": ratings_section_name,
    "scenario name": lambda name: ResourcePlan(name=name, custom_params=7e9),
    "metric name": lambda name: check_name(name, "Metric name"),
    "own reference company": lambda name: _reference(company=name),
    "own reference title": lambda name: _reference(title=name),
    "accelerator vendor": lambda name: ae.clean_accelerator_row({**_ACCELERATOR_ROW, "vendor": name}),
}


@pytest.mark.parametrize("validator", NAME_VALIDATORS.values(), ids=NAME_VALIDATORS.keys())
@pytest.mark.parametrize(
    "name", [INVISIBLE, " \u200b ", "\u3164", "\u0301"], ids=["marks", "spaced", "filler", "accent"]
)
def test_names_that_show_nothing_are_refused_with_a_sentence(validator: Callable[[str], object], name: str) -> None:
    with pytest.raises(ValueError, match="needs at least one visible character"):
        validator(name)


@pytest.mark.parametrize("validator", NAME_VALIDATORS.values(), ids=NAME_VALIDATORS.keys())
def test_a_name_with_a_visible_character_among_marks_is_accepted(validator: Callable[[str], object]) -> None:
    validator("\u200fAnn\u200b")


LONG = "Q" * 100_000


def _example_section(section: str, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """A copy of the example project's section with ``change`` applied."""
    document = copy.deepcopy(example_project()[1][section])
    change(document)
    return document


def _long_candidate_field(document: dict[str, Any]) -> None:
    document["candidates"][0][LONG] = 1


def _long_scenario_number(document: dict[str, Any]) -> None:
    document["scenarios"][0]["batch"] = LONG


def _long_rater_candidate(document: dict[str, Any]) -> None:
    document["scores"] = {LONG: next(iter(document["scores"].values()))}


LONG_VALUES: dict[str, Callable[[], object]] = {
    "candidate industry": lambda: Candidate(id="c1", name="A", industry=LONG),
    "candidate id": lambda: check_candidate_id(LONG),
    "score": lambda: Scores.from_mapping(
        {"impact": LONG, "value": 3, "complexity": 3, "risk": 3, "cost": 3, "suitability": 3}
    ),
    "rater's candidate id": lambda: RaterSection.from_document(
        _example_section("ratings:Architect", _long_rater_candidate)
    ),
    "scenario mode": lambda: ResourcePlan(name="A", custom_params=7e9, mode=LONG),  # type: ignore[arg-type]
    "accelerator kind": lambda: ae.clean_accelerator_row({**_ACCELERATOR_ROW, "kind": LONG}),
    "accelerator number": lambda: ae.clean_accelerator_row({**_ACCELERATOR_ROW, "memory_gb": LONG}),
    "reference year": lambda: _reference(year=LONG),
    "reference industry": lambda: _reference(industry=LONG),
    "imported section name": lambda: validate_section(LONG, {}),
    "imported rater section": lambda: validate_section("ratings:" + LONG, {"rater": "A", "scores": {}}),
    "imported candidate field": lambda: validate_section(
        "worthiness", _example_section("worthiness", _long_candidate_field)
    ),
    "imported scenario number": lambda: validate_section(
        "resources", _example_section("resources", _long_scenario_number)
    ),
}


@pytest.mark.parametrize("make", LONG_VALUES.values(), ids=LONG_VALUES.keys())
def test_messages_quote_at_most_a_short_prefix_of_a_long_value(make: Callable[[], object]) -> None:
    with pytest.raises(ValueError) as refused:
        make()
    message = str(refused.value)
    assert "Q" * 100 not in message, message[:300]
    assert len(message) < 600, message[:300]
