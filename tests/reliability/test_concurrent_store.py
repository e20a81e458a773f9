"""Nothing acknowledged is ever lost: threads that write the same project at the same moment, through the store.

Every thread waits at a barrier and then makes one write, so the writes really collide. A write that returned
without raising is acknowledged; afterwards every acknowledged write must be in the stored project. Each test
prints ``attempted=N acknowledged=A stored=S`` (shown with ``pytest -s``) and asserts the three are equal.

Writes that change part of a shared section (a candidate in "worthiness", a scenario in "resources", one
candidate's scores in a rater's section) go through ``Store.edit_sections``, whose edit function receives the
project as stored inside the write transaction. A whole-section save that was based on an older version of the
section is refused with ``EditConflict`` and changes nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from core.projects import EditConflict, Project
from core.ratings import RaterSection, ratings_section_name
from core.resources.plan import MAX_SCENARIOS, ResourcePlan, ResourcesSection
from core.store import Store
from core.worthiness import MAX_CANDIDATES, Scores
from core.worthiness.view import (
    CandidateForm,
    candidate_from_form,
    new_candidate_id,
    rater_document,
    section_with_candidate,
    stored_section,
)

pytestmark = pytest.mark.reliability

SCORES = Scores(impact=4, value=4, complexity=2, risk=2, cost=2, suitability=4)


@pytest.fixture
def store(store_on_each_target: Store) -> Store:
    """On a DuckDB file and on PostgreSQL (where a conflict is a serialization failure, retried the same way)."""
    return store_on_each_target


def _collide(count: int, write: Callable[[int], object]) -> tuple[list[int], list[tuple[int, BaseException]]]:
    """Run ``write(i)`` for i in 0..count-1, each in its own thread, all released at once by a barrier.

    Returns the indices whose write returned (acknowledged) and the (index, error) of those that raised.
    """
    barrier = threading.Barrier(count)
    lock = threading.Lock()
    acknowledged: list[int] = []
    errors: list[tuple[int, BaseException]] = []

    def work(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            write(index)
        except BaseException as error:  # collected and reported below
            with lock:
                errors.append((index, error))
            return
        with lock:
            acknowledged.append(index)

    threads = [threading.Thread(target=work, args=(i,), name=f"writer-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer was still running after 120 s"
    return sorted(acknowledged), errors


def _report(what: str, attempted: int, acknowledged: int, stored: int) -> str:
    line = f"{what}: attempted={attempted} acknowledged={acknowledged} stored={stored}"
    print(line)
    return line


def _errors(errors: list[tuple[int, BaseException]]) -> str:
    return "; ".join(f"#{index}: {type(error).__name__}: {error}" for index, error in errors[:5])


def _project(store: Store, project_id: str) -> Project:
    project = store.get_project(project_id)
    assert project is not None
    return project


# ---------------------------------------------------------------- documents, built as the pages build them


def _candidate_name(index: int) -> str:
    return f"Concurrent candidate {index:02d}"


def _add_candidate(name: str) -> Callable[[Project], dict[str, dict[str, Any]]]:
    """The edit the candidate form makes: add one new candidate to the worthiness section as stored."""

    def edit(project: Project) -> dict[str, dict[str, Any]]:
        candidate = candidate_from_form(CandidateForm(name=name), new_candidate_id(name, project.sections))
        section = section_with_candidate(stored_section(project.sections), candidate)
        return {"worthiness": section.to_document()}

    return edit


def _stored_candidate_names(project: Project) -> list[str]:
    section = stored_section(project.sections)
    return [candidate.name for candidate in section.candidates] if section else []


def _scenario(name: str) -> ResourcePlan:
    return ResourcePlan(name=name, custom_params=2_000_000.0, precision="fp32", batch=8, seq=48)


def _add_scenario(name: str) -> Callable[[Project], dict[str, dict[str, Any]]]:
    """The edit the scenarios form makes: add one scenario; the first saved one becomes the project's plan."""

    def edit(project: Project) -> dict[str, dict[str, Any]]:
        stored = project.sections.get("resources")
        section = ResourcesSection.from_document(stored) if stored is not None else ResourcesSection()
        updated = section.with_scenario(_scenario(name))
        if updated.chosen is None:
            updated = updated.choose(name)
        return {"resources": updated.to_document()}

    return edit


