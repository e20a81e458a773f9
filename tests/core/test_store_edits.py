"""Saving without losing anybody's work: edits computed from what is stored, stale saves refused with who
saved what, unique project names, and a history that stores each section document once."""

from __future__ import annotations

from typing import Any

import pytest

from core.projects import EditConflict, Project
from core.ratings import RaterSection
from core.store import Store
from core.worthiness import Scores


@pytest.fixture
def store(store_on_each_target: Store) -> Store:
    """Every test here runs on a DuckDB file and on PostgreSQL."""
    return store_on_each_target


def _rater(name: str, candidate: str = "c1", impact: int = 3) -> dict[str, Any]:
    scores = Scores(impact=impact, value=3, complexity=3, risk=3, cost=3, suitability=3)
    return RaterSection(name, {candidate: scores}).to_document()


def test_an_edit_sees_what_was_saved_after_the_page_read_the_project(store: Store) -> None:
    project_id = store.create_project("Meeting")
    store.save_section(project_id, "ratings:Ann", _rater("Ann"), "Ann scored")
    seen: list[set[str]] = []

    def edit(project: Project) -> dict[str, dict[str, Any] | None]:
        seen.append(set(project.sections))
        return {"ratings:Bob": _rater("Bob")}

    store.edit_sections(project_id, edit, "Bob scored", author="Bob")
    assert seen == [{"ratings:Ann"}]
    stored = store.get_project(project_id)
    assert stored is not None and set(stored.sections) == {"ratings:Ann", "ratings:Bob"}


def test_an_edit_returning_none_deletes_the_section(store: Store) -> None:
    project_id = store.create_project("Meeting", {"ratings:Ann": _rater("Ann")})
    store.edit_sections(project_id, lambda project: {"ratings:Ann": None}, "removed Ann")
    stored = store.get_project(project_id)
    assert stored is not None and stored.sections == {}


def test_an_edit_with_nothing_to_change_writes_no_version(store: Store) -> None:
    project_id = store.create_project("Meeting")
    assert store.edit_sections(project_id, lambda project: {}, "nothing") == 1
    assert [version for version, _, _ in store.list_versions(project_id)] == [1]


def test_section_versions_say_when_each_section_was_last_saved(store: Store) -> None:
    project_id = store.create_project("Meeting", {"ratings:Ann": _rater("Ann")})
    store.save_section(project_id, "ratings:Bob", _rater("Bob"), "Bob scored")
    stored = store.get_project(project_id)
    assert stored is not None and stored.section_versions == {"ratings:Ann": 1, "ratings:Bob": 2}


def test_a_save_based_on_a_stale_section_is_refused_naming_who_saved_what(store: Store) -> None:
    project_id = store.create_project("Meeting", {"ratings:Ann": _rater("Ann", impact=1)})
    store.save_section(project_id, "ratings:Ann", _rater("Ann", impact=2), "Ann changed her mind", author="Ann")
    with pytest.raises(EditConflict) as refused:
        store.save_section(project_id, "ratings:Ann", _rater("Ann", impact=5), "stale copy", based_on=1)
    assert "Ann saved 'Ann changed her mind'" in str(refused.value)
    assert "version 2" in str(refused.value)
    stored = store.get_project(project_id)
    assert stored is not None and stored.sections["ratings:Ann"] == _rater("Ann", impact=2)
    assert stored.version == 2


def test_a_save_based_on_the_current_section_is_stored(store: Store) -> None:
    project_id = store.create_project("Meeting", {"ratings:Ann": _rater("Ann", impact=1)})
    store.save_section(project_id, "ratings:Ann", _rater("Ann", impact=4), "Ann again", based_on=1)
    stored = store.get_project(project_id)
    assert stored is not None and stored.sections["ratings:Ann"] == _rater("Ann", impact=4)


