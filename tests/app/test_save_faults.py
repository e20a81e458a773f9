"""A save that cannot be stored says why beside the form, keeps what the user typed and shows no traceback:
a full disk, a database too busy to take the save, a change someone else made meanwhile, a concurrent rename."""

from __future__ import annotations

from typing import Any, NoReturn

import pytest
from streamlit.testing.v1 import AppTest

from core.store import _STORAGE_FULL_MESSAGE, StorageFull, Store, StoreBusy
from tests.app.conftest import error_text, no_exceptions
from ui.state import get_store

NAME = "Detect empty shelves"


def _add_candidate(at: AppTest, name: str = NAME) -> AppTest:
    at.selectbox(key="worthiness_candidate_pick").set_value("__new__").run()
    at.text_input(key="worthiness_cand_name").input(name)
    at.button(key="worthiness_candidate_save").click().run()
    no_exceptions(at)
    return at


def _example_id() -> str:
    (summary,) = get_store().list_projects()
    return summary.id


@pytest.mark.parametrize(
    "fault",
    [
        StorageFull(_STORAGE_FULL_MESSAGE),
        StoreBusy("The database is busy with other saves; nothing was saved and your input is kept: press Save again."),
    ],
    ids=["disk full", "busy"],
)
def test_a_save_the_database_cannot_take_is_explained_and_the_input_kept(
    app, monkeypatch: pytest.MonkeyPatch, fault: Exception
) -> None:
    at = app("worthiness")
    before = get_store().get_project(_example_id())

    def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        raise fault

    monkeypatch.setattr(Store, "edit_sections", refuse)
    _add_candidate(at)
    assert str(fault) in error_text(at)
    assert at.text_input(key="worthiness_cand_name").value == NAME  # the input is kept
    after = get_store().get_project(_example_id())
    assert before is not None and after is not None and after.version == before.version


def test_a_candidate_changed_by_someone_else_meanwhile_is_not_overwritten(app) -> None:
    at = app("worthiness")
    at.selectbox(key="worthiness_candidate_pick").set_value("rain-forecast-15min").run()
    # Someone in another browser changes the same candidate after this form was filled.
    store = get_store()
    project_id = _example_id()

    def theirs(project: Any) -> dict[str, Any]:
        document = dict(project.sections["worthiness"])
        document["candidates"] = [
            {**c, "problem": "Changed by Bob"} if c["id"] == "rain-forecast-15min" else c
            for c in document["candidates"]
        ]
        return {"worthiness": document}

    store.edit_sections(project_id, theirs, "worthiness: changed Forecast rain", author="Bob")
    at.text_area(key="worthiness_cand_problem").input("Mine")
    at.button(key="worthiness_candidate_save").click().run()
    no_exceptions(at)
    shown = error_text(at)
    assert "this candidate was changed" in shown and "Bob saved 'worthiness: changed Forecast rain'" in shown
    assert at.text_area(key="worthiness_cand_problem").value == "Mine"  # the input is kept
    stored = store.get_project(project_id)
    assert stored is not None
    rain = next(c for c in stored.sections["worthiness"]["candidates"] if c["id"] == "rain-forecast-15min")
    assert rain["problem"] == "Changed by Bob"
    # Saving again, knowingly, replaces theirs.
    at.button(key="worthiness_candidate_save").click().run()
    stored = store.get_project(project_id)
    assert stored is not None
    rain = next(c for c in stored.sections["worthiness"]["candidates"] if c["id"] == "rain-forecast-15min")
    assert rain["problem"] == "Mine"


def test_a_rename_typed_while_someone_else_renamed_is_refused_with_a_sentence(app) -> None:
    at = app("overview")
    project_id = _example_id()
    get_store().rename_project(project_id, "Renamed in another browser", author="Ann")
    at.text_input(key="rename_project_name").input("My new name")
    next(b for b in at.sidebar.button if b.label == "Rename").click().run()
    no_exceptions(at)
    shown = error_text(at)
    assert "Not renamed" in shown and "Ann saved 'renamed'" in shown and "'Renamed in another browser'" in shown
    stored = get_store().get_project(project_id)
    assert stored is not None and stored.name == "Renamed in another browser"
