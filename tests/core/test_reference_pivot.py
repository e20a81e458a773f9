"""The thin-industry pivot: the industry's count for the task, then the same task in the nearest industries."""

from __future__ import annotations

import pytest

from core.references import Reference, build_index
from core.references.pivot import THIN_INDUSTRY_COUNT, industry_pivot, query_task
from core.taxonomy import INDUSTRIES, NEAREST_INDUSTRIES

ENERGY = "energy & utilities"
FORECAST = "regression & forecasting"


@pytest.mark.parametrize("industry", INDUSTRIES)
def test_every_industry_has_nearest_industries_with_reasons(industry: str) -> None:
    nearest = NEAREST_INDUSTRIES[industry]
    names = [name for name, _ in nearest]
    assert len(nearest) >= 2 and len(set(names)) == len(names)
    assert industry not in names and set(names) <= set(INDUSTRIES)
    assert all(reason.strip() for _, reason in nearest)


def test_the_table_names_only_known_industries() -> None:
    assert set(NEAREST_INDUSTRIES) == set(INDUSTRIES)


def _catalogue(counts: dict[tuple[str, str], int]) -> list[Reference]:
    refs = []
    for (industry, task), n in counts.items():
        for i in range(n):
            refs.append(
                Reference(
                    f"{industry[:3]}-{task[:3]}-{i}",
                    "Co",
                    f"Load forecasting {i}",
                    2020 + i % 5,
                    industry,
                    task,
                    "time series",
                )
            )
    return refs


@pytest.mark.parametrize(
    ("energy_forecasts", "thin"),
    [(0, True), (1, True), (THIN_INDUSTRY_COUNT - 1, True), (THIN_INDUSTRY_COUNT, False), (12, False)],
)
def test_an_industry_is_thin_below_the_threshold(energy_forecasts: int, thin: bool) -> None:
    counts = {
        (ENERGY, FORECAST): energy_forecasts,
        (ENERGY, "classification"): 9,  # another task does not count
        ("manufacturing & industrial", FORECAST): 7,
        ("telecom", FORECAST): 2,
    }
    index = build_index(_catalogue(counts), synonyms=())
    pivot = industry_pivot(index, "load forecasting", industry=ENERGY, task=FORECAST)
    assert (pivot is not None) == thin
    if pivot is not None:
        assert (pivot.industry, pivot.task, pivot.count) == (ENERGY, FORECAST, energy_forecasts)
        assert [n.industry for n in pivot.neighbours] == [name for name, _ in NEAREST_INDUSTRIES[ENERGY]]
        by_name = {n.industry: n for n in pivot.neighbours}
        assert by_name["manufacturing & industrial"].count == 7 and len(by_name["manufacturing & industrial"].hits) == 5
        assert by_name["telecom"].count == 2 and by_name["public sector"].count == 0
        assert all(h.reference.task == FORECAST for n in pivot.neighbours for h in n.hits)
        assert all(h.reference.industry == n.industry for n in pivot.neighbours for h in n.hits)


@pytest.mark.parametrize(
    ("count", "sentence"),
    [
        (0, f"No entries in {ENERGY} for {FORECAST}"),
        (1, f"Only 1 entry in {ENERGY} for {FORECAST}"),
        (3, f"Only 3 entries in {ENERGY} for {FORECAST}"),
    ],
)
def test_the_pivot_says_the_count_first(count: int, sentence: str) -> None:
    index = build_index(_catalogue({(ENERGY, FORECAST): count, ("telecom", FORECAST): 3}), synonyms=())
    pivot = industry_pivot(index, "forecasting", industry=ENERGY, task=FORECAST)
    assert pivot is not None and pivot.sentence == sentence


def test_without_a_task_filter_the_task_is_read_from_the_best_matches() -> None:
    counts = {("telecom", FORECAST): 6, ("telecom", "classification"): 1, (ENERGY, "classification"): 8}
    index = build_index(_catalogue(counts), synonyms=())
    assert query_task(index.search("load forecasting")) == FORECAST
    pivot = industry_pivot(index, "load forecasting", industry=ENERGY)
    assert pivot is not None and pivot.task == FORECAST and pivot.count == 0


@pytest.mark.parametrize(
    ("query", "task"),
    [("zzqxv", None), ("load forecasting", ["classification", FORECAST])],
)
def test_no_pivot_without_one_task(query: str, task: list[str] | None) -> None:
    index = build_index(_catalogue({("telecom", FORECAST): 3}), synonyms=())
    assert industry_pivot(index, query, industry=ENERGY, task=task) is None


def test_the_other_filters_apply_in_every_industry() -> None:
    index = build_index(_catalogue({(ENERGY, FORECAST): 1, ("manufacturing & industrial", FORECAST): 6}), synonyms=())
    pivot = industry_pivot(index, "forecasting", industry=ENERGY, task=FORECAST, year_range=(2020, 2021))
    assert pivot is not None
    assert pivot.neighbours[0].count == 3 and all(h.reference.year in (2020, 2021) for h in pivot.neighbours[0].hits)


def test_an_unknown_industry_is_refused() -> None:
    index = build_index(_catalogue({(ENERGY, FORECAST): 1}), synonyms=())
    with pytest.raises(ValueError, match="industry"):
        industry_pivot(index, "forecasting", industry="space mining")
