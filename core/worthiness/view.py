"""Pure helpers for the /worthiness page: form values <-> candidates, saved sections, table and chart rows.

Nothing here computes a decision (``evaluate`` does); these functions only
translate between what the page's widgets hold, what the project saves and
what the tables and charts draw, so that the page stays thin and testable.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from core.hosted.choice import HostedUse
from core.ratings import RATINGS_PREFIX, RaterSection, ratings_section_name
from core.text import quote_prefix
from core.worthiness.assess import VERDICT_NOT_NOW, VERDICT_PURSUE, VERDICT_SIMPLER
from core.worthiness.evaluate import Evaluation
from core.worthiness.model import (
    ALTERNATIVE_KINDS,
    API_ALTERNATIVE,
    CRITERIA,
    CRITERION_KEYS,
    Alternative,
    Candidate,
    Scores,
    Weights,
    check_rater_name,
    make_candidate_id,
)
from core.worthiness.section import WorthinessSection

NOT_CONSIDERED: Final = "not considered"
"""The form's "meets the need" choice for an alternative nobody looked at (no Alternative is saved)."""

# Verdict -> (badge colour, Material icon) for badges; colours are Streamlit badge colours. Material icons ship
# with Streamlit, so they render where no emoji font is installed (emoji showed as empty boxes there).
VERDICT_STYLE: Final[dict[str, tuple[str, str]]] = {
    VERDICT_PURSUE: ("green", ":material/check_circle:"),
    VERDICT_SIMPLER: ("orange", ":material/alt_route:"),
    VERDICT_NOT_NOW: ("gray", ":material/schedule:"),
}
UNDECIDED: Final = "not scored yet"
# Chart colours per verdict (colour-blind safe: blue / orange / grey), in VERDICT_STYLE order plus undecided.
VERDICT_CHART_COLOURS: Final[dict[str, str]] = {
    VERDICT_PURSUE: "#1f77b4",
    VERDICT_SIMPLER: "#ff7f0e",
    VERDICT_NOT_NOW: "#7f7f7f",
    UNDECIDED: "#c7c7c7",
}


# ---------------------------------------------------------------- candidate form


@dataclass(frozen=True)
class AlternativeRow:
    """One row of the candidate form's alternatives: ``meets_need`` is NOT_CONSIDERED when none is saved."""

    kind: str
    meets_need: str = NOT_CONSIDERED
    rough_cost_usd: float | None = None
    note: str = ""
    # An API alternative may point at a hosted model ("" for none) with its volume and what a request carries.
    hosted_model: str = ""
    requests_per_month: float | None = None
    input_tokens_per_request: float | None = None
    output_tokens_per_request: float | None = None
    units_per_request: float | None = None  # images or audio minutes, for models billed that way


def alternative_rows(candidate: Candidate | None) -> list[AlternativeRow]:
    """One form row per kind of alternative (in ``ALTERNATIVE_KINDS`` order), then any further
    alternatives of a kind already shown, so that editing never drops a saved alternative."""
    saved = list(candidate.alternatives) if candidate else []
    rows: list[AlternativeRow] = []
    for kind in ALTERNATIVE_KINDS:
        first = next((item for item in saved if item.kind == kind), None)
        if first is None:
            rows.append(AlternativeRow(kind))
        else:
            saved.remove(first)
            rows.append(_row(first))
    rows.extend(_row(item) for item in saved)
    return rows


def _row(alternative: Alternative) -> AlternativeRow:
    hosted = alternative.hosted
    if hosted is None:
        return AlternativeRow(alternative.kind, alternative.meets_need, alternative.rough_cost_usd, alternative.note)
    return AlternativeRow(
        alternative.kind,
        alternative.meets_need,
        alternative.rough_cost_usd,
        alternative.note,
        hosted_model=hosted.hosted_model,
        requests_per_month=hosted.requests_per_month,
        input_tokens_per_request=hosted.input_tokens_per_request,
        output_tokens_per_request=hosted.output_tokens_per_request,
        units_per_request=hosted.images_per_request or hosted.audio_minutes_per_request or None,
    )


