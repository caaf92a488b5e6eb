"""The whole NOF pipeline on arrays: score, average, segment, override, rank.

:func:`peer_group` turns a long data table into the arrays of one league table
(one trust type, one quarter); :func:`run_pipeline` runs the rules on those
arrays. Leading axes of ``values`` (bootstrap replicates) are carried through,
so the uncertainty engine re-runs the whole pipeline with one call per chunk.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError, InputWarning
from .checks import check_metrics_for_methodology
from .methodology import DEFAULT_METHODOLOGY, Methodology, load_methodology
from .quarters import normalise_quarter
from .scoring import BEST as BEST_SCORE
from .scoring import WORST as WORST_SCORE
from .scoring import average_metric_score, domain_means, round_half_even, round_half_up, score_array
from .segmentation import (
    apply_overrides,
    cut_points_from_segments,
    league_positions,
    ranked_segments,
    segment,
    threshold_segments,
)
from .trust_types import resolve_trust_type


@dataclass
class PeerGroup:
    """Arrays for one league table: one trust type in one quarter.

    Trusts are sorted by trust_code, so input row order never matters.
    ``included`` marks trusts with enough scored metrics to be ranked; the
    others are listed in ``exclusions`` with the reason. All trusts with a
    value take part in the peer ranking of each metric. Make one with
    :func:`peer_group`. T is the number of trusts, M of metrics.

    Parameters
    ----------
    methodology : Methodology
        The rules.
    trust_type : str
        The table's trust type ("acute", "non-acute", "ambulance").
    quarter : str
        The quarter, '2025-26-Q1' style.
    trusts : pandas.DataFrame
        trust_code and trust_name, one row per trust, sorted by trust_code.
    metrics : pandas.DataFrame
        The settings of the M metrics scored (:meth:`Methodology.metrics` plus those reported).
    values : numpy.ndarray
        Metric values (T, M), NaN where missing.
    numerator : numpy.ndarray
        Numerators (T, M), NaN where not published.
    denominator : numpy.ndarray
        Denominators (T, M), NaN where not published.
    standard_error : numpy.ndarray
        Standard errors (T, M), NaN where not published.
    deficit : numpy.ndarray
        Boolean (T,), True for a trust in financial deficit.
    pip : numpy.ndarray
        Boolean (T,), True for a trust in the Recovery Support Programme.
    included : numpy.ndarray
        Boolean (T,), True for a trust with enough scored metrics to be ranked.
    exclusions : pandas.DataFrame
        The trusts not ranked, with the reason (:data:`nhsrank.rules.EXCLUSION_COLUMNS`).
    published_scores : numpy.ndarray or None, default None
        NHS England's published metric scores (T, M), NaN where none.
    take_published : numpy.ndarray or None, default None
        Boolean (M,), True where a metric's score is taken from ``published_scores``
        (its pooled peers are not loaded).
    pool : numpy.ndarray or None, default None
        Values (P, M) of other trust types' providers that share a metric's peer group.
    cut_points : numpy.ndarray or None, default None
        Fixed segment cut points of this quarter (pooled or taken); None: the methodology's rule.
    provenance : dict, default {}
        Which figures were computed and which taken from the file, in words.
    count_cells : numpy.ndarray or None, default None
        Boolean (T, M), True where a value is published as a count in a rate metric.
    cut_sides : list of str or None, default None
        Per cut point, where a score equal to it goes ("lower"/"upper"); None: "lower".
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
    #: NHS England's published metric scores (T, M), NaN where none
    published_scores: np.ndarray | None = field(default=None, repr=False)
    #: (M,) True where the metric's score is taken from ``published_scores`` (pooled peers not loaded)
    take_published: np.ndarray | None = field(default=None, repr=False)
    #: (P, M) values of other trust types' providers that share a metric's peer group (peers: all_types)
    pool: np.ndarray | None = field(default=None, repr=False)
    #: fixed segment cut points of this quarter (pooled or taken), or None: the methodology's own rule
    cut_points: np.ndarray | None = None
    #: which figures were computed and which taken from the file, in words
    provenance: dict = field(default_factory=dict, repr=False)
    #: (T, M) True where a value is published as a count in a rate metric (scored by its count_rows)
    count_cells: np.ndarray | None = field(default=None, repr=False)
    #: per cut point, where a score equal to it goes ("lower"/"upper"); None: lower (cut points taken
    #: from published segments or given are the highest score of the better segment)
    cut_sides: list | None = None

    @property
    def average_weights(self) -> np.ndarray:
        """(M,) weight of each metric in the average (0 for metrics outside it)."""
        return (self.metrics["weight"].to_numpy(dtype=float) * self.metrics["in_average"].to_numpy(dtype=float)
                if "weight" in self.metrics else np.ones(len(self.metrics)))

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


def checked_frame(data, what: str = "metrics") -> pd.DataFrame:
    """``data`` itself if it is a table already read and checked (it carries ``_row``, the file row), else a
    TypeError saying which reader to call: the rules work on checked tables only.

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


def types_present(data: pd.DataFrame, quarter: str, methodology: Methodology) -> list[str]:
    """The trust types with data in ``quarter``: the methodology's, in its order, then any others."""
    here = set(data.loc[data["quarter"] == quarter, "trust_type"].dropna().astype(str))
    return [t for t in methodology.trust_types if t in here] + sorted(here - set(methodology.trust_types))


def resolve_quarter(data: pd.DataFrame, quarter: str | None, source: str | None = None) -> str:
    """The quarter to rank: the one asked for (which must be in the data), or the only one present.

    Parameters
    ----------
    data : pandas.DataFrame
        A table with a ``quarter`` column.
    quarter : str or None
        The quarter asked for, in any spelling :func:`normalise_quarter` reads; None: the only one.
    source : str or None, default None
        The file named in an error.

    Returns
    -------
    str
        The quarter, '2025-26-Q1' style.

    Raises
    ------
    nhsrank.errors.InputError
        If the quarter is not in the data, or none is given and the data hold several.
    """
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


