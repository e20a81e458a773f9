"""Storage under a meeting's load and under crashes: no lost save, no half-written project."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from core.ratings import RaterSection, ratings_section_name
from core.store import ROOT_DIR, Store, open_store
from core.worthiness import Scores

pytestmark = pytest.mark.reliability

THREADS = 20
SAVES_PER_THREAD = 50


def _ratings(rater: str, n: int) -> dict[str, object]:
    """A rater's section whose content encodes the save number n (1..5 cycles through impact)."""
    scores = Scores(impact=n % 5 + 1, value=3, complexity=3, risk=3, cost=3, suitability=3)
    return RaterSection(rater, {f"c{n}": scores}).to_document()


def test_twenty_threads_saving_at_once_lose_nothing(store: Store) -> None:
    shared = store.create_project("Shared meeting")
    own = [store.create_project(f"Own {i}") for i in range(THREADS // 2)]
    errors: list[BaseException] = []

    def work(thread: int) -> None:
        project_id = shared if thread % 2 else own[thread // 2]
        rater = f"Rater {thread}"
        try:
            for n in range(SAVES_PER_THREAD):
                store.save_section(project_id, ratings_section_name(rater), _ratings(rater, n), f"{rater} #{n}")
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    shared_project = store.get_project(shared)
    assert shared_project is not None
    assert shared_project.version == 1 + (THREADS // 2) * SAVES_PER_THREAD
    changes = {change for _, _, change in store.list_versions(shared)}
    assert {f"Rater {t} #{n}" for t in range(1, THREADS, 2) for n in range(SAVES_PER_THREAD)} <= changes
    for number in range(1, THREADS, 2):
        last = shared_project.sections[ratings_section_name(f"Rater {number}")]
        assert last == _ratings(f"Rater {number}", SAVES_PER_THREAD - 1)
    for project_id in own:
        project = store.get_project(project_id)
        assert project is not None and project.version == 1 + SAVES_PER_THREAD


CHILD = """
import sys
from core.ratings import RaterSection, ratings_section_name
from core.store import open_store
from core.worthiness import Scores
store = open_store(sys.argv[1])
project_id = sys.argv[2]
n = int(sys.argv[3])
while True:
    scores = Scores(impact=n % 5 + 1, value=3, complexity=3, risk=3, cost=3, suitability=3)
    document = RaterSection("Crash", {f"c{n}": scores}).to_document()
    store.save_section(project_id, ratings_section_name("Crash"), document, f"save {n}")
    print(n, flush=True)
    n += 1
"""


def test_killing_a_saving_process_keeps_every_acknowledged_save(tmp_path: Path) -> None:
    path = str(tmp_path / "crash.duckdb")
    store = open_store(path)
    project_id = store.create_project("Crash test")
    store.close()
    rng = random.Random(7)
    next_save = 0
    for _kill in range(10):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, path, project_id, str(next_save)],
            cwd=ROOT_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        first = child.stdout.readline()  # the child is saving once it has acknowledged one save
        assert first.strip(), child.stderr.read() if child.stderr else ""
        time.sleep(rng.uniform(0.0, 0.3))
        child.send_signal(signal.SIGKILL)
        acknowledged = [int(first)] + [int(line) for line in child.stdout.read().split()]
        child.wait()
        reopened = open_store(path)
        versions = {change for _, _, change in reopened.list_versions(project_id)}
        assert {f"save {n}" for n in acknowledged} <= versions
        project = reopened.get_project(project_id)
        assert project is not None
        latest = max(int(change.split()[1]) for change in versions if change.startswith("save "))
        assert (
            project.sections[ratings_section_name("Crash")]
            == RaterSection(
                "Crash",
                {f"c{latest}": Scores(impact=latest % 5 + 1, value=3, complexity=3, risk=3, cost=3, suitability=3)},
            ).to_document()
        )
        reopened.close()
        next_save = latest + 1
