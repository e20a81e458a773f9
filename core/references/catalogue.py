"""The reference catalogue's rows: ``Reference`` (validated), reading catalogue rows, search hits.

The catalogue (``data/references.csv``, built by ``data/build_references.py``) lists public write-ups
in which a company describes an ML system it runs; a planner's own internal projects join it with
origin "own". ``Reference.from_row`` reads a row as DuckDB or ``csv`` returns it; the cell readers
(``cell_text``, ``cell_tags``, ``is_missing``) serve every catalogue read the same way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.references.approach import approach_families
from core.taxonomy import INDUSTRIES, ML_TASKS, MODALITIES, USES_DEEP_LEARNING
from core.text import quote_prefix

ORIGINS: tuple[str, ...] = ("catalogue", "own")
"""Where a reference comes from: the shipped catalogue, or the user's own internal projects."""


def _require_text(name: str, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"A reference needs a non-empty {name}; got {quote_prefix(value)}.")


def _choose(name: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ValueError(f"Unknown {name} {quote_prefix(value)}; choose one of: {', '.join(allowed)}.")


@dataclass(frozen=True)
class Reference:
    """One reference project: a public write-up (origin "catalogue") or an internal one ("own").

    ``year`` is the publication year (None when unknown); ``tags`` are lower-case keywords;
    ``source_url`` is an http(s) link to the write-up, or "" for an internal project without one.
    ``approach`` names the model family in words ("" when the source does not name one) and
    ``outcome`` the published result ("no figure published ..." when the source gives none);
    ``approach_families`` maps the approach to the coarse list the page filters by.
    """

    id: str
    company: str
    title: str
    year: int | None
    industry: str
    task: str
    modality: str
    uses_deep_learning: str = "unclear"
    tags: tuple[str, ...] = ()
    source_url: str = ""
    summary: str = ""
    origin: str = "catalogue"
    approach: str = ""
    outcome: str = ""

    def __post_init__(self) -> None:
        _require_text("id", self.id)
        _require_text("company", self.company)
        _require_text("title", self.title)
        if self.year is not None and (
            isinstance(self.year, bool) or not isinstance(self.year, int) or not 1950 <= self.year <= 2100
        ):
            raise ValueError(
                f"Year must be a whole number between 1950 and 2100, or empty; got {quote_prefix(self.year)}."
            )
        _choose("industry", self.industry, INDUSTRIES)
        _choose("ML task", self.task, ML_TASKS)
        _choose("modality", self.modality, MODALITIES)
        _choose("uses-deep-learning answer", self.uses_deep_learning, USES_DEEP_LEARNING)
        _choose("origin", self.origin, ORIGINS)
        if not isinstance(self.tags, tuple) or not all(isinstance(t, str) for t in self.tags):
            raise ValueError(f"Tags must be a tuple of strings; got {quote_prefix(self.tags)}.")
        # The page renders this as a link: anything but http(s) (javascript:, data:) is refused.
        for name in ("summary", "approach", "outcome"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"The {name} must be text; got {quote_prefix(getattr(self, name))}.")
        if self.source_url and not re.match(r"https?://[^\s/]+", self.source_url, re.IGNORECASE):
            raise ValueError(f"Source URL must start with http:// or https://; got {quote_prefix(self.source_url)}.")

    @property
    def approach_families(self) -> tuple[str, ...]:
        """The approach families the ``approach`` text names (``core.references.approach``)."""
        return approach_families(self.approach)

    @classmethod
    def from_row(cls, row: Mapping[str, Any], *, origin: str | None = None) -> Reference:
        """Build from a catalogue row as DuckDB or ``csv`` returns it.

        Accepts typed values and strings alike: ``year`` as int, integral float, digit string,
        None, "" or NaN; ``tags`` as a ";"-separated string or a list; ``uses_deep_learning`` as
        "yes"/"no"/"unclear" or a boolean. ``origin`` overrides the row's own ``origin`` column.
        """
        return cls(
            id=cell_text(row.get("id")),
            company=cell_text(row.get("company")),
            title=cell_text(row.get("title")),
            year=_year(row.get("year")),
            industry=cell_text(row.get("industry")).lower(),
            task=cell_text(row.get("task")).lower(),
            modality=cell_text(row.get("modality")).lower(),
            uses_deep_learning=_deep_learning(row.get("uses_deep_learning")),
            tags=cell_tags(row.get("tags")),
            source_url=cell_text(row.get("source_url")),
            summary=cell_text(row.get("summary")),
            origin=origin if origin is not None else (cell_text(row.get("origin")) or "catalogue"),
            approach=cell_text(row.get("approach")),
            outcome=cell_text(row.get("outcome")),
        )


def is_missing(value: Any) -> bool:
    """True for an empty cell: None, or NaN (what DuckDB and pandas give for a blank number)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def cell_text(value: Any) -> str:
    """A cell as stripped text; "" for an empty cell."""
    return "" if is_missing(value) else str(value).strip()


def _year(value: Any) -> int | None:
    if is_missing(value) or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"Year must be a whole number such as 2021; got {quote_prefix(value)}.")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ValueError(f"Year must be a whole number such as 2021; got {quote_prefix(value)}.")
        return int(value)
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError(f"Year must be a whole number such as 2021; got {quote_prefix(value)}.")
    return int(text)


def cell_tags(value: Any) -> tuple[str, ...]:
    """Lower-cased keywords from a ";"-separated string or a list; () for an empty cell."""
    if is_missing(value):
        return ()
    items = value.split(";") if isinstance(value, str) else list(value)
    return tuple(t for t in (str(i).strip().lower() for i in items) if t)


def _deep_learning(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = cell_text(value).lower()
    return text or "unclear"


def load_references(rows: Iterable[Mapping[str, Any]], *, origin: str = "catalogue") -> list[Reference]:
    """References from catalogue rows (``core.store.read_catalogue("references")``) or own rows."""
    return [Reference.from_row(row, origin=origin) for row in rows]


@dataclass(frozen=True)
class ScoredReference:
    """A search hit: the reference, its relevance score (relative, higher is better; 0 for a plain
    filtered listing) and what it matched: the query's words as typed (lower-cased) and the names
    of synonym groups ("eta" for a hit on "arrival time"). ``meaning`` is the cosine similarity of
    query and entry under the bundled text-embedding model (``core.references.semantic``), None when
    the search did not use it."""

    reference: Reference
    score: float
    matched_terms: tuple[str, ...] = ()
    meaning: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict: the reference's fields plus ``score`` and ``matched_terms``."""
        ref = self.reference
        return {
            "id": ref.id,
            "title": ref.title,
            "company": ref.company,
            "year": ref.year,
            "industry": ref.industry,
            "task": ref.task,
            "modality": ref.modality,
            "uses_deep_learning": ref.uses_deep_learning,
            "tags": list(ref.tags),
            "source_url": ref.source_url,
            "summary": ref.summary,
            "origin": ref.origin,
            "approach": ref.approach,
            "approach_families": list(ref.approach_families),
            "outcome": ref.outcome,
            "score": round(self.score, 4),
            "matched_terms": list(self.matched_terms),
            "meaning": None if self.meaning is None else round(self.meaning, 4),
        }
