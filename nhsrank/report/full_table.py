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
}
LIKELY = ["likely_position_lower", "likely_position_median", "likely_position_upper"]
PUBLISHED = ["published_rank", "published_rank_lower", "published_rank_upper"]


def _override(league: pd.DataFrame) -> pd.Series:
    """"PIP", "financial deficit" or "" per row of a league table."""
    fin = league.get("financial_override", pd.Series(False, index=league.index)).fillna(False).astype(bool)
    pip = league.get("pip_override", pd.Series(False, index=league.index)).fillna(False).astype(bool)
    return pd.Series(np.where(pip, "PIP", np.where(fin, "financial deficit", "")), index=league.index)


def full_table(u: pd.DataFrame, league: pd.DataFrame | None = None,
               published: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every ranked trust of one table: position first, then the trust, its score, segment and uncertainty.

    Parameters
    ----------
    u : a :func:`nhsrank.rank_uncertainty` table (or the CSV the rank_uncertainty notebook saved)
    league : the league table of the same trust type (for the override column); None: no override shown
    published : NHS England's league table (:func:`nhsrank.data.published.read_league_table_file`) of the
        same quarter and trust type; None: no published columns

    Returns
    -------
    DataFrame in league order: position, trust_code, trust_name, average_score (2 dp), segment, override,
    rank_lower, rank_upper (the 95% confidence set for the rank), score_rank and likely_position_lower /
    median / upper when ``u`` has them, p_segment_1.. , and published_rank, published_rank_lower,
    published_rank_upper when ``published`` is given.

    Examples
    --------
    >>> u = pd.DataFrame({"trust_code": ["A"], "trust_name": ["Ay"], "league_position": [1], "segment": [3],
    ...                   "average_metric_score": [1.5], "rank_lower": [1], "rank_upper": [1], "p_segment_3": [1.0]})
    >>> lg = pd.DataFrame({"trust_code": ["A"], "financial_override": [True], "pip_override": [False]})
    >>> full_table(u, lg)["override"].tolist()
    ['financial deficit']
    """
    out = pd.DataFrame({"position": u["league_position"].astype(int).to_numpy(),
                        "trust_code": u["trust_code"].astype(str).to_numpy(),
                        "trust_name": u["trust_name"].to_numpy(),
                        "average_score": u["average_metric_score"].astype(float).round(2).to_numpy(),
                        "segment": u["segment"].astype(int).to_numpy()})
    if league is not None and len(league):
        ov = _override(league.reset_index(drop=True))
        ov.index = league["trust_code"].astype(str).to_numpy()
        out["override"] = out["trust_code"].map(ov[~ov.index.duplicated()]).fillna("").to_numpy()
    else:
        out["override"] = ""
    for c in ["rank_lower", "rank_upper", "score_rank"] + LIKELY:
        if c in u:
            out[c] = u[c].to_numpy()
    for c in sorted((c for c in u.columns if c.startswith("p_segment_")), key=lambda c: int(c.rsplit("_", 1)[1])):
        out[c] = u[c].astype(float).round(3).to_numpy()
    if published is not None:
        pub = published.drop_duplicates("trust_code").set_index("trust_code")
        src = {"published_rank": "rank", "published_rank_lower": "rank_range_lower",
               "published_rank_upper": "rank_range_upper"}
        for new, old in src.items():   # whole positions, blank where NHS England's file has no such trust
            out[new] = (pd.to_numeric(out["trust_code"].map(pub[old]), errors="coerce").round().astype("Int64")
                        if old in pub else pd.array([pd.NA] * len(out), dtype="Int64"))
    return out.sort_values(["position", "trust_code"], kind="stable").reset_index(drop=True)


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
    """
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


def _cell(col: str, v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return '<td data-v="">&ndash;</td>'
    if col == "average_score":
        text = f"{float(v):.2f}"
    elif col.startswith("p_segment_"):
        text = f"{float(v):.2f}"
    elif isinstance(v, (float, np.floating)) and float(v).is_integer():
        text = str(int(v))
    else:
        text = str(v)
    num = isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
    key = f"{float(v):.6g}" if num else str(v).lower()
    return f'<td data-v="{html.escape(key)}"{" class=num" if num else ""}>{html.escape(text)}</td>'


def table_html(table: pd.DataFrame, key: str) -> str:
    """One trust type's full table as an HTML table with a search box (``id="search-<key>"``) and
    sortable headers; the rank interval is drawn inline in an extra column after ``override``.

    Examples
    --------
    >>> t = full_table(pd.DataFrame({"trust_code": ["A"], "trust_name": ["Ay"], "league_position": [1],
    ...     "segment": [1], "average_metric_score": [1.5], "rank_lower": [1], "rank_upper": [1]}))
    >>> h = table_html(t, "acute")
    >>> 'id="search-acute"' in h and "<td data-v=\\"1.5\\" class=num>1.50</td>" in h
    True
    """
    n = len(table)
    cols = list(table.columns)
    insert = cols.index("override") + 1 if "override" in cols else len(cols)
    heads = [LABELS.get(c, c.replace("p_segment_", "P(segment ") + (")" if c.startswith("p_segment_") else ""))
             for c in cols]
    th = [f'<th title="{html.escape(c)}">{html.escape(h)}</th>' for c, h in zip(cols, heads)]
    th.insert(insert, '<th class="nosort">rank interval</th>')
    rows = []
    for rec in table.to_dict("records"):
        cells = [_cell(c, rec[c]) for c in cols]
        likely = ((rec["likely_position_lower"], rec["likely_position_upper"])
                  if "likely_position_lower" in rec else None)
        svg = interval_svg(rec.get("rank_lower"), rec.get("rank_upper"), rec["position"], n, likely)
        cells.insert(insert, f'<td data-v="{rec["position"]}">{svg}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<p><label>Search trusts: <input type="search" id="search-{key}" data-table="table-{key}" '
            f'placeholder="name or code"></label> <span class="count" id="count-{key}">{n} of {n} trusts</span>'
            f' <span class="hint">Click a column header to sort.</span></p>'
            f'<div class="scroll"><table class="fulltable" id="table-{key}"><thead><tr>{"".join(th)}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


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
"""

PAGE_CSS = """
body { max-width: 1600px; }
table.fulltable td { white-space: nowrap; }
.scroll { overflow-x: auto; max-width: 100%; }
table.fulltable { border-collapse: collapse; font-size: 13px; width: auto; }
table.fulltable th { cursor: pointer; position: sticky; top: 0; background: #f0f4f5; white-space: nowrap; }
table.fulltable th.nosort { cursor: default; }
table.fulltable th[aria-sort=ascending]::after { content: " \\25B2"; }
table.fulltable th[aria-sort=descending]::after { content: " \\25BC"; }
table.fulltable td, table.fulltable th { padding: 3px 6px; border-bottom: 1px solid #d8dde0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.count, .hint { color: #425563; font-size: 13px; }
"""


def full_table_page(tables: dict, quarter: str, *, banner: str = "", box: str = "", notes: dict | None = None,
                    css: str = "", chart_links: dict | None = None) -> str:
    """The whole page: banner, "How sure we are" box, then per trust type its headlines and full table.

    ``tables`` maps trust type to :func:`full_table`; ``notes`` maps trust type to a list of sentences;
    ``css`` is put before the page's own style (the report passes the index page's); ``chart_links`` maps
    trust type to the relative path of its interactive rank-interval chart.
    """
    sections = []
    for tt, t in tables.items():
        key = "".join(ch if ch.isalnum() else "-" for ch in tt)
        lis = "".join(f"<li>{html.escape(s)}</li>" for s in (notes or {}).get(tt, []))
        if tt in (chart_links or {}):
            lis += (f'<li><a href="{html.escape(chart_links[tt])}">Interactive rank-interval chart</a> '
                    f'(find a trust; opens offline).</li>')
        sections.append(f'<h2 id="{key}">{html.escape(tt)} trusts ({len(t)})</h2>'
                        + (f"<ul>{lis}</ul>" if lis else "") + table_html(t, key)
                        + f'<p class="provenance">Also as <a href="full_table-{key}.csv">full_table-{key}.csv</a> '
                          f'and in <a href="full_table.xlsx">full_table.xlsx</a> (sheet {html.escape(tt)}).</p>')
    nav = " &middot; ".join(f'<a href="#{"".join(c if c.isalnum() else "-" for c in tt)}">{html.escape(tt)}</a>'
                            for tt in tables)
    legend = ("Rank interval: the dark bar is the 95% confidence set for the trust's rank, the dot its league "
              "position" + ("; the thin grey bar the likely position (the spread of bootstrap league positions, "
                            "NHS England's &ldquo;likely range&rdquo;)" if any("likely_position_lower" in t
                                                                                for t in tables.values()) else "")
              + ". P(segment k): the share of bootstrap replicates that put the trust in segment k.")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Full league tables {html.escape(quarter)}</title><style>{css}{PAGE_CSS}</style></head>
<body>
{banner}
<p class="nav"><a href="index.html">&larr; report {html.escape(quarter)}</a> &middot; {nav}</p>
<h1>Full league tables: {html.escape(quarter)}</h1>
{box}
<p class="provenance">{legend} Every figure on this page was computed by nhsrank from the data file, except the
NHS England columns, which are taken from NHS England's published league table file.</p>
{chr(10).join(sections)}
<script>{TABLE_JS}</script>
</body></html>
"""


def write_full_tables(tables: dict, out_dir) -> list[Path]:
    """Write one CSV per trust type (``full_table-<type>.csv``) and ``full_table.xlsx`` (one sheet each).

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
                t.to_excel(xw, sheet_name=tt[:31], index=False)
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


def build_from_report(folder, trust_types, quarter: str, *, published_file=None) -> tuple[dict, dict, list[Path]]:
    """Assemble the full tables from the CSVs the notebooks saved in a report ``folder``.

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
        tables[tt] = full_table(u, lg, p)
        pairs = _read_csv(sub / "adjacent_pairs.csv")
        summary = _read_csv(sub / "summary.csv")
        rank = None
        if summary is not None:
            hit = summary.loc[summary["measure"].str.startswith("rankability"), "value"]
            rank = pd.to_numeric(hit, errors="coerce").iloc[0] if len(hit) else None
        notes[tt] = headlines(u, pairs, rank)
    return tables, notes, missing


__all__ = ["full_table", "headlines", "interval_svg", "table_html", "full_table_page", "write_full_tables",
           "build_from_report"]
