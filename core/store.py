"""The one door to the data: connect, migrate, seed catalogues, save projects, on DuckDB or PostgreSQL.

Targets: a DuckDB file (the default), ``:memory:``, MotherDuck (``md:``), or a PostgreSQL server
(``postgresql://...``, through ``core.store_postgres``; several app processes may share one). Every statement
here is written in SQL both DuckDB and PostgreSQL accept; ``core.store_postgres`` translates placeholders.

Design:
- One connection per process; every operation takes its own cursor, because a
  DuckDB connection must not be shared between threads while cursors may be.
- Schema changes are ordered SQL files in ``data/migrations``; they are applied
  in one transaction at start-up and recorded in ``schema_migrations``. A
  database whose schema is newer than this code is refused, never modified.
- Catalogues are reloaded from their seed CSVs whenever a seed's hash changes;
  user rows live in their own tables, which a reload never touches.
- Writes run in a transaction and are retried on optimistic-concurrency conflicts
  (DuckDB's, or PostgreSQL's serialization failures at REPEATABLE READ), so
  simultaneous saves in a meeting never lose one another, in one process or many.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import re
import threading
import time
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import duckdb

from core import projects as pj
from core import store_postgres as pg
from core.text import shorten

ROOT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT_DIR / "data"
MIGRATIONS_DIR = DATA_DIR / "migrations"
DEFAULT_DATABASE = str(ROOT_DIR / "greenlight.duckdb")

# Catalogue name -> seed file in data/. The table is named catalogue_<name>.
CATALOGUE_SEEDS: dict[str, str] = {
    "accelerators": "accelerators.csv",
    "architectures": "architectures.csv",
    "references": "references.csv",
    "hosted_models": "hosted_models.csv",
}

# Runtime downloads are off: the app must work with no network.
OFFLINE_CONFIG = {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}

# How long a save keeps retrying against other processes' concurrent writes before it says "busy".
_WRITE_BUDGET_S = 20.0
# How long a save waits for an unreachable PostgreSQL server (a restart takes about a second) before it
# says so; nothing is written meanwhile.
UNREACHABLE_BUDGET_S = 3.0
T = TypeVar("T")

# What the store talks to: a DuckDB connection, or a pool of PostgreSQL connections shaped like one.
Connection = duckdb.DuckDBPyConnection | pg.PgConnection
Cursor = duckdb.DuckDBPyConnection | pg.PgCursor


class StoreError(RuntimeError):
    """A storage problem the user must act on (database in use, schema too new, ...)."""


class StoreBusy(StoreError):
    """Saves kept conflicting with other writers for longer than a person should wait; nothing was saved."""


class StorageFull(StoreError):
    """A save failed because the disk holding the database is full; nothing of that save was written."""


class StorageWriteFailed(StoreError):
    """A save failed because the database file could not be written (I/O error, read-only disk, ...)."""


class StoreUnavailable(StoreError):
    """The database server cannot be reached (stopped, restarting, network down); nothing was written."""


def _unreachable_message(target: str, detail: str, *, saving: bool, during_commit: bool = False) -> str:
    shown = redact_target(target)
    reason = shorten(redact_target(detail), 160)
    if during_commit:
        return (
            f"The connection to the database server {shown} broke while this save was being committed "
            f"({reason}), so Greenlight cannot tell whether it was stored. Your input is still in the form: "
            "reload the page to see whether your change is there, and save again if it is not."
        )
    if saving:
        return (
            f"The database server {shown} cannot be reached ({reason}). Nothing was saved and your input is "
            "still in the form. Greenlight reconnects by itself: press Save again once the server is back."
        )
    return (
        f"The database server {shown} cannot be reached ({reason}), so this page cannot be shown right now. "
        "Nothing was lost; Greenlight reconnects by itself: reload the page once the server is back."
    )


_STORAGE_FULL_MESSAGE = (
    "The disk that holds the database is full, so this change could not be written. Every save confirmed "
    "before it is stored, but this change was NOT saved: it is still in the form. Free some disk space (or move "
    "the database to a disk with room and point GREENLIGHT_DB at it), then press Save again."
)
_NO_SPACE = ("no space left on device", "disk is full", "disk full", "out of disk space", "disk quota exceeded")
_WRITE_IO = ("could not write", "could not fsync", "could not truncate", "read-only file system", "i/o error")


def explain_write_failure(error: BaseException) -> StoreError | None:
    """A StoreError that says what a failed write means for the user, or None when it is not one we know.

    Recognises a full disk (``StorageFull``) and other failures to write the file (``StorageWriteFailed``),
    whether DuckDB reports them while running a statement or when committing (``TransactionException:
    Failed to commit: Could not write file ...: No space left on device``).
    """
    if isinstance(error, StoreError):
        return None
    if isinstance(error, pg.DiskFull):
        return StorageFull(_STORAGE_FULL_MESSAGE)
    text = str(error).lower()
    code = getattr(error, "errno", None)
    if code in (errno.ENOSPC, errno.EDQUOT) or any(marker in text for marker in _NO_SPACE):
        return StorageFull(_STORAGE_FULL_MESSAGE)
    if (
        code in (errno.EIO, errno.EROFS)
        or isinstance(error, duckdb.IOException)
        or (isinstance(error, duckdb.Error) and any(marker in text for marker in _WRITE_IO))
    ):
        detail = shorten(redact_target(str(error)), 200)
        return StorageWriteFailed(
            f"The database file could not be written ({detail}). Every save confirmed before this one is "
            "stored, but this change was NOT saved: it is still in the form. Check that the disk is "
            "available and writable (or move the database and point GREENLIGHT_DB at it), then press Save again."
        )
    return None


# Secrets a database target may carry: "md:db?motherduck_token=...", "...?password=..." or libpq's
# "host=h password=...", and "scheme://user:password@host/db". The value ends at a separator or a quote
# (DuckDB's messages quote the target). A JSON web token (MotherDuck's tokens are) is hidden wherever it is.
_SECRET_KEY = r"[\w.-]*(?:token|password|passwd|pwd|secret|api_?key|access_?key|credential)[\w.-]*"
_SECRET_PARAMETER = re.compile(rf"(?i)(\b{_SECRET_KEY}\s*=\s*)('[^']*'|\"[^\"]*\"|[^&;\s\"'()\[\]]*)")
_URL_PASSWORD = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^:/?#@\s\"']*):[^/?#\s\"']*@")
_JSON_WEB_TOKEN = re.compile(r"\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]{4,}")
REDACTED = "***"


def redact_target(target: str, *, secrets: Iterable[str | None] = ()) -> str:
    """``target`` (or any message quoting it) with every secret replaced by ``***``.

    ``secrets`` are values known to be secret (a token given on its own) that are hidden wherever they appear.

    >>> redact_target("md:greenlight?motherduck_token=abc.def&saas_mode=true")
    'md:greenlight?motherduck_token=***&saas_mode=true'
    >>> redact_target("postgresql://ann:s3cret@db.example/greenlight")
    'postgresql://ann:***@db.example/greenlight'
    >>> redact_target("host=db password='a b' dbname=g")
    'host=db password=*** dbname=g'
    """
    text = target
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    text = _SECRET_PARAMETER.sub(lambda match: match.group(1) + REDACTED, text)
    text = _URL_PASSWORD.sub(lambda match: f"{match.group(1)}:{REDACTED}@", text)
    return _JSON_WEB_TOKEN.sub(REDACTED, text)


def _explained(error: Exception) -> StoreError:
    """What a failed write means for the user; a failure we do not recognise still gets a sentence, not a
    traceback (its first 200 characters, secrets hidden)."""
    return explain_write_failure(error) or StoreError(
        f"The database refused this save ({type(error).__name__}: {shorten(redact_target(str(error)), 200)}). "
        "Nothing was saved and your input is still in the form; press Save again. If it keeps failing, export "
        "your projects (Projects page) and check the database."
    )


@dataclass(frozen=True)
class DataLocation:
    kind: str  # "file" | "memory" | "motherduck" | "postgresql"
    description: str
    ephemeral: bool


def resolve_target(environ: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> str:
    """Where the data lives: ``GREENLIGHT_DB``, else ``[storage] database`` in secrets, else a local file."""
    if environ.get("GREENLIGHT_DB"):
        return environ["GREENLIGHT_DB"]
    storage = (secrets or {}).get("storage") or {}
    if isinstance(storage, Mapping) and storage.get("database"):
        return str(storage["database"])
    return DEFAULT_DATABASE


def _postgres_name(url: str) -> str:
    """'greenlight on db.example:5432' from a PostgreSQL URL, never its user or password.

    >>> _postgres_name("postgresql://ann:s3cret@db.example:5433/team?sslmode=require")
    'team on db.example:5433'
    """
    rest = url.split("://", 1)[1].split("?", 1)[0]
    host, _, database = rest.rpartition("@")[2].partition("/")
    return redact_target(f"{database or '(default)'} on {host or 'localhost'}")


def describe_target(target: str, *, cloud: bool = False) -> DataLocation:
    """Say where data lives and whether it survives a restart (on Community Cloud local files do not).

    The description is shown in the sidebar, so it never carries a secret from the target.
    """
    if target == ":memory:" or target.startswith(":memory:"):
        return DataLocation("memory", "in memory: everything is lost when the app stops", True)
    if target.startswith("md:"):
        # The query string holds options and perhaps a token; the database's name is all a reader needs.
        name = redact_target(target[3:].split("?", 1)[0])
        return DataLocation("motherduck", f"MotherDuck database {name or '(default)'}", False)
    if pg.is_postgres_target(target):
        return DataLocation("postgresql", f"PostgreSQL database {_postgres_name(target)}", False)
    if cloud:
        name = redact_target(Path(target).name)
        return DataLocation("file", f"local file {name}: lost when the cloud app restarts", True)
    return DataLocation("file", f"local file {redact_target(target)}", False)


_SQLITE_HEADER = b"SQLite format 3\x00"
_DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file


def _not_duckdb_message(shown: str, kind: str) -> str:
    return (
        f"The file {shown} is {kind}, not a DuckDB database, so Greenlight cannot use it. It was left untouched: "
        "point GREENLIGHT_DB at a Greenlight database, or at a new file name and Greenlight creates one there."
    )


def _file_format_problem(target: str) -> str | None:
    """A sentence when ``target`` is an existing local file that is not a DuckDB database, else None.

    Checked before DuckDB opens the file: DuckDB would try to load its SQLite extension for a SQLite file
    (a misleading "INSTALL sqlite" message), and nothing is ever written to a file that is not ours.
    """
    if target.startswith((":memory:", "md:")) or "://" in target:
        return None
    path = Path(target)
    try:
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError:
        return None  # DuckDB reports what is wrong when it tries to open it
    shown = redact_target(target)
    if header.startswith(_SQLITE_HEADER):
        return _not_duckdb_message(shown, "a SQLite database")
    if not header:
        return _not_duckdb_message(shown, "empty")
    if header[8:12] != _DUCKDB_MAGIC:
        return _not_duckdb_message(shown, "another kind of file")
    return None


def connect(target: str = ":memory:", *, motherduck_token: str | None = None) -> Connection:
    """Open the database ``target`` names: a PostgreSQL server for ``postgresql://...``, else DuckDB."""
    if pg.is_postgres_target(target):
        return connect_postgres(target)
    return connect_duckdb(target, motherduck_token=motherduck_token)


