"""Rank helpers shared by the rules: competition ranks and mean ranks along an axis.

Both work on stacks of arrays (leading axes are replicates) and leave NaN as NaN.
Scoring ranks trusts within a metric; segmentation and league positions rank
average scores; both use these.
"""
from __future__ import annotations

import numpy as np


def min_ranks(x: np.ndarray) -> np.ndarray:
    """Competition ranks ("1224") along the last axis, smallest first; NaN stays NaN.

    Parameters
    ----------
    x : numpy.ndarray
        Values, any shape; ranked along the last axis.

    Returns
    -------
    numpy.ndarray
        Ranks (float), same shape as ``x``.

    Examples
    --------
    >>> min_ranks(np.array([2.0, 1.0, 2.0, 3.0, np.nan]))
    array([ 2.,  1.,  2.,  4., nan])
    """
    x = np.asarray(x, dtype=float)
    n = x.shape[-1]
    order = np.argsort(_sort_key(x), axis=-1)  # tie order is irrelevant: a tie block shares its first rank
    xs = np.take_along_axis(x, order, axis=-1)
    pos = np.broadcast_to(np.arange(1, n + 1, dtype=float), xs.shape)
    new_block = np.ones(xs.shape, dtype=bool)
    new_block[..., 1:] = xs[..., 1:] != xs[..., :-1]
    ranks_sorted = np.maximum.accumulate(np.where(new_block, pos, 0.0), axis=-1)
    ranks_sorted = np.where(np.isnan(xs), np.nan, ranks_sorted)
    out = np.empty_like(ranks_sorted)
    np.put_along_axis(out, order, ranks_sorted, axis=-1)
    return out


def _sort_key(x: np.ndarray) -> np.ndarray:
    """``x`` with NaN as +inf, so that argsort takes NumPy's fast path (NaN sorts last either way).

    The order is the same as sorting ``x`` itself: NaN goes last in both. Only
    when ``x`` holds a real +inf could a NaN tie with it, so then ``x`` is
    returned unchanged (the slow but exact path).
    """
    nan = np.isnan(x)
    if not nan.any() or np.isposinf(x).any():
        return x
    return np.where(nan, np.inf, x)


def average_ranks(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Ranks 1..n along ``axis`` (smallest first), ties get their mean rank, NaN stays NaN.

    A vectorised equivalent of ``scipy.stats.rankdata(x, axis=axis,
    nan_policy="omit")`` that is fast on stacks of many small groups.

    Parameters
    ----------
    x : numpy.ndarray
        Values, any shape.
    axis : int, default -1
        The axis to rank along.

    Returns
    -------
    numpy.ndarray
        Ranks (float), same shape as ``x``.

    Examples
    --------
    >>> average_ranks(np.array([3.0, 1.0, 3.0, np.nan]))
    array([2.5, 1. , 2.5, nan])
    """
    x = np.ascontiguousarray(np.moveaxis(np.asarray(x, dtype=float), axis, -1))
    n = x.shape[-1]
    order = np.argsort(_sort_key(x), axis=-1)  # NaN sort last; tie order is irrelevant (ties share a rank)
    xs = np.take_along_axis(x, order, axis=-1)
    # fast path: without ties the rank is the sorted position; rows with ties
    # (rare in continuous data) get mean ranks per tie block
    ranks_sorted = np.where(np.isnan(xs), np.nan, np.arange(1, n + 1, dtype=float))
    if n > 1:
        flat = xs.reshape(-1, n)
        rows = np.flatnonzero((flat[:, 1:] == flat[:, :-1]).any(axis=1))
        if rows.size:
            ranks_sorted.reshape(-1, n)[rows] = _tied_ranks_sorted(flat[rows])
    ranks = np.empty_like(ranks_sorted)
    np.put_along_axis(ranks, order, ranks_sorted, axis=-1)
    return np.moveaxis(ranks, -1, axis)


def _tied_ranks_sorted(xs: np.ndarray) -> np.ndarray:
    """Mean ranks of sorted rows ``xs`` (n_rows, n) with ties; NaN (sorted last) stays NaN."""
    n = xs.shape[-1]
    pos = np.broadcast_to(np.arange(1, n + 1, dtype=float), xs.shape)
    # start of each tie block: first element or value differs from previous
    new_block = np.ones(xs.shape, dtype=bool)
    new_block[..., 1:] = xs[..., 1:] != xs[..., :-1]
    # block id per element, then mean position per block via first/last index
    block_start = np.maximum.accumulate(np.where(new_block, pos, 0.0), axis=-1)
    end_marker = np.ones(xs.shape, dtype=bool)
    end_marker[..., :-1] = new_block[..., 1:]
    block_end = np.where(end_marker, pos, np.inf)
    block_end = np.flip(np.minimum.accumulate(np.flip(block_end, -1), axis=-1), -1)
    return np.where(np.isnan(xs), np.nan, (block_start + block_end) / 2.0)
