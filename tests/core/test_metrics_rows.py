"""The chain as tables: loosely typed cells, rows -> elements with located errors, and the round trip."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pytest

from core.metrics import Label, MetricChain, example_metrics
from core.metrics.example import FILM_BACKGROUND, RAIN_FORECAST, RAIN_WATERING
from core.metrics.rows import (
    COLUMNS,
    PARTS,
    chain_from_rows,
    chain_rows,
    elements_from_rows,
    field_location,
    is_blank_row,
    is_empty_cell,
    link_token,
    parse_link_token,
    read_bool,
    read_date,
    read_list,
    read_number,
    with_ids,
)


@pytest.mark.parametrize(
    ("value", "empty"),
    [
        (None, True),
        (float("nan"), True),
        (pd.NaT, True),
        (pd.NA, True),
        ("", True),
        ("  \n", True),
        ([], True),
        (np.array([]), True),
        (0, False),
        (0.0, False),
        (False, False),
        ("x", False),
        (["g1"], False),
        (date(2027, 1, 1), False),
    ],
)
def test_empty_cells(value: object, empty: bool) -> None:
    assert is_empty_cell(value) is empty


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (float("nan"), None),
        ("", None),
        (12, 12),
        (np.float64(2.5), 2.5),
        ("1,200.5", 1200.5),
        (float("inf"), float("inf")),
    ],
)
def test_read_number(value: object, expected: float | None) -> None:
    assert read_number(value) == expected


@pytest.mark.parametrize("value", ["twelve", True])
def test_read_number_rejects_non_numbers(value: object) -> None:
    with pytest.raises(ValueError, match="number"):
        read_number(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (pd.NaT, None),
        (date(2027, 3, 1), date(2027, 3, 1)),
        (datetime(2027, 3, 1, 12, 30), date(2027, 3, 1)),
        (pd.Timestamp("2027-03-01"), date(2027, 3, 1)),
        ("2027-03-01", date(2027, 3, 1)),
        ("2027-03-01T00:00:00.000", date(2027, 3, 1)),
        # as people type dates
        (" 2027-06-30 ", date(2027, 6, 30)),
        ("2027/06/30", date(2027, 6, 30)),
        ("20270630", date(2027, 6, 30)),
        ("30.06.2027", date(2027, 6, 30)),
        ("30/06/2027", date(2027, 6, 30)),
        ("06/30/2027", date(2027, 6, 30)),
        ("30 June 2027", date(2027, 6, 30)),
        ("June 30, 2027", date(2027, 6, 30)),
        ("Jun 30 2027", date(2027, 6, 30)),
        ("2000-01-01", date(2000, 1, 1)),
        ("2100-12-31", date(2100, 12, 31)),
    ],
)
def test_read_date(value: object, expected: date | None) -> None:
    assert read_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("soon", "'soon' is not a date; write it YYYY-MM-DD"),
        ("2027-02-30", "is not a date"),
        (17, "is not a date"),
        ("03/06/2027", "could be day/month or month/day"),
        # a date editor's typing slip: JavaScript's ISO form for a year past 9999
        ("+070630-02-02", "The year 70,630 lies outside 2000-2100"),
        ("+070630-02-02T00:00:00.000Z", "The year 70,630 lies outside 2000-2100"),
        ("1999-12-31", "1999-12-31 lies outside 2000-2100"),
        (date(2101, 1, 1), "2101-01-01 lies outside 2000-2100"),
    ],
)
def test_read_date_refuses_what_is_not_a_planning_date(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        read_date(value)


def test_read_list_and_bool() -> None:
    assert read_list(None) == []
    assert read_list(np.array(["g1", "g2"])) == ["g1", "g2"]
    assert read_list(("g1",)) == ["g1"]
    assert read_list("g1, g2") == ["g1", "g2"]
    assert read_bool(None) is False
    assert read_bool(np.bool_(True)) is True
    assert read_bool("yes") is True


def test_link_tokens_round_trip_and_reject_nonsense() -> None:
    assert parse_link_token(link_token("m1", "lowers")) == ("m1", "lowers")
    for bad in ["m1", "m1:improves", ":raises"]:
        with pytest.raises(ValueError, match="raises' or"):
            parse_link_token(bad)


@pytest.mark.parametrize("candidate", [FILM_BACKGROUND, RAIN_WATERING, RAIN_FORECAST])
def test_rows_round_trip_the_example_chains_exactly(candidate: str) -> None:
    chain = example_metrics().chains[candidate]
    rows = chain_rows(chain)
    assert set(rows) == set(PARTS)
    for part in PARTS:
        for row in rows[part]:
            assert set(row) == set(COLUMNS[part])
    assert chain_from_rows(rows, chain.label, chain.decision_deadline) == chain


def test_rows_from_a_table_with_pandas_cells_build_the_same_chain() -> None:
    chain = example_metrics().chains[RAIN_FORECAST]
    rows = chain_rows(chain)
    # What a data editor hands back: a DataFrame's records, with NaN, Timestamps and arrays.
    table = pd.DataFrame(rows["business_metrics"])
    table["deadline"] = pd.to_datetime(table["deadline"])
    records = table.to_dict("records")
    records[0]["goal_ids"] = np.array(records[0]["goal_ids"])
    rebuilt = chain_from_rows({**rows, "business_metrics": records}, chain.label, chain.decision_deadline)
    assert rebuilt == chain


def test_blank_rows_are_dropped_and_missing_ids_filled_across_the_chain() -> None:
    rows: dict[str, list[dict[str, Any]]] = {
        "goals": [
            {"id": "g1", "name": "Save water", "tangible": True, "note": ""},
            {"id": None, "name": "Healthy plants", "tangible": False, "note": None},
            {"id": None, "name": None, "tangible": False, "note": ""},  # added, left empty
        ],
        "business_metrics": [{"id": float("nan"), "name": "Water use", "direction": "lower", "cadence": "weekly"}],
        "model_metrics": [{"id": "g1", "name": "Recall"}],  # an id already used by a goal
        "milestones": [{"id": None, "name": "pilot", "date": None, "criterion": ""}],
    }
    filled = with_ids(rows)
    assert [row["id"] for row in filled["goals"]] == ["g1", "g2"]
    assert [row["id"] for row in filled["business_metrics"]] == ["m1"]
    assert filled["milestones"] == []
    assert filled["model_metrics"][0]["id"] == "g1"  # unique within its own table is all a chain needs
    assert is_blank_row("milestones", {"id": None, "name": "launch", "date": None, "criterion": " "})
    assert not is_blank_row("goals", {"id": None, "name": "x", "tangible": False})


def test_empty_select_cells_take_their_defaults() -> None:
    (metric,) = elements_from_rows("business_metrics", [{"id": "m1", "name": "Revenue", "direction": None}])
    assert (metric.direction, metric.cadence, metric.baseline, metric.goal_ids) == ("higher", "monthly", None, ())


@pytest.mark.parametrize(
    ("part", "row", "message"),
    [
        ("goals", {"id": "g1", "name": "x" * 10_000}, r"Business goals, row 1: Goal name must have 1 to 200"),
        ("business_metrics", {"id": "m1", "name": "Revenue", "baseline": float("inf")}, r"row 1: .*finite"),
        ("business_metrics", {"id": "m1", "name": "Revenue", "deadline": "soon"}, r"row 1: 'soon' is not a date"),
        ("business_metrics", {"id": "m1", "name": "Revenue", "direction": "up"}, r"row 1: Metric direction"),
        ("model_metrics", {"id": "mm1", "name": "Recall", "drives": ["m1:improves"]}, r"Model metrics, row 1"),
        (
            "model_metrics",
            {"id": "mm1", "name": "Precision", "minimum": 80.0, "value_min": 0.0, "value_max": 1.0},
            r"must lie between 0 and 1; got 80",
        ),
        ("milestones", {"id": "ms1", "name": "pilot", "date": None, "criterion": "works"}, r"Milestones, row 1: Give"),
        ("milestones", {"id": "ms1", "name": "beta", "date": "2027-01-01"}, r"row 1: Milestone must be one of"),
    ],
)
def test_a_bad_row_names_its_table_and_row(part: str, row: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        elements_from_rows(part, [row])


def test_row_numbers_skip_blank_rows_as_the_table_shows_them() -> None:
    rows: list[dict[str, Any]] = [
        {"id": "g1", "name": "Fine"},
        {"id": None, "name": None},
        {"id": "g2", "name": " ", "note": "x"},
    ]
    with pytest.raises(ValueError, match="row 2"):
        elements_from_rows("goals", rows)


def test_unknown_part_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown part"):
        elements_from_rows("labels", [])


def test_chain_level_problems_surface_as_value_errors() -> None:
    rows = {"goals": [{"id": "g1", "name": "A"}, {"id": "g1", "name": "B"}]}
    # with_ids renames a duplicate id, so the chain is well formed
    chain = chain_from_rows(rows)
    assert [goal.id for goal in chain.goals] == ["g1", "g2"]
    with pytest.raises(ValueError, match="label must be a Label"):
        chain_from_rows({}, label="rain")


def test_field_locations_read_like_the_page() -> None:
    chain = example_metrics().chains[RAIN_FORECAST]
    assert field_location(chain, "goals.g1") == "Business goals › row 1 'Healthy plants'"
    expected = "Business metrics › row 2 'Beds in good condition' › Baseline"
    assert field_location(chain, "metrics.m2.baseline") == expected
    assert field_location(chain, "model_metrics.mm1.drives").endswith("› Drives")
    assert field_location(chain, "milestones.ms3.date") == "Milestones › row 3 'launch' › Date"
    assert field_location(chain, "label") == "Label"
    assert field_location(chain, "label.observable_after_days") == "Label › Observable after (days)"
    assert field_location(chain, "decision_deadline") == "Decision deadline"
    assert field_location(chain, "metrics.m9.owner") == "Business metrics › m9 › Owner"
    assert field_location(chain, "elsewhere") == "elsewhere"


def test_long_names_are_shortened_in_locations() -> None:
    chain = MetricChain(label=Label("x"), business_metrics=())
    long_chain = chain_from_rows({"goals": [{"id": "g1", "name": "word " * 30}]})
    location = field_location(long_chain, "goals.g1")
    assert location.endswith("…'") and len(location) < 80
    assert field_location(chain, "label.what") == "Label › What the model predicts"
