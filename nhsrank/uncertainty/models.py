"""Sampling models: how the ``sampling`` source of the bootstrap redraws each metric value.

A metric's ``sampling`` column in the methodology says which model applies
(``binomial``, ``poisson``, ``normal`` or ``none``); :func:`sampling_model`
works out, for every (trust, metric) value of a peer group, which model
redraws it and with which parameters, so that :func:`nhsrank.bootstrap` can
draw every replicate in a few vectorised calls.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from ..rules.pipeline import PeerGroup
from ..rules.segmentation import quantile_segments

#: codes of the sampling model of each (trust, metric) cell in ``SamplingModel.kind`` (used by the bootstrap,
#: the rank sets and the sources check; not part of the subpackage's ``__all__``)
FIXED, BINOMIAL, POISSON, NORMAL = 0, 1, 2, 3


class UncertaintyWarning(UserWarning):
    """A value that should be resampled stays fixed (missing numerator, denominator or standard error)."""


# --------------------------------------------------------------------------- sampling model


@dataclass
class SamplingModel:
    """Per (trust, metric) cell: how ``sampling`` redraws it.

    Parameters
    ----------
    kind : numpy.ndarray
        (T, M): 0 fixed, 1 binomial, 2 poisson, 3 normal.
    binomial : tuple
        Flat cell indices and parameters of the binomial draws.
    poisson : tuple
        Flat cell indices and parameters of the Poisson draws.
    normal : tuple
        Flat cell indices and parameters of the normal draws.
    fixed_cells : pandas.DataFrame
        The values that should have been resampled but lack the inputs (trust_code, metric_id,
        sampling, reason).
    """

    kind: np.ndarray
    binomial: tuple          # (flat index, n, p, value, scale): value* = draw / n * scale
    poisson: tuple           # (flat index, lambda, value, scale): value* = draw * scale
    normal: tuple            # (flat index, value, se)
    fixed_cells: pd.DataFrame


def _unit_from_peers(scale: np.ndarray, zero: np.ndarray, metric: np.ndarray) -> None:
    """In place: where an estimate is 0 (its unit unknowable), the median unit of its metric's others, else 1."""
    for m in np.unique(metric[zero]):
        known = (metric == m) & ~zero
        scale[(metric == m) & zero] = float(np.median(scale[known])) if known.any() else 1.0