def _warn_attribute_gaps(attrs: pd.DataFrame, q: str, trust_type: str, codes) -> None:
    """Warn when the attributes given hold no row for the quarter ranked, or none for some trusts."""
    here = attrs[(attrs["quarter"] == q) | attrs["quarter"].isna()]
    if here.empty:
        other = ", ".join(sorted(attrs["quarter"].dropna().astype(str).unique()))
        warnings.warn(f"the attributes give flags only for {other}, not for {q}, the quarter ranked: no "
                      f"{trust_type} trust is flagged (no financial-deficit cap, no segment 5); give "
                      f"attributes for {q}, or without a quarter column if they hold for every quarter",
                      InputWarning, stacklevel=4)
        return
    missing = sorted(set(map(str, codes)) - set(here["trust_code"].astype(str)))
    if missing:
        shown = ", ".join(missing[:10]) + (", ..." if len(missing) > 10 else "")
        warnings.warn(f"{len(missing)} {trust_type} trust(s) of {q} have no row in the attributes, so they are "
                      f"read as not in deficit and not in the Recovery Support Programme: {shown}",
                      InputWarning, stacklevel=4)


def peer_group(data, quarter: str | None = None, trust_type: str | None = None, methodology=DEFAULT_METHODOLOGY,
               attributes=None, cut_points=None) -> PeerGroup:
    """Build the arrays of one league table.

    Parameters
    ----------
    data : pandas.DataFrame
        The long metrics table from :func:`nhsrank.read_metrics` (``nhsrank.peer_group``
        also takes a path).
    quarter : str or None, default None
        The quarter, e.g. "2025-26-Q1"; None if the data hold a single quarter.
    trust_type : str or None, default None
        "acute", "non-acute" or "ambulance" (or NHS England's label, e.g. "Mental health and
        community trust"); None: the only trust type in the quarter. A type the quarter does
        not hold is an :class:`nhsrank.InputError` naming the types it holds.
    methodology : str, pathlib.Path or Methodology, default "nof-2025-26"
        Methodology id, YAML path or loaded methodology.
    attributes : pandas.DataFrame or None, default None
        Trust attributes (financial_deficit, pip); None: the flags NHS England published in
        the file (OF5004 deficit, OF5007 Recovery Support Programme) if any, else no flags.
    cut_points : sequence of float, "own" or None, default None
        The quarter's segment cut points (ascending, one fewer than segments); None: pooled
        quartiles of every trust type loaded, or with one trust type the cut points
        consistent with NHS England's published segments (OF5003), else the methodology's
        rule within the trust type; "own": always the methodology's rule.

    Returns
    -------
    PeerGroup
        The table's arrays. Its ``provenance`` says which figures are computed and which
        taken from the file (metric scores, cut points, flags).
    """
    meth = load_methodology(methodology)
    data = checked_frame(data)
    attrs = None if attributes is None else checked_frame(attributes, "attributes")
    source = data.attrs.get("source", "data")
    q = resolve_quarter(data, quarter, source)
    trust_type = resolve_trust_type(types_present(data, q, meth), trust_type, q, source)
    meth.trust_type(trust_type)  # a trust type the methodology has no table for: a clear error
    sub = data[(data["quarter"] == q) & (data["trust_type"] == trust_type)]
    check_metrics_for_methodology(sub, meth, source)
    # a trust is scored on every metric of the catalogue it reports, whatever its type: the
    # type's usual metrics and any other the type's trusts report this quarter, in catalogue order
    catalogue = meth.catalogue()
    usual = catalogue["reported_by"].map(lambda r: trust_type in r)
    spec = catalogue[usual | catalogue["metric_id"].isin(set(sub["metric_id"]))].reset_index(drop=True)
    names = sub.groupby("trust_code", sort=True)["trust_name"].first()
    # a new frame, not a slice of the data: the reader's metadata in ``data.attrs`` stays out of every result
    trusts = pd.DataFrame({"trust_code": names.index.to_numpy(), "trust_name": names.to_numpy()})
    codes = trusts["trust_code"].to_numpy()
    T, M = len(codes), len(spec)
    t_idx = pd.Index(codes).get_indexer(sub["trust_code"])
    m_idx = pd.Index(spec["metric_id"]).get_indexer(sub["metric_id"])

    provenance: dict[str, str] = {}

    def grid(col: str) -> np.ndarray:
        out = np.full((T, M), np.nan)
        out[t_idx, m_idx] = sub[col].to_numpy(dtype=float)
        return out

    values = grid("value")
    published = grid("published_score") if "published_score" in sub.columns else np.full((T, M), np.nan)
    loaded = set(data.loc[data["quarter"] == q, "trust_type"].dropna()) & set(meth.trust_types)
    others = sorted(loaded - {trust_type})
    ranked = (spec["scoring"] == "rank").to_numpy()
    pooled = ((spec["peers"] == "all_types").to_numpy() & ranked) if "peers" in spec else np.zeros(M, dtype=bool)
    if "published_rank" in sub.columns and T:
        # NHS England publishes values rounded to 2 dp, which creates ties it did not have; its
        # published within-type rank orders them. Break such ties by that rank (a shift of at most
        # T * 1e-9 cannot reorder distinct published values) for metrics ranked within the type.
        sub_rank = sub.assign(published_rank=pd.to_numeric(sub["published_rank"], errors="coerce"))
        rank = np.full((T, M), np.nan)
        rank[t_idx, m_idx] = sub_rank["published_rank"].to_numpy(dtype=float)
        # (also for pooled metrics that only this trust type reports: its rank is the full order)
        own_only = np.array([tuple(r) == (trust_type,) for r in spec["reported_by"]], dtype=bool)
        within = ranked & (~pooled | own_only) & ~np.all(np.isnan(rank), axis=0)
        if within.any():
            sign = np.where((spec["direction"] == "higher_is_better").to_numpy(), -1.0, 1.0)
            shift = np.where(within & ~np.isnan(rank), sign * np.nan_to_num(rank) * 1e-9, 0.0)
            # a value exactly at a standard or floor stays there (its score is set by the threshold)
            bounds = np.column_stack([spec["standard"].to_numpy(dtype=float), spec["floor"].to_numpy(dtype=float)])
            on_bound = np.zeros_like(values, dtype=bool)
            for k in range(bounds.shape[1]):
                on_bound |= np.isclose(values, bounds[None, :, k], rtol=0.0, atol=1e-12)
            values = values + np.where(on_bound, 0.0, shift)
            provenance["rank_ties"] = ("ties among the 2-dp published values of " + ", ".join(spec["metric_id"][within])
                                       + " ordered by NHS England's published rank")
    pool = None
    if pooled.any() and others:
        rest = data[(data["quarter"] == q) & data["trust_type"].isin(others)]
        rest = rest[rest["metric_id"].isin(spec["metric_id"][pooled])]
        p_codes = sorted(rest["trust_code"].unique())
        pool = np.full((len(p_codes), M), np.nan)
        pool[pd.Index(p_codes).get_indexer(rest["trust_code"]),
             pd.Index(spec["metric_id"]).get_indexer(rest["metric_id"])] = rest["value"].to_numpy(dtype=float)
        provenance["metric_scores"] = (f"computed; metrics with peers across trust types ranked among the "
                                       f"{trust_type} trusts and {len(p_codes)} providers of {', '.join(others)}")
    # a pooled metric's peers are every provider of the trust types that report it
    # (reported_by): with one of those types not loaded its score cannot be computed, so
    # NHS England's published score is taken where the file has one
    absent = [sorted(set(r) - loaded) for r in spec["reported_by"]]
    incomplete = pooled & np.array([bool(a) for a in absent], dtype=bool)
    has_published = ~np.all(np.isnan(published), axis=0)
    take = incomplete & has_published
    notes = []
    if take.any():
        missing_types = sorted({t for j in np.flatnonzero(take) for t in absent[j]})
        notes.append("taken from the file for " + ", ".join(spec["metric_id"][take]) + " (NHS England's "
                     "published scores: their peers include " + ", ".join(missing_types) + " providers, "
                     "which are not loaded)")
    guessed = incomplete & ~has_published & ~np.all(np.isnan(values), axis=0)
    if guessed.any():
        notes.append("computed among the loaded providers only for " + ", ".join(spec["metric_id"][guessed])
                     + " (their peers include trust types not loaded and the file publishes no score)")
    if notes:
        provenance["metric_scores"] = "; ".join(notes) + "; computed for the rest" + (
            provenance["metric_scores"][len("computed"):] if "metric_scores" in provenance else "")
    else:
        provenance.setdefault("metric_scores", "computed")
    if "value_from_published_score" in sub.columns and sub["value_from_published_score"].fillna(False).any():
        ids = sorted(sub.loc[sub["value_from_published_score"].fillna(False).astype(bool), "metric_id"].unique())
        provenance["metric_scores"] += ("; the bands of " + ", ".join(ids) + " are taken from the published "
                                        "score rows (no raw value is published)")
    deficit = np.zeros(T, dtype=bool)
    pip = np.zeros(T, dtype=bool)
    if attrs is None and T and "published_financial_deficit" in sub.columns:
        flags = sub.drop_duplicates("trust_code").set_index("trust_code")
        fd = pd.Series(codes).map(flags["published_financial_deficit"])
        rsp = (pd.Series(codes).map(flags["published_rsp"]) if "published_rsp" in flags
               else pd.Series(pd.NA, index=fd.index))
        deficit = fd.fillna(False).to_numpy(dtype=bool)
        pip = rsp.fillna(False).to_numpy(dtype=bool)
        provenance["flags"] = ("taken from the file: financial deficit OF5004"
                               + ("" if fd.notna().all() else f" (missing for {int(fd.isna().sum())} trust(s): "
                                  "read as not in deficit)")
                               + ("; Recovery Support Programme OF5007" if rsp.notna().any() else
                                  "; Recovery Support Programme flag (OF5007) not published for this quarter: "
                                  "no segment 5"))
    if attrs is not None and T:
        provenance["flags"] = "from the attributes given"
        _warn_attribute_gaps(attrs, q, trust_type, codes)
        a = attrs[(attrs["quarter"] == q) | attrs["quarter"].isna()]
        a = a.sort_values("quarter", na_position="first").drop_duplicates("trust_code", keep="last")
        a = a.set_index("trust_code")
        deficit = pd.Series(codes).map(a["financial_deficit"]).eq(True).to_numpy(dtype=bool)
        pip = pd.Series(codes).map(a["pip"]).eq(True).to_numpy(dtype=bool)
    elif attrs is None and T and "published_financial_deficit" not in sub.columns and any(
            ov.get("enabled", False) for ov in meth.overrides.values()):
        warnings.warn(f"no trust attributes were given and the data publish no flags: no financial-deficit "
                      f"cap and no segment-5 (Recovery Support Programme) override was applied to the "
                      f"{trust_type} table for {q}; pass attributes= (--attributes) to apply them",
                      InputWarning, stacklevel=3)
    n_scored = np.sum(~np.isnan(values), axis=1)
    min_m = meth.min_metrics(trust_type)
    # a trust whose only values are of metrics outside the average (raw values NHS England publishes
    # but does not average, OF0079/OF0081) has no average score: it cannot be ranked either
    in_avg = spec["in_average"].to_numpy(dtype=bool) if "in_average" in spec else np.ones(M, dtype=bool)
    n_in_average = np.sum(~np.isnan(values[:, in_avg]), axis=1)
    included = (n_scored >= min_m) & (n_in_average > 0)
    exclusions = trusts[~included].assign(trust_type=trust_type, quarter=q,
                                          n_metrics_scored=n_scored[~included])
    exclusions["reason"] = [
        f"only {n} of {M} metrics have a value; methodology {meth.id} needs at least {min_m}" if n < min_m
        else f"none of its {n} metric value(s) enters the average score (only metrics published but not averaged)"
        for n in exclusions["n_metrics_scored"]
    ]
    exclusions = exclusions[["trust_code", "trust_name", "trust_type", "quarter", "n_metrics_scored", "reason"]]
    count_cells = None
    if "units" in sub.columns and any(len(c) for c in spec["count_cutpoints"]):
        is_count = np.zeros((T, M), dtype=bool)
        is_count[t_idx, m_idx] = sub["units"].astype("string").str.strip().str.lower().eq("count").fillna(False)
        is_count &= np.array([len(c) > 0 for c in spec["count_cutpoints"]], dtype=bool)
        if is_count.any():
            count_cells = is_count
            provenance["count_rows"] = ("values published as counts (" + ", ".join(
                f"{spec['metric_id'][j]}: {int(is_count[:, j].sum())}" for j in np.flatnonzero(is_count.any(axis=0)))
                + ") scored by their count bands, apart from the ranking of the rates")
    group = PeerGroup(meth, trust_type, q, trusts, spec, values, grid("numerator"), grid("denominator"),
                      grid("standard_error"), deficit, pip, included, exclusions.reset_index(drop=True),
                      published, take, pool, None, provenance, count_cells)
    group.cut_points, provenance["cut_points"], group.cut_sides = _cut_points(group, data, others, attrs,
                                                                              cut_points, sub)
    return group


