"""A secret in the database target is never shown or logged, whatever goes wrong.

A MotherDuck token can sit inside the connection string (``md:greenlight?motherduck_token=...``), a password
inside a URL or a ``key=value`` target. Every path that produces a message quoting the target is exercised
here: the message itself, its chained causes (what a logged traceback would print), everything logged
(Python's and Streamlit's loggers), everything written to stdout/stderr, and the page (AppTest) all must be
free of the secret.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
import streamlit as st
import streamlit.logger as st_logger
from streamlit.testing.v1 import AppTest

from core import store as st_
from core.store import StoreError, open_store

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[2]
# One looks like MotherDuck's tokens (a JSON web token); the other is a plain random string, so the tests do
# not pass only because the redaction recognises the token's shape.
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uIjoiYW5uIn0.c2lnbmF0dXJlLXNlY3JldA"
PLAIN = "tok9Secret4Value7Xq"
TOKENS = [pytest.param(JWT, id="jwt"), pytest.param(PLAIN, id="plain")]


@pytest.fixture
def captured_logs() -> Iterator[list[str]]:
    """Every record logged during the test, formatted with its traceback, from Python's and Streamlit's loggers
    (Streamlit's do not propagate to the root logger)."""
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Keep(level=logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    loggers = [logging.getLogger(), logging.getLogger("streamlit"), *st_logger._loggers.values()]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    try:
        yield lines
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


def _everything_about(error: BaseException) -> str:
    """The message and the whole traceback with chained causes, as a logged exception would print it."""
    return str(error) + "\n" + "".join(traceback.format_exception(error))


def _assert_hidden(token: str, *texts: str) -> None:
    for text in texts:
        assert token not in text, text[:500]
        # A prefix of a JWT (its header) is no secret, but its payload and signature are.
        for part in token.split(".")[1:]:
            assert part not in text, text[:500]


# ---------------------------------------------------------------------------------------------- redact_target


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        (f"md:greenlight?motherduck_token={PLAIN}", "md:greenlight?motherduck_token=***"),
        (f"md:?motherduck_token={JWT}&saas_mode=true", "md:?motherduck_token=***&saas_mode=true"),
        (f"md:greenlight?saas_mode=true&MOTHERDUCK_TOKEN={PLAIN}", "md:greenlight?saas_mode=true&MOTHERDUCK_TOKEN=***"),
        (f"md:greenlight?token={PLAIN}", "md:greenlight?token=***"),
        (f"postgresql://ann:{PLAIN}@db.example:5432/greenlight", "postgresql://ann:***@db.example:5432/greenlight"),
        (f"postgres://:{PLAIN}@db.example/greenlight", "postgres://:***@db.example/greenlight"),
        (f"postgresql://ann:p@ss{PLAIN}@db.example/g", "postgresql://ann:***@db.example/g"),
        (f"host=db.example user=ann password={PLAIN} dbname=g", "host=db.example user=ann password=*** dbname=g"),
        (f"host=db password='{PLAIN} x' dbname=g", "host=db password=*** dbname=g"),
        (f'Cannot open "md:g?motherduck_token={PLAIN}": failed', 'Cannot open "md:g?motherduck_token=***": failed'),
        (f"a token on its own: {JWT}.", "a token on its own: ***."),
        ("/data/greenlight.duckdb", "/data/greenlight.duckdb"),
        ("md:greenlight", "md:greenlight"),
        (":memory:", ":memory:"),
    ],
)
def test_redact_target_hides_every_kind_of_secret(target: str, shown: str) -> None:
    assert st_.redact_target(target) == shown


def test_a_secret_known_by_value_is_hidden_wherever_it_appears() -> None:
    assert st_.redact_target(f"the extension said {PLAIN} twice: {PLAIN}", secrets=[PLAIN, None]) == (
        "the extension said *** twice: ***"
    )


# ---------------------------------------------------------------------------------------------- message paths


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize("cloud", [False, True])
def test_the_data_location_never_shows_a_token(token: str, cloud: bool) -> None:
    for target in (
        f"md:greenlight?motherduck_token={token}",
        f"md:?motherduck_token={token}",
        f"/data/greenlight.duckdb?motherduck_token={token}",
        f"postgresql://ann:{token}@db.example/greenlight",
    ):
        _assert_hidden(token, st_.describe_target(target, cloud=cloud).description)
    assert (
        st_.describe_target(f"md:greenlight?motherduck_token={token}").description == "MotherDuck database greenlight"
    )


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize("opener", ["connect", "open_store"])
@pytest.mark.parametrize("given", ["in the target", "as a secret"])
def test_a_motherduck_target_that_cannot_connect_never_shows_its_token(
    token: str, opener: str, given: str, captured_logs: list[str], capfd: pytest.CaptureFixture[str]
) -> None:
    # Offline (as every test runs) the motherduck extension cannot be fetched, so connecting fails at once.
    target, secret = (f"md:greenlight?motherduck_token={token}", None) if given == "in the target" else ("md:g", token)
    open_ = st_.connect if opener == "connect" else open_store
    started = time.monotonic()
    with pytest.raises(StoreError, match="MotherDuck") as refused:
        open_(target, motherduck_token=secret)
    assert time.monotonic() - started < 30
    out, err = capfd.readouterr()
    _assert_hidden(token, _everything_about(refused.value), *captured_logs, out, err)


HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(60)
"""


@pytest.fixture
def token_named_file(tmp_path: Path) -> Callable[[str], Path]:
    """A local path whose name carries a token-like query string (DuckDB takes it as a plain file name)."""

    def make(token: str) -> Path:
        return tmp_path / f"greenlight.duckdb?motherduck_token={token}"

    return make


def _locked(path: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    return holder


def _newer(path: Path) -> None:
    con = st_.connect(str(path))
    st_.migrate(con)
    con.execute("INSERT INTO schema_migrations VALUES (999, 'from the future', now())")
    con.close()


def _foreign(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE projects (title VARCHAR, budget DOUBLE)")
    con.close()


def _sqlite(path: Path) -> None:
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()


FILE_FAULTS: dict[str, tuple[Callable[[Path], object], str]] = {
    "newer schema": (_newer, "newer Greenlight"),
    "foreign application": (_foreign, "belongs to another application"),
    "sqlite file": (_sqlite, "SQLite database"),
    "random bytes": (lambda path: path.write_bytes(bytes(range(256)) * 8), "not a DuckDB database"),
}


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize("fault", FILE_FAULTS, ids=list(FILE_FAULTS))
def test_a_refused_file_never_shows_a_token_in_its_path(
    token: str,
    fault: str,
    token_named_file: Callable[[str], Path],
    captured_logs: list[str],
    capfd: pytest.CaptureFixture[str],
) -> None:
    path = token_named_file(token)
    make, expected = FILE_FAULTS[fault]
    make(path)
    with pytest.raises(StoreError, match=expected) as refused:
        open_store(str(path))
    out, err = capfd.readouterr()
    _assert_hidden(token, _everything_about(refused.value), *captured_logs, out, err)


@pytest.mark.parametrize("token", TOKENS)
def test_a_locked_file_never_shows_a_token_in_its_path(
    token: str, token_named_file: Callable[[str], Path], captured_logs: list[str], capfd: pytest.CaptureFixture[str]
) -> None:
    path = token_named_file(token)
    holder = _locked(path)
    try:
        with pytest.raises(StoreError, match="in use by another Greenlight process") as refused:
            open_store(str(path))
    finally:
        holder.kill()
        holder.wait()
    out, err = capfd.readouterr()
    _assert_hidden(token, _everything_about(refused.value), *captured_logs, out, err)


@pytest.mark.parametrize("token", TOKENS)
def test_a_failed_write_never_shows_a_token(token: str) -> None:
    error = duckdb.IOException(f'IO Error: Could not write file "/db?motherduck_token={token}.wal": Input/output error')
    explained = st_.explain_write_failure(error)
    assert explained is not None
    _assert_hidden(token, str(explained))


# ---------------------------------------------------------------------------------------------- the page


def _page_text(at: AppTest) -> str:
    """Every string of every element on the page (main area and sidebar), as the browser would receive it."""
    return "\n".join(str(getattr(node, "proto", "")) for node in at._tree)


@pytest.fixture
def app_on(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], AppTest]:
    def run(target: str) -> AppTest:
        monkeypatch.setenv("GREENLIGHT_DB", target)
        st.cache_resource.clear()
        st.cache_data.clear()
        return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()

    return run


@pytest.mark.parametrize("token", TOKENS)
def test_a_motherduck_target_that_cannot_connect_shows_a_message_without_its_token(
    token: str, app_on: Callable[[str], AppTest], captured_logs: list[str], capfd: pytest.CaptureFixture[str]
) -> None:
    at = app_on(f"md:greenlight?motherduck_token={token}")
    assert not at.exception, [e.value for e in at.exception]
    assert any("MotherDuck" in error.value for error in at.error)
    out, err = capfd.readouterr()
    _assert_hidden(token, _page_text(at), *captured_logs, out, err)


@pytest.mark.parametrize("token", TOKENS)
def test_the_sidebar_names_a_connected_motherduck_database_without_its_token(
    token: str,
    tmp_path: Path,
    app_on: Callable[[str], AppTest],
    monkeypatch: pytest.MonkeyPatch,
    captured_logs: list[str],
    capfd: pytest.CaptureFixture[str],
) -> None:
    # No MotherDuck account in a test: the store behind the md: target is a local file, so every page element
    # that would show the target once connected (the sidebar's data location above all) is drawn.
    local = str(tmp_path / "md.duckdb")
    monkeypatch.setattr("ui.state.open_store", lambda target, **kw: open_store(local, **kw))
    at = app_on(f"md:greenlight?motherduck_token={token}")
    assert not at.exception, [e.value for e in at.exception]
    assert any("MotherDuck database greenlight" in caption.value for caption in at.sidebar.caption)
    out, err = capfd.readouterr()
    _assert_hidden(token, _page_text(at), *captured_logs, out, err)
