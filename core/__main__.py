"""Command line: ``python -m core estimate | accelerators | architectures | references | hosted | copy-db ...``.

Each sub-command lives next to the logic it exposes and registers itself here,
so the command line and the pages call the same functions.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    # Imported here so that `python -m core --help` stays fast and a broken
    # sub-command cannot stop the others from loading at import time.
    from core.hosted.cli import add_hosted_command
    from core.references.cli import add_references_command
    from core.resources.cli import add_resource_commands
    from core.store_cli import add_copy_db_command

    parser = argparse.ArgumentParser(prog="python -m core", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    add_resource_commands(sub)
    add_references_command(sub)
    add_hosted_command(sub)
    add_copy_db_command(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except ValueError as error:
        # Bad input is the user's to fix: one sentence, non-zero exit, no traceback.
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
