"""Team server in the browser: two `streamlit run` processes on one PostgreSQL. A rater scores through one
process and the overview open on the other shows the scores by itself; while the server is stopped the page
says so in a sentence (no traceback), and it shows the decision again once the server is back, without
restarting either app process."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Server, assert_no_exception, goto, start_server, stop_server
from tests.e2e.test_meeting_e2e import _score_as
from tests.postgres_server import PostgresServer


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[PostgresServer, Server, Server]]:
    try:
        database = PostgresServer().start()
    except Exception as error:
        pytest.skip(f"PostgreSQL could not be started for this test ({type(error).__name__}: {error})")
    first = start_server(tmp_path, database=database.url())
    second = start_server(tmp_path, database=database.url())
    yield database, first, second
    for running in (first, second):
        stop_server(running)
    database.remove()


def test_two_app_processes_share_a_meeting_and_survive_a_server_restart(
    page: Page, browser: Browser, team: tuple[PostgresServer, Server, Server]
) -> None:
    database, first, second = team
    goto(page, second)  # the overview of the example project, served by the second process
    share_link = "?" + page.url.split("?", 1)[1]
    expect(page.get_by_text(re.compile(r"Scores from 2 rater\(s\)"))).to_be_visible()

    _score_as(browser, first, share_link, "Ann from finance", 5)  # saved through the first process
    expect(page.get_by_text(re.compile(r"Scores from 3 rater\(s\): .*Ann from finance"))).to_be_visible()

    database.stop()
    # The live part of the overview refreshes every 5 s: it now says the server cannot be reached.
    expect(page.get_by_text(re.compile("cannot be reached")).first).to_be_visible(timeout=30_000)
    assert_no_exception(page)
    page.reload()
    expect(page.get_by_text(re.compile("cannot be reached")).first).to_be_visible(timeout=30_000)
    assert_no_exception(page)

    database.start()
    page.reload()  # the same app processes: their stores reconnect by themselves
    expect(page.get_by_text(re.compile(r"Scores from 3 rater\(s\): .*Ann from finance"))).to_be_visible(timeout=30_000)
    assert_no_exception(page)
