"""Moving between segments: distance to the next segment, and quarter-on-quarter movement.

* :func:`distance_to_next_segment` — how far each trust's average metric
  score is from the next segment up, and the single metric whose improvement
  to the peer median would get it there, if any.
* :func:`segment_transitions` — the segment transition matrix between two
  quarters (every trust counted, including those not ranked or absent).
* :func:`quarter_movement` — for each trust, whether its change in average
  score and in league position between two quarters exceeds the bootstrap
  noise (:mod:`nhsrank.uncertainty`).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._docs import shared_docs
from ._result import TableResult, about
from ..data.inputs import as_attributes, as_metrics, peer_group
from ..rules.methodology import DEFAULT_METHODOLOGY
from ..rules.pipeline import PeerGroup, run_pipeline
from ..rules.segmentation import SCORE_DECIMALS
from ..uncertainty.bootstrap import bootstrap, cached_bootstrap
from ..uncertainty.likely_range import score_bootstrap
from ..uncertainty.sources import common_sources, not_meaningful, redrawn_trusts, resampled_text
from .variants import as_group


@dataclass(frozen=True)
class SegmentTransitions:
    """Trusts by segment in one quarter against the next: :func:`segment_transitions`'s result.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Counts, rows (earlier quarter) and columns (later quarter) labelled "1".."5",
        "not ranked", "absent" (those that occur).
    trusts : pandas.DataFrame
        One row per trust: trust_code, trust_name, segment_from, segment_to, movement ("up",
        "down", "same" or "n/a").
    counts : pandas.Series
        Trusts per movement, indexed "up", "same", "down", "n/a".
    quarter_from : str
        The earlier quarter.
    quarter_to : str
        The later quarter.
    exclusions : pandas.DataFrame
        The trusts not ranked in either quarter, with the reason.

    Examples
    --------
    >>> import nhsrank
    >>> ae = nhsrank.read_ae_attendances()
    >>> m = segment_transitions(ae, "2018-19-Q3", "2018-19-Q4", "acute", "ae-4hr")
    >>> int(m.matrix.to_numpy().sum()) == len(m.trusts) == int(m.summary().sum())
    True
    """

    matrix: pd.DataFrame
    trusts: pd.DataFrame
    counts: pd.Series
    quarter_from: str
    quarter_to: str
    exclusions: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The per-trust table (a copy)."""
        return self.trusts.copy()

    def summary(self) -> pd.Series:
        """Trusts per movement ("up", "same", "down", "n/a")."""
        return self.counts.copy()


@shared_docs
@dataclass(frozen=True)
class SegmentDistance(TableResult):
    """How far each ranked trust is from the next segment up: :func:`distance_to_next_segment`'s result.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per ranked trust in league order: trust_code, trust_name, segment (final),
        segment_before_adjustment, league_position, average_metric_score, next_segment (the
        segment above; <NA> when the trust cannot move up by score), target_score (the highest
        average metric score that reaches it, others fixed), improvement_needed
        (average_metric_score - target_score), metric_to_median (the metric whose move to the
        peer median reaches the next segment with the least change of its own metric score),
        metric_score_change (that change), metrics_to_median (every such metric,
        comma-separated), status ("can move up", or why not).
    {result_fields}
    cut_points : list of float or None
        The quarter's fixed cut points that ``target_score`` is taken from; None where the
        target comes from the trusts' own scores (quantiles within the table) or thresholds.
    target : str
        Where the cut points come from ("" when there are none).

    Examples
    --------
    >>> import nhsrank
    >>> ae = nhsrank.read_ae_attendances()
    >>> d = distance_to_next_segment(ae, "2018-19-Q4", "acute", "ae-4hr")
    >>> int(d.summary().sum()) == len(d.table), d.cut_points
    (True, None)
    """

    cut_points: list | None
    target: str

    def summary(self) -> pd.Series:
        """Ranked trusts per status ("can move up", "already in segment 1", ...), most common first."""
        return self.table["status"].value_counts()


