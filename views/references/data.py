"""The /references page's data: the reference catalogue (with own rows), indexed once per version.

The index is cached per process with ``st.cache_resource`` and keyed on a fingerprint of the
rows themselves (never on the Store), so an own reference added in one session is searchable in
every session on its next rerun, and an unchanged catalogue is indexed only once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from core.references import Reference, ReferenceIndex, build_index, companies, coverage
from core.references.evidence import catalogue_fingerprint
from core.references.semantic import BundledModel
from core.store import StoreError
from ui.state import get_store
from ui.text import escape_markdown

# A write-up with an unknown year still needs a slider range; these bound the catalogue's.
FALLBACK_YEARS = (2010, 2026)


@dataclass(frozen=True)
class CatalogueView:
    """Everything the page derives from the catalogue rows; immutable, shared between sessions."""

    index: ReferenceIndex
    by_id: Mapping[str, Reference]
    own: tuple[Reference, ...]
    companies: tuple[str, ...]
    first_year: int
    last_year: int
    coverage: pd.DataFrame
    skipped_own_rows: int  # own rows that no longer pass validation (shown, never fatal)

    @property
    def size(self) -> int:
        return len(self.index)


def _load(rows: Sequence[Mapping[str, Any]]) -> tuple[list[Reference], int]:
    references: list[Reference] = []
    skipped = 0
    for row in rows:
        origin = "own" if row.get("origin") == "own" else "catalogue"
        try:
            references.append(Reference.from_row(row, origin=origin))
        except ValueError:
            if origin == "catalogue":
                raise  # the shipped catalogue is tested; a bad row there is a bug worth seeing
            skipped += 1
    return references, skipped


@st.cache_resource(show_spinner="Indexing the reference catalogue…", max_entries=8)
def _catalogue_view(fingerprint: int, _rows: Sequence[Mapping[str, Any]]) -> CatalogueView:
    references, skipped = _load(_rows)
    # The semantic layer's model loads on the first search that needs it, not here (BundledModel).
    index = build_index(references, embedder=BundledModel())
    years = [r.year for r in references if r.year is not None]
    cells = pd.DataFrame(coverage(references), columns=["industry", "task", "count"])
    return CatalogueView(
        index=index,
        by_id={r.id: r for r in index.references},
        own=tuple(r for r in index.references if r.origin == "own"),
        companies=tuple(companies(references)),
        first_year=min(years, default=FALLBACK_YEARS[0]),
        last_year=max(years, default=FALLBACK_YEARS[1]),
        coverage=cells,
        skipped_own_rows=skipped,
    )


def catalogue_view() -> CatalogueView:
    """The current catalogue (shipped rows and this database's own rows), indexed."""
    try:
        rows = get_store().catalogue("references")
    except StoreError as error:
        st.error(f"The reference catalogue could not be read: {escape_markdown(str(error))}")
        st.stop()
        raise
    return _catalogue_view(catalogue_fingerprint(rows), rows)
