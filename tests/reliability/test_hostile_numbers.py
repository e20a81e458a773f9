"""Every number a user can type, taken to its extremes: a valid result or a ValueError with a sentence.

Never a silent negative memory, cost or probability, never NaN in a result, never another exception type.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import pytest

from core.metrics import BreakEvenInputs, RegressionBreakEvenInputs, min_accuracy, min_precision, regression_break_even
from core.resources.architectures import load_architectures
from core.resources.costs import BuyVersusCloud, compare_buy_versus_cloud
from core.resources.memory import Workload, estimate_memory
from core.resources.serving import LatencyProfile, ServingDemand, plan_replicas
from core.resources.team import TeamInputs, plan_team
from core.resources.training import TrainingJob, UtilisationBand, estimate_training
from core.worthiness import Weights, rank_weighted_sum, sensitivity

pytestmark = pytest.mark.reliability

HOSTILE = [math.nan, math.inf, -math.inf, 0, -1, -1e-9, 1e308, 10**18]
LLAMA = load_architectures()["llama-3.1-8b"]
PROFILE = LatencyProfile("gpu", ((1, 0.05), (8, 0.12)), 2.0)


def _break_even(**kw: Any) -> object:
    inputs = BreakEvenInputs(
        **{
            "value_true_positive_usd": 10.0,
            "cost_false_positive_usd": 2.0,
            "cost_false_negative_usd": 5.0,
            "prevalence": 0.1,
            "monthly_volume": 10_000.0,
            "monthly_running_cost_usd": 500.0,
            "baseline_monthly_value_usd": 100.0,
            **kw,
        }
    )
    return (min_precision(inputs, 0.8), min_accuracy(inputs))


def _regression(**kw: Any) -> object:
    values = {
        "cost_per_unit_error_usd": 1.0,
        "monthly_volume": 1e4,
        "baseline_mae": 3.0,
        "monthly_running_cost_usd": 100.0,
        **kw,
    }
    RegressionBreakEvenInputs(**values)  # the page builds this first; it validates
    return regression_break_even(**values)


def _serving(**kw: Any) -> object:
    demand = ServingDemand(
        **{"peak_requests_per_s": 10.0, "average_requests_per_s": 5.0, "latency_target_p95_s": 0.5, **kw}
    )
    return plan_replicas(demand, PROFILE)


def _training(**kw: Any) -> object:
    job = TrainingJob(
        **{
            "params": 1e9,
            "devices": 8,
            "peak_flops_per_s": 989e12,
            "price_usd_per_device_hour": 3.0,
            "tokens": 1e11,
            "flops_per_token": 6e9,
            "utilisation": UtilisationBand(0.3, 0.4, 0.5),
            **kw,
        }
    )
    return estimate_training(job)


def _buy(**kw: Any) -> object:
    return compare_buy_versus_cloud(
        BuyVersusCloud(
            **{
                "purchase_price_usd_per_device": 30_000.0,
                "devices": 8,
                "tdp_w": 700.0,
                "electricity_usd_per_kwh": 0.15,
                "hosting_usd_per_month": 1_000.0,
                "amortisation_years": 4.0,
                "cloud_price_usd_per_device_hour": 3.0,
                "utilisation": 0.6,
                **kw,
            }
        )
    )


def _team(**kw: Any) -> object:
    return plan_team(TeamInputs(**kw))


def _memory(**kw: Any) -> object:
    return estimate_memory(
        LLAMA, Workload(**{"mode": "train", "precision": "amp", "optimizer": "adamw", "batch": 4, "seq": 2048, **kw})
    )


def _ranking(**kw: Any) -> object:
    weights = Weights(**kw)
    scores = {
        "a": {"impact": 5, "value": 4, "complexity": 2, "risk": 2, "cost": 3, "suitability": 5},
        "b": {"impact": 3, "value": 3, "complexity": 3, "risk": 3, "cost": 3, "suitability": 3},
    }
    return (rank_weighted_sum(scores, weights), sensitivity(scores, weights, draws=50))


CASES: list[tuple[str, Callable[..., object], list[str]]] = [
    (
        "break-even",
        _break_even,
        [
            "value_true_positive_usd",
            "cost_false_positive_usd",
            "cost_false_negative_usd",
            "prevalence",
            "monthly_volume",
            "monthly_running_cost_usd",
        ],
    ),
    (
        "regression break-even",
        _regression,
        ["cost_per_unit_error_usd", "monthly_volume", "baseline_mae", "monthly_running_cost_usd"],
    ),
    (
        "serving",
        _serving,
        ["peak_requests_per_s", "average_requests_per_s", "latency_target_p95_s", "samples_per_request", "headroom"],
    ),
    (
        "training",
        _training,
        ["params", "devices", "peak_flops_per_s", "price_usd_per_device_hour", "tokens", "flops_per_token", "epochs"],
    ),
    (
        "buy vs cloud",
        _buy,
        [
            "purchase_price_usd_per_device",
            "devices",
            "tdp_w",
            "electricity_usd_per_kwh",
            "hosting_usd_per_month",
            "amortisation_years",
            "cloud_price_usd_per_device_hour",
            "utilisation",
            "pue",
        ],
    ),
    ("team", _team, ["data_months", "modelling_months", "deployment_months", "monitoring_months"]),
    ("memory", _memory, ["batch", "seq", "devices"]),
    ("weights", _ranking, ["impact", "value", "suitability"]),
]


def _numbers(value: Any, seen: set[int] | None = None) -> list[tuple[str, float]]:
    """Every numeric field reachable in a result, with its path."""
    seen = seen or set()
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [("", float(value))]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
    elif isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list | tuple):
        items = [(str(i), v) for i, v in enumerate(value)]
    else:
        return []
    return [(f"{name}.{path}".rstrip("."), number) for name, child in items for path, number in _numbers(child, seen)]


# Fields that may legitimately be negative (net values, differences, savings) or signed scores.
SIGNED = ("net", "saving", "difference", "delta", "tau", "score", "margin")


@pytest.mark.parametrize(("case", "call", "fields"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("hostile", HOSTILE, ids=repr)
def test_hostile_numbers_give_a_result_or_a_sentence(case: str, call, fields: list[str], hostile: float) -> None:
    for field in fields:
        try:
            result = call(**{field: hostile})
        except ValueError as error:
            message = str(error)
            assert message and len(message) < 400 and "Traceback" not in message, (case, field, message)
            continue
        for path, number in _numbers(result):
            assert not math.isnan(number), (case, field, hostile, path)
            if not any(word in path.lower() for word in SIGNED):
                assert number >= 0, (case, field, hostile, path, number)
