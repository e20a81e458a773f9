"""Reference search, similarity, coverage and the command line."""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.references import (
    Reference,
    ReferenceIndex,
    ScoredReference,
    SynonymGroup,
    build_index,
    companies,
    coverage,
    load_references,
    normalise_word,
    parse_synonyms,
    search_references,
    similar_references,
    tokenize,
)
from core.references.cli import add_references_command
from core.references.text import SYNONYM_KINDS, SYNONYMS_PATH
from core.taxonomy import INDUSTRIES, ML_TASKS

CATALOGUE = Path(__file__).resolve().parents[2] / "data" / "references.csv"


@pytest.fixture(scope="module")
def catalogue() -> list[Reference]:
    with CATALOGUE.open(encoding="utf-8", newline="") as f:
        return load_references(csv.DictReader(f))


@pytest.fixture(scope="module")
def index(catalogue: list[Reference]) -> ReferenceIndex:
    return build_index(catalogue)


def ref(
    id: str,
    title: str,
    *,
    company: str = "Acme",
    year: int | None = 2020,
    industry: str = "retail & e-commerce",
    task: str = "classification",
    modality: str = "tabular",
    tags: tuple[str, ...] = (),
    origin: str = "catalogue",
) -> Reference:
    return Reference(
        id=id,
        company=company,
        title=title,
        year=year,
        industry=industry,
        task=task,
        modality=modality,
        tags=tags,
        source_url=f"https://example.com/{id}",
        origin=origin,
    )


SMALL = [
    ref("r1", "Predicting customer attrition for subscriptions", company="Telco", industry="telecom", year=2019),
    ref("r2", "Recommendation engine for fashion products", task="ranking & recommendation", year=2021),
    ref("r3", "Estimated time of arrival for couriers", company="Rapid", industry="delivery & mobility",
        task="regression & forecasting", year=2022),
    ref("r4", "Card fraud detection with graph features", company="Bank", industry="finance & insurance",
        task="anomaly & fraud detection", modality="graph", year=2018),
    ref("r5", "Visual inspection of welds", company="Forge", industry="manufacturing & industrial",
        task="detection & segmentation", modality="image", year=None),
]  # fmt: skip
SYNONYMS = parse_synonyms(
    [
        {"term": "churn", "synonyms": "attrition;retention"},
        {"term": "eta", "synonyms": "arrival time;estimated time of arrival"},
        {"term": "defect", "synonyms": "inspection;damage"},
    ]
)


@pytest.fixture(scope="module")
def small() -> ReferenceIndex:
    return build_index(SMALL, synonyms=SYNONYMS)


def ids(hits: list[ScoredReference]) -> list[str]:
    return [h.reference.id for h in hits]


# ---- realistic phrasings on the real catalogue ------------------------------------------------

# (what a user types, what a relevant entry's title or tags say). Phrasings are the user's own,
# not titles; several carry typos.
REALISTIC = [
    ("predict when the food delivery arrives", r"\beta|arrival|delivery time"),
    ("recomend products to shopers", r"recommend"),
    ("detect fraudulent card payments", r"fraud"),
    ("customer churn telecom", r"churn|retain|retention"),
    ("defect inspection on a production line", r"defect|damage detection|pixel error|quality control"),
    ("forcast demand for groceries", r"forecast|demand"),
    ("transcribe phone calls to text", r"transcri|speech|asr"),
    ("chatbot for customer suport", r"customer (service|support)"),
    ("translate product listings into other languages", r"translat"),
    ("find visually similar images", r"visual search|visual-search|image"),
    ("moderate toxic coments", r"moderation|toxic|comment"),
    ("dynamic prices for hotel rooms", r"pric"),
    ("LLM that answers questions from internal documents", r"\brag\b|retrieval-augmented|knowledge"),
    ("estimate house prices", r"zestimate|valuing homes|home value"),
    ("spam detection in messages", r"spam"),
    ("read text from receipts and invoices", r"receipt|invoice|document"),
    ("weather forecast with deep learning", r"weather|precipitation|rain"),
    ("self driving car perception", r"autonomous|self-driving|robotaxi|driving"),
    ("match riders with drivers", r"match|dispatch"),
    ("job recomendations for candidates", r"\bjobs?\b|hiring|candidate"),
    ("credit risk scoring for loans", r"credit"),
    ("detect anomalies in server metrics", r"anomal|outlier"),
    ("ETA", r"\beta|arrival"),
]


