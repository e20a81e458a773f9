"""The /references page in AppTest: search and filters, hostile queries, evidence on a worthiness
candidate (raters' sections untouched), own references, coverage and model sizes."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qs

import pandas as pd
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from core.store import Store
from core.taxonomy import INDUSTRIES, ML_TASKS
from tests.app.conftest import no_exceptions, plain, tab_opener
from ui.state import _store_for

_open_tab = tab_opener("refs_tab")


def _store() -> Store:
    """The Store the app under test uses (the same cached instance, so no second connection)."""
    return _store_for(os.environ["GREENLIGHT_DB"])


def _search(at: AppTest, query: str, **filters: Any) -> AppTest:
    at.text_input(key="refs_query").input(query)
    for name, value in filters.items():
        widget = at.slider(key="refs_years") if name == "years" else at.multiselect(key=f"refs_{name}")
        widget.set_value(value)
    return at.button(key="refs_search_submit").click().run()


def _results(at: AppTest) -> pd.DataFrame:
    (table,) = at.dataframe
    return table.value


def _current_project(at: AppTest) -> str:
    # AppTest runs a switched-to page on its own (no app.py, so no sidebar): the page picks the
    # current project itself, and that is the only one, the example project.
    return str(at.session_state["current_project_id"])


# ---------------------------------------------------------------- search


def test_the_page_opens_on_an_empty_search_with_examples(app) -> None:
    at = app("references")
    no_exceptions(at)
    assert at.title[0].value == "Reference projects"
    assert any("Describe your use case" in info.value for info in at.info)
    assert not at.dataframe


def test_a_realistic_phrase_finds_a_relevant_entry(app) -> None:
    at = _search(app("references"), "how long until my food order arrives")
    no_exceptions(at)
    top = _results(at).head(5)
    assert (top["Industry"] == "delivery & mobility").all()
    assert top["Title"].str.contains("ETA|Delivery Time|order", case=False).sum() >= 3
    assert {"Company", "Year", "Title", "Industry", "ML task", "Modality", "Score", "Link"} <= set(top.columns)
    assert top["Link"].str.startswith("http").all()
    assert any("best matches of the" in c.value and "references in the catalogue" in c.value for c in at.caption)


def test_filters_narrow_the_results(app) -> None:
    at = _search(app("references"), "fraud detection")
    everything = _results(at)
    at = _search(at, "fraud detection", industry=["finance & insurance"], years=(2020, 2022))
    no_exceptions(at)
    narrowed = _results(at)
    assert 0 < len(narrowed) < len(everything)
    assert (narrowed["Industry"] == "finance & insurance").all()
    assert narrowed["Year"].between(2020, 2022).all()
    at = _search(at, "fraud detection", company=["Stripe"])
    assert set(_results(at)["Company"]) == {"Stripe"}


def test_filters_alone_list_entries_newest_first(app) -> None:
    at = _search(app("references"), "", task=["speech recognition"], modality=["audio"])
    no_exceptions(at)
    listed = _results(at)
    assert len(listed) > 0 and (listed["ML task"] == "speech recognition").all()
    assert listed["Year"].dropna().is_monotonic_decreasing
    assert any("newest first" in caption.value for caption in at.caption)


def test_no_match_explains_what_to_try_and_clears_filters(app) -> None:
    at = _search(app("references"), "zzqxv wwkjh", industry=["agriculture"])
    no_exceptions(at)
    (message,) = [info.value for info in at.info]
    assert "Try fewer or more general words" in message and "1 filter(s) are active" in message
    at.button(key="refs_clear_filters").click().run()
    assert at.multiselect(key="refs_industry").value == []


def _search_by(at: AppTest, query: str, method: str, **filters: Any) -> AppTest:
    at.radio(key="refs_method").set_value(method)
    return _search(at, query, **filters)


def test_a_plain_words_description_is_found_by_meaning(app) -> None:
    query = "check how well students pronounce words when they speak"
    at = _search(app("references"), query)
    no_exceptions(at)
    top = _results(at).head(5)
    assert (top["ML task"] == "speech recognition").sum() >= 2, list(top["Title"])
    assert "similar meaning" in set(_results(at)["Matched"])
    at = _search_by(at, query, "lexical")
    assert (_results(at).head(5)["ML task"] == "speech recognition").sum() < 2
    assert "similar meaning" not in set(_results(at)["Matched"])


def test_results_show_approach_and_outcome_and_filter_by_approach(app) -> None:
    at = _search(app("references"), "fraud detection")
    assert {"Problem", "Approach", "Outcome"} <= set(_results(at).columns)
    assert _results(at)["Outcome"].str.len().gt(0).all()
    assert not _results(at)["Problem"].str.contains("Approach:|Outcome:").any()
    at = _search(at, "fraud detection", approach=["gradient-boosted trees"])
    no_exceptions(at)
    boosted = _results(at)
    assert 0 < len(boosted) < 20
    assert boosted["Approach"].str.contains(r"boost|xgboost|lightgbm|catboost|forest|gbdt|tree", case=False).all()
    at = _search(at, "", approach=["graph neural network"], industry=["finance & insurance"])
    listed = _results(at)
    assert len(listed) > 0 and (listed["Industry"] == "finance & insurance").all()
    assert listed["Approach"].str.contains("graph", case=False).all()


def test_a_thin_industry_shows_its_count_then_the_nearest_industries(app) -> None:
    at = _search(app("references"), "forecast electricity demand", industry=["telecom"])
    no_exceptions(at)
    (warning,) = [w.value.replace("\\", "") for w in at.warning]  # Markdown escapes shown as plain text
    assert "Only 4 entries in telecom for regression & forecasting" in warning
    labels = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("**Nearest industry:")]
    assert [label.split("**")[1] for label in labels] == [
        "Nearest industry: technology & cloud",
        "Nearest industry: energy & utilities",
        "Nearest industry: media & entertainment",
    ]
    assert "near because of network operations" in labels[0]
    tables = [table.value for table in at.dataframe]
    neighbours = tables[:3]  # the pivot draws before the telecom results
    assert (neighbours[0]["Industry"] == "technology & cloud").all()
    assert (neighbours[1]["Industry"] == "energy & utilities").all()
    assert all((t["ML task"] == "regression & forecasting").all() for t in neighbours)
    assert len(tables) == 4 and (tables[-1]["Industry"] == "telecom").all()


def test_a_well_covered_industry_shows_no_pivot(app) -> None:
    at = _search(app("references"), "fraud detection", industry=["finance & insurance"])
    assert not at.warning and len(at.dataframe) == 1


HOSTILE_QUERIES = (
    "",
    "   ",
    "x" * 5_000,
    "fraud " * 1_000,
    "'; DROP TABLE catalogue_references; --",
    "SELECT * FROM user_references WHERE 1=1 OR ''=''",
    ".*(a+)+$",
    "[unclosed (group \\",
    "%_% ^$|?*+{}",
    "<script>alert(1)</script>",
    "💥🚀 ümlaut ünïcödé",
)


def test_any_query_gets_a_clear_result_never_an_exception(app) -> None:
    at = app("references")
    for query in HOSTILE_QUERIES:
        at = _search(at, query)
        no_exceptions(at)
        assert not at.error, query
        answered = at.dataframe or any(
            "No reference matches" in i.value or "Describe your use case" in i.value for i in at.info
        )
        assert answered, query
        long_note = any("Only the first 2,000" in caption.value for caption in at.caption)
        assert long_note == (len(query) > 2_000), query
    assert _store().catalogue("references"), "the catalogue is still there"


# ---------------------------------------------------------------- similar to my use case, evidence


def _similar_ids(at: AppTest) -> list[str]:
    """Reference ids of the similar table's rows (the attach list offers them in the same order)."""
    ids = {(row["company"], row["title"]): row["id"] for row in _store().catalogue("references")}
    return [ids[(company, title)] for company, title in _results(at)[["Company", "Title"]].itertuples(index=False)]


