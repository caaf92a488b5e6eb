"""Steps 3 and 4 of the NOF: segments, overrides and league positions.

Arrays have trusts on the last axis; leading axes (replicates) are carried.
"""
from __future__ import annotations

import numpy as np

from .ranks import average_ranks, min_ranks

# Average metric scores are compared after rounding to this many decimals, so
# that sums taken in a different order (1/3 + 2/3 vs 2/3 + 1/3) tie exactly.
SCORE_DECIMALS = 10


def quantile_segments(avg: np.ndarray, n_segments: int = 4) -> np.ndarray:
    """Segments 1..n_segments by quantile of the average metric score (lower is better).

    A trust with competition rank ``r`` among ``n`` ranked trusts goes to segment
    ``floor(n_segments * (r - 1) / n) + 1``: with distinct scores each segment
    holds ``n / n_segments`` trusts, within one; tied trusts share the better
    segment. NaN (unranked) stays NaN.

    Parameters
    ----------
    avg : numpy.ndarray
        Average metric scores, shape (..., trusts); lower is better.
    n_segments : int, default 4
        Number of segments.

    Returns
    -------
    numpy.ndarray
        Segment 1..n_segments of each trust (float), same shape as ``avg``.

    Examples
    --------
    >>> quantile_segments(np.array([1.2, 3.5, 2.0, 2.8, 1.9, 3.9, 2.2, 1.5]))
    array([1., 4., 2., 3., 2., 4., 3., 1.])
    """
    avg = np.round(np.asarray(avg, dtype=float), SCORE_DECIMALS)
    r = min_ranks(avg)
    n = np.sum(~np.isnan(avg), axis=-1, keepdims=True)
    with np.errstate(invalid="ignore"):
        seg = np.floor(n_segments * (r - 1) / n) + 1
    return np.where(np.isnan(avg), np.nan, seg)


def threshold_segments(avg: np.ndarray, thresholds, at_cut=None) -> np.ndarray:
    """Segments by fixed thresholds on the average metric score.

    ``thresholds`` are ascending upper bounds of segments 1..k-1: a score
    ``<= thresholds[0]`` is segment 1, ``<= thresholds[1]`` segment 2, and
    so on; above the last threshold is segment k. ``at_cut`` says, per
    threshold, which segment a score equal to it goes to: ``"lower"`` (the
    default) or ``"upper"`` (NOF 2025/26: a trust exactly at the median is not
    "better than average", so it goes to segment 3).

    Parameters
    ----------
    avg : numpy.ndarray
        Average metric scores, any shape; lower is better.
    thresholds : sequence of float
        Ascending upper bounds of segments 1..k-1.
    at_cut : sequence of {"lower", "upper"} or None, default None
        Per threshold, the segment a score equal to it goes to; None: "lower" for all.

    Returns
    -------
    numpy.ndarray
        Segment 1..k of each trust (float), NaN where ``avg`` is NaN.

    Examples
    --------
    >>> threshold_segments(np.array([1.4, 1.5, 2.1, 3.0]), [1.5, 2.0, 2.5])
    array([1., 1., 3., 4.])
    >>> threshold_segments(np.array([2.05, 2.33, 2.60]), [2.05, 2.33, 2.60], ["lower", "upper", "lower"])
    array([1., 3., 3.])
    """
    avg = np.round(np.asarray(avg, dtype=float), SCORE_DECIMALS)
    cuts = np.asarray(thresholds, dtype=float)
    if at_cut is None or all(a == "lower" for a in at_cut):
        seg = np.searchsorted(cuts, avg, side="left") + 1.0
    else:
        if len(at_cut) != len(cuts) or any(a not in ("lower", "upper") for a in at_cut):
            raise ValueError(f"at_cut: one of 'lower'/'upper' per threshold, got {list(at_cut)!r}")
        seg = np.ones(avg.shape)
        with np.errstate(invalid="ignore"):
            for c, side in zip(np.round(cuts, SCORE_DECIMALS + 6), at_cut):
                seg = seg + ((avg > c) if side == "lower" else (avg >= c))
    return np.where(np.isnan(avg), np.nan, seg)


