"""Funnel plots for proportion metrics, with over-dispersion handled (Spiegelhalter 2005).

A funnel plot shows each trust's proportion against its denominator with
control limits around a target that narrow as the denominator grows. With
real data the spread between large trusts is usually wider than binomial
sampling allows (over-dispersion), and plain binomial limits flag half the
country. Spiegelhalter (2005, "Handling over-dispersion of performance
indicators", Qual Saf Health Care 14:347-351) estimates the excess from
winsorised z-scores and widens the limits either multiplicatively or by an
additive random effect; both are implemented.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._docs import shared_docs
from ..rules.methodology import DEFAULT_METHODOLOGY
from ._result import TableResult, about
from .variants import as_group

#: the standard normal quantiles of the 95% and 99.8% limits: scipy.stats.norm.ppf(0.975) and (0.999), written
#: out so that importing nhsrank does not import scipy.stats (tests/test_funnel.py checks them against scipy)
Z95 = 1.959963984540054
Z998 = 3.090232306167813
METHODS = ("additive", "multiplicative", "none")


def overdispersion(y, n, target: float | None = None, winsor: float = 0.1) -> dict:
    """Target, z-scores and over-dispersion estimates of proportions ``y`` with denominators ``n``.

    ``theta0`` is ``target`` or the pooled proportion ``sum(y n) / sum(n)``;
    ``s_i = sqrt(theta0 (1 - theta0) / n_i)``; ``z_i = (y_i - theta0) / s_i``.
    The z-scores are winsorised at the ``winsor`` and ``1 - winsor``
    quantiles (linear interpolation); ``phi = mean(z_w**2)``; the additive
    random-effects variance is ``tau2 = (I phi - (I - 1)) / (sum w - sum w**2 /
    sum w)`` with ``w_i = 1 / s_i**2`` when ``I phi > I - 1``, else 0.

    Parameters
    ----------
    y : numpy.ndarray
        Proportions.
    n : numpy.ndarray
        Their denominators.
    target : float or None, default None
        The proportion to compare with; None: the pooled proportion.
    winsor : float, default 0.1
        The winsorising quantile.

    Returns
    -------
    dict
        theta0, s (array), z, z_winsorised, phi, tau2, n_trusts.

    Examples
    --------
    >>> d = overdispersion(np.array([0.5, 0.5]), np.array([100, 100]))
    >>> d["theta0"], d["phi"], d["tau2"]
    (0.5, 0.0, 0.0)
    """
    y = np.asarray(y, dtype=float)
    n = np.asarray(n, dtype=float)
    theta0 = float(np.sum(y * n) / np.sum(n)) if target is None else float(target)
    s = np.sqrt(theta0 * (1 - theta0) / n)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (y - theta0) / s
    lo, hi = np.quantile(z, [winsor, 1 - winsor]) if len(z) else (np.nan, np.nan)
    zw = np.clip(z, lo, hi)
    I = len(z)  # noqa: E741 (Spiegelhalter's notation: I trusts)
    phi = float(np.mean(zw ** 2)) if I else np.nan
    w = 1.0 / s ** 2
    denom = float(np.sum(w) - np.sum(w ** 2) / np.sum(w)) if I else np.nan
    tau2 = float((I * phi - (I - 1)) / denom) if I and I * phi > I - 1 and denom > 0 else 0.0
    return {"theta0": theta0, "s": s, "z": z, "z_winsorised": zw, "phi": phi, "tau2": tau2, "n_trusts": I}


def _limits(theta0, n, method, phi, tau2, z):
    s2 = theta0 * (1 - theta0) / np.asarray(n, dtype=float)
    if method == "additive":
        half = z * np.sqrt(s2 + tau2)
    elif method == "multiplicative":
        half = z * np.sqrt(s2 * max(phi, 1.0))
    else:
        half = z * np.sqrt(s2)
    # a proportion lies in [0, 1]: so do its limits
    return np.clip(theta0 - half, 0.0, 1.0), np.clip(theta0 + half, 0.0, 1.0)


@shared_docs
@dataclass(frozen=True)
class FunnelLimits(TableResult):
    """Funnel-plot limits of the table's proportion metrics: :func:`funnel_limits`'s result.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per (metric, trust with numerator and denominator), sorted by metric, then
        |z_adjusted| descending: metric_id, trust_code, trust_name, numerator, denominator,
        value (the proportion), theta0 (the target), phi (multiplicative over-dispersion),
        tau2 (additive random-effect variance), method, z (on the binomial variance),
        z_adjusted (on the method's variance), lower95, upper95, lower998, upper998 (the
        control limits at the trust's denominator), outside95, outside998 ("high", "low" or
        ""), performance ("better", "worse" or "within" at 99.8%, in the metric's direction).
    {result_fields}
    excluded : pandas.DataFrame
        The trust-metric values left out of the plot: metric_id, trust_code, trust_name,
        reason (no numerator and positive denominator).

    Examples
    --------
    >>> import nhsrank
    >>> ae = nhsrank.read_ae_attendances()
    >>> f = funnel_limits(ae, "2018-19-Q4", "acute", "ae-4hr")
    >>> int(f.summary().sum(axis=1).iloc[0]) == len(f.table), len(f.excluded)
    (True, 0)
    """

    excluded: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """Trusts per metric (the index) by performance at 99.8% (columns "better", "within", "worse")."""
        t = self.table
        return (pd.crosstab(t["metric_id"], t["performance"]).reindex(columns=["better", "within", "worse"],
                                                                      fill_value=0)
                .rename_axis(index="metric_id", columns=None))


@shared_docs
def funnel_limits(data, quarter=None, trust_type: str | None = None, methodology=DEFAULT_METHODOLOGY, attributes=None,
                  *, metric_id: str | list | None = None, target: float | None = None, method: str = "additive",
                  winsor: float = 0.1) -> FunnelLimits:
    """Funnel-plot z-scores and control limits of proportion metrics, trusts outside the limits flagged.

    Parameters
    ----------
    {table_parameters}
    metric_id : str, list of str or None, default None
        One id, a list, or None for every ``sampling: binomial`` metric of the trust type.
    target : float or None, default None
        The proportion to compare with; None: the pooled proportion.
    method : {"additive", "multiplicative", "none"}, default "additive"
        Random effects (Spiegelhalter's recommendation), the variance scaled by phi when
        phi > 1, or plain binomial limits.
    winsor : float, default 0.1
        The winsorising quantile for the over-dispersion estimate.

    Returns
    -------
    FunnelLimits
        ``table``: one row per (metric, trust with numerator and denominator): metric_id, trust_code,
        trust_name, numerator, denominator, value, theta0, phi, tau2, method, z (plain),
        z_adjusted (on the method's variance), lower95, upper95, lower998, upper998,
        outside95, outside998 ("high", "low" or ""), performance ("better", "worse" or
        "within" at 99.8%, in the metric's direction), sorted by metric, then |z_adjusted|
        descending; ``excluded`` lists the trusts with a value but no usable numerator or
        denominator, with the reason; exclusions and the table's methodology, quarter, trust type.

    Examples
    --------
    >>> import nhsrank
    >>> ae = nhsrank.read_ae_attendances()
    >>> f = funnel_limits(ae, "2018-19-Q4", "acute", "ae-4hr").table
    >>> bool(f["tau2"].iloc[0] > 0)          # over-dispersed, as real data are
    True
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    group = as_group(data, quarter, trust_type, methodology, attributes)
    spec = group.metrics
    if metric_id is None:
        ids = list(spec.loc[spec["sampling"] == "binomial", "metric_id"])
    else:
        ids = [metric_id] if isinstance(metric_id, str) else list(metric_id)
    unknown = [m for m in ids if m not in set(spec["metric_id"])]
    if unknown:
        raise ValueError(f"metric(s) {unknown} not in methodology {group.methodology.id} for {group.trust_type}")
    frames, excluded = [], []
    for mid in ids:
        j = int(np.flatnonzero(spec["metric_id"] == mid)[0])
        m = spec.iloc[j]
        if m["sampling"] != "binomial":
            raise ValueError(f"{mid} is not a proportion metric (sampling: {m['sampling']}); funnel limits "
                             "here are for binomial proportions")
        y, num, den = group.values[:, j], group.numerator[:, j], group.denominator[:, j]
        has = ~np.isnan(y)
        ok = has & ~np.isnan(num) & ~np.isnan(den) & (den > 0)
        for i in np.flatnonzero(has & ~ok):
            excluded.append({"metric_id": mid, "trust_code": group.trusts["trust_code"].iat[i],
                             "trust_name": group.trusts["trust_name"].iat[i],
                             "reason": "no numerator and positive denominator for this metric"})
        if not ok.any():
            continue
        p = num[ok] / den[ok]
        d = overdispersion(p, den[ok], target, winsor)
        lo95, hi95 = _limits(d["theta0"], den[ok], method, d["phi"], d["tau2"], Z95)
        lo998, hi998 = _limits(d["theta0"], den[ok], method, d["phi"], d["tau2"], Z998)
        var = {"additive": d["s"] ** 2 + d["tau2"], "multiplicative": d["s"] ** 2 * max(d["phi"], 1.0),
               "none": d["s"] ** 2}[method]
        f = pd.DataFrame({
            "metric_id": mid, "trust_code": group.trusts["trust_code"].to_numpy()[ok],
            "trust_name": group.trusts["trust_name"].to_numpy()[ok], "numerator": num[ok], "denominator": den[ok],
            "value": p, "theta0": d["theta0"], "phi": d["phi"], "tau2": d["tau2"], "method": method, "z": d["z"],
            "z_adjusted": (p - d["theta0"]) / np.sqrt(var), "lower95": lo95, "upper95": hi95,
            "lower998": lo998, "upper998": hi998})
        for lev, lo, hi in (("95", "lower95", "upper95"), ("998", "lower998", "upper998")):
            f[f"outside{lev}"] = np.where(f["value"] > f[hi], "high", np.where(f["value"] < f[lo], "low", ""))
        good = "high" if m["direction"] == "higher_is_better" else "low"
        f["performance"] = np.where(f["outside998"] == "", "within",
                                    np.where(f["outside998"] == good, "better", "worse"))
        frames.append(f.reindex(f["z_adjusted"].abs().sort_values(ascending=False).index))
    cols = ["metric_id", "trust_code", "trust_name", "numerator", "denominator", "value", "theta0", "phi", "tau2",
            "method", "z", "z_adjusted", "lower95", "upper95", "lower998", "upper998", "outside95", "outside998",
            "performance"]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    return FunnelLimits(table=df, **about(group),
                        excluded=pd.DataFrame(excluded, columns=["metric_id", "trust_code", "trust_name", "reason"]))


def funnel_curve(funnel: FunnelLimits | pd.DataFrame, n_points: int = 100) -> pd.DataFrame:
    """The control-limit curves of a :func:`funnel_limits` result, for drawing.

    Parameters
    ----------
    funnel : FunnelLimits or pandas.DataFrame
        The result of :func:`funnel_limits`, or its ``table``.
    n_points : int, default 100
        Points per curve.

    Returns
    -------
    pandas.DataFrame
        metric_id, denominator (log-spaced over the observed range), theta0, lower95,
        upper95, lower998, upper998.
    """
    if isinstance(funnel, FunnelLimits):
        funnel = funnel.table
    out = []
    for mid, f in funnel.groupby("metric_id", sort=False):
        r = f.iloc[0]
        lo, hi = float(f["denominator"].min()), float(f["denominator"].max())
        n = np.unique(np.geomspace(max(lo * 0.8, 1.0), hi * 1.2, n_points))
        l95, u95 = _limits(r["theta0"], n, r["method"], r["phi"], r["tau2"], Z95)
        l998, u998 = _limits(r["theta0"], n, r["method"], r["phi"], r["tau2"], Z998)
        out.append(pd.DataFrame({"metric_id": mid, "denominator": n, "theta0": r["theta0"], "lower95": l95,
                                 "upper95": u95, "lower998": l998, "upper998": u998}))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(
        columns=["metric_id", "denominator", "theta0", "lower95", "upper95", "lower998", "upper998"])


__all__ = ["funnel_limits", "FunnelLimits", "funnel_curve", "overdispersion", "Z95", "Z998", "METHODS"]
