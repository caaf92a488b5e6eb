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


def rank_scores(values: np.ndarray, higher_is_better: np.ndarray | bool, ties: str = "mean",
                low: float = BEST, high: float = WORST) -> np.ndarray:
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
    values : numpy.ndarray
        Metric values, shape (..., trusts, metrics); NaN where a trust reports none.
    higher_is_better : bool or numpy.ndarray
        Direction of every metric, or one per metric (metrics,).
    ties : {"mean", "best"}, default "mean"
        Tied trusts share their mean rank, or all take the best rank of the tie.
    low : float, default 1.0
        Score of the best trust (1.00; 2.00 below a standard: :func:`bookend_scores`).
    high : float, default 4.0
        Score of the worst trust (4.00; 3.00 above a floor).

    Returns
    -------
    numpy.ndarray
        Scores of the same shape as ``values``, in [low, high], NaN where ``values`` is NaN
        (not rounded).

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
        scores = low + (high - low) * (ranks - 1.0) / (n - 1.0)
    scores = np.where(n == 1, (low + high) / 2, scores)
    return np.where(np.isnan(x), np.nan, scores)


def bookend_scores(values: np.ndarray, higher_is_better: bool, ties: str = "best", floor: float = np.nan,
                   standard: float = np.nan) -> np.ndarray:
    """Rank scores of one metric with a floor or a standard (manual, "Standard scoring models").

    With a ``floor``, a value that fails it (below it, or above it for a
    lower-is-better metric) scores 4.00 and the others are spread over
    1.00-3.00 by rank among themselves. With a ``standard``, a value that
    meets it (at or above it; at or below for lower-is-better) scores 1.00
    and the others are spread over 2.00-4.00. Without either this is
    :func:`rank_scores` with bookends 1.00 and 4.00.

    Parameters
    ----------
    values : array (..., trusts) of one metric
    higher_is_better : bool
    ties : "mean" or "best"
    floor, standard : the thresholds, in the metric's units (NaN: none)

    Examples
    --------
    Urgent Community Response, floor 70%: 62% fails; 95%, 80% and 71% spread
    over 1.00-3.00 (ranks 1, 2, 3 of 3):

    >>> bookend_scores(np.array([0.95, 0.62, 0.80, 0.71]), True, floor=0.70)
    array([1., 4., 2., 3.])

    A standard of 90%: 92% and 90% meet it; 85% and 60% spread over 2.00-4.00:

    >>> bookend_scores(np.array([0.92, 0.85, 0.90, 0.60]), True, standard=0.90)
    array([1., 2., 1., 4.])
    """
    v = np.asarray(values, dtype=float)
    sign = 1.0 if higher_is_better else -1.0
    with np.errstate(invalid="ignore"):
        if not np.isnan(floor):
            out_ = sign * v < sign * floor
            rest = np.where(out_, np.nan, v)
            scored = rank_scores(rest[..., None], higher_is_better, ties, BEST, 3.0)[..., 0]
            res = np.where(out_, WORST, scored)
        elif not np.isnan(standard):
            met = sign * v >= sign * standard
            rest = np.where(met, np.nan, v)
            scored = rank_scores(rest[..., None], higher_is_better, ties, 2.0, WORST)[..., 0]
            res = np.where(met, BEST, scored)
        else:
            res = rank_scores(v[..., None], higher_is_better, ties)[..., 0]
    return np.where(np.isnan(v), np.nan, res)


