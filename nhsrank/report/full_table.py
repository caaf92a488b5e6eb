"""The full league table of each trust type, with its uncertainty, as a page, a CSV and an Excel sheet.

The report builder calls :func:`write_full_tables` after the notebooks ran: it
reads the tables the notebooks saved (``rank_uncertainty-<type>/rank_uncertainty.csv``,
``league_table/league_tables.csv``), nothing is recomputed, and writes

    full_table.html               every trust of every table, sortable and searchable (inlined JavaScript)
    full_table-<type>.csv         one per trust type, position first
    full_table.xlsx               one sheet per trust type, the same columns in the same order

On NHS England's data the published rank and likely range are set beside ours
(from NHS England's league table file, when it is beside the data file).

Examples
--------
>>> u = pd.DataFrame({"trust_code": ["B", "A"], "trust_name": ["Bee", "Ay"], "league_position": [1, 2],
...                   "segment": [1, 2], "average_metric_score": [1.234, 2.5], "rank_lower": [1, 1],
...                   "rank_upper": [2, 2], "p_segment_1": [0.8, 0.2], "p_segment_2": [0.2, 0.8]})
>>> full_table(u).columns[:6].tolist()
['position', 'trust_code', 'trust_name', 'average_score', 'segment', 'override']
>>> full_table(u)["average_score"].tolist()
[1.23, 2.5]
"""
from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from ..outputs import write_atomic

#: column headers of the page (CSV and Excel keep the column names)
LABELS = {
    "position": "position", "trust_code": "code", "trust_name": "trust", "average_score": "average score",
    "segment": "segment", "override": "override",
    "rank_lower": "95% confidence set for rank: from", "rank_upper": "to",
    "score_rank": "rank by score",
    "likely_position_lower": "likely position: from", "likely_position_median": "median",
    "likely_position_upper": "to",
    "published_rank": "NHS England rank", "published_rank_lower": "NHS England likely range: from",
    "published_rank_upper": "to",
    "published_position": "NHS England position", "published_segment": "NHS England segment",
    "published_score": "NHS England score", "differs": "differs from NHS England",
    "position_change": "change since previous quarter", "band": "band",
    "simultaneous_rank_lower": "95% simultaneous set: from", "simultaneous_rank_upper": "to",
    "surely": "surely in",
}
#: what each column of the CSV and Excel files means (the workbook's notes sheet)
MEANINGS = {
    "quarter": "the quarter of the table",
    "position": "league position computed by nhsrank (segment first, then average score; 1 = best)",
    "trust_code": "NHS England's trust code", "trust_name": "trust name as in the data file",
    "average_score": "average metric score computed by nhsrank (1.00 best to 4.00 worst, 2 dp)",
    "segment": "segment computed by nhsrank after the financial-deficit cap and the PIP segment",
    "published_position": "league position published by NHS England (blank: not in the file)",
    "published_segment": "segment published by NHS England (final segment, OF5005; else OF5000)",
    "published_score": "average metric score published by NHS England (OF5002)",
    "differs": "which of position, segment and score differ from NHS England's ('no': all three agree; "
               "'score (rounding)': by 0.01, as NHS England averages its unrounded metric scores; blank: nothing "
               "published)",
    "position_change": "league position gained since the previous quarter in the data (positive: up; blank: no "
                       "previous quarter, or the trust was not ranked then)",
    "band": "band of trusts the 95% simultaneous rank sets cannot separate (1 = best; docs/uncertainty.md)",
    "override": "an override that set the segment: financial deficit (cap at segment 3) or PIP (segment 5)",
    "rank_lower": "95% confidence set for the trust's rank by average score, on its own: from",
    "rank_upper": "95% confidence set for the trust's rank: to",
    "simultaneous_rank_lower": "95% simultaneous confidence set of the rank (all trusts at once): from",
    "simultaneous_rank_upper": "95% simultaneous confidence set of the rank: to",
    "surely": "'top quarter' / 'bottom quarter' when the whole simultaneous set lies there",
    "score_rank": "rank by average score (before the overrides; ties share the better rank)",
    "likely_position_lower": "likely position (2.5% percentile of bootstrap league positions)",
    "likely_position_median": "median bootstrap league position",
    "likely_position_upper": "likely position (97.5% percentile of bootstrap league positions)",
    "published_rank": "rank in NHS England's league table file",
    "published_rank_lower": "NHS England's likely range of rank: from",
    "published_rank_upper": "NHS England's likely range of rank: to",
}
LIKELY = ["likely_position_lower", "likely_position_median", "likely_position_upper"]
PUBLISHED = ["published_rank", "published_rank_lower", "published_rank_upper"]


def _override(league: pd.DataFrame) -> pd.Series:
    """"PIP", "financial deficit" or "" per row of a league table."""
    fin = league.get("financial_override", pd.Series(False, index=league.index)).fillna(False).astype(bool)
    pip = league.get("pip_override", pd.Series(False, index=league.index)).fillna(False).astype(bool)
    return pd.Series(np.where(pip, "PIP", np.where(fin, "financial deficit", "")), index=league.index)


