"""The ``nhsrank`` command. Each subcommand lives in its own module of this package
and provides ``add_parser(subparsers)``; list it in :data:`SUBCOMMANDS`.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import InputError, MethodologyError

SUBCOMMANDS = ("league", "reconcile", "report", "sensitivity", "uncertainty")


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="nhsrank",
        description="NHS Oversight Framework league tables, and how much of each position is noise.",
    )
    parser.add_argument("--version", action="version", version=f"nhsrank {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in SUBCOMMANDS:
        importlib.import_module(f"{__name__}.{name}").add_parser(sub)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (InputError, MethodologyError) as exc:
        print(f"nhsrank: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