def cut_points_from_segments(avg: np.ndarray, segments: np.ndarray, n_segments: int = 4) -> np.ndarray:
    """Cut points that reproduce given segments from average scores as far as any can.

    For each boundary k (between segments k and k + 1) the cut is the highest
    average of a trust in segments 1..k when that lies below every average in
    segments k + 1.. (so :func:`threshold_segments` puts equal scores on the same
    side); where the segments overlap (an average off by 0.01 near a cut), the
    candidate cut that misplaces the fewest trusts, the lowest of equals. Trusts
    without an average or segment are ignored.

    Examples
    --------
    >>> avg = np.array([1.8, 2.0, 2.1, 2.3, 2.3, 2.6, 2.9])
    >>> cut_points_from_segments(avg, np.array([1, 1, 2, 2, 2, 3, 4]))
    array([2. , 2.3, 2.6])
    >>> threshold_segments(avg, _).tolist()
    [1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 4.0]
    """
    avg = np.asarray(avg, dtype=float)
    seg = np.asarray(segments, dtype=float)
    ok = ~np.isnan(avg) & ~np.isnan(seg)
    a, s = avg[ok], seg[ok]
    cuts = []
    for k in range(1, n_segments):
        low, high = a[s <= k], a[s > k]
        if len(low) and len(high) and low.max() < high.min():
            cuts.append(low.max())
            continue
        # candidates: each average, and one below them all (an empty segment 1..k)
        cand = np.concatenate([[a.min() - 1.0], np.unique(a)]) if len(a) else np.array([np.nan])
        wrong = [(np.sum(low > c) + np.sum(high <= c), c) for c in cand]
        cuts.append(min(wrong)[1])
    return np.maximum.accumulate(np.asarray(cuts, dtype=float))


def segment(avg: np.ndarray, segmentation: dict) -> np.ndarray:
    """Segments before adjustment, following a methodology's ``segmentation`` block.

    Parameters
    ----------
    avg : numpy.ndarray
        Average metric scores, shape (..., trusts); lower is better.
    segmentation : dict
        The methodology's ``segmentation`` block: ``method`` "quantile" (with
        ``n_segments``) or "thresholds" (with ``thresholds`` and ``at_cut``).

    Returns
    -------
    numpy.ndarray
        Segment of each trust (float), NaN where ``avg`` is NaN.

    Examples
    --------
    >>> segment(np.array([1.2, 3.5, 2.0, 2.8]), {"method": "quantile", "n_segments": 4})
    array([1., 4., 2., 3.])
    """
    method = segmentation.get("method", "quantile")
    if method == "quantile":
        return quantile_segments(avg, int(segmentation.get("n_segments", 4)))
    if method == "thresholds":
        return threshold_segments(avg, segmentation["thresholds"], segmentation.get("at_cut"))
    raise ValueError(f"unknown segmentation method {method!r}")


