"""The saved worthiness section, the guide's example project, and one-call evaluation."""

from __future__ import annotations

import copy
import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.taxonomy import INDUSTRIES, MODALITIES
from core.text import has_visible_text
from core.worthiness import (
    ALTERNATIVE_KINDS,
    CRITERION_KEYS,
    DATA_AVAILABILITY,
    MEETS_NEED,
    VERDICT_LABELS,
    VERDICT_NOT_NOW,
    VERDICT_PURSUE,
    VERDICT_SIMPLER,
    Alternative,
    Candidate,
    RaterScores,
    Scores,
    Weights,
    WorthinessSection,
    evaluate,
    example_worthiness,
)


def candidate(candidate_id: str, **overrides: object) -> Candidate:
    values: dict[str, object] = {"id": candidate_id, "name": f"Candidate {candidate_id}", "acceptable_error_rate": 0.1}
    values.update(overrides)
    return Candidate(**values)  # type: ignore[arg-type]


def uniform(value: int, **changes: int) -> Scores:
    values = dict.fromkeys(CRITERION_KEYS, value)
    values.update(changes)
    return Scores(**values)


# ---------------------------------------------------------------- the example project


EXPECTED_VERDICTS = {
    "film-backgrounds": VERDICT_SIMPLER,
    "rain-now-watering": VERDICT_SIMPLER,
    "rain-forecast-15min": VERDICT_PURSUE,
}


def test_example_verdicts_match_the_guide() -> None:
    result = evaluate(example_worthiness())
    assert {cid: found.label for cid, found in result.verdicts.items()} == EXPECTED_VERDICTS


def test_example_green_screen_wins_over_segmentation() -> None:
    result = evaluate(example_worthiness())
    reasons = " ".join(result.verdicts["film-backgrounds"].reasons)
    assert "green screen with chroma keying" in reasons
    assert "error-free" in reasons


def test_example_humidity_sensor_serves_for_watering() -> None:
    reasons = " ".join(evaluate(example_worthiness()).verdicts["rain-now-watering"].reasons)
    assert "humidity sensor" in reasons


def test_example_forecast_is_the_top_pick_under_both_methods() -> None:
    result = evaluate(example_worthiness())
    assert result.weighted_sum is not None and result.topsis is not None and result.agreement is not None
    assert result.weighted_sum.top == result.topsis.top == ("rain-forecast-15min",)
    assert result.agreement.same_top


def test_example_has_two_named_raters_and_a_two_point_disagreement() -> None:
    section = example_worthiness()
    assert section.rater_scores.raters == ("Architect", "Product owner")
    found = evaluate(section).disagreements
    assert any(item.high - item.low >= 2 for item in found)


def test_example_suggestions_agree_with_the_guide() -> None:
    suggestions = evaluate(example_worthiness()).suggestions
    assert suggestions["rain-forecast-15min"].score == 5
    assert suggestions["film-backgrounds"].score <= 2
    assert suggestions["rain-now-watering"].score <= 2


def test_example_round_trips_through_json() -> None:
    section = example_worthiness()
    assert WorthinessSection.from_document(json.loads(json.dumps(section.to_document()))) == section


# ---------------------------------------------------------------- section validation


def test_a_project_holds_twenty_candidates() -> None:
    section = WorthinessSection(candidates=tuple(candidate(f"c{i}") for i in range(20)))
    assert len(section.candidates) == 20


def test_a_21st_candidate_gets_a_clear_message() -> None:
    section = WorthinessSection(candidates=tuple(candidate(f"c{i}") for i in range(20)))
    with pytest.raises(ValueError, match=r"^A project holds at most 20 candidates; remove one"):
        section.with_candidate(candidate("c20"))


def test_a_project_needs_a_candidate() -> None:
    with pytest.raises(ValueError, match="at least one candidate"):
        WorthinessSection(candidates=())


def test_candidate_ids_must_be_unique() -> None:
    with pytest.raises(ValueError, match="c1 appears more than once"):
        WorthinessSection(candidates=(candidate("c1"), candidate("c1", name="Other")))


def test_scores_for_an_unknown_candidate_are_rejected() -> None:
    with pytest.raises(ValueError, match="not in the project: ghost"):
        WorthinessSection(candidates=(candidate("c1"),), rater_scores=RaterScores({"Ann": {"ghost": uniform(3)}}))


