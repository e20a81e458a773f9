"""Nothing acknowledged is ever lost, in real browsers: many sessions on one project submit at (nearly) the same
moment; every save a page confirmed must be in the database afterwards.

Each test starts its own server on its own database file, with the project created before the server starts.
Every session first fills its form, then all submit buttons are clicked in quick succession, then each page's
confirmation is awaited. acknowledged = pages that showed the success message; stored = what the database holds
once the server has stopped (DuckDB lets no other process open a file while the server holds it). Each test prints
``attempted=N acknowledged=A stored=S`` (shown with ``pytest -s``) and asserts the three are equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from core.projects import Project
from core.ratings import RATINGS_PREFIX, RaterSection, ratings_section_name
from core.resources.plan import ResourcesSection
from core.store import open_store
from core.worthiness import CRITERIA, CRITERION_KEYS, Candidate, WorthinessSection, make_candidate_id
from core.worthiness.view import (
    CandidateForm,
    candidate_from_form,
    section_with_candidate,
    stored_section,
)
from tests.e2e.conftest import COUNT_FINISHED_RUNS, Server, start_server, stop_server

# Up to 20 browsers at once: run alone (make test does), so other browser tests are not starved meanwhile.
pytestmark = [pytest.mark.reliability, pytest.mark.alone]

# Twenty sessions on two busy cores: one page's run can wait many seconds behind the others'. Opening them all
# at once is the heaviest moment (every browser context loads and starts the app's frontend), so it gets longer.
TIMEOUT_MS = 60_000
OPEN_TIMEOUT_MS = 120_000
LEVELS = {"impact": 4, "value": 4, "complexity": 2, "risk": 2, "cost": 2, "suitability": 4}


# ---------------------------------------------------------------- one server, one database, one project


@dataclass
class Meeting:
    database: Path
    project_id: str
    server: Server | None = None
    contexts: list[BrowserContext] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)

    def url(self, page: str) -> str:
        assert self.server is not None
        return f"{self.server.url}/{page}?project={self.project_id}"

    def stored(self) -> Project:
        """The project as saved: stops the server first (it holds the database file)."""
        if self.server is not None:
            stop_server(self.server)
        store = open_store(str(self.database))
        try:
            project = store.get_project(self.project_id)
        finally:
            store.close()
        assert project is not None
        return project


def _candidate_name(index: int) -> str:
    return f"Meeting candidate {index:02d}"


def _candidates(project: Project) -> tuple[Candidate, ...]:
    section = stored_section(project.sections)
    return section.candidates if section is not None else ()


@pytest.fixture
def start_meeting(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[..., Meeting]]:
    """Create a project (with ``candidates`` candidates) in a fresh database file, then start a server on it."""
    started: list[Meeting] = []

    def start(candidates: int = 0) -> Meeting:
        database = tmp_path / f"meeting-{len(started)}.duckdb"
        store = open_store(str(database))
        try:
            store.set_meta("example_created", "not wanted here")  # only the test's project in the database
            project_id = store.create_project("Concurrent meeting")
            section: WorthinessSection | None = None
            for index in range(candidates):
                name = _candidate_name(index)
                candidate_id = make_candidate_id(name, section.candidate_ids if section else ())
                section = section_with_candidate(section, candidate_from_form(CandidateForm(name=name), candidate_id))
            if section is not None:
                store.save_section(project_id, "worthiness", section.to_document(), "candidates for the test")
        finally:
            store.close()
        meeting = Meeting(database, project_id)
        started.append(meeting)
        # No file watcher: a source file saved elsewhere meanwhile must not reload the app under the test.
        meeting.server = start_server(tmp_path, str(database), env={"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"})
        return meeting

    yield start
    report = getattr(request.node, "report_call", None)
    for meeting in started:
        if report is not None and report.failed:
            for index, page in enumerate(meeting.pages):
                print(f"--- page #{index}: {_describe(page)}")
        for context in meeting.contexts:
            context.close()
        if meeting.server is not None:
            stop_server(meeting.server)
            if report is not None and report.failed and meeting.server.log.exists():
                print(f"--- end of the server log ({meeting.server.log.name}) ---")
                print(meeting.server.log.read_text(errors="replace")[-3000:])


def _describe(page: Page) -> str:
    """What a page showed at a failure: address, script state, its messages (not its whole text)."""
    try:
        state = page.locator('[data-testid="stApp"]').get_attribute("data-test-script-state", timeout=2_000)
        alerts = page.locator('[data-testid="stAlert"], [data-testid="stException"]').all_inner_texts()
    except Exception as error:  # the page may be gone; the failure itself is reported already
        return f"could not be read ({error})"
    return f"{page.url} (script state: {state}); messages: {[text[:200] for text in alerts]}"


# ---------------------------------------------------------------- sessions


def _context(browser: Browser, meeting: Meeting) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(COUNT_FINISHED_RUNS)
    context.set_default_timeout(TIMEOUT_MS)
    meeting.contexts.append(context)
    return context


def _sessions(browser: Browser, meeting: Meeting, count: int) -> list[Page]:
    """``count`` people: each a page in a browser context of their own."""
    pages = [_context(browser, meeting).new_page() for _ in range(count)]
    meeting.pages.extend(pages)
    return pages


def _tabs(browser: Browser, meeting: Meeting, count: int, url: str, ready: Callable[[Page], Locator]) -> list[Page]:
    """``count`` tabs of one browser: the first is opened (and its cookies set) before the others, as a person
    opens a second tab only once the first one shows the page."""
    context = _context(browser, meeting)
    first = context.new_page()
    meeting.pages.append(first)
    _open_all([first], url, ready)
    others = [context.new_page() for _ in range(count - 1)]
    meeting.pages.extend(others)
    _open_all(others, url, ready)
    return [first, *others]


NOT_RUNNING = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _settle(pages: list[Page]) -> None:
    """Wait until every page's script has finished running; twice, so that a run that follows at once (a
    callback's st.rerun, a redrawn widget) is awaited too. One pause serves all pages."""
    for _ in range(2):
        for page in pages:
            page.wait_for_selector(NOT_RUNNING, timeout=TIMEOUT_MS)
        pages[0].wait_for_timeout(300)
    for page in pages:
        exceptions = page.get_by_test_id("stException")
        assert exceptions.count() == 0, exceptions.all_inner_texts()


