"""Moving a workspace between targets (``python -m core copy-db``): exact round trips DuckDB <-> PostgreSQL,
a refused non-empty destination, and what the command prints."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from core import store as st_
from core.__main__ import main
from core.example import example_project
from core.store import Store, StoreError, copy_workspace, open_store


def _everything(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table a copy carries, in a fixed order."""
    found = {}
    with store._cursor() as cur:
        for table in st_.workspace_tables(store):
            _, rows = st_._table_rows(cur, table)
            found[table] = sorted(rows, key=repr)
    return found


def _generated_documents(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` project documents: the example's sections, a random subset of them, random names."""
    _, sections = example_project()
    rng = random.Random(seed)
    documents = []
    for n in range(count):
        chosen = {key: value for key, value in sections.items() if rng.random() < 0.7}
        title = f"{rng.choice(['Churn', 'Vision', 'Rain', 'Fraud', 'Speech'])} {n} {rng.randrange(10**6)} ünïcode"
        documents.append(
            {"kind": "greenlight-project", "schema_version": 1, "id": f"{n:012x}", "name": title, "sections": chosen}
        )
    return documents


def test_the_example_project_round_trips_duckdb_postgresql_duckdb_exactly(tmp_path: Path, postgres_url: str) -> None:
    source = open_store(str(tmp_path / "source.duckdb"), example=example_project)
    [summary] = source.list_projects()
    source.rename_project(summary.id, "Renamed once")  # some history
    source.save_user_accelerator("my-gpu", {"memory_gb": 80})
    source.add_user_reference("own-000000000001", {"title": "Ours"})
    server = open_store(postgres_url)
    back = open_store(str(tmp_path / "back.duckdb"))
    copy_workspace(source, server)
    report = copy_workspace(server, back)
    assert report.projects_verified == 1
    assert _everything(back) == _everything(server) == _everything(source)
    assert st_.project_checksums(back) == st_.project_checksums(source)
    assert back.catalogue("accelerators") == source.catalogue("accelerators")
    for opened in (source, server, back):
        opened.close()


def test_a_thousand_generated_projects_round_trip_exactly(tmp_path: Path, postgres_url: str) -> None:
    source = open_store(str(tmp_path / "many.duckdb"))
    ids = source.import_documents(_generated_documents(1000, seed=17))
    for project_id in ids[::10]:  # a hundred of them with a longer history
        source.rename_project(project_id, f"Renamed {project_id}")
    server = open_store(postgres_url)
    back = open_store(str(tmp_path / "many-back.duckdb"))
    there = copy_workspace(source, server)
    assert there.projects_verified == 1000 and there.rows["projects"] == 1000
    copy_workspace(server, back)
    assert _everything(back) == _everything(source)
    for opened in (source, server, back):
        opened.close()


@pytest.mark.parametrize("replace", [False, True])
def test_a_destination_that_holds_projects_is_refused_unless_replace(
    tmp_path: Path, store_target: str, replace: bool
) -> None:
    source = open_store(str(tmp_path / "source.duckdb"))
    source.create_project("Coming over")
    destination = open_store(store_target)
    destination.create_project("Already here")
    if not replace:
        with pytest.raises(StoreError, match=r"is not empty \(1 in projects"):
            copy_workspace(source, destination)
        assert [p.name for p in destination.list_projects()] == ["Already here"]
    else:
        copy_workspace(source, destination, replace=True)
        assert [p.name for p in destination.list_projects()] == ["Coming over"]
    source.close()
    destination.close()


def test_the_command_prints_counts_and_verification_and_hides_the_password(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = str(tmp_path / "cli.duckdb")
    open_store(source, example=example_project).close()
    with_password = postgres_url.replace("greenlight@", "greenlight:s3cret-word@")  # the test server trusts all
    assert main(["copy-db", "--from", source, "--to", with_password]) == 0
    printed = capsys.readouterr().out
    assert "projects: 1 rows" in printed and "1 project checksums equal" in printed
    assert "s3cret-word" not in printed and "greenlight:***@" in printed
    assert main(["copy-db", "--from", source, "--to", with_password]) == 1  # not empty now
    assert "not empty" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "missing.duckdb", "--to", "x.duckdb"], "no database file at"),
        (["--from", "same.duckdb", "--to", "same.duckdb"], "the same database"),
    ],
)
def test_bad_arguments_get_one_sentence(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["copy-db", *arguments]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.duckdb").exists()