@dataclass(frozen=True)
class QuarterMovement:
    """Which trusts changed beyond the noise between two quarters: :func:`quarter_movement`'s result.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per trust present in either quarter: trust_code, trust_name; score_from,
        score_to (average metric score), score_change with its interval score_change_lo,
        score_change_hi and score_change_exceeds_noise (boolean; <NA> without a verdict);
        position_from, position_to, position_change (negative = up) with position_change_lo,
        position_change_hi, position_change_exceeds_noise; segment_from, segment_to;
        likely_position_from_lower/upper and likely_position_to_lower/upper (each quarter's
        likely range of position); status ("ranked in both", or why not: such trusts have
        empty changes).
    exclusions : pandas.DataFrame
        The trusts not ranked in either quarter, with the reason.
    methodology : str
        The methodology's id.
    trust_type : str
        The tables' trust type.
    quarter_from : str
        The earlier quarter.
    quarter_to : str
        The later quarter.
    level : float
        Confidence level of the intervals.
    sources : tuple of str
        The sources of uncertainty resampled (("given",) for replicates passed in).
    resampled : str
        What was resampled, as a sentence.
    not_meaningful : str
        Why the bootstrap was not run on these data ("" when it was).

    Examples
    --------
    >>> import nhsrank
    >>> from nhsrank.data.readers import DATA_DIR
    >>> m = nhsrank.read_metrics(DATA_DIR / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv")
    >>> qm = quarter_movement(m, "2025-26-Q3", "2025-26-Q4", n_boot=100, seed=1)
    >>> qm.sources, qm.quarter_to, len(qm.to_frame()) == len(qm.table)
    (('scores',), '2025-26-Q4', True)
    """

    table: pd.DataFrame
    exclusions: pd.DataFrame
    methodology: str
    trust_type: str
    quarter_from: str
    quarter_to: str
    level: float
    sources: tuple
    resampled: str
    not_meaningful: str

    def to_frame(self) -> pd.DataFrame:
        """The per-trust table (a copy), as a plain DataFrame."""
        return self.table.copy()

    def summary(self) -> str:
        """What was found, in words: :func:`movement_sentence`."""
        return movement_sentence(self)


NOT_RANKED = "not ranked"
ABSENT = "absent"


def _target_score(avg: np.ndarray, i: int, goal: int, segmentation: dict, cut_points=None, at_cut=None,
                  step: float = 0.01) -> float:
    """Highest average score that puts trust ``i`` in segment ``goal`` or better, others fixed.

    ``cut_points``: the quarter's fixed cut points (pooled over every trust type, or taken from NHS
    England's published segments) where the table is segmented by them: the cut point itself, or one
    ``step`` (the averages' rounding) below it where a score at the cut goes to the worse segment
    (``at_cut`` "upper", NOF 2025/26's median).

    Examples
    --------
    >>> _target_score(np.array([2.2]), 0, 1, {}, [2.02, 2.29, 2.57]), _target_score(np.array([2.4]), 0, 2, {},
    ...     [2.02, 2.29, 2.57], ["lower", "upper", "lower"])
    (2.02, 2.28)
    """
    if cut_points is not None:
        cut = float(np.asarray(cut_points, dtype=float)[goal - 1])
        upper = at_cut is not None and at_cut[goal - 1] == "upper"
        return round(cut - step, 10) if upper else cut
    if segmentation.get("method") == "thresholds":
        return float(segmentation["thresholds"][goal - 1])
    k = int(segmentation.get("n_segments", 4))
    ranked = ~np.isnan(avg)
    n = int(ranked.sum())
    others = np.sort(np.round(np.delete(avg, i)[np.delete(ranked, i)], SCORE_DECIMALS))
    # competition rank r goes to segment floor(k (r - 1) / n) + 1 <= goal  <=>  r <= ceil(goal n / k);
    # with score a the rank is 1 + #(others < a), so a may equal the r_max-th smallest other score
    r_max = int(np.ceil(goal * n / k - 1e-12))
    return float(others[r_max - 1])


