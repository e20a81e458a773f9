"""The one place that speaks DuckDB: connect, migrate, seed catalogues, read them.

Catalogues (accelerators, architectures, reference projects) are seeded from
CSV files in ``data/``; user data lives in tables the seeds never touch.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import duckdb

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Catalogue name -> seed file in data/. The table is named catalogue_<name>.
CATALOGUE_SEEDS: dict[str, str] = {
    "accelerators": "accelerators.csv",
    "architectures": "architectures.csv",
    "references": "references.csv",
}

# Runtime downloads are off: the app must work with no network.
OFFLINE_CONFIG = {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}


def connect(target: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """Open a DuckDB database with extension downloads disabled."""
    return duckdb.connect(target, config=dict(OFFLINE_CONFIG))


def seed_catalogue(con: duckdb.DuckDBPyConnection, name: str, data_dir: Path = DATA_DIR) -> None:
    """(Re)load one catalogue table from its seed CSV."""
    path = data_dir / CATALOGUE_SEEDS[name]
    con.execute(
        f"CREATE OR REPLACE TABLE catalogue_{name} AS "
        "SELECT * FROM read_csv(?, header = true, auto_detect = true, sample_size = -1)",
        [str(path)],
    )


def read_catalogue(name: str, con: duckdb.DuckDBPyConnection | None = None) -> list[dict[str, Any]]:
    """Rows of a catalogue as dicts (column -> value, NULL -> None).

    Without a connection, reads the seed file through a throw-away in-memory
    database, which is what tests and the command line use.
    """
    if name not in CATALOGUE_SEEDS:
        raise ValueError(f"Unknown catalogue {name!r}; choose one of {', '.join(CATALOGUE_SEEDS)}.")
    if con is None:
        con = connect(os.environ.get("GREENLIGHT_SEED_DB", ":memory:"))
        seed_catalogue(con, name)
    cur = con.execute(f"SELECT * FROM catalogue_{name}")
    columns = [d[0] for d in cur.description]
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
