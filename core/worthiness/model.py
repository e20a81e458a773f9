"""What a candidate use case is, and how people score it.

The six criteria, their direction and the anchored 1-5 levels follow the
planning method (docs/method.md, section 2): look for high
impact, value and suitability with low complexity, risk and cost. The anchor
sentences are ours; they exist so that two people give the same score to the
same situation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from core.hosted.choice import HostedUse
from core.taxonomy import INDUSTRIES, MODALITIES
from core.text import INVISIBLE_ONLY, has_visible_text, quote_prefix

ALTERNATIVE_KINDS: Final[tuple[str, ...]] = (
    "rule-based / image processing",
    "sensor or hardware",
    "classic ML",
    "off-the-shelf product or API",
    "manual process",
)
API_ALTERNATIVE: Final = "off-the-shelf product or API"
MEETS_NEED: Final[tuple[str, ...]] = ("fully", "partly", "no")
DATA_AVAILABILITY: Final[tuple[str, ...]] = ("none", "must be collected", "exists unlabelled", "labelled")
REQUIREMENTS: Final[tuple[str, ...]] = ("detect now", "predict future")

MAX_CANDIDATES: Final = 20
MAX_ALTERNATIVES: Final = 10
MAX_RATERS: Final = 50
MAX_NAME_CHARS: Final = 200
MAX_PROBLEM_CHARS: Final = 2_000
MAX_SHORT_TEXT_CHARS: Final = 200
MAX_NOTE_CHARS: Final = 1_000
MAX_HORIZON_CHARS: Final = 100
# Far above any real project budget; it only keeps sums finite.
MAX_COST_USD: Final = 1e12
# Weights are relative, so a cap costs nothing and keeps sums of weights finite.
MAX_WEIGHT: Final = 1e6
SCORE_MIN: Final = 1
SCORE_MAX: Final = 5

_CANDIDATE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")

Direction = Literal["benefit", "cost"]


@dataclass(frozen=True)
class Criterion:
    """One scoring criterion: ``levels[0]`` describes score 1, ``levels[4]`` score 5."""

    key: str
    label: str
    direction: Direction
    help: str
    levels: tuple[str, str, str, str, str]

    def level(self, score: int) -> str:
        """The anchored description of a score from 1 to 5."""
        check_score(score, self.label)
        return self.levels[score - 1]


CRITERIA: Final[dict[str, Criterion]] = {
    "impact": Criterion(
        key="impact",
        label="Business impact",
        direction="benefit",
        help=(
            "How much of the business changes if this works: how many people, processes or customers it "
            "reaches and how central they are. High is good."
        ),
        levels=(
            "Affects the convenience of one team; nobody outside it would notice.",
            "Improves one step of one process for a few people.",
            "Improves a core process of one department, or a product feature many customers use.",
            "Changes how several departments work or what a main product offers; leadership follows it.",
            "Reshapes a core product or the way the business earns money; a strategic priority.",
        ),
    ),
    "value": Criterion(
        key="value",
        label="Business value",
        direction="benefit",
        help=(
            "The measurable gain (money saved or earned, time freed) set against what the project would "
            "cost. High is good."
        ),
        levels=(
            "No measurable gain is expected.",
            "A small measurable gain (hours a week) that would take years to repay the project.",
            "A clear gain that repays the project within about three years.",
            "A large gain that repays the project within about a year.",
            "A very large gain that repays the project within months, or opens a new revenue stream.",
        ),
    ),
    "complexity": Criterion(
        key="complexity",
        label="Complexity",
        direction="cost",
        help="How hard it is to build and run: data pipeline, model, integration, constraints. High is bad.",
        levels=(
            "A well-known task: an off-the-shelf model, fine-tuned on data that already exists.",
            "A standard architecture with modest custom data work and a single model.",
            "A custom data pipeline and model tuning; several components to integrate.",
            "Several models or modalities, real-time or on-device limits, heavy integration.",
            "An open research problem; no reference project shows that it can be done.",
        ),
    ),
    "risk": Criterion(
        key="risk",
        label="Risk",
        direction="cost",
        help=(
            "What goes wrong if the model errs or the project stalls: harm, regulation, reputation, "
            "uncertain data or adoption. High is bad."
        ),
        levels=(
            "Errors are harmless and easily corrected; no legal or safety concern.",
            "Errors cost a little rework; the data is available and stable.",
            "Errors reach customers or cost money; some doubt about data quality or adoption.",
            "Errors have legal, safety or reputational consequences; data or adoption is uncertain.",
            "Errors could harm people or break the law; success rests on unproven assumptions.",
        ),
    ),
    "cost": Criterion(
        key="cost",
        label="Cost",
        direction="cost",
        help="People, data labelling and compute needed to deliver and run it. High is bad.",
        levels=(
            "Fits the existing hardware and team; a few person-weeks.",
            "A small cloud GPU budget and a few person-months.",
            "Dedicated GPUs or a labelling budget, and a small team for several months.",
            "A large labelling effort or a GPU cluster, and a team for about a year.",
            "A multi-year programme with large compute and data budgets.",
        ),
    ),
    "suitability": Criterion(
        key="suitability",
        label="Suitability for deep learning",
        direction="benefit",
        help=(
            "Whether deep learning is the right tool rather than a rule, a sensor or classic ML. "
            "Greenlight suggests a score from the data and the requirement; you may override it. High is good."
        ),
        levels=(
            "A rule, a sensor or an existing product solves it, or the result must never be wrong.",
            "Structured data or a simple relationship: rules or classic ML are likely enough.",
            "Deep learning could help, but a simpler method may do about as well.",
            "Unstructured data (images, audio, text) or complex patterns: deep learning usually wins.",
            "Unstructured data or many interacting signals, some error tolerated, data at hand: "
            "deep learning is the natural tool.",
        ),
    ),
}

CRITERION_KEYS: Final[tuple[str, ...]] = tuple(CRITERIA)
BENEFIT_CRITERIA: Final[tuple[str, ...]] = tuple(k for k, c in CRITERIA.items() if c.direction == "benefit")
COST_CRITERIA: Final[tuple[str, ...]] = tuple(k for k, c in CRITERIA.items() if c.direction == "cost")


# ---------------------------------------------------------------- validation helpers


def check_text(
    value: object,
    what: str,
    *,
    max_chars: int,
    required: bool = False,
    multiline: bool = False,
) -> str:
    """Return ``value`` verbatim if it is acceptable text, else raise ValueError saying how to fix it."""
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text; got {type(value).__name__}.")
    if required and not value.strip():
        raise ValueError(f"{what} cannot be empty or only spaces; fill it in.")
    if required and not has_visible_text(value):
        raise ValueError(f"{what} needs at least one visible character; {INVISIBLE_ONLY}.")
    # The limit applies to the visible text; surrounding spaces are kept verbatim but bounded too.
    if len(value.strip()) > max_chars:
        raise ValueError(
            f"{what} can be at most {max_chars:,} characters; this one has {len(value.strip()):,}. Shorten it."
        )
    if len(value) > 2 * max_chars:
        raise ValueError(f"{what} has {len(value):,} characters with its spaces; remove the extra spaces.")
    allowed = "\n\t" if multiline else ""
    if any(ord(ch) < 32 and ch not in allowed for ch in value):
        kind = "control characters" if multiline else "line breaks or control characters"
        raise ValueError(f"{what} cannot contain {kind}.")
    return value


def check_choice(value: object, what: str, choices: Iterable[str]) -> str:
    options = tuple(choices)
    if not isinstance(value, str) or value not in options:
        shown = ", ".join(repr(option) for option in options)
        raise ValueError(f"{what} must be one of {shown}; got {quote_prefix(value)}.")
    return value


def check_candidate_id(value: object) -> str:
    if not isinstance(value, str) or not _CANDIDATE_ID.fullmatch(value):
        raise ValueError(
            f"A candidate id must be 1 to 40 lower-case letters, digits or hyphens, starting with a letter "
            f"or digit; got {quote_prefix(value)}."
        )
    return value


def check_score(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
        raise ValueError(f"{what} must be a whole number from {SCORE_MIN} to {SCORE_MAX}; got {quote_prefix(value)}.")
    return value


def check_finite(value: object, what: str, *, low: float, high: float) -> float:
    """A real number in [low, high]; rejects bool, NaN and infinities."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a number; got {type(value).__name__}.")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{what} must be a finite number; got {number}.")
    if not low <= number <= high:
        raise ValueError(f"{what} must be between {low:g} and {high:g}; got {number:g}.")
    return number


