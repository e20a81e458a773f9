"""Greenlight: plan a deep-learning project before building it.

The entry file: page config, navigation over pages/, and the sidebar that
every page shares (project picker, where the data lives).
"""

from __future__ import annotations

import streamlit as st

from ui.sidebar import render_sidebar

st.set_page_config(page_title="Greenlight", page_icon="🟢", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon="🧭", url_path="", default=True),
    st.Page("pages/worthiness.py", title="Worthiness", icon="⚖️", url_path="worthiness"),
    st.Page("pages/success_metrics.py", title="Success metrics", icon="🎯", url_path="success-metrics"),
    st.Page("pages/references.py", title="Reference projects", icon="📚", url_path="references"),
    st.Page("pages/resources.py", title="Resources", icon="🖥️", url_path="resources"),
    st.Page("pages/gpus.py", title="Accelerators", icon="🔌", url_path="gpus"),
    st.Page("pages/projects.py", title="Projects", icon="🗂️", url_path="projects"),
]

page = st.navigation(PAGES)
render_sidebar()
page.run()