def connect_postgres(url: str) -> pg.PgConnection:
    """A pool of connections to the PostgreSQL database ``url``; every message hides its password."""
    try:
        return pg.connect(url)
    except pg.DatabaseFailure as error:
        detail = shorten(redact_target(str(error)), 300)
        raise StoreError(
            f"Could not connect to the PostgreSQL database {redact_target(url)}: {detail} Check that the server "
            "is running and reachable, and the user, password and database name in GREENLIGHT_DB (or "
            "[storage] database in secrets)."
        ) from None


def packaged_extension(name: str) -> Path | None:
    """The DuckDB extension ``name`` as shipped in its PyPI package ``duckdb-extension-<name>`` for the
    running DuckDB version, or None when that package is not installed."""
    try:
        import importlib.util

        spec = importlib.util.find_spec(f"duckdb_extension_{name}")
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    return path if path.is_file() else None


def install_packaged_motherduck() -> None:
    """Install the MotherDuck extension from its PyPI package into DuckDB's extension folder (a local
    copy), so connecting to ``md:`` loads it from disk instead of downloading it."""
    path = packaged_extension("motherduck")
    if path is None:
        raise StoreError(
            "The MotherDuck extension package is missing (duckdb-extension-motherduck, pinned in "
            "requirements.txt for the pinned DuckDB version): run `make install`, then start Greenlight again."
        )
    scratch = duckdb.connect(":memory:", config=dict(OFFLINE_CONFIG))
    try:
        scratch.execute(f"INSTALL '{path}'")
    except duckdb.Error as error:
        raise StoreError(f"Could not install the packaged MotherDuck extension: {shorten(str(error), 200)}") from None
    finally:
        scratch.close()


