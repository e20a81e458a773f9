"""Benchmark: database growth and time per save of a large project (issue: 270 MB after 1,700 large saves).

Run: ``.venv/bin/python -m bench.bench_history`` (``--saves N`` to change the number of saves).

A project of about 160 kB (20 raters' sections with long candidate ids) is saved N times, each save changing
one rater's scores, as in a meeting. Measured: bytes the DuckDB file grows per save after a CHECKPOINT, and the
median time per save. Baseline in the same run: the schema before migration 003, which kept a copy of the
whole project document per version (emulated with the same table shape and a plain INSERT per save).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from core.ratings import RaterSection
from core.store import open_store
from core.worthiness import Scores

RATERS = 20
CANDIDATES = 60


def _rater(index: int, save: int) -> dict[str, Any]:
    scores = {
        f"c{c:03d}-{'x' * 35}": Scores(
            impact=(c + save) % 5 + 1, value=3, complexity=3, risk=3, cost=3, suitability=(c * index) % 5 + 1
        )
        for c in range(CANDIDATES)
    }
    return RaterSection(f"Rater {index}", scores).to_document()


def _size(path: Path, con: duckdb.DuckDBPyConnection) -> int:
    con.execute("CHECKPOINT")
    return path.stat().st_size


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=300)
    saves = parser.parse_args(argv).saves
    sections = {f"ratings:Rater {i}": _rater(i, 0) for i in range(RATERS)}
    document_bytes = len(json.dumps(sections))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.duckdb"
        store = open_store(str(path))
        project_id = store.create_project("Large", sections)
        start_size = _size(path, store._con)
        timings = []
        for n in range(1, saves + 1):
            began = time.perf_counter()
            store.save_section(project_id, f"ratings:Rater {n % RATERS}", _rater(n % RATERS, n), f"save {n}")
            timings.append(time.perf_counter() - began)
        growth = (_size(path, store._con) - start_size) / saves
        store.close()

        baseline_path = Path(folder) / "baseline.duckdb"
        con = duckdb.connect(str(baseline_path))
        con.execute("CREATE TABLE project_versions (project_id VARCHAR, version INTEGER, document JSON)")
        base_start = _size(baseline_path, con)
        base_timings = []
        whole = dict(sections)
        for n in range(1, saves + 1):
            whole[f"ratings:Rater {n % RATERS}"] = _rater(n % RATERS, n)
            began = time.perf_counter()
            con.execute("INSERT INTO project_versions VALUES ('p', ?, ?)", [n, json.dumps(whole, sort_keys=True)])
            base_timings.append(time.perf_counter() - began)
        base_growth = (_size(baseline_path, con) - base_start) / saves
        con.close()

    print(
        f"Project document: {document_bytes / 1e3:,.0f} kB ({RATERS} raters x {CANDIDATES} candidates); {saves} saves."
    )
    print("")
    rows = [
        ("whole document per version (before)", base_growth, base_timings, "insert only"),
        ("changed section once, compressed (now)", growth, timings, "whole save"),
    ]
    print("| history storage | file growth per save | median time per save |")
    print("| --- | ---: | ---: |")
    for label, grown, times, what in rows:
        print(f"| {label} | {grown / 1e3:,.1f} kB | {statistics.median(times) * 1e3:.1f} ms ({what}) |")
    print("")
    print(f"Growth ratio now / before: {growth / base_growth:.3f}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
