"""MetricsSection document round trip, strict reading, the charter CSV and the example project."""

from __future__ import annotations

import copy
import csv
import io
import json
import math
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.metrics import (
    CADENCES,
    CHARTER_COLUMNS,
    DIRECTIONS,
    EFFECTS,
    EXAMPLE_REFERENCE_DATE,
    MILESTONE_KINDS,
    BreakEvenInputs,
    BusinessGoal,
    BusinessMetric,
    Label,
    MetricChain,
    MetricsSection,
    Milestone,
    ModelMetric,
    RegressionBreakEvenInputs,
    break_even_sentence,
    charter_csv,
    example_metrics,
    min_precision,
    validate_chain,
)
from core.text import has_visible_text

# --- strategies -------------------------------------------------------------------------------

ids = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,6}", fullmatch=True)
names = st.text(min_size=1, max_size=25).filter(has_visible_text)
texts = st.text(max_size=25)
finite = st.floats(allow_nan=False, allow_infinity=False)
optional_finite = st.none() | finite
dates = st.dates()

goals = st.builds(BusinessGoal, id=ids, name=names, tangible=st.booleans(), note=texts)
business_metrics = st.builds(
    BusinessMetric,
    id=ids,
    name=names,
    definition=texts,
    unit=texts,
    direction=st.sampled_from(DIRECTIONS),
    baseline=optional_finite,
    target=optional_finite,
    deadline=st.none() | dates,
    owner=texts,
    data_source=texts,
    cadence=st.sampled_from(CADENCES),
    goal_ids=st.lists(ids, unique=True, max_size=3).map(tuple),
)


@st.composite
def model_metrics(draw: st.DrawFn) -> ModelMetric:
    low = draw(optional_finite)
    high = draw(
        st.none() | st.floats(min_value=low if low is not None else None, allow_nan=False, allow_infinity=False)
    )
    inside = st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)
    return ModelMetric(
        id=draw(ids),
        name=draw(names),
        minimum=draw(st.none() | inside),
        target=draw(st.none() | inside),
        drives=tuple(
            draw(st.lists(st.tuples(ids, st.sampled_from(EFFECTS)), unique_by=lambda pair: pair[0], max_size=3))
        ),
        direction=draw(st.sampled_from(DIRECTIONS)),
        unit=draw(texts),
        definition=draw(texts),
        value_min=low,
        value_max=high,
    )


labels = st.builds(
    Label,
    what=names,
    source=texts,
    observable_after_days=st.floats(min_value=0.0, max_value=1e9),
    attributed_to=st.none() | ids,
)
milestones = st.builds(Milestone, id=ids, name=st.sampled_from(MILESTONE_KINDS), date=dates, criterion=texts)


