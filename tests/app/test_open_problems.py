"""Every consistency check of the overview, provoked on the grocery chain (tests/grocery.py): the open problem
appears with a "Fix it" link to the page that fixes it, and the grocery chain as planned has none of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from core.metrics import BreakEvenInputs, MetricsSection
from core.metrics.chain import BusinessGoal
from core.resources.plan import ResourcesSection
from tests.app.conftest import no_exceptions, plain
from tests.grocery import CHATBOT_PLAN, SHELF, SHELF_PLAN, grocery_project
from ui.state import get_store
from views import ROUTES

Sections = dict[str, Any]


def _resources(sections: Sections, change: Callable[[ResourcesSection], ResourcesSection]) -> Sections:
    section = ResourcesSection.from_document(sections["resources"])
    return {**sections, "resources": change(section).to_document()}


def _shelf_plan(sections: Sections, **changes: Any) -> Sections:
    def change(section: ResourcesSection) -> ResourcesSection:
        plans = tuple(replace(p, **changes) if p.name == SHELF_PLAN else p for p in section.scenarios)
        return replace(section, scenarios=plans)

    return _resources(sections, change)


def _shelf_chain(sections: Sections, change: Callable[[Any], Any]) -> Sections:
    metrics = MetricsSection.from_document(sections["metrics"])
    chains = {**metrics.chains, SHELF: change(metrics.chains[SHELF])}
    return {**sections, "metrics": replace(metrics, chains=chains).to_document()}


def plan_for_another_candidate(sections: Sections) -> Sections:
    """The shelf detector has no scenario of its own; the chatbot's is the one chosen last."""
    return _resources(sections, lambda section: section.without_scenario(SHELF_PLAN))


def plan_does_not_fit(sections: Sections) -> Sections:
    return _shelf_plan(sections, batch=100_000)


def training_step_does_not_fit(sections: Sections) -> Sections:
    return _shelf_plan(sections, mode="train", batch=100_000)


def training_step_does_not_fit_on_its_own_device(sections: Sections) -> Sections:
    """The L4 that serves holds the step at batch 32 (13.5 GB); the 10 GB card the run trains on does not."""
    section = ResourcesSection.from_document(sections["resources"])
    training = section.get(SHELF_PLAN).training
    assert training is not None
    return _shelf_plan(sections, mode="train", batch=32, training=replace(training, device_key="rtx-3080"))


def two_token_budgets(sections: Sections) -> Sections:
    section = ResourcesSection.from_document(sections["resources"])
    serving = section.get(SHELF_PLAN).serving
    assert serving is not None
    return _shelf_plan(sections, serving=replace(serving, prompt_tokens=512))  # saved before one budget


def metric_without_minimum(sections: Sections) -> Sections:
    return _shelf_chain(
        sections, lambda chain: replace(chain, model_metrics=(replace(chain.model_metrics[0], minimum=None),))
    )


def goal_without_business_metric(sections: Sections) -> Sections:
    return _shelf_chain(
        sections, lambda chain: replace(chain, goals=(*chain.goals, BusinessGoal("g2", "Happier staff", False)))
    )


def never_pays_back(sections: Sections) -> Sections:
    """A found empty shelf is worth a cent: the model adds less a month than the plan costs."""
    metrics = MetricsSection.from_document(sections["metrics"])
    inputs = metrics.break_even[SHELF]
    assert isinstance(inputs, BreakEvenInputs)
    cheap = replace(inputs, value_true_positive_usd=0.01)
    return {**sections, "metrics": replace(metrics, break_even={SHELF: cheap}).to_document()}


PROBLEMS = [
    (
        plan_for_another_candidate,
        f"the chosen resource scenario '{CHATBOT_PLAN}' is for Customer-service chatbot",
        "resources",
    ),
    (plan_does_not_fit, "the serving plan does not fit in memory", "resources"),
    (training_step_does_not_fit, "the training plan's device cannot hold the training step", "resources"),
    (
        training_step_does_not_fit_on_its_own_device,
        "the training plan's device cannot hold the training step: scenario 'Shelf detector on L4, 200 stores' "
        "needs 13.5 GB per device, GeForce RTX 3080 10GB holds",
        "resources",
    ),
    (two_token_budgets, "two token budgets", "resources"),
    (metric_without_minimum, "no minimum acceptable value", "success_metrics"),
    (goal_without_business_metric, "Happier staff", "success_metrics"),
    (never_pays_back, "it never pays back", "resources"),
]


def _overview(app: Callable[..., AppTest], sections: Sections) -> AppTest:
    app()
    store = get_store()
    name, _ = grocery_project()
    project_id = store.create_project(name, sections)
    at = app(project=project_id)
    no_exceptions(at)
    return at


def _problems(at: AppTest) -> list[str]:
    return [plain(m.value) for m in at.markdown if m.value.startswith("- ")]


def _fix_links(at: AppTest) -> list[str]:
    return [link.proto.page for link in at.get("page_link") if link.proto.label == "Fix it"]


@pytest.mark.parametrize(("provoke", "words", "page"), PROBLEMS, ids=[p[0].__name__ for p in PROBLEMS])
def test_a_provoked_problem_is_open_with_a_link_to_its_page(
    app, provoke: Callable[[Sections], Sections], words: str, page: str
) -> None:
    at = _overview(app, provoke(grocery_project()[1]))
    problems = _problems(at)
    [index] = [i for i, text in enumerate(problems) if words in text]
    assert ROUTES[page].url_path in _fix_links(at)[index]


def test_the_grocery_chain_as_planned_has_none_of_them(app) -> None:
    problems = " ".join(_problems(_overview(app, grocery_project()[1])))
    assert not [words for _, words, _ in PROBLEMS if words in problems], problems
