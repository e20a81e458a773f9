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

from core.text import quote_prefix
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
    # Opaque random ids of the browsers that saved under this name: a save from any other browser asks
    # "is that you?" first, so a newcomer cannot replace someone's scores by typing the same name.
    browsers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_meeting_rater_name(self.rater)
        if not all(isinstance(b, str) and 0 < len(b) <= 64 for b in self.browsers) or len(self.browsers) > 50:
            raise ValueError("A rater's 'browsers' must be up to 50 short ids.")
        for candidate_id, scores in self.scores.items():
            check_candidate_id(candidate_id)
            if not isinstance(scores, Scores):
                raise ValueError(f"The scores for {quote_prefix(candidate_id)} must be six whole numbers from 1 to 5.")

    def to_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "rater": self.rater,
            "scores": {candidate_id: scores.as_dict() for candidate_id, scores in self.scores.items()},
        }
        if self.browsers:
            document["browsers"] = list(self.browsers)
        return document

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> RaterSection:
        if not isinstance(document, Mapping) or not {"rater", "scores"} <= set(document) <= {
            "rater",
            "scores",
            "browsers",
        }:
            raise ValueError("A rater's section must hold 'rater' and 'scores' (and optionally 'browsers').")
        raw = document["scores"]
        if not isinstance(raw, Mapping):
            raise ValueError("A rater's 'scores' must map candidate ids to scores.")
        browsers = document.get("browsers", [])
        if not isinstance(browsers, list):
            raise ValueError("A rater's 'browsers' must be a list of ids.")
        scores = {cid: Scores.from_mapping(values) for cid, values in raw.items()}
        return cls(document["rater"], scores, tuple(browsers))


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