def _cut_points(group: PeerGroup, data: pd.DataFrame, others: list, attrs, cut_points, sub) -> tuple:
    """The quarter's fixed segment cut points, where they come from (see :func:`peer_group`) and which
    segment a score at a cut goes to (the methodology's ``at_cut`` for computed quartiles; None, the
    better one, for cut points given or taken: they are the highest score of the better segment)."""
    meth = group.methodology
    seg = meth.segmentation
    if cut_points is not None and not isinstance(cut_points, str):
        cp = np.asarray(cut_points, dtype=float)
        if cp.ndim != 1 or len(cp) != seg.get("n_segments", 4) - 1 or np.any(np.diff(cp) <= 0):
            raise ValueError(f"cut_points: need {seg.get('n_segments', 4) - 1} ascending numbers, "
                             f"got {list(np.atleast_1d(cp))}")
        return cp, "given: " + ", ".join(f"{c:g}" for c in cp), None
    if cut_points == "own" or seg.get("method") != "quantile" or seg.get("population", "trust_type") != "all_types":
        return None, f"the methodology's rule ({seg.get('method')}) within the {group.trust_type} trusts", None
    n_seg = seg.get("n_segments", 4)
    avg = run_pipeline(group.values, group, keep_scores=False, segments=False)["average_metric_score"]
    if others:
        pooled = [avg[~np.isnan(avg)]]
        for tt in others:
            with warnings.catch_warnings():  # the other types' flags do not enter the average: no warning
                warnings.simplefilter("ignore", InputWarning)
                g = peer_group(data, group.quarter, tt, meth, attrs, cut_points="own")
            a = run_pipeline(g.values, g, keep_scores=False, segments=False)["average_metric_score"]
            pooled.append(a[~np.isnan(a)])
        allv = np.concatenate(pooled)
        cp = np.quantile(allv, np.arange(1, n_seg) / n_seg)
        return cp, (f"computed: quartiles of the average scores of all {len(allv)} trusts loaded "
                    f"({group.trust_type}, {', '.join(others)}): " + ", ".join(f"{c:.4g}" for c in cp)), meth.at_cut
    if "published_segment" in sub.columns and sub["published_segment"].notna().any():
        pub = sub.drop_duplicates("trust_code").set_index("trust_code")["published_segment"]
        pseg = pd.Series(group.trusts["trust_code"]).map(pub).to_numpy(dtype=float)
        cp = cut_points_from_segments(avg, pseg, n_seg)
        return cp, ("taken: the cut points consistent with NHS England's published unadjusted segments "
                    "(OF5003; the quartiles are pooled over every trust type and only "
                    f"{group.trust_type} trusts are loaded): " + ", ".join(f"{c:.2f}" for c in cp)), None
    return None, (f"quartiles within the {group.trust_type} trusts: the methodology pools them over every trust "
                  "type, which are not all loaded, and the file publishes no segments (give cut_points= for "
                  "NHS England's)"), None