def unique(elements: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(elements, max_size=3, unique_by=lambda element: element.id).map(tuple)


chains = st.builds(
    MetricChain,
    goals=unique(goals),
    business_metrics=unique(business_metrics),
    model_metrics=unique(model_metrics()),
    label=st.none() | labels,
    milestones=unique(milestones),
    decision_deadline=st.none() | dates,
)

money = st.floats(min_value=0.0, max_value=1e9)
classification_inputs = st.one_of(
    st.builds(
        BreakEvenInputs,
        value_true_positive_usd=money,
        cost_false_positive_usd=money,
        cost_false_negative_usd=money,
        prevalence=st.floats(min_value=1e-6, max_value=1 - 1e-6),
        monthly_volume=st.floats(min_value=1e-3, max_value=1e12),
        monthly_running_cost_usd=money,
        baseline_precision=st.floats(min_value=1e-6, max_value=1.0),
        baseline_recall=st.floats(min_value=0.0, max_value=1.0),
        baseline_name=names,
    ),
    st.builds(
        BreakEvenInputs,
        value_true_positive_usd=money,
        cost_false_positive_usd=money,
        cost_false_negative_usd=money,
        prevalence=st.floats(min_value=1e-6, max_value=1 - 1e-6),
        monthly_volume=st.floats(min_value=1e-3, max_value=1e12),
        monthly_running_cost_usd=money,
        baseline_monthly_value_usd=finite,
    ),
)
regression_inputs = st.builds(
    RegressionBreakEvenInputs,
    cost_per_unit_error_usd=st.floats(min_value=1e-6, max_value=1e9),
    monthly_volume=st.floats(min_value=1e-3, max_value=1e12),
    baseline_mae=money,
    monthly_running_cost_usd=money,
    baseline_name=names,
)
sections = st.builds(
    MetricsSection,
    chains=st.dictionaries(names, chains, max_size=2),
    break_even=st.dictionaries(names, classification_inputs | regression_inputs, max_size=2),
)


# --- round trip -------------------------------------------------------------------------------


@settings(max_examples=60)
@given(sections)
def test_section_survives_json_exactly(section: MetricsSection) -> None:
    document = section.to_document()
    restored = MetricsSection.from_document(json.loads(json.dumps(document, allow_nan=False)))
    assert restored == section
    assert restored.to_document() == document


def test_example_document_uses_plain_json_types_and_iso_dates() -> None:
    document = example_metrics().to_document()
    text = json.dumps(document, allow_nan=False)
    chain = document["chains"]["rain-forecast-15min"]
    assert chain["decision_deadline"] == "2027-06-15"
    assert chain["milestones"][0]["date"] == "2027-04-01"
    assert document["break_even"]["rain-forecast-15min"]["kind"] == "classification"
    assert MetricsSection.from_document(json.loads(text)) == example_metrics()


def test_section_copies_the_callers_dicts() -> None:
    chains = {"c1": MetricChain()}
    section = MetricsSection(chains=chains)
    chains["c2"] = MetricChain()
    assert list(section.chains) == ["c1"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"chains": {"": MetricChain()}}, "Candidate id must have 1 to 200 characters"),
        ({"chains": {"c1": "chain"}}, "chains entry of candidate 'c1' has the wrong type"),
        ({"break_even": {"c1": MetricChain()}}, "break_even entry of candidate 'c1' has the wrong type"),
        ({"chains": [MetricChain()]}, "must map candidate ids"),
    ],
)
def test_section_rejects_bad_entries(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MetricsSection(**changes)


# --- strict reading ---------------------------------------------------------------------------


def example_document() -> dict[str, Any]:
    return copy.deepcopy(example_metrics().to_document())


def forecast(document: dict[str, Any]) -> dict[str, Any]:
    chain: dict[str, Any] = document["chains"]["rain-forecast-15min"]
    return chain


def set_version(value: object) -> Any:
    def change(document: dict[str, Any]) -> None:
        document["version"] = value

    return change


MALFORMED: list[tuple[str, Any, str]] = [
    ("root is a list", lambda d: [d], "metrics section must be an object"),
    ("missing key", lambda d: d.pop("break_even"), "metrics section lacks the key\\(s\\) break_even"),
    ("extra key", lambda d: d.update(extra=1), "unexpected key\\(s\\) extra"),
    ("version newer", set_version(2), "version 2, newer than this app reads"),
    ("version zero", set_version(0), "version must be a whole number"),
    ("version bool", set_version(True), "version must be a whole number"),
    ("version text", set_version("1"), "version must be a whole number"),
    ("chains a list", lambda d: d.update(chains=[]), "chains must be an object keyed by candidate id"),
    ("chain a string", lambda d: d["chains"].update({"x": "y"}), "chains.x must be an object"),
    ("goals not a list", lambda d: forecast(d).update(goals={}), "chains.rain-forecast-15min.goals must be a list"),
    (
        "empty goal name",
        lambda d: forecast(d)["goals"][0].update(name=""),
        "chains.rain-forecast-15min.goals\\[0\\]: Goal name must have 1 to 200 characters; got 0",
    ),
    (
        "10,000-character name",
        lambda d: forecast(d)["business_metrics"][0].update(name="x" * 10_000),
        "business_metrics\\[0\\]: Metric name must have 1 to 200 characters; got 10000",
    ),
    (
        "tangible as text",
        lambda d: forecast(d)["goals"][0].update(tangible="false"),
        "must be true or false",
    ),
    (
        "NaN baseline",
        lambda d: forecast(d)["business_metrics"][0].update(baseline=math.nan),
        "Metric baseline must be a finite number",
    ),
    (
        "number as text",
        lambda d: forecast(d)["business_metrics"][0].update(target="34000"),
        "Metric target must be a number",
    ),
    (
        "short date",
        lambda d: forecast(d)["business_metrics"][0].update(deadline="2027-9-30"),
        "deadline must be a date written YYYY-MM-DD",
    ),
    (
        "compact date",
        lambda d: forecast(d).update(decision_deadline="20270615"),
        "decision_deadline must be a date written YYYY-MM-DD",
    ),
    (
        "impossible date",
        lambda d: forecast(d)["milestones"][0].update(date="2027-02-30"),
        "milestones\\[0\\].date is not a real calendar date",
    ),
    (
        "goal ids a string",
        lambda d: forecast(d)["business_metrics"][0].update(goal_ids="g1"),
        "goal_ids must be a list",
    ),
    (
        "drive without effect",
        lambda d: forecast(d)["model_metrics"][0]["drives"][0].pop("effect"),
        "drives\\[0\\] lacks the key\\(s\\) effect",
    ),
    (
        "precision above 1",
        lambda d: forecast(d)["model_metrics"][1].update(minimum=75.0),
        "must lie between 0 and 1; got 75",
    ),
    (
        "negative label delay",
        lambda d: forecast(d)["label"].update(observable_after_days=-1),
        "Days until the label is observable must be at least 0",
    ),
    (
        "duplicate milestone ids",
        lambda d: forecast(d)["milestones"][1].update(id="ms1"),
        "Two milestones share the id 'ms1'",
    ),
    (
        "unknown milestone",
        lambda d: forecast(d)["milestones"][0].update(name="beta"),
        "Milestone must be one of",
    ),
    (
        "unknown break-even kind",
        lambda d: d["break_even"]["rain-forecast-15min"].update(kind="ranking"),
        "kind is 'classification' or 'regression'",
    ),
    (
        "negative volume",
        lambda d: d["break_even"]["rain-forecast-15min"].update(monthly_volume=-6000),
        "break_even.rain-forecast-15min: Monthly volume of predictions must be greater than 0",
    ),
    (
        "prevalence outside 0..1",
        lambda d: d["break_even"]["rain-forecast-15min"].update(prevalence=1.5),
        "Prevalence must be strictly between 0 and 1",
    ),
    (
        "both baseline forms",
        lambda d: d["break_even"]["rain-forecast-15min"].update(baseline_monthly_value_usd=100.0),
        "either as precision and recall or as a monthly value",
    ),
    (
        "regression field in classification",
        lambda d: d["break_even"]["rain-forecast-15min"].update(baseline_mae=3.0),
        "unexpected key\\(s\\) baseline_mae",
    ),
]


@pytest.mark.parametrize(("case", "change", "message"), MALFORMED, ids=[case for case, _, _ in MALFORMED])
def test_malformed_document_is_rejected_with_its_place(case: str, change: Any, message: str) -> None:
    document = example_document()
    changed = change(document)
    with pytest.raises(ValueError, match=message):
        MetricsSection.from_document(changed if isinstance(changed, list) else document)


def test_integer_numbers_in_a_document_are_read_as_floats() -> None:
    document = example_document()
    forecast(document)["business_metrics"][0]["baseline"] = 42000
    metric = MetricsSection.from_document(document).chains["rain-forecast-15min"].business_metrics[0]
    assert metric.baseline == 42000.0 and isinstance(metric.baseline, float)


def test_regression_break_even_round_trips() -> None:
    section = MetricsSection(break_even={"c1": RegressionBreakEvenInputs(2.0, 10_000.0, 5.0, 20_000.0)})
    document = section.to_document()
    assert document["break_even"]["c1"]["kind"] == "regression"
    assert MetricsSection.from_document(document) == section


# --- charter ----------------------------------------------------------------------------------


def charter_rows(chain: MetricChain) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(charter_csv(chain))))


