"""``nhsrank league``: print or write NOF league tables."""
from __future__ import annotations

import sys

from .common import add_input_options, input_paths, command_inputs, write_exclusions, write_or_print, write_run_manifest

SHOW = ["league_position", "trust_code", "trust_name", "trust_type", "average_metric_score", "segment",
        "segment_before_adjustment", "financial_override", "pip_override", "n_metrics_scored"]


def add_parser(sub) -> None:
    p = sub.add_parser("league", help="league tables for a quarter",
                       description="Score, average, segment and rank trusts following a methodology. "
                       "Without --trust-type every trust type is ranked separately.")
    add_input_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..rules.league import league_tables

    inp = command_inputs(args)
    wanted = inp.methodology.segmentation.get("n_segments", 4) - 1
    if args.cut_points is not None and len(args.cut_points) != wanted:   # an option misused: one line, not a traceback
        print(f"nhsrank league: error: argument --cut-points: {inp.methodology.id} needs {wanted} cut points, "
              f"got {len(args.cut_points)}", file=sys.stderr)
        return 2
    result = league_tables(inp.metrics, args.quarter, inp.trust_types(args.trust_type),
                           inp.methodology, inp.attributes, args.cut_points)
    write_or_print(result.table, args.out, None if args.out else SHOW, inputs=input_paths(args), full=args.full)
    for tt, prov in result.provenance.items():
        for what, text in prov.items():
            print(f"{tt} {what.replace('_', ' ')}: {text}", file=sys.stderr)
    write_exclusions(result.exclusions, args.out, input_paths(args))
    write_run_manifest(args, inp)
    return 0