def domain_scores(group: PeerGroup, scores: np.ndarray) -> np.ndarray:
    """Domain scores (..., T, domains) from metric scores: the weighted mean of the scores that
    enter the average (the finance domain holds the combined finance score, not its two parts;
    the three infection metrics one third each), rounded like the average."""
    w = group.average_weights
    dm = domain_means(np.where(w > 0, scores, np.nan), group.domain_codes, len(group.domain_keys),
                      np.where(w > 0, w, 0.0))
    meth = group.methodology
    return round_half_even(dm, meth.average_decimals) if meth.average_decimals is not None else dm


def domain_cut_points(group: PeerGroup, data: pd.DataFrame, attributes=None) -> tuple:
    """Cut points of each domain's segments (domains, n_segments - 1), where they come from, and which
    segment a score at a cut goes to (``domain_at_cut`` for computed quartiles, else None: the better).

    The rule of the overall segments applied to each domain score (NHS England publishes a
    segment per domain, OF41xx): pooled quartiles of every trust type loaded; with one trust
    type loaded, the cut points consistent with the published domain segments; else the
    methodology's rule within the type (None: :func:`segment` per domain).
    """
    meth = group.methodology
    seg = meth.segmentation
    n_seg = int(seg.get("n_segments", 4))
    keys = group.domain_keys
    if seg.get("method") == "thresholds":
        th = np.asarray(seg["thresholds"], dtype=float)
        return np.tile(th, (len(keys), 1)), "the methodology's thresholds, applied to each domain score", None
    own = domain_scores(group, run_pipeline(group.values, group, segments=False)["scores"])
    own = np.where(group.included[:, None], own, np.nan)
    q = group.quarter
    loaded = sorted(set(data.loc[data["quarter"] == q, "trust_type"].dropna()) & set(meth.trust_types))
    others = [t for t in loaded if t != group.trust_type]
    if seg.get("population", "trust_type") == "all_types" and others:
        parts = [own]
        for tt in others:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", InputWarning)
                g = peer_group(data, q, tt, meth, attributes, cut_points="own")
            d = domain_scores(g, run_pipeline(g.values, g, segments=False)["scores"])
            parts.append(np.where(g.included[:, None], d, np.nan))
        allv = np.concatenate(parts, axis=0)
        cuts = np.vstack([np.nanquantile(allv[:, k], np.arange(1, n_seg) / n_seg) if np.any(~np.isnan(allv[:, k]))
                          else np.full(n_seg - 1, np.nan) for k in range(len(keys))])
        return cuts, (f"computed: quartiles of each domain score over all {allv.shape[0]} trusts loaded "
                      f"({', '.join(loaded)})"), meth.domain_at_cut
    ids = meth.published_domain_ids
    sub = data[(data["quarter"] == q) & (data["trust_type"] == group.trust_type)]
    cols = {k: f"published_OF41{ids[k][4:]}" for k in keys if k in ids}
    if cols and all(c in sub.columns for c in cols.values()) and any(sub[c].notna().any() for c in cols.values()):
        first = sub.drop_duplicates("trust_code").set_index("trust_code")
        codes = pd.Series(group.trusts["trust_code"])
        cuts = np.full((len(keys), n_seg - 1), np.nan)
        for k, key in enumerate(keys):
            if key in cols:
                pseg = codes.map(first[cols[key]]).to_numpy(dtype=float)
                ok = ~np.isnan(pseg) & ~np.isnan(own[:, k])
                if ok.any():
                    cuts[k] = cut_points_from_segments(own[ok, k], pseg[ok], n_seg)
        return cuts, ("taken: per domain, the cut points consistent with NHS England's published domain "
                      f"segments (OF41xx; only {group.trust_type} trusts are loaded)"), None
    return None, f"the methodology's rule ({seg.get('method')}) within the {group.trust_type} trusts", None


