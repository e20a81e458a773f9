"""Shared fixtures (a fresh store on a temporary database for every test that asks for one) and the
Hypothesis profile every property test runs under."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from core.example import example_project
from core.store import Store, open_store

# CI runs the suite on two shared cores beside the browser tests, where one example can take far longer than
# Hypothesis's default 200 ms deadline: a slow example is not a failure, so there is no per-example deadline.
# With CI set the examples are derandomised (the same ones every run, so a red build is reproducible);
# print_blob prints what `@reproduce_failure` needs to replay a failure locally either way.
# `--hypothesis-profile=default` (or HYPOTHESIS_PROFILE=default) brings Hypothesis's own defaults back.
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
settings.register_profile("ci", deadline=None, derandomize=IN_CI, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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
