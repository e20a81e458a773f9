"""The architecture's rules, enforced: core is pure; only the store speaks DuckDB."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE_FILES = sorted((ROOT / "core").rglob("*.py"))
STORAGE_MODULES = {ROOT / "core" / "store.py"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_never_imports_streamlit(path: Path) -> None:
    assert "streamlit" not in imported_modules(path)


@pytest.mark.parametrize(
    "path", [p for p in CORE_FILES if p not in STORAGE_MODULES], ids=lambda p: str(p.relative_to(ROOT))
)
def test_only_the_store_imports_duckdb(path: Path) -> None:
    assert "duckdb" not in imported_modules(path)


def test_the_rule_sees_an_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import duckdb\nfrom streamlit import cache_data\n")
    assert imported_modules(sample) == {"duckdb", "streamlit"}


def test_pages_never_import_duckdb() -> None:
    for path in sorted((ROOT / "views").glob("*.py")) + sorted((ROOT / "ui").glob("*.py")):
        assert "duckdb" not in imported_modules(path), path


def test_no_page_renders_raw_html() -> None:
    """User text is shown escaped; raw HTML would let a pasted name run script in everyone's browser."""
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("views", "ui")
        for path in sorted((ROOT / folder).glob("*.py"))
        if "unsafe_allow_html=True" in path.read_text(encoding="utf-8")
    ] + (["app.py"] if "unsafe_allow_html=True" in (ROOT / "app.py").read_text(encoding="utf-8") else [])
    assert offenders == []
