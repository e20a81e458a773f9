"""API versus self-hosting: price per request, the step cost of replicas, break-even and its edge cases."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from core.hosted.catalogue import HostedModel
from core.hosted.compare import (
    SECONDS_PER_MONTH,
    ApiCost,
    BreakEven,
    HostedWorkload,
    SelfHostingCost,
    api_usd_per_request,
    break_even,
    break_even_sentence,
    chart_rows,
    costs_at,
    verdict_sentence,
)


def model(modality: str = "text", **prices: float | None) -> HostedModel:
    return HostedModel(
        key="m",
        provider="P",
        model="M",
        modality=modality,
        price_date="2026-12-02",
        source="a test",
        **prices,  # type: ignore[arg-type]
    )


TOKENS: dict[str, float | None] = {"usd_per_million_input_tokens": 0.5, "usd_per_million_output_tokens": 1.5}


@pytest.mark.parametrize(
    ("hosted", "workload", "usd"),
    [
        # 1,000 in x $0.5/M + 500 out x $1.5/M
        (model("text", **TOKENS), HostedWorkload(1000, 500), 0.0005 + 0.00075),
        (model("text", **TOKENS), HostedWorkload(1000, 0), 0.0005),
        (model("text", **TOKENS), HostedWorkload(0, 2_000_000), 3.0),
        (model("embeddings", usd_per_million_input_tokens=0.02), HostedWorkload(8000, 0), 0.00016),
        (model("embeddings", usd_per_million_input_tokens=0.02), HostedWorkload(8000, 99), 0.00016),  # no output bill
        (model("image generation", usd_per_image=0.04), HostedWorkload(images_per_request=3), 0.12),
        (model("speech-to-text", usd_per_audio_minute=0.006), HostedWorkload(audio_minutes_per_request=2.5), 0.015),
        (model(usd_per_million_input_tokens=0.0, usd_per_million_output_tokens=0.0), HostedWorkload(10, 10), 0.0),
    ],
)
def test_a_request_costs_its_units_times_the_catalogue_prices(
    hosted: HostedModel, workload: HostedWorkload, usd: float
) -> None:
    assert api_usd_per_request(hosted, workload) == pytest.approx(usd, rel=1e-12)


@pytest.mark.parametrize(
    ("hosted", "workload", "message"),
    [
        (model("text", **TOKENS), HostedWorkload(), "billed per token; enter the input and output tokens"),
        (model("image generation", usd_per_image=0.04), HostedWorkload(500, 10), "billed per image"),
        (model("speech-to-text", usd_per_audio_minute=0.006), HostedWorkload(500), "billed per audio minute"),
        (model(usd_per_million_input_tokens=0.5), HostedWorkload(10, 10), "no output-token price"),
    ],
)
def test_a_request_without_the_billed_unit_is_refused_with_what_to_enter(
    hosted: HostedModel, workload: HostedWorkload, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        api_usd_per_request(hosted, workload)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: HostedWorkload(-1), "Input tokens per request must be 0 or more"),
        (lambda: HostedWorkload(math.nan), "Input tokens per request must be a finite number"),
        (lambda: HostedWorkload(0, math.inf), "Output tokens per request must be a finite number"),
        (lambda: ApiCost(-0.1), "Price per request"),
        (lambda: ApiCost(0.1, -5), "Fixed API fee"),
        (lambda: SelfHostingCost(0, 100), "Monthly cost of one replica .USD. must be above 0"),
        (lambda: SelfHostingCost(100, 0), "Requests a month one replica serves must be above 0"),
        (lambda: SelfHostingCost(100, 100, -1), "Team share"),
        (
            lambda: SelfHostingCost.from_serving(
                price_usd_per_replica_hour=3, throughput_requests_per_s=1, headroom=0.3, peak_to_average=0.5
            ),
            "peak rate cannot be below the average",
        ),
        (lambda: model(usd_per_million_input_tokens=-1), "between 0 and"),
        (lambda: model("speech-to-text", usd_per_image=1.0), "needs a \\$ per audio minute"),
        (lambda: model("audio"), "modality of m must be one of"),
        (lambda: HostedModel("m", "P", "M", "text", "2026-13-01", "s", 1.0), "price date must be a day"),
    ],
)
def test_bad_inputs_are_refused_with_a_sentence(make: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()  # type: ignore[operator]


def test_self_hosting_is_a_step_function_of_volume_with_at_least_one_replica() -> None:
    hosting = SelfHostingCost(replica_usd_per_month=1000, requests_per_month_per_replica=100, team_usd_per_month=50)
    # (volume, replicas): right-closed steps, one replica at zero volume
    for volume, replicas in ((0, 1), (1, 1), (100, 1), (100.5, 2), (200, 2), (201, 3), (1e4, 100)):
        assert hosting.replicas(volume) == replicas, volume
        assert hosting.usd_per_month(volume) == replicas * 1000 + 50


def test_from_serving_covers_the_peak_with_headroom() -> None:
    # 4 requests/s per replica, 25 % headroom, peak twice the average: a replica carries an average of
    # 4 / 1.25 / 2 = 1.6 requests/s, i.e. 1.6 x 2,628,000 requests a month.
    hosting = SelfHostingCost.from_serving(
        price_usd_per_replica_hour=2.0, throughput_requests_per_s=4.0, headroom=0.25, peak_to_average=2.0
    )
    assert hosting.replica_usd_per_month == pytest.approx(1460.0)
    assert hosting.requests_per_month_per_replica == pytest.approx(1.6 * SECONDS_PER_MONTH)
    # 10 requests/s average -> peak 20/s x 1.25 = 25/s -> ceil(25 / 4) = 7 replicas (plan_replicas' formula)
    assert hosting.replicas(10 * SECONDS_PER_MONTH) == 7


# Specification of break-even: (replica $/month R, requests/month per replica C, team $, price $/request p,
# API fixed fee $, first volume, steady volume), with T = team - fee and d = p C - R.
BREAK_EVEN_CASES = [
    pytest.param(1000, 100, 0, 20, 0, 50, 50, id="cheaper from half a replica, for good (d > R + T)"),
    pytest.param(1000, 100, 0, 10, 0, 100, None, id="API exactly a full replica's cost: equal at each top only"),
    pytest.param(1000, 100, 0, 5, 0, None, None, id="never cheaper: a full replica costs more than its requests"),
    pytest.param(1000, 100, 5000, 15, 0, 1000, 17000 / 15, id="the team share pushes it to the top of step 10"),
    pytest.param(1000, 100, 500, 12, 0, 3500 / 12, 8500 / 12, id="cheaper late in step 3, for good from step 8"),
    pytest.param(1000, 100, 0, 0, 0, None, None, id="a free API is never beaten"),
    pytest.param(1000, 100, 200, 20, 5000, 0, 0, id="always cheaper: the API's fee exceeds R + T and d > 0"),
    pytest.param(1000, 100, 200, 0, 5000, 0, None, id="a fee above R + T on a free API: dearer from step 5"),
    pytest.param(1000, 100, 0, 10, 1000, 0, 0, id="a fee equal to R + T, d = 0: never dearer"),
    pytest.param(1000, 100, 0, 5, 1000, 0, None, id="a fee equal to R + T, d < 0: dearer after step 1"),
    pytest.param(1000, 100, 0, 5, 400, None, None, id="a fee too small to reach step 1 when d < 0"),
    pytest.param(1000, 100, 0, 5, 600, 80, None, id="a fee reaches step 1 when d < 0, then never again"),
]


@pytest.mark.parametrize(("r", "c", "team", "p", "fee", "first", "steady"), BREAK_EVEN_CASES)
def test_break_even_follows_its_specification(
    r: float, c: float, team: float, p: float, fee: float, first: float | None, steady: float | None
) -> None:
    found = break_even(ApiCost(p, fee), SelfHostingCost(r, c, team))
    for value, expected in (
        (found.break_even_requests_per_month, first),
        (found.self_hosting_cheaper_from_requests_per_month, steady),
    ):
        if expected is None:
            assert value is None
        else:
            assert value == pytest.approx(expected, rel=1e-9, abs=1e-9)


def _scan(api: ApiCost, hosting: SelfHostingCost, top: float, points: int = 4000) -> list[tuple[float, bool]]:
    """(volume, self-hosting costs no more) on a fine grid, plus both sides of every step."""
    c = hosting.requests_per_month_per_replica
    volumes = {top * i / points for i in range(points + 1)}
    volumes |= {n * c for n in range(1, int(top // c) + 1)} | {n * c * (1 + 1e-9) for n in range(1, int(top // c) + 1)}
    return sorted((v, hosting.usd_per_month(v) <= api.usd_per_month(v) + 1e-9) for v in volumes)


@given(
    r=hs.floats(10, 10_000),
    c=hs.floats(10, 10_000),
    team=hs.floats(0, 50_000),
    p=hs.floats(0, 100),
    fee=hs.floats(0, 20_000),
)
def test_break_even_agrees_with_a_scan_of_both_curves(r: float, c: float, team: float, p: float, fee: float) -> None:
    api, hosting = ApiCost(p, fee), SelfHostingCost(r, c, team)
    found = break_even(api, hosting)
    first = found.break_even_requests_per_month
    steady = found.self_hosting_cheaper_from_requests_per_month
    top = 3 * max(first or 0.0, steady or 0.0, 40 * c)
    d = p * c - r
    overtaken = True
    if d < 0:  # the steps overtake the API line after about |R + T| / |d| replicas
        needed = abs(r + team - fee) / -d + 3
        overtaken = needed <= 20_000
        top = max(top, c * min(needed, 20_000))
    scan = _scan(api, hosting, top)
    cheaper = [v for v, ok in scan if ok]
    if first is None:
        assert not cheaper
        return
    # self-hosting is dearer everywhere below the first point and no dearer at it
    assert all(not ok for v, ok in scan if v < first * (1 - 1e-6))
    assert hosting.usd_per_month(first) <= api.usd_per_month(first) * (1 + 1e-9) + 1e-9
    if steady is not None:
        assert all(ok for v, ok in scan if v >= steady * (1 + 1e-6)), "never dearer again above the steady point"
        assert steady >= first
    elif overtaken:
        assert any(not ok for v, ok in scan if v > first), "the API is cheaper again somewhere above"


def test_zero_volume_costs_the_fee_against_one_replica_and_the_team() -> None:
    at = costs_at(ApiCost(0.01, 25), SelfHostingCost(1000, 100, 300), 0)
    assert (at.api_usd_per_month, at.self_hosting_usd_per_month, at.replicas) == (25, 1300, 1)
    assert at.cheaper == "API" and at.saving_usd_per_month == 1275


@pytest.mark.parametrize(
    ("api_usd", "self_usd", "words"),
    [
        (100.0, 1000.0, "the API (M (P)) is cheaper by $900 a month: $100 against $1,000"),
        (1000.0, 100.0, "self-hosting on 1 x GPU is cheaper by $900 a month: $100 against $1,000"),
        (500.0, 500.0, "cost the same: $500 a month"),
    ],
)
def test_the_verdict_says_which_is_cheaper_and_by_how_much(api_usd: float, self_usd: float, words: str) -> None:
    from core.hosted.compare import VolumeCosts

    sentence = verdict_sentence(VolumeCosts(1000, api_usd, self_usd, 1), "M (P)", "1 x GPU")
    assert words in sentence and "1,000 requests a month" in sentence


@pytest.mark.parametrize(
    ("point", "planned", "words"),
    [
        (BreakEven(None, None), 10, "never becomes cheaper"),
        (BreakEven(0, 0), 10, "cheaper at every volume"),
        (BreakEven(50, 50), 100, "from 50 requests a month (0.5 x the planned volume) and stays cheaper above it"),
        (BreakEven(50, 80), 100, "and stays cheaper from 80 requests a month"),
        (BreakEven(50, None), 100, "the API is briefly cheaper again"),
    ],
)
def test_the_break_even_sentence(point: BreakEven, planned: float, words: str) -> None:
    assert words in break_even_sentence(point, planned)


def test_the_chart_draws_both_sides_of_every_step_and_the_api_line() -> None:
    api, hosting = ApiCost(12), SelfHostingCost(1000, 100, 500)
    rows = chart_rows(api, hosting, 350)
    own = [(row["requests_per_month"], row["usd_per_month"]) for row in rows if row["option"] == "self-hosting"]
    line = [(row["requests_per_month"], row["usd_per_month"]) for row in rows if row["option"] == "API"]
    assert line == [(0.0, 0.0), (350.0, 4200.0)]
    assert own[0] == (0.0, 1500) and own[-1] == (350.0, 4500)
    assert (100.0, 1500) in own and (200.0, 2500) in own and (300.0, 3500) in own
    assert [cost for _, cost in own] == sorted(cost for _, cost in own), "a step function never falls"
    many = chart_rows(api, SelfHostingCost(1000, 1, 0), 10_000, points=50)
    assert len([r for r in many if r["option"] == "self-hosting"]) <= 51, "too many steps are sampled"
