"""Tables computed for the pages: segment counts, top of a table, overrides, uncertainty, sources, variants,
one trust's metrics and history, movement between quarters, the funnel plot a page shows.

Each function takes the engine's results (:func:`nhsrank.league_tables`, :func:`nhsrank.rank_uncertainty`,
:func:`nhsrank.compare_variants`, :func:`nhsrank.quarter_movement`) and returns a DataFrame
(:func:`trust_history` a :class:`TrustHistory`); the text
written from them is in :mod:`nhsrank.report.sentences`.

Examples
--------
>>> import nhsrank
>>> m, a = nhsrank.load_bundled()                  # SYNTHETIC data
>>> result = nhsrank.league_tables(m, "2025-26-Q1", attributes=a)
>>> int(segment_counts(result.table, result.exclusions).loc["ambulance", "ranked"])
9
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..defaults import DEFAULT_METHODOLOGY
from ..data.inputs import peer_group
from ..errors import InputError
from ..rules.methodology import load_methodology
from ..uncertainty.bootstrap import rank_uncertainty
from ..uncertainty.sources import choose_sources


#: the bootstrap sources compared in the sensitivity notebook (each alone, then sampling + metrics); those the
#: data cannot support (:func:`nhsrank.uncertainty.sources.source_support`) are listed as not run
SOURCE_SETS = {"scores": ("scores",), "sampling": ("sampling",), "metrics": ("metrics",), "weights": ("weights",),
               "sampling+metrics": ("sampling", "metrics")}



def segment_counts(tables: pd.DataFrame, exclusions: pd.DataFrame | None = None,
                   trust_types=None) -> pd.DataFrame:
    """Trusts per final segment (1-4, 5 = PIP) for each trust type, with totals and trusts not ranked.

    Parameters
    ----------
    tables : pandas.DataFrame
        The league tables of every trust type: the ``table`` field of :func:`nhsrank.league_tables`'s result.
        Read: ``trust_type``, ``segment``, ``financial_override``.
    exclusions : pandas.DataFrame or None, default None
        The trusts not ranked: the ``exclusions`` field of the same result (its ``trust_type`` is read);
        None: none.
    trust_types : list of str or None, default None
        The rows, in order; None: the trust types of ``tables`` in the order they appear.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``trust_type``, integer columns: ``1``, ``2``, ``3``, ``4``, ``5`` (trusts in each final
        segment, 5 = PIP), ``ranked`` (their total), ``not ranked`` (excluded trusts), ``capped by deficit``
        (trusts whose segment the financial override capped).

    Examples
    --------
    >>> t = pd.DataFrame({"trust_type": ["acute"] * 3 + ["ambulance"], "segment": [1, 1, 5, 2],
    ...                   "financial_override": [False, False, False, True]})
    >>> segment_counts(t).to_dict("index")["acute"]
    {1: 2, 2: 0, 3: 0, 4: 0, 5: 1, 'ranked': 3, 'not ranked': 0, 'capped by deficit': 0}
    """
    types = list(trust_types) if trust_types is not None else list(dict.fromkeys(tables["trust_type"]))
    counts = pd.crosstab(tables["trust_type"], tables["segment"].astype(int))
    counts = counts.reindex(index=types, columns=[1, 2, 3, 4, 5], fill_value=0)
    counts["ranked"] = counts.sum(axis=1)
    excl = exclusions if exclusions is not None else pd.DataFrame(columns=["trust_type"])
    counts["not ranked"] = excl["trust_type"].value_counts().reindex(types, fill_value=0).astype(int)
    capped = tables[tables["financial_override"].astype(bool)]["trust_type"].value_counts()
    counts["capped by deficit"] = capped.reindex(types, fill_value=0).astype(int)
    counts.index.name = "trust_type"
    counts.columns.name = None
    return counts.astype(int)


def top_of_table(tables: pd.DataFrame, trust_type: str, n: int = 5) -> pd.DataFrame:
    """The first ``n`` rows of one trust type's table: position, trust, average metric score (2 decimals, as
    NHS England publishes it), segment.

    Parameters
    ----------
    tables : pandas.DataFrame
        The league tables of every trust type: the ``table`` field of :func:`nhsrank.league_tables`'s result.
    trust_type : str
        The trust type shown.
    n : int, default 5
        Rows shown.

    Returns
    -------
    pandas.DataFrame
        At most ``n`` rows in league order, columns: ``league_position``, ``trust_code``, ``trust_name``,
        ``average_metric_score`` (rounded to 2 decimals), ``segment``.

    Examples
    --------
    >>> import nhsrank
    >>> m, a = nhsrank.load_bundled()
    >>> tables = nhsrank.league_tables(m, "2025-26-Q1", attributes=a).table
    >>> list(top_of_table(tables, "ambulance", 2).columns)
    ['league_position', 'trust_code', 'trust_name', 'average_metric_score', 'segment']
    """
    t = tables[tables["trust_type"] == trust_type].sort_values(["league_position", "trust_code"], kind="stable")
    out = t[["league_position", "trust_code", "trust_name", "average_metric_score", "segment"]].head(n).copy()
    out["average_metric_score"] = out["average_metric_score"].round(2)
    return out.reset_index(drop=True)


def overrides_explained(tables: pd.DataFrame) -> pd.DataFrame:
    """Every trust whose segment an override set, with the reason in words.

    Parameters
    ----------
    tables : pandas.DataFrame
        The league tables of every trust type: the ``table`` field of :func:`nhsrank.league_tables`'s result.
        Read: the columns returned and ``financial_override``, ``pip_override``.

    Returns
    -------
    pandas.DataFrame
        One row per trust with an override, sorted by trust type and position. Columns: ``trust_type``,
        ``league_position``, ``trust_code``, ``trust_name``, ``average_metric_score``,
        ``segment_before_adjustment`` (the segment by score), ``segment`` (final), ``override`` ("PIP" or
        "financial deficit"; PIP when both), ``why`` (the override in words).

    Examples
    --------
    >>> t = pd.DataFrame({"trust_type": ["acute"] * 2, "league_position": [1, 2], "trust_code": ["A", "B"],
    ...                   "trust_name": ["A", "B"], "average_metric_score": [1.5, 1.6],
    ...                   "segment_before_adjustment": [1, 2], "segment": [3, 2],
    ...                   "financial_override": [True, False], "pip_override": [False, False]})
    >>> overrides_explained(t)["why"].tolist()
    ['in financial deficit: segment 1 by score, capped at 3']
    """
    fin = tables["financial_override"].astype(bool)
    pip = tables["pip_override"].astype(bool)
    t = tables[fin | pip].copy()
    t["override"] = np.where(t["pip_override"].astype(bool), "PIP", "financial deficit")
    t["why"] = [
        (f"in the Provider Improvement Programme: segment {b} by score, set to {s}" if o == "PIP"
         else f"in financial deficit: segment {b} by score, capped at {s}")
        for o, b, s in zip(t["override"], t["segment_before_adjustment"].astype(int), t["segment"].astype(int))]
    cols = ["trust_type", "league_position", "trust_code", "trust_name", "average_metric_score",
            "segment_before_adjustment", "segment", "override", "why"]
    return t.sort_values(["trust_type", "league_position", "trust_code"], kind="stable")[cols].reset_index(drop=True)


def uncertainty_summary(result) -> pd.DataFrame:
    """The headline numbers of a :func:`nhsrank.rank_uncertainty` result, one row each, in words.

    Parameters
    ----------
    result : nhsrank.RankUncertainty
        The uncertainty run; read: ``table`` (``rank_lower``, ``rank_upper``, ``p_segment_*``),
        ``adjacent_pairs`` (``differs_in_order`` or ``differs``, ``prob_order_kept``), ``n_boot`` and
        ``rankability``.

    Returns
    -------
    pandas.DataFrame
        Eleven rows, columns ``measure`` (in words) and ``value`` (text: a count, a share, or "n/a" where the
        rank sets were not computed). Rows: trusts ranked, replicates, neighbouring pairs, pairs that differ
        significantly in the table's order (Holm), median probability that a neighbouring pair keeps its order,
        median and largest width of the 95% confidence set for the rank, trusts whose set covers more than a
        quarter of the table, trusts with no segment more likely than 0.9, trusts in their segment with
        probability 0.95 or more, rankability.

    Examples
    --------
    >>> import nhsrank
    >>> m, a = nhsrank.load_bundled()
    >>> u = nhsrank.rank_uncertainty(m, "2025-26-Q1", "ambulance", attributes=a, n_boot=20, seed=1)
    >>> s = uncertainty_summary(u)
    >>> list(s.columns), len(s), s["value"].iloc[0]
    (['measure', 'value'], 11, '9')
    """
    u, pairs = result.table, result.adjacent_pairs
    # <NA> where the rank sets were not computed (above MAX_RANKSET_TRUSTS units): shown as n/a
    width = (u["rank_upper"] - u["rank_lower"]).astype(float)
    have = bool(width.notna().any())
    p_cols = [c for c in u.columns if c.startswith("p_segment_")]
    p_max = u[p_cols].max(axis=1)
    n = len(u)
    rank = result.rankability
    rows = [
        ("trusts ranked", n),
        ("bootstrap replicates", result.n_boot),
        ("neighbouring pairs", len(pairs)),
        ("neighbouring pairs that differ significantly in the table's order (95%, Holm)",
         int(pairs["differs_in_order" if "differs_in_order" in pairs else "differs"].sum())),
        ("median probability that a neighbouring pair keeps its order",
         round(float(pairs["prob_order_kept"].median()), 2) if len(pairs) else np.nan),
        ("median width of the 95% confidence set for the rank (ranks)", float(width.median()) if have else np.nan),
        ("widest 95% confidence set for the rank (ranks)", int(width.max()) if have else np.nan),
        ("trusts whose 95% confidence set for the rank covers more than a quarter of the table",
         int((width > n / 4).sum()) if have else np.nan),
        ("trusts with no segment more likely than 0.9", int((p_max <= 0.9).sum())),
        ("trusts in their segment with probability 0.95 or more", int((p_max >= 0.95).sum())),
        ("rankability of the average metric score", round(float(rank.get("rankability", np.nan)), 2)),
    ]
    return pd.DataFrame([(m, _plain_number(v)) for m, v in rows], columns=["measure", "value"])


def _plain_number(v) -> str:
    """12 -> '12', 0.5 -> '0.5', None/NaN -> 'n/a' (a mixed column of counts and shares, shown as text)."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "n/a"
    return f"{v:g}" if isinstance(v, (float, np.floating)) else str(v)