def _score(rater: str, candidate_id: str) -> Callable[[Project], dict[str, dict[str, Any]]]:
    """The edit the scoring form makes: this rater's scores for one candidate, their other scores kept."""

    def edit(project: Project) -> dict[str, dict[str, Any]]:
        section, document = rater_document(project.sections, rater, candidate_id, SCORES)
        return {section: document}

    return edit


def _project_with_candidates(store: Store, count: int) -> tuple[str, list[str]]:
    project_id = store.create_project("Scoring meeting")
    for index in range(count):
        store.edit_sections(project_id, _add_candidate(_candidate_name(index)), f"added candidate {index}")
    ids = list(stored_section(_project(store, project_id).sections).candidate_ids)  # type: ignore[union-attr]
    assert len(ids) == count
    return project_id, ids


# ---------------------------------------------------------------- (a) candidates


@pytest.mark.parametrize("writers", [12, 20])
def test_writers_adding_a_candidate_each_at_once_lose_none(store: Store, writers: int) -> None:
    assert writers <= MAX_CANDIDATES
    project_id = store.create_project("Candidates meeting")
    names = [_candidate_name(index) for index in range(writers)]

    acknowledged, errors = _collide(
        writers, lambda i: store.edit_sections(project_id, _add_candidate(names[i]), f"added {names[i]}")
    )

    stored = _stored_candidate_names(_project(store, project_id))
    line = _report(f"candidates x{writers}", writers, len(acknowledged), len(stored))
    lost = sorted({names[i] for i in acknowledged} - set(stored))
    assert writers == len(acknowledged) == len(stored), f"{line}; lost: {lost}; errors: {_errors(errors)}"
    assert sorted(stored) == sorted(names)


# ---------------------------------------------------------------- (b) resource scenarios


@pytest.mark.parametrize("writers", [MAX_SCENARIOS])  # a project keeps at most 12 scenarios
def test_writers_saving_a_scenario_each_at_once_lose_none(store: Store, writers: int) -> None:
    project_id = store.create_project("Resources meeting")
    names = [f"Scenario {index:02d}" for index in range(writers)]

    acknowledged, errors = _collide(
        writers, lambda i: store.edit_sections(project_id, _add_scenario(names[i]), f"saved {names[i]}")
    )

    saved = _project(store, project_id).sections.get("resources")
    section = ResourcesSection.from_document(saved) if saved is not None else ResourcesSection()
    stored = section.names()
    line = _report(f"scenarios x{writers}", writers, len(acknowledged), len(stored))
    lost = sorted({names[i] for i in acknowledged} - set(stored))
    assert writers == len(acknowledged) == len(stored), f"{line}; lost: {lost}; errors: {_errors(errors)}"
    assert sorted(stored) == names
    assert section.chosen in names  # exactly one of them became the plan, and it is stored


# ---------------------------------------------------------------- (c) one rater, several candidates at once


def test_one_rater_scoring_six_candidates_at_once_keeps_every_score(store: Store) -> None:
    writers = 6
    rater = "Ann from finance"
    project_id, candidate_ids = _project_with_candidates(store, writers)

    acknowledged, errors = _collide(
        writers,
        lambda i: store.edit_sections(
            project_id, _score(rater, candidate_ids[i]), f"{rater} scored {candidate_ids[i]}", author=rater
        ),
    )

    document = _project(store, project_id).sections.get(ratings_section_name(rater))
    scored = dict(RaterSection.from_document(document).scores) if document is not None else {}
    line = _report(f"one rater x{writers} candidates", writers, len(acknowledged), len(scored))
    lost = sorted({candidate_ids[i] for i in acknowledged} - set(scored))
    assert writers == len(acknowledged) == len(scored), f"{line}; lost: {lost}; errors: {_errors(errors)}"
    assert all(scores == SCORES for scores in scored.values())


# ---------------------------------------------------------------- (d) many raters, each their own section


