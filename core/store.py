"""The one place that speaks DuckDB: connect, migrate, seed catalogues, save projects.

Design:
- One connection per process; every operation takes its own cursor, because a
  DuckDB connection must not be shared between threads while cursors may be.
- Schema changes are ordered SQL files in ``data/migrations``; they are applied
  in one transaction at start-up and recorded in ``schema_migrations``. A
  database whose schema is newer than this code is refused, never modified.
- Catalogues are reloaded from their seed CSVs whenever a seed's hash changes;
  user rows live in their own tables, which a reload never touches.
- Writes run in a transaction and are retried on DuckDB's optimistic-concurrency
  conflicts, so simultaneous saves in a meeting never lose one another.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import duckdb

from core import projects as pj

ROOT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT_DIR / "data"
MIGRATIONS_DIR = DATA_DIR / "migrations"
DEFAULT_DATABASE = str(ROOT_DIR / "greenlight.duckdb")

# Catalogue name -> seed file in data/. The table is named catalogue_<name>.
CATALOGUE_SEEDS: dict[str, str] = {
    "accelerators": "accelerators.csv",
    "architectures": "architectures.csv",
    "references": "references.csv",
}

# Runtime downloads are off: the app must work with no network.
OFFLINE_CONFIG = {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}

_WRITE_ATTEMPTS = 60
T = TypeVar("T")


class StoreError(RuntimeError):
    """A storage problem the user must act on (database in use, schema too new, ...)."""


@dataclass(frozen=True)
class DataLocation:
    kind: str  # "file" | "memory" | "motherduck"
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


def describe_target(target: str, *, cloud: bool = False) -> DataLocation:
    """Say where data lives and whether it survives a restart (on Community Cloud local files do not)."""
    if target == ":memory:" or target.startswith(":memory:"):
        return DataLocation("memory", "in memory: everything is lost when the app stops", True)
    if target.startswith("md:"):
        return DataLocation("motherduck", f"MotherDuck database {target[3:] or '(default)'}", False)
    if cloud:
        return DataLocation("file", f"local file {Path(target).name}: lost when the cloud app restarts", True)
    return DataLocation("file", f"local file {target}", False)


def connect(target: str = ":memory:", *, motherduck_token: str | None = None) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB database with extension downloads disabled (except the MotherDuck opt-in)."""
    config: dict[str, str | bool | int | float | list[str]] = dict(OFFLINE_CONFIG)
    if target.startswith("md:"):
        # Team mode is the one place that needs the network: the motherduck extension is
        # fetched on first use. It is an explicit choice made in secrets, never a default.
        config = {}  # (the offline settings above are dropped on purpose)
        if motherduck_token:
            config["motherduck_token"] = motherduck_token
    try:
        return duckdb.connect(target, config=config)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise StoreError(
                f"The database {target} is in use by another Greenlight process. Close the other app, "
                "or point GREENLIGHT_DB at a different file."
            ) from error
        raise StoreError(f"Could not open the database {target}: {error}") from error


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


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection, *, upto: int | None = None) -> int:
    """Bring the schema up to date in one transaction; return the new version."""
    known = migrations()
    target = len(known) if upto is None else upto
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
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
        )
        for version, name, sql in known[current:target]:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, name, _now()])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return target


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seed_catalogue(con: duckdb.DuckDBPyConnection, name: str, data_dir: Path = DATA_DIR) -> None:
    """(Re)load one catalogue table from its seed CSV."""
    path = data_dir / CATALOGUE_SEEDS[name]
    con.execute(
        f"CREATE OR REPLACE TABLE catalogue_{name} AS "
        "SELECT * FROM read_csv(?, header = true, auto_detect = true, sample_size = -1)",
        [str(path)],
    )


def seed_catalogues(con: duckdb.DuckDBPyConnection, data_dir: Path = DATA_DIR) -> list[str]:
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
            seed_catalogue(con, name, data_dir)
            con.execute("INSERT OR REPLACE INTO catalogue_seeds VALUES (?, ?, ?)", [name, digest, _now()])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        reloaded.append(name)
    return reloaded


def _rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    columns = [d[0] for d in cur.description or []]
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def read_catalogue(name: str, con: duckdb.DuckDBPyConnection | None = None) -> list[dict[str, Any]]:
    """Seed rows of a catalogue as dicts (column -> value, NULL -> None).

    Without a connection, reads the seed file through a throw-away in-memory
    database, which is what tests and the command line use.
    """
    if name not in CATALOGUE_SEEDS:
        raise ValueError(f"Unknown catalogue {name!r}; choose one of {', '.join(CATALOGUE_SEEDS)}.")
    if con is not None:
        return _rows(con.execute(f"SELECT * FROM catalogue_{name}"))
    scratch = connect(":memory:")
    try:
        seed_catalogue(scratch, name)
        return _rows(scratch.execute(f"SELECT * FROM catalogue_{name}"))
    finally:
        scratch.close()


def _is_conflict(error: Exception) -> bool:
    text = str(error).lower()
    return isinstance(error, duckdb.TransactionException) or "conflict" in text or "constraint" in text


