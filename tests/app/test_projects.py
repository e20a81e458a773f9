"""The projects page: duplicate, delete with confirmation, history and restore."""

from __future__ import annotations

from tests.app.conftest import no_exceptions
from ui.state import get_store


def _names() -> list[str]:
    return [summary.name for summary in get_store().list_projects()]


def test_duplicate_makes_a_copy_and_opens_it(app) -> None:
    at = app("projects")
    at.button(key="duplicate_project").click().run()
    no_exceptions(at)
    assert sorted(_names()) == ["Copy of Example: film backgrounds and rain", "Example: film backgrounds and rain"]


def test_delete_asks_first_and_keep_it_changes_nothing(app) -> None:
    at = app("projects")
    at.button(key="delete_project").click().run()
    assert at.button(key="confirm_delete")  # the dialog is open
    at.button(key="cancel_delete").click().run()
    assert _names() == ["Example: film backgrounds and rain"]


def test_an_earlier_version_can_be_viewed_and_restored(app) -> None:
    at = app("projects")
    store = get_store()
    [summary] = store.list_projects()
    store.rename_project(summary.id, "Renamed by mistake")
    at.run()
    at.selectbox(key="history_version").set_value(1).run()
    assert at.json, "the chosen version is shown"
    at.button(key="restore_version").click().run()
    no_exceptions(at)
    project = store.get_project(summary.id)
    assert project is not None
    assert (project.name, project.version) == ("Example: film backgrounds and rain", 3)
