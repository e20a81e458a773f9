"""When the user's industry is thin: the count there, then the same task in the nearest industries.

The planning method says to look at what companies in the same industry did, and where they did
little, at the same task in neighbouring industries. ``industry_pivot`` does that for a search
with one industry chosen:

1. the task is the ML task filter when exactly one is chosen, otherwise the task most of the
   query's ten best matches (in any industry) are about;
2. the industry's count is its number of catalogue entries for that task (within the other filters);
3. below ``THIN_INDUSTRY_COUNT`` entries it is thin, and the same search runs in each of the
   nearest industries (``core.taxonomy.NEAREST_INDUSTRIES``, with the reason each is near), with
   the task as a filter, each labelled with its industry, count and reason.

>>> from core.references import Reference, build_index
>>> refs = [Reference(f"r{i}", "Co", "Failure prediction", 2020, industry, "classification", "tabular")
...         for i, industry in enumerate(["energy & utilities"] + ["manufacturing & industrial"] * 3)]
>>> pivot = industry_pivot(build_index(refs, synonyms=()), "failure prediction", industry="energy & utilities")
>>> pivot.task, pivot.count, pivot.neighbours[0].industry, pivot.neighbours[0].count
('classification', 1, 'manufacturing & industrial', 3)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.references.catalogue import ScoredReference
from core.references.index import ReferenceIndex, SearchMethod, chosen_values
from core.taxonomy import INDUSTRIES, ML_TASKS, NEAREST_INDUSTRIES

THIN_INDUSTRY_COUNT = 5  # fewer entries than this for the task: the industry is thin
TASK_FROM_TOP = 10  # the query's task is read from this many best matches
PIVOT_HITS_PER_INDUSTRY = 5


@dataclass(frozen=True)
class NeighbourMatches:
    """The same task in one nearest industry: why it is near, its count, its best matches."""

    industry: str
    reason: str
    count: int
    hits: tuple[ScoredReference, ...]


@dataclass(frozen=True)
class IndustryPivot:
    """A thin industry for a task: its count, and the same task in the nearest industries."""

    industry: str
    task: str
    count: int
    neighbours: tuple[NeighbourMatches, ...]

    @property
    def sentence(self) -> str:
        """What the page says first, e.g. "Only 2 entries in agriculture for regression & forecasting"."""
        if self.count == 0:
            return f"No entries in {self.industry} for {self.task}"
        return f"Only {self.count} {'entry' if self.count == 1 else 'entries'} in {self.industry} for {self.task}"


def query_task(hits: Sequence[ScoredReference]) -> str | None:
    """The ML task most of the best hits share (ties: the one of the better-ranked hit); None for no hits."""
    top = hits[:TASK_FROM_TOP]
    if not top:
        return None
    counts = Counter(hit.reference.task for hit in top)
    first_rank: dict[str, int] = {}
    for rank, hit in enumerate(top):
        first_rank.setdefault(hit.reference.task, rank)
    return min(counts, key=lambda task: (-counts[task], first_rank[task]))


def industry_pivot(
    index: ReferenceIndex,
    query: str,
    *,
    industry: str,
    task: str | Iterable[str] | None = None,
    modality: str | Iterable[str] | None = None,
    year_range: tuple[int | None, int | None] | None = None,
    company: str | Iterable[str] | None = None,
    approach: str | Iterable[str] | None = None,
    threshold: int = THIN_INDUSTRY_COUNT,
    per_industry: int = PIVOT_HITS_PER_INDUSTRY,
    method: SearchMethod = "combined",
) -> IndustryPivot | None:
    """The pivot for a search in one ``industry``, or None when that industry is not thin for the
    task (or no task can be told: several task filters, or a query that matches nothing).

    ``modality``, ``year_range``, ``company`` and ``approach`` are the search's other filters; they
    apply in every industry alike. Counts are the entries of an industry with the task that pass
    those filters, whatever the query's words.
    """
    (key,) = chosen_values("industry", industry, INDUSTRIES) or (None,)
    if key is None:
        raise ValueError("The pivot needs the user's industry.")
    others = {"modality": modality, "year_range": year_range, "company": company, "approach": approach}
    tasks = chosen_values("ML task", task, ML_TASKS)
    if tasks is not None and len(tasks) != 1:
        return None
    if tasks is None:
        inferred = query_task(index.search(query, top=TASK_FROM_TOP, method=method, **others))  # type: ignore[arg-type]
        if inferred is None:
            return None
        tasks = [inferred]
    the_task = tasks[0]
    here = index.count(industry=key, task=the_task, **others)  # type: ignore[arg-type]
    if here >= threshold:
        return None
    neighbours = []
    for neighbour, reason in NEAREST_INDUSTRIES[key]:
        hits = index.search(
            query,
            industry=neighbour,
            task=the_task,
            top=per_industry,
            method=method,
            **others,  # type: ignore[arg-type]
        )
        count = index.count(industry=neighbour, task=the_task, **others)  # type: ignore[arg-type]
        neighbours.append(NeighbourMatches(neighbour, reason, count, tuple(hits)))
    return IndustryPivot(key, the_task, here, tuple(neighbours))
