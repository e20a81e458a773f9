"""Greenlight: plan a deep-learning project before building it.

The entry file: page config, navigation over the pages declared in views/ (``views.ROUTES``), and the
sidebar that every page shares (project picker, where the data lives).

The page files live in views/, not pages/: Streamlit treats a folder named pages/ next to the entry file as
an old-style multipage app until st.navigation has run once, so the first visit to a deep link on a freshly
started server (a share link right after a Community Cloud app wakes) would run that page alone, without
this file's sidebar and layout (checked again on Streamlit 1.67: 3 of 3 fresh servers).
"""

from __future__ import annotations

import streamlit as st

from core.store import StoreError
from ui.sidebar import render_sidebar
from ui.text import escape_markdown
from views import pages

st.set_page_config(page_title="Greenlight", page_icon=":material/traffic:", layout="wide")

page = st.navigation(pages())
try:
    render_sidebar()
    page.run()
except StoreError as error:
    # A database server that stopped answering (restart, network) mid-page: a sentence, not a traceback. Saves
    # say the same where they happen and keep the form; the store reconnects by itself on the next rerun.
    st.error(escape_markdown(str(error)), icon="🛑")
