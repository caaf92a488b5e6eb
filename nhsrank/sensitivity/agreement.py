"""Do the metric rankings agree, and can each metric rank trusts at all?

* :func:`metric_agreement` — Spearman and Kendall rank correlations between
  every pair of metric (or domain) rankings within the peer group: the test of
  the claim that A&E, elective and cancer rankings barely agree.
* :func:`rankability` — the share of the spread between trusts that is not
  sampling noise (van Houwelingen & Lingsma's rankability), for each metric
  with a sampling model and, given bootstrap replicates, for the composite.
"""
from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._docs import shared_docs
from ..rules.methodology import DEFAULT_METHODOLOGY
from ..rules.scoring import domain_means
from ._result import TableResult, about
from .variants import as_group


@shared_docs
@dataclass(frozen=True)
class MetricAgreement(TableResult):
    """Rank correlations between the table's metric (or domain) rankings: :func:`metric_agreement`'s result.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per pair: a, b (metric or domain ids), name_a, name_b, domain_a, domain_b,
        n_trusts (ranked trusts with both values), spearman, spearman_p, kendall (tau-b),
        kendall_p (two-sided p-values; NaN with fewer than ``min_trusts`` trusts or no spread).
        Empty with a single metric.
    {result_fields}
    by : str
        What was correlated: "metric" or "domain" scores.

    Examples
    --------
    >>> import nhsrank
    >>> ae = nhsrank.read_ae_attendances()        # one metric: no pairs
    >>> a = metric_agreement(ae, "2018-19-Q4", "acute", "ae-4hr")
    >>> a.by, int(a.summary()["n_pairs"])
    ('metric', 0)
    """

    by: str

    def summary(self) -> pd.Series:
        """n_pairs, n_correlated (pairs with a correlation), median_spearman, median_kendall."""
        t = self.table
        return pd.Series({"n_pairs": len(t), "n_correlated": int(t["spearman"].notna().sum()),
                          "median_spearman": float(t["spearman"].median()) if len(t) else float("nan"),
                          "median_kendall": float(t["kendall"].median()) if len(t) else float("nan")},
                         dtype=object)

    def matrix(self, statistic: str = "spearman") -> pd.DataFrame:
        """The square matrix of ``statistic`` ("spearman" or "kendall"): :func:`agreement_matrix`."""
        return agreement_matrix(self.table, statistic)


@shared_docs
def metric_agreement(data, quarter=None, trust_type: str | None = None, methodology=DEFAULT_METHODOLOGY,
                     attributes=None,
                     *, by: str = "metric", min_trusts: int = 5) -> MetricAgreement:
    """Rank correlations between every pair of metric (or domain) rankings.

    Each metric's ranking is its NOF metric score (1 best), so a positive
    correlation means the two metrics agree on who is better, whatever each
    metric's direction. Pairs are computed over the ranked trusts that have
    both values; pairs with fewer than ``min_trusts`` such trusts get NaN.
    Kendall's tau is tau-b (ties allowed); p-values are two-sided.

    Parameters
    ----------
    {table_parameters}
    by : {"metric", "domain"}, default "metric"
        Correlate the metric scores, or the domain scores.
    min_trusts : int, default 5
        Fewest trusts with both values for a pair to get a correlation.

    Returns
    -------
    MetricAgreement
        ``table``: one row per pair: a, b, name_a, name_b, domain_a, domain_b, n_trusts,
        spearman, spearman_p, kendall, kendall_p (with a single metric there are no pairs: an
        empty frame); ``by``, exclusions and the table's methodology, quarter, trust type.

    Examples
    --------
    >>> import nhsrank
    >>> ae = nhsrank.read_ae_attendances()        # one metric: no pairs
    >>> len(metric_agreement(ae, "2018-19-Q4", "acute", "ae-4hr").table)
    0
    """
    from scipy import stats   # here, not on import: the report's other pages do without it

    group = as_group(data, quarter, trust_type, methodology, attributes)
    res = group.run()
    inc = group.included
    scores = res["scores"][inc]
    spec = group.metrics
    if by == "metric":
        ids, names, doms = list(spec["metric_id"]), list(spec["name"]), list(spec["domain"])
        X = scores
    elif by == "domain":
        keys = group.domain_keys
        X = domain_means(scores, group.domain_codes, len(keys))
        present = ~np.all(np.isnan(X), axis=0)
        ids = [k for k, p in zip(keys, present) if p]
        names = [group.methodology.domains[k] for k in ids]
        doms = ids
        X = X[:, present]
    else:
        raise ValueError(f"by must be 'metric' or 'domain', not {by!r}")
    rows = []
    for i, j in itertools.combinations(range(len(ids)), 2):
        both = ~np.isnan(X[:, i]) & ~np.isnan(X[:, j])
        x, y = X[both, i], X[both, j]
        r = {"a": ids[i], "b": ids[j], "name_a": names[i], "name_b": names[j], "domain_a": doms[i],
             "domain_b": doms[j], "n_trusts": int(both.sum()),
             "spearman": np.nan, "spearman_p": np.nan, "kendall": np.nan, "kendall_p": np.nan}
        if both.sum() >= min_trusts and np.ptp(x) > 0 and np.ptp(y) > 0:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                s = stats.spearmanr(x, y)
                k = stats.kendalltau(x, y)
            r.update(spearman=float(s.statistic), spearman_p=float(s.pvalue), kendall=float(k.statistic),
                     kendall_p=float(k.pvalue))
        rows.append(r)
    cols = ["a", "b", "name_a", "name_b", "domain_a", "domain_b", "n_trusts", "spearman", "spearman_p",
            "kendall", "kendall_p"]
    return MetricAgreement(table=pd.DataFrame(rows, columns=cols), **about(group), by=by)


