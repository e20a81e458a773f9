"""Greenlight's domain logic: pure functions and dataclasses, no Streamlit.

Only `core.store` speaks to DuckDB; everything else takes and returns plain
Python values so that the pages and the command line compute the same numbers.
"""