def test_charter_has_one_row_per_business_and_model_metric_with_links() -> None:
    rows = charter_rows(example_metrics().chains["rain-forecast-15min"])
    assert list(rows[0]) == list(CHARTER_COLUMNS)
    assert [(row["kind"], row["id"]) for row in rows] == [
        ("business", "m1"),
        ("business", "m2"),
        ("model", "mm1"),
        ("model", "mm2"),
    ]
    water, beds, recall, _ = rows
    assert water["proves_goals"] == "Save water"
    assert water["driven_by"] == "Recall of rain within 15 minutes"
    assert water["label"].startswith("Rain observed at the site")
    assert beds["label"] == ""
    assert (water["baseline"], water["target"], water["deadline"]) == ("42000", "34000", "2027-09-30")
    assert recall["drives"] == "Water use per week (lowers)"
    assert (recall["minimum"], recall["target"]) == ("0.8", "0.9")


@pytest.mark.parametrize("hostile", ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tx"])
def test_charter_defuses_spreadsheet_formulas(hostile: str) -> None:
    chain = MetricChain(business_metrics=(BusinessMetric("m1", hostile, owner=hostile),))
    [row] = charter_rows(chain)
    assert row["name"] == "'" + hostile and row["owner"] == "'" + hostile


def test_charter_keeps_negative_numbers_as_numbers() -> None:
    [row] = charter_rows(MetricChain(business_metrics=(BusinessMetric("m1", "Margin", baseline=-2.5, target=0.1),)))
    assert (row["baseline"], row["target"]) == ("-2.5", "0.1")


def test_charter_survives_commas_quotes_and_newlines() -> None:
    name = 'Revenue, "net"\nper month'
    [row] = charter_rows(MetricChain(business_metrics=(BusinessMetric("m1", name),)))
    assert row["name"] == name


def test_charter_of_empty_chain_is_just_the_header() -> None:
    assert charter_csv(MetricChain()) == ",".join(CHARTER_COLUMNS) + "\r\n"


# --- example project --------------------------------------------------------------------------


def test_example_has_the_three_guide_candidates() -> None:
    assert set(example_metrics().chains) == {"film-backgrounds", "rain-now-watering", "rain-forecast-15min"}


@pytest.mark.parametrize("candidate_id", ["film-backgrounds", "rain-now-watering", "rain-forecast-15min"])
def test_example_chain_has_no_issue_on_its_reference_date(candidate_id: str) -> None:
    assert validate_chain(example_metrics().chains[candidate_id], EXAMPLE_REFERENCE_DATE) == []


@pytest.mark.parametrize("today", [date.today(), date(2040, 1, 1)])
def test_example_chains_stay_free_of_errors_later(today: date) -> None:
    for chain in example_metrics().chains.values():
        assert [issue for issue in validate_chain(chain, today) if issue.severity == "error"] == []


def test_example_forecast_minimum_precision_clears_break_even_at_minimum_recall() -> None:
    section = example_metrics()
    chain = section.chains["rain-forecast-15min"]
    recall, precision = (metric.minimum for metric in chain.model_metrics)
    inputs = section.break_even["rain-forecast-15min"]
    assert isinstance(inputs, BreakEvenInputs) and recall is not None and precision is not None
    required = min_precision(inputs, recall)
    assert required is not None and required <= precision
    assert break_even_sentence(inputs, recall) == (
        "At 80 % recall the model needs at least 69 % precision to beat the weather-service forecast "
        "and cover $200/month of running cost."
    )