def make_candidate_id(name: str, taken: Iterable[str] = ()) -> str:
    """A short stable id from a name ("Rain forecast (15 min)" -> "rain-forecast-15-min"), unique in ``taken``.

    The page calls this once when a candidate is created; the id then never changes,
    even when the name does, so scores and references stay attached.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:34].strip("-") or "candidate"
    used = set(taken)
    if slug not in used:
        return slug
    counter = 2
    while f"{slug}-{counter}" in used:
        counter += 1
    return f"{slug}-{counter}"


# ---------------------------------------------------------------- candidates


@dataclass(frozen=True)
class Alternative:
    """A simpler way to meet the need that was considered before deep learning.

    ``rough_cost_usd`` is the whole cost to set it up in US dollars (None when unknown). ``hosted`` points an
    "off-the-shelf product or API" alternative at a model of the hosted-model catalogue with its monthly
    volume; its monthly cost then comes from the catalogue (``core.hosted.compare.hosted_use_sentence``).
    """

    kind: str
    meets_need: str
    rough_cost_usd: float | None = None
    note: str = ""
    hosted: HostedUse | None = None

    def __post_init__(self) -> None:
        check_choice(self.kind, "The kind of alternative", ALTERNATIVE_KINDS)
        check_choice(self.meets_need, "How well the alternative meets the need", MEETS_NEED)
        if self.rough_cost_usd is not None:
            cost = check_finite(
                self.rough_cost_usd, "The rough cost of an alternative (US$)", low=0.0, high=MAX_COST_USD
            )
            object.__setattr__(self, "rough_cost_usd", cost)
        check_text(self.note, "The note on an alternative", max_chars=MAX_NOTE_CHARS, multiline=True)
        if self.hosted is not None:
            if not isinstance(self.hosted, HostedUse):
                raise ValueError("The hosted model of an alternative must name a catalogue model and a volume.")
            if self.kind != API_ALTERNATIVE:
                raise ValueError(
                    f"Only an {API_ALTERNATIVE!r} alternative can point at a hosted model; this one is {self.kind!r}."
                )


@dataclass(frozen=True)
class Candidate:
    """One use case that might be worth deep learning.

    ``acceptable_error_rate`` is a fraction of wrong results (0.05 = 5 %), None when not stated.
    ``suitability_override`` replaces the raters' suitability score when the team agrees on one.
    """

    id: str
    name: str
    problem: str = ""
    process_owner: str = ""
    industry: str = ""
    modality: str = "image"
    data_availability: str = "labelled"
    requirement: str = "detect now"
    horizon: str = ""
    must_be_error_free: bool = False
    acceptable_error_rate: float | None = None
    alternatives: tuple[Alternative, ...] = ()
    suitability_override: int | None = None

    def __post_init__(self) -> None:
        check_candidate_id(self.id)
        check_text(self.name, "The candidate's name", max_chars=MAX_NAME_CHARS, required=True)
        check_text(self.problem, "The business problem", max_chars=MAX_PROBLEM_CHARS, multiline=True)
        check_text(self.process_owner, "The process owner", max_chars=MAX_SHORT_TEXT_CHARS)
        if self.industry != "":
            check_choice(self.industry, "The industry", INDUSTRIES)
        check_choice(self.modality, "The data modality", MODALITIES)
        check_choice(self.data_availability, "The data availability", DATA_AVAILABILITY)
        check_choice(self.requirement, "The requirement type", REQUIREMENTS)
        check_text(self.horizon, "The forecast horizon", max_chars=MAX_HORIZON_CHARS)
        if self.requirement == "predict future" and not self.horizon.strip():
            raise ValueError(
                f"Say how far ahead {quote_prefix(self.name.strip())} must predict (for example '15 minutes')."
            )
        if not isinstance(self.must_be_error_free, bool):
            raise ValueError("Whether the result must be error-free must be yes or no (True/False).")
        if self.acceptable_error_rate is not None:
            # The page asks for a percentage and stores a fraction; messages quote it as typed (5 %, not 0.05).
            rate = check_finite(self.acceptable_error_rate, "The acceptable error rate", low=-math.inf, high=math.inf)
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"The acceptable error rate must be between 0 % and 100 %; got {rate * 100:g} %.")
            if self.must_be_error_free and rate > 0:
                raise ValueError(
                    f"{quote_prefix(self.name.strip())} must be error-free, so its acceptable error rate must be 0 % "
                    f"or left empty; got {rate * 100:g} %."
                )
            object.__setattr__(self, "acceptable_error_rate", rate)
        alternatives = tuple(self.alternatives)
        if len(alternatives) > MAX_ALTERNATIVES:
            raise ValueError(
                f"A candidate can list at most {MAX_ALTERNATIVES} alternatives; {quote_prefix(self.name.strip())} has "
                f"{len(alternatives)}. Keep the strongest ones."
            )
        if not all(isinstance(alternative, Alternative) for alternative in alternatives):
            raise ValueError("Each alternative must be an Alternative.")
        object.__setattr__(self, "alternatives", alternatives)
        if self.suitability_override is not None:
            check_score(self.suitability_override, "The suitability override")


# ---------------------------------------------------------------- scores


@dataclass(frozen=True)
class Scores:
    """One rater's scores for one candidate, each a whole number from 1 to 5 (see ``CRITERIA``)."""

    impact: int
    value: int
    complexity: int
    risk: int
    cost: int
    suitability: int

    def __post_init__(self) -> None:
        for key in CRITERION_KEYS:
            check_score(getattr(self, key), CRITERIA[key].label)

    def as_dict(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in CRITERION_KEYS}

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> Scores:
        """Build from ``{"impact": 4, ...}``; all six criteria and nothing else."""
        if not isinstance(values, Mapping):
            raise ValueError("Scores must map each criterion to a whole number from 1 to 5.")
        missing = [key for key in CRITERION_KEYS if key not in values]
        unknown = sorted(str(key) for key in values if key not in CRITERIA)
        if missing:
            raise ValueError(f"Scores are missing {', '.join(missing)}; score all six criteria.")
        if unknown:
            raise ValueError(f"Scores name unknown criteria: {', '.join(unknown)}.")
        return cls(**{key: values[key] for key in CRITERION_KEYS})  # type: ignore[arg-type]


