"""Greenlight: plan a deep-learning project before building it.

The entry file: page config, navigation over views/, and the sidebar that
every page shares (project picker, where the data lives).

The page files live in views/, not pages/: Streamlit treats a folder named
pages/ next to the entry file as an old-style multipage app until
st.navigation has run once, so the first visit to a deep link on a freshly
started server (a share link right after a Community Cloud app wakes) would run
that page alone, without this file's sidebar and layout.
"""

from __future__ import annotations

import streamlit as st

from ui.sidebar import render_sidebar

st.set_page_config(page_title="Greenlight", page_icon="🟢", layout="wide")

PAGES = [
    # Material icons ship with Streamlit (no download) and look the same in every browser and font set.
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", url_path="", default=True),
    st.Page("views/worthiness.py", title="Worthiness", icon=":material/balance:", url_path="worthiness"),
    st.Page("views/success_metrics.py", title="Success metrics", icon=":material/target:", url_path="success-metrics"),
    st.Page("views/references.py", title="Reference projects", icon=":material/menu_book:", url_path="references"),
    st.Page("views/resources.py", title="Resources", icon=":material/memory:", url_path="resources"),
    st.Page("views/gpus.py", title="Accelerators", icon=":material/developer_board:", url_path="gpus"),
    st.Page("views/projects.py", title="Projects", icon=":material/folder_open:", url_path="projects"),
]

page = st.navigation(PAGES)
render_sidebar()
page.run()
