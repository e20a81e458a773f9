"""AppTest helpers: run the real app (app.py) on a page, against a fresh temporary database."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd
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
    "hosted-models": page_file("hosted_models"),
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


def texts(elements: Iterable[Any]) -> list[str]:
    """What message elements (``at.error``, ``at.success``, ``at.warning``, ...) say, each as a reader sees it."""
    return [plain(element.value) for element in elements]


def errors(at: AppTest) -> list[str]:
    """The error messages shown, one string each, as a reader sees them."""
    return texts(at.error)


def error_text(at: AppTest) -> str:
    """All the error messages shown, as one text (for ``"..." in error_text(at)``)."""
    return "\n".join(errors(at))


def success_text(at: AppTest) -> str:
    """All the success messages shown, as one text."""
    return "\n".join(texts(at.success))


def tab_opener(state_key: str) -> Callable[[AppTest, str], AppTest]:
    """``open_tab(at, label)`` for a page whose tabs are chosen by the session-state key ``state_key``: opens
    the tab, reruns and checks that nothing raised."""

    def open_tab(at: AppTest, label: str) -> AppTest:
        at.session_state[state_key] = label
        at.run()
        no_exceptions(at)
        return at

    return open_tab


def table(at: AppTest, column: str | None = None) -> pd.DataFrame:
    """The shown table that has ``column`` (the first table when ``column`` is None)."""
    return next(frame.value for frame in at.dataframe if column is None or column in frame.value.columns)
