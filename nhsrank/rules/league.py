"""League tables: :func:`league_table` and :func:`league_tables`, and their results."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from .checks import check_metrics_for_methodology
from .methodology import DEFAULT_METHODOLOGY, load_methodology
from .pipeline import checked_frame, domain_cut_points, domain_scores, peer_group, resolve_quarter
from .segmentation import ranked_segments, segment, threshold_segments
from .trust_types import normalise_trust_type

EXCLUSION_COLUMNS = ["trust_code", "trust_name", "trust_type", "quarter", "n_metrics_scored", "reason"]


@dataclass(frozen=True)
class LeagueTable:
    """The league table of one trust type in one quarter, with what was left out and why.

    Returned by :func:`league_table`. The per-trust rows are the plain DataFrame ``table``
    (nothing in its ``attrs``), so tables stack with :func:`pandas.concat`.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per ranked trust in league order (the columns :func:`league_table` lists).
    exclusions : pandas.DataFrame
        The trusts not ranked, one row each with the reason (columns
        :data:`EXCLUSION_COLUMNS`), so that every input trust is accounted for.
    provenance : dict
        Which figures were computed and which taken from the file (metric scores, cut
        points, flags, domain segments).
    methodology : str
        The methodology's id.
    methodology_sha256 : str
        SHA-256 of the methodology file.
    quarter : str
        The quarter ranked, "2025-26-Q1" style.
    trust_type : str
        The trust type ranked.
    cut_points : list of float or None, default None
        The segment cut points used; None where the methodology cuts by quantiles.

    Examples
    --------
    >>> from nhsrank import load_bundled, league_table
    >>> metrics, attributes = load_bundled()   # SYNTHETIC data
    >>> result = league_table(metrics, "2025-26-Q1", "ambulance", attributes=attributes)
    >>> int(result.table["league_position"].min()), result.trust_type
    (1, 'ambulance')
    >>> result.to_frame().attrs
    {}
    """

    table: pd.DataFrame
    exclusions: pd.DataFrame
    provenance: dict
    methodology: str
    methodology_sha256: str
    quarter: str
    trust_type: str
    cut_points: list | None = None

    def to_frame(self) -> pd.DataFrame:
        """The per-trust table (a copy), as a plain DataFrame."""
        return self.table.copy()

    def summary(self) -> str:
        """One sentence: how many trusts were ranked and how many left out.

        Examples
        --------
        >>> from nhsrank import load_bundled, league_table
        >>> metrics, attributes = load_bundled()   # SYNTHETIC data
        >>> league_table(metrics, "2025-26-Q1", "ambulance", attributes=attributes).summary()  # doctest: +ELLIPSIS
        '... ambulance trusts ranked in 2025-26-Q1 (nof-2025-26); ... not ranked.'
        """
        return (f"{len(self.table)} {self.trust_type} trusts ranked in {self.quarter} ({self.methodology}); "
                f"{len(self.exclusions)} not ranked.")


@dataclass(frozen=True)
class LeagueTables:
    """League tables of several trust types in one quarter, each ranked separately.

    Returned by :func:`league_tables`.

    Parameters
    ----------
    table : pandas.DataFrame
        Every trust type's table stacked (:func:`league_table`'s columns); a trust type's
        rows leave other types' metric columns empty. Plain: nothing in ``attrs``.
    exclusions : pandas.DataFrame
        Every trust not ranked, with the reason (columns :data:`EXCLUSION_COLUMNS`).
    provenance : dict
        Per trust type, :attr:`LeagueTable.provenance`.
    methodology : str
        The methodology's id.
    methodology_sha256 : str
        SHA-256 of the methodology file.
    quarter : str or None
        The quarter ranked; None if no trust type had trusts.
    by_type : dict of str to LeagueTable, default {}
        Each trust type's own result, in the methodology's order.

    Examples
    --------
    >>> from nhsrank import load_bundled, league_tables
    >>> metrics, attributes = load_bundled()   # SYNTHETIC data
    >>> result = league_tables(metrics, "2025-26-Q1", attributes=attributes)
    >>> list(result.by_type), len(result.exclusions)
    (['acute', 'non-acute', 'ambulance'], 4)
    """

    table: pd.DataFrame
    exclusions: pd.DataFrame
    provenance: dict
    methodology: str
    methodology_sha256: str
    quarter: str | None
    by_type: dict = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The stacked per-trust table (a copy), as a plain DataFrame."""
        return self.table.copy()

    def summary(self) -> pd.DataFrame:
        """Per trust type: trusts ranked and trusts not ranked.

        Examples
        --------
        >>> from nhsrank import load_bundled, league_tables
        >>> metrics, attributes = load_bundled()   # SYNTHETIC data
        >>> league_tables(metrics, "2025-26-Q1", attributes=attributes).summary().columns.tolist()
        ['trust_type', 'ranked', 'not_ranked']
        """
        rows = [{"trust_type": tt, "ranked": len(r.table), "not_ranked": len(r.exclusions)}
                for tt, r in self.by_type.items()]
        return pd.DataFrame(rows, columns=["trust_type", "ranked", "not_ranked"])