def _await_all(pages: list[Page], shows: Callable[[Page], Locator], timeout: float = TIMEOUT_MS) -> None:
    for page in pages:
        expect(shows(page)).to_be_visible(timeout=timeout)
    _settle(pages)


def _each(pages: list[Page], act: Callable[[Page], object]) -> None:
    """Do ``act`` in every page without waiting for the runs it starts (the server runs them side by side).
    A tab is brought to the front first: a background tab gets no animation frames, and every click waits
    for one."""
    for page in pages:
        _front(page)
        act(page)


def _front(page: Page) -> None:
    if len(page.context.pages) > 1:  # tabs of one browser
        page.bring_to_front()


def _open_all(pages: list[Page], url: str, ready: Callable[[Page], Locator]) -> None:
    """Open ``url`` in every page at once, then wait until each shows ``ready``."""
    for page in pages:
        page.goto(url, wait_until="commit")
    _await_all(pages, ready, OPEN_TIMEOUT_MS)


def _open_tab(pages: list[Page], label: str, shows: Callable[[Page], Locator]) -> None:
    """Open a tab of st.tabs in every page and wait until each shows its content."""

    def click(page: Page) -> None:
        tab = page.get_by_role("tab", name=label, exact=True)
        if tab.get_attribute("aria-selected") != "true":
            tab.click()

    _each(pages, click)
    _await_all(pages, shows)


def _choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox ``label`` (retried: under load the open list can be redrawn)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    for _attempt in range(3):
        if box.input_value() == option:
            break
        box.click()
        box.fill(option)
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
            expect(box).to_have_value(option, timeout=TIMEOUT_MS)
        except (PlaywrightTimeoutError, AssertionError):
            page.keyboard.press("Escape")
        _settle([page])
    expect(box).to_have_value(option)


def _click_all(pages: list[Page], button: str) -> None:
    """Submit every page's form in quick succession: no page's answer is awaited before the last click.

    Each button is checked to be enabled first; the clicks then skip Playwright's wait for the element to
    stand still (two animation frames each), which on busy cores spread twenty clicks over a minute."""
    buttons = [page.get_by_role("button", name=button, exact=True) for page in pages]
    for located in buttons:
        expect(located).to_be_enabled()
    for page, located in zip(pages, buttons, strict=True):
        _front(page)
        located.click(force=True)


def _outcomes(pages: list[Page], successes: list[str]) -> list[str]:
    """Per page: "acknowledged" when it showed its success message; otherwise what it showed instead."""
    found: list[tuple[Locator, Locator, Locator] | None] = []
    for page, success in zip(pages, successes, strict=True):
        confirmed = page.get_by_text(success)
        refused = page.get_by_text(re.compile(r"Not saved|not saved|Could not|could not"))
        exception = page.get_by_test_id("stException")
        try:
            confirmed.or_(refused).or_(exception).first.wait_for(timeout=TIMEOUT_MS)
        except PlaywrightTimeoutError:
            found.append(None)
        else:
            found.append((confirmed, refused, exception))
    for page in pages:
        page.wait_for_selector(NOT_RUNNING, timeout=TIMEOUT_MS)
    outcomes = []
    for located in found:
        if located is None:
            outcomes.append("no answer within 60 s")
            continue
        confirmed, refused, exception = located
        if confirmed.count():
            outcomes.append("acknowledged")
        elif exception.count():
            outcomes.append("exception: " + exception.first.inner_text()[:300])
        else:
            outcomes.append("refused: " + refused.first.inner_text()[:300])
    return outcomes


