"""Buy the model or host it, in a real browser: an 8B chat workload priced on GPT-4o against self-hosting on an
H100 served by vLLM; both monthly costs, the break-even and the chart; a higher volume never raises the
break-even, and past it self-hosting wins."""

from __future__ import annotations

import math
import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, assert_no_exception, goto, open_tab, rerun, select_option, widget


def _number(page: Page, key: str, value: float) -> None:
    field = widget(page, key).locator("input")
    field.fill(f"{value:g}")


def _serving(page: Page, average_rps: float) -> None:
    open_tab(page, "Serving")
    _number(page, "res_peak_rps", average_rps * 10 / 3)
    _number(page, "res_average_rps", average_rps)
    _number(page, "res_latency_s", 10)
    _number(page, "res_serve_prompt_tokens", 512)
    _number(page, "res_serve_output_tokens", 256)
    with rerun(page):
        page.get_by_role("button", name="Update the serving plan").click()
    assert_no_exception(page)


def _break_even(page: Page) -> float:
    """The break-even metric in requests a month ('never' is infinity)."""
    value = widget(page, "res_api_metrics").get_by_test_id("stMetricValue").nth(2)
    expect(value).to_have_text(re.compile(r"^(never|[\d,]+)$"))
    text = value.inner_text().strip()
    return math.inf if text == "never" else float(text.replace(",", ""))


def test_an_8b_chat_workload_against_a_hosted_api(page: Page, server: Server) -> None:
    goto(page, server, "resources?model=llama-3.1-8b")
    select_option(page, "Precision", "bf16 (2 bytes per parameter)")  # the example project's plan is fp32
    select_option(page, "Device", "H100 SXM5 80GB · 80 GB · $3.00/h")
    select_option(page, "Stack", "vLLM")  # as in tests/app/test_resources_hosted.py: eager PyTorch misses a 10 s p95
    _serving(page, 3)

    open_tab(page, "API or self-host")
    toggle = widget(page, "res_api_on").locator("input")
    if not toggle.is_checked():
        with rerun(page):
            widget(page, "res_api_on").get_by_text("Compare with a hosted API").click()
    select_option(page, "Hosted model", "GPT-4o (OpenAI) · vision")
    with rerun(page):
        page.get_by_role("button", name="Update the comparison").click()
    assert_no_exception(page)

    metrics = widget(page, "res_api_metrics")
    expect(metrics.get_by_text("API at planned volume")).to_be_visible()
    expect(metrics.get_by_test_id("stMetricValue").first).to_have_text("$30,275/month")
    expect(metrics.get_by_test_id("stMetricValue").nth(1)).to_contain_text("/month")
    low = _break_even(page)
    expect(page.get_by_text("At 7,884,000 requests a month")).to_be_visible()
    chart = page.locator('[data-testid="stVegaLiteChart"]').last
    expect(chart.locator("canvas, svg").first).to_be_visible()

    _serving(page, 30)
    open_tab(page, "API or self-host")
    high = _break_even(page)
    # vLLM batches continuously, so a replica's capacity does not grow with the arrival rate and the break-even
    # stays where it is (as in tests/app/test_resources_hosted.py).
    assert math.isfinite(high) and high <= low, (low, high)
    expect(page.get_by_text("At 78,840,000 requests a month, self-hosting on")).to_be_visible()
    assert_no_exception(page)
