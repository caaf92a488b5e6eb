"""Reconcile: every figure nhsrank computes from NHS England's file, beside the one NHS England published.

The published NOF data file carries, besides the raw values, NHS England's
own results: metric scores (OF1xxx), domain scores (OF40xx), the average
metric score (OF5002), the unadjusted, adjusted and final segments (OF5003,
OF5000, OF5005); its league table file carries the rank and the likely
ranges. :func:`reconcile` recomputes the tables from the file and sets each
figure beside the published one, so an analyst can check the reproduction
line by line before believing anything else.

Figures that cannot be computed from one trust type's file are taken from it
(the metric scores of metrics whose peers span every trust type; the cut
points consistent with the published segments): those rows say ``taken`` in
``source`` and are listed, not counted as agreements.

Examples
--------
>>> from nhsrank.data.readers import DATA_DIR
>>> r = reconcile(DATA_DIR / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv", quarter="2025-26-Q4")
>>> s = r.summary().set_index("figure")
>>> int(s.loc["segment", "agree"]), int(s.loc["segment", "compared"])
(61, 61)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..rules.league import league_table
from ..rules.methodology import DEFAULT_METHODOLOGY, load_methodology
from ..rules.quarters import normalise_quarter
from .readers import normalise_trust_type, read_metrics, read_published_scores, read_table

#: published id of each whole-table figure
PUBLISHED_FIGURES = {"average_metric_score": "OF5002", "segment_before_adjustment": "OF5003",
                     "segment_adjusted": "OF5000", "segment_final": "OF5005"}
RECONCILE_COLUMNS = ["trust_code", "trust_name", "trust_type", "quarter", "figure", "published", "computed",
                     "difference", "agrees", "source", "note"]
#: figure families in the order the reconcile reports them
FAMILIES = ["league_position", "segment", "segment_adjusted", "segment_before_adjustment", "average_metric_score",
            "domain segments", "domain scores", "metric scores"]
#: 2-dp figures agree when equal to the hundredth
TOLERANCE = 1e-9


def read_league_table_file(path) -> pd.DataFrame:
    """NHS England's published league table (rank, segment, likely ranges) in canonical names.

    Returns trust_code, trust_type, quarter, average_score, segment, in_financial_deficit, rank,
    score_range_lower/upper and rank_range_lower/upper (the ranges are written "1.2 to 1.89").
    """
    raw = read_table(path)
    cols = {re.sub(r"[^a-z]+", "_", str(c).lower()).strip("_"): c for c in raw.columns}
    need = ["trust_code", "rank"]
    missing = [c for c in need if c not in cols]
    if missing:
        raise InputError.from_records(str(path), [{"column": ", ".join(missing), "problem":
            "not a league table file: expected columns Trust_code and Rank (NHS England's league table CSV)"}])
    out = pd.DataFrame({"trust_code": raw[cols["trust_code"]].astype(str).str.strip()})
    out["trust_type"] = raw[cols["trust_type"]].map(normalise_trust_type) if "trust_type" in cols else None
    out["quarter"] = raw[cols["quarter"]].map(normalise_quarter) if "quarter" in cols else None
    num = lambda c: pd.to_numeric(raw[cols[c]], errors="coerce") if c in cols else np.nan  # noqa: E731
    out["average_score"] = num("average_score")
    out["segment"] = num("segment")
    out["rank"] = num("rank")
    if "trust_in_financial_deficit" in cols:
        out["in_financial_deficit"] = raw[cols["trust_in_financial_deficit"]].astype(str).str.strip().str.lower() \
            .map({"yes": True, "no": False, "1": True, "0": False, "true": True, "false": False})
    for name, key in (("score", "likely_range_of_average_score"), ("rank", "likely_range_of_rank")):
        if key in cols:
            parts = raw[cols[key]].astype(str).str.extract(r"([-\d.]+)\s*to\s*([-\d.]+)")
            out[f"{name}_range_lower"] = pd.to_numeric(parts[0], errors="coerce")
            out[f"{name}_range_upper"] = pd.to_numeric(parts[1], errors="coerce")
    return out


def league_table_beside(data) -> Path | None:
    """NHS England's league table file beside a data file (the one ``*league-table*.csv`` in the
    folder of the file, or of the files given as a list), or None."""
    items = list(data) if isinstance(data, (list, tuple)) else [data]
    if any(isinstance(d, pd.DataFrame) for d in items):
        return None
    found = set()
    for folder in {Path(d).parent for d in items}:
        found |= set(folder.glob("*league-table*.csv")) | set(folder.glob("*league_table*.csv"))
    return sorted(found)[0] if len(found) == 1 else None


def _domain_ids(published: pd.DataFrame, methodology) -> dict[str, str]:
    """``domain_<key>`` -> the published OF40xx id whose domain name matches the methodology's label."""
    if methodology.published_domain_ids:
        return {f"domain_{k}": v for k, v in methodology.published_domain_ids.items()}
    out = {}
    if "domain" not in published.columns:
        return out
    names = (published[published["metric_id"].str.match(r"^OF40\d\d$", na=False)]
             .drop_duplicates("metric_id").set_index("metric_id")["domain"].dropna())
    for key, label in methodology.domains.items():
        words = " ".join(str(label).lower().split()[:2])
        for mid, dom in names.items():
            if " ".join(str(dom).lower().split()[:2]) == words:
                out[f"domain_{key}"] = mid
    return out