def connect_duckdb(target: str = ":memory:", *, motherduck_token: str | None = None) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB database with extension downloads disabled, for MotherDuck too.

    Every message names the target with its secrets hidden (``redact_target``), and never chains DuckDB's
    own error when that quoted a secret.
    """
    problem = _file_format_problem(target)
    if problem:
        raise StoreError(problem)
    config: dict[str, str | bool | int | float | list[str]] = dict(OFFLINE_CONFIG)
    if target.startswith("md:"):
        # The motherduck extension comes from its PyPI package (installed from disk just before), so
        # DuckDB may load it but still never downloads anything.
        install_packaged_motherduck()
        config["autoload_known_extensions"] = "true"
        if motherduck_token:
            config["motherduck_token"] = motherduck_token
    try:
        return duckdb.connect(target, config=config)
    except duckdb.Error as error:
        raw = str(error)
        detail = redact_target(raw, secrets=[motherduck_token])
        cause = error if detail == raw else None
        shown = redact_target(target, secrets=[motherduck_token])
        if isinstance(error, duckdb.IOException) and "lock" in raw.lower():
            raise StoreError(
                f"The database {shown} is in use by another Greenlight process. Close the other app, "
                "or point GREENLIGHT_DB at a different file."
            ) from cause
        if "not a valid duckdb database" in raw.lower():
            raise StoreError(_not_duckdb_message(shown, "another kind of file")) from cause
        if target.startswith("md:"):
            raise StoreError(
                f"Could not connect to the MotherDuck database {shown}: {shorten(detail, 300)} Check the network "
                "and the MotherDuck token ([storage] motherduck_token in secrets)."
            ) from cause
        raise StoreError(f"Could not open the database {shown}: {shorten(detail, 400)}") from cause


def migrations(directory: Path = MIGRATIONS_DIR) -> list[tuple[int, str, str]]:
    """Ordered (version, name, sql) from files named ``NNN_name.sql``."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        number, _, name = path.stem.partition("_")
        found.append((int(number), name, path.read_text(encoding="utf-8")))
    versions = [version for version, _, _ in found]
    if versions != list(range(1, len(found) + 1)):
        raise StoreError(f"Migrations must be numbered 1..n without gaps; found {versions}.")
    return found


def _schema(con: Connection | Cursor) -> str:
    return "public" if isinstance(con, pg.PgConnection | pg.PgCursor) else "main"


def schema_version(con: Connection | Cursor) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations' AND table_schema = ?",
        [_schema(con)],
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row else 0


_MIGRATIONS_COLUMNS = {"version": "INTEGER", "name": "VARCHAR", "applied_at": "TIMESTAMP"}
# The same columns as PostgreSQL's information_schema names their types.
_MIGRATIONS_COLUMNS_POSTGRES = {
    "version": "INTEGER",
    "name": "CHARACTER VARYING",
    "applied_at": "TIMESTAMP WITHOUT TIME ZONE",
}


def _database_path(con: Connection) -> str:
    if isinstance(con, pg.PgConnection):
        return redact_target(con.url)
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return redact_target(str(row[0])) if row and row[0] else "this database"


def _foreign_message(con: Connection, tables: list[str]) -> str:
    shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
    return (
        f"The database {_database_path(con)} belongs to another application: it has tables Greenlight did not "
        f"create ({shown}). It was left untouched: point GREENLIGHT_DB at another file (a new file name "
        "makes Greenlight create a database there)."
    )


def _foreign_tables(con: Connection) -> list[str]:
    """Tables showing that the database is not Greenlight's: any table where Greenlight has never migrated,
    or a ``schema_migrations`` table of a different shape (another tool's migrations)."""
    schema = _schema(con)
    tables = {
        str(name): str(kind)
        for name, kind in con.execute(
            "SELECT table_name, table_type FROM information_schema.tables "
            "WHERE table_catalog = current_database() AND table_schema = ?",
            [schema],
        ).fetchall()
    }
    if "schema_migrations" not in tables:
        return sorted(tables)
    columns = {
        str(name): str(kind).upper()
        for name, kind in con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = current_database() "
            "AND table_schema = ? AND table_name = 'schema_migrations'",
            [schema],
        ).fetchall()
    }
    expected = _MIGRATIONS_COLUMNS_POSTGRES if schema == "public" else _MIGRATIONS_COLUMNS
    return [] if columns == expected else ["schema_migrations"]


# Key of the PostgreSQL advisory lock held while migrating or seeding: app processes starting together
# take turns, and the second finds the work done (DuckDB allows one process per file, so needs none).
_SCHEMA_LOCK = 7_311_017


def _lock_schema(con: Connection) -> None:
    if isinstance(con, pg.PgConnection):
        con.execute("SELECT pg_advisory_xact_lock(?)", [_SCHEMA_LOCK])


def migrate(con: Connection, *, upto: int | None = None) -> int:
    """Bring the schema up to date in one transaction; return the new version.

    A database that is not Greenlight's (its own tables, no Greenlight migrations) or whose schema is newer
    than this code is refused before anything is written.
    """
    known = migrations()
    target = len(known) if upto is None else upto
    foreign = _foreign_tables(con)
    if foreign:
        raise StoreError(_foreign_message(con, foreign))
    current = schema_version(con)
    if current > len(known):
        raise StoreError(
            f"This database was written by a newer Greenlight (schema {current}; this version knows up to "
            f"{len(known)}). It was left untouched: update Greenlight, or use another database file."
        )
    if current >= target:
        return current
    con.execute("BEGIN TRANSACTION")
    try:
        _lock_schema(con)
        current = schema_version(con)  # another process may have migrated while this one waited
        if current >= target:
            con.execute("COMMIT")
            return current
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
        )
        for version, name, sql in known[current:target]:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, name, _now()])
        con.execute("COMMIT")
    except (duckdb.Error, pg.DatabaseFailure) as error:
        _rollback_quietly(con)
        if isinstance(error, duckdb.CatalogException | pg.DatabaseFailure) and "already exists" in str(error):
            raise StoreError(_foreign_message(con, [_quoted_name(str(error))])) from error
        raise StoreError(
            f"Could not prepare the database {_database_path(con)} for this version of Greenlight: "
            f"{shorten(redact_target(str(error)), 300)}. The upgrade was rolled back; nothing was changed."
        ) from error
    except BaseException:
        _rollback_quietly(con)
        raise
    return target


def _quoted_name(message: str) -> str:
    """The name DuckDB quotes in 'Table with name "projects" already exists!'."""
    match = re.search(r'"([^"]{1,80})"', message)
    return match.group(1) if match else "a table named like one of Greenlight's"


def _rollback_quietly(con: Connection) -> None:
    """Roll back if a transaction is still open. A failed COMMIT has already ended it, and a second error
    ("cannot rollback - no transaction is active") would hide the first; so would a broken connection's."""
    try:
        con.execute("ROLLBACK")
    except duckdb.TransactionException as error:
        if "no transaction is active" not in str(error).lower():
            raise
    except pg.DatabaseFailure:
        pass


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_READ_SEED = "SELECT * FROM read_csv(?, header = true, auto_detect = true, sample_size = -1)"


def seed_catalogue(con: Connection, name: str, data_dir: Path = DATA_DIR) -> None:
    """(Re)load one catalogue table from its seed CSV.

    DuckDB's CSV reader decides the column types on both targets; for PostgreSQL the rows it read are
    copied into a table of the same types, so a page gets the same values from either.
    """
    path = data_dir / CATALOGUE_SEEDS[name]
    if isinstance(con, pg.PgConnection):
        scratch = duckdb.connect(":memory:", config=dict(OFFLINE_CONFIG))
        try:
            relation = scratch.execute(_READ_SEED, [str(path)])
            columns = [(str(d[0]), str(d[1])) for d in relation.description or []]
            rows = relation.fetchall()
        finally:
            scratch.close()
        table = f"catalogue_{name}"
        con.execute(f'DROP TABLE IF EXISTS "{table}"')
        definition = ", ".join(f'"{column}" {pg.postgres_type(kind)}' for column, kind in columns)
        con.execute(f'CREATE TABLE "{table}" ({definition})')
        con.copy_rows(table, [column for column, _ in columns], rows)
        return
    con.execute(
        f"CREATE OR REPLACE TABLE catalogue_{name} AS "
        "SELECT * FROM read_csv(?, header = true, auto_detect = true, sample_size = -1)",
        [str(path)],
    )


