"""The ``nhsrank`` command. Each subcommand lives in its own module of this package
and provides ``add_parser(subparsers)``; list it in :data:`SUBCOMMANDS`.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from ..errors import InputError, MethodologyError
from ..interrupts import run_entry_point
from .common import check_sources_option, input_warnings_to_stderr

__all__ = ["main", "build_parser", "SUBCOMMANDS"]

SUBCOMMANDS = ("fetch", "league", "reconcile", "report", "sensitivity", "uncertainty")


def build_parser() -> argparse.ArgumentParser:
    """The ``nhsrank`` argument parser, with one subcommand per module of :data:`SUBCOMMANDS`.

    Returns
    -------
    argparse.ArgumentParser
        The parser; each subcommand sets ``func``, its handler.

    Examples
    --------
    >>> build_parser().parse_args(["league", "--data", "synthetic"]).command
    'league'
    """
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
    """The ``nhsrank`` command: parse the arguments and run the subcommand.

    Parameters
    ----------
    argv : list of str or None, default None
        The arguments; None: ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 done, 2 bad input or an output not written (one line on stderr), 130 Ctrl-C (one
        line, see :mod:`nhsrank.interrupts`).

    Examples
    --------
    >>> main(["league", "--data", "synthetic", "--quarter", "1999-00-Q1"])   # the error goes to stderr
    2
    """
    return run_entry_point(_main, argv, prog="nhsrank")


def _main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    check_sources_option(parser, getattr(args, "sources", None))
    try:
        with input_warnings_to_stderr():
            return int(args.func(args) or 0)
    except (InputError, MethodologyError) as exc:
        print(f"nhsrank: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `nhsrank league | head`: the reader has gone; say nothing more (stdout is closed)
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:  # pragma: no cover
            pass
        return 0
    except OSError as exc:
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        print(f"nhsrank: error:{where}: {exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
