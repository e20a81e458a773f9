"""The semantic layer: the bundled model loads offline and lazily, the three search methods, and the
judged query set (bench/data/reference_queries.csv) on which the combination was chosen."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bench.bench_search_quality import METHODS, mean, read_queries, score_ranking
from core.references import Reference, ReferenceIndex, build_index, load_references, similar_references
from core.references.index import combine_scores, standardised, with_label_vote
from core.references.semantic import BundledModel, FloatArray, bundled_model, model_problem
from core.references.text import parse_synonyms
from core.taxonomy import INDUSTRIES

ROOT = Path(__file__).resolve().parents[2]


class WordBag:
    """A deterministic stand-in embedder: one dimension per known concept, so that "phone calls into
    text" and "speech recognition" meet without sharing a word."""

    CONCEPTS = (("speech", "transcribe", "calls", "voice", "audio"), ("fraud", "stolen", "scam"), ("crop", "farm"))

    def embed(self, texts: Sequence[str]) -> FloatArray:
        rows = []
        for text in texts:
            words = text.lower().split()
            rows.append([float(sum(any(w.startswith(c) for c in group) for w in words)) for group in self.CONCEPTS])
        return np.asarray(rows, dtype=np.float32)


def _ref(rid: str, title: str, task: str = "classification") -> Reference:
    return Reference(rid, "Co", title, 2024, "technology & cloud", task, "tabular")


@pytest.fixture(scope="module")
def small() -> ReferenceIndex:
    refs = [
        _ref("asr", "Speech recognition for voice notes", "speech recognition"),
        _ref("scam", "Stopping scams at checkout"),
        _ref("farm", "Crop yield on the farm"),
        _ref("rec", "Recorded sales figures"),
        *[_ref(f"x{i}", f"Unrelated write-up topic{i}") for i in range(40)],
    ]
    return build_index(refs, synonyms=(), embedder=WordBag())


def test_meaning_finds_an_entry_that_shares_no_word_with_the_query(small: ReferenceIndex) -> None:
    query = "transcribe recorded calls"
    assert [h.reference.id for h in small.search(query, method="lexical")] == ["rec"]
    for method in ("semantic", "combined"):
        hits = small.search(query, method=method)
        assert [h.reference.id for h in hits][:1] == ["asr"], method
        assert hits[0].matched_terms == () and hits[0].meaning is not None and hits[0].meaning > 0.9


def test_words_still_count_in_the_combined_search(small: ReferenceIndex) -> None:
    hits = small.search("topic7 write-up", method="combined")
    assert hits[0].reference.id == "x7" and "topic7" in hits[0].matched_terms


@pytest.mark.parametrize("query", ["zzqxv wwkjh", "   ", "the of and", "'; DROP TABLE x; --"])
def test_queries_without_a_known_word_find_nothing_by_meaning(small: ReferenceIndex, query: str) -> None:
    assert small.search(query, method="semantic") == []


def test_filters_apply_to_meaning_hits(small: ReferenceIndex) -> None:
    assert small.search("transcribe recorded calls", industry="agriculture", method="combined") == []


def test_an_index_without_an_embedder_searches_by_words_whatever_the_method(small: ReferenceIndex) -> None:
    words_only = build_index(small.references, synonyms=())
    assert not words_only.has_semantic_layer and words_only.meaning_scores("calls") is None
    assert words_only.search("crop", method="semantic") == words_only.search("crop", method="lexical")
    with pytest.raises(ValueError, match="Unknown search method"):
        small.search("crop", method="vibes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lexical", "meaning", "best"),
    [
        ([0.0, 2.0, 1.0], [0.1, 0.2, 0.9], 2),  # meaning weighs 0.7
        ([0.0, 9.0, 0.0], [0.5, 0.5, 0.5], 1),  # equal meaning: the words decide
        ([0.0, 0.0, 0.0], [0.2, 0.1, 0.3], 2),
    ],
)
def test_the_blend_of_scaled_words_and_standardised_meaning(
    lexical: list[float], meaning: list[float], best: int
) -> None:
    scores = combine_scores(np.array(lexical), np.array(meaning, dtype=np.float32))
    assert int(np.argmax(scores)) == best and scores.max() <= 1.0 + 1e-9
    assert np.allclose(standardised(np.array([0.5, 0.5], dtype=np.float32)), 0.0)