def apply_overrides(segments: np.ndarray, deficit: np.ndarray, pip: np.ndarray, overrides: dict):
    """Apply the financial-deficit cap and the Provider Improvement Programme segment.

    A trust in deficit can be no higher than ``cap_segment`` (segment =
    max(segment, cap)); a PIP trust is put in ``pip.segment`` (5).

    Parameters
    ----------
    segments : numpy.ndarray
        Segments before adjustment, shape (..., trusts).
    deficit : numpy.ndarray
        Boolean, True for a trust in financial deficit (broadcast against ``segments``).
    pip : numpy.ndarray
        Boolean, True for a trust in the Recovery Support Programme (Provider Improvement
        Programme).
    overrides : dict
        The methodology's ``overrides`` block: ``financial_deficit`` (``enabled``,
        ``cap_segment``) and ``pip`` (``enabled``, ``segment``).

    Returns
    -------
    segments : numpy.ndarray
        The final segments.
    financial_override : numpy.ndarray
        Boolean, True where the deficit cap changed the segment.
    pip_override : numpy.ndarray
        Boolean, True where the PIP segment was set.

    Examples
    --------
    >>> ov = {"financial_deficit": {"enabled": True, "cap_segment": 3},
    ...       "pip": {"enabled": True, "segment": 5}}
    >>> apply_overrides(np.array([1.0, 4.0, 2.0]), np.array([True, True, False]),
    ...                 np.array([False, False, True]), ov)[0]
    array([3., 4., 5.])
    """
    seg = np.asarray(segments, dtype=float).copy()
    deficit = np.asarray(deficit, dtype=bool)
    pip = np.asarray(pip, dtype=bool)
    fin_flag = np.zeros(seg.shape, dtype=bool)
    pip_flag = np.zeros(seg.shape, dtype=bool)
    fd = overrides.get("financial_deficit", {})
    if fd.get("enabled", False):
        cap = float(fd["cap_segment"])
        fin_flag = deficit & (seg < cap)
        seg = np.where(fin_flag, cap, seg)
    pp = overrides.get("pip", {})
    if pp.get("enabled", False):
        pip_flag = np.broadcast_to(pip, seg.shape) & ~np.isnan(seg)
        seg = np.where(pip_flag, float(pp["segment"]), seg)
    return seg, fin_flag, pip_flag


def ranked_segments(segments_before: np.ndarray, final: np.ndarray, deficit: np.ndarray, overrides: dict,
                    basis: str = "final") -> np.ndarray:
    """The segment the league position ranks on.

    ``basis="adjusted"``: the segment after the financial-deficit cap and before segment 5
    (NHS England's adjusted segment, OF5000: a trust in the Recovery Support Programme keeps
    the place its adjusted segment gives it). ``basis="final"``: the final segment.

    Examples
    --------
    >>> ov = {"financial_deficit": {"enabled": True, "cap_segment": 3},
    ...       "pip": {"enabled": True, "segment": 5}}
    >>> seg0 = np.array([1.0, 2.0, 4.0])
    >>> final, _, _ = apply_overrides(seg0, np.array([True, False, False]), np.array([False, False, True]), ov)
    >>> ranked_segments(seg0, final, np.array([True, False, False]), ov, "adjusted")
    array([3., 2., 4.])
    """
    if basis == "final":
        return np.asarray(final, dtype=float)
    if basis != "adjusted":
        raise ValueError(f"basis must be 'adjusted' or 'final', not {basis!r}")
    no_pip = {k: v for k, v in overrides.items() if k != "pip"}
    deficit = np.broadcast_to(np.asarray(deficit, dtype=bool), np.shape(segments_before))
    return apply_overrides(segments_before, deficit, np.zeros(np.shape(segments_before), dtype=bool), no_pip)[0]


def league_positions(segments: np.ndarray, avg: np.ndarray) -> np.ndarray:
    """League position: by segment, then average metric score (both lower is better).

    Equal (segment, score) pairs share a position and the next one skips
    ("joint 3rd", then 5th). NaN stays NaN.

    Parameters
    ----------
    segments : numpy.ndarray
        The segment each position is ranked on, shape (..., trusts).
    avg : numpy.ndarray
        Average metric scores (2 dp), same shape.

    Returns
    -------
    numpy.ndarray
        Competition rank of (segment, score), 1 = top (float), NaN for a trust not ranked.

    Examples
    --------
    >>> league_positions(np.array([1, 1, 3, 1, 2.]), np.array([1.5, 1.2, 1.1, 1.5, 2.0]))
    array([2., 1., 5., 2., 4.])
    """
    seg = np.asarray(segments, dtype=float)
    avg = np.round(np.asarray(avg, dtype=float), SCORE_DECIMALS)
    # scores lie in [1, 4], so segment * 10 + score orders by segment first
    key = seg * 10.0 + avg
    return min_ranks(key)


__all__ = [
    "quantile_segments",
    "threshold_segments",
    "segment",
    "apply_overrides",
    "league_positions",
    "ranked_segments",
    "cut_points_from_segments",
    "average_ranks",
]
