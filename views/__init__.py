"""The pages, one package each: ``views/<page>/page.py`` is the page and its siblings draw only that page.

``ROUTES`` is the one place a page is declared (its file, title, icon and URL path); ``page(key)`` is what
``st.page_link`` and ``st.switch_page`` are given, so no other module names a page file. The URL paths are the
share links people already hold: keep them. (Why ``views/`` and not ``pages/``: see app.py.)
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import streamlit as st

_HERE = Path(__file__).resolve().parent


class Route(NamedTuple):
    title: str
    icon: str  # a Material icon bundled with Streamlit: it looks the same in every browser and font set
    url_path: str


# Page key (its folder under views/) -> how it appears. The first is the default page.
ROUTES: dict[str, Route] = {
    "overview": Route("Overview", ":material/dashboard:", ""),
    "worthiness": Route("Worthiness", ":material/balance:", "worthiness"),
    "success_metrics": Route("Success metrics", ":material/target:", "success-metrics"),
    "references": Route("Reference projects", ":material/menu_book:", "references"),
    "resources": Route("Resources", ":material/memory:", "resources"),
    "accelerators": Route("Accelerators", ":material/developer_board:", "gpus"),
    "hosted_models": Route("Hosted models", ":material/sell:", "hosted-models"),
    "projects": Route("Projects", ":material/folder_open:", "projects"),
}


def page_file(key: str) -> str:
    """The page's file, relative to the app folder (what AppTest's ``switch_page`` takes)."""
    return f"views/{key}/page.py"


def page(key: str) -> st.Page:
    """The page registered under ``key``, for ``st.navigation``, ``st.page_link`` and ``st.switch_page``.

    Built during a script run (Streamlit resolves a page against the running app); the same declaration
    always gives the same page, so a link matches the navigation's entry.
    """
    route = ROUTES[key]
    return st.Page(
        str(_HERE / key / "page.py"),
        title=route.title,
        icon=route.icon,
        url_path=route.url_path,
        default=not route.url_path,
    )


def pages() -> list[st.Page]:
    return [page(key) for key in ROUTES]