def sampling_model(group: PeerGroup, on_missing: str = "warn") -> SamplingModel:
    """Work out, for every value of ``group``, how the ``sampling`` source redraws it.

    Parameters
    ----------
    group : PeerGroup
        The table.
    on_missing : {"warn", "raise", "ignore"}, default "warn"
        What to do with a value whose metric has a sampling model but which lacks the inputs
        (binomial: denominator, and numerator or a value in [0, 1]; poisson: numerator;
        normal: standard error). Such values stay fixed; "raise" raises
        :class:`nhsrank.InputError` listing every one.

    Returns
    -------
    SamplingModel
        How each (trust, metric) cell is redrawn.

    Raises
    ------
    nhsrank.errors.InputError
        Impossible inputs (negative or zero denominator, numerator above denominator for a
        binomial metric, negative count or standard error), naming the trust and metric.

    Examples
    --------
    >>> import nhsrank
    >>> g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    >>> int((sampling_model(g).kind == 1).sum()) == int((~np.isnan(g.values)).sum())
    True
    """
    if on_missing not in ("warn", "raise", "ignore"):
        raise ValueError(f"on_missing must be 'warn', 'raise' or 'ignore', not {on_missing!r}")
    v, num, den, se = group.values, group.numerator, group.denominator, group.standard_error
    T, M = v.shape
    codes = group.trusts["trust_code"].to_numpy()
    ids = group.metrics["metric_id"].to_numpy()
    samp = group.metrics["sampling"].to_numpy()
    have = ~np.isnan(v)
    kind = np.zeros((T, M), dtype=np.int8)
    missing, bad = [], []

    def note(mask, msg, into):
        for t, m in zip(*np.nonzero(mask)):
            into.append({"trust_code": codes[t], "metric_id": ids[m], "sampling": samp[m], "reason": msg})

    col = samp[None, :]
    # binomial: needs a denominator, and a numerator or a proportion value
    is_b = have & (col == "binomial")
    has_num = ~np.isnan(num)
    ok_den = ~np.isnan(den)
    p_val = np.where(has_num, num / np.where(den > 0, den, np.nan), v)
    note(is_b & ok_den & (den <= 0), "denominator must be above 0", bad)
    note(is_b & ok_den & has_num & (den > 0) & ((num < 0) | (num > den)),
         "numerator must lie between 0 and the denominator", bad)
    b_ok = is_b & ok_den & (den > 0) & (p_val >= 0) & (p_val <= 1)
    note(is_b & ~ok_den, "no denominator", missing)
    note(is_b & ok_den & (den > 0) & ~has_num & ~((v >= 0) & (v <= 1)),
         "no numerator, and the value is not a proportion in [0, 1]", missing)
    kind[b_ok] = BINOMIAL
    # poisson: the count is the numerator
    is_p = have & (col == "poisson")
    note(is_p & has_num & (num < 0), "count (numerator) must not be negative", bad)
    p_ok = is_p & has_num & (num >= 0)
    note(is_p & ~has_num, "no numerator (count)", missing)
    kind[p_ok] = POISSON
    # normal: value +- standard error
    is_n = have & (col == "normal")
    has_se = ~np.isnan(se)
    note(is_n & has_se & (se < 0), "standard error must not be negative", bad)
    n_ok = is_n & has_se & (se >= 0)
    note(is_n & ~has_se, "no standard error", missing)
    kind[n_ok] = NORMAL
    if bad:
        raise InputError.from_records(f"{group.trust_type} {group.quarter}",
                                      [{"trust_code": r["trust_code"], "column": r["metric_id"],
                                        "problem": f"{r['sampling']} sampling: {r['reason']}"} for r in bad])
    fixed = pd.DataFrame(missing, columns=["trust_code", "metric_id", "sampling", "reason"])
    if len(fixed) and on_missing == "raise":
        raise InputError.from_records(
            f"{group.trust_type} {group.quarter}",
            [{"trust_code": r.trust_code, "column": r.metric_id,
              "problem": f"{r.sampling} sampling needs inputs: {r.reason}"} for r in fixed.itertuples()])
    if len(fixed) and on_missing == "warn":
        by_metric = fixed.groupby("metric_id", sort=False)["trust_code"].agg(list)
        parts = [f"{m} ({len(c)} trust{'s' if len(c) != 1 else ''}: {', '.join(c[:5])}{', ...' if len(c) > 5 else ''})"
                 for m, c in by_metric.items()]
        warnings.warn(f"{len(fixed)} value(s) kept fixed in the sampling bootstrap because their sampling inputs "
                      f"are missing: {'; '.join(parts)}", UncertaintyWarning, stacklevel=3)

    flat = lambda mask: np.flatnonzero(mask.ravel())  # noqa: E731
    bi = flat(b_ok)
    n_b = den.ravel()[bi].round().astype(np.int64)
    p_b = p_val.ravel()[bi]
    v_b = v.ravel()[bi]
    # the value's unit relative to the proportion (1, or 100 for percentages); exactly 1 when the value
    # is numerator / denominator, so that replicate values are draw / denominator to the last bit
    with np.errstate(invalid="ignore", divide="ignore"):
        s_b = np.where(p_b > 0, v_b / p_b, 1.0)
    s_b = np.where(np.abs(s_b - 1.0) < 1e-9, 1.0, s_b)
    # a rate of 0 tells nothing about its unit, and now moves in the draws: take the metric's unit
    # from its other trusts (median), else 1
    _unit_from_peers(s_b, p_b <= 0, bi % M)
    pi = flat(p_ok)
    lam = num.ravel()[pi]
    v_p = v.ravel()[pi]
    with np.errstate(invalid="ignore", divide="ignore"):
        s_p = np.where(lam > 0, v_p / lam, 0.0)
    # a count of 0 tells nothing about its unit either: take the metric's unit (value per count) from its
    # other trusts (median), else 1 (the value is the count), so that it moves in the draws too
    _unit_from_peers(s_p, lam <= 0, pi % M)
    ni = flat(n_ok)
    return SamplingModel(kind, (bi, n_b, p_b, v_b, s_b), (pi, lam, v_p, s_p), (ni, v.ravel()[ni], se.ravel()[ni]),
                         fixed)