def run_pipeline(values: np.ndarray, group: PeerGroup, *, weights: np.ndarray | None = None,
                 metric_mask: np.ndarray | None = None, keep_scores: bool = True,
                 segments: bool = True) -> dict[str, np.ndarray]:
    """Run the NOF rules on ``values`` of shape (..., trusts, metrics).

    Parameters
    ----------
    values : numpy.ndarray
        Metric values, shape (..., T, M): leading axes are replicates.
    group : PeerGroup
        The table: metrics, flags and included trusts.
    weights : numpy.ndarray or None, default None
        Metric weights (..., 1, M) (mean_of_metrics only); None: the methodology's weights.
    metric_mask : numpy.ndarray or None, default None
        Boolean (M,) or (..., 1, M): the metrics to use (others dropped); None: all.
    keep_scores : bool, default True
        Return the (..., T, M) metric scores too.
    segments : bool, default True
        False: stop after the average (used to work out cut points).

    Returns
    -------
    dict of str to numpy.ndarray
        "scores" (..., T, M) if kept, and "average_metric_score",
        "segment_before_adjustment", "segment", "financial_override", "pip_override",
        "league_position" (competition rank on the segment the methodology's
        ``league_position.segment`` names, then the average), each (..., T), NaN for
        excluded trusts. With ``segments=False`` only "average_metric_score" (and "scores").
    """
    meth = group.methodology
    scores = score_array(values, group.metrics, group.pool, group.count_cells)
    if meth.score_decimals is not None:
        scores = round_half_up(scores, meth.score_decimals)
    if group.take_published is not None and group.take_published.any():
        scores = np.where(group.take_published, group.published_scores, scores)
    if metric_mask is not None:
        scores = np.where(metric_mask, scores, np.nan)
    w = group.average_weights
    if weights is not None:
        w = w * np.asarray(weights, dtype=float)
    avg = average_metric_score(scores, meth.aggregation, group.domain_codes, len(group.domain_keys),
                               None if np.all(w == 1.0) else w)
    if meth.average_decimals is not None:
        # decimal half-even (round_half_even): 232 of 244 published averages exactly, all within 0.01
        avg = round_half_even(avg, meth.average_decimals)
    avg = np.where(group.included, avg, np.nan)
    if not segments:
        return {"average_metric_score": avg, **({"scores": scores} if keep_scores else {})}
    seg0 = (threshold_segments(avg, group.cut_points, group.cut_sides) if group.cut_points is not None
            else segment(avg, meth.segmentation))
    seg, fin, pipf = apply_overrides(seg0, group.deficit, group.pip, meth.overrides)
    ranked = ranked_segments(seg0, seg, group.deficit, meth.overrides, meth.position_segment)
    out = {
        "average_metric_score": avg,
        "segment_before_adjustment": seg0,
        "segment": seg,
        "financial_override": fin,
        "pip_override": pipf,
        "league_position": league_positions(ranked, avg),
    }
    if keep_scores:
        out["scores"] = scores
    return out


#: keys of missing values in :class:`ReplicatePipeline` start here (finite, so argsort takes its fast path)
_HUGE = 1e300


