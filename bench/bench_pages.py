"""Script rerun time of every page with a large database, against a one-line Streamlit page.

Setup: a temporary database holding 1,000 projects (copies of the example) and a
reference catalogue grown to 10,000 entries (the 2,100 seeded plus own references).
Each page is run once to warm caches, then rerun N times through AppTest; the
median is reported next to the median of a one-line page measured in the same run.

AppTest compiles every script afresh on every run (a new ScriptCache per run), while the server
compiles each page script once per process. The benchmark shares one cache across runs, as the server
does, so a page's rerun time does not grow with the length of its script file.

``--db postgresql`` (a throwaway cluster with PostgreSQL's default fsync=on, tests/postgres_server.py) or
``--db postgresql://...`` (an empty database) measures the same pages on PostgreSQL against the DuckDB file in
the same run: the workspace is built on the DuckDB file and copied with ``core.store.copy_workspace``; each page
gets one AppTest per target, and the two are rerun alternately, so both see the same machine load. It also
times one save (a rater's scores through ``Store.edit_sections``, what the worthiness page's Save calls),
alternately on each target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "overview (/)": None,
    "/worthiness": "views/worthiness/page.py",
    "/success-metrics": "views/success_metrics/page.py",
    "/references": "views/references/page.py",
    "/resources": "views/resources/page.py",
    "/gpus": "views/accelerators/page.py",
    "/projects": "views/projects/page.py",
}
RERUNS = int(os.environ.get("BENCH_RERUNS", "15"))
SAVES = int(os.environ.get("BENCH_SAVES", "25"))
PROJECTS = 1_000
REFERENCES = 10_000


def build_database(path: str) -> None:
    sys.path.insert(0, str(ROOT))
    from core.example import example_project
    from core.store import open_store

    store = open_store(path, example=example_project)
    name, sections = example_project()
    for i in range(PROJECTS - 1):
        store.create_project(f"{name} #{i + 2}", sections)
    seeded = len(store.catalogue("references"))
    template = store.catalogue("references")[0]
    for i in range(REFERENCES - seeded):
        row = {k: v for k, v in template.items() if k != "origin"}
        row.update(
            id=f"own-{i:012x}",
            title=f"Internal project {i}: {template['title']}",
            source_url=f"https://intranet.example.com/projects/{i}",
        )
        store.add_user_reference(row["id"], row)
    store.close()


def compile_scripts_once() -> None:
    """Make AppTest keep compiled scripts between runs, as the server's Runtime does."""
    import streamlit.testing.v1.app_test as app_test
    import streamlit.testing.v1.local_script_runner as local_script_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    shared = ScriptCache()
    for module in (app_test, local_script_runner):
        module.ScriptCache = lambda: shared


def median_rerun_ms(at: AppTest) -> float:
    at.run()  # warm caches
    times = []
    for _ in range(RERUNS):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        assert not at.exception, [e.value for e in at.exception]
    return statistics.median(times)


