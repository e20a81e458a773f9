"""The decision and the planning steps, from project sections."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from core.decision import (
    DECISION_NOT_NOW,
    DECISION_PURSUE,
    DECISION_SIMPLER,
    DECISION_UNDECIDED,
    PlanFacts,
    build_overview,
)
from core.example import example_project
from core.metrics import MetricsSection
from core.ratings import merge_ratings, split_ratings
from core.references import Reference
from core.resources.fit import FitAnswer
from core.resources.plan import ResourcePlan, ResourcesSection, ScenarioSummary, TrainingInputs
from core.worthiness import RaterScores, Scores

TODAY = date(2027, 1, 15)
FORECAST = "rain-forecast-15min"


def _sections() -> dict:
    return example_project()[1]


def _rescored(scores: Scores) -> dict:
    """The example with every rater giving the forecast candidate these scores."""
    sections = _sections()
    section = merge_ratings(sections)
    assert section is not None
    for rater in section.rater_scores.raters:
        section = section.with_scores(rater, FORECAST, scores)
    return {**sections, **split_ratings(section)}


def test_the_example_decides_to_pursue_the_forecast() -> None:
    overview = build_overview(_sections(), today=TODAY)
    assert (overview.decision, overview.candidate_id) == (DECISION_PURSUE, FORECAST)
    assert overview.reasons


@pytest.mark.parametrize(
    ("scores", "decision"),
    [
        (Scores(impact=1, value=1, complexity=3, risk=3, cost=3, suitability=5), DECISION_SIMPLER),
        (Scores(impact=5, value=5, complexity=2, risk=2, cost=2, suitability=1), DECISION_SIMPLER),
    ],
)
def test_without_a_pursue_verdict_the_decision_falls_back(scores: Scores, decision: str) -> None:
    assert build_overview(_rescored(scores), today=TODAY).decision == decision


def test_when_every_candidate_is_not_worth_it_the_decision_says_so() -> None:
    section = merge_ratings(_sections())
    assert section is not None
    low = Scores(impact=1, value=1, complexity=5, risk=5, cost=5, suitability=5)
    only = dataclasses.replace(
        section, candidates=(section.candidate(FORECAST),), rater_scores=RaterScores(), references={}
    ).with_scores("Architect", FORECAST, low)
    assert build_overview(split_ratings(only), today=TODAY).decision == DECISION_NOT_NOW


def test_an_empty_project_is_undecided_and_says_what_to_do() -> None:
    overview = build_overview({}, today=TODAY)
    assert overview.decision == DECISION_UNDECIDED
    assert "Worthiness" in overview.reasons[0]
    assert [step.done for step in overview.steps] == [False, False, False, False]


def test_steps_of_the_example_show_references_still_open() -> None:
    steps = {step.key: step.done for step in build_overview(_sections(), today=TODAY).steps}
    assert steps == {"worthiness": True, "metrics": True, "references": False, "resources": True}


def test_attached_references_complete_the_evidence_step() -> None:
    sections = _sections()
    section = merge_ratings(sections)
    assert section is not None
    section = dataclasses.replace(section, references={FORECAST: ("ref-1",)})
    sections = {**sections, **split_ratings(section)}
    reference = Reference.from_row(
        {
            "id": "ref-1",
            "company": "Acme Farms",
            "title": "Nowcasting",
            "year": 2024,
            "industry": "agriculture",
            "task": "regression & forecasting",
            "modality": "time series",
            "uses_deep_learning": "yes",
            "tags": "weather",
            "source_url": "https://example.com/nowcast",
        }
    )
    overview = build_overview(sections, references=[reference], today=TODAY)
    assert overview.evidence == (reference,)
    assert {s.key: s.done for s in overview.steps}["references"]
    figure = next(f for f in overview.figures if f.label == "References from the same industry")
    assert figure.value == "1 attached"


def test_key_figures_cover_metric_break_even_devices_and_team() -> None:
    labels = [f.label for f in build_overview(_sections(), today=TODAY).figures]
    for expected in (
        "Decision candidate",
        "Primary success metric",
        "Break-even model metric",
        "Devices per replica",
        "Team",
    ):
        assert expected in labels


def test_rater_disagreements_are_open_problems() -> None:
    problems = build_overview(_sections(), today=TODAY).problems
    assert any(problem.text.startswith("disagreement:") for problem in problems)


# --- every figure belongs to the decision candidate -------------------------------------------


def _with_resources(*plans: ResourcePlan, chosen: str | None = None) -> dict:
    section = ResourcesSection(scenarios=plans)
    for plan in plans:
        section = section.choose(plan.name) if plan.name == chosen else section
    return {**_sections(), "resources": section.to_document()}


def _plan(name: str, candidate_id: str | None, mode: str = "inference") -> ResourcePlan:
    return ResourcePlan(name=name, custom_params=1e6, candidate_id=candidate_id, mode=mode, device_key="l4")  # type: ignore[arg-type]


def _facts(fits: bool | None) -> Callable[[ResourcePlan], PlanFacts]:
    def assess(plan: ResourcePlan) -> PlanFacts:
        summary = ScenarioSummary(plan.name, 30e9, plan.devices, 1_000.0, 50.0, 0.2)
        return PlanFacts(summary, fits, 30e9, 24e9, "NVIDIA L4")

    return assess


def test_the_overview_shows_the_decision_candidates_own_plan() -> None:
    sections = _with_resources(
        _plan("forecast on L4", FORECAST), _plan("backgrounds", "film-backgrounds"), chosen="backgrounds"
    )
    overview = build_overview(sections, assess_plan=_facts(True), today=TODAY)
    assert overview.plan is not None and overview.plan.name == "forecast on L4"
    assert overview.plan_summary is not None and overview.plan_summary.name == "forecast on L4"
    devices = next(f for f in overview.figures if f.label == "Devices per replica")
    assert (devices.value, devices.note) == (
        "1 × NVIDIA L4",
        "scenario 'forecast on L4' for Forecast rain 15 minutes ahead",
    )


@pytest.mark.parametrize(
    ("owner", "whose"), [("film-backgrounds", "is for Replace film backgrounds"), (None, "names no candidate")]
)
def test_a_plan_for_another_candidate_is_an_open_problem_with_no_figures(owner: str | None, whose: str) -> None:
    overview = build_overview(
        _with_resources(_plan("other", owner), chosen="other"), assess_plan=_facts(True), today=TODAY
    )
    assert overview.plan is None and overview.plan_summary is None
    assert not {"Devices per replica", "Monthly serving cost", "Training cost"} & {f.label for f in overview.figures}
    [problem] = [p for p in overview.problems if p.text.startswith("plan:")]
    assert whose in problem.text and problem.page == "resources"


@pytest.mark.parametrize(
    ("mode", "fits", "said"),
    [
        (
            "inference",
            False,
            "the serving plan does not fit in memory: scenario 'mine' needs 30 GB per device, NVIDIA L4 holds 24 GB",
        ),
        ("train", False, "the training plan's device cannot hold the training step"),
        ("lora", False, "the training plan's device cannot hold the training step"),
        ("inference", True, ""),  # fixed: the problem is gone
        ("inference", None, ""),  # no device to judge by
    ],
)
def test_a_plan_that_does_not_fit_is_an_open_problem(mode: str, fits: bool | None, said: str) -> None:
    overview = build_overview(_with_resources(_plan("mine", FORECAST, mode)), assess_plan=_facts(fits), today=TODAY)
    found = [p.text for p in overview.problems if p.text.startswith("plan:")]
    assert [said in text for text in found] == ([True] if said else [])


def _training_facts(plan_fits: bool, training_fits: bool) -> Callable[[ResourcePlan], PlanFacts]:
    """The plan's own device (an L4) holds the workload or not; the device the run trains on (an A100) too."""
    gb = int(1e9)
    fit = FitAnswer("fits" if training_fits else "does not fit", 0, 0, capacity_bytes=80 * gb, required_bytes=90 * gb)

    def assess(plan: ResourcePlan) -> PlanFacts:
        return replace(_facts(plan_fits)(plan), training_fit=fit, training_device_name="A100 SXM4 80GB")

    return assess