def full_table(u: pd.DataFrame, league: pd.DataFrame | None = None,
               published: pd.DataFrame | None = None, *, history: pd.DataFrame | None = None,
               quarter: str | None = None, previous: str | None = None) -> pd.DataFrame:
    """Every ranked trust of one table: position first, then the trust, its score, segment, NHS England's
    figures beside them, the band and the uncertainty.

    Parameters
    ----------
    u : a :func:`nhsrank.rank_uncertainty` table (or the CSV the rank_uncertainty notebook saved)
    league : the league table of the same trust type (for the override column); None: no override shown
    published : NHS England's league table file (:func:`nhsrank.data.published.read_league_table_file`) of the
        same quarter and trust type, for its likely range; None: no range columns
    history : :func:`nhsrank.report.trust_data.trust_context` ``["history"]`` rows of this trust type (every
        quarter): NHS England's published position, segment and score of ``quarter``, and the position
        in ``previous``; None: no such columns
    quarter, previous : the table's quarter and the previous quarter in the data (None: no previous quarter)

    Returns
    -------
    DataFrame in league order: position, trust_code, trust_name, average_score (2 dp), segment; with
    ``history``: published_position, published_segment, published_score, differs (when NHS England published
    any of them for the quarter), position_change;
    band and surely (when ``u`` has the simultaneous sets); override, rank_lower, rank_upper (the 95%
    confidence set for the rank), simultaneous_rank_lower/upper, score_rank and likely_position_lower /
    median / upper when ``u`` has them, p_segment_1.. , and published_rank, published_rank_lower,
    published_rank_upper when ``published`` is given.

    Examples
    --------
    >>> u = pd.DataFrame({"trust_code": ["A"], "trust_name": ["Ay"], "league_position": [1], "segment": [3],
    ...                   "average_metric_score": [1.5], "rank_lower": [1], "rank_upper": [1], "p_segment_3": [1.0]})
    >>> lg = pd.DataFrame({"trust_code": ["A"], "financial_override": [True], "pip_override": [False]})
    >>> full_table(u, lg)["override"].tolist()
    ['financial deficit']
    >>> h = pd.DataFrame({"quarter": ["Q1", "Q2"], "trust_code": ["A", "A"], "league_position": [3, 1],
    ...                   "published_position": [3, 2], "published_segment": [3, 3], "published_score": [1.6, 1.5]})
    >>> full_table(u, lg, history=h, quarter="Q2", previous="Q1")[["differs", "position_change"]].values.tolist()
    [['position', 2]]
    """
    from ..uncertainty.bands import rank_bands

    out = pd.DataFrame({"position": u["league_position"].astype(int).to_numpy(),
                        "trust_code": u["trust_code"].astype(str).to_numpy(),
                        "trust_name": u["trust_name"].to_numpy(),
                        "average_score": u["average_metric_score"].astype(float).round(2).to_numpy(),
                        "segment": u["segment"].astype(int).to_numpy()})
    if history is not None:
        now = history[history["quarter"] == quarter].drop_duplicates("trust_code").set_index("trust_code")
        pub_cols = [c for c in ("published_position", "published_segment", "published_score") if c in now]
        published_here = bool(pub_cols) and bool(now.loc[now.index.isin(out["trust_code"]), pub_cols]
                                                 .notna().any().any())
    if history is not None and published_here:       # NHS England's figures of this quarter, where published
        for c in ("published_position", "published_segment"):
            out[c] = (pd.to_numeric(out["trust_code"].map(now[c]), errors="coerce").round().astype("Int64")
                      if c in now else pd.array([pd.NA] * len(out), dtype="Int64"))
        out["published_score"] = (pd.to_numeric(out["trust_code"].map(now["published_score"]), errors="coerce")
                                  .round(2) if "published_score" in now else np.nan)
        out["differs"] = _differs(out)
    if history is not None:
        if previous is not None:
            before = history[history["quarter"] == previous].drop_duplicates("trust_code").set_index("trust_code")
            was = pd.to_numeric(out["trust_code"].map(before["league_position"]), errors="coerce")
            out["position_change"] = (was - out["position"]).round().astype("Int64")
        else:
            out["position_change"] = pd.array([pd.NA] * len(out), dtype="Int64")
    if {"simultaneous_rank_lower", "simultaneous_rank_upper"} <= set(u.columns):
        b = rank_bands(u).table
        out["band"] = b["band"].to_numpy()
        out["surely"] = np.where(b["surely_top_quarter"], "top quarter",
                                 np.where(b["surely_bottom_quarter"], "bottom quarter", ""))
    if league is not None and len(league):
        ov = _override(league.reset_index(drop=True))
        ov.index = league["trust_code"].astype(str).to_numpy()
        out["override"] = out["trust_code"].map(ov[~ov.index.duplicated()]).fillna("").to_numpy()
    else:
        out["override"] = ""
    for c in ["rank_lower", "rank_upper", "simultaneous_rank_lower", "simultaneous_rank_upper", "score_rank"] + LIKELY:
        if c in u:
            out[c] = pd.to_numeric(u[c], errors="coerce").round().astype("Int64").to_numpy()
    for c in sorted((c for c in u.columns if c.startswith("p_segment_")), key=lambda c: int(c.rsplit("_", 1)[1])):
        out[c] = u[c].astype(float).round(3).to_numpy()
    if published is not None:
        pub = published.drop_duplicates("trust_code").set_index("trust_code")
        src = {"published_rank": "rank", "published_rank_lower": "rank_range_lower",
               "published_rank_upper": "rank_range_upper"}
        if "published_position" in out:     # the position column already carries NHS England's rank
            src.pop("published_rank")
        for new, old in src.items():   # whole positions, blank where NHS England's file has no such trust
            out[new] = (pd.to_numeric(out["trust_code"].map(pub[old]), errors="coerce").round().astype("Int64")
                        if old in pub else pd.array([pd.NA] * len(out), dtype="Int64"))
    return out.sort_values(["position", "trust_code"], kind="stable").reset_index(drop=True)