@pytest.mark.parametrize(("query", "relevant"), REALISTIC, ids=[q for q, _ in REALISTIC])
def test_realistic_query_finds_a_relevant_entry_in_the_top_five(
    index: ReferenceIndex, query: str, relevant: str
) -> None:
    hits = index.search(query, top=5)
    texts = [f"{h.reference.title} {' '.join(h.reference.tags)}" for h in hits]
    assert any(re.search(relevant, t, re.IGNORECASE) for t in texts), texts


def test_scores_are_ordered_best_first(index: ReferenceIndex) -> None:
    scores = [h.score for h in index.search("fraud detection", top=50)]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_text_hits_say_which_words_matched(index: ReferenceIndex) -> None:
    (hit,) = index.search("spam", top=1)
    assert hit.matched_terms == ("spam",)


# ---- typos and synonyms on a small index ----------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("attrition", "r1"),
        ("churn", "r1"),  # synonym of a word in r1's title
        ("eta", "r3"),  # synonym phrase "estimated time of arrival"
        ("recomendation", "r2"),  # typo
        ("recommend", "r2"),  # another form of "recommendation"
        ("fraudulent", "r4"),  # "fraud" is a form of it
        ("defect", "r5"),  # unknown word carried by its synonym "inspection"
        ("E-Commerce", "r2"),  # industry field, hyphen and case
        ("Telco", "r1"),  # company field
    ],
)
def test_word_matching(small: ReferenceIndex, query: str, expected: str) -> None:
    assert ids(small.search(query, top=1)) == [expected]


def test_synonyms_do_not_outrank_the_users_own_words() -> None:
    refs = [ref("a", "Attrition model"), ref("b", "Churn model")]
    hits = build_index(refs, synonyms=SYNONYMS).search("churn")
    assert ids(hits) == ["b", "a"]


@pytest.mark.parametrize(
    ("query", "expected", "not_a_typo_for"),
    [
        ("cancel", ["flights"], "cancer"),  # "canceled" is a form of it, so it is spelt right
        ("playing", ["games"], "paying"),
    ],
)
def test_an_unknown_word_with_forms_in_the_catalogue_is_not_corrected_as_a_typo(
    query: str, expected: list[str], not_a_typo_for: str
) -> None:
    refs = [
        ref("flights", "Predicting canceled flights"),
        ref("cancer", "Cancer screening"),
        ref("games", "Player retention in games"),
        ref("paying", "Paying users"),
    ]
    hits = build_index(refs, synonyms=()).search(query)
    assert ids(hits) == expected, not_a_typo_for


def test_an_unknown_word_matches_nothing(small: ReferenceIndex) -> None:
    assert small.search("zzzzqqq") == []


# ---- filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        ({"industry": "finance & insurance"}, lambda r: r.industry == "finance & insurance"),
        ({"industry": ["telecom", "gaming"]}, lambda r: r.industry in ("telecom", "gaming")),
        ({"task": "Translation"}, lambda r: r.task == "translation"),
        ({"modality": "image"}, lambda r: r.modality == "image"),
        ({"company": "uber"}, lambda r: r.company == "Uber"),
        ({"year_range": (2019, 2020)}, lambda r: r.year in (2019, 2020)),
        ({"year_range": (None, 2015)}, lambda r: r.year is not None and r.year <= 2015),
    ],
)
def test_filters_narrow_the_results(index: ReferenceIndex, filters: dict[str, Any], check: Any) -> None:
    unfiltered = index.search("machine learning model", top=200)
    hits = index.search("machine learning model", top=200, **filters)
    assert hits and all(check(h.reference) for h in hits)
    assert len(hits) < len(unfiltered) or not all(check(h.reference) for h in unfiltered)


