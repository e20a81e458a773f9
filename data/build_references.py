"""Build ``data/references.csv``, the reference-project catalogue, from public case-study facts.

Usage (from the repository root)::

    .venv/bin/python data/build_references.py [--source PATH] [--out-dir DIR]

The source is ``../shared/sources/case_studies.csv`` by default: 2,430 public write-ups compiled by
eren23/awesome-ml-system-design-case-studies (MIT licence). It is read as a list of facts (who
published which write-up, where and when, rough categories); it is never copied. Each kept entry
gets the project's own fields, derived by the transparent rules in this file:

* **Which entries are kept** -- an entry must describe an ML system run by an organisation:
  the publisher must be an organisation (individual authors, surveys and lists are left out,
  ``EXCLUDED_COMPANIES``); write-ups about teams, practices and ethics are left out
  (``EXCLUDED_SUBCATEGORIES``); write-ups about data pipelines, data catalogues and A/B-testing
  statistics are kept only when their title or tags name machine learning
  (``ML_ONLY_SUBCATEGORIES``, ``ML_MENTION``); an entry whose ML task cannot be named by the rules
  below (typically a general ML-platform write-up) is left out, because the shared ML_TASKS list
  has no task for "platform".
* **Company** -- spelling variants are merged (``data/reference_company_aliases.csv``).
* **Industry** -- assigned once per company in ``data/company_industries.csv`` (one of
  ``core.taxonomy.INDUSTRIES``); the source's free-text industry (326 spellings, 459 blanks) was
  only a hint when that table was written. A kept company missing from the table stops the build.
* **ML task** -- a few unambiguous title/tag mentions first (``TASK_OVERRIDES``: churn is a
  classification, lifetime value a regression), then the source's category pair
  (``SUBCATEGORY_RULES``); for generic pairs
  (ML platforms, graph learning, video, ...) from the first matching keyword rule over title and
  tags (``TASK_KEYWORDS``).
* **Modality** -- the category pair's default, then ``MODALITY_KEYWORDS`` over title and tags:
  an explicit multimodal mention wins; for generic defaults (tabular, text) a clear mention of
  another modality replaces it, and two different such mentions make it multimodal.
* **Uses deep learning** -- "yes" when the category is inherently neural (LLMs, GNNs, VLMs, ...)
  or title/tags name a neural method (``DEEP_LEARNING_MENTION``); otherwise "no" when they name a
  classical method only (``CLASSICAL_MENTION``: gradient boosting, linear models, OR solvers, ...);
  otherwise "unclear".
* **Tags** -- the source's sub-category followed by its tags, lower-cased, spaces and slashes
  turned into hyphens, near-duplicates merged (``TAG_ALIASES``), order of first appearance kept.
* **URL** -- tracking parameters (``utm_*``) dropped; duplicates detected on a normalised key
  (scheme, ``www.``, case of the host, trailing slash, fragment ignored); the lowest source id wins.
* **Summary** -- generated from the fields ("Ranking & recommendation on tabular data at Airbnb,
  2019."); no sentence is taken from any write-up.

Output rows are sorted by id and written with ``\\n`` line endings, so running the script again on
the same source reproduces the committed file byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a plain script: make `core` importable
    sys.path.insert(0, str(REPO_ROOT))

from core.taxonomy import INDUSTRIES, ML_TASKS, MODALITIES, USES_DEEP_LEARNING  # noqa: E402

DATA_DIR = REPO_ROOT / "data"
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "sources" / "case_studies.csv"
OUTPUT_NAME = "references.csv"
COMPANY_INDUSTRIES = DATA_DIR / "company_industries.csv"
COMPANY_ALIASES = DATA_DIR / "reference_company_aliases.csv"

OUTPUT_COLUMNS = (
    "id",
    "company",
    "title",
    "year",
    "industry",
    "task",
    "modality",
    "uses_deep_learning",
    "tags",
    "source_url",
    "summary",
)

# Publishers that are people, universities writing surveys, or lists rather than an organisation
# describing a system it runs.
EXCLUDED_COMPANIES = frozenset(
    {
        "",
        "Cambridge",  # a survey of deployment challenges
        "Denny Britz",
        "Erikbern",
        "Metaflow + Hamilton",  # two open-source tools, not a publisher
        "Partnership on AI",  # an incident database
        "Xavier Amatriain",
        "Yoshua Bengio",
    }
)

# (primary_category/sub_category) pairs that are about people and process, not a system.
EXCLUDED_SUBCATEGORIES = frozenset({"mlops/team", "mlops/practices", "mlops/ethics"})

# Pairs kept only when the write-up names machine learning (many are plain data engineering or
# A/B-test statistics).
ML_ONLY_SUBCATEGORIES = frozenset(
    {
        "data/data-pipeline",
        "data/data-discovery",
        "data/data-quality",
        "mlops/data-pipeline",
        "mlops/experimentation",
    }
)
ML_MENTION = re.compile(
    r"\b(machine learning|ml|ai|llms?|models?|neural|deep learning|feature engineering|features?|"
    r"bandits?|uplift|embeddings?|recommend\w*|predict\w*|ranking|generative)\b"
)

# Category pair -> (task, modality). A task of None means "infer from TASK_KEYWORDS".
SUBCATEGORY_RULES: dict[str, tuple[str | None, str]] = {
    "ads/attribution": ("regression & forecasting", "tabular"),
    "ads/auction": ("optimization & control", "tabular"),
    "ads/bidding": ("optimization & control", "tabular"),
    "ads/budget-pacing": ("optimization & control", "tabular"),
    "ads/ctr-prediction": ("ranking & recommendation", "tabular"),
    "ads/targeting": ("ranking & recommendation", "tabular"),
    "anomaly/alerting": ("anomaly & fraud detection", "time series"),
    "anomaly/drift-detection": ("anomaly & fraud detection", "tabular"),
    "anomaly/observability": ("anomaly & fraud detection", "time series"),
    "anomaly/outlier-detection": ("anomaly & fraud detection", "tabular"),
    "anomaly/root-cause": ("anomaly & fraud detection", "time series"),
    "audio/asr": ("speech recognition", "audio"),
    "audio/audio-classification": ("classification", "audio"),
    "audio/music": (None, "audio"),
    "audio/speaker-id": ("classification", "audio"),
    "audio/tts": ("generation", "audio"),
    "cv/embeddings": ("representation learning", "image"),
    "cv/image-classification": ("classification", "image"),
    "cv/object-detection": ("detection & segmentation", "image"),
    "cv/ocr": ("information extraction", "image"),
    "cv/segmentation": ("detection & segmentation", "image"),
    "cv/video": (None, "video"),
    "cv/visual-search": ("retrieval & search", "image"),
    "cv/vlm": ("generation", "multimodal"),
    "data/data-discovery": (None, "tabular"),
    "data/data-pipeline": (None, "tabular"),
    "data/data-quality": (None, "tabular"),
    "data/feature-store": (None, "tabular"),
    "data/labeling": (None, "tabular"),
    "forecast/capacity": ("regression & forecasting", "time series"),
    "forecast/demand-forecast": ("regression & forecasting", "time series"),
    "forecast/eta-prediction": ("regression & forecasting", "tabular"),
    "forecast/inventory": ("regression & forecasting", "time series"),
    "forecast/supply-demand": ("regression & forecasting", "time series"),
    "forecast/time-series": ("regression & forecasting", "time series"),
    "fraud/abuse-detection": ("anomaly & fraud detection", "tabular"),
    "fraud/account-takeover": ("anomaly & fraud detection", "tabular"),
    "fraud/aml": ("anomaly & fraud detection", "tabular"),
    "fraud/identity": ("anomaly & fraud detection", "tabular"),
    "fraud/payment-fraud": ("anomaly & fraud detection", "tabular"),
    "fraud/risk-scoring": ("anomaly & fraud detection", "tabular"),
    "genai/agents": ("generation", "text"),
    "genai/chatbots": ("generation", "text"),
    "genai/copilots": ("generation", "text"),
    "genai/eval": ("generation", "text"),
    "genai/fine-tuning": ("generation", "text"),
    "genai/inference-opt": ("generation", "text"),
    "genai/llm": ("generation", "text"),
    "genai/prompt-eng": ("generation", "text"),
    "genai/rag": ("generation", "text"),
    "genai/structured-output": ("information extraction", "text"),
    "genai/summarization": ("generation", "text"),
    "graph/community-detection": ("representation learning", "graph"),
    "graph/fraud-rings": ("anomaly & fraud detection", "graph"),
    "graph/gnn": (None, "graph"),
    "graph/knowledge-graph": ("information extraction", "graph"),
    "graph/link-prediction": ("ranking & recommendation", "graph"),
    "mlops/applied-ml": (None, "tabular"),
    "mlops/data-pipeline": (None, "tabular"),
    "mlops/efficiency": (None, "tabular"),
    "mlops/experimentation": (None, "tabular"),
    "mlops/explainability": (None, "tabular"),
    "mlops/model-mgmt": (None, "tabular"),
    "mlops/monitoring-infra": (None, "tabular"),
    "mlops/payments": (None, "tabular"),
    "mlops/platform": (None, "tabular"),
    "mlops/security": (None, "tabular"),
    "mlops/serving": (None, "tabular"),
    "mlops/training-infra": (None, "tabular"),
    "moderation/integrity": ("classification", "text"),
    "moderation/nsfw": ("classification", "image"),
    "moderation/policy-enforcement": ("classification", "text"),
    "moderation/spam": ("classification", "text"),
    "moderation/toxicity": ("classification", "text"),
    "nlp/classification": ("classification", "text"),
    "nlp/entity-resolution": ("information extraction", "text"),
    "nlp/information-extraction": ("information extraction", "text"),
    "nlp/parsing": ("information extraction", "text"),
    "nlp/sentiment": ("classification", "text"),
    "nlp/summarization": ("generation", "text"),
    "nlp/translation": ("translation", "text"),
    "optim/allocation": ("optimization & control", "tabular"),
    "optim/dispatch": ("optimization & control", "tabular"),
    "optim/logistics": ("optimization & control", "tabular"),
    "optim/matching": ("optimization & control", "tabular"),
    "optim/pricing": ("optimization & control", "tabular"),
    "optim/routing": ("optimization & control", "tabular"),
    "rec/candidate-generation": ("ranking & recommendation", "tabular"),
    "rec/cold-start": ("ranking & recommendation", "tabular"),
    "rec/embeddings": ("ranking & recommendation", "tabular"),
    "rec/feed-ranking": ("ranking & recommendation", "tabular"),
    "rec/multi-task": ("ranking & recommendation", "tabular"),
    "rec/notifications": ("ranking & recommendation", "tabular"),
    "rec/personalization": ("ranking & recommendation", "tabular"),
    "rec/ranking": ("ranking & recommendation", "tabular"),
    "rec/sequential-transformer": ("ranking & recommendation", "tabular"),
    "rl/bandits": ("optimization & control", "tabular"),
    "rl/policy-optimization": ("optimization & control", "tabular"),
    "rl/rlhf": ("generation", "text"),
    "rl/sequential-decision": ("optimization & control", "tabular"),
    "rl/simulation": ("optimization & control", "tabular"),
    "rl/uplift-modeling": ("regression & forecasting", "tabular"),
    "search/autocomplete": ("retrieval & search", "text"),
    "search/learning-to-rank": ("retrieval & search", "text"),
    "search/query-understanding": ("retrieval & search", "text"),
    "search/relevance-eval": ("retrieval & search", "text"),
    "search/retrieval": ("retrieval & search", "text"),
    "search/semantic-search": ("retrieval & search", "text"),
}

# Keyword rules for pairs whose task is None, tried in order; the first match names the task.
# They run over the lower-cased title and tags with hyphens and underscores read as spaces.
TASK_KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "generation",
        re.compile(
            r"\b(llms?|large language|generative|genai|gpt|chatbots?|copilots?|agents?|assistants?|"
            r"diffusion|codegen|conversational|3d generation|post training)\b"
        ),
    ),
    (
        "anomaly & fraud detection",
        re.compile(
            r"\b(fraud\w*|abuse|spam|scam\w*|bots?|bot detection|account takeover|anomal\w*|outliers?|"
            r"vandalism|vulnerabilit\w*|waf|failures?|data bugs?|data quality|data validation|"
            r"drift|incidents?|remediation|risk)\b"
        ),
    ),
    (
        "ranking & recommendation",
        re.compile(
            r"\b(recommend\w*|recsys|personali[sz]\w*|feeds?|ranking|ctr|lookalike|notifications?|"
            r"ads|advertising|vouchers?|audiences?)\b"
        ),
    ),
    ("retrieval & search", re.compile(r"\b(search\w*|retrieval|rag|vector|semantic|query|autocomplete)\b")),
    ("translation", re.compile(r"\btranslat\w*\b")),
    ("speech recognition", re.compile(r"\b(speech|asr|transcri\w*|voice)\b")),
    ("detection & segmentation", re.compile(r"\b(object detection|pixel error|segmentation|bounding box\w*)\b")),
    (
        "information extraction",
        re.compile(r"\b(extract\w*|ocr|parsing|entity|entities|ner|date formats?|field level)\b"),
    ),
    (
        "classification",
        re.compile(
            r"\b(classif\w*|categori[sz]\w*|moderat\w*|label\w*|triage|tagging|lead scoring|churn|sound analysis)\b"
        ),
    ),
    ("representation learning", re.compile(r"\b(embeddings?|representation\w*|foundation model|graph neural)\b")),
    (
        "optimization & control",
        re.compile(
            r"\b(pricing|bidding|routing|dispatch|allocat\w*|bandits?|reinforcement learning|"
            r"scheduling|playtesting|authori[sz]ation rate|payments? routing|test suite optimi[sz]ation|"
            r"bloom filters?)\b"
        ),
    ),
    (
        "regression & forecasting",
        re.compile(
            r"\b(forecast\w*|predict\w*|regression|estimat\w*|causal\w*|uplift|conversion rates?|"
            r"imputing|dimensions|experiments?|time series|similarity)\b"
        ),
    ),
)

# Title/tag mentions that name the task more precisely than any category, tried first for every row.
TASK_OVERRIDES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("classification", re.compile(r"\b(churn|attrition)\b")),
    ("regression & forecasting", re.compile(r"\b(lifetime value|ltv)\b")),
    ("detection & segmentation", re.compile(r"\b(damage detection|object detection|pixel error detection)\b")),
)

# Modality mentions in title or tags, tried in order.
MULTIMODAL_MENTION = re.compile(
    r"\b(multimodal|multi modal|vision language|vlm|vlms|image text|text image|clip|text to image)\b"
)
MODALITY_KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("video", re.compile(r"\b(video quality|video understanding|video classification|livestream\w*|frames?)\b")),
    (
        "image",
        re.compile(
            r"\b(image\w*|photos?|visual\w*|computer vision|cv|vision|pixels?|cameras?|dashcam|"
            r"bounding box\w*|3d)\b"
        ),
    ),
    ("audio", re.compile(r"\b(speech|audio|voice|podcasts?|asr|tts|spoken|sound)\b")),
    ("graph", re.compile(r"\b(gnn|graph neural\w*|graphsage|knowledge graph|heterogeneous graph|graph\w*)\b")),
    ("time series", re.compile(r"\b(time series|timeseries|forecast\w*|sensors?|telemetry)\b")),
    (
        "text",
        re.compile(
            r"\b(llms?|nlp|language|bert|text|chatbots?|rag|gpt|semantic|documents?|queries|query|"
            r"conversational|generative ai|genai)\b"
        ),
    ),
)
# Defaults that a clear mention of another modality may replace.
GENERIC_MODALITIES = frozenset({"tabular", "text"})

# Categories whose methods are neural by construction.
DEEP_LEARNING_SUBCATEGORIES = frozenset(
    {
        "audio/asr",
        "audio/tts",
        "graph/gnn",
        "cv/vlm",
        "rec/sequential-transformer",
        "rl/rlhf",
        "genai/fine-tuning",
        "genai/llm",
    }
)
DEEP_LEARNING_MENTION = re.compile(
    r"\b(deep\w*|neural|transformers?|bert\w*|gpt\w*|llms?|large language|cnns?|rnns?|lstm|gru|gnns?|"
    r"graphsage|embeddings?|two tower|autoencoders?|diffusion|attention|resnet|vit|yolo\w*|whisper|"
    r"conformer|wav2vec|word2vec|foundation models?|generative ai|genai|vlms?|mobilenet|fine tun\w*|"
    r"lora|rag|seq2seq|encoder\w*|decoder\w*|mixture of experts|moe|dlrm|dnn|mlp|pytorch|tensorflow|"
    r"keras|distillation|computer vision|ai agents?|agentic|chatbots?|copilots?)\b"
)
CLASSICAL_MENTION = re.compile(
    r"\b(xgboost|lightgbm|catboost|gradient boost\w*|gbdt|gbm|random forests?|logistic regression|"
    r"linear regression|decision trees?|kaplan meier|arima|prophet|heuristics?|rules? engine|rule based|"
    r"integer programming|linear programming|operations research|mixed integer|isolation forest|"
    r"k means|survival analysis|glm|statistical model\w*|monte carlo|bayesian)\b"
)

# Near-duplicate tag spellings merged into one project tag.
TAG_ALIASES: dict[str, str] = {
    "a-b-testing": "ab-testing",
    "ab-test": "ab-testing",
    "agent": "ai-agents",
    "agentic-ai": "ai-agents",
    "agents": "ai-agents",
    "anomaly-detection": "anomaly-detection",
    "computer-vision": "computer-vision",
    "cv": "computer-vision",
    "demand-forecast": "demand-forecasting",
    "deep-learning": "deep-learning",
    "embedding": "embeddings",
    "evals": "evaluation",
    "fraud": "fraud-detection",
    "generative-ai": "generative-ai",
    "genai": "generative-ai",
    "graph-neural-networks": "gnn",
    "graph-neural-network": "gnn",
    "large-language-models": "llm",
    "llms": "llm",
    "ml-platform": "ml-platform",
    "multi-task-learning": "multi-task",
    "recommendation": "recommender-system",
    "recommendations": "recommender-system",
    "recsys": "recommender-system",
    "rec": "recommender-system",
    "reinforcement-learning": "reinforcement-learning",
    "rl": "reinforcement-learning",
    "transformers": "transformer",
}

SOURCE_COLUMNS = ("id", "title", "company", "primary_category", "sub_category", "tags", "year", "source_url")


@dataclass(frozen=True)
class CatalogueEntry:
    """One row of data/references.csv."""

    id: str
    company: str
    title: str
    year: int | None
    industry: str
    task: str
    modality: str
    uses_deep_learning: str
    tags: tuple[str, ...]
    source_url: str
    summary: str

    def as_row(self) -> list[str]:
        return [
            self.id,
            self.company,
            self.title,
            "" if self.year is None else str(self.year),
            self.industry,
            self.task,
            self.modality,
            self.uses_deep_learning,
            ";".join(self.tags),
            self.source_url,
            self.summary,
        ]


def read_company_tables(
    industries_path: Path = COMPANY_INDUSTRIES, aliases_path: Path = COMPANY_ALIASES
) -> tuple[dict[str, str], dict[str, str]]:
    """(company -> industry, alias -> company) from the two hand-written tables in data/."""
    with industries_path.open(encoding="utf-8", newline="") as f:
        industries = {row["company"]: row["industry"] for row in csv.DictReader(f)}
    unknown = sorted({ind for ind in industries.values() if ind not in INDUSTRIES})
    if unknown:
        raise ValueError(f"{industries_path.name} uses industries outside INDUSTRIES: {', '.join(unknown)}.")
    with aliases_path.open(encoding="utf-8", newline="") as f:
        aliases = {row["alias"]: row["company"] for row in csv.DictReader(f)}
    return industries, aliases


def keyword_text(*parts: str) -> str:
    """Lower-cased text with accents, hyphens, underscores and slashes flattened, for the rules."""
    text = unicodedata.normalize("NFKD", " ".join(parts)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[-_/;,:()\[\]\"'’.!?]+", " ", text.lower())


def normalise_tag(tag: str) -> str:
    tag = unicodedata.normalize("NFKD", tag).encode("ascii", "ignore").decode("ascii").lower().strip()
    tag = re.sub(r"[\s_/]+", "-", tag)
    tag = re.sub(r"[^a-z0-9+#.-]", "", tag)
    tag = re.sub(r"-{2,}", "-", tag).strip("-.")
    return TAG_ALIASES.get(tag, tag)


def project_tags(sub_category: str, source_tags: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for raw in [sub_category, *source_tags.split(";")]:
        tag = normalise_tag(raw)
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)


def clean_url(url: str) -> str:
    """The URL with surrounding space and ``utm_*`` tracking parameters removed."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith("utm_")]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query, doseq=True), parts.fragment))