def test_attach_a_reference_to_a_candidate_saves_only_the_worthiness_section(app) -> None:
    at = _open_tab(app("references"), "Similar to my use case")
    no_exceptions(at)
    project_id = _current_project(at)
    assert [p.id for p in _store().list_projects()] == [project_id]
    before = _store().get_project(project_id)
    assert before is not None
    at.selectbox(key="refs_candidate").set_value("rain-forecast-15min").run()
    similar = _results(at)
    assert len(similar) > 0 and similar["Similarity"].between(0, 1).all()
    about_weather = similar["Title"].str.contains("rain|weather|precipitation|nowcast|forecast", case=False)
    # The closest is about weather; same-industry entries (agriculture) may follow it, by design.
    assert about_weather.iloc[0] and about_weather.head(10).sum() >= 2, list(similar["Title"].head(10))
    picked = _similar_ids(at)[0]
    offered = len(_similar_options(at))
    at.multiselect(key="refs_attach_choice").select(picked)
    at.button(key="refs_attach_submit").click().run()
    no_exceptions(at)
    assert any("Attached 1 reference" in s.value for s in at.success)

    after = _store().get_project(project_id)
    assert after is not None
    assert after.sections["worthiness"]["references"] == {"rain-forecast-15min": [picked]}
    raters = {name: doc for name, doc in before.sections.items() if name.startswith("ratings:")}
    assert raters and all(after.sections[name] == doc for name, doc in raters.items())
    assert set(after.sections) == set(before.sections)
    assert {k: v for k, v in after.sections["worthiness"].items() if k != "references"} == {
        k: v for k, v in before.sections["worthiness"].items() if k != "references"
    }
    title = similar["Title"].iloc[0]
    assert any(title[:25] in plain(m.value) for m in at.markdown), "the evidence list shows it"
    assert len(_similar_options(at)) == offered - 1, "an attached reference is not offered again"

    at.button(key=f"refs_detach_rain-forecast-15min_{picked}").click().run()
    no_exceptions(at)
    final = _store().get_project(project_id)
    assert final is not None and final.sections["worthiness"]["references"] == {}


