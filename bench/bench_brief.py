"""Decision brief generation for the example project: PDF (with two charts) and Markdown.

"First PDF" is measured in fresh processes (overview, chart-engine start-up and PDF), median of three;
the very first one after other work can be slower still, while the operating system reads the chart
engine's native library from disk.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from datetime import date

from core.brief import BriefInputs, brief_markdown, brief_pdf
from core.decision import build_overview
from core.example import example_project
from core.references import load_references
from core.store import read_catalogue

RUNS = 7
FRESH_PROCESSES = 3


def example_inputs() -> BriefInputs:
    name, sections = example_project()
    references = load_references(read_catalogue("references"))
    overview = build_overview(sections, references=references, today=date.today())
    return BriefInputs(name, overview, date.today(), {"weights": 2e9, "activations": 6e9}, 24e9, "L4")


def first_pdf_s() -> float:
    start = time.perf_counter()
    brief_pdf(example_inputs())
    return time.perf_counter() - start


def main() -> int:
    if sys.argv[1:] == ["--first"]:
        print(first_pdf_s())
        return 0
    fresh = [
        float(
            subprocess.run(
                [sys.executable, "-m", "bench.bench_brief", "--first"], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(FRESH_PROCESSES)
    ]
    inputs = example_inputs()
    brief_pdf(inputs)
    pdf_times, md_times = [], []
    for _ in range(RUNS):
        t = time.perf_counter()
        brief_pdf(inputs)
        pdf_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        brief_markdown(inputs)
        md_times.append(time.perf_counter() - t)
    print("| measure | seconds | target |")
    print("| --- | ---: | --- |")
    print(
        f"| first PDF in a fresh process, median of {FRESH_PROCESSES} (runs: "
        f"{', '.join(f'{t:.2f}' for t in fresh)}) | {statistics.median(fresh):.2f} | ≤ 2 s |"
    )
    print(f"| PDF in a warm process, median of {RUNS} | {statistics.median(pdf_times):.2f} | ≤ 2 s |")
    print(f"| Markdown, median of {RUNS} | {statistics.median(md_times):.4f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