@dataclass(frozen=True)
class Reconciliation:
    """Every figure recomputed from NHS England's file beside the published one: :func:`reconcile`'s result.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per trust x quarter x figure, real disagreements first: trust_code,
        trust_name, trust_type, quarter; figure (``average_metric_score``,
        ``segment_before_adjustment``, ``segment_adjusted``, ``segment``, ``domain_<key>``,
        ``domain_segment_<key>``, ``score_<metric id>`` or ``league_position``); published
        (NHS England's figure), computed (nhsrank's), difference (computed - published);
        agrees (None where the figure was taken from the file); kind (``agrees``,
        ``rounding``: a score within 0.01; ``disagrees``; ``taken``); source (``computed``
        or ``taken``); note. Plain: nothing in its ``attrs``.
    figures : pandas.DataFrame
        Per quarter, trust type and figure family (:func:`summarise_reconcile`): compared,
        agree, rounding, disagree, taken, max_abs_difference.
    provenance : dict of str to dict
        Per "<trust type> <quarter>" table, which figures were computed and which taken from
        the file (:attr:`nhsrank.LeagueTable.provenance`).
    methodology : str
        The id of the methodology the figures were recomputed with.
    league_table_file : str or None
        The league table file the ranks were compared with; None if none.

    Examples
    --------
    >>> from nhsrank.data.readers import DATA_DIR
    >>> r = reconcile(DATA_DIR / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv", quarter="2025-26-Q4")
    >>> int(r.summary()["compared"].sum()) == int((r.table["source"] == "computed").sum())
    True
    """

    table: pd.DataFrame
    figures: pd.DataFrame
    provenance: dict
    methodology: str
    league_table_file: str | None

    def to_frame(self) -> pd.DataFrame:
        """The per-figure rows (a copy), as a plain DataFrame."""
        return self.table.copy()

    def summary(self) -> pd.DataFrame:
        """Per quarter, trust type and figure family, how many agree (``figures``, a copy)."""
        return self.figures.copy()