def page_app(label: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    page = PAGES[label]
    if page:
        at.switch_page(page)
    return at


def main_duckdb_only() -> int:
    with tempfile.TemporaryDirectory() as folder:
        database = str(Path(folder) / "bench.duckdb")
        start = time.perf_counter()
        build_database(database)
        setup_s = time.perf_counter() - start
        os.environ["GREENLIGHT_DB"] = database
        compile_scripts_once()
        baseline = median_rerun_ms(AppTest.from_string("import streamlit as st\nst.write('hello')", default_timeout=60))
        print(
            f"{PROJECTS:,} projects and {REFERENCES:,} reference entries (setup {setup_s:.0f} s); "
            f"median of {RERUNS} reruns per page after one warm-up run.\n"
        )
        print("| page | median rerun (ms) | one-line page (ms) | ratio | target ≤ 100 ms |")
        print("| --- | ---: | ---: | ---: | --- |")
        for label in PAGES:
            median = median_rerun_ms(page_app(label))
            verdict = "met" if median <= 100 else "missed"
            print(f"| {label} | {median:.1f} | {baseline:.1f} | {median / baseline:.1f}× | {verdict} |")
    return 0


@contextmanager
def postgres_database(given: str) -> Iterator[str]:
    """The PostgreSQL URL to measure: ``given``, or a database on a throwaway cluster for ``postgresql``."""
    if given != "postgresql":
        yield given
        return
    sys.path.insert(0, str(ROOT))
    from tests.postgres_server import PostgresServer

    server = PostgresServer(durable=True).start()  # fsync on, as a DuckDB file syncs every commit
    try:
        yield server.url()
    finally:
        server.remove()


def _timed_ms(action: Any) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def _alternate(actions: dict[str, Any], runs: int) -> dict[str, float]:
    """Median ms of each action, run alternately (one of each per round) after one untimed warm-up each."""
    for action in actions.values():
        action()
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            times[name].append(_timed_ms(action))
    return {name: statistics.median(found) for name, found in times.items()}


def _rerun(at: AppTest, target: str) -> None:
    os.environ["GREENLIGHT_DB"] = target  # read on every run (ui.state.database_target)
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _save_action(target: str) -> Any:
    from core.ratings import RaterSection
    from core.store import open_store
    from core.worthiness import Scores

    store = open_store(target)
    project_id = store.list_projects()[-1].id
    candidate = "c1"
    count = [0]

    def save() -> None:
        count[0] += 1
        scores = Scores(impact=1 + count[0] % 5, value=3, complexity=3, risk=3, cost=3, suitability=3)
        document = RaterSection("Bench rater", {candidate: scores}).to_document()
        store.edit_sections(project_id, lambda _: {"ratings:Bench rater": document}, "bench save", author="bench")

    return save


def main_against_postgres(given: str) -> int:
    sys.path.insert(0, str(ROOT))
    from core.store import copy_workspace, open_store, redact_target

    with tempfile.TemporaryDirectory() as folder, postgres_database(given) as url:
        database = str(Path(folder) / "bench.duckdb")
        start = time.perf_counter()
        build_database(database)
        setup_s = time.perf_counter() - start
        start = time.perf_counter()
        source, destination = open_store(database), open_store(url)
        copy_workspace(source, destination)
        source.close()
        destination.close()
        copy_s = time.perf_counter() - start
        targets = {"DuckDB file": database, "PostgreSQL": url}
        compile_scripts_once()
        baseline = median_rerun_ms(AppTest.from_string("import streamlit as st\nst.write('hello')", default_timeout=60))
        print(
            f"{PROJECTS:,} projects and {REFERENCES:,} reference entries on each target (built on the DuckDB file in "
            f"{setup_s:.0f} s, copied to PostgreSQL {redact_target(url)} with copy-db's copy_workspace in "
            f"{copy_s:.0f} s); median of {RERUNS} reruns per page and target after one warm-up run, the two "
            "targets rerun alternately.\n"
        )
        print("| page | DuckDB file (ms) | PostgreSQL (ms) | PostgreSQL / DuckDB | one-line page (ms) |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for label in PAGES:
            apps = {name: page_app(label) for name in targets}
            medians = _alternate(
                {name: (lambda at=apps[name], t=targets[name]: _rerun(at, t)) for name in targets}, RERUNS
            )
            duck, pg = medians["DuckDB file"], medians["PostgreSQL"]
            print(f"| {label} | {duck:.1f} | {pg:.1f} | {pg / duck:.2f}× | {baseline:.1f} |")
        saves = _alternate({name: _save_action(target) for name, target in targets.items()}, SAVES)
        duck, pg = saves["DuckDB file"], saves["PostgreSQL"]
        print(f"| one save (a rater's scores, median of {SAVES}) | {duck:.1f} | {pg:.1f} | {pg / duck:.2f}× | |")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_pages", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        default="duckdb",
        help="duckdb (default: a DuckDB file only), or postgresql / postgresql://... to compare against it",
    )
    args = parser.parse_args(argv)
    if args.db == "duckdb":
        return main_duckdb_only()
    if args.db != "postgresql" and not args.db.startswith(("postgresql://", "postgres://")):
        parser.error("--db takes duckdb, postgresql or a postgresql:// URL")
    return main_against_postgres(args.db)


if __name__ == "__main__":
    sys.exit(main())
