"""Python function calls per page rerun: a load-independent A/B of two checkouts.

Wall-clock reruns on this shared two-core machine vary by up to 45 % between rounds, too much to tell a
10 % change. The number of Python function calls a rerun makes does not depend on the load, so comparing
it between two checkouts on the same database says whether a change made a page do more work.

    python -m bench.bench_page_calls                     # this checkout
    python -m bench.bench_page_calls --root /tmp/before  # another checkout (e.g. `git worktree add`)

The database is the one of bench_pages (1,000 projects, 10,000 references), built once under /tmp and
reused, so both checkouts read the same data. Page files are found under either layout (views/<page>.py
before the views/<page>/ packages, views/<page>/page.py after).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from bench.bench_pages import compile_scripts_once

ROOT = Path(__file__).resolve().parent.parent
DATABASE = Path("/tmp/greenlight-bench-pages.duckdb")
PAGES = ("overview", "worthiness", "success_metrics", "references", "resources", "projects")
RERUNS = int(os.environ.get("BENCH_RERUNS", "20"))


def page_file(root: Path, page: str) -> str:
    for candidate in (f"views/{page}/page.py", f"views/{page}.py"):
        if (root / candidate).exists():
            return candidate
    raise SystemExit(f"No page file for {page!r} under {root}/views.")


class ScriptProfiler:
    """Profiles only the script thread's runs: AppTest runs each rerun on a thread of its own."""

    def __init__(self) -> None:
        import streamlit.runtime.scriptrunner.script_runner as script_runner

        self.profile = cProfile.Profile()
        self.enabled = False
        original = script_runner.exec_func_with_error_handling

        def profiled(func: Any, ctx: Any) -> Any:
            if not self.enabled:
                return original(func, ctx)
            self.profile.enable()
            try:
                return original(func, ctx)
            finally:
                self.profile.disable()

        script_runner.exec_func_with_error_handling = profiled


def calls_per_rerun(profiler: ScriptProfiler, root: Path, page: str) -> tuple[int, float]:
    profiler.profile = cProfile.Profile()
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(page_file(root, page))
    at.run()
    at.run()  # warm caches
    profiler.enabled = True
    start = time.perf_counter()
    for _ in range(RERUNS):
        at.run()
    elapsed_s = time.perf_counter() - start
    profiler.enabled = False
    assert not at.exception, [e.value for e in at.exception]
    stats = pstats.Stats(profiler.profile)
    return stats.total_calls // RERUNS, elapsed_s * 1000 / RERUNS  # type: ignore[attr-defined]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to measure (default: this one)")
    args = parser.parse_args()
    root = args.root.resolve()
    if not DATABASE.exists():
        # In a process of its own: importing this checkout's core here would shadow the measured one's.
        build = f"from bench.bench_pages import build_database; build_database({str(DATABASE)!r})"
        subprocess.run([sys.executable, "-c", build], cwd=ROOT, check=True)
    os.environ["GREENLIGHT_DB"] = str(DATABASE)
    compile_scripts_once()
    os.chdir(root)
    sys.path.insert(0, str(root))
    print(f"{root}: mean of {RERUNS} profiled reruns per page after warm-up")
    print("| page | function calls per rerun | profiled rerun (ms) |")
    print("| --- | ---: | ---: |")
    profiler = ScriptProfiler()
    for page in PAGES:
        calls, rerun_ms = calls_per_rerun(profiler, root, page)
        print(f"| {page} | {calls:,} | {rerun_ms:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