def agreement_matrix(pairs: MetricAgreement | pd.DataFrame, statistic: str = "spearman") -> pd.DataFrame:
    """The square matrix of one statistic from :func:`metric_agreement` (1 on the diagonal).

    Parameters
    ----------
    pairs : MetricAgreement or pandas.DataFrame
        The result of :func:`metric_agreement`, or its ``table``.
    statistic : {"spearman", "kendall"}, default "spearman"
        The statistic to lay out.

    Returns
    -------
    pandas.DataFrame
        Square, indexed and columned by metric (or domain) id.

    Examples
    --------
    >>> p = pd.DataFrame({"a": ["M1"], "b": ["M2"], "spearman": [0.5]})
    >>> float(agreement_matrix(p).loc["M2", "M1"])
    0.5
    """
    if isinstance(pairs, MetricAgreement):
        pairs = pairs.table
    ids = list(dict.fromkeys(list(pairs["a"]) + list(pairs["b"])))
    m = pd.DataFrame(np.eye(len(ids)), index=ids, columns=ids)
    for r in pairs.itertuples(index=False):
        v = getattr(r, statistic)
        m.loc[r.a, r.b] = v
        m.loc[r.b, r.a] = v
    return m


def sampling_variance(values, numerator, denominator, standard_error, sampling: str) -> np.ndarray:
    """Within-trust sampling variance of each value under the metric's sampling model.

    ``binomial``: ``p (1 - p) / n`` with ``p`` shrunk to ``(x + 0.5) / (n + 1)``
    so that 0% and 100% keep a variance; ``poisson``: ``(x + 0.5) / n**2``
    for a rate ``x / n``; ``normal``: ``standard_error**2``; ``none``: NaN.
    A reported standard error is used whenever numerator and denominator are
    missing.

    Parameters
    ----------
    values : numpy.ndarray
        Metric values.
    numerator : numpy.ndarray
        Numerators (NaN where not published).
    denominator : numpy.ndarray
        Denominators (NaN where not published).
    standard_error : numpy.ndarray
        Standard errors (NaN where not published).
    sampling : {"binomial", "poisson", "normal", "none"}
        The metric's sampling model.

    Returns
    -------
    numpy.ndarray
        The variance of each value, NaN where the model gives none.

    Examples
    --------
    >>> sampling_variance(np.array([0.5]), np.array([50.]), np.array([100.]), np.array([np.nan]), "binomial")
    array([0.0025])
    """
    values, num, den, se = (np.asarray(a, dtype=float) for a in (values, numerator, denominator, standard_error))
    with np.errstate(invalid="ignore", divide="ignore"):
        if sampling == "binomial":
            p = (num + 0.5) / (den + 1.0)
            v = p * (1 - p) / den
        elif sampling == "poisson":
            v = (num + 0.5) / den ** 2
        else:
            v = np.full(values.shape, np.nan)
    v = np.where(np.isnan(v), se ** 2, v)
    return np.where(np.isnan(values) | (v <= 0), np.nan, v)


