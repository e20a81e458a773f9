"""AppTest helpers: run the real app (app.py) on a page, against a fresh temporary database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from views import page_file

ROOT = Path(__file__).resolve().parents[2]
PAGE_FILES = {
    "overview": page_file("overview"),
    "worthiness": page_file("worthiness"),
    "success-metrics": page_file("success_metrics"),
    "references": page_file("references"),
    "resources": page_file("resources"),
    "gpus": page_file("accelerators"),
    "projects": page_file("projects"),
}


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Factory: ``app("worthiness", project=...)`` returns an AppTest that has run once."""
    monkeypatch.setenv("GREENLIGHT_DB", str(tmp_path / "app.duckdb"))
    st.cache_resource.clear()
    st.cache_data.clear()

    def run(page: str = "overview", **query: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if page != "overview":
            # AppTest maps a page file to its st.navigation url_path only after a first run.
            at.run()
            at.switch_page(PAGE_FILES[page])
        at.query_params.clear()
        for key, value in query.items():
            at.query_params[key] = value
        return at.run()

    return run


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def plain(markdown: str) -> str:
    """Text as a reader sees it: without the backslashes and invisible word joiners that keep Markdown inert."""
    return markdown.replace("\\", "").replace("\u2060", "")