def url_key(url: str) -> str:
    """Key under which two URLs count as the same page: scheme, www., host case, trailing slash,
    fragment and tracking parameters ignored."""
    parts = urlsplit(clean_url(url))
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"{host}{path}?{query}" if query else f"{host}{path}"


def infer_task(pair: str, text: str) -> str | None:
    for candidate, pattern in TASK_OVERRIDES:
        if pattern.search(text):
            return candidate
    task, _ = SUBCATEGORY_RULES[pair]
    if task is not None:
        return task
    for candidate, pattern in TASK_KEYWORDS:
        if pattern.search(text):
            return candidate
    return None


def infer_modality(pair: str, text: str) -> str:
    _, default = SUBCATEGORY_RULES[pair]
    if MULTIMODAL_MENTION.search(text):
        return "multimodal"
    if default == "image" and MODALITY_KEYWORDS[0][1].search(text):
        return "video"
    if default not in GENERIC_MODALITIES:
        return default
    mentioned = [m for m, pattern in MODALITY_KEYWORDS if m != default and pattern.search(text)]
    # A graph mention in a text write-up ("knowledge graph" behind a search box) does not change
    # what the model reads; text mentions are too common in tabular write-ups ("query") to outvote
    # another modality, so they decide only when nothing else is mentioned.
    strong = [m for m in mentioned if m != "text" and not (default == "text" and m == "graph")]
    if len(strong) >= 2:
        return "multimodal"
    if strong:
        return strong[0]
    if mentioned and mentioned[0] == "text":
        return "text"
    return default


