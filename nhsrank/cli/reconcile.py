"""``nhsrank reconcile``: every recomputed figure beside the one NHS England published."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from ..defaults import DEFAULT_METHODOLOGY
from .common import write_or_print


def add_parser(sub) -> None:
    p = sub.add_parser(
        "reconcile", help="compare nhsrank's recomputed table with NHS England's published figures",
        description="Recompute the league tables from NHS England's published NOF data file and set every figure "
        "(metric scores, domain scores, average, unadjusted and final segment, rank) beside the one NHS England "
        "published: per quarter how many agree, then each disagreement with its size. Figures that cannot be "
        "computed from one trust type's file are taken from it and listed as taken.")
    p.add_argument("--data", nargs="+", required=True, metavar="FILE",
                   help="NHS England's published NOF data file(s) (with the OF1xxx-OF5xxx result rows)")
    p.add_argument("--league-table", metavar="FILE",
                   help="NHS England's league table CSV, for the rank (default: a *league-table* file beside "
                   "the data file, if there is one)")
    p.add_argument("--quarter", help="one quarter (default: every quarter in the file)")
    p.add_argument("--methodology", default=DEFAULT_METHODOLOGY,
                   help=f"methodology id or YAML path (default {DEFAULT_METHODOLOGY})")
    p.add_argument("--out", help="write every comparison as CSV to this file")
    p.add_argument("--full", action="store_true", help="print every disagreement (default: the first 20)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..data.published import league_table_beside, reconcile, reconcile_report

    league = args.league_table or (league_table_beside(args.data[0]) if len(args.data) == 1 else None)
    rec = reconcile(args.data if len(args.data) > 1 else args.data[0], args.quarter, league, args.methodology)
    if league:
        print(f"rank compared with {league}", file=sys.stderr)
    from .display import WIDTH

    for line in reconcile_report(
        rec, limit=10**9 if args.full else 20
    ).splitlines():  # within 100 columns: long lines wrap, indented
        lead = " " * (len(line) - len(line.lstrip()) + 4)
        print(textwrap.fill(line, width=WIDTH, subsequent_indent=lead, break_on_hyphens=False,
                            drop_whitespace=True) if len(line) > WIDTH else line)
    for key, prov in rec.provenance.items():
        for what in ("metric_scores", "cut_points"):
            if what in prov and "taken" in prov[what]:
                print(f"{key} {what.replace('_', ' ')}: {prov[what]}", file=sys.stderr)
    if args.out:
        write_or_print(rec.table, args.out, inputs=[*map(Path, args.data), *([league] if league else [])])
    return 0