def source_comparison(metrics, quarter: str, trust_type: str | None = None, methodology=DEFAULT_METHODOLOGY,
                      attributes=None, n_boot: int = 200, seed: int = 1, source_sets=None,
                      progress: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rank intervals under each source of uncertainty (:data:`SOURCE_SETS`), same seed for each.

    A set the data cannot support (``sampling`` on NHS England's published files, which carry no numerators:
    every value would stay fixed) is not run: its summary row has no figures and says why, so no artefact is
    shown as a result.

    Parameters
    ----------
    metrics : pandas.DataFrame
        The long metrics table (:func:`nhsrank.report.inputs.read_inputs`).
    quarter : str
        The quarter, normalised.
    trust_type : str or None, default None
        The trust type; None: as :func:`nhsrank.rank_uncertainty` chooses.
    methodology : str or Methodology, default "nof-2025-26"
        Methodology id, YAML path or loaded methodology.
    attributes : pandas.DataFrame or None, default None
        The trust attributes (financial and PIP overrides).
    n_boot : int, default 200
        Bootstrap replicates per run.
    seed : int, default 1
        Seed of the bootstrap (the same for each run).
    source_sets : dict of str to tuple of str or None, default None
        Name to the sources resampled together; None: :data:`SOURCE_SETS`.
    progress : bool, default False
        Show a progress bar.

    Returns
    -------
    long : pandas.DataFrame
        One row per (source set, trust) for the sets run. Columns: ``source`` (the set's name), ``trust_code``,
        ``trust_name``, ``league_position``, ``segment``, ``rank_lower``, ``rank_upper`` (the 95% marginal
        confidence set for the rank), ``p_top_quartile``.
    summary : pandas.DataFrame
        One row per source set. Columns: ``source``, ``resampled`` (what was redrawn, in words),
        ``median_interval_width``, ``largest_interval_width`` (Int64), ``pairs_differing`` (neighbouring pairs
        that differ in the table's order, Int64), ``pairs`` (Int64), ``rankability`` (3 decimals), ``note``
        (``""``, or ``"not run: <why>"`` with the figures missing).

    Examples
    --------
    >>> import nhsrank
    >>> m, a = nhsrank.load_bundled()
    >>> long, summary = source_comparison(m, "2025-26-Q1", "ambulance", attributes=a, n_boot=20,
    ...                                   source_sets={"scores": ("scores",)})
    >>> summary[["source", "pairs", "note"]].to_dict("records"), len(long)
    ([{'source': 'scores', 'pairs': 8, 'note': ''}], 9)
    """
    from ..uncertainty.sources import not_meaningful, resampled_text

    from ..uncertainty.bootstrap import default_sources

    group = peer_group(metrics, quarter, trust_type, methodology, attributes)
    shown = tuple(default_sources(group))
    sets = source_sets or SOURCE_SETS
    longs, rows = [], []
    for name, sources in sets.items():
        words = resampled_text(sources).removeprefix("Resampled: ").rstrip(".")
        why = not_meaningful(group, sources)
        if why:
            rows.append({"source": name, "resampled": words, "median_interval_width": np.nan,
                         "largest_interval_width": np.nan, "pairs_differing": np.nan, "pairs": np.nan,
                         "rankability": np.nan, "note": "not run: " + why.split(": ", 1)[-1]})
            continue
        # the rank intervals compared here are the marginal sets; the simultaneous sets (half the cost) only for
        # the source the rank-uncertainty page shows, whose summary the report's pages share
        res = rank_uncertainty(group, n_boot=n_boot, seed=seed, sources=sources, progress=progress,
                               rank_sets=None if tuple(sources) == shown else "marginal")
        u = res.table
        part = u[["trust_code", "trust_name", "league_position", "segment", "rank_lower", "rank_upper",
                  "p_top_quartile"]].copy()
        part.insert(0, "source", name)
        longs.append(part)
        width = (u["rank_upper"] - u["rank_lower"]).astype(float)   # <NA> above MAX_RANKSET_TRUSTS units
        pairs = res.adjacent_pairs
        rows.append({"source": name, "resampled": words, "median_interval_width": float(width.median()),
                     "largest_interval_width": int(width.max()) if width.notna().any() else np.nan,
                     "pairs_differing": int(pairs["differs_in_order" if "differs_in_order" in pairs
                                                  else "differs"].sum()), "pairs": len(pairs),
                     "rankability": round(float(res.rankability.get("rankability", np.nan)), 3),
                     "note": ""})
    long = pd.concat(longs, ignore_index=True) if longs else pd.DataFrame(
        columns=["source", "trust_code", "trust_name", "league_position", "segment", "rank_lower", "rank_upper",
                 "p_top_quartile"])
    summary = pd.DataFrame(rows)
    for c in ("largest_interval_width", "pairs_differing", "pairs"):
        summary[c] = summary[c].astype("Int64")
    return long, summary


def sources_run(summary: pd.DataFrame) -> pd.DataFrame:
    """The sources of :func:`source_comparison` that ran, with their figures (those not run are said in words by
    :func:`nhsrank.report.sentences.source_summary_text`).

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`source_comparison`'s summary table.

    Returns
    -------
    pandas.DataFrame
        The rows whose ``note`` is ``""``. Columns: ``source``, ``median_interval_width``,
        ``largest_interval_width``, ``pairs_differing``, ``pairs``, ``rankability``.

    Examples
    --------
    >>> s = pd.DataFrame({"source": ["scores", "sampling"], "median_interval_width": [20.0, np.nan],
    ...                   "largest_interval_width": [40, np.nan], "pairs_differing": [0, np.nan], "pairs": [60, np.nan],
    ...                   "rankability": [0.5, np.nan], "note": ["", "not run"]})
    >>> sources_run(s)["source"].tolist()
    ['scores']
    """
    cols = ["source", "median_interval_width", "largest_interval_width", "pairs_differing", "pairs", "rankability"]
    return summary.loc[summary["note"] == "", cols].reset_index(drop=True)


def variant_summary(compared) -> pd.DataFrame:
    """Per methodology variant (:func:`nhsrank.compare_variants`'s result, or its table): trusts changing
    segment, position moves.

    Parameters
    ----------
    compared : nhsrank.VariantComparison or pandas.DataFrame
        :func:`nhsrank.compare_variants`'s result, or its long ``table``; read: ``variant``, ``trust_code``,
        ``segment_change`` and ``position_change`` (variant minus nominal).

    Returns
    -------
    pandas.DataFrame
        One row per variant, in order of appearance. Columns: ``variant``, ``trusts``, ``segment_changed``,
        ``segment_better`` (to a lower-numbered segment), ``segment_worse``, ``mean_abs_position_change``
        (2 decimals), ``max_abs_position_change``; all counts integers.

    Examples
    --------
    >>> c = pd.DataFrame({"variant": ["nominal"] * 2 + ["x"] * 2, "trust_code": ["A", "B"] * 2,
    ...                   "segment_change": [0, 0, 1, 0], "position_change": [0, 0, 3, -3]})
    >>> variant_summary(c).to_dict("records")[1]
    {'variant': 'x', 'trusts': 2, 'segment_changed': 1, 'segment_better': 0, 'segment_worse': 1, 'mean_abs_position_change': 3.0, 'max_abs_position_change': 3}
    """  # noqa: E501 (doctest output / markup kept on one line)
    compared = getattr(compared, "table", compared)
    g = compared.assign(_abs=compared["position_change"].abs().astype(float),
                        _chg=compared["segment_change"] != 0, _up=compared["segment_change"] < 0,
                        _down=compared["segment_change"] > 0)
    out = g.groupby("variant", sort=False).agg(
        trusts=("trust_code", "size"), segment_changed=("_chg", "sum"), segment_better=("_up", "sum"),
        segment_worse=("_down", "sum"), mean_abs_position_change=("_abs", "mean"),
        max_abs_position_change=("_abs", "max")).reset_index()
    out["mean_abs_position_change"] = out["mean_abs_position_change"].round(2)
    for c in ("segment_changed", "segment_better", "segment_worse", "max_abs_position_change"):
        out[c] = out[c].astype(int)
    return out


def metric_profile(table: pd.DataFrame, methodology, trust_code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One trust's metric scores against its peers (the other trusts of its league table).

    Parameters
    ----------
    table : pandas.DataFrame
        One trust type's league table (``LeagueTable.table``), with a score column per metric id.
    methodology : str or Methodology
        The methodology the table was ranked with.
    trust_code : str
        The trust; it must be in ``table``.

    Returns
    -------
    long : pandas.DataFrame
        One row per (trust, metric scored), for :func:`nhsrank.report.charts.metric_profile_chart`, sorted by
        domain, metric and trust. Columns: ``trust_code``, ``trust_name``, ``segment``, ``metric_id``,
        ``score``, ``metric`` (id and name), ``domain`` (its name), ``domain_order``, ``metric_order``,
        ``peer_median`` (over every trust scored), ``is_trust`` (the row is the trust's).
    summary : pandas.DataFrame
        One row per metric of the trust type. Columns: ``metric_id``, ``metric`` (name), ``domain``,
        ``score`` (the trust's, 2 decimals; NaN if not scored), ``peer_median``, ``better_than`` (share of
        the other trusts with a worse score), ``rank`` (Int64, 1 best), ``trusts_scored``.

    Raises
    ------
    nhsrank.InputError
        If the trust is not in the table.

    Examples
    --------
    >>> import nhsrank
    >>> m, a = nhsrank.load_bundled()
    >>> t = nhsrank.league_table(m, "2025-26-Q1", "ambulance", attributes=a).table
    >>> long, summary = metric_profile(t, "nof-2025-26", t["trust_code"].iloc[0])
    >>> list(summary.columns)
    ['metric_id', 'metric', 'domain', 'score', 'peer_median', 'better_than', 'rank', 'trusts_scored']
    >>> int(long["is_trust"].sum()) == int(summary["score"].notna().sum())
    True
    """

    meth = load_methodology(methodology)
    table = table.copy()
    if trust_code not in set(table["trust_code"]):
        raise InputError.from_records("trust_code", [{"column": "trust_code", "problem":
                                                      f"{trust_code} is not in this league table"}])
    ttype = table.loc[table["trust_code"] == trust_code, "trust_type"].iloc[0]
    spec = meth.metrics(ttype).reset_index(drop=True)
    domain_order = {k: i for i, k in enumerate(meth.domains)}
    ids = [m for m in spec["metric_id"] if m in table.columns]
    long = table.melt(id_vars=["trust_code", "trust_name", "segment"], value_vars=ids, var_name="metric_id",
                      value_name="score").dropna(subset=["score"])
    info = spec.set_index("metric_id")
    long["metric"] = long["metric_id"] + " " + long["metric_id"].map(info["name"]).astype(str).str.slice(0, 60)
    long["domain"] = long["metric_id"].map(info["domain"]).map(lambda d: meth.domains.get(d, d))
    long["domain_order"] = long["metric_id"].map(info["domain"]).map(domain_order)
    long["metric_order"] = long["metric_id"].map({m: i for i, m in enumerate(ids)})
    long["peer_median"] = long.groupby("metric_id")["score"].transform("median")
    long["is_trust"] = long["trust_code"] == trust_code
    mine = long[long["is_trust"]].set_index("metric_id")
    rows = []
    for m in ids:
        scores = long.loc[long["metric_id"] == m, "score"]
        if m not in mine.index:
            rows.append(
                {
                    "metric_id": m,
                    "metric": info.loc[m, "name"],
                    "domain": meth.domains.get(info.loc[m, "domain"]),
                    "score": np.nan,
                    "peer_median": float(scores.median()),
                    "better_than": np.nan,
                    "rank": pd.NA,
                    "trusts_scored": len(scores),
                }
            )
            continue
        s = float(mine.loc[m, "score"])
        rows.append({"metric_id": m, "metric": info.loc[m, "name"], "domain": meth.domains.get(info.loc[m, "domain"]),
                     "score": round(s, 2), "peer_median": round(float(scores.median()), 2),
                     "better_than": round(float((scores > s).sum() / max(len(scores) - 1, 1)), 2),
                     "rank": int((scores < s).sum() + 1), "trusts_scored": len(scores)})
    summary = pd.DataFrame(rows)
    summary["rank"] = summary["rank"].astype("Int64")
    return long.sort_values(["domain_order", "metric_order", "trust_code"]).reset_index(drop=True), summary


@dataclass(frozen=True)
class TrustHistory:
    """One trust's league position, segment and rank interval quarter by quarter: :func:`trust_history`'s result.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per quarter of the data: quarter, trust_code, trust_name, trust_type,
        league_position, n_ranked (trusts in that quarter's table), segment,
        average_metric_score, rank_lower, rank_upper (the 95% rank interval), p_top_quartile,
        status ("ranked", "not ranked: <reason>" or "no data"). Plain: nothing in its ``attrs``.
    trust_code : str
        The trust.
    sources : list of tuple of str
        The sources of uncertainty resampled, each set used in some quarter once, sorted.
    n_boot : int
        Replicates per quarter.
    seed : int
        Seed of every quarter's bootstrap.

    Examples
    --------
    >>> h = TrustHistory(pd.DataFrame({"quarter": ["2025-26-Q1", "2025-26-Q2"], "status": ["ranked", "no data"]}),
    ...                  "A", [("scores",)], 200, 1)
    >>> h.summary().to_dict()
    {'ranked': 1, 'no data': 1}
    """

    table: pd.DataFrame
    trust_code: str
    sources: list
    n_boot: int
    seed: int

    def to_frame(self) -> pd.DataFrame:
        """The per-quarter table (a copy), as a plain DataFrame."""
        return self.table.copy()

    def summary(self) -> pd.Series:
        """Quarters by status, the reason a trust was not ranked left out ("ranked", "not ranked", "no data")."""
        return self.table["status"].str.split(":").str[0].value_counts(sort=False).rename(None).rename_axis(None)


def trust_history(metrics, trust_code: str, methodology=DEFAULT_METHODOLOGY, attributes=None, n_boot: int = 200,
                  seed: int = 1, progress: bool = False, sources=None) -> TrustHistory:
    """One trust's league position, segment and 95% rank interval in every quarter of the data.

    Each quarter is bootstrapped with ``n_boot`` replicates and ``seed``
    (:func:`nhsrank.rank_uncertainty`) among the trusts of the trust's type
    in that quarter, with ``sources`` or, by default, the source that quarter's
    data support (:func:`nhsrank.uncertainty.sources.choose_sources`);
    the result's ``sources`` lists those used.

    Parameters
    ----------
    metrics : pandas.DataFrame
        The long metrics table (:func:`nhsrank.report.inputs.read_inputs`).
    trust_code : str
        The trust.
    methodology : str or Methodology, default "nof-2025-26"
        Methodology id, YAML path or loaded methodology.
    attributes : pandas.DataFrame or None, default None
        The trust attributes (financial and PIP overrides).
    n_boot : int, default 200
        Bootstrap replicates per run.
    seed : int, default 1
        Seed of the bootstrap (the same for each run).
    progress : bool, default False
        Show a progress bar.
    sources : sequence of str or None, default None
        The sources resampled in every quarter; None: each quarter's choice.

    Returns
    -------
    TrustHistory
        Its ``table`` has one row per quarter of the data, oldest first. Columns: ``quarter``,
        ``trust_code``, ``trust_name``, ``trust_type``, ``league_position`` (Int64), ``n_ranked`` (Int64,
        trusts in the table), ``segment`` (Int64), ``average_metric_score``, ``rank_lower``, ``rank_upper``
        (Int64, the 95% confidence set for the rank), ``p_top_quartile``, ``status`` ("ranked", "not ranked:
        <reason>" or "no data"; the figures missing unless ranked). Its ``sources`` are the source tuples
        used, ``n_boot`` and ``seed`` as given.

    Examples
    --------
    >>> import nhsrank
    >>> m, a = nhsrank.load_bundled()
    >>> h = trust_history(m, "SYN-B001", attributes=a, n_boot=20)
    >>> h.table["quarter"].tolist(), h.summary().to_dict()
    (['2025-26-Q1', '2025-26-Q2', '2025-26-Q3', '2025-26-Q4'], {'ranked': 4})
    """

    m = metrics
    rows, used_all = [], []
    for q in sorted(m["quarter"].dropna().astype(str).unique()):
        sel = m[(m["quarter"] == q) & (m["trust_code"] == trust_code)]
        base = {"quarter": q, "trust_code": trust_code}
        if sel.empty:
            rows.append({**base, "status": "no data"})
            continue
        ttype = str(sel["trust_type"].iloc[0])
        base.update(trust_name=str(sel["trust_name"].iloc[0]), trust_type=ttype)
        g = peer_group(m, q, ttype, methodology, attributes)
        used = choose_sources(g) if sources is None else sources
        used_all.append(tuple(used))
        res = rank_uncertainty(g, n_boot=n_boot, seed=seed, sources=used, progress=progress)
        u = res.table
        mine = u[u["trust_code"] == trust_code]
        if mine.empty:
            excl = res.exclusions
            why = excl.loc[excl["trust_code"] == trust_code, "reason"]
            rows.append({**base, "n_ranked": len(u), "status": "not ranked" + (f": {why.iloc[0]}" if len(why) else "")})
            continue
        r = mine.iloc[0]
        rows.append({**base, "league_position": int(r["league_position"]), "n_ranked": len(u),
                     "segment": int(r["segment"]), "average_metric_score": float(r["average_metric_score"]),
                     "rank_lower": r["rank_lower"], "rank_upper": r["rank_upper"],
                     "p_top_quartile": float(r["p_top_quartile"]), "status": "ranked"})
    cols = ["quarter", "trust_code", "trust_name", "trust_type", "league_position", "n_ranked", "segment",
            "average_metric_score", "rank_lower", "rank_upper", "p_top_quartile", "status"]
    out = pd.DataFrame(rows).reindex(columns=cols)
    name = out["trust_name"].dropna()
    out["trust_name"] = out["trust_name"].astype(object).fillna(name.iloc[0] if len(name) else trust_code)
    for c in ("league_position", "n_ranked", "segment", "rank_lower", "rank_upper"):
        out[c] = pd.to_numeric(out[c]).astype("Int64")
    return TrustHistory(table=out, trust_code=trust_code, sources=sorted(set(used_all)), n_boot=n_boot, seed=seed)


def movement_summary(qm) -> pd.DataFrame:
    """Counts from :func:`nhsrank.quarter_movement`'s result (or its table): trusts that moved, and how many
    moves exceed the noise.

    Parameters
    ----------
    qm : nhsrank.QuarterMovement or pandas.DataFrame
        :func:`nhsrank.quarter_movement`'s result, or its ``table``; read: ``status``, ``position_change``,
        ``segment_from``, ``segment_to``, ``score_change_exceeds_noise``, ``position_change_exceeds_noise``
        and the result's ``not_meaningful`` (the noise not judged; a bare table is judged).

    Returns
    -------
    pandas.DataFrame
        Eight rows, columns ``what`` (in words) and ``trusts`` (a count, or "n/a (not meaningful on these
        data)" for the two noise rows when the bootstrap could not be run): ranked in both quarters, moved up,
        moved down, kept their position, changed segment, score change beyond the noise, position change
        beyond the noise, in one quarter only or not ranked in one.

    Examples
    --------
    >>> qm = pd.DataFrame({"status": ["ranked in both"] * 3 + ["no data in 2025-26-Q1"],
    ...                    "position_change": pd.array([-2, 0, 5, pd.NA], dtype="Int64"),
    ...                    "segment_from": pd.array([2, 1, 3, pd.NA], dtype="Int64"),
    ...                    "segment_to": pd.array([1, 1, 3, 2], dtype="Int64"),
    ...                    "score_change_exceeds_noise": pd.array([True, False, False, pd.NA], dtype="boolean"),
    ...                    "position_change_exceeds_noise": pd.array([False, False, False, pd.NA], dtype="boolean")})
    >>> movement_summary(qm)["trusts"].tolist()
    [3, 1, 1, 1, 1, 1, 0, 1]
    """
    judged = not getattr(qm, "not_meaningful", "")
    qm = getattr(qm, "table", qm)
    both = qm[qm["status"] == "ranked in both"]
    pc = both["position_change"].astype(float)

    def beyond(col):    # "n/a" where the bootstrap could not be run on these data: no finding
        return int(both[col].fillna(False).astype(bool).sum()) if judged else "n/a (not meaningful on these data)"

    seg_change = both["segment_to"].astype(float) - both["segment_from"].astype(float)
    rows = [
        ("ranked in both quarters", len(both)),
        ("moved up the table", int((pc < 0).sum())),
        ("moved down the table", int((pc > 0).sum())),
        ("kept their position", int((pc == 0).sum())),
        ("changed segment", int((seg_change != 0).sum())),
        ("change in average score beyond the noise (95%)", beyond("score_change_exceeds_noise")),
        ("change in position beyond the noise (95%, likely ranges apart)", beyond("position_change_exceeds_noise")),
        ("in one quarter only, or not ranked in one", int(len(qm) - len(both))),
    ]
    return pd.DataFrame(rows, columns=["trusts", "n"]).rename(columns={"trusts": "what", "n": "trusts"})


def funnel_view(metrics, quarter: str, trust_type: str, methodology=DEFAULT_METHODOLOGY, attributes=None):
    """The funnel plot a page shows: the proportion metric reported by the most trusts, with a sentence.

    Parameters
    ----------
    metrics : pandas.DataFrame
        The long metrics table (:func:`nhsrank.report.inputs.read_inputs`).
    quarter : str
        The quarter, normalised.
    trust_type : str
        The trust type.
    methodology : str or Methodology, default "nof-2025-26"
        Methodology id, YAML path or loaded methodology.
    attributes : pandas.DataFrame or None, default None
        The trust attributes (financial and PIP overrides).

    Returns
    -------
    funnel : nhsrank.FunnelLimits or None
        :func:`nhsrank.funnel_limits`'s result for every proportion metric; its ``table`` has the columns
        ``metric_id``, ``trust_code``, ``trust_name``, ``numerator``, ``denominator``, ``value``, ``theta0``,
        ``phi``, ``tau2``, ``method``, ``z``, ``z_adjusted``, ``lower95``, ``upper95``, ``lower998``,
        ``upper998``, ``outside95``, ``outside998``, ``performance``. None when there is none to plot.
    metric_id : str or None
        The metric shown: the proportion metric reported by the most trusts.
    metric_name : str or None
        Its name in the methodology.
    sentence : str
        Its over-dispersion and trusts outside the 99.8% limits, or why there is no funnel plot.

    Examples
    --------
    >>> import nhsrank
    >>> f, mid, name, text = funnel_view(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    >>> mid, text.split(":")[0]
    ('AE4HR', 'AE4HR (Percentage of A&E attendances (all types) seen within 4 hours)')
    """
    from ..sensitivity.funnel import funnel_limits

    meth = load_methodology(methodology)
    result = funnel_limits(metrics, quarter, trust_type, meth, attributes)
    f = result.table
    if f.empty:
        if len(result.excluded):     # proportion metrics, but no numerators and denominators
            return None, None, None, ("no funnel plot: the data give no numerators and denominators for the "
                                      "proportion metrics (NHS England's published files carry none), so whether "
                                      "trusts differ by more than chance cannot be judged here")
        return None, None, None, ("no proportion metric (numerator out of denominator) in this table: "
                                  "no funnel plot")
    mid = f.groupby("metric_id")["trust_code"].nunique().sort_values(ascending=False, kind="stable").index[0]
    names = dict(zip(meth.metrics(trust_type)["metric_id"], meth.metrics(trust_type)["name"]))
    one = f[f["metric_id"] == mid]
    r = one.iloc[0]
    out99 = int(one["outside998"].astype(bool).sum())
    verdict = ("over-dispersed: trusts differ by more than sampling noise" if float(r["phi"]) > 1
               else "not over-dispersed: the spread is what sampling noise gives")
    text = (f"{mid} ({names.get(mid, mid)}): phi {float(r['phi']):.1f}, {verdict}; {out99} of {len(one)} trusts "
            f"outside the 99.8% limits after the {r['method']} adjustment.")
    return result, mid, names.get(mid, mid), text



__all__ = [
    "SOURCE_SETS",
    "sources_run",
    "segment_counts",
    "top_of_table",
    "overrides_explained",
    "uncertainty_summary",
    "source_comparison",
    "variant_summary",
    "metric_profile",
    "trust_history",
    "TrustHistory",
    "movement_summary",
    "funnel_view",
]
