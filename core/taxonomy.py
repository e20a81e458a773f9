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

# The nearest industries of each industry, nearest first, with the reason: where an industry has few
# reference projects for a task, the planning method's advice is to look at the same task in
# neighbouring industries. "Nearest" here means: runs the same kind of process on the same kind of
# data (a judgement written down once, so that every page pivots the same way).
NEAREST_INDUSTRIES: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "retail & e-commerce": (
        ("delivery & mobility", "the same orders, fulfilment and demand forecasts"),
        ("travel & hospitality", "marketplace search, ranking and pricing"),
        ("media & entertainment", "recommending items from a large catalogue"),
    ),
    "delivery & mobility": (
        ("retail & e-commerce", "the same orders, demand forecasts and fraud"),
        ("travel & hospitality", "trips, arrival times and pricing"),
        ("automotive", "vehicles, driving and routes"),
    ),
    "travel & hospitality": (
        ("retail & e-commerce", "marketplace search, ranking and pricing"),
        ("delivery & mobility", "trips, arrival times and demand"),
        ("real estate", "listings, photos and prices of places"),
    ),
    "media & entertainment": (
        ("social & communication", "feeds, content understanding and moderation"),
        ("gaming", "players' attention, content and personalisation"),
        ("retail & e-commerce", "recommending items from a large catalogue"),
    ),
    "social & communication": (
        ("media & entertainment", "feeds, content understanding and recommendations"),
        ("gaming", "chat moderation and communities"),
        ("technology & cloud", "abuse, spam and security at scale"),
    ),
    "finance & insurance": (
        ("retail & e-commerce", "payments, fraud and risk scoring"),
        ("public sector", "tax, benefits and fraud checks on documents"),
        ("technology & cloud", "security, anomaly detection and document AI"),
    ),
    "healthcare & life sciences": (
        ("public sector", "regulated public services and records"),
        ("technology & cloud", "speech, document and language models used on records"),
        ("manufacturing & industrial", "quality and inspection in regulated production"),
    ),
    "manufacturing & industrial": (
        ("energy & utilities", "sensor data, rotating equipment, predictive maintenance and inspection"),
        ("automotive", "car plants and their suppliers"),
        ("agriculture", "food processing and machine vision on production lines"),
    ),
    "energy & utilities": (
        ("manufacturing & industrial", "sensor data, rotating equipment, predictive maintenance and inspection"),
        ("telecom", "networks of field assets and their faults"),
        ("public sector", "public infrastructure and its inspection"),
    ),
    "agriculture": (
        ("manufacturing & industrial", "food processing and machine vision on production lines"),
        ("energy & utilities", "weather-driven forecasts and assets spread over land"),
        ("public sector", "land, crop and weather statistics"),
    ),
    "telecom": (
        ("technology & cloud", "network operations, incidents and customer support"),
        ("energy & utilities", "networks of field assets and their faults"),
        ("media & entertainment", "subscribers, churn and content"),
    ),
    "public sector": (
        ("finance & insurance", "tax, benefits and fraud checks on documents"),
        ("healthcare & life sciences", "regulated public services and records"),
        ("education", "public services for learners"),
    ),
    "education": (
        ("jobs & hr", "skills, assessment and matching people to what fits them"),
        ("media & entertainment", "recommending content and keeping learners engaged"),
        ("public sector", "public services for learners"),
    ),
    "technology & cloud": (
        ("telecom", "network operations, incidents and capacity"),
        ("social & communication", "abuse, spam and security at scale"),
        ("finance & insurance", "fraud, security and anomaly detection"),
    ),
    "gaming": (
        ("media & entertainment", "players' attention, content and personalisation"),
        ("social & communication", "chat moderation and communities"),
        ("technology & cloud", "abuse, cheating and security at scale"),
    ),
    "real estate": (
        ("travel & hospitality", "listings, photos and prices of places"),
        ("finance & insurance", "valuation, lending and risk"),
        ("retail & e-commerce", "two-sided marketplace search and recommendations"),
    ),
    "automotive": (
        ("delivery & mobility", "vehicles, driving and routes"),
        ("manufacturing & industrial", "car plants and their suppliers"),
        ("retail & e-commerce", "marketplaces for buying and selling goods such as used cars"),
    ),
    "jobs & hr": (
        ("education", "skills, assessment and matching people to what fits them"),
        ("social & communication", "professional networks and people recommendations"),
        ("retail & e-commerce", "two-sided marketplace search and recommendations"),
    ),
}
