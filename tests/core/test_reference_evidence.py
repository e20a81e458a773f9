"""Evidence links on worthiness candidates, own-reference rows, cache fingerprints and count units."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest

from core.example import example_project
from core.ratings import merge_ratings, split_ratings
from core.references import Reference
from core.references.evidence import (
    MAX_TAGS,
    MAX_TITLE_CHARS,
    attach_references,
    attached_reference_ids,
    candidate_query,
    catalogue_fingerprint,
    detach_reference,
    evidence_for,
    is_own_reference_id,
    markdown_link_target,
    model_size_rows,
    new_own_reference_id,
    own_reference_row,
    parse_tags,
)
from core.resources.model_sizes import ModelSize
from core.text import format_count
from core.worthiness import WorthinessSection
from core.worthiness.section import MAX_REFERENCES_PER_CANDIDATE


@pytest.fixture
def sections() -> dict[str, dict]:
    return example_project()[1]


def _own(**changes: object) -> dict:
    values: dict[str, object] = {
        "company": "Acme Logistics",
        "title": "Parcel damage detection at the hub",
        "year": "2024",
        "industry": "delivery & mobility",
        "task": "detection & segmentation",
        "modality": "image",
    }
    values.update(changes)
    return values


# ---------------------------------------------------------------- evidence


def test_attach_changes_only_the_references_of_the_worthiness_document(sections) -> None:
    document = attach_references(sections["worthiness"], "film-backgrounds", ["cs0001", "cs0002"])
    assert document["references"] == {"film-backgrounds": ["cs0001", "cs0002"]}
    assert {k: v for k, v in document.items() if k != "references"} == {
        k: v for k, v in sections["worthiness"].items() if k != "references"
    }


def test_attach_gives_what_merge_then_split_would_give(sections) -> None:
    """Same document as the documented route: merge_ratings -> replace -> split_ratings()["worthiness"]."""
    merged = merge_ratings(sections)
    assert merged is not None

    expected = split_ratings(dataclasses.replace(merged, references={"rain-forecast-15min": ("cs0010",)}))
    assert attach_references(sections["worthiness"], "rain-forecast-15min", ["cs0010"]) == expected["worthiness"]


def test_attach_keeps_scores_stored_inside_the_worthiness_document(sections) -> None:
    merged = merge_ratings(sections)
    assert merged is not None
    inline = merged.to_document()  # an older layout: scores inside the worthiness section itself
    document = attach_references(inline, "film-backgrounds", ["cs0001"])
    assert document["rater_scores"] == inline["rater_scores"] and document["rater_scores"]


def test_attach_appends_new_ids_once_and_keeps_the_old_order(sections) -> None:
    first = attach_references(sections["worthiness"], "film-backgrounds", ["b", "a"])
    second = attach_references(first, "film-backgrounds", ["a", "c", "c"])
    assert second["references"]["film-backgrounds"] == ["b", "a", "c"]


def test_attaching_nothing_new_is_refused(sections) -> None:
    document = attach_references(sections["worthiness"], "film-backgrounds", ["a"])
    with pytest.raises(ValueError, match="not attached yet"):
        attach_references(document, "film-backgrounds", ["a"])
    with pytest.raises(ValueError, match="not attached yet"):
        attach_references(document, "film-backgrounds", [])


def test_attach_to_an_unknown_candidate_is_refused(sections) -> None:
    with pytest.raises(ValueError, match="no candidate"):
        attach_references(sections["worthiness"], "gone", ["a"])


def test_attach_beyond_the_limit_is_refused_with_the_room_left(sections) -> None:
    ids = [f"r{i}" for i in range(MAX_REFERENCES_PER_CANDIDATE - 1)]
    document = attach_references(sections["worthiness"], "film-backgrounds", ids)
    with pytest.raises(ValueError, match="at most 1 more"):
        attach_references(document, "film-backgrounds", ["x", "y"])


def test_detach_removes_one_and_drops_an_empty_list(sections) -> None:
    document = attach_references(sections["worthiness"], "film-backgrounds", ["a", "b"])
    document = detach_reference(document, "film-backgrounds", "a")
    assert document["references"] == {"film-backgrounds": ["b"]}
    document = detach_reference(document, "film-backgrounds", "b")
    assert document["references"] == {}
    assert detach_reference(document, "film-backgrounds", "never") == document


def test_evidence_resolves_ids_and_marks_missing_ones(sections) -> None:
    reference = Reference("cs0001", "Acme", "A title", 2020, "retail & e-commerce", "classification", "text")
    section = WorthinessSection.from_document(
        attach_references(sections["worthiness"], "film-backgrounds", ["cs0001", "own-000000000000"])
    )
    assert attached_reference_ids(section, "film-backgrounds") == ("cs0001", "own-000000000000")
    evidence = evidence_for(section, "film-backgrounds", {"cs0001": reference})
    assert [(e.reference_id, e.reference) for e in evidence] == [("cs0001", reference), ("own-000000000000", None)]
    assert evidence_for(section, "rain-now-watering", {}) == []


def test_candidate_query_joins_name_and_problem(sections) -> None:
    section = merge_ratings(sections)
    assert section is not None
    film = section.candidate("film-backgrounds")
    assert candidate_query(film) == f"{film.name} {film.problem}"


# ---------------------------------------------------------------- own references


def test_an_own_reference_row_is_normalised() -> None:
    row = own_reference_row(**_own(tags="Damage, parcels; damage", industry="Delivery & Mobility"))
    assert row["year"] == 2024 and row["tags"] == "damage;parcels" and row["industry"] == "delivery & mobility"
    assert Reference.from_row({**row, "id": new_own_reference_id()}, origin="own").title == row["title"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"company": "  "}, "Company is required"),
        ({"title": ""}, "Title is required"),
        ({"title": "x" * (MAX_TITLE_CHARS + 1)}, "at most 300"),
        ({"year": "twenty"}, "Year must be a whole number"),
        ({"year": "1800"}, "between 1950 and 2100"),
        ({"industry": "space"}, "Unknown industry"),
        ({"task": None}, "Unknown ML task"),
        ({"source_url": "javascript:alert(1)"}, "http:// or https://"),
        ({"source_url": "https://x.org/a b"}, "cannot contain spaces"),
        ({"tags": ",".join(f"t{i}" for i in range(MAX_TAGS + 1))}, "at most 20 tags"),
        ({"tags": "x" * 41}, "at most 40 characters"),
    ],
)
def test_a_bad_own_reference_is_refused_with_a_message(changes: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        own_reference_row(**_own(**changes))


def test_an_own_reference_may_have_no_year_and_an_intranet_link() -> None:
    row = own_reference_row(**_own(year="", source_url="https://wiki.example.internal/parcels"))
    assert row["year"] is None and row["source_url"] == "https://wiki.example.internal/parcels"


def test_own_ids_are_fresh_and_recognisable() -> None:
    ids = {new_own_reference_id() for _ in range(200)}
    assert len(ids) == 200 and all(is_own_reference_id(i) for i in ids)
    assert not any(is_own_reference_id(v) for v in ("cs0001", "own-XYZ", None, "own-0123456789abc"))


@pytest.mark.parametrize(("text", "tags"), [("", ()), (None, ()), (" A ;b,\nc ", ("a", "b", "c")), ("x,x", ("x",))])
def test_parse_tags(text: object, tags: tuple[str, ...]) -> None:
    assert parse_tags(text) == tags


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://eng.lyft.com/eta-at-lyft-d4ca2720bda8", "https://eng.lyft.com/eta-at-lyft-d4ca2720bda8"),
        ("https://a.org/x?q=1&r=2#top", "https://a.org/x?q=1&r=2#top"),
        ("https://a.org/Rain_(x)", "https://a.org/Rain_%28x%29"),
        ("https://a.org/x) [evil](javascript:alert(1)", "https://a.org/x%29%20[evil]%28javascript:alert%281%29"),
        ('https://a.org/"><script>', "https://a.org/%22%3E%3Cscript%3E"),
    ],
)
def test_markdown_link_target_cannot_break_out_of_the_link(url: str, target: str) -> None:
    assert markdown_link_target(url) == target
    assert not any(c in markdown_link_target(url) for c in '() <>"\\`')


# ---------------------------------------------------------------- fingerprint


def test_fingerprint_follows_the_rows() -> None:
    rows: list[dict[str, Any]] = [{"id": "a", "year": 2020}, {"id": "b", "year": None}]
    assert catalogue_fingerprint(rows) == catalogue_fingerprint([dict(r) for r in rows])
    assert catalogue_fingerprint(rows) != catalogue_fingerprint([*rows, {"id": "own-1", "year": None}])
    assert catalogue_fingerprint(rows) != catalogue_fingerprint([rows[0], {"id": "b", "year": 2021}])
    assert catalogue_fingerprint([{"tags": ["a"]}]) != catalogue_fingerprint([{"tags": ["b"]}])


# ---------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (0, "0"),
        (950, "950"),
        (1_000, "1 k"),
        (25_600, "25.6 k"),
        (999_999, "1 M"),
        (3_000_000, "3 M"),
        (100_000_000, "100 M"),
        (1_235_814_400, "1.24 B"),
        (405e9, "405 B"),
        (1.8e12, "1.8 T"),
    ],
)
def test_format_count(count: float, text: str) -> None:
    assert format_count(count) == text


@pytest.mark.parametrize("bad", [-1, math.nan, math.inf, True, "7B"])
def test_format_count_refuses_nonsense(bad: object) -> None:
    with pytest.raises(ValueError):
        format_count(bad)  # type: ignore[arg-type]


def test_model_size_rows_carry_units_and_the_planner_link() -> None:
    size = ModelSize(
        "llama-3.2-1b", "Llama 3.2 1B", "decoder", "generation", "text", 1_235_814_400, 1_235_814_400,
        2.47e9, None, None, 131_072, "https://example.org",
    )  # fmt: skip
    (row,) = model_size_rows([size])
    assert row["params_label"] == "1.24 B" and row["compute"] == "2.5 GFLOPs per token"
    assert row["typical_input"] == "up to 131,072 tokens"
    assert row["resources_link"] == "/resources?model=llama-3.2-1b"
