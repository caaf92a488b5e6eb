"""League tables as DataFrames: :func:`league_table` and :func:`league_tables`."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .methodology import load_methodology
from ..errors import InputError
from .checks import check_metrics_for_methodology
from .pipeline import _checked_frame, domain_cut_points, domain_scores, peer_group, resolve_quarter
from .segmentation import ranked_segments, segment, threshold_segments
from .trust_types import normalise_trust_type

EXCLUSION_COLUMNS = ["trust_code", "trust_name", "trust_type", "quarter", "n_metrics_scored", "reason"]


def league_table(data, quarter: str | None = None, trust_type: str | None = None, methodology="nof-2025-26",
                 attributes=None, cut_points=None) -> pd.DataFrame:
    """The league table of one trust type in one quarter.

    Parameters
    ----------
    data : DataFrame from :func:`nhsrank.read_metrics` or a path to a CSV/xlsx
    quarter : "2025-26-Q1" style; may be omitted if the data hold one quarter
    trust_type : "acute", "non-acute" or "ambulance" (NHS England's labels too); None: the only type in
        the quarter; a type the data do not hold is an error naming those they hold
    methodology : methodology id (e.g. "nof-2025-26"), YAML path or Methodology
    attributes : trust attributes (financial_deficit, pip flags), path or None (None: the
        flags NHS England published in the file, if any)
    cut_points : the quarter's segment cut points, or None (see :func:`nhsrank.peer_group`)

    Returns
    -------
    DataFrame, one row per ranked trust in league order, with columns
    trust_code, trust_name, trust_type, quarter, n_metrics_scored, one column
    per metric id (its score; every metric of the catalogue a trust of the type reports),
    ``domain_<key>`` (weighted mean score per domain, 2 dp), ``segment_<key>``
    (the domain's segment, NHS England's OF41xx), average_metric_score,
    segment_before_adjustment, in_financial_deficit, financial_override,
    segment_adjusted (after the deficit cap, before segment 5: NHS England's OF5000),
    in_pip, pip_override, segment, league_position (competition rank on the segment
    named by the methodology's ``league_position.segment``, then the average).
    Trusts not ranked are in ``table.attrs["exclusions"]`` (a DataFrame with
    a reason for each), so that every input trust is accounted for.
    ``table.attrs["provenance"]`` says which figures were computed and which
    taken from the file (metric scores, cut points, flags).
    (To stack several tables use :func:`league_tables`, or clear ``attrs``
    first: pandas cannot compare DataFrames held in ``attrs`` when concatenating.)

    Examples
    --------
    >>> from nhsrank import load_bundled
    >>> metrics, attrs = load_bundled()
    >>> t = league_table(metrics, "2025-26-Q1", "ambulance", attributes=attrs)
    >>> int(t["league_position"].min())
    1
    """
    data = _checked_frame(data)
    g = peer_group(data, quarter, trust_type, methodology, attributes, cut_points)
    res = g.run()
    inc = g.included
    ids = list(g.metrics["metric_id"])
    table = g.trusts[inc].reset_index(drop=True)
    table.insert(2, "trust_type", g.trust_type)
    table.insert(3, "quarter", g.quarter)
    table["n_metrics_scored"] = np.sum(~np.isnan(g.values[inc]), axis=1)
    scores = pd.DataFrame(res["scores"][inc], columns=ids)
    # domain scores: the metrics that enter the average (the finance domain holds the combined
    # finance score, not its two parts), rounded like the average
    dm = domain_scores(g, res["scores"][inc])
    domains = pd.DataFrame(dm, columns=[f"domain_{k}" for k in g.domain_keys])
    # a segment per domain (NHS England's OF41xx), by the overall segments' rule on each domain score
    dcuts, g.provenance["domain_segments"], sides = domain_cut_points(g, data, attributes)
    dseg = np.full(dm.shape, np.nan)
    for k, key in enumerate(g.domain_keys):
        if dcuts is None:
            dseg[:, k] = segment(dm[:, k], g.methodology.segmentation)
        elif not np.isnan(dcuts[k]).any():
            dseg[:, k] = threshold_segments(dm[:, k], dcuts[k], sides)
    dsegs = pd.DataFrame(dseg, columns=[f"segment_{k}" for k in g.domain_keys]).astype("Int64")
    table = pd.concat([table, scores, domains, dsegs], axis=1)
    table["average_metric_score"] = res["average_metric_score"][inc]
    table["segment_before_adjustment"] = res["segment_before_adjustment"][inc].astype(int)
    table["in_financial_deficit"] = g.deficit[inc]
    table["financial_override"] = res["financial_override"][inc]
    table["in_pip"] = g.pip[inc]
    table["pip_override"] = res["pip_override"][inc]
    # NHS England's adjusted segment (OF5000): after the deficit cap, before segment 5
    table["segment_adjusted"] = ranked_segments(res["segment_before_adjustment"][inc], res["segment"][inc],
                                                g.deficit[inc], g.methodology.overrides, "adjusted").astype(int)
    table["segment"] = res["segment"][inc].astype(int)
    table["league_position"] = res["league_position"][inc].astype(int)
    table = table.sort_values(["league_position", "trust_code"], kind="stable").reset_index(drop=True)
    table.attrs["exclusions"] = g.exclusions.reindex(columns=EXCLUSION_COLUMNS)
    table.attrs["methodology"] = g.methodology.id
    table.attrs["methodology_sha256"] = g.methodology.sha256
    table.attrs["provenance"] = dict(g.provenance)
    table.attrs["cut_points"] = None if g.cut_points is None else [float(c) for c in g.cut_points]
    return table


def league_tables(data, quarter: str | None = None, trust_types=None, methodology="nof-2025-26",
                  attributes=None, cut_points=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """League tables of several trust types, each ranked separately.

    Returns
    -------
    (tables, exclusions) : one DataFrame with all trust types stacked (metric
        columns of every type; a trust type's table leaves other types'
        metric columns empty) and one DataFrame of every trust not ranked.
        A trust type with no trusts in the data gives no rows.

    Examples
    --------
    >>> from nhsrank import load_bundled
    >>> metrics, attrs = load_bundled()
    >>> tables, excluded = league_tables(metrics, "2025-26-Q1", attributes=attrs)
    >>> sorted(tables["trust_type"].unique())
    ['acute', 'ambulance', 'non-acute']
    """
    meth = load_methodology(methodology)
    data = _checked_frame(data)
    attrs = None if attributes is None else _checked_frame(attributes, "attributes")
    q = resolve_quarter(data, quarter, data.attrs.get("source", "data"))
    if trust_types is None:
        # every trust type in the data must have a table, else its trusts would vanish unnoticed
        check_metrics_for_methodology(data[data["quarter"] == q], meth, data.attrs.get("source", "data"))
    if isinstance(trust_types, str):
        trust_types = [trust_types]
    types = [normalise_trust_type(t) for t in trust_types] if trust_types is not None else meth.trust_types
    present = set(data.loc[data["quarter"] == q, "trust_type"])
    if trust_types is not None:
        missing = [t for t in types if t not in present]
        if missing:
            raise InputError.from_records(data.attrs.get("source", "data"), [{"column": "trust_type", "problem":
                f"no {', '.join(missing)} trusts in {q}; trust types present: {', '.join(sorted(present)) or 'none'}"}])
    tables, excl, provenance = [], [], {}
    for tt in types:
        if tt not in present:
            continue
        t = league_table(data, q, tt, meth, attrs, cut_points)
        excl.append(t.attrs["exclusions"])
        provenance[tt] = t.attrs["provenance"]
        t.attrs = {}  # a DataFrame in attrs breaks pd.concat's attrs comparison
        tables.append(t)
    if not tables:
        return pd.DataFrame(), pd.DataFrame(columns=EXCLUSION_COLUMNS)
    out = pd.concat(tables, ignore_index=True, sort=False)
    lead = ["trust_code", "trust_name", "trust_type", "quarter", "n_metrics_scored"]
    tail = ["average_metric_score", "segment_before_adjustment", "in_financial_deficit", "financial_override",
            "segment_adjusted", "in_pip", "pip_override", "segment", "league_position"]
    domains = [c for c in out.columns if c.startswith("domain_")]
    domains += [f"segment_{c[7:]}" for c in domains if f"segment_{c[7:]}" in out.columns]
    middle = [c for c in out.columns if c not in lead + tail + domains]
    out = out[lead + middle + domains + tail]
    out.attrs = {"provenance": provenance}
    exclusions = pd.concat(excl, ignore_index=True) if excl else pd.DataFrame(columns=EXCLUSION_COLUMNS)
    return out, exclusions
