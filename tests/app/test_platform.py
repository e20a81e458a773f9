"""Every page renders; the sidebar creates and renames projects; share links are checked."""

from __future__ import annotations

import pytest

from tests.app.conftest import PAGE_FILES, no_exceptions


@pytest.mark.parametrize("page", list(PAGE_FILES))
def test_every_page_renders_without_an_exception(app, page: str) -> None:
    at = app(page)
    no_exceptions(at)
    assert at.title, "every page has a title"


def test_the_example_project_is_there_on_the_first_run(app) -> None:
    at = app()
    assert "Example" in at.sidebar.selectbox(key="project_picker").format_func(
        at.sidebar.selectbox(key="project_picker").value
    )


def test_a_project_created_in_the_sidebar_becomes_current(app) -> None:
    at = app()
    at.sidebar.text_input[0].input("Parcel damage detection")
    at.sidebar.button[0].click().run()
    no_exceptions(at)
    picker = at.sidebar.selectbox(key="project_picker")
    assert picker.format_func(picker.value) == "Parcel damage detection"


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "cannot be empty"), ("x" * 10_000, "at most 200 characters")],
)
def test_a_bad_project_name_gets_a_message_and_creates_nothing(app, name: str, message: str) -> None:
    at = app()
    before = len(at.sidebar.selectbox(key="project_picker").options)
    at.sidebar.text_input[0].input(name)
    at.sidebar.button[0].click().run()
    assert any(message in e.value for e in at.sidebar.error)
    assert len(at.sidebar.selectbox(key="project_picker").options) == before


def test_an_html_laden_name_is_shown_escaped(app) -> None:
    at = app()
    payload = "<b>bold</b><script>alert(1)</script>"
    at.sidebar.text_input[0].input(payload)
    at.sidebar.button[0].click().run()
    no_exceptions(at)
    shown = " ".join(m.value for m in at.markdown)
    assert "\\<script\\>" in shown and "<script>" not in shown


@pytest.mark.parametrize("raw", ["nope", "<script>alert(1)</script>", "0123456789abcdef0123"])
def test_a_malformed_share_link_gets_a_friendly_message(app, raw: str) -> None:
    at = app(project=raw)
    no_exceptions(at)
    assert any("share link could not be opened" in w.value for w in at.warning)


def test_an_unknown_share_id_gets_a_friendly_message(app) -> None:
    at = app(project="0123456789ab")
    no_exceptions(at)
    assert any("No project with that id" in w.value for w in at.warning)


def test_a_share_link_opens_its_project(app) -> None:
    at = app()
    at.sidebar.text_input[0].input("Shared one")
    at.sidebar.button[0].click().run()
    shared_id = at.sidebar.selectbox(key="project_picker").value
    other = app(project=shared_id)
    picker = other.sidebar.selectbox(key="project_picker")
    assert picker.value == shared_id
