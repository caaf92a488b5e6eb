"""``nhsrank sensitivity``: how much a league table depends on methodological choices."""
from __future__ import annotations

import argparse
import sys

from .common import (SOURCES, add_input_options, input_paths, command_inputs, positive_int, seed_type, thresholds_type,
                     write_exclusions, write_or_print, write_run_manifest)

ANALYSES = ("montecarlo", "loo", "agreement", "distance", "funnel", "movement", "transitions", "variants")


def add_parser(sub) -> None:
    p = sub.add_parser(
        "sensitivity", help="sensitivity of a league table to methodological choices",
        description="Monte Carlo over methodological choices with Sobol indices (montecarlo), leave one "
        "metric/domain out (loo), agreement between metric rankings and rankability (agreement), distance to "
        "the next segment (distance), funnel plots with over-dispersion (funnel), one-switch variants side by "
        "side (variants), and quarter-on-quarter movement against bootstrap noise (movement) or the segment "
        "transition matrix (transitions) between --quarter-from and --quarter.")
    add_input_options(p)
    p.set_defaults(func=run)
    p.add_argument("--analysis", choices=ANALYSES, default="montecarlo", help="which analysis (default montecarlo)")
    p.add_argument("--quarter-from", help="movement/transitions: the earlier quarter (default: the one before "
                   "--quarter in the data)")
    p.add_argument("--mc-n", type=positive_int, default=256, help="montecarlo: base sample size, a power of two "
                   "(default 256; runs = n * (choices + 2))")
    p.add_argument("--n-boot", type=positive_int, default=2000, help="movement: bootstrap replicates (default 2000)")
    p.add_argument("--source", action="append", choices=SOURCES, dest="sources",
                   help="movement: what the bootstrap redraws; repeat to combine (default: what the data support: "
                   "scores - NHS England's likely-range method - for its published files, which carry no "
                   "numerators; sampling where numerators, counts or standard errors exist)")
    p.add_argument(
        "--n", dest="n_legacy", type=positive_int, help=argparse.SUPPRESS
    )  # old spelling: --mc-n and --n-boot
    p.add_argument("--seed", type=seed_type, default=1, help="random seed (default 1, as every subcommand)")
    p.add_argument("--thresholds", type=thresholds_type, help="fixed segment thresholds of the thresholds "
                   "alternative, e.g. 1.75,2.5,3.25 (default: those of nof-2026-27)")
    p.add_argument("--by", choices=("metric", "domain", "both"), default="both", help="loo: what to leave out "
                   "(printed: one summary row per item left out; with --out: every trust's change per item); "
                   "agreement: correlate metric scores (metric, the default) or domain scores (domain)")
    p.add_argument("--metric", help="funnel: one metric id (default: every proportion metric)")
    p.add_argument("--funnel-method", choices=("additive", "multiplicative", "none"), default="additive",
                   help="funnel: over-dispersion adjustment (default additive random effects)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def with_trust_names(df, metrics):
    """``df`` with a trust_name column after trust_code (for printing), when it has codes but no names.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"trust_code": ["A", "A", "B"], "trust_name": ["Ay", "Ay", "Bee"]})
    >>> list(with_trust_names(pd.DataFrame({"trust_code": ["B", "A"], "x": [1, 2]}), m).columns)
    ['trust_code', 'trust_name', 'x']
    """
    if "trust_code" not in df or "trust_name" in df or "trust_name" not in metrics:
        return df
    names = metrics.drop_duplicates("trust_code").set_index("trust_code")["trust_name"]
    out = df.copy()
    out.insert(list(out.columns).index("trust_code") + 1, "trust_name", out["trust_code"].map(names))
    return out


def _previous_quarter(quarters, q):
    from ..report.plan import quarter_before

    before = quarter_before(quarters, q)
    if before is None:
        raise SystemExit(f"nhsrank: error: no quarter before {q} in the data; give --quarter-from")
    return before


def run(args) -> int:
    from ..rules.pipeline import resolve_quarter

    if args.n_legacy is not None:
        args.mc_n = args.n_boot = args.n_legacy
    inp = command_inputs(args)
    q = resolve_quarter(inp.metrics, args.quarter)
    types = inp.trust_types(args.trust_type, q)      # default: every trust type in the quarter's data
    results = [(tt, *_analyse(args, inp, q, tt)) for tt in types]
    if len(results) == 1:
        _, df, info, excl = results[0]
        _show(df, args, inp)
    else:
        import pandas as pd

        frames, info, excl = [], [], []
        for tt, df, lines, ex in results:
            frames.append(df.assign(trust_type=tt)[["trust_type", *df.columns]])
            info += [f"{tt}: {line}" for line in lines]
            excl.append(ex)
            if not args.out:
                print(f"{tt} trusts:")
                _show(df, args, inp)
                print()
        excl = pd.concat([e for e in excl if len(e)], ignore_index=True) if any(len(e) for e in excl) else excl[0]
        if args.out:
            out = pd.concat([f.reset_index(drop=True).rename(columns=str) for f in frames], ignore_index=True)
            write_or_print(out, args.out, inputs=input_paths(args), full=args.full)
    for line in info:
        print(line, file=sys.stderr)
    write_exclusions(excl, args.out, input_paths(args))
    write_run_manifest(args, inp)
    return 0


def _sobol_line(r) -> str:
    line = f"  {r.choice:<20} S1 {r.S1:6.3f} ± {r.S1_conf:.3f}   ST {r.ST:6.3f} ± {r.ST_conf:.3f}"
    return line + ("   (changes nothing in these data)" if r.ST == 0 and r.ST_conf == 0 else "")


def _show(df, args, inp) -> None:
    if df.empty and not args.out:
        print("(no rows: the note below says why)")
    else:
        write_or_print(df if args.out else with_trust_names(df, inp.metrics), args.out, inputs=input_paths(args),
                       full=args.full)


def _analyse(args, inp, q: str, tt: str):
    """One analysis of one trust type's table: (table, lines for stderr, trusts not ranked)."""
    from ..data.inputs import peer_group
    from ..sensitivity.agreement import metric_agreement, rankability
    from ..sensitivity.funnel import funnel_limits
    from ..sensitivity.movement import (distance_to_next_segment, movement_sentence, quarter_movement,
                                        segment_transitions)
    from ..sensitivity.variants import compare_variants, leave_one_out, leave_one_out_summary, methodology_monte_carlo

    progress = not args.no_progress and sys.stderr.isatty()
    thresholds = args.thresholds
    a = args.analysis
    info = []
    if a in ("movement", "transitions"):
        q0 = args.quarter_from or _previous_quarter(inp.metrics["quarter"].unique(), q)
        if a == "transitions":
            res = segment_transitions(inp.metrics, q0, q, tt, inp.methodology, inp.attributes)
            m = res.matrix
            df = m.reset_index().rename(columns={m.index.name: "segment_from"})
            df.columns = [str(c) for c in df.columns]
            info.append(f"movement {res.quarter_from} -> {res.quarter_to}: "
                        + ", ".join(f"{k} {v}" for k, v in res.counts.items()))
            return df, info, res.exclusions
        qm = quarter_movement(inp.metrics, q0, q, tt, inp.methodology, inp.attributes, n_boot=args.n_boot,
                              seed=args.seed, sources=tuple(args.sources) if args.sources else None)
        info.append(movement_sentence(qm))
        return qm.table, info, qm.exclusions
    group = peer_group(inp.metrics, q, tt, inp.methodology, inp.attributes)
    if a == "montecarlo":
        mc = methodology_monte_carlo(group, n_draws=args.mc_n, seed=args.seed, thresholds=thresholds, progress=progress)
        df = mc.trusts
        info.append(f"{len(mc.runs)} runs; Sobol indices of the mean absolute rank shift:")
        for r in mc.sobol[mc.sobol["output"] == "position"].itertuples():
            info.append(_sobol_line(r))
        info.append("Sobol indices of the mean absolute segment shift:")
        for r in mc.sobol[mc.sobol["output"] == "segment"].itertuples():
            info.append(_sobol_line(r))
    elif a == "loo":
        by = ("metric", "domain") if args.by == "both" else (args.by,)
        loo = leave_one_out(group, by=by)
        df = leave_one_out_summary(loo) if not args.out else loo.table
        if args.out:
            s = leave_one_out_summary(loo)
            info.append("removals moving most trusts across a segment boundary: " + ", ".join(
                f"{r.left_out} ({r.n_segment_changed})" for r in s.head(5).itertuples()))
        for k, item in loo.skipped:
            info.append(f"{k} {item} not left out: nothing would remain")
    elif a == "agreement":
        df = metric_agreement(group, by="domain" if args.by == "domain" else "metric").table
        rk = rankability(group)
        shown = [f"{r.metric_id} {r.rankability:.2f}" for r in rk.itertuples() if r.rankability == r.rankability]
        info.append("rankability: " + (", ".join(shown) if shown else
                                       "not computed (no metric has the sampling variances it needs: "
                                       "numerators, counts or standard errors)"))
        if df.empty:
            info.append("fewer than two metrics: no pairs to correlate")
    elif a == "distance":
        dist = distance_to_next_segment(group)
        df = dist.table
        if dist.cut_points:
            info.append("target: the cut point between the segments, " + dist.target)
    elif a == "funnel":
        fun = funnel_limits(group, metric_id=args.metric, method=args.funnel_method)
        df = fun.table
        if not df.empty:
            out = df[df["performance"] != "within"]
            info.append(f"{len(out)} trust-metric value(s) outside the 99.8% limits")
            for r in fun.excluded.itertuples():
                info.append(f"  {r.trust_code} {r.metric_id}: {r.reason}")
        else:
            ex = fun.excluded
            info.append("no funnel plot: no proportion metric of this table has numerators and denominators in the "
                        f"data (NHS England's published files carry none); {len(ex)} trust-metric value(s) left out")
    else:  # variants
        from ..sensitivity.variants import methodology_variants

        df = compare_variants(group, variants=methodology_variants(group.methodology, thresholds)).table
    return df, info, group.exclusions
