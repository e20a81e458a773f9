"""Cold start and server memory: Greenlight against `streamlit hello`, measured in the same run.

Cold start = from launching `streamlit run` to the first page having finished
rendering in headless Chromium (Streamlit marks the app element when the script
is done). Server memory = the server process's resident set size (VmRSS) right
after that first render. Runs alternate between the two apps to share the noise.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_COLD_RUNS", "5"))
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(command: list[str], browser, env: dict[str, str], wait_for: str) -> tuple[float, float]:
    port = _port()
    start = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.05)
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector(wait_for, timeout=120_000)
        page.wait_for_selector(READY, timeout=120_000)
        elapsed = time.perf_counter() - start
        rss = _rss_mb(process.pid)
        page.close()
        return elapsed, rss
    finally:
        process.terminate()
        process.wait(10)


def main() -> int:
    streamlit = [sys.executable, "-m", "streamlit"]
    results: dict[str, list[tuple[float, float]]] = {"greenlight": [], "hello": []}
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"]
        )
        for run in range(RUNS):
            env = {**os.environ, "GREENLIGHT_DB": str(Path(folder) / f"cold{run}.duckdb")}
            results["hello"].append(measure([*streamlit, "hello"], browser, env, "h1"))
            results["greenlight"].append(measure([*streamlit, "run", "app.py"], browser, env, "h1"))
        browser.close()
    hello_s = statistics.median(t for t, _ in results["hello"])
    app_s = statistics.median(t for t, _ in results["greenlight"])
    hello_mb = statistics.median(m for _, m in results["hello"])
    app_mb = statistics.median(m for _, m in results["greenlight"])
    print(f"Median of {RUNS} alternating cold starts (a fresh database each time, so Greenlight's figure includes")
    print("creating it, migrating, seeding the catalogues and the example project).\n")
    print("| measure | Greenlight | streamlit hello | ratio | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    print(f"| cold start to first render (s) | {app_s:.2f} | {hello_s:.2f} | {app_s / hello_s:.2f}× | ≤ 1.5× |")
    print(
        f"| server RSS after first render (MB) | {app_mb:.0f} | {hello_mb:.0f} | {app_mb / hello_mb:.2f}× | "
        "≤ 2× and ≪ 2,700 MB |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
