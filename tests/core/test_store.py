"""The store: migrations, seeds, projects, versions, import/export."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core import projects as pj
from core import store as st_
from core.store import Store, StoreError, open_store


# The store's tests run on a DuckDB file and on PostgreSQL (tests/conftest.py starts or finds the server);
# the few about DuckDB files as such say so in their names.
@pytest.fixture
def store(store_on_each_target: Store) -> Store:
    return store_on_each_target


@pytest.fixture
def store_with_example(store_with_example_on_each_target: Store) -> Store:
    return store_with_example_on_each_target


@pytest.mark.parametrize(
    ("environ", "secrets", "expected"),
    [
        ({"GREENLIGHT_DB": "/tmp/a.duckdb"}, {"storage": {"database": "md:team"}}, "/tmp/a.duckdb"),
        ({}, {"storage": {"database": "md:team"}}, "md:team"),
        ({}, {}, st_.DEFAULT_DATABASE),
        ({"GREENLIGHT_DB": ""}, None, st_.DEFAULT_DATABASE),
        ({}, {"storage": {}}, st_.DEFAULT_DATABASE),
    ],
)
def test_the_database_target_follows_env_then_secrets_then_default(environ, secrets, expected) -> None:
    assert st_.resolve_target(environ, secrets) == expected


@pytest.mark.parametrize(
    ("target", "cloud", "kind", "ephemeral"),
    [
        (":memory:", False, "memory", True),
        ("md:greenlight", True, "motherduck", False),
        ("/data/greenlight.duckdb", False, "file", False),
        ("/mount/src/app/greenlight.duckdb", True, "file", True),
    ],
)
def test_data_location_says_whether_data_survives(target, cloud, kind, ephemeral) -> None:
    location = st_.describe_target(target, cloud=cloud)
    assert (location.kind, location.ephemeral) == (kind, ephemeral)


def test_extension_downloads_are_off() -> None:
    con = st_.connect(":memory:")
    settings = dict(
        con.execute(
            "SELECT name, value FROM duckdb_settings() "
            "WHERE name IN ('autoinstall_known_extensions', 'autoload_known_extensions')"
        ).fetchall()
    )
    assert settings == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}


def test_migrations_are_numbered_without_gaps() -> None:
    assert [version for version, _, _ in st_.migrations()] == list(range(1, len(st_.migrations()) + 1))


def test_a_new_database_is_migrated_to_the_latest_schema(store: Store) -> None:
    with store._cursor() as cur:
        assert st_.schema_version(cur) == len(st_.migrations())


def test_migrating_twice_changes_nothing(store_target: str) -> None:
    con = st_.connect(store_target)
    first = st_.migrate(con)
    assert st_.migrate(con) == first
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone() == (first,)


def _contents(target: str) -> list[tuple[object, ...]]:
    """Every table with its row count, and the migrations recorded: what "untouched" means on a server."""
    con = st_.connect(target)
    try:
        tables = sorted(
            str(name)
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema IN ('main', 'public')"
            ).fetchall()
        )
        counts = [(t, con.execute(f"SELECT count(*) FROM {t}").fetchone()) for t in tables]
        return [*counts, *con.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()]
    finally:
        con.close()


def test_a_database_from_a_newer_greenlight_is_refused_untouched(store_target: str) -> None:
    con = st_.connect(store_target)
    st_.migrate(con)
    con.execute("INSERT INTO schema_migrations VALUES (999, 'from the future', now())")
    con.close()
    before = _contents(store_target)
    with pytest.raises(StoreError, match="newer Greenlight"):
        open_store(store_target)
    assert _contents(store_target) == before


def test_a_duckdb_file_from_a_newer_greenlight_is_left_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "newer.duckdb"
    con = st_.connect(str(path))
    st_.migrate(con)
    con.execute("INSERT INTO schema_migrations VALUES (999, 'from the future', now())")
    con.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer Greenlight"):
        open_store(str(path))
    assert path.read_bytes() == before


@pytest.mark.parametrize("upto", range(1, 3))
def test_every_earlier_schema_upgrades_keeping_its_projects(store_target: str, upto: int) -> None:
    path = store_target
    con = st_.connect(path)
    st_.migrate(con, upto=upto)
    # Rows as every schema before 3 wrote them (today's Store writes columns those schemas lack).
    document = {"kind": "greenlight-project", "schema_version": 1, "id": "0123456789ab", "name": "Old", "sections": {}}
    con.execute("INSERT INTO projects VALUES ('0123456789ab', 'Made at an earlier schema', now(), now(), 1)")
    con.execute("INSERT INTO project_versions VALUES ('0123456789ab', 1, now(), 'created', ?)", [json.dumps(document)])
    con.close()
    upgraded = open_store(path)
    assert [p.name for p in upgraded.list_projects()] == ["Made at an earlier schema"]
    assert upgraded.get_version("0123456789ab", 1) == document  # history written before the upgrade
    upgraded.rename_project("0123456789ab", "Renamed after the upgrade")
    renamed = upgraded.get_version("0123456789ab", 2)
    assert renamed is not None and renamed["name"] == "Renamed after the upgrade"


@pytest.mark.parametrize("upto", range(3, len(st_.migrations())))
def test_a_schema_from_3_on_upgrades_keeping_the_projects_it_wrote(store_target: str, upto: int) -> None:
    path = store_target
    con = st_.connect(path)
    st_.migrate(con, upto=upto)
    project_id = st_.Store(con, path).create_project("Made at schema 3 or later")
    con.close()
    upgraded = open_store(path)
    assert [p.name for p in upgraded.list_projects()] == ["Made at schema 3 or later"]
    assert upgraded.get_version(project_id, 1) is not None
    assert upgraded.catalogue("hosted_models"), "the hosted-model catalogue loads after the upgrade"


def test_a_changed_seed_reaches_an_existing_database_without_touching_user_data(
    tmp_path: Path, store_target: str
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "accelerators.csv").write_text("key,memory_gb\nx1,10\n")
    con = st_.connect(store_target)
    st_.migrate(con)
    assert st_.seed_catalogues(con, data_dir) == ["accelerators"]
    assert st_.seed_catalogues(con, data_dir) == []  # unchanged seed: nothing reloaded
    store = Store(con, "db")
    store.save_user_accelerator("mine", {"memory_gb": 99})
    project_id = store.create_project("Keep me")
    (data_dir / "accelerators.csv").write_text("key,memory_gb\nx1,12\nx2,24\n")
    assert st_.seed_catalogues(con, data_dir) == ["accelerators"]
    rows = {row["key"]: row["memory_gb"] for row in store.catalogue("accelerators")}
    assert rows == {"x1": 12, "x2": 24, "mine": 99}
    assert store.get_project(project_id) is not None


def test_a_second_process_on_the_same_duckdb_file_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "busy.duckdb"
    holder = open_store(str(path))
    code = (
        "import sys; from core.store import open_store, StoreError\n"
        f"try:\n    open_store({str(path)!r})\nexcept StoreError as e:\n    print(e); sys.exit(3)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=st_.ROOT_DIR)
    holder.close()
    assert result.returncode == 3, result.stderr
    assert "in use by another Greenlight process" in result.stdout


def test_create_rename_and_history(store: Store) -> None:
    project_id = store.create_project("First name")
    store.rename_project(project_id, "Second name")
    project = store.get_project(project_id)
    assert project is not None and project.name == "Second name" and project.version == 2
    assert [change for _, _, change in store.list_versions(project_id)] == ["renamed", "created"]


def test_restoring_a_version_brings_back_its_content_as_a_new_version(store: Store) -> None:
    project_id = store.create_project("Original")
    store.rename_project(project_id, "Changed")
    store.restore_version(project_id, 1)
    project = store.get_project(project_id)
    assert project is not None
    assert (project.name, project.version) == ("Original", 3)


def test_a_refused_rename_changes_nothing(store: Store) -> None:
    project_id = store.create_project("Stable")
    with pytest.raises(ValueError):
        store.rename_project(project_id, "x" * 10_000)
    project = store.get_project(project_id)
    assert project is not None and (project.name, project.version) == ("Stable", 1)


@pytest.mark.parametrize("name", ["<img src=x onerror=alert(1)>", "'; DROP TABLE projects; --", "a" * 200])
def test_names_are_stored_verbatim(store: Store, name: str) -> None:
    project_id = store.create_project(name)
    project = store.get_project(project_id)
    assert project is not None and project.name == name


def test_export_delete_import_restores_a_project_exactly(store_with_example: Store) -> None:
    store = store_with_example
    [summary] = store.list_projects()
    before = store.get_project(summary.id)
    assert before is not None
    exported = pj.export_json(store.export_documents([summary.id]))
    store.delete_project(summary.id)
    assert store.list_projects() == []
    imported = store.import_documents(pj.parse_import(exported))
    after = store.get_project(imported[0])
    assert after is not None
    assert after.document() == before.document()


def test_importing_an_id_in_use_gives_a_new_id_and_keeps_both(store: Store) -> None:
    project_id = store.create_project("Kept")
    [new_id] = store.import_documents(store.export_documents([project_id]))
    assert new_id != project_id
    assert len(store.list_projects()) == 2


def test_a_bad_project_in_an_import_writes_nothing(store: Store) -> None:
    store.create_project("Existing")
    good = pj.project_document("0123456789ab", "Good", {})
    bad = pj.project_document("ba9876543210", "", {})
    with pytest.raises(ValueError):
        store.import_documents([good, bad])
    assert [p.name for p in store.list_projects()] == ["Existing"]


def test_duplicate_copies_content_under_a_new_name(store: Store) -> None:
    project_id = store.create_project("Original")
    copy_id = store.duplicate_project(project_id, "Copy")
    copy = store.get_project(copy_id)
    assert copy is not None and copy.name == "Copy" and copy.id != project_id


def test_the_example_project_is_created_once_and_not_recreated_after_delete(store_target: str) -> None:
    from core.example import example_project

    path = store_target
    store = open_store(path, example=example_project)
    [summary] = store.list_projects()
    store.delete_project(summary.id)
    store.close()
    reopened = open_store(path, example=example_project)
    assert reopened.list_projects() == []


def test_deleted_user_accelerator_row_restores_the_seed(store: Store) -> None:
    if not (st_.DATA_DIR / "accelerators.csv").exists():
        pytest.skip("accelerator catalogue not seeded yet")
    seed = {row["key"]: row for row in store.catalogue("accelerators")}
    key = next(iter(seed))
    store.save_user_accelerator(key, {**seed[key], "memory_gb": 1})
    assert {row["key"]: row for row in store.catalogue("accelerators")}[key]["memory_gb"] == 1
    store.delete_user_accelerator(key)
    assert {row["key"]: row for row in store.catalogue("accelerators")}[key]["origin"] == "seed"


def test_an_edited_hosted_model_price_is_kept_and_restoring_it_brings_back_the_published_one(store: Store) -> None:
    published = {row["key"]: row for row in store.catalogue("hosted_models")}
    key = next(iter(published))
    store.save_hosted_model_edit(key, {"usd_per_million_output_tokens": 0.3})
    store.save_hosted_model_edit(key, {"usd_per_million_output_tokens": 0.4})  # a second edit replaces the first
    edited = {row["key"]: row for row in store.catalogue("hosted_models")}[key]
    assert (edited["usd_per_million_output_tokens"], edited["origin"]) == (0.4, "edited")
    assert edited["usd_per_million_input_tokens"] == published[key]["usd_per_million_input_tokens"]
    store.restore_hosted_model(key)
    assert {row["key"]: row for row in store.catalogue("hosted_models")}[key] == published[key]


def test_a_copy_of_a_database_file_opens(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "original.duckdb"))
    project_id = store.create_project("Portable")
    store.close()
    shutil.copy(store.target, tmp_path / "copy.duckdb")
    copy = open_store(str(tmp_path / "copy.duckdb"))
    assert copy.get_project(project_id) is not None


def test_the_catalogue_version_changes_with_every_user_write(store: Store) -> None:
    empty = store.catalogue_version("references")
    store.add_user_reference("own-000000000001", {"title": "Ours"})
    one = store.catalogue_version("references")
    store.add_user_reference("own-000000000002", {"title": "Theirs"})
    store.delete_user_reference("own-000000000001")
    other_one = store.catalogue_version("references")
    assert len({empty, one, other_one}) == 3


def test_cached_catalogue_rows_follow_writes_and_cannot_be_changed_by_callers(store: Store) -> None:
    before = len(store.catalogue("references"))
    store.catalogue("references")[0]["title"] = "changed by a caller"
    store.add_user_reference("own-000000000002", {"title": "Ours"})
    rows = store.catalogue("references")
    assert len(rows) == before + 1
    assert rows[0]["title"] != "changed by a caller"
