"""Showing user text safely in pages (the helpers live in core.text so the brief uses them too)."""

from core.text import distinct_labels, escape_markdown, format_number, shorten

__all__ = ["distinct_labels", "escape_markdown", "format_number", "shorten"]