def test_coverage_is_the_share_of_the_query_concepts_an_entry_matches(small: ReferenceIndex) -> None:
    terms = small._query_terms("crop yield farm topic7")
    scores, coverage = small._scores_and_coverage(terms)
    by_id = {r.id: i for i, r in enumerate(small.references)}
    assert coverage[by_id["farm"]] == pytest.approx(0.75) and coverage[by_id["x7"]] == pytest.approx(0.25)
    assert coverage[by_id["asr"]] == 0 and scores[by_id["asr"]] == 0 and np.all((coverage >= 0) & (coverage <= 1))


def test_the_combination_rewards_agreement_and_coverage() -> None:
    # Entries 0 and 1 tie on the blend; 1 is in both methods' first 20 (agreement), 2 matches every
    # query concept (coverage) but is far by meaning.
    lexical = np.array([0.0, 1.0, 0.5] + [0.0] * 40)
    meaning = np.array([0.9, 0.5, 0.1] + [0.1] * 40, dtype=np.float32)
    plain = combine_scores(lexical, meaning)
    covered = combine_scores(lexical, meaning, np.array([0.0, 0.5, 1.0] + [0.0] * 40))
    assert plain[1] > plain[2] and covered[2] - covered[1] > plain[2] - plain[1]
    assert plain.max() <= 1.0 + 1e-9 and covered.max() <= 1.0 + 1e-9


@pytest.mark.parametrize(
    ("scores", "tasks", "lifted"),
    [
        # Entries 3 and 4 tie; the first three (the voters) are mostly about task 1, so 4 (task 1) moves ahead.
        ([0.9, 0.8, 0.7, 0.5, 0.5], [1, 1, 0, 0, 1], 4),
        # The voters' scores weigh: one strong voter on task 0 outvotes two weak ones on task 1.
        ([0.9, 0.1, 0.1, 0.5, 0.5], [0, 1, 1, 1, 0], 4),
        # A voter below zero (far by meaning) does not vote against its task.
        ([0.9, -0.4, -0.4, 0.0, 0.0], [0, 1, 1, 1, 0], 4),
    ],
)
def test_the_first_entries_vote_on_the_task_and_lift_entries_that_share_it(
    scores: list[float], tasks: list[int], lifted: int
) -> None:
    values = np.array(scores)
    voted = with_label_vote(values, np.arange(len(values), dtype=np.int32), [np.array(tasks, dtype=np.int32)], voters=3)
    other = 3 if lifted == 4 else 4
    assert voted[lifted] > voted[other]


@pytest.mark.parametrize("scores", [[], [0.0, 0.0], [-0.2, -0.1]])
def test_without_a_positive_voter_the_scores_stay_as_they_are(scores: list[float]) -> None:
    values = np.array(scores)
    codes = np.zeros(len(values), dtype=np.int32)
    assert np.array_equal(with_label_vote(values, np.arange(len(values), dtype=np.int32), [codes, codes]), values)


def test_the_label_vote_keeps_combined_scores_within_0_and_1(small: ReferenceIndex) -> None:
    hits = small.search("transcribe calls farm scam", method="combined", top=44)
    assert hits and all(0 <= h.score <= 1 + 1e-9 for h in hits)


def test_the_bundled_model_loads_from_its_package_without_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import requests

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the semantic layer tried to download something")

    monkeypatch.setattr(requests, "get", no_network)
    model = bundled_model()
    assert model is not None, model_problem()
    assert model_problem() == ""
    vectors = model.embed(["turn recorded customer phone calls into text", "speech recognition"])
    assert vectors.shape == (2, 256) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


