"""The architecture's rules, enforced: core is pure; only the store speaks DuckDB."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE_FILES = sorted((ROOT / "core").rglob("*.py"))
STORAGE_MODULES = {ROOT / "core" / "store.py"}


def imported_modules(path: Path, depth: int = 1) -> set[str]:
    """Top-level names of the modules ``path`` imports (``depth`` 2: "views.resources" for views.resources.state)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(".".join(alias.name.split(".")[:depth]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(".".join(node.module.split(".")[:depth]))
    return names


PAGE_FOLDERS = sorted(path.parent for path in (ROOT / "views").glob("*/page.py"))
GLUE_FILES = sorted((ROOT / "views").rglob("*.py")) + sorted((ROOT / "ui").rglob("*.py"))


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
    for path in GLUE_FILES:
        assert "duckdb" not in imported_modules(path), path


@pytest.mark.parametrize("folder", PAGE_FOLDERS, ids=lambda p: p.name)
def test_a_page_imports_no_other_page(folder: Path) -> None:
    """What two pages share lives in ui/; a page's own modules stay in its folder."""
    others = {f"views.{other.name}" for other in PAGE_FOLDERS if other != folder}
    for path in sorted(folder.rglob("*.py")):
        assert not imported_modules(path, depth=2) & others, path


@pytest.mark.parametrize("path", sorted((ROOT / "ui").rglob("*.py")), ids=lambda p: p.name)
def test_shared_ui_never_imports_a_page(path: Path) -> None:
    assert "views" not in imported_modules(path)


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_never_names_a_page_file(path: Path) -> None:
    assert "views/" not in path.read_text(encoding="utf-8")


def test_every_page_folder_is_a_route() -> None:
    from views import ROUTES

    assert sorted(ROUTES) == [folder.name for folder in PAGE_FOLDERS]


def test_no_page_renders_raw_html() -> None:
    """User text is shown escaped; raw HTML would let a pasted name run script in everyone's browser."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in GLUE_FILES
        if "unsafe_allow_html=True" in path.read_text(encoding="utf-8")
    ] + (["app.py"] if "unsafe_allow_html=True" in (ROOT / "app.py").read_text(encoding="utf-8") else [])
    assert offenders == []
