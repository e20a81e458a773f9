"""An "off-the-shelf product or API" alternative that points at a hosted model: priced from the catalogue,
quoted by the gate and the verdict, saved and read back."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.hosted.catalogue import load_hosted_models
from core.hosted.choice import HostedUse
from core.hosted.compare import hosted_use_sentence
from core.store import read_catalogue
from core.worthiness import VERDICT_PURSUE, VERDICT_SIMPLER, Alternative, Candidate, WorthinessSection, evaluate
from core.worthiness.model import RaterScores, Scores
from core.worthiness.view import AlternativeRow, CandidateForm, candidate_from_form, form_from_candidate

MODELS, _ = load_hosted_models(read_catalogue("hosted_models"))
# 1,000,000 requests x (400 x $0.15/M + 200 x $0.60/M) = $180 a month on GPT-4o mini
MINI = HostedUse("openai-gpt-4o-mini", 1_000_000, 400, 200)
API = "off-the-shelf product or API"


def candidate(meets: str, use: HostedUse | None = MINI) -> Candidate:
    return Candidate(
        id="triage",
        name="Triage support e-mails",
        modality="text",
        acceptable_error_rate=0.1,
        alternatives=(Alternative(API, meets, None, "an LLM API", use),),
    )


def section(meets: str, use: HostedUse | None = MINI) -> WorthinessSection:
    good = Scores(impact=4, value=4, complexity=2, risk=2, cost=2, suitability=4)
    return WorthinessSection(candidates=(candidate(meets, use),), rater_scores=RaterScores({"Ann": {"triage": good}}))


def test_the_monthly_cost_comes_from_the_catalogue() -> None:
    usd, sentence = hosted_use_sentence(MINI, MODELS)
    assert usd == pytest.approx(1_000_000 * (400 * 0.15 + 200 * 0.60) / 1e6)
    assert sentence.startswith("GPT-4o mini (OpenAI) costs $180 a month for 1,000,000 requests (")
    assert "price of 2026-12-02" in sentence


@pytest.mark.parametrize(
    ("use", "words"),
    [
        (HostedUse("gone-model", 10), "no longer in the catalogue"),
        (HostedUse("openai-gpt-4o-mini", 10), "enter the input and output tokens"),
        (HostedUse("openai-whisper-1", 10, 100), "enter the audio minutes per request"),
    ],
)
def test_an_alternative_that_cannot_be_priced_says_why(use: HostedUse, words: str) -> None:
    usd, sentence = hosted_use_sentence(use, MODELS)
    assert usd is None and words in sentence


@pytest.mark.parametrize(
    ("meets", "label", "where"),
    [
        ("fully", VERDICT_SIMPLER, "flag"),  # the gate's flag quotes it
        ("partly", VERDICT_PURSUE, "reason"),  # an extra reason quotes it
        ("no", VERDICT_PURSUE, "reason"),
    ],
)
def test_the_verdict_quotes_the_api_monthly_cost(meets: str, label: str, where: str) -> None:
    evaluation = evaluate(section(meets), MODELS)
    found = evaluation.verdicts["triage"]
    assert found.label == label
    quoting = [reason for reason in found.reasons if "$180 a month for 1,000,000 requests" in reason]
    assert len(quoting) == 1, found.reasons
    if where == "flag":
        assert evaluation.gates["triage"].flags[0].message == quoting[0]
    else:
        assert quoting[0].startswith(f"The {API} alternative ({meets} meets the need)")
    assert evaluation.alternative_prices["triage"][0].startswith("GPT-4o mini (OpenAI) costs $180 a month")


def test_without_the_catalogue_or_a_hosted_model_the_verdict_has_no_price() -> None:
    assert not any("$" in r for r in evaluate(section("partly")).verdicts["triage"].reasons)
    assert not any("$" in r for r in evaluate(section("partly", None), MODELS).verdicts["triage"].reasons)


def test_an_edited_price_changes_the_quoted_cost() -> None:
    cheaper = {**MODELS, "openai-gpt-4o-mini": replace(MODELS["openai-gpt-4o-mini"], usd_per_million_output_tokens=0.3)}
    reasons = evaluate(section("partly"), cheaper).verdicts["triage"].reasons
    assert any("$120 a month" in reason for reason in reasons)  # 400 x 0.15 + 200 x 0.30 = $120 per million


def test_the_hosted_model_is_saved_and_read_back_and_old_documents_still_read() -> None:
    saved = section("partly")
    document = saved.to_document()
    assert document["candidates"][0]["alternatives"][0]["hosted"]["hosted_model"] == "openai-gpt-4o-mini"
    assert WorthinessSection.from_document(document) == saved
    plain = section("partly", None).to_document()
    assert "hosted" not in plain["candidates"][0]["alternatives"][0]
    assert WorthinessSection.from_document(plain) == section("partly", None)


@pytest.mark.parametrize(
    ("hosted", "message"),
    [
        ({"hosted_model": "openai-gpt-4o-mini"}, "lacks 'requests_per_month'"),
        ({**MINI.to_document(), "extra": 1}, "unexpected fields"),
        ({**MINI.to_document(), "requests_per_month": -1}, "Requests per month must be 0 or more"),
        ({**MINI.to_document(), "hosted_model": "Not A Key"}, "catalogue key in lower case"),
    ],
)
def test_a_malformed_hosted_model_in_a_document_is_refused(hosted: dict[str, object], message: str) -> None:
    document = section("partly").to_document()
    document["candidates"][0]["alternatives"][0]["hosted"] = hosted
    with pytest.raises(ValueError, match=message):
        WorthinessSection.from_document(document)


def test_only_an_api_alternative_can_point_at_a_hosted_model() -> None:
    with pytest.raises(ValueError, match="Only an 'off-the-shelf product or API' alternative"):
        Alternative("sensor or hardware", "partly", hosted=MINI)


def test_the_form_round_trips_the_hosted_model_and_asks_for_a_volume() -> None:
    form = form_from_candidate(candidate("partly"))
    row = next(r for r in form.alternatives if r.kind == API)
    assert (row.hosted_model, row.requests_per_month, row.input_tokens_per_request) == ("openai-gpt-4o-mini", 1e6, 400)
    assert candidate_from_form(form, "triage").alternatives == candidate("partly").alternatives
    missing = replace(form, alternatives=(AlternativeRow(API, "partly", hosted_model="openai-gpt-4o-mini"),))
    with pytest.raises(ValueError, match="how many requests a month"):
        candidate_from_form(missing, "triage")
    speech = CandidateForm(
        name="Transcribe calls",
        alternatives=(
            AlternativeRow(API, "partly", hosted_model="openai-whisper-1", requests_per_month=10, units_per_request=3),
        ),
    )
    made = candidate_from_form(speech, "calls", {"openai-whisper-1": "speech-to-text"})
    assert made.alternatives[0].hosted == HostedUse("openai-whisper-1", 10, audio_minutes_per_request=3)
