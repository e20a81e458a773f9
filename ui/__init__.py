"""Streamlit glue shared by the pages: the store, the current project, small display helpers."""
