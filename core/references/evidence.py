"""Pure helpers for the /references page: evidence on worthiness candidates, own references, units.

* Evidence: a worthiness candidate's ``references`` (candidate id -> reference ids) change in the
  "worthiness" section only; raters' sections ("ratings:<rater>") are never rewritten, so a
  planning meeting's concurrent scores stay intact.
* Own references: an internal project typed into a form becomes a validated catalogue row with an
  id "own-<12 hex digits>" (``core.store.Store.add_user_reference`` stores it).
* Units: model sizes as table rows, parameter counts in words a planner reads ("1.2 B", "25.6 M",
  ``core.text.format_count``).

Nothing here touches Streamlit, a file or a database.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeGuard
from urllib.parse import quote

from core.references.catalogue import Reference
from core.resources.model_sizes import ModelSize
from core.text import INVISIBLE_ONLY, format_count, has_visible_text
from core.worthiness import Candidate, WorthinessSection
from core.worthiness.section import MAX_REFERENCES_PER_CANDIDATE

OWN_ID_PREFIX = "own-"
_OWN_ID = re.compile(r"own-[0-9a-f]{12}")
MAX_COMPANY_CHARS = 120
MAX_TITLE_CHARS = 300
MAX_SUMMARY_CHARS = 2_000
MAX_URL_CHARS = 2_000
MAX_TAGS = 20
MAX_TAG_CHARS = 40

# --------------------------------------------------------------------------------------------
# Cache key
# --------------------------------------------------------------------------------------------


def catalogue_fingerprint(rows: Sequence[Mapping[str, Any]]) -> int:
    """A process-local fingerprint of catalogue rows (own rows included), for an in-memory cache key.

    Equal rows give equal fingerprints within one Python process (``hash`` of str is salted per
    process, so never store it). About 1 ms for 2,100 rows, against 10 ms for a SHA-1 of their text.
    """
    items = tuple(tuple(row.items()) for row in rows)
    try:
        return hash((len(rows), items))
    except TypeError:  # an unhashable value (a list from a JSON row): fall back to its text
        return hash((len(rows), repr(items)))


# --------------------------------------------------------------------------------------------
# Evidence on worthiness candidates
# --------------------------------------------------------------------------------------------


def candidate_query(candidate: Candidate) -> str:
    """The text that says what a candidate is about: its name and its problem statement."""
    return " ".join(part.strip() for part in (candidate.name, candidate.problem) if part.strip())


def attached_reference_ids(section: WorthinessSection, candidate_id: str) -> tuple[str, ...]:
    """Ids of the references attached to a candidate, in the order they were attached."""
    return tuple(section.references.get(candidate_id, ()))


def _with_references(document: Mapping[str, Any], candidate_id: str, reference_ids: Sequence[str]) -> dict[str, Any]:
    # The stored "worthiness" document is rebuilt as it is (any scores it holds itself stay), and
    # only its references change; the raters' own sections are not part of it.
    section = WorthinessSection.from_document(document)
    section.candidate(candidate_id)  # ValueError when someone deleted it meanwhile
    references = {key: tuple(value) for key, value in section.references.items()}
    if reference_ids:
        references[candidate_id] = tuple(reference_ids)
    else:
        references.pop(candidate_id, None)
    return replace(section, references=references).to_document()


def attach_references(document: Mapping[str, Any], candidate_id: str, reference_ids: Iterable[str]) -> dict[str, Any]:
    """The "worthiness" section document with ``reference_ids`` attached to a candidate.

    Already attached ids are kept once, in their place; new ones go at the end. Raises ValueError
    for an unknown candidate, a malformed document, or more than
    ``MAX_REFERENCES_PER_CANDIDATE`` (50) references on one candidate.
    """
    section = WorthinessSection.from_document(document)
    current = list(attached_reference_ids(section, candidate_id))
    added = [rid for rid in dict.fromkeys(reference_ids) if rid not in current]
    if not added:
        raise ValueError("Pick at least one reference that is not attached yet.")
    if len(current) + len(added) > MAX_REFERENCES_PER_CANDIDATE:
        raise ValueError(
            f"A candidate holds at most {MAX_REFERENCES_PER_CANDIDATE} references; it has {len(current)}, "
            f"so attach at most {MAX_REFERENCES_PER_CANDIDATE - len(current)} more."
        )
    return _with_references(document, candidate_id, [*current, *added])


def detach_reference(document: Mapping[str, Any], candidate_id: str, reference_id: str) -> dict[str, Any]:
    """The "worthiness" section document without one reference on a candidate (no-op if absent)."""
    section = WorthinessSection.from_document(document)
    current = attached_reference_ids(section, candidate_id)
    return _with_references(document, candidate_id, [rid for rid in current if rid != reference_id])


@dataclass(frozen=True)
class Evidence:
    """An attached reference id and what it points at (None when it left the catalogue)."""

    reference_id: str
    reference: Reference | None


def evidence_for(
    section: WorthinessSection, candidate_id: str, references_by_id: Mapping[str, Reference]
) -> list[Evidence]:
    """The references attached to a candidate, resolved against the catalogue (own rows included)."""
    return [Evidence(rid, references_by_id.get(rid)) for rid in attached_reference_ids(section, candidate_id)]


def markdown_link_target(url: str) -> str:
    """A link address that cannot break out of Markdown's ``[text](address)``.

    Characters Markdown or HTML could read as syntax (parentheses, spaces, angle brackets,
    quotes, backslashes, backticks) are percent-encoded; the address still leads to the same page.

    >>> markdown_link_target("https://en.wikipedia.org/wiki/Rain_(disambiguation) x")
    'https://en.wikipedia.org/wiki/Rain_%28disambiguation%29%20x'
    """
    return quote(url, safe=":/?#[]@!$&'*+,;=%~-._")


# --------------------------------------------------------------------------------------------
# Own references
# --------------------------------------------------------------------------------------------


def new_own_reference_id() -> str:
    """A fresh id for an internal project: "own-" and 12 random hex digits (48 bits)."""
    return OWN_ID_PREFIX + secrets.token_hex(6)


def is_own_reference_id(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and _OWN_ID.fullmatch(value) is not None


def _limited(value: object, what: str, limit: int, *, required: bool = False) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if required and not text:
        raise ValueError(f"{what} is required.")
    if required and not has_visible_text(text):
        raise ValueError(f"{what} needs at least one visible character; {INVISIBLE_ONLY}.")
    if len(text) > limit:
        raise ValueError(f"{what} must be at most {limit:,} characters; got {len(text):,}.")
    return text


def _link(value: object) -> str:
    text = _limited(value, "Link", MAX_URL_CHARS)
    if re.search(r"\s", text):
        raise ValueError("A link cannot contain spaces; paste the address as the browser shows it.")
    return text


def parse_tags(text: object) -> tuple[str, ...]:
    """Keywords from "fraud, payments; real-time": lower-case, each once, in order.

    >>> parse_tags("Fraud, payments; fraud")
    ('fraud', 'payments')
    """
    raw = "" if text is None else str(text)
    tags = tuple(dict.fromkeys(t for t in (part.strip().lower() for part in re.split(r"[,;\n]", raw)) if t))
    if len(tags) > MAX_TAGS:
        raise ValueError(f"Give at most {MAX_TAGS} tags; got {len(tags)}.")
    for tag in tags:
        if len(tag) > MAX_TAG_CHARS:
            raise ValueError(f"Each tag must be at most {MAX_TAG_CHARS} characters; {tag[:20]!r}… is longer.")
    return tags


def own_reference_row(
    *,
    company: object,
    title: object,
    year: object,
    industry: object,
    task: object,
    modality: object,
    uses_deep_learning: object = "unclear",
    source_url: object = "",
    tags: object = "",
    summary: object = "",
) -> dict[str, Any]:
    """A validated catalogue row for an internal project, as ``Store.add_user_reference`` stores it.

    ``year`` may be empty (unknown) or a year such as "2024"; ``tags`` a comma- or
    semicolon-separated text; ``source_url`` empty or an http(s) address (an intranet page is
    fine). Raises ValueError with a message for the form when any field is wrong.
    """
    row: dict[str, Any] = {
        "company": _limited(company, "Company", MAX_COMPANY_CHARS, required=True),
        "title": _limited(title, "Title", MAX_TITLE_CHARS, required=True),
        "year": year.strip() if isinstance(year, str) else year,
        "industry": industry,
        "task": task,
        "modality": modality,
        "uses_deep_learning": uses_deep_learning,
        "tags": ";".join(parse_tags(tags)),
        "source_url": _link(source_url),
        "summary": _limited(summary, "Summary", MAX_SUMMARY_CHARS),
    }
    reference = Reference.from_row({**row, "id": OWN_ID_PREFIX + "0" * 12}, origin="own")
    return {
        **row,
        "year": reference.year,
        "industry": reference.industry,
        "task": reference.task,
        "modality": reference.modality,
        "uses_deep_learning": reference.uses_deep_learning,
    }


# --------------------------------------------------------------------------------------------
# Model sizes in a planner's units
# --------------------------------------------------------------------------------------------


def model_size_rows(sizes: Iterable[ModelSize]) -> list[dict[str, Any]]:
    """Table rows for model sizes: readable units beside the raw counts (for sorting)."""
    return [
        {
            "key": size.key,
            "model": size.name,
            "family": size.family,
            "modality": size.modality,
            "params": size.params,
            "params_label": format_count(size.params),
            "active_label": format_count(size.active_params),
            "compute": size.compute_label,
            "typical_input": size.typical_input or "—",
            "source_url": size.source_url or None,
            "planner": "yes" if size.plannable else "size only",
            "resources_link": size.resources_link if size.plannable else None,
        }
        for size in sizes
    ]