def test_an_edits_own_conflict_is_completed_with_the_last_change(store: Store) -> None:
    project_id = store.create_project("Meeting", {"ratings:Ann": _rater("Ann")})

    def edit(project: Project) -> dict[str, dict[str, Any] | None]:
        raise EditConflict("Your change was not saved: this candidate was changed.", section="ratings:Ann")

    with pytest.raises(EditConflict, match="Meanwhile someone in another browser saved 'created'"):
        store.edit_sections(project_id, edit, "mine")


@pytest.mark.parametrize(
    ("existing", "wanted"),
    [
        ("Twin", "Twin"),
        ("Twin", "twin"),
        ("Twin project", "  Twin   project "),
        ("Twin", "Twin\u200b"),
        ("Twin", "\u200fTwin"),
        ("Ｔｗｉｎ", "Twin"),  # full-width letters read the same
    ],
)
def test_a_name_that_reads_like_an_existing_one_is_refused(store: Store, existing: str, wanted: str) -> None:
    store.create_project(existing)
    with pytest.raises(ValueError, match="already exists"):
        store.create_project(wanted)
    assert len(store.list_projects()) == 1


@pytest.mark.parametrize("other", ["Twin 2", "Twins", "Twin (2)"])
def test_different_names_are_accepted(store: Store, other: str) -> None:
    store.create_project("Twin")
    store.create_project(other)
    assert len(store.list_projects()) == 2


def test_renaming_onto_another_projects_name_is_refused(store: Store) -> None:
    store.create_project("Alpha")
    beta = store.create_project("Beta")
    with pytest.raises(ValueError, match="already exists"):
        store.rename_project(beta, "alpha")
    store.rename_project(beta, "BETA")  # its own name in other case is fine


def test_a_rename_based_on_an_outdated_name_is_refused_and_says_what_it_is_now(store: Store) -> None:
    project_id = store.create_project("Shelf cameras")
    store.rename_project(project_id, "Shelf cameras 2027", based_on_name="Shelf cameras", author="Ann")
    with pytest.raises(EditConflict) as refused:
        store.rename_project(project_id, "Empty shelves", based_on_name="Shelf cameras", author="Bob")
    message = str(refused.value)
    assert "Ann saved 'renamed'" in message and "'Shelf cameras 2027'" in message and "'Empty shelves'" in message
    stored = store.get_project(project_id)
    assert stored is not None and stored.name == "Shelf cameras 2027"


def test_duplicates_and_imports_take_the_first_free_number(store: Store) -> None:
    original = store.create_project("Twin")
    first = store.duplicate_project(original, "Twin")
    second = store.duplicate_project(original, "Twin")
    document = store.export_documents([original])[0]
    (imported,) = store.import_documents([document])
    names = {p.id: p.name for p in store.list_projects()}
    assert [names[first], names[second], names[imported]] == ["Twin (2)", "Twin (3)", "Twin (4)"]


def test_history_keeps_every_version_whole(store: Store) -> None:
    project_id = store.create_project("History", {"ratings:Ann": _rater("Ann", impact=1)})
    store.save_section(project_id, "ratings:Bob", _rater("Bob"), "Bob scored")
    store.save_section(project_id, "ratings:Ann", _rater("Ann", impact=5), "Ann again")
    store.rename_project(project_id, "History renamed")
    first, second, third, fourth = (store.get_version(project_id, v) for v in (1, 2, 3, 4))
    assert first is not None and first["sections"] == {"ratings:Ann": _rater("Ann", impact=1)}
    assert second is not None and set(second["sections"]) == {"ratings:Ann", "ratings:Bob"}
    assert third is not None and third["sections"]["ratings:Ann"] == _rater("Ann", impact=5)
    assert fourth is not None and fourth["name"] == "History renamed" and fourth["sections"] == third["sections"]
    store.restore_version(project_id, 1)
    restored = store.get_project(project_id)
    assert restored is not None and restored.sections == first["sections"] and restored.name == "History"


