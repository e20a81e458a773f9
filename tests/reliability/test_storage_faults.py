"""Faults at open time and during saves end in one clear sentence, never a traceback, and lose nothing.

- a DuckDB file of another application, a SQLite file, a file of random bytes or an empty file: refused with
  a sentence saying what it is, left byte-identical (no write-ahead log either);
- the disk filling up during saves (a 4 MB tmpfs, or a small loop-mounted ext4 file, when the test runs as
  root): ``StorageFull`` with its sentence, no second error from the clean-up, and every save acknowledged
  before it still stored;
- saves that keep conflicting for longer than a person should wait: ``StoreBusy``, nothing written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import subprocess
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from core import store as st_
from core.example import example_project
from core.store import StorageFull, StorageWriteFailed, StoreBusy, StoreError, open_store

pytestmark = pytest.mark.reliability


def _foreign_projects(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE projects (title VARCHAR, budget DOUBLE, owner VARCHAR)")
    con.execute("INSERT INTO projects VALUES ('Their project', 1e6, 'them')")
    con.close()


def _foreign_migrations(path: Path) -> None:
    # Another tool's migrations table (Rails and others use this name, with text versions).
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version VARCHAR PRIMARY KEY)")
    con.execute("INSERT INTO schema_migrations VALUES ('20240101120000')")
    con.close()


def _foreign_other_tables(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales AS SELECT range AS id, range * 2.5 AS amount FROM range(1000)")
    con.close()


def _sqlite(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE projects (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO projects (name) VALUES ('kept')")
    con.commit()
    con.close()


FAULTS: dict[str, tuple[Callable[[Path], object], str]] = {
    "duckdb file with its own projects table": (_foreign_projects, "belongs to another application"),
    "duckdb file with another tool's migrations": (_foreign_migrations, "belongs to another application"),
    "duckdb file with other tables": (_foreign_other_tables, "belongs to another application"),
    "sqlite file": (_sqlite, "is a SQLite database, not a DuckDB database"),
    "random bytes": (lambda path: path.write_bytes(os.urandom(64 * 1024)), "not a DuckDB database"),
    "text file": (lambda path: path.write_text("id,name\n1,x\n" * 100), "not a DuckDB database"),
    "empty file": (lambda path: path.write_bytes(b""), "is empty, not a DuckDB database"),
}


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_a_file_that_is_not_a_greenlight_database_is_refused_untouched(tmp_path: Path, fault: str) -> None:
    make, sentence = FAULTS[fault]
    path = tmp_path / "target.db"
    make(path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(StoreError, match=sentence) as refused:
        open_store(str(path), example=example_project)
    message = str(refused.value)
    assert "left untouched" in message and "GREENLIGHT_DB" in message, message
    assert "INSTALL" not in message  # DuckDB's advice to install its SQLite extension is not ours to give
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # byte-identical, no .wal added


def test_the_foreign_file_message_names_the_file_and_its_tables(tmp_path: Path) -> None:
    path = tmp_path / "theirs.duckdb"
    _foreign_projects(path)
    with pytest.raises(StoreError) as refused:
        open_store(str(path))
    assert str(path) in str(refused.value) and "(projects)" in str(refused.value)


# ----------------------------------------------------------------------------------------------- disk full


def _run(*command: str) -> bool:
    return subprocess.run(command, capture_output=True, check=False).returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A directory on a filesystem of a few MB: a tmpfs, else a loop-mounted ext4 file; skipped unless root."""
    if os.geteuid() != 0:
        pytest.skip("the disk-full test mounts a small filesystem, which needs root; run the tests as root")
    mount = tmp_path / "small"
    mount.mkdir()
    if not _run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)):
        image = tmp_path / "disk.img"
        with image.open("wb") as handle:
            handle.truncate(8 * 1024 * 1024)
        if not (_run("mkfs.ext4", "-q", "-F", str(image)) and _run("mount", "-o", "loop", str(image), str(mount))):
            pytest.skip("could not mount a small filesystem (neither a tmpfs nor a loop-mounted ext4 file)")
    try:
        yield mount
    finally:
        if not _run("umount", str(mount)):
            _run("umount", "-l", str(mount))


