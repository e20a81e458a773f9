"""Where public evidence is thick or thin: references per industry x task, and the company list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from core.references.catalogue import Reference
from core.references.text import ascii_fold
from core.taxonomy import INDUSTRIES, ML_TASKS


class CoverageCell(NamedTuple):
    """Number of references for one industry x task pair."""

    industry: str
    task: str
    count: int  # type: ignore[assignment]  # the field shadows tuple.count on purpose: it reads naturally


def coverage(references: Iterable[Reference]) -> list[CoverageCell]:
    """Entries per (industry, task) for every pair of the shared vocabularies, zeros included,
    in INDUSTRIES x ML_TASKS order, so a heatmap shows where public evidence is thin."""
    counts: dict[tuple[str, str], int] = {}
    for ref in references:
        counts[(ref.industry, ref.task)] = counts.get((ref.industry, ref.task), 0) + 1
    return [CoverageCell(i, t, counts.get((i, t), 0)) for i in INDUSTRIES for t in ML_TASKS]


def companies(references: Iterable[Reference]) -> list[str]:
    """Company names in the references, sorted case-insensitively, each once (for a filter list)."""
    return sorted({r.company for r in references}, key=lambda c: (ascii_fold(c), c))
