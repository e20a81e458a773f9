"""The worthiness section of a project document and the example project.

``WorthinessSection`` is what the project saves (``to_document`` / ``from_document``,
JSON-safe and strict); ``core.worthiness.evaluate`` computes what the /worthiness page
and the decision brief show from it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from core.hosted.choice import HostedUse
from core.text import quote_prefix
from core.worthiness.model import (
    CRITERION_KEYS,
    MAX_CANDIDATES,
    MAX_SHORT_TEXT_CHARS,
    Alternative,
    Candidate,
    RaterScores,
    Scores,
    Weights,
    check_candidate_id,
    check_text,
)
from core.worthiness.scoring import check_aggregation
from core.worthiness.sensitivity import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    DEFAULT_SPREAD,
    check_sensitivity_settings,
)

SECTION_SCHEMA_VERSION: Final = 1
MAX_REFERENCES_PER_CANDIDATE: Final = 50

_CANDIDATE_FIELDS: Final[tuple[str, ...]] = (
    "id",
    "name",
    "problem",
    "process_owner",
    "industry",
    "modality",
    "data_availability",
    "requirement",
    "horizon",
    "must_be_error_free",
    "acceptable_error_rate",
    "alternatives",
    "suitability_override",
)
_ALTERNATIVE_FIELDS: Final[tuple[str, ...]] = ("kind", "meets_need", "rough_cost_usd", "note")
_SECTION_FIELDS: Final[tuple[str, ...]] = (
    "schema_version",
    "candidates",
    "rater_scores",
    "weights",
    "aggregation",
    "sensitivity",
    "references",
)
_SENSITIVITY_FIELDS: Final[tuple[str, ...]] = ("spread", "draws", "seed")


@dataclass(frozen=True)
class WorthinessSection:
    """Everything the worthiness page saves for one project.

    ``references`` maps candidate id -> ids of reference projects attached to it (empty lists are
    dropped). Suitability overrides live on each candidate (``Candidate.suitability_override``);
    ``suitability_overrides`` collects them.
    """

    candidates: tuple[Candidate, ...]
    rater_scores: RaterScores = field(default_factory=RaterScores)
    weights: Weights = field(default_factory=Weights)
    aggregation: str = "mean"
    sensitivity_spread: float = DEFAULT_SPREAD
    sensitivity_draws: int = DEFAULT_DRAWS
    sensitivity_seed: int = DEFAULT_SEED
    references: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        candidates = tuple(self.candidates)
        if not candidates:
            raise ValueError("A project needs at least one candidate; add one before saving.")
        if len(candidates) > MAX_CANDIDATES:
            raise ValueError(
                f"A project holds at most {MAX_CANDIDATES} candidates; remove one before adding another "
                f"(got {len(candidates)})."
            )
        if not all(isinstance(candidate, Candidate) for candidate in candidates):
            raise ValueError("Each candidate must be a Candidate.")
        ids = [candidate.id for candidate in candidates]
        duplicated = sorted({candidate_id for candidate_id in ids if ids.count(candidate_id) > 1})
        if duplicated:
            raise ValueError(f"Candidate ids must be unique; {', '.join(duplicated)} appears more than once.")
        object.__setattr__(self, "candidates", candidates)
        if not isinstance(self.rater_scores, RaterScores):
            raise ValueError("The rater scores must be RaterScores.")
        unknown = [candidate_id for candidate_id in self.rater_scores.candidate_ids() if candidate_id not in ids]
        if unknown:
            raise ValueError(f"Scores name candidates that are not in the project: {', '.join(unknown)}.")
        if not isinstance(self.weights, Weights):
            raise ValueError("The weights must be Weights.")
        check_aggregation(self.aggregation)
        _, spread, _ = check_sensitivity_settings(
            self.sensitivity_draws, self.sensitivity_spread, self.sensitivity_seed
        )
        object.__setattr__(self, "sensitivity_spread", spread)
        object.__setattr__(self, "references", _check_references(self.references, ids))

    # -------------------------------------------------------------- reading

    @property
    def candidate_ids(self) -> tuple[str, ...]:
        return tuple(candidate.id for candidate in self.candidates)

    @property
    def suitability_overrides(self) -> dict[str, int]:
        return {
            candidate.id: candidate.suitability_override
            for candidate in self.candidates
            if candidate.suitability_override is not None
        }

    def candidate(self, candidate_id: str) -> Candidate:
        for candidate in self.candidates:
            if candidate.id == candidate_id:
                return candidate
        raise ValueError(f"There is no candidate {quote_prefix(candidate_id)} in this project.")

    # -------------------------------------------------------------- changing (each returns a new section)

    def with_candidate(self, candidate: Candidate) -> WorthinessSection:
        """Replace the candidate with the same id, or add it at the end."""
        if candidate.id in self.candidate_ids:
            updated = tuple(candidate if item.id == candidate.id else item for item in self.candidates)
        else:
            updated = (*self.candidates, candidate)
        return dataclasses.replace(self, candidates=updated)

    def without_candidate(self, candidate_id: str) -> WorthinessSection:
        """Remove a candidate together with its scores and attached references."""
        self.candidate(candidate_id)
        return dataclasses.replace(
            self,
            candidates=tuple(item for item in self.candidates if item.id != candidate_id),
            rater_scores=self.rater_scores.without_candidate(candidate_id),
            references={key: value for key, value in self.references.items() if key != candidate_id},
        )

    def with_scores(self, rater: str, candidate_id: str, scores: Scores) -> WorthinessSection:
        self.candidate(candidate_id)
        return dataclasses.replace(self, rater_scores=self.rater_scores.with_scores(rater, candidate_id, scores))

    # -------------------------------------------------------------- document

    def to_document(self) -> dict[str, Any]:
        """The JSON-safe document (plain dicts, lists, str, int, float, bool, None)."""
        return {
            "schema_version": SECTION_SCHEMA_VERSION,
            "candidates": [_candidate_document(candidate) for candidate in self.candidates],
            "rater_scores": {
                rater: {candidate_id: scores.as_dict() for candidate_id, scores in per_candidate.items()}
                for rater, per_candidate in self.rater_scores.by_rater.items()
            },
            "weights": self.weights.as_dict(),
            "aggregation": self.aggregation,
            "sensitivity": {
                "spread": self.sensitivity_spread,
                "draws": self.sensitivity_draws,
                "seed": self.sensitivity_seed,
            },
            "references": {candidate_id: list(ids) for candidate_id, ids in self.references.items()},
        }

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> WorthinessSection:
        """Rebuild a section from ``to_document`` output; raise ValueError on anything malformed."""
        document = _object(document, "The worthiness section", _SECTION_FIELDS)
        version = document["schema_version"]
        if version != SECTION_SCHEMA_VERSION or isinstance(version, bool):
            raise ValueError(
                f"The worthiness section has schema version {quote_prefix(version)}; this Greenlight reads version "
                f"{SECTION_SCHEMA_VERSION}."
            )
        raw_candidates = _list(document["candidates"], "The worthiness section's 'candidates'")
        candidates = tuple(
            _candidate_from_document(item, position) for position, item in enumerate(raw_candidates, start=1)
        )
        raw_scores = _dict(document["rater_scores"], "The worthiness section's 'rater_scores'")
        by_rater: dict[str, dict[str, Scores]] = {}
        for rater, per_candidate in raw_scores.items():
            per_candidate = _dict(per_candidate, f"{quote_prefix(rater)}'s scores")
            by_rater[rater] = {
                candidate_id: Scores.from_mapping(
                    _dict(values, f"{quote_prefix(rater)}'s scores for {quote_prefix(candidate_id)}")
                )
                for candidate_id, values in per_candidate.items()
            }
        sensitivity_document = _object(
            document["sensitivity"], "The worthiness section's 'sensitivity'", _SENSITIVITY_FIELDS
        )
        raw_references = _dict(document["references"], "The worthiness section's 'references'")
        references = {
            candidate_id: tuple(_list(ids, f"The references of {quote_prefix(candidate_id)}"))
            for candidate_id, ids in raw_references.items()
        }
        return cls(
            candidates=candidates,
            rater_scores=RaterScores(by_rater),
            weights=Weights.from_mapping(_dict(document["weights"], "The worthiness section's 'weights'")),
            aggregation=document["aggregation"],
            sensitivity_spread=sensitivity_document["spread"],
            sensitivity_draws=sensitivity_document["draws"],
            sensitivity_seed=sensitivity_document["seed"],
            references=references,
        )


def _check_references(references: object, candidate_ids: list[str]) -> dict[str, tuple[str, ...]]:
    if not isinstance(references, Mapping):
        raise ValueError("Attached references must map candidate ids to lists of reference ids.")
    checked: dict[str, tuple[str, ...]] = {}
    for candidate_id, reference_ids in references.items():
        check_candidate_id(candidate_id)
        if candidate_id not in candidate_ids:
            raise ValueError(f"References are attached to {quote_prefix(candidate_id)}, which is not in the project.")
        if isinstance(reference_ids, str) or not isinstance(reference_ids, list | tuple):
            raise ValueError(f"The references of {quote_prefix(candidate_id)} must be a list of reference ids.")
        ids = tuple(reference_ids)
        if len(ids) > MAX_REFERENCES_PER_CANDIDATE:
            raise ValueError(
                f"At most {MAX_REFERENCES_PER_CANDIDATE} references can be attached to one candidate; "
                f"{quote_prefix(candidate_id)} has {len(ids)}."
            )
        for reference_id in ids:
            check_text(reference_id, "A reference id", max_chars=MAX_SHORT_TEXT_CHARS, required=True)
        if len(set(ids)) != len(ids):
            raise ValueError(f"A reference is attached twice to {quote_prefix(candidate_id)}; attach each once.")
        if ids:
            checked[candidate_id] = ids
    return checked


def _candidate_document(candidate: Candidate) -> dict[str, Any]:
    return {
        "id": candidate.id,
        "name": candidate.name,
        "problem": candidate.problem,
        "process_owner": candidate.process_owner,
        "industry": candidate.industry,
        "modality": candidate.modality,
        "data_availability": candidate.data_availability,
        "requirement": candidate.requirement,
        "horizon": candidate.horizon,
        "must_be_error_free": candidate.must_be_error_free,
        "acceptable_error_rate": candidate.acceptable_error_rate,
        "alternatives": [
            {
                "kind": alternative.kind,
                "meets_need": alternative.meets_need,
                "rough_cost_usd": alternative.rough_cost_usd,
                "note": alternative.note,
                # Written only when set, so documents without a hosted model read and write as before.
                **({"hosted": alternative.hosted.to_document()} if alternative.hosted is not None else {}),
            }
            for alternative in candidate.alternatives
        ],
        "suitability_override": candidate.suitability_override,
    }


def _candidate_from_document(item: object, position: int) -> Candidate:
    where = f"Candidate {position} in the worthiness section"
    values = _object(item, where, _CANDIDATE_FIELDS)
    alternatives = tuple(
        _alternative_from_document(alternative, f"Alternative {index} of {where.lower()}")
        for index, alternative in enumerate(_list(values["alternatives"], f"{where}'s 'alternatives'"), start=1)
    )
    return Candidate(**{**values, "alternatives": alternatives})


_HOSTED_FIELDS: Final[tuple[str, ...]] = (
    "hosted_model",
    "requests_per_month",
    "input_tokens_per_request",
    "output_tokens_per_request",
    "images_per_request",
    "audio_minutes_per_request",
)


def _alternative_from_document(item: object, what: str) -> Alternative:
    """An alternative; its optional ``hosted`` object (a hosted model and a volume) is checked field by field."""
    raw = dict(_dict(item, what))
    hosted_raw = raw.pop("hosted", None)
    values = _object(raw, what, _ALTERNATIVE_FIELDS)
    hosted = None
    if hosted_raw is not None:
        hosted = HostedUse(**_object(hosted_raw, f"The hosted model of {what.lower()}", _HOSTED_FIELDS))
    return Alternative(**values, hosted=hosted)


def _dict(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise ValueError(f"{what} must be a JSON object.")
    return value


def _list(value: object, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{what} must be a JSON list.")
    return value


def _object(value: object, what: str, fields: tuple[str, ...]) -> dict[str, Any]:
    """A JSON object with exactly ``fields``; a missing or unknown field is an error."""
    checked = _dict(value, what)
    missing = [name for name in fields if name not in checked]
    unknown = sorted(name for name in checked if name not in fields)
    if missing:
        raise ValueError(f"{what} lacks {', '.join(repr(name) for name in missing)}.")
    if unknown:
        shown = ", ".join(quote_prefix(name, 40) for name in unknown[:5])
        raise ValueError(f"{what} has unexpected fields: {shown}{', …' if len(unknown) > 5 else ''}.")
    return checked


# ---------------------------------------------------------------- example project


def example_worthiness() -> WorthinessSection:
    """The planning method's worked examples (docs/method.md, section 2), scored by two raters.

    - Film backgrounds: segmentation could replace the background, but film-makers need every pixel
      right and a green screen with chroma keying does it: try the simpler solution first.
    - Rain now, to water plants: a rain or humidity sensor does it: try the simpler solution first.
    - Rain in 15 minutes: many interacting weather factors: pursue with deep learning.
    The raters disagree by 2 points on the forecast's cost, to show a disagreement. Costs of the
    alternatives are rough illustrative figures, not quotes.
    """
    film = Candidate(
        id="film-backgrounds",
        name="Replace film backgrounds",
        problem="Replace the background behind actors in film scenes, fine hair included, with no visible edge.",
        process_owner="Head of post-production",
        industry="media & entertainment",
        modality="video",
        data_availability="exists unlabelled",
        requirement="detect now",
        must_be_error_free=True,
        alternatives=(
            Alternative(
                "rule-based / image processing", "fully", 5_000.0, "a properly lit green screen with chroma keying"
            ),
            Alternative("manual process", "partly", 40_000.0, "rotoscoping by hand, frame by frame"),
        ),
    )
    watering = Candidate(
        id="rain-now-watering",
        name="Skip watering when it rains",
        problem="Stop watering the plants while it rains, so that no water is wasted.",
        process_owner="Grounds maintenance manager",
        industry="agriculture",
        modality="time series",
        data_availability="must be collected",
        requirement="detect now",
        acceptable_error_rate=0.05,
        alternatives=(
            Alternative(
                "sensor or hardware", "fully", 300.0, "a rain or humidity sensor wired to the irrigation controller"
            ),
        ),
    )
    forecast = Candidate(
        id="rain-forecast-15min",
        name="Forecast rain 15 minutes ahead",
        problem="Know 15 minutes ahead whether it will rain on site, so that crews and irrigation can plan.",
        process_owner="Operations planning lead",
        industry="agriculture",
        modality="multimodal",
        data_availability="labelled",
        requirement="predict future",
        horizon="15 minutes",
        acceptable_error_rate=0.15,
        alternatives=(
            Alternative(
                "off-the-shelf product or API",
                "partly",
                2_400.0,
                "a public weather service forecast, too coarse for one site and 15 minutes",
            ),
            Alternative(
                "classic ML",
                "partly",
                20_000.0,
                "gradient boosting on local station readings; misses approaching rain cells",
            ),
            Alternative("sensor or hardware", "no", 300.0, "a rain sensor only says that it rains now"),
        ),
    )
    # Criterion order: impact, value, complexity, risk, cost, suitability.
    table = {
        "Architect": {
            film.id: (3, 3, 4, 4, 3, 1),
            watering.id: (2, 2, 2, 2, 1, 1),
            forecast.id: (4, 4, 4, 3, 4, 5),
        },
        "Product owner": {
            film.id: (4, 3, 4, 3, 3, 2),
            watering.id: (2, 3, 2, 2, 1, 2),
            forecast.id: (5, 4, 3, 3, 2, 5),
        },
    }
    rater_scores = RaterScores(
        {
            rater: {cid: Scores(**dict(zip(CRITERION_KEYS, values, strict=True))) for cid, values in rows.items()}
            for rater, rows in table.items()
        }
    )
    return WorthinessSection(candidates=(film, watering, forecast), rater_scores=rater_scores)
