"""Everything a notebook needs besides the engine: its inputs, provenance header, tables, and saving outputs.

The notebooks in ``notebooks/`` stay thin: they read their parameters, load
their inputs here, call the engine (:func:`nhsrank.league_tables`,
:func:`nhsrank.rank_uncertainty`, :mod:`nhsrank.sensitivity`) and the table
functions below, and show the results with :mod:`nhsrank.report.charts`.
Every computation a notebook shows lives here, with tests.

Every notebook starts with a ``parameters`` cell (papermill replaces it; see
docs/notebooks.md) and then calls, in this order::

    from nhsrank.report.build import charts, views as nb
    metrics, attributes, meth, synthetic = nb.load_inputs(data_path, attributes_path, methodology)
    quarter = nb.check_quarter(metrics, quarter)          # None: the latest quarter in the data
    display(nb.header(data_path, attributes_path, meth, seed, {"quarter": quarter, ...}))
    ...
    nb.save_outputs(output_dir, {"league_tables": tables}, {"league-acute": chart})   # no-op without output_dir

Data resolution follows the command line (:mod:`nhsrank.cli.common`) and the
report builder (:mod:`nhsrank.report.build`): no ``data_path`` means the bundled
SYNTHETIC data *and* its attributes; ``methodology=None`` means nof-2025-26,
or ae-4hr when the file is the A&E attendances file. Paths are resolved to
absolute paths here, so a notebook works from ``notebooks/`` (JupyterLab) and
from the repository root (papermill) alike.

Examples
--------
>>> import nhsrank
>>> m, a = nhsrank.load_bundled()                  # SYNTHETIC data
>>> tables, exclusions = nhsrank.league_tables(m, "2025-26-Q1", attributes=a)
>>> int(segment_counts(tables, exclusions).loc["ambulance", "ranked"])
9
>>> metrics, attributes, meth_id, synthetic = load_inputs()
>>> meth_id, synthetic, latest_quarter(metrics), previous_quarter(metrics, "2025-26-Q2")
('nof-2025-26', True, '2025-26-Q4', '2025-26-Q1')
"""
from __future__ import annotations

import warnings

from pathlib import Path

import numpy as np
import pandas as pd

from ..data.inputs import peer_group
from ..data.readers import SYNTHETIC_ATTRIBUTES, SYNTHETIC_METRICS, read_attributes, read_metrics
from ..errors import InputError
from ..outputs import write_atomic
from ..rules.methodology import load_methodology
from ..rules.quarters import normalise_quarter
from ..sensitivity.movement import movement_sentence  # noqa: F401 (the notebooks call it from here)
from ..sensitivity.variants import methodology_variants
from ..uncertainty.bootstrap import rank_uncertainty
from ..uncertainty.sources import choose_sources, resampled_text
from . import charts
from .manifest import build_manifest, data_files, is_synthetic, report_header
from .plan import resolve_methodology


# The engine's progress bars use tqdm.auto, which warns on import in a kernel without ipywidgets
# ("IProgress not found") and falls back to text bars; the notebooks switch bars off (progress=False),
# so the warning is noise in every report page.
warnings.filterwarnings("ignore", message="IProgress not found")

#: the bootstrap sources compared in the sensitivity notebook (each alone, then sampling + metrics); those the
#: data cannot support (:func:`nhsrank.uncertainty.sources.source_support`) are listed as not run
SOURCE_SETS = {"scores": ("scores",), "sampling": ("sampling",), "metrics": ("metrics",), "weights": ("weights",),
               "sampling+metrics": ("sampling", "metrics")}


# ---------------------------------------------------------------------------------------------- league tables


def segment_counts(tables: pd.DataFrame, exclusions: pd.DataFrame | None = None,
                   trust_types=None) -> pd.DataFrame:
    """Trusts per final segment (1-4, 5 = PIP) for each trust type, with totals and trusts not ranked.

    ``tables, exclusions = nhsrank.league_tables(...)``.

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
    """The first ``n`` rows of one trust type's table: position, trust, score (3 decimals), segment.

    Examples
    --------
    >>> import nhsrank
    >>> m, a = nhsrank.load_bundled()
    >>> tables, _ = nhsrank.league_tables(m, "2025-26-Q1", attributes=a)
    >>> list(top_of_table(tables, "ambulance", 2).columns)
    ['league_position', 'trust_code', 'trust_name', 'average_metric_score', 'segment']
    """
    t = tables[tables["trust_type"] == trust_type].sort_values(["league_position", "trust_code"], kind="stable")
    out = t[["league_position", "trust_code", "trust_name", "average_metric_score", "segment"]].head(n).copy()
    out["average_metric_score"] = out["average_metric_score"].round(3)
    return out.reset_index(drop=True)


def overrides_explained(tables: pd.DataFrame) -> pd.DataFrame:
    """Every trust whose segment an override set, with the reason in words.

    Columns: trust_type, league_position, trust_code, trust_name,
    average_metric_score, segment_before_adjustment, segment, override, why.

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


