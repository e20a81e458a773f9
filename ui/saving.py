"""Saving from a page: one call that either stores the change or says, in a sentence, why it did not.

Every save goes through ``Store.edit_sections``: the change is computed from the project as stored inside
the write transaction, so a page never confirms a save that another person's save then undoes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from core.projects import Project
from core.store import StoreError
from ui.identity import author
from ui.state import get_store

Edit = Callable[[Project], Mapping[str, dict[str, Any] | None]]


def try_edit(project_id: str, edit: Edit, change: str) -> str | None:
    """Apply ``edit`` (see ``Store.edit_sections``); None when stored, else the reason, ready to show."""
    try:
        get_store().edit_sections(project_id, edit, change, author=author())
    except ValueError as error:  # invalid input, or EditConflict: someone changed it meanwhile
        return f"Not saved: {error}"
    except StoreError as error:  # busy, disk full, database gone: the input stays in the form
        return str(error)
    return None