def _differs(out: pd.DataFrame) -> pd.Series:
    """"no", or the figures that differ from NHS England's ("position, score"); "" where nothing is published."""
    parts = []
    for ours, theirs, name in (("position", "published_position", "position"),
                               ("segment", "published_segment", "segment"),
                               ("average_score", "published_score", "score")):
        a = pd.to_numeric(out[ours], errors="coerce").astype(float)
        b = pd.to_numeric(out[theirs], errors="coerce").astype(float)
        off = b.notna() & (np.round(a, 2) != np.round(b, 2))
        # a score within 0.01: NHS England averages its unrounded metric scores (the reconcile's "rounding")
        label = np.where((name == "score") & (np.abs(a - b) <= 0.01 + 1e-9), "score (rounding)", name)
        parts.append(pd.Series(np.where(off, label, ""), index=out.index))
    any_pub = (out[["published_position", "published_segment", "published_score"]].notna().any(axis=1))
    joined = pd.concat(parts, axis=1).apply(lambda r: ", ".join(x for x in r if x), axis=1) if len(out) else \
        pd.Series([], dtype=object)
    return pd.Series(np.where(~any_pub, "", np.where(joined == "", "no", joined)), index=out.index)


def headlines(u: pd.DataFrame, pairs: pd.DataFrame | None = None, rankability: float | None = None) -> list[str]:
    """The headline sentences of one table: neighbours told apart, trusts surely in the top and bottom
    quarter, rankability.

    "Surely" uses the 95% simultaneous confidence sets of the rank by average score (before the
    overrides): a trust is surely in the top quarter when its whole set lies in the top quarter.

    Examples
    --------
    >>> u = pd.DataFrame({"simultaneous_rank_lower": [1, 1, 2, 4, 7, 8, 8, 8],
    ...                   "simultaneous_rank_upper": [1, 3, 4, 6, 8, 8, 8, 8]})
    >>> pairs = pd.DataFrame({"differs_in_order": [True] + [False] * 6})
    >>> for s in headlines(u, pairs, 0.812): print(s)
    1 of 7 neighbouring pairs differ significantly in the table's order (95%, Holm-adjusted).
    1 of 8 trusts surely rank in the top quarter by average score and 4 surely in the bottom quarter (95% simultaneous confidence sets).
    Rankability 0.81: most of the spread in average score between trusts is not sampling noise.
    """  # noqa: E501 (doctest output / markup kept on one line)
    out = []
    n = len(u)
    if pairs is not None:
        col = "differs_in_order" if "differs_in_order" in pairs else "differs"
        k = int(pairs[col].astype(bool).sum())
        out.append(f"{k} of {len(pairs)} neighbouring pairs differ{'s' if k == 1 and len(pairs) == 1 else ''} "
                   f"significantly in the table's order (95%, Holm-adjusted).")
    if {"simultaneous_rank_lower", "simultaneous_rank_upper"} <= set(u.columns) and n >= 4:   # a quarter: 1+ trusts
        quarter = n // 4
        top = int((u["simultaneous_rank_upper"] <= quarter).sum())
        bottom = int((u["simultaneous_rank_lower"] > n - quarter).sum())
        out.append(f"{top} of {n} trusts surely rank in the top quarter by average score and {bottom} surely in "
                   f"the bottom quarter (95% simultaneous confidence sets).")
    if ({"simultaneous_rank_lower", "simultaneous_rank_upper"} <= set(u.columns) and n
            and ({"score_rank", "average_metric_score"} & set(u.columns))):
        from ..uncertainty.bands import band_sentence, rank_bands

        out.append(band_sentence(rank_bands(u)))
    if rankability is not None and np.isfinite(rankability):
        verdict = ("most of the spread in average score between trusts is not sampling noise" if rankability >= 0.7
                   else "about half of the spread in average score is sampling noise" if rankability >= 0.5
                   else "much of the spread in average score is sampling noise")
        out.append(f"Rankability {rankability:.2f}: {verdict}.")
    return out


