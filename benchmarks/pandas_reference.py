"""A straightforward per-replicate pandas implementation of the NOF rules.

Written independently of :mod:`nhsrank.rules.scoring` / :mod:`nhsrank.rules.segmentation`
(long DataFrame, groupby, ``Series.rank``) so that it serves two purposes:
the baseline the benchmark compares the vectorised engine with, and a
cross-check in the tests that every bootstrap replicate runs the same rules.
Supports ``rank`` and ``thresholds`` scoring, ``mean_of_metrics``, quantile
segments and both overrides (what the NOF 2025/26 methodology uses).
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def pandas_league(long: pd.DataFrame, spec: pd.DataFrame, included: pd.Series, deficit: pd.Series,
                  pip: pd.Series, methodology) -> pd.DataFrame:
    """One league table from long rows (trust_code, metric_id, value).

    ``spec`` is ``Methodology.metrics(trust_type)``; ``included``, ``deficit``
    and ``pip`` are boolean Series indexed by trust_code. Returns a DataFrame
    indexed by trust_code with average_metric_score, segment, league_position
    for the included trusts.
    """
    df = long.dropna(subset=["value"]).merge(spec[["metric_id", "direction", "scoring"]], on="metric_id")
    parts = []
    for mid, g in df.groupby("metric_id", sort=False):
        m = spec.set_index("metric_id").loc[mid]
        if m["scoring"] == "rank":
            r = g["value"].rank(method="average", ascending=m["direction"] != "higher_is_better")
            n = len(g)
            score = 1 + 3 * (r - 1) / (n - 1) if n > 1 else pd.Series(2.5, index=g.index)
        else:
            cuts, scores = list(m["cutpoints"]), list(m["scores"])
            score = g["value"].apply(lambda v: scores[sum(v >= c for c in cuts)])  # noqa: B023 (applied at once)
        parts.append(g.assign(score=score))
    scored = pd.concat(parts)
    avg = scored.groupby("trust_code")["score"].mean()
    avg = avg[avg.index.isin(included[included].index)].round(10)
    n = len(avg)
    r = avg.rank(method="min")
    nseg = int(methodology.segmentation.get("n_segments", 4))
    seg = np.floor(nseg * (r - 1) / n) + 1
    ov = methodology.overrides
    if ov.get("financial_deficit", {}).get("enabled"):
        cap = ov["financial_deficit"]["cap_segment"]
        d = deficit.reindex(seg.index).fillna(False).astype(bool)
        seg = seg.where(~d, np.maximum(seg, cap))
    if ov.get("pip", {}).get("enabled"):
        p = pip.reindex(seg.index).fillna(False).astype(bool)
        seg = seg.where(~p, ov["pip"]["segment"])
    out = pd.DataFrame({"average_metric_score": avg, "segment": seg})
    out["league_position"] = (out["segment"] * 10 + out["average_metric_score"]).rank(method="min")
    return out


def pandas_bootstrap(group, n_boot: int, seed: int = 0) -> list[pd.DataFrame]:
    """The per-replicate loop: redraw the values (binomial/poisson/normal) and run :func:`pandas_league`."""
    rng = np.random.default_rng(seed)
    codes = group.trusts["trust_code"].to_numpy()
    spec = group.metrics
    T, M = group.values.shape
    base = pd.DataFrame({"trust_code": np.repeat(codes, M), "metric_id": np.tile(spec["metric_id"].to_numpy(), T),
                         "value": group.values.ravel(), "numerator": group.numerator.ravel(),
                         "denominator": group.denominator.ravel(), "se": group.standard_error.ravel(),
                         "sampling": np.tile(spec["sampling"].to_numpy(), T)})
    included = pd.Series(group.included, index=codes)
    deficit = pd.Series(group.deficit, index=codes)
    pip = pd.Series(group.pip, index=codes)
    out = []
    for _ in range(n_boot):
        df = base.copy()
        b = (df["sampling"] == "binomial") & df["value"].notna() & df["denominator"].notna()
        df.loc[b, "value"] = rng.binomial(df.loc[b, "denominator"].astype(np.int64),
                                          df.loc[b, "numerator"] / df.loc[b, "denominator"]) / df.loc[b, "denominator"]
        p = (df["sampling"] == "poisson") & df["value"].notna() & (df["numerator"] > 0)
        df.loc[p, "value"] = df.loc[p, "value"] * rng.poisson(df.loc[p, "numerator"]) / df.loc[p, "numerator"]
        n = (df["sampling"] == "normal") & df["value"].notna() & df["se"].notna()
        df.loc[n, "value"] = df.loc[n, "value"] + df.loc[n, "se"] * rng.standard_normal(int(n.sum()))
        out.append(pandas_league(df, spec, included, deficit, pip, group.methodology))
    return out
