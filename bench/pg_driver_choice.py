"""Why the store reaches PostgreSQL through psycopg and not through DuckDB's postgres extension: the same
statements, timed both ways on one throwaway server (median of RUNS each), and the one migration statement
the extension refuses.

Needs the extension's PyPI package, which the app does not use: ``pip install duckdb-extension-postgres==1.5.5``
(or ``--extension-dir`` pointing at the unpacked wheel's ``duckdb_extension_postgres`` folder).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import store_postgres as pg  # noqa: E402
from tests.postgres_server import PostgresServer  # noqa: E402

RUNS = 200


def median_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def extension_file(folder: str | None) -> Path:
    if folder is None:
        import duckdb_extension_postgres  # type: ignore[import-not-found]

        folder = str(Path(duckdb_extension_postgres.__file__).parent)
    return Path(folder) / "extensions" / f"v{duckdb.__version__}" / "postgres.duckdb_extension"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--extension-dir")
    args = parser.parse_args(argv)
    server = PostgresServer(durable=True).start()
    try:
        url = server.url()
        with psycopg.connect(url, autocommit=True) as setup:
            setup.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            setup.execute("INSERT INTO meta VALUES ('k', 'v')")
            setup.execute("CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
            setup.execute("INSERT INTO counters VALUES (1, 0)")
            setup.execute("CREATE TABLE loose (c TEXT NOT NULL)")

        driver = pg.connect(url)

        def driver_read() -> object:
            cur = driver.cursor()
            try:
                return cur.execute("SELECT value FROM meta WHERE key = ?", ["k"]).fetchone()
            finally:
                cur.close()

        def driver_write() -> None:
            cur = driver.cursor()
            try:
                cur.execute("BEGIN TRANSACTION")
                (n,) = cur.execute("SELECT n FROM counters WHERE id = ?", [1]).fetchone() or (0,)
                cur.execute("UPDATE counters SET n = ? WHERE id = ?", [n + 1, 1])
                cur.execute("COMMIT")
            finally:
                cur.close()

        duck = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
        # DuckDB finds the entry point by the file's name, and the extension's own name is postgres_scanner.
        loadable = Path(tempfile.mkdtemp()) / "postgres_scanner.duckdb_extension"
        shutil.copy(extension_file(args.extension_dir), loadable)
        duck.execute(f"LOAD '{loadable}'")
        duck.execute(f"ATTACH '{url}' AS pg (TYPE postgres)")

        def extension_read() -> object:
            return duck.execute("SELECT value FROM pg.meta WHERE key = ?", ["k"]).fetchone()

        def extension_write() -> None:
            duck.execute("BEGIN TRANSACTION")
            (n,) = duck.execute("SELECT n FROM pg.counters WHERE id = 1").fetchone() or (0,)
            duck.execute("UPDATE pg.counters SET n = ? WHERE id = 1", [n + 1])
            duck.execute("COMMIT")

        rows = [
            ("point read (one SELECT by key)", median_ms(driver_read), median_ms(extension_read)),
            (
                "read-modify-write transaction (BEGIN, SELECT, UPDATE, COMMIT)",
                median_ms(driver_write),
                median_ms(extension_write),
            ),
        ]
        try:
            duck.execute("ALTER TABLE pg.loose ALTER COLUMN c DROP NOT NULL")
            refused = "accepted"
        except duckdb.Error as error:
            refused = f"refused: {type(error).__name__}: {str(error).splitlines()[0]}"
        version = server.bin_dir.parent.name
        print(f"PostgreSQL {version}, fsync on, 127.0.0.1; DuckDB {duckdb.__version__}; median of {RUNS}.\n")
        print("| statement | psycopg (ms) | DuckDB postgres extension (ms) | extension / psycopg |")
        print("| --- | ---: | ---: | ---: |")
        for label, ours, theirs in rows:
            print(f"| {label} | {ours:.2f} | {theirs:.2f} | {theirs / ours:.0f}× |")
        print(f"\nMigration 003's `ALTER COLUMN ... DROP NOT NULL` through the extension: {refused}")
        duck.close()
        driver.close()
    finally:
        server.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
