"""`make bench`: the bootstrap against fair baselines, the floor and a peer, side by side; memory at scale.

One run, interleaved rounds (every contender once per round, in turn, so the
load of a shared machine falls on all of them alike); each ratio is printed
as the minimum and the median over the rounds. On the acute table (the
bundled SYNTHETIC data, about 134 trusts x 24 metrics, sources: sampling).
Each replicate of the sampling source (issue 20, :mod:`nhsrank.uncertainty.prior`)
draws a true value for every cell from its empirical-Bayes posterior and an
observation of it, and runs the rules on both; every contender below does the
same work (the rules twice per replicate):

(a) an idiomatic per-replicate pandas loop: set-up done once (one long table
    of the cells, metric spec merged in, fixed threshold scores), then per
    replicate ``groupby(metric).rank(method="min")`` (competition ranks: the
    rules' ``ties: best``), scores, ``groupby(trust).mean()``, segments,
    overrides and a competition rank of (segment, score);
(b) a plain per-replicate numpy loop: :func:`nhsrank.run_pipeline` on one
    replicate at a time;
(c) the numpy floor: exactly the random draws the sampling world needs (the
    same generator calls per block: a uniform per cell, the binary search
    in the posterior CDFs, the observation's draw) plus the argsorts the rules
    need (every ranked metric along its trusts, for the observed and for the
    true values; the league positions, for the observed values: the truth
    needs its average score alone), chunked and threaded as the bootstrap is;
(d) :func:`nhsrank.uncertainty.bootstrap` on 2 threads and on 1;
(e) the peer ``multiple-inference`` (``SimultaneousRanking``: simultaneous
    rank sets from a mean and covariance, 10,000 samples) beside
    :func:`nhsrank.uncertainty.ranksets.simultaneous_rank_sets` on 10,000
    replicates of the same table, if it is installed.

Baselines (a) and (b) get the very values the bootstrap drew (the same
generator calls) and the benchmark asserts that they give the bootstrap's
league positions (and the numpy loop its true average scores), replicate
for replicate; their draws are timed once and
added to their time. Then: peak memory of 30,000 units x 1,000 replicates
(one binomial metric, a child process measured by ``getrusage``), and a
GP-practice-sized synthetic file (6,500 units, one binomial metric with
numerator and denominator, a methodology like ae-4hr) run through the
``nhsrank uncertainty`` command, with its time and peak memory.

    .venv/bin/python benchmarks/run.py [--quick] [--rounds N] [--skip-scale]

Nothing is asserted about speed; the lines marked "goal" say whether the
issue's targets were met in this run.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

import nhsrank
from nhsrank.data.synthetic import generate
from nhsrank.rules.pipeline import run_pipeline
from nhsrank.rules.scoring import round_half_even, round_half_up
from nhsrank.uncertainty import bootstrap
from nhsrank.uncertainty.bootstrap import BLOCK, default_chunk_size
from nhsrank.uncertainty.models import sampling_model
from nhsrank.uncertainty.prior import draw_world, empirical_bayes_world, posterior_index
from nhsrank.uncertainty.ranksets import simultaneous_rank_sets

Q = "2025-26-Q1"
ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- the table


def acute_group():
    """The bundled SYNTHETIC acute table if present, else the same generator run in memory."""
    from nhsrank.data.readers import SYNTHETIC_METRICS

    if SYNTHETIC_METRICS.exists():
        m, a = nhsrank.load_bundled()
        return nhsrank.peer_group(m, Q, "acute", "nof-2025-26", a), "bundled SYNTHETIC data"
    sizes = {"acute": 134, "non-acute": 3, "ambulance": 3}
    m, a = generate(sizes=sizes)
    m = m[m["quarter"] == Q].assign(_row=lambda d: np.arange(len(d)) + 2)
    a = a[a["quarter"] == Q].assign(_row=lambda d: np.arange(len(d)) + 2)
    return nhsrank.peer_group(m, Q, "acute", "nof-2025-26", a), "nhsrank.data.synthetic.generate() in memory"


# --------------------------------------------------------------------------- the same draws as the bootstrap


def _sampling_rngs(seed: int, n_boot: int):
    """The generator of the sampling source of each block, as :func:`bootstrap` spawns them."""
    blocks = np.random.SeedSequence(seed).spawn(-(-n_boot // BLOCK))
    return [np.random.default_rng(b.spawn(3)[0]) for b in blocks]


def drawn_values(g, n_boot: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(R, T, M) replicate values and (R, T, M) true values: the bootstrap's own draws (same generator calls
    per block) from the empirical-Bayes world of :mod:`nhsrank.uncertainty.prior`."""
    world = empirical_bayes_world(sampling_model(g, "ignore"), g.values.shape[1])
    T, M = g.values.shape
    out = np.empty((n_boot, T * M))
    out[:] = g.values.ravel()
    truth = out.copy()
    for b, rng in enumerate(_sampling_rngs(seed, n_boot)):
        lo, hi = b * BLOCK, min((b + 1) * BLOCK, n_boot)
        draw_world(world, rng, hi - lo, truth[lo:hi], out[lo:hi], block=BLOCK)
    return out.reshape(n_boot, T, M), truth.reshape(n_boot, T, M)


