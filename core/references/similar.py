"""References similar to a worthiness candidate: its problem statement, industry and modality.

A second ranking over the same ``ReferenceIndex`` the search uses (its query terms, scores and
order), with boosts for the candidate's industry and modality; the /references page's "Similar to
my use case" tab and the worthiness evidence show it.
"""

from __future__ import annotations

import numpy as np

from core.references.catalogue import ScoredReference
from core.references.index import (
    SEMANTIC_MIN_Z,
    ReferenceIndex,
    chosen_values,
    combine_scores,
    standardised,
    validate_top,
)
from core.taxonomy import INDUSTRIES, MODALITIES

# How a candidate's closeness to a reference is composed (weights sum to 1, so scores lie in
# [0, 1]): what the problem is about matters most; the same industry is the guide's strongest
# hint ("companies in the same industry optimise the same processes"); the same data modality
# says the design will transfer.
SIMILARITY_TEXT_WEIGHT = 0.6
SIMILARITY_INDUSTRY_WEIGHT = 0.25
SIMILARITY_MODALITY_WEIGHT = 0.15
# The search's combined score keeps loosely related entries at 70-80 % of the best one (meaning is
# a matter of degree), so the text relevance is cubed before the boosts are added: the closest
# match then stays ahead of same-industry entries that are only loosely related (0.8 -> 0.51).
SIMILARITY_TEXT_POWER = 3


def similar_references(
    index: ReferenceIndex,
    *,
    industry: str | None,
    modality: str | None,
    problem_statement: str,
    top: int = 10,
) -> list[ScoredReference]:
    """References closest to a worthiness candidate, best first; scores lie in [0, 1].

    score = 0.6 x text relevance of the problem statement (scaled so the best match is 1; with the
                  semantic layer, the search's combined score, cubed: SIMILARITY_TEXT_POWER)
          + 0.25 if the industry is the candidate's + 0.15 if the modality is the candidate's.
    When the statement has search words, only references matching some of them are returned
    (a same-industry entry about something else is not "similar"); without any, the entries of
    the same industry or modality are listed, newest first among equals.
    """
    if not isinstance(problem_statement, str):
        raise ValueError(f"The problem statement must be text; got {type(problem_statement).__name__}.")
    top = validate_top(top)
    industry_key = chosen_values("industry", industry, INDUSTRIES) if industry is not None else None
    modality_key = chosen_values("modality", modality, MODALITIES) if modality is not None else None
    n_docs = len(index.references)
    same_industry = (
        index._industry_codes == INDUSTRIES.index(industry_key[0]) if industry_key else np.zeros(n_docs, bool)
    )
    same_modality = (
        index._modality_codes == MODALITIES.index(modality_key[0]) if modality_key else np.zeros(n_docs, bool)
    )
    boosts = SIMILARITY_INDUSTRY_WEIGHT * same_industry + SIMILARITY_MODALITY_WEIGHT * same_modality
    terms = index._query_terms(problem_statement)
    meaning = index.meaning_scores(problem_statement) if terms else None
    if terms:
        text, coverage = index._scores_and_coverage(terms)
        related = text > 0
        if meaning is not None:
            # With the semantic layer, "about the same problem" is the search's combined score.
            related = related | (standardised(meaning) >= SEMANTIC_MIN_Z)
            text = np.where(related, np.clip(combine_scores(text, meaning, coverage), 0.0, None), 0.0)
            related &= text > 0
        best = float(text.max())
        if best <= 0:
            return []
        power = SIMILARITY_TEXT_POWER if meaning is not None else 1
        scores = SIMILARITY_TEXT_WEIGHT * (text / best) ** power + boosts
        candidates = np.flatnonzero(related).astype(np.int32)
    else:
        scores = boosts.astype(np.float64)
        candidates = np.flatnonzero(scores > 0).astype(np.int32)
    ranked = index._ranked(candidates, scores)[:top]
    return [
        ScoredReference(
            index.references[i],
            float(scores[i]),
            index._matched(int(i), terms) if terms else (),
            None if meaning is None else float(meaning[i]),
        )
        for i in ranked
    ]