def check_rater_name(value: object) -> str:
    return check_text(value, "The rater's name", max_chars=MAX_SHORT_TEXT_CHARS, required=True)


@dataclass(frozen=True)
class RaterScores:
    """Everyone's scores: rater name -> candidate id -> Scores.

    A rater may leave candidates unscored; a candidate counts as scored when at least one rater scored it.
    """

    by_rater: Mapping[str, Mapping[str, Scores]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.by_rater, Mapping):
            raise ValueError("Rater scores must map each rater's name to their scores per candidate.")
        if len(self.by_rater) > MAX_RATERS:
            raise ValueError(f"At most {MAX_RATERS} raters can score a project; got {len(self.by_rater)}.")
        copied: dict[str, dict[str, Scores]] = {}
        stripped_names: set[str] = set()
        for rater, per_candidate in self.by_rater.items():
            check_rater_name(rater)
            if rater.strip() in stripped_names:
                raise ValueError(
                    f"Two raters are both called {quote_prefix(rater.strip())}; give each a distinct name."
                )
            stripped_names.add(rater.strip())
            if not isinstance(per_candidate, Mapping):
                raise ValueError(f"{quote_prefix(rater.strip())}'s scores must map candidate ids to scores.")
            inner: dict[str, Scores] = {}
            for candidate_id, scores in per_candidate.items():
                check_candidate_id(candidate_id)
                if not isinstance(scores, Scores):
                    raise ValueError(
                        f"{quote_prefix(rater.strip())}'s scores for {quote_prefix(candidate_id)} must be Scores."
                    )
                inner[candidate_id] = scores
            copied[rater] = inner
        object.__setattr__(self, "by_rater", copied)

    @property
    def raters(self) -> tuple[str, ...]:
        return tuple(self.by_rater)

    def candidate_ids(self) -> tuple[str, ...]:
        """Scored candidates in order of first appearance."""
        seen: dict[str, None] = {}
        for per_candidate in self.by_rater.values():
            seen.update(dict.fromkeys(per_candidate))
        return tuple(seen)

    def for_candidate(self, candidate_id: str) -> dict[str, Scores]:
        """Rater name -> that rater's scores for one candidate (raters who skipped it are left out)."""
        return {
            rater: per_candidate[candidate_id]
            for rater, per_candidate in self.by_rater.items()
            if candidate_id in per_candidate
        }

    def with_scores(self, rater: str, candidate_id: str, scores: Scores) -> RaterScores:
        """A copy with one rater's scores for one candidate set (added or replaced)."""
        updated = {name: dict(per_candidate) for name, per_candidate in self.by_rater.items()}
        updated.setdefault(rater, {})[candidate_id] = scores
        return RaterScores(updated)

    def without_rater(self, rater: str) -> RaterScores:
        return RaterScores({name: dict(inner) for name, inner in self.by_rater.items() if name != rater})

    def without_candidate(self, candidate_id: str) -> RaterScores:
        return RaterScores(
            {
                name: {cid: scores for cid, scores in inner.items() if cid != candidate_id}
                for name, inner in self.by_rater.items()
            }
        )