@shared_docs
def distance_to_next_segment(data, quarter=None, trust_type: str | None = None, methodology=DEFAULT_METHODOLOGY,
                             attributes=None, *, chunk: int = 16) -> SegmentDistance:
    """For each trust, the smallest improvement that moves it up a segment.

    The next segment up is ``segment - 1`` (final segment, after the
    overrides). ``target_score`` is the highest average metric score that
    would put the trust there if every other trust kept its score: the cut
    point that separates the two segments where the table is segmented by the
    quarter's fixed cut points (pooled over every trust type, or taken from NHS
    England's published segments: ``PeerGroup.cut_points``); the threshold under
    a threshold rule; under quartiles within the table, the score of the trust at
    the boundary (ties sharing the better segment). ``improvement_needed =
    average_metric_score - target_score``; the result's ``cut_points`` says which. Then each metric on which the trust
    is worse than the peer median is, one at a time, set to the peer median
    and the whole table re-ranked (other trusts' rank scores shift too);
    ``metrics_to_median`` lists those that would move the trust up a segment,
    ``metric_to_median`` the one whose own metric score changes least.

    A trust in segment 1, in the Provider Improvement Programme (segment 5
    is set, not scored), or in deficit and already at the cap (segment 3
    with the financial override on) cannot move up by score: ``status`` says
    which and the numbers are empty.

    Parameters
    ----------
    {table_parameters}
    chunk : int, default 16
        Trusts re-ranked per vectorised step (memory against speed).

    Returns
    -------
    SegmentDistance
        ``table``: one row per ranked trust in league order: trust_code, trust_name, segment,
        segment_before_adjustment, league_position, average_metric_score, next_segment,
        target_score, improvement_needed, metric_to_median, metric_score_change (of that
        metric), metrics_to_median (comma-separated), status; ``cut_points``, ``target``,
        exclusions (the trusts not ranked) and the table's methodology, quarter, trust type.

    Examples
    --------
    >>> import nhsrank
    >>> ae = nhsrank.read_ae_attendances()
    >>> d = distance_to_next_segment(ae, "2018-19-Q4", "acute", "ae-4hr").table
    >>> bool((d["improvement_needed"].dropna() >= 0).all())
    True
    """
    group = as_group(data, quarter, trust_type, methodology, attributes)
    meth = group.methodology
    res = group.run()
    avg, seg0, seg = res["average_metric_score"], res["segment_before_adjustment"], res["segment"]
    inc = group.included
    ov = meth.overrides
    fin_on = ov.get("financial_deficit", {}).get("enabled", False)
    cap = ov.get("financial_deficit", {}).get("cap_segment", 0)
    T, M = group.values.shape
    hib = (group.metrics["direction"] == "higher_is_better").to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # metrics nobody reports
        median = np.nanmedian(group.values, axis=0)
    worse = np.where(hib, group.values < median, group.values > median)   # NaN compares False

    rows = []
    todo = []   # (trust index, goal)
    for i in np.flatnonzero(inc):
        row = {"trust_code": group.trusts["trust_code"].iat[i], "trust_name": group.trusts["trust_name"].iat[i],
               "segment": int(seg[i]), "segment_before_adjustment": int(seg0[i]),
               "league_position": int(res["league_position"][i]), "average_metric_score": avg[i],
               "next_segment": np.nan, "target_score": np.nan, "improvement_needed": np.nan,
               "metric_to_median": None, "metric_score_change": np.nan, "metrics_to_median": "", "status": ""}
        goal = int(seg[i]) - 1
        if res["pip_override"][i]:
            row["status"] = "Provider Improvement Programme: segment set, not scored"
        elif goal < 1:
            row["status"] = "already in segment 1"
        elif fin_on and group.deficit[i] and goal < cap:
            row["status"] = f"in financial deficit: capped at segment {cap:g}"
        else:
            t = _target_score(avg, i, goal, meth.segmentation, group.cut_points, getattr(group, "cut_sides", None),
                              10.0 ** -(meth.average_decimals if meth.average_decimals is not None else 10))
            row.update(next_segment=goal, target_score=t, improvement_needed=max(avg[i] - t, 0.0),
                       status="can move up")
            todo.append((len(rows), i, goal))
        rows.append(row)

    # one-metric-to-median re-rankings, vectorised over (trust, metric) in chunks of trusts
    for start in range(0, len(todo), chunk):
        part = todo[start:start + chunk]
        cases = [(r, i, goal, j) for r, i, goal in part for j in np.flatnonzero(worse[i])]
        if not cases:
            continue
        vals = np.broadcast_to(group.values, (len(cases), T, M)).copy()
        for k, (_, i, _, j) in enumerate(cases):
            vals[k, i, j] = median[j]
        out = run_pipeline(vals, group)
        found: dict[int, list] = {}
        for k, (r, i, goal, j) in enumerate(cases):
            if out["segment"][k, i] <= goal:
                change = res["scores"][i, j] - out["scores"][k, i, j]
                found.setdefault(r, []).append((change, group.metrics["metric_id"].iat[j]))
        for r, lst in found.items():
            lst.sort(key=lambda x: (x[0], x[1]))
            rows[r]["metric_to_median"] = lst[0][1]
            rows[r]["metric_score_change"] = lst[0][0]
            rows[r]["metrics_to_median"] = ",".join(m for _, m in sorted(lst, key=lambda x: x[1]))
    cols = ["trust_code", "trust_name", "segment", "segment_before_adjustment", "league_position",
            "average_metric_score", "next_segment", "target_score", "improvement_needed", "metric_to_median",
            "metric_score_change", "metrics_to_median", "status"]
    df = pd.DataFrame(rows, columns=cols)
    df["next_segment"] = df["next_segment"].astype("Int64")
    df = df.sort_values(["league_position", "trust_code"], kind="stable").reset_index(drop=True)
    return SegmentDistance(table=df, **about(group),
                           cut_points=None if group.cut_points is None else [float(c) for c in group.cut_points],
                           target=group.provenance.get("cut_points", "") if group.cut_points is not None else "")


