"""First start is atomic: the example project and the marker saying it exists are written in one transaction.

When they were two transactions, a crash between them left an example without its marker, and the next start
made a second, identical example. Here processes doing a first start are SIGKILLed at random moments (each file
twice: a fresh file, then the same file again), and the file is then opened as the app opens it: there is
exactly one example project, every time.

A long-lived helper process imports everything once and forks one child per start, so that a start costs a
fraction of a second instead of a Python start-up, and the kills land in the work on the database. Each child
pauses briefly after every committed write: a gap between two transactions, if a first start had one, is then
wide enough for random kills to hit (with two transactions, about a third of the kills landed in it).
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.example import example_project
from core.store import ROOT_DIR, open_store

pytestmark = pytest.mark.reliability

ROUNDS = 8  # two kills per round: 16 kills
PAUSE_S = 0.15
FORKER = (
    f"PAUSE_S = {PAUSE_S}\n"
    + """
import os, signal, sys, time
from core import projects as pj
from core.example import example_project
from core.store import Store, open_store
for section, document in example_project()[1].items():  # import and warm up everything a start needs
    pj.validate_section(section, document)
committing = Store._write
def slow_motion(self, work):
    result = committing(self, work)
    time.sleep(PAUSE_S)  # after the commit: a crash here falls between two transactions
    return result
Store._write = slow_motion
print("ready", flush=True)
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        started = time.monotonic()
        open_store(line.strip(), example=example_project).close()
        os.write(1, f"done {time.monotonic() - started}\\n".encode())
        os._exit(0)
    print(f"pid {pid}", flush=True)
    _, status = os.waitpid(pid, 0)
    print("exit", "killed" if os.WIFSIGNALED(status) else os.WEXITSTATUS(status), flush=True)
"""
)


class Forker:
    def __init__(self) -> None:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}  # fork-safe: no BLAS threads
        self.process = subprocess.Popen(
            [sys.executable, "-c", FORKER],
            cwd=ROOT_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self._line() == "ready", self._error()

    def _line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def _error(self) -> str:
        self.process.kill()
        return self.process.stderr.read() if self.process.stderr else ""

    def start(self, path: Path, kill_after: float | None) -> tuple[str, float | None]:
        """Start a first start on ``path``; SIGKILL it after ``kill_after`` s. Returns (outcome, seconds taken)."""
        assert self.process.stdin is not None
        self.process.stdin.write(f"{path}\n")
        self.process.stdin.flush()
        first = self._line()
        assert first.startswith("pid "), first + self._error()
        if kill_after is not None:
            time.sleep(kill_after)
            with contextlib.suppress(ProcessLookupError):  # it had finished already
                os.kill(int(first.split()[1]), signal.SIGKILL)
        seconds = None
        while (line := self._line()) and not line.startswith("exit"):
            if line.startswith("done "):
                seconds = float(line.split()[1])
        assert line in ("exit killed", "exit 0"), line + self._error()
        return ("killed" if line == "exit killed" else "finished"), seconds

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def forker() -> Iterator[Forker]:
    helper = Forker()
    yield helper
    helper.close()


def _examples(path: Path) -> list[str]:
    example_name, _ = example_project()
    store = open_store(str(path), example=example_project)
    try:
        return [p.name for p in store.list_projects() if p.name.startswith(example_name)]
    finally:
        store.close()


def _shortest_first_start_s(forker: Forker, tmp_path: Path) -> float:
    """The quickest of three undisturbed first starts: kills drawn below it land inside a start.

    One timing was not enough: on a loaded CI machine the first start once took longer than later ones, and
    with kills drawn up to 1.2 times it only 7 of 16 landed.
    """
    windows = []
    for n in range(3):
        outcome, seconds = forker.start(tmp_path / f"calibration-{n}.duckdb", None)
        assert outcome == "finished" and seconds is not None
        windows.append(seconds)
    return min(windows)


def test_a_first_start_killed_at_any_moment_never_makes_two_examples(tmp_path: Path, forker: Forker) -> None:
    rng = random.Random(18)
    window = _shortest_first_start_s(forker, tmp_path)
    outcomes = []
    for round_ in range(ROUNDS):
        path = tmp_path / f"first-start-{round_}.duckdb"
        for _kill in range(2):
            outcomes.append(forker.start(path, rng.uniform(0.0, window))[0])
        examples = _examples(path)
        assert len(examples) == 1, (round_, examples)
        assert _examples(path) == examples  # and a later start adds none
    print(f"first start {window:.2f} s; kills={len(outcomes)} killed_mid_start={outcomes.count('killed')}")
    assert outcomes.count("killed") >= ROUNDS  # most kills did land during a first start