def _report(what: str, attempted: int, outcomes: list[str], stored: int) -> str:
    acknowledged = outcomes.count("acknowledged")
    line = f"{what}: attempted={attempted} acknowledged={acknowledged} stored={stored}"
    print(line)
    others = [f"#{index}: {outcome}" for index, outcome in enumerate(outcomes) if outcome != "acknowledged"]
    return line + (f"; not acknowledged: {'; '.join(others[:5])}" if others else "")


# ---------------------------------------------------------------- scoring steps


def _name_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Your name")


def _candidate_box(page: Page) -> Locator:
    return page.get_by_role("combobox", name="Candidate to score", exact=True)


def _confirm_button(page: Page) -> Locator:
    return page.get_by_role("button", name=re.compile(r"yes, i am|that is me|that's me|it is me|it's me", re.I))


def _type_names(pages: list[Page], raters: list[str]) -> None:
    """Type each rater's name in "Your name", always explicitly (it may be empty or remembered); confirm it
    is theirs if a page asks."""
    for page, rater in zip(pages, raters, strict=True):
        _front(page)
        if _name_box(page).input_value() != rater:
            _name_box(page).fill(rater)
            _name_box(page).press("Enter")
    for page, rater in zip(pages, raters, strict=True):
        expect(_name_box(page)).to_have_value(rater)
    _settle(pages)
    asking = [page for page in pages if _confirm_button(page).count()]
    if asking:
        _each(asking, lambda page: _confirm_button(page).first.click())
        _settle(asking)


def _pick_levels(page: Page) -> None:
    """Pick LEVELS in the six radio groups (inside the form: no run starts). The tab is drawn and settled, so
    the clicks skip Playwright's wait for each label to stand still; the stored scores are compared with
    LEVELS afterwards, so a click that missed shows up as a score not stored."""
    for key in CRITERION_KEYS:
        group = page.get_by_role("radiogroup", name=re.compile(re.escape(CRITERIA[key].label)))
        group.locator("label").filter(has_text=re.compile(rf"^{LEVELS[key]} –")).click(force=True)


def _scored(document: dict[str, object] | None) -> set[str]:
    """The candidate ids a rater's section holds exactly the LEVELS for."""
    if document is None:
        return set()
    return {cid for cid, scores in RaterSection.from_document(document).scores.items() if scores.as_dict() == LEVELS}


def _prepare_scoring(pages: list[Page], raters: list[str], candidates: list[str]) -> None:
    """Everything up to the save: Scoring tab, name, candidate, the six levels (a form: nothing is sent yet).
    The tab is opened first, so that typing the name reruns the light Scoring tab, not the Candidates form."""
    _open_tab(pages, "Scoring", _candidate_box)
    _type_names(pages, raters)
    for page, candidate in zip(pages, candidates, strict=True):
        _front(page)
        _choose(page, "Candidate to score", candidate)
    _each(pages, _pick_levels)


def _score_outcomes(pages: list[Page], successes: list[str]) -> tuple[list[str], int]:
    """Each page's outcome; a page that asks whether the name is really its person's is answered yes (and
    then counts as acknowledged only once it confirms the save). Returns the outcomes and how many asked."""
    outcomes = _outcomes(pages, successes)
    asking = [
        index
        for index, outcome in enumerate(outcomes)
        if outcome.startswith("refused: Not saved yet") and _confirm_button(pages[index]).count()
    ]
    if asking:
        _each([pages[index] for index in asking], lambda page: _confirm_button(page).first.click())
        again = _outcomes([pages[index] for index in asking], [successes[index] for index in asking])
        for index, outcome in zip(asking, again, strict=True):
            outcomes[index] = outcome
    return outcomes, len(asking)


# ---------------------------------------------------------------- candidates


def _add_button(page: Page) -> Locator:
    return page.get_by_role("button", name="Add candidate", exact=True)


