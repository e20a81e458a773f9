"""Hostile input in a real browser: markup stays text, SQL stays text, bad links get a sentence, secrets stay secret."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    Server,
    assert_no_exception,
    goto,
    new_project,
    open_tab,
    start_server,
    stop_server,
    wait_for_app,
    watch_dialogs,
    widget,
)

pytestmark = pytest.mark.reliability

SECRET = "mdtok-SECRET-4f1c9e"
# An injected element would carry id="injected"; a script that ran would set window.__pwned.
MARKUP = '<b id="injected">x</b><img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
SQL = "'); DROP TABLE projects; --"


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose secrets hold a token (read from $HOME/.streamlit/secrets.toml) that must never leak."""
    home = tmp_path_factory.mktemp("home")
    (home / ".streamlit").mkdir()
    (home / ".streamlit" / "secrets.toml").write_text(f'[storage]\nmotherduck_token = "{SECRET}"\n')
    server = start_server(home, env={"HOME": str(home)})
    yield server
    stop_server(server)


def _inert(page: Page, dialogs: list[str]) -> None:
    assert dialogs == []
    assert page.locator("#injected").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert_no_exception(page)


@pytest.mark.parametrize("name", [MARKUP, SQL], ids=["markup", "sql"])
def test_a_hostile_project_name_is_stored_and_shown_verbatim(page: Page, guarded: Server, name: str) -> None:
    dialogs = watch_dialogs(page)
    goto(page, guarded)
    new_project(page, name)
    for reload in (False, True):
        if reload:
            page.reload()
            wait_for_app(page)
        heading = page.locator("h3").filter(has_text="DROP TABLE" if name == SQL else "x").first
        # Every visible character as typed (an invisible word joiner may sit between two hyphens).
        assert heading.inner_text().replace("\u2060", "") == name
    _inert(page, dialogs)


def test_markup_in_candidate_and_rater_fields_renders_inert(page: Page, guarded: Server) -> None:
    dialogs = watch_dialogs(page)
    goto(page, guarded, "worthiness")
    rater = widget(page, "worthiness_rater").locator("input")
    rater.fill("Rater " + MARKUP[:60])
    rater.press("Enter")
    wait_for_app(page)
    widget(page, "worthiness_cand_problem").locator("textarea").fill(MARKUP)
    widget(page, "worthiness_cand_owner").locator("input").fill(MARKUP)
    widget(page, "worthiness_cand_error_rate").locator("input").fill("5")
    name = widget(page, "worthiness_cand_name").locator("input")
    name.fill("Candidate " + MARKUP[:80])
    name.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("Added Candidate").first).to_be_visible()
    for tab in ("Candidates", "Scoring", "Gate", "Raters", "Verdicts & evidence"):
        open_tab(page, tab)
        _inert(page, dialogs)
    for path in ("", "success-metrics", "references"):
        goto(page, guarded, path)
        _inert(page, dialogs)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("?project=..%2F..%2Fetc%2Fpasswd", "share link could not be opened"),
        ("?project=%27%3B%20DROP%20TABLE%20projects%3B--", "share link could not be opened"),
        ("resources?model=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "model"),
        ("success-metrics?candidate=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "candidate"),
    ],
)
def test_tampered_query_parameters_get_a_friendly_message(page: Page, guarded: Server, path: str, message: str) -> None:
    dialogs = watch_dialogs(page)
    goto(page, guarded, path)
    expect(page.locator('[data-testid="stAlert"]').filter(has_text=message).first).to_be_visible()
    _inert(page, dialogs)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("", "[Log in again](https://evil.example/)", "share link could not be opened"),
        ("resources", "![x](https://evil.example/x.png)", "not in the architecture catalogue"),
    ],
    ids=["share-link-as-a-link", "model-as-an-image"],
)
def test_markdown_in_query_parameters_renders_inert(
    page: Page, guarded: Server, path: str, value: str, message: str
) -> None:
    """A link or image typed into a share link shows as text: no anchor or image to evil.example, no request."""

    def to_evil(url: str) -> bool:  # the app's own URL carries the address in its query: look at the host
        return (urlsplit(url).hostname or "").endswith("evil.example")

    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.route(to_evil, lambda route: route.abort())  # nothing leaves the machine
    dialogs = watch_dialogs(page)
    parameter = "project" if path == "" else "model"
    goto(page, guarded, f"{path}?{parameter}={quote(value, safe='')}")
    alert = page.locator('[data-testid="stAlert"]').filter(has_text=message).first
    expect(alert).to_be_visible()
    # The text is shown as typed (lower-cased for a model key), invisible word joiners aside.
    assert value.lower() in alert.inner_text().replace("\u2060", "").lower()
    page.wait_for_timeout(500)  # give a would-be image time to start loading
    assert page.locator('a[href*="evil.example"]').count() == 0
    assert page.locator('img[src*="evil.example"]').count() == 0
    assert [url for url in requested if to_evil(url)] == []
    _inert(page, dialogs)


def test_secrets_never_reach_the_page_or_the_log(browser: Browser, guarded: Server) -> None:
    page = browser.new_page()
    for path in ("", "worthiness", "success-metrics", "references", "resources", "gpus", "projects"):
        goto(page, guarded, path)
        assert SECRET not in page.content()
    page.close()
    assert SECRET not in Path(guarded.log).read_text(errors="replace")
