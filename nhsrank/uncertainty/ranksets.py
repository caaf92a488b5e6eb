"""Statistics on bootstrap replicates of a league table (:func:`nhsrank.uncertainty.bootstrap`).

* percentile rank intervals and segment probabilities (:func:`summarise`);
* :class:`Pairwise`: P(trust a placed above trust b), and whether two trusts'
  average scores differ (percentile interval of the difference, or the
  simultaneous stepdown);
* :func:`adjacent_pairs`: every pair of neighbouring league positions, the
  bootstrap difference in average score, its interval and a Holm-adjusted
  test;
* :func:`simultaneous_rank_sets`: confidence sets for all ranks at once
  (Mogstad, Romano, Shaikh & Wilhelm, "Inference for Ranks with Applications
  to Mobility across Neighbourhoods and Academic Achievement across
  Countries", Review of Economic Studies 2024), by max-t stepdown on the
  pairwise differences of average scores with the bootstrap covariance;
* :func:`rankability`: the share of the between-trust variance of the
  average score that is not noise (van Houwelingen; Lingsma et al. 2010);
* :func:`value_intervals` and :func:`wilson_interval`: per-metric bootstrap
  intervals beside their textbook counterparts.

Conventions: a lower average metric score is better and rank 1 is the best.
Everything is computed over the ranked (included) trusts only.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..errors import InputError
from ..rules.segmentation import SCORE_DECIMALS
from .models import _BINOMIAL, _NORMAL, _POISSON, UncertaintyWarning, sampling_model
from .result import RankUncertainty

#: above this many ranked units the rank confidence sets are skipped by default, with a warning and <NA>
#: columns (their cost grows as n^2 x replicates); ``rank_sets=True`` computes them anyway
MAX_RANKSET_TRUSTS = 1500


def _quantiles(x: np.ndarray, alpha: float):
    """Lower ('lower' method), median, upper ('higher') percentiles over axis 0, NaN-aware."""
    f = np.nanquantile if np.isnan(x).any() else np.quantile
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        lo = f(x, alpha / 2, axis=0, method="lower")
        med = f(x, 0.5, axis=0)
        hi = f(x, 1 - alpha / 2, axis=0, method="higher")
    return lo, med, hi


def _pct(x: np.ndarray, q: float) -> np.ndarray:
    """Linear-interpolation percentile over axis 0, NaN-aware."""
    if x.shape[1] == 0:
        return np.zeros(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return (np.nanquantile if np.isnan(x).any() else np.quantile)(x, q, axis=0)


def holm(p_values) -> np.ndarray:
    """Holm step-down adjusted p-values (family-wise error control), by statsmodels.

    Parameters
    ----------
    p_values : array_like
        Unadjusted p-values.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, in the input order.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03]).tolist()
    [0.03, 0.06, 0.06]
    """
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(p_values, dtype=float)
    if p.size == 0:
        return p.copy()
    return multipletests(p, method="holm")[1]


def bootstrap_p_value(diffs: np.ndarray, axis: int = 0) -> np.ndarray:
    """Two-sided percentile-bootstrap p-value of "the difference is 0".

    ``p = min(1, 2 * min(#(d <= 0) + 1, #(d >= 0) + 1) / (R + 1))``: the
    smallest level at which the percentile interval excludes 0.
    """
    d = np.asarray(diffs, dtype=float)
    R = np.sum(~np.isnan(d), axis=axis)
    le = np.sum(d <= 0, axis=axis) + 1
    ge = np.sum(d >= 0, axis=axis) + 1
    return np.minimum(1.0, 2.0 * np.minimum(le, ge) / (R + 1))


# --------------------------------------------------------------------------- pairwise


class Pairwise:
    """Pairwise comparisons of ranked trusts from bootstrap replicates.

    Parameters
    ----------
    codes : sequence of str
        Trust codes (n,).
    avg_obs : numpy.ndarray
        Observed average metric scores (n,).
    avg_reps : numpy.ndarray
        Replicate average scores (R, n).
    pos_reps : numpy.ndarray
        Replicate league positions (R, n).
    level : float, default 0.95
        Confidence level.
    rejected : numpy.ndarray or None, default None
        (n, n) bool from :func:`simultaneous_rank_sets`: ``rejected[j, k]`` means trust j's
        score is simultaneously significantly above (worse than) trust k's.

    Examples
    --------
    >>> import nhsrank
    >>> u = nhsrank.uncertainty.rank_uncertainty(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute",
    ...                                          "ae-4hr", n_boot=300, progress=False)
    >>> pw = u.pairwise
    >>> a, b = u.table["trust_code"].iloc[0], u.table["trust_code"].iloc[-1]
    >>> pw.prob_above(a, b) > 0.99, pw.differ(a, b)
    (True, True)
    """

    def __init__(self, codes, avg_obs, avg_reps, pos_reps, level: float = 0.95, rejected=None):
        self.codes = np.asarray(codes)
        self._index = pd.Index(self.codes)
        self.avg_obs = np.asarray(avg_obs, dtype=float)
        self.avg_reps = avg_reps
        self.pos_reps = pos_reps
        self.level = level
        self.rejected = rejected

    def __repr__(self) -> str:
        return f"<Pairwise: {len(self.codes)} trusts, {self.avg_reps.shape[0]} replicates, level {self.level}>"

    def _i(self, code) -> int:
        i = self._index.get_indexer([code])[0]
        if i < 0:
            raise InputError.from_records("pairwise", [{"trust_code": code, "problem":
                "not a ranked trust of this table (excluded trusts and other trust types have no position)"}])
        return int(i)

    def prob_above(self, code_a, code_b) -> float:
        """P(trust a is placed above trust b) over the replicates; ties count one half."""
        i, j = self._i(code_a), self._i(code_b)
        pa, pb = self.pos_reps[:, i], self.pos_reps[:, j]
        ok = ~(np.isnan(pa) | np.isnan(pb))
        return float(np.mean((pa[ok] < pb[ok]) + 0.5 * (pa[ok] == pb[ok])))

    def difference(self, code_a, code_b, level: float | None = None) -> dict:
        """Average score of a minus that of b: observed, percentile interval, bootstrap p-value."""
        level = self.level if level is None else level
        i, j = self._i(code_a), self._i(code_b)
        d = self.avg_reps[:, i] - self.avg_reps[:, j]
        d = d[~np.isnan(d)]
        alpha = 1 - level
        lo, hi = np.quantile(d, [alpha / 2, 1 - alpha / 2]) if d.size else (np.nan, np.nan)
        return {"trust_a": code_a, "trust_b": code_b,
                "score_difference": float(self.avg_obs[i] - self.avg_obs[j]),
                "lower": float(lo), "upper": float(hi), "se": float(np.std(d, ddof=1)) if d.size > 1 else np.nan,
                "p_value": float(bootstrap_p_value(d)), "prob_a_above_b": self.prob_above(code_a, code_b)}

    def differ(self, code_a, code_b, simultaneous: bool = False, level: float | None = None) -> bool:
        """Do the two trusts' average scores differ significantly?

        ``simultaneous=False``: the percentile interval of the difference
        excludes 0 (right for one pair chosen in advance).
        ``simultaneous=True``: the pair is rejected by the stepdown behind
        :func:`simultaneous_rank_sets` (valid for all pairs at once).
        """
        if simultaneous:
            if self.rejected is None:
                raise InputError.from_records("pairwise", [{"problem": "no simultaneous tests were run "
                                                             "(no ranked trusts)"}])
            i, j = self._i(code_a), self._i(code_b)
            return bool(self.rejected[i, j] or self.rejected[j, i])
        r = self.difference(code_a, code_b, level)
        return bool(r["lower"] > 0 or r["upper"] < 0)

    def prob_matrix(self) -> pd.DataFrame:
        """DataFrame P[a, b] = P(a placed above b) for every pair (n x n; ties count one half)."""
        n = len(self.codes)
        out = np.full((n, n), 0.5)
        P = self.pos_reps
        for i in range(n):   # loop over trusts, vectorised over replicates and the other trusts
            pa = P[:, i:i + 1]
            out[i] = np.nanmean((pa < P) + 0.5 * (pa == P), axis=0)
        return pd.DataFrame(out, index=self.codes, columns=self.codes)


# --------------------------------------------------------------------------- adjacent pairs


def adjacent_pairs(codes, positions, avg_obs, avg_reps, pos_reps, level: float = 0.95, *,
                   test_draws=None) -> pd.DataFrame:
    """Tests of every pair of neighbouring league positions.

    Trusts are put in league order (position, then code); for each
    neighbouring pair the replicate difference ``score_below - score_above``
    gives a percentile interval and a two-sided bootstrap p-value
    (:func:`bootstrap_p_value`); ``differs`` is the Holm-adjusted p-value
    below ``1 - level`` over all neighbouring pairs. ``test_draws`` (R, n), if given, are what the
    p-values read instead: what the rank sets test (the observed estimate less each replicate's error
    centred at its mean; for a table scored on one rank-scored metric, the metric value, lower is
    better), so the headline and the sets agree.

    Parameters
    ----------
    codes : sequence of str
        Trust codes (n,).
    positions : numpy.ndarray
        League positions (n,).
    avg_obs : numpy.ndarray
        Observed average scores (n,).
    avg_reps : numpy.ndarray
        Replicate average scores (R, n).
    pos_reps : numpy.ndarray
        Replicate league positions (R, n).
    level : float, default 0.95
        Confidence level.
    test_draws : numpy.ndarray or None, default None
        What the p-values read instead of ``avg_reps`` (see above).

    Returns
    -------
    pandas.DataFrame
        One row per neighbouring pair: pair, trust_above, trust_below, position_above,
        position_below, score_above, score_below, score_difference, diff_lower, diff_upper,
        diff_se, p_value, p_holm, differs (either direction), differs_in_order (the
        lower-placed trust's score is significantly worse), ordered_against_score,
        prob_order_kept (P(the upper trust stays above)). :func:`pairs_headline` writes the
        sentence counting ``differs_in_order``.
    """
    order = np.lexsort((np.asarray(codes).astype(str), positions))
    a, b = order[:-1], order[1:]
    alpha = 1 - level
    d = avg_reps[:, b] - avg_reps[:, a]
    lo, hi = _pct(d, alpha / 2), _pct(d, 1 - alpha / 2)
    p = bootstrap_p_value(d if test_draws is None else test_draws[:, b] - test_draws[:, a])
    ph = holm(p)
    pa, pb = pos_reps[:, a], pos_reps[:, b]
    kept = np.nanmean((pa < pb) + 0.5 * (pa == pb), axis=0) if len(a) else np.array([])
    out = pd.DataFrame({
        "pair": np.arange(1, len(a) + 1),
        "trust_above": np.asarray(codes)[a], "trust_below": np.asarray(codes)[b],
        "position_above": np.asarray(positions)[a].astype(int), "position_below": np.asarray(positions)[b].astype(int),
        "score_above": avg_obs[a], "score_below": avg_obs[b], "score_difference": avg_obs[b] - avg_obs[a],
        "diff_lower": lo, "diff_upper": hi, "diff_se": np.nanstd(d, axis=0, ddof=1) if len(a) else [],
        "p_value": p, "p_holm": ph, "differs": ph < alpha, "prob_order_kept": kept,
    })
    # what the headline counts: the lower-placed trust has a significantly worse (higher) average score,
    # i.e. the score confirms the table's order; pairs ordered against their scores (a segment, a cap or
    # the PIP put them there) are counted apart, never as "differing"
    against = out["score_difference"].to_numpy() < 0
    out["differs_in_order"] = out["differs"].to_numpy() & (out["score_difference"].to_numpy() > 0)
    out["ordered_against_score"] = against
    return out


def pairs_headline(pairs: pd.DataFrame, level: float = 0.95, n_boot: int | None = None) -> str:
    """One sentence counting the neighbouring pairs that differ in the table's order.

    Parameters
    ----------
    pairs : pandas.DataFrame
        From :func:`adjacent_pairs`.
    level : float, default 0.95
        The confidence level the pairs were tested at.
    n_boot : int or None, default None
        The number of replicates; with too few for any pair to reach Holm significance the
        sentence says so. None: not checked.

    Returns
    -------
    str
        "of N neighbouring pairs, K differ significantly in average score in the table's
        order (95%, Holm-adjusted)", with the pairs placed against their scores and the
        replicate note appended when they apply.

    Examples
    --------
    >>> p = pd.DataFrame({"differs_in_order": [True, False], "ordered_against_score": [False, False]})
    >>> pairs_headline(p)
    "of 2 neighbouring pairs, 1 differs significantly in average score in the table's order (95%, Holm-adjusted)"
    """
    alpha = 1 - level
    against = pairs["ordered_against_score"].to_numpy().astype(bool)
    n_pairs, n_diff = len(pairs), int(pairs["differs_in_order"].sum())
    summary = (f"of {n_pairs} neighbouring pair{'s' if n_pairs != 1 else ''}, {n_diff} differ"
               f"{'s' if n_diff == 1 else ''} significantly in average score in the table's order "
               f"({level:.0%}, Holm-adjusted)")
    if against.any():
        summary += (f"; {int(against.sum())} pair{'s are' if against.sum() != 1 else ' is'} placed against "
                    "their scores by segments or overrides and not counted")
    R = n_boot
    if R is not None and n_pairs and 2.0 / (R + 1) >= alpha / n_pairs:
        need = int(np.ceil(2 * n_pairs / alpha))
        summary += (f"; note: with {R} replicates no pair can reach Holm significance "
                    f"(the smallest bootstrap p-value is {2 / (R + 1):.2g}); use at least {need} replicates")
    return summary


# --------------------------------------------------------------------------- simultaneous rank sets


def _pairwise_stepdown(avg_obs, avg_reps, level: float, *, marginal: bool, chunk: int, max_steps: int,
                       max_memory_gb: float, what: str, truth_reps=None, decimals: int | None = SCORE_DECIMALS,
                       se_reps=None, se_obs=None):
    """Max-t stepdown on the pairwise differences of average scores (shared by both kinds of rank set).

    Returns ``(obs, better, worse)``: ``better[j, k]`` means trust k's score is
    significantly below (better than) trust j's, ``worse[j, k]`` that it is
    significantly above, within the family the stepdown controls: all ordered
    pairs at once (``marginal=False``) or, for each trust j, the 2(n - 1)
    one-sided comparisons of j with every other trust (``marginal=True``).

    ``se_reps`` (R, n) and ``se_obs`` (n,): standard errors of each estimate, from each replicate and from
    the observed data (independent estimates, as in the ``scores`` source). Each pair's difference is then
    studentised by its own replicate's standard error (the percentile-t bootstrap, Hall 1992), and the
    observed one by the observed standard error: with few metrics per trust, the spread of a trust's own
    scores is itself uncertain, and a fixed bootstrap standard error understates it.
    """
    obs = np.asarray(avg_obs, dtype=float)
    obs = obs if decimals is None else np.round(obs, decimals)
    reps = np.asarray(avg_reps, dtype=float)
    if truth_reps is not None:
        # the pivot: each replicate's estimate minus the truth of its own resampling world
        reps = reps - np.asarray(truth_reps, dtype=float)
    keep_rows = ~np.isnan(reps).any(axis=1)
    reps = reps[keep_rows]
    n = obs.size
    student = se_reps is not None and se_obs is not None
    if student:
        V = np.nan_to_num(np.asarray(se_reps, dtype=float)[keep_rows] ** 2).astype(np.float32)
        v_obs = np.nan_to_num(np.asarray(se_obs, dtype=float) ** 2)
    # memory: about 6 (n, n) float64 matrices, plus a few chunk x n x n float32 blocks per step; the chunk
    # is lowered to stay within max_memory_gb, and an error says what is needed if even that cannot fit
    per_rep = ((3 if marginal else 1) + (3 if student else 0)) * 4 * n * n
    fixed_bytes = 6 * 8 * n * n + 4 * reps.size
    budget = float(max_memory_gb) * 2**30
    if fixed_bytes + per_rep > budget:
        raise InputError.from_records(what, [{"column": "max_memory_gb", "problem":
            f"{n} trusts need about {(fixed_bytes + per_rep) / 2**30:.2f} GB for the {what}, "
            f"above max_memory_gb={max_memory_gb}; raise max_memory_gb, lower n_boot, or rank fewer trusts"}])
    chunk = int(max(1, min(chunk, (budget - fixed_bytes) // per_rep)))
    R = reps.shape[0]
    # centred at their mean: with ``truth_reps`` the errors (their mean, the bias of rank scores that the
    # world repeats, is left alone: subtracting it from the estimates changed no coverage or width in
    # benchmarks/coverage.py, and keeping it in widened the sets)
    D = (reps - reps.mean(axis=0)).astype(np.float32)
    cov = np.cov(reps, rowvar=False).reshape(n, n) if R > 1 else np.zeros((n, n))
    var = np.diag(cov)
    se = np.sqrt(np.maximum(var[:, None] + var[None, :] - 2 * cov, 0.0)) if not student else np.sqrt(
        v_obs[:, None] + v_obs[None, :])
    tiny = 1e-12
    diff = obs[:, None] - obs[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        # a difference that never varies is certain when non-zero (inf) and never significant when zero (NaN)
        t = np.where(se > tiny, diff / se, np.sign(diff) * np.inf)
        inv_se = np.where(se > tiny, 1.0 / se, 0.0).astype(np.float32)
    np.fill_diagonal(t, -np.inf)

    def scaled(s0: int, blk: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """z[:, a, k]: the centred replicate difference of j = rows[a] minus k over its standard error."""
        z = blk[:, rows, None] - blk[:, None, :]
        if not student:
            z *= inv_se[rows]
            return z
        vb = V[s0:s0 + len(blk)]
        den = vb[:, rows, None] + vb[:, None, :]
        np.sqrt(den, out=den)
        ok = den > tiny
        np.divide(z, den, out=z, where=ok)
        z[~ok] = 0.0
        return z

    off = ~np.eye(n, dtype=bool)
    better = np.zeros((n, n), dtype=bool)
    worse = np.zeros((n, n), dtype=bool)
    if marginal:
        act_b, act_w = off.copy(), off.copy()
        # each trust j is its own family: its critical value depends on its own active comparisons only, so
        # a trust with no new rejection in a step has none in any later step; only the trusts that changed
        # are recomputed (the same sets as recomputing all, in a fraction of the work)
        rows = np.arange(n)
        for _ in range(max_steps):
            rows = rows[act_b[rows].any(axis=1) | act_w[rows].any(axis=1)]
            if R == 0 or rows.size == 0:
                break
            mb = np.where(act_b[rows], 0.0, -np.inf).astype(np.float32)
            mw = np.where(act_w[rows], 0.0, -np.inf).astype(np.float32)
            stat = np.empty((R, rows.size), dtype=np.float32)
            for s in range(0, R, chunk):
                blk = D[s:s + chunk]
                z = scaled(s, blk, rows)                            # z[:, a, k]: centred t of rows[a] minus k
                stat[s:s + chunk] = np.maximum((z + mb).max(axis=2), (mw - z).max(axis=2))
            c = np.quantile(stat, level, axis=0, method="higher").astype(float)[:, None]   # one per trust j
            new_b = act_b[rows] & (t[rows] > c)
            new_w = act_w[rows] & (t.T[rows] > c)
            changed = new_b.any(axis=1) | new_w.any(axis=1)
            if not changed.any():
                break
            better[rows] |= new_b
            worse[rows] |= new_w
            act_b[rows] &= ~new_b
            act_w[rows] &= ~new_w
            rows = rows[changed]
        return obs, better, worse
    active = off.copy()
    for _ in range(max_steps):
        if not active.any() or R == 0:
            break
        mx = np.empty(R, dtype=np.float32)
        rows = np.flatnonzero(active.any(axis=1))     # a trust with no comparison left adds nothing to the max
        mask = np.where(active[rows], 0.0, -np.inf).astype(np.float32)
        for s in range(0, R, chunk):
            blk = D[s:s + chunk]
            z = scaled(s, blk, rows)
            z += mask
            mx[s:s + chunk] = z.reshape(len(blk), -1).max(axis=1)
        c = float(np.quantile(mx, level, method="higher"))
        new = active & (t > c)
        if not new.any():
            break
        better |= new
        active &= ~new
    return obs, better, better.T.copy()


def _sets_frame(obs, better, worse, prefix: str) -> pd.DataFrame:
    n = obs.size
    n_better, n_worse = better.sum(axis=1), worse.sum(axis=1)
    score_rank = 1 + np.sum(obs[None, :] < obs[:, None], axis=1)   # competition rank by score
    return pd.DataFrame({"score_rank": score_rank.astype(int),
                         f"{prefix}rank_lower": (1 + n_better).astype(int),
                         f"{prefix}rank_upper": (n - n_worse).astype(int),
                         "n_surely_better": n_better.astype(int), "n_surely_worse": n_worse.astype(int)})


def marginal_rank_sets(avg_obs, avg_reps, level: float = 0.95, *, truth_reps=None,
                       decimals: int | None = SCORE_DECIMALS, chunk: int = 64, max_steps: int = 100,
                       max_memory_gb: float = 0.5, se_reps=None, se_obs=None) -> pd.DataFrame:
    """A confidence set for each trust's rank on its own (Mogstad, Romano, Shaikh & Wilhelm 2024).

    The rank is by average metric score (1 = lowest = best; tied trusts share
    the better rank, as in the league table). For trust j, the 2(n - 1)
    one-sided hypotheses "theta_k >= theta_j" and "theta_k <= theta_j"
    (k != j) are tested together with a max-t stepdown on
    ``t_jk = (s_j - s_k) / se_jk`` (``se_jk`` from the bootstrap covariance of
    the scores, replicates centred at their mean). With probability at least
    about ``level`` none of j's rejections is wrong, so::

        1 + #{k surely better than j} <= rank_j <= n - #{k surely worse than j}

    Unlike percentiles of bootstrap ranks, this covers the true rank when
    trusts are tied (all trusts equal gives [1, n]) and at the extremes,
    because it tests differences of the estimates, not of their ranks.
    Each trust's set holds on its own: to read many sets together, use
    :func:`simultaneous_rank_sets`.

    Parameters
    ----------
    avg_obs : (n,) observed average scores of the ranked trusts
    avg_reps : (R, n) replicate average scores
    level : coverage of each trust's set
    truth_reps, decimals, chunk, max_memory_gb, se_reps, se_obs : as :func:`simultaneous_rank_sets`
    max_steps : maximum stepdown steps

    Returns
    -------
    DataFrame with columns score_rank, rank_lower, rank_upper, n_surely_better, n_surely_worse.

    Examples
    --------
    Two trusts far apart and two that cannot be told apart:

    >>> rng = np.random.default_rng(0)
    >>> obs = np.array([1.0, 2.0, 2.02, 3.0])
    >>> sets = marginal_rank_sets(obs, obs + rng.normal(0, 0.05, (2000, 4)))
    >>> sets[["rank_lower", "rank_upper"]].values.tolist()
    [[1, 1], [2, 3], [2, 3], [4, 4]]
    """
    obs, better, worse = _pairwise_stepdown(avg_obs, avg_reps, level, marginal=True, chunk=chunk,
                                            max_steps=max_steps, max_memory_gb=max_memory_gb,
                                            what="marginal rank sets", truth_reps=truth_reps,
                                            decimals=decimals, se_reps=se_reps, se_obs=se_obs)
    return _sets_frame(obs, better, worse, "")


def simultaneous_rank_sets(avg_obs, avg_reps, level: float = 0.95, *, truth_reps=None,
                           decimals: int | None = SCORE_DECIMALS, chunk: int = 64, max_steps: int = 100,
                           max_memory_gb: float = 0.5, se_reps=None, se_obs=None) -> tuple[pd.DataFrame, np.ndarray]:
    """Confidence sets for the ranks of all trusts at once (Mogstad, Romano, Shaikh & Wilhelm 2024).

    Ranks are by average metric score (1 = lowest = best; ties share the
    better rank). For every ordered pair (j, k) test H_jk: theta_j <= theta_k
    with ``t_jk = (s_j - s_k) / se_jk``, ``se_jk`` from the bootstrap
    covariance of the scores. Max-t stepdown: the critical value is the
    ``level`` quantile over replicates of ``max over the not yet rejected
    pairs of ((s*_j - s*_k) - mean) / se_jk`` (replicates centred at their
    mean, so the bootstrap supplies the joint distribution); reject every
    pair above it, drop them, repeat until nothing new is rejected. Then
    with probability about ``level`` all of these hold together::

        rank_j >= 1 + #{k : H_jk rejected}      (k surely better than j)
        rank_j <= n - #{k : H_kj rejected}      (k surely worse than j)

    Parameters
    ----------
    avg_obs : numpy.ndarray
        Observed average scores of the ranked trusts (n,).
    avg_reps : numpy.ndarray
        Replicate average scores (R, n).
    level : float, default 0.95
        Simultaneous coverage.
    truth_reps : numpy.ndarray or None, default None
        Each replicate's own true scores (R, n) (the sampling world of
        :mod:`nhsrank.uncertainty.prior`); the stepdown then reads the replicate errors
        ``avg_reps - truth_reps`` (centred at their mean) instead of the replicates.
    decimals : int or None, default SCORE_DECIMALS
        The observed scores are rounded to this many places first (the league table's 2);
        None keeps them (raw metric values).
    chunk : int, default 64
        Replicates per vectorised step (memory: chunk x n x n floats), lowered to fit
        ``max_memory_gb``.
    max_steps : int, default 100
        Most stepdown steps.
    max_memory_gb : float, default 0.5
        Memory budget; above it :class:`nhsrank.InputError` says how much is needed.
    se_reps : numpy.ndarray or None, default None
        Each replicate's standard errors of independent estimates (R, n): the stepdown is then
        studentised per replicate (percentile-t), as for the ``scores`` source, whose trusts'
        averages rest on a few scores each.
    se_obs : numpy.ndarray or None, default None
        The observed standard errors (n,), with ``se_reps``.

    Returns
    -------
    sets : pandas.DataFrame
        score_rank, simultaneous_rank_lower, simultaneous_rank_upper, n_surely_better,
        n_surely_worse, one row per trust in the input order.
    rejected : numpy.ndarray
        (n, n) bool: ``rejected[j, k]`` where trust j is surely worse than trust k.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> obs = np.array([1.0, 1.1, 3.0])
    >>> sets, _ = simultaneous_rank_sets(obs, obs + rng.normal(0, 0.1, (2000, 3)))
    >>> sets[["simultaneous_rank_lower", "simultaneous_rank_upper"]].values.tolist()
    [[1, 2], [1, 2], [3, 3]]
    """
    obs, better, worse = _pairwise_stepdown(avg_obs, avg_reps, level, marginal=False, chunk=chunk,
                                            max_steps=max_steps, max_memory_gb=max_memory_gb,
                                            what="simultaneous rank sets", truth_reps=truth_reps,
                                            decimals=decimals, se_reps=se_reps, se_obs=se_obs)
    return _sets_frame(obs, better, worse, "simultaneous_"), better


# --------------------------------------------------------------------------- rankability


def rankability(avg_obs, avg_reps) -> dict:
    """Share of the between-trust variance of the average score that is not noise.

    ``tau^2 = max(0, var(s) - mean(s_i^2))`` (method of moments; ``s`` the
    observed scores, ``s_i^2`` trust i's bootstrap variance) and
    ``rankability = tau^2 / (tau^2 + median(s_i^2))`` (van Houwelingen;
    Lingsma et al. 2010): near 1 the ranking is mostly signal, below about
    0.5 mostly chance. ``reliability = tau^2 / var(s)`` is the share of the
    observed variance that is signal. The same definition as the
    ``composite`` row of :func:`nhsrank.sensitivity.agreement.rankability`.

    Parameters
    ----------
    avg_obs : numpy.ndarray
        Observed average scores (n,).
    avg_reps : numpy.ndarray
        Replicate average scores (R, n).

    Returns
    -------
    dict
        n_trusts, between_var (tau^2), observed_var, median_within_var, rankability, reliability.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> obs = np.linspace(1, 4, 50)
    >>> round(rankability(obs, obs + rng.normal(0, 0.01, (500, 50)))["rankability"], 3)
    1.0
    """
    obs = np.asarray(avg_obs, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        s2 = np.nanvar(np.asarray(avg_reps, dtype=float), axis=0, ddof=1)
    ok = ~np.isnan(obs) & ~np.isnan(s2)
    if ok.sum() < 2:
        return {"n_trusts": int(ok.sum()), "between_var": np.nan, "observed_var": np.nan,
                "median_within_var": np.nan, "rankability": np.nan, "reliability": np.nan}
    v = float(np.var(obs[ok], ddof=1))
    tau2 = max(0.0, v - float(np.mean(s2[ok])))
    med = float(np.median(s2[ok]))
    return {"n_trusts": int(ok.sum()), "between_var": tau2, "observed_var": v, "median_within_var": med,
            "rankability": tau2 / (tau2 + med) if tau2 + med > 0 else np.nan,
            "reliability": tau2 / v if v > 0 else np.nan}


# --------------------------------------------------------------------------- per-metric intervals


def wilson_interval(numerator, denominator, level: float = 0.95):
    """Wilson score interval of a binomial proportion, by statsmodels' ``proportion_confint``.

    Parameters
    ----------
    numerator : array_like
        Successes.
    denominator : array_like
        Trials.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    lower : numpy.ndarray
        Lower bounds (NaN where the denominator is 0).
    upper : numpy.ndarray
        Upper bounds.

    Examples
    --------
    >>> lo, hi = wilson_interval(81, 100)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.7222, 0.8749)
    """
    from statsmodels.stats.proportion import proportion_confint

    x = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        lo, hi = proportion_confint(x, n, alpha=1 - level, method="wilson")
    return lo, hi


def value_intervals(replicates, level: float = 0.95) -> pd.DataFrame:
    """Bootstrap interval of every resampled metric value beside its textbook interval.

    Needs ``bootstrap(..., keep_values=True)``. The textbook interval is
    Wilson for binomial values (on numerator / denominator, rescaled to the
    value's unit), the exact (Garwood) Poisson interval for counts (rescaled)
    and value +- z * standard error for normal values.

    Parameters
    ----------
    replicates : Replicates
        From ``bootstrap(..., keep_values=True)``.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        trust_code, metric_id, sampling, value, boot_lower, boot_upper, boot_se, ref_lower,
        ref_upper, ref_method.
    """
    from scipy import stats

    if replicates.values is None:
        raise InputError.from_records("value_intervals", [{"problem": "the replicates hold no values; "
                                                           "run bootstrap(..., keep_values=True)"}])
    g = replicates.group
    model = sampling_model(g, on_missing="ignore")
    t_idx, m_idx = np.nonzero(model.kind != 0)
    vals = replicates.values[:, t_idx, m_idx].astype(float)
    if getattr(replicates, "true_values", None) is not None:
        # the sampling world: the observed value minus each replicate's error (its observation minus its
        # own true value), the "basic" bootstrap, as the rank sets read it
        vals = replicates.group.values[t_idx, m_idx] - (vals - replicates.true_values[:, t_idx, m_idx])
    alpha = 1 - level
    lo, hi = np.quantile(vals, [alpha / 2, 1 - alpha / 2], axis=0)
    kind = model.kind[t_idx, m_idx]
    v = g.values[t_idx, m_idx]
    num, den, se = (a[t_idx, m_idx] for a in (g.numerator, g.denominator, g.standard_error))
    ref_lo, ref_hi = np.full(v.size, np.nan), np.full(v.size, np.nan)
    b = kind == _BINOMIAL
    if b.any():
        p = np.where(np.isnan(num[b]), v[b], num[b] / den[b])
        n = np.round(den[b])
        wl, wh = wilson_interval(p * n, n, level)
        scale = np.where(p > 0, v[b] / np.where(p > 0, p, 1), 1.0)
        ref_lo[b], ref_hi[b] = wl * scale, wh * scale
    pm = kind == _POISSON
    if pm.any():
        k = num[pm]
        gl = np.where(k > 0, stats.chi2.ppf(alpha / 2, 2 * k) / 2, 0.0)
        gh = stats.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2
        scale = np.where(k > 0, v[pm] / np.where(k > 0, k, 1), 0.0)
        ref_lo[pm], ref_hi[pm] = gl * scale, gh * scale
    nm = kind == _NORMAL
    if nm.any():
        z = stats.norm.ppf(1 - alpha / 2)
        ref_lo[nm], ref_hi[nm] = v[nm] - z * se[nm], v[nm] + z * se[nm]
    names = {_BINOMIAL: "wilson", _POISSON: "exact poisson", _NORMAL: "normal"}
    return pd.DataFrame({
        "trust_code": g.trusts["trust_code"].to_numpy()[t_idx], "metric_id": g.metrics["metric_id"].to_numpy()[m_idx],
        "sampling": g.metrics["sampling"].to_numpy()[m_idx], "value": v, "boot_lower": lo, "boot_upper": hi,
        "boot_se": vals.std(axis=0, ddof=1) if vals.shape[0] > 1 else np.nan,
        "ref_lower": ref_lo, "ref_upper": ref_hi, "ref_method": [names[k] for k in kind],
    })


# --------------------------------------------------------------------------- score intervals

SCORE_INTERVALS = ("hull", "basic", "percentile")


def score_interval(avg_obs, avg_reps, level: float = 0.95, method: str = "hull", bounds=None):
    """Bootstrap confidence interval of each trust's true average score.

    ``"percentile"``: the ``alpha/2`` and ``1 - alpha/2`` percentiles of the
    replicate scores. ``"basic"`` (Davison & Hinkley 1997, 5.2): the
    percentiles reflected about the estimate, ``[2 s - q_hi, 2 s - q_lo]``,
    which undoes a bias the bootstrap repeats. ``"hull"`` (the default): the
    smallest interval holding both. Average scores built from ranks among
    peers are biased in a direction that depends on where the trust sits
    (near-ties and the ends of the table pull different ways), and each of the
    two intervals under-covers where the other does not; ``benchmarks/coverage.py``
    measures all three against a known truth (docs/uncertainty.md quotes it).
    ``bounds`` (the methodology's score range) clips the interval: a true
    average score cannot lie outside it.

    Examples
    --------
    >>> reps = np.array([[1.2], [1.4], [1.6], [1.8], [2.0]])
    >>> lo, hi = score_interval([1.5], reps, level=0.6, method="percentile")
    >>> round(float(lo[0]), 2), round(float(hi[0]), 2)
    (1.36, 1.84)
    >>> lo, hi = score_interval([1.5], reps, level=0.6, method="basic")
    >>> round(float(lo[0]), 2), round(float(hi[0]), 2)
    (1.16, 1.64)
    >>> lo, hi = score_interval([1.5], reps, level=0.6)   # hull of the two
    >>> round(float(lo[0]), 2), round(float(hi[0]), 2)
    (1.16, 1.84)
    """
    if method not in SCORE_INTERVALS:
        raise ValueError(f"score_method: unknown method {method!r}; choose one of {', '.join(SCORE_INTERVALS)}")
    reps = np.asarray(avg_reps, dtype=float)
    alpha = 1 - level
    q_lo, q_hi = _pct(reps, alpha / 2), _pct(reps, 1 - alpha / 2)
    s = np.asarray(avg_obs, dtype=float)
    lo, hi = {"percentile": (q_lo, q_hi), "basic": (2 * s - q_hi, 2 * s - q_lo),
              "hull": (np.minimum(q_lo, 2 * s - q_hi), np.maximum(q_hi, 2 * s - q_lo))}[method]
    if bounds is not None:
        lo, hi = np.clip(lo, *sorted(bounds)), np.clip(hi, *sorted(bounds))
    return lo, hi


# --------------------------------------------------------------------------- one rank-scored metric


def value_ordered_metric(group) -> int | None:
    """The metric whose raw values order the table, if the table is scored on that one metric alone.

    True when the group has a single metric, scored by rank among peers without floor or standard (so
    the score orders trusts exactly as the value does, ties included), averaged alone
    (``mean_of_metrics``), taken from no file, reported by every ranked trust, and with few enough peers
    (at most ``3 x 10**score_decimals + 1``) that distinct ranks keep distinct rounded scores. Then the
    rank by average score is the rank by value, and :func:`summarise` infers it from the values, which
    keep what the scores throw away (how far apart trusts are). Otherwise None.

    Examples
    --------
    >>> import nhsrank
    >>> value_ordered_metric(nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr"))
    0
    """
    meth, spec = group.methodology, group.metrics
    if group.values.shape[1] != 1 or meth.aggregation != "mean_of_metrics" or spec["scoring"].iloc[0] != "rank":
        return None
    for col in ("floor", "standard"):
        if col in spec and not np.isnan(float(spec[col].iloc[0])):
            return None
    if group.take_published is not None and bool(np.asarray(group.take_published)[0]):
        return None
    if np.isnan(group.values[group.included, 0]).any():
        return None
    n_peers = int((~np.isnan(group.values[:, 0])).sum())
    if group.pool is not None and np.size(group.pool):
        n_peers += int((~np.isnan(np.asarray(group.pool, dtype=float)[:, 0])).sum())
    if meth.score_decimals is not None and n_peers - 1 > 3 * 10 ** int(meth.score_decimals):
        return None
    return 0


def moderated_variance(s2, df):
    """Empirical-Bayes prior of variances estimated with few degrees of freedom (Smyth 2004, limma).

    Every ``s2[j]`` (a sample variance on ``df[j]`` degrees of freedom) is taken as a draw of
    ``sigma2_j * chi2(df_j) / df_j`` with ``1 / sigma2_j`` from a scaled chi-square prior on ``d0`` degrees
    of freedom around ``s0^2``; ``d0`` and ``s0^2`` are estimated by moments of ``log s2``. The moderated
    variance is ``(d0 s0^2 + df s2) / (d0 + df)``: a trust whose few scores happen to agree is not taken
    to be more certain than the spread of scores across trusts allows. ``d0`` is ``inf`` (every variance
    is the pooled one, ``sum(df s2) / sum(df)``) when the variances vary no more than chance would make them.

    Returns
    -------
    (d0, s0^2)

    Examples
    --------
    >>> d0, s02 = moderated_variance(np.full(40, 2.0), np.full(40, 8))   # identical variances: pooled
    >>> d0, round(s02, 6)
    (inf, 2.0)
    >>> s2 = np.random.default_rng(0).chisquare(8, 400) / 8 * np.repeat([1.0, 9.0], 200)  # two kinds of trust
    >>> d0, s02 = moderated_variance(s2, np.full(400, 8))
    >>> bool(np.isfinite(d0) and 1 < s02 < 9)
    True
    """
    from scipy.optimize import brentq
    from scipy.special import digamma, polygamma

    s2 = np.asarray(s2, dtype=float)
    df = np.asarray(df, dtype=float)
    ok = (df > 0) & (s2 > 0) & np.isfinite(s2)
    if ok.sum() < 3:
        return np.inf, float(np.mean(s2[ok])) if ok.any() else 0.0
    s2, df = s2[ok], df[ok]
    e = np.log(s2) - digamma(df / 2) + np.log(df / 2)
    e_bar = float(e.mean())
    excess = float(np.mean((e - e_bar) ** 2) * e.size / (e.size - 1) - np.mean(polygamma(1, df / 2)))
    if excess <= 0:   # no more spread than chance: the pooled variance
        return np.inf, float(np.sum(df * s2) / np.sum(df))
    # trigamma(d0 / 2) = excess, trigamma decreasing
    d0 = 2 * brentq(lambda x: float(polygamma(1, x)) - excess, 1e-8, 1e8)
    return d0, float(np.exp(e_bar + digamma(d0 / 2) - np.log(d0 / 2)))


def _moderated_student(g, inc, reps, se_reps, se_obs):
    """The ``scores`` source's replicates and standard errors for the studentised stepdown.

    Each trust's average is the mean of its own ``n`` scores. Its bootstrap spread is that of a world whose
    variance is the plug-in one, ``(n - 1) / n`` of the unbiased: the replicate deviations are scaled back
    by ``sqrt(n / (n - 1))``. Its standard errors, observed and of every replicate, are moderated
    (:func:`moderated_variance`, on ``n - 1`` degrees of freedom) toward the spread across trusts, so that
    the percentile-t statistics are neither inflated by a trust whose few scores happen to agree nor
    deflated in the replicates.
    """
    from .likely_range import scores_per_trust

    n_t = scores_per_trust(g)[inc].astype(float)
    d = np.maximum(n_t - 1, 0)
    f = np.where(n_t > 1, n_t / np.maximum(n_t - 1, 1), 1.0)
    s2_obs = se_obs ** 2 * n_t
    d0, s02 = moderated_variance(s2_obs, d)

    def mod(s2):
        s2 = np.nan_to_num(s2)
        return np.broadcast_to(s02, s2.shape) if np.isinf(d0) else (d0 * s02 + d * s2) / (d0 + d)

    mu = np.nanmean(reps, axis=0)
    reps = mu + (reps - mu) * np.sqrt(f)
    se_r = np.sqrt(mod(se_reps ** 2 * n_t * f) / n_t)
    se_o = np.sqrt(mod(s2_obs) / n_t)
    return reps, {"se_reps": se_r, "se_obs": se_o}


# --------------------------------------------------------------------------- the summary table


def summarise(replicates, level: float = 0.95, score_method: str = "hull", *, rank_sets: bool | None = None,
              max_memory_gb: float = 0.5) -> pd.DataFrame:
    """The per-trust table of :func:`nhsrank.uncertainty.rank_uncertainty` from replicates.

    Parameters
    ----------
    replicates : Replicates
        From :func:`nhsrank.uncertainty.bootstrap`.
    level : float, default 0.95
        Confidence level of every interval and test.
    score_method : str, default "hull"
        How the score interval is formed (:func:`score_interval`).
    rank_sets : bool or None, default None
        As :func:`nhsrank.uncertainty.rank_uncertainty`.
    max_memory_gb : float, default 0.5
        As :func:`nhsrank.uncertainty.rank_uncertainty`.

    Returns
    -------
    RankUncertainty
        As :func:`nhsrank.uncertainty.rank_uncertainty` returns it.
    """

    g = replicates.group
    obs = replicates.observed
    inc = g.included
    alpha = 1 - level
    codes = g.trusts["trust_code"].to_numpy()[inc]
    avg_r = replicates.average_metric_score[:, inc]
    pos_r = replicates.league_position[:, inc]
    seg_r = replicates.segment[:, inc]
    avg_o = obs["average_metric_score"][inc]
    pos_o = obs["league_position"][inc]
    true_r = getattr(replicates, "true_average_metric_score", None)
    true_r = None if true_r is None else true_r[:, inc]
    # what every test and interval of the true scores reads: the replicate's error (its estimate minus its
    # own world's truth) taken off the observed score, i.e. draws of the true average score (the "basic"
    # bootstrap); without a sampling world, the replicate scores themselves
    truth_draws = avg_r if true_r is None else avg_o - (avg_r - true_r)
    if true_r is None:
        s_lo, s_hi = score_interval(avg_o, avg_r, level, method=score_method,
                                    bounds=g.methodology.config.get("score_range"))
    else:
        # "basic": the world's errors; "percentile": the replicate scores; "hull" (default): both
        b_lo, b_hi = score_interval(avg_o, truth_draws, level, method="percentile",
                                    bounds=g.methodology.config.get("score_range"))
        p_lo, p_hi = score_interval(avg_o, avg_r, level, method="percentile",
                                    bounds=g.methodology.config.get("score_range"))
        s_lo, s_hi = {"basic": (b_lo, b_hi), "percentile": (p_lo, p_hi),
                      "hull": (np.minimum(b_lo, p_lo), np.maximum(b_hi, p_hi))}[score_method]
    r_lo, r_med, r_hi = _quantiles(pos_r, alpha)
    if np.isfinite(r_lo).all() and np.isfinite(r_hi).all():   # whole positions (NaN only if a trust lost all metrics)
        r_lo, r_hi = r_lo.astype(int), r_hi.astype(int)
    n = int(inc.sum())
    do_sets = (n <= MAX_RANKSET_TRUSTS) if rank_sets is None else bool(rank_sets)
    skipped = None
    # what the sets test: the average scores, or, for a table scored on one rank-scored metric, its values
    # (signed so that lower is better; the score orders trusts as the value does)
    set_obs, set_reps, set_true, set_dec = avg_o, avg_r, true_r, SCORE_DECIMALS
    by_value = (true_r is not None and getattr(replicates, "true_values", None) is not None
                and value_ordered_metric(g) is not None)
    if by_value:
        sign = -1.0 if g.metrics["direction"].iloc[0] == "higher_is_better" else 1.0
        set_obs = sign * g.values[inc, 0]
        set_reps = sign * replicates.values[:, inc, 0]
        set_true = sign * replicates.true_values[:, inc, 0]
        set_dec = None
    # the scores source: every trust's average rests on its own few scores; studentise by their spread
    se_r, se_o = getattr(replicates, "score_se", None), getattr(replicates, "observed_score_se", None)
    student = {} if by_value or se_r is None or se_o is None else {"se_reps": se_r[:, inc], "se_obs": se_o[inc]}
    if student:
        set_reps, student = _moderated_student(g, inc, set_reps, se_r[:, inc], se_o[inc])
    if n > 0 and do_sets:
        marg = marginal_rank_sets(set_obs, set_reps, level, truth_reps=set_true, decimals=set_dec,
                                  max_memory_gb=max_memory_gb, **student)
        marg["score_rank"] = 1 + np.sum(np.round(avg_o, SCORE_DECIMALS)[None, :]
                                        < np.round(avg_o, SCORE_DECIMALS)[:, None], axis=1)
    else:
        if n > 0:
            skipped = (f"the rank confidence sets (rank_lower/rank_upper, simultaneous_rank_lower/upper) were not "
                       f"computed for {n:,} units: the work grows as units^2 x replicates "
                       f"({n:,}^2 x {avg_r.shape[0]:,}); they are computed by default up to "
                       f"{MAX_RANKSET_TRUSTS:,} units; pass rank_sets=True (and raise max_memory_gb if asked) to "
                       "compute them anyway")
            warnings.warn(skipped, UncertaintyWarning, stacklevel=3)
        ranked = np.round(avg_o, SCORE_DECIMALS)
        na = pd.array([pd.NA] * n, dtype="Int64")
        marg = pd.DataFrame({"score_rank": 1 + np.searchsorted(np.sort(ranked), ranked, side="left"),
                             "rank_lower": na, "rank_upper": na})
    table = pd.DataFrame({
        "trust_code": codes, "trust_name": g.trusts["trust_name"].to_numpy()[inc],
        "league_position": pos_o.astype(int), "segment": obs["segment"][inc].astype(int),
        "average_metric_score": avg_o, "score_lower": s_lo, "score_upper": s_hi,
        "score_se": np.nanstd(truth_draws, axis=0, ddof=1) if avg_r.shape[0] > 1 else np.nan,
        "score_rank": marg["score_rank"].to_numpy(), "rank_lower": marg["rank_lower"].to_numpy(),
        "rank_upper": marg["rank_upper"].to_numpy(),
        "likely_score_lower": _pct(avg_r, alpha / 2), "likely_score_upper": _pct(avg_r, 1 - alpha / 2),
        "likely_position_lower": r_lo, "likely_position_median": r_med, "likely_position_upper": r_hi,
    })
    seg_cfg = g.methodology.segmentation
    n_seg = (int(seg_cfg.get("n_segments", 4)) if seg_cfg.get("method", "quantile") == "quantile"
             else len(seg_cfg["thresholds"]) + 1)
    segs = list(range(1, n_seg + 1))
    pip_cfg = g.methodology.overrides.get("pip", {})
    if pip_cfg.get("enabled", False) and g.pip[inc].any():
        segs.append(int(pip_cfg["segment"]))
    for k in segs:
        table[f"p_segment_{k}"] = np.mean(seg_r == k, axis=0)
    # top quarter by score AND not pushed down a segment by an override (a trust capped at segment 3
    # is never "surely top quarter")
    not_capped = replicates.segment[:, inc] <= replicates.segment_before_adjustment[:, inc]
    table["p_top_quartile"] = np.mean(replicates.top_quartile()[:, inc] & not_capped, axis=0)
    rejected = None
    if n > 0 and do_sets:
        sets, rejected = simultaneous_rank_sets(set_obs, set_reps, level, truth_reps=set_true, decimals=set_dec,
                                                max_memory_gb=max_memory_gb, **student)
        sets["score_rank"] = marg["score_rank"].to_numpy()
        sets.insert(0, "trust_code", codes)
        table["simultaneous_rank_lower"] = sets["simultaneous_rank_lower"].to_numpy()
        table["simultaneous_rank_upper"] = sets["simultaneous_rank_upper"].to_numpy()
    else:
        # the columns are always there (empty, <NA>, when the sets were not computed), never missing
        sets = pd.DataFrame(
            {
                "trust_code": codes,
                "score_rank": marg["score_rank"].to_numpy(),
                "simultaneous_rank_lower": marg["rank_lower"],
                "simultaneous_rank_upper": marg["rank_upper"],
            }
        )
        table["simultaneous_rank_lower"] = marg["rank_lower"].to_numpy()
        table["simultaneous_rank_upper"] = marg["rank_upper"].to_numpy()
    # the neighbour tests read what the sets read: the observed estimates less each replicate's error
    # centred at its mean (the pivot of the stepdown), so that the headline and the sets cannot disagree
    test_draws = None
    if set_true is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            err = set_reps - set_true
            test_draws = set_obs - (err - np.nanmean(err, axis=0))
    pairs = adjacent_pairs(codes, pos_o, avg_o, truth_draws, pos_r, level, test_draws=test_draws)
    table = table.sort_values(["league_position", "trust_code"], kind="stable").reset_index(drop=True)
    headline = pairs_headline(pairs, level, avg_r.shape[0])
    return RankUncertainty(
        table=table, pairwise=Pairwise(codes, avg_o, truth_draws, pos_r, level, rejected), adjacent_pairs=pairs,
        headline=headline + ("; rank confidence sets not computed (too many units)" if skipped else ""),
        rank_sets=sets.sort_values(["score_rank", "trust_code"], kind="stable").reset_index(drop=True),
        rank_sets_skipped=skipped,
        rank_sets_by=("metric value" if by_value else "average score") if n > 0 and do_sets else None,
        rankability=rankability(avg_o, truth_draws), exclusions=g.exclusions, fixed_cells=replicates.fixed_cells,
        n_boot=replicates.n_boot, seed=replicates.seed, sources=replicates.sources, level=level,
        score_interval=score_method, methodology=g.methodology.id, trust_type=g.trust_type, quarter=g.quarter)


__all__ = ["Pairwise", "adjacent_pairs", "pairs_headline", "value_ordered_metric",
           "marginal_rank_sets", "simultaneous_rank_sets", "score_interval",
           "SCORE_INTERVALS", "rankability", "holm", "bootstrap_p_value",
           "wilson_interval", "value_intervals", "summarise", "MAX_RANKSET_TRUSTS"]
