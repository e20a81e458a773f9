"""A page's draft per project: kept verbatim, none until kept, an unreadable one read as none; on a DuckDB file
and on PostgreSQL."""

from __future__ import annotations

import pytest

from core.store import Store


@pytest.fixture
def store(store_on_each_target: Store) -> Store:
    return store_on_each_target


def test_no_draft_until_one_is_kept(store: Store) -> None:
    assert store.draft("p1", "resources") is None


def test_a_draft_round_trips_per_project_and_page(store: Store) -> None:
    document = {"base": "Plan A", "inputs": {"text": "<b>verbatim</b> ✓", "n": 1.5}}
    store.save_draft("p1", "resources", document)
    store.save_draft("p2", "resources", {"base": None})
    assert store.draft("p1", "resources") == document
    assert store.draft("p2", "resources") == {"base": None}
    assert store.draft("p1", "metrics") is None


def test_a_later_draft_replaces_the_earlier_one_and_writes_no_project_version(store: Store) -> None:
    project_id = store.create_project("Drafted")
    versions = store.list_versions(project_id)
    store.save_draft(project_id, "resources", {"n": 1})
    store.save_draft(project_id, "resources", {"n": 2})
    assert store.draft(project_id, "resources") == {"n": 2}
    assert store.list_versions(project_id) == versions


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", '"text"'])
def test_an_unreadable_draft_reads_as_none(store: Store, raw: str) -> None:
    store.set_meta("draft:resources:p1", raw)
    assert store.draft("p1", "resources") is None