def _similar_options(at: AppTest) -> list[str]:
    return list(at.multiselect(key="refs_attach_choice").options)


def test_a_project_without_candidates_points_to_worthiness(app) -> None:
    at = app("references")
    at.session_state["current_project_id"] = _store().create_project("Empty project")
    at = _open_tab(at, "Similar to my use case")
    no_exceptions(at)
    assert any("no worthiness candidates yet" in info.value for info in at.info)
    links = at.get("page_link")
    assert any(link.proto.page.endswith("worthiness") or "worthiness" in link.proto.page for link in links)


# ---------------------------------------------------------------- own references


def _fill_own(at: AppTest, **values: object) -> AppTest:
    for name, value in values.items():
        if name in {"industry", "task", "modality", "uses_deep_learning"}:
            at.selectbox(key=f"refs_own_{name}").set_value(value)
        elif name == "summary":
            at.text_area(key="refs_own_summary").input(str(value))
        else:
            at.text_input(key=f"refs_own_{name}").input(str(value))
    return at.button(key="refs_own_submit").click().run()


def test_an_own_reference_is_searchable_at_once_and_deletable(app) -> None:
    at = _open_tab(app("references"), "Own references")
    at = _fill_own(
        at,
        company="Acme Logistics",
        title="Quokka parcel damage triage",
        year="2024",
        industry="delivery & mobility",
        task="detection & segmentation",
        modality="image",
        tags="damage, parcels",
        source_url="https://wiki.example.internal/quokka",
    )
    no_exceptions(at)
    assert any("searchable now" in s.value for s in at.success)
    assert at.text_input(key="refs_own_title").value == ""  # the form is ready for the next one
    own_ids = [row["id"] for row in _store().catalogue("references") if row["origin"] == "own"]
    assert len(own_ids) == 1 and own_ids[0].startswith("own-")

    at = _open_tab(at, "Search")
    at = _search(at, "quokka parcel damage")
    first = _results(at).iloc[0]
    assert first["Title"] == "Quokka parcel damage triage" and bool(first["Own"])

    at = _open_tab(at, "Own references")
    at.button(key="refs_own_delete").click().run()
    no_exceptions(at)
    assert not [row for row in _store().catalogue("references") if row["origin"] == "own"]
    assert any("No own references yet" in info.value for info in at.info)