# -- quarter on quarter ------------------------------------------------------------
def _segments_by_trust(data, quarter, trust_type, methodology, attributes) -> tuple[pd.Series, PeerGroup]:
    g = peer_group(data, quarter, trust_type, methodology, attributes)
    res = g.run(keep_scores=False)
    lab = pd.Series(res["segment"], index=g.trusts["trust_code"]).map(
        lambda v: NOT_RANKED if np.isnan(v) else str(int(v)))
    return lab, g


@shared_docs
def segment_transitions(data, quarter_from: str, quarter_to: str, trust_type: str | None = None,
                        methodology=DEFAULT_METHODOLOGY, attributes=None) -> pd.DataFrame:
    """Segment transition matrix between two quarters.

    Rows are the segment in ``quarter_from``, columns the segment in
    ``quarter_to``; cells count trusts. Every trust of the trust type present
    in either quarter is counted: "not ranked" (too few metrics) and
    "absent" (no data that quarter) are rows and columns too, so the total is
    the number of trusts.

    Parameters
    ----------
    {two_quarter_parameters}

    Returns
    -------
    SegmentTransitions
        ``matrix``: counts, rows and columns labelled "1".."5", "not ranked", "absent" (those
        that occur); ``trusts``: the per-trust table (trust_code, trust_name, segment_from,
        segment_to, movement: "up", "down", "same" or "n/a"); ``counts``: each movement's
        count; quarter_from, quarter_to, exclusions.

    Examples
    --------
    >>> import nhsrank
    >>> ae = nhsrank.read_ae_attendances()
    >>> m = segment_transitions(ae, "2018-19-Q3", "2018-19-Q4", "acute", "ae-4hr")
    >>> int(m.matrix.to_numpy().sum()) == len(m.trusts)
    True
    """
    data = as_metrics(data)
    attrs = as_attributes(attributes)
    a, ga = _segments_by_trust(data, quarter_from, trust_type, methodology, attrs)
    b, gb = _segments_by_trust(data, quarter_to, trust_type, methodology, attrs)
    codes = sorted(set(a.index) | set(b.index))
    f = a.reindex(codes).fillna(ABSENT)
    t = b.reindex(codes).fillna(ABSENT)
    names = pd.concat([ga.trusts, gb.trusts]).drop_duplicates("trust_code").set_index("trust_code")["trust_name"]

    def move(x, y):
        if not (x.isdigit() and y.isdigit()):
            return "n/a"
        return "same" if x == y else ("up" if int(y) < int(x) else "down")

    trusts = pd.DataFrame({"trust_code": codes, "trust_name": names.reindex(codes).to_numpy(),
                           "segment_from": f.to_numpy(), "segment_to": t.to_numpy()})
    trusts["movement"] = [move(x, y) for x, y in zip(trusts["segment_from"], trusts["segment_to"])]
    order = [s for s in ["1", "2", "3", "4", "5", NOT_RANKED, ABSENT]
             if s in set(trusts["segment_from"]) | set(trusts["segment_to"])]
    m = pd.crosstab(pd.Categorical(trusts["segment_from"], order), pd.Categorical(trusts["segment_to"], order),
                    dropna=False)
    m.index.name = f"segment {ga.quarter}"
    m.columns.name = f"segment {gb.quarter}"
    counts = trusts["movement"].value_counts().reindex(["up", "same", "down", "n/a"], fill_value=0)
    return SegmentTransitions(matrix=m, trusts=trusts, counts=counts, quarter_from=ga.quarter,
                              quarter_to=gb.quarter,
                              exclusions=pd.concat([ga.exclusions, gb.exclusions], ignore_index=True))




