"""The whole NOF pipeline on arrays: score, average, segment, override, rank.

:func:`peer_group` turns a long data table into the arrays of one league table
(one trust type, one quarter); :func:`run_pipeline` runs the rules on those
arrays. Leading axes of ``values`` (bootstrap replicates) are carried through,
so the uncertainty engine re-runs the whole pipeline with one call per chunk.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from .checks import check_metrics_for_methodology
from .methodology import Methodology, load_methodology
from .quarters import normalise_quarter
from .scoring import average_metric_score, score_array
from .segmentation import apply_overrides, league_positions, segment


@dataclass
class PeerGroup:
    """Arrays for one league table: one trust type in one quarter.

    Trusts are sorted by trust_code, so input row order never matters.
    ``included`` marks trusts with enough scored metrics to be ranked; the
    others are listed in ``exclusions`` with the reason. All trusts with a
    value take part in the peer ranking of each metric.
    """

    methodology: Methodology
    trust_type: str
    quarter: str
    trusts: pd.DataFrame            # trust_code, trust_name
    metrics: pd.DataFrame           # methodology.metrics(trust_type)
    values: np.ndarray              # (T, M), NaN where missing
    numerator: np.ndarray           # (T, M)
    denominator: np.ndarray         # (T, M)
    standard_error: np.ndarray      # (T, M)
    deficit: np.ndarray             # (T,) bool
    pip: np.ndarray                 # (T,) bool
    included: np.ndarray            # (T,) bool
    exclusions: pd.DataFrame = field(repr=False)

    @property
    def domain_keys(self) -> list[str]:
        return list(self.methodology.domains)

    @property
    def domain_codes(self) -> np.ndarray:
        keys = self.domain_keys
        return np.array([keys.index(d) for d in self.metrics["domain"]], dtype=int)

    def run(self, values: np.ndarray | None = None, **kwargs) -> dict[str, np.ndarray]:
        """:func:`run_pipeline` on this group's values (or on given replicate values)."""
        return run_pipeline(self.values if values is None else values, self, **kwargs)


def _checked_frame(data, what: str = "metrics") -> pd.DataFrame:
    """The rules work on tables already read and checked (they carry ``_row``, the file row).

    Reading a path or a raw DataFrame is the data wing's job: :func:`nhsrank.league_table`,
    :func:`nhsrank.peer_group` and the other public functions read their inputs first
    (:func:`nhsrank.data.inputs.as_metrics`).
    """
    if isinstance(data, pd.DataFrame) and "_row" in data.columns:
        return data
    reader = "nhsrank.read_metrics" if what == "metrics" else "nhsrank.read_attributes"
    raise TypeError(f"{what}: expected a table read by {reader} (a DataFrame with a _row column), got "
                    f"{type(data).__name__}; call {reader} first, or use the nhsrank.* function of the same name, "
                    "which reads paths and raw tables")


def resolve_quarter(data: pd.DataFrame, quarter: str | None, source: str | None = None) -> str:
    """The quarter to rank: the one asked for (which must be in the data), or the only one present."""
    source = source or data.attrs.get("source", "data")
    present = sorted(data["quarter"].dropna().unique())
    if quarter is None:
        if len(present) == 1:
            return present[0]
        raise InputError.from_records(source, [{"column": "quarter", "problem":
            f"the data hold {len(present)} quarters ({', '.join(present)}); choose one with quarter=... / --quarter"}])
    q = normalise_quarter(quarter)
    if q not in present:
        raise InputError.from_records(source, [{"column": "quarter", "problem":
            f"quarter {quarter!r} is not in the data; quarters present: {', '.join(present) or 'none'}"}])
    return q


