"""Shared fixtures (a fresh store on a temporary database for every test that asks for one) and the
Hypothesis profile every property test runs under."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings

from core.example import example_project
from core.store import Store, open_store
from tests.postgres_server import ENV_URL, PostgresServer

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


# ------------------------------------------------------------------------------------------- PostgreSQL
# `make test` starts one cluster for the whole run and passes its URL in GREENLIGHT_TEST_POSTGRES; a test run
# started some other way starts its own (per test process). Each test gets a database of its own.


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    given = os.environ.get(ENV_URL)
    if given:
        yield given
        return
    try:
        server = PostgresServer().start()
    except Exception as error:  # no PostgreSQL and no way to install it here
        pytest.skip(f"PostgreSQL could not be started for these tests ({type(error).__name__}: {error})")
    try:
        yield server.url()
    finally:
        server.remove()


def fresh_postgres_database(admin_url: str) -> str:
    """A new, empty database on the test server; its URL."""
    name = f"gl_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name


def drop_postgres_database(admin_url: str, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    url = fresh_postgres_database(postgres_admin_url)
    yield url
    drop_postgres_database(postgres_admin_url, url)


# The store's own tests run on both targets: a DuckDB file and a PostgreSQL database.
STORE_TARGETS = ["duckdb", "postgresql"]


@pytest.fixture(params=STORE_TARGETS)
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each kind, as a GREENLIGHT_DB target."""
    if request.param == "duckdb":
        yield str(tmp_path / "target.duckdb")
        return
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    url = fresh_postgres_database(admin_url)
    yield url
    drop_postgres_database(admin_url, url)


@pytest.fixture
def store_on_each_target(store_target: str) -> Iterator[Store]:
    opened = open_store(store_target)
    yield opened
    opened.close()


@pytest.fixture
def store_with_example_on_each_target(store_target: str) -> Iterator[Store]:
    opened = open_store(store_target, example=example_project)
    yield opened
    opened.close()
