"""`make bench`: speed and memory of the rank uncertainty engine (figures printed, nothing asserted).

Prints, for the acute table (about 134 trusts, the full NOF 2025/26 metric set):
replicates per second of the whole-pipeline bootstrap (1 and 2 threads), peak
memory, and the speed-up over a straightforward per-replicate pandas loop
(benchmarks/pandas_reference.py) measured in the same run; then 1,000
replicates at GP-practice scale (7,000 units) and how the cost grows with
replicates (linear) and units (about n log n).

    .venv/bin/python benchmarks/run.py [--quick]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nhsrank  # noqa: E402
from nhsrank.data.synthetic import generate  # noqa: E402
from nhsrank.uncertainty import bootstrap, rank_uncertainty  # noqa: E402
from pandas_reference import pandas_bootstrap  # noqa: E402

Q = "2025-26-Q1"


def acute_group():
    """The bundled SYNTHETIC acute table if present, else the same generator run in memory."""
    from nhsrank.data.readers import SYNTHETIC_METRICS

    if SYNTHETIC_METRICS.exists():
        try:
            m, a = nhsrank.load_bundled()
            return nhsrank.peer_group(m, Q, "acute", "nof-2025-26", a), "bundled SYNTHETIC data"
        except Exception as exc:  # noqa: BLE001 - fall back to the generator, say why
            print(f"(bundled data not usable: {type(exc).__name__}; generating in memory)")
    return _generated("acute", 134), "nhsrank.data.synthetic.generate() in memory"


def _generated(tt: str, n: int):
    sizes = {"acute": 3, "non-acute": 3, "ambulance": 3}
    sizes[tt] = n
    m, a = generate(sizes=sizes)
    m = m[m["quarter"] == Q].assign(_row=lambda d: np.arange(len(d)) + 2)
    a = a[a["quarter"] == Q].assign(_row=lambda d: np.arange(len(d)) + 2)
    return nhsrank.peer_group(m, Q, tt, "nof-2025-26", a)


def timed(fn, repeat=1):
    best = np.inf
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def peak_mib(fn) -> tuple[float, object]:
    tracemalloc.start()
    tracemalloc.reset_peak()
    out = fn()
    peak = tracemalloc.get_traced_memory()[1] / 2 ** 20
    tracemalloc.stop()
    return peak, out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller runs (a smoke test of this script)")
    args = ap.parse_args(argv)
    R = 1_000 if args.quick else 10_000
    n_pandas = 10 if args.quick else 40
    print(f"nhsrank {nhsrank.__version__}, numpy {np.__version__}, {os.cpu_count()} CPU(s)")
    g, origin = acute_group()
    T, M = g.values.shape
    print(f"\n== acute table: {T} trusts ({g.included.sum()} ranked) x {M} metrics ({origin}), sources: sampling")
    bootstrap(g, 256, seed=0, progress=False)                        # warm-up
    rows = {}
    for jobs in (1, 2):
        dt, _ = timed(lambda: bootstrap(g, R, seed=1, progress=False, n_jobs=jobs), repeat=2)
        rows[jobs] = dt
        print(f"bootstrap, {R} replicates, {jobs} thread(s): {dt:6.2f} s  = {R / dt:9,.0f} replicates/s")
    dt_all, _ = timed(lambda: bootstrap(g, R, seed=1, progress=False, n_jobs=2,
                                        sources=("sampling", "metrics", "weights")))
    print(f"bootstrap, {R} replicates, 2 threads, sampling+metrics+weights: {dt_all:6.2f} s")
    peak, rep = peak_mib(lambda: bootstrap(g, R, seed=1, progress=False, n_jobs=2))
    print(f"peak traced memory of that bootstrap: {peak:7.1f} MiB "
          f"(replicate arrays {sum(a.nbytes for a in (rep.avg, rep.segment, rep.segment_before_adjustment, rep.position)) / 2**20:.1f} MiB)")
    dt_sum, u = timed(lambda: rank_uncertainty(g, replicates=rep))
    print(f"statistics (intervals, segment probabilities, neighbour tests, simultaneous rank sets): {dt_sum:6.2f} s")
    print(f"  {u.attrs['summary']}; rankability {u.attrs['rankability']['rankability']:.3f}")
    dt_p, _ = timed(lambda: pandas_bootstrap(g, n_pandas, seed=1))
    per_pandas = dt_p / n_pandas
    print(f"per-replicate pandas loop: {n_pandas} replicates in {dt_p:.2f} s = {1 / per_pandas:,.1f} replicates/s "
          f"(10,000 would take {per_pandas * 10_000:,.0f} s)")
    for jobs, dt in rows.items():
        print(f"speed-up of the vectorised engine ({jobs} thread(s)) over the pandas loop: "
              f"{per_pandas / (dt / R):,.0f}x")
    print(f"goal: 10,000 replicates < 2 s on 2 cores -> {'met' if rows[2] * 10_000 / R < 2 else 'NOT met'} "
          f"({rows[2] * 10_000 / R:.2f} s); >= 50x pandas -> "
          f"{'met' if per_pandas / (rows[2] / R) >= 50 else 'NOT met'}; peak < 1 GiB -> "
          f"{'met' if peak < 1024 else 'NOT met'}")

    print("\n== GP-practice scale: 7,000 units x the acute metric set")
    big = _generated("acute", 7000)
    Tb, Mb = big.values.shape
    print(f"{Tb} units x {Mb} metrics")
    bootstrap(big, 32, seed=0, progress=False)
    Rb = 250 if args.quick else 1000
    peak_b, _ = peak_mib(lambda: bootstrap(big, Rb, seed=1, progress=False, n_jobs=2))
    dt_b, _ = timed(lambda: bootstrap(big, Rb, seed=1, progress=False, n_jobs=2))
    print(f"bootstrap, {Rb} replicates, 2 threads: {dt_b:6.2f} s ({Rb / dt_b:,.0f} replicates/s), "
          f"peak traced memory {peak_b:.0f} MiB")
    print("cost against replicates (7,000 units, 2 threads):")
    base = None
    for r in (Rb // 4, Rb // 2, Rb):
        dt, _ = timed(lambda: bootstrap(big, r, seed=1, progress=False, n_jobs=2))
        base = base or dt / r
        print(f"  {r:6d} replicates: {dt:6.2f} s   per replicate {dt / r * 1e3:6.2f} ms  (x{dt / r / base:.2f})")
    print("cost against units (250 replicates, 2 threads; n log n predicts the last column):")
    ref = None
    for n in (875, 1750, 3500, 7000):
        sub = _subgroup(big, n)
        bootstrap(sub, 32, seed=0, progress=False)
        dt, _ = timed(lambda: bootstrap(sub, 250, seed=1, progress=False, n_jobs=2), repeat=2)
        if ref is None:
            ref = (n, dt)
        pred = (n * np.log(n)) / (ref[0] * np.log(ref[0]))
        print(f"  {n:6d} units: {dt:6.2f} s   ratio to {ref[0]} units {dt / ref[1]:5.2f}   n log n ratio {pred:5.2f}")
    ru = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak resident memory (whole benchmark, incl. the pandas loop and data generation): {ru:.0f} MiB")


def _subgroup(g, n):
    """The first n units of a peer group (same metrics and flags)."""
    import copy

    s = copy.copy(g)
    for k in ("values", "numerator", "denominator", "standard_error"):
        setattr(s, k, getattr(g, k)[:n])
    for k in ("deficit", "pip", "included"):
        setattr(s, k, getattr(g, k)[:n])
    s.trusts = g.trusts.iloc[:n].reset_index(drop=True)
    return s


if __name__ == "__main__":
    main()
