"""Checking a user-typed accelerator row: every field, every refusal names its field."""

from __future__ import annotations

import math
from re import escape as _escape
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.resources.accelerator_edits import (
    DENSE_SPARSE_PAIRS,
    LABELS,
    NUMBER_FIELDS,
    ROW_FIELDS,
    changes_from_published,
    clean_accelerator_row,
    form_text,
    new_accelerator_row,
    number_field,
    parse_number,
    suggest_key,
    validate_key,
)
from core.store import read_catalogue


def typed(**overrides: Any) -> dict[str, Any]:
    """A valid row as the form sends it (text everywhere), with overrides."""
    row: dict[str, Any] = {
        "vendor": "NVIDIA",
        "model": "H100 SXM5 80GB",
        "kind": "gpu",
        "form_factor": "sxm",
        "memory_gb": "80",
        "memory_bandwidth_gbps": "3350",
        "bf16_tflops": "989.5",
        "bf16_sparse_tflops": "1979",
        "fp8_tflops": "1979",
        "cloud_usd_per_hour": "3.0",
        "release_year": "2022",
        "source_url": "https://www.nvidia.com/en-us/data-center/h100/",
        "as_of": "2026-05",
        "notes": "",
    }
    row.update(overrides)
    return row


def test_a_valid_row_is_cleaned_into_catalogue_columns() -> None:
    row = clean_accelerator_row(typed())
    assert list(row) == list(ROW_FIELDS)
    assert row["memory_gb"] == 80.0 and row["bf16_tflops"] == 989.5 and row["release_year"] == 2022
    assert isinstance(row["release_year"], int)
    assert row["int8_tops"] is None and row["notes"] is None  # blank: not published


def test_numbers_may_also_arrive_as_numbers_and_text_is_tidied() -> None:
    row = clean_accelerator_row(typed(memory_gb=96, memory_bandwidth_gbps=4000.0, model="  H20   (HGX) "))
    assert row["memory_gb"] == 96.0 and row["model"] == "H20 (HGX)"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("memory_gb", "-80", "Memory (GB) must be above 0"),
        ("memory_gb", "0", "Memory (GB) must be above 0"),
        ("memory_gb", "", "Memory (GB) is required"),
        ("memory_gb", None, "Memory (GB) is required"),
        ("memory_gb", "   ", "Memory (GB) is required"),
        ("memory_gb", "nan", "Memory (GB) must be a finite number"),
        ("memory_gb", "NaN", "Memory (GB) must be a finite number"),
        ("memory_gb", float("nan"), "Memory (GB) must be a finite number"),
        ("memory_gb", "inf", "Memory (GB) must be a finite number"),
        ("memory_gb", float("-inf"), "Memory (GB) must be a finite number"),
        ("memory_gb", "eighty", "Memory (GB) must be a number"),
        ("memory_gb", "80 GB", "Memory (GB) must be a number"),
        ("memory_gb", "1,5", "Memory (GB) must be a number"),
        ("memory_gb", True, "Memory (GB) must be a number"),
        ("memory_gb", [80], "Memory (GB) must be a number"),
        ("memory_gb", "1e300", "Memory (GB) must be at most"),
        ("memory_bandwidth_gbps", "", "Bandwidth (GB/s) is required"),
        ("memory_bandwidth_gbps", "-1", "Bandwidth (GB/s) must be above 0"),
        ("bf16_tflops", "fast", "BF16 dense (TFLOP/s) must be a number"),
        ("bf16_tflops", "-989", "BF16 dense (TFLOP/s) must be above 0"),
        ("cloud_usd_per_hour", "0", "$/hour must be above 0"),
        ("cloud_usd_per_hour", "$3", "$/hour must be a number"),
        ("list_price_usd", "-1", "List price ($) must be above 0"),
        ("tdp_w", "nan", "TDP (W) must be a finite number"),
        ("release_year", "2022.5", "Release year must be a whole number"),
        ("release_year", "1900", "Release year must be a whole number from 1970 to 2100"),
        ("release_year", "3000", "Release year must be a whole number"),
        ("cores", "0", "Cores must be a whole number"),
        ("cores", "8.5", "Cores must be a whole number"),
        ("vendor", "", "Vendor is required"),
        ("vendor", "x" * 61, "Vendor must be at most 60 characters"),
        ("model", "   ", "Model is required"),
        ("model", 42, "Model must be text"),
        ("kind", "fpga", "Kind must be one of gpu, tpu, npu, cpu"),
        ("kind", None, "Kind must be one of"),
        ("source_url", "javascript:alert(1)", "Source URL must be a web address starting with http"),
        ("source_url", "ftp://example.com/spec.pdf", "Source URL must be a web address"),
        ("source_url", "www.nvidia.com", "Source URL must be a web address"),
        ("source_url", "https://", "Source URL must be a web address"),
        ("as_of", "May 2026", "As of must be a month such as 2026-05"),
        ("as_of", "2026-13", "As of must be a month"),
        ("as_of", "2026-02-30", "As of must be a month"),
        ("notes", "n" * 2001, "Notes must be at most 2000 characters"),
    ],
)
def test_a_bad_field_is_refused_with_a_sentence_naming_it(field: str, value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=r"^" + _escape(message)) as raised:
        clean_accelerator_row(typed(**{field: value}))
    assert str(raised.value).endswith(".")


