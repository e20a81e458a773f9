"""The search-quality benchmark's shortfall intervals: where combined trails a single method, by how much and
whether the industry's queries can tell it from noise."""

from __future__ import annotations

import pytest

from bench.bench_search_quality import JudgedQuery, Scores, shortfall_intervals

QUERIES = [JudgedQuery(f"q{i:03d}", "telecom", "a query", frozenset({"x"})) for i in range(1, 9)]


def _results(combined: list[float], lexical: list[float]) -> dict[str, dict[str, Scores]]:
    def table(values: list[float]) -> dict[str, Scores]:
        return {q.query_id: Scores(v, v, float(v > 0)) for q, v in zip(QUERIES, values, strict=True)}

    return {"combined": table(combined), "lexical": table(lexical), "semantic": table([0.0] * len(QUERIES))}


def test_a_shortfall_on_every_query_lies_beyond_the_noise() -> None:
    rows = shortfall_intervals(QUERIES, _results([0.5] * 8, [0.6] * 8))
    assert [(r[1], r[2]) for r in rows] == [("recall", "lexical"), ("mrr", "lexical")]
    assert all(r[3] == pytest.approx(-0.1) and r[5] < 0 for r in rows)


def test_one_query_behind_is_a_shortfall_the_interval_cannot_tell_from_noise() -> None:
    rows = shortfall_intervals(QUERIES, _results([1.0] * 7 + [0.0], [1.0] * 8))
    assert rows and all(r[4] < 0 <= r[5] for r in rows)


def test_no_row_where_combined_is_at_least_as_good() -> None:
    assert shortfall_intervals(QUERIES, _results([0.6] * 8, [0.6] * 8)) == []