def hosted_use_of(row: AlternativeRow, modality: str | None) -> HostedUse | None:
    """The row's hosted model and volume (None when it names no model); ``modality`` is the model's, which
    says whether the units per request are images or audio minutes. ValueError from the core when refused."""
    if not row.hosted_model:
        return None
    if row.kind != API_ALTERNATIVE:
        raise ValueError(f"Only an {API_ALTERNATIVE!r} alternative can point at a hosted model.")
    if row.requests_per_month is None:
        raise ValueError("Say how many requests a month the hosted model would serve, to price it.")
    units = row.units_per_request or 0.0
    return HostedUse(
        hosted_model=row.hosted_model,
        requests_per_month=row.requests_per_month,
        input_tokens_per_request=row.input_tokens_per_request or 0.0,
        output_tokens_per_request=row.output_tokens_per_request or 0.0,
        images_per_request=units if modality == "image generation" else 0.0,
        audio_minutes_per_request=units if modality == "speech-to-text" else 0.0,
    )


@dataclass(frozen=True)
class CandidateForm:
    """What the candidate form's widgets hold. ``acceptable_error_percent`` is in % (5.0 = 5 %), None
    when not stated; ``suitability_override`` is the team's agreed 1-5 suitability, None for none."""

    name: str = ""
    problem: str = ""
    process_owner: str = ""
    industry: str = ""
    modality: str = "image"
    data_availability: str = "labelled"
    requirement: str = "detect now"
    horizon: str = ""
    must_be_error_free: bool = False
    acceptable_error_percent: float | None = None
    suitability_override: int | None = None
    alternatives: tuple[AlternativeRow, ...] = tuple(AlternativeRow(kind) for kind in ALTERNATIVE_KINDS)


def form_from_candidate(candidate: Candidate | None) -> CandidateForm:
    """The form's values for a saved candidate, or the blank form for a new one."""
    if candidate is None:
        return CandidateForm()
    rate = candidate.acceptable_error_rate
    return CandidateForm(
        name=candidate.name,
        problem=candidate.problem,
        process_owner=candidate.process_owner,
        industry=candidate.industry,
        modality=candidate.modality,
        data_availability=candidate.data_availability,
        requirement=candidate.requirement,
        horizon=candidate.horizon,
        must_be_error_free=candidate.must_be_error_free,
        acceptable_error_percent=None if rate is None else round(rate * 100, 6),
        suitability_override=candidate.suitability_override,
        alternatives=tuple(alternative_rows(candidate)),
    )


def candidate_from_form(
    form: CandidateForm, candidate_id: str, hosted_modalities: Mapping[str, str] | None = None
) -> Candidate:
    """Build (and so validate) a candidate from the form; raise ValueError with the core's message.

    Alternatives marked NOT_CONSIDERED are left out; their cost and note are ignored. ``hosted_modalities``
    (hosted model key -> modality) says how an API alternative's units per request are billed.
    """
    modalities = hosted_modalities or {}
    alternatives = tuple(
        Alternative(
            row.kind,
            row.meets_need,
            row.rough_cost_usd,
            row.note,
            hosted_use_of(row, modalities.get(row.hosted_model)),
        )
        for row in form.alternatives
        if row.meets_need != NOT_CONSIDERED
    )
    rate = form.acceptable_error_percent
    if rate is not None:
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 100:
            raise ValueError(f"The acceptable error rate must be a percentage from 0 to 100; got {quote_prefix(rate)}.")
        rate = rate / 100
    return Candidate(
        id=candidate_id,
        name=form.name,
        problem=form.problem,
        process_owner=form.process_owner,
        industry=form.industry,
        modality=form.modality,
        data_availability=form.data_availability,
        requirement=form.requirement,
        # A horizon only means something for a forecast; a leftover one from editing is dropped.
        horizon=form.horizon if form.requirement == "predict future" else "",
        must_be_error_free=form.must_be_error_free,
        acceptable_error_rate=rate,
        alternatives=alternatives,
        suitability_override=form.suitability_override,
    )


def reserved_candidate_ids(sections: Mapping[str, Mapping[str, Any]]) -> set[str]:
    """Ids a new candidate must not take: the project's candidates and any id a rater's section still
    scores (scores of a deleted candidate stay in that rater's section; reusing its id would revive them)."""
    taken: set[str] = set()
    worthiness = sections.get("worthiness")
    if isinstance(worthiness, Mapping):
        for item in worthiness.get("candidates") or []:
            if isinstance(item, Mapping) and isinstance(item.get("id"), str):
                taken.add(item["id"])
    for name, document in sections.items():
        if name.startswith(RATINGS_PREFIX) and isinstance(document, Mapping):
            scores = document.get("scores")
            if isinstance(scores, Mapping):
                taken.update(str(key) for key in scores)
    return taken