def _bootstrap_replicates(group: PeerGroup, n_boot: int, seed: int, sources) -> dict:
    """Replicate average scores and league positions (B, T): NHS England's score resampling
    (:func:`nhsrank.uncertainty.likely_range.score_bootstrap`) or :func:`nhsrank.uncertainty.bootstrap`,
    shared with the other pages through :func:`nhsrank.uncertainty.bootstrap.cached_bootstrap`."""
    if tuple(sources) == ("scores",):
        rep = cached_bootstrap(score_bootstrap, group, n_boot, seed, ("scores",), progress=False)
    else:
        rep = cached_bootstrap(bootstrap, group, n_boot, seed, tuple(sources), progress=False, on_missing="ignore")
    return {k: np.asarray(getattr(rep, k), dtype=float) for k in ("average_metric_score", "league_position")}


@shared_docs
def quarter_movement(data, quarter_from: str, quarter_to: str, trust_type: str | None = None,
                     methodology=DEFAULT_METHODOLOGY, attributes=None, *, n_boot: int = 500, seed: int = 1,
                     sources=None, level: float = 0.95, replicates: tuple[dict, dict] | None = None
                     ) -> QuarterMovement:
    """For each trust, whether its change in average score and in league position exceeds the noise.

    Each quarter is bootstrapped independently (seeds ``seed`` and ``seed + 1``)
    with the source the data support (:func:`nhsrank.uncertainty.sources.common_sources`:
    ``scores``, NHS England's likely-range method, on its published files, which carry
    no numerators; ``sampling`` where numerators, counts or standard errors exist);
    replicate ``b`` of the change is ``replicate b of quarter_to - replicate b of
    quarter_from``. A change in score "exceeds the noise" when the central ``level``
    percentile interval of its replicates excludes 0; a change in position when that
    interval excludes 0 *and* the trust's likely ranges of position in the two
    quarters (the same percentiles of each quarter's replicate positions) do not
    overlap, so that a move within the range a trust shares with its neighbours is
    never called real. A trust whose own values nothing redraws (all fixed,
    :func:`nhsrank.uncertainty.sources.redrawn_trusts`) gets no verdict: <NA>.

    A source that cannot redraw the data (``sampling`` on a file without numerators,
    see :func:`nhsrank.uncertainty.sources.source_support`) is not run: the intervals
    are empty, every ``*_exceeds_noise`` is <NA> and the result's ``not_meaningful``
    says why.

    Parameters
    ----------
    {two_quarter_parameters}
    n_boot : int, default 500
        Bootstrap replicates per quarter.
    seed : int, default 1
        Seed of the first quarter's bootstrap (the second uses ``seed + 1``).
    sources : tuple of str or None, default None
        None: the source the data support; else as :func:`nhsrank.uncertainty.bootstrap`.
    level : float, default 0.95
        Confidence level of the intervals.
    replicates : tuple of dict or None, default None
        ``(from, to)`` dicts with arrays ``average_metric_score`` and ``league_position`` of
        shape (replicates, trusts of that quarter's peer group, sorted by trust_code) to use
        instead of bootstrapping.

    Returns
    -------
    QuarterMovement
        ``table``: one row per trust present in either quarter: trust_code, trust_name, score_from,
        score_to, score_change, score_change_lo, score_change_hi, score_change_exceeds_noise,
        position_from, position_to, position_change (negative = up), position_change_lo,
        position_change_hi, position_change_exceeds_noise, segment_from, segment_to,
        likely_position_from_lower/upper, likely_position_to_lower/upper, status ("ranked in
        both", or why not; such trusts have empty changes). Fields: quarter_from,
        quarter_to, methodology, trust_type, level, sources, resampled (a sentence),
        not_meaningful ("" or why), exclusions.

    Examples
    --------
    >>> import nhsrank
    >>> from nhsrank.data.readers import DATA_DIR
    >>> m = nhsrank.read_metrics(DATA_DIR / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv")
    >>> qm = quarter_movement(m, "2025-26-Q3", "2025-26-Q4", n_boot=100, seed=1)
    >>> qm.sources, bool((qm.table["score_change_hi"] > qm.table["score_change_lo"]).all())
    (('scores',), True)
    """
    data = as_metrics(data)
    attrs = as_attributes(attributes)
    ga = peer_group(data, quarter_from, trust_type, methodology, attrs)
    gb = peer_group(data, quarter_to, ga.trust_type, methodology, attrs)
    ra, rb = ga.run(keep_scores=False), gb.run(keep_scores=False)
    why = ""
    if replicates is None:
        sources = common_sources((ga, gb), sources)
        why = "; ".join(dict.fromkeys(w for w in (not_meaningful(ga, sources), not_meaningful(gb, sources)) if w))
        if why:
            reps = None
        else:
            reps = (_bootstrap_replicates(ga, n_boot, seed, sources),
                    _bootstrap_replicates(gb, n_boot, seed + 1, sources))
    else:
        reps = replicates
        sources = tuple(sources) if sources is not None else ("given",)
    # a trust nothing redraws (all its values fixed) gets no verdict: its zero-width interval is no evidence
    moved = ((np.ones(len(ga.trusts), dtype=bool), np.ones(len(gb.trusts), dtype=bool)) if sources == ("given",)
             else (redrawn_trusts(ga, sources), redrawn_trusts(gb, sources)))
    a_idx = pd.Index(ga.trusts["trust_code"])
    b_idx = pd.Index(gb.trusts["trust_code"])
    codes = sorted(set(a_idx) | set(b_idx))
    names = pd.concat([ga.trusts, gb.trusts]).drop_duplicates("trust_code").set_index("trust_code")["trust_name"]
    alpha = (1 - level) / 2
    rows = []
    for c in codes:
        ia, ib = a_idx.get_indexer([c])[0], b_idx.get_indexer([c])[0]
        inc_a = ia >= 0 and ga.included[ia]
        inc_b = ib >= 0 and gb.included[ib]
        row = {"trust_code": c, "trust_name": names[c]}
        for side, i, g, r, k in (("from", ia, ga, ra, 0), ("to", ib, gb, rb, 1)):
            ok = i >= 0 and g.included[i]
            row[f"score_{side}"] = r["average_metric_score"][i] if ok else np.nan
            row[f"position_{side}"] = r["league_position"][i] if ok else np.nan
            row[f"segment_{side}"] = r["segment"][i] if ok else np.nan
            lo = hi = np.nan
            if ok and reps is not None:
                p = reps[k]["league_position"][:, i]
                p = p[~np.isnan(p)]
                if len(p):
                    lo, hi = np.quantile(p, [alpha, 1 - alpha], method="inverted_cdf")
            row[f"likely_position_{side}_lower"], row[f"likely_position_{side}_upper"] = lo, hi
        for key, name in (("average_metric_score", "score"), ("league_position", "position")):
            row[f"{name}_change"] = row[f"{name}_to"] - row[f"{name}_from"]
            lo = hi = np.nan
            if inc_a and inc_b and reps is not None:
                d = reps[1][key][:, ib] - reps[0][key][:, ia]
                d = d[~np.isnan(d)]
                if len(d):
                    lo, hi = np.quantile(d, [alpha, 1 - alpha])
            row[f"{name}_change_lo"], row[f"{name}_change_hi"] = lo, hi
            beyond = pd.NA
            if inc_a and inc_b and moved[0][ia] and moved[1][ib] and not np.isnan(lo):
                beyond = bool(lo > 0 or hi < 0)
                if name == "position" and beyond:
                    beyond = bool(row["likely_position_to_lower"] > row["likely_position_from_upper"]
                                  or row["likely_position_to_upper"] < row["likely_position_from_lower"])
            row[f"{name}_change_exceeds_noise"] = beyond
        if inc_a and inc_b:
            row["status"] = "ranked in both"
        else:
            why_not = []
            for q, i, g in ((ga.quarter, ia, ga), (gb.quarter, ib, gb)):
                if i < 0:
                    why_not.append(f"no data in {q}")
                elif not g.included[i]:
                    why_not.append(f"not ranked in {q} (too few metrics)")
            row["status"] = "; ".join(why_not)
        rows.append(row)
    cols = ["trust_code", "trust_name", "score_from", "score_to", "score_change", "score_change_lo",
            "score_change_hi", "score_change_exceeds_noise", "position_from", "position_to", "position_change",
            "position_change_lo", "position_change_hi", "position_change_exceeds_noise", "segment_from",
            "segment_to", "likely_position_from_lower", "likely_position_from_upper", "likely_position_to_lower",
            "likely_position_to_upper", "status"]
    df = pd.DataFrame(rows, columns=cols)
    for c in ("position_from", "position_to", "position_change", "segment_from", "segment_to"):
        df[c] = df[c].astype("Int64")
    for c in ("score_change_exceeds_noise", "position_change_exceeds_noise"):
        df[c] = df[c].astype("boolean")
    return QuarterMovement(
        table=df, exclusions=pd.concat([ga.exclusions, gb.exclusions], ignore_index=True),
        methodology=ga.methodology.id, trust_type=ga.trust_type, quarter_from=ga.quarter, quarter_to=gb.quarter,
        level=level, sources=tuple(sources), not_meaningful=why,
        resampled=resampled_text(sources) if sources != ("given",) else "Resampled: replicates given.")