def seed_catalogues(con: Connection, data_dir: Path = DATA_DIR) -> list[str]:
    """Reload every catalogue whose seed file changed since it was last loaded; return their names."""
    reloaded = []
    for name, filename in CATALOGUE_SEEDS.items():
        path = data_dir / filename
        if not path.exists():
            continue
        digest = _file_sha256(path)
        row = con.execute("SELECT sha256 FROM catalogue_seeds WHERE name = ?", [name]).fetchone()
        if row and row[0] == digest:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            _lock_schema(con)
            row = con.execute("SELECT sha256 FROM catalogue_seeds WHERE name = ?", [name]).fetchone()
            if row and row[0] == digest:  # another process loaded it while this one waited
                con.execute("COMMIT")
                continue
            seed_catalogue(con, name, data_dir)
            con.execute(
                "INSERT INTO catalogue_seeds VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET sha256 = excluded.sha256, loaded_at = excluded.loaded_at",
                [name, digest, _now()],
            )
            con.execute("COMMIT")
        except BaseException:
            _rollback_quietly(con)
            raise
        reloaded.append(name)
    return reloaded


def _rows(cur: Cursor) -> list[dict[str, Any]]:
    columns = [d[0] for d in cur.description or []]
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def read_catalogue(name: str, con: Cursor | None = None) -> list[dict[str, Any]]:
    """Seed rows of a catalogue as dicts (column -> value, NULL -> None).

    Without a connection, reads the seed file through a throw-away in-memory
    database, which is what tests and the command line use.
    """
    if name not in CATALOGUE_SEEDS:
        raise ValueError(f"Unknown catalogue {name!r}; choose one of {', '.join(CATALOGUE_SEEDS)}.")
    if con is not None:
        return _rows(con.execute(f"SELECT * FROM catalogue_{name}"))
    scratch = connect_duckdb(":memory:")
    try:
        seed_catalogue(scratch, name)
        return _rows(scratch.execute(f"SELECT * FROM catalogue_{name}"))
    finally:
        scratch.close()


def _is_conflict(error: Exception) -> bool:
    text = str(error).lower()
    return isinstance(error, duckdb.TransactionException) or "conflict" in text or "constraint" in text


def _rollback(cur: Cursor) -> None:
    """Roll back if a transaction is still open; a failed statement may already have ended it."""
    with suppress(duckdb.Error, pg.DatabaseFailure):
        cur.execute("ROLLBACK")


# Upserts are written as ON CONFLICT, which DuckDB and PostgreSQL both accept (INSERT OR REPLACE is DuckDB's).
_PUT_META = "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"


def _content_hash(payload: str) -> str:
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