def test_filters_combine(index: ReferenceIndex) -> None:
    hits = index.search("ranking", industry="travel & hospitality", company="Airbnb", top=100)
    assert hits and {(h.reference.company, h.reference.industry) for h in hits} == {("Airbnb", "travel & hospitality")}


def test_empty_query_with_a_filter_lists_the_filtered_entries_newest_first(index: ReferenceIndex) -> None:
    hits = index.search("", task="translation", top=1000)
    expected = sum(1 for r in index.references if r.task == "translation")
    assert len(hits) == expected
    years = [h.reference.year or 0 for h in hits]
    assert years == sorted(years, reverse=True)
    assert all(h.score == 0.0 for h in hits)


def test_empty_query_without_filters_is_an_empty_result(index: ReferenceIndex) -> None:
    assert index.search("") == []
    assert index.search("   the of and  ") == []


def test_entries_without_a_year_drop_out_of_a_year_range(small: ReferenceIndex) -> None:
    assert "r5" not in ids(small.search("", modality="image", year_range=(None, None)))
    assert ids(small.search("", modality="image")) == ["r5"]


def test_ties_break_by_newest_year_then_id() -> None:
    refs = [ref("b", "Same title", year=2020), ref("a", "Same title", year=2020), ref("c", "Same title", year=2022)]
    assert ids(build_index(refs, synonyms=()).search("same title")) == ["c", "a", "b"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"industry": "banking"},
        {"task": "clustering"},
        {"modality": "smell"},
        {"industry": [3]},
        {"year_range": (2022, 2020)},
        {"year_range": (2020.5, None)},
        {"year_range": (True, None)},
        {"year_range": 2020},
        {"top": 0},
        {"top": -1},
        {"top": 1.5},
        {"top": True},
        {"top": 10_000},
    ],
)
def test_invalid_filters_raise_a_value_error(small: ReferenceIndex, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        small.search("fraud", **kwargs)


def test_a_non_text_query_raises_a_value_error(small: ReferenceIndex) -> None:
    with pytest.raises(ValueError, match="text"):
        small.search(None)  # type: ignore[arg-type]


# ---- hostile input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "fraud " * 1000,  # 6,000 characters
        "x" * 5000,
        "'; DROP TABLE catalogue_references; --",
        "(.*+[",
        "\\d+$^|?{}",
        "\x00\x01\x7f",
        "📦🚚 délivery ÉTA",
        "<script>alert(1)</script>",
        "%s %d {0} ${HOME}",
    ],
)
def test_hostile_queries_return_a_list(index: ReferenceIndex, query: str) -> None:
    hits = index.search(query)
    assert isinstance(hits, list) and len(hits) <= 20


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=200))
def test_any_text_gives_a_ranked_list(small: ReferenceIndex, query: str) -> None:
    hits = small.search(query, top=3)
    assert len(hits) <= 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(math.isfinite(h.score) and h.score >= 0 for h in hits)


def test_search_is_deterministic(index: ReferenceIndex) -> None:
    assert index.search("recommendation at scale") == index.search("recommendation at scale")


def test_search_references_accepts_plain_references() -> None:
    assert ids(search_references(SMALL, "welds", top=1)) == ["r5"]


# ---- own references -----------------------------------------------------------------------------


def test_own_references_are_searched_like_catalogue_entries(catalogue: list[Reference]) -> None:
    own = load_references(
        [{"id": "own-1", "company": "Our Team", "title": "Pallet damage detection in our warehouse",
          "year": 2024, "industry": "Delivery & Mobility", "task": "detection & segmentation",
          "modality": "image", "tags": "computer-vision;warehouse", "source_url": ""}],
        origin="own",
    )  # fmt: skip
    hits = build_index([*catalogue, *own]).search("pallet damage", top=3)
    assert hits[0].reference.id == "own-1" and hits[0].reference.origin == "own"


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        build_index([ref("x", "One"), ref("x", "Two")])


