"""The example project: valid, and its verdicts match the planning guide."""

from __future__ import annotations

from core import projects as pj
from core.example import example_project
from core.metrics import MetricsSection
from core.ratings import merge_ratings
from core.worthiness import VERDICT_PURSUE, VERDICT_SIMPLER, evaluate


def test_every_section_of_the_example_validates() -> None:
    name, sections = example_project()
    document = pj.project_document(pj.new_project_id(), name, sections)
    assert pj.validate_project_document(document) is document


def test_the_raters_scores_are_stored_apart_and_merged_back() -> None:
    _, sections = example_project()
    assert sections["worthiness"]["rater_scores"] == {}
    assert {"ratings:Architect", "ratings:Product owner"} <= set(sections)
    section = merge_ratings(sections)
    assert section is not None and set(section.rater_scores.raters) == {"Architect", "Product owner"}


def test_the_example_verdicts_follow_the_guide() -> None:
    _, sections = example_project()
    section = merge_ratings(sections)
    assert section is not None
    verdicts = {cid: v.label for cid, v in evaluate(section).verdicts.items()}
    assert verdicts == {
        "film-backgrounds": VERDICT_SIMPLER,
        "rain-now-watering": VERDICT_SIMPLER,
        "rain-forecast-15min": VERDICT_PURSUE,
    }


def test_the_metric_chains_belong_to_the_example_candidates() -> None:
    _, sections = example_project()
    metrics = MetricsSection.from_document(sections["metrics"])
    worthiness = merge_ratings(sections)
    assert worthiness is not None
    assert set(metrics.chains) <= set(worthiness.candidate_ids)
