"""``python -m core copy-db --from TARGET --to TARGET [--replace]``: move a workspace between databases.

Copies every project with its whole history, and the user's own catalogue rows, from one database to another
(a DuckDB file, ``postgresql://...``, ``md:<name>``), in one transaction, then verifies the copy: the same
number of rows in every table and the same checksum for every project. A destination that already holds
projects or user rows is refused unless ``--replace`` is given. Targets are printed with their secrets hidden.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from core.store import StoreError, copy_workspace, open_store, redact_target


def add_copy_db_command(sub: Any) -> None:
    parser = sub.add_parser(
        "copy-db",
        help="copy projects (with history) and user catalogue rows between two databases, verified",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument("--from", dest="source", required=True, help="where the workspace is now")
    parser.add_argument("--to", dest="destination", required=True, help="where it goes (empty unless --replace)")
    parser.add_argument(
        "--replace", action="store_true", help="delete what the destination holds and replace it with the copy"
    )
    parser.set_defaults(handler=run_copy_db)


def _is_local_file(target: str) -> bool:
    return not target.startswith((":memory:", "md:")) and "://" not in target


def run_copy_db(args: argparse.Namespace) -> int:
    token = os.environ.get("MOTHERDUCK_TOKEN") or None
    if os.path.abspath(args.source) == os.path.abspath(args.destination):
        raise ValueError("--from and --to name the same database; name two different ones.")
    if _is_local_file(args.source) and not os.path.isfile(args.source):
        raise ValueError(f"There is no database file at {redact_target(args.source)} to copy from.")
    shown_from, shown_to = redact_target(args.source, secrets=[token]), redact_target(args.destination, secrets=[token])
    try:
        source = open_store(args.source, motherduck_token=token)
        try:
            destination = open_store(args.destination, motherduck_token=token)
            try:
                report = copy_workspace(source, destination, replace=args.replace)
            finally:
                destination.close()
        finally:
            source.close()
    except StoreError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Copied {shown_from} -> {shown_to}:")
    for table, count in report.rows.items():
        print(f"  {table}: {count} rows")
    print(f"Verified: row counts equal in every table; {report.projects_verified} project checksums equal.")
    return 0