# --------------------------------------------------------------------------- (a) idiomatic pandas


class PandasLoop:
    """Idiomatic pandas, one replicate at a time; set-up (long table, spec, fixed scores) done once."""

    def __init__(self, g):
        spec = g.metrics.reset_index(drop=True)
        T, M = g.values.shape
        if g.methodology.aggregation != "mean_of_metrics":
            raise SystemExit("the pandas baseline covers mean_of_metrics only")
        scoring = spec["scoring"].to_numpy()
        if not set(spec["ties"]) <= {"best"} or not set(scoring) <= {"rank", "thresholds"}:
            raise SystemExit("the pandas baseline covers ties: best, rank and thresholds scoring only")
        self.g, self.T = g, T
        ti, mi = np.nonzero(~np.isnan(g.values))
        cells = pd.DataFrame({"trust": ti, "metric": mi, "own": True})
        if g.pool is not None and np.size(g.pool):
            pi, pm = np.nonzero(~np.isnan(g.pool))
            cells = pd.concat([cells, pd.DataFrame({"trust": -1 - pi, "metric": pm, "own": False})],
                              ignore_index=True)
            self.pool_values = g.pool[pi, pm]
        else:
            self.pool_values = np.empty(0)
        bounds = spec.reindex(columns=["floor", "standard"]).astype(float)
        cells = cells.merge(pd.concat([spec[["direction", "scoring"]], bounds], axis=1).rename_axis("metric")
                            .reset_index(), on="metric")
        cells["sign"] = np.where(cells["direction"] == "higher_is_better", -1.0, 1.0)
        # bookends (manual, "Standard scoring models"): a standard met scores 1.00 and the rest spread over
        # 2.00-4.00; a floor failed scores 4.00 and the rest spread over 1.00-3.00 (keys: lower is better)
        cells["std_key"] = cells["sign"] * cells["standard"]
        cells["floor_key"] = cells["sign"] * cells["floor"]
        cells["lo"] = np.where(cells["standard"].notna(), 2.0, 1.0)
        cells["hi"] = np.where(cells["floor"].notna(), 3.0, 4.0)
        cells["w"] = g.average_weights[cells["metric"].to_numpy()]
        rank = cells[cells["scoring"] == "rank"].reset_index(drop=True)
        rank["n"] = rank.groupby("metric")["trust"].transform("size").astype(float)
        self.rank = rank[["trust", "metric", "own", "sign", "n", "w", "std_key", "floor_key", "lo", "hi"]]
        self.own_cells = (rank.loc[rank["own"], "trust"].to_numpy(), rank.loc[rank["own"], "metric"].to_numpy())
        self.n_own = int(rank["own"].sum())
        thr = cells[(cells["scoring"] == "thresholds") & cells["own"]].copy()
        thr["score"] = [spec.at[m, "scores"][min(np.searchsorted(spec.at[m, "cutpoints"], g.values[t, m], "right"),
                                                 len(spec.at[m, "scores"]) - 1)]
                        for t, m in zip(thr["trust"], thr["metric"])]
        thr["score"] = round_half_up(thr["score"].to_numpy(dtype=float), 2)
        self.thr = thr.assign(ws=thr["score"] * thr["w"])[["trust", "ws", "w"]]
        self.included = pd.Series(g.included, index=range(T))
        self.deficit = pd.Series(g.deficit, index=range(T))
        self.pip = pd.Series(g.pip, index=range(T))

    def run(self, values: np.ndarray) -> np.ndarray:
        """League positions (R, T) of replicate values (R, T, M)."""
        g, meth = self.g, self.g.methodology
        ov = meth.overrides
        out = np.full((len(values), self.T), np.nan)
        df = self.rank.copy()
        for r, v in enumerate(values):
            df["key"] = df["sign"] * np.concatenate([v[self.own_cells], self.pool_values])
            met = df["key"] <= df["std_key"]              # False where a metric has no standard (NaN)
            failed = df["key"] > df["floor_key"]
            spread = df["key"].where(~(met | failed))
            rk = spread.groupby(df["metric"], sort=False).rank(method="min")
            n = spread.notna().groupby(df["metric"], sort=False).transform("sum")
            score = (df["lo"] + (df["hi"] - df["lo"]) * (rk - 1) / (n - 1)).where(n > 1, (df["lo"] + df["hi"]) / 2)
            score = score.mask(met, 1.0).mask(failed, 4.0)
            df["score"] = round_half_up(score.to_numpy(), meth.score_decimals or 2)
            df["ws"] = df["score"] * df["w"]
            sums = pd.concat([df.loc[df["own"], ["trust", "ws", "w"]], self.thr]).groupby("trust")[["ws", "w"]].sum()
            avg = sums["ws"] / sums["w"]
            avg = pd.Series(round_half_even(avg.to_numpy(), meth.average_decimals or 2), index=avg.index)
            avg = avg[self.included.reindex(avg.index)].round(10)
            if g.cut_points is not None:       # a score at a cut: the better segment, or the worse (cut_sides)
                sides = g.cut_sides or ["lower"] * len(g.cut_points)
                seg = pd.Series(1.0, index=avg.index)
                for c, side in zip(np.round(g.cut_points, 8), sides):
                    seg += (avg > c) if side == "lower" else (avg >= c)
            else:
                n_seg = int(meth.segmentation.get("n_segments", 4))
                seg = np.floor(n_seg * (avg.rank(method="min") - 1) / len(avg)) + 1
            if ov.get("financial_deficit", {}).get("enabled"):
                seg = seg.where(
                    ~self.deficit.reindex(seg.index), np.maximum(seg, ov["financial_deficit"]["cap_segment"])
                )
            ranked = seg                   # the adjusted segment: after the deficit cap, before segment 5
            if ov.get("pip", {}).get("enabled"):
                seg = seg.where(~self.pip.reindex(seg.index), float(ov["pip"]["segment"]))
            if meth.position_segment == "final":
                ranked = seg
            pos = (ranked * 10 + avg).rank(method="min")
            out[r, pos.index.to_numpy()] = pos.to_numpy()
        return out