def new_candidate_id(name: str, sections: Mapping[str, Mapping[str, Any]]) -> str:
    return make_candidate_id(name, reserved_candidate_ids(sections))


# ---------------------------------------------------------------- saved sections


def stored_section(sections: Mapping[str, Mapping[str, Any]]) -> WorthinessSection | None:
    """The "worthiness" section as saved (candidates, weights and any scores saved inside it; the
    raters' own sections are not merged in). None when the project has none yet."""
    if "worthiness" not in sections:
        return None
    return WorthinessSection.from_document(sections["worthiness"])


def section_with_candidate(stored: WorthinessSection | None, candidate: Candidate) -> WorthinessSection:
    """The saved section with a candidate added or replaced (a first candidate starts the section)."""
    if stored is None:
        return WorthinessSection(candidates=(candidate,))
    return stored.with_candidate(candidate)


def section_without_candidate(stored: WorthinessSection | None, candidate_id: str) -> WorthinessSection:
    """The saved section without a candidate; the core refuses to remove the last one."""
    if stored is None:
        raise ValueError("This project has no candidates yet.")
    return stored.without_candidate(candidate_id)


def section_with_settings(
    stored: WorthinessSection | None,
    *,
    weights: Weights | None = None,
    aggregation: str | None = None,
    spread_percent: float | None = None,
    draws: int | None = None,
    seed: int | None = None,
) -> WorthinessSection:
    """The saved section with new weights, aggregation or sensitivity settings (validated by the core).

    ``spread_percent`` is the ± range of the weight perturbation in % (20 = ±20 %).
    """
    if stored is None:
        raise ValueError("Add a candidate first; weights and settings are saved with the candidates.")
    changes: dict[str, Any] = {}
    if weights is not None:
        changes["weights"] = weights
    if aggregation is not None:
        changes["aggregation"] = aggregation
    if spread_percent is not None:
        if isinstance(spread_percent, bool) or not isinstance(spread_percent, int | float):
            raise ValueError(f"The weight spread must be a number of percent; got {quote_prefix(spread_percent)}.")
        changes["sensitivity_spread"] = spread_percent / 100
    if draws is not None:
        changes["sensitivity_draws"] = draws
    if seed is not None:
        changes["sensitivity_seed"] = seed
    return dataclasses.replace(stored, **changes)


def weights_from_values(values: Mapping[str, float | None]) -> Weights:
    """Weights from the six inputs; an empty input counts as a missing number, not as zero."""
    missing = [CRITERIA[key].label.lower() for key in CRITERION_KEYS if values.get(key) is None]
    if missing:
        raise ValueError(f"Give a weight for {', '.join(missing)} (0 leaves a criterion out).")
    return Weights(**{key: values[key] for key in CRITERION_KEYS})  # type: ignore[arg-type]


def weight_shares(values: Mapping[str, float | None]) -> dict[str, float | None]:
    """Each criterion's share of the total weight (0..1); all None when the total is not above zero."""
    numbers = {key: values.get(key) for key in CRITERION_KEYS}
    total = sum(value for value in numbers.values() if isinstance(value, int | float) and value > 0)
    if total <= 0:
        return dict.fromkeys(CRITERION_KEYS)
    return {
        key: (value / total if isinstance(value, int | float) and value > 0 else 0.0) for key, value in numbers.items()
    }


def scores_from_values(values: Mapping[str, int | None]) -> Scores:
    """Scores from the six 1-5 inputs; an input left empty gets the core's message naming it."""
    unscored = [CRITERIA[key].label.lower() for key in CRITERION_KEYS if values.get(key) is None]
    if unscored:
        raise ValueError(f"Score every criterion from 1 to 5; still without a score: {', '.join(unscored)}.")
    return Scores.from_mapping(dict(values))


class NameTakenElsewhere(ValueError):
    """Scores under this name were saved from another browser; the person must confirm it is them."""


