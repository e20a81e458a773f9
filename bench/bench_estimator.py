"""Benchmark: the resource estimator's fit table over the whole accelerator catalogue (target <= 10 ms).

Run: ``.venv/bin/python -m bench.bench_estimator`` (add ``--runs N`` to change the repetitions).

One run is what the resource page does after a widget changes: ``fit_table`` for one workload
over every catalogue accelerator (memory on one device, the fewest devices and their layout,
bytes per device, price, expected throughput). Catalogue loading is excluded (the page caches
it). Each figure is the median of ``--runs`` runs timed with time.perf_counter after one
warm-up run, printed with the minimum and maximum. Workloads cover the easy case (everything
fits on one device) and the worst case (a 405B model, where every device needs a multi-device
layout search). A baseline line times one ``estimate_memory`` call.

This is not a timed test; the figures vary with the machine's load.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Run as a script from anywhere: make the repository root importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.resources.accelerators import load_accelerators
from core.resources.architectures import load_architectures
from core.resources.fit import fit_table
from core.resources.memory import Workload, estimate_memory

TARGET_MS = 10.0


def _time(call: Callable[[], object], runs: int) -> tuple[float, float, float]:
    call()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1e3)
    return statistics.median(samples), min(samples), max(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args(argv)
    archs = load_architectures()
    accelerators = list(load_accelerators().values())
    cases = [
        ("ResNet-50 training, batch 256 (fits everywhere)", "resnet50", Workload(mode="train", batch=256)),
        ("Llama 3.1 8B LoRA, 8 x 2,048 tokens", "llama-3.1-8b", Workload(mode="lora", batch=8, seq=2048)),
        (
            "Llama 3.1 70B generation, 8 x (2,048 + 512) tokens",
            "llama-3.1-70b",
            Workload(batch=8, prompt_tokens=2048, new_tokens=512),
        ),
        (
            "Llama 3.1 70B on vLLM, 8 x (2,048 + 512) tokens (KV pool per device)",
            "llama-3.1-70b",
            Workload(batch=8, prompt_tokens=2048, new_tokens=512, engine="vllm"),
        ),
        (
            "Llama 3.1 405B training, 64 x 4,096 tokens (worst case)",
            "llama-3.1-405b",
            Workload(mode="train", batch=64, seq=4096),
        ),
    ]
    print(f"Fit table over {len(accelerators)} accelerators, median of {args.runs} runs (target <= {TARGET_MS:g} ms).")
    print()
    print("| workload | median ms | min ms | max ms |")
    print("| --- | ---: | ---: | ---: |")
    base = _time(lambda: estimate_memory(archs["llama-3.1-8b"], cases[1][2]), args.runs)
    print(f"| baseline: one estimate_memory (8B LoRA) | {base[0]:.3f} | {base[1]:.3f} | {base[2]:.3f} |")
    for label, key, workload in cases:
        median, low, high = _time(lambda k=key, w=workload: fit_table(archs[k], w, accelerators), args.runs)
        print(f"| {label} | {median:.2f} | {low:.2f} | {high:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