# ---- the Reference row type ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"title": " "},
        {"company": ""},
        {"industry": "retail"},
        {"task": "magic"},
        {"modality": "smell"},
        {"uses_deep_learning": "maybe"},
        {"origin": "internet"},
        {"year": 1800},
        {"year": True},
        {"source_url": "javascript:alert(1)"},
        {"source_url": "ftp://example.com/x"},
        {"tags": ["not", "a", "tuple"]},
    ],
)
def test_reference_refuses_invalid_fields(changes: dict[str, Any]) -> None:
    fields: dict[str, Any] = {
        "id": "x",
        "company": "Acme",
        "title": "T",
        "year": 2020,
        "industry": "telecom",
        "task": "classification",
        "modality": "text",
    }
    with pytest.raises(ValueError):
        Reference(**{**fields, **changes})


@pytest.mark.parametrize(
    ("value", "year"),
    [(2019, 2019), ("2019", 2019), (2019.0, 2019), (" 2019 ", 2019), (None, None), ("", None), (float("nan"), None)],
)
def test_from_row_reads_typed_and_text_years(value: Any, year: int | None) -> None:
    row = {"id": "x", "company": "A", "title": "T", "year": value, "industry": "telecom", "task": "translation",
           "modality": "text"}  # fmt: skip
    assert Reference.from_row(row).year == year


@pytest.mark.parametrize("value", ["20x9", 2019.5, float("inf"), True, "19"])
def test_from_row_refuses_a_bad_year(value: Any) -> None:
    row = {"id": "x", "company": "A", "title": "T", "year": value, "industry": "telecom", "task": "translation",
           "modality": "text"}  # fmt: skip
    with pytest.raises(ValueError, match="Year"):
        Reference.from_row(row)


@pytest.mark.parametrize(
    ("tags", "uses", "expected_tags", "expected_uses"),
    [
        ("a;B; ;c", "yes", ("a", "b", "c"), "yes"),
        (["x", "y"], True, ("x", "y"), "yes"),
        (None, False, (), "no"),
        ("", None, (), "unclear"),
    ],
)
def test_from_row_reads_typed_and_text_tags_and_flags(
    tags: Any, uses: Any, expected_tags: tuple[str, ...], expected_uses: str
) -> None:
    row = {"id": "x", "company": "A", "title": "T", "year": None, "industry": "telecom", "task": "translation",
           "modality": "text", "tags": tags, "uses_deep_learning": uses}  # fmt: skip
    reference = Reference.from_row(row)
    assert (reference.tags, reference.uses_deep_learning) == (expected_tags, expected_uses)


# ---- text helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The Payments of Queries", ["payment", "query"]),
        ("e-commerce", ["commerce", "ecommerce"]),
        ("Élan vital", ["elan", "vital"]),
        ("a I of", []),
        ("time series analysis", ["time", "series", "analysis"]),
    ],
)
def test_tokenize(text: str, words: list[str]) -> None:
    assert tokenize(text) == words


@pytest.mark.parametrize(("word", "normal"), [("cards", "card"), ("bus", "bus"), ("class", "class"), ("ads", "ads")])
def test_normalise_word(word: str, normal: str) -> None:
    assert normalise_word(word) == normal


def test_parse_synonyms_keeps_groups_of_two_or_more_phrases() -> None:
    groups = parse_synonyms([{"term": "ETA", "synonyms": "arrival time; "}, {"term": "lonely", "synonyms": ""}])
    assert groups == (SynonymGroup(label="eta", phrases=(("eta",), ("arrival", "time"))),)


@pytest.mark.parametrize(
    ("kind", "names_problem"), [("problem", True), ("Problem ", True), ("domain", False), ("", False)]
)
def test_a_synonym_group_says_whether_it_names_a_problem(kind: str, names_problem: bool) -> None:
    (group,) = parse_synonyms([{"term": "ETA", "kind": kind, "synonyms": "arrival time"}])
    assert group.names_problem is names_problem


def test_a_synonym_group_of_another_kind_is_refused_with_the_kinds() -> None:
    with pytest.raises(ValueError, match="one of: problem, domain"):
        parse_synonyms([{"term": "ETA", "kind": "tool", "synonyms": "arrival time"}])


def test_every_group_of_the_projects_table_has_a_kind() -> None:
    with SYNONYMS_PATH.open(encoding="utf-8", newline="") as f:
        assert all(row["kind"] in SYNONYM_KINDS for row in csv.DictReader(f))