class Store:
    """Projects and catalogues in one database (DuckDB or PostgreSQL). Safe to share between threads.

    Every write reads what it changes inside its own transaction (``edit_sections``), so two people saving
    at once both keep their work: items they add to a section merge, and a save that would replace a
    section someone else changed after it was opened is refused (``EditConflict``) instead of winning.
    """

    def __init__(self, con: Connection, target: str) -> None:
        self._con = con
        self.target = target
        # Catalogue rows by (name, version): reading 2,000+ rows on every script rerun was the largest
        # part of a page's rerun time; the version query below is cheap and sees other processes' writes.
        self._catalogue_cache: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        # Writers in this process take turns: DuckDB's optimistic concurrency would otherwise make them
        # retry against each other (40 threads exhausted 60 retries). Writes take milliseconds, so waiting
        # is cheaper than conflicting; other processes (MotherDuck) are still handled by the retries.
        self._write_lock = threading.Lock()

    # -- plumbing -----------------------------------------------------------------
    @contextmanager
    def _cursor(self) -> Iterator[Cursor]:
        """A cursor of its own; a PostgreSQL server that cannot be reached is a StoreUnavailable sentence."""
        try:
            cur = self._con.cursor()
        except pg.ServerUnreachable as error:
            raise StoreUnavailable(_unreachable_message(self.target, str(error), saving=False)) from None
        try:
            yield cur
        except pg.ServerUnreachable as error:
            raise StoreUnavailable(_unreachable_message(self.target, str(error), saving=False)) from None
        finally:
            cur.close()

    def _write(self, work: Callable[[Cursor], T]) -> T:
        """Run ``work`` in a transaction, retrying on concurrent-write conflicts for up to ``_WRITE_BUDGET_S``.

        ``work`` must read what it changes through the cursor it is given: a retry runs it again on the
        data as it is then.
        """
        deadline = time.monotonic() + _WRITE_BUDGET_S
        unreachable_since: float | None = None
        attempt = 0
        with self._write_lock:
            while True:
                attempt += 1
                try:
                    cursor = self._con.cursor()
                except pg.ServerUnreachable as error:
                    unreachable_since = self._wait_for_server(error, unreachable_since)
                    continue
                with closing(cursor) as cur:
                    try:
                        cur.execute("BEGIN TRANSACTION")
                        result = work(cur)
                        cur.execute("COMMIT")
                        return result
                    except pg.ServerUnreachable as error:
                        _rollback(cur)
                        if error.during_commit:  # it may have been stored: a retry could store it twice
                            raise StoreUnavailable(
                                _unreachable_message(self.target, str(error), saving=True, during_commit=True)
                            ) from None
                        unreachable_since = self._wait_for_server(error, unreachable_since)
                        continue
                    except (pg.WriteConflict, pg.DiskFull) as error:
                        _rollback(cur)
                        if isinstance(error, pg.DiskFull):
                            raise StorageFull(_STORAGE_FULL_MESSAGE) from None
                        if time.monotonic() > deadline:
                            raise StoreBusy(
                                "The database is busy with other saves; nothing was saved and your input is "
                                "kept: press Save again."
                            ) from None
                    except pg.DatabaseFailure as error:
                        _rollback(cur)
                        raise _explained(error) from None
                    except (duckdb.TransactionException, duckdb.ConstraintException) as error:
                        _rollback(cur)
                        storage = explain_write_failure(error)  # a full disk fails the commit: not a conflict
                        if storage is not None:
                            raise storage from error
                        if not _is_conflict(error):
                            raise _explained(error) from error
                        if time.monotonic() > deadline:
                            raise StoreBusy(
                                "The database is busy with other saves; nothing was saved and your input is "
                                "kept: press Save again."
                            ) from error
                    except (ValueError, StoreError):
                        _rollback(cur)
                        raise
                    except duckdb.Error as error:
                        _rollback(cur)
                        raise _explained(error) from error
                time.sleep(random.uniform(0.001, 0.005) * min(attempt, 20))

    def _wait_for_server(self, error: pg.ServerUnreachable, since: float | None) -> float:
        """Wait a little for an unreachable server to come back (a restart); past ``UNREACHABLE_BUDGET_S``
        say so. Nothing was written: the transaction never reached COMMIT."""
        now = time.monotonic()
        since = now if since is None else since
        if now - since > UNREACHABLE_BUDGET_S:
            raise StoreUnavailable(_unreachable_message(self.target, str(error), saving=True)) from None
        time.sleep(0.25)
        return since

    def close(self) -> None:
        self._con.close()

    # -- projects -------------------------------------------------------------------
    def list_projects(self) -> list[pj.ProjectSummary]:
        with self._cursor() as cur:
            rows = cur.execute(
                "SELECT id, name, created_at, updated_at, version FROM projects ORDER BY updated_at DESC, id"
            ).fetchall()
        return [pj.ProjectSummary(*row) for row in rows]

    def project_exists(self, project_id: str) -> bool:
        with self._cursor() as cur:
            row = cur.execute("SELECT count(*) FROM projects WHERE id = ?", [project_id]).fetchone()
        return bool(row and row[0])

    def get_project(self, project_id: str) -> pj.Project | None:
        with self._cursor() as cur:
            return self._get_project(cur, project_id)

    @staticmethod
    def _get_project(cur: Cursor, project_id: str) -> pj.Project | None:
        row = cur.execute(
            "SELECT id, name, version, created_at, updated_at FROM projects WHERE id = ?", [project_id]
        ).fetchone()
        if row is None:
            return None
        sections: dict[str, dict[str, Any]] = {}
        versions: dict[str, int] = {}
        for section, document, version in cur.execute(
            "SELECT section, document, version FROM project_sections WHERE project_id = ? ORDER BY section",
            [project_id],
        ).fetchall():
            sections[section] = json.loads(document)
            versions[section] = int(version or 0)
        return pj.Project(row[0], row[1], row[2], row[3], row[4], sections, versions)

    def _require_project(self, cur: Cursor, project_id: str) -> pj.Project:
        project = self._get_project(cur, project_id)
        if project is None:
            raise ValueError("That project no longer exists; it may have been deleted by someone else.")
        return project

    def _snapshot(
        self,
        cur: Cursor,
        project_id: str,
        name: str,
        sections: Mapping[str, Mapping[str, Any]],
        version: int,
        change: str,
        author: str | None,
    ) -> None:
        """Record ``version`` of the project: its name, author, change note and a hash per section document.

        Each distinct section document is stored once per project (compressed), so a save that changes one
        section adds that section's document only, not a copy of the whole project.
        """
        payloads = {section: json.dumps(document, sort_keys=True) for section, document in sections.items()}
        hashes = {section: _content_hash(payload) for section, payload in payloads.items()}
        known = (
            {
                h
                for (h,) in cur.execute(
                    "SELECT hash FROM section_documents WHERE project_id = ? AND hash = ANY(?)",
                    [project_id, list(hashes.values())],
                ).fetchall()
            }
            if hashes
            else set()
        )
        for section, digest in hashes.items():
            if digest not in known:
                body = zlib.compress(payloads[section].encode("utf-8"), 6)
                cur.execute("INSERT INTO section_documents VALUES (?, ?, ?)", [project_id, digest, body])
                known.add(digest)
        cur.execute(
            "INSERT INTO project_versions (project_id, version, saved_at, change, document, author, name, sections) "
            "VALUES (?, ?, ?, ?, NULL, ?, ?, ?)",
            [project_id, version, _now(), change[:300], author, name, json.dumps(hashes, sort_keys=True)],
        )

    def _put_sections(
        self,
        cur: Cursor,
        project: pj.Project,
        changes: Mapping[str, dict[str, Any] | None],
        change: str,
        author: str | None,
        *,
        name: str | None = None,
    ) -> int:
        """Write changed sections (None deletes one) and the project's next version; return that version."""
        version = project.version + 1
        now = _now()
        sections = dict(project.sections)
        for section, document in changes.items():
            cur.execute("DELETE FROM project_sections WHERE project_id = ? AND section = ?", [project.id, section])
            if document is None:
                sections.pop(section, None)
                continue
            sections[section] = document
            cur.execute(
                "INSERT INTO project_sections (project_id, section, document, updated_at, version) "
                "VALUES (?, ?, ?, ?, ?)",
                [project.id, section, json.dumps(document, sort_keys=True), now, version],
            )
        new_name = project.name if name is None else name
        cur.execute(
            "UPDATE projects SET version = ?, updated_at = ?, name = ? WHERE id = ?",
            [version, now, new_name, project.id],
        )
        self._snapshot(cur, project.id, new_name, sections, version, change, author)
        return version

    def _last_change(self, cur: Cursor, project_id: str, version: int) -> str:
        """'Ann saved "worthiness: weights" at 2026-12-02 10:32 UTC (version 14)'."""
        row = cur.execute(
            "SELECT saved_at, change, author FROM project_versions WHERE project_id = ? AND version = ?",
            [project_id, version],
        ).fetchone()
        if row is None:
            return f"someone saved version {version}"
        saved_at, change, author = row
        who = author or "someone in another browser"
        return f"{who} saved {change!r} at {_when(saved_at)} (version {version})"

    def edit_sections(
        self,
        project_id: str,
        edit: Callable[[pj.Project], Mapping[str, dict[str, Any] | None]],
        change: str,
        *,
        author: str | None = None,
    ) -> int:
        """Change sections from what is stored now, atomically; return the new version.

        ``edit`` gets the project as stored inside the write transaction and returns the section documents
        to write (None deletes a section). It must be pure: a retry calls it again on fresher data. It may
        raise ``EditConflict`` (what it was about to change was changed meanwhile), which is completed here
        with who saved what; nothing is written then.
        """

        def work(cur: Cursor) -> int:
            project = self._require_project(cur, project_id)
            try:
                changes = edit(project)
            except pj.EditConflict as conflict:
                raise self._completed(cur, project, conflict) from None
            if not changes:  # nothing to change (e.g. deleting what someone else deleted already)
                return project.version
            checked = {
                section: None if document is None else pj.validate_section(section, document)
                for section, document in changes.items()
            }
            return self._put_sections(cur, project, checked, change, author)

        return self._write(work)

    def _completed(self, cur: Cursor, project: pj.Project, conflict: pj.EditConflict) -> Exception:
        version = project.section_versions.get(conflict.section, project.version) if conflict.section else None
        who = self._last_change(cur, project.id, version or project.version)
        return pj.EditConflict(
            f"{conflict} Meanwhile {who}. Nothing of yours was lost: your input is still in the form. "
            "Reload the page to see their change, then apply yours again.",
            section=conflict.section,
        )

    def save_section(
        self,
        project_id: str,
        section: str,
        document: dict[str, Any],
        change: str,
        *,
        based_on: int | None = None,
        author: str | None = None,
    ) -> int:
        """Validate and save one whole section; every save becomes a new version. Returns the version.

        ``based_on`` is the section's version when the user opened it (``Project.section_versions``); if the
        section was saved since, the save is refused with ``EditConflict`` rather than replacing that work.
        """
        pj.validate_section(section, document)

        def edit(project: pj.Project) -> dict[str, dict[str, Any] | None]:
            if based_on is not None and project.section_versions.get(section, 0) > based_on:
                raise pj.EditConflict("Your change was not saved: this part of the project changed.", section=section)
            return {section: document}

        return self.edit_sections(project_id, edit, change, author=author)

    def _name_taken(self, cur: Cursor, name: str, except_id: str | None) -> bool:
        """Whether another project has a name that reads the same (case, spacing and invisible marks aside)."""
        # Every name-changing write touches this row too, so two of them in different processes conflict
        # and retry instead of both passing the check below.
        cur.execute(_PUT_META, ["project_names_changed", _now().isoformat()])
        wanted = pj.name_key(name)
        rows = cur.execute("SELECT id, name FROM projects").fetchall()
        return any(pj.name_key(other) == wanted for other_id, other in rows if other_id != except_id)

    def _free_name(self, cur: Cursor, name: str) -> str:
        """``name``, or ``name (2)``, ``name (3)`` ... whichever no other project uses."""
        candidate, n = name, 1
        while self._name_taken(cur, candidate, None):
            n += 1
            suffix = f" ({n})"
            candidate = name[: pj.MAX_NAME_CHARS - len(suffix)] + suffix
        return candidate

    def _refuse_taken_name(self, cur: Cursor, name: str, except_id: str | None) -> None:
        if self._name_taken(cur, name, except_id):
            raise ValueError(
                f"A project named {shorten(name, 60)!r} already exists; choose another name (for example add "
                "the team or the year)."
            )

    def create_project(
        self,
        name: str,
        sections: Mapping[str, dict[str, Any]] | None = None,
        *,
        project_id: str | None = None,
        change: str = "created",
        author: str | None = None,
        rename_if_taken: bool = False,
    ) -> str:
        """Create a project (validated); return its id. Names are unique: a taken name is refused, or with
        ``rename_if_taken`` gets the first free ``(n)`` suffix."""
        pj.validate_project_name(name)
        checked = {section: pj.validate_section(section, doc) for section, doc in (sections or {}).items()}
        new_id = project_id or pj.new_project_id()

        def work(cur: Cursor) -> str:
            self._insert_project(cur, new_id, name, checked, change, author, rename_if_taken=rename_if_taken)
            return new_id

        return self._write(work)

    def _insert_project(
        self,
        cur: Cursor,
        project_id: str,
        name: str,
        sections: Mapping[str, dict[str, Any]],
        change: str,
        author: str | None = None,
        *,
        rename_if_taken: bool = False,
    ) -> str:
        """Insert a project at version 0, then write its sections as version 1; return the name used."""
        if rename_if_taken:
            name = self._free_name(cur, name)
        else:
            self._refuse_taken_name(cur, name, None)
        now = _now()
        cur.execute("INSERT INTO projects VALUES (?, ?, ?, ?, 0)", [project_id, name, now, now])
        empty = pj.Project(project_id, name, 0, now, now, {}, {})
        self._put_sections(cur, empty, dict(sections), change, author)
        return name

    def rename_project(
        self, project_id: str, name: str, *, based_on_name: str | None = None, author: str | None = None
    ) -> int:
        """Rename a project. ``based_on_name`` is the name the user saw: if someone renamed the project
        since, the rename is refused with a sentence saying so, instead of silently replacing theirs."""
        pj.validate_project_name(name)

        def work(cur: Cursor) -> int:
            project = self._require_project(cur, project_id)
            if based_on_name is not None and project.name != based_on_name:
                raise pj.EditConflict(
                    f"Not renamed: meanwhile {self._last_change(cur, project_id, project.version)} and the "
                    f"project is now called {shorten(project.name, 60)!r}. Rename it again if you still want "
                    f"{shorten(name, 60)!r}."
                )
            self._refuse_taken_name(cur, name, project_id)
            return self._put_sections(cur, project, {}, "renamed", author, name=name)

        return self._write(work)

    def delete_project(self, project_id: str) -> None:
        def work(cur: Cursor) -> None:
            for table, column in (
                ("project_sections", "project_id"),
                ("project_versions", "project_id"),
                ("section_documents", "project_id"),
                ("projects", "id"),
            ):
                cur.execute(f"DELETE FROM {table} WHERE {column} = ?", [project_id])

        self._write(work)

    def duplicate_project(self, project_id: str, name: str) -> str:
        """Copy a project's current sections under ``name`` (or ``name (2)`` ... when taken); return the new id."""
        new_id = pj.new_project_id()

        def work(cur: Cursor) -> str:
            project = self._require_project(cur, project_id)
            self._insert_project(
                cur, new_id, name, project.sections, f"duplicated from {project.id}", rename_if_taken=True
            )
            return new_id

        return self._write(work)

    def list_versions(self, project_id: str) -> list[tuple[int, datetime, str]]:
        with self._cursor() as cur:
            rows = cur.execute(
                "SELECT version, saved_at, change FROM project_versions WHERE project_id = ? ORDER BY version DESC",
                [project_id],
            ).fetchall()
        return [(int(v), t, c) for v, t, c in rows]

    def get_version(self, project_id: str, version: int) -> dict[str, Any] | None:
        """The whole project document as it was at ``version`` (None if there is no such version)."""
        with self._cursor() as cur:
            row = cur.execute(
                "SELECT document, name, sections FROM project_versions WHERE project_id = ? AND version = ?",
                [project_id, version],
            ).fetchone()
            if row is None:
                return None
            document, name, hashes_json = row
            if document is not None:  # written before section documents were stored once each
                return dict(json.loads(document))
            hashes: dict[str, str] = json.loads(hashes_json)
            bodies = dict(
                cur.execute(
                    "SELECT hash, body FROM section_documents WHERE project_id = ? AND hash = ANY(?)",
                    [project_id, list(hashes.values())],
                ).fetchall()
            )
        sections = {section: json.loads(zlib.decompress(bodies[digest])) for section, digest in hashes.items()}
        return pj.project_document(project_id, name, sections)

    def restore_version(self, project_id: str, version: int, sections: Collection[str] | None = None) -> int:
        """Make an earlier version current again, as a new version, so nothing is lost; returns that version.

        ``sections`` restores only those sections (one rater's scores, say) and leaves the others and the name as
        they are now; a listed section the earlier version lacks is removed. None restores everything.
        """
        document = self.get_version(project_id, version)
        if document is None:
            raise ValueError(f"Version {version} of this project does not exist.")
        restored: dict[str, dict[str, Any]] = document["sections"]
        chosen = None if sections is None else [pj.validate_section_name(section) for section in sections]
        if chosen is not None and not chosen:
            raise ValueError("Choose at least one section to restore.")

        def work(cur: Cursor) -> int:
            project = self._require_project(cur, project_id)
            if chosen is None:
                changes: dict[str, dict[str, Any] | None] = {section: None for section in project.sections}
                changes.update(restored)
                self._refuse_taken_name(cur, document["name"], project_id)
                return self._put_sections(
                    cur, project, changes, f"restored version {version}", None, name=document["name"]
                )
            changes = {section: restored.get(section) for section in chosen}
            titles = ", ".join(pj.section_title(section) for section in chosen)
            return self._put_sections(cur, project, changes, f"restored {titles} from version {version}", None)

        return self._write(work)

    def export_documents(self, project_ids: list[str] | None = None) -> list[dict[str, Any]]:
        ids = project_ids if project_ids is not None else [p.id for p in self.list_projects()]
        with self._cursor() as cur:
            found = [self._get_project(cur, project_id) for project_id in ids]
        return [project.document() for project in found if project is not None]

    def import_documents(self, documents: list[dict[str, Any]], *, replace_existing: bool = False) -> list[str]:
        """Import validated project documents, all or nothing; return the ids they are stored under.

        A document whose project is already here is imported as a copy (new id, and a name already in use
        gets the first free ``(n)`` suffix) or, with ``replace_existing``, replaces that project's content
        as a new version, so what it replaces stays in the history.
        """
        for document in documents:
            pj.validate_project_document(document)

        def work(cur: Cursor) -> list[str]:
            imported = []
            for document in documents:
                existing = self._get_project(cur, document["id"])
                if existing is not None and replace_existing:
                    changes: dict[str, dict[str, Any] | None] = dict.fromkeys(existing.sections)
                    changes.update(document["sections"])
                    self._refuse_taken_name(cur, document["name"], existing.id)
                    self._put_sections(cur, existing, changes, "replaced by an import", None, name=document["name"])
                    imported.append(existing.id)
                    continue
                project_id = pj.new_project_id() if existing is not None else document["id"]
                self._insert_project(
                    cur, project_id, document["name"], document["sections"], "imported", rename_if_taken=True
                )
                imported.append(project_id)
            return imported

        return self._write(work)

    def existing_ids(self, project_ids: list[str]) -> list[str]:
        """Those of ``project_ids`` that are projects in this database."""
        with self._cursor() as cur:
            rows = cur.execute("SELECT id FROM projects WHERE id = ANY(?)", [project_ids]).fetchall()
        found = {row[0] for row in rows}
        return [project_id for project_id in project_ids if project_id in found]

    # -- meta -------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._cursor() as cur:
            row = cur.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._write(lambda cur: cur.execute(_PUT_META, [key, value]))

    # -- drafts -------------------------------------------------------------------------
    # A page's unsaved inputs for a project, kept so that a reload or another device finds them again. Kept
    # in the meta table: a draft is no project version (saving one writes no history and bumps nothing).
    def draft(self, project_id: str, page: str) -> dict[str, Any] | None:
        """The page's draft for the project, or None (none kept, or unreadable: the page starts afresh)."""
        raw = self.get_meta(_draft_key(project_id, page))
        if raw is None:
            return None
        try:
            document = json.loads(raw)
        except ValueError:
            return None
        return document if isinstance(document, dict) else None

    def save_draft(self, project_id: str, page: str, document: Mapping[str, Any]) -> None:
        self.set_meta(_draft_key(project_id, page), json.dumps(document, sort_keys=True))

    # -- catalogues ---------------------------------------------------------------------
    _USER_TABLES: ClassVar[dict[str, tuple[str, str]]] = {
        "accelerators": ("user_accelerators", "updated_at"),
        "references": ("user_references", "created_at"),
        "hosted_models": ("user_hosted_models", "updated_at"),
    }

    def catalogue_version(self, name: str) -> str:
        """Changes whenever the catalogue's seed or its user rows change (any process, any write)."""
        with self._cursor() as cur:
            seed = cur.execute("SELECT sha256 FROM catalogue_seeds WHERE name = ?", [name]).fetchone()
            version = seed[0] if seed else "unseeded"
            if name in self._USER_TABLES:
                table, stamp = self._USER_TABLES[name]
                count, latest = cur.execute(f"SELECT count(*), max({stamp}) FROM {table}").fetchone() or (0, None)
                version += f":{count}:{latest}"
        return version

    def catalogue(self, name: str) -> list[dict[str, Any]]:
        """A catalogue with the user's rows applied (accelerators: overrides by key; references: added).

        Rows are cached per catalogue version; each call returns fresh dicts, so callers may change them.
        """
        version = self.catalogue_version(name)
        cached = self._catalogue_cache.get(name)
        if cached is None or cached[0] != version:
            cached = (version, self._read_catalogue(name))
            self._catalogue_cache[name] = cached
        return [dict(row) for row in cached[1]]

    def _read_catalogue(self, name: str) -> list[dict[str, Any]]:
        with self._cursor() as cur:
            seed = read_catalogue(name, cur)
            if name == "accelerators":
                user = {k: json.loads(r) for k, r in cur.execute("SELECT key, row FROM user_accelerators").fetchall()}
                merged = []
                for row in seed:
                    if row["key"] in user:
                        merged.append({**row, **user.pop(row["key"]), "origin": "edited"})
                    else:
                        merged.append({**row, "origin": "seed"})
                merged.extend({**row, "origin": "user"} for row in user.values())
                return merged
            if name == "hosted_models":
                edits = {k: json.loads(r) for k, r in cur.execute("SELECT key, row FROM user_hosted_models").fetchall()}
                return [
                    {**row, **edits[row["key"]], "origin": "edited"}
                    if row["key"] in edits
                    else {**row, "origin": "seed"}
                    for row in seed
                ]
            if name == "references":
                own = [json.loads(r) for (r,) in cur.execute("SELECT row FROM user_references ORDER BY id").fetchall()]
                return [{**row, "origin": "catalogue"} for row in seed] + [{**row, "origin": "own"} for row in own]
            return seed

    def save_user_accelerator(self, key: str, row: dict[str, Any]) -> None:
        payload = json.dumps({**row, "key": key}, sort_keys=True, default=str)
        self._write(
            lambda cur: cur.execute(
                "INSERT INTO user_accelerators VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET row = excluded.row, updated_at = excluded.updated_at",
                [key, payload, _now()],
            )
        )

    def delete_user_accelerator(self, key: str) -> None:
        """Drop the user's row: an edited seed row returns to its published figures."""
        self._write(lambda cur: cur.execute("DELETE FROM user_accelerators WHERE key = ?", [key]))

    def save_hosted_model_edit(self, key: str, changes: dict[str, Any]) -> None:
        """Keep the user's changed fields of a published hosted model (an empty change restores it)."""
        if not changes:
            self.restore_hosted_model(key)
            return
        payload = json.dumps(changes, sort_keys=True, default=str)
        self._write(
            lambda cur: cur.execute(
                "INSERT INTO user_hosted_models VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET row = excluded.row, updated_at = excluded.updated_at",
                [key, payload, _now()],
            )
        )

    def restore_hosted_model(self, key: str) -> None:
        """Drop the user's prices for a hosted model: the published ones apply again."""
        self._write(lambda cur: cur.execute("DELETE FROM user_hosted_models WHERE key = ?", [key]))

    def add_user_reference(self, reference_id: str, row: dict[str, Any]) -> None:
        payload = json.dumps({**row, "id": reference_id}, sort_keys=True, default=str)
        self._write(
            lambda cur: cur.execute(
                "INSERT INTO user_references VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET row = excluded.row, created_at = excluded.created_at",
                [reference_id, payload, _now()],
            )
        )

    def delete_user_reference(self, reference_id: str) -> None:
        self._write(lambda cur: cur.execute("DELETE FROM user_references WHERE id = ?", [reference_id]))


