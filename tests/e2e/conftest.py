"""End-to-end fixtures: `streamlit run` on a free port with a temporary database, driven by Debian's chromium."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Locator, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-dev-shm-usage"]

# CI runs the browser tests beside the rest of the suite on two shared cores, where one page rerun can take
# seconds: assertions wait up to 20 s (Playwright's default is 5 s). Only a failing test waits that long.
expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test item, so fixtures can tell in teardown whether the test failed."""
    report: pytest.TestReport = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _failed(request: pytest.FixtureRequest) -> bool:
    report = getattr(request.node, "report_call", None)
    return report is not None and report.failed


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, url: str, process: subprocess.Popen[bytes], log: Path) -> None:
        self.url = url
        self.process = process
        self.log = log


def start_server(tmp: Path, database: str | None = None, env: dict[str, str] | None = None) -> Server:
    port = _free_port()
    env = {**os.environ, "GREENLIGHT_DB": database or str(tmp / "e2e.duckdb"), "PYTHONUNBUFFERED": "1", **(env or {})}
    log = tmp / f"streamlit-{port}.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return Server(url, process, log)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"streamlit did not start: {log.read_text()[-2000:]}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("e2e"))
    yield running
    stop_server(running)


@pytest.fixture(autouse=True)
def _report_server_log_on_failure(request: pytest.FixtureRequest) -> Iterator[None]:
    """A browser test that fails on CI cannot be watched: print the end of the server's log with the failure."""
    yield
    running = request.node.funcargs.get("server")
    if _failed(request) and isinstance(running, Server) and running.log.exists():
        print(f"--- end of the server log ({running.log.name}) ---")
        print(running.log.read_text(errors="replace")[-4000:])


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make browser` (make test does it).")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


# Counts the script runs the page has seen finish: Streamlit marks the app element "running" during a run, and a
# change whose old value was "running" is a run that ended. A rerun under load can start later than any fixed
# pause, so a test that must read the result of its action waits for this count to grow (see `rerun`).
COUNT_FINISHED_RUNS = """
window.__greenlightRunsDone = 0;
new MutationObserver((changes) => {
  for (const change of changes) {
    if (change.oldValue === "running") window.__greenlightRunsDone += 1;
  }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ["data-test-script-state"]});
"""


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.add_init_script(COUNT_FINISHED_RUNS)
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    if _failed(request):
        _print_page(opened)
    context.close()


def _print_page(page: Page) -> None:
    """What the browser showed when the test failed: its address, the script state and the visible text."""
    try:
        state = page.locator('[data-testid="stApp"]').get_attribute("data-test-script-state", timeout=2_000)
        text = page.locator("body").inner_text(timeout=2_000)
    except Exception as error:  # the page may be gone; the failure itself is already reported
        print(f"--- the page could not be read: {error} ---")
        return
    print(f"--- the page at failure: {page.url} (script state: {state}) ---")
    print(text[-4000:])


def wait_for_app(page: Page) -> None:
    """Wait until the script has finished running (Streamlit marks the app element)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)


@contextmanager
def rerun(page: Page) -> Iterator[None]:
    """Wait, after the block, until the app has finished a script run that the block's action started."""
    before = page.evaluate("window.__greenlightRunsDone")
    yield
    page.wait_for_function("before => window.__greenlightRunsDone > before", arg=before, timeout=60_000)
    wait_for_app(page)


def goto(page: Page, server: Server, path: str = "") -> None:
    page.goto(f"{server.url}/{path.lstrip('/')}")
    wait_for_app(page)


def select_option(page: Page, label: str, option: str) -> None:
    """Choose ``option`` in the selectbox called ``label``. The open list can be redrawn while the app settles
    (the option is then detached mid-click), so the choice is retried until the box shows it."""
    box = page.get_by_role("combobox", name=label, exact=True)
    if box.input_value() == option:
        return  # already chosen: picking it again would start no run to wait for
    for _attempt in range(3):
        box.click()
        box.fill(option)
        try:
            with rerun(page):
                page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
            continue
        if box.input_value() == option:
            return
    expect(box).to_have_value(option)


def assert_no_exception(page: Page) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.all_inner_texts()


def watch_dialogs(page: Page) -> list[str]:
    """Dismiss every dialog the page opens (alert, confirm, prompt) and collect its message: markup that ran
    as script would open one, so a test of inert text expects the list to stay empty."""
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return dialogs


def new_project(page: Page, name: str) -> None:
    """Create a project from the sidebar's "New project" form and wait for the run that switches to it."""
    page.get_by_role("button", name="New project").click()
    field = page.get_by_label("Name of the new project")
    field.fill(name)
    with rerun(page):
        field.press("Enter")


def widget(page: Page, key: str) -> Locator:
    """A widget by its Streamlit key (Streamlit marks each keyed element with the class st-key-<key>)."""
    return page.locator(f".st-key-{key}")


def open_tab(page: Page, label: str) -> None:
    """Open the tab of ``st.tabs`` called ``label`` and wait until its content is drawn."""
    page.get_by_role("tab", name=label).click()
    wait_for_app(page)
    assert_no_exception(page)


def pick_level(page: Page, criterion: str, level: int) -> None:
    """On the worthiness page's scoring tab, choose the anchored level ``level`` of ``criterion``."""
    widget(page, f"worthiness_score_{criterion}").locator("label").filter(has_text=re.compile(rf"^{level} –")).click()


def score(page: Page, levels: dict[str, int]) -> None:
    """On the worthiness page's scoring tab, choose these levels and save the scores."""
    for criterion, level in levels.items():
        pick_level(page, criterion, level)
    widget(page, "worthiness_score_save").locator("button").click()
    wait_for_app(page)
    assert_no_exception(page)
