"""The Accelerators page (/gpus): the catalogue, filters, edits saved and restored, refused edits, own devices."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.store import read_catalogue
from tests.app.conftest import errors, no_exceptions, plain, table

SEED = {row["key"]: row for row in read_catalogue("accelerators")}


def shown_row(at: AppTest, key: str) -> pd.Series:
    frame = table(at)
    return frame[frame["key"] == key].iloc[0]


def stored_user_rows(at: AppTest) -> list[dict[str, Any]]:
    from ui.state import get_store

    return [row for row in get_store().catalogue("accelerators") if row["origin"] != "seed"]


def edit(at: AppTest, device: str, **fields: str) -> AppTest:
    at.selectbox(key="gpu_edit_device").set_value(device).run()
    for name, value in fields.items():
        at.text_input(key=f"gpu_field_{name}").input(value)
    return at.button(key="gpu_form_save").click().run()


def test_the_page_shows_the_whole_catalogue_with_units_sources_and_a_chart(app) -> None:
    at = app("gpus")
    no_exceptions(at)
    frame = table(at)
    assert len(frame) == len(SEED) and set(frame["key"]) == set(SEED)
    assert set(frame["origin"]) == {"seed"}
    assert frame["source_url"].str.match(r"^https?://").all(), "every row's source is one click away"
    h100 = shown_row(at, "h100-sxm")
    assert h100["memory_gb"] == 80 and h100["bf16_tflops"] == 989.5  # dense, not the 1,979 sparse headline
    caption = " ".join(c.value for c in at.caption)
    assert f"Showing {len(SEED)} of {len(SEED)} devices" in caption
    assert "dense" in caption and "GB = 10⁹ bytes" in caption and "cloud prices as of 2025-06 to 2026-05" in caption
    assert len(at.get("vega_lite_chart")) == 2  # bandwidth vs compute, and price per hour
    assert at.multiselect(key="gpu_compare").value == ["h100-sxm", "a100-80gb-sxm", "l40s", "mi300x"]
    compared = at.dataframe[1].value
    assert list(compared.columns) == ["H100 SXM5 80GB", "A100 SXM4 80GB", "L40S", "Instinct MI300X"]
    assert compared.loc["$/hour", "H100 SXM5 80GB"] == "3"


def test_filters_narrow_the_table_and_an_empty_result_explains_what_to_do(app) -> None:
    at = app("gpus")
    at.multiselect(key="gpu_filter_vendors").set_value(["AMD"]).run()
    assert set(table(at)["vendor"]) == {"AMD"}
    at.multiselect(key="gpu_filter_vendors").set_value([]).run()
    at.multiselect(key="gpu_filter_kinds").set_value(["tpu"]).run()
    assert set(table(at)["key"]) == {key for key, row in SEED.items() if row["kind"] == "tpu"}
    at.multiselect(key="gpu_filter_kinds").set_value([]).run()
    at.number_input(key="gpu_filter_min_memory").set_value(150).run()
    assert (table(at)["memory_gb"] >= 150).all() and "mi300x" in set(table(at)["key"])
    at.number_input(key="gpu_filter_max_price").set_value(2.0).run()
    assert set(table(at)["key"]) == {"mi300x", "mi325x"}
    at.text_input(key="gpu_filter_text").input("325").run()
    assert list(table(at)["key"]) == ["mi325x"]
    at.text_input(key="gpu_filter_text").input("no such device").run()
    no_exceptions(at)
    assert not at.dataframe and any("No accelerator matches these filters" in info.value for info in at.info)
    at.button(key="gpu_clear_filters").click().run()
    assert len(table(at)) == len(SEED)


def test_an_edit_is_saved_as_edited_and_restore_brings_back_the_published_figure(app) -> None:
    at = edit(app("gpus"), "h100-sxm", memory_gb="96", cloud_usd_per_hour="2.5")
    no_exceptions(at)
    assert not errors(at)
    row = shown_row(at, "h100-sxm")
    assert (row["memory_gb"], row["cloud_usd_per_hour"], row["origin"]) == (96, 2.5, "edited")
    assert row["bf16_tflops"] == 989.5, "untouched figures keep their published values"
    assert "Memory (GB): 80 → 96" in plain(" ".join(m.value for m in at.markdown))
    assert at.selectbox(key="gpu_edit_device").format_func("h100-sxm").endswith("· edited")

    at.button(key="gpu_restore").click().run()
    no_exceptions(at)
    row = shown_row(at, "h100-sxm")
    assert (row["memory_gb"], row["cloud_usd_per_hour"], row["origin"]) == (80, 3.0, "seed")
    assert at.text_input(key="gpu_field_memory_gb").value == "80", "the form shows the published figure again"
    assert stored_user_rows(at) == []


def test_saving_the_published_figures_unchanged_stores_nothing(app) -> None:
    at = edit(app("gpus"), "mi300x")
    assert any("Nothing changed" in s.value for s in at.success)
    assert stored_user_rows(at) == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"memory_gb": "-80"}, "Memory (GB) must be above 0"),
        ({"memory_gb": "nan"}, "Memory (GB) must be a finite number"),
        ({"memory_bandwidth_gbps": "fast"}, "Bandwidth (GB/s) must be a number"),
        ({"memory_gb": ""}, "Memory (GB) is required"),
        ({"bf16_tflops": "1979", "bf16_sparse_tflops": "989.5"}, "must not exceed BF16 sparse"),
        ({"source_url": "javascript:alert(1)"}, "Source URL must be a web address"),
    ],
)
def test_a_bad_edit_shows_the_message_and_stores_nothing(app, fields: dict[str, str], message: str) -> None:
    at = edit(app("gpus"), "h100-sxm", **fields)
    no_exceptions(at)
    shown = errors(at)
    assert len(shown) == 1 and message in shown[0]
    assert stored_user_rows(at) == []
    assert shown_row(at, "h100-sxm")["origin"] == "seed"


@pytest.mark.parametrize(
    ("key", "message"), [("", "Key is required"), ("h100-sxm", "already in the catalogue"), ("My GPU", "Key must be")]
)
def test_a_new_device_with_a_bad_key_is_refused(app, key: str, message: str) -> None:
    at = edit(
        app("gpus"), "__new__", key=key, vendor="Acme", model="Lab GPU", memory_gb="48", memory_bandwidth_gbps="900"
    )
    no_exceptions(at)
    assert any(message in error for error in errors(at))
    assert stored_user_rows(at) == []


def test_an_own_device_is_added_shown_escaped_and_deleted_after_confirmation(app) -> None:
    model = "Lab <b>GPU</b> *48*"
    at = edit(
        app("gpus"),
        "__new__",
        key="lab-gpu",
        vendor="Acme",
        model=model,
        memory_gb="48",
        memory_bandwidth_gbps="900",
        bf16_tflops="200",
        cloud_usd_per_hour="1.1",
        source_url="https://example.com/lab-gpu",
    )
    no_exceptions(at)
    row = shown_row(at, "lab-gpu")
    assert (row["model"], row["memory_gb"], row["origin"], row["vendor"]) == (model, 48, "yours", "Acme")
    assert at.selectbox(key="gpu_edit_device").value == "lab-gpu"
    assert all("<b>" not in s.value for s in at.success) and any("\\<b\\>" in s.value for s in at.success)
    assert "Acme" in at.multiselect(key="gpu_filter_vendors").options

    at.button(key="gpu_delete").click().run()
    assert any("cannot be undone" in w.value for w in at.warning)
    assert "lab-gpu" in set(table(at)["key"]), "nothing is deleted before confirmation"
    at.button(key="gpu_delete_cancel").click().run()
    assert "lab-gpu" in set(table(at)["key"])
    at.button(key="gpu_delete").click().run()
    at.button(key="gpu_delete_confirm").click().run()
    no_exceptions(at)
    assert "lab-gpu" not in set(table(at)["key"]) and len(table(at)) == len(SEED)
    assert stored_user_rows(at) == []
