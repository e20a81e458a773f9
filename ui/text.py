"""Showing user text safely in pages (the helpers live in core.text so the brief uses them too)."""

from core.text import escape_markdown, format_number, shorten

__all__ = ["escape_markdown", "format_number", "shorten"]