def interval_svg(lower, upper, position, n: int, likely=None, width: int = 130) -> str:
    """A small inline SVG: the 95% confidence set for the rank as a bar over positions 1..n, the league
    position as a dot and, if given, the likely range ``(lower, upper)`` as a thin grey bar below.

    Examples
    --------
    >>> s = interval_svg(2, 5, 3, 10)
    >>> s.startswith("<svg") and "<title>95% confidence set for rank 2 to 5" in s
    True
    >>> interval_svg(np.nan, np.nan, 3, 10).count("<rect")
    1
    """
    def x(p):
        return 4 + (float(p) - 1) / max(n - 1, 1) * (width - 8)
    parts = [f'<svg class="iv" width="{width}" height="14" viewBox="0 0 {width} 14" role="img">',
             f'<rect x="0" y="0" width="{width}" height="14" fill="#f0f4f5"/>']
    title = f"position {int(position)} of {n}"
    if pd.notna(lower) and pd.notna(upper):
        parts.append(f'<rect x="{x(lower) - 2:.1f}" y="3" width="{x(upper) - x(lower) + 4:.1f}" height="6" '
                     f'fill="#005eb8" opacity="0.75"/>')
        title = f"95% confidence set for rank {int(lower)} to {int(upper)}; " + title
    if likely is not None and pd.notna(likely[0]) and pd.notna(likely[1]):
        parts.append(f'<rect x="{x(likely[0]) - 1:.1f}" y="11" width="{x(likely[1]) - x(likely[0]) + 2:.1f}" '
                     f'height="2" fill="#768692"/>')
        title += f"; likely position {int(likely[0])} to {int(likely[1])}"
    parts.append(f'<circle cx="{x(position):.1f}" cy="6" r="3" fill="#212b32"/>')
    return "".join(parts[:1]) + f"<title>{html.escape(title)}</title>" + "".join(parts[1:]) + "</svg>"


def _cell(col: str, v, previous: str | None = None) -> str:
    missing = v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))
    if col == "position_change":
        if previous is None:
            return '<td data-v="" class="muted">no previous quarter</td>'
        if missing:
            return f'<td data-v="" class="muted" title="not ranked in {html.escape(previous)}">new</td>'
        k = int(v)
        text = f"+{k}" if k > 0 else ("&minus;" + str(-k) if k < 0 else "0")
        return f'<td data-v="{k}" class=num>{text}</td>'
    if col == "differs":
        if missing or v == "":
            return '<td data-v="" class="muted">not published</td>'
        # a difference of rounding alone (NHS England averages unrounded scores) is shown muted, not as a
        # disagreement; any real difference in red
        real = v != "no" and any(part.strip() != "score (rounding)" for part in str(v).split(","))
        cls = " class=differs" if real else (" class=muted" if v != "no" else "")
        return f'<td data-v="{html.escape(str(v))}"{cls}>{html.escape(str(v))}</td>'

    if missing:
        return '<td data-v="">&ndash;</td>'
    if col in ("average_score", "published_score") or col.startswith("p_segment_"):
        text = f"{float(v):.2f}"
    elif isinstance(v, (float, np.floating)) and float(v).is_integer():
        text = str(int(v))
    elif isinstance(v, (bool, np.bool_)):
        text = "yes" if v else "no"
    else:
        text = str(v)
    num = isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
    key = f"{float(v):.6g}" if num else str(v).lower()
    return f'<td data-v="{html.escape(key)}"{" class=num" if num else ""}>{html.escape(text)}</td>'


def trust_page_name(code: str) -> str:
    """The file of a trust's page inside the report folder.

    Examples
    --------
    >>> trust_page_name("RX1"), trust_page_name("SYN/A 1")
    ('trusts/RX1.html', 'trusts/SYN_A_1.html')
    """
    import re

    return f"trusts/{re.sub(r'[^A-Za-z0-9._-]+', '_', str(code))}.html"


#: columns shown side by side as "ours | NHS England's" (their header cells are marked for the browser test)
COMPARE = ("position", "published_position", "segment", "published_segment", "average_score", "published_score",
           "differs")


