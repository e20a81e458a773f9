"""The /worthiness page: an "off-the-shelf product or API" alternative points at a hosted model; the verdict
quotes its monthly cost from the catalogue, and an edited price on the Hosted models page changes it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.worthiness import WorthinessSection
from tests.app.conftest import no_exceptions, plain, tab_opener
from ui.state import get_store

open_tab = tab_opener("worthiness_tab")
API_ROW = 3  # ALTERNATIVE_KINDS order: rule-based, sensor, classic ML, off-the-shelf product or API, manual


def stored() -> WorthinessSection:
    store = get_store()
    (summary,) = store.list_projects()
    project = store.get_project(summary.id)
    assert project is not None
    return WorthinessSection.from_document(project.sections["worthiness"])


def verdict_text(at: AppTest) -> str:
    open_tab(at, "Verdicts & evidence")
    return " ".join(plain(m.value) for m in at.markdown)


def test_an_api_alternative_priced_from_the_catalogue_is_quoted_by_the_verdict(app) -> None:
    at = app("worthiness")
    at.selectbox(key="worthiness_candidate_pick").set_value("rain-forecast-15min").run()
    no_exceptions(at)
    at.selectbox(key=f"worthiness_alt_{API_ROW}_api_model").set_value("openai-gpt-4o-mini")
    at.number_input(key=f"worthiness_alt_{API_ROW}_api_requests").set_value(1_000_000.0)
    at.number_input(key=f"worthiness_alt_{API_ROW}_api_in").set_value(400.0)
    at.number_input(key=f"worthiness_alt_{API_ROW}_api_out").set_value(200.0)
    at.button(key="worthiness_candidate_save").click().run()
    no_exceptions(at)
    forecast = stored().candidate("rain-forecast-15min")
    hosted = next(a.hosted for a in forecast.alternatives if a.kind == "off-the-shelf product or API")
    assert hosted is not None and (hosted.hosted_model, hosted.requests_per_month) == ("openai-gpt-4o-mini", 1e6)

    # 1,000,000 x (400 x $0.15 + 200 x $0.60) / 10^6 = $180 a month
    assert "GPT-4o mini (OpenAI) costs $180 a month for 1,000,000 requests" in verdict_text(at)

    store = get_store()
    store.save_hosted_model_edit("openai-gpt-4o-mini", {"usd_per_million_output_tokens": 0.3})
    at.run()
    assert "costs $120 a month" in verdict_text(at), "an edited catalogue price reaches the verdict"


def test_a_hosted_model_without_a_volume_is_refused_beside_the_form(app) -> None:
    at = app("worthiness")
    at.selectbox(key="worthiness_candidate_pick").set_value("rain-forecast-15min").run()
    at.selectbox(key=f"worthiness_alt_{API_ROW}_api_model").set_value("openai-gpt-4o-mini")
    at.button(key="worthiness_candidate_save").click().run()
    no_exceptions(at)
    assert any("how many requests a month" in plain(e.value) for e in at.error)
    forecast = stored().candidate("rain-forecast-15min")
    assert all(a.hosted is None for a in forecast.alternatives), "nothing was saved"