@pytest.mark.parametrize(
    ("plan_fits", "training_fits", "said"),
    [
        (True, False, "scenario 'mine' needs 90 GB per device, A100 SXM4 80GB holds 80 GB"),
        (False, True, ""),  # the step runs on the training device, which holds it; the L4 only serves
        (True, True, ""),
    ],
)
def test_the_training_step_is_judged_on_the_device_it_trains_on(plan_fits, training_fits, said) -> None:
    plan = replace(_plan("mine", FORECAST, "train"), training=TrainingInputs(dataset_tokens=1e9, device_key="a100"))
    overview = build_overview(_with_resources(plan), assess_plan=_training_facts(plan_fits, training_fits), today=TODAY)
    found = [p.text for p in overview.problems if p.text.startswith("plan:")]
    assert [said in text for text in found] == ([True] if said else [])


def test_metric_chain_problems_link_to_the_success_metrics_page() -> None:
    sections = _sections()
    metrics = MetricsSection.from_document(sections["metrics"])
    chain = metrics.chains[FORECAST]
    loose = replace(chain, model_metrics=tuple(replace(m, minimum=None) for m in chain.model_metrics))
    sections = {**sections, "metrics": replace(metrics, chains={**metrics.chains, FORECAST: loose}).to_document()}
    problems = [p for p in build_overview(sections, today=TODAY).problems if "no minimum acceptable value" in p.text]
    assert problems and all(p.page == "success_metrics" for p in problems)
