"""Build ``data/references.csv``, the reference-project catalogue, from public case-study facts.

Usage (from the repository root)::

    .venv/bin/python data/build_references.py [--source PATH] [--additions DIR] [--out-dir DIR]

It writes ``references.csv`` and ``reference_provenance.csv`` into ``--out-dir`` (``data/``).

The catalogue has two kinds of entry:

1. **Source-list entries** (ids ``cs0001``...) from ``../shared/sources/case_studies.csv`` by
   default: 2,430 public write-ups compiled by eren23/awesome-ml-system-design-case-studies (MIT
   licence). It is read as a list of facts (who published which write-up, where and when, rough
   categories, tags); it is never copied. Each kept entry gets the project's own fields, derived by
   the transparent rules below.
2. **Researched additions** (ids of two letters other than ``cs`` and four digits: ``ea0001``...)
   from the files in ``data/reference_additions/``: case studies read one by one for the
   industries the source list hardly covers. Each row states its own task, modality, deep-learning
   answer, approach, outcome and a one-sentence problem, written in the project's own words, and
   where and when it was read (``read_from``, ``read_on``); that provenance is written to
   ``data/reference_provenance.csv``. The build checks every addition (``validate_additions``)
   and stops with a list of what is wrong.

Rules for source-list entries:

* **Which entries are kept** -- an entry must describe an ML system run by an organisation:
  the publisher must be an organisation (individual authors, surveys and lists are left out,
  ``EXCLUDED_COMPANIES``); write-ups about teams, practices and ethics are left out
  (``EXCLUDED_SUBCATEGORIES``); write-ups about data pipelines, data catalogues and A/B-testing
  statistics are kept only when their title or tags name machine learning
  (``ML_ONLY_SUBCATEGORIES``, ``ML_MENTION``); an entry whose ML task cannot be named by the rules
  below (typically a general ML-platform write-up) is left out, because the shared ML_TASKS list
  has no task for "platform".
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
* **Approach** -- the model families that the category pair or the title and tags name
  (``APPROACH_RULES``: "transformer", "gnn", "xgboost", "two-tower", "rag", ... each mapped to a
  plain-language family, at most three, more specific ones hiding the general ones they imply);
  blank when they name none.
* **Outcome** -- the source list carries no result figures: "no figure published in the source
  list; see the source", or, where the title itself states one ("... by 70 %"), a note saying so.
* **Summary** -- the business problem in plain words: a hand correction where the category names
  another problem than the title (``data/reference_problem_corrections.csv``: id, problem, why, and the
  task and modality where the category got those wrong too; written from the title and tags only), else
  the one the title or tags name where a ``TASK_OVERRIDES`` mention names one (churn, lifetime value),
  else written per category pair (``PROBLEM_BY_PAIR``; for generic pairs per task, ``PROBLEM_BY_TASK``,
  with the pair's context, ``GENERIC_CONTEXT``), then the entry's remaining tags as keywords. Approach
  and outcome are columns of their own, shown beside the summary, so the summary does not repeat them (it
  did once, and every summary then ended in the same "Approach: ... Outcome: ..." tail).

Rules for both kinds:

* **Company** -- spelling variants are merged (``data/reference_company_aliases.csv``).
* **Industry** -- assigned once per company in ``data/company_industries.csv`` (one of
  ``core.taxonomy.INDUSTRIES``); the source's free-text industry (326 spellings, 459 blanks) was
  only a hint when that table was written. A kept company missing from the table stops the build;
  so does an addition whose ``industry`` column disagrees with the table.
* **URL** -- tracking parameters (``utm_*``) dropped; duplicates detected on a normalised key
  (scheme, ``www.``, case of the host, trailing slash, fragment ignored). Among source-list rows
  the lowest id wins; an addition whose URL is already in the catalogue stops the build.
* **Summaries** never contain a sentence taken from a write-up.

Output rows are sorted by id and written with ``\\n`` line endings, so running the script again on
the same sources reproduces the committed files byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a plain script: make `core` importable
    sys.path.insert(0, str(REPO_ROOT))

from core.taxonomy import INDUSTRIES, ML_TASKS, MODALITIES, USES_DEEP_LEARNING  # noqa: E402

DATA_DIR = REPO_ROOT / "data"
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "sources" / "case_studies.csv"
DEFAULT_ADDITIONS = DATA_DIR / "reference_additions"
OUTPUT_NAME = "references.csv"
PROVENANCE_NAME = "reference_provenance.csv"
COMPANY_INDUSTRIES = DATA_DIR / "company_industries.csv"
PROBLEM_CORRECTIONS = DATA_DIR / "reference_problem_corrections.csv"
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
    "approach",
    "outcome",
)
PROVENANCE_COLUMNS = ("id", "read_from", "read_on")
ADDITION_COLUMNS = (
    "id",
    "company",
    "title",
    "year",
    "industry",
    "task",
    "modality",
    "uses_deep_learning",
    "approach",
    "outcome",
    "problem",
    "source_url",
    "read_from",
    "read_on",
)
# Source-list ids are cs + digits; an addition's id has two other letters and four digits.
ADDITION_ID = re.compile(r"(?!cs)[a-z]{2}\d{4}")
READ_ON = re.compile(r"\d{4}-\d{2}-\d{2}")
HTTP_URL = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", re.IGNORECASE)
READ_FROM_SEPARATOR = " ; "

OUTCOME_NOT_IN_LIST = "no figure published in the source list; see the source"
OUTCOME_IN_TITLE = "the title states a headline figure; the source list gives no other figures"
# A figure in a title: "by 70%", "10x faster", "1,400x speedup", "3ms a token", "in 100 days".
TITLE_FIGURE = re.compile(
    r"\d[\d,.]*\s?(?:%|percent\b|x\b|×|ms\b|hours?\b|days\b)|\b\d+/\d+(?:th)?\s+(?:the\s+)?cost\b",
    re.IGNORECASE,
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

# Title/tag mentions that name the task more precisely than any category, tried first for every row, and,
# where the mention names the business problem too, that problem: the source list files "Prediction of
# Advertiser Churn" under ads/ctr-prediction and "Using Data Science to Retain Customers" under
# forecast/eta-prediction, whose problem sentences (ad clicks, trip times) would tell the reader, and the
# search, the wrong problem.
TASK_OVERRIDES: tuple[tuple[str, re.Pattern[str], str | None], ...] = (
    (
        "classification",
        re.compile(r"\b(churn|attrition)\b"),
        "Predicting which customers are about to leave or stop paying, so that they can be won back in time",
    ),
    (
        "regression & forecasting",
        re.compile(r"\b(lifetime value|ltv)\b"),
        "Estimating how much each customer will be worth over the whole relationship",
    ),
    (
        "detection & segmentation",
        re.compile(r"\b(damage detection|object detection|pixel error detection)\b"),
        None,
    ),
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


# ---- approach: model families named by the category pair or by title and tags ----------------


@dataclass(frozen=True)
class ApproachRule:
    """One model family: its plain-language label, the tag it adds to an addition, the words that
    name it (over the flattened title and tags, ``keyword_text``), the category pairs that imply
    it, the more general labels it makes redundant, and pairs where its words do not name it."""

    label: str
    tag: str
    pattern: re.Pattern[str]
    pairs: frozenset[str] = frozenset()
    hides: frozenset[str] = frozenset()
    not_pairs: frozenset[str] = frozenset()  # pairs where its words mean something else


DNN = "deep neural network"
GENERATIVE = "generative model"
LLM_LABEL = "large language model"
TRANSFORMER = "transformer"
ATTENTION = "attention-based neural network"
EMBEDDINGS = "learned embeddings"
_NEURAL = frozenset({DNN})
_GENERATIVE_FAMILY = frozenset({DNN, GENERATIVE})
_TRANSFORMER_FAMILY = frozenset({TRANSFORMER, ATTENTION, DNN})
_LLM_FAMILY = frozenset({LLM_LABEL, TRANSFORMER, ATTENTION, DNN, GENERATIVE})
LLM_PAIRS = frozenset(
    {
        "genai/llm",
        "genai/chatbots",
        "genai/copilots",
        "genai/eval",
        "genai/inference-opt",
        "genai/prompt-eng",
        "genai/structured-output",
        "genai/summarization",
    }
)

# Tried in order, most specific first; an entry gets at most MAX_APPROACHES labels, in this order.
APPROACH_RULES: tuple[ApproachRule, ...] = (
    ApproachRule(
        "LLM with retrieval (RAG)",
        "rag",
        re.compile(r"\b(rag|retrieval augmented\w*|graphrag)\b"),
        frozenset({"genai/rag"}),
        _LLM_FAMILY,
    ),
    ApproachRule(
        "LLM agent",
        "ai-agents",
        re.compile(r"\b(ai agents?|agentic|multi agents?(?! reinforcement)|llm agents?|autonomous agents?)\b"),
        frozenset({"genai/agents"}),
        _LLM_FAMILY,
        # speech write-ups tagged "voice AI agents" describe a speech model used by an agent
        frozenset({"audio/asr", "audio/tts", "audio/audio-classification", "audio/speaker-id"}),
    ),
    ApproachRule(
        "fine-tuned pretrained model",
        "fine-tuning",
        re.compile(r"\b(fine tun\w*|finetun\w*|lora|qlora|sft|instruction tun\w*)\b"),
        frozenset({"genai/fine-tuning"}),
        _TRANSFORMER_FAMILY,
    ),
    ApproachRule(
        "preference tuning (RLHF)",
        "rlhf",
        re.compile(r"\b(rlhf|dpo|preference optimi[sz]ation|reward models?|human feedback)\b"),
        frozenset({"rl/rlhf"}),
        _LLM_FAMILY | {"reinforcement learning"},
    ),
    ApproachRule(
        "LLM as a judge",
        "llm-as-judge",
        re.compile(r"\b(llm as (a )?judges?|llm judges?)\b"),
        hides=_LLM_FAMILY,
    ),
    ApproachRule(
        "vision-language model",
        "vlm",
        re.compile(r"\b(vlms?|vision language|clip|multimodal llms?|visual language models?)\b"),
        frozenset({"cv/vlm"}),
        _LLM_FAMILY,
    ),
    ApproachRule(
        LLM_LABEL,
        "llm",
        re.compile(r"\b(llms?|large language models?|gpt\w*|chatgpt|gemini|claude|llama\w*|mistral)\b"),
        LLM_PAIRS,
        _TRANSFORMER_FAMILY | {GENERATIVE},
    ),
    ApproachRule(
        "diffusion model",
        "diffusion",
        re.compile(r"\b(diffusion models?|stable diffusion|diffusion)\b"),
        hides=_GENERATIVE_FAMILY,
    ),
    ApproachRule(
        "generative adversarial network",
        "gan",
        re.compile(r"\b(gans?|generative adversarial)\b"),
        hides=_GENERATIVE_FAMILY,
    ),
    ApproachRule(
        "BERT-style transformer encoder",
        "bert",
        re.compile(r"\b(bert\w*|roberta|distilbert|sbert|sentence transformers?)\b"),
        hides=_TRANSFORMER_FAMILY,
    ),
    ApproachRule(
        "transformer over user action sequences",
        "transformer",
        re.compile(r"\b(sequential transformers?|bert4rec|sasrec)\b"),
        frozenset({"rec/sequential-transformer"}),
        _TRANSFORMER_FAMILY,
    ),
    ApproachRule(
        TRANSFORMER,
        "transformer",
        re.compile(
            r"\b(transformers?|self attention|vit|vision transformers?|conformer|whisper|wav2vec\w*|"
            r"longformer|t5)\b"
        ),
        hides=frozenset({ATTENTION, DNN}),
    ),
    ApproachRule(
        GENERATIVE, "generative-ai", re.compile(r"\b(generative ai|genai|generative models?)\b"), hides=_NEURAL
    ),
    ApproachRule(ATTENTION, "attention", re.compile(r"\battention\b"), hides=_NEURAL),
    ApproachRule(
        "graph neural network",
        "gnn",
        re.compile(r"\b(gnns?|graph neural\w*|graphsage|gcns?|graph convolution\w*|graph attention|pinsage)\b"),
        frozenset({"graph/gnn"}),
        _NEURAL | {ATTENTION},
    ),
    ApproachRule(
        "two-tower retrieval model",
        "two-tower",
        re.compile(r"\b(two towers?|dual encoders?|twin towers?|siamese)\b"),
        hides=_NEURAL | {EMBEDDINGS},
    ),
    ApproachRule(
        "generative retrieval (semantic IDs)",
        "generative-retrieval",
        re.compile(r"\b(semantic ids?|generative retrieval|generative recommend\w*)\b"),
        hides=_NEURAL,
    ),
    ApproachRule(
        "mixture of experts",
        "mixture-of-experts",
        re.compile(r"\b(mixture of experts|moe|mmoe|multi gate mixture\w*)\b"),
        hides=_NEURAL,
    ),
    ApproachRule(
        "multi-task neural network",
        "multi-task",
        re.compile(r"\b(multi task\w*|multitask\w*)\b"),
        frozenset({"rec/multi-task"}),
        _NEURAL,
    ),
    ApproachRule(
        "convolutional neural network",
        "cnn",
        re.compile(r"\b(cnns?|convolutional|resnet\w*|efficientnet\w*|yolo\w*|mobilenet\w*|u net|unet|inception)\b"),
        hides=_NEURAL,
    ),
    ApproachRule(
        "recurrent neural network",
        "rnn",
        re.compile(r"\b(rnns?|lstms?|grus?|recurrent neural\w*|seq2seq|deepar)\b"),
        hides=_NEURAL,
    ),
    ApproachRule(
        "autoencoder", "autoencoder", re.compile(r"\b(autoencoders?|vaes?|variational auto\w*)\b"), hides=_NEURAL
    ),
    ApproachRule("knowledge distillation", "knowledge-distillation", re.compile(r"\bdistill\w*\b")),
    ApproachRule("contrastive learning", "contrastive-learning", re.compile(r"\bcontrastive\b")),
    ApproachRule(
        EMBEDDINGS,
        "embeddings",
        re.compile(
            r"\b(?<!rotary )(?<!positional )(embeddings?|word2vec|vector search|vector databases?|hnsw|"
            r"approximate nearest\w*)\b"
        ),
        frozenset({"cv/embeddings", "rec/embeddings"}),
    ),
    ApproachRule(
        DNN,
        "deep-learning",
        re.compile(r"\b(deep learning|deep neural\w*|neural networks?|neural|dnns?|mlps?|deep models?)\b"),
    ),
    ApproachRule(
        "gradient-boosted trees",
        "gradient-boosting",
        re.compile(
            r"\b(xgboost|lightgbm|catboost|gradient boost\w*|gbdts?|gbms?|gbrt|boosted (decision )?trees?|"
            r"lambdamart)\b"
        ),
    ),
    ApproachRule("random forest", "random-forest", re.compile(r"\brandom forests?\b")),
    ApproachRule("isolation forest", "isolation-forest", re.compile(r"\bisolation forests?\b")),
    ApproachRule(
        "logistic or linear regression",
        "linear-model",
        re.compile(r"\b(logistic regression|linear regression|linear models?|generali[sz]ed linear|ridge|lasso)\b"),
    ),
    ApproachRule(
        "learning to rank",
        "learning-to-rank",
        re.compile(r"\b(learning to rank|ltr|lambdarank)\b"),
        frozenset({"search/learning-to-rank"}),
    ),
    ApproachRule(
        "collaborative filtering",
        "collaborative-filtering",
        re.compile(r"\b(collaborative filtering|matrix factori[sz]ation)\b"),
    ),
    ApproachRule(
        "knowledge graph", "knowledge-graph", re.compile(r"\bknowledge graphs?\b"), frozenset({"graph/knowledge-graph"})
    ),
    ApproachRule(
        "reinforcement learning",
        "reinforcement-learning",
        re.compile(
            r"\b(reinforcement learning|deep rl|offline rl|rl|q learning|dqn|ppo|policy gradients?|actor critic)\b"
        ),
        frozenset({"rl/policy-optimization"}),
    ),
    ApproachRule(
        "multi-armed bandit",
        "bandits",
        re.compile(r"\b(bandits?|thompson sampling|ucb)\b"),
        frozenset({"rl/bandits"}),
    ),
    ApproachRule(
        "causal or uplift model",
        "causal-inference",
        re.compile(r"\b(uplift|causal(?! language)\w*|treatment effects?|counterfactual\w*)\b"),
        frozenset({"rl/uplift-modeling"}),
    ),
    ApproachRule(
        "mathematical optimisation solver",
        "operations-research",
        re.compile(
            r"\b(operations research|integer programming|linear programming|mixed integer|milp|"
            r"constraint programming|solvers?)\b"
        ),
    ),
    ApproachRule("Bayesian model", "bayesian", re.compile(r"\b(bayesian|gaussian process\w*)\b")),
    ApproachRule(
        "statistical time-series model",
        "time-series-model",
        re.compile(r"\b(arima|sarima|prophet|exponential smoothing|state space models?)\b"),
    ),
    ApproachRule(
        "survival model",
        "survival-analysis",
        re.compile(r"\b(survival analysis|survival models?|kaplan meier|cox (proportional|regression|model))\b"),
    ),
    ApproachRule("clustering", "clustering", re.compile(r"\b(clustering|k means|kmeans|dbscan)\b")),
    ApproachRule(
        "weak supervision", "weak-supervision", re.compile(r"\b(weak supervision|weakly supervised|snorkel)\b")
    ),
    ApproachRule("rules and heuristics", "heuristics", re.compile(r"\b(heuristics?|rule based|rules? engines?)\b")),
    ApproachRule("Monte Carlo simulation", "monte-carlo", re.compile(r"\bmonte carlo\b")),
)
MAX_APPROACHES = 3
APPROACH_SEPARATOR = "; "


# ---- summary: the business problem in plain words ----------------------------------------------

# Category pair -> the problem such a write-up addresses. Pairs whose task comes from keywords
# (the generic ones) are described by their task instead (PROBLEM_BY_TASK, GENERIC_CONTEXT).
PROBLEM_BY_PAIR: dict[str, str] = {
    "ads/attribution": "Working out which ads and marketing touchpoints deserve the credit for a sale or sign-up",
    "ads/auction": "Running the ad auction so that advertisers' bids and users' interests are both served",
    "ads/bidding": "Setting automatic bids for ads so that campaigns reach their goals within budget",
    "ads/budget-pacing": "Spending each advertiser's budget evenly over a campaign instead of all at once",
    "ads/ctr-prediction": "Predicting how likely a user is to click or buy after seeing an ad, to choose the ads shown",
    "ads/targeting": "Choosing which users an ad should reach",
    "anomaly/alerting": "Raising an alert when a business or system metric starts behaving unusually",
    "anomaly/drift-detection": "Noticing when the data a model sees drifts away from what it was trained on",
    "anomaly/observability": "Spotting unusual behaviour in system metrics, logs and traces",
    "anomaly/outlier-detection": "Finding the rare records or events that do not fit the normal pattern",
    "anomaly/root-cause": "Finding the cause of an incident or a sudden metric drop quickly",
    "audio/asr": "Turning spoken audio into text",
    "audio/audio-classification": "Recognising what kind of sound an audio clip contains",
    "audio/speaker-id": "Recognising who is speaking from their voice",
    "audio/tts": "Turning written text into natural-sounding speech",
    "cv/embeddings": "Representing images as vectors so that similar pictures can be found and compared",
    "cv/image-classification": "Sorting images into categories automatically",
    "cv/object-detection": "Finding and locating objects in images",
    "cv/ocr": "Reading printed or handwritten text from photos and scanned documents",
    "cv/segmentation": "Outlining objects or regions in images pixel by pixel",
    "cv/visual-search": "Letting people search with a photo to find similar-looking items",
    "cv/vlm": "Describing images or answering questions about them with a model that reads pictures and text",
    "data/data-quality": "Catching errors and unexpected changes in the data that models learn from and run on",
    "data/labeling": "Getting enough correctly labelled examples to train models",
    "forecast/capacity": "Forecasting how much compute, staff or other capacity will be needed",
    "forecast/demand-forecast": "Forecasting how much customers will order or buy, to plan stock and staff",
    "forecast/eta-prediction": "Predicting how long a trip, delivery or task will take",
    "forecast/inventory": "Forecasting stock levels so that the right amount is on hand",
    "forecast/supply-demand": "Forecasting the balance of supply and demand, such as drivers against riders in an area",
    "forecast/time-series": "Forecasting how a business or operational metric will develop over time",
    "fraud/abuse-detection": "Catching abuse of the platform, such as fake accounts, spam or rule-breaking behaviour",
    "fraud/account-takeover": "Detecting when someone else has taken over a user's account",
    "fraud/aml": "Spotting money laundering in payment and account activity",
    "fraud/identity": "Checking that users are who they say they are",
    "fraud/payment-fraud": "Stopping fraudulent payments before money is lost",
    "fraud/risk-scoring": "Scoring how risky a user, order or transaction is",
    "genai/agents": "Letting an AI agent carry out multi-step tasks on a person's behalf",
    "genai/chatbots": "Answering customers' or employees' questions in a chat conversation",
    "genai/copilots": "Helping people draft text, write code or finish their work with an AI assistant",
    "genai/eval": "Measuring whether the answers of a generative AI feature are good enough to ship",
    "genai/fine-tuning": "Adapting a pretrained language model to the company's own task and data",
    "genai/inference-opt": "Serving large language models faster and more cheaply",
    "genai/llm": "Building a product feature or an internal tool on a large language model",
    "genai/prompt-eng": "Getting reliable output from a language model by designing its prompts",
    "genai/rag": "Answering questions from the company's own documents by passing relevant passages to an LLM",
    "genai/structured-output": "Turning free text into structured fields with a language model",
    "genai/summarization": "Condensing long documents or conversations into short summaries",
    "graph/community-detection": "Finding groups of closely connected users or accounts in a network",
    "graph/fraud-rings": "Uncovering rings of connected accounts that commit fraud together",
    "graph/knowledge-graph": "Organising facts about products, places or topics into a connected knowledge graph",
    "graph/link-prediction": "Predicting which new connections, such as follows or purchases, are likely",
    "moderation/integrity": "Keeping harmful or misleading content and behaviour off the platform",
    "moderation/nsfw": "Filtering out explicit or unsafe images",
    "moderation/policy-enforcement": "Finding content or listings that break the platform's rules",
    "moderation/spam": "Keeping spam away from users",
    "moderation/toxicity": "Detecting abusive or toxic language",
    "nlp/classification": "Sorting text such as messages, tickets or listings into categories",
    "nlp/entity-resolution": "Recognising when differently written records refer to the same person, place or product",
    "nlp/information-extraction": "Pulling structured facts such as names, attributes or amounts out of text",
    "nlp/parsing": "Breaking free text such as addresses or queries into its parts",
    "nlp/sentiment": "Telling whether comments or reviews are positive or negative",
    "nlp/summarization": "Condensing long documents or conversations into short summaries",
    "nlp/translation": "Translating text between languages",
    "optim/allocation": "Allocating limited budgets, inventory or capacity where they pay off most",
    "optim/dispatch": "Assigning drivers, couriers or jobs to requests as they come in",
    "optim/logistics": "Planning how goods move through warehouses and transport networks",
    "optim/matching": "Matching the two sides of a marketplace, such as riders and drivers or buyers and sellers",
    "optim/pricing": "Setting prices that respond to demand and supply",
    "optim/routing": "Planning efficient routes for vehicles or deliveries",
    "rec/candidate-generation": "Picking, out of millions of items, the few hundred worth ranking for each user",
    "rec/cold-start": "Recommending well for new users or new items that have little history",
    "rec/embeddings": "Representing users and items as vectors to power recommendations",
    "rec/feed-ranking": "Ordering the posts in each user's feed",
    "rec/multi-task": "Ranking items for several goals at once, such as clicks, purchases and watch time",
    "rec/notifications": "Deciding which notifications to send to whom, and when",
    "rec/personalization": "Tailoring what each user sees to their tastes",
    "rec/ranking": "Ordering recommended items so that the most relevant come first",
    "rec/sequential-transformer": "Recommending the next item from the sequence of a user's recent actions",
    "rl/bandits": "Learning by trial which option works best while still serving users well",
    "rl/policy-optimization": "Learning a decision policy that improves a long-term business goal",
    "rl/rlhf": "Aligning a language model with human preferences through feedback",
    "rl/sequential-decision": "Making a series of decisions over time, each of which affects the next",
    "rl/simulation": "Training and testing automated decisions in a simulator before using them for real",
    "rl/uplift-modeling": "Estimating who will respond to an offer or treatment because of it, to target it",
    "search/autocomplete": "Suggesting completions while a user types a search",
    "search/learning-to-rank": "Ordering search results so that the best matches come first",
    "search/query-understanding": "Working out what a user means by a search query",
    "search/relevance-eval": "Judging how relevant search results are, to measure and improve search",
    "search/retrieval": "Retrieving the candidate results that match a search",
    "search/semantic-search": "Finding results that match the meaning of a query, not just its words",
}

# ML task -> the problem, for generic category pairs.
PROBLEM_BY_TASK: dict[str, str] = {
    "classification": "Sorting items into categories automatically",
    "regression & forecasting": "Predicting a number or a future value from past data",
    "ranking & recommendation": "Choosing and ordering what each user is shown",
    "retrieval & search": "Finding the items or documents that match what someone is looking for",
    "detection & segmentation": "Locating objects or regions in images",
    "generation": "Generating text, code or media with a model",
    "translation": "Translating content between languages",
    "speech recognition": "Turning spoken audio into text",
    "anomaly & fraud detection": "Spotting fraud, abuse, failures or unusual behaviour before it does harm",
    "information extraction": "Pulling structured facts out of documents or text",
    "representation learning": "Learning reusable vector representations of users, items or content",
    "optimization & control": "Choosing actions, prices or allocations automatically to improve a business goal",
}

# Generic category pair -> what the write-up adds to the task.
GENERIC_CONTEXT: dict[str, str] = {
    "audio/music": "for music listeners and catalogues",
    "cv/video": "in video",
    "data/data-discovery": "with tooling that helps teams find and trust the data behind it",
    "data/data-pipeline": "fed by the data pipelines that prepare its inputs",
    "data/feature-store": "with model features served from a shared feature store",
    "graph/gnn": "by learning over a graph of connected users, items or accounts",
    "mlops/applied-ml": "as a feature inside the product",
    "mlops/data-pipeline": "fed by the data pipelines that prepare its inputs",
    "mlops/efficiency": "while cutting the compute cost or latency of the models",
    "mlops/experimentation": "and measuring its effect with online experiments",
    "mlops/explainability": "with explanations of why the model decided as it did",
    "mlops/model-mgmt": "with the models versioned, reviewed and managed over their lifetime",
    "mlops/monitoring-infra": "with the models monitored in production",
    "mlops/payments": "inside payment processing",
    "mlops/platform": "on a shared in-house machine-learning platform",
    "mlops/security": "to protect systems and accounts",
    "mlops/serving": "with the models served in production at low latency",
    "mlops/training-infra": "with the infrastructure that trains the models",
}

# Tags that say nothing about the problem (how big, where it runs, that it is in production).
UNINFORMATIVE_TAGS = frozenset(
    {
        "ai",
        "applied-ml",
        "deployed",
        "infrastructure",
        "large-scale",
        "machine-learning",
        "ml",
        "ops",
        "platform",
        "product-feature",
        "production",
        "scalability",
        "scale",
        "scaling",
    }
)
# Tags that name where a paper appeared ("kdd-2024", "arxiv") rather than what it is about.
VENUE_TAG = re.compile(
    r"(arxiv|kdd|recsys|sigir|www|neurips|nips|icml|iclr|cikm|wsdm|aaai|acl|emnlp|naacl|cvpr|iccv|eccv|"
    r"interspeech|icassp|informs|sigmod|vldb)(-?\d{2,4})?|\d{4}"
)
MAX_KEYWORDS = 4
# Words of a tag spelled otherwise when it is shown as a keyword (acronyms in capitals).
KEYWORD_SPELLINGS: dict[str, str] = {
    word: word.upper()
    for word in (
        "ai", "api", "asr", "aws", "b2b", "b2c", "cpu", "crm", "ctr", "cv", "eta", "gcp", "gpu", "kyc", "ltv",
        "ml", "nlp", "ner", "ocr", "pii", "qa", "rl", "roi", "seo", "sql", "tts", "ui", "ux",
    )
} | {"saas": "SaaS", "genai": "GenAI", "mlops": "MLOps", "aiops": "AIOps", "ios": "iOS", "tensorflow": "TensorFlow",
     "pytorch": "PyTorch", "vllm": "vLLM"}  # fmt: skip


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
    approach: str = ""
    outcome: str = ""

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
            self.approach,
            self.outcome,
        ]


@dataclass(frozen=True)
class Provenance:
    """One row of data/reference_provenance.csv: where and when a researched addition was read."""

    id: str
    read_from: str
    read_on: str

    def as_row(self) -> list[str]:
        return [self.id, self.read_from, self.read_on]


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


class ProblemCorrection(NamedTuple):
    """A hand correction of a source-list entry: its problem sentence and, where the category got them wrong
    too, its ML task and modality (blank: keep the inferred one)."""

    problem: str
    task: str | None = None
    modality: str | None = None


def read_problem_corrections(path: Path = PROBLEM_CORRECTIONS) -> dict[str, ProblemCorrection]:
    """id -> correction, for source-list entries whose category names another problem than their title
    (read by hand, one row each, with the reason in the table's ``why`` column)."""
    corrections: dict[str, ProblemCorrection] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            entry_id, problem = row["id"].strip(), " ".join(row["problem"].split())
            task, modality = (row.get("task") or "").strip() or None, (row.get("modality") or "").strip() or None
            if not problem or not row["why"].strip():
                raise ValueError(f"{path.name} line {line}: a correction needs a problem and a why.")
            if entry_id in corrections:
                raise ValueError(f"{path.name} line {line}: {entry_id} is corrected twice.")
            if task is not None and task not in ML_TASKS:
                raise ValueError(f"{path.name} line {line}: task {task!r} is not one of: {', '.join(ML_TASKS)}.")
            if modality is not None and modality not in MODALITIES:
                raise ValueError(
                    f"{path.name} line {line}: modality {modality!r} is not one of: {', '.join(MODALITIES)}."
                )
            corrections[entry_id] = ProblemCorrection(problem, task, modality)
    return corrections


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
    for candidate, pattern, _ in TASK_OVERRIDES:
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


def approach_rules_for(pair: str, text: str) -> list[ApproachRule]:
    """The approach rules that the category pair or the flattened text names, general ones that a
    more specific match implies left out, at most MAX_APPROACHES, in APPROACH_RULES order."""
    matched = [
        rule
        for rule in APPROACH_RULES
        if pair not in rule.not_pairs and (pair in rule.pairs or rule.pattern.search(text))
    ]
    hidden = {label for rule in matched for label in rule.hides}
    return [rule for rule in matched if rule.label not in hidden][:MAX_APPROACHES]


def infer_approach(pair: str, text: str) -> str:
    """The model families named by the category pair or title and tags ("" when none is named)."""
    return APPROACH_SEPARATOR.join(rule.label for rule in approach_rules_for(pair, text))


def outcome_for(title: str) -> str:
    """What the source list says about a result: nothing but, at most, a figure in the title."""
    return OUTCOME_IN_TITLE if TITLE_FIGURE.search(title) else OUTCOME_NOT_IN_LIST


def keyword_label(tag: str) -> str:
    """A project tag as a reader's keyword: hyphens as spaces, acronyms in capitals."""
    if tag in {"e-commerce", "real-time", "on-device", "multi-task", "a-b-testing"}:
        return tag
    if tag == "ab-testing":
        return "A/B testing"
    return " ".join(KEYWORD_SPELLINGS.get(word, word) for word in tag.split("-"))


def summary_keywords(tags: Sequence[str], pair: str) -> list[str]:
    """The entry's tags that add something to its problem and approach, as keywords."""
    sub_category = normalise_tag(pair.split("/", 1)[1])
    keywords: list[str] = []
    for tag in tags:
        if tag == sub_category or tag in UNINFORMATIVE_TAGS or VENUE_TAG.fullmatch(tag):
            continue
        if any(rule.tag == tag or rule.pattern.search(keyword_text(tag)) for rule in APPROACH_RULES):
            continue  # already said by the approach
        label = keyword_label(tag)
        if label not in keywords:
            keywords.append(label)
    return keywords[:MAX_KEYWORDS]


def problem_for(pair: str, task: str, text: str) -> str:
    """The business problem of a source-list entry in plain words: the one its title or tags (``text``)
    name (``TASK_OVERRIDES``), else from its category pair and task."""
    for _, pattern, problem in TASK_OVERRIDES:
        if problem is not None and pattern.search(text):
            return problem
    if pair in PROBLEM_BY_PAIR:
        return PROBLEM_BY_PAIR[pair]
    return f"{PROBLEM_BY_TASK[task]}, {GENERIC_CONTEXT[pair]}"


def _sentence(text: str) -> str:
    text = " ".join(text.split()).rstrip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def compose_summary(problem: str, keywords: Sequence[str] = ()) -> str:
    """The problem in plain words and, for a source-list entry, the keywords its tags add.

    Approach and outcome are not repeated: they have their own columns and every view shows them
    beside the summary."""
    parts = [_sentence(problem)]
    if keywords:
        parts.append(f"Keywords in the source list: {', '.join(keywords)}.")
    return " ".join(parts)


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
    provenance: tuple[Provenance, ...] = ()


def build_entries(
    source_rows: Iterable[dict[str, str]],
    industries: dict[str, str],
    aliases: dict[str, str],
    corrections: Mapping[str, ProblemCorrection] | None = None,
) -> BuildReport:
    """Apply the rules above to source rows; returns the kept entries sorted by id and drop counts.
    ``corrections`` (``read_problem_corrections``) replace the problem sentence, and the task and modality
    where given, of the entries they name; one that names no kept entry stops the build."""
    corrections = corrections or {}
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
        tags = project_tags(row["sub_category"], row.get("tags") or "")
        approach = infer_approach(pair, keyword_text(title, " ".join(tags)))
        outcome = outcome_for(title)
        correction = corrections.get(row["id"].strip())
        problem = problem_for(pair, task, text)
        if correction is not None:
            problem, task, modality = correction.problem, correction.task or task, correction.modality or modality
            # The category (and the sub-category that leads its tags) was wrong for this entry, so only the title
            # and the source's own tags name its model family.
            approach = infer_approach("", keyword_text(title, " ".join(project_tags("", row.get("tags") or ""))))
        entry = CatalogueEntry(
            id=row["id"].strip(),
            company=company,
            title=title,
            year=year,
            industry=industries[company],
            task=task,
            modality=modality,
            uses_deep_learning=infer_deep_learning(pair, text),
            tags=tags,
            source_url=clean_url(row["source_url"]),
            summary=compose_summary(problem, summary_keywords(tags, pair)),
            approach=approach,
            outcome=outcome,
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
    stray = sorted(set(corrections) - {e.id for e in entries})
    if stray:
        raise ValueError(f"Problem corrections name no kept entry: {', '.join(stray)}; remove them.")
    return BuildReport(entries=entries, dropped=dict(sorted(dropped.items())))


# ---- researched additions ----------------------------------------------------------------------


@dataclass(frozen=True)
class AdditionRow:
    """One row of a file in data/reference_additions/, with where it came from for messages."""

    file: str
    line: int
    values: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line} ({self['id'] or 'no id'})"


def read_additions(folder: Path) -> list[AdditionRow]:
    """Every row of every ``*.csv`` in ``folder``, files in name order; a wrong header stops the build."""
    rows: list[AdditionRow] = []
    if not folder.is_dir():
        return rows
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if tuple(reader.fieldnames or ()) != ADDITION_COLUMNS:
                raise ValueError(
                    f"{path.name} must have exactly the columns {','.join(ADDITION_COLUMNS)}; "
                    f"it has {','.join(reader.fieldnames or [])}."
                )
            rows.extend(AdditionRow(path.name, reader.line_num, row) for row in reader)
    return rows


def validate_additions(
    rows: Sequence[AdditionRow],
    industries: Mapping[str, str],
    aliases: Mapping[str, str],
    catalogue: Sequence[CatalogueEntry] = (),
) -> None:
    """Stop the build, listing every problem, unless each addition is well-formed: a fresh id,
    company and title, a plausible year, values from the controlled lists, an industry that agrees
    with the company table, an http(s) URL not already in the catalogue or another addition (after
    ``url_key``), a problem, approach and outcome, and where and when it was read."""
    problems: list[str] = []
    catalogue_urls = {url_key(entry.source_url): entry.id for entry in catalogue}
    catalogue_ids = {entry.id for entry in catalogue}
    seen_ids: dict[str, str] = {}
    seen_urls: dict[str, str] = {}
    for row in rows:
        where = row.where
        row_id = row["id"]
        if not ADDITION_ID.fullmatch(row_id):
            problems.append(f"{where}: id must be two letters other than 'cs' and four digits, like ea0001")
        elif row_id in seen_ids or row_id in catalogue_ids:
            problems.append(f"{where}: id {row_id} is used twice (also {seen_ids.get(row_id, 'the catalogue')})")
        seen_ids.setdefault(row_id, where)
        for column in ("company", "title", "problem", "approach", "outcome"):
            if not row[column]:
                problems.append(f"{where}: {column} is blank")
        try:
            year = parse_year(row["year"])
        except ValueError:
            problems.append(f"{where}: year {row['year']!r} is not a year between 1950 and 2100")
            year = None
        if year is not None and not 2000 <= year <= 2030:
            problems.append(f"{where}: year {year} is outside 2000-2030")
        for column, allowed in (
            ("industry", INDUSTRIES),
            ("task", ML_TASKS),
            ("modality", MODALITIES),
            ("uses_deep_learning", USES_DEEP_LEARNING),
        ):
            if row[column] not in allowed:
                problems.append(f"{where}: {column} {row[column]!r} is not one of: {', '.join(allowed)}")
        company = aliases.get(row["company"], row["company"])
        if row["company"] and company not in industries:
            problems.append(f"{where}: add {company!r} to company_industries.csv (as {row['industry']!r})")
        elif row["company"] and industries[company] != row["industry"]:
            problems.append(
                f"{where}: industry {row['industry']!r} disagrees with company_industries.csv, "
                f"which has {company!r} as {industries[company]!r}"
            )
        url = row["source_url"]
        if not HTTP_URL.fullmatch(url):
            problems.append(f"{where}: source_url {url!r} is not an http(s) link")
        else:
            key = url_key(url)
            if key in catalogue_urls:
                problems.append(f"{where}: source_url is already in the catalogue as {catalogue_urls[key]}")
            elif key in seen_urls:
                problems.append(f"{where}: source_url is also used by {seen_urls[key]}")
            seen_urls.setdefault(key, where)
        read_from = row["read_from"].split(READ_FROM_SEPARATOR.strip())
        if not all(HTTP_URL.fullmatch(part.strip()) for part in read_from):
            problems.append(f"{where}: read_from must be http(s) links separated by ' ; '")
        if not READ_ON.fullmatch(row["read_on"]):
            problems.append(f"{where}: read_on {row['read_on']!r} is not a date like 2026-12-02")
    if problems:
        raise ValueError(
            f"{len(problems)} problem(s) in data/reference_additions/:\n" + "\n".join(f"  {p}" for p in problems)
        )


def addition_entries(
    rows: Sequence[AdditionRow], aliases: Mapping[str, str]
) -> tuple[list[CatalogueEntry], list[Provenance]]:
    """Catalogue entries and provenance rows for validated additions. Tags are the approach
    families their approach and title name (``APPROACH_RULES``)."""
    entries: list[CatalogueEntry] = []
    provenance: list[Provenance] = []
    for row in rows:
        title = " ".join(row["title"].split())
        approach = " ".join(row["approach"].split())
        outcome = " ".join(row["outcome"].split())
        text = keyword_text(title, approach)
        tags = tuple(dict.fromkeys(normalise_tag(rule.tag) for rule in approach_rules_for("", text)))
        entries.append(
            CatalogueEntry(
                id=row["id"],
                company=aliases.get(row["company"], row["company"]),
                title=title,
                year=parse_year(row["year"]),
                industry=row["industry"],
                task=row["task"],
                modality=row["modality"],
                uses_deep_learning=row["uses_deep_learning"],
                tags=tags,
                source_url=clean_url(row["source_url"]),
                summary=compose_summary(row["problem"]),
                approach=approach,
                outcome=outcome,
            )
        )
        read_from = READ_FROM_SEPARATOR.join(part.strip() for part in row["read_from"].split(";"))
        provenance.append(Provenance(row["id"], read_from, row["read_on"]))
    return entries, provenance


def build_catalogue(
    source_rows: Iterable[dict[str, str]],
    addition_rows: Sequence[AdditionRow],
    industries: dict[str, str],
    aliases: dict[str, str],
    corrections: Mapping[str, ProblemCorrection] | None = None,
) -> BuildReport:
    """The source-list entries plus the validated additions, sorted by id, with provenance."""
    report = build_entries(source_rows, industries, aliases, corrections)
    validate_additions(addition_rows, industries, aliases, report.entries)
    added, provenance = addition_entries(addition_rows, aliases)
    entries = tuple(sorted((*report.entries, *added), key=lambda e: e.id))
    return BuildReport(
        entries=entries, dropped=report.dropped, provenance=tuple(sorted(provenance, key=lambda p: p.id))
    )


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


def write_provenance(rows: Sequence[Provenance], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(PROVENANCE_COLUMNS)
        for row in rows:
            writer.writerow(row.as_row())


def industry_counts(entries: Iterable[CatalogueEntry]) -> dict[str, int]:
    """Entries per industry, in INDUSTRIES order (zeros included)."""
    counts = dict.fromkeys(INDUSTRIES, 0)
    for entry in entries:
        counts[entry.industry] += 1
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="case_studies.csv to read")
    parser.add_argument(
        "--additions", type=Path, default=DEFAULT_ADDITIONS, help="folder of researched additions (*.csv)"
    )
    parser.add_argument(
        "--out-dir", type=Path, default=DATA_DIR, help="folder to write references.csv and reference_provenance.csv"
    )
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"error: source file {args.source} not found", file=sys.stderr)
        return 2
    industries, aliases = read_company_tables()
    try:
        report = build_catalogue(
            read_source(args.source), read_additions(args.additions), industries, aliases, read_problem_corrections()
        )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    args.out_dir.mkdir(parents=True, exist_ok=True)
    out = args.out_dir / OUTPUT_NAME
    write_catalogue(report.entries, out)
    write_provenance(report.provenance, args.out_dir / PROVENANCE_NAME)
    print(f"wrote {len(report.entries)} entries to {out} ({len(report.provenance)} researched additions)")
    for reason, count in report.dropped.items():
        print(f"  left out {count:4d}: {reason}")
    print("entries per industry:")
    for industry, count in industry_counts(report.entries).items():
        print(f"  {count:4d}  {industry}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