@pytest.mark.parametrize(("dense", "sparse"), DENSE_SPARSE_PAIRS)
def test_dense_above_sparse_is_refused(dense: str, sparse: str) -> None:
    with pytest.raises(ValueError, match=f"{_escape(LABELS[dense])} .* must not exceed {_escape(LABELS[sparse])}"):
        clean_accelerator_row(typed(**{dense: "1979", sparse: "989.5"}))


def test_dense_equal_to_sparse_or_one_of_them_blank_is_fine() -> None:
    assert clean_accelerator_row(typed(bf16_tflops="100", bf16_sparse_tflops="100"))["bf16_tflops"] == 100
    assert clean_accelerator_row(typed(bf16_sparse_tflops=""))["bf16_sparse_tflops"] is None


def test_optional_text_and_urls_that_pass() -> None:
    row = clean_accelerator_row(typed(source_url="http://example.com/a?b=c", as_of="2026-05-31", notes=" a\nb\x00 "))
    assert row["source_url"] == "http://example.com/a?b=c" and row["as_of"] == "2026-05-31"
    assert row["notes"] == "a\nb"


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "Key is required"),
        ("   ", "Key is required"),
        (None, "Key is required"),
        ("My GPU", "Key must be 1-64 lowercase letters"),
        ("-gpu", "Key must be"),
        ("gpu-", "Key must be"),
        ("g" * 65, "Key must be"),
        ("<script>", "Key must be"),
        ("h100-sxm", "Key 'h100-sxm' is already in the catalogue"),
    ],
)
def test_a_bad_key_is_refused(key: Any, message: str) -> None:
    with pytest.raises(ValueError, match=_escape(message)):
        validate_key(key, existing={"h100-sxm"})


@pytest.mark.parametrize("key", ["a", "my-gpu-48gb", "rtx_4090.oc", "x" * 64, " padded "])
def test_good_keys_pass(key: str) -> None:
    assert validate_key(key, existing={"h100-sxm"}) == key.strip()


def test_a_new_device_checks_its_key_before_its_figures() -> None:
    with pytest.raises(ValueError, match="Key is required"):
        new_accelerator_row("", typed(memory_gb="-1"), existing_keys=set())
    key, row = new_accelerator_row("lab-gpu", typed(), existing_keys={"h100-sxm"})
    assert key == "lab-gpu" and row["memory_gb"] == 80


def test_suggest_key_makes_a_valid_key() -> None:
    assert suggest_key("GeForce RTX 4090 (24 GB)") == "geforce-rtx-4090-24-gb"
    assert suggest_key("!!!") == "my-device"
    validate_key(suggest_key("x" * 200 + " y"))


def test_changes_from_published_keeps_only_what_differs() -> None:
    published = {"memory_gb": 80, "bf16_tflops": 989.5, "fp8_tflops": None, "notes": "HBM3"}
    edited = {"memory_gb": 96.0, "bf16_tflops": 989.5, "fp8_tflops": None, "notes": "HBM3"}
    assert changes_from_published(published, edited) == {"memory_gb": 96.0}
    assert changes_from_published(published, {**edited, "memory_gb": 80.0}) == {}
    assert changes_from_published({"fp8_tflops": float("nan")}, {"fp8_tflops": None}) == {}
    assert changes_from_published(published, {"notes": None}) == {"notes": None}  # a cleared field is a change


def test_every_published_row_round_trips_through_the_form_unchanged() -> None:
    """The form pre-fills each published row; saving it untouched must change nothing and pass every check."""
    for published in read_catalogue("accelerators"):
        typed_back = {name: form_text(published.get(name)) for name in ROW_FIELDS}
        typed_back["kind"] = published["kind"]
        cleaned = clean_accelerator_row(typed_back)
        assert changes_from_published(published, cleaned) == {}, published["key"]
        assert validate_key(published["key"]) == published["key"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (float("nan"), ""),
        (141.0, "141"),
        (989.5, "989.5"),
        (0.526, "0.526"),
        (2024, "2024"),
        ("sxm", "sxm"),
        (1e20, "1e+20"),
    ],
)
def test_form_text(value: Any, text: str) -> None:
    assert form_text(value) == text


@given(st.floats(min_value=1e-6, max_value=1e6, allow_nan=False, allow_infinity=False))
def test_any_positive_number_survives_the_form(value: float) -> None:
    field = number_field("memory_gb")
    assert parse_number(field, form_text(value)) == value


@given(st.floats() | st.text(max_size=12) | st.none() | st.integers())
def test_parse_number_returns_a_positive_finite_number_or_says_why(raw: Any) -> None:
    for field in NUMBER_FIELDS:
        try:
            number = parse_number(field, raw)
        except ValueError as error:
            assert str(error).startswith(field.label)
        else:
            assert number is None or (math.isfinite(number) and number > 0)
