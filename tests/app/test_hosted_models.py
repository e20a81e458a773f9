"""The Hosted models page: the catalogue with sources and dates; an edited price survives a reload, is used by
the comparison, and restores to the published one; a bad price is refused."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.store import read_catalogue
from tests.app.conftest import PAGE_FILES, ROOT, no_exceptions, plain, table

SEED = {row["key"]: row for row in read_catalogue("hosted_models")}
KEY = "bedrock-llama-3.1-8b"


def row(at: AppTest, key: str = KEY) -> dict[str, object]:
    frame = table(at, "Key")
    return dict(frame[frame["Key"] == key].iloc[0])


def edit(at: AppTest, **fields: str) -> AppTest:
    at.selectbox(key="hosted_edit_model").set_value(KEY).run()
    for name, value in fields.items():
        at.text_input(key=f"hosted_field_{name}").input(value)
    return at.button(key="hosted_save").click().run()


def reload(at: AppTest) -> AppTest:
    """A new session on the same database: what a reload of the browser tab sees."""
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    fresh.run()
    fresh.switch_page(PAGE_FILES["hosted-models"])
    return fresh.run()


def test_the_page_lists_every_model_with_its_price_date_and_source(app) -> None:
    at = app("hosted-models")
    no_exceptions(at)
    frame = table(at, "Key")
    assert len(frame) == len(SEED) >= 40
    assert (
        frame["Source"].str.startswith("litellm ").all() and frame["Price date"].str.match(r"^\d{4}-\d{2}-\d{2}$").all()
    )
    assert frame["Provider"].nunique() >= 6
    at.multiselect(key="hosted_filter_modality").set_value(["speech-to-text"]).run()
    assert set(table(at, "Key")["Modality"]) == {"speech-to-text"}
    at.multiselect(key="hosted_filter_provider").set_value(["Anthropic"]).run()
    assert not at.dataframe and any("No hosted model matches" in info.value for info in at.info)


def test_an_edited_price_survives_a_reload_and_restores_to_the_published_one(app) -> None:
    at = edit(app("hosted-models"), usd_per_million_input_tokens="0.15", source="AWS quote, January 2027")
    no_exceptions(at)
    assert not at.error
    assert "marked edited" in " ".join(plain(s.value) for s in at.success)
    shown = row(at)
    assert (shown["$ / M input tokens"], shown["Edited"], shown["Source"]) == (
        0.15,
        "edited",
        "AWS quote, January 2027",
    )

    again = reload(at)
    no_exceptions(again)
    assert row(again)["$ / M input tokens"] == 0.15 and row(again)["Edited"] == "edited"
    again.selectbox(key="hosted_edit_model").set_value(KEY).run()
    assert again.text_input(key="hosted_field_usd_per_million_input_tokens").value == "0.15"
    assert any("0.22 → 0.15" in plain(m.value) for m in again.markdown), "the change against the published price"

    again.button(key="hosted_restore").click().run()
    no_exceptions(again)
    assert row(again)["$ / M input tokens"] == SEED[KEY]["usd_per_million_input_tokens"] and row(again)["Edited"] == ""
    assert row(reload(again))["Edited"] == "", "the restore is stored too"


def test_typing_the_published_price_back_drops_the_edit(app) -> None:
    at = edit(app("hosted-models"), usd_per_million_output_tokens="0.3")
    assert row(at)["Edited"] == "edited"
    at = edit(at, usd_per_million_output_tokens="0.22")
    assert row(at)["Edited"] == "" and "nothing of yours is kept" in " ".join(plain(s.value) for s in at.success)


def test_a_bad_price_is_refused_beside_the_form_and_nothing_is_saved(app) -> None:
    at = edit(app("hosted-models"), usd_per_million_input_tokens="cheap")
    no_exceptions(at)
    assert any("must be a number in US dollars" in plain(e.value) for e in at.error)
    assert row(at)["Edited"] == ""
    at = edit(at, usd_per_million_input_tokens="0.22", price_date="2026-02-30")
    assert any("price date must be a day" in plain(e.value) for e in at.error)


def test_an_edited_price_is_what_the_resources_comparison_uses(app) -> None:
    at = edit(app("hosted-models"), usd_per_million_input_tokens="1", usd_per_million_output_tokens="1")
    from core.hosted.catalogue import load_hosted_models
    from ui import catalogues as cat

    models, _ = cat.hosted_models()
    assert models[KEY].usd_per_million_input_tokens == 1.0 and models[KEY].origin == "edited"
    assert "edited" in models[KEY].price_sentence()
    published, _ = load_hosted_models(read_catalogue("hosted_models"))
    assert published[KEY].usd_per_million_input_tokens == 0.22
    no_exceptions(at)
