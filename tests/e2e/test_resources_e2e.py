"""The /resources page in a real browser: a references link preselects the model; memory chart and fit table;
two scenarios saved and compared; the stack changes the memory shown (a KV pool for the engines)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, assert_no_exception, goto, open_tab, select_option, wait_for_app


def _pick(page: Page, label: str, typed: str) -> None:
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(typed)
    box.press("Enter")
    wait_for_app(page)


def _memory_tab_is_drawn(page: Page) -> None:
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    expect(chart.locator("canvas, svg").first).to_be_visible()
    expect(page.get_by_role("heading", name="Fit on every accelerator")).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()


def test_a_references_link_preselects_the_model(page: Page, server: Server) -> None:
    goto(page, server, "resources?model=llama-3.1-8b")
    assert_no_exception(page)
    expect(page.get_by_role("combobox", name="Architecture", exact=True)).to_have_value(
        "Llama 3.1 8B · 8.0 B · decoder"
    )
    _memory_tab_is_drawn(page)


def test_choose_a_model_then_save_two_scenarios_and_compare_them(page: Page, server: Server) -> None:
    goto(page, server)
    goto(page, server, "resources")
    page.get_by_text("Catalogue", exact=True).click()
    wait_for_app(page)
    _pick(page, "Architecture", "Llama 3.2 1B")
    expect(page.get_by_role("combobox", name="Architecture", exact=True)).to_have_value(
        "Llama 3.2 1B · 1.2 B · decoder"
    )
    _memory_tab_is_drawn(page)
    assert_no_exception(page)

    open_tab(page, "Scenarios")
    for scenario, device in (("1B on H100", "H100 SXM5 80GB"), ("1B on L4", "L4 · 24 GB")):
        _pick(page, "Device", device)
        field = page.get_by_role("textbox", name="Scenario name")
        field.fill(scenario)
        field.press("Enter")  # Enter submits the form
        wait_for_app(page)
        expect(page.get_by_text(f"Saved '{scenario}'.")).to_be_visible()
        assert_no_exception(page)

    compared = page.locator('[data-testid="stMultiSelect"]')
    expect(compared).to_contain_text("1B on H100")
    expect(compared).to_contain_text("1B on L4")
    expect(page.get_by_text("Memory per device in GB (10⁹ bytes); monthly serving cost")).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(2)  # saved scenarios, comparison
    assert_no_exception(page)


def test_changing_the_stack_shows_the_kv_pool_and_changes_the_fit(page: Page, server: Server) -> None:
    goto(page, server, "resources?model=llama-3.1-8b")
    assert_no_exception(page)
    select_option(page, "Device", "H100 SXM5 80GB · 80 GB · $3.00/h")
    generate = page.get_by_text("Generate text (prompt → new tokens)", exact=True)
    if not page.get_by_role("checkbox", name="Generate text (prompt → new tokens)").is_checked():
        generate.click()
        wait_for_app(page)
    expect(page.get_by_role("combobox", name="Stack", exact=True)).to_have_value("eager PyTorch / Hugging Face")
    expect(page.get_by_text("KV pool", exact=False)).to_have_count(0)
    before = page.locator('[data-testid="stMetric"]').first.inner_text()

    select_option(page, "Stack", "vLLM")
    assert_no_exception(page)
    expect(page.get_by_text("sequences of", exact=False).first).to_be_visible()  # "KV pool ... N sequences of ..."
    expect(page.get_by_role("combobox", name="KV-cache dtype", exact=True)).to_be_visible()
    expect(page.locator('[data-testid="stMetric"]').first).not_to_have_text(before)