def rater_document(
    sections: Mapping[str, Mapping[str, Any]],
    rater: str,
    candidate_id: str,
    scores: Scores,
    *,
    browser: str | None = None,
    confirmed: bool = False,
) -> tuple[str, dict[str, Any]]:
    """(section name, document) for one rater after scoring one candidate; their other scores are kept.

    The rater's name is validated and saved without surrounding spaces. With ``browser`` (this browser's
    id), a name whose scores came from other browsers only is refused with ``NameTakenElsewhere`` unless
    ``confirmed``; the browser then joins the name's browsers.
    """
    name = check_rater_name(rater).strip()
    section_name = ratings_section_name(name)
    existing = RaterSection.from_document(sections[section_name]) if section_name in sections else None
    browsers = existing.browsers if existing else ()
    if browser is not None and existing is not None and browser not in browsers and not confirmed:
        raise NameTakenElsewhere(
            f"{name} has already saved scores from another browser. If you are {name}, confirm below; "
            "otherwise type your own name."
        )
    previous = dict(existing.scores) if existing else {}
    previous[candidate_id] = scores
    if browser is not None and browser not in browsers:
        browsers = (*browsers[-49:], browser)
    return section_name, RaterSection(name, previous, browsers).to_document()


def rater_scores_for(section: WorthinessSection | None, rater: str, candidate_id: str) -> dict[str, int] | None:
    """This rater's saved scores for a candidate (criterion -> 1..5), None when they have not scored it."""
    if section is None:
        return None
    wanted = rater.strip()
    for name, per_candidate in section.rater_scores.by_rater.items():
        if name.strip() == wanted and candidate_id in per_candidate:
            return per_candidate[candidate_id].as_dict()
    return None


# ---------------------------------------------------------------- what the page shows


def field_label(candidate: Candidate, source_field: str) -> str:
    """A reader's name for the input a gate flag or suggestion came from ("alternatives[0].meets_need" ->
    "Alternative 1 (rule-based / image processing): meets the need")."""
    match = re.fullmatch(r"alternatives\[(\d+)\](?:\.(\w+))?", source_field)
    if match:
        index = int(match.group(1))
        kind = candidate.alternatives[index].kind if index < len(candidate.alternatives) else "?"
        part = {"meets_need": ": meets the need", "rough_cost_usd": ": rough cost"}.get(match.group(2) or "", "")
        return f"Alternative {index + 1} ({kind}){part}"
    labels = {
        "modality": "Data modality",
        "data_availability": "Data availability",
        "requirement": "Requirement type",
        "horizon": "Forecast horizon",
        "must_be_error_free": "Must be error-free",
        "acceptable_error_rate": "Acceptable error rate",
    }
    return labels.get(source_field, source_field)


def verdict_label(evaluation: Evaluation, candidate_id: str) -> str:
    found = evaluation.verdicts.get(candidate_id)
    return found.label if found else UNDECIDED


def candidate_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    """The candidate list: name, verdict badge, weighted-sum rank (None unscored), quadrant, raters."""
    ranks = evaluation.weighted_sum.as_dict() if evaluation.weighted_sum else {}
    rows = []
    for candidate in evaluation.section.candidates:
        point = evaluation.quadrants.get(candidate.id)
        spread = evaluation.spread.get(candidate.id)
        rows.append(
            {
                "Candidate": candidate.name.strip(),
                "Verdict": verdict_label(evaluation, candidate.id),
                "Rank": ranks.get(candidate.id),
                "Quadrant": point.quadrant if point else "",
                "Raters": next(iter(spread.values())).raters if spread else 0,
                "Modality": candidate.modality,
                "Process owner": candidate.process_owner,
            }
        )
    return rows


def ranking_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Weighted sum and TOPSIS side by side, in weighted-sum order (empty when nothing is scored)."""
    if evaluation.weighted_sum is None or evaluation.topsis is None:
        return []
    topsis = {entry.candidate_id: entry for entry in evaluation.topsis.entries}
    rows = []
    for entry in evaluation.weighted_sum.entries:
        other = topsis[entry.candidate_id]
        point = evaluation.quadrants[entry.candidate_id]
        rows.append(
            {
                "Candidate": evaluation.names[entry.candidate_id],
                "Weighted-sum rank": entry.rank,
                "Weighted sum (1–5)": entry.score,
                "TOPSIS rank": other.rank,
                "TOPSIS closeness (0–1)": other.score,
                "Quadrant": point.quadrant,
                "Verdict": verdict_label(evaluation, entry.candidate_id),
            }
        )
    return rows


def quadrant_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Points of the value-versus-feasibility chart (both axes 1..5)."""
    return [
        {
            "Candidate": evaluation.names[candidate_id],
            "Value (1–5)": point.value_axis,
            "Feasibility (1–5)": point.feasibility_axis,
            "Quadrant": point.quadrant,
            "Verdict": verdict_label(evaluation, candidate_id),
        }
        for candidate_id, point in evaluation.quadrants.items()
    ]