def _draft_key(project_id: str, page: str) -> str:
    return f"draft:{page}:{project_id}"


def open_store(
    target: str,
    *,
    motherduck_token: str | None = None,
    example: Callable[[], tuple[str, dict[str, dict[str, Any]]]] | None = None,
) -> Store:
    """Connect, migrate, seed the catalogues and, on the very first run, create the example project.

    The example project and the marker saying it was made are written in one transaction, so a crash during
    the first start leaves either both or neither (never two examples after a restart). Every failure is a
    StoreError whose message hides the target's secrets.
    """
    con = connect(target, motherduck_token=motherduck_token)
    try:
        migrate(con)
        seed_catalogues(con)
    except StoreError:
        con.close()
        raise
    except (duckdb.Error, pg.DatabaseFailure) as error:
        con.close()
        detail = shorten(redact_target(str(error), secrets=[motherduck_token]), 300)
        shown = redact_target(target, secrets=[motherduck_token])
        raise StoreError(f"Could not prepare the database {shown}: {detail}") from None
    except BaseException:
        con.close()
        raise
    store = Store(con, target)
    if example is not None and store.get_meta(_EXAMPLE_MARKER) is None:
        try:
            _create_example(store, example)
        except BaseException:
            con.close()
            raise
    return store


_EXAMPLE_MARKER = "example_created"


