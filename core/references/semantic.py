"""The semantic layer of reference search: text embeddings from a model that ships in its package.

Users describe a problem in their own words ("turn recorded customer phone calls into text"); the
write-up calls it something else ("speech-to-text", "ASR"). Word matching, even with synonyms and
typos, misses such pairs; a text-embedding model places both near each other. The model here is
WordLlama (``wordllama`` on PyPI, MIT licence): token embeddings taken from a large language model's
input layer, trained to average into sentence vectors, 256 dimensions, 32,000 tokens. Its wheel
carries the weights (``wordllama/weights/l2_supercat_256.safetensors``, 16 MB) and the tokenizer,
so it loads from its own package folder with downloads disabled: nothing is fetched at run time,
ever. Embedding a query takes about a millisecond on one CPU core; the catalogue's 2,400 entries
about 50 ms.

Loading the package costs about half a second (mostly its imports), so nothing here imports it
until the first search that needs it (:func:`bundled_model`, cached per process). When the package
is missing the search falls back to words alone and says so (:func:`model_problem`).

An ``Embedder`` is anything with ``embed(texts) -> (n, d) float32 array of unit vectors``; tests
pass small deterministic ones.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from core.references.catalogue import Reference

FloatArray = npt.NDArray[np.float32]

MODEL_NAME = "WordLlama l2_supercat, 256 dimensions (wordllama 0.4.0.post1)"
MAX_TEXT_CHARS = 2_000  # an entry's text is cut here
MAX_QUERY_CHARS = 500  # a query's: a use case described in a few sentences; longer input adds time, not meaning


class Embedder(Protocol):
    """Turns texts into unit vectors, one row per text, the same width for every call."""

    def embed(self, texts: Sequence[str]) -> FloatArray: ...


@dataclass(frozen=True)
class _WordLlamaEmbedder:
    model: object  # wordllama.WordLlamaInference; untyped package

    def embed(self, texts: Sequence[str]) -> FloatArray:
        if not texts:
            return np.zeros((0, 256), dtype=np.float32)
        vectors = self.model.embed([t[:MAX_TEXT_CHARS] for t in texts], norm=True)  # type: ignore[attr-defined]
        return np.ascontiguousarray(vectors, dtype=np.float32)


_load_lock = threading.Lock()


@lru_cache(maxsize=1)
def _load() -> tuple[Embedder | None, str]:
    with _load_lock:
        # One query is a handful of tokens: a thread pool only adds wake-up latency on a shared machine.
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        root = logging.getLogger()
        handlers, level = list(root.handlers), root.level
        try:
            import wordllama
            from wordllama import WordLlama
        except ImportError:
            return (
                None,
                "the semantic layer is off: the wordllama package is not installed (pip install -r requirements.txt)",
            )
        finally:
            # wordllama's inference module calls logging.basicConfig at import; keep the app's logging as it was.
            for handler in root.handlers[:]:
                if handler not in handlers:
                    root.removeHandler(handler)
            root.setLevel(level)
        try:
            model = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
        except (FileNotFoundError, OSError, ValueError) as error:
            return None, f"the semantic layer is off: its bundled model could not be loaded ({error})"
        return _WordLlamaEmbedder(model), ""


def bundled_model() -> Embedder | None:
    """The packaged WordLlama model, loaded once per process from its own folder (never downloaded);
    None when the package is missing or its weights cannot be read (see :func:`model_problem`)."""
    return _load()[0]


def model_problem() -> str:
    """Why the semantic layer is off, in a sentence; "" when the bundled model is available."""
    return _load()[1]


class SemanticLayerOff(RuntimeError):
    """The bundled model is unavailable; the message says why (:func:`model_problem`)."""


class BundledModel:
    """The bundled model as an ``Embedder`` that loads it on its first use, not when built, so that
    building a search index (or starting the app) never pays for the model. Raises
    ``SemanticLayerOff`` from ``embed`` when the package is missing."""

    def embed(self, texts: Sequence[str]) -> FloatArray:
        model = bundled_model()
        if model is None:
            raise SemanticLayerOff(model_problem())
        return model.embed(texts)


def document_text(reference: Reference) -> str:
    """What the model reads of an entry: title, summary (the problem), approach, outcome, ML task
    and industry. Chosen on half of the judged queries (bench/data/reference_queries.csv) over title
    alone, title and problem, and variants with tags or approach: docs/benchmarks.md."""
    parts = [
        reference.title,
        reference.summary,
        reference.approach,
        reference.outcome,
        reference.task,
        reference.industry,
    ]
    return ". ".join(part.rstrip(".") for part in parts if part)[:MAX_TEXT_CHARS]


def embed_references(embedder: Embedder, references: Sequence[Reference]) -> FloatArray:
    """Unit vectors of the entries, one row each, in order."""
    vectors = embedder.embed([document_text(ref) for ref in references])
    return _unit_rows(vectors)


def embed_query(embedder: Embedder, query: str) -> FloatArray:
    """The query's unit vector from its first ``MAX_QUERY_CHARS`` characters (zeros for a query of no
    characters the model knows)."""
    row: FloatArray = _unit_rows(embedder.embed([query[:MAX_QUERY_CHARS]]))[0]
    return row


def _unit_rows(vectors: npt.ArrayLike) -> FloatArray:
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim != 2:
        raise ValueError(f"An embedder must return one row per text; got an array of shape {array.shape}.")
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: FloatArray = np.ascontiguousarray(array / norms, dtype=np.float32)
    return unit