class Store:
    """Projects and catalogues in one DuckDB database. Safe to share between threads."""

    def __init__(self, con: duckdb.DuckDBPyConnection, target: str) -> None:
        self._con = con
        self.target = target
        # Catalogue rows by (name, version): reading 2,000+ rows on every script rerun was the largest
        # part of a page's rerun time; the version query below is cheap and sees other processes' writes.
        self._catalogue_cache: dict[str, tuple[str, list[dict[str, Any]]]] = {}

    # -- plumbing -----------------------------------------------------------------
    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def _write(self, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run ``work`` in a transaction, retrying on concurrent-write conflicts."""
        for attempt in range(_WRITE_ATTEMPTS):
            with self._cursor() as cur:
                cur.execute("BEGIN TRANSACTION")
                try:
                    result = work(cur)
                    cur.execute("COMMIT")
                    return result
                except (duckdb.TransactionException, duckdb.ConstraintException) as error:
                    cur.execute("ROLLBACK")
                    if not _is_conflict(error) or attempt == _WRITE_ATTEMPTS - 1:
                        raise
                except Exception:
                    cur.execute("ROLLBACK")
                    raise
            time.sleep(random.uniform(0.001, 0.005) * (attempt + 1))
        raise StoreError("Could not save after many attempts; please try again.")  # pragma: no cover

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
    def _get_project(cur: duckdb.DuckDBPyConnection, project_id: str) -> pj.Project | None:
        row = cur.execute(
            "SELECT id, name, version, created_at, updated_at FROM projects WHERE id = ?", [project_id]
        ).fetchone()
        if row is None:
            return None
        sections = {
            section: json.loads(document)
            for section, document in cur.execute(
                "SELECT section, document FROM project_sections WHERE project_id = ? ORDER BY section",
                [project_id],
            ).fetchall()
        }
        return pj.Project(row[0], row[1], row[2], row[3], row[4], sections)

    def _snapshot(self, cur: duckdb.DuckDBPyConnection, project_id: str, change: str) -> int:
        """Bump the project's version and keep the whole document as that version."""
        project = self._get_project(cur, project_id)
        if project is None:
            raise ValueError("That project no longer exists; it may have been deleted by someone else.")
        version = project.version + 1
        now = _now()
        cur.execute("UPDATE projects SET version = ?, updated_at = ? WHERE id = ?", [version, now, project_id])
        cur.execute(
            "INSERT INTO project_versions VALUES (?, ?, ?, ?, ?)",
            [project_id, version, now, change[:300], json.dumps(project.document(), sort_keys=True)],
        )
        return version

    def create_project(
        self,
        name: str,
        sections: Mapping[str, dict[str, Any]] | None = None,
        *,
        project_id: str | None = None,
        change: str = "created",
    ) -> str:
        """Create a project (validated); return its id."""
        pj.validate_project_name(name)
        checked = {section: pj.validate_section(section, doc) for section, doc in (sections or {}).items()}
        new_id = project_id or pj.new_project_id()

        def work(cur: duckdb.DuckDBPyConnection) -> str:
            self._insert_project(cur, new_id, name, checked, change)
            return new_id

        return self._write(work)

    def _insert_project(
        self,
        cur: duckdb.DuckDBPyConnection,
        project_id: str,
        name: str,
        sections: Mapping[str, dict[str, Any]],
        change: str,
    ) -> None:
        now = _now()
        cur.execute("INSERT INTO projects VALUES (?, ?, ?, ?, 0)", [project_id, name, now, now])
        for section, document in sections.items():
            cur.execute(
                "INSERT INTO project_sections VALUES (?, ?, ?, ?)",
                [project_id, section, json.dumps(document, sort_keys=True), now],
            )
        self._snapshot(cur, project_id, change)

    def rename_project(self, project_id: str, name: str) -> int:
        pj.validate_project_name(name)

        def work(cur: duckdb.DuckDBPyConnection) -> int:
            cur.execute("UPDATE projects SET name = ? WHERE id = ?", [name, project_id])
            return self._snapshot(cur, project_id, "renamed")

        return self._write(work)

    def save_section(self, project_id: str, section: str, document: dict[str, Any], change: str) -> int:
        """Validate and save one section; every save becomes a new version. Returns the version."""
        pj.validate_section(section, document)
        payload = json.dumps(document, sort_keys=True)

        def work(cur: duckdb.DuckDBPyConnection) -> int:
            cur.execute(
                "INSERT OR REPLACE INTO project_sections VALUES (?, ?, ?, ?)",
                [project_id, section, payload, _now()],
            )
            return self._snapshot(cur, project_id, change)

        return self._write(work)

    def delete_project(self, project_id: str) -> None:
        def work(cur: duckdb.DuckDBPyConnection) -> None:
            for table, column in (
                ("project_sections", "project_id"),
                ("project_versions", "project_id"),
                ("projects", "id"),
            ):
                cur.execute(f"DELETE FROM {table} WHERE {column} = ?", [project_id])

        self._write(work)

    def duplicate_project(self, project_id: str, name: str) -> str:
        project = self.get_project(project_id)
        if project is None:
            raise ValueError("That project no longer exists.")
        return self.create_project(name, project.sections, change=f"duplicated from {project.id}")

    def list_versions(self, project_id: str) -> list[tuple[int, datetime, str]]:
        with self._cursor() as cur:
            rows = cur.execute(
                "SELECT version, saved_at, change FROM project_versions WHERE project_id = ? ORDER BY version DESC",
                [project_id],
            ).fetchall()
        return [(int(v), t, c) for v, t, c in rows]

    def get_version(self, project_id: str, version: int) -> dict[str, Any] | None:
        with self._cursor() as cur:
            row = cur.execute(
                "SELECT document FROM project_versions WHERE project_id = ? AND version = ?",
                [project_id, version],
            ).fetchone()
        return json.loads(row[0]) if row else None

    def restore_version(self, project_id: str, version: int) -> int:
        """Make an earlier version current again (as a new version, so nothing is lost)."""
        document = self.get_version(project_id, version)
        if document is None:
            raise ValueError(f"Version {version} of this project does not exist.")

        def work(cur: duckdb.DuckDBPyConnection) -> int:
            now = _now()
            cur.execute("UPDATE projects SET name = ? WHERE id = ?", [document["name"], project_id])
            cur.execute("DELETE FROM project_sections WHERE project_id = ?", [project_id])
            for section, section_document in document["sections"].items():
                cur.execute(
                    "INSERT INTO project_sections VALUES (?, ?, ?, ?)",
                    [project_id, section, json.dumps(section_document, sort_keys=True), now],
                )
            return self._snapshot(cur, project_id, f"restored version {version}")

        return self._write(work)

    def export_documents(self, project_ids: list[str] | None = None) -> list[dict[str, Any]]:
        ids = project_ids if project_ids is not None else [p.id for p in self.list_projects()]
        with self._cursor() as cur:
            found = [self._get_project(cur, project_id) for project_id in ids]
        return [project.document() for project in found if project is not None]

    def import_documents(self, documents: list[dict[str, Any]]) -> list[str]:
        """Import validated project documents, all or nothing. An id already in use gets a new id."""
        for document in documents:
            pj.validate_project_document(document)

        def work(cur: duckdb.DuckDBPyConnection) -> list[str]:
            imported = []
            for document in documents:
                taken = cur.execute("SELECT count(*) FROM projects WHERE id = ?", [document["id"]]).fetchone()
                project_id = pj.new_project_id() if taken and taken[0] else document["id"]
                self._insert_project(cur, project_id, document["name"], document["sections"], "imported")
                imported.append(project_id)
            return imported

        return self._write(work)

    # -- meta -------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._cursor() as cur:
            row = cur.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._write(lambda cur: cur.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value]))

    # -- catalogues ---------------------------------------------------------------------
    _USER_TABLES: ClassVar[dict[str, tuple[str, str]]] = {
        "accelerators": ("user_accelerators", "updated_at"),
        "references": ("user_references", "created_at"),
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
            if name == "references":
                own = [json.loads(r) for (r,) in cur.execute("SELECT row FROM user_references ORDER BY id").fetchall()]
                return [{**row, "origin": "catalogue"} for row in seed] + [{**row, "origin": "own"} for row in own]
            return seed

    def save_user_accelerator(self, key: str, row: dict[str, Any]) -> None:
        payload = json.dumps({**row, "key": key}, sort_keys=True, default=str)
        self._write(
            lambda cur: cur.execute("INSERT OR REPLACE INTO user_accelerators VALUES (?, ?, ?)", [key, payload, _now()])
        )

    def delete_user_accelerator(self, key: str) -> None:
        """Drop the user's row: an edited seed row returns to its published figures."""
        self._write(lambda cur: cur.execute("DELETE FROM user_accelerators WHERE key = ?", [key]))

    def add_user_reference(self, reference_id: str, row: dict[str, Any]) -> None:
        payload = json.dumps({**row, "id": reference_id}, sort_keys=True, default=str)
        self._write(
            lambda cur: cur.execute(
                "INSERT OR REPLACE INTO user_references VALUES (?, ?, ?)", [reference_id, payload, _now()]
            )
        )

    def delete_user_reference(self, reference_id: str) -> None:
        self._write(lambda cur: cur.execute("DELETE FROM user_references WHERE id = ?", [reference_id]))


def open_store(
    target: str,
    *,
    motherduck_token: str | None = None,
    example: Callable[[], tuple[str, dict[str, dict[str, Any]]]] | None = None,
) -> Store:
    """Connect, migrate, seed the catalogues and, on the very first run, create the example project."""
    con = connect(target, motherduck_token=motherduck_token)
    try:
        migrate(con)
        seed_catalogues(con)
    except Exception:
        con.close()
        raise
    store = Store(con, target)
    if example is not None and store.get_meta("example_created") is None:
        name, sections = example()
        store.create_project(name, sections, change="example project created")
        store.set_meta("example_created", _now().isoformat())
    return store


def environment_target() -> str:
    """The database target from the environment alone (the command line has no Streamlit secrets)."""
    return resolve_target(os.environ)
