"""The projects page: duplicate, delete with confirmation, history and restore."""

from __future__ import annotations

from typing import Any

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


def renamed_then_viewing_version_1(app: Any) -> tuple[Any, Any, Any]:
    """The projects page after the example was renamed by mistake, with its first version open in the history."""
    at = app("projects")
    store = get_store()
    [summary] = store.list_projects()
    store.rename_project(summary.id, "Renamed by mistake")
    at.run()
    at.selectbox(key="history_version").set_value(1).run()
    return at, store, summary


def test_an_earlier_version_can_be_viewed_and_restored(app) -> None:
    at, store, summary = renamed_then_viewing_version_1(app)
    assert at.json, "the chosen version is shown"
    said = [m.value.replace("\\", "") for m in at.markdown]
    assert any("Renamed by mistake → Example: film backgrounds and rain" in text for text in said), said
    at.button(key="restore_version").click().run()
    assert at.button(key="confirm_restore"), "restoring asks first"
    at.button(key="confirm_restore").click().run()
    no_exceptions(at)
    project = store.get_project(summary.id)
    assert project is not None
    assert (project.name, project.version) == ("Example: film backgrounds and rain", 3)
    assert any("now at version 3" in s.value for s in at.success)


def test_restore_asks_and_cancel_changes_nothing(app) -> None:
    at, store, summary = renamed_then_viewing_version_1(app)
    at.button(key="restore_version").click().run()
    at.button(key="cancel_restore").click().run()
    project = store.get_project(summary.id)
    assert project is not None and (project.name, project.version) == ("Renamed by mistake", 2)


def rescored(section: dict[str, Any]) -> dict[str, Any]:
    """The same rater's section with every impact score moved (1 <-> 5)."""
    scores = {
        candidate: {**criteria, "impact": 6 - criteria["impact"]} for candidate, criteria in section["scores"].items()
    }
    return {**section, "scores": scores}


def test_one_raters_scores_can_be_restored_alone(app) -> None:
    at = app("projects")
    store = get_store()
    [summary] = store.list_projects()
    before = store.get_project(summary.id)
    assert before is not None
    raters = sorted(section for section in before.sections if section.startswith("ratings:"))
    first, second = raters[:2]
    store.save_section(summary.id, first, rescored(before.sections[first]), "first rater changed")
    store.save_section(summary.id, second, rescored(before.sections[second]), "second rater changed")
    at.run()
    at.selectbox(key="history_version").set_value(1).run()
    changed = [e.label for e in at.expander if ": changed" in e.label]
    assert len(changed) == 2, changed
    at.multiselect(key="restore_sections_1").set_value([first]).run()
    at.button(key="restore_version").click().run()
    at.button(key="confirm_restore").click().run()
    no_exceptions(at)
    after = store.get_project(summary.id)
    assert after is not None
    assert after.sections[first] == before.sections[first], "the chosen rater's scores went back"
    assert after.sections[second] == rescored(before.sections[second]), "the other rater's scores stayed"