def movement_sentence(qm: QuarterMovement) -> str:
    """What :func:`quarter_movement` found, in words: what was resampled, then the counts, with the rule.

    The counts never call a move real that the within-quarter noise covers: a position change counts
    only when the trust's likely ranges of position in the two quarters do not overlap.

    Parameters
    ----------
    qm : QuarterMovement
        The result of :func:`quarter_movement`.

    Returns
    -------
    str
        The sentence.

    Examples
    --------
    >>> t = pd.DataFrame({"status": ["ranked in both"] * 2, "score_change_exceeds_noise": [True, False],
    ...                   "position_change_exceeds_noise": [False, False]})
    >>> qm = QuarterMovement(t, pd.DataFrame(), "m", "acute", "2025-26-Q1", "2025-26-Q2", 0.95, ("x",),
    ...                      "Resampled: x.", "")
    >>> print(movement_sentence(qm))  # doctest: +ELLIPSIS
    Resampled: x. Of 2 trusts ranked in both quarters, 1 changed average score beyond the noise ... and 0 changed ...
    """
    both = qm.table[qm.table["status"] == "ranked in both"]
    head = qm.resampled
    why = qm.not_meaningful
    if why:
        return (f"{head} Not meaningful here, so not run: {why}. No change is called beyond the noise; "
                "use the scores source (NHS England's likely-range method) for these data.").strip()
    lvl = f"{100 * qm.level:g}%"
    n_s = int(both["score_change_exceeds_noise"].fillna(False).astype(bool).sum())
    n_p = int(both["position_change_exceeds_noise"].fillna(False).astype(bool).sum())
    undecided = int(both["score_change_exceeds_noise"].isna().sum())
    text = (f"{head} Of {len(both)} trusts ranked in both quarters, {n_s} changed average score beyond the noise "
            f"(the {lvl} interval of the change excludes 0) and {n_p} changed league position beyond it (the "
            f"interval excludes 0 and the trust's {lvl} likely ranges of position in the two quarters do not "
            "overlap, so a move within the range a trust shares with its neighbours is never counted).")
    if undecided:
        text += f" {undecided} trust(s) have no value that the bootstrap redraws: no verdict for them."
    return text.strip()


__all__ = ["distance_to_next_segment", "SegmentDistance", "segment_transitions", "SegmentTransitions",
           "quarter_movement", "QuarterMovement", "movement_sentence", "NOT_RANKED", "ABSENT"]
