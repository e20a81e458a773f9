"""Run every benchmark (``make bench``) and write their figures to docs/benchmarks.md.

Each ``bench/bench_*.py`` module is run in its own process (so one cannot warm
another's caches) and prints its own Markdown; this file adds the machine's
description and the command that produced each figure.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "benchmarks.md"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores{memory}, {system}, Python {platform.python_version()}"


def main(argv: list[str]) -> int:
    names = argv or sorted(path.stem for path in (ROOT / "bench").glob("bench_*.py"))
    parts = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench`); every figure is a median of repeated runs in one process,",
        "compared where possible against a baseline measured in the same run (this machine is shared and noisy).",
        "",
        f"- Machine: {machine()}",
        f"- Run at: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
    ]
    status = 0
    for name in names:
        print(f"running {name} …", file=sys.stderr, flush=True)
        command = [sys.executable, "-m", f"bench.{name}"]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        parts += [f"## {name}", "", f"Command: `python -m bench.{name}`", ""]
        if result.returncode != 0:
            status = 1
            parts += ["Failed:", "", "```", result.stderr[-3000:], "```", ""]
        else:
            parts += [result.stdout.strip(), ""]
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text("\n".join(parts) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
