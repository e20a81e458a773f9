"""References similar to a worthiness candidate: its problem statement, industry and modality.

A second ranking over the same ``ReferenceIndex`` the search uses (its query terms, scores and
order), with boosts for the candidate's industry and modality; the /references page's "Similar to
my use case" tab and the worthiness evidence show it.
"""

from __future__ import annotations

import numpy as np

from core.references.catalogue import ScoredReference
from core.references.index import ReferenceIndex, chosen_values, validate_top
from core.taxonomy import INDUSTRIES, MODALITIES

# How a candidate's closeness to a reference is composed (weights sum to 1, so scores lie in
# [0, 1]): what the problem is about matters most; the same industry is the guide's strongest
# hint ("companies in the same industry optimise the same processes"); the same data modality
# says the design will transfer.
SIMILARITY_TEXT_WEIGHT = 0.6
SIMILARITY_INDUSTRY_WEIGHT = 0.25
SIMILARITY_MODALITY_WEIGHT = 0.15


def similar_references(
    index: ReferenceIndex,
    *,
    industry: str | None,
    modality: str | None,
    problem_statement: str,
    top: int = 10,
) -> list[ScoredReference]:
    """References closest to a worthiness candidate, best first; scores lie in [0, 1].

    score = 0.6 x text relevance of the problem statement (scaled so the best match is 1)
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
    if terms:
        text = index._scores(terms)
        best = float(text.max())
        if best <= 0:
            return []
        scores = SIMILARITY_TEXT_WEIGHT * text / best + boosts
        candidates = np.flatnonzero(text > 0).astype(np.int32)
    else:
        scores = boosts.astype(np.float64)
        candidates = np.flatnonzero(scores > 0).astype(np.int32)
    ranked = index._ranked(candidates, scores)[:top]
    return [
        ScoredReference(index.references[i], float(scores[i]), index._matched(int(i), terms) if terms else ())
        for i in ranked
    ]
