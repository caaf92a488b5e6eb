"""``nhsrank uncertainty``: rank intervals, segment probabilities and neighbour tests."""
from __future__ import annotations

import argparse
import sys

from ..uncertainty.bootstrap import SOURCES, rank_uncertainty
from .common import (add_input_options, input_paths, load_inputs, positive_int, seed_type, write_exclusions,
                     write_or_print, write_run_manifest)

SHOW = ["league_position", "trust_code", "trust_name", "segment", "average_metric_score", "rank_lower", "rank_upper",
        "likely_position_lower", "likely_position_upper", "p_segment_1", "p_segment_2", "p_segment_3",
        "p_segment_4", "p_segment_5", "p_top_quartile"]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "uncertainty", help="how much of a league table is noise: bootstrap the whole pipeline",
        description="Redraw the inputs of one league table many times, re-run every step of the rules "
        "(score against peers, average, segment, overrides, rank) and report per trust a rank interval, "
        "segment probabilities and simultaneous rank sets, plus tests of every pair of neighbouring positions. "
        "See docs/uncertainty.md.")
    add_input_options(p)
    p.add_argument("--n-boot", dest="n_boot", type=positive_int, default=10_000, help="bootstrap replicates (default 10000)")
    p.add_argument("--boot", dest="n_boot", type=positive_int, help=argparse.SUPPRESS)   # the old spelling
    p.add_argument("--seed", type=seed_type, default=1, help="random seed (default 1); same seed, same output")
    p.add_argument("--source", action="append", choices=SOURCES, dest="sources",
                   help="source of uncertainty; repeat to combine (default: scores - NHS England's likely-range "
                   "method - for NHS England's published file, sampling otherwise)")
    p.add_argument("--level", type=float, default=0.95, help="confidence level (default 0.95)")
    p.add_argument("--chunk-size", type=int, default=None, help="replicates per vectorised step (memory bound)")
    p.add_argument("--jobs", type=int, default=None, help="threads (default: up to 4)")
    p.add_argument("--pairs-out", help="also write the neighbouring-pair tests as CSV to this file")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args) -> int:
    inp = load_inputs(args)
    types = inp.trust_types(args.trust_type)
    if len(types) != 1:
        # one table at a time keeps memory and output clear; default to the first type present
        print(f"no --trust-type given: using {types[0]} (choose with --trust-type)", file=sys.stderr)
    tt = types[0]
    u = rank_uncertainty(inp.metrics, args.quarter, tt, inp.methodology, inp.attributes, n_boot=args.n_boot,
                         seed=args.seed, sources=tuple(args.sources) if args.sources else None, level=args.level,
                         progress=not args.no_progress, chunk_size=args.chunk_size, n_jobs=args.jobs)
    a = u.attrs
    write_or_print(u, args.out, None if args.out else SHOW, inputs=input_paths(args), full=args.full)
    r = a["rankability"]
    print(f"{tt} {a['quarter']}, {a['n_boot']} replicates, sources {'+'.join(a['sources'])}, seed {a['seed']}: "
          f"{a['summary']}; rankability {r['rankability']:.3f}", file=sys.stderr)
    if len(a["fixed_cells"]):
        print(f"{len(a['fixed_cells'])} value(s) kept fixed for lack of sampling inputs", file=sys.stderr)
    if args.pairs_out:
        write_or_print(a["adjacent_pairs"], args.pairs_out, inputs=[*input_paths(args), *( [args.out] if args.out else [])])
    write_exclusions(a["exclusions"], args.out, input_paths(args))
    write_run_manifest(args, inp)
    return 0
