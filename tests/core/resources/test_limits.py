"""A saved plan (ResourcePlan) and the estimator (Workload) accept exactly the same values for every field they
share: each limit is checked by one function in core.resources.limits, so an imported project cannot hold a plan
the estimator refuses field by field."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.resources import limits
from core.resources.memory import Workload
from core.resources.plan import ResourcePlan

# Anything a document, a form or a caller could pass: whole numbers around every limit, integral and
# fractional floats, NaN and infinities, booleans, text and None.
EDGES = [0, 1, 7, 8, 9, 4_096, 4_097, 65_536, 65_537, 100_000, 100_001, 1_000_000, 1_000_001, 10_000_000]
ANY_VALUE = st.one_of(
    st.sampled_from([*EDGES, *(e + 0.0 for e in EDGES), *(-e for e in EDGES)]),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["inference", "train", "lora", "serve", "bf16", "int4", "fp4", "adamw", "sgd", "lion", ""]),
)

# field -> (the other inputs that make the field apply in both classes, the same for both)
SHARED: dict[str, dict[str, Any]] = {
    "mode": {},
    "precision": {},
    "optimizer": {"mode": "train"},
    "batch": {},
    "seq": {},
    "prompt_tokens": {"new_tokens": 1},
    "new_tokens": {},
    "image_size": {},
    "grad_checkpointing": {"mode": "train"},
    "lora_rank": {"mode": "lora"},
    "devices": {},
}
# None means "the mode's default" to the estimator; a plan always stores the precision and optimizer it uses.
DEFAULTED_BY_NONE = {"precision", "optimizer"}


def _accepts(build: Callable[[], Any], field: str) -> tuple[bool, Any]:
    try:
        return True, getattr(build(), field)
    except ValueError:
        return False, None


def _plan(field: str, value: Any) -> tuple[bool, Any]:
    return _accepts(lambda: ResourcePlan(name="x", model_key="m", **{**SHARED[field], field: value}), field)


def _workload(field: str, value: Any) -> tuple[bool, Any]:
    return _accepts(lambda: Workload(**{**SHARED[field], field: value}), field)


def _same(a: Any, b: Any) -> bool:
    return (a == b and type(a) is type(b)) or (isinstance(a, float) and isinstance(b, float) and math.isnan(a))


@pytest.mark.parametrize("field", SHARED)
@settings(max_examples=150)
@given(value=ANY_VALUE)
@example(value=4)  # an image size below MIN_IMAGE_PX (8): both must refuse it, or an imported plan breaks
@example(value=4_097)  # a LoRA rank above 4,096 and within MAX_LORA_RANK (65,536): both must accept it
@example(value=100_001)  # one device above MAX_DEVICES (100,000)
@example(value=8.0)
def test_a_value_one_accepts_the_other_accepts_and_keeps_the_same(field: str, value: Any) -> None:
    if value is None and field in DEFAULTED_BY_NONE:
        return
    plan_ok, plan_value = _plan(field, value)
    workload_ok, workload_value = _workload(field, value)
    assert plan_ok == workload_ok, (field, value, plan_ok, workload_ok)
    if plan_ok and value is not None:  # None is "not given": the estimator fills its default (LoRA rank 16)
        assert _same(plan_value, workload_value), (field, value, plan_value, workload_value)


@pytest.mark.parametrize(
    ("check", "low", "high"),
    [
        (limits.batch_size, 1, limits.MAX_BATCH),
        (limits.token_count, 1, limits.MAX_TOKENS),
        (limits.image_size, limits.MIN_IMAGE_PX, limits.MAX_IMAGE_PX),
        (limits.lora_rank, 1, limits.MAX_LORA_RANK),
        (limits.device_count, 1, limits.MAX_DEVICES),
    ],
)
def test_each_limit_names_the_value_in_its_refusal(check: Callable[[Any, str], int], low: int, high: int) -> None:
    assert check(low, "Thing") == low and check(float(high), "Thing") == high
    for bad in (low - 1, high + 1, 2.5, True, "8", math.nan):
        with pytest.raises(ValueError, match=r"^Thing must be a whole number"):
            check(bad, "Thing")


def test_a_flag_is_true_or_false_exactly() -> None:
    assert limits.flag(True, "Flag") is True
    for bad in (1, 0, "yes", None):
        with pytest.raises(ValueError, match=r"^Flag must be true or false"):
            limits.flag(bad, "Flag")