@pytest.mark.parametrize(
    ("sections", "ann_impact", "has_bob", "change"),
    [
        # Ann's scores go back; Bob's, saved since, stay
        (["ratings:Ann"], 1, True, "restored Ann's scores from version 1"),
        # a section the earlier version lacks is removed when chosen
        (["ratings:Bob"], 5, False, "restored Bob's scores from version 1"),
        (["ratings:Ann", "ratings:Bob"], 1, False, "restored Ann's scores, Bob's scores from version 1"),
    ],
)
def test_restoring_chosen_sections_leaves_the_others_and_the_name(
    store: Store, sections: list[str], ann_impact: int, has_bob: bool, change: str
) -> None:
    project_id = store.create_project("History", {"ratings:Ann": _rater("Ann", impact=1)})
    store.save_section(project_id, "ratings:Bob", _rater("Bob"), "Bob scored")
    store.save_section(project_id, "ratings:Ann", _rater("Ann", impact=5), "Ann again")
    store.rename_project(project_id, "History renamed")
    version = store.restore_version(project_id, 1, sections)
    restored = store.get_project(project_id)
    assert restored is not None and (restored.version, restored.name) == (version, "History renamed")
    assert restored.sections["ratings:Ann"] == _rater("Ann", impact=ann_impact)
    assert ("ratings:Bob" in restored.sections) is has_bob
    assert store.list_versions(project_id)[0][2] == change


@pytest.mark.parametrize(("sections", "message"), [([], "Choose at least one section"), (["Bad Name"], "not a known")])
def test_restoring_no_or_unknown_sections_is_refused(store: Store, sections: list[str], message: str) -> None:
    project_id = store.create_project("History", {"ratings:Ann": _rater("Ann")})
    with pytest.raises(ValueError, match=message):
        store.restore_version(project_id, 1, sections)


def test_a_save_stores_only_the_section_it_changed(store: Store) -> None:
    """Growth per save is one compressed section document, not a copy of the whole project."""
    big = {f"ratings:Rater {i}": _rater(f"Rater {i}") for i in range(30)}
    project_id = store.create_project("Big", big)
    with store._cursor() as cur:
        before = cur.execute("SELECT count(*) FROM section_documents").fetchone()
    store.save_section(project_id, "ratings:Rater 0", _rater("Rater 0", impact=5), "one change")
    with store._cursor() as cur:
        after = cur.execute("SELECT count(*) FROM section_documents").fetchone()
    assert before is not None and after is not None and after[0] == before[0] + 1


def test_deleting_a_project_removes_its_stored_documents(store: Store) -> None:
    keep = store.create_project("Keep", {"ratings:Ann": _rater("Ann")})
    gone = store.create_project("Gone", {"ratings:Ann": _rater("Ann")})
    store.delete_project(gone)
    with store._cursor() as cur:
        owners = {row[0] for row in cur.execute("SELECT project_id FROM section_documents").fetchall()}
    assert owners == {keep}


def test_an_import_of_a_project_already_here_makes_a_copy_by_default(store: Store) -> None:
    original = store.create_project("Shelves", {"ratings:Ann": _rater("Ann")})
    document = store.export_documents([original])[0]
    (copy,) = store.import_documents([document])
    assert copy != original
    names = {p.id: p.name for p in store.list_projects()}
    assert names == {original: "Shelves", copy: "Shelves (2)"}


def test_an_import_can_replace_the_project_keeping_what_it_replaced_in_the_history(store: Store) -> None:
    original = store.create_project("Shelves", {"ratings:Ann": _rater("Ann", impact=1)})
    exported = store.export_documents([original])[0]
    store.save_section(original, "ratings:Bob", _rater("Bob"), "Bob scored after the export")
    assert store.existing_ids([original, "0123456789ab"]) == [original]
    (replaced,) = store.import_documents([exported], replace_existing=True)
    assert replaced == original and len(store.list_projects()) == 1
    project = store.get_project(original)
    assert project is not None and project.sections == exported["sections"]
    before = store.get_version(original, project.version - 1)
    assert before is not None and "ratings:Bob" in before["sections"]