def first_place_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Each scored candidate's probability (0..1) of ranking first under perturbed weights, highest first."""
    result = evaluation.sensitivity
    if result is None:
        return []
    rows = [
        {"Candidate": evaluation.names[candidate_id], "P(first)": result.p_first[candidate_id]}
        for candidate_id in result.candidate_ids
    ]
    return sorted(rows, key=lambda row: -row["P(first)"])


def rank_distribution_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Long rows (candidate, rank, share of draws 0..1, draws) for a stacked rank-distribution chart;
    ranks no draw produced are left out."""
    result = evaluation.sensitivity
    if result is None:
        return []
    rows = []
    for candidate_id in result.candidate_ids:
        for rank, count in enumerate(result.rank_counts[candidate_id], start=1):
            if count:
                rows.append(
                    {
                        "Candidate": evaluation.names[candidate_id],
                        "Rank": rank,
                        "Share of draws": count / result.draws,
                        "Draws": count,
                    }
                )
    return rows


def rater_column(rater: str) -> str:
    """The spread table's column for one rater's scores (prefixed, so no name can clash with a fixed column)."""
    return f"Rater: {rater.strip()}"


def spread_rows(evaluation: Evaluation, candidate_id: str, threshold: int = 2) -> list[dict[str, Any]]:
    """Per criterion: mean, min–max, gap in points, each rater's score, and whether to discuss it
    (the raters differ by ``threshold`` points or more)."""
    spread = evaluation.spread.get(candidate_id)
    if spread is None:
        return []
    per_rater = evaluation.section.rater_scores.for_candidate(candidate_id)
    rows = []
    for key in CRITERION_KEYS:
        item = spread[key]
        row: dict[str, Any] = {
            "Criterion": CRITERIA[key].label,
            "Mean (1–5)": item.mean,
            "Min–max": f"{item.min}–{item.max}",
            "Gap (points)": item.range,
            "Discuss": "yes" if item.range >= threshold else "",
        }
        for rater, scores in per_rater.items():
            row[rater_column(rater)] = getattr(scores, key)
        rows.append(row)
    return rows


# ---------------------------------------------------------------- evidence


@dataclass(frozen=True)
class AttachedReference:
    """A reference attached to a candidate, resolved from the catalogue; ``found`` is False when the id is
    no longer in the catalogue (then only ``reference_id`` is meaningful)."""

    reference_id: str
    company: str = ""
    title: str = ""
    year: int | None = None
    source_url: str = ""
    found: bool = True
    approach: str = ""
    outcome: str = ""


def _text(value: object) -> str:
    # A cell DuckDB reads as NaN (an empty number column in an old own row) is no text.
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def _safe_url(value: object) -> str:
    text = str(value or "").strip()
    return text if re.match(r"https?://[^\s/]+", text, re.IGNORECASE) else ""


def _year(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def resolve_references(
    attached: Mapping[str, Sequence[str]], catalogue_rows: Iterable[Mapping[str, Any]]
) -> dict[str, list[AttachedReference]]:
    """Candidate id -> its attached references with company, title, year, link (http(s) only),
    approach and published outcome."""
    wanted = {reference_id for ids in attached.values() for reference_id in ids}
    by_id = {str(row.get("id")): row for row in catalogue_rows if str(row.get("id")) in wanted}
    resolved: dict[str, list[AttachedReference]] = {}
    for candidate_id, ids in attached.items():
        items = []
        for reference_id in ids:
            row = by_id.get(reference_id)
            if row is None:
                items.append(AttachedReference(reference_id, found=False))
            else:
                items.append(
                    AttachedReference(
                        reference_id,
                        company=str(row.get("company") or ""),
                        title=str(row.get("title") or ""),
                        year=_year(row.get("year")),
                        source_url=_safe_url(row.get("source_url")),
                        approach=_text(row.get("approach")),
                        outcome=_text(row.get("outcome")),
                    )
                )
        resolved[candidate_id] = items
    return resolved