@pytest.mark.parametrize("sessions", [12, 20])
def test_sessions_adding_a_candidate_each_at_once_lose_none(
    browser: Browser, start_meeting: Callable[..., Meeting], sessions: int
) -> None:
    meeting = start_meeting()
    pages = _sessions(browser, meeting, sessions)
    names = [_candidate_name(index) for index in range(sessions)]
    _open_all(pages, meeting.url("worthiness"), _add_button)
    for page, name in zip(pages, names, strict=True):
        page.get_by_role("textbox", name="Name", exact=True).fill(name)

    _click_all(pages, "Add candidate")
    outcomes = _outcomes(pages, [f"Added {name}." for name in names])

    stored = [candidate.name for candidate in _candidates(meeting.stored())]
    line = _report(f"candidates x{sessions} sessions", sessions, outcomes, len(stored))
    acknowledged = {name for name, outcome in zip(names, outcomes, strict=True) if outcome == "acknowledged"}
    assert sessions == len(acknowledged) == len(stored), f"{line}; lost: {sorted(acknowledged - set(stored))}"
    assert sorted(stored) == names


# ---------------------------------------------------------------- resource scenarios


def _scenario_name_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Scenario name", exact=True)


def test_ten_sessions_saving_a_scenario_each_at_once_lose_none(
    browser: Browser, start_meeting: Callable[..., Meeting]
) -> None:
    sessions = 10
    meeting = start_meeting()
    pages = _sessions(browser, meeting, sessions)
    names = [f"Scenario {index:02d}" for index in range(sessions)]
    _open_all(pages, meeting.url("resources"), lambda page: page.get_by_role("tab", name="Scenarios", exact=True))
    _open_tab(pages, "Scenarios", _scenario_name_box)
    for page, name in zip(pages, names, strict=True):
        _scenario_name_box(page).fill(name)

    _click_all(pages, "Save scenario")
    outcomes = _outcomes(pages, [f"Saved '{name}'." for name in names])

    saved = meeting.stored().sections.get("resources")
    stored = ResourcesSection.from_document(saved).names() if saved is not None else ()
    line = _report(f"scenarios x{sessions} sessions", sessions, outcomes, len(stored))
    acknowledged = {name for name, outcome in zip(names, outcomes, strict=True) if outcome == "acknowledged"}
    assert sessions == len(acknowledged) == len(stored), f"{line}; lost: {sorted(acknowledged - set(stored))}"
    assert sorted(stored) == names


# ---------------------------------------------------------------- scoring


def test_six_tabs_of_one_rater_scoring_different_candidates_at_once_keep_every_score(
    browser: Browser, start_meeting: Callable[..., Meeting]
) -> None:
    sessions = 6
    rater = "Ann from finance"
    meeting = start_meeting(candidates=sessions)
    pages = _tabs(browser, meeting, sessions, meeting.url("worthiness"), _name_box)
    names = [_candidate_name(index) for index in range(sessions)]
    _prepare_scoring(pages, [rater] * sessions, names)

    _click_all(pages, "Save my scores")
    outcomes, asked = _score_outcomes(pages, [f"Saved {rater}'s scores for {name}." for name in names])

    project = meeting.stored()
    ids = {candidate.name: candidate.id for candidate in _candidates(project)}
    document = project.sections.get(ratings_section_name(rater))
    scored = _scored(document)
    line = _report(f"one rater x{sessions} tabs", sessions, outcomes, len(scored))
    if asked:
        print(f"  ({asked} tab(s) of the same browser were asked to confirm the name)")
    acknowledged = {name for name, outcome in zip(names, outcomes, strict=True) if outcome == "acknowledged"}
    lost = sorted(name for name in acknowledged if ids[name] not in scored)
    assert sessions == len(acknowledged) == len(scored), f"{line}; lost: {lost}"


def test_twelve_raters_scoring_at_once_lose_none(browser: Browser, start_meeting: Callable[..., Meeting]) -> None:
    sessions = 12
    meeting = start_meeting(candidates=2)
    pages = _sessions(browser, meeting, sessions)
    raters = [f"Rater {index:02d}" for index in range(sessions)]
    candidate = _candidate_name(0)
    _open_all(pages, meeting.url("worthiness"), _name_box)
    _prepare_scoring(pages, raters, [candidate] * sessions)

    _click_all(pages, "Save my scores")
    outcomes, asked = _score_outcomes(pages, [f"Saved {rater}'s scores for {candidate}." for rater in raters])

    project = meeting.stored()
    candidate_id = _candidates(project)[0].id
    stored = {
        RaterSection.from_document(document).rater
        for section, document in project.sections.items()
        if section.startswith(RATINGS_PREFIX) and candidate_id in _scored(document)
    }
    line = _report(f"raters x{sessions} sessions", sessions, outcomes, len(stored))
    acknowledged = {rater for rater, outcome in zip(raters, outcomes, strict=True) if outcome == "acknowledged"}
    assert asked == 0, f"{line}; {asked} rater(s) with a name of their own were asked whether it is theirs"
    assert sessions == len(acknowledged) == len(stored), f"{line}; lost: {sorted(acknowledged - stored)}"
