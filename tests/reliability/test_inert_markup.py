"""Messages that quote user or URL text show it as typed: no link, image, HTML tag or emphasis gets through.

Each row drives one message path of the real app (AppTest on a temporary database) with hostile text and checks
the body Streamlit would render: it holds the text escaped by ``escape_markdown`` and no unescaped ``](``, ``![``,
``<img`` or ``**``, and no bare ``://evil.example`` that GitHub-flavoured Markdown would turn into a link.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from core import projects as pj
from core.text import escape_markdown, shorten
from core.worthiness import CRITERION_KEYS
from tests.app.conftest import app as app  # the AppTest factory fixture: the real app on a fresh database
from tests.app.conftest import no_exceptions
from ui.state import get_store

pytestmark = pytest.mark.reliability

LINK = "[Log in again](https://evil.example/)"
IMAGE = "![x](https://evil.example/x.png)"
TAG = "<img src=x onerror=alert(1)>"
BOLD = "**bold**"
PAYLOADS = (LINK, IMAGE, TAG, BOLD)
# Markup that must never reach the page unescaped (a backslash before it makes it a literal character).
LIVE = ("](", "![", "<img", "**")


def packed(limit: int) -> list[str]:
    """The payloads joined by spaces into as few texts as fit within ``limit`` characters each."""
    texts: list[str] = []
    for payload in PAYLOADS:
        if texts and len(texts[-1]) + 1 + len(payload) <= limit:
            texts[-1] += " " + payload
        else:
            texts.append(payload)
    return texts


def bodies(at: AppTest) -> list[str]:
    """Every Markdown body on the page (main area and sidebar): messages, text, captions."""
    shown: list[str] = []
    for kind in ("error", "warning", "success", "info", "markdown", "caption"):
        shown.extend(str(element.value) for element in getattr(at, kind))
    return shown


def assert_inert(at: AppTest, quoted: str, context: str) -> None:
    """A body that says ``context`` quotes ``quoted`` escaped, with nothing live left in it."""
    no_exceptions(at)
    found = [body for body in bodies(at) if context in body]
    assert found, (context, bodies(at))
    expected = escape_markdown(quoted)
    assert any(expected in body for body in found), (expected, found)
    for body in found:
        for live in LIVE:
            assert not re.search(r"(?<!\\)" + re.escape(live), body), (live, body)
        assert "://evil.example" not in body, body  # a bare address would be autolinked


def _share_link(app: Callable[..., AppTest]) -> None:
    for payload in packed(40):  # parse_project_id quotes a value of up to 40 characters
        assert_inert(app(project=payload), payload, "share link could not be opened")


def _resources_model(app: Callable[..., AppTest]) -> None:
    for payload in packed(60):  # the warning quotes up to 60 characters, lower-cased
        assert_inert(app("resources", model=payload), payload.lower(), "not in the architecture catalogue")


def _scenario_name_clash(app: Callable[..., AppTest]) -> None:
    at = app("resources")
    at.session_state["res_tab"] = "Scenarios"
    at.run()
    for name in packed(80):  # a scenario name has at most 80 characters
        at.text_input(key="res_scenario_name").input(name)
        at.button(key="res_scenario_save").click().run()
        assert_inert(at, name, "Saved '")
        at.text_input(key="res_scenario_name").input(name)
        at.button(key="res_scenario_save").click().run()
        assert_inert(at, name, "already exists")


def _import_error(app: Callable[..., AppTest]) -> None:
    at = app("projects")
    store = get_store()
    project = store.get_project(store.list_projects()[0].id)
    assert project is not None
    # Unexpected top-level fields are refused, and the message names them (up to 40 characters each).
    document = {**project.document(), **dict.fromkeys(PAYLOADS, 1)}
    data = json.dumps({"kind": pj.EXPORT_KIND, "schema_version": pj.PROJECT_SCHEMA_VERSION, "projects": [document]})
    at.file_uploader(key="import_file").set_value(("hostile.json", data.encode(), "application/json")).run()
    for payload in PAYLOADS:
        assert_inert(at, payload, "Nothing can be imported")


def _candidate_name(app: Callable[..., AppTest]) -> None:
    at = app("worthiness")
    (name,) = packed(200)  # a candidate name has at most 200 characters
    at.selectbox(key="worthiness_candidate_pick").set_value("__new__").run()
    at.text_input(key="worthiness_cand_name").input(name)
    at.text_area(key="worthiness_cand_problem").input("Spot damaged parcels on the conveyor camera.")
    at.number_input(key="worthiness_cand_error_rate").set_value(5.0)
    at.button(key="worthiness_candidate_save").click().run()
    assert_inert(at, name, "Added")


def _rater_name(app: Callable[..., AppTest]) -> None:
    at = app("worthiness")
    for rater in packed(80):  # a rater's name has at most 80 characters
        at.text_input(key="worthiness_rater").input(rater).run()
        at.session_state["worthiness_tab"] = "Scoring"
        at.run()
        for key in CRITERION_KEYS:
            at.radio(key=f"worthiness_score_{key}").set_value(3)
        at.button(key="worthiness_score_save").click().run()
        assert_inert(at, f"{rater}'s scores", "s scores for")


def _project_name(app: Callable[..., AppTest]) -> None:
    at = app()
    for name in packed(60):  # the clash message quotes the first 60 characters
        for _attempt in range(2):  # the second attempt is refused: the name is taken
            at.sidebar.text_input[0].input(name)
            at.sidebar.button[0].click().run()
        assert_inert(at, shorten(name, 60), "already exists")


MESSAGE_PATHS: dict[str, Callable[[Callable[..., AppTest]], None]] = {
    "share-link-param": _share_link,
    "resources-model-param": _resources_model,
    "scenario-name-clash": _scenario_name_clash,
    "import-error-quoting-names": _import_error,
    "candidate-name": _candidate_name,
    "rater-name": _rater_name,
    "project-name-clash": _project_name,
}


@pytest.mark.parametrize("path", list(MESSAGE_PATHS))
def test_quoted_text_renders_inert(app: Callable[..., AppTest], path: str) -> None:
    MESSAGE_PATHS[path](app)


def test_packing_keeps_every_payload_within_the_limit() -> None:
    for limit in (40, 60, 80, 200):
        texts = packed(limit)
        assert all(len(text) <= limit for text in texts)
        assert " ".join(texts).split(" ") == " ".join(PAYLOADS).split(" ")
