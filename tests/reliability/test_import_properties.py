"""Property-based import: any file either imports exactly or is refused with a message, never half-written."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import projects as pj
from core.example import example_project
from core.store import Store, open_store
from core.text import has_visible_text

pytestmark = pytest.mark.reliability

_NAME, _SECTIONS = example_project()
# A valid name shows at least one character (a name of only zero-width or bidi marks is refused).
names = st.text(min_size=1, max_size=pj.MAX_NAME_CHARS).filter(
    lambda s: has_visible_text(s) and "\n" not in s and "\r" not in s
)
ids = st.text(alphabet="0123456789abcdef", min_size=12, max_size=12)


@st.composite
def valid_documents(draw: st.DrawFn) -> dict[str, Any]:
    sections = {key: value for key, value in _SECTIONS.items() if draw(st.booleans())}
    if any(key.startswith("ratings:") for key in sections):
        sections["worthiness"] = _SECTIONS["worthiness"]
    name = draw(names)
    if any(ord(ch) < 32 for ch in name):
        name = "Imported"
    return pj.project_document(draw(ids), name, sections)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


REPLACEMENTS: list[object] = [None, -1, 1e308, float("nan"), "", "x" * 300, [], {}, True, "<script>alert(1)</script>"]


@st.composite
def corrupted_files(draw: st.DrawFn) -> bytes:
    document = copy.deepcopy(draw(valid_documents()))
    kind = draw(st.sampled_from(["replace", "delete", "truncate", "garbage"]))
    if kind == "truncate":
        data = pj.export_json([document])
        return data[: draw(st.integers(0, len(data) - 1))]
    if kind == "garbage":
        return draw(st.binary(max_size=200))
    path = draw(st.sampled_from(_paths(document)))
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    if kind == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(st.sampled_from(REPLACEMENTS))
    return json.dumps({"kind": "greenlight-export", "schema_version": 1, "projects": [document]}).encode()


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return open_store(str(Path(tmp_path_factory.mktemp("import")) / "import.duckdb"))


def _snapshot(store: Store) -> list[dict[str, Any]]:
    return store.export_documents()


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=valid_documents())
def test_a_valid_file_imports_exactly(shared_store: Store, document: dict[str, Any]) -> None:
    [new_id] = shared_store.import_documents(pj.parse_import(pj.export_json([document])))
    project = shared_store.get_project(new_id)
    assert project is not None
    assert_imported_as(project.document(), document)


def assert_imported_as(stored: dict[str, Any], document: dict[str, Any]) -> None:
    """Stored exactly as in the file, but for the id and a name already in use, which gets " (n)"."""
    if stored["name"] != document["name"]:
        numbered = re.fullmatch(r"(.*) \((\d+)\)", stored["name"], re.DOTALL)
        assert numbered and int(numbered[2]) >= 2 and document["name"].startswith(numbered[1]), stored["name"]
    assert {**stored, "id": document["id"], "name": document["name"]} == document


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=corrupted_files())
def test_a_corrupted_file_imports_exactly_or_is_refused_without_a_write(shared_store: Store, data: bytes) -> None:
    before = _snapshot(shared_store)
    try:
        documents = pj.parse_import(data)
        imported = shared_store.import_documents(documents)
    except ValueError as error:
        assert str(error)  # a sentence, not an empty message
        assert _snapshot(shared_store) == before
        return
    for document, new_id in zip(documents, imported, strict=True):
        project = shared_store.get_project(new_id)
        assert project is not None
        assert_imported_as(project.document(), json.loads(json.dumps(document)))
