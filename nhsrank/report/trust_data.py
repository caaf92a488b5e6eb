"""What the full table and the trust pages need beyond the notebooks' CSVs, computed once per report.

:func:`trust_context` runs the league rules (cheap: no bootstrap) on every quarter and trust type in
the data, and reads NHS England's published position, segment and score where the file carries
them. The report builder calls it once; :mod:`.full_table` and :mod:`.trust_pages` only format.

Examples
--------
>>> import nhsrank
>>> m, a = nhsrank.load_bundled()
>>> ctx = trust_context(m, a, "nof-2025-26", "2025-26-Q2", ["acute"])
>>> ctx["previous_quarter"], sorted(ctx["history"]["quarter"].unique())     # every quarter of the data
('2025-26-Q1', ['2025-26-Q1', '2025-26-Q2', '2025-26-Q3', '2025-26-Q4'])
>>> bool(ctx["history"]["published_position"].isna().all())    # SYNTHETIC data: nothing published
True
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

HISTORY_COLUMNS = ["quarter", "trust_type", "trust_code", "trust_name", "league_position", "segment",
                   "segment_before_adjustment", "average_metric_score", "financial_override", "pip_override",
                   "published_position", "published_segment", "published_score", "published_score_range_lower",
                   "published_score_range_upper"]
METRIC_COLUMNS = ["trust_code", "metric_id", "metric_name", "domain", "score", "peer_median", "n_peers",
                  "weight", "moves_average"]


def _published(data_path, league_file=None) -> pd.DataFrame:
    """NHS England's published league position (OF5000 rank, or the league table file's rank for its
    quarter), final segment (OF5005, else OF5000) and average score (OF5002), per quarter and trust."""
    from ..data.published import read_league_table_file
    from ..data.readers import read_published_scores

    cols = ["quarter", "trust_code", "published_position", "published_segment", "published_score",
            "published_score_range_lower", "published_score_range_upper"]
    paths = [] if data_path is None else (list(data_path) if isinstance(data_path, (list, tuple)) else [data_path])
    frames = []
    for p in paths:
        try:
            frames.append(read_published_scores(p))
        except Exception:  # noqa: BLE001 - a file without published rows (user CSV, A&E): nothing published
            continue
    pub = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if pub.empty:
        return pd.DataFrame(columns=cols)
    wide = pub.pivot_table(index=["quarter", "trust_code"], columns="metric_id", values="value", aggfunc="first")
    out = pd.DataFrame(index=wide.index)
    final = wide["OF5005"] if "OF5005" in wide else pd.Series(np.nan, index=wide.index)
    adjusted = wide["OF5000"] if "OF5000" in wide else pd.Series(np.nan, index=wide.index)
    out["published_segment"] = final.where(final.notna(), adjusted)
    out["published_score"] = wide["OF5002"] if "OF5002" in wide else np.nan
    out["published_position"] = np.nan
    out["published_score_range_lower"] = out["published_score_range_upper"] = np.nan
    if "published_rank" in pub.columns:
        of5000 = pub[pub["metric_id"] == "OF5000"].dropna(subset=["published_rank"])
        ranks = of5000.drop_duplicates(["quarter", "trust_code"]).set_index(["quarter", "trust_code"])["published_rank"]
        out["published_position"] = ranks.reindex(out.index)
    if league_file is not None:     # its rank, and its likely range of the average score, for its quarter
        lg = read_league_table_file(league_file).dropna(subset=["quarter"])
        lg = lg.drop_duplicates(["quarter", "trust_code"]).set_index(["quarter", "trust_code"])
        hit = lg["rank"].reindex(out.index)
        out["published_position"] = hit.where(hit.notna(), out["published_position"])
        for side in ("lower", "upper"):
            if f"score_range_{side}" in lg:
                out[f"published_score_range_{side}"] = lg[f"score_range_{side}"].reindex(out.index)
    return out.reset_index()[cols]


def trust_context(metrics: pd.DataFrame, attributes, methodology, quarter: str, trust_types,
                  data_path=None) -> dict:
    """The league of every quarter and trust type in ``metrics``, published figures beside it, and the
    report quarter's metric scores with their effect on the average.

    Parameters
    ----------
    metrics : pandas.DataFrame
        The :func:`nhsrank.read_metrics` table, every quarter.
    attributes : pandas.DataFrame or None
        The trust attributes, as the notebooks were given them.
    methodology : str, path-like or Methodology
        Methodology id, YAML path or loaded methodology.
    quarter : str
        The report's quarter.
    trust_types : list of str
        The report's trust types.
    data_path : str, path-like, list of them or None, default None
        The data file(s) (NHS England's: their published figures are read); None: no published figures.

    Returns
    -------
    dict
        With the keys:

        - ``history`` (pandas.DataFrame): one row per quarter and trust ranked, columns
          :data:`HISTORY_COLUMNS`: ``quarter``, ``trust_type``, ``trust_code``, ``trust_name``,
          ``league_position``, ``segment``, ``segment_before_adjustment``, ``average_metric_score``,
          ``financial_override``, ``pip_override`` (computed here), then ``published_position``,
          ``published_segment`` (Int64), ``published_score``, ``published_score_range_lower``,
          ``published_score_range_upper`` (NHS England's, taken from the file; missing where it has none).
        - ``metric_scores`` (dict of str to pandas.DataFrame): per trust type, the report quarter's long
          table with columns :data:`METRIC_COLUMNS`: ``trust_code``, ``metric_id``, ``metric_name``,
          ``domain``, ``score``, ``peer_median``, ``n_peers`` (trusts scored), ``weight``, ``moves_average``
          = weight x (score - peer median) / the trust's total weight (the contributions add up to the
          trust's average minus the average it would have with the peer median score on every metric it
          reports); one row per metric that enters the average and the trust reports. Only for
          methodologies that average metric scores.
        - ``cuts`` (dict of str to tuple): per trust type, ``(cut points, sides)`` of the report quarter
          (lists, or None).
        - ``quarters`` (list of str): every quarter in the data, oldest first.
        - ``previous_quarter`` (str or None): the quarter before the report's.
        - ``published`` (bool): whether any published figure was found.
    """
    from ..data.published import league_table_beside
    from ..rules.methodology import load_methodology
    from ..rules.pipeline import peer_group
    from .plan import quarter_before

    meth = load_methodology(methodology)
    quarters = sorted(metrics["quarter"].dropna().unique())
    rows, metric_scores, cuts = [], {}, {}
    for q in quarters:
        present = set(metrics.loc[metrics["quarter"] == q, "trust_type"].dropna())
        for tt in [t for t in meth.trust_types if t in present]:
            g = peer_group(metrics, q, tt, meth, attributes)
            res = g.run()
            inc = g.included
            if not inc.any():
                continue
            rows.append(pd.DataFrame({
                "quarter": q, "trust_type": tt, "trust_code": g.trusts["trust_code"].astype(str).to_numpy()[inc],
                "trust_name": g.trusts["trust_name"].to_numpy()[inc],
                "league_position": res["league_position"][inc].astype(int),
                "segment": res["segment"][inc].astype(int),
                "segment_before_adjustment": res["segment_before_adjustment"][inc].astype(int),
                "average_metric_score": res["average_metric_score"][inc],
                "financial_override": res["financial_override"][inc].astype(bool),
                "pip_override": res["pip_override"][inc].astype(bool)}))
            if q == quarter and tt in trust_types:
                cuts[tt] = (None if g.cut_points is None else [float(c) for c in g.cut_points],
                            list(g.cut_sides) if g.cut_sides is not None else None)
                if meth.aggregation == "mean_of_metrics":
                    metric_scores[tt] = _metric_effects(g, res["scores"][inc], g.trusts["trust_code"]
                                                        .astype(str).to_numpy()[inc])
    history = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=HISTORY_COLUMNS[:10])
    league_file = league_table_beside(data_path) if data_path is not None else None
    pub = _published(data_path, league_file)
    history = history.merge(pub, on=["quarter", "trust_code"], how="left")
    for c in ("published_position", "published_segment"):
        history[c] = pd.to_numeric(history[c], errors="coerce").round().astype("Int64")
    for c in ("published_score", "published_score_range_lower", "published_score_range_upper"):
        history[c] = pd.to_numeric(history[c], errors="coerce")
    return {"history": history[HISTORY_COLUMNS], "metric_scores": metric_scores, "cuts": cuts,
            "quarters": quarters, "previous_quarter": quarter_before(quarters, quarter),
            "published": bool(history["published_position"].notna().any()
                              or history["published_score"].notna().any())}


def _metric_effects(g, scores: np.ndarray, codes) -> pd.DataFrame:
    """Long table of the metrics that enter the average: score, peer median, effect on the average."""
    w = np.asarray(g.average_weights, dtype=float)
    enter = w > 0
    s = scores[:, enter]
    ww = w[enter]
    have = ~np.isnan(s)
    with warnings.catch_warnings():      # a metric no trust of the table reports: no median (NaN), no effect
        warnings.simplefilter("ignore", RuntimeWarning)
        med = np.nanmedian(np.where(have, s, np.nan), axis=0) if s.size else np.zeros(0)
    total = (have * ww).sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        moves = np.where(have & (total > 0), ww * (s - med) / total, np.nan)
    meta = g.metrics.loc[enter]
    n_t, n_m = s.shape
    out = pd.DataFrame({"trust_code": np.repeat(codes, n_m),
                        "metric_id": np.tile(meta["metric_id"].astype(str).to_numpy(), n_t),
                        "metric_name": np.tile(meta["name"].astype(str).to_numpy(), n_t),
                        "domain": np.tile(meta["domain"].astype(str).to_numpy(), n_t),
                        "score": s.ravel(), "peer_median": np.tile(med, n_t),
                        "n_peers": np.tile(have.sum(axis=0), n_t), "weight": np.tile(ww, n_t),
                        "moves_average": moves.ravel()})
    return out[out["score"].notna()].reset_index(drop=True)


def data_source_line(data_path, synthetic: bool, methodology: str | None = None) -> str:
    """Where a page's data come from, in one sentence (the file names, OGL attribution, or SYNTHETIC): the
    line every report page carries (the full tables, the trust pages, the interactive charts).

    Parameters
    ----------
    data_path : str, pathlib.Path, list or None
        The data file, or the files read together; None when none is named.
    synthetic : bool
        Whether the data are nhsrank's bundled SYNTHETIC set.
    methodology : str or None, default None
        The methodology id the data were ranked with; an ``ae-`` id says the file is the A&E statistics
        (ranked with NOF rules, not an NHS England table).

    Returns
    -------
    str
        One sentence, ending with the licence attribution when the data are NHS England's.

    Examples
    --------
    >>> data_source_line(None, True)[:9]
    'SYNTHETIC'
    >>> "Open Government Licence" in data_source_line(["data/nhs-england/nof-acute-trust-data-2025-26-q1.csv"], False)
    True
    >>> line = data_source_line("data/ae_attendances.csv", False, "ae-4hr")
    >>> line.startswith("Source: NHS England's A&E attendances"), "not an NHS England table" in line
    (True, True)
    """
    from .manifest import OGL_ATTRIBUTION, is_nhs_england_file

    if synthetic:
        return ("SYNTHETIC data: nhsrank's bundled fictional trusts in NHS Oversight Framework format; "
                "no figure on this page describes a real trust.")
    paths = [] if data_path is None else (list(data_path) if isinstance(data_path, (list, tuple)) else [data_path])
    names = ", ".join(Path(p).name for p in paths)
    if methodology is not None and str(methodology).startswith("ae-"):
        return (f"Source: NHS England's A&E attendances and emergency admissions statistics ({names or 'the file'}), "
                f"ranked with NOF rules; not an NHS England table. {OGL_ATTRIBUTION}")
    if paths and is_nhs_england_file(data_path):
        return f"Source: NHS England, NHS Oversight Framework data ({names}). {OGL_ATTRIBUTION}"
    return f"Source: {names or 'the data given to the report'} (supplied by the user)."


__all__ = ["trust_context", "data_source_line", "HISTORY_COLUMNS", "METRIC_COLUMNS"]
