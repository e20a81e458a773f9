"""Shared fixtures: a fresh store on a temporary database for every test that asks for one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.example import example_project
from core.store import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(str(tmp_path / "test.duckdb"))
    yield opened
    opened.close()


@pytest.fixture
def store_with_example(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(str(tmp_path / "example.duckdb"), example=example_project)
    yield opened
    opened.close()