def _between_variance(y: np.ndarray, v: np.ndarray) -> tuple[float, float]:
    """DerSimonian-Laird between-trust variance tau^2 and Cochran's Q."""
    w = 1.0 / v
    mu = np.sum(w * y) / np.sum(w)
    q = float(np.sum(w * (y - mu) ** 2))
    denom = np.sum(w) - np.sum(w ** 2) / np.sum(w)
    tau2 = max(0.0, (q - (len(y) - 1)) / denom) if denom > 0 else 0.0
    return tau2, q


@shared_docs
def rankability(data, quarter=None, trust_type: str | None = None, methodology=DEFAULT_METHODOLOGY, attributes=None,
                *, composite_replicates: np.ndarray | None = None) -> pd.DataFrame:
    """Rankability of each metric (and of the composite): the share of between-trust spread that is signal.

    ``rankability = tau^2 / (tau^2 + median(s_i^2))`` (van Houwelingen &
    Lingsma, Lingsma et al. 2010), where ``s_i^2`` is trust ``i``'s sampling
    variance (:func:`sampling_variance`) and ``tau^2`` the DerSimonian-Laird
    between-trust variance. Near 1, ranks mostly reflect real differences;
    below about 0.5, mostly chance. Metrics without a sampling model
    (``sampling: none``, no standard errors) get NaN with a note.

    Parameters
    ----------
    {table_parameters}
    composite_replicates : numpy.ndarray or None, default None
        Bootstrap average metric scores of this peer group (replicates, trusts; NaN for
        trusts not ranked), e.g. ``nhsrank.uncertainty.bootstrap(group, ...)``'s; adds a row
        ``metric_id == "composite"`` with ``s_i^2`` the replicate variance and
        ``tau^2 = max(0, var(score) - mean(s_i^2))``.

    Returns
    -------
    pandas.DataFrame
        metric_id, name, sampling, n_trusts, tau2, median_within_var, rankability,
        q_statistic, note.

    Examples
    --------
    >>> import nhsrank
    >>> r = rankability(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    >>> bool(r["rankability"].iloc[0] > 0.9)
    True
    """
    group = as_group(data, quarter, trust_type, methodology, attributes)
    inc = group.included
    rows = []
    for j, m in group.metrics.iterrows():
        v = sampling_variance(group.values[:, j], group.numerator[:, j], group.denominator[:, j],
                              group.standard_error[:, j], m["sampling"])
        y = group.values[:, j]
        ok = ~np.isnan(y) & ~np.isnan(v)
        row = {"metric_id": m["metric_id"], "name": m["name"], "sampling": m["sampling"],
               "n_trusts": int(ok.sum()), "tau2": np.nan, "median_within_var": np.nan, "rankability": np.nan,
               "q_statistic": np.nan, "note": ""}
        if ok.sum() < 3:
            row["note"] = ("no sampling model or standard errors" if (~np.isnan(y)).sum() >= 3
                           else "fewer than 3 trusts with a value")
        else:
            tau2, q = _between_variance(y[ok], v[ok])
            med = float(np.median(v[ok]))
            row.update(tau2=tau2, median_within_var=med, rankability=tau2 / (tau2 + med), q_statistic=q)
        rows.append(row)
    if composite_replicates is not None:
        reps = np.asarray(composite_replicates, dtype=float)[:, inc]
        nominal = group.run(keep_scores=False)["average_metric_score"][inc]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            s2 = np.nanvar(reps, axis=0, ddof=1)
        ok = ~np.isnan(nominal) & ~np.isnan(s2)
        tau2 = max(0.0, float(np.var(nominal[ok], ddof=1) - np.mean(s2[ok])))
        med = float(np.median(s2[ok]))
        rows.append({"metric_id": "composite", "name": "Average metric score", "sampling": "bootstrap",
                     "n_trusts": int(ok.sum()), "tau2": tau2, "median_within_var": med,
                     "rankability": tau2 / (tau2 + med) if tau2 + med > 0 else np.nan, "q_statistic": np.nan,
                     "note": f"{reps.shape[0]} bootstrap replicates; method of moments"})
    return pd.DataFrame(rows)


__all__ = ["metric_agreement", "MetricAgreement", "agreement_matrix", "sampling_variance", "rankability"]