def _create_example(store: Store, example: Callable[[], tuple[str, dict[str, dict[str, Any]]]]) -> None:
    name, sections = example()
    pj.validate_project_name(name)
    checked = {section: pj.validate_section(section, document) for section, document in sections.items()}

    def work(cur: Cursor) -> None:
        # Checked again inside the transaction: another process may have made it since the check above.
        if cur.execute("SELECT count(*) FROM meta WHERE key = ?", [_EXAMPLE_MARKER]).fetchone() != (0,):
            return
        store._insert_project(cur, pj.new_project_id(), name, checked, "example project created", rename_if_taken=True)
        cur.execute(_PUT_META, [_EXAMPLE_MARKER, _now().isoformat()])

    store._write(work)


def environment_target() -> str:
    """The database target from the environment alone (the command line has no Streamlit secrets)."""
    return resolve_target(os.environ)


# -- moving a workspace ---------------------------------------------------------------------------------
# Tables a workspace copy never carries: the schema's own bookkeeping and the catalogues loaded from the seed
# files (each target loads those itself). Every other table is the workspace's: projects with their whole
# history, the user's catalogue rows, meta (so the example project is not made again at the destination).
_NOT_COPIED = ("schema_migrations", "catalogue_seeds")


@dataclass(frozen=True)
class CopyReport:
    """What ``copy_workspace`` copied (rows per table) and verified (one checksum per project)."""

    rows: dict[str, int]
    projects_verified: int


