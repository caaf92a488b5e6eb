"""``nhsrank uncertainty``: rank intervals, segment probabilities and neighbour tests."""
from __future__ import annotations

import argparse
import sys

from .common import (
    SOURCES,
    add_input_options,
    input_paths,
    level_type,
    command_inputs,
    positive_int,
    seed_type,
    write_exclusions,
    write_or_print,
    write_run_manifest,
)

#: what `nhsrank uncertainty` prints by default, within 100 columns (--full: every column; --out: CSV)
SHOW = ["position", "trust", "score", "segment", "rank set", "likely range", "band"]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "uncertainty", help="how much of a league table is noise: bootstrap the whole pipeline",
        description="Redraw the inputs of one league table many times, re-run every step of the rules "
        "(score against peers, average, segment, overrides, rank) and report per trust a rank interval, "
        "segment probabilities and simultaneous rank sets, plus tests of every pair of neighbouring positions. "
        "See docs/uncertainty.md.")
    add_input_options(p)
    p.add_argument(
        "--n-boot", dest="n_boot", type=positive_int, default=10_000, help="bootstrap replicates (default 10000)"
    )
    p.add_argument("--boot", dest="n_boot", type=positive_int, help=argparse.SUPPRESS)   # the old spelling
    p.add_argument("--seed", type=seed_type, default=1, help="random seed (default 1); same seed, same output")
    p.add_argument("--source", action="append", choices=SOURCES, dest="sources",
                   help="source of uncertainty; repeat to combine (default: scores - NHS England's likely-range "
                   "method - for NHS England's published file, sampling otherwise)")
    p.add_argument("--level", type=level_type, default=0.95, help="confidence level (default 0.95)")
    p.add_argument(
        "--chunk-size", type=positive_int, default=None, help="replicates per vectorised step (memory bound)"
    )
    p.add_argument("--jobs", type=positive_int, default=None, help="threads (default: up to 4)")
    p.add_argument("--pairs-out", help="also write the neighbouring-pair tests as CSV to this file")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args) -> int:
    import warnings

    import pandas as pd

    from ..rules.pipeline import resolve_quarter
    from ..uncertainty.bootstrap import UncertaintyWarning, rank_uncertainty
    from ..uncertainty.sources import not_meaningful, resampled_text

    inp = command_inputs(args)
    q = resolve_quarter(inp.metrics, args.quarter)
    types = inp.trust_types(args.trust_type, q)        # default: every trust type in the quarter, one table each
    tables, pairs, excl = [], [], []
    for tt in types:
        group = _group(inp, q, tt)
        why = not_meaningful(group, tuple(args.sources)) if args.sources else ""
        if args.no_progress:     # without the bar, one line says the run has started and how to stop it
            print(f"{tt} {q}: drawing {args.n_boot:,} replicates (Ctrl-C stops)", file=sys.stderr, flush=True)
        with warnings.catch_warnings():
            if why:      # said once, plainly, below: not as a Python warning listing every fixed value
                warnings.simplefilter("ignore", UncertaintyWarning)
            res = rank_uncertainty(group, n_boot=args.n_boot, seed=args.seed,
                                   sources=tuple(args.sources) if args.sources else None, level=args.level,
                                   progress=not args.no_progress, chunk_size=args.chunk_size, n_jobs=args.jobs)
        r = res.rankability
        print(f"{tt} {res.quarter}, {res.n_boot} replicates, sources {'+'.join(res.sources)}, seed {res.seed}: "
              f"{res.headline}; rankability {r['rankability']:.2f}", file=sys.stderr)
        print(f"  {resampled_text(res.sources)}", file=sys.stderr)
        if why:
            print(f"  NOT MEANINGFUL for these data ({why}); use --source scores", file=sys.stderr)
        elif len(res.fixed_cells):
            print(f"  {len(res.fixed_cells)} value(s) kept fixed for lack of sampling inputs", file=sys.stderr)
        p = res.adjacent_pairs.copy()
        excl.append(res.exclusions)
        u = res.to_frame()
        if len(types) > 1:
            u.insert(0, "trust_type", tt)
            p.insert(0, "trust_type", tt)
        tables.append(u)
        pairs.append(p)
    u = pd.concat(tables, ignore_index=True)
    if args.out or args.full:
        write_or_print(u, args.out, inputs=input_paths(args), full=args.full)
    else:
        shown = pd.concat([summary_view(t) for t in tables], ignore_index=True)
        if len(types) > 1:
            shown.insert(0, "type", pd.concat([t["trust_type"] for t in tables], ignore_index=True))
        write_or_print(shown, None, list(shown.columns), inputs=input_paths(args))
        print("rank set: the 95% confidence set for the trust's rank; likely range: of its league position "
              "(NHS England's kind); band: trusts the simultaneous 95% sets cannot separate. --full or --out "
              "FILE for every column.", file=sys.stderr)
    if args.pairs_out:
        write_or_print(pd.concat(pairs, ignore_index=True), args.pairs_out,
                       inputs=[*input_paths(args), *([args.out] if args.out else [])])
    excl = [e for e in excl if len(e)]
    write_exclusions(pd.concat(excl, ignore_index=True) if excl else res.exclusions, args.out, input_paths(args))
    write_run_manifest(args, inp)
    return 0


def summary_view(u):
    """One table's default view: position, trust, score (2 dp), segment, the 95% rank set and the likely range
    of position as "from-to", and the band (tiers the simultaneous sets cannot separate).

    Examples
    --------
    >>> import pandas as pd
    >>> u = pd.DataFrame({"trust_code": ["A", "B"], "league_position": [1, 2], "trust_name": ["Ay", "Bee"],
    ...                   "average_metric_score": [1.53, 2.9], "segment": [1, 4], "score_rank": [1, 2],
    ...                   "rank_lower": [1, 1], "rank_upper": [2, 2], "likely_position_lower": [1, 1],
    ...                   "likely_position_upper": [2, 2], "simultaneous_rank_lower": [1, 1],
    ...                   "simultaneous_rank_upper": [2, 2]})
    >>> summary_view(u).astype(str).iloc[0].tolist()
    ['1', 'Ay', '1.53', '1', '1-2', '1-2', '1']
    """
    import pandas as pd

    from .display import NAME_WIDTH

    def span(lo, hi):
        return [("-" if pd.isna(a) else f"{int(a)}-{int(b)}") for a, b in zip(u[lo], u[hi])]

    names = u["trust_name"].astype(str)
    return pd.DataFrame({
        "position": u["league_position"].astype(int).to_numpy(),
        "trust": [n if len(n) <= NAME_WIDTH else n[:NAME_WIDTH - 1] + "~" for n in names],
        "score": [f"{v:.2f}" for v in u["average_metric_score"]],
        "segment": u["segment"].astype(int).to_numpy(),
        "rank set": span("rank_lower", "rank_upper"),
        "likely range": span("likely_position_lower", "likely_position_upper"),
        "band": _bands(u),
    })


def _bands(u) -> list:
    """The band of each trust (:func:`nhsrank.uncertainty.rank_bands`); empty where the sets were not computed."""
    import pandas as pd

    from ..uncertainty.bands import rank_bands

    b = rank_bands(u).table["band"]
    return ["" if pd.isna(x) else str(int(x)) for x in b]


def _group(inp, quarter: str, trust_type: str):
    from ..data.inputs import peer_group

    return peer_group(inp.metrics, quarter, trust_type, inp.methodology, inp.attributes)
