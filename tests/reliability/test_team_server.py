"""Two app processes on one PostgreSQL: nothing acknowledged is lost, stored twice or silently overwritten,
through SIGKILLs of one process mid-write and a restart of the server.

Process A (10 sessions) runs throughout; process B (10 sessions) is killed with SIGKILL at least 10 times while
its sessions are saving, and started again each time (as a load balancer would send the browsers to a fresh
replica). Then the PostgreSQL server is stopped for longer than a save waits for it and started again. The
test prints ``attempted / acknowledged / stored`` and asserts:

- every acknowledged save is stored exactly once (its id is in exactly one version's change note), and every
  stored save was attempted (a save that was stored but not acknowledged was cut off by a kill, or by the
  connection breaking while it committed, which the user is told in those words);
- no save replaced a shared section it had not seen: each stored save of ``ratings:Shared`` was based on the
  version stored just before it; refused ones were told who saved what;
- nothing else than ValueError or StoreError reached a session (what the pages catch and show as sentences);
- while the server was down saves were refused with "cannot be reached ... Nothing was saved ... input is
  still in the form", and both processes stored saves again after it was back (they reconnected by themselves).

The server is a private one (tests/postgres_server.py): restarting it cannot disturb the tests beside it.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from core.store import ROOT_DIR, open_store
from tests.postgres_server import PostgresServer
from tests.reliability.team_worker import SHARED, rater

pytestmark = [pytest.mark.reliability, pytest.mark.alone]

SESSIONS_PER_PROCESS = 10
KILLS = 10
DOWN_S = 6.0  # longer than core.store.UNREACHABLE_BUDGET_S: saves must give up and say so


def _start(url: str, project_id: str, log: Path, process: str, seed: int, stop: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.reliability.team_worker",
            url,
            project_id,
            str(log),
            process,
            str(SESSIONS_PER_PROCESS),
            str(seed),
            str(stop),
        ],
        cwd=ROOT_DIR,
        stdout=subprocess.DEVNULL,
        stderr=open(log.with_suffix(".stderr"), "ab"),
    )


def _events(log: Path) -> list[dict[str, Any]]:
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return [json.loads(line) for line in lines if line.endswith("}")]  # a kill may cut the last line


def _wait_ready(log: Path, count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while sum(e["event"] == "ready" for e in _events(log)) < count:
        assert time.monotonic() < deadline, f"the app process did not start: {log.with_suffix('.stderr').read_text()}"
        time.sleep(0.05)


def _in_flight(log: Path, tag: str) -> int:
    """Saves of the process incarnation ``tag`` ("B.3") that have begun and not yet returned."""
    events = [e for e in _events(log) if str(e.get("id", "")).startswith(f"{tag}-")]
    done = {e["id"] for e in events if e["event"] != "attempt"}
    return sum(1 for e in events if e["event"] == "attempt" and e["id"] not in done)


@pytest.fixture
def private_server(tmp_path: Path):
    try:
        server = PostgresServer().start()
    except Exception as error:
        pytest.skip(f"PostgreSQL could not be started for this test ({type(error).__name__}: {error})")
    yield server
    server.remove()


def test_two_app_processes_on_one_postgresql_lose_nothing(tmp_path: Path, private_server: PostgresServer) -> None:
    url = private_server.url()
    setup = open_store(url)
    project_id = setup.create_project("Team meeting", {SHARED: rater("Shared", 3)}, author="setup")
    setup.close()
    stop = tmp_path / "stop"
    log_a, log_b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    rng = random.Random(17)
    a = _start(url, project_id, log_a, "A", 0, stop)
    b = _start(url, project_id, log_b, "B", 1, stop)
    kills_mid_write = 0
    try:
        _wait_ready(log_a, 1)
        _wait_ready(log_b, 1)
        for kill in range(KILLS):
            time.sleep(rng.uniform(0.4, 0.9))
            kills_mid_write += _in_flight(log_b, f"B.{kill + 1}") > 0
            b.send_signal(signal.SIGKILL)
            b.wait(timeout=30)
            b = _start(url, project_id, log_b, "B", kill + 2, stop)
            _wait_ready(log_b, kill + 2)
        time.sleep(1.0)
        private_server.stop()
        stopped_at = time.time()
        time.sleep(DOWN_S)
        private_server.start()
        back_at = time.time()
        time.sleep(4.0)
    finally:
        stop.touch()
        for process in (a, b):
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()

    events = _events(log_a) + _events(log_b)
    attempted = {e["id"] for e in events if e["event"] == "attempt"}
    acknowledged = {e["id"] for e in events if e["event"] == "ack"}
    check = open_store(url)
    with check._cursor() as cur:
        history = cur.execute(
            "SELECT version, change, saved_at FROM project_versions WHERE project_id = ? ORDER BY version", [project_id]
        ).fetchall()
    check.close()
    saves = [
        (int(v), change.split()[1], change.split()[2], int(change.split("based_on=")[1]))
        for v, change, _ in history
        if change.startswith("save ")
    ]
    stored = Counter(save_id for _, save_id, _, _ in saves)
    outcomes = Counter(e["event"] for e in events if e.get("id") in attempted)
    reads_refused = sum(e["event"] == "unavailable" and e["id"] not in attempted for e in events)
    print(
        f"\nattempted={len(attempted)} acknowledged={len(acknowledged)} stored={len(stored)} "
        f"(stored, not acknowledged: {len(set(stored) - acknowledged)}; refused as conflicts: {outcomes['refused']}; "
        f"refused, server unreachable: {outcomes['unavailable']}; no answer, process killed: "
        f"{len(attempted) - sum(outcomes[k] for k in ('ack', 'refused', 'unavailable', 'traceback'))}) "
        f"page reads refused while down: {reads_refused}; SIGKILLs of B: {KILLS} ({kills_mid_write} mid-write); "
        f"server down {DOWN_S:.0f} s"
    )
    assert not [e for e in events if e["event"] == "traceback"]
    assert [save_id for save_id, count in stored.items() if count > 1] == []  # stored exactly once
    assert acknowledged <= set(stored)  # nothing acknowledged is lost
    assert set(stored) <= attempted
    stored_not_acknowledged = set(stored) - acknowledged
    cut_off = {e["id"] for e in events if e["event"] == "unavailable" and "cannot tell whether" in e["message"]}
    unanswered = attempted - {e["id"] for e in events if e["event"] not in ("attempt", "ready")}
    assert stored_not_acknowledged <= cut_off | unanswered  # only saves whose answer never came, or said so
    assert kills_mid_write >= KILLS // 2 and KILLS >= 10

    # No silent overwrite: every stored whole-section save of the shared section saw the one before it.
    last_shared = 1  # the setup's version
    for version, _, section, based_on in saves:
        if section == SHARED:
            assert based_on == last_shared, f"version {version} replaced version {last_shared} unseen"
            last_shared = version
    refused = [e["message"] for e in events if e["event"] == "refused"]
    assert refused and all("Meanwhile" in message and " saved " in message for message in refused)

    # While the server was down: refused with the sentence; afterwards both processes store again.
    down = [e for e in events if e["event"] == "unavailable" and stopped_at <= e["t"] <= back_at + 1]
    assert down and all("cannot be reached" in e["message"] or "cannot tell whether" in e["message"] for e in down)
    assert any("Nothing was saved and your input is still in the form" in e["message"] for e in down)
    after = {e["id"].split(".")[0] for e in events if e["event"] == "ack" and e["t"] > back_at}
    assert after == {"A", "B"}
