"""Meeting mode: each rater's scores live in a project section of their own.

In a planning meeting several people score the same candidates at once. If
everyone saved the whole worthiness section, the last save would silently drop
the others' scores. So the worthiness section holds candidates and weights,
and each rater's scores are saved as ``ratings:<rater>``, a section that only
that rater writes. ``merge_ratings`` puts them back together for evaluation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.worthiness import RaterScores, Scores, WorthinessSection
from core.worthiness.model import check_candidate_id, check_rater_name

RATINGS_PREFIX = "ratings:"
# Section names are capped (core.projects) so that a share link's project stays small and readable.
MAX_RATER_NAME_CHARS = 80


def check_meeting_rater_name(rater: object) -> str:
    name = check_rater_name(rater)
    if len(name.strip()) > MAX_RATER_NAME_CHARS:
        raise ValueError(
            f"A rater's name can be at most {MAX_RATER_NAME_CHARS} characters; this one has {len(name.strip())}."
        )
    return name


def ratings_section_name(rater: str) -> str:
    """The section a rater's scores are saved under (the name is validated, kept verbatim)."""
    return RATINGS_PREFIX + check_meeting_rater_name(rater).strip()


@dataclass(frozen=True)
class RaterSection:
    """One rater's scores: candidate id -> Scores."""

    rater: str
    scores: Mapping[str, Scores] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_meeting_rater_name(self.rater)
        for candidate_id, scores in self.scores.items():
            check_candidate_id(candidate_id)
            if not isinstance(scores, Scores):
                raise ValueError(f"The scores for {candidate_id!r} must be six whole numbers from 1 to 5.")

    def to_document(self) -> dict[str, Any]:
        return {
            "rater": self.rater,
            "scores": {candidate_id: scores.as_dict() for candidate_id, scores in self.scores.items()},
        }

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> RaterSection:
        if not isinstance(document, Mapping) or set(document) != {"rater", "scores"}:
            raise ValueError("A rater's section must hold exactly 'rater' and 'scores'.")
        raw = document["scores"]
        if not isinstance(raw, Mapping):
            raise ValueError("A rater's 'scores' must map candidate ids to scores.")
        return cls(document["rater"], {cid: Scores.from_mapping(values) for cid, values in raw.items()})


def split_ratings(section: WorthinessSection) -> dict[str, dict[str, Any]]:
    """Project sections for a worthiness section: itself without scores, plus one section per rater."""
    bare = dataclasses.replace(section, rater_scores=RaterScores())
    sections = {"worthiness": bare.to_document()}
    for rater, scores in section.rater_scores.by_rater.items():
        sections[ratings_section_name(rater)] = RaterSection(rater, dict(scores)).to_document()
    return sections


def merge_ratings(sections: Mapping[str, Mapping[str, Any]]) -> WorthinessSection | None:
    """The worthiness section with every rater's scores; scores of deleted candidates are ignored."""
    if "worthiness" not in sections:
        return None
    section = WorthinessSection.from_document(sections["worthiness"])
    by_rater = {rater: dict(scores) for rater, scores in section.rater_scores.by_rater.items()}
    known = set(section.candidate_ids)
    for name, document in sorted(sections.items()):
        if name.startswith(RATINGS_PREFIX):
            rater = RaterSection.from_document(document)
            by_rater[rater.rater] = {cid: s for cid, s in rater.scores.items() if cid in known}
    return dataclasses.replace(section, rater_scores=RaterScores({r: s for r, s in by_rater.items() if s}))