def reconcile(data, quarter: str | None = None, league_table_file="auto", methodology=DEFAULT_METHODOLOGY,
              cut_points=None, trust_type: str | None = None) -> Reconciliation:
    """Set every figure recomputed from NHS England's file beside the published one.

    Parameters
    ----------
    data : str, pathlib.Path or list of them
        NHS England's published NOF data file(s).
    quarter : str or None, default None
        One quarter; None: every quarter in the file.
    league_table_file : str, pathlib.Path or None, default "auto"
        NHS England's league table CSV for the rank (and likely ranges); "auto": the one
        ``*league-table*`` file beside the data file(s), if there is one. Where it has no row
        for a trust and quarter, the league position is compared with the Rank NHS England
        publishes on its adjusted-segment rows (OF5000), which is the league position.
    methodology : str, pathlib.Path or Methodology, default "nof-2025-26"
        The rules to recompute with.
    cut_points : sequence of float, "own" or None, default None
        As :func:`nhsrank.league_table` (None: pooled, or consistent with the published
        segments).
    trust_type : str or None, default None
        One trust type; None: every type in the file.

    Returns
    -------
    Reconciliation
        ``table``: one row per trust x quarter x figure, real disagreements first, with columns:

        - trust_code, trust_name, trust_type, quarter;
        - figure: ``average_metric_score``, ``segment_before_adjustment``,
          ``segment_adjusted``, ``segment``, ``domain_<key>``, ``domain_segment_<key>``,
          ``score_<metric id>`` or ``league_position``;
        - published, computed, difference;
        - agrees: None where the figure was taken from the file;
        - kind: ``agrees``; ``rounding`` (a score within 0.01, which is how far NHS
          England's averaging of unrounded scores moves a 2-dp figure); ``disagrees`` (a
          segment, a position or a score beyond rounding); ``taken``;
        - source: ``computed`` or ``taken``;
        - note.

        ``figures`` (also ``summary()``): per quarter and figure, how many were compared, how
        many agree and the largest difference; ``provenance``: which figures were taken, per
        table; methodology; league_table_file.
    """
    meth = load_methodology(methodology)
    paths = list(data) if isinstance(data, (list, tuple)) else [data]
    if isinstance(league_table_file, str) and league_table_file == "auto":
        league_table_file = league_table_beside(paths)
    metrics = read_metrics(paths if len(paths) > 1 else paths[0], methodology=meth)
    published = pd.concat([_published_with_domain(p) for p in paths], ignore_index=True)
    if published.empty:
        raise InputError.from_records(", ".join(map(str, paths)), [{"column": "metric_id", "problem":
            "the file holds no published results (OF1xxx-OF5xxx rows): nothing to reconcile against"}])
    pub = published.pivot_table(index=["quarter", "trust_code"], columns="metric_id", values="value", aggfunc="first")
    quarters = [normalise_quarter(quarter)] if quarter else sorted(metrics["quarter"].dropna().unique())
    league = read_league_table_file(league_table_file) if league_table_file is not None else None
    domain_ids = _domain_ids(published, meth)
    # the Rank NHS England publishes on its adjusted-segment rows (OF5000) is the league position
    ranks = {}
    if "published_rank" in published.columns:
        of5000 = published[published["metric_id"] == "OF5000"].dropna(subset=["published_rank"])
        ranks = dict(zip(zip(of5000["quarter"], of5000["trust_code"]), of5000["published_rank"]))
    rows, provenance = [], {}

    def league_rows(q):
        """The league table file's rows of quarter q (by trust code); empty for another quarter's file."""
        if league is None:
            return pd.DataFrame()
        return league[(league["quarter"].isna()) | (league["quarter"] == q)].set_index("trust_code")

    for q in quarters:
        types = [trust_type] if trust_type else [t for t in meth.trust_types
                                                  if ((metrics["quarter"] == q) & (metrics["trust_type"] == t)).any()]
        for tt in types:
            result = league_table(metrics, q, tt, meth, None, cut_points)
            t = result.table
            provenance[f"{tt} {q}"] = result.provenance
            taken_ids = _taken_metric_ids(result.provenance.get("metric_scores", ""))
            p = pub.loc[q] if q in pub.index.get_level_values(0) else pd.DataFrame()
            lg_q = league_rows(q)
            for r in t.itertuples(index=False):
                base = {"trust_code": r.trust_code, "trust_name": r.trust_name, "trust_type": tt, "quarter": q}
                pr = p.loc[r.trust_code] if r.trust_code in p.index else pd.Series(dtype=float)

                def add(figure, published_value, computed_value, source="computed", note=""):
                    if published_value is None or pd.isna(published_value):
                        return
                    diff = (float(computed_value) - float(published_value)
                            if computed_value is not None and not pd.isna(computed_value) else np.nan)
                    agrees = (None if source == "taken" else bool(not np.isnan(diff) and abs(diff) < TOLERANCE + 1e-12))
                    # noqa: B023 below: add() is called within the iteration that defines it
                    rows.append({**base, "figure": figure, "published": float(published_value),  # noqa: B023
                                 "computed": computed_value, "difference": diff, "agrees": agrees,
                                 "source": source, "note": note})

                add("average_metric_score", pr.get("OF5002"), r.average_metric_score,
                    note="" if abs(r.average_metric_score - pr.get("OF5002", np.nan)) < TOLERANCE + 1e-12 else
                    "NHS England averages its unrounded metric scores; the file publishes them to 2 dp")
                avg_off = abs(r.average_metric_score - pr.get("OF5002", np.nan)) > TOLERANCE + 1e-12
                cuts = ", ".join(f"{c:.2f}" for c in (result.cut_points or []))
                seg_note = ("" if r.segment_before_adjustment == pr.get("OF5003") else
                            f"the average is {r.average_metric_score - pr.get('OF5002', np.nan):+.2f} off NHS "
                            f"England's, beside a cut point ({cuts})" if avg_off else f"cut points {cuts}")
                add("segment_before_adjustment", pr.get("OF5003"), r.segment_before_adjustment, note=seg_note)
                add("segment_adjusted", pr.get("OF5000"), r.segment_adjusted)
                final = pr.get("OF5005") if not pd.isna(pr.get("OF5005", np.nan)) else pr.get("OF5000")
                add("segment", final, r.segment)
                for col, mid in domain_ids.items():
                    if col in t.columns:
                        v = getattr(r, col)
                        add(col, pr.get(mid), v, note="" if abs(v - pr.get(mid, np.nan)) < TOLERANCE + 1e-12 else
                            "NHS England averages its unrounded metric scores")
                        seg_col, seg_id = "segment_" + col[len("domain_"):], "OF41" + mid[4:]
                        if seg_col in t.columns:
                            add("domain_segment_" + col[len("domain_"):], pr.get(seg_id), getattr(r, seg_col))
                in_league = r.trust_code in lg_q.index
                if not in_league and not pd.isna(ranks.get((q, r.trust_code), np.nan)):
                    add("league_position", ranks[(q, r.trust_code)], r.league_position)
                for mid in t.columns:
                    if re.fullmatch(r"OF0\d{3}", str(mid)):
                        sid = "OF1" + mid[3:]
                        add(f"score_{mid}", pr.get(sid), getattr(r, mid),
                            "taken" if mid in taken_ids else "computed")
            if league is not None:
                lg = league_rows(q)
                for r in t.itertuples(index=False):
                    if r.trust_code in lg.index:
                        row = lg.loc[r.trust_code]
                        base = {"trust_code": r.trust_code, "trust_name": r.trust_name, "trust_type": tt,
                                "quarter": q}
                        diff = float(r.league_position - row["rank"])
                        rows.append({**base, "figure": "league_position", "published": float(row["rank"]),
                                     "computed": float(r.league_position), "difference": diff,
                                     "agrees": diff == 0, "source": "computed", "note": ""})
    out = pd.DataFrame(rows, columns=RECONCILE_COLUMNS)
    out.insert(out.columns.get_loc("agrees") + 1, "kind", _kinds(out))
    rank = out["kind"].map({"disagrees": 0, "rounding": 1, "agrees": 2, "taken": 3})
    fam = out["figure"].where(~out["figure"].str.startswith("score_"), "metric scores")
    fam = fam.where(~fam.str.startswith("domain_segment_"), "domain segments")
    fam = fam.where(~fam.str.startswith("domain_"), "domain scores")
    order = fam.map({f: i for i, f in enumerate(FAMILIES)}).fillna(len(FAMILIES))
    # real disagreements first, the most consequential first: positions, segments, averages, domains, scores
    out = (out.assign(_k=rank, _f=order).sort_values(["_k", "_f", "quarter", "trust_type"], kind="stable")
           .drop(columns=["_k", "_f"]).reset_index(drop=True))
    return Reconciliation(table=out, figures=summarise_reconcile(out), provenance=provenance, methodology=meth.id,
                          league_table_file=None if league_table_file is None else str(league_table_file))