def threshold_scores(values: np.ndarray, cutpoints, scores) -> np.ndarray:
    """Score discrete metrics by cut-points.

    ``value < cutpoints[0]`` gets ``scores[0]``; ``cutpoints[k-1] <= value <
    cutpoints[k]`` gets ``scores[k]``; ``value >= cutpoints[-1]`` gets
    ``scores[-1]``. NaN stays NaN.

    Parameters
    ----------
    values : numpy.ndarray
        Metric values, any shape.
    cutpoints : sequence of float
        Ascending cut points, k of them.
    scores : sequence of float
        The k + 1 scores, for values below the first cut point up to values at or above the last.

    Returns
    -------
    numpy.ndarray
        Scores of the same shape as ``values``.

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


def score_array(values: np.ndarray, metrics: pd.DataFrame, pool: np.ndarray | None = None,
                count_cells: np.ndarray | None = None) -> np.ndarray:
    """Score every metric of a (..., trusts, metrics) array following ``metrics``.

    The ``scoring`` column of ``metrics`` picks the rule per metric: ``rank`` and
    ``thresholds`` (the NOF rules), or for sensitivity analysis ``zscore``
    (:func:`zscore_scores`), ``minmax`` (:func:`minmax_scores`) and
    ``target`` (:func:`target_scores`, using a ``target`` column if present).
    A rank metric with a ``floor`` or ``standard`` is scored by
    :func:`bookend_scores`.

    Parameters
    ----------
    values : numpy.ndarray
        Metric values, shape (..., trusts, metrics).
    metrics : pandas.DataFrame
        The metric settings (:meth:`nhsrank.rules.methodology.Methodology.metrics`), one row
        per metric in the order of the last axis of ``values``.
    pool : numpy.ndarray or None, default None
        Values of providers of OTHER trust types that share the peer group of a metric
        (``peers: all_types``), shape (P, metrics), NaN where a metric is scored within the
        trust type: they take part in the ranking, but only the scores of ``values`` are
        returned.
    count_cells : numpy.ndarray or None, default None
        Boolean (trusts, metrics), True where a value is published as a count in a metric
        that is otherwise a rate (NHS England's E. coli and C. difficile rows for trusts with
        few cases): such a value is scored by the metric's ``count_cutpoints``/``count_scores``
        and takes no part in the ranking of the rates.

    Returns
    -------
    numpy.ndarray
        Scores of the same shape as ``values``, 1.00-4.00, NaN where a trust has no value
        (not rounded: the pipeline rounds to 2 dp).

    Examples
    --------
    A rate metric with a standard of 1.00; the third trust publishes a count of 2 cases:

    >>> m = pd.DataFrame({"direction": ["lower_is_better"], "scoring": ["rank"], "ties": ["best"],
    ...                   "standard": [1.0], "count_cutpoints": [(0.5, 1.5, 2.5)],
    ...                   "count_scores": [(1.0, 2.0, 3.0, 4.0)]})
    >>> counts = np.array([[False], [False], [True], [False]])
    >>> score_array(np.array([[0.9], [1.2], [2.0], [1.5]]), m, count_cells=counts)[:, 0]
    array([1., 2., 3., 4.])
    """
    values = np.asarray(values, dtype=float)
    n_own = values.shape[-2]
    counted = []
    if count_cells is not None and "count_cutpoints" in metrics:
        cells = np.asarray(count_cells, dtype=bool)
        cps = metrics["count_cutpoints"].tolist()
        for j in range(len(metrics)):
            if len(cps[j]) and cells[..., j].any():
                counted.append((j, cells[..., j], values[..., j].copy()))
        if counted:
            values = values.copy()
            for j, mask, _ in counted:
                values[..., j] = np.where(mask, np.nan, values[..., j])
    if pool is not None and np.size(pool):
        pool = np.broadcast_to(np.asarray(pool, dtype=float), values.shape[:-2] + np.shape(pool))
        values = np.concatenate([values, pool], axis=-2)
    out = np.full(values.shape, np.nan)
    hib_all = (metrics["direction"] == "higher_is_better").to_numpy()
    scoring = metrics["scoring"].to_numpy()
    ties = metrics["ties"].to_numpy() if "ties" in metrics else np.full(len(scoring), "mean")
    floor = metrics["floor"].to_numpy(dtype=float) if "floor" in metrics else np.full(len(scoring), np.nan)
    standard = metrics["standard"].to_numpy(dtype=float) if "standard" in metrics else np.full(len(scoring), np.nan)
    bookend = (scoring == "rank") & (~np.isnan(floor) | ~np.isnan(standard))
    for tie_rule in ("mean", "best"):
        sel = (scoring == "rank") & (ties == tie_rule) & ~bookend
        if sel.any():
            out[..., sel] = rank_scores(values[..., sel], hib_all[sel], tie_rule)
    for j in np.flatnonzero(bookend):
        out[..., j] = bookend_scores(values[..., j], bool(hib_all[j]), ties[j], floor[j], standard[j])
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
    for j, mask, raw in counted:
        counts = threshold_scores(raw, metrics["count_cutpoints"].iloc[j], metrics["count_scores"].iloc[j])
        out[..., :n_own, j] = np.where(mask, counts, out[..., :n_own, j])
    return out[..., :n_own, :]


def domain_means(scores: np.ndarray, domain_codes: np.ndarray, n_domains: int,
                 weights: np.ndarray | None = None) -> np.ndarray:
    """Mean score per domain, ignoring missing metrics: (..., trusts, domains).

    Parameters
    ----------
    scores : numpy.ndarray
        Metric scores, shape (..., trusts, metrics); NaN where a trust has no score.
    domain_codes : numpy.ndarray
        Domain of each metric (last axis of ``scores``), 0..n_domains-1.
    n_domains : int
        Number of domains.
    weights : numpy.ndarray or None, default None
        Weight of each metric (metrics,), as in the average (the three infection
        metrics one third each); None weighs every metric 1.

    Returns
    -------
    numpy.ndarray
        Weighted mean score per domain, shape (..., trusts, domains); NaN for a domain
        with no scored metric (not rounded).

    Examples
    --------
    Safety with MRSA, E. coli and C. difficile at one third each and one other metric:

    >>> domain_means(np.array([[1.0, 4.0, 4.0, 2.0]]), np.array([0, 0, 0, 0]), 1,
    ...              np.array([1 / 3, 1 / 3, 1 / 3, 1.0])).round(4)
    array([[2.5]])
    """
    scores = np.asarray(scores, dtype=float)
    onehot = np.zeros((scores.shape[-1], n_domains))
    onehot[np.arange(scores.shape[-1]), domain_codes] = 1.0
    if weights is not None:
        onehot = onehot * np.asarray(weights, dtype=float)[:, None]
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
    scores : numpy.ndarray
        Metric scores, shape (..., trusts, metrics); NaN where a trust has no score.
    aggregation : {"mean_of_metrics", "mean_of_domain_means"}, default "mean_of_metrics"
        The NOF rule (the mean of a trust's metric scores) or the mean of its domain means.
    domain_codes : numpy.ndarray or None, default None
        Domain of each metric, 0..n_domains-1 (needed for "mean_of_domain_means").
    n_domains : int or None, default None
        Number of domains (needed for "mean_of_domain_means").
    weights : numpy.ndarray or None, default None
        Metric weights broadcastable to (..., 1, metrics), e.g. the infection metrics'
        thirds or Dirichlet draws: a weighted mean over the metrics a trust has.
        None weighs every metric 1.

    Returns
    -------
    numpy.ndarray
        The average score, shape (..., trusts), NaN for a trust with no score (not rounded).

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


def round_half_up(x: np.ndarray, decimals: int = 2) -> np.ndarray:
    """Round half away from zero, as a spreadsheet does (2.345 -> 2.35); NaN stays NaN.

    NumPy's ``round`` rounds half to even (2.345 -> 2.34 where the binary value
    is exactly half); NHS England's averages are rounded the usual way. A tiny
    allowance (1e-9) absorbs the binary error of sums such as 1.1 + 2.2.

    Examples
    --------
    >>> round_half_up(np.array([2.345, 2.335, 1.125, np.nan]))
    array([2.35, 2.34, 1.13,  nan])
    """
    x = np.asarray(x, dtype=float)
    f = 10.0 ** decimals
    return np.sign(x) * np.floor(np.abs(x) * f + 0.5 + 1e-9) / f



def round_half_even(x: np.ndarray, decimals: int = 2) -> np.ndarray:
    """Round to ``decimals`` with exact decimal halves to the even digit (2.205 -> 2.20, 2.215 -> 2.22).

    The average of 2-dp metric scores is a fraction whose decimal half cases
    (2.205, 3.075, ...) are not exact in binary, so ``np.round`` decides them by
    representation error. Values within 1e-6 of a half (in units of the last
    decimal) are treated as the exact half and go to the even digit, as
    Python's ``decimal`` does; this reproduces 232 of NHS England's 244
    published MH & community averages exactly (half up: 231; the rest differ by
    0.01 because NHS England averages its unrounded scores).

    Examples
    --------
    >>> round_half_even(np.array([2.205, 3.075, 2.215, 1.844167, np.nan]))
    array([2.2 , 3.08, 2.22, 1.84,  nan])
    """
    x = np.asarray(x, dtype=float)
    f = 10.0 ** decimals
    y = x * f
    low = np.floor(y)
    half = np.abs(y - low - 0.5) < 1e-6
    return np.where(half, low + (low % 2), np.round(y)) / f
