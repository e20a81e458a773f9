"""One scenario against one hosted model: the 8B chat workload, volume and price moving the break-even, and
the same figures from the command line and the brief."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import date

import pytest

from core.__main__ import main
from core.brief import BriefInputs, api_lines, brief_markdown
from core.decision import build_overview
from core.hosted.catalogue import load_hosted_models
from core.hosted.choice import ApiChoice
from core.hosted.compare import SECONDS_PER_MONTH
from core.hosted.versus import ApiComparison, compare_chosen, compare_with_api, team_usd_per_month
from core.resources.accelerators import load_accelerators
from core.resources.architectures import load_architectures
from core.resources.evaluate import PlanEvaluation, evaluate_plan
from core.resources.plan import ResourcePlan
from core.resources.serving import ServingDemand
from core.resources.team import TeamInputs
from core.store import read_catalogue

ARCHITECTURES = load_architectures()
ACCELERATORS = list(load_accelerators().values())
MODELS, _ = load_hosted_models(read_catalogue("hosted_models"))


def chat_plan(average_rps: float = 3.0, api: str = "openai-gpt-4o", **choice: float) -> ResourcePlan:
    """Llama 3.1 8B chat on an H100 served by vLLM: 512 prompt + 256 output tokens, peak 10/3 x the average,
    10 s p95."""
    return ResourcePlan(
        name="8B chat",
        model_key="llama-3.1-8b",
        mode="inference",
        precision="bf16",
        prompt_tokens=512,
        new_tokens=256,
        device_key="h100-sxm",
        engine="vllm",
        serving=ServingDemand(
            peak_requests_per_s=average_rps * 10 / 3, average_requests_per_s=average_rps, latency_target_p95_s=10.0
        ),
        team=TeamInputs(),
        api_comparison=ApiChoice(api, **choice),
    )


def evaluated(plan: ResourcePlan) -> PlanEvaluation:
    return evaluate_plan(plan, ARCHITECTURES, ACCELERATORS)


def compared(plan: ResourcePlan) -> ApiComparison:
    assert plan.api_comparison is not None
    return compare_chosen(evaluated(plan), MODELS, plan.api_comparison)


@pytest.fixture(scope="module")
def chat() -> ApiComparison:
    return compared(chat_plan())


def test_the_8b_chat_workload_has_both_monthly_costs_and_a_break_even(chat: ApiComparison) -> None:
    assert chat.planned_requests_per_month == pytest.approx(3.0 * SECONDS_PER_MONTH)  # 7,884,000
    assert chat.peak_requests_per_month == pytest.approx(10.0 * SECONDS_PER_MONTH)
    # 512 x $2.50/M + 256 x $10/M = $0.00384 a request
    assert chat.api.usd_per_request == pytest.approx(512 * 2.5e-6 + 256 * 10e-6)
    assert chat.at_average.api_usd_per_month == pytest.approx(0.00384 * 7_884_000)
    assert chat.at_peak.api_usd_per_month == pytest.approx(0.00384 * 26_280_000)
    assert chat.at_average.self_hosting_usd_per_month > 0 and chat.break_even.break_even_requests_per_month
    assert "cheaper by $" in chat.verdict and "requests a month" in chat.break_even_text
    rows = chat.chart()
    assert {row["option"] for row in rows} == {"API", "self-hosting"}
    assert max(float(row["requests_per_month"]) for row in rows) >= chat.break_even.break_even_requests_per_month


def test_the_self_hosting_side_is_the_serving_plan_plus_the_team(chat: ApiComparison) -> None:
    evaluation = evaluated(chat_plan())
    option = evaluation.serving.option("h100-sxm") if evaluation.serving else None
    assert option is not None and option.plan is not None and evaluation.team is not None
    team = team_usd_per_month(evaluation.team)
    assert team is not None and team > 0
    # At the planned volume the step function gives the serving plan's replicas at peak, kept all month.
    assert chat.at_average.replicas == option.plan.replicas_at_peak
    assert chat.at_average.self_hosting_usd_per_month == pytest.approx(option.plan.monthly_cost_at_peak_usd + team)
    assert chat.self_hosting_usd_per_month_scaled_down == pytest.approx(option.plan.monthly_cost_at_average_usd + team)


def test_a_higher_volume_moves_the_break_even_down_and_past_it_self_hosting_wins() -> None:
    points = []
    for average in (0.3, 3.0, 30.0):
        comparison = compared(chat_plan(average))
        first = comparison.break_even.break_even_requests_per_month
        points.append((math.inf if first is None else first, comparison))
    firsts = [first for first, _ in points]
    assert firsts == sorted(firsts, reverse=True), "busier replicas serve more requests each: break-even falls"
    assert math.isfinite(firsts[-1])
    low, high = points[0][1], points[-1][1]
    assert low.at_average.cheaper == "API" and high.at_average.cheaper == "self-hosting"
    assert firsts[-1] < high.planned_requests_per_month, "the planned volume is past the break-even"


def test_a_dearer_api_lowers_the_break_even_and_a_cheap_one_never_breaks_even() -> None:
    base = evaluated(chat_plan())
    gpt4o = compare_with_api(base, MODELS["openai-gpt-4o"], ApiChoice("openai-gpt-4o"))
    sonnet = compare_with_api(base, MODELS["anthropic-claude-sonnet-4.5"], ApiChoice("anthropic-claude-sonnet-4.5"))
    cheap = compare_with_api(base, MODELS["deepinfra-llama-3.1-8b"], ApiChoice("deepinfra-llama-3.1-8b"))
    assert sonnet.api.usd_per_request > gpt4o.api.usd_per_request
    assert sonnet.break_even.break_even_requests_per_month < gpt4o.break_even.break_even_requests_per_month  # type: ignore[operator]
    assert cheap.break_even.break_even_requests_per_month is None
    assert "never becomes cheaper" in cheap.break_even_text


def test_the_team_share_and_the_api_fee_can_be_given() -> None:
    free_team = compared(chat_plan(team_usd_per_month=0.0))
    with_fee = compared(chat_plan(fixed_usd_per_month=5000.0))
    default = compared(chat_plan())
    assert free_team.hosting.team_usd_per_month == 0
    assert free_team.break_even.break_even_requests_per_month < default.break_even.break_even_requests_per_month  # type: ignore[operator]
    assert with_fee.at_average.api_usd_per_month == pytest.approx(default.at_average.api_usd_per_month + 5000)
    assert any("as entered" in line for line in free_team.assumptions)


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        (replace(chat_plan(), serving=None), "Fill in the Serving tab"),
        (replace(chat_plan(), api_comparison=ApiChoice("no-such-model")), "not in the catalogue"),
        (replace(chat_plan(), api_comparison=ApiChoice("openai-whisper-1")), "enter the audio minutes per request"),
        (
            replace(
                chat_plan(),
                device_key="apple-m3-max",  # no cloud price, and no device meets a 1 ms target for 256 tokens
                serving=ServingDemand(peak_requests_per_s=10, average_requests_per_s=3, latency_target_p95_s=0.001),
            ),
            "No priced device meets the serving plan",
        ),
    ],
)
def test_a_scenario_that_cannot_be_compared_says_what_to_fill_in(plan: ResourcePlan, message: str) -> None:
    assert plan.api_comparison is not None
    evaluation = evaluated(plan)
    with pytest.raises(ValueError, match=message):
        compare_chosen(evaluation, MODELS, plan.api_comparison)


def test_the_command_line_prices_the_same_workload_and_volume(
    capsys: pytest.CaptureFixture[str], chat: ApiComparison
) -> None:
    code = main(
        [
            "estimate",
            "--arch",
            "llama-3.1-8b",
            "--mode",
            "inference",
            "--prompt-tokens",
            "512",
            "--new-tokens",
            "256",
            "--compare-api",
            "openai-gpt-4o",
            "--requests-per-month",
            f"{chat.planned_requests_per_month:.0f}",
            "--json",
        ]
    )
    assert code == 0
    api = json.loads(capsys.readouterr().out)["api"]
    assert api["usd_per_request"] == pytest.approx(chat.api.usd_per_request, rel=1e-12)
    assert api["usd_per_month"] == pytest.approx(chat.at_average.api_usd_per_month, rel=1e-12)
    assert (api["input_tokens_per_request"], api["output_tokens_per_request"]) == (512, 256)


def test_the_brief_states_which_is_cheaper_at_the_planned_volume_and_by_how_much(chat: ApiComparison) -> None:
    overview = build_overview({}, today=date(2027, 1, 15))
    markdown = brief_markdown(BriefInputs("P", overview, date(2027, 1, 15), api_comparison=chat))
    section = markdown.split("## Resource plan (What will it take?)", 1)[1].split("## Open problems")[0]
    plain = section.replace("\\", "")
    assert plain.count("API or self-host: At 7,884,000 requests a month") == 1
    assert ("is cheaper by $" in plain) and f"${chat.at_average.saving_usd_per_month:,.0f}" in plain
    assert all(line.replace("\\", "") in plain.replace("- ", "") for line in api_lines(chat))
    assert "quality differences" in markdown  # the comparison's assumptions travel with it


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--compare-api", "openai-gpt-4o"], "Give --requests-per-month"),
        (["--requests-per-month", "5"], "needs --compare-api"),
        (["--compare-api", "nope", "--requests-per-month", "5"], "Unknown hosted model 'nope'"),
        (["--compare-api", "openai-gpt-4o", "--requests-per-month", "lots"], "--requests-per-month must be a number"),
        (["--compare-api", "openai-gpt-4o", "--requests-per-month", "-3"], "must be 0 or more"),
    ],
)
def test_bad_compare_flags_fail_with_one_sentence(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["estimate", "--arch", "llama-3.1-8b", "--mode", "inference", *args]) == 2
    assert message in capsys.readouterr().err


def test_hosted_lists_the_catalogue_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hosted", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == len(MODELS) and all(row["source"] and row["price_date"] for row in rows)
    assert main(["hosted", "--architecture", "llama-3.1-8b", "--json"]) == 0
    assert {row["architecture"] for row in json.loads(capsys.readouterr().out)} == {"llama-3.1-8b"}
    assert main(["hosted", "--modality", "audio"]) == 2


def test_the_pdf_brief_carries_the_comparison(chat: ApiComparison) -> None:
    from io import BytesIO

    import pypdf

    from core.brief import brief_pdf

    overview = build_overview({}, today=date(2027, 1, 15))
    reader = pypdf.PdfReader(BytesIO(brief_pdf(BriefInputs("P", overview, date(2027, 1, 15), api_comparison=chat))))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "What will it take?" in text and "API or self-host: At 7,884,000 requests a month" in text


def test_the_overview_names_the_cheaper_option_among_its_key_figures(chat: ApiComparison) -> None:
    from core.decision import PlanFacts
    from core.example import example_project

    def with_comparison(plan: ResourcePlan) -> PlanFacts:
        evaluation = evaluated(plan)
        return PlanFacts(
            summary=evaluation.summary,
            fits=evaluation.fits,
            memory_per_device_bytes=evaluation.memory_per_device_bytes,
            device_memory_bytes=evaluation.device_memory_bytes,
            device_name=None,
            api_comparison=chat,
        )

    _name, sections = example_project()
    overview = build_overview(sections, today=date(2027, 1, 15), assess_plan=with_comparison)
    figure = next(f for f in overview.figures if f.label == "API or self-host")
    assert figure.value == f"{chat.at_average.cheaper} cheaper by ${chat.at_average.saving_usd_per_month:,.0f} a month"
    assert figure.note == "GPT-4o (OpenAI) at 7,884,000 requests a month"
