"""Approach families: a coarse vocabulary over the catalogue's free-text ``approach`` column.

The catalogue states each entry's approach in words ("LLM with retrieval (RAG); LLM agent",
"gradient-boosted trees (LightGBM)", "CNN (U-Net) segmentation"); researched entries use the
source's own phrasing, so no two read quite alike. To filter by approach the page needs a small
fixed list, so each approach text is mapped to the families its words name (an entry may belong
to several: "gradient boosting on Longformer text embeddings" is both gradient boosting and a
transformer encoder). An entry whose approach names no model family is "not named".

>>> approach_families("LLM with retrieval (RAG); LLM agent")
('LLM with retrieval (RAG)', 'LLM or LLM agent')
>>> approach_families("gradient-boosted trees (LightGBM)")
('gradient-boosted trees',)
>>> approach_families("")
('not named',)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

NOT_NAMED: Final = "not named"

# Family -> the words in an approach text that name it, tried in this order (the order is also the
# order of the page's list). Patterns see lower-cased text.
_FAMILY_PATTERNS: Final[tuple[tuple[str, str], ...]] = (
    ("LLM with retrieval (RAG)", r"\brag\b|retrieval.augmented|with retrieval|graphrag"),
    (
        "LLM or LLM agent",
        r"\bllms?\b|large language model|\bagents?\b|agentic|gpt|claude|gemini|llama|chatbot|generative ai|genai|"
        r"llm as a judge|preference tuning|rlhf|fine-tuned pretrained",
    ),
    ("vision-language model", r"vision.language|\bvlms?\b|multimodal (llm|model)"),
    (
        "transformer encoder (BERT-style)",
        r"\bbert|transformer|longformer|attention|sentence encoder|universal sentence encoder|\bvit\b",
    ),
    (
        "computer vision network (CNN)",
        r"\bcnns?\b|convolution|u-net|\bunet\b|resnet|yolo|computer.vision|image (model|classifier|analy)|"
        r"pixel classifier|vision model|facial recognition|image classif|image.recognition|imagery|camera|"
        r"\bvision\b|perception|segmentation|image pipeline|deeplab|\bocr\b|face (detection|verification|recognition)",
    ),
    ("recurrent network (RNN, LSTM)", r"recurrent|\brnns?\b|\blstms?\b|\bgru\b|deepar|seq2seq"),
    ("graph neural network", r"graph neural|\bgnns?\b|graph convolution|graphsage|graph attention"),
    (
        "two-tower or embedding retrieval",
        r"two-tower|two tower|embeddings?\b|embedding retrieval|semantic ids|generative retrieval|contrastive|"
        r"vector search|nearest neighbo",
    ),
    (
        "diffusion or GAN (generative media)",
        r"diffusion|generative adversarial|\bgans?\b|generative model|controlnet|inpainting",
    ),
    (
        "other deep neural network",
        r"deep neural|deep.learning|neural|multi-task|mixture of experts|autoencoder|distillation|"
        r"self-organizing map|\btdnn|hydranet|architecture search|driving policy",
    ),
    ("text classifier (NLP)", r"\bnlp\b|natural language processing|text classifier|text-mining|text mining"),
    (
        "gradient-boosted trees",
        r"gradient.boost|boosted trees|xgboost|lightgbm|catboost|gbdt|random forest|isolation forest|decision tree",
    ),
    (
        "ranking or collaborative filtering",
        r"learning to rank|lambdamart|ranking model|collaborative.filtering|matrix factori|item-based recommend|"
        r"association rules|recommendation model|search and recommendation|re-rank|learned ranker",
    ),
    ("reinforcement learning or bandits", r"reinforcement|\bbandits?\b|thompson sampling"),
    ("causal or uplift model", r"causal|uplift|counterfactual|treatment effect"),
    (
        "statistical or linear model",
        r"logistic regression|linear regression|linear model|time-series model|arima|prophet|bayesian|survival|"
        r"monte carlo|markov|tf-idf|topic model|\blda\b|statistical|regression model|simple regression|probabilistic|"
        r"clustering|k-means|ordinal",
    ),
    (
        "optimisation solver or rules",
        r"optimi[sz]ation solver|integer programming|linear programming|operations research|heuristic|"
        r"rules? (engine|and)|rule-based|simulation|graph matching",
    ),
    ("knowledge graph", r"knowledge graph|ontology"),
    ("weak supervision", r"weak supervision|weakly supervised|snorkel"),
)
# An approach that says only that machine learning was used: a family of its own, so "model not
# named" and "nothing said" stay apart.
_GENERIC: Final = re.compile(
    r"machine.learning|\bml\b|\bai\b|predictive|data.mining|classifier|scikit-learn|ensemble|forecasting model|"
    r"risk (model|scoring)|pattern recognition|supervised|analytics|optimisation|a/b test|\bmodels?\b|algorithm|"
    r"predict|engine|learned|detectors?"
)
GENERIC_ML: Final = "machine learning, model not named"
OTHER_DNN: Final = "other deep neural network"
_NEURAL_FAMILIES: Final = frozenset(
    {
        "LLM with retrieval (RAG)",
        "LLM or LLM agent",
        "vision-language model",
        "transformer encoder (BERT-style)",
        "computer vision network (CNN)",
        "recurrent network (RNN, LSTM)",
        "graph neural network",
        "two-tower or embedding retrieval",
        "diffusion or GAN (generative media)",
    }
)
_COMPILED: Final = tuple((family, re.compile(pattern)) for family, pattern in _FAMILY_PATTERNS)

APPROACH_FAMILIES: Final[tuple[str, ...]] = (*(family for family, _ in _FAMILY_PATTERNS), GENERIC_ML, NOT_NAMED)
"""Every family, in the page's order; ``NOT_NAMED`` last."""


def approach_families(approach: str) -> tuple[str, ...]:
    """The families an approach text names, in ``APPROACH_FAMILIES`` order; ``("not named",)`` when
    it names nothing at all (an empty text, "not stated"), and ``("machine learning, model not named",)``
    when it says only that some machine-learning model was used."""
    text = " ".join(approach.lower().split())
    found = tuple(family for family, pattern in _COMPILED if pattern.search(text))
    if OTHER_DNN in found and any(family in _NEURAL_FAMILIES for family in found):
        found = tuple(family for family in found if family != OTHER_DNN)  # "other" means none more specific
    if found:
        return found
    return (GENERIC_ML,) if _GENERIC.search(text) else (NOT_NAMED,)


def chosen_families(value: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """An approach filter's families, checked against ``APPROACH_FAMILIES`` (case-insensitive);
    None when nothing is chosen. Anything else raises ``ValueError`` naming the choices."""
    if value is None:
        return None
    values = [value] if isinstance(value, str) else list(value)
    by_key = {family.lower(): family for family in APPROACH_FAMILIES}
    chosen: list[str] = []
    for item in values:
        if not isinstance(item, str):
            raise ValueError(f"The approach filter takes names from the list; got {type(item).__name__}.")
        key = " ".join(item.lower().split())
        if not key:
            continue
        if key not in by_key:
            raise ValueError(f"Unknown approach {item[:60]!r}; choose one of: {', '.join(APPROACH_FAMILIES)}.")
        chosen.append(by_key[key])
    return tuple(dict.fromkeys(chosen)) or None