def test_importing_the_app_code_does_not_load_the_model() -> None:
    # Cold start must not pay for the model: only a search that needs meaning loads it.
    code = (
        "import sys; import core.references, core.references.semantic, views.references.data; "
        "from core.references.semantic import BundledModel; BundledModel(); "
        "print('wordllama' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- the judged query set


@pytest.fixture(scope="module")
def catalogue_index() -> ReferenceIndex:
    with (ROOT / "data" / "references.csv").open(encoding="utf-8", newline="") as f:
        return build_index(load_references(csv.DictReader(f)), embedder=BundledModel())


def test_the_judged_set_covers_every_industry_with_real_entries(catalogue_index: ReferenceIndex) -> None:
    queries = read_queries()
    ids = {r.id for r in catalogue_index.references}
    assert len(queries) >= 60
    assert {q.industry for q in queries} == set(INDUSTRIES)
    assert all(q.relevant and q.relevant <= ids for q in queries)


def test_the_fresh_judged_set_points_at_real_entries_and_every_judged_pair_is_kept(
    catalogue_index: ReferenceIndex,
) -> None:
    queries = read_queries(ROOT / "bench" / "data" / "reference_queries_fresh.csv")
    ids = {r.id for r in catalogue_index.references}
    with (ROOT / "bench" / "data" / "reference_judgments_fresh.csv").open(encoding="utf-8", newline="") as f:
        judged = {(row["query_id"], row["entry_id"]) for row in csv.DictReader(f) if row["relevant"] == "1"}
    assert queries and {q.industry for q in queries} == set(INDUSTRIES)
    assert all(q.relevant and q.relevant <= ids for q in queries)
    assert judged == {(q.query_id, rid) for q in queries for rid in q.relevant}


def test_combined_is_at_least_as_good_as_either_method_overall(catalogue_index: ReferenceIndex) -> None:
    queries = read_queries()
    overall = {}
    for method in METHODS:
        ranked = [[h.reference.id for h in catalogue_index.search(q.query, top=10, method=method)] for q in queries]  # type: ignore[arg-type]
        overall[method] = mean([score_ranking(r, q.relevant) for r, q in zip(ranked, queries, strict=True)])
    best_recall = max(overall["lexical"].recall, overall["semantic"].recall)
    best_mrr = max(overall["lexical"].mrr, overall["semantic"].mrr)
    assert overall["combined"].recall >= best_recall and overall["combined"].mrr >= best_mrr, overall
    # The figures docs/benchmarks.md reports (python -m bench.bench_search_quality), to two decimals.
    assert round(overall["combined"].recall, 2) >= 0.68 and round(overall["combined"].mrr, 2) >= 0.73, overall


GROUPS = parse_synonyms(
    [
        {"term": "asr", "kind": "problem", "synonyms": "speech recognition;transcription;calls into text"},
        {"term": "llm", "kind": "domain", "synonyms": "large language model;generative ai"},
    ]
)


@pytest.mark.parametrize(
    ("query", "read_as"),
    [
        ("turn phone calls into text", "turn phone calls into text asr speech recognition"),  # a phrase names it
        ("transcription of calls", "transcription of calls"),  # one word alone is left as typed
        ("text for calls", "text for calls"),  # the phrase's words in another order are not the phrase
        ("staging rooms with generative ai", "staging rooms with generative ai"),  # a domain group is not named
        ("", ""),
    ],
)
def test_the_combined_search_reads_a_query_with_the_concept_its_phrase_names(query: str, read_as: str) -> None:
    index = build_index([_ref("a", "Speech recognition")], synonyms=GROUPS, embedder=WordBag())
    assert index.with_named_concepts(query) == read_as


def test_the_plain_words_example_of_the_issue_finds_speech_recognition(catalogue_index: ReferenceIndex) -> None:
    hits = catalogue_index.search("turn recorded customer phone calls into text", top=10)
    assert any(h.reference.task == "speech recognition" for h in hits), [h.reference.title for h in hits]


def test_similar_to_a_candidate_uses_meaning_and_keeps_scores_in_range(catalogue_index: ReferenceIndex) -> None:
    hits = similar_references(
        catalogue_index,
        industry="education",
        modality="audio",
        problem_statement="check how well learners pronounce words when they read aloud",
    )
    assert hits and all(0 <= h.score <= 1 for h in hits)
    assert hits[0].reference.task == "speech recognition", [h.reference.title for h in hits]
