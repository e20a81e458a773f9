"""Script rerun time of every page with a large database, against a one-line Streamlit page.

Setup: a temporary database holding 1,000 projects (copies of the example) and a
reference catalogue grown to 10,000 entries (the 2,100 seeded plus own references).
Each page is run once to warm caches, then rerun N times through AppTest; the
median is reported next to the median of a one-line page measured in the same run.

AppTest compiles every script afresh on every run (a new ScriptCache per run), while the server
compiles each page script once per process. The benchmark shares one cache across runs, as the server
does, so a page's rerun time does not grow with the length of its script file.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

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


def main() -> int:
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
        for label, page in PAGES.items():
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            if page:
                at.switch_page(page)
            median = median_rerun_ms(at)
            verdict = "met" if median <= 100 else "missed"
            print(f"| {label} | {median:.1f} | {baseline:.1f} | {median / baseline:.1f}× | {verdict} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