def infer_deep_learning(pair: str, text: str) -> str:
    if pair.startswith("genai/") or pair in DEEP_LEARNING_SUBCATEGORIES or DEEP_LEARNING_MENTION.search(text):
        return "yes"
    if CLASSICAL_MENTION.search(text):
        return "no"
    return "unclear"


def summary_for(task: str, modality: str, company: str, year: int | None) -> str:
    when = f", {year}" if year is not None else ""
    return f"{task[0].upper()}{task[1:]} on {modality} data at {company}{when}."


def parse_year(raw: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    year = int(raw)
    if not 1950 <= year <= 2100:
        raise ValueError(f"Year {year} is outside 1950-2100; fix the source row.")
    return year


@dataclass(frozen=True)
class BuildReport:
    entries: tuple[CatalogueEntry, ...]
    dropped: dict[str, int]


def build_entries(
    source_rows: Iterable[dict[str, str]], industries: dict[str, str], aliases: dict[str, str]
) -> BuildReport:
    """Apply the rules above to source rows; returns the kept entries sorted by id and drop counts."""
    dropped: dict[str, int] = {}
    missing_companies: set[str] = set()

    def drop(reason: str) -> None:
        dropped[reason] = dropped.get(reason, 0) + 1

    candidates: list[CatalogueEntry] = []
    for row in source_rows:
        raw_company = (row.get("company") or "").strip()
        company = aliases.get(raw_company, raw_company)
        pair = f"{row['primary_category'].strip()}/{row['sub_category'].strip()}"
        title = " ".join((row.get("title") or "").split())
        text = keyword_text(title, row.get("tags") or "")
        if company in EXCLUDED_COMPANIES:
            drop("publisher is not an organisation")
            continue
        if pair in EXCLUDED_SUBCATEGORIES:
            drop("about teams, practices or ethics")
            continue
        if pair in ML_ONLY_SUBCATEGORIES and not ML_MENTION.search(text):
            drop("data engineering or experimentation without ML")
            continue
        if pair not in SUBCATEGORY_RULES:
            raise ValueError(f"No rule for category {pair!r} (row {row['id']}); add one to SUBCATEGORY_RULES.")
        task = infer_task(pair, text)
        if task is None:
            drop("names no ML task (platform or infrastructure)")
            continue
        if company not in industries:
            missing_companies.add(company)
            continue
        year = parse_year(row.get("year") or "")
        modality = infer_modality(pair, text)
        entry = CatalogueEntry(
            id=row["id"].strip(),
            company=company,
            title=title,
            year=year,
            industry=industries[company],
            task=task,
            modality=modality,
            uses_deep_learning=infer_deep_learning(pair, text),
            tags=project_tags(row["sub_category"], row.get("tags") or ""),
            source_url=clean_url(row["source_url"]),
            summary=summary_for(task, modality, company, year),
        )
        assert entry.task in ML_TASKS and entry.modality in MODALITIES
        assert entry.uses_deep_learning in USES_DEEP_LEARNING
        candidates.append(entry)
    if missing_companies:
        raise ValueError(
            "Add these companies to data/company_industries.csv: " + ", ".join(sorted(missing_companies)) + "."
        )
    kept: dict[str, CatalogueEntry] = {}
    for entry in sorted(candidates, key=lambda e: e.id):
        key = url_key(entry.source_url)
        if key in kept:
            drop("duplicate URL")
            continue
        kept[key] = entry
    entries = tuple(sorted(kept.values(), key=lambda e: e.id))
    return BuildReport(entries=entries, dropped=dict(sorted(dropped.items())))


def read_source(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in SOURCE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path} lacks the columns {', '.join(missing)}; is it the case-study list?")
        return list(reader)


def write_catalogue(entries: Sequence[CatalogueEntry], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(OUTPUT_COLUMNS)
        for entry in entries:
            writer.writerow(entry.as_row())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="case_studies.csv to read")
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR, help="folder to write references.csv into")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"error: source file {args.source} not found", file=sys.stderr)
        return 2
    industries, aliases = read_company_tables()
    report = build_entries(read_source(args.source), industries, aliases)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    out = args.out_dir / OUTPUT_NAME
    write_catalogue(report.entries, out)
    print(f"wrote {len(report.entries)} entries to {out}")
    for reason, count in report.dropped.items():
        print(f"  left out {count:4d}: {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
