"""The overview page: decision, steps, key figures and the brief downloads."""

from __future__ import annotations

import dataclasses

from core.text import escape_markdown
from core.worthiness import WorthinessSection
from tests.app.conftest import no_exceptions
from ui.state import get_store


def test_the_example_project_shows_its_decision_and_reasons(app) -> None:
    at = app()
    no_exceptions(at)
    assert any("Decision: pursue with deep learning" in s.value for s in at.success)
    assert any("Forecast rain 15 minutes ahead" in s.value for s in at.success)


def test_every_planning_step_is_listed_with_its_state(app) -> None:
    at = app()
    shown = " ".join(m.value for m in at.markdown)
    for title in ("Is it worth it?", "How will we know?", "Who did it before?", "What will it take?"):
        assert title in shown


def test_key_figures_are_a_table(app) -> None:
    at = app()
    figures = at.table[0].value
    assert "Decision candidate" in set(figures["Figure"])


def test_a_new_empty_project_says_what_to_do_next(app) -> None:
    at = app()
    at.sidebar.text_input[0].input("Empty plan")
    at.sidebar.button[0].click().run()
    no_exceptions(at)
    assert any("not decided yet" in i.value for i in at.info)


def test_key_figures_show_a_candidate_name_verbatim(app) -> None:
    """The key-figure table renders Markdown, so a name that looks like Markdown must arrive escaped."""
    app()
    store = get_store()
    project = store.get_project(store.list_projects()[0].id)
    assert project is not None
    section = WorthinessSection.from_document(project.sections["worthiness"])
    hostile = "**Rain** <b>now</b> -- 15 min"
    renamed = tuple(
        dataclasses.replace(c, name=hostile) if c.name == "Forecast rain 15 minutes ahead" else c
        for c in section.candidates
    )
    store.save_section(project.id, "worthiness", dataclasses.replace(section, candidates=renamed).to_document(), "t")
    at = app()
    figures = at.table[0].value.set_index("Figure")
    assert figures.loc["Decision candidate", "Value"] == escape_markdown(hostile)
