"""The reference catalogue (data/references.csv) and the script that builds it."""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from core.references import Reference, load_references
from core.taxonomy import INDUSTRIES, ML_TASKS, MODALITIES, USES_DEEP_LEARNING

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
CATALOGUE = DATA / "references.csv"
SOURCE = ROOT.parent / "shared" / "sources" / "case_studies.csv"
COLUMNS = [
    "id",
    "company",
    "title",
    "year",
    "industry",
    "task",
    "modality",
    "uses_deep_learning",
    "tags",
    "source_url",
    "summary",
]


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_references", DATA / "build_references.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_references", module)
    spec.loader.exec_module(module)
    return module


builder = _load_builder()


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with CATALOGUE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def company_industries() -> dict[str, str]:
    with (DATA / "company_industries.csv").open(encoding="utf-8", newline="") as f:
        return {row["company"]: row["industry"] for row in csv.DictReader(f)}


# ---- the committed catalogue -------------------------------------------------------------------


def test_catalogue_has_the_documented_columns() -> None:
    with CATALOGUE.open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == COLUMNS


def test_catalogue_keeps_at_least_2000_entries(rows: list[dict[str, str]]) -> None:
    assert len(rows) >= 2000


@pytest.mark.parametrize(
    ("column", "allowed"),
    [
        ("industry", INDUSTRIES),
        ("task", ML_TASKS),
        ("modality", MODALITIES),
        ("uses_deep_learning", USES_DEEP_LEARNING),
    ],
)
def test_every_value_is_in_its_controlled_list(
    rows: list[dict[str, str]], column: str, allowed: tuple[str, ...]
) -> None:
    outside = {row[column] for row in rows} - set(allowed)
    assert outside == set()


@pytest.mark.parametrize("column", ["id", "company", "title", "industry", "task", "modality", "source_url"])
def test_no_entry_leaves_a_required_field_blank(rows: list[dict[str, str]], column: str) -> None:
    assert [row["id"] for row in rows if not row[column].strip()] == []


def test_no_two_entries_share_a_url_after_normalisation(rows: list[dict[str, str]]) -> None:
    keys = Counter(builder.url_key(row["source_url"]) for row in rows)
    assert [key for key, n in keys.items() if n > 1] == []


def test_ids_are_unique(rows: list[dict[str, str]]) -> None:
    assert len({row["id"] for row in rows}) == len(rows)


def test_urls_are_http_links_without_tracking_parameters(rows: list[dict[str, str]]) -> None:
    bad = [r["source_url"] for r in rows if not r["source_url"].startswith(("http://", "https://"))]
    assert bad == []
    assert [r["source_url"] for r in rows if "utm_" in r["source_url"]] == []


def test_each_company_has_the_one_industry_of_the_company_table(
    rows: list[dict[str, str]], company_industries: dict[str, str]
) -> None:
    wrong = [r["id"] for r in rows if company_industries.get(r["company"]) != r["industry"]]
    assert wrong == []


def test_company_table_uses_only_controlled_industries(company_industries: dict[str, str]) -> None:
    assert set(company_industries.values()) <= set(INDUSTRIES)


def test_company_table_names_each_company_once() -> None:
    with (DATA / "company_industries.csv").open(encoding="utf-8", newline="") as f:
        names = [row["company"] for row in csv.DictReader(f)]
    assert len(names) == len(set(names))


def test_tags_are_normalised_lower_case_words(rows: list[dict[str, str]]) -> None:
    tags = {t for row in rows for t in row["tags"].split(";") if row["tags"]}
    assert [t for t in tags if t != builder.normalise_tag(t) or " " in t or not t] == []


def test_years_are_blank_or_plausible(rows: list[dict[str, str]]) -> None:
    years = [int(r["year"]) for r in rows if r["year"]]
    assert min(years) >= 2000 and max(years) <= 2030


def test_summaries_are_generated_from_the_fields(rows: list[dict[str, str]]) -> None:
    mismatched = [
        r["id"]
        for r in rows
        if r["summary"]
        != builder.summary_for(r["task"], r["modality"], r["company"], int(r["year"]) if r["year"] else None)
    ]
    assert mismatched == []


def test_every_row_loads_as_a_reference_through_duckdb() -> None:
    from core.store import read_catalogue

    references = load_references(read_catalogue("references"))
    assert len(references) >= 2000
    assert all(isinstance(r, Reference) and r.origin == "catalogue" for r in references)


def test_build_reproduces_the_committed_catalogue(tmp_path: Path) -> None:
    if not SOURCE.is_file():
        pytest.skip(f"source list {SOURCE} is absent (a clean clone has no ../shared); nothing to rebuild from")
    assert builder.main(["--source", str(SOURCE), "--out-dir", str(tmp_path)]) == 0
    assert (tmp_path / "references.csv").read_bytes() == CATALOGUE.read_bytes()