@pytest.mark.parametrize("via", ["save_section", "edit_sections"])
def test_twelve_raters_saving_their_own_sections_at_once_lose_none(store: Store, via: str) -> None:
    writers = 12
    project_id, candidate_ids = _project_with_candidates(store, 2)
    raters = [f"Rater {index:02d}" for index in range(writers)]

    def write(index: int) -> None:
        rater = raters[index]
        if via == "save_section":
            document = RaterSection(rater, {candidate_ids[0]: SCORES}).to_document()
            store.save_section(project_id, ratings_section_name(rater), document, f"{rater} scored", author=rater)
        else:
            store.edit_sections(project_id, _score(rater, candidate_ids[0]), f"{rater} scored", author=rater)

    acknowledged, errors = _collide(writers, write)

    sections = _project(store, project_id).sections
    stored = [
        rater
        for rater in raters
        if ratings_section_name(rater) in sections
        and candidate_ids[0] in RaterSection.from_document(sections[ratings_section_name(rater)]).scores
    ]
    line = _report(f"raters x{writers} via {via}", writers, len(acknowledged), len(stored))
    lost = sorted({raters[i] for i in acknowledged} - set(stored))
    assert writers == len(acknowledged) == len(stored), f"{line}; lost: {lost}; errors: {_errors(errors)}"


# ---------------------------------------------------------------- (e) a stale whole-section save


def test_a_stale_whole_section_save_is_refused_and_changes_nothing(store: Store) -> None:
    project_id = store.create_project("Stale save")
    store.edit_sections(project_id, _add_candidate("First idea"), "added First idea")
    opened = _project(store, project_id)  # what a page read before someone else saved
    based_on = opened.section_versions["worthiness"]

    store.edit_sections(project_id, _add_candidate("Second idea"), "added Second idea")  # someone else
    current = _project(store, project_id)
    assert current.section_versions["worthiness"] > based_on

    stale = _add_candidate("Third idea")(opened)["worthiness"]  # built from the old read: drops Second idea
    with pytest.raises(EditConflict):
        store.save_section(project_id, "worthiness", stale, "added Third idea", based_on=based_on)
    assert issubclass(EditConflict, ValueError)  # the pages show a ValueError's sentence beside the form

    after = _project(store, project_id)
    stored = int("Third idea" in _stored_candidate_names(after))
    line = _report("stale whole-section save (refused)", 1, 0, stored)
    assert stored == 0, line
    assert after.sections["worthiness"] == current.sections["worthiness"]
    assert after.version == current.version  # no new version either
    assert after.section_versions == current.section_versions
    assert _stored_candidate_names(after) == ["First idea", "Second idea"]

    # Based on the version it really read, the same kind of save goes through.
    fresh = _add_candidate("Third idea")(after)["worthiness"]
    store.save_section(
        project_id, "worthiness", fresh, "added Third idea", based_on=after.section_versions["worthiness"]
    )
    assert _stored_candidate_names(_project(store, project_id)) == ["First idea", "Second idea", "Third idea"]


@pytest.mark.parametrize("writers", [12])
def test_stale_whole_section_saves_at_once_keep_exactly_the_acknowledged_one(store: Store, writers: int) -> None:
    """Every writer read the same version; at most one save based on it can be acknowledged, and that one is
    stored. The others are refused with EditConflict (never silently dropped)."""
    project_id = store.create_project("Stale race")
    store.edit_sections(project_id, _add_candidate("Shared start"), "added Shared start")
    opened = _project(store, project_id)
    based_on = opened.section_versions["worthiness"]
    names = [_candidate_name(index) for index in range(writers)]
    documents = [_add_candidate(name)(opened)["worthiness"] for name in names]

    acknowledged, errors = _collide(
        writers,
        lambda i: store.save_section(project_id, "worthiness", documents[i], f"added {names[i]}", based_on=based_on),
    )

    stored = _stored_candidate_names(_project(store, project_id))
    stored_new = [name for name in stored if name in names]
    line = _report(f"stale saves x{writers}", writers, len(acknowledged), len(stored_new))
    refused = [error for _, error in errors if isinstance(error, EditConflict)]
    assert len(refused) == len(errors), f"{line}; unexpected errors: {_errors(errors)}"
    assert len(acknowledged) == 1 == len(stored_new), line
    assert stored == ["Shared start", names[acknowledged[0]]], line
    assert len(acknowledged) + len(refused) == writers, line
