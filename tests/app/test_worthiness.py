"""The /worthiness page driven through AppTest on the example project: add a candidate, score it, change a
weight and see the ranking, the charts and the verdicts follow; a second rater's scores reach the spread;
bad input gets a clear message and leaves the saved sections as they were."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from core.worthiness import CRITERION_KEYS, Candidate, WorthinessSection
from tests.app.conftest import error_text, no_exceptions, success_text, tab_opener
from ui.state import get_store

NEW_NAME = "Detect parcel damage"
# Criterion order: impact, value, complexity, risk, cost, suitability. With equal weights these beat the
# example's forecast (3.83 against 3.67 by weighted sum); with suitability weighted 5 the forecast wins.
NEW_SCORES = (5, 5, 4, 2, 2, 3)

open_tab = tab_opener("worthiness_tab")


def sections() -> dict[str, dict[str, Any]]:
    """The example project's saved sections, straight from the store the app uses."""
    store = get_store()
    (summary,) = store.list_projects()
    project = store.get_project(summary.id)
    assert project is not None
    return project.sections


def top_pick(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Top pick**")).replace("\\", "")


def chart_specs(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def chart_data(at: AppTest, index: int) -> pd.DataFrame:
    """The rows of a single-view chart (Streamlit sends a chart's top-level data as Arrow)."""
    return convert_arrow_bytes_to_pandas_df(at.get("vega_lite_chart")[index].proto.data.data)


def add_candidate(at: AppTest, name: str = NEW_NAME) -> AppTest:
    at.selectbox(key="worthiness_candidate_pick").set_value("__new__")
    at.run()
    at.text_input(key="worthiness_cand_name").input(name)
    at.text_area(key="worthiness_cand_problem").input("Spot damaged parcels on the conveyor camera.")
    at.text_input(key="worthiness_cand_owner").input("Hub operations")
    at.number_input(key="worthiness_cand_error_rate").set_value(5.0)
    at.selectbox(key="worthiness_alt_4_meets").set_value("partly")  # manual process
    at.number_input(key="worthiness_alt_4_cost").set_value(30_000.0)
    at.button(key="worthiness_candidate_save").click()
    at.run()
    no_exceptions(at)
    return at


def score(at: AppTest, candidate_id: str, values: tuple[int, ...]) -> AppTest:
    open_tab(at, "Scoring")
    at.selectbox(key="worthiness_score_pick").set_value(candidate_id)
    at.run()
    for key, value in zip(CRITERION_KEYS, values, strict=True):
        at.radio(key=f"worthiness_score_{key}").set_value(value)
    at.button(key="worthiness_score_save").click()
    at.run()
    no_exceptions(at)
    return at


def set_weights(at: AppTest, **weights: float) -> AppTest:
    open_tab(at, "Weights & ranking")
    for key, value in weights.items():
        at.number_input(key=f"worthiness_weight_{key}").set_value(value)
    at.button(key="worthiness_weights_save").click()
    at.run()
    no_exceptions(at)
    return at


# ---------------------------------------------------------------- the example


def test_the_example_shows_the_guides_verdicts(app) -> None:
    at = app("worthiness")
    no_exceptions(at)
    # Nobody's name is pre-filled: a newcomer would otherwise score as the first rater.
    assert at.text_input(key="worthiness_rater").value == ""
    assert "Forecast rain 15 minutes ahead (pursue with deep learning)" in top_pick(at)
    listed = at.dataframe[0].value
    verdicts = dict(zip(listed["Candidate"], listed["Verdict"], strict=True))
    assert verdicts["Replace film backgrounds"].endswith("try the simpler solution first")
    assert verdicts["Skip watering when it rains"].endswith("try the simpler solution first")
    assert verdicts["Forecast rain 15 minutes ahead"].endswith("pursue with deep learning")

    open_tab(at, "Verdicts & evidence")
    shown = " ".join(m.value for m in at.markdown)
    assert ":green-badge[:material/check_circle: pursue with deep learning]" in shown
    assert "green screen" in shown  # the reason for the film verdict
    assert at.get("page_link"), "a link to the reference projects"


def test_the_gate_names_the_input_each_reason_comes_from(app) -> None:
    at = open_tab(app("worthiness"), "Gate")
    shown = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "from: Alternative 1 (rule-based / image processing): meets the need" in shown
    assert "from: Must be error-free" in shown
    assert "Passes the gate" in shown


def test_every_tab_renders(app) -> None:
    at = app("worthiness")
    for label in ("Candidates", "Scoring", "Gate", "Weights & ranking", "Sensitivity", "Raters", "Verdicts & evidence"):
        open_tab(at, label)
        assert not at.error, (label, error_text(at))


# ---------------------------------------------------------------- the main flow


def test_add_score_and_reweight_change_ranking_charts_and_verdicts(app) -> None:
    at = add_candidate(app("worthiness"))
    assert f"Added {NEW_NAME}" in success_text(at)
    listed = at.dataframe[0].value
    row = listed[listed["Candidate"] == NEW_NAME].iloc[0]
    assert row["Verdict"].endswith("not scored yet")
    saved = WorthinessSection.from_document(sections()["worthiness"])
    added = saved.candidate("detect-parcel-damage")
    assert added.acceptable_error_rate == pytest.approx(0.05)
    assert [(a.kind, a.meets_need, a.rough_cost_usd) for a in added.alternatives] == [
        ("manual process", "partly", 30_000.0)
    ]

    # Scoring: the suitability is pre-suggested (image data, 5 % errors tolerated: 4) with its reasons.
    open_tab(at, "Scoring")
    assert at.selectbox(key="worthiness_score_pick").value == "detect-parcel-damage"
    assert at.radio(key="worthiness_score_suitability").value == 4
    assert at.radio(key="worthiness_score_impact").value is None
    assert any("unstructured" in m.value for m in at.markdown)
    at.text_input(key="worthiness_rater").input("Architect")
    at.run()
    score(at, "detect-parcel-damage", NEW_SCORES)
    # The example's Architect scored from no browser of ours: asked first, saved only once confirmed.
    assert "Architect has already saved scores from another browser" in error_text(at)
    assert "detect-parcel-damage" not in sections()["ratings:Architect"]["scores"]
    at.button(key="worthiness_score_confirm").click()
    at.run()
    no_exceptions(at)
    assert "Saved Architect's scores for Detect parcel damage" in success_text(at)
    assert sections()["ratings:Architect"]["scores"]["detect-parcel-damage"] == dict(
        zip(CRITERION_KEYS, NEW_SCORES, strict=True)
    )
    assert "Detect parcel damage (pursue with deep learning)" in top_pick(at)

    open_tab(at, "Weights & ranking")
    ranking = at.dataframe[0].value
    assert list(ranking["Candidate"])[:2] == [NEW_NAME, "Forecast rain 15 minutes ahead"]
    quadrant = json.dumps(chart_specs(at)[0])
    assert NEW_NAME in quadrant and "major project" in quadrant and "quick win" in quadrant
    open_tab(at, "Verdicts & evidence")
    assert "It ranks 1 by weighted sum." in " ".join(m.value for m in at.markdown)
    open_tab(at, "Sensitivity")
    first_place = chart_data(at, 0).set_index("Candidate")["P(first)"]
    assert first_place[NEW_NAME] > 0.5

    set_weights(at, suitability=5.0)
    assert "Saved the weights" in success_text(at)
    assert sections()["worthiness"]["weights"]["suitability"] == 5.0
    ranking = at.dataframe[0].value
    assert list(ranking["Candidate"])[:2] == ["Forecast rain 15 minutes ahead", NEW_NAME]
    assert "Forecast rain 15 minutes ahead (pursue with deep learning)" in top_pick(at)
    assert any("share 50%" in caption.value for caption in at.caption)  # 5 of 10
    open_tab(at, "Sensitivity")
    first_place = chart_data(at, 0).set_index("Candidate")["P(first)"]
    assert first_place["Forecast rain 15 minutes ahead"] > 0.5 > first_place[NEW_NAME]
    open_tab(at, "Verdicts & evidence")
    assert "It ranks 2 by weighted sum." in " ".join(m.value for m in at.markdown)


def test_a_second_raters_scores_show_up_in_the_spread(app) -> None:
    at = app("worthiness")
    before = sections()
    at.text_input(key="worthiness_rater").input("Data scientist")
    at.run()
    score(at, "rain-forecast-15min", (1, 4, 3, 3, 3, 5))
    assert "Saved Data scientist's scores" in success_text(at)
    after = sections()
    assert after["ratings:Data scientist"]["scores"] == {
        "rain-forecast-15min": dict(zip(CRITERION_KEYS, (1, 4, 3, 3, 3, 5), strict=True))
    }
    # Meeting mode: the other raters' sections and the candidates are untouched.
    for name in ("ratings:Architect", "ratings:Product owner", "worthiness"):
        assert after[name] == before[name]

    open_tab(at, "Raters")
    table = at.dataframe[0].value
    impact = table[(table["Candidate"] == "Forecast rain 15 minutes ahead") & (table["Criterion"] == "Business impact")]
    assert impact.iloc[0]["Rater: Data scientist"] == 1
    assert impact.iloc[0]["Min–max"] == "1–5"
    assert impact.iloc[0]["Mean (1–5)"] == pytest.approx(10 / 3)
    assert impact.iloc[0]["Discuss"] == "yes"
    assert "Data scientist 1" in at.warning[0].value

    # The name is remembered: the scoring form now shows this rater's saved scores.
    open_tab(at, "Scoring")
    assert at.text_input(key="worthiness_rater").value == "Data scientist"
    assert at.radio(key="worthiness_score_impact").value == 1


def test_median_aggregation_is_saved_and_used(app) -> None:
    at = open_tab(app("worthiness"), "Weights & ranking")
    at.radio(key="worthiness_aggregation").set_value("median")
    at.button(key="worthiness_weights_save").click()
    at.run()
    no_exceptions(at)
    assert sections()["worthiness"]["aggregation"] == "median"
    open_tab(at, "Raters")
    assert any("median" in caption.value for caption in at.caption)


def test_sensitivity_settings_are_saved_and_rerun(app) -> None:
    at = open_tab(app("worthiness"), "Sensitivity")
    assert any("2,000 draws" in caption.value for caption in at.caption)
    # the example has one candidate that passes the gate, so there is no rival to overtake it
    assert at.info[0].value.replace("\\", "") == "Only one scored candidate passes the gate; score another to compare."
    at.number_input(key="worthiness_sens_spread").set_value(40.0)
    at.number_input(key="worthiness_sens_draws").set_value(3_000)
    at.button(key="worthiness_sens_save").click()
    at.run()
    no_exceptions(at)
    assert sections()["worthiness"]["sensitivity"] == {"spread": 0.4, "draws": 3_000, "seed": 0}
    assert any("3,000 draws, each weight within ±40%" in caption.value for caption in at.caption)
    assert chart_data(at, 1)["Draws"].sum() == 3_000  # one candidate passes the gate: one rank per draw


def test_editing_a_candidate_changes_its_gate_and_verdict(app) -> None:
    at = app("worthiness")
    at.selectbox(key="worthiness_candidate_pick").set_value("rain-now-watering")
    at.run()
    assert at.text_input(key="worthiness_cand_name").value == "Skip watering when it rains"
    assert at.selectbox(key="worthiness_alt_1_meets").value == "fully"  # the sensor
    at.selectbox(key="worthiness_alt_1_meets").set_value("no")
    at.button(key="worthiness_candidate_save").click()
    at.run()
    no_exceptions(at)
    assert "Changed Skip watering when it rains" in success_text(at)
    listed = at.dataframe[0].value
    verdict = listed[listed["Candidate"] == "Skip watering when it rains"].iloc[0]["Verdict"]
    # No simpler alternative any more, but the scores say it is not worth it (impact 2, value 2.5).
    assert verdict.endswith("not worth solving now")


def test_a_candidate_is_deleted_only_after_confirmation(app) -> None:
    at = app("worthiness")
    at.selectbox(key="worthiness_candidate_pick").set_value("film-backgrounds")
    at.run()
    at.button(key="worthiness_delete").click()
    at.run()
    assert "film-backgrounds" in [c["id"] for c in sections()["worthiness"]["candidates"]]
    at.button(key="worthiness_delete_cancel").click()
    at.run()
    assert "film-backgrounds" in [c["id"] for c in sections()["worthiness"]["candidates"]]
    at.button(key="worthiness_delete").click()
    at.run()
    at.button(key="worthiness_delete_confirm").click()
    at.run()
    no_exceptions(at)
    assert [c["id"] for c in sections()["worthiness"]["candidates"]] == ["rain-now-watering", "rain-forecast-15min"]
    assert "Replace film backgrounds" not in list(at.dataframe[0].value["Candidate"])


def test_a_team_suitability_override_changes_the_verdict(app) -> None:
    at = app("worthiness")
    at.selectbox(key="worthiness_candidate_pick").set_value("rain-forecast-15min")
    at.run()
    assert at.selectbox(key="worthiness_cand_override").value == 0
    at.selectbox(key="worthiness_cand_override").set_value(1)
    at.button(key="worthiness_candidate_save").click()
    at.run()
    no_exceptions(at)
    assert sections()["worthiness"]["candidates"][2]["suitability_override"] == 1
    listed = at.dataframe[0].value
    verdict = listed[listed["Candidate"] == "Forecast rain 15 minutes ahead"].iloc[0]["Verdict"]
    assert verdict.endswith("try the simpler solution first")
    open_tab(at, "Scoring")
    at.selectbox(key="worthiness_score_pick").set_value("rain-forecast-15min")
    at.run()
    assert any("The team agreed a suitability of 1" in caption.value for caption in at.caption)


def test_attached_references_are_shown_as_evidence(app) -> None:
    at = app("worthiness")
    store = get_store()
    reference = store.catalogue("references")[0]
    section = WorthinessSection.from_document(sections()["worthiness"])
    section = section.__class__(**{**section.__dict__, "references": {"rain-forecast-15min": (reference["id"],)}})
    store.save_section(store.list_projects()[0].id, "worthiness", section.to_document(), "test: attach")
    open_tab(at, "Verdicts & evidence")
    evidence = at.dataframe[0].value.iloc[0]
    assert evidence["Candidate"] == "Forecast rain 15 minutes ahead"
    assert (evidence["Company"], evidence["Title"]) == (reference["company"], reference["title"])
    assert evidence["Link"] == reference["source_url"]
    assert evidence["Approach"] == (reference["approach"] or "not named in the source")
    assert evidence["Outcome"] == reference["outcome"] and reference["outcome"]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("name", "message"),
    [("   ", "The candidate's name cannot be empty"), ("x" * 201, "at most 200 characters")],
)
def test_a_bad_candidate_name_gets_a_message_and_saves_nothing(app, name: str, message: str) -> None:
    at = app("worthiness")
    before = sections()
    add_candidate(at, name)
    assert message in error_text(at)
    assert sections() == before
    assert at.text_input(key="worthiness_cand_name").value == name, "the form keeps what was typed"


def test_inconsistent_candidate_fields_get_the_cores_message(app) -> None:
    at = app("worthiness")
    before = sections()
    at.text_input(key="worthiness_cand_name").input("Predict demand")
    at.radio(key="worthiness_cand_requirement").set_value("predict future")
    at.button(key="worthiness_candidate_save").click()
    at.run()
    assert "Say how far ahead 'Predict demand' must predict" in error_text(at)
    at.radio(key="worthiness_cand_requirement").set_value("detect now")
    at.checkbox(key="worthiness_cand_error_free").check()
    at.number_input(key="worthiness_cand_error_rate").set_value(2.0)
    at.button(key="worthiness_candidate_save").click()
    at.run()
    no_exceptions(at)
    assert "must be error-free, so its acceptable error rate must be 0" in error_text(at)
    assert sections() == before


def test_a_21st_candidate_gets_the_cores_message(app) -> None:
    at = app("worthiness")
    store = get_store()
    project_id = store.list_projects()[0].id
    full = WorthinessSection.from_document(sections()["worthiness"])
    for number in range(17):
        full = full.with_candidate(Candidate(id=f"extra-{number}", name=f"Extra {number}"))
    store.save_section(project_id, "worthiness", full.to_document(), "test: 20 candidates")
    at.run()
    assert "20 of at most 20 candidates" in " ".join(c.value for c in at.caption)
    before = sections()
    add_candidate(at, "One too many")
    assert "A project holds at most 20 candidates; remove one before adding another" in error_text(at)
    assert sections() == before


def test_all_zero_weights_get_the_cores_message(app) -> None:
    at = app("worthiness")
    before = sections()
    set_weights(at, **dict.fromkeys(CRITERION_KEYS, 0.0))
    assert "Give at least one criterion a weight above zero" in error_text(at)
    assert sections() == before
    assert at.dataframe[0].value.iloc[0]["Candidate"] == "Forecast rain 15 minutes ahead", "ranking still shown"


def test_an_unscored_criterion_gets_a_message_and_saves_nothing(app) -> None:
    # The radios offer only 1 to 5, so a score out of range cannot be entered; leaving one out can.
    at = add_candidate(app("worthiness"))
    before = sections()
    open_tab(at, "Scoring")
    at.radio(key="worthiness_score_impact").set_value(4)
    at.button(key="worthiness_score_save").click()
    at.run()
    assert "still without a score: business value, complexity, risk, cost" in error_text(at)
    assert sections() == before


def test_scoring_without_a_name_gets_a_message_and_saves_nothing(app) -> None:
    at = app("worthiness")
    before = sections()
    at.text_input(key="worthiness_rater").input("   ")
    at.run()
    open_tab(at, "Scoring")
    assert any("Type your name" in info.value for info in at.info)
    at.radio(key="worthiness_score_impact").set_value(3)
    for key in CRITERION_KEYS:
        at.radio(key=f"worthiness_score_{key}").set_value(3)
    at.button(key="worthiness_score_save").click()
    at.run()
    no_exceptions(at)
    assert "The rater's name cannot be empty" in error_text(at)
    assert sections() == before


def test_deleting_the_last_candidate_gets_the_cores_message(app) -> None:
    at = app("worthiness")
    for candidate_id in ("film-backgrounds", "rain-now-watering", "rain-forecast-15min"):
        at.selectbox(key="worthiness_candidate_pick").set_value(candidate_id)
        at.run()
        at.button(key="worthiness_delete").click()
        at.run()
        at.button(key="worthiness_delete_confirm").click()
        at.run()
        no_exceptions(at)
    assert "A project needs at least one candidate" in error_text(at)
    assert [c["id"] for c in sections()["worthiness"]["candidates"]] == ["rain-forecast-15min"]


def test_user_text_is_shown_escaped(app) -> None:
    at = add_candidate(app("worthiness"), "<b>bold</b> **loud**")
    score(at, "b-bold-b-loud", NEW_SCORES)
    open_tab(at, "Verdicts & evidence")
    shown = " ".join(m.value for m in at.markdown)
    assert "\\<b\\>bold\\</b\\> \\*\\*loud\\*\\*" in shown
    assert "<b>bold</b>" not in shown


def test_a_new_project_starts_with_an_empty_state(app) -> None:
    at = app("worthiness")
    at.session_state["current_project_id"] = get_store().create_project("Blank project")
    at.run()
    no_exceptions(at)
    assert any("No candidates yet" in info.value for info in at.info)
    for label in ("Scoring", "Gate", "Weights & ranking", "Sensitivity", "Raters", "Verdicts & evidence"):
        open_tab(at, label)
        assert not at.error, label
    open_tab(at, "Candidates")
    add_candidate(at, "First idea")
    assert "Added First idea" in success_text(at)