#: a score off by this much or less is a rounding difference (NHS England averages unrounded scores)
ROUNDING = 0.01 + 1e-9


def _kinds(rec: pd.DataFrame) -> pd.Series:
    """agrees / rounding / disagrees / taken for each reconcile row."""
    score = ~rec["figure"].str.contains("segment|position", regex=True)
    kind = np.where(rec["source"].eq("taken"), "taken",
                    np.where(rec["agrees"].eq(True), "agrees",
                             np.where(score & (rec["difference"].abs() <= ROUNDING), "rounding", "disagrees")))
    return pd.Series(kind, index=rec.index)


def _published_with_domain(path) -> pd.DataFrame:
    """read_published_scores plus the Domain column (to match OF40xx to the methodology's domains)."""
    scores = read_published_scores(path)
    if isinstance(path, pd.DataFrame):
        return scores
    raw = read_table(path)
    dom = next((c for c in raw.columns if str(c).strip().lower() == "domain"), None)
    mid = next((c for c in raw.columns if str(c).strip().lower().replace("_", "") == "metricid"), None)
    if dom and mid:
        names = raw[[mid, dom]].drop_duplicates(mid).set_index(mid)[dom]
        scores["domain"] = scores["metric_id"].map(names)
    return scores


def _taken_metric_ids(text: str) -> set[str]:
    m = re.search(r"taken from the file for ([^(]*)\(", text)
    return set(re.findall(r"OF\d{4}", m.group(1))) if m else set()