# ---- the build rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "same_as"),
    [
        ("https://example.com/post/", "https://example.com/post"),
        ("http://example.com/post", "https://example.com/post"),
        ("https://www.example.com/post", "https://example.com/post"),
        ("https://EXAMPLE.com/post", "https://example.com/post"),
        ("https://example.com/post?utm_source=x&utm_medium=y", "https://example.com/post"),
        ("https://example.com/post#section", "https://example.com/post"),
        ("https://example.com/post?b=2&a=1", "https://example.com/post?a=1&b=2"),
    ],
)
def test_url_key_ignores_presentation_differences(url: str, same_as: str) -> None:
    assert builder.url_key(url) == builder.url_key(same_as)


@pytest.mark.parametrize(
    ("url", "different_from"),
    [
        ("https://example.com/post-1", "https://example.com/post-2"),
        ("https://youtube.com/watch?v=abc", "https://youtube.com/watch?v=xyz"),
        ("https://example.com/Post", "https://example.com/post"),  # paths are case-sensitive
    ],
)
def test_url_key_keeps_different_pages_apart(url: str, different_from: str) -> None:
    assert builder.url_key(url) != builder.url_key(different_from)


def test_clean_url_drops_tracking_parameters_only() -> None:
    assert builder.clean_url(" https://a.org/p?id=3&utm_campaign=z ") == "https://a.org/p?id=3"


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        ("Recommender System", "recommender-system"),
        ("recommendations", "recommender-system"),
        ("LLM", "llm"),
        ("ad ranking / targeting", "ad-ranking-targeting"),
        ("ETA prediction", "eta-prediction"),
        ("  ", ""),
    ],
)
def test_normalise_tag(raw: str, tag: str) -> None:
    assert builder.normalise_tag(raw) == tag


def _source_row(**overrides: str) -> dict[str, str]:
    row = {
        "id": "cs9999",
        "title": "How we predict delivery times",
        "company": "Uber",
        "industry": "",
        "primary_category": "forecast",
        "sub_category": "eta-prediction",
        "tags": "ETA prediction;XGBoost",
        "year": "2021",
        "source_url": "https://example.com/eta",
    }
    row.update(overrides)
    return row


def _build(*rows: dict[str, str]) -> object:
    return builder.build_entries(rows, {"Uber": "delivery & mobility", "Acme": "retail & e-commerce"}, {})


def test_build_maps_an_entry_to_the_project_fields() -> None:
    (entry,) = _build(_source_row()).entries
    assert (entry.industry, entry.task, entry.modality, entry.uses_deep_learning) == (
        "delivery & mobility",
        "regression & forecasting",
        "tabular",
        "no",
    )
    assert entry.tags == ("eta-prediction", "xgboost")
    assert entry.summary == "Regression & forecasting on tabular data at Uber, 2021."


REC = {"primary_category": "rec", "sub_category": "ranking", "tags": ""}
PLATFORM = {"primary_category": "mlops", "sub_category": "platform", "tags": ""}
LLM = {"primary_category": "genai", "sub_category": "llm", "tags": ""}


@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        ({**REC, "title": "Churn prediction for subscribers"}, "task", "classification"),
        ({"tags": "transformer"}, "uses_deep_learning", "yes"),
        ({"tags": "", "title": "Delivery times"}, "uses_deep_learning", "unclear"),
        ({**REC, "title": "Visual recommendations from product images"}, "modality", "image"),
        ({**LLM, "title": "A multimodal assistant"}, "modality", "multimodal"),
        ({**PLATFORM, "title": "Fraud scoring platform"}, "task", "anomaly & fraud detection"),
    ],
)
def test_build_rules(overrides: dict[str, str], field: str, expected: str) -> None:
    (entry,) = _build(_source_row(**overrides)).entries
    assert getattr(entry, field) == expected


@pytest.mark.parametrize(
    "overrides",
    [
        {"company": ""},
        {"company": "Yoshua Bengio"},
        {"primary_category": "mlops", "sub_category": "team"},
        {
            "primary_category": "mlops",
            "sub_category": "experimentation",
            "title": "Reading A/B test results",
            "tags": "",
        },
        {**PLATFORM, "title": "Our workflow orchestrator"},
    ],
)
def test_build_leaves_out_entries_that_describe_no_ml_system(overrides: dict[str, str]) -> None:
    assert _build(_source_row(**overrides)).entries == ()


def test_build_keeps_the_lowest_id_of_a_duplicate_url() -> None:
    first = _source_row(id="cs0001", source_url="https://example.com/eta/")
    second = _source_row(id="cs0002", source_url="http://www.example.com/eta?utm_source=feed")
    report = _build(second, first)
    assert [e.id for e in report.entries] == ["cs0001"]
    assert report.dropped == {"duplicate URL": 1}


def test_build_refuses_a_company_without_an_industry() -> None:
    with pytest.raises(ValueError, match="company_industries"):
        _build(_source_row(company="Unknown Corp"))


def test_build_refuses_an_unknown_category_pair() -> None:
    with pytest.raises(ValueError, match="SUBCATEGORY_RULES"):
        _build(_source_row(primary_category="cv", sub_category="teleportation"))
