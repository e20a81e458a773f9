"""Serving maths: replicas, latency, Little's law and monthly cost, checked by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.resources.serving import (
    REPLICA_WARNING_THRESHOLD,
    LatencyProfile,
    ReplicaPlan,
    ServingDemand,
    plan_replicas,
    recommend,
)

GPU = LatencyProfile("gpu", ((1, 0.010), (8, 0.020), (32, 0.060)), price_usd_per_hour=2.0)
CPU = LatencyProfile("cpu", ((1, 0.050), (4, 0.160)), price_usd_per_hour=0.5, is_cpu=True)
DEMAND = ServingDemand(peak_requests_per_s=400, average_requests_per_s=100, latency_target_p95_s=0.1)


def test_gpu_plan_picks_the_largest_batch_inside_the_target():
    # batch 1: latency 0.010 s, 1/0.010 = 100 req/s
    # batch 8: fill 7/400 = 0.0175 s + 0.020 s = 0.0375 s, 8/0.020 = 400 req/s
    # batch 32: fill 31/400 = 0.0775 s + 0.060 s = 0.1375 s > 0.1 s target -> excluded
    plan = plan_replicas(DEMAND, GPU)
    assert plan.batch_size == 8
    assert plan.latency_p95_s == pytest.approx(0.0375)
    assert plan.batch_fill_wait_s == pytest.approx(0.0175)
    assert plan.throughput_requests_per_s == pytest.approx(400)
    assert plan.meets_target


def test_gpu_plan_replicas_and_monthly_costs():
    # peak: ceil(400 x 1.3 / 400) = ceil(1.3) = 2; average: ceil(100 x 1.3 / 400) = ceil(0.325) = 1
    # cost: 2 x $2/h x 730 h = $2,920 at peak; 1 x 2 x 730 = $1,460 at average
    plan = plan_replicas(DEMAND, GPU)
    assert (plan.replicas_at_peak, plan.replicas_at_average) == (2, 1)
    assert plan.monthly_cost_at_peak_usd == pytest.approx(2920)
    assert plan.monthly_cost_at_average_usd == pytest.approx(1460)


def test_littles_law_requests_in_flight_is_stated():
    # L = lambda x W = 400 req/s x 0.0375 s = 15 requests
    plan = plan_replicas(DEMAND, GPU)
    assert plan.requests_in_flight_at_peak == pytest.approx(15)
    assert any("Little's law" in a for a in plan.assumptions)


def test_cpu_plan_replicas_and_costs():
    # batch 1: 0.050 s, 20 req/s; batch 4: 3/400 + 0.160 = 0.1675 s > 0.1 s -> excluded
    # peak: ceil(400 x 1.3 / 20) = 26 replicas -> 26 x $0.5 x 730 = $9,490
    # average: ceil(100 x 1.3 / 20) = ceil(6.5) = 7 -> 7 x 0.5 x 730 = $2,555
    plan = plan_replicas(DEMAND, CPU)
    assert plan.batch_size == 1
    assert (plan.replicas_at_peak, plan.replicas_at_average) == (26, 7)
    assert plan.monthly_cost_at_peak_usd == pytest.approx(9490)
    assert plan.monthly_cost_at_average_usd == pytest.approx(2555)


def test_replica_count_ignores_floating_point_fuzz():
    # 100 x 1.3 / 10 = 13.000000000000002 in floating point; 13 replicas suffice
    demand = ServingDemand(peak_requests_per_s=100, average_requests_per_s=100, latency_target_p95_s=1)
    plan = plan_replicas(demand, LatencyProfile("d", ((1, 0.1),), 1.0))
    assert plan.replicas_at_peak == 13


def test_batch_fill_is_capped_by_the_max_wait_and_then_a_smaller_batch_wins():
    # peak 10 req/s: filling 64 requests would take 63/10 = 6.3 s, capped at 0.1 s,
    # so a batch leaves with 1 + 10 x 0.1 = 2 requests: 2/0.05 = 40 req/s at 0.15 s.
    # batch 1 serves 1/0.01 = 100 req/s, so it is chosen.
    demand = ServingDemand(peak_requests_per_s=10, average_requests_per_s=5, latency_target_p95_s=1)
    plan = plan_replicas(demand, LatencyProfile("d", ((1, 0.01), (64, 0.05)), 1.0), max_batch_wait_s=0.1)
    assert plan.batch_size == 1
    assert plan.throughput_requests_per_s == pytest.approx(100)


def test_capped_fill_counts_only_the_requests_that_arrived():
    demand = ServingDemand(peak_requests_per_s=10, average_requests_per_s=5, latency_target_p95_s=1)
    plan = plan_replicas(demand, LatencyProfile("d", ((64, 0.05),), 1.0), max_batch_wait_s=0.1)
    assert plan.batch_fill_wait_s == pytest.approx(0.1)
    assert plan.requests_per_batch == pytest.approx(2)
    assert plan.latency_p95_s == pytest.approx(0.15)


def test_several_samples_per_request():
    # 4 samples per request. batch 2: two passes of 0.02 s = 0.04 s for 1 request -> 25 req/s
    # batch 8: 2 requests, fill 1/50 = 0.02 s + 0.05 s = 0.07 s, 2/0.05 = 40 req/s -> chosen
    # peak replicas: ceil(50 x 1.3 / 40) = ceil(1.625) = 2
    demand = ServingDemand(
        peak_requests_per_s=50, average_requests_per_s=10, latency_target_p95_s=1, samples_per_request=4
    )
    plan = plan_replicas(demand, LatencyProfile("d", ((2, 0.02), (8, 0.05)), 1.0))
    assert plan.batch_size == 8
    assert plan.requests_per_batch == 2
    assert plan.latency_p95_s == pytest.approx(0.07)
    assert plan.replicas_at_peak == 2


def test_request_larger_than_any_batch_needs_several_passes():
    # 10 samples, batch 4: ceil(10/4) = 3 passes x 0.1 s = 0.3 s per request
    demand = ServingDemand(
        peak_requests_per_s=1, average_requests_per_s=1, latency_target_p95_s=1, samples_per_request=10
    )
    plan = plan_replicas(demand, LatencyProfile("d", ((4, 0.1),), 1.0))
    assert plan.service_time_s == pytest.approx(0.3)


def test_missed_target_is_reported_with_a_reason_and_still_sized():
    # batch 1 takes 2 s > 0.5 s; 0.5 req/s per replica, ceil(1 x 1.3 / 0.5) = ceil(2.6) = 3 replicas
    demand = ServingDemand(peak_requests_per_s=1, average_requests_per_s=1, latency_target_p95_s=0.5)
    plan = plan_replicas(demand, LatencyProfile("slow", ((1, 2.0), (4, 3.0)), 1.0))
    assert not plan.meets_target
    assert "over the 0.5 s target" in plan.reason
    assert plan.batch_size == 1
    assert plan.replicas_at_peak == 3


def test_headroom_zero_sizes_to_the_peak_exactly():
    # ceil(400 x 1.0 / 400) = 1
    demand = ServingDemand(peak_requests_per_s=400, average_requests_per_s=100, latency_target_p95_s=0.1, headroom=0)
    assert plan_replicas(demand, GPU).replicas_at_peak == 1


def test_a_billion_requests_per_second_gives_a_large_finite_plan():
    # batch 64: fill 63/1e9 s + 0.1 s; 640 req/s per replica
    # ceil(1e9 x 1.3 / 640) = ceil(2,031,250) = 2,031,250 replicas -> x $1 x 730 h = $1,482,812,500
    demand = ServingDemand(peak_requests_per_s=1e9, average_requests_per_s=1e8, latency_target_p95_s=0.5)
    plan = plan_replicas(demand, LatencyProfile("d", ((1, 0.01), (64, 0.1)), 1.0))
    assert plan.replicas_at_peak == 2_031_250
    assert plan.monthly_cost_at_peak_usd == pytest.approx(1_482_812_500)
    assert math.isfinite(plan.monthly_cost_at_peak_usd)
    assert plan.replicas_at_peak > REPLICA_WARNING_THRESHOLD
    assert any("replicas" in w for w in plan.warnings)


def test_ordinary_plan_has_no_warnings():
    assert plan_replicas(DEMAND, GPU).warnings == ()


def test_assumptions_state_the_month_and_the_batching_rule():
    text = " ".join(plan_replicas(DEMAND, GPU).assumptions)
    assert "730 hours" in text
    assert "max_batch_delay" in text


@pytest.mark.parametrize(
    "kwargs",
    [
        {"peak_requests_per_s": 0},
        {"peak_requests_per_s": -5},
        {"peak_requests_per_s": float("nan")},
        {"peak_requests_per_s": float("inf")},
        {"peak_requests_per_s": 1e13},
        {"peak_requests_per_s": "10"},
        {"peak_requests_per_s": True},
        {"average_requests_per_s": 0},
        {"average_requests_per_s": 500},  # above the peak
        {"latency_target_p95_s": 0},
        {"latency_target_p95_s": -1},
        {"latency_target_p95_s": float("nan")},
        {"samples_per_request": 0.5},
        {"samples_per_request": float("nan")},
        {"headroom": -0.1},
        {"headroom": 3.5},
        {"prompt_tokens": 0},
        {"output_tokens": 2.5},
    ],
)
def test_bad_demand_is_rejected(kwargs):
    base = {"peak_requests_per_s": 100, "average_requests_per_s": 10, "latency_target_p95_s": 0.2}
    with pytest.raises(ValueError):
        ServingDemand(**{**base, **kwargs})


def test_bad_demand_message_is_one_actionable_sentence():
    with pytest.raises(ValueError, match=r"^Peak requests per second must be above 0; got 0\.$"):
        ServingDemand(peak_requests_per_s=0, average_requests_per_s=1, latency_target_p95_s=1)


def test_billion_requests_per_second_is_accepted_as_input():
    demand = ServingDemand(peak_requests_per_s=1e9, average_requests_per_s=1e9, latency_target_p95_s=1)
    assert demand.peak_requests_per_s == 1e9


@pytest.mark.parametrize(
    ("points", "price"),
    [
        ((), 1.0),
        (((1, 0.1), (1, 0.2)), 1.0),  # repeated batch
        (((4, 0.1), (2, 0.2)), 1.0),  # unsorted
        (((1, 0.2), (4, 0.1)), 1.0),  # bigger batch faster
        (((0, 0.1),), 1.0),
        (((1, 0.0),), 1.0),
        (((1, float("nan")),), 1.0),
        (((1, 0.1, 3),), 1.0),
        (((1, 0.1),), -1.0),
        (((1, 0.1),), float("inf")),
    ],
)
def test_bad_latency_profile_is_rejected(points, price):
    with pytest.raises(ValueError):
        LatencyProfile("d", points, price)


def test_negative_max_batch_wait_is_rejected():
    with pytest.raises(ValueError):
        plan_replicas(DEMAND, GPU, max_batch_wait_s=-0.1)


# --- recommend ---------------------------------------------------------------


def test_recommend_picks_the_cheapest_plan_meeting_the_target():
    # GPU $2,920/month at peak beats CPU $9,490
    rec = recommend([plan_replicas(DEMAND, CPU), plan_replicas(DEMAND, GPU)])
    assert rec.chosen is not None
    assert rec.chosen.device_name == "gpu"
    assert "cheapest" in rec.reasons[0]


def test_recommend_says_a_cpu_is_enough_even_when_a_gpu_is_cheaper():
    rec = recommend([plan_replicas(DEMAND, CPU), plan_replicas(DEMAND, GPU)])
    assert rec.cpu_is_enough
    assert rec.cpu_sentence.startswith("A CPU is enough: cpu")
    assert "a GPU is not required" in rec.cpu_sentence


def test_recommend_chooses_a_cpu_when_it_is_cheapest():
    slow_demand = ServingDemand(peak_requests_per_s=1, average_requests_per_s=1, latency_target_p95_s=1)
    rec = recommend([plan_replicas(slow_demand, CPU), plan_replicas(slow_demand, GPU)])
    assert rec.chosen is not None and rec.chosen.is_cpu
    assert rec.cpu_is_enough


def test_recommend_says_when_no_cpu_meets_the_target():
    tight = ServingDemand(peak_requests_per_s=10, average_requests_per_s=1, latency_target_p95_s=0.02)
    rec = recommend([plan_replicas(tight, CPU), plan_replicas(tight, GPU)])
    assert not rec.cpu_is_enough
    assert "No CPU meets" in rec.cpu_sentence
    assert any("Too slow" in r and "cpu" in r for r in rec.reasons)


def test_recommend_without_cpu_options_says_so():
    rec = recommend([plan_replicas(DEMAND, GPU)])
    assert not rec.cpu_is_enough
    assert "No CPU option was evaluated" in rec.cpu_sentence


def test_recommend_when_nothing_meets_the_target():
    impossible = ServingDemand(peak_requests_per_s=10, average_requests_per_s=1, latency_target_p95_s=0.001)
    rec = recommend([plan_replicas(impossible, CPU), plan_replicas(impossible, GPU)])
    assert rec.chosen is None
    assert "No option meets" in rec.reasons[0]
    assert "gpu" in rec.reasons[0]  # the fastest is named


def test_recommend_names_the_runner_up():
    rec = recommend([plan_replicas(DEMAND, CPU), plan_replicas(DEMAND, GPU)])
    assert any(r.startswith("Next cheapest: cpu") for r in rec.reasons)


def test_recommend_needs_at_least_one_plan():
    with pytest.raises(ValueError):
        recommend([])


# --- properties --------------------------------------------------------------


@st.composite
def demand_and_profile(draw) -> tuple[ServingDemand, LatencyProfile]:
    peak = draw(st.floats(min_value=1e-3, max_value=1e10))
    average = draw(st.floats(min_value=1e-3, max_value=1.0)) * peak
    demand = ServingDemand(
        peak_requests_per_s=peak,
        average_requests_per_s=average,
        latency_target_p95_s=draw(st.floats(min_value=1e-3, max_value=100)),
        samples_per_request=draw(st.floats(min_value=1, max_value=64)),
        headroom=draw(st.floats(min_value=0, max_value=3)),
    )
    batches = sorted(draw(st.sets(st.integers(min_value=1, max_value=512), min_size=1, max_size=6)))
    times = sorted(
        draw(st.lists(st.floats(min_value=1e-4, max_value=10), min_size=len(batches), max_size=len(batches)))
    )
    price = draw(st.floats(min_value=0, max_value=100))
    return demand, LatencyProfile("d", tuple(zip(batches, times, strict=True)), price)


@settings(max_examples=150)
@given(demand_and_profile())
def test_plan_is_finite_non_negative_and_covers_the_peak(case):
    demand, profile = case
    plan: ReplicaPlan = plan_replicas(demand, profile)
    assert plan.replicas_at_peak >= plan.replicas_at_average >= 1
    for value in (plan.monthly_cost_at_peak_usd, plan.monthly_cost_at_average_usd, plan.latency_p95_s):
        assert math.isfinite(value) and value >= 0
    capacity = plan.replicas_at_peak * plan.throughput_requests_per_s
    assert capacity >= demand.peak_requests_per_s * (1 + demand.headroom) * (1 - 1e-9)
    if plan.meets_target:
        assert plan.latency_p95_s <= demand.latency_target_p95_s


# --- a CPU that needs less than one socket is priced by its cores ------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "service_s", "target_s", "cores"),
    [
        (1.0, 0.001, 1.0, 2),  # a trickle: the 2-core minimum
        (500.0, 0.001, 1.0, 11),  # 500 x 1.3 / 2,000 per s = 32.5 % of 32 cores: ceil(10.4)
        (1.0, 0.5, 1.0, 16),  # the latency: a 0.5 s request on 16 of 32 threads takes the whole 1 s target
        (1.0, 0.9, 1.0, 29),  # ceil(32 x 0.9)
        (1.0, 2.0, 1.0, 32),  # misses even on the whole socket: capped at the socket
    ],
)
def test_cpu_cores_follow_the_load_and_the_latency_target(
    rate: float, service_s: float, target_s: float, cores: int
) -> None:
    from core.resources.serving import cpu_cores_needed

    assert cpu_cores_needed(32, rate, 0.3, 2_000.0, service_s, 0.0, target_s) == cores


def test_a_socket_priced_by_cores_costs_its_share() -> None:
    profile = LatencyProfile("Xeon", ((1, 0.001),), price_usd_per_hour=3.2, is_cpu=True, cores=32)
    plan = plan_replicas(
        ServingDemand(peak_requests_per_s=20.0, average_requests_per_s=5.0, latency_target_p95_s=1.0), profile
    )
    assert (plan.replicas_at_peak, plan.cores_at_peak, plan.cores_at_average) == (1, 2, 2)
    assert plan.monthly_cost_at_peak_usd == pytest.approx(3.2 * 730 * 2 / 32)
    assert "priced by its cores" in plan.assumptions[-1]


def test_a_gpu_and_a_cpu_over_one_socket_are_priced_whole() -> None:
    demand = ServingDemand(peak_requests_per_s=5_000.0, average_requests_per_s=5_000.0, latency_target_p95_s=1.0)
    cpu = plan_replicas(demand, LatencyProfile("Xeon", ((1, 0.001),), 3.2, is_cpu=True, cores=32))
    gpu = plan_replicas(demand, LatencyProfile("L4", ((1, 0.001),), 0.8))
    assert cpu.cores_at_peak is None and cpu.monthly_cost_at_peak_usd == pytest.approx(cpu.replicas_at_peak * 3.2 * 730)
    assert gpu.cores_at_peak is None
