"""Controlled vocabularies shared by the catalogues, the worthiness page and the search.

One list per concept, so that a reference project, an architecture and a
candidate use case can be compared by the same words.
"""

from __future__ import annotations

from typing import Final

INDUSTRIES: Final[tuple[str, ...]] = (
    "retail & e-commerce",
    "delivery & mobility",
    "travel & hospitality",
    "media & entertainment",
    "social & communication",
    "finance & insurance",
    "healthcare & life sciences",
    "manufacturing & industrial",
    "energy & utilities",
    "agriculture",
    "telecom",
    "public sector",
    "education",
    "technology & cloud",
    "gaming",
    "real estate",
    "automotive",
    "jobs & hr",
)

ML_TASKS: Final[tuple[str, ...]] = (
    "classification",
    "regression & forecasting",
    "ranking & recommendation",
    "retrieval & search",
    "detection & segmentation",
    "generation",
    "translation",
    "speech recognition",
    "anomaly & fraud detection",
    "information extraction",
    "representation learning",
    "optimization & control",
)

MODALITIES: Final[tuple[str, ...]] = (
    "image",
    "video",
    "audio",
    "text",
    "tabular",
    "time series",
    "graph",
    "multimodal",
)

USES_DEEP_LEARNING: Final[tuple[str, ...]] = ("yes", "no", "unclear")
