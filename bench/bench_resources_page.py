"""Benchmark: the /resources page's rerun after a widget change (target <= 100 ms median), and evaluate_plan.

Run: ``.venv/bin/python -m bench.bench_resources_page`` (``--runs N`` changes the repetitions, default 12).

What it times, with time.perf_counter around ``AppTest.run()`` (the whole app: entry file, sidebar,
store reads and the page), on a fresh temporary database holding the example project:

* baseline: a one-line Streamlit page (``st.write``) through AppTest, in the same process and run;
* every widget change uses a value not seen before, so each rerun computes a new plan (no cached
  evaluation): batch size, architecture, device (Memory & fit tab open), peak requests per second
  submitted in the serving form (Serving tab open), dataset size submitted in the training form
  (Training tab open);
* a rerun with nothing changed and a switch between tabs (the evaluation is cached then);
* ``evaluate_plan`` alone (no Streamlit) for the example scenario and an 8 B chat-serving scenario, and
  the fit table over the whole accelerator catalogue.

AppTest adds its own overhead (it serialises every element and rebuilds the element tree), so the
baseline line shows how much of each figure is the harness. Medians of --runs reruns after one warm-up.
This is not a timed test; the numbers vary with the machine's load, printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 100.0


def _median_ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples):6.1f} ms (min {min(samples):.1f}, max {max(samples):.1f})"


def time_reruns(at, change: Callable[[int], None], runs: int) -> list[float]:
    """Apply ``change(i)`` then time ``at.run()``; the first (warm-up) run is not counted."""
    timings = []
    for i in range(runs + 1):
        change(i)
        start = time.perf_counter()
        at.run()
        elapsed = (time.perf_counter() - start) * 1_000
        if at.exception:
            raise RuntimeError(f"the page raised: {[e.value for e in at.exception]}")
        if i:
            timings.append(elapsed)
    return timings


def page_figures(runs: int) -> tuple[list[str], bool]:
    os.environ["GREENLIGHT_DB"] = str(Path(tempfile.mkdtemp()) / "bench.duckdb")
    from streamlit.testing.v1 import AppTest

    baseline = AppTest.from_string("import streamlit as st\nst.write('hello')", default_timeout=120)
    baseline.run()
    base = time_reruns(baseline, lambda i: None, runs)

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()  # AppTest maps a page file to its st.navigation url_path only after a first run
    at.switch_page("views/resources/page.py")
    at.run()
    at.radio(key="res_model_source").set_value("Catalogue").run()
    at.selectbox(key="res_model").set_value("llama-3.1-8b").run()
    at.selectbox(key="res_device").set_value("h100-sxm").run()

    models = [
        "llama-3.2-1b",
        "llama-3.2-3b",
        "mistral-7b",
        "qwen2.5-7b",
        "gemma-2-9b",
        "llama-2-13b",
        "phi-3-mini",
        "gpt2-xl",
        "qwen2.5-0.5b",
        "gemma-2-2b",
        "llama-2-7b",
        "mistral-nemo-12b",
        "gpt2-large",
        "llama-3.1-8b",
    ]
    devices = [
        "a100-80gb-sxm",
        "l40s",
        "h200-sxm",
        "a100-40gb",
        "rtx-4090",
        "l4",
        "b200",
        "mi300x",
        "a10g",
        "rtx-3090",
        "v100-32gb",
        "h100-pcie",
        "gh200",
        "h100-sxm",
    ]
    figures: list[tuple[str, list[float]]] = [("one-line page (baseline)", base)]
    figures.append(
        (
            "batch size (Memory & fit)",
            time_reruns(at, lambda i: at.number_input(key="res_batch").set_value(2 + i), runs),
        )
    )
    figures.append(
        (
            "architecture (Memory & fit)",
            time_reruns(at, lambda i: at.selectbox(key="res_model").set_value(models[i % len(models)]), runs),
        )
    )
    figures.append(
        (
            "device (Memory & fit)",
            time_reruns(at, lambda i: at.selectbox(key="res_device").set_value(devices[i % len(devices)]), runs),
        )
    )
    at.session_state["res_tab"] = "Serving"
    at.run()

    def submit_peak(i: int) -> None:
        at.number_input(key="res_peak_rps").set_value(21.0 + i)
        at.button(key="res_serving_apply").click()

    figures.append(("peak requests/s submitted (Serving)", time_reruns(at, submit_peak, runs)))
    at.session_state["res_tab"] = "Training"
    at.run()

    def submit_data(i: int) -> None:
        at.number_input(key="res_data_size").set_value(1e9 * (2 + i))
        at.button(key="res_training_apply").click()

    figures.append(("dataset size submitted (Training)", time_reruns(at, submit_data, runs)))
    figures.append(("rerun, nothing changed (cached)", time_reruns(at, lambda i: None, runs)))
    tabs = ["Memory & fit", "Serving", "Training", "People"]
    figures.append(
        (
            "switch tab (cached evaluation)",
            time_reruns(at, lambda i: at.session_state.__setitem__("res_tab", tabs[i % len(tabs)]), runs),
        )
    )

    lines = [
        f"AppTest reruns of the whole app on /resources, {runs} runs each after a warm-up "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):",
        "",
    ]
    met = True
    for name, samples in figures:
        lines.append(f"    {name:<38} {_median_ms(samples)}")
        if name.startswith(("batch", "architecture", "device", "peak", "dataset")):
            met = met and statistics.median(samples) <= TARGET_MS
    lines.append("")
    lines.append(f"Target: every widget change <= {TARGET_MS:.0f} ms median: {'met' if met else 'MISSED'}.")
    return lines, met


def core_figures(runs: int) -> list[str]:
    from core.resources.accelerators import load_accelerators
    from core.resources.architectures import load_architectures
    from core.resources.evaluate import evaluate_plan, plan_architecture, plan_workload
    from core.resources.fit import fit_table
    from core.resources.plan import ResourcePlan, example_resources
    from core.resources.serving import ServingDemand
    from core.store import read_catalogue

    archs = load_architectures(read_catalogue("architectures"))
    accs = list(load_accelerators(read_catalogue("accelerators")).values())
    chat = ResourcePlan(
        name="8B chat",
        model_key="llama-3.1-8b",
        batch=8,
        prompt_tokens=512,
        new_tokens=256,
        device_key="h100-sxm",
        serving=ServingDemand(
            peak_requests_per_s=50, average_requests_per_s=20, latency_target_p95_s=10, output_tokens=256
        ),
    )
    cases = [
        ("evaluate_plan, example CPU scenario", example_resources().scenarios[0]),
        ("evaluate_plan, 8B chat serving", chat),
    ]
    lines = [f"Core, no Streamlit ({len(accs)} accelerators; {runs * 3} runs each):", ""]
    for name, plan in cases:
        samples = []
        evaluate_plan(plan, archs, accs)
        for _ in range(runs * 3):
            start = time.perf_counter()
            evaluate_plan(plan, archs, accs)
            samples.append((time.perf_counter() - start) * 1_000)
        lines.append(f"    {name:<38} {_median_ms(samples)}")
    train = replace(
        chat,
        name="8B training",
        mode="train",
        precision="amp",
        batch=4,
        seq=2048,
        prompt_tokens=None,
        new_tokens=None,
        serving=None,
    )
    for name, plan in (("fit table, 8B generation", chat), ("fit table, 8B training (amp)", train)):
        arch, workload = plan_architecture(plan, archs), plan_workload(plan)
        samples = []
        for _ in range(runs * 3):
            start = time.perf_counter()
            fit_table(arch, workload, accs)
            samples.append((time.perf_counter() - start) * 1_000)
        lines.append(f"    {name:<38} {_median_ms(samples)}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=12)
    args = parser.parse_args()
    lines, met = page_figures(max(10, args.runs))
    print("\n".join(lines))
    print()
    print("\n".join(core_figures(max(10, args.runs))))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