def test_a_full_disk_stops_a_save_with_a_sentence_and_loses_nothing_confirmed(small_disk: Path, tmp_path: Path) -> None:
    path = small_disk / "full.duckdb"
    store = open_store(str(path))
    _, sections = example_project()
    acknowledged: list[str] = []
    try:
        with pytest.raises(StoreError) as refused:
            for n in range(100_000):
                store.create_project(f"Save {n}", sections, change=f"save {n}")
                acknowledged.append(f"Save {n}")
    finally:
        # Closing may not manage a checkpoint on a full disk; what was committed is in the log.
        with contextlib.suppress(duckdb.Error):
            store.close()
    error = refused.value
    print(f"acknowledged={len(acknowledged)} before the disk was full")
    assert isinstance(error, StorageFull), f"{type(error).__name__}: {error}"
    message = str(error)
    for part in ("disk that holds the database is full", "Every save confirmed before", "NOT saved", "in the form"):
        assert part in message, message
    assert "Free some disk space" in message and "GREENLIGHT_DB" in message
    # One error, not two: the clean-up after the failed commit did not raise "cannot rollback".
    assert "cannot rollback" not in "".join(traceback.format_exception(error)).lower()
    assert len(acknowledged) > 10
    # Every acknowledged save is stored (read from a copy on a disk with room to replay the log).
    copy = tmp_path / "copy"
    copy.mkdir()
    for file in small_disk.iterdir():
        shutil.copy2(file, copy / file.name)
    reopened = open_store(str(copy / path.name))
    try:
        stored = {p.name for p in reopened.list_projects()}
    finally:
        reopened.close()
    missing = set(acknowledged) - stored
    print(f"acknowledged={len(acknowledged)} stored={len(stored & set(acknowledged))} missing={len(missing)}")
    assert not missing


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (
            duckdb.TransactionException(
                'TransactionContext Error: Failed to commit: Could not write file "/d/g.duckdb.wal": '
                "No space left on device"
            ),
            StorageFull,
        ),
        (duckdb.IOException('IO Error: Could not write file "/d/g.duckdb": No space left on device'), StorageFull),
        (OSError(errno.ENOSPC, "No space left on device"), StorageFull),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), StorageFull),
        (
            duckdb.IOException('IO Error: Could not fsync file "/d/g.duckdb.wal": Input/output error'),
            StorageWriteFailed,
        ),
        (duckdb.IOException("IO Error: Cannot open file: Read-only file system"), StorageWriteFailed),
        (OSError(errno.EIO, "Input/output error"), StorageWriteFailed),
        (duckdb.TransactionException("TransactionContext Error: Catalog write-write conflict on alter"), None),
        (duckdb.ConstraintException("Constraint Error: Duplicate key"), None),
        (ValueError("A project name must be text."), None),
        (StoreError("already explained"), None),
    ],
)
def test_explain_write_failure_recognises_storage_faults_only(error: BaseException, kind: type | None) -> None:
    explained = st_.explain_write_failure(error)
    if kind is None:
        assert explained is None
    else:
        assert type(explained) is kind
        assert explained is not None
        assert "NOT saved" in str(explained) and "Every save confirmed before" in str(explained)


# ----------------------------------------------------------------------------------------------- busy


def test_saves_that_keep_conflicting_end_in_store_busy_with_nothing_written(
    store: st_.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(st_, "_WRITE_BUDGET_S", 0.2)
    attempts = []

    def always_conflicts(cur: st_.Cursor) -> None:
        attempts.append(1)
        cur.execute("INSERT INTO meta VALUES ('written by a failed save', 'x')")
        raise duckdb.TransactionException("TransactionContext Error: Conflict on tuple deletion!")

    with pytest.raises(StoreBusy) as refused:
        store._write(always_conflicts)
    assert str(refused.value) == (
        "The database is busy with other saves; nothing was saved and your input is kept: press Save again."
    )
    assert len(attempts) > 1  # it did retry
    assert store.get_meta("written by a failed save") is None
