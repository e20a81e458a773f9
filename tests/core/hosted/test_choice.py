"""The hosted model a scenario is compared with: checked when built, saved with the scenario and read back."""

from __future__ import annotations

import math

import pytest

from core.hosted.choice import ApiChoice, HostedUse
from core.resources.plan import ResourcePlan, ResourcesSection


@pytest.mark.parametrize(
    "choice",
    [
        ApiChoice("openai-gpt-4o"),
        ApiChoice("groq-whisper-large-v3", audio_minutes_per_request=2.5),
        ApiChoice("bedrock-llama-3.1-8b", fixed_usd_per_month=1200.0, team_usd_per_month=0.0),
    ],
)
def test_a_scenario_keeps_its_api_choice_through_its_document(choice: ApiChoice) -> None:
    section = ResourcesSection(scenarios=(ResourcePlan(name="s", model_key="llama-3.1-8b", api_comparison=choice),))
    assert ResourcesSection.from_document(section.to_document()) == section


def test_a_document_saved_before_the_comparison_existed_still_reads() -> None:
    document = ResourcesSection(scenarios=(ResourcePlan(name="s", model_key="llama-3.1-8b"),)).to_document()
    del document["scenarios"][0]["api_comparison"]
    assert ResourcesSection.from_document(document).scenarios[0].api_comparison is None


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: ApiChoice(""), "Hosted model must not be empty"),
        (lambda: ApiChoice("GPT 4o"), "catalogue key in lower case"),
        (lambda: ApiChoice("openai-gpt-4o", audio_minutes_per_request=-1), "Audio minutes per request must be 0"),
        (lambda: ApiChoice("openai-gpt-4o", fixed_usd_per_month=math.inf), "Fixed API fee .* finite"),
        (lambda: ApiChoice("openai-gpt-4o", team_usd_per_month=-5), "Team share of self-hosting"),
        (lambda: HostedUse("openai-gpt-4o", math.nan), "Requests per month must be a finite number"),
        (lambda: HostedUse("openai-gpt-4o", 10, output_tokens_per_request=-1), "Output tokens per request"),
        (lambda: ResourcePlan(name="s", model_key="m", api_comparison="openai-gpt-4o"), "must be a ApiChoice"),  # type: ignore[arg-type]
    ],
)
def test_a_bad_choice_is_refused_with_a_sentence(make: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()  # type: ignore[operator]


def test_a_bad_choice_in_a_saved_document_names_the_field() -> None:
    document = ResourcesSection(
        scenarios=(ResourcePlan(name="s", model_key="llama-3.1-8b", api_comparison=ApiChoice("openai-gpt-4o")),)
    ).to_document()
    document["scenarios"][0]["api_comparison"]["fixed_usd_per_month"] = "a lot"
    with pytest.raises(ValueError, match=r"scenarios\[0\]\.api_comparison\.fixed_usd_per_month must be a number"):
        ResourcesSection.from_document(document)
