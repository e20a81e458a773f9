"""A throwaway PostgreSQL server for the tests: a cluster in a temporary folder, on a free port.

``make test`` runs the suite inside ``python -m tests.postgres_server run -- <command>``: it installs
Debian's ``postgresql`` when its programs are missing, starts a cluster (as the unprivileged ``postgres``
user when run as root: PostgreSQL refuses to run as root), exports its URL as ``GREENLIGHT_TEST_POSTGRES``
for the command, and stops the cluster and removes its folder when the command ends, whatever its result.
Tests that restart the server start a private one with ``PostgresServer`` instead, so they never disturb
the tests running beside them.

The test cluster runs with ``fsync=off``: a crash of the machine may lose it, which a throwaway cluster
may; a crash of PostgreSQL itself loses nothing acknowledged (the write-ahead log still comes first).
``PostgresServer(durable=True)`` keeps PostgreSQL's default (``fsync=on``), for benchmarks that compare saves
with a DuckDB file, which syncs its write-ahead log on every commit.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ENV_URL = "GREENLIGHT_TEST_POSTGRES"
_USER = "greenlight"


def binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl`` (Debian keeps them out of PATH), or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def install() -> Path:
    """Install Debian's ``postgresql`` if its programs are missing; return their folder."""
    folder = binaries()
    if folder is not None:
        return folder
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", "postgresql"], check=True, env=env)
    folder = binaries()
    if folder is None:
        raise RuntimeError("postgresql was installed but pg_ctl is not in /usr/lib/postgresql/*/bin")
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One cluster in its own temporary folder, listening on 127.0.0.1 only."""

    def __init__(self, bin_dir: Path | None = None, *, durable: bool = False) -> None:
        self.bin_dir = bin_dir or install()
        self.durable = durable
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="greenlight-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        # PostgreSQL refuses to run as root: then the cluster belongs to the package's `postgres` user.
        self._run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._run_as:
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self.folder.chmod(0o755)

    def _pg(self, program: str, *arguments: str) -> None:
        subprocess.run(
            [*self._run_as, str(self.bin_dir / program), *arguments],
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,  # the server inherits these: a pipe would never close
            stderr=subprocess.DEVNULL,
            timeout=120,
        )

    def start(self) -> PostgresServer:
        if not (self.data / "PG_VERSION").exists():
            self._pg("initdb", "-D", str(self.data), "-U", _USER, "--auth=trust", "-E", "UTF8", "--locale=C", "-N")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off"
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")
        return self

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{_USER}@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def run(command: Sequence[str]) -> int:
    try:
        server = PostgresServer().start()
    except (OSError, RuntimeError, subprocess.SubprocessError) as error:
        # The tests that need it then try once more themselves and are skipped, saying why.
        print(f"PostgreSQL for the tests could not be started: {error}", flush=True)
        return subprocess.run(list(command)).returncode
    print(f"PostgreSQL for the tests: {server.url()} (folder {server.folder})", flush=True)
    try:
        return subprocess.run(list(command), env={**os.environ, ENV_URL: server.url()}).returncode
    finally:
        server.remove()
        print("PostgreSQL for the tests: stopped and removed", flush=True)


def main(argv: Sequence[str]) -> int:
    if len(argv) < 3 or argv[0] != "run" or argv[1] != "--":
        print("usage: python -m tests.postgres_server run -- COMMAND [ARGUMENT ...]", file=sys.stderr)
        return 2
    return run(argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