def table_html(table: pd.DataFrame, key: str, *, previous: str | None = None, links: bool = False) -> str:
    """One trust type's full table as an HTML table with a search box (``id="search-<key>"``) and
    sortable headers. The trust column comes first and stays put when the table scrolls sideways (as the
    header does when it scrolls down); with ``links`` the name links to the trust's page
    (:func:`trust_page_name`). Our position, segment and score stand beside NHS England's; the rank
    interval is drawn inline after them.

    Examples
    --------
    >>> t = full_table(pd.DataFrame({"trust_code": ["A"], "trust_name": ["Ay"], "league_position": [1],
    ...     "segment": [1], "average_metric_score": [1.5], "rank_lower": [1], "rank_upper": [1]}))
    >>> h = table_html(t, "acute", links=True)
    >>> 'id="search-acute"' in h and '<td data-v="1.5" class=num>1.50</td>' in h
    True
    >>> '<th class="trustcol"' in h and 'href="trusts/A.html"' in h
    True
    """
    n = len(table)
    rest = [c for c in table.columns if c != "trust_name"]
    compared = [c for c in COMPARE if c in rest]
    first = ["band", "position_change", "surely"]          # then the band and the change, still on screen
    cols = (["trust_name"] + (compared if "published_position" in rest else [c for c in rest if c in COMPARE])
            + [c for c in first if c in rest] + [c for c in rest if c not in COMPARE and c not in first])
    cols = list(dict.fromkeys(cols))
    insert = cols.index("override") + 1 if "override" in cols else len(cols)

    def head(c):
        label = LABELS.get(c, c.replace("p_segment_", "P(segment ") + (")" if c.startswith("p_segment_") else ""))
        if c == "position_change" and previous:
            label = f"change since {previous}"
        cls = ' class="trustcol"' if c == "trust_name" else (' class="published"' if c.startswith("published_")
                                                             or c == "differs" else "")
        tip = MEANINGS.get(c, "")
        return f'<th{cls}{f" title={chr(34)}{html.escape(tip)}{chr(34)}" if tip else ""}>{html.escape(label)}</th>'

    th = [head(c) for c in cols]
    th.insert(insert, '<th class="nosort">rank interval</th>')
    rows = []
    for rec in table.to_dict("records"):
        cells = []
        for c in cols:
            if c == "trust_name":
                name = html.escape(str(rec["trust_name"]))
                link = (f'<a href="{html.escape(trust_page_name(rec["trust_code"]))}">{name}</a>' if links else name)
                cells.append(f'<td class="trustcol" data-v="{name.lower()}">{link}</td>')
            else:
                cells.append(_cell(c, rec[c], previous))
        likely = ((rec["likely_position_lower"], rec["likely_position_upper"])
                  if "likely_position_lower" in rec else None)
        svg = interval_svg(rec.get("rank_lower"), rec.get("rank_upper"), rec["position"], n, likely)
        cells.insert(insert, f'<td data-v="{rec["position"]}">{svg}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<p><label>Search trusts: <input type="search" id="search-{key}" data-table="table-{key}" '
            f'placeholder="name or code"></label> <span class="count" id="count-{key}">{n} of {n} trusts</span>'
            f' <span class="hint">Click a column header to sort; click a trust for its page.</span></p>'
            f'<div class="scroll"><table class="fulltable" id="table-{key}"><thead><tr>{"".join(th)}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def bands_svg(table: pd.DataFrame, width: int = 960, height: int = 260) -> str:
    """The bands chart of one table: each trust's 95% simultaneous rank set as a vertical bar, trusts in
    order of average score from left to right, coloured by band, band boundaries as dashed lines.

    Examples
    --------
    >>> t = pd.DataFrame({"trust_code": list("ABC"), "trust_name": list("abc"), "score_rank": [1, 2, 3],
    ...                   "simultaneous_rank_lower": [1, 1, 3], "simultaneous_rank_upper": [2, 2, 3],
    ...                   "band": [1, 1, 2]})
    >>> s = bands_svg(t)
    >>> s.count('<line class="bar"') == 3 and "band 2" in s
    True
    """
    palette = ["#005eb8", "#ed8b00", "#007f3b", "#7c2855", "#425563", "#00a499"]
    t = table.dropna(subset=["band", "simultaneous_rank_lower", "simultaneous_rank_upper"])
    by = "score_rank" if "score_rank" in t else "average_score"     # the order the sets rank
    t = t.sort_values([by, "simultaneous_rank_lower", "simultaneous_rank_upper", "trust_code"])
    n = len(table)
    if t.empty:
        return ""
    left, right, top, bottom = 56, 12, 28, 40
    pw, ph = width - left - right, height - top - bottom
    def x(i):
        return left + (i + 0.5) * pw / len(t)

    def y(r):
        return top + (float(r) - 1) / max(n - 1, 1) * ph
    parts = [f'<svg class="bands" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'font-family="system-ui, sans-serif" font-size="12">',
             "<title>Bands: each trust's 95% simultaneous rank set, trusts in order of average score</title>",
             f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="#f0f4f5"/>']
    for r in sorted({1, n} | {max(1, round(n * k / 4)) for k in (1, 2, 3)}):
        parts.append(f'<line x1="{left - 4}" x2="{left + pw}" y1="{y(r):.1f}" y2="{y(r):.1f}" stroke="#d8dde0"/>'
                     f'<text x="{left - 6}" y="{y(r) + 4:.1f}" text-anchor="end">{r}</text>')
    parts.append(f'<text x="12" y="{top + ph / 2:.0f}" transform="rotate(-90 12 {top + ph / 2:.0f})" '
                 'text-anchor="middle">rank (1 = best)</text>')
    bw = max(1.0, min(8.0, pw / len(t) * 0.7))
    prev_band = None
    for i, rec in enumerate(t.to_dict("records")):
        band = int(rec["band"])
        colour = palette[(band - 1) % len(palette)]
        if prev_band is not None and band != prev_band:
            xb = left + i * pw / len(t)
            parts.append(f'<line x1="{xb:.1f}" x2="{xb:.1f}" y1="{top}" y2="{top + ph}" stroke="#212b32" '
                         'stroke-dasharray="4 3"/>')
        parts.append(
            f'<line class="bar" x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{y(rec["simultaneous_rank_lower"]) - 1:.1f}" '
            f'y2="{y(rec["simultaneous_rank_upper"]) + 1:.1f}" stroke="{colour}" stroke-width="{bw:.1f}">'
            f"<title>{html.escape(str(rec.get('trust_name', rec['trust_code'])))}: band {band}, "
            f"rank {int(rec['simultaneous_rank_lower'])} to {int(rec['simultaneous_rank_upper'])}</title></line>"
        )
        prev_band = band
    n_bands = int(t["band"].max())
    for b in range(1, n_bands + 1):
        idx = np.flatnonzero(t["band"].to_numpy() == b)
        xm = left + (idx.min() + idx.max() + 1) / 2 * pw / len(t)
        parts.append(f'<text x="{xm:.1f}" y="{top - 10}" text-anchor="middle" font-weight="bold" '
                     f'fill="{palette[(b - 1) % len(palette)]}">band {b} ({len(idx)})</text>')
    parts.append(f'<text x="{left + pw / 2:.0f}" y="{height - 10}" text-anchor="middle">trusts in order of '
                 'average score, best on the left</text>')
    return "".join(parts) + "</svg>"


#: search and sort, inlined in the page (nothing is loaded from the network)
TABLE_JS = r"""
(function () {
  function key(row, i) { var v = row.cells[i].getAttribute('data-v'); return v === null ? row.cells[i].textContent : v; }
  document.querySelectorAll('input[data-table]').forEach(function (box) {
    var table = document.getElementById(box.getAttribute('data-table'));
    var count = document.getElementById(box.id.replace('search-', 'count-'));
    box.addEventListener('input', function () {
      var q = box.value.trim().toLowerCase(), shown = 0, rows = table.tBodies[0].rows;
      for (var r = 0; r < rows.length; r++) {
        var hit = rows[r].textContent.toLowerCase().indexOf(q) >= 0;
        rows[r].style.display = hit ? '' : 'none'; if (hit) { shown++; }
      }
      count.textContent = shown + ' of ' + rows.length + ' trusts';
    });
  });
  document.querySelectorAll('table.fulltable').forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, i) {
      if (th.classList.contains('nosort')) { return; }
      th.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a, i), y = key(b, i), nx = parseFloat(x), ny = parseFloat(y);
          var c = (x === '' || y === '') ? (x === '' ? 1 : 0) - (y === '' ? 1 : 0) :
                  (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
"""  # noqa: E501 (doctest output / markup kept on one line)

PAGE_CSS = """
body { max-width: 1600px; }
table.fulltable td { white-space: nowrap; }
.scroll { overflow: auto; max-width: 100%; max-height: 82vh; border: 1px solid #d8dde0; }
table.fulltable { border-collapse: separate; border-spacing: 0; font-size: 13px; width: auto; }
table.fulltable th { cursor: pointer; position: sticky; top: 0; z-index: 2; background: #f0f4f5; white-space: nowrap; }
table.fulltable th.published { background: #e8edee; }
table.fulltable .trustcol { position: sticky; left: 0; z-index: 1; background: #fff; border-right: 2px solid #d8dde0;
                            max-width: 330px; overflow: hidden; text-overflow: ellipsis; }
table.fulltable th.trustcol { z-index: 3; background: #f0f4f5; }
table.fulltable th.nosort { cursor: default; }
table.fulltable th[aria-sort=ascending]::after { content: " \\25B2"; }
table.fulltable th[aria-sort=descending]::after { content: " \\25BC"; }
table.fulltable td, table.fulltable th { padding: 3px 6px; border-bottom: 1px solid #d8dde0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.muted { color: #768692; } td.differs { color: #d5281b; font-weight: 600; }
.count, .hint { color: #425563; font-size: 13px; }
svg.bands { max-width: 100%; height: auto; }
"""


def full_table_page(tables: dict, quarter: str, *, banner: str = "", box: str = "", notes: dict | None = None,
                    css: str = "", chart_links: dict | None = None, previous: str | None = None,
                    links: bool = False, source: str = "") -> str:
    """The whole page: banner, "How sure we are" box, then per trust type its headlines, bands chart and
    full table.

    ``tables`` maps trust type to :func:`full_table`; ``notes`` maps trust type to a list of sentences;
    ``css`` is put before the page's own style (the report passes the index page's); ``chart_links`` maps
    trust type to the relative path of its interactive rank-interval chart; ``previous`` is the previous
    quarter in the data (None: none); ``links``: link each trust to its page; ``source``: where the data
    come from (one sentence).
    """
    sections = []
    for tt, t in tables.items():
        key = "".join(ch if ch.isalnum() else "-" for ch in tt)
        lis = "".join(f"<li>{html.escape(s)}</li>" for s in (notes or {}).get(tt, []))
        if tt in (chart_links or {}):
            lis += (f'<li><a href="{html.escape(chart_links[tt])}">Interactive rank-interval chart</a> '
                    f'(find a trust; opens offline).</li>')
        chart = bands_svg(t) if "band" in t else ""
        bands = (f'<figure id="bands-{key}" class="bandsfig">{chart}<figcaption class="provenance">Bands: each bar '
                 f"is a trust's 95% simultaneous rank set; a dashed line marks where the sets separate the trusts "
                 f"into bands (every trust left of it has a better average score than every trust right of it, "
                 f"with 95% confidence for all such statements at once).</figcaption></figure>") if chart else ""
        sections.append(f'<h2 id="{key}">{html.escape(tt)} trusts ({len(t)})</h2>'
                        + (f"<ul>{lis}</ul>" if lis else "") + bands + table_html(t, key, previous=previous,
                                                                                   links=links)
                        + f'<p class="provenance">Also as <a href="full_table-{key}.csv">full_table-{key}.csv</a> '
                          f'and in <a href="full_table.xlsx">full_table.xlsx</a> (sheet {html.escape(tt)}).</p>')
    nav = " &middot; ".join(f'<a href="#{"".join(c if c.isalnum() else "-" for c in tt)}">{html.escape(tt)}</a>'
                            for tt in tables)
    legend = ("Rank interval: the dark bar is the 95% confidence set for the trust's rank, the dot its league "
              "position" + ("; the thin grey bar the likely position (the spread of bootstrap league positions, "
                            "NHS England's &ldquo;likely range&rdquo;)" if any("likely_position_lower" in t
                                                                                for t in tables.values()) else "")
              + ". P(segment k): the share of bootstrap replicates that put the trust in segment k. Band: trusts "
              "the 95% simultaneous rank sets cannot separate (1 = best). Change since the previous quarter: "
              "league positions gained.")
    has_pub = any("published_position" in t and t["published_position"].notna().any() for t in tables.values())
    origin = ("Every figure on this page was computed by nhsrank from the data file, except the NHS England "
              "columns (shaded headers), which are taken from NHS England's published file." if has_pub else
              "Every figure on this page was computed by nhsrank from the data file; the file carries no "
              "published NHS England results to set beside them.")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Full league tables {html.escape(quarter)}</title><style>{css}{PAGE_CSS}</style></head>
<body>
{banner}
<p class="nav"><a href="index.html">&larr; report {html.escape(quarter)}</a> &middot; {nav}</p>
<h1>Full league tables: {html.escape(quarter)}</h1>
{box}
<p class="provenance">{legend} {origin} {html.escape(source)}</p>
{chr(10).join(sections)}
<script>{TABLE_JS}</script>
</body></html>
"""


def notes_frame(tables: dict, quarter: str | None, source: str = "", method: str = "") -> pd.DataFrame:
    """The notes sheet of the workbook: source, licence, method, then what each column means.

    Examples
    --------
    >>> t = pd.DataFrame({"position": [1], "band": [1]})
    >>> notes_frame({"acute": t}, "2025-26-Q1", "NHS England", "NOF")["item"].tolist()[:4]
    ['report quarter', 'source', 'licence', 'method']
    """
    licence = ("Open Government Licence v3.0 (NHS England's data; attribution in source)"
               if "Open Government Licence" in source else
               "none needed: SYNTHETIC, fictional trusts" if "SYNTHETIC" in source else
               "as given by the supplier of the data")
    rows = [("report quarter", quarter or ""), ("source", source or "the data file given to the report"),
            ("licence", licence),
            ("method", method or "the NHS Oversight Framework rules (nhsrank methodology file)"),
            ("computed", "every column is computed by nhsrank except those named published_*, which are taken "
                         "from NHS England's published file"),
            ("sheets", ", ".join(f"{tt} ({len(t)} trusts)" for tt, t in tables.items()))]
    seen = []
    for t in tables.values():
        seen += [c for c in t.columns if c not in seen]
    for c in ["quarter"] + seen:
        if c.startswith("p_segment_"):
            rows.append((c, f"share of bootstrap replicates that put the trust in segment {c.rsplit('_', 1)[1]}"))
        elif c in MEANINGS:
            rows.append((c, MEANINGS[c]))
    return pd.DataFrame(rows, columns=["item", "meaning"])


def write_full_tables(tables: dict, out_dir, *, quarter: str | None = None, source: str = "",
                      method: str = "") -> list[Path]:
    """Write one CSV per trust type (``full_table-<type>.csv``) and ``full_table.xlsx`` (one sheet each, with
    a quarter column, the header row frozen, filters on, and a notes sheet: source, licence, method, what
    each column means).

    Examples
    --------
    >>> import tempfile
    >>> t = pd.DataFrame({"position": [1], "trust_code": ["A"], "average_score": [1.5]})
    >>> [p.name for p in write_full_tables({"acute": t}, tempfile.mkdtemp())]
    ['full_table-acute.csv', 'full_table.xlsx']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for tt, t in tables.items():
        key = "".join(ch if ch.isalnum() else "-" for ch in tt)
        p = out / f"full_table-{key}.csv"
        write_atomic(p, lambda tmp, t=t: t.to_csv(tmp, index=False, lineterminator="\n"))
        written.append(p)
    xlsx = out / "full_table.xlsx"

    def workbook(tmp: Path) -> None:
        import io

        buf = io.BytesIO()
        with pd.ExcelWriter(buf, engine="openpyxl") as xw:
            for tt, t in tables.items():
                t = t if quarter is None or "quarter" in t else t.assign(quarter=quarter)[
                    ["quarter"] + [c for c in t.columns]]
                t.to_excel(xw, sheet_name=tt[:31], index=False)
                ws = xw.sheets[tt[:31]]
                ws.freeze_panes = "D2"           # header row and quarter, position, code stay put
                ws.auto_filter.ref = ws.dimensions
                for col in ws.columns:           # readable widths
                    width = max(len(str(c.value)) if c.value is not None else 0 for c in col[:200])
                    ws.column_dimensions[col[0].column_letter].width = min(max(8, width + 2), 60)
            notes_frame(tables, quarter, source, method).to_excel(xw, sheet_name="notes", index=False)
            ws = xw.sheets["notes"]
            ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 26, 110
        tmp.write_bytes(_fix_xlsx_timestamps(buf.getvalue()))

    write_atomic(xlsx, workbook)
    written.append(xlsx)
    return written


def _fix_xlsx_timestamps(workbook: bytes) -> bytes:
    """Same inputs, same bytes: openpyxl stamps the current time into the workbook; set it to a constant."""
    import io
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"<dcterms:(created|modified)([^>]*)>[^<]*</dcterms:\1>",
                              rb"<dcterms:\1\2>2000-01-01T00:00:00Z</dcterms:\1>", data)
            info = zipfile.ZipInfo(item.filename, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data)
    return out.getvalue()


def _read_csv(path: Path) -> pd.DataFrame | None:
    return pd.read_csv(path, dtype={"trust_code": str}) if path.exists() else None


def build_from_report(folder, trust_types, quarter: str, *, published_file=None,
                      context: dict | None = None) -> tuple[dict, dict, list[Path]]:
    """Assemble the full tables from the CSVs the notebooks saved in a report ``folder``.

    ``context`` (:func:`nhsrank.report.trust_data.trust_context`) adds NHS England's published position,
    segment and score, the "differs" flag and the change since the previous quarter.

    Returns ``(tables, notes, missing)``: trust type -> :func:`full_table`, trust type -> headline
    sentences (:func:`headlines`), and the notebook CSVs that were not there (their trust types are
    left out, and the builder says so).
    """
    from ..data.published import read_league_table_file
    from .plan import output_paths, output_stem

    folder = Path(folder)
    league = _read_csv(folder / "league_table" / "league_tables.csv")
    pub = read_league_table_file(published_file) if published_file is not None else None
    if pub is not None and pub["quarter"].notna().any():
        pub = pub[pub["quarter"] == quarter]
    tables, notes, missing = {}, {}, []
    for tt in trust_types:
        sub = output_paths(folder, output_stem("rank_uncertainty", tt))["files"]
        u = _read_csv(sub / "rank_uncertainty.csv")
        if u is None:
            missing.append(sub / "rank_uncertainty.csv")
            continue
        lg = league[league["trust_type"] == tt] if league is not None and "trust_type" in league else league
        p = None
        if pub is not None:
            p = pub[pub["trust_type"] == tt] if pub["trust_type"].notna().any() else pub
            p = p if len(p) else None
        hist = None
        if context is not None:
            h = context["history"]
            hist = h[h["trust_type"] == tt]
        tables[tt] = full_table(u, lg, p, history=hist, quarter=quarter,
                                previous=None if context is None else context.get("previous_quarter"))
        pairs = _read_csv(sub / "adjacent_pairs.csv")
        summary = _read_csv(sub / "summary.csv")
        rank = None
        if summary is not None:
            hit = summary.loc[summary["measure"].str.startswith("rankability"), "value"]
            rank = pd.to_numeric(hit, errors="coerce").iloc[0] if len(hit) else None
        notes[tt] = headlines(u, pairs, rank)
    return tables, notes, missing


__all__ = ["full_table", "headlines", "interval_svg", "table_html", "full_table_page", "write_full_tables",
           "bands_svg", "notes_frame", "trust_page_name", "MEANINGS",
           "build_from_report"]