@dataclass
class Replicates:
    """Bootstrap replicates of one league table, from :func:`bootstrap`.

    Arrays have one row per replicate and one column per trust of the peer
    group (``group.trusts``, sorted by trust_code, excluded trusts included
    as NaN so that indices match the group).

    Parameters
    ----------
    group : PeerGroup
        The table.
    observed : dict
        :func:`nhsrank.run_pipeline` on the observed values.
    average_metric_score : numpy.ndarray
        Replicate average scores (R, T), float64.
    segment_before_adjustment : numpy.ndarray
        Replicate segments before the overrides (R, T), float32.
    segment : numpy.ndarray
        Replicate final segments (R, T), float32.
    league_position : numpy.ndarray
        Replicate league positions (R, T), float32.
    values : numpy.ndarray or None
        Replicate metric values (R, T, M) if kept, else None.
    fixed_cells : pandas.DataFrame
        Values kept fixed for lack of sampling inputs.
    n_boot : int
        Number of replicates.
    seed : int
        The seed.
    sources : tuple of str
        What was redrawn.
    dirichlet_alpha : float, default 1.0
        Dirichlet concentration of the "weights" source.
    true_average_metric_score : numpy.ndarray or None, default None
        True average scores of each replicate's world (R, T).
    true_values : numpy.ndarray or None, default None
        The true values each replicate's world drew (R, T, M).
    score_se : numpy.ndarray or None, default None
        Each replicate's standard errors of the average score (R, T), ``scores`` source.
    observed_score_se : numpy.ndarray or None, default None
        The observed standard errors of the average score (T,), ``scores`` source.
    _cache : dict, default {}
        Summaries computed once (private).
    """

    group: PeerGroup
    observed: dict
    average_metric_score: np.ndarray
    segment_before_adjustment: np.ndarray
    segment: np.ndarray
    league_position: np.ndarray
    values: np.ndarray | None
    fixed_cells: pd.DataFrame
    n_boot: int
    seed: int
    sources: tuple
    dirichlet_alpha: float = 1.0
    #: (R, T) float64: each replicate's TRUE average score (the pipeline run on the true values its world
    #: drew, :mod:`nhsrank.uncertainty.prior`); None for sources without a sampling world
    true_average_metric_score: np.ndarray | None = None
    #: (R, T, M) the true values each replicate's world drew, if ``keep_values`` and a sampling world
    true_values: np.ndarray | None = None
    #: (R, T) float64: each replicate's own standard error of its average score (the ``scores`` source:
    #: the spread of the trust's resampled scores, :func:`nhsrank.uncertainty.likely_range.score_bootstrap`);
    #: the rank sets then studentise every replicate by it (percentile-t). None for the other sources
    score_se: np.ndarray | None = None
    #: (T,) the same standard error from the observed scores (with ``score_se``)
    observed_score_se: np.ndarray | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    # short names
    @property
    def avg(self) -> np.ndarray:
        return self.average_metric_score

    @property
    def position(self) -> np.ndarray:
        return self.league_position

    @property
    def trust_codes(self) -> np.ndarray:
        return self.group.trusts["trust_code"].to_numpy()

    def get(self, key, default=None):
        return getattr(self, key, default)

    def top_quartile(self) -> np.ndarray:
        """(R, T) bool: the trust's average score ranks in the best quarter of ranked trusts."""
        if "top" not in self._cache:
            self._cache["top"] = quantile_segments(self.average_metric_score, 4) == 1
        return self._cache["top"]


# --------------------------------------------------------------------------- draws


def draw_values(model: SamplingModel, rng: np.random.Generator, size: int, out: np.ndarray,
                block: int | None = None) -> np.ndarray:
    """Redraw, in place, the resampled cells of ``out`` (size, T*M) from ``model``.

    Every estimate can move, 0% and 100% included: each replicate value is
    the true rate (or count) drawn from its Jeffreys posterior given the
    observed one, so its percentile interval is the Jeffreys interval:

    - binomial: value* = Beta(x + 1/2, n - x + 1/2) (on the value's unit);
    - poisson: value* = Gamma(x + 1/2, 1) (on the value's unit);
    - normal: value* = Normal(value, se) (unchanged).

    A plain parametric bootstrap (x* ~ Binomial(n, x/n)) never moves a rate of
    0% or 100%; this one does, with about the same spread elsewhere. (Drawing
    a count around the posterior draw as well would double the variance: the
    intervals came out about 1.4 times as wide as Wilson's.) This changes the
    random stream: replicates drawn with a given seed differ from those of
    nhsrank before this change. A poisson count of 0 takes its metric's unit
    (value per count) from the metric's other trusts, so it moves too.

    Parameters
    ----------
    model : SamplingModel
    rng : numpy.random.Generator
    size : int
        Replicates kept (rows of ``out``).
    out : ndarray (size, T*M)
        Observed values broadcast per replicate; resampled cells are overwritten.
    block : int, optional
        Rows drawn (at least ``size``), of which the first ``size`` are kept, so
        a shorter run is a prefix of a longer one with the same seed.

    Examples
    --------
    >>> import nhsrank
    >>> g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "non-acute", "ae-4hr")
    >>> m = sampling_model(g)
    >>> out = np.broadcast_to(g.values.ravel(), (50, g.values.size)).copy()
    >>> v = draw_values(m, np.random.default_rng(1), 50, out)
    >>> bool((v[:, m.binomial[0]] < 1).any())   # rates at 100% move too
    True
    """
    rows = size if block is None else max(int(block), size)
    bi, n_b, p_b, v_b, s_b = model.binomial
    if bi.size:
        x = p_b * n_b
        out[:, bi] = rng.beta(x + 0.5, n_b - x + 0.5, size=(rows, bi.size))[:size] * s_b
    pi, lam, v_p, s_p = model.poisson
    if pi.size:
        out[:, pi] = rng.gamma(lam + 0.5, 1.0, size=(rows, pi.size))[:size] * s_p
    ni, v_n, se_n = model.normal
    if ni.size:
        out[:, ni] = v_n + se_n * rng.standard_normal((rows, ni.size))[:size]
    return out


__all__ = ["SamplingModel", "UncertaintyWarning", "draw_values", "sampling_model", "Replicates"]