BAD_OWN = (
    ({"title": "No company"}, "Company is required"),
    ({"company": "Acme", "title": "T", "year": "soon"}, "Year must be a whole number"),
    ({"company": "Acme", "title": "T", "source_url": "javascript:alert(1)"}, "http:// or https://"),
    ({"company": "Acme", "title": "x" * 301}, "at most 300"),
)


def test_a_bad_own_reference_is_refused_next_to_the_form(app) -> None:
    at = _open_tab(app("references"), "Own references")
    choices = {"industry": "agriculture", "task": "classification", "modality": "image"}
    for values, message in BAD_OWN:
        for name in ("company", "title", "year", "source_url"):
            at.text_input(key=f"refs_own_{name}").input("")
        at = _fill_own(at, **{**choices, **values})
        no_exceptions(at)
        errors = [plain(e.value) for e in at.error]  # messages are Markdown-escaped
        assert len(errors) == 1 and errors[0].startswith("Not added") and message in errors[0], (message, errors)
        assert at.text_input(key="refs_own_title").value == values["title"], "what was typed stays for fixing"
    assert not [row for row in _store().catalogue("references") if row["origin"] == "own"]


def test_an_own_reference_needs_its_choices(app) -> None:
    at = _open_tab(app("references"), "Own references")
    at = _fill_own(at, company="Acme", title="A title")
    assert any("Choose an industry" in e.value for e in at.error)


# ---------------------------------------------------------------- coverage, model sizes


def test_coverage_heatmap_shows_every_cell_zeros_included(app) -> None:
    at = _open_tab(app("references"), "Coverage")
    no_exceptions(at)
    (chart,) = at.get("vega_lite_chart")
    (dataset,) = chart.proto.datasets
    cells = convert_arrow_bytes_to_pandas_df(dataset.data.data)
    assert len(cells) == len(INDUSTRIES) * len(ML_TASKS)
    assert (cells["count"] == 0).any() and cells["count"].sum() == len(_store().catalogue("references"))
    assert "datum.count == 0" in chart.proto.spec, "empty cells have a colour of their own"
    assert any("gaps in public evidence" in caption.value for caption in at.caption)
    assert any("cells are empty" in caption.value for caption in at.caption)


def test_model_sizes_link_to_the_resource_planner_with_the_model(app) -> None:
    at = _open_tab(app("references"), "Model sizes by task")
    no_exceptions(at)
    at.selectbox(key="refs_model_task").set_value("generation").run()
    (table,) = at.dataframe
    sizes = table.value
    assert sizes["params_label"].str.match(r"^[\d.,]+( [kMBT])?$").all()
    links = [link.proto for link in at.get("page_link")]
    assert len(links) == len(sizes)
    assert all(link.page.endswith("resources") or "resources" in link.page for link in links)
    models = [parse_qs(link.query_string)["model"][0] for link in links]
    assert "llama-3.2-1b" in models
    assert all(link.label.startswith("Plan resources for ") for link in links)


# ---------------------------------------------------------------- closed tabs


def test_a_closed_tab_keeps_its_choices_until_it_opens_again(app) -> None:
    """Only the open tab draws its widgets; the others' choices survive (``persist_state="session"``)."""
    at = _search(app("references"), "fraud detection", industry=["finance & insurance"], years=(2020, 2022))
    at = _open_tab(at, "Similar to my use case")
    at.selectbox(key="refs_candidate").set_value("rain-forecast-15min").run()
    at = _open_tab(at, "Model sizes by task")
    at.selectbox(key="refs_model_task").set_value("generation").run()
    at = _open_tab(at, "Coverage")
    at = _open_tab(at, "Search")
    no_exceptions(at)
    assert at.text_input(key="refs_query").value == "fraud detection"
    assert at.multiselect(key="refs_industry").value == ["finance & insurance"]
    assert at.slider(key="refs_years").value == (2020, 2022)
    assert (_results(at)["Industry"] == "finance & insurance").all()
    at = _open_tab(at, "Similar to my use case")
    assert at.selectbox(key="refs_candidate").value == "rain-forecast-15min"
    at = _open_tab(at, "Model sizes by task")
    assert at.selectbox(key="refs_model_task").value == "generation"
