"""The reference catalogue (data/references.csv) and the script that builds it."""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

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
    "approach",
    "outcome",
]
PROVENANCE = DATA / "reference_provenance.csv"
ADDITIONS = DATA / "reference_additions"
MIN_PER_INDUSTRY = 30
MAX_TEMPLATE_SHARE = 0.10


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


PLACEHOLDER = "{}"


def summary_template(row: dict[str, str]) -> str:
    """The summary with every field value of its row replaced by a placeholder: company, title,
    year, industry, task, modality, approach (whole and each family), outcome and each tag (as
    stored and as shown as a keyword), longest first, case ignored; a list of placeholders
    ("{}, {} and {}") then counts as one. Two summaries "follow one template" when this gives the
    same string, i.e. they differ only in the row's own fields."""
    values = {row[c] for c in ("company", "title", "year", "industry", "task", "modality", "approach", "outcome")}
    values |= set(row["approach"].split(builder.APPROACH_SEPARATOR))
    for tag in row["tags"].split(";"):
        values |= {tag, builder.keyword_label(tag)} if tag else set()
    text = row["summary"]
    for value in sorted((v for v in values if v.strip()), key=len, reverse=True):
        text = re.sub(re.escape(value), PLACEHOLDER, text, flags=re.IGNORECASE)
    return re.sub(r"\{\}(?:(?:, | and |; )\{\})+", PLACEHOLDER, text)


def test_summary_template_replaces_the_fields_of_the_old_template() -> None:
    row = {
        "company": "Google",
        "title": "Data Validation for Machine Learning",
        "year": "2019",
        "industry": "technology & cloud",
        "task": "anomaly & fraud detection",
        "modality": "tabular",
        "approach": "",
        "outcome": "",
        "tags": "data-quality",
        "summary": "Anomaly & fraud detection on tabular data at Google, 2019.",
    }
    other = {**row, "company": "Uber", "year": "2021", "task": "classification", "summary": ""}
    other["summary"] = "Classification on tabular data at Uber, 2021."
    assert summary_template(row) == summary_template(other) == "{} on {} data at {}."


def test_no_more_than_a_tenth_of_summaries_follow_one_template(rows: list[dict[str, str]]) -> None:
    templates = Counter(summary_template(r) for r in rows)
    template, count = templates.most_common(1)[0]
    print(f"\nmost common summary template: {count} of {len(rows)} ({count / len(rows):.1%}): {template}")
    assert count <= MAX_TEMPLATE_SHARE * len(rows), template


def test_every_entry_has_a_summary_and_an_outcome(rows: list[dict[str, str]]) -> None:
    assert [r["id"] for r in rows if not r["summary"].strip() or not r["outcome"].strip()] == []


def test_source_list_entries_say_the_list_gives_no_figures(rows: list[dict[str, str]]) -> None:
    allowed = {builder.OUTCOME_NOT_IN_LIST, builder.OUTCOME_IN_TITLE}
    assert [r["id"] for r in rows if r["id"].startswith("cs") and r["outcome"] not in allowed] == []


def test_approaches_of_source_list_entries_are_families_from_the_mapping(rows: list[dict[str, str]]) -> None:
    labels = {rule.label for rule in builder.APPROACH_RULES}
    used = {a for r in rows if r["id"].startswith("cs") and r["approach"] for a in r["approach"].split("; ")}
    assert used <= labels


def test_every_addition_states_its_approach(rows: list[dict[str, str]]) -> None:
    assert [r["id"] for r in rows if not r["id"].startswith("cs") and not r["approach"].strip()] == []


def test_every_industry_has_at_least_30_entries(rows: list[dict[str, str]]) -> None:
    counts = Counter(r["industry"] for r in rows)
    print("\nentries per industry:")
    for industry in INDUSTRIES:
        print(f"  {counts[industry]:4d}  {industry}")
    assert {i: counts[i] for i in INDUSTRIES if counts[i] < MIN_PER_INDUSTRY} == {}


# ---- researched additions and their provenance -------------------------------------------------


@pytest.fixture(scope="module")
def provenance() -> list[dict[str, str]]:
    with PROVENANCE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_addition_has_exactly_one_provenance_row(
    rows: list[dict[str, str]], provenance: list[dict[str, str]]
) -> None:
    added = sorted(r["id"] for r in rows if not r["id"].startswith("cs"))
    assert len(added) >= 248
    assert [p["id"] for p in provenance] == added