# ---- similar to my use case ---------------------------------------------------------------------------


def test_similar_references_prefer_the_same_industry() -> None:
    refs = [
        ref("other", "Demand forecasting for stores", industry="retail & e-commerce"),
        ref("same", "Demand forecasting for stores", industry="energy & utilities"),
    ]
    hits = similar_references(
        build_index(refs, synonyms=()),
        industry="energy & utilities",
        modality=None,
        problem_statement="forecast demand",
    )
    assert ids(hits) == ["same", "other"]


def test_similar_references_prefer_the_same_modality() -> None:
    refs = [ref("tab", "Churn scoring", modality="tabular"), ref("txt", "Churn scoring", modality="text")]
    hits = similar_references(build_index(refs, synonyms=()), industry=None, modality="text", problem_statement="churn")
    assert ids(hits) == ["txt", "tab"]


def test_similar_references_scores_lie_between_zero_and_one(index: ReferenceIndex) -> None:
    hits = similar_references(
        index,
        industry="delivery & mobility",
        modality="tabular",
        problem_statement="Customers keep asking when their order will arrive; we want accurate delivery estimates.",
    )
    assert hits and all(0 < h.score <= 1 for h in hits)
    assert hits[0].reference.industry == "delivery & mobility"


def test_similar_references_without_a_statement_list_the_same_industry(small: ReferenceIndex) -> None:
    hits = similar_references(small, industry="telecom", modality=None, problem_statement="")
    assert ids(hits) == ["r1"]


def test_similar_references_refuse_an_unknown_industry(small: ReferenceIndex) -> None:
    with pytest.raises(ValueError, match="industry"):
        similar_references(small, industry="banking", modality=None, problem_statement="fraud")


# ---- coverage -----------------------------------------------------------------------------------------


def test_coverage_lists_every_pair_with_zeros(small: ReferenceIndex) -> None:
    cells = coverage(SMALL)
    assert len(cells) == len(INDUSTRIES) * len(ML_TASKS)
    assert sum(c.count for c in cells) == len(SMALL)
    assert ("telecom", "classification", 1) in cells
    assert ("agriculture", "translation", 0) in cells


def test_coverage_of_the_catalogue_counts_every_entry(catalogue: list[Reference]) -> None:
    assert sum(c.count for c in coverage(catalogue)) == len(catalogue)


def test_companies_are_listed_once_sorted() -> None:
    refs = [ref("1", "a", company="beta"), ref("2", "b", company="Alpha"), ref("3", "c", company="beta")]
    assert companies(refs) == ["Alpha", "beta"]


# ---- command line ---------------------------------------------------------------------------------------


def run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    add_references_command(sub)
    args = parser.parse_args(["references", *argv])
    result: int = args.handler(args)
    return result


def test_cli_prints_a_json_list_best_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("predict when the food delivery arrives", "--top", "5", "--json") == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 5
    required = {"title", "company", "year", "industry", "task", "modality", "source_url", "score"}
    assert all(required <= set(h) for h in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_cli_applies_filters(capsys: pytest.CaptureFixture[str]) -> None:
    run_cli("fraud", "--industry", "finance & insurance", "--task", "anomaly & fraud detection", "--json")
    hits = json.loads(capsys.readouterr().out)
    assert hits and {(h["industry"], h["task"]) for h in hits} == {("finance & insurance", "anomaly & fraud detection")}


def test_cli_prints_a_table_without_json(capsys: pytest.CaptureFixture[str]) -> None:
    run_cli("spam", "--top", "2")
    out = capsys.readouterr().out
    assert "spam" in out.lower() and "https://" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["fraud", "--top", "many"],
        ["fraud", "--top", "0"],
        ["fraud", "--industry", "banking"],
        ["x", "--year-from", "soon"],
    ],
)
def test_cli_turns_bad_input_into_a_value_error(argv: list[str]) -> None:
    with pytest.raises(ValueError):
        run_cli(*argv)


def test_cli_is_registered_with_the_core_dispatcher(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("core.resources.cli", reason="the resources sub-commands are not written yet")
    from core.__main__ import main

    assert main(["references", "churn", "--top", "1", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