def league_table(data, quarter: str | None = None, trust_type: str | None = None, methodology=DEFAULT_METHODOLOGY,
                 attributes=None, cut_points=None) -> LeagueTable:
    """The league table of one trust type in one quarter.

    Parameters
    ----------
    data : pandas.DataFrame
        The long metrics table from :func:`nhsrank.read_metrics` (``nhsrank.league_table``
        also takes a path to a CSV/xlsx).
    quarter : str or None, default None
        "2025-26-Q1" style; None if the data hold one quarter.
    trust_type : str or None, default None
        "acute", "non-acute" or "ambulance" (NHS England's labels too); None: the only type
        in the quarter; a type the data do not hold is an error naming those they hold.
    methodology : str, pathlib.Path or Methodology, default "nof-2025-26"
        Methodology id, YAML path or loaded methodology.
    attributes : pandas.DataFrame or None, default None
        Trust attributes (financial_deficit, pip flags); None: the flags NHS England
        published in the file, if any.
    cut_points : sequence of float, "own" or None, default None
        The quarter's segment cut points (see :func:`nhsrank.peer_group`).

    Returns
    -------
    LeagueTable
        ``table``: one row per ranked trust in league order, with columns:

        - trust_code, trust_name, trust_type, quarter;
        - n_metrics_scored: the number of metrics the trust is scored on;
        - one column per metric id: its score, 2 dp (every metric of the catalogue a
          trust of the type reports);
        - ``domain_<key>``: weighted mean score per domain, 2 dp;
        - ``segment_<key>``: the domain's segment (NHS England's OF41xx);
        - average_metric_score: the weighted mean of the metric scores, 2 dp;
        - segment_before_adjustment: the segment from the cut points;
        - in_financial_deficit, financial_override: the deficit flag, and whether the cap
          changed the segment;
        - segment_adjusted: after the deficit cap, before segment 5 (NHS England's OF5000);
        - in_pip, pip_override: the Recovery Support Programme flag, and whether it set
          segment 5;
        - segment: the final segment;
        - league_position: competition rank on the segment named by the methodology's
          ``league_position.segment``, then the average.

        ``exclusions`` lists the trusts not ranked with a reason for each, so that every
        input trust is accounted for; ``provenance`` says which figures were computed and
        which taken from the file (metric scores, cut points, flags); see
        :class:`LeagueTable` for every field.

    Examples
    --------
    >>> from nhsrank import load_bundled
    >>> metrics, attrs = load_bundled()
    >>> t = league_table(metrics, "2025-26-Q1", "ambulance", attributes=attrs)
    >>> int(t.table["league_position"].min())
    1
    """
    data = checked_frame(data)
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
    for k in range(len(g.domain_keys)):
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
    table.attrs = {}
    return LeagueTable(table=table, exclusions=g.exclusions.reindex(columns=EXCLUSION_COLUMNS),
                       provenance=dict(g.provenance), methodology=g.methodology.id,
                       methodology_sha256=g.methodology.sha256, quarter=g.quarter, trust_type=g.trust_type,
                       cut_points=None if g.cut_points is None else [float(c) for c in g.cut_points])


def league_tables(data, quarter: str | None = None, trust_types=None, methodology=DEFAULT_METHODOLOGY,
                  attributes=None, cut_points=None) -> LeagueTables:
    """League tables of several trust types, each ranked separately.

    Parameters
    ----------
    data : pandas.DataFrame
        The long metrics table from :func:`nhsrank.read_metrics` (``nhsrank.league_tables``
        also takes a path).
    quarter : str or None, default None
        "2025-26-Q1" style; None if the data hold one quarter.
    trust_types : list of str or None, default None
        The trust types to rank; None: every type of the methodology.
    methodology : str, pathlib.Path or Methodology, default "nof-2025-26"
        Methodology id, YAML path or loaded methodology.
    attributes : pandas.DataFrame or None, default None
        Trust attributes; None: the flags NHS England published in the file, if any.
    cut_points : sequence of float, "own" or None, default None
        The quarter's segment cut points (see :func:`nhsrank.peer_group`).

    Returns
    -------
    LeagueTables
        ``table``: every trust type's table (:func:`league_table`'s columns) stacked; a trust
        type's rows leave other types' metric columns empty, and a trust type with no trusts
        in the data gives no rows. ``exclusions``: every trust not ranked, with the reason.
        ``by_type``: each type's :class:`LeagueTable`.

    Examples
    --------
    >>> from nhsrank import load_bundled
    >>> metrics, attrs = load_bundled()
    >>> result = league_tables(metrics, "2025-26-Q1", attributes=attrs)
    >>> sorted(result.table["trust_type"].unique())
    ['acute', 'ambulance', 'non-acute']
    """
    meth = load_methodology(methodology)
    data = checked_frame(data)
    attrs = None if attributes is None else checked_frame(attributes, "attributes")
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
    by_type = {}
    for tt in types:
        if tt not in present:
            continue
        by_type[tt] = league_table(data, q, tt, meth, attrs, cut_points)
    tables = [r.table for r in by_type.values()]
    excl = [r.exclusions for r in by_type.values()]
    provenance = {tt: r.provenance for tt, r in by_type.items()}
    if not tables:
        return LeagueTables(pd.DataFrame(), pd.DataFrame(columns=EXCLUSION_COLUMNS), {}, meth.id, meth.sha256, q, {})
    out = pd.concat(tables, ignore_index=True, sort=False)
    lead = ["trust_code", "trust_name", "trust_type", "quarter", "n_metrics_scored"]
    tail = ["average_metric_score", "segment_before_adjustment", "in_financial_deficit", "financial_override",
            "segment_adjusted", "in_pip", "pip_override", "segment", "league_position"]
    domains = [c for c in out.columns if c.startswith("domain_")]
    domains += [f"segment_{c[7:]}" for c in domains if f"segment_{c[7:]}" in out.columns]
    middle = [c for c in out.columns if c not in lead + tail + domains]
    out = out[lead + middle + domains + tail]
    exclusions = pd.concat(excl, ignore_index=True) if excl else pd.DataFrame(columns=EXCLUSION_COLUMNS)
    return LeagueTables(table=out, exclusions=exclusions, provenance=provenance, methodology=meth.id,
                        methodology_sha256=meth.sha256, quarter=q, by_type=by_type)
