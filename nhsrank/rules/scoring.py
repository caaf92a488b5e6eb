"""Step 1 and 2 of the NOF: metric scores (1.00 best to 4.00 worst) and averages.

All functions work on arrays whose last two axes are (trusts, metrics); any
leading axes (bootstrap replicates, say) are carried along, so one call scores
thousands of replicates at once.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .ranks import average_ranks, min_ranks

BEST, WORST = 1.0, 4.0


def rank_scores(values: np.ndarray, higher_is_better: np.ndarray | bool, ties: str = "mean") -> np.ndarray:
    """Score continuous metrics by rank within the peer group.

    Within each metric (last axis) trusts with a value are ranked, best = 1,
    and scored ``1 + 3 * (r - 1) / (n - 1)``, where ``n`` is the number of
    trusts with a value. Tied trusts share their mean rank (``ties="mean"``,
    the project's default reading) or all take the best rank of the tied
    group (``ties="best"``, the 2025/26 methodology manual's worked example:
    "all organisations receive the same score aligned with the highest
    performing score in the cluster"). Missing values (NaN) stay NaN. With a
    single trust the score is 2.5.

    Parameters
    ----------
    values : array (..., trusts, metrics)
    higher_is_better : bool or bool array (metrics,)
    ties : "mean" or "best"

    Returns
    -------
    array of the same shape, scores in [1, 4].

    Examples
    --------
    >>> rank_scores(np.array([[0.9], [0.7], [0.7], [0.5]]), True).ravel()
    array([1. , 2.5, 2.5, 4. ])
    >>> rank_scores(np.array([[0.9], [0.7], [0.7], [0.5]]), True, ties="best").ravel()
    array([1., 2., 2., 4.])
    """
    values = np.asarray(values, dtype=float)
    hib = np.broadcast_to(np.asarray(higher_is_better, dtype=bool), values.shape[-1:])
    # orient so that smaller is better
    x = np.where(hib, -values, values)
    if ties == "mean":
        ranks = average_ranks(x, axis=-2)
    elif ties == "best":
        ranks = np.moveaxis(min_ranks(np.moveaxis(x, -2, -1)), -1, -2)
    else:
        raise ValueError(f"ties must be 'mean' or 'best', not {ties!r}")
    n = np.sum(~np.isnan(x), axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = BEST + (WORST - BEST) * (ranks - 1.0) / (n - 1.0)
    scores = np.where(n == 1, (BEST + WORST) / 2, scores)
    return np.where(np.isnan(x), np.nan, scores)


def threshold_scores(values: np.ndarray, cutpoints, scores) -> np.ndarray:
    """Score discrete metrics by cut-points.

    ``value < cutpoints[0]`` gets ``scores[0]``; ``cutpoints[k-1] <= value <
    cutpoints[k]`` gets ``scores[k]``; ``value >= cutpoints[-1]`` gets
    ``scores[-1]``. NaN stays NaN.

    Examples
    --------
    >>> threshold_scores(np.array([0.0, 1.0, np.nan]), [0.5], [4.0, 1.0])
    array([ 4.,  1., nan])
    """
    values = np.asarray(values, dtype=float)
    idx = np.searchsorted(np.asarray(cutpoints, dtype=float), values, side="right")
    out = np.asarray(scores, dtype=float)[np.minimum(idx, len(scores) - 1)]
    return np.where(np.isnan(values), np.nan, out)


# z-scores beyond this many standard deviations are clipped (score 1 or 4)
ZSCORE_CLIP = 3.0
# distance-to-target: without a metric ``target``, the target is this quantile
# of the peer values in the "better" direction (the best-decile boundary)
TARGET_QUANTILE = 0.9


def _oriented(values: np.ndarray, higher_is_better) -> np.ndarray:
    """Values turned so that higher is better on every metric."""
    values = np.asarray(values, dtype=float)
    hib = np.broadcast_to(np.asarray(higher_is_better, dtype=bool), values.shape[-1:])
    return np.where(hib, values, -values)


def zscore_scores(values: np.ndarray, higher_is_better: np.ndarray | bool) -> np.ndarray:
    """Score metrics by z-score within the peer group, on the 1 (best) to 4 (worst) scale.

    ``z = (x - mean) / sd`` over the trusts with a value (``sd`` with
    ``ddof=0``), oriented so that a positive ``z`` is better, mapped to
    ``2.5 - 1.5 * z / 3`` and clipped to [1, 4]: the peer mean scores 2.5,
    three standard deviations better scores 1. A metric with no spread
    scores 2.5 throughout. Unlike rank scoring, the distance between trusts
    counts (the OECD/JRC Handbook's standardisation).

    Examples
    --------
    >>> zscore_scores(np.array([[3.0], [1.0], [2.0]]), True).ravel().round(3)
    array([1.888, 3.112, 2.5  ])
    """
    x = _oriented(values, higher_is_better)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # all-NaN metric columns
        mean = np.nanmean(x, axis=-2, keepdims=True)
        sd = np.sqrt(np.nanmean((x - mean) ** 2, axis=-2, keepdims=True))
        z = np.where(sd > 0, (x - mean) / sd, 0.0)
    scores = np.clip(2.5 - 1.5 * z / ZSCORE_CLIP, BEST, WORST)
    return np.where(np.isnan(x), np.nan, scores)


def minmax_scores(values: np.ndarray, higher_is_better: np.ndarray | bool) -> np.ndarray:
    """Score metrics by min-max rescaling within the peer group: best value 1, worst 4.

    ``score = 1 + 3 * (best - x) / (best - worst)`` in the metric's
    direction; a metric with no spread scores 2.5 throughout.

    Examples
    --------
    >>> minmax_scores(np.array([[10.0], [20.0], [40.0]]), False).ravel()
    array([1., 2., 4.])
    """
    x = _oriented(values, higher_is_better)
    with np.errstate(invalid="ignore", divide="ignore"):
        hi = np.nanmax(np.where(np.isnan(x), -np.inf, x), axis=-2, keepdims=True)
        lo = np.nanmin(np.where(np.isnan(x), np.inf, x), axis=-2, keepdims=True)
        span = hi - lo
        scores = np.where(np.isfinite(span) & (span > 0), BEST + (WORST - BEST) * (hi - x) / span,
                          (BEST + WORST) / 2)
    return np.where(np.isnan(x), np.nan, scores)


def target_scores(values: np.ndarray, higher_is_better: np.ndarray | bool, targets=None,
                  quantile: float = TARGET_QUANTILE) -> np.ndarray:
    """Score metrics by distance to a target: at or beyond it 1, the worst peer value 4.

    ``score = 1 + 3 * shortfall / (target - worst)`` where ``shortfall =
    max(target - x, 0)`` in the metric's direction. ``targets`` (one per
    metric, NaN for none) are in the metric's units; a metric without a
    target uses the peer value at ``quantile`` in the better direction (by
    default the best-decile boundary), the "distance to a reference" of the
    OECD/JRC Handbook. If nobody falls short the score is 1 throughout.

    Examples
    --------
    >>> target_scores(np.array([[0.95], [0.90], [0.70]]), True, targets=[0.9]).ravel()
    array([1., 1., 4.])
    """
    x = _oriented(values, higher_is_better)
    hib = np.broadcast_to(np.asarray(higher_is_better, dtype=bool), x.shape[-1:])
    if targets is None:
        t = np.full(x.shape[-1], np.nan)
    else:
        t = np.broadcast_to(np.asarray(targets, dtype=float), x.shape[-1:])
        t = np.where(hib, t, -t)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        q = np.nanquantile(x, quantile, axis=-2, keepdims=True) if x.shape[-2] else np.full(x.shape, np.nan)
        target = np.where(np.isnan(t), q, t)
        worst = np.nanmin(np.where(np.isnan(x), np.inf, x), axis=-2, keepdims=True)
        span = target - worst
        shortfall = np.maximum(target - x, 0.0)
        scores = np.where(np.isfinite(span) & (span > 0), BEST + (WORST - BEST) * shortfall / span, BEST)
    return np.where(np.isnan(x), np.nan, np.clip(scores, BEST, WORST))


SCORING_METHODS = ("rank", "thresholds", "zscore", "minmax", "target")


def score_array(values: np.ndarray, metrics: pd.DataFrame) -> np.ndarray:
    """Score every metric of a (..., trusts, metrics) array following ``metrics``.

    ``metrics`` is :meth:`nhsrank.rules.methodology.Methodology.metrics` for the
    trust type, its rows in the order of the last axis of ``values``. Its
    ``scoring`` column picks the rule per metric: ``rank`` and
    ``thresholds`` (the NOF rules), or for sensitivity analysis ``zscore``
    (:func:`zscore_scores`), ``minmax`` (:func:`minmax_scores`) and
    ``target`` (:func:`target_scores`, using a ``target`` column if present).
    """
    values = np.asarray(values, dtype=float)
    out = np.full(values.shape, np.nan)
    hib_all = (metrics["direction"] == "higher_is_better").to_numpy()
    scoring = metrics["scoring"].to_numpy()
    ties = metrics["ties"].to_numpy() if "ties" in metrics else np.full(len(scoring), "mean")
    for tie_rule in ("mean", "best"):
        sel = (scoring == "rank") & (ties == tie_rule)
        if sel.any():
            out[..., sel] = rank_scores(values[..., sel], hib_all[sel], tie_rule)
    for method, fn in (("zscore", zscore_scores), ("minmax", minmax_scores)):
        sel = scoring == method
        if sel.any():
            out[..., sel] = fn(values[..., sel], hib_all[sel])
    sel = scoring == "target"
    if sel.any():
        targets = metrics["target"].to_numpy(dtype=float)[sel] if "target" in metrics else None
        out[..., sel] = target_scores(values[..., sel], hib_all[sel], targets)
    for j in np.flatnonzero(scoring == "thresholds"):
        m = metrics.iloc[j]
        out[..., j] = threshold_scores(values[..., j], m["cutpoints"], m["scores"])
    return out


def domain_means(scores: np.ndarray, domain_codes: np.ndarray, n_domains: int) -> np.ndarray:
    """Mean score per domain, ignoring missing metrics: (..., trusts, domains).

    ``domain_codes`` maps each metric (last axis of ``scores``) to 0..n_domains-1.
    A domain with no scored metric is NaN.
    """
    scores = np.asarray(scores, dtype=float)
    onehot = np.zeros((scores.shape[-1], n_domains))
    onehot[np.arange(scores.shape[-1]), domain_codes] = 1.0
    have = ~np.isnan(scores)
    sums = np.where(have, scores, 0.0) @ onehot
    counts = have.astype(float) @ onehot
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / counts, np.nan)


def average_metric_score(
    scores: np.ndarray,
    aggregation: str = "mean_of_metrics",
    domain_codes: np.ndarray | None = None,
    n_domains: int | None = None,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Average metric score over the last axis, ignoring missing metrics.

    Parameters
    ----------
    scores : array (..., trusts, metrics)
    aggregation : "mean_of_metrics" (the NOF rule) or "mean_of_domain_means"
    domain_codes, n_domains : needed for "mean_of_domain_means"
    weights : optional array broadcastable to (..., 1, metrics) of metric
        weights (e.g. Dirichlet draws); a weighted mean over the metrics a
        trust has. Only for "mean_of_metrics".

    Examples
    --------
    >>> average_metric_score(np.array([[1.0, 4.0, np.nan]]))
    array([2.5])
    """
    scores = np.asarray(scores, dtype=float)
    have = ~np.isnan(scores)
    if aggregation == "mean_of_metrics":
        w = np.ones(scores.shape[-1]) if weights is None else np.asarray(weights, dtype=float)
        num = np.sum(np.where(have, scores, 0.0) * w, axis=-1)
        den = np.sum(have * w, axis=-1)
    elif aggregation == "mean_of_domain_means":
        if domain_codes is None or n_domains is None:
            raise ValueError("mean_of_domain_means needs domain_codes and n_domains")
        dm = domain_means(scores, domain_codes, n_domains)
        num = np.nansum(dm, axis=-1)
        den = np.sum(~np.isnan(dm), axis=-1)
    else:
        raise ValueError(f"unknown aggregation {aggregation!r}")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)
