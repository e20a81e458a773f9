"""A PostgreSQL server that is down gets one sentence on the page, with its password hidden, and the same app
process shows the page again once the server is back: no traceback, no restart.

The server is a private one (tests/postgres_server.py): stopping it cannot disturb the tests beside it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, error_text, no_exceptions, plain, texts
from tests.postgres_server import PostgresServer

PASSWORD = "s3cret-not-shown"


@pytest.fixture
def server() -> Iterator[PostgresServer]:
    try:
        started = PostgresServer().start()
    except Exception as error:
        pytest.skip(f"PostgreSQL could not be started for this test ({type(error).__name__}: {error})")
    yield started
    started.remove()


@pytest.fixture
def target(server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> str:
    # The test cluster trusts local connections, so the password is never checked: only whether it is shown.
    url = server.url().replace("greenlight@", f"greenlight:{PASSWORD}@")
    monkeypatch.setenv("GREENLIGHT_DB", url)
    st.cache_resource.clear()
    st.cache_data.clear()
    return url


def _overview() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def _everything_shown(at: AppTest) -> str:
    return "\n".join(texts(at.error) + texts(at.warning) + [plain(m.value) for m in at.markdown])


def test_a_server_down_at_start_is_a_sentence_and_the_page_opens_once_it_is_up(
    server: PostgresServer, target: str
) -> None:
    server.stop()
    at = _overview().run()
    no_exceptions(at)
    assert "Could not connect to the PostgreSQL database" in error_text(at)
    assert "Check that the server is running" in error_text(at)
    assert PASSWORD not in _everything_shown(at)

    server.start()
    at.run()
    no_exceptions(at)
    assert not at.error
    assert [title.value for title in at.title] == ["Greenlight"]


def test_a_server_that_stops_mid_session_is_a_sentence_and_the_same_process_reconnects(
    server: PostgresServer, target: str
) -> None:
    at = _overview().run()
    no_exceptions(at)
    assert not at.error, error_text(at)

    server.stop()
    at.run()
    no_exceptions(at)
    shown = _everything_shown(at)
    assert "cannot be reached" in shown and "reconnects by itself" in shown, shown
    assert PASSWORD not in shown

    server.start()
    at.run()
    no_exceptions(at)
    assert "cannot be reached" not in _everything_shown(at)
    assert [title.value for title in at.title] == ["Greenlight"]