def workspace_tables(store: Store) -> list[str]:
    """The tables a copy carries, in an order that keeps every project before its sections and versions."""
    with store._cursor() as cur:
        names = [
            str(name)
            for (name,) in cur.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ? "
                "AND table_type = 'BASE TABLE' ORDER BY table_name",
                [_schema(cur)],
            ).fetchall()
        ]
    kept = [name for name in names if name not in _NOT_COPIED and not name.startswith("catalogue_")]
    return sorted(kept, key=lambda name: (name != "projects", name))


def _table_rows(cur: Cursor, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    result = cur.execute(f'SELECT * FROM "{table}"')
    columns = [str(d[0]) for d in result.description or []]
    return columns, [tuple(row) for row in result.fetchall()]


def workspace_counts(store: Store) -> dict[str, int]:
    with store._cursor() as cur:
        return {
            table: int((cur.execute(f'SELECT count(*) FROM "{table}"').fetchone() or (0,))[0])
            for table in workspace_tables(store)
        }


def project_checksums(store: Store) -> dict[str, str]:
    """Project id -> SHA-256 of its current document and every version of its history (when, what, who,
    and the whole document as it was): equal checksums mean an exact copy."""
    found = {}
    for summary in store.list_projects():
        project = store.get_project(summary.id)
        if project is None:
            continue
        history = []
        with store._cursor() as cur:
            rows = cur.execute(
                "SELECT version, saved_at, change, author FROM project_versions WHERE project_id = ? ORDER BY version",
                [summary.id],
            ).fetchall()
        for version, saved_at, change, author in rows:
            history.append([int(version), saved_at.isoformat(), change, author, store.get_version(summary.id, version)])
        summary_row = [project.name, project.version, project.created_at.isoformat(), project.updated_at.isoformat()]
        payload = json.dumps([project.document(), project.section_versions, summary_row, history], sort_keys=True)
        found[summary.id] = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    return found


def copy_workspace(source: Store, destination: Store, *, replace: bool = False) -> CopyReport:
    """Copy every project (with its whole history) and the user's catalogue rows from ``source`` to
    ``destination`` in one transaction, then verify the copy: the same row count in every table, the same
    checksum for every project (``project_checksums``).

    A destination that already holds projects or user rows is refused, unless ``replace``: then what it
    held is deleted in the same transaction as the copy is written. Both databases have the same schema:
    each was opened (and so migrated) by this version of Greenlight.
    """
    tables = workspace_tables(source)
    if tables != workspace_tables(destination):
        raise StoreError(
            f"The two databases have different tables ({', '.join(tables)} against "
            f"{', '.join(workspace_tables(destination))}): open both with the same version of Greenlight first."
        )
    held = {table: count for table, count in workspace_counts(destination).items() if count and table != "meta"}
    if held and not replace:
        shown = ", ".join(f"{count} in {table}" for table, count in held.items())
        raise StoreError(
            f"The destination {redact_target(destination.target)} is not empty ({shown} rows), so nothing was "
            "copied. Copy into an empty database, or pass --replace to delete what it holds and replace it."
        )
    with source._cursor() as cur:
        contents = {table: _table_rows(cur, table) for table in tables}

    def work(cur: Cursor) -> None:
        for table in reversed(tables):
            cur.execute(f'DELETE FROM "{table}"')
        for table in tables:
            columns, rows = contents[table]
            if not rows:
                continue
            names = ", ".join(f'"{column}"' for column in columns)
            marks = ", ".join("?" for _ in columns)
            cur.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

    destination._write(work)
    counts = {table: len(rows) for table, (_, rows) in contents.items()}
    copied = workspace_counts(destination)
    if copied != counts:
        raise StoreError(f"The copy does not match: rows per table {counts} at the source, {copied} copied.")
    expected, got = project_checksums(source), project_checksums(destination)
    different = sorted(project_id for project_id in expected if got.get(project_id) != expected[project_id])
    if different or set(got) != set(expected):
        raise StoreError(
            f"The copy does not match: {len(different)} of {len(expected)} projects differ "
            f"(first: {', '.join(different[:3])}). Check the destination before using it."
        )
    return CopyReport(counts, len(expected))
