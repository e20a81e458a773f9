"""A database that cannot be used gets one clear sentence on the page: no traceback, no generic error box."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import error_text, no_exceptions


def _foreign(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE projects (title VARCHAR, budget DOUBLE)")
    con.execute("INSERT INTO projects VALUES ('Their project', 1e6)")
    con.close()


def _sqlite(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE projects (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()


FILES = {
    "another application's DuckDB file": (_foreign, "belongs to another application"),
    "a SQLite file": (_sqlite, "is a SQLite database, not a DuckDB database"),
    "random bytes": (lambda path: path.write_bytes(os.urandom(4096)), "not a DuckDB database"),
}


@pytest.mark.parametrize("kind", FILES, ids=list(FILES))
@pytest.mark.parametrize("page", ["overview", "projects"])
def test_a_file_that_is_not_greenlights_gets_a_sentence_and_stays_untouched(
    app: Callable[..., AppTest], tmp_path: Path, kind: str, page: str
) -> None:
    make, sentence = FILES[kind]
    path = tmp_path / "app.duckdb"  # the file the app fixture points GREENLIGHT_DB at
    make(path)
    before = path.read_bytes()
    at = app(page)
    no_exceptions(at)
    shown = error_text(at)  # as a reader sees it: the page shows the message Markdown-escaped
    assert sentence in shown, shown
    assert "left untouched" in shown and "GREENLIGHT_DB" in shown, shown
    assert "INSTALL" not in shown
    assert not at.sidebar.selectbox, "nothing else is drawn on a database that cannot be used"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.duckdb"]
