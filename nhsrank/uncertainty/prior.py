"""The resampling world of the ``sampling`` source: true values from an empirical-Bayes prior that can hold ties.

A bootstrap that redraws each value around the observed one lives in a world where the (noise-spread)
observed values are the truth: truly equal trusts are never tied there, and the rank scores of the NOF
rules, which jump where values tie, move too little between them. The rank sets read off such replicates
miss the true rank of tied trusts (issue 20; docs/uncertainty.md has the figures).

This module builds a world that can contain ties when the data allow them. For each metric, the
distribution of the true values among the trusts is estimated by nonparametric maximum likelihood
(NPMLE; Kiefer & Wolfowitz 1956, computed by EM on a fixed grid as in Jiang & Zhang 2009; Koenker &
Mizera 2014): a discrete prior whose mass sits on few points where trusts look alike. Each replicate
then

1. draws every trust's true value from its posterior under that prior (a grid point: two trusts can
   draw exactly the same true value, so ties occur), and
2. draws an observation from that truth with the metric's sampling model (binomial: numerator ~
   Binomial(denominator, p); poisson: count ~ Poisson; normal: value + standard error x Z).

The whole NOF pipeline runs on both: the observation gives the replicate's table, the truth its own
true average scores, and the rank sets compare the two (:mod:`nhsrank.uncertainty.ranksets`).

Examples
--------
Thirty trusts truly at 80% (n = 3,000 each): the prior puts most of its mass within a point of 80%.

>>> import numpy as np
>>> x = np.random.default_rng(0).binomial(3000, 0.8, 30).astype(float)
>>> grid = np.linspace(0.75, 0.85, 101)
>>> post, w = npmle(_binomial_loglik(x, np.full(30, 3000.0), grid))
>>> float(w[np.abs(grid - 0.8) <= 0.01].sum()) > 0.9
True
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import xlogy

from .models import SamplingModel

#: grid points of each metric's prior
GRID = 254
#: EM iterations of the NPMLE (the prior's mass gathers on few points as they grow)
EM_ITERATIONS = 400


def _binomial_loglik(x, n, grid):
    """(cells, G) log-likelihood of x successes in n at each grid proportion (constants dropped)."""
    return xlogy(x[:, None], grid[None, :]) + xlogy((n - x)[:, None], 1.0 - grid[None, :])


def npmle(loglik: np.ndarray, iterations: int | None = None):
    """EM for the nonparametric maximum-likelihood prior on a grid, and every cell's posterior.

    Parameters
    ----------
    loglik : (cells, G) log-likelihood of each cell's observation at each grid point
    iterations : EM iterations (default :data:`EM_ITERATIONS`)

    Returns
    -------
    (posterior (cells, G), prior weights (G,))

    Examples
    --------
    Four trusts with identical data: the posterior of each is the same, and the prior gathers near 0.8.

    >>> x, n = np.full(4, 80.0), np.full(4, 100.0)
    >>> post, w = npmle(_binomial_loglik(x, n, np.linspace(0.5, 1.0, 51)))
    >>> bool(np.allclose(post, post[0])), round(float(np.linspace(0.5, 1.0, 51)[np.argmax(w)]), 2)
    (True, 0.8)
    """
    L = np.exp(loglik - loglik.max(axis=1, keepdims=True))
    G = L.shape[1]
    w = np.full(G, 1.0 / G)
    for _ in range(int(EM_ITERATIONS if iterations is None else iterations)):
        f = L @ w
        w = w * (L.T @ (1.0 / f)) / L.shape[0]
    post = L * w
    post /= post.sum(axis=1, keepdims=True)
    return post, w


def _grid(lo: float, hi: float, exact=()) -> np.ndarray:
    grid = np.linspace(lo, hi, GRID) if hi > lo else np.array([lo])
    return np.unique(np.concatenate([grid, np.asarray(exact, dtype=float)]))


@dataclass
class World:
    """The empirical-Bayes world of one peer group: every resampled cell's posterior on its metric's grid.

    ``cells`` (flat indices, as in :class:`SamplingModel`), ``kind`` (1 binomial, 2 poisson, 3 normal),
    ``cdf`` (cells, P) the posterior CDFs, padded with 2.0 to a power of two ``P`` (a vectorised binary
    search draws them all), ``support`` (cells, G) the true value (in the value's unit) at each grid point, and the
    observation parameters ``n`` (binomial denominators), ``unit`` (value per proportion or per count)
    and ``se`` (normal standard errors).
    """

    cells: np.ndarray
    kind: np.ndarray
    cdf: np.ndarray
    support: np.ndarray
    n: np.ndarray
    unit: np.ndarray
    se: np.ndarray

    @property
    def width(self) -> int:
        return self.support.shape[1]


def empirical_bayes_world(model: SamplingModel, n_metrics: int) -> World:
    """Fit each metric's NPMLE prior and every resampled cell's posterior (see the module documentation).

    One prior per metric and sampling model, over the trusts of the peer group; a cell whose value cannot
    move (a normal value with standard error 0) keeps it as its only support point.

    Examples
    --------
    >>> import nhsrank
    >>> from nhsrank.uncertainty.models import sampling_model
    >>> g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    >>> w = empirical_bayes_world(sampling_model(g, "ignore"), 1)
    >>> bool(np.allclose(w.cdf[:, w.width - 1], 1.0))
    True
    """
    parts = []
    bi, n_b, p_b, _, s_b = model.binomial
    for m in np.unique(bi % n_metrics):
        sel = np.flatnonzero(bi % n_metrics == m)
        x, n, p = p_b[sel] * n_b[sel], n_b[sel].astype(float), p_b[sel]
        sd = np.sqrt(np.maximum(p * (1 - p), 0.25 / n) / n)
        grid = _grid(max(0.0, float((p - 4 * sd).min())), min(1.0, float((p + 4 * sd).max())),
                     p[(p == 0) | (p == 1)])
        post, _ = npmle(_binomial_loglik(x, n, grid))
        parts.append((bi[sel], 1, post, grid[None, :] * s_b[sel, None], n[:], s_b[sel], np.zeros(sel.size)))
    pi, lam, _, _, = model.poisson[:4]
    s_p = model.poisson[3]
    for m in np.unique(pi % n_metrics):
        sel = np.flatnonzero(pi % n_metrics == m)
        k, s = lam[sel], s_p[sel]
        v = k * s
        sd = np.sqrt(np.maximum(k, 0.5)) * s
        grid = _grid(max(0.0, float((v - 4 * sd).min())), float((v + 4 * sd).max()), v[k == 0])
        mu = grid[None, :] / s[:, None]                                 # count mean at each grid value
        post, _ = npmle(xlogy(k[:, None], mu) - mu)
        parts.append((pi[sel], 2, post, np.broadcast_to(grid, post.shape), np.zeros(sel.size), s, np.zeros(sel.size)))
    ni, v_n, se_n = model.normal
    for m in np.unique(ni % n_metrics):
        sel = np.flatnonzero(ni % n_metrics == m)
        v, se = v_n[sel], se_n[sel]
        ok = se > 0
        grid = _grid(float((v - 4 * se).min()), float((v + 4 * se).max()), v[~ok])
        with np.errstate(divide="ignore", invalid="ignore"):
            ll = np.where(ok[:, None], -0.5 * ((grid[None, :] - v[:, None]) / np.where(ok, se, 1.0)[:, None]) ** 2,
                          np.where(grid[None, :] == v[:, None], 0.0, -np.inf))
        post, _ = npmle(ll)
        parts.append((ni[sel], 3, post, np.broadcast_to(grid, post.shape), np.zeros(sel.size), np.ones(sel.size), se))
    G = max([p[2].shape[1] for p in parts], default=1)

    def pad(a, fill):
        return np.concatenate([a, np.full((a.shape[0], G - a.shape[1]), fill)], axis=1) if a.shape[1] < G else a

    cells = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.intp)
    kind = np.concatenate([np.full(p[0].size, p[1], dtype=np.int8) for p in parts]) if parts else np.zeros(0, np.int8)
    post = np.concatenate([pad(p[2], 0.0) for p in parts]) if parts else np.zeros((0, G))
    support = np.concatenate([pad(np.asarray(p[3], dtype=float), np.nan) for p in parts]) if parts else np.zeros((0, G))
    cdf = np.cumsum(post, axis=1)
    cdf /= cdf[:, -1:]
    cdf[:, -1] = 1.0
    P = 1 << max(0, int(G - 1).bit_length())
    cdf = np.concatenate([cdf, np.full((cdf.shape[0], P - G), 2.0)], axis=1)
    cat = (lambda i: np.concatenate([p[i] for p in parts]) if parts else np.zeros(0))
    return World(cells, kind, np.ascontiguousarray(cdf), np.ascontiguousarray(support), cat(4), cat(5), cat(6))


def posterior_index(world: World, u: np.ndarray) -> np.ndarray:
    """Grid index of each cell's true value for uniforms ``u`` (rows, cells): the number of CDF points
    at or below ``u`` (inverse-CDF sampling), by a binary search vectorised over rows and cells.

    Examples
    --------
    >>> w = World(np.arange(1), np.ones(1, np.int8), np.array([[0.25, 1.0]]), np.array([[0.1, 0.2]]),
    ...           np.ones(1), np.ones(1), np.zeros(1))
    >>> posterior_index(w, np.array([[0.1], [0.25], [0.9]])).ravel().tolist()
    [0, 1, 1]
    """
    c, P = world.cdf.shape
    flat = world.cdf.ravel()
    base = np.arange(c) * P - 1
    pos = np.zeros(u.shape, dtype=np.intp)
    probe = np.empty(u.shape, dtype=np.intp)
    step = P >> 1
    while step:   # in place: pos += step where the CDF at pos + step - 1 is at or below u
        np.add(pos, base + step, out=probe)
        pos += (np.take(flat, probe) <= u) * step
        step >>= 1
    if P == 1:
        pos += flat[base + 1] <= u
    return np.minimum(pos, world.width - 1)


def draw_world(world: World, rng: np.random.Generator, size: int, truth_out: np.ndarray, obs_out: np.ndarray,
               block: int | None = None) -> None:
    """Draw, in place, ``size`` replicates of the truth and of an observation of it (rows of the outputs).

    ``truth_out`` and ``obs_out`` (size, cells of the whole table) hold the observed values; the resampled
    cells are overwritten. ``block`` rows are drawn and the first ``size`` kept (a shorter run is a prefix
    of a longer one with the same seed).
    """
    rows = size if block is None else max(int(block), size)
    c = world.cells.size
    if not c:
        return
    # every row of the block is drawn in full (truth, then observation), so that the first ``size`` rows
    # do not depend on how many are kept
    u = rng.random((rows, c))
    truth = world.support[np.arange(c), posterior_index(world, u)]       # (rows, c)
    obs = np.empty_like(truth)
    b = world.kind == 1
    if b.any():
        n = world.n[b].astype(np.int64)
        obs[:, b] = rng.binomial(n, np.clip(truth[:, b] / world.unit[b], 0.0, 1.0)) / n * world.unit[b]
    k = world.kind == 2
    if k.any():
        obs[:, k] = rng.poisson(truth[:, k] / world.unit[k]) * world.unit[k]
    z = world.kind == 3
    if z.any():
        obs[:, z] = truth[:, z] + world.se[z] * rng.standard_normal((rows, int(z.sum())))
    truth_out[:, world.cells] = truth[:size]
    obs_out[:, world.cells] = obs[:size]


__all__ = ["World", "empirical_bayes_world", "draw_world", "posterior_index", "npmle", "GRID", "EM_ITERATIONS"]
