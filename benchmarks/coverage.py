"""Coverage of nhsrank's rank sets against a known truth (issue 11). PARTIAL: simultaneous sets and the
percentile rank/score intervals only; the multi-metric NOF-like designs and the peer comparison are not
written yet.

Synthetic data (labelled as such): each design fixes true average scores theta; an estimate is
theta + N(0, se); the bootstrap redraws estimate + N(0, se) (the sampling model of nhsrank's normal
metrics). True rank = competition rank of theta (ties share the better rank).

    python benchmarks/coverage.py [--quick] [--sims N] [--boot R]
"""
from __future__ import annotations

import argparse

import numpy as np

from nhsrank.uncertainty.ranksets import simultaneous_rank_sets

DESIGNS = {
    "all 30 equal": np.zeros(30),
    "8 tied groups of 5": np.repeat(np.arange(8) * 0.1, 5),
    "3 tied groups of 10": np.repeat(np.arange(3) * 0.1, 10),
    "realistic spread (40)": np.linspace(-1, 1, 40),
}


def competition_rank(x):
    return 1 + (x[None, :] < x[:, None]).sum(axis=1)


def run(n_sims: int, n_boot: int, seed: int = 1, se: float = 0.1, level: float = 0.95):
    rows = []
    for d, (name, theta) in enumerate(DESIGNS.items()):
        rng = np.random.default_rng([seed, d])
        true_rank = competition_rank(theta)
        cov = {"simultaneous (all)": [], "percentile rank (each)": [], "percentile score (each)": []}
        for _ in range(n_sims):
            est = theta + rng.normal(0, se, theta.size)
            reps = est + rng.normal(0, se, (n_boot, theta.size))
            sets, _ = simultaneous_rank_sets(est, reps, level)
            lo, hi = sets["simultaneous_rank_lower"].to_numpy(), sets["simultaneous_rank_upper"].to_numpy()
            cov["simultaneous (all)"].append(np.all((lo <= true_rank) & (true_rank <= hi)))
            pos = np.argsort(np.argsort(reps, axis=1, kind="stable"), axis=1) + 1
            plo, phi = np.quantile(pos, [(1 - level) / 2, (1 + level) / 2], axis=0, method="lower"), None
            phi = np.quantile(pos, (1 + level) / 2, axis=0, method="higher")
            cov["percentile rank (each)"].extend((plo[0] <= true_rank) & (true_rank <= phi))
            slo, shi = np.quantile(reps, [(1 - level) / 2, (1 + level) / 2], axis=0)
            cov["percentile score (each)"].extend((slo <= theta) & (theta <= shi))
        for k, v in cov.items():
            p = float(np.mean(v))
            rows.append((name, k, p, np.sqrt(p * (1 - p) / n_sims)))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--sims", type=int, default=None)
    ap.add_argument("--boot", type=int, default=None)
    a = ap.parse_args(argv)
    sims = a.sims or (40 if a.quick else 100)
    boot = a.boot or (400 if a.quick else 500)
    print(f"coverage at 95% ({sims} simulated tables, {boot} replicates each; synthetic data; "
          f"MC s.e. of a share is that of the number of tables for 'all', smaller for 'each')")
    print(f"{'design':24s} {'set':26s} {'coverage':>8s} {'MC s.e.':>8s}")
    for name, k, p, s in run(sims, boot):
        print(f"{name:24s} {k:26s} {p:8.3f} {s:8.3f}")


if __name__ == "__main__":
    main()