def peer_group(data, quarter: str | None, trust_type: str, methodology="nof-2025-26",
               attributes=None) -> PeerGroup:
    """Build the arrays of one league table.

    Parameters
    ----------
    data : DataFrame from :func:`nhsrank.read_metrics` (``nhsrank.peer_group`` also takes a path)
    quarter : e.g. "2025-26-Q1" (None if the data hold a single quarter)
    trust_type : "acute", "non-acute" or "ambulance"
    methodology : id, path or :class:`Methodology`
    attributes : trust attributes (financial_deficit, pip) or None (no flags)
    """
    meth = load_methodology(methodology)
    data = _checked_frame(data)
    attrs = None if attributes is None else _checked_frame(attributes, "attributes")
    source = data.attrs.get("source", "data")
    q = resolve_quarter(data, quarter, source)
    spec = meth.metrics(trust_type)
    sub = data[(data["quarter"] == q) & (data["trust_type"] == trust_type)]
    check_metrics_for_methodology(sub, meth, source)
    trusts = (sub.groupby("trust_code", sort=True)["trust_name"].first().reset_index())
    codes = trusts["trust_code"].to_numpy()
    T, M = len(codes), len(spec)
    t_idx = pd.Index(codes).get_indexer(sub["trust_code"])
    m_idx = pd.Index(spec["metric_id"]).get_indexer(sub["metric_id"])

    def grid(col: str) -> np.ndarray:
        out = np.full((T, M), np.nan)
        out[t_idx, m_idx] = sub[col].to_numpy(dtype=float)
        return out

    values = grid("value")
    deficit = np.zeros(T, dtype=bool)
    pip = np.zeros(T, dtype=bool)
    if attrs is not None and T:
        a = attrs[(attrs["quarter"] == q) | attrs["quarter"].isna()]
        a = a.sort_values("quarter", na_position="first").drop_duplicates("trust_code", keep="last")
        a = a.set_index("trust_code")
        deficit = pd.Series(codes).map(a["financial_deficit"]).fillna(False).to_numpy(dtype=bool)
        pip = pd.Series(codes).map(a["pip"]).fillna(False).to_numpy(dtype=bool)
    n_scored = np.sum(~np.isnan(values), axis=1)
    min_m = meth.min_metrics(trust_type)
    included = n_scored >= min_m
    exclusions = trusts[~included].assign(trust_type=trust_type, quarter=q,
                                          n_metrics_scored=n_scored[~included])
    exclusions["reason"] = [
        f"only {n} of {M} metrics have a value; methodology {meth.id} needs at least {min_m}"
        for n in exclusions["n_metrics_scored"]
    ]
    exclusions = exclusions[["trust_code", "trust_name", "trust_type", "quarter", "n_metrics_scored", "reason"]]
    return PeerGroup(meth, trust_type, q, trusts, spec, values, grid("numerator"), grid("denominator"),
                     grid("standard_error"), deficit, pip, included, exclusions.reset_index(drop=True))


def run_pipeline(values: np.ndarray, group: PeerGroup, *, weights: np.ndarray | None = None,
                 metric_mask: np.ndarray | None = None, keep_scores: bool = True) -> dict[str, np.ndarray]:
    """Run the NOF rules on ``values`` of shape (..., trusts, metrics).

    Parameters
    ----------
    values : array (..., T, M)
    group : the :class:`PeerGroup` giving metrics, flags and included trusts
    weights : optional (..., 1, M) metric weights (mean_of_metrics only)
    metric_mask : optional bool (M,) or (..., 1, M): metrics to use (others dropped)
    keep_scores : return the (..., T, M) metric scores too

    Returns
    -------
    dict with "scores" (..., T, M) if kept, "average_metric_score",
    "segment_before_adjustment", "segment", "financial_override",
    "pip_override", "league_position" (each (..., T); NaN for excluded trusts).
    """
    meth = group.methodology
    scores = score_array(values, group.metrics)
    if metric_mask is not None:
        scores = np.where(metric_mask, scores, np.nan)
    avg = average_metric_score(scores, meth.aggregation, group.domain_codes, len(group.domain_keys), weights)
    avg = np.where(group.included, avg, np.nan)
    seg0 = segment(avg, meth.segmentation)
    seg, fin, pipf = apply_overrides(seg0, group.deficit, group.pip, meth.overrides)
    out = {
        "average_metric_score": avg,
        "segment_before_adjustment": seg0,
        "segment": seg,
        "financial_override": fin,
        "pip_override": pipf,
        "league_position": league_positions(seg, avg),
    }
    if keep_scores:
        out["scores"] = scores
    return out
