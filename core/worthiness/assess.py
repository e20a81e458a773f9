"""Judging one candidate: the suggested suitability, the gate, and the verdict.

All three are transparent rules, not models: every reason names the input
field it comes from, so a planning meeting can see why and change the input
rather than argue with the output. The rules follow the planning method
(docs/method.md, section 2): deep learning earns its cost on
unstructured data and on problems with many interacting factors; a simpler
solution that works comes first; a model always makes some errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from core.hosted.choice import HostedUse
from core.text import quote_prefix
from core.worthiness.model import CRITERIA, SCORE_MAX, SCORE_MIN, Candidate

UNSTRUCTURED_MODALITIES: Final[tuple[str, ...]] = ("image", "video", "audio", "text", "multimodal")
# Alternatives that measure or compute a present state directly; the guide's examples are a humidity
# sensor (rain now) and chroma keying (a rule-based image-processing step).
DIRECT_MEASUREMENT_KINDS: Final[tuple[str, ...]] = ("sensor or hardware", "rule-based / image processing")
SUGGESTION_BASE: Final = 3
# Below this error rate (1 %) most models need far more data and checking than the project expects.
STRICT_ERROR_RATE: Final = 0.01
# Verdict thresholds on the aggregated 1-5 scores: halfway between "low" (2) and "moderate" (3).
LOW_VALUE_BELOW: Final = 2.5
LOW_SUITABILITY_BELOW: Final = 2.5
# Risk 4 of 5 means legal, safety or reputational consequences (see the risk anchors in model.py): from there
# on a plan needs a mitigation, and when the risk also outweighs the expected gain the project should wait.
HIGH_RISK_FROM: Final = 4.0

VERDICT_PURSUE: Final = "pursue with deep learning"
VERDICT_SIMPLER: Final = "try the simpler solution first"
VERDICT_NOT_NOW: Final = "not worth solving now"
VERDICT_LABELS: Final[tuple[str, ...]] = (VERDICT_PURSUE, VERDICT_SIMPLER, VERDICT_NOT_NOW)

GATE_SIMPLER: Final = "simpler_solution_first"
GATE_ERROR_FREE: Final = "error_free_required"
GATE_CLASSIC_ML: Final = "classic_ml_first"


def _name(candidate: Candidate) -> str:
    return candidate.name.strip()


def _describe_alternative(candidate: Candidate, index: int, prices: Mapping[int, str] | None = None) -> str:
    """'the off-the-shelf product or API alternative', with its catalogue price when it points at a hosted model."""
    alternative = candidate.alternatives[index]
    note = alternative.note.strip()
    described = f"{note} ({alternative.kind})" if note else f"the {alternative.kind} alternative"
    price = (prices or {}).get(index)
    return f"{described}: {price}" if price else described


# ---------------------------------------------------------------- suitability suggestion


@dataclass(frozen=True)
class SuitabilityFactor:
    """One step of the suggestion: which input field moved the score, by how many points, and why."""

    source_field: str
    points: int
    reason: str


@dataclass(frozen=True)
class Suggestion:
    """A suggested suitability score (1-5) with the reasons that produced it, one per factor."""

    score: int
    reasons: list[str]
    factors: tuple[SuitabilityFactor, ...]


def _signed(points: int) -> str:
    return f"+{points}" if points > 0 else ("±0" if points == 0 else f"−{-points}")


def suggest_suitability(candidate: Candidate) -> Suggestion:
    """Suggest how well deep learning suits the candidate, from 1 (not at all) to 5 (the natural tool).

    Start at 3 and add up the factors below, then clamp to 1..5:
    - modality: unstructured data (image, video, audio, text, multimodal) +1; tabular -1; time series
      and graph ±0 (deep learning helps there, but classic methods are strong);
    - requirement: predicting the future +1 (many interacting factors); detecting the present state
      -1 when a sensor or rule-based alternative meets the need at least partly, else ±0;
    - error tolerance: must be error-free or an acceptable error rate of 0 -2; under 1 % -1;
    - data availability: no data at all -1 (deep learning learns only from data); otherwise ±0.
    """
    factors: list[SuitabilityFactor] = []
    modality = candidate.modality
    if modality in UNSTRUCTURED_MODALITIES:
        factors.append(
            SuitabilityFactor(
                "modality",
                1,
                f"The data is {modality}, which is unstructured: deep learning learns the "
                "features itself, where other methods need them hand-made.",
            )
        )
    elif modality == "tabular":
        factors.append(
            SuitabilityFactor(
                "modality",
                -1,
                "The data is tabular: gradient boosting and other classic ML usually match "
                "deep learning there at a fraction of the cost.",
            )
        )
    else:
        factors.append(
            SuitabilityFactor(
                "modality",
                0,
                f"The data is {modality}: deep learning can help, but classic methods are strong too.",
            )
        )

    if candidate.requirement == "predict future":
        factors.append(
            SuitabilityFactor(
                "requirement",
                1,
                f"It must predict {candidate.horizon.strip()} ahead: forecasting from many "
                "interacting factors favours deep learning.",
            )
        )
    else:
        measuring = [
            index
            for index, alternative in enumerate(candidate.alternatives)
            if alternative.kind in DIRECT_MEASUREMENT_KINDS and alternative.meets_need in ("fully", "partly")
        ]
        if measuring:
            index = measuring[0]
            factors.append(
                SuitabilityFactor(
                    f"alternatives[{index}]",
                    -1,
                    f"It detects a present state that "
                    f"{_describe_alternative(candidate, index)} already handles "
                    f"({candidate.alternatives[index].meets_need} meets the need).",
                )
            )
        else:
            factors.append(
                SuitabilityFactor(
                    "requirement",
                    0,
                    "It detects what happens now, and no sensor or rule listed measures it directly.",
                )
            )

    rate = candidate.acceptable_error_rate
    if candidate.must_be_error_free:
        factors.append(
            SuitabilityFactor(
                "must_be_error_free",
                -2,
                "It must be error-free, and deep learning always makes some errors.",
            )
        )
    elif rate is not None and rate == 0:
        factors.append(
            SuitabilityFactor(
                "acceptable_error_rate",
                -2,
                "Its acceptable error rate is 0, and deep learning always makes some errors.",
            )
        )
    elif rate is not None and rate < STRICT_ERROR_RATE:
        factors.append(
            SuitabilityFactor(
                "acceptable_error_rate",
                -1,
                f"It tolerates only {rate:.2%} wrong results, a hard bar for any model.",
            )
        )
    elif rate is not None:
        factors.append(
            SuitabilityFactor(
                "acceptable_error_rate",
                0,
                f"It tolerates {rate:.0%} wrong results, which a model can meet.",
            )
        )
    else:
        factors.append(
            SuitabilityFactor(
                "acceptable_error_rate",
                0,
                "No acceptable error rate is stated yet; state one to sharpen this suggestion.",
            )
        )

    availability = candidate.data_availability
    availability_reasons = {
        "none": (-1, "No data exists and none is planned; deep learning learns only from data."),
        "must be collected": (0, "The data must be collected first; plan the time and money for it."),
        "exists unlabelled": (0, "The data exists but is unlabelled; labelling comes before training."),
        "labelled": (0, "Labelled data exists, so training can start."),
    }
    points, reason = availability_reasons[availability]
    factors.append(SuitabilityFactor("data_availability", points, reason))

    raw = SUGGESTION_BASE + sum(factor.points for factor in factors)
    score = max(SCORE_MIN, min(SCORE_MAX, raw))
    reasons = [f"{factor.reason} ({_signed(factor.points)}, from {factor.source_field})" for factor in factors]
    return Suggestion(score=score, reasons=reasons, factors=tuple(factors))


# ---------------------------------------------------------------- gate


@dataclass(frozen=True)
class GateFlag:
    """Why a candidate should not go to deep learning straight away; ``source_field`` names the input."""

    code: str
    message: str
    source_field: str


@dataclass(frozen=True)
class GateResult:
    candidate_id: str
    flags: list[GateFlag]

    @property
    def passed(self) -> bool:
        """True when nothing stands in the way of ranking the candidate for deep learning."""
        return not self.flags

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(flag.code for flag in self.flags))


def gate(candidate: Candidate, prices: Mapping[int, str] | None = None) -> GateResult:
    """Check a candidate against the guide's "simplest solution first" rules, before any ranking.

    Flags, each with the input field that raised it:
    - ``simpler_solution_first``: an alternative fully meets the need (one flag per such alternative);
    - ``error_free_required``: the result must be error-free (or the acceptable error rate is 0),
      while deep learning always errs somewhat;
    - ``classic_ml_first``: the data is tabular only, where classic ML (gradient boosting) is the usual
      first choice; not raised when a classic-ML alternative is already recorded as not meeting the need.

    ``prices`` (alternative index -> a sentence with its monthly cost from the hosted-model catalogue, see
    ``priced_alternatives``) are quoted in the flags of the alternatives they price.
    """
    flags: list[GateFlag] = []
    for index, alternative in enumerate(candidate.alternatives):
        if alternative.meets_need == "fully":
            described = _describe_alternative(candidate, index, prices)
            flags.append(
                GateFlag(
                    GATE_SIMPLER,
                    f"{described[:1].upper()}{described[1:]} fully meets the need: try it before deep "
                    "learning; it is usually cheaper, quicker and more dependable.",
                    f"alternatives[{index}].meets_need",
                )
            )
    if candidate.must_be_error_free:
        flags.append(
            GateFlag(
                GATE_ERROR_FREE,
                "The result must be error-free, but deep learning always makes some errors: use a "
                "deterministic method or relax the requirement.",
                "must_be_error_free",
            )
        )
    elif candidate.acceptable_error_rate == 0:
        flags.append(
            GateFlag(
                GATE_ERROR_FREE,
                "The acceptable error rate is 0, but deep learning always makes some errors: use a "
                "deterministic method or accept a small error rate.",
                "acceptable_error_rate",
            )
        )
    classic_ml_ruled_out = any(
        alternative.kind == "classic ML" and alternative.meets_need == "no" for alternative in candidate.alternatives
    )
    if candidate.modality == "tabular" and not classic_ml_ruled_out:
        flags.append(
            GateFlag(
                GATE_CLASSIC_ML,
                "The data is tabular only: try classic ML such as gradient boosting first, and record it as "
                "an alternative once tried.",
                "modality",
            )
        )
    return GateResult(candidate_id=candidate.id, flags=flags)


# ---------------------------------------------------------------- verdict


@dataclass(frozen=True)
class Verdict:
    candidate_id: str
    label: str
    reasons: list[str]


def verdict(
    candidate: Candidate,
    gate_result: GateResult,
    aggregated_scores: Mapping[str, float] | None,
    rank: int | None = None,
    prices: Mapping[int, str] | None = None,
) -> Verdict:
    """Decide what to do with a candidate, with the reasons that decided it.

    ``aggregated_scores`` are the candidate's criterion -> score (1-5, aggregated over raters, with any
    suitability override applied); None when nobody has scored it. ``rank`` is its weighted-sum rank.
    Rules, first match wins:
    1. any gate flag -> "try the simpler solution first" (each flag is a reason);
    2. mean of impact and value below 2.5 -> "not worth solving now";
    3. suitability below 2.5 -> "try the simpler solution first";
    4. risk 4 or more and above the mean of impact and value -> "not worth solving now" (the downside
       outweighs the gain until the risk is reduced);
    5. otherwise -> "pursue with deep learning"; a risk of 4 or more is named among the reasons, with the
       mitigation it calls for.
    Raises ValueError when the candidate is unscored and no gate flag decides it.
    ``prices`` (as for ``gate``) add one reason per priced alternative that no gate flag quotes already, so
    the verdict says what the API would cost a month.
    """
    priced = _price_reasons(candidate, gate_result, prices)
    if gate_result.candidate_id != candidate.id:
        raise ValueError(
            f"The gate result is for {quote_prefix(gate_result.candidate_id)}, not for {quote_prefix(candidate.id)}; "
            "gate the same candidate."
        )
    if gate_result.flags:
        return Verdict(candidate.id, VERDICT_SIMPLER, [flag.message for flag in gate_result.flags] + priced)
    if aggregated_scores is None:
        raise ValueError(
            f"Score {quote_prefix(_name(candidate))} on the six criteria first; nothing in its description decides "
            "the verdict on its own."
        )
    missing = [key for key in CRITERIA if key not in aggregated_scores]
    if missing:
        raise ValueError(f"The scores for {quote_prefix(_name(candidate))} lack {', '.join(missing)}; score all six.")
    impact, value = aggregated_scores["impact"], aggregated_scores["value"]
    value_axis = (impact + value) / 2
    suitability = aggregated_scores["suitability"]
    if value_axis < LOW_VALUE_BELOW:
        return Verdict(
            candidate.id,
            VERDICT_NOT_NOW,
            [
                f"Business impact {impact:.1f} and business value {value:.1f} average {value_axis:.2f}, below "
                f"{LOW_VALUE_BELOW}: the gain does not justify a project now.",
                *priced,
            ],
        )
    if suitability < LOW_SUITABILITY_BELOW:
        return Verdict(
            candidate.id,
            VERDICT_SIMPLER,
            [
                f"Suitability for deep learning is {suitability:.1f}, below {LOW_SUITABILITY_BELOW}: a rule, a "
                "sensor or classic ML is likely the better tool.",
                *priced,
            ],
        )
    risk = aggregated_scores["risk"]
    if risk >= HIGH_RISK_FROM and risk > value_axis:
        return Verdict(
            candidate.id,
            VERDICT_NOT_NOW,
            [
                f"Risk is {risk:.1f} of 5, above the {value_axis:.2f} that business impact and value average: "
                "reduce it first (a human reviews each result, a limited pilot, clearer data or legal advice), "
                "then score it again.",
                *priced,
            ],
        )
    reasons = [
        "No simpler alternative fully meets the need, and some errors are acceptable.",
        f"Business impact {impact:.1f} and business value {value:.1f} average {value_axis:.2f} of 5.",
        f"Suitability for deep learning is {suitability:.1f} of 5.",
    ]
    if risk >= HIGH_RISK_FROM:
        reasons.append(
            f"Risk is high ({risk:.1f} of 5): plan how errors are caught (human review, a pilot) before rollout."
        )
    if rank is not None:
        reasons.append(f"It ranks {rank} by weighted sum.")
    return Verdict(candidate.id, VERDICT_PURSUE, reasons + priced)


def _price_reasons(candidate: Candidate, gate_result: GateResult, prices: Mapping[int, str] | None) -> list[str]:
    """A reason per priced alternative whose price no gate flag already quotes."""
    flagged = {flag.source_field for flag in gate_result.flags}
    reasons: list[str] = []
    for index, price in sorted((prices or {}).items()):
        if f"alternatives[{index}].meets_need" in flagged or index >= len(candidate.alternatives):
            continue
        alternative = candidate.alternatives[index]
        reasons.append(
            f"The {alternative.kind} alternative ({alternative.meets_need} meets the need): {price}; weigh it "
            "against the cost of building and running the model."
        )
    return reasons


def priced_alternatives(candidate: Candidate, price: Callable[[HostedUse], str]) -> dict[int, str]:
    """Alternative index -> ``price(hosted use)`` for the alternatives that point at a hosted model."""
    return {
        index: price(alternative.hosted)
        for index, alternative in enumerate(candidate.alternatives)
        if alternative.hosted is not None
    }