def summarise_reconcile(rec: pd.DataFrame) -> pd.DataFrame:
    """Per quarter, trust type and figure family: compared (computed figures), agree (exactly),
    rounding (scores within 0.01), disagree, taken (from the file, not counted), largest absolute
    difference."""
    cols = ["quarter", "trust_type", "figure", "compared", "agree", "rounding", "disagree", "taken",
            "max_abs_difference"]
    if rec.empty:
        return pd.DataFrame(columns=cols)
    fam = rec["figure"].where(~rec["figure"].str.startswith("score_"), "metric scores")
    fam = fam.where(~fam.str.startswith("domain_segment_"), "domain segments")
    fam = fam.where(~fam.str.startswith("domain_"), "domain scores")
    kind = rec["kind"] if "kind" in rec.columns else _kinds(rec)
    g = rec.assign(family=fam, kind=kind).groupby(["quarter", "trust_type", "family"], sort=True)
    out = g.apply(lambda d: pd.Series({
        "compared": int((d["source"] == "computed").sum()),
        "agree": int(d["agrees"].eq(True).sum()),
        "rounding": int(d["kind"].eq("rounding").sum()),
        "disagree": int(d["kind"].eq("disagrees").sum()),
        "taken": int((d["source"] == "taken").sum()),
        "max_abs_difference": float(d.loc[d["source"] == "computed", "difference"].abs().max())
        if (d["source"] == "computed").any() else np.nan}), include_groups=False).reset_index()
    out = out.rename(columns={"family": "figure"})
    order = {f: i for i, f in enumerate(FAMILIES)}
    out = (out.assign(_o=out["figure"].map(order).fillna(len(order)))
           .sort_values(["quarter", "trust_type", "_o"], kind="stable").drop(columns="_o"))
    return out[cols].reset_index(drop=True)


