"""``python -m core references "QUERY" [filters] [--top N] [--json]``: search the reference catalogue.

Prints the best matches first, as a JSON list with ``--json`` (each object carries at least
title, company, year, industry, task, modality, source_url and score) or as a short table.
The command reads the catalogue through ``core.store.read_catalogue`` and calls the same
search the /references page uses.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from core.references.catalogue import ScoredReference, load_references
from core.references.index import MAX_TOP, build_index
from core.text import quote_prefix

DEFAULT_TOP = 20


def add_references_command(sub: Any) -> None:
    """Register the ``references`` sub-command on an ``argparse`` sub-parser collection."""
    parser = sub.add_parser(
        "references",
        help="search the reference-project catalogue",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    parser.add_argument("query", nargs="?", default="", help="free text, e.g. 'predict delivery time'")
    parser.add_argument("--industry", action="append", help="industry name (repeat for several)")
    parser.add_argument("--task", action="append", help="ML task name (repeat for several)")
    parser.add_argument("--modality", action="append", help="data modality (repeat for several)")
    parser.add_argument("--company", action="append", help="company name (repeat for several)")
    # Numbers arrive as text so that a bad value becomes one clear ValueError, not an argparse exit.
    parser.add_argument("--year-from", help="first publication year to include")
    parser.add_argument("--year-to", help="last publication year to include")
    parser.add_argument("--top", default=str(DEFAULT_TOP), help=f"number of results, 1-{MAX_TOP}")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    parser.set_defaults(handler=run_references_command)


def _whole_number(text: str | None, what: str) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError(f"{what} must be a whole number; got {quote_prefix(text)}.") from None


def run_references_command(args: argparse.Namespace) -> int:
    """Search and print; raises ValueError for input the user must fix."""
    from core.store import read_catalogue  # imported here: the store pulls in DuckDB

    top = _whole_number(args.top, "--top")
    assert top is not None
    year_from = _whole_number(args.year_from, "--year-from")
    year_to = _whole_number(args.year_to, "--year-to")
    year_range = None if year_from is None and year_to is None else (year_from, year_to)
    index = build_index(load_references(read_catalogue("references")))
    hits = index.search(
        args.query,
        industry=args.industry,
        task=args.task,
        modality=args.modality,
        company=args.company,
        year_range=year_range,
        top=top,
    )
    if args.json:
        print(json.dumps([hit.as_dict() for hit in hits], ensure_ascii=False, indent=2))
    else:
        print(format_table(hits))
    return 0


def format_table(hits: list[ScoredReference]) -> str:
    """Plain-text listing, one reference per line, for a terminal."""
    if not hits:
        return "No matching references. Try other words or fewer filters."
    lines = []
    for hit in hits:
        ref = hit.reference
        year = ref.year if ref.year is not None else "----"
        lines.append(f"{hit.score:7.2f}  {year}  {ref.company[:18]:18}  {ref.title[:70]}")
        lines.append(f"{'':15}{ref.industry} | {ref.task} | {ref.modality} | {ref.source_url}")
    return "\n".join(lines)
