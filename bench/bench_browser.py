"""Click-to-rendered time in real Chromium: each page's main interaction and navigation, against `streamlit hello`.

Greenlight runs on a temporary database (the example project, renamed twice so that its history has versions
to view); `streamlit hello` runs on another port in the same run. One timing = from the click (or the Enter
key) to the moment the page shows the result: the server has reported the script run that the action started
as finished (read off the page's websocket), the app element's script state is "notRunning", and an element
that only the result shows is visible. Each interaction is done twice untimed (once per alternating value)
to warm the caches, then timed RUNS times; values alternate so that every timed action changes something.

The baseline is a sidebar click to hello's text-only "Hello" page (from its DataFrame demo), measured before
and after Greenlight. The DataFrame demo itself downloads its data, which fails at once on a machine with no
network, so clicks to it are shown but not used as the baseline.
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, WebSocket, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_BROWSER_RUNS", "7"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
TIMEOUT_MS = int(os.environ.get("BENCH_BROWSER_TIMEOUT_MS", "120000"))
# The server's "script finished" messages that count as a run having ended (a fragment's run included).
FINISHED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
# Greenlight's sidebar entries and the title each page shows, in the order they are visited.
GREENLIGHT_PAGES = [
    ("Worthiness", "Worthiness"),
    ("Success metrics", "Success metrics"),
    ("Reference projects", "Reference projects"),
    ("Resources", "Resources"),
    ("Accelerators", "Accelerators"),
    ("Projects", "Projects"),
    ("Overview", "Greenlight"),
]
# streamlit hello: its DataFrame demo and its text-only Hello page (the baseline); the other demos sleep
# or need the network.
HELLO_PAGES = [("DataFrame demo", "DataFrame demo"), ("Hello", "Welcome to Streamlit!")]


# ---------------------------------------------------------------- servers and timing


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(*commands: list[str], env: dict[str, str]) -> Iterator[list[str]]:
    """Start every command's server at once (each on a free port); yield their URLs once all answer."""
    options = ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    processes, urls = [], []
    try:
        for command in commands:
            port = _port()
            processes.append(
                subprocess.Popen(
                    [*command, "--server.port", str(port), *options],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 120
        for command, process, url in zip(commands, processes, urls, strict=True):
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                        break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError(f"{' '.join(command)} did not start") from None
                    time.sleep(0.1)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def settle(page: Page) -> None:
    """Wait until the app has stopped running (twice, a moment apart: a page can start a second run)."""
    page.wait_for_selector(READY, timeout=TIMEOUT_MS)
    page.wait_for_timeout(100)
    page.wait_for_selector(READY, timeout=TIMEOUT_MS)


class Runs:
    """Counts the script runs the server reports finished to this page, read off its websocket: a short run
    can start and end within one frame of the browser, so the app element's script state alone can miss it."""

    def __init__(self, page: Page) -> None:
        self.finished = 0
        page.on("websocket", self._watch)

    def _watch(self, socket: WebSocket) -> None:
        socket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            message = ForwardMsg.FromString(payload)
            if message.WhichOneof("type") == "script_finished" and message.script_finished in FINISHED:
                self.finished += 1

    def wait_beyond(self, page: Page, count: int) -> None:
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while self.finished <= count:
            if time.monotonic() > deadline:
                raise TimeoutError("no script run finished")
            page.wait_for_timeout(2)  # lets Playwright deliver the websocket's frames


RUNS_OF: dict[int, Runs] = {}


def open_page(browser: Browser, url: str) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    RUNS_OF[id(page)] = Runs(page)
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    settle(page)
    return page


def timed(page: Page, act: Callable[[], None], shows: Callable[[], Locator]) -> float:
    """Seconds from ``act`` to the end of the script run it started, with ``shows()`` visible."""
    runs = RUNS_OF[id(page)]
    before = runs.finished
    start = time.perf_counter()
    act()
    runs.wait_beyond(page, before)
    page.wait_for_selector(READY, timeout=TIMEOUT_MS)
    shows().wait_for(state="visible", timeout=TIMEOUT_MS)
    elapsed = time.perf_counter() - start
    settle(page)  # untimed: let any follow-up run finish before the next action
    return elapsed


def _progress(what: str, run: int, seconds: float) -> None:
    print(f"{what}: run {run}: {seconds * 1000:.0f} ms", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the interactions


@dataclass(frozen=True)
class Interaction:
    """One page's main interaction: ``prepare`` (untimed) gets run ``i`` ready, ``act`` is the timed click or
    key, ``shows`` is what only its result shows."""

    label: str
    path: str
    prepare: Callable[[Page, int], None]
    act: Callable[[Page, int], None]
    shows: Callable[[Page, int], Locator]


def _combobox(page: Page, label: str) -> Locator:
    return page.get_by_role("combobox", name=label, exact=True)


def _open_options(page: Page, label: str, typed: str, *, exact: bool) -> None:
    """Open the selectbox ``label`` and type ``typed`` into it, until its list shows the option (the one named
    ``typed`` when ``exact``, else the first match). A run that ends meanwhile can close the list: reopen it."""
    box = _combobox(page, label)
    option = page.get_by_role("option", name=typed, exact=True) if exact else page.get_by_role("option").first
    for _attempt in range(3):
        box.click()
        box.fill(typed)
        try:
            option.wait_for(state="visible", timeout=10_000)
            return
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
            settle(page)
    option.wait_for(state="visible")


# Worthiness: add a candidate through the form (Enter in its name field submits it).
def _candidate(i: int) -> str:
    return f"Bench candidate {i}"


def _prepare_candidate(page: Page, i: int) -> None:
    page.locator(".st-key-worthiness_cand_error_rate input").fill("5")
    page.locator(".st-key-worthiness_cand_name input").fill(_candidate(i))


WORTHINESS = Interaction(
    "/worthiness: add a candidate",
    "worthiness",
    _prepare_candidate,
    lambda page, i: page.locator(".st-key-worthiness_cand_name input").press("Enter"),
    lambda page, i: page.get_by_text(f"Added {_candidate(i)}").first,
)

# Success metrics: pick a template in the picker (the page reruns and describes the template).
# (Neither is the picker's first entry, which is chosen when the page opens.)
TEMPLATES = ("Goal · Save water (tangible)", "Business metric · Revenue (USD per month)")
TEMPLATE_CAPTION = ("with a water meter", "Money received from sales")


def _template(i: int) -> str:
    return TEMPLATES[i % 2]


SUCCESS_METRICS = Interaction(
    "/success-metrics: pick a template",
    "success-metrics",
    lambda page, i: _open_options(page, "Insert from a template", _template(i), exact=True),
    lambda page, i: page.get_by_role("option", name=_template(i), exact=True).click(),
    lambda page, i: page.get_by_test_id("stCaptionContainer").filter(has_text=TEMPLATE_CAPTION[i % 2]),
)

# References: a free-text search (Enter in the search box submits the form).
QUERIES = ("fraud in card payments", "predict when the food delivery arrives", "detect defects on a production line")


def _search_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Search the catalogue")


REFERENCES = Interaction(
    "/references: a search",
    "references",
    lambda page, i: _search_box(page).fill(QUERIES[i % len(QUERIES)]),
    lambda page, i: _search_box(page).press("Enter"),
    lambda page, i: page.get_by_test_id("stDataFrame").first,
)

# Resources: change the device (the memory figure then reads "... of <its memory>").
DEVICES = (("H100 SXM5 80GB", "of 80 GB"), ("L4 · 24 GB", "of 24 GB"))

RESOURCES = Interaction(
    "/resources: change the device",
    "resources",
    lambda page, i: _open_options(page, "Device", DEVICES[i % 2][0], exact=False),
    lambda page, i: _combobox(page, "Device").press("Enter"),
    lambda page, i: page.get_by_text(DEVICES[i % 2][1]).first,
)

# Accelerators: filter the table by a search (the caption then counts the devices shown).
FILTERS = ("H100", "MI3")
_shown_by_filter: dict[str, str] = {}


def _filter_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Search model")


def _filter_caption(page: Page, i: int) -> Locator:
    caption = page.get_by_test_id("stCaptionContainer").filter(has_text=re.compile(r"^Showing \d+ of \d+ devices"))
    shown = _shown_by_filter.get(FILTERS[i % 2])
    return caption.filter(has_text=shown) if shown else caption


def _filter(page: Page, i: int) -> None:
    _filter_box(page).press("Enter")


ACCELERATORS = Interaction(
    "/gpus: filter the table",
    "gpus",
    lambda page, i: _filter_box(page).fill(FILTERS[i % 2]),
    _filter,
    _filter_caption,
)

# Projects: open the history and view a saved version (the page offers to restore it).
HISTORY = "History: every save of this project"


def _prepare_version(page: Page, i: int) -> None:
    if not _combobox(page, "View a version").is_visible():
        page.get_by_text(HISTORY).click()
        _combobox(page, "View a version").wait_for(state="visible")
    _open_options(page, "View a version", str(1 + i % 2), exact=True)


PROJECTS = Interaction(
    "/projects: view a version in the history",
    "projects",
    _prepare_version,
    lambda page, i: page.get_by_role("option", name=str(1 + i % 2), exact=True).click(),
    lambda page, i: page.get_by_role("button", name=f"Restore version {1 + i % 2}"),
)

INTERACTIONS = (WORTHINESS, SUCCESS_METRICS, REFERENCES, RESOURCES, ACCELERATORS, PROJECTS)


def run_interaction(browser: Browser, url: str, interaction: Interaction) -> list[float]:
    page = open_page(browser, f"{url}/{interaction.path}")
    times = []
    for i in range(-2, RUNS):  # two untimed warm-up runs, one of each alternating value
        interaction.prepare(page, i)
        elapsed = timed(page, partial(interaction.act, page, i), partial(interaction.shows, page, i))
        _progress(interaction.label, i, elapsed)
        if interaction is ACCELERATORS and i < 0:
            caption = _filter_caption(page, i).first.inner_text()
            _shown_by_filter[FILTERS[i % 2]] = caption.split(".")[0]
        if i >= 0:
            times.append(elapsed)
    page.context.close()
    return times


def _nav_link(page: Page, name: str) -> Locator:
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True)


def _heading(page: Page, title: str) -> Locator:
    return page.get_by_test_id("stMain").get_by_role("heading", name=title).first


def navigate(browser: Browser, url: str, pages: list[tuple[str, str]], rounds: int) -> dict[str, list[float]]:
    """Click through the sidebar's links ``rounds`` times (after one untimed round); seconds per destination."""
    page = open_page(browser, url)
    times: dict[str, list[float]] = {link: [] for link, _ in pages}
    for round_ in range(-1, rounds):
        for link, title in pages:
            elapsed = timed(page, partial(_nav_link(page, link).click), partial(_heading, page, title))
            _progress(f"{url} -> {link}", round_, elapsed)
            if round_ >= 0:
                times[link].append(elapsed)
    page.context.close()
    return times


# ---------------------------------------------------------------- the database and the report


def build_database(path: str) -> None:
    """The example project, renamed twice: versions 1 and 2 in its history to view, 3 current."""
    sys.path.insert(0, str(ROOT))
    from core.example import example_project
    from core.store import open_store

    store = open_store(path, example=example_project)
    (summary,) = store.list_projects()
    for name in ("Rain and film (draft)", summary.name):
        store.rename_project(summary.id, name)
    store.close()


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:,.0f} ({min(values) * 1000:,.0f}–{max(values) * 1000:,.0f})"


def main() -> int:
    started = time.perf_counter()
    streamlit = [sys.executable, "-m", "streamlit"]
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        database = str(Path(folder) / "bench.duckdb")
        build_database(database)
        env = {**os.environ, "GREENLIGHT_DB": database}
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        with serve([*streamlit, "hello"], [*streamlit, "run", "app.py"], env=env) as (hello_url, app_url):
            # Half of hello's rounds before Greenlight's measurements and half after, to share the machine's drift.
            hello_nav = navigate(browser, hello_url, HELLO_PAGES, (RUNS + 1) // 2)
            actions = {
                interaction.label: run_interaction(browser, app_url, interaction) for interaction in INTERACTIONS
            }
            app_nav = navigate(browser, app_url, GREENLIGHT_PAGES, RUNS)
            hello_nav_again = navigate(browser, hello_url, HELLO_PAGES, (RUNS + 1) // 2)
        browser.close()
    baseline_times = hello_nav["Hello"] + hello_nav_again["Hello"]
    baseline = statistics.median(baseline_times)

    def row(label: str, times: list[float]) -> str:
        return f"| {label} | {ms(times)} | {statistics.median(times) / baseline:.1f}× |"

    print(f"Click-to-rendered time in headless Chromium, in ms: median of {RUNS} timed runs (fastest–slowest), after")
    print("untimed warm-up runs. Rendered = the server has reported the script run the click started as finished,")
    print("the app is idle and an element that only the result shows is visible. Baseline: a sidebar click to")
    print(
        f"`streamlit hello`'s Hello page in the same run ({len(baseline_times)} clicks, before and after Greenlight).\n"
    )
    print("| interaction | median (fastest–slowest), ms | ratio to hello navigation |")
    print("| --- | ---: | ---: |")
    for label, times in actions.items():
        print(row(label, times))
    for (link, title), times in zip(GREENLIGHT_PAGES, app_nav.values(), strict=True):
        print(row(f"sidebar link to {'Overview (/)' if title == 'Greenlight' else link}", times))
    print(row("**Greenlight navigation, every page**", [t for times in app_nav.values() for t in times]))
    print(row("streamlit hello: sidebar link to Hello (baseline)", baseline_times))
    print(
        row(
            "streamlit hello: sidebar link to DataFrame demo (no network here)",
            hello_nav["DataFrame demo"] + hello_nav_again["DataFrame demo"],
        )
    )
    print(f"\nThe whole benchmark took {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