# --------------------------------------------------------------------------- (b) numpy loop, (c) floor


def numpy_loop(g, values: np.ndarray, truth: np.ndarray | None = None):
    """League positions (R, T): :func:`nhsrank.run_pipeline` on one replicate at a time; with ``truth``, also
    the true average scores (R, T) of each replicate's world, as the bootstrap computes them."""
    pos = np.stack([run_pipeline(v, g, keep_scores=False)["league_position"] for v in values])
    if truth is None:
        return pos
    return pos, np.stack([run_pipeline(v, g, keep_scores=False)["average_metric_score"] for v in truth])


def floor(g, n_boot: int, seed: int, n_jobs: int) -> None:
    """The draws the sampling world needs (the same generator calls: a uniform per cell turned into a true
    value by a binary search in the posterior CDFs, then the observation) plus the argsorts the rules
    need, for the observed and for the true values."""
    model = sampling_model(g, "ignore")
    world = empirical_bayes_world(model, g.values.shape[1])
    c = world.cells.size
    bmask, pmask, nmask = world.kind == 1, world.kind == 2, world.kind == 3
    n_b = world.n[bmask].astype(np.int64)
    T, M = g.values.shape
    rank_cols = int(((g.metrics["scoring"] == "rank").to_numpy()
                     & (model.kind != 0).any(axis=0)).sum())
    width = T + (0 if g.pool is None else int((~np.isnan(g.pool)).sum(axis=0).max()))
    chunk = default_chunk_size(T, M)
    rngs = _sampling_rngs(seed, n_boot)
    keys = np.random.default_rng(0).random((chunk, rank_cols, width))
    pos_keys = np.random.default_rng(1).random((chunk, T))

    def work(start):
        stop = min(start + chunk, n_boot)
        for b in range(start // BLOCK, -(-stop // BLOCK)):
            rng = rngs[b]
            u = rng.random((BLOCK, c))
            truth = world.support[np.arange(c), posterior_index(world, u)]
            if bmask.any():
                rng.binomial(n_b, np.clip(truth[:, bmask] / world.unit[bmask], 0, 1))
            if pmask.any():
                rng.poisson(truth[:, pmask] / world.unit[pmask])
            if nmask.any():
                rng.standard_normal((BLOCK, int(nmask.sum())))
        for _ in range(2):   # the observed and the true values
            np.argsort(keys[:stop - start], axis=-1)
        np.argsort(pos_keys[:stop - start], axis=-1)   # league positions: the observed values only (the truth
        # needs its average score alone)

    starts = range(0, n_boot, chunk)
    if n_jobs == 1:
        for s in starts:
            work(s)
    else:
        with ThreadPoolExecutor(n_jobs) as pool:
            list(pool.map(work, starts))


# --------------------------------------------------------------------------- helpers


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def mm(xs) -> str:
    return f"min {min(xs):8.2f}  median {statistics.median(xs):8.2f}"


# --------------------------------------------------------------------------- scale: a child process


_CHILD = textwrap.dedent("""
    import resource, sys, time, numpy as np, pandas as pd, nhsrank
    from nhsrank.uncertainty import bootstrap
    n, R = int(sys.argv[1]), int(sys.argv[2])
    rng = np.random.default_rng(0)
    den = rng.integers(200, 20000, n).astype(float)
    num = np.minimum(den, rng.binomial(den.astype(int), rng.beta(40, 6, n))).astype(float)
    codes = [f"U{i:06d}" for i in range(n)]
    m = pd.DataFrame({"quarter": "2018-19-Q4", "trust_code": codes, "trust_name": codes, "trust_type": "acute",
                      "metric_id": "AE4HR", "value": num / den, "numerator": num, "denominator": den})
    g = nhsrank.peer_group(m, "2018-19-Q4", "acute", "ae-4hr")
    t = time.perf_counter()
    rep = bootstrap(g, R, seed=1, progress=False, n_jobs=2)
    dt = time.perf_counter() - t
    print(dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20)
""")


def scale_run(n: int, R: int) -> tuple[float, float]:
    """(seconds, peak resident GiB) of a bootstrap of n units x R replicates, one binomial metric."""
    out = subprocess.run([sys.executable, "-c", _CHILD, str(n), str(R)], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    dt, gib = out.stdout.split()[-2:]
    return float(dt), float(gib)


def gp_practice_cli(n: int = 6_500, n_boot: int = 1_000) -> None:
    """A GP-practice-sized SYNTHETIC file run through ``nhsrank uncertainty``; prints time and peak memory."""
    rng = np.random.default_rng(6500)
    den = rng.integers(300, 12_000, n).astype(int)
    num = rng.binomial(den, rng.beta(30, 8, n))
    codes = [f"P{i:05d}" for i in range(n)]
    with tempfile.TemporaryDirectory(prefix="nhsrank-bench-") as tmp:
        tmp = Path(tmp)
        pd.DataFrame(
            {
                "quarter": "2025-26-Q1",
                "trust_code": codes,
                "trust_name": [f"SYNTHETIC practice {c}" for c in codes],
                "trust_type": "acute",
                "metric_id": "AE4HR",
                "value": num / den,
                "numerator": num,
                "denominator": den,
            }
        ).to_csv(tmp / "gp_practices_SYNTHETIC.csv", index=False)
        cmd = [sys.executable, "-m", "nhsrank", "uncertainty", "--data", str(tmp / "gp_practices_SYNTHETIC.csv"),
               "--methodology", "ae-4hr", "--trust-type", "acute", "--boot", str(n_boot), "--no-progress",
               "--out", str(tmp / "u.csv")]
        timer = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []
        t = time.perf_counter()
        res = subprocess.run(timer + cmd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        dt = time.perf_counter() - t
        peak = [line.split(":")[-1] for line in res.stderr.splitlines() if "Maximum resident set size" in line]
        rows = len(pd.read_csv(tmp / "u.csv")) if (tmp / "u.csv").exists() else 0
    print(f"$ nhsrank uncertainty --data <{n} SYNTHETIC practices, 1 binomial metric> --methodology ae-4hr "
          f"--boot {n_boot}")
    print(f"  exit {res.returncode}, {rows} rows written, {dt:.1f} s, peak resident memory "
          + (f"{int(peak[0]) / 2**20:.2f} GiB (/usr/bin/time -v)" if peak else "not measured (no /usr/bin/time)"))
    if res.returncode:
        print(textwrap.indent("\n".join(line for line in res.stderr.splitlines()
                                         if not line.startswith("\t"))[-2000:], "  "))


# --------------------------------------------------------------------------- main


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller runs (a smoke test of this script)")
    ap.add_argument("--rounds", type=int, default=None, help="interleaved rounds (default 5; --quick 2)")
    ap.add_argument("--skip-scale", action="store_true", help="skip the 30,000-unit and 6,500-unit runs")
    args = ap.parse_args(argv)
    R = 1_000 if args.quick else 10_000
    rounds = args.rounds or (2 if args.quick else 5)
    n_pd, n_np = (20, 100) if args.quick else (100, 1_000)
    print(f"nhsrank {nhsrank.__version__}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}")
    g, origin = acute_group()
    T, M = g.values.shape
    print(f"\n== acute table: {T} trusts ({int(g.included.sum())} ranked) x {M} metrics ({origin}), "
          f"sources: sampling, {R:,} replicates, {rounds} interleaved rounds")

    # correctness first: the baselines give the bootstrap's positions on the bootstrap's own draws
    rep = bootstrap(g, max(n_np, n_pd), seed=1, progress=False, keep_values=True)
    vals, truth = drawn_values(g, max(n_np, n_pd), seed=1)
    assert np.array_equal(vals, rep.values, equal_nan=True), "benchmark draws differ from the bootstrap's"
    assert np.array_equal(truth, rep.true_values, equal_nan=True), "benchmark true values differ from the bootstrap's"
    pd_loop = PandasLoop(g)
    assert np.array_equal(pd_loop.run(vals[:n_pd]), rep.position[:n_pd], equal_nan=True), "pandas loop differs"
    pos_np, true_np = numpy_loop(g, vals[:n_np], truth[:n_np])
    assert np.array_equal(pos_np, rep.position[:n_np], equal_nan=True), "numpy loop differs"
    assert np.allclose(true_np, rep.true_average_metric_score[:n_np], rtol=0, atol=1e-9, equal_nan=True), \
        "numpy loop's true scores differ"
    print(f"checked: the pandas loop ({n_pd} replicates) and the numpy loop ({n_np}) give the bootstrap's league "
          "positions (and the numpy loop its true average scores) on the same draws")
    t_draw, _ = timed(lambda: drawn_values(g, R, seed=1))      # the baselines' draws, added to their time
    # every baseline runs the rules twice per replicate, as the bootstrap does: on the observed values and on
    # the true values of the replicate's world

    from peer import peer_classes   # benchmarks/peer.py
    peer = peer_classes()
    if peer is None:
        print("(multiple-inference not installed: pip install multiple-inference; the peer comparison is skipped)")
    else:
        peer = peer[1]   # SimultaneousRanking
    full = bootstrap(g, R, seed=1, progress=False, n_jobs=2)
    ranked = np.flatnonzero(g.included)
    avg_obs = full.observed["average_metric_score"][ranked]
    avg_reps = full.avg[:, ranked]

    times: dict[str, list] = {k: [] for k in ("pandas", "numpy", "floor2", "floor1", "boot2", "boot1", "sets",
                                              "peer")}
    bootstrap(g, 256, seed=0, progress=False)   # warm-up
    for i in range(rounds):
        dt, _ = timed(lambda: (pd_loop.run(vals[:n_pd]), pd_loop.run(truth[:n_pd])))
        times["pandas"].append(dt / n_pd * R + t_draw)
        dt, _ = timed(lambda: numpy_loop(g, vals[:n_np], truth[:n_np]))
        times["numpy"].append(dt / n_np * R + t_draw)
        for jobs in (2, 1):
            times[f"floor{jobs}"].append(timed(lambda j=jobs: floor(g, R, 1, j))[0])
            times[f"boot{jobs}"].append(timed(lambda j=jobs: bootstrap(g, R, seed=1, progress=False, n_jobs=j))[0])
        times["sets"].append(timed(lambda: simultaneous_rank_sets(avg_obs, avg_reps))[0])
        if peer is not None:
            cov = np.cov(avg_reps, rowvar=False)
            times["peer"].append(timed(lambda c=cov: peer(-avg_obs, c).fit(n_samples=R).conf_int())[0])
        print(f"  round {i + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items() if v))

    print(f"\nseconds for {R:,} replicates (pandas and numpy loops: {n_pd} and {n_np} replicates timed, scaled, "
          f"plus {t_draw:.2f} s of the same draws):")
    for k, label in (("pandas", "(a) idiomatic pandas loop"), ("numpy", "(b) per-replicate numpy loop"),
                     ("floor2", "(c) floor, 2 threads"), ("floor1", "(c) floor, 1 thread"),
                     ("boot2", "(d) bootstrap, 2 threads"), ("boot1", "(d) bootstrap, 1 thread")):
        print(f"  {label:32s} {mm(times[k])}")
    ratio = {
        "bootstrap (2 threads) / floor (2 threads)": [b / f for b, f in zip(times["boot2"], times["floor2"])],
        "bootstrap (1 thread) / floor (1 thread)": [b / f for b, f in zip(times["boot1"], times["floor1"])],
        "pandas loop / bootstrap (2 threads)": [p / b for p, b in zip(times["pandas"], times["boot2"])],
        "pandas loop / bootstrap (1 thread)": [p / b for p, b in zip(times["pandas"], times["boot1"])],
        "numpy loop / bootstrap (2 threads)": [p / b for p, b in zip(times["numpy"], times["boot2"])],
    }
    print("ratios, per round:")
    for k, v in ratio.items():
        print(f"  {k:44s} {mm(v)}")
    f_med = statistics.median(ratio["bootstrap (2 threads) / floor (2 threads)"])
    p_med = statistics.median(ratio["pandas loop / bootstrap (2 threads)"])
    print(f"goal: bootstrap <= 1.5x the floor on 2 threads (median) -> {'met' if f_med <= 1.5 else 'NOT met'} "
          f"({f_med:.2f}x); >= 25x the pandas loop (median) -> {'met' if p_med >= 25 else 'NOT met'} ({p_med:.1f}x)")

    print(f"\n== simultaneous rank sets, {len(ranked)} trusts x {R:,} replicates")
    print(f"  nhsrank.uncertainty.ranksets.simultaneous_rank_sets: {mm(times['sets'])} s")
    if peer is not None:
        print(f"  multiple-inference SimultaneousRanking (mean + covariance, {R:,} samples): {mm(times['peer'])} s")
        ours = simultaneous_rank_sets(avg_obs, avg_reps)[0]
        ci = np.asarray(peer(-avg_obs, np.cov(avg_reps, rowvar=False)).fit(n_samples=R).conf_int())
        same = np.mean((ours["simultaneous_rank_lower"].to_numpy() == ci[:, 0])
                       & (ours["simultaneous_rank_upper"].to_numpy() == ci[:, 1]))
        print(f"  the same set for {same:.0%} of trusts; mean width nhsrank "
              f"{(ours['simultaneous_rank_upper'] - ours['simultaneous_rank_lower']).mean():.1f}, "
              f"multiple-inference {(ci[:, 1] - ci[:, 0]).mean():.1f} (ties in rank order may differ)")

    if args.skip_scale:
        return
    print("\n== scale: one binomial metric, 2 threads, peak resident memory of a child process")
    for n, r in ((6_500, 1_000), (30_000, 1_000)) if not args.quick else ((6_500, 200),):
        dt, gib = scale_run(n, r)
        print(f"  {n:,} units x {r:,} replicates: {dt:6.1f} s, peak {gib:.2f} GiB"
              + (f"  goal < 3 GiB -> {'met' if gib < 3 else 'NOT met'}" if n == 30_000 else ""))
    print("\n== a GP-practice-sized SYNTHETIC file through the command line")
    gp_practice_cli(6_500, 200 if args.quick else 1_000)


if __name__ == "__main__":
    main()
