"""Text as the reference search reads it: words, plural folding, stopwords, the synonym table.

``tokenize`` turns a title or a query into search words (lower-cased, accents dropped, plurals
folded, stopwords and one-letter words removed); ``load_synonyms`` reads the synonym groups of
``data/search_synonyms.csv`` ("ETA" ~ "arrival time"), once per process.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SYNONYMS_PATH = Path(__file__).resolve().parents[2] / "data" / "search_synonyms.csv"

# Words too common to say anything about a use case.
# fmt: off
STOPWORDS = frozenset({
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "before",
    "being", "between", "both", "but", "by", "can", "com", "could", "did", "do", "does", "doing", "during",
    "each", "for", "from", "further", "had", "has", "have", "how", "http", "https", "i", "if", "in", "into",
    "is", "it", "its", "just", "me", "more", "most", "my", "no", "nor", "not", "of", "off", "on", "once",
    "only", "or", "other", "our", "out", "over", "own", "same", "should", "so", "some", "such", "than",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to",
    "too", "under", "until", "up", "very", "via", "vs", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "www", "you", "your", "yours",
})
# fmt: on

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_PLURAL_EXCEPTIONS = frozenset({"series", "species", "news", "analysis", "status", "bus", "gas", "lens"})


def ascii_fold(text: str) -> str:
    """Lower-cased text with accents dropped ("Café" -> "cafe"): how names and words are compared."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def normalise_word(word: str) -> str:
    """Fold a plural onto its singular ("payments" -> "payment", "queries" -> "query")."""
    if len(word) <= 3 or word.isdigit() or word in _PLURAL_EXCEPTIONS:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize_with_surface(text: str) -> list[tuple[str, str]]:
    """(search word, the word as written, lower-cased) pairs of a text; see :func:`tokenize`."""
    pairs: list[tuple[str, str]] = []
    for raw in _WORD.findall(ascii_fold(text)):
        parts = re.split(r"[-']", raw)
        if len(parts) > 1:
            parts = [*parts, "".join(parts)]
        for part in parts:
            if len(part) < 2 or part in STOPWORDS:
                continue
            pairs.append((normalise_word(part), part))
    return pairs


def tokenize(text: str) -> list[str]:
    """Search words of a text, in order: lower-cased, accents dropped, plurals folded, stopwords
    and one-letter words removed. A hyphenated word yields its parts and the joined form
    ("e-commerce" -> "commerce", "ecommerce") so either spelling finds it."""
    return [word for word, _ in tokenize_with_surface(text)]


@dataclass(frozen=True)
class SynonymGroup:
    """Phrases that mean the same thing to a searcher; each phrase is a tuple of search words.
    ``label`` names the group in ``matched_terms`` (the table's ``term`` as written). ``names_problem``:
    the group names a kind of problem to solve ("asr", "churn", "eta"), not a domain, a technology or a
    modality ("real estate", "llm", "image"); see ``ReferenceIndex.with_named_concepts``."""

    label: str
    phrases: tuple[tuple[str, ...], ...]
    names_problem: bool = False


SYNONYM_KINDS = ("problem", "domain")


def parse_synonyms(rows: Iterable[Mapping[str, str]]) -> tuple[SynonymGroup, ...]:
    """Groups from rows with ``term``, ``synonyms`` (";"-separated phrases; symmetric) and an optional
    ``kind`` ("problem" or "domain", blank for domain). Raises ``ValueError`` for another kind."""
    groups: list[SynonymGroup] = []
    for row in rows:
        term = (row.get("term") or "").strip()
        kind = (row.get("kind") or "domain").strip().lower()
        if kind not in SYNONYM_KINDS:
            raise ValueError(f"Synonym group {term!r} has kind {kind!r}; a kind is one of: {', '.join(SYNONYM_KINDS)}.")
        phrases = [term, *(row.get("synonyms") or "").split(";")]
        tokenized = tuple(dict.fromkeys(t for t in (tuple(tokenize(p)) for p in phrases) if t))
        if len(tokenized) >= 2:
            groups.append(SynonymGroup(label=term.lower(), phrases=tokenized, names_problem=kind == "problem"))
    return tuple(groups)


@lru_cache(maxsize=1)
def load_synonyms(path: Path = SYNONYMS_PATH) -> tuple[SynonymGroup, ...]:
    """The project's synonym table (``data/search_synonyms.csv``); read once per process."""
    with path.open(encoding="utf-8", newline="") as f:
        return parse_synonyms(csv.DictReader(f))
