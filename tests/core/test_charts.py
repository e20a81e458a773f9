"""The memory chart: a stacked bar against the device's memory, drawn to scale only where it can be read."""

from __future__ import annotations

import pytest

from core.charts import DEVICE_RULE_MAX_RATIO, memory_spec

GB = 1e9


@pytest.mark.parametrize(
    ("estimate_gb", "device_gb", "rule_drawn", "title"),
    [
        (40.0, 80.0, True, None),  # a real fit question: the red rule beside the bar
        (90.0, 80.0, True, None),  # over the limit: the rule sits inside the bar
        (80.0 / DEVICE_RULE_MAX_RATIO, 80.0, True, None),  # at the ratio: still drawn
        (0.0489, 274.9, False, "Xeon holds 275 GB, 5,622x this (off the scale)"),
        (40.0, None, False, None),  # no device chosen: the bar alone
    ],
)
def test_the_device_limit_is_a_rule_unless_it_would_squash_the_bar(
    estimate_gb: float, device_gb: float | None, rule_drawn: bool, title: str | None
) -> None:
    spec = memory_spec(
        {"weights": estimate_gb * 0.75 * GB, "activations": estimate_gb * 0.25 * GB},
        None if device_gb is None else device_gb * GB,
        "Xeon",
    )
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert ("rule" in marks) is rule_drawn
    assert spec.get("title", {}).get("text") == title


def test_terms_without_bytes_are_left_out_of_the_bar() -> None:
    spec = memory_spec({"weights": 2 * GB, "KV cache": 0.0}, 80 * GB, "H100")
    assert [row["term"] for row in spec["layer"][0]["data"]["values"]] == ["weights"]
