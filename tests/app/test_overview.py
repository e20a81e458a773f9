"""The overview page: decision, steps, key figures and the brief downloads."""

from __future__ import annotations

from tests.app.conftest import no_exceptions


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
    figures = at.dataframe[0].value
    assert "Top candidate" in set(figures["Figure"])


def test_a_new_empty_project_says_what_to_do_next(app) -> None:
    at = app()
    at.sidebar.text_input[0].input("Empty plan")
    at.sidebar.button[0].click().run()
    no_exceptions(at)
    assert any("not decided yet" in i.value for i in at.info)