def test_provenance_names_links_and_dates(provenance: list[dict[str, str]]) -> None:
    with PROVENANCE.open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == ["id", "read_from", "read_on"]
    bad = [
        p["id"]
        for p in provenance
        if not all(part.startswith(("http://", "https://")) for part in p["read_from"].split(" ; "))
        or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", p["read_on"])
    ]
    assert bad == []


def test_additions_and_provenance_are_rebuilt_from_their_files(tmp_path: Path) -> None:
    """The part of the build that needs no ../shared: every addition's catalogue row and its
    provenance row come out of data/reference_additions/ exactly as committed."""
    industries, aliases = builder.read_company_tables()
    additions = builder.read_additions(ADDITIONS)
    builder.validate_additions(additions, industries, aliases)
    entries, provenance_rows = builder.addition_entries(additions, aliases)
    builder.write_provenance(sorted(provenance_rows, key=lambda p: p.id), tmp_path / "provenance.csv")
    assert (tmp_path / "provenance.csv").read_bytes() == PROVENANCE.read_bytes()
    with CATALOGUE.open(encoding="utf-8", newline="") as f:
        committed = {row[0]: row for row in csv.reader(f)}
    assert [e.id for e in entries if committed.get(e.id) != e.as_row()] == []


def test_each_alias_points_at_a_company_of_the_table(company_industries: dict[str, str]) -> None:
    _, aliases = builder.read_company_tables()
    assert {a: c for a, c in aliases.items() if c not in company_industries or a in company_industries} == {}


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
    assert (tmp_path / "reference_provenance.csv").read_bytes() == PROVENANCE.read_bytes()


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


def _build(*rows: dict[str, str]) -> Any:  # the build script's report
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
    assert entry.approach == "gradient-boosted trees"
    assert entry.outcome == builder.OUTCOME_NOT_IN_LIST
    assert entry.summary == "Predicting how long a trip, delivery or task will take."


def test_a_hand_correction_replaces_the_problem_and_keeps_the_keywords() -> None:
    corrections = {"cs9999": builder.ProblemCorrection("Predicting which customers are about to leave")}
    companies = {"Uber": "delivery & mobility"}
    (entry,) = builder.build_entries([_source_row(tags="churn prediction")], companies, {}, corrections).entries
    assert (
        entry.summary == "Predicting which customers are about to leave. Keywords in the source list: churn prediction."
    )


def test_a_correction_may_set_the_task_and_modality_the_category_got_wrong() -> None:
    correction = builder.ProblemCorrection("Turning written text into speech", "generation", "audio")
    companies = {"Uber": "delivery & mobility"}
    (entry,) = builder.build_entries([_source_row()], companies, {}, {"cs9999": correction}).entries
    assert (entry.task, entry.modality) == ("generation", "audio")


def test_a_corrected_entry_takes_its_approach_from_title_and_tags_not_from_its_category() -> None:
    row = _source_row(primary_category="genai", sub_category="llm", tags="", title="Text to speech for our app")
    companies = {"Uber": "delivery & mobility"}
    (plain,) = builder.build_entries([row], companies, {}).entries
    correction = builder.ProblemCorrection("Turning written text into speech", "generation", "audio")
    (corrected,) = builder.build_entries([row], companies, {}, {"cs9999": correction}).entries
    assert plain.approach == "large language model" and corrected.approach == ""


