"""Generate the bundled SYNTHETIC data set (fictional trusts, fictional figures).

The data exist so that ``make report`` runs offline and the uncertainty
engine has numerators and denominators to resample. Nothing in them describes
a real trust. Regenerate with::

    python -m nhsrank.data.synthetic --seed 20251 --out data/synthetic

Model, per trust type and metric (all draws from one seeded
``numpy.random.default_rng``):

* each trust has a latent quality ``q ~ N(0, 1)`` that drifts slowly across
  quarters (AR(1), rho = 0.9); each metric loads on it with weight
  ``loading`` (default 0.5) plus independent trust-level variation;
* proportion metrics (``sampling: binomial``): a trust size (denominator,
  log-normal around ``synthetic.denominator``), a true proportion on the
  logit scale, and a binomial numerator, so value = numerator / denominator;
* count metrics (``sampling: poisson``): a Poisson count over an exposure
  (denominator), value = numerator / denominator * ``synthetic.per`` (e.g.
  per 100,000 bed days);
* other continuous metrics (``sampling: normal``): value = truth + noise with
  a standard error reported alongside;
* discrete metrics (``scoring: thresholds``): a level drawn from
  ``synthetic.levels`` / ``probs``, tilted by quality;
* about 1.5% of trust-metric values are missing, and one trust per type
  and quarter (two for acute) reports too few metrics to be ranked, so the
  exclusion path is exercised; about a third of trusts are in financial
  deficit and about 5% in the Provider Improvement Programme.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from ..outputs import write_atomic
from ..rules.methodology import DEFAULT_METHODOLOGY, load_methodology, synthetic_spec

SIZES = {"acute": 134, "non-acute": 61, "ambulance": 10}
PREFIX = {"acute": ("A", "Synthetic Acute Trust"),
          "non-acute": ("N", "Synthetic Mental Health and Community Trust"),
          "ambulance": ("B", "Synthetic Ambulance Trust")}
QUARTERS = ["2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4"]
DEFAULT_SEED = 20251


def _trusts(trust_type: str, n: int) -> pd.DataFrame:
    letter, label = PREFIX[trust_type]
    k = np.arange(1, n + 1)
    return pd.DataFrame({
        "trust_code": [f"SYN-{letter}{i:03d}" for i in k],   # a hyphen: never a real ODS code
        "trust_name": [f"{label} {i:03d}" for i in k],
        "trust_type": trust_type,
    })


def _synthetic_metrics(meth, trust_type: str) -> list[dict]:
    """Catalogue entries to generate for a trust type: those with ``synthetic`` settings for it
    (every metric the type usually reports when the methodology gives no settings at all)."""
    entries = [meth.metric_config(mid) for mid in meth.metrics(trust_type)["metric_id"]]
    hinted = [m for m in entries if synthetic_spec(m, trust_type) is not None]
    return hinted if any("synthetic" in m for m in meth.config["metrics"]) else entries


def generate(methodology=DEFAULT_METHODOLOGY, seed: int = DEFAULT_SEED, sizes: dict | None = None,
             quarters=QUARTERS, missing_rate: float = 0.015) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Make a synthetic data set: (metrics in canonical long format, trust attributes).

    Parameters
    ----------
    methodology : id or path; every metric of every trust type is generated
    seed : seed for ``numpy.random.default_rng``; same seed, same data
    sizes : trusts per type (default: 134 acute, 61 non-acute, 10 ambulance)
    quarters : quarter labels
    missing_rate : share of trust-metric values left missing

    Examples
    --------
    >>> m, a = generate(sizes={"acute": 8, "non-acute": 4, "ambulance": 4}, quarters=["2025-26-Q1"])
    >>> bool(m["trust_code"].str.startswith("SYN-").all())
    True
    """
    meth = load_methodology(methodology)
    rng = np.random.default_rng(seed)
    sizes = {**SIZES, **(sizes or {})}
    frames, attrs = [], []
    for tt in meth.trust_types:
        n = sizes[tt]
        trusts = _trusts(tt, n)
        spec = _synthetic_metrics(meth, tt)
        size = rng.lognormal(0.0, 0.45, n)                  # relative trust size
        q = rng.normal(0.0, 1.0, n)
        trust_effect = rng.normal(0.0, 1.0, (n, len(spec)))  # persistent metric-specific variation
        deficit = rng.random(n) < expit(-0.7 - 0.6 * q)     # weaker trusts more often in deficit
        pip_base = np.argsort(q)[: max(1, round(0.05 * n))] if n >= 8 else np.array([], dtype=int)
        short = rng.choice(n, size=min(n - 1, 2 if tt == "acute" else 1), replace=False) if n > 1 else []
        for qi, quarter in enumerate(quarters):
            if qi:
                q = 0.9 * q + np.sqrt(1 - 0.81) * rng.normal(0.0, 1.0, n)
            rows = []
            missing = rng.random((n, len(spec))) < missing_rate
            for j, m in enumerate(spec):
                hint = dict(synthetic_spec(m, tt) or {})
                sign = 1.0 if m["direction"] == "higher_is_better" else -1.0
                z = hint.get("loading", 0.5) * q + 0.8 * trust_effect[:, j] + 0.3 * rng.normal(0, 1, n)
                num = den = se = np.full(n, np.nan)
                if m["scoring"] == "thresholds":
                    levels = np.asarray(hint.get("levels", m.get("cutpoints", [0, 1])), dtype=float)
                    probs = np.asarray(hint.get("probs", np.full(len(levels), 1 / len(levels))), dtype=float)
                    # tilt: better trusts more likely to get the level with the better score
                    level_scores = np.array([_threshold_score(v, m) for v in levels])
                    tilt = -(level_scores - level_scores.mean())[None, :] * z[:, None] * 0.8
                    w = probs[None, :] * np.exp(tilt)
                    w /= w.sum(axis=1, keepdims=True)
                    u = rng.random(n)[:, None]
                    pick = (u > np.cumsum(w, axis=1)).sum(axis=1)
                    value = levels[np.minimum(pick, len(levels) - 1)]
                else:
                    mean, sd = float(hint.get("mean", 0.5)), float(hint.get("sd", 0.1))
                    sampling = m.get("sampling", "none")
                    lo, hi = (m.get("valid_range") or [None, None])
                    if sampling == "binomial":
                        base = float(hint.get("denominator", 2000))
                        den = np.maximum(np.round(base * size * rng.lognormal(0, 0.1, n)), 10)
                        p_mean = min(max(mean, 1e-3), 1 - 1e-3)
                        scale = sd / (p_mean * (1 - p_mean))  # delta method: sd on the logit scale
                        p = expit(logit(p_mean) + sign * scale * z)
                        num = rng.binomial(den.astype(np.int64), p).astype(float)
                        value = num / den
                    elif sampling == "poisson":
                        base = float(hint.get("denominator", 1000))
                        per = float(hint.get("per", 1.0))   # value is a rate per `per` units of exposure
                        den = np.maximum(np.round(base * size * rng.lognormal(0, 0.1, n)), 10)
                        rate = np.maximum(mean * np.exp(sign * (sd / max(mean, 1e-9)) * z), 1e-9)
                        num = rng.poisson(rate * den / per).astype(float)
                        value = num / den * per
                    else:
                        truth = mean + sign * sd * z
                        if sampling == "normal":
                            se = np.full(n, float(hint.get("se", sd / 4)))
                            value = truth + se * rng.normal(0, 1, n)
                        else:
                            value = truth
                    if lo is not None or hi is not None:
                        value = np.clip(value, -np.inf if lo is None else lo, np.inf if hi is None else hi)
                value = np.where(missing[:, j], np.nan, value)
                rows.append(pd.DataFrame({
                    "trust_code": trusts["trust_code"], "trust_name": trusts["trust_name"],
                    "trust_type": tt, "quarter": quarter, "metric_id": m["id"],
                    "value": np.round(value, 6), "numerator": num, "denominator": den,
                    "standard_error": np.where(np.isnan(value), np.nan, se),
                }))
            block = pd.concat(rows, ignore_index=True)
            # the trusts with nothing to rank: every value suppressed (rows kept, values empty), so that
            # the exclusions path is exercised (the manual sets no minimum number of metrics)
            for s in short:
                code = trusts["trust_code"].iloc[s]
                mask = (block["trust_code"] == code)
                block.loc[mask, ["value", "numerator", "denominator", "standard_error"]] = np.nan
                block.loc[mask, "suppressed"] = True
            frames.append(block)
            pip = np.zeros(n, dtype=bool)
            pip[pip_base] = True
            attrs.append(pd.DataFrame({"trust_code": trusts["trust_code"], "quarter": quarter,
                                       "financial_deficit": deficit, "pip": pip}))
    metrics = pd.concat(frames, ignore_index=True)
    suppressed = metrics.pop("suppressed").fillna(False).astype(bool) if "suppressed" in metrics else False
    metrics = metrics[metrics["value"].notna() | suppressed].reset_index(drop=True)
    return metrics, pd.concat(attrs, ignore_index=True)


def _threshold_score(value: float, metric: dict) -> float:
    cps, scores = metric["cutpoints"], metric["scores"]
    k = int(np.searchsorted(np.asarray(cps, dtype=float), value, side="right"))
    return float(scores[min(k, len(scores) - 1)])


def write(out_dir, methodology=DEFAULT_METHODOLOGY, seed: int = DEFAULT_SEED) -> tuple[Path, Path]:
    """Generate and write ``nof_metrics_2025-26.csv`` and ``trust_attributes_2025-26.csv``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    metrics, attrs = generate(methodology, seed)
    mp, ap = out / "nof_metrics_2025-26.csv", out / "trust_attributes_2025-26.csv"
    write_atomic(mp, lambda tmp: metrics.to_csv(tmp, index=False, lineterminator="\n"))
    write_atomic(ap, lambda tmp: attrs.to_csv(tmp, index=False, lineterminator="\n"))
    return mp, ap


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description="Write the SYNTHETIC bundled data set.")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--methodology", default=DEFAULT_METHODOLOGY)
    p.add_argument("--out", default="data/synthetic")
    a = p.parse_args(argv)
    for path in write(a.out, a.methodology, a.seed):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