@dataclass(frozen=True)
class Weights:
    """How much each criterion counts; any non-negative finite numbers, only their ratios matter."""

    impact: float = 1.0
    value: float = 1.0
    complexity: float = 1.0
    risk: float = 1.0
    cost: float = 1.0
    suitability: float = 1.0

    def __post_init__(self) -> None:
        for key in CRITERION_KEYS:
            number = check_finite(
                getattr(self, key), f"The weight of {CRITERIA[key].label.lower()}", low=0.0, high=MAX_WEIGHT
            )
            object.__setattr__(self, key, number)
        if sum(getattr(self, key) for key in CRITERION_KEYS) <= 0:
            raise ValueError("Give at least one criterion a weight above zero.")

    def as_dict(self) -> dict[str, float]:
        return {key: getattr(self, key) for key in CRITERION_KEYS}

    def normalised(self) -> Weights:
        """The same weights scaled to sum to 1."""
        total = sum(self.as_dict().values())
        return Weights(**{key: value / total for key, value in self.as_dict().items()})

    def vector(self) -> npt.NDArray[np.float64]:
        """Normalised weights as an array in ``CRITERION_KEYS`` order."""
        raw = np.array([getattr(self, key) for key in CRITERION_KEYS], dtype=np.float64)
        normalised: npt.NDArray[np.float64] = raw / raw.sum()
        return normalised

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> Weights:
        if not isinstance(values, Mapping):
            raise ValueError("Weights must map each criterion to a number.")
        unknown = sorted(str(key) for key in values if key not in CRITERIA)
        missing = [key for key in CRITERION_KEYS if key not in values]
        if unknown:
            raise ValueError(f"Weights name unknown criteria: {', '.join(unknown)}.")
        if missing:
            raise ValueError(f"Weights are missing {', '.join(missing)}; give all six criteria a weight.")
        return cls(**{key: values[key] for key in CRITERION_KEYS})  # type: ignore[arg-type]
