"""The /success-metrics page in AppTest: chains from templates, live checks, tree, break-even, bad input, saving."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from core.metrics import BreakEvenInputs, MetricsSection
from core.worthiness import Alternative, Candidate, WorthinessSection
from tests.app.conftest import error_text, no_exceptions
from ui.state import get_store

FRESH = "parcel-damage"
FORECAST = "rain-forecast-15min"


# --- helpers ----------------------------------------------------------------------------------


def store() -> Any:
    # The app's own store: AppTest runs the script in this process, so the cached resource is shared.
    return get_store()


def seeded_project(app: Callable[..., AppTest]) -> str:
    """A project with one worthiness candidate and no metrics yet; returns its id."""
    app()  # creates the database
    project_id = store().create_project("Parcel damage detection")
    candidate = Candidate(
        id=FRESH,
        name="Detect damaged parcels",
        problem="Spot crushed or torn parcels on the conveyor before they ship.",
        alternatives=(Alternative("rule-based / image processing", "partly", 15_000.0, "colour thresholds"),),
    )
    store().save_section(project_id, "worthiness", WorthinessSection(candidates=(candidate,)).to_document(), "seed")
    return project_id


def page(app: Callable[..., AppTest], project_id: str, **query: str) -> AppTest:
    at = app("success-metrics", project=project_id, **query)
    no_exceptions(at)
    return at


def example_page(app: Callable[..., AppTest], **query: str) -> tuple[AppTest, str]:
    """The page on the example project (the first run creates it); returns the AppTest and the project id."""
    at = app("success-metrics", **query)
    no_exceptions(at)
    return at, store().list_projects()[0].id


def shown(at: AppTest) -> str:
    """Everything the page says in text, unescaped (markdown escapes are backslashes)."""
    texts = [
        element.value
        for kind in ("markdown", "error", "warning", "info", "success", "caption")
        for element in getattr(at, kind)
    ]
    return "\n".join(str(text) for text in texts).replace("\\", "")


def editor_key(at: AppTest, part: str) -> str:
    (key,) = [editor.key for editor in at.data_editor if editor.key and editor.key.startswith(f"sm_{part}_editor")]
    return key


def edit_table(at: AppTest, part: str, **delta: Any) -> AppTest:
    state: dict[str, Any] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}
    state.update(delta)
    at.session_state[editor_key(at, part)] = state
    return at.run()


def insert(at: AppTest, choice: str) -> AppTest:
    at.selectbox(key="sm_template").set_value(choice)
    return at.button(key="sm_insert_template").click().run()


def stored_metrics(project_id: str) -> tuple[int, dict[str, Any] | None]:
    project = store().get_project(project_id)
    return project.version, project.sections.get("metrics")


def save(at: AppTest, note: str = "") -> AppTest:
    at.text_input(key="sm_change_note").input(note)
    return at.button(key="sm_save").click().run()


# --- empty state and links --------------------------------------------------------------------


def test_a_project_without_candidates_links_to_the_worthiness_page(app) -> None:
    app()
    project_id = store().create_project("Nothing yet")
    at = page(app, project_id)
    assert "no candidate" in shown(at).lower() or "has none yet" in shown(at)
    (link,) = at.get("page_link")
    assert link.proto.page.endswith("worthiness") or "worthiness" in link.proto.page
    assert not at.data_editor


def test_a_candidate_link_opens_that_candidate(app) -> None:
    at, _ = example_page(app, candidate=FORECAST)
    assert at.selectbox(key="sm_candidate").value == FORECAST
    assert at.number_input(key="sm_be_prevalence").value == pytest.approx(0.08)
    assert "weather-service forecast" in shown(at)


@pytest.mark.parametrize(
    ("raw", "message"),
    [("<script>alert(1)</script>", "not a valid candidate id"), ("no-such-candidate", "has no candidate")],
)
def test_a_bad_candidate_link_gets_a_message_and_the_first_candidate(app, raw: str, message: str) -> None:
    at = app("success-metrics", candidate=raw)
    no_exceptions(at)
    assert any(message in warning.value for warning in at.warning)
    assert at.selectbox(key="sm_candidate").value == "film-backgrounds"


# --- building a chain -------------------------------------------------------------------------


def test_a_chain_built_from_templates_shows_checks_appear_and_clear_then_saves(app) -> None:
    project_id = seeded_project(app)
    at = page(app, project_id)
    assert "Nothing to check yet" in shown(at)
    assert not at.get("graphviz_chart")

    insert(at, "goal:customer-satisfaction")
    no_exceptions(at)
    assert "has no business metric" in shown(at)
    assert "Business goals › row 1 'Customer satisfaction'" in shown(at)
    assert at.get("graphviz_chart"), "the tree appears with the first goal"

    insert(at, "metric:time-customers-spend")
    text = shown(at)
    assert "has no business metric" not in text, "the metric proves the goal, so that message clears"
    assert "has no baseline" in text and "has no owner" in text

    edit_table(
        at,
        "business_metrics",
        edited_rows={0: {"baseline": 4.0, "target": 6.0, "deadline": "2099-06-30", "owner": "Head of CX"}},
    )
    no_exceptions(at)
    assert "No issues" in shown(at)

    insert(at, "model:recall")
    assert "No label yet" in shown(at)
    assert "has no minimum acceptable value" in shown(at)  # a template cannot know the go/no-go bar
    edit_table(at, "model_metrics", edited_rows={0: {"minimum": 0.5}})
    no_exceptions(at)
    assert "has no minimum acceptable value" not in shown(at)
    at.text_input(key="sm_label_what").input("Parcel damaged, confirmed at the returns desk")
    at.selectbox(key="sm_label_attributed").set_value("m1")
    at.run()
    no_exceptions(at)
    assert "No issues" in shown(at)

    dot = at.get("graphviz_chart")[0].proto.spec
    for name in ("Customer satisfaction", "Time customers spend", "Recall", "Parcel damaged"):
        assert name in dot
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart"), "the break-even chart is drawn"
    assert "Unsaved changes" in shown(at)

    at.number_input(key="sm_be_prevalence").set_value(0.03).run()
    assert "Minimum accuracy" in shown(at) or at.metric
    save(at, "first chain")
    no_exceptions(at)
    assert "Saved" in shown(at)
    _, document = stored_metrics(project_id)
    section = MetricsSection.from_document(document)
    chain = section.chains[FRESH]
    assert [m.name for m in chain.business_metrics] == ["Time customers spend"]
    assert chain.model_metrics[0].drives == (("m1", "raises"),)
    assert chain.label is not None and chain.label.attributed_to == "m1"
    inputs = section.break_even[FRESH]
    assert isinstance(inputs, BreakEvenInputs) and inputs.prevalence == 0.03, "changed break-even inputs are saved"
    assert "first chain" in [note for _, _, note in store().list_versions(project_id)]
    assert "All changes saved" in shown(at)


def test_the_candidates_resource_plan_offers_the_running_cost_and_the_baseline_comes_from_worthiness(app) -> None:
    at, _ = example_page(app)
    # the first candidate has no resource scenario of its own: nothing is offered from another candidate's
    assert at.number_input(key="sm_be_running_cost").value == 0.0
    assert "this candidate has no resource scenario" in shown(at)
    assert at.text_input(key="sm_be_baseline_name").value == "the rule-based / image processing alternative"
    at.selectbox(key="sm_candidate").set_value(FORECAST).run()
    assert at.number_input(key="sm_be_running_cost").value == 200.0  # saved before: the saved figure stays
    at.button(key="sm_be_use_resources").click().run()
    assert at.number_input(key="sm_be_running_cost").value == pytest.approx(362.66, abs=0.01)
    assert "CPU nowcast service" in shown(at)


def test_the_regression_variant_states_the_largest_mae(app) -> None:
    at, _ = example_page(app)
    at.radio(key="sm_be_kind").set_value("regression").run()
    no_exceptions(at)
    assert "needs an MAE of at most" in shown(at)
    at.number_input(key="sm_be_baseline_mae").set_value(-1.0).run()
    assert "Baseline MAE must be at least 0" in error_text(at)


def test_the_charter_download_and_drafts_per_candidate(app) -> None:
    at, _ = example_page(app)
    assert at.get("download_button")
    at.text_input(key="sm_label_what").input("Frames needing clean-up").run()
    at.selectbox(key="sm_candidate").set_value(FORECAST).run()
    assert (at.text_input(key="sm_label_what").value or "").startswith("Rain observed")
    at.selectbox(key="sm_candidate").set_value("film-backgrounds").run()
    no_exceptions(at)
    assert at.text_input(key="sm_label_what").value == "Frames needing clean-up", "the draft was kept"


# --- bad input --------------------------------------------------------------------------------


def _bad_volume(at: AppTest) -> AppTest:
    return at.number_input(key="sm_be_volume").set_value(-5.0).run()


def _bad_prevalence(at: AppTest) -> AppTest:
    return at.number_input(key="sm_be_prevalence").set_value(1.5).run()


def _nan_prevalence(at: AppTest) -> AppTest:
    return at.number_input(key="sm_be_prevalence").set_value(float("nan")).run()


def _past_deadline(at: AppTest) -> AppTest:
    return at.date_input(key="sm_decision_deadline").set_value(date(2020, 1, 1)).run()


def _long_metric_name(at: AppTest) -> AppTest:
    return edit_table(at, "business_metrics", edited_rows={0: {"name": "x" * 10_000}})


def _long_label(at: AppTest) -> AppTest:
    return at.text_input(key="sm_label_what").input("y" * 10_000).run()


def _long_baseline_name(at: AppTest) -> AppTest:
    return at.text_input(key="sm_be_baseline_name").input("z" * 10_000).run()


@pytest.mark.parametrize(
    ("enter", "message"),
    [
        (_bad_volume, "Monthly volume of predictions must be greater than 0; got -5"),
        (_bad_prevalence, "Prevalence must be strictly between 0 and 1; got 1.5"),
        (_nan_prevalence, "Enter a number for: prevalence"),
        (_past_deadline, "The decision deadline 2020-01-01 lies in the past"),
        (_long_metric_name, "Business metrics, row 1: Metric name must have 1 to 200 characters; got 10000"),
        (_long_label, "What the label is must have 1 to 200 characters; got 10000"),
        (_long_baseline_name, "Baseline name must have 1 to 200 characters; got 10000"),
    ],
    ids=["negative-volume", "prevalence-above-1", "nan", "past-deadline", "long-name", "long-label", "long-baseline"],
)
def test_bad_input_gets_a_clear_message_and_the_saved_section_is_unchanged(
    app, enter: Callable[[AppTest], AppTest], message: str
) -> None:
    at, project_id = example_page(app, candidate=FORECAST)
    before = stored_metrics(project_id)
    enter(at)
    no_exceptions(at)
    assert message in error_text(at)
    save(at, "should not be saved")
    no_exceptions(at)
    assert "Not saved" in error_text(at)
    assert stored_metrics(project_id) == before


# --- concurrent saves and hostile text --------------------------------------------------------


def test_a_save_over_someone_elses_newer_save_asks_first(app) -> None:
    at, project_id = example_page(app, candidate=FORECAST)
    # Another session changes this candidate's chain meanwhile.
    _, document = stored_metrics(project_id)
    section = MetricsSection.from_document(document)
    theirs = dataclasses.replace(section.chains[FORECAST], decision_deadline=date(2099, 1, 1))
    other = MetricsSection({**section.chains, FORECAST: theirs}, section.break_even)
    store().save_section(project_id, "metrics", other.to_document(), "someone else")
    before = stored_metrics(project_id)

    at.text_input(key="sm_label_source").input("Rain gauge, read hourly").run()
    save(at, "mine")
    assert any("Someone else saved" in warning.value for warning in at.warning)
    assert stored_metrics(project_id) == before
    at.button(key="sm_save").click().run()
    no_exceptions(at)
    _, document = stored_metrics(project_id)
    label = MetricsSection.from_document(document).chains[FORECAST].label
    assert label is not None and label.source == "Rain gauge, read hourly"


def test_names_with_markup_are_shown_as_typed(app) -> None:
    project_id = seeded_project(app)
    at = page(app, project_id)
    payload = "<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1))"
    edit_table(at, "goals", added_rows=[{"name": payload, "tangible": False}])
    no_exceptions(at)
    issue = next(m.value for m in at.markdown if "has no business metric" in m.value)
    assert "<img" not in issue.replace("\\<", "") and "\\*\\*bold\\*\\*" in issue
    assert "onerror" in at.get("graphviz_chart")[0].proto.spec  # inside a quoted DOT string, inert