def test_a_correction_for_no_kept_entry_stops_the_build() -> None:
    with pytest.raises(ValueError, match="cs0001"):
        builder.build_entries(
            [_source_row()], {"Uber": "delivery & mobility"}, {}, {"cs0001": builder.ProblemCorrection("Anything")}
        )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("id,problem,why\ncs0001,Predicting x,\n", "needs a problem and a why"),
        ("id,problem,why\ncs0001,,title says y\n", "needs a problem and a why"),
        ("id,problem,why\ncs0001,Predicting x,title\ncs0001,Predicting y,title\n", "corrected twice"),
        ("id,problem,why,task,modality\ncs0001,Predicting x,title,guessing,\n", "task 'guessing' is not one of"),
        ("id,problem,why,task,modality\ncs0001,Predicting x,title,,smell\n", "modality 'smell' is not one of"),
    ],
)
def test_a_malformed_correction_table_is_refused_with_its_line(tmp_path: Path, table: str, message: str) -> None:
    path = tmp_path / "corrections.csv"
    path.write_text(table, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        builder.read_problem_corrections(path)


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


# ---- approach, outcome and summary rules -------------------------------------------------------


@pytest.mark.parametrize(
    ("pair", "title", "tags", "approach"),
    [
        ("rec/ranking", "Ranking at scale", "transformer", "transformer"),
        ("rec/ranking", "Ranking at scale", "gnn;graphsage", "graph neural network"),
        ("rec/ranking", "Ranking at scale", "gradient-boosting", "gradient-boosted trees"),
        ("rec/ranking", "Ranking at scale", "xgboost", "gradient-boosted trees"),
        ("rec/candidate-generation", "Retrieval", "two-tower;embeddings", "two-tower retrieval model"),
        ("genai/llm", "An assistant", "llm;transformer", "large language model"),
        ("genai/llm", "An assistant", "llm;rag", "LLM with retrieval (RAG)"),
        ("cv/image-classification", "Photos", "cnn;deep-learning", "convolutional neural network"),
        ("rl/policy-optimization", "Pricing", "", "reinforcement learning"),
        ("graph/gnn", "Fraud", "", "graph neural network"),
        ("rec/ranking", "Deep neural ranking", "", "deep neural network"),
        ("rec/ranking", "Ranking at scale", "", ""),
        ("search/retrieval", "Large Scale Retrieval using Causal Language Models", "", ""),
        ("audio/tts", "Speech for voice AI agents", "", ""),
    ],
)
def test_infer_approach(pair: str, title: str, tags: str, approach: str) -> None:
    text = builder.keyword_text(title, " ".join(builder.project_tags(pair.split("/")[1], tags)))
    assert builder.infer_approach(pair, text) == approach


def test_approach_lists_at_most_three_families() -> None:
    text = builder.keyword_text("cnn rnn xgboost bayesian clustering monte carlo")
    assert len(builder.infer_approach("rec/ranking", text).split("; ")) == builder.MAX_APPROACHES


@pytest.mark.parametrize(
    ("title", "outcome"),
    [
        ("How we reduced manual regression tests by 70% using AI tools", "the title states a headline figure"),
        ("Enhancing Neural Network Training at Yelp: Achieving 1,400x Speedup", "the title states a headline figure"),
        ("How we predict delivery times", "no figure published in the source list"),
    ],
)
def test_outcome_for_source_list_entries(title: str, outcome: str) -> None:
    assert builder.outcome_for(title).startswith(outcome)


def test_every_category_pair_has_a_plain_language_problem() -> None:
    missing = [
        pair
        for pair, (task, _) in builder.SUBCATEGORY_RULES.items()
        if pair not in builder.PROBLEM_BY_PAIR and (task is not None or pair not in builder.GENERIC_CONTEXT)
    ]
    assert missing == []
    assert set(builder.PROBLEM_BY_TASK) == set(ML_TASKS)


def test_summary_keywords_leave_out_the_category_the_approach_and_venues() -> None:
    tags = ("ctr-prediction", "transformer", "production", "kdd-2024", "sponsored-content", "b2b-saas")
    assert builder.summary_keywords(tags, "ads/ctr-prediction") == ["sponsored content", "B2B SaaS"]


@pytest.mark.parametrize(
    ("problem", "keywords", "summary"),
    [
        ("cut leaks in the water network", (), "Cut leaks in the water network."),
        ("  cut leaks   in the network. ", (), "Cut leaks in the network."),
        (
            "ranking ads",
            ("sponsored content", "B2B SaaS"),
            "Ranking ads. Keywords in the source list: sponsored content, B2B SaaS.",
        ),
    ],
)
def test_a_summary_is_the_problem_and_keywords_without_approach_or_outcome(
    problem: str, keywords: tuple[str, ...], summary: str
) -> None:
    assert builder.compose_summary(problem, keywords) == summary


@pytest.mark.parametrize(
    ("pair", "task", "text", "problem_starts"),
    [
        # The source list files these under a category whose problem is another one.
        (
            "ads/ctr-prediction",
            "classification",
            "prediction of advertiser churn for google adwords",
            "Predicting which",
        ),
        (
            "forecast/eta-prediction",
            "classification",
            "retain customers eta prediction churn prediction",
            "Predicting which",
        ),
        ("rec/personalization", "regression & forecasting", "customer lifetime value", "Estimating how"),
        # Without such a mention the category decides.
        (
            "ads/ctr-prediction",
            "ranking & recommendation",
            "ads ctr prediction with transformers",
            "Predicting how likely",
        ),
    ],
)
def test_a_problem_named_in_the_title_or_tags_wins_over_the_category(
    pair: str, task: str, text: str, problem_starts: str
) -> None:
    assert builder.problem_for(pair, task, text).startswith(problem_starts)


def test_no_summary_repeats_its_approach_and_outcome_columns(rows: list[dict[str, str]]) -> None:
    assert [r["id"] for r in rows if "Approach:" in r["summary"] or "Outcome:" in r["summary"]] == []


# ---- validating the additions ------------------------------------------------------------------

GOOD_ADDITION = {
    "id": "zz0001",
    "company": "Acme",
    "title": "How Acme forecasts demand",
    "year": "2023",
    "industry": "retail & e-commerce",
    "task": "regression & forecasting",
    "modality": "time series",
    "uses_deep_learning": "no",
    "approach": "gradient-boosted trees",
    "outcome": "no figure published",
    "problem": "Stores need to know how much stock to order.",
    "source_url": "https://acme.example.com/blog/demand",
    "read_from": "https://acme.example.com/blog/demand",
    "read_on": "2026-12-02",
}
INDUSTRY_TABLE = {"Acme": "retail & e-commerce", "Uber": "delivery & mobility"}


def _addition(**overrides: str) -> object:
    return builder.AdditionRow("test.csv", 2, {**GOOD_ADDITION, **overrides})


def test_a_good_addition_builds_an_entry_and_a_provenance_row() -> None:
    (entry,), (prov,) = builder.addition_entries([_addition()], {})
    builder.validate_additions([_addition()], INDUSTRY_TABLE, {})
    assert (entry.id, entry.industry, entry.approach, entry.tags) == (
        "zz0001",
        "retail & e-commerce",
        "gradient-boosted trees",
        ("gradient-boosting",),
    )
    assert entry.summary == "Stores need to know how much stock to order."
    assert prov.as_row() == ["zz0001", "https://acme.example.com/blog/demand", "2026-12-02"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"task": "platform"}, "task 'platform' is not one of"),
        ({"modality": "pictures"}, "modality 'pictures' is not one of"),
        ({"industry": "retail"}, "industry 'retail' is not one of"),
        ({"uses_deep_learning": "maybe"}, "uses_deep_learning 'maybe' is not one of"),
        ({"source_url": "ftp://acme.example.com/x"}, "is not an http"),
        ({"source_url": "acme.example.com/blog"}, "is not an http"),
        ({"company": "Nobody Ltd"}, "add 'Nobody Ltd' to company_industries.csv"),
        ({"industry": "gaming"}, "disagrees with company_industries.csv"),
        ({"id": "cs0001"}, "id must be two letters other than 'cs'"),
        ({"year": "1890"}, "not a year between 1950 and 2100"),
        ({"approach": " "}, "approach is blank"),
        ({"read_from": ""}, "read_from must be http"),
        ({"read_on": "yesterday"}, "read_on 'yesterday' is not a date"),
    ],
)
def test_validation_refuses_a_bad_addition(overrides: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        builder.validate_additions([_addition(**overrides)], INDUSTRY_TABLE, {})


def test_validation_refuses_a_url_already_in_the_catalogue_after_normalisation() -> None:
    (existing,) = _build(_source_row(source_url="https://acme.example.com/blog/demand")).entries
    duplicate = _addition(source_url="http://www.acme.example.com/blog/demand/?utm_source=x")
    with pytest.raises(ValueError, match="already in the catalogue as cs9999"):
        builder.validate_additions([duplicate], INDUSTRY_TABLE, {}, [existing])


def test_validation_refuses_two_additions_with_one_url_or_id() -> None:
    second = _addition(id="zz0002", source_url="https://ACME.example.com/blog/demand#top")
    with pytest.raises(ValueError, match=re.escape("source_url is also used by test.csv:2")):
        builder.validate_additions([_addition(), second], INDUSTRY_TABLE, {})
    with pytest.raises(ValueError, match="id zz0001 is used twice"):
        builder.validate_additions([_addition(), _addition(source_url="https://b.example.com")], INDUSTRY_TABLE, {})


def test_validation_lists_every_problem_at_once() -> None:
    with pytest.raises(ValueError, match="2 problem") as error:
        builder.validate_additions([_addition(task="x", modality="y")], INDUSTRY_TABLE, {})
    assert "task 'x'" in str(error.value) and "modality 'y'" in str(error.value)


def test_validation_reads_companies_through_the_aliases() -> None:
    builder.validate_additions([_addition(company="ACME Inc.")], INDUSTRY_TABLE, {"ACME Inc.": "Acme"})
    (entry,), _ = builder.addition_entries([_addition(company="ACME Inc.")], {"ACME Inc.": "Acme"})
    assert entry.company == "Acme"


def test_additions_files_must_have_the_documented_columns(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("id,company\nzz0001,Acme\n", encoding="utf-8")
    with pytest.raises(ValueError, match="must have exactly the columns"):
        builder.read_additions(tmp_path)