class ReplicatePipeline:
    """:func:`run_pipeline` for stacks of replicates, laid out for speed: values (R, M, T).

    The bootstrap redraws every metric value thousands of times; scoring ranks
    trusts within each metric, so the values are kept metric-major (each
    metric's trusts contiguous) and sorted along contiguous memory, with NaN
    (a trust without the metric: the same in every replicate) read as distinct
    huge finite keys after every value, so NumPy's argsort takes its fast path
    and never sees a tie among them. A plain rank metric's score depends
    only on the trust's place in that order and on how many trusts have a
    value, so the (rounded) score of each place is worked out once per metric
    and scattered through the order. Metrics whose values do not move
    (``moving`` False: not resampled, or taken from the file) keep their
    observed scores. Everything else (other scoring rules, segments, overrides,
    positions) runs the same functions as :func:`run_pipeline`, and the
    results equal :func:`run_pipeline`'s (tests/test_performance_paths.py).
    Providers of other trust types pooled in a metric's peers (fixed values)
    count by binary search. Groups with values of 1e297 or more (infinite, say)
    run :func:`run_pipeline` itself.

    Parameters
    ----------
    group : PeerGroup
    moving : optional bool (M,): metrics whose values can differ between
        replicates (default: all)

    Examples
    --------
    >>> import nhsrank
    >>> g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    >>> vals = np.repeat(g.values.T[None], 3, axis=0)          # 3 replicates, (R, M, T)
    >>> out = ReplicatePipeline(g)(vals)
    >>> bool(np.array_equal(out["league_position"][0], g.run()["league_position"], equal_nan=True))
    True
    """

    def __init__(self, group: PeerGroup, moving: np.ndarray | None = None):
        self.group = group
        meth = group.methodology
        spec = group.metrics
        T, M = group.values.shape
        moving = np.ones(M, dtype=bool) if moving is None else np.asarray(moving, dtype=bool).copy()
        if group.take_published is not None:
            moving &= ~group.take_published
        observed = run_pipeline(group.values, group, keep_scores=True)
        self.observed_scores = np.ascontiguousarray(observed["scores"].T)        # (M, T)
        scoring = spec["scoring"].to_numpy()
        ties = spec["ties"].to_numpy() if "ties" in spec else np.full(M, "mean")
        plain = scoring == "rank"
        for col in ("floor", "standard"):
            if col in spec:
                plain &= np.isnan(spec[col].to_numpy(dtype=float))
        # values beyond _HUGE would sort after the keys of missing values: the general pipeline handles them
        self.generic = bool((np.abs(group.values[~np.isnan(group.values)]) >= _HUGE / 1e3).any())
        pool = (np.full((0, M), np.nan) if group.pool is None or not np.size(group.pool)
                else np.asarray(group.pool, dtype=float))
        self.pool = None if not np.size(pool) else pool
        have = ~np.isnan(group.values.T)                                          # (M, T)
        self.moving = moving
        # plain rank metrics with ties="best" (competition ranks) go through the score table
        self.rank_cols = np.flatnonzero(moving & plain & (ties == "best"))
        self.other_cols = np.flatnonzero(moving & ~np.isin(np.arange(M), self.rank_cols))
        self.hib = (spec["direction"] == "higher_is_better").to_numpy()[self.rank_cols]
        self.nan_key = ~have[self.rank_cols]                                      # (Mr, T)
        self.sign = np.where(self.hib, -1.0, 1.0)[:, None]
        self.nan_fill = np.broadcast_to(_HUGE * (1.0 + np.arange(T) / T), (len(self.rank_cols), T))
        # providers of other trust types in a metric's peers (fixed values): each trust's competition rank
        # adds the number of them strictly better, found by binary search in their sorted values
        self.pool_sorted = {}
        for i, j in enumerate(self.rank_cols):
            pv = pool[:, j][~np.isnan(pool[:, j])]
            if pv.size:
                self.pool_sorted[i] = np.sort(-pv if self.hib[i] else pv)
        n_valid = have[self.rank_cols].sum(axis=1) + np.array(
            [self.pool_sorted[i].size if i in self.pool_sorted else 0 for i in range(len(self.rank_cols))], dtype=int)
        # score of the trust with competition rank k + 1 of each rank metric, as rank_scores + rounding give it
        W = T + pool.shape[0] + 1
        ranks = np.arange(1, W + 1, dtype=float)
        table = np.full((len(self.rank_cols), W), np.nan)
        for i, n in enumerate(n_valid):
            with np.errstate(invalid="ignore", divide="ignore"):
                sc = BEST_SCORE + (WORST_SCORE - BEST_SCORE) * (ranks[:n] - 1.0) / (n - 1.0)
            sc = np.where(n == 1, (BEST_SCORE + WORST_SCORE) / 2, sc)
            table[i, :n] = round_half_up(sc, meth.score_decimals) if meth.score_decimals is not None else sc
        self.table = table
        self._cache: dict = {}
        # weighted by the metric's weight in the average, 0 past the last trust with a value: summed directly
        self.table_w0 = np.nan_to_num(table * group.average_weights[self.rank_cols][:, None], nan=0.0)
        self.have = have.astype(float)
        # rank metrics with a floor or a standard (ties="best", no pooled providers, no values published as
        # counts): sorted once per replicate like the others, their scores worked out from each trust's
        # place and the number of trusts past the floor or at the standard (_bookend_block)
        floor_v = spec["floor"].to_numpy(dtype=float) if "floor" in spec else np.full(M, np.nan)
        std_v = spec["standard"].to_numpy(dtype=float) if "standard" in spec else np.full(M, np.nan)
        thr = np.where(np.isnan(floor_v), std_v, floor_v)
        counts = (np.zeros((T, M), dtype=bool) if group.count_cells is None
                  else np.asarray(group.count_cells, dtype=bool))
        book = (scoring == "rank") & (ties == "best") & ~np.isnan(thr) & (np.abs(np.nan_to_num(thr)) < _HUGE / 1e3)
        book &= ~counts.any(axis=0)
        in_other = np.isin(np.arange(M), self.other_cols)
        self.book_cols = np.flatnonzero(book & in_other)
        self.slow_cols = np.flatnonzero(~book & in_other)
        self.book_pos = np.searchsorted(self.other_cols, self.book_cols)
        self.slow_pos = np.searchsorted(self.other_cols, self.slow_cols)
        b_hib = (spec["direction"] == "higher_is_better").to_numpy()[self.book_cols]
        self.book_sign = np.where(b_hib, -1.0, 1.0)[:, None]
        # a value is past the floor (or meets the standard) when its key (smaller is better) is at most this
        self.book_thr = np.where(b_hib, -thr[self.book_cols], thr[self.book_cols])[:, None]
        self.book_floor_rows = np.flatnonzero(~np.isnan(floor_v[self.book_cols]))
        self.book_std_rows = np.flatnonzero(np.isnan(floor_v[self.book_cols]))
        self.book_nan_key = ~have[self.book_cols]
        self.book_nan_fill = np.broadcast_to(_HUGE * (1.0 + np.arange(T) / T), (len(self.book_cols), T))
        # providers of other trust types in the peers (fixed values): sorted keys, how many are past the floor
        # or meet the standard, and how many there are
        self.book_pool = {}
        n_pool = np.zeros(len(self.book_cols), dtype=int)
        for i, j in enumerate(self.book_cols):
            pv = pool[:, j][~np.isnan(pool[:, j])]
            if pv.size:
                pk = np.sort(-pv if b_hib[i] else pv)
                self.book_pool[i] = (pk, int(np.sum(pk <= self.book_thr[i, 0])))
                n_pool[i] = pv.size
        self.book_n = have[self.book_cols].sum(axis=1)[:, None]
        self.book_n_all = self.book_n + n_pool[:, None]

    def _rank_block(self, values: np.ndarray, table: np.ndarray) -> np.ndarray:
        """(R, Mr, T): the entry of ``table`` (Mr, W) for each trust's competition rank in each rank metric."""
        T = values.shape[-1]
        key = np.take(values, self.rank_cols, axis=1)          # a C-contiguous copy: oriented and sorted in place
        if self.hib.any():
            key *= self.sign                                    # smaller is better (-1 * x is exactly -x)
        if self.nan_key.any():
            # a missing value sorts last, after every real value, each at its own place (never a tie):
            # distinct huge finite keys, so argsort takes its fast path (no NaN)
            np.copyto(key, self.nan_fill, where=self.nan_key)
        R, Mr = key.shape[:2]
        order = np.argsort(key, axis=-1)
        order += self._cached("offsets", R, lambda: (np.arange(R * Mr) * T).reshape(R, Mr, 1))
        flat = order.reshape(-1)                                # flat positions: one fast 1-D take and put
        xs = np.take(key.reshape(-1), flat).reshape(key.shape)
        first = np.ones(xs.shape, dtype=bool)                   # the first place of each block of equal keys
        np.not_equal(xs[..., 1:], xs[..., :-1], out=first[..., 1:])
        out = key                                               # reuse the buffer: key is not needed after xs
        if not first.all():
            # a tie block takes the competition rank of its first place (ties="best")
            idx = np.where(first, np.arange(T), 0)
            np.maximum.accumulate(idx, axis=-1, out=idx)
            for i, pv in self.pool_sorted.items():
                idx[:, i, :] += np.searchsorted(pv, xs[:, i, :], side="left")
            W = table.shape[1]
            np.minimum(idx, W - 1, out=idx)
            idx += (np.arange(Mr) * W)[:, None]                # flat positions in the table: one fast take
            out.reshape(-1)[flat] = np.take(table.reshape(-1), idx.reshape(-1))
            return out
        out.reshape(-1)[flat] = self._cached(id(table), R, lambda: np.broadcast_to(table[:, :T], (R, Mr, T)).copy()
                                             ).reshape(-1)
        for i, pv in self.pool_sorted.items():
            # providers of other types strictly better move the rank down
            idx = np.searchsorted(pv, xs[:, i, :], side="left")
            idx += np.arange(T)
            np.minimum(idx, table.shape[1] - 1, out=idx)
            out.reshape(-1)[order[:, i, :].reshape(-1)] = table[i][idx].reshape(-1)
        return out

    def _cached(self, what, n: int, make):
        """An array that depends only on the replicate count (kept for the chunks of a bootstrap)."""
        key = (what, n)
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def _bookend_block(self, values: np.ndarray) -> np.ndarray:
        """(R, Mb, T) scores of the rank metrics with a floor or a standard, as :func:`bookend_scores` gives
        them (ties="best"): one sort per metric and replicate; a trust's competition rank among the trusts
        on its side of the floor or standard is its place in the order less the number before that side."""
        T = values.shape[-1]
        key = np.take(values, self.book_cols, axis=1)
        key *= self.book_sign                                  # smaller is better (-1 * x is exactly -x)
        if self.book_nan_key.any():
            np.copyto(key, self.book_nan_fill, where=self.book_nan_key)
        R, Mb = key.shape[:2]
        order = np.argsort(key, axis=-1)
        order += self._cached("book_offsets", R, lambda: (np.arange(R * Mb) * T).reshape(R, Mb, 1))
        flat = order.reshape(-1)
        xs = np.take(key.reshape(-1), flat).reshape(key.shape)
        place = np.arange(T)
        first = np.ones(xs.shape, dtype=bool)
        np.not_equal(xs[..., 1:], xs[..., :-1], out=first[..., 1:])
        idx = np.where(first, place, 0)
        np.maximum.accumulate(idx, axis=-1, out=idx)              # competition rank - 1 among all trusts
        m = np.sum(xs <= self.book_thr, axis=-1, keepdims=True)   # past the floor / meeting the standard
        if self.book_pool:
            # with providers of other types: own trusts before the side (m) and strictly better (idx) count
            # them too; idx - m (the rank on the far side of a standard) counts those on that side alone
            m = np.broadcast_to(m, m.shape).copy()
            for i, (pk, m_pool) in self.book_pool.items():
                idx[:, i, :] += np.searchsorted(pk, xs[:, i, :], side="left")
                m[:, i] += m_pool
        sc = np.empty(xs.shape)
        with np.errstate(invalid="ignore", divide="ignore"):
            # the arithmetic of rank_scores, in its order (bit for bit): low + (high - low) * (r - 1) / (n - 1)
            for rows, floor in ((self.book_floor_rows, True), (self.book_std_rows, False)):
                if not rows.size:
                    continue
                i_, m_ = (idx, m) if rows.size == Mb else (idx[:, rows], m[:, rows])
                pl = i_ < m_                                  # an own trust before the side: at or past it
                if floor:
                    # the m trusts past the floor spread over 1.00-3.00 by rank among themselves, the rest 4.00
                    a = i_.astype(float)
                    a *= 3.0 - BEST_SCORE
                    a /= m_ - 1.0
                    a += BEST_SCORE
                    np.copyto(a, (BEST_SCORE + 3.0) / 2, where=m_ == 1)
                    np.copyto(a, WORST_SCORE, where=~pl)
                else:
                    # the m trusts meeting the standard score 1.00, the rest spread over 2.00-4.00
                    a = (i_ - m_).astype(float)
                    n_s = self.book_n_all[rows] - m_
                    a *= WORST_SCORE - 2.0
                    a /= n_s - 1.0
                    a += 2.0
                    np.copyto(a, (2.0 + WORST_SCORE) / 2, where=n_s == 1)
                    np.copyto(a, BEST_SCORE, where=pl)
                if rows.size == Mb:
                    sc = a
                else:
                    sc[:, rows] = a
        np.copyto(sc, np.nan, where=place >= self.book_n)
        if self.group.methodology.score_decimals is not None:
            sc = round_half_up(sc, self.group.methodology.score_decimals)
        out = key                                              # reuse the buffer: key is not needed after xs
        out.reshape(-1)[flat] = sc.reshape(-1)
        return out

    def _other_scores(self, values: np.ndarray) -> np.ndarray:
        """(R, Mo, T) scores of the moving metrics outside the score table (NaN where no value)."""
        if not self.slow_cols.size:
            return self._bookend_block(values)
        vals = values[:, self.slow_cols, :].transpose(0, 2, 1)
        s = score_array(vals, self.group.metrics.iloc[self.slow_cols],
                        None if self.pool is None else self.pool[:, self.slow_cols],
                        None if self.group.count_cells is None else self.group.count_cells[:, self.slow_cols])
        if self.group.methodology.score_decimals is not None:
            s = round_half_up(s, self.group.methodology.score_decimals)
        if not self.book_cols.size:
            return s.transpose(0, 2, 1)
        out = np.empty((values.shape[0], self.other_cols.size, values.shape[-1]))
        out[:, self.slow_pos] = s.transpose(0, 2, 1)
        out[:, self.book_pos] = self._bookend_block(values)
        return out

    def scores(self, values: np.ndarray) -> np.ndarray:
        """Metric scores (R, M, T) of replicate values (R, M, T), NaN where a trust has no value."""
        R, M, T = values.shape
        out = np.empty((R, M, T))
        out[:] = self.observed_scores
        if self.rank_cols.size:
            out[:, self.rank_cols, :] = self._rank_block(values, self.table)
        if self.other_cols.size:
            out[:, self.other_cols, :] = self._other_scores(values)
        return out

    def __call__(self, values: np.ndarray | None, weights: np.ndarray | None = None, *,
                 average_only: bool = False) -> dict[str, np.ndarray]:
        """Average, segments and positions (each (R, T)) of replicate values (R, M, T).

        ``values`` None: the observed values in every replicate (only ``weights`` (R, M) vary);
        ``weights`` (R, M): metric weights per replicate (times the methodology's);
        ``average_only``: the average metric score alone (no segments or positions).
        """
        g, meth = self.group, self.group.methodology
        if self.generic:
            vals = g.values[None] if values is None else values.transpose(0, 2, 1)
            w = None if weights is None else np.asarray(weights)[:, None, :]
            out = run_pipeline(vals, g, weights=w, keep_scores=False)
            return {"average_metric_score": out["average_metric_score"]} if average_only else out
        w_avg = g.average_weights
        if meth.aggregation != "mean_of_metrics" or meth.average_decimals is None:
            # without rounding of the average, sum in run_pipeline's order (bit for bit)
            sc = self.observed_scores[None] if values is None else self.scores(values)
            w = (None if weights is None and np.all(w_avg == 1.0) else
                 (w_avg if weights is None else np.asarray(weights, dtype=float) * w_avg)[..., None, :])
            avg = average_metric_score(sc.transpose(0, 2, 1), meth.aggregation, g.domain_codes,
                                       len(g.domain_keys), w)
            if meth.average_decimals is not None:
                avg = round_half_even(avg, meth.average_decimals)
        else:
            # the average is rounded (to 2 dp), so the order of the sum cannot change it
            obs0 = np.nan_to_num(self.observed_scores, nan=0.0)
            if weights is None:
                fixed = np.setdiff1d(np.arange(len(w_avg)), np.concatenate([self.rank_cols, self.other_cols]))
                num = w_avg[fixed] @ obs0[fixed]                                       # (T,)
                if values is not None and self.rank_cols.size:
                    num = self._rank_block(values, self.table_w0).sum(axis=1) + num
                if values is not None and self.other_cols.size:
                    num = num + np.einsum("m,rmt->rt", w_avg[self.other_cols],
                                          np.nan_to_num(self._other_scores(values), nan=0.0))
                num = np.broadcast_to(num, (1 if values is None else len(values), len(num)) if num.ndim == 1
                                      else num.shape)
                den = w_avg @ self.have
            else:
                w = np.asarray(weights, dtype=float) * w_avg                          # (R, M)
                sc = obs0[None] if values is None else np.nan_to_num(self.scores(values), nan=0.0)
                num = np.einsum("rm,rmt->rt", w, np.broadcast_to(sc, (len(w),) + sc.shape[1:]))
                den = w @ self.have
            with np.errstate(invalid="ignore", divide="ignore"):
                avg = np.where(den > 0, num / den, np.nan)
            avg = round_half_even(avg, meth.average_decimals)
        avg = np.where(g.included, avg, np.nan)
        if avg.ndim == 1:
            avg = avg[None]
        if average_only:
            return {"average_metric_score": avg}
        seg0 = (threshold_segments(avg, g.cut_points, g.cut_sides) if g.cut_points is not None
                else segment(avg, meth.segmentation))
        seg, _, _ = apply_overrides(seg0, g.deficit, g.pip, meth.overrides)
        ranked = ranked_segments(seg0, seg, g.deficit, meth.overrides, meth.position_segment)
        return {"average_metric_score": avg, "segment_before_adjustment": seg0, "segment": seg,
                "league_position": league_positions(ranked, avg)}
