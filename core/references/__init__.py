"""Reference projects: the catalogue's rows, ranked offline search, similarity and coverage.

The catalogue (``data/references.csv``, built by ``data/build_references.py``) lists public write-ups
in which a company describes an ML system it runs. A planner searches it to find companies in the
same industry that solved a similar problem: proof that a use case is worth it and a pointer to how
others designed it.

Typical use (the page caches the index; it is immutable and safe to share)::

    refs = load_references(read_catalogue("references"))
    index = build_index(refs + own_refs)
    hits = index.search("predict when the food arrives", industry="delivery & mobility")

Modules:
- ``catalogue``: ``Reference`` (a validated row), reading catalogue rows, ``ScoredReference`` (a hit);
- ``text``: search words, plural folding, stopwords, the synonym table;
- ``index``: the BM25 index, query widening (word forms, typos, synonyms) and ``search``;
- ``similar``: references close to a worthiness candidate;
- ``coverage``: references per industry x task, the company list;
- ``evidence``: references attached to candidates, own references typed into a form;
- ``cli``: ``python -m core references``.

Model sizes by task, read from the architecture catalogue, are in ``core.resources.model_sizes``.
"""

from core.references.catalogue import ORIGINS, Reference, ScoredReference, load_references
from core.references.coverage import CoverageCell, companies, coverage
from core.references.index import MAX_QUERY_CHARS, MAX_TOP, ReferenceIndex, build_index, search_references
from core.references.similar import similar_references
from core.references.text import SynonymGroup, load_synonyms, normalise_word, parse_synonyms, tokenize

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_TOP",
    "ORIGINS",
    "CoverageCell",
    "Reference",
    "ReferenceIndex",
    "ScoredReference",
    "SynonymGroup",
    "build_index",
    "companies",
    "coverage",
    "load_references",
    "load_synonyms",
    "normalise_word",
    "parse_synonyms",
    "search_references",
    "similar_references",
    "tokenize",
]
