"""NHS England's own uncertainty method: the "likely range" of each trust's score and rank.

NHS England's league tables publish a ``Likely_range_of_average_score`` and a
``Likely_range_of_rank``. The published figures are reproduced (RESEARCH_NOTES.md,
docs/uncertainty.md) by this bootstrap of each trust's OWN metric scores:

1. for each trust, draw its ``n`` scored metric scores with replacement (``n`` = the
   number it has; the combined finance score counts once) and average them (2 dp);
2. segment each replicate with the quarter's FIXED cut points, cap trusts in deficit
   at segment 3, put Recovery Support Programme trusts in segment 5;
3. competition-rank each replicate on (segment, average score);
4. the likely ranges are the 2.5th and 97.5th percentiles.

It answers "how much does the position depend on which of its own metrics a trust
happens to be scored on", not "how much sampling noise is in each metric" (the
``sampling`` source of :func:`nhsrank.bootstrap`). Each replicate also keeps the standard error
of every trust's resampled average (``score_se``; ``observed_score_se`` from its own scores):
the rank confidence sets of this source are a studentised stepdown on them
(:func:`nhsrank.uncertainty.ranksets.summarise`, docs/uncertainty.md). Use ``sources=("scores",)`` in
:func:`nhsrank.rank_uncertainty` or ``nhsrank uncertainty --source scores``.

Examples
--------
>>> import nhsrank
>>> from nhsrank.data.readers import DATA_DIR
>>> m = nhsrank.read_metrics(DATA_DIR / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv")
>>> g = nhsrank.peer_group(m, "2025-26-Q4", "non-acute")
>>> rep = score_bootstrap(g, n_boot=200, seed=1)
>>> rep.average_metric_score.shape
(200, 61)
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..rules.pipeline import PeerGroup
from ..rules.scoring import round_half_even
from ..rules.segmentation import apply_overrides, league_positions, ranked_segments, threshold_segments
from .models import Replicates

#: replicates per vectorised step: about this many (replicate, trust, metric) cells
_CHUNK_CELLS = 1 << 21


def observed_cut_points(group: PeerGroup, observed: dict) -> np.ndarray:
    """The quarter's fixed cut points: the group's own (pooled or taken), else the observed quartiles."""
    if group.cut_points is not None:
        return np.asarray(group.cut_points, dtype=float)
    seg = group.methodology.segmentation
    if seg.get("method") == "thresholds":
        return np.asarray(seg["thresholds"], dtype=float)
    avg = observed["average_metric_score"]
    avg = avg[~np.isnan(avg)]
    n = int(seg.get("n_segments", 4))
    # the highest observed average of each segment: threshold_segments then gives the observed segments back
    s0 = observed["segment_before_adjustment"]
    cuts = [np.nanmax(np.where(s0 <= k, observed["average_metric_score"], np.nan)) for k in range(1, n)]
    return np.maximum.accumulate(np.nan_to_num(np.asarray(cuts, dtype=float), nan=float(np.nanmin(avg))))


def scores_per_trust(group: PeerGroup) -> np.ndarray:
    """(T,) how many metric scores each trust's average rests on (those the likely-range bootstrap
    resamples: scored, with a weight in the average; 0 for a trust not ranked)."""
    have = ~np.isnan(group.run()["scores"]) & (group.average_weights > 0) & group.included[:, None]
    return have.sum(axis=1)


def score_bootstrap(group: PeerGroup, n_boot: int = 10_000, seed: int = 1, *, progress: bool = False):
    """Replicates of NHS England's likely-range bootstrap (see the module docstring).

    Parameters
    ----------
    group : :class:`nhsrank.PeerGroup`
    n_boot : replicates
    seed : seed of ``numpy.random.default_rng``; same seed, same replicates
    progress : show a tqdm progress bar

    Returns
    -------
    :class:`nhsrank.uncertainty.models.Replicates` with ``sources == ("scores",)``, so that
    :func:`nhsrank.uncertainty.ranksets.summarise` turns it into the usual per-trust table.
    """
    observed = group.run()
    scores = observed["scores"]
    w = group.average_weights
    T = scores.shape[0]
    have = ~np.isnan(scores) & (w > 0)
    have &= group.included[:, None]
    n_t = have.sum(axis=1)
    width = max(int(n_t.max()) if T else 0, 1)
    # each trust's own scores (and weights), packed to the left: (T, width)
    order = np.argsort(~have, axis=1, kind="stable")[:, :width]
    packed = np.take_along_axis(np.where(have, scores, np.nan), order, axis=1)
    packed_w = np.take_along_axis(np.where(have, np.broadcast_to(w, scores.shape), 0.0), order, axis=1)
    cuts = observed_cut_points(group, observed)
    meth = group.methodology
    rng = np.random.default_rng(seed)
    chunk = max(1, _CHUNK_CELLS // max(1, T * width))
    avg = np.full((n_boot, T), np.nan)
    se = np.full((n_boot, T), np.nan)
    bar = None
    if progress:
        with warnings.catch_warnings():   # tqdm.auto warns once on import in a kernel without ipywidgets
            warnings.filterwarnings("ignore", message="IProgress not found")   # and falls back to text bars
            from tqdm.auto import tqdm

        bar = tqdm(total=n_boot, desc=f"likely ranges {group.trust_type} {group.quarter}", unit="rep")
    for lo in range(0, n_boot, chunk):
        b = min(chunk, n_boot - lo)
        # index of each draw among the trust's own n_t scores (draws past n_t are unused)
        pick = np.floor(rng.random((b, T, width)) * np.maximum(n_t, 1)[None, :, None]).astype(np.intp)
        used = np.arange(width)[None, None, :] < n_t[None, :, None]
        s = np.take_along_axis(np.broadcast_to(packed, (b, T, width)), pick, axis=2)
        ww = np.take_along_axis(np.broadcast_to(packed_w, (b, T, width)), pick, axis=2) * used
        avg[lo:lo + b], se[lo:lo + b] = _mean_and_se(s, ww, n_t)
        if bar is not None:
            bar.update(b)
    if bar is not None:
        bar.close()
    if meth.average_decimals is not None:
        avg = round_half_even(avg, meth.average_decimals)
    avg = np.where(group.included & (n_t > 0), avg, np.nan)
    seg0 = threshold_segments(avg, cuts, group.cut_sides if group.cut_points is not None else None)
    seg, _, _ = apply_overrides(seg0, group.deficit, group.pip, meth.overrides)
    pos = league_positions(ranked_segments(seg0, seg, group.deficit, meth.overrides, meth.position_segment), avg)
    fixed = pd.DataFrame(columns=["trust_code", "metric_id", "sampling", "reason"])
    used = np.arange(width)[None, :] < n_t[:, None]
    _, se_obs = _mean_and_se(packed[None], (packed_w * used)[None], n_t)
    keep = group.included & (n_t > 0)
    return Replicates(group, observed, avg, seg0.astype(np.float32), seg.astype(np.float32),
                      pos.astype(np.float32), None, fixed, n_boot, seed, ("scores",),
                      score_se=np.where(keep, se, np.nan), observed_score_se=np.where(keep, se_obs[0], np.nan))


def _mean_and_se(s: np.ndarray, w: np.ndarray, n_t: np.ndarray):
    """Weighted mean of each trust's scores ``s`` (…, T, width; weights ``w``, 0 where unused) and its
    standard error: the linearised variance of a ratio of sums, ``sum w^2 (s - mean)^2 / (sum w)^2``, times
    ``n / (n - 1)`` (unbiased; with equal weights, the sample variance over n). 0 for a trust with one score
    (it cannot move).

    Examples
    --------
    >>> m, e = _mean_and_se(np.array([[[1.0, 2.0, 3.0]]]), np.ones((1, 1, 3)), np.array([3]))
    >>> float(m[0, 0]), float(e[0, 0])   # sample sd 1, over sqrt(3)
    (2.0, 0.5773502691896257)
    """
    s = np.nan_to_num(s)
    with np.errstate(invalid="ignore", divide="ignore"):
        sw = np.sum(w, axis=-1)
        mean = np.sum(s * w, axis=-1) / sw
        var = np.sum(w * w * (s - mean[..., None]) ** 2, axis=-1) / (sw * sw)
        var = var * np.where(n_t > 1, n_t / np.maximum(n_t - 1, 1), 0.0)
    return mean, np.sqrt(var)


__all__ = ["score_bootstrap", "observed_cut_points", "scores_per_trust"]