@pytest.mark.parametrize(
    ("references", "message"),
    [
        ({"ghost": ["r1"]}, "'ghost', which is not in the project"),
        ({"c1": "r1"}, "must be a list of reference ids"),
        ({"c1": ["r1", "r1"]}, "attached twice"),
        ({"c1": [""]}, "reference id cannot be empty"),
        ({"c1": [7]}, "reference id must be text"),
        ({"c1": [f"r{i}" for i in range(51)]}, "At most 50 references"),
        (["c1"], "must map candidate ids"),
    ],
)
def test_references_are_validated(references: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WorthinessSection(candidates=(candidate("c1"),), references=references)  # type: ignore[arg-type]


def test_empty_reference_lists_are_dropped() -> None:
    lists = {"c1": ["r1"], "c2": []}  # as a JSON document has them
    section = WorthinessSection(candidates=(candidate("c1"), candidate("c2")), references=lists)  # type: ignore[arg-type]
    assert section.references == {"c1": ("r1",)}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"aggregation": "mode"}, "'mean' or 'median'"),
        ({"sensitivity_spread": 1.2}, "weight spread"),
        ({"sensitivity_spread": math.nan}, "weight spread must be a finite number"),
        ({"sensitivity_draws": 0}, "number of draws"),
        ({"sensitivity_seed": -5}, "random seed"),
        ({"weights": {"impact": 1}}, "must be Weights"),
        ({"rater_scores": {}}, "must be RaterScores"),
    ],
)
def test_section_settings_are_validated(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WorthinessSection(candidates=(candidate("c1"),), **kwargs)  # type: ignore[arg-type]


def test_suitability_overrides_are_collected_from_candidates() -> None:
    section = WorthinessSection(candidates=(candidate("c1", suitability_override=2), candidate("c2")))
    assert section.suitability_overrides == {"c1": 2}


# ---------------------------------------------------------------- changing a section


def test_with_candidate_replaces_by_id_and_keeps_order() -> None:
    section = WorthinessSection(candidates=(candidate("c1"), candidate("c2")))
    changed = section.with_candidate(candidate("c1", name="Renamed"))
    assert [item.name for item in changed.candidates] == ["Renamed", "Candidate c2"]
    assert section.candidates[0].name == "Candidate c1"


def test_without_candidate_drops_its_scores_and_references() -> None:
    section = WorthinessSection(
        candidates=(candidate("c1"), candidate("c2")),
        rater_scores=RaterScores({"Ann": {"c1": uniform(3), "c2": uniform(4)}}),
        references={"c1": ("r1",)},
    )
    changed = section.without_candidate("c1")
    assert changed.candidate_ids == ("c2",)
    assert changed.rater_scores.candidate_ids() == ("c2",)
    assert changed.references == {}


def test_removing_the_last_candidate_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one candidate"):
        WorthinessSection(candidates=(candidate("c1"),)).without_candidate("c1")


def test_with_scores_for_an_unknown_candidate_is_refused() -> None:
    with pytest.raises(ValueError, match="no candidate 'zz'"):
        WorthinessSection(candidates=(candidate("c1"),)).with_scores("Ann", "zz", uniform(3))


def test_with_scores_adds_a_raters_scores() -> None:
    section = WorthinessSection(candidates=(candidate("c1"),)).with_scores("Ann", "c1", uniform(4))
    assert section.rater_scores.for_candidate("c1") == {"Ann": uniform(4)}


# ---------------------------------------------------------------- document


def plain_json_types(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(key, str) and plain_json_types(item) for key, item in value.items())
    if isinstance(value, list):
        return all(plain_json_types(item) for item in value)
    return value is None or isinstance(value, str | int | float | bool)


def test_document_holds_only_plain_json_types() -> None:
    document = example_worthiness().to_document()
    assert plain_json_types(document)
    json.dumps(document, allow_nan=False)


def test_document_fields() -> None:
    document = example_worthiness().to_document()
    assert list(document) == [
        "schema_version",
        "candidates",
        "rater_scores",
        "weights",
        "aggregation",
        "sensitivity",
        "references",
    ]
    assert document["sensitivity"] == {"spread": 0.2, "draws": 2000, "seed": 0}
    assert document["rater_scores"]["Product owner"]["rain-forecast-15min"]["cost"] == 2


def mutated(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(example_worthiness().to_document())
    change(document)
    return document


MALFORMED: list[tuple[str, Any, str]] = [
    ("not an object", lambda d: d.clear() or d.update({"x": 1}), "lacks 'schema_version'"),
    ("unknown field", lambda d: d.update({"extra": 1}), "unexpected fields: 'extra'"),
    ("newer schema", lambda d: d.update({"schema_version": 2}), "schema version 2"),
    ("schema as bool", lambda d: d.update({"schema_version": True}), "schema version True"),
    ("candidates not a list", lambda d: d.update({"candidates": {}}), "'candidates' must be a JSON list"),
    ("no candidates", lambda d: d.update({"candidates": []}), "at least one candidate"),
    (
        "21 candidates",
        lambda d: d.update({"candidates": [{**d["candidates"][0], "id": f"c{i}"} for i in range(21)]}),
        "at most 20 candidates",
    ),
    ("candidate lacks name", lambda d: d["candidates"][0].pop("name"), "Candidate 1 .* lacks 'name'"),
    (
        "candidate extra field",
        lambda d: d["candidates"][1].update({"owner": "x"}),
        "Candidate 2 .* unexpected fields: 'owner'",
    ),
    ("empty name", lambda d: d["candidates"][0].update({"name": "  "}), "name cannot be empty"),
    ("bad modality", lambda d: d["candidates"][0].update({"modality": "smell"}), "data modality"),
    (
        "alternative not an object",
        lambda d: d["candidates"][0].update({"alternatives": ["x"]}),
        "Alternative 1 .* must be a JSON object",
    ),
    (
        "alternative cost text",
        lambda d: d["candidates"][0]["alternatives"][0].update({"rough_cost_usd": "5"}),
        "must be a number",
    ),
    (
        "score out of range",
        lambda d: d["rater_scores"]["Architect"]["film-backgrounds"].update({"risk": 6}),
        "Risk must be a whole number from 1 to 5; got 6",
    ),
    (
        "score as float",
        lambda d: d["rater_scores"]["Architect"]["film-backgrounds"].update({"risk": 3.5}),
        "whole number",
    ),
    ("score missing", lambda d: d["rater_scores"]["Architect"]["film-backgrounds"].pop("risk"), "missing risk"),
    ("scores not an object", lambda d: d["rater_scores"].update({"Architect": []}), "must be a JSON object"),
    (
        "scores for unknown candidate",
        lambda d: d["rater_scores"]["Architect"].update({"ghost": dict.fromkeys(CRITERION_KEYS, 3)}),
        "not in the project: ghost",
    ),
    ("empty rater", lambda d: d["rater_scores"].update({"": {}}), "rater's name cannot be empty"),
    (
        "all-zero weights",
        lambda d: d.update({"weights": dict.fromkeys(CRITERION_KEYS, 0)}),
        "Give at least one criterion a weight above zero.",
    ),
    ("weight missing", lambda d: d["weights"].pop("cost"), "missing cost"),
    ("weight as text", lambda d: d["weights"].update({"cost": "1"}), "must be a number"),
    ("aggregation", lambda d: d.update({"aggregation": 1}), "'mean' or 'median'"),
    ("sensitivity extra", lambda d: d["sensitivity"].update({"x": 1}), "unexpected fields: 'x'"),
    ("draws as text", lambda d: d["sensitivity"].update({"draws": "2000"}), "number of draws"),
    ("references not object", lambda d: d.update({"references": []}), "'references' must be a JSON object"),
    ("references not list", lambda d: d.update({"references": {"film-backgrounds": "r1"}}), "must be a JSON list"),
]


@pytest.mark.parametrize(
    ("change", "message"),
    [(change, message) for _, change, message in MALFORMED],
    ids=[name for name, _, _ in MALFORMED],
)
def test_from_document_rejects_malformed_documents(change: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WorthinessSection.from_document(mutated(change))


@pytest.mark.parametrize("document", [None, [], "x", 3])
def test_from_document_rejects_non_objects(document: Any) -> None:
    with pytest.raises(ValueError, match="must be a JSON object"):
        WorthinessSection.from_document(document)


json_leaves = st.one_of(st.none(), st.booleans(), st.integers(-10, 10), st.floats(allow_nan=True), st.text(max_size=5))
json_values = st.recursive(
    json_leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def value_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path below the root: leaves and the lists and objects that hold them."""
    own = [path] if path else []
    if isinstance(value, dict):
        return own + [p for key, item in value.items() for p in value_paths(item, (*path, key))]
    if isinstance(value, list):
        return own + [p for index, item in enumerate(value) for p in value_paths(item, (*path, index))]
    return own


@settings(max_examples=150)
@given(st.data())
def test_any_corrupted_value_gives_a_value_error_or_a_valid_section(data: st.DataObject) -> None:
    document = example_worthiness().to_document()
    path = data.draw(st.sampled_from(value_paths(document)))
    replacement = data.draw(json_values)
    target: Any = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = replacement
    try:
        section = WorthinessSection.from_document(document)
    except ValueError:
        return
    assert isinstance(section, WorthinessSection)


# ---------------------------------------------------------------- round trip (hypothesis)

plain_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
names = plain_text.filter(has_visible_text)
candidate_ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True)
costs = st.one_of(st.none(), st.floats(0, 1e9, allow_nan=False))
alternatives = st.builds(
    Alternative, st.sampled_from(ALTERNATIVE_KINDS), st.sampled_from(MEETS_NEED), costs, plain_text
)


@st.composite
def candidates(draw: st.DrawFn, candidate_id: str) -> Candidate:
    requirement = draw(st.sampled_from(("detect now", "predict future")))
    error_free = draw(st.booleans())
    rate = draw(st.one_of(st.none(), st.just(0.0))) if error_free else draw(st.one_of(st.none(), st.floats(0, 1)))
    return Candidate(
        id=candidate_id,
        name=draw(names),
        problem=draw(st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\n"), max_size=60)),
        process_owner=draw(plain_text),
        industry=draw(st.sampled_from(("", *INDUSTRIES))),
        modality=draw(st.sampled_from(MODALITIES)),
        data_availability=draw(st.sampled_from(DATA_AVAILABILITY)),
        requirement=requirement,
        horizon=draw(names) if requirement == "predict future" else draw(plain_text),
        must_be_error_free=error_free,
        acceptable_error_rate=rate,
        alternatives=tuple(draw(st.lists(alternatives, max_size=3))),
        suitability_override=draw(st.one_of(st.none(), st.integers(1, 5))),
    )


score_objects = st.builds(Scores, *[st.integers(1, 5)] * 6)


@st.composite
def sections(draw: st.DrawFn) -> WorthinessSection:
    ids = draw(st.lists(candidate_ids, min_size=1, max_size=5, unique=True))
    items = tuple(draw(candidates(candidate_id)) for candidate_id in ids)
    raters = draw(st.lists(names, max_size=3, unique_by=str.strip))
    by_rater = {
        rater: draw(st.dictionaries(st.sampled_from(ids), score_objects, max_size=len(ids))) for rater in raters
    }
    weights = draw(st.lists(st.floats(0, 100), min_size=6, max_size=6).filter(lambda values: sum(values) > 0))
    references = draw(
        st.dictionaries(st.sampled_from(ids), st.lists(names, max_size=3, unique=True), max_size=len(ids))
    )
    return WorthinessSection(
        candidates=items,
        rater_scores=RaterScores(by_rater),
        weights=Weights(*weights),
        aggregation=draw(st.sampled_from(("mean", "median"))),
        sensitivity_spread=draw(st.floats(0, 0.95)),
        sensitivity_draws=draw(st.integers(1, 100_000)),
        sensitivity_seed=draw(st.integers(0, 2**32 - 1)),
        references=references,  # type: ignore[arg-type]  # lists, as a JSON document has them
    )


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(sections())
def test_round_trip_through_json_is_exact(section: WorthinessSection) -> None:
    document = json.loads(json.dumps(section.to_document(), allow_nan=False))
    restored = WorthinessSection.from_document(document)
    assert restored == section
    assert restored.to_document() == section.to_document()


# ---------------------------------------------------------------- evaluate


def test_evaluate_with_nothing_scored() -> None:
    section = WorthinessSection(
        candidates=(candidate("c1"), candidate("c2", alternatives=(Alternative("classic ML", "fully"),)))
    )
    result = evaluate(section)
    assert result.unscored == ("c1", "c2")
    assert result.weighted_sum is None and result.sensitivity is None and result.quadrants == {}
    assert result.threshold_sentence == "Score at least one candidate to see a ranking."
    # The gate decides c2 without scores; c1 waits for scores.
    assert list(result.verdicts) == ["c2"]
    assert result.verdicts["c2"].label == VERDICT_SIMPLER


def test_evaluate_uses_the_override_in_place_of_raters_suitability() -> None:
    section = WorthinessSection(
        candidates=(candidate("c1", suitability_override=1), candidate("c2")),
        rater_scores=RaterScores({"Ann": {"c1": uniform(4), "c2": uniform(4)}}),
    )
    result = evaluate(section)
    assert result.scores["c1"]["suitability"] == 1.0
    assert result.spread["c1"]["suitability"].mean == 4.0  # the raters' own view stays visible
    assert result.verdicts["c1"].label == VERDICT_SIMPLER
    assert result.verdicts["c2"].label == VERDICT_PURSUE


def test_evaluate_follows_candidate_order_not_scoring_order() -> None:
    section = WorthinessSection(
        candidates=(candidate("c1"), candidate("c2")),
        rater_scores=RaterScores({"Ann": {"c2": uniform(3), "c1": uniform(3)}}),
    )
    assert list(evaluate(section).scores) == ["c1", "c2"]


def test_evaluate_reports_a_tie_for_the_top_pick() -> None:
    section = WorthinessSection(
        candidates=(candidate("c1"), candidate("c2")),
        rater_scores=RaterScores({"Ann": {"c1": uniform(3), "c2": uniform(3)}}),
    )
    assert evaluate(section).threshold_sentence == (
        "Candidate c1 and Candidate c2 tie for the top pick; change a weight or a score to separate them."
    )


def test_evaluate_with_one_scored_candidate() -> None:
    section = WorthinessSection(candidates=(candidate("c1"),), rater_scores=RaterScores({"Ann": {"c1": uniform(2)}}))
    result = evaluate(section)
    assert result.threshold_sentence == "Only one candidate is scored; score another to compare."
    assert result.verdicts["c1"].label == VERDICT_NOT_NOW


def test_evaluate_threshold_sentence_names_the_candidates() -> None:
    section = WorthinessSection(
        candidates=(candidate("c1"), candidate("c2")),
        rater_scores=RaterScores({"Ann": {"c1": uniform(4, impact=5, suitability=5, cost=5), "c2": uniform(4)}}),
    )
    sentence = evaluate(section).threshold_sentence
    assert sentence.startswith("The top pick (Candidate c1) holds unless ")
    assert sentence.endswith("then Candidate c2 leads.")


SIMPLER = Alternative("sensor or hardware", "fully", 300.0, "a humidity sensor")


def gated_leader() -> WorthinessSection:
    """c1 scores highest but a sensor fully meets its need; c2 and c3 pass the gate."""
    return WorthinessSection(
        candidates=(candidate("c1", alternatives=(SIMPLER,)), candidate("c2"), candidate("c3")),
        rater_scores=RaterScores(
            {"Ann": {"c1": uniform(5, risk=1), "c2": uniform(4, impact=5, suitability=5, cost=5), "c3": uniform(4)}}
        ),
    )


def test_the_top_pick_is_the_best_candidate_that_passes_the_gate() -> None:
    result = evaluate(gated_leader())
    assert result.weighted_sum is not None and result.weighted_sum.top == ("c1",)
    assert (result.eligible, result.top_pick) == (("c2", "c3"), ("c2",))
    assert result.threshold_sentence.startswith("The top pick (Candidate c2) holds unless ")


def test_the_sensitivity_analysis_covers_the_candidates_that_pass_the_gate() -> None:
    result = evaluate(gated_leader())
    assert result.sensitivity is not None
    assert set(result.sensitivity.p_first) == {"c2", "c3"}
    assert {threshold.new_top for threshold in result.thresholds if threshold.new_top} <= {"c3"}


@pytest.mark.parametrize(
    ("scored", "sentence"),
    [
        ({"c1": uniform(5)}, "Only one candidate is scored; score another to compare."),
        ({"c1": uniform(5), "c2": uniform(3)}, "Only one scored candidate passes the gate; score another to compare."),
    ],
)
def test_one_eligible_candidate_has_nothing_to_compare(scored: dict[str, Scores], sentence: str) -> None:
    section = WorthinessSection(
        candidates=(candidate("c1"), candidate("c2", alternatives=(SIMPLER,))),
        rater_scores=RaterScores({"Ann": scored}),
    )
    assert evaluate(section).threshold_sentence == sentence


def test_no_top_pick_when_no_scored_candidate_passes_the_gate() -> None:
    section = WorthinessSection(
        candidates=(candidate("c1", alternatives=(SIMPLER,)),),
        rater_scores=RaterScores({"Ann": {"c1": uniform(5)}}),
    )
    result = evaluate(section)
    assert (result.top_pick, result.sensitivity, result.thresholds) == ((), None, [])
    assert result.threshold_sentence.startswith('No scored candidate passes the "simplest solution first" gate')


def test_evaluate_honours_the_section_settings() -> None:
    section = example_worthiness()
    changed = WorthinessSection.from_document(
        {**section.to_document(), "sensitivity": {"spread": 0.5, "draws": 300, "seed": 9}, "aggregation": "median"}
    )
    result = evaluate(changed)
    assert result.sensitivity is not None
    assert (result.sensitivity.draws, result.sensitivity.spread, result.sensitivity.seed) == (300, 0.5, 9)


def test_every_verdict_label_is_one_of_three() -> None:
    assert {found.label for found in evaluate(example_worthiness()).verdicts.values()} <= set(VERDICT_LABELS)