def _figure_words(figure: str) -> str:
    words = {"league_position": "league position", "segment": "final segment", "segment_adjusted":
             "adjusted segment", "segment_before_adjustment": "unadjusted segment", "average_metric_score":
             "average metric score"}
    if figure in words:
        return words[figure]
    if figure.startswith("score_"):
        return f"{figure[6:]} score"
    if figure.startswith("domain_segment_"):
        return f"{figure[15:].replace('_', ' ')} domain segment"
    if figure.startswith("domain_"):
        return f"{figure[7:].replace('_', ' ')} domain score"
    return figure.replace("_", " ")


def _number(figure: str, v) -> str:
    if v is None or pd.isna(v):
        return "none"
    return f"{int(round(float(v)))}" if re.search(r"segment|position", figure) else f"{float(v):.2f}"


def reconcile_report(rec: Reconciliation | pd.DataFrame, limit: int = 40) -> str:
    """The reconcile in words: per table and quarter how many figures agree, then the real
    disagreements (positions, segments, scores beyond rounding), then how many differ by rounding only.

    Examples
    --------
    >>> rec = pd.DataFrame({"trust_code": ["A", "A"], "trust_name": ["A", "A"], "trust_type": ["acute"] * 2,
    ...     "quarter": ["2025-26-Q1"] * 2, "figure": ["league_position", "average_metric_score"],
    ...     "published": [2.0, 1.81], "computed": [3.0, 1.80], "difference": [1.0, -0.01],
    ...     "agrees": [False, False], "source": ["computed"] * 2, "note": ["", ""]})
    >>> print(reconcile_report(rec))
    acute 2025-26-Q1: league position 0 of 1 exact; average metric score 0 of 1 exact, 1 within 0.01 (rounding)
    1 real disagreement:
      acute 2025-26-Q1 A league position: NHS England 2, nhsrank 3 (+1)
    1 rounding difference (a score within 0.01: NHS England averages its unrounded metric scores); --out lists them
    """
    lines = []
    if isinstance(rec, Reconciliation):
        s, rec = rec.figures, rec.table
    else:
        s = summarise_reconcile(rec)
    for (q, tt), d in s.groupby(["quarter", "trust_type"], sort=False):
        parts = []
        for r in d.itertuples():
            name = {"metric scores": "metric scores", "domain scores": "domain scores",
                    "domain segments": "domain segments"}.get(r.figure, _figure_words(r.figure))
            text = f"{name} {int(r.agree)} of {int(r.compared)} exact"
            if r.rounding:
                text += f", {int(r.rounding)} within 0.01 (rounding)"
            if r.taken:
                text += f"; {int(r.taken)} more taken from the file (not compared)"
            parts.append(text)
        lines.append(f"{tt} {q}: " + "; ".join(parts))
    kind = rec["kind"] if "kind" in rec.columns else _kinds(rec)
    bad = rec[kind.eq("disagrees")]
    if len(bad):
        lines.append(f"{len(bad)} real disagreement{'s' if len(bad) != 1 else ''}:")
        for r in bad.head(limit).itertuples():
            diff = r.difference
            dtext = (f" ({'+' if diff > 0 else ''}{_number(r.figure, diff)})" if not pd.isna(diff) else "")
            lines.append(f"  {r.trust_type} {r.quarter} {r.trust_code} {_figure_words(r.figure)}: NHS England "
                         f"{_number(r.figure, r.published)}, nhsrank {_number(r.figure, r.computed)}{dtext}"
                         + (f" - {r.note}" if r.note else ""))
        if len(bad) > limit:
            lines.append(f"  ... and {len(bad) - limit} more (write them all with --out FILE)")
    else:
        lines.append("no real disagreement (no position, segment or score beyond rounding differs)")
    n_round = int(kind.eq("rounding").sum())
    if n_round:
        lines.append(f"{n_round} rounding difference{'s' if n_round != 1 else ''} (a score within 0.01: NHS "
                     "England averages its unrounded metric scores); --out lists them")
    return "\n".join(lines)


__all__ = ["reconcile", "Reconciliation", "reconcile_report", "summarise_reconcile", "read_league_table_file",
           "league_table_beside", "PUBLISHED_FIGURES", "FAMILIES"]