# ---------------------------------------------------------------------------------------------- uncertainty


def uncertainty_summary(u: pd.DataFrame) -> pd.DataFrame:
    """The headline numbers of a :func:`nhsrank.rank_uncertainty` table, one row each, in words.

    Rows: trusts ranked, replicates, neighbouring pairs, pairs that differ
    significantly (Holm), median P(a neighbour pair keeps its order), median
    and largest 95% rank interval width, trusts whose interval spans the
    whole top or bottom half, trusts with no segment above 90% probability,
    trusts certain of their segment (probability >= 0.95), rankability.
    """
    pairs = u.attrs["adjacent_pairs"]
    # <NA> where the rank sets were not computed (above MAX_RANKSET_TRUSTS units): shown as n/a
    width = (u["rank_upper"] - u["rank_lower"]).astype(float)
    have = bool(width.notna().any())
    p_cols = [c for c in u.columns if c.startswith("p_segment_")]
    p_max = u[p_cols].max(axis=1)
    n = len(u)
    rank = u.attrs.get("rankability", {})
    rows = [
        ("trusts ranked", n),
        ("bootstrap replicates", u.attrs.get("n_boot")),
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


def neighbours_sentence(u: pd.DataFrame) -> str:
    """One sentence with numbers: are neighbouring league positions distinguishable?

    Examples
    --------
    >>> pairs = pd.DataFrame({"differs": [False, True], "prob_order_kept": [0.6, 0.99]})
    >>> u = pd.DataFrame({"rank_lower": [1, 1, 2], "rank_upper": [2, 3, 4]})
    >>> u.attrs.update(adjacent_pairs=pairs, summary="of 2 neighbouring pairs, 1 differs significantly")
    >>> neighbours_sentence(u)
    'Of 2 neighbouring pairs, 1 differs significantly: neighbouring positions are mostly not significantly different. The median 95% confidence set for a rank spans 2 positions.'
    """
    pairs = u.attrs["adjacent_pairs"]
    col = "differs_in_order" if "differs_in_order" in pairs else "differs"   # what decides the order
    n_pairs, n_diff = len(pairs), int(pairs[col].sum())
    summary = u.attrs.get("summary", "")
    verdict = ("neighbouring positions are not significantly different" if n_diff == 0 else
               "neighbouring positions are mostly not significantly different" if n_diff <= n_pairs / 2 else
               "most neighbouring positions differ significantly")
    width = float((u["rank_upper"] - u["rank_lower"]).astype(float).median()) if len(u) else 0.0
    head, _, note = summary.partition("; note: ")
    text = f"{head[:1].upper()}{head[1:]}: {verdict}."
    if not np.isnan(width):
        text += f" The median 95% confidence set for a rank spans {width:g} position{'' if width == 1 else 's'}."
    return text + (f" Note: {note}." if note else "")


def intervals_explained(u: pd.DataFrame) -> str:
    """What the bootstrap redrew, and the three kinds of interval of :func:`nhsrank.rank_uncertainty` in one
    explanation, with the one to quote first (every page that shows them together uses this text).

    Examples
    --------
    >>> u = pd.DataFrame({"trust_code": ["A", "B"]})
    >>> u.attrs["sources"] = ("scores",)
    >>> print(intervals_explained(u).splitlines()[0])
    Resampled: each trust's own metric scores, resampled with replacement (NHS England's likely-range method).
    """
    n = len(u)
    return "\n".join([
        resampled_text(u.attrs.get("sources", ())),
        f"Three kinds of interval come from these replicates; they answer different questions, so they differ:",
        f"1. The 95% confidence set for the rank (quote this first): where the trust's true rank by average score "
        f"lies among the {n} trusts, each comparison with another trust tested (Holm-adjusted).",
        f"2. The simultaneous 95% set: the same promise for all {n} trusts at once; use it for claims about several "
        "trusts, such as \"surely in the top quarter\". It is the widest.",
        "3. The likely range of position (NHS England publishes this kind) and the segment probabilities: how far "
        "the trust's own position and segment move from replicate to replicate, the cut points held fixed. They "
        "describe spread and test no comparison, so they are the narrowest; quote them beside NHS England's own.",
        "A trust can therefore be in segment 1 in every replicate (its average always below a fixed cut point) and "
        "yet not surely rank in the top quarter (its average against every other trust's, each uncertain).",
    ])


def trust_intervals_sentence(u: pd.DataFrame, trust_code: str) -> str:
    """One trust's three intervals side by side, in the words of :func:`intervals_explained`.

    Examples
    --------
    >>> u = pd.DataFrame({"trust_code": ["A"], "trust_name": ["Ay"], "segment": [1], "p_segment_1": [1.0],
    ...                   "rank_lower": [1], "rank_upper": [49], "simultaneous_rank_lower": [1],
    ...                   "simultaneous_rank_upper": [56], "likely_position_lower": [1],
    ...                   "likely_position_upper": [11]})
    >>> print(trust_intervals_sentence(u, "A"))  # doctest: +NORMALIZE_WHITESPACE
    Ay: 95% confidence set for its rank 1-49 (quote this first); simultaneous set 1-56; likely range of
    position 1-11 and P(segment 1) 1.00 (its own figures, the cut points fixed). They answer different
    questions and do not contradict each other.
    """
    r = u[u["trust_code"] == trust_code].iloc[0]

    def rng(lo, hi):
        return "n/a" if pd.isna(r[lo]) else f"{int(r[lo])}-{int(r[hi])}"
    seg = int(r["segment"])
    p = r.get(f"p_segment_{seg}", np.nan)
    return (f"{r['trust_name']}: 95% confidence set for its rank {rng('rank_lower', 'rank_upper')} (quote this "
            f"first); simultaneous set {rng('simultaneous_rank_lower', 'simultaneous_rank_upper')}; likely range of "
            f"position {rng('likely_position_lower', 'likely_position_upper')} and P(segment {seg}) "
            f"{f'{float(p):.2f}' if pd.notna(p) else 'n/a'} (its own figures, the cut points "
            "fixed). They answer different questions and do not contradict each other.")


def source_comparison(metrics, quarter: str, trust_type: str | None = None, methodology="nof-2025-26",
                      attributes=None, n_boot: int = 200, seed: int = 1, source_sets=None,
                      progress: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rank intervals under each source of uncertainty (:data:`SOURCE_SETS`), same seed for each.

    Arguments as :func:`nhsrank.rank_uncertainty`; ``source_sets`` maps a
    name to a tuple of sources (default :data:`SOURCE_SETS`). A set the data
    cannot support (``sampling`` on NHS England's published files, which carry
    no numerators: every value would stay fixed) is not run: its summary row
    has no figures and says why, so no artefact is shown as a result.

    Returns
    -------
    (long, summary): ``long`` one row per (source, trust) with trust_code,
    trust_name, league_position, segment, rank_lower, rank_upper,
    p_top_quartile, for the sources run; ``summary`` one row per source:
    resampled (what was redrawn), median and largest interval width,
    neighbouring pairs that differ, rankability, and ``note`` ("" or why the
    source was not run).
    """
    from ..uncertainty.sources import not_meaningful, resampled_text

    group = peer_group(metrics, quarter, trust_type, methodology, attributes)
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
        u = rank_uncertainty(group, n_boot=n_boot, seed=seed, sources=sources, progress=progress)
        part = u[["trust_code", "trust_name", "league_position", "segment", "rank_lower", "rank_upper",
                  "p_top_quartile"]].copy()
        part.insert(0, "source", name)
        longs.append(part)
        width = (u["rank_upper"] - u["rank_lower"]).astype(float)   # <NA> above MAX_RANKSET_TRUSTS units
        pairs = u.attrs["adjacent_pairs"]
        rows.append({"source": name, "resampled": words, "median_interval_width": float(width.median()),
                     "largest_interval_width": int(width.max()) if width.notna().any() else np.nan,
                     "pairs_differing": int(pairs["differs_in_order" if "differs_in_order" in pairs
                                                  else "differs"].sum()), "pairs": len(pairs),
                     "rankability": round(float(u.attrs["rankability"].get("rankability", np.nan)), 3),
                     "note": ""})
    long = pd.concat(longs, ignore_index=True) if longs else pd.DataFrame(
        columns=["source", "trust_code", "trust_name", "league_position", "segment", "rank_lower", "rank_upper",
                 "p_top_quartile"])
    summary = pd.DataFrame(rows)
    for c in ("largest_interval_width", "pairs_differing", "pairs"):
        summary[c] = summary[c].astype("Int64")
    return long, summary


def source_summary_text(summary: pd.DataFrame) -> str:
    """:func:`source_comparison`'s summary as a page shows it: the sources run, then those not run and why.

    Examples
    --------
    >>> s = pd.DataFrame({"source": ["scores", "sampling"], "resampled": ["own scores", "values"],
    ...                   "median_interval_width": [20.0, np.nan], "largest_interval_width": pd.array([40, pd.NA]),
    ...                   "pairs_differing": pd.array([0, pd.NA]), "pairs": pd.array([60, pd.NA]),
    ...                   "rankability": [0.5, np.nan], "note": ["", "not run: no numerators"]})
    >>> print(source_summary_text(s))
    source  median_interval_width  largest_interval_width  pairs_differing  pairs  rankability
    scores                   20.0                      40                0     60          0.5
    Not run, because the data cannot support it (no finding is drawn from it):
      sampling: no numerators
    """
    ran = summary[summary["note"] == ""]
    cols = ["source", "median_interval_width", "largest_interval_width", "pairs_differing", "pairs", "rankability"]
    text = ran[cols].to_string(index=False) if len(ran) else "No source could be run on these data."
    skipped = summary[summary["note"] != ""]
    if len(skipped):
        text += "\nNot run, because the data cannot support it (no finding is drawn from it):\n" + "\n".join(
            f"  {r.source}: {r.note.removeprefix('not run: ')}" for r in skipped.itertuples())
    return text


# ---------------------------------------------------------------------------------------------- sensitivity


def variant_summary(compared: pd.DataFrame) -> pd.DataFrame:
    """Per methodology variant (:func:`nhsrank.compare_variants`): trusts changing segment, position moves.

    Examples
    --------
    >>> c = pd.DataFrame({"variant": ["nominal"] * 2 + ["x"] * 2, "trust_code": ["A", "B"] * 2,
    ...                   "segment_change": [0, 0, 1, 0], "position_change": [0, 0, 3, -3]})
    >>> variant_summary(c).to_dict("records")[1]
    {'variant': 'x', 'trusts': 2, 'segment_changed': 1, 'segment_better': 0, 'segment_worse': 1, 'mean_abs_position_change': 3.0, 'max_abs_position_change': 3}
    """
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


# ---------------------------------------------------------------------------------------------- one trust


def metric_profile(table: pd.DataFrame, methodology, trust_code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One trust's metric scores against its peers (the other trusts of its league table).

    Returns
    -------
    (long, summary): ``long`` one row per (trust, metric) with score,
    is_trust, peer_median and ordering columns, for
    :func:`nhsrank.report.charts.metric_profile_chart`; ``summary`` one row per
    metric: metric_id, metric, domain, score, peer_median, better_than
    (share of peers with a worse score), rank among the trusts scored.
    """

    meth = load_methodology(methodology)
    table = table.copy()
    table.attrs = {}   # league_table keeps DataFrames in attrs, which melt/concat cannot compare
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
            rows.append({"metric_id": m, "metric": info.loc[m, "name"], "domain": meth.domains.get(info.loc[m, "domain"]),
                         "score": np.nan, "peer_median": float(scores.median()), "better_than": np.nan,
                         "rank": pd.NA, "trusts_scored": len(scores)})
            continue
        s = float(mine.loc[m, "score"])
        rows.append({"metric_id": m, "metric": info.loc[m, "name"], "domain": meth.domains.get(info.loc[m, "domain"]),
                     "score": round(s, 2), "peer_median": round(float(scores.median()), 2),
                     "better_than": round(float((scores > s).sum() / max(len(scores) - 1, 1)), 2),
                     "rank": int((scores < s).sum() + 1), "trusts_scored": len(scores)})
    summary = pd.DataFrame(rows)
    summary["rank"] = summary["rank"].astype("Int64")
    return long.sort_values(["domain_order", "metric_order", "trust_code"]).reset_index(drop=True), summary


def trust_history(metrics, trust_code: str, methodology="nof-2025-26", attributes=None, n_boot: int = 200,
                  seed: int = 1, progress: bool = False, sources=None) -> pd.DataFrame:
    """One trust's league position, segment and 95% rank interval in every quarter of the data.

    Each quarter is bootstrapped with ``n_boot`` replicates and ``seed``
    (:func:`nhsrank.rank_uncertainty`) among the trusts of the trust's type
    in that quarter, with ``sources`` or, by default, the source that quarter's
    data support (:func:`nhsrank.uncertainty.sources.choose_sources`);
    ``attrs["sources"]`` lists those used.

    Columns: quarter, trust_code, trust_name, trust_type, league_position,
    n_ranked, segment, average_metric_score, rank_lower, rank_upper,
    p_top_quartile, status ("ranked", "not ranked: <reason>" or "no data").
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
        u = rank_uncertainty(g, n_boot=n_boot, seed=seed, sources=used, progress=progress)
        mine = u[u["trust_code"] == trust_code]
        if mine.empty:
            excl = u.attrs["exclusions"]
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
    out.attrs["sources"] = sorted(set(used_all))
    return out


def movement_summary(qm: pd.DataFrame) -> pd.DataFrame:
    """Counts from :func:`nhsrank.quarter_movement`: trusts that moved, and how many moves exceed the noise.

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
    both = qm[qm["status"] == "ranked in both"]
    pc = both["position_change"].astype(float)
    judged = not qm.attrs.get("not_meaningful")

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


# ---------------------------------------------------------------------------------------------- notebook inputs and outputs


#: the notebooks' pandas display (set by :func:`load_inputs`): 2 dp, no truncated text, up to 500 rows
DISPLAY_OPTIONS = {"display.precision": 2, "display.max_colwidth": None, "display.max_rows": 500,
                   "display.max_columns": 60, "display.width": 200}


def load_inputs(data_path=None, attributes_path=None, methodology=None):
    """Read a notebook's inputs.

    Parameters
    ----------
    data_path : metrics file (NHS England's published NOF file, canonical CSV or
        the A&E file), or a list of files read together (NHS England's acute and MH &
        community files: pooled peers and cut points); None: the bundled SYNTHETIC data
    attributes_path : trust attributes (financial deficit, PIP); None: the
        bundled attributes with the bundled data, none otherwise
    methodology : methodology id or YAML path; None (or "auto"): nof-2025-26,
        or ae-4hr for the A&E attendances file

    Returns
    -------
    (metrics, attributes, methodology_id, synthetic): the long metrics table,
    the attributes table (or None), the methodology id (or the YAML path as
    given) and whether the data is the bundled synthetic set.

    It also sets the notebook's pandas display: scores to 2 decimals, whole explanations (no "..."),
    up to 500 rows (:data:`DISPLAY_OPTIONS`).
    """
    for key, value in DISPLAY_OPTIONS.items():   # the kernel's display only; no table is changed
        pd.set_option(key, value)
    synthetic = is_synthetic(data_path)
    paths = [p.resolve() for p in data_files(data_path)] if data_path is not None else [SYNTHETIC_METRICS]
    metrics = read_metrics(paths if len(paths) > 1 else paths[0])
    if attributes_path:
        attributes = read_attributes(Path(attributes_path).resolve())
    elif synthetic:
        attributes = read_attributes(SYNTHETIC_ATTRIBUTES)
    else:
        attributes = None
    return metrics, attributes, resolve_methodology(metrics, methodology), synthetic


def quarters(metrics: pd.DataFrame) -> list[str]:
    """The quarters in the data, oldest first ("2025-26-Q1" sorts before "2025-26-Q2")."""
    return sorted(metrics["quarter"].dropna().astype(str).unique())


def latest_quarter(metrics: pd.DataFrame) -> str:
    """The latest quarter in the data.

    Examples
    --------
    >>> latest_quarter(pd.DataFrame({"quarter": ["2025-26-Q2", "2024-25-Q4", "2025-26-Q1"]}))
    '2025-26-Q2'
    """
    present = quarters(metrics)
    if not present:
        raise ValueError("the metrics table has no quarter")
    return present[-1]


def previous_quarter(metrics: pd.DataFrame, quarter: str) -> str | None:
    """The latest quarter in the data before ``quarter`` (None for the first quarter).

    Examples
    --------
    >>> m = pd.DataFrame({"quarter": ["2025-26-Q1", "2025-26-Q3", "2024-25-Q4"]})
    >>> previous_quarter(m, "2025-26-Q3"), previous_quarter(m, "2024-25-Q4")
    ('2025-26-Q1', None)
    """
    earlier = [q for q in quarters(metrics) if q < quarter]
    return earlier[-1] if earlier else None


def check_quarter(metrics: pd.DataFrame, quarter: str | None) -> str:
    """``quarter`` normalised ("Q2 2025/26" -> "2025-26-Q2") and checked against the data; None: the latest.

    Examples
    --------
    >>> check_quarter(pd.DataFrame({"quarter": ["2025-26-Q1"]}), None)
    '2025-26-Q1'
    """

    if quarter is None:
        return latest_quarter(metrics)
    q = normalise_quarter(quarter)
    present = quarters(metrics)
    if q not in present:
        raise InputError.from_records("quarter", [{"column": "quarter", "problem":
                                                   f"{q} is not in the data; quarters present: {', '.join(present)}"}])
    return q


def header(data_path=None, attributes_path=None, methodology=None, seed=None, parameters: dict | None = None):
    """The provenance header as IPython Markdown: the SYNTHETIC banner first when the data is
    the bundled set, then version, methodology, data hash, seed and parameters
    (:func:`nhsrank.report.manifest.report_header`)."""
    from IPython.display import Markdown


    if attributes_path is None and is_synthetic(data_path):
        attributes_path = SYNTHETIC_ATTRIBUTES
    data = [p.resolve() for p in data_files(data_path)] if data_path is not None else None
    attrs = Path(attributes_path).resolve() if attributes_path is not None else None
    manifest = build_manifest(data, methodology or "nof-2025-26", seed, parameters or {}, attrs)
    return Markdown(report_header(manifest))


def save_table(df: pd.DataFrame, output_dir, name: str) -> Path | None:
    """Write ``df`` to ``output_dir/name.csv`` (None: write nothing and return None).

    The CSV is byte-reproducible: ``\\n`` line ends, floats with 6 significant
    digits, the index only when it carries information (not a RangeIndex).
    """
    if output_dir is None:
        return None
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.csv"
    frame = df.copy()
    frame.attrs = {}
    return write_atomic(path, lambda tmp: frame.to_csv(tmp, index=not isinstance(frame.index, pd.RangeIndex),
                                                        lineterminator="\n", float_format="%.6g"))


#: charts also written as interactive offline HTML (Vega inlined) beside their SVG
INTERACTIVE_CHARTS = ("rank_intervals", "movement_positions")


def save_chart(chart, output_dir, name: str) -> Path | None:
    """Write ``chart`` as static SVG to ``output_dir/name.svg`` (vl-convert, offline; None: no-op), and
    for the charts in :data:`INTERACTIVE_CHARTS` also as interactive ``name.html`` (Vega inlined,
    opens offline). Returns the SVG's path."""
    if output_dir is None or chart is None:
        return None
    if name in INTERACTIVE_CHARTS:
        charts.save_html(chart, Path(output_dir) / f"{name}.html")
    return charts.save_svg(chart, Path(output_dir) / f"{name}.svg")


def save_outputs(output_dir, tables: dict | None = None, charts: dict | None = None) -> list[Path]:
    """:func:`save_table` and :func:`save_chart` for ``{name: table}`` and ``{name: chart}`` (None charts skipped).

    Returns the paths written (an empty list when ``output_dir`` is None).

    Examples
    --------
    >>> save_outputs(None, {"t": pd.DataFrame({"a": [1]})})
    []
    """
    if output_dir is None:
        return []
    written = [save_table(df, output_dir, name) for name, df in (tables or {}).items()]
    written += [save_chart(chart, output_dir, name) for name, chart in (charts or {}).items() if chart is not None]
    return written


def trust_types(metrics: pd.DataFrame, quarter: str, methodology) -> list[str]:
    """The trust types of ``methodology`` that have data in ``quarter``, in the methodology's order.

    Examples
    --------
    >>> m = pd.DataFrame({"quarter": ["2025-26-Q1"] * 2, "trust_type": ["ambulance", "acute"]})
    >>> trust_types(m, "2025-26-Q1", "nof-2025-26")
    ['acute', 'ambulance']
    """

    present = set(metrics.loc[metrics["quarter"] == quarter, "trust_type"])
    return [t for t in load_methodology(methodology).trust_types if t in present]


def with_next_methodology(methodology, following: str = "nof-2026-27") -> dict:
    """The one-switch variants of ``methodology`` plus the whole ``following`` methodology
    (the 2026/27 framework by default), for :func:`nhsrank.compare_variants`.

    ``following`` is left out when it is the methodology itself or cannot rank
    the same metrics (e.g. the A&E methodology).

    Examples
    --------
    >>> list(with_next_methodology("nof-2025-26"))[-1]
    'nof-2026-27'
    >>> "nof-2026-27" in with_next_methodology("ae-4hr")
    False
    """

    out = dict(methodology_variants(methodology))
    base = load_methodology(methodology)
    try:
        nxt = load_methodology(following)
    except Exception:  # an unknown id: nothing to add
        return out
    same = nxt.id != base.id and all(
        set(nxt.metrics(t)["metric_id"]) == set(base.metrics(t)["metric_id"])
        for t in base.trust_types if t in nxt.trust_types) and set(base.trust_types) <= set(nxt.trust_types)
    if same:
        out[nxt.id] = nxt
    return out


def trust_profile_chart(table: pd.DataFrame, trust_code: str, methodology=None, title: str | None = None):
    """One trust's metric scores against its peers' distribution (:func:`nhsrank.report.charts.metric_profile_chart`).

    ``table`` is the :func:`nhsrank.league_table` of the trust's type;
    ``methodology`` defaults to the one the table was built with
    (``table.attrs["methodology"]``).
    """
    meth = methodology or table.attrs.get("methodology") or "nof-2025-26"
    long, _ = metric_profile(table, meth, trust_code)
    return charts.metric_profile_chart(long, title=title)


__all__ = ["SOURCE_SETS", "segment_counts", "top_of_table", "overrides_explained", "uncertainty_summary", "neighbours_sentence", "intervals_explained", "trust_intervals_sentence", "source_comparison", "source_summary_text", "movement_sentence", "variant_summary", "metric_profile", "trust_history", "movement_summary", "load_inputs", "quarters", "latest_quarter", "previous_quarter", "check_quarter", "trust_types", "one_trust_type", "header", "save_table", "save_chart", "save_outputs", "with_next_methodology", "trust_profile_chart"]


# ---------------------------------------------------------------------------------------------- parameters

#: every notebook's parameters beyond :data:`nhsrank.report.plan.COMMON_PARAMETERS` (one name, ``trust_type``,
#: everywhere; league_table still accepts its old ``trust_types``)
NOTEBOOK_EXTRA_PARAMETERS = {
    "league_table": ("progress", "trust_type", "trust_types"),
    "reconcile": ("progress",),
    "rank_uncertainty": ("progress", "trust_type"),
    "sensitivity": ("progress", "trust_type", "mc_n"),
    "quarter_movement": ("progress", "trust_type", "quarter_from"),
    "trust_profile": ("progress", "trust_type", "trust_code"),
}
_KERNEL_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}


def check_parameters(notebook_name: str, namespace: dict) -> None:
    """Refuse a parameter the notebook does not take (papermill would set it and run on silently).

    Called once, first thing after the parameters cell: the names then defined are the kernel's,
    the declared parameters and any injected by papermill. Later calls (re-running the cell in
    JupyterLab) do nothing.

    Examples
    --------
    >>> ns = {"data_path": None, "trust_typ": "acute", "In": []}
    >>> check_parameters("rank_uncertainty", ns)
    Traceback (most recent call last):
    ...
    ValueError: rank_uncertainty: unknown parameter trust_typ (did you mean trust_type?); this notebook takes: data_path, attributes_path, quarter, methodology, n_boot, seed, output_dir, progress, trust_type
    >>> check_parameters("rank_uncertainty", ns) is None     # checked once per kernel
    True
    """
    import difflib

    from .plan import COMMON_PARAMETERS

    if namespace.get("_nhsrank_parameters_checked"):
        return None
    namespace["_nhsrank_parameters_checked"] = True
    declared = list(COMMON_PARAMETERS) + list(NOTEBOOK_EXTRA_PARAMETERS[notebook_name])
    unknown = sorted(k for k, v in namespace.items()
                     if not k.startswith("_") and k not in declared and k not in _KERNEL_NAMES
                     and (v is None or isinstance(v, (str, int, float, bool, list, tuple, dict))))
    if unknown:
        hints = []
        for k in unknown:
            close = difflib.get_close_matches(k, declared, n=1)
            hints.append(k + (f" (did you mean {close[0]}?)" if close else ""))
        raise ValueError(f"{notebook_name}: unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(hints)}; "
                         f"this notebook takes: {', '.join(declared)}")
    return None


def table_types(metrics: pd.DataFrame, quarter: str, methodology, trust_type=None) -> list[str]:
    """The trust types a notebook shows: ``trust_type`` (one name or a list), or every type in the quarter.

    Examples
    --------
    >>> import nhsrank
    >>> m, _ = nhsrank.load_bundled()
    >>> table_types(m, "2025-26-Q1", "nof-2025-26"), table_types(m, "2025-26-Q1", "nof-2025-26", "ambulance")
    (['acute', 'non-acute', 'ambulance'], ['ambulance'])
    >>> table_types(m, "2025-26-Q1", "nof-2025-26", "ambulence")
    Traceback (most recent call last):
    ...
    ValueError: trust_type 'ambulence' is not in 2025-26-Q1; the data have: acute, non-acute, ambulance
    """
    present = trust_types(metrics, quarter, methodology)
    if trust_type is None or (isinstance(trust_type, (list, tuple)) and not trust_type):
        return present
    from ..rules.trust_types import normalise_trust_type

    asked = [normalise_trust_type(t) for t in ([trust_type] if isinstance(trust_type, str) else list(trust_type))]
    bad = [t for t in asked if t not in present]
    if bad:
        raise ValueError(f"trust_type {', '.join(map(repr, bad))} is not in {quarter}; the data have: "
                         f"{', '.join(present)}")
    return asked


def one_trust_type(metrics: pd.DataFrame, quarter: str, methodology, trust_type=None) -> str:
    """The trust type a one-table notebook shows: ``trust_type`` (any spelling NHS England uses, e.g. "Mental
    health and community trust"), which the quarter must hold, or the first type in the quarter's data.

    Examples
    --------
    >>> import nhsrank
    >>> m, _ = nhsrank.load_bundled()
    >>> one_trust_type(m, "2025-26-Q1", "nof-2025-26"), one_trust_type(m, "2025-26-Q1", "nof-2025-26", "Mental Health")
    ('acute', 'non-acute')
    """
    types = table_types(metrics, quarter, methodology, trust_type)
    if not types:
        raise ValueError(f"no trust type of {load_methodology(methodology).id} has data in {quarter}")
    return types[0]


def override_counts(overrides: pd.DataFrame) -> str:
    """Per trust type and override, how many trusts an override moved, as text ("none" when none did).

    Examples
    --------
    >>> override_counts(pd.DataFrame(columns=["trust_type", "override", "segment", "segment_before_adjustment"]))
    'No trust changed segment because of an override.'
    """
    moved = overrides[overrides["segment"] != overrides["segment_before_adjustment"]]
    if moved.empty:
        return "No trust changed segment because of an override."
    counts = moved.groupby(["trust_type", "override"], sort=False).size().rename("trusts moved").reset_index()
    return counts.to_string(index=False)


# ---------------------------------------------------------------------------------------------- sensitivity, profile


def funnel_view(metrics, quarter: str, trust_type: str, methodology="nof-2025-26", attributes=None):
    """The funnel plot a page shows: the proportion metric reported by the most trusts, with a sentence.

    Returns ``(funnel, metric_id, metric_name, sentence)``; ``funnel`` is None (and the sentence says why)
    when the table has no proportion metric.

    Examples
    --------
    >>> import nhsrank
    >>> f, mid, name, text = funnel_view(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    >>> mid, text.split(":")[0]
    ('AE4HR', 'AE4HR (Percentage of A&E attendances (all types) seen within 4 hours)')
    """
    from ..sensitivity.funnel import funnel_limits

    meth = load_methodology(methodology)
    f = funnel_limits(metrics, quarter, trust_type, meth, attributes)
    if f.empty:
        if len(f.attrs.get("excluded", ())):     # proportion metrics, but no numerators and denominators
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
    return f, mid, names.get(mid, mid), text


def profile_trust(metrics, quarter: str, methodology="nof-2025-26", attributes=None, trust_type: str | None = None):
    """The trust the profile shows by default: the best-ranked trust that has a segment above it (so
    every section, the distance to the next segment included, has figures), else the best-ranked.

    ``trust_type`` None: the first trust type in the quarter's data (methodology order); a type the
    data do not hold is an :class:`nhsrank.InputError` naming those they hold.

    Examples
    --------
    >>> import nhsrank
    >>> m, a = nhsrank.load_bundled()
    >>> code = profile_trust(m, "2025-26-Q4", "nof-2025-26", a, "ambulance")
    >>> t = nhsrank.league_table(m, "2025-26-Q4", "ambulance", attributes=a)
    >>> int(t.loc[t["trust_code"] == code, "segment"].iloc[0]) in (2, 3, 4)
    True
    """
    from ..rules.league import league_table

    if trust_type is None:
        trust_type = (trust_types(metrics, quarter, methodology) or [None])[0]
    t = league_table(metrics, quarter, trust_type, methodology, attributes)
    if t.empty:
        raise InputError.from_records("trust_code", [{"column": "trust_code", "problem":
            f"no {t.attrs.get('trust_type', trust_type)} trust is ranked in {quarter}: give trust_code"}])
    t = t.sort_values(["league_position", "trust_code"], kind="stable")
    below = t[(t["segment"] > 1) & (t["segment"] < 5)]
    return str((below if len(below) else t)["trust_code"].iloc[0])


def distance_view(distance: pd.DataFrame, trust_code: str):
    """One trust's distance to the next segment: a sentence, and its row (None for a segment 1 trust).

    Examples
    --------
    >>> d = pd.DataFrame({"trust_code": ["A"], "trust_name": ["Ay"], "segment": [1], "next_segment": [np.nan],
    ...                   "improvement_needed": [np.nan]})
    >>> distance_view(d, "A")
    ('Ay is in segment 1: there is no segment above it.', None)
    """
    mine = distance[distance["trust_code"] == trust_code]
    if mine.empty:
        return f"{trust_code} is not ranked: no distance to compute.", None
    r = mine.iloc[0]
    if pd.isna(r.get("improvement_needed")):
        why = ("there is no segment above it" if int(r["segment"]) == 1 else
               "its segment is set by an override, not by its score")
        return f"{r['trust_name']} is in segment {int(r['segment'])}: {why}.", None
    target = (f" (the cut point between segments {int(r['next_segment'])} and {int(r['segment'])} is "
              f"{float(r['target_score']):.2f})" if distance.attrs.get("cut_points") else
              f" (to {float(r['target_score']):.2f})" if "target_score" in r and pd.notna(r["target_score"]) else "")
    return (f"{r['trust_name']} needs its average metric score, {float(r['average_metric_score']):.2f}, to improve "
            f"by {float(r['improvement_needed']):.2f} to reach segment {int(r['next_segment'])}{target}, if every "
            "other trust kept its score." if "average_metric_score" in r else
            f"{r['trust_name']} needs its average metric score to improve by {float(r['improvement_needed']):.2f} "
            f"to reach segment {int(r['next_segment'])}, if every other trust kept its score."), mine.T
