"""One "app process" of the team-server test: N sessions saving into one project on PostgreSQL.

``python -m tests.reliability.team_worker URL PROJECT_ID LOG PROCESS SESSIONS SEED STOP_FILE``

Like the app, the process opens one ``Store`` (one pool of connections) and its sessions are threads. Each
session saves in a loop, as the pages do (``ui.saving.try_edit`` catches exactly ValueError and StoreError):
mostly its own rater section, sometimes the shared section ``ratings:Shared`` based on the version it read
(a whole-section save, refused with EditConflict when someone saved it meanwhile). Every save has a unique id
that goes into the version's change note. The log gets one JSON line per event, flushed at once, so the lines
written before a SIGKILL survive it: ``attempt`` before the save, then ``ack`` (it returned), ``refused``
(EditConflict, with the sentence), ``unavailable`` (StoreError, with the sentence) or ``traceback`` (anything
else: what would reach a page as a traceback).
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from core.projects import EditConflict
from core.ratings import RaterSection
from core.store import StoreError, open_store
from core.worthiness import Scores

SHARED = "ratings:Shared"


def rater(name: str, impact: int) -> dict[str, Any]:
    scores = Scores(impact=impact, value=3, complexity=3, risk=3, cost=3, suitability=3)
    return RaterSection(name, {"c1": scores}).to_document()


class Log:
    def __init__(self, handle: TextIO) -> None:
        self._handle = handle
        self._lock = threading.Lock()

    def write(self, **event: Any) -> None:
        line = json.dumps({**event, "t": time.time()})
        with self._lock:
            self._handle.write(line + "\n")
            self._handle.flush()


def session(store: Any, project_id: str, name: str, log: Log, rng: random.Random, stop: Path, tag: str) -> None:
    n = 0
    while not stop.exists():
        n += 1
        save_id = f"{tag}-{name}-{n}"
        try:
            project = store.get_project(project_id)
            shared = rng.random() < 0.3
            section = SHARED if shared else f"ratings:{name}"
            based_on = project.section_versions.get(section, 0) if project else 0
            change = f"save {save_id} {section} based_on={based_on}"
            log.write(event="attempt", id=save_id, section=section, based_on=based_on)
            store.save_section(
                project_id,
                section,
                rater("Shared" if shared else name, rng.randint(1, 5)),
                change,
                based_on=based_on,
                author=name,
            )
        except EditConflict as refused:
            log.write(event="refused", id=save_id, message=str(refused))
        except (ValueError, StoreError) as error:
            log.write(event="unavailable", id=save_id, message=str(error), kind=type(error).__name__)
            time.sleep(0.2)
        except Exception as error:  # would reach a page as a traceback
            log.write(event="traceback", id=save_id, message=f"{type(error).__name__}: {error}")
        else:
            log.write(event="ack", id=save_id)
        time.sleep(rng.uniform(0.0, 0.02))


def main(argv: list[str]) -> int:
    url, project_id, log_path, process, sessions, seed, stop_file = argv
    stop = Path(stop_file)
    with open(log_path, "a", encoding="utf-8") as handle:
        log = Log(handle)
        store = open_store(url)
        tag = f"{process}.{seed}"
        log.write(event="ready", process=process)
        threads = [
            threading.Thread(
                target=session,
                args=(store, project_id, f"{process}s{i}", log, random.Random(f"{seed}-{i}"), stop, tag),
                daemon=True,
            )
            for i in range(int(sessions))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
