"""A page for every trust of every table: ``trusts/<code>.html`` in the report folder.

Plain HTML formatted from tables already computed (the full tables, the notebooks' rank uncertainty
CSVs, :func:`nhsrank.report.trust_data.trust_context`): no notebook and no bootstrap per trust, so a
report of ~200 trusts writes its pages in about a second. Each page shows

* the trust's position, segment and average score beside NHS England's published ones (where the file
  has them);
* how sure we are: the 95% score interval, the rank sets, the band, "surely top/bottom quarter";
* what would move it up a segment: the distance from its average score to the cut point;
* each metric's score, the peer median and how much the metric moves the average against it;
* the quarter-by-quarter trend (every quarter in the data), with the interval where one was computed;
* where the data come from.
"""
from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from ..outputs import write_text
from .full_table import trust_page_name

PAGE_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; max-width: 1100px; margin: 0 auto;
       padding: 16px 24px; color: #212b32; line-height: 1.45; }
h1 { font-size: 26px; margin: 8px 0 2px; } h2 { font-size: 19px; margin-top: 26px; }
.sub { color: #425563; margin: 0 0 12px; }
.nhsrank-banner { background: #fff4e5; border: 2px solid #d5281b; padding: 10px 14px; margin: 8px 0 16px; }
.provenance { font-size: 13px; color: #425563; }
table { border-collapse: collapse; font-size: 14px; margin: 6px 0; }
th, td { text-align: left; border-bottom: 1px solid #d8dde0; padding: 5px 10px; vertical-align: top; }
th { background: #f0f4f5; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.differs { color: #d5281b; font-weight: 600; } .muted { color: #768692; }
.keyfacts { display: flex; gap: 14px; flex-wrap: wrap; margin: 10px 0; }
.keyfacts div { background: #f0f4f5; border-left: 4px solid #005eb8; padding: 6px 12px; min-width: 150px; }
.keyfacts b { display: block; font-size: 22px; }
"""


def _num(v, dp: int = 2) -> str:
    """A figure as NHS England prints it: ``dp`` decimals, whole numbers as integers, "–" for none.

    Examples
    --------
    >>> _num(1.5), _num(3.0, 0), _num(np.nan), _num(-0.004)
    ('1.50', '3', '–', '0.00')
    """
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return "–"
    x = float(v)
    if dp == 0:
        return str(round(x))
    text = f"{x:.{dp}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _signed(v, dp: int = 2) -> str:
    text = _num(v, dp)
    if text == "–" or float(text) == 0:
        return text.replace("-", "")
    return ("+" + text) if float(text) > 0 else "&minus;" + text[1:]


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))


def segment_move(score: float, segment_before: int, cuts, sides, *, financial: bool = False,
                 pip: bool = False) -> str:
    """What would move a trust up a segment, in words: the distance from its average score to the cut.

    Examples
    --------
    >>> segment_move(2.40, 3, [2.05, 2.33, 2.6], ["lower", "upper", "lower"])
    'An average score below 2.33 (0.08 lower than now) would move it from segment 3 to segment 2.'
    >>> segment_move(2.10, 2, [2.05, 2.33, 2.6], ["lower", "upper", "lower"])
    'An average score of 2.05 or less (0.05 lower than now) would move it from segment 2 to segment 1.'
    >>> segment_move(1.5, 1, [2.05, 2.33, 2.6], None)
    'It is in segment 1, the best segment: no better segment to move to.'
    """
    seg = int(segment_before)
    if pip:
        return ("It is in the Provider Improvement Programme, which sets segment 5 whatever its average score: "
                "a better score alone would not move it up.")
    if seg <= 1:
        return "It is in segment 1, the best segment: no better segment to move to."
    if cuts is None or len(cuts) < seg - 1:
        return "The segment cut points of this quarter are not known, so the distance to the next segment is not shown."
    cut = float(cuts[seg - 2])
    side = (sides or ["lower"] * len(cuts))[seg - 2]
    if side == "lower":     # a score equal to the cut goes to the better segment
        need, text = cut, f"of {cut:.2f} or less"
    else:
        need, text = round(cut - 0.01, 2), f"below {cut:.2f}"
    gap = round(float(score) - need, 2)
    out = (f"An average score {text} ({_num(gap)} lower than now) would move it from segment {seg} to "
           f"segment {seg - 1}.")
    if financial:
        out += " But the financial-deficit cap holds it at segment 3 or worse while it is in deficit."
    return out


def _table(heads, rows, num_cols=()) -> str:
    th = "".join(f'<th{" class=num" if i in num_cols else ""}>{html.escape(h)}</th>' for i, h in enumerate(heads))
    body = "".join("<tr>" + "".join(f'<td{" class=num" if i in num_cols else ""}>{c}</td>' for i, c in enumerate(r))
                   + "</tr>" for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def trust_page(row: dict, u_row: dict, *, trust_type: str, quarter: str, n: int, metrics: list | None,
               history: list, cuts, band_size, n_bands: int, source: str, banner: str = "",
               previous: str | None = None) -> str:
    """The HTML of one trust's page.

    Parameters
    ----------
    row : the trust's row of :func:`nhsrank.report.full_table.full_table`
    u_row : its row of the rank uncertainty table (score interval, likely range)
    trust_type, quarter, n : the table, its quarter and how many trusts it ranks
    metrics : the trust's rows of ``trust_context(...)["metric_scores"]`` as records (None or []: not shown)
    history : the trust's rows of ``trust_context(...)["history"]`` as records (every quarter)
    cuts : (cut points, sides) of the quarter
    band_size, n_bands : trusts in its band, bands in the table
    source : where the data come from (one sentence); banner : the SYNTHETIC banner HTML or ""
    previous : the previous quarter in the data, or None
    """
    code, name = str(row["trust_code"]), str(row["trust_name"])
    esc = html.escape
    pos, seg, score = int(row["position"]), int(row["segment"]), float(row["average_score"])
    has_pub = "published_position" in row and not all(_missing(row.get(c)) for c in
                                                       ("published_position", "published_segment", "published_score"))
    # --- key facts
    facts = [("position", f"{pos} of {n}"), ("segment", str(seg)), ("average score", _num(score))]
    if "band" in row and not _missing(row["band"]):
        facts.append(("band", f"{int(row['band'])} of {n_bands}"))
    keyfacts = "".join(f"<div>{esc(k)}<b>{esc(v)}</b></div>" for k, v in facts)
    # --- beside NHS England
    if has_pub:
        def line(label, ours, theirs, dp):
            same = (not _missing(theirs)) and round(float(ours), 2) == round(float(theirs), 2)
            flag = ("same" if same else '<span class="differs">differs</span>') if not _missing(theirs) else \
                '<span class="muted">not published</span>'
            return [label, _num(ours, dp), _num(theirs, dp), flag]
        rows = [line("league position", pos, row.get("published_position"), 0),
                line("segment", seg, row.get("published_segment"), 0),
                line("average metric score", score, row.get("published_score"), 2)]
        beside = ("<h2>Beside NHS England's table</h2>"
                  + _table(["", "computed by nhsrank", "published by NHS England", ""], rows, (1, 2)))
    else:
        beside = ("<h2>Beside NHS England's table</h2><p>The data file carries no published NHS England results for "
                  "this trust and quarter: every figure here is computed by nhsrank.</p>")
    # --- how sure
    sure = []
    if not _missing(u_row.get("score_lower")):
        sure.append(f"95% interval for its true average score: {_num(u_row['score_lower'])} to "
                    f"{_num(u_row['score_upper'])}.")
    if not _missing(row.get("rank_lower")):
        sure.append(f"95% confidence set for its rank by average score: {int(row['rank_lower'])} to "
                    f"{int(row['rank_upper'])} of {n}.")
    if not _missing(row.get("simultaneous_rank_lower")):
        sure.append(f"95% simultaneous set (all trusts at once): {int(row['simultaneous_rank_lower'])} to "
                    f"{int(row['simultaneous_rank_upper'])}.")
    if not _missing(row.get("likely_position_lower")):
        sure.append(f"Likely league position (middle 95% of bootstrap positions, NHS England's kind of range): "
                    f"{int(row['likely_position_lower'])} to {int(row['likely_position_upper'])}.")
    if "band" in row and not _missing(row["band"]):
        b = int(row["band"])
        sure.append(f"Band {b} of {n_bands} ({int(band_size)} trust{'s' if int(band_size) != 1 else ''}): "
                    + ("the simultaneous sets cannot separate any group of this table's trusts from the rest."
                       if n_bands == 1 else
                       "every trust in an earlier band has a better average score than this trust, and this trust "
                       "a better one than every trust in a later band (95%, for all bands at once)."))
        where = row.get("surely", "")
        sure.append(f"Surely in the {where} of the table (its whole simultaneous set lies there)." if where else
                    "Not surely in the top or the bottom quarter: its simultaneous set reaches beyond both.")
    pseg = [(c.rsplit("_", 1)[1], row[c]) for c in row if str(c).startswith("p_segment_") and not _missing(row[c])]
    if pseg:
        sure.append("Share of bootstrap replicates in each segment: "
                    + ", ".join(f"segment {k} {float(v):.0%}" for k, v in pseg) + ".")
    sure_html = "<h2>How sure we are</h2><ul>" + "".join(f"<li>{esc(s)}</li>" for s in sure) + "</ul>"
    # --- moving up a segment
    h0 = next((h for h in history if h["quarter"] == quarter), None)
    seg_before = int(h0["segment_before_adjustment"]) if h0 is not None else seg
    move = segment_move(score, seg_before, *(cuts or (None, None)),
                        financial=bool(h0["financial_override"]) if h0 is not None else False,
                        pip=bool(h0["pip_override"]) if h0 is not None else False)
    if (not _missing(u_row.get("score_lower"))) and seg_before > 1 and cuts and cuts[0] is not None:
        half = (float(u_row["score_upper"]) - float(u_row["score_lower"])) / 2
        move += (f" For scale: its 95% score interval is {_num(u_row['score_lower'])} to {_num(u_row['score_upper'])}"
                 f" (about {_num(half)} either side).")
    cut_text = ""
    if cuts and cuts[0] is not None:
        cut_text = (" Segment cut points this quarter (average score): "
                    + ", ".join(_num(c) for c in cuts[0]) + ".")
    move_html = f"<h2>What would move it up a segment</h2><p>{esc(move)}{esc(cut_text)}</p>"
    # --- metrics
    if metrics:
        m = sorted(metrics, key=lambda r: (-abs(r["moves_average"]), r["metric_id"]))
        rows = [[esc(f"{r['metric_name']} ({r['metric_id']})"), esc(str(r["domain"]).replace("_", " ")),
                 _num(r["score"]), _num(r["peer_median"]), _signed(r["moves_average"])] for r in m]
        metrics_html = ("<h2>Each metric</h2><p>Scores run from 1.00 (best) to 4.00 (worst). &ldquo;Moves the "
                        "average&rdquo; is (score &minus; peer median) &times; the metric's weight &divide; the "
                        "weight of all the trust's metrics: how far this metric pulls the trust's average above "
                        "(+, worse) or below (&minus;, better) what it would be with the peer median score on every "
                        "metric it reports. The largest first.</p>"
                        + _table(["metric", "domain", "score", "peer median", "moves the average"], rows, (2, 3, 4)))
    else:
        metrics_html = ""
    # --- trend
    trows = []
    ranged = any(not _missing(h.get("published_score_range_lower")) for h in history)
    for r in sorted(history, key=lambda h: h["quarter"]):
        if r["quarter"] == quarter and not _missing(u_row.get("score_lower")):
            interval = f"{_num(u_row['score_lower'])} to {_num(u_row['score_upper'])}"
        else:
            interval = '<span class="muted">not computed for this quarter</span>'
        trows.append([esc(r["quarter"]) + (" (this report)" if r["quarter"] == quarter else ""),
                      _num(r["league_position"], 0), _num(r.get("published_position"), 0), _num(r["segment"], 0),
                      _num(r["average_metric_score"]), interval]
                     + ([f"{_num(r['published_score_range_lower'])} to {_num(r['published_score_range_upper'])}"
                         if not _missing(r.get("published_score_range_lower")) else "–"] if ranged else []))
    if len(trows) > 1:
        trend_html = ("<h2>Quarter by quarter</h2><p>Every quarter of the data file, computed with the same "
                      "rules. The 95% score interval comes from the bootstrap, which the report runs for its own "
                      "quarter only: build the report of another quarter (<code>--quarter</code>) for its "
                      "interval."
                      + (" NHS England's likely range of the average score (from its league table file) is its "
                         "own figure, set beside ours: it is not a confidence interval." if ranged else "") + "</p>"
                      + _table(["quarter", "position", "NHS England position", "segment", "average score",
                                "95% score interval"] + (["NHS England likely range"] if ranged else []),
                               trows, (1, 2, 3, 4)))
    else:
        trend_html = ("<h2>Quarter by quarter</h2><p>The data hold one quarter for this trust"
                      + (f" (no previous quarter: {esc(quarter)} is the first)" if previous is None else "")
                      + ", so there is no trend to show.</p>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(name)} ({esc(code)}): NOF {esc(quarter)}</title><style>{PAGE_CSS}</style></head>
<body>
{banner}
<p class="provenance"><a href="../index.html">&larr; report {esc(quarter)}</a> &middot;
<a href="../full_table.html#{esc(''.join(ch if ch.isalnum() else '-' for ch in trust_type))}">full table</a></p>
<h1>{esc(name)}</h1>
<p class="sub">{esc(code)} &middot; {esc(trust_type)} trusts &middot; {esc(quarter)}</p>
<div class="keyfacts">{keyfacts}</div>
{beside}
{sure_html}
{move_html}
{metrics_html}
{trend_html}
<p class="provenance" id="data-source">{esc(source)} Figures computed by nhsrank unless marked as NHS England's.</p>
</body></html>
"""


def write_trust_pages(folder, tables: dict, context: dict, quarter: str, *, source: str, banner: str = "",
                      ) -> dict[str, Path]:
    """Write ``trusts/<code>.html`` for every trust of every table; returns trust code -> path.

    ``tables``: trust type -> :func:`nhsrank.report.full_table.full_table` (with bands); ``context``:
    :func:`nhsrank.report.trust_data.trust_context`; the rank uncertainty CSVs are read from ``folder``.
    """
    from ..uncertainty.bands import rank_bands
    from .plan import output_paths, output_stem

    folder = Path(folder)
    (folder / "trusts").mkdir(exist_ok=True)
    written = {}
    hist = context["history"]
    for tt, t in tables.items():
        u_path = output_paths(folder, output_stem("rank_uncertainty", tt))["files"] / "rank_uncertainty.csv"
        u = pd.read_csv(u_path, dtype={"trust_code": str}) if u_path.exists() else pd.DataFrame({"trust_code": []})
        u_rows = {r["trust_code"]: r for r in u.to_dict("records")}
        sizes, n_bands = {}, 0
        if "band" in t and t["band"].notna().any():
            b = rank_bands(u)
            sizes = dict(zip(b.table["trust_code"], b.table["band_size"]))
            n_bands = b.n_bands
        ms = context["metric_scores"].get(tt)
        by_trust = _group(ms.to_dict("records")) if ms is not None else {}
        h_by = _group(hist[hist["trust_type"] == tt].to_dict("records"))
        for row in t.to_dict("records"):
            code = str(row["trust_code"])
            page = trust_page(row, u_rows.get(code, {}), trust_type=tt, quarter=quarter, n=len(t),
                              metrics=by_trust.get(code), history=h_by.get(code, []),
                              cuts=context["cuts"].get(tt), band_size=sizes.get(code, 0), n_bands=n_bands,
                              source=source, banner=banner, previous=context.get("previous_quarter"))
            path = folder / trust_page_name(code)
            # into the report's staging folder, published whole at the end: no fsync per page
            write_text(path, page, durable=False)
            written[code] = path
    return written


def _group(records: list) -> dict:
    out: dict = {}
    for r in records:
        out.setdefault(str(r["trust_code"]), []).append(r)
    return out


SEARCH_JS = r"""
(function () {
  var box = document.getElementById('trust-search'), list = document.getElementById('trust-list');
  if (!box) { return; }
  var items = list.querySelectorAll('li');
  box.addEventListener('input', function () {
    var q = box.value.trim().toLowerCase(), shown = 0;
    items.forEach(function (li) {
      var hit = q !== '' && li.textContent.toLowerCase().indexOf(q) >= 0;
      li.style.display = hit && shown < 12 ? '' : 'none'; if (hit) { shown++; }
    });
    document.getElementById('trust-count').textContent = q === '' ? '' : shown + ' found';
  });
})();
"""


def trust_search_html(tables: dict) -> str:
    """The index page's "find a trust" box: type a name or code, follow the link to its page; every
    trust page is also listed (folded) for readers without JavaScript.

    Examples
    --------
    >>> t = pd.DataFrame({"trust_code": ["A"], "trust_name": ["Ay"], "position": [1]})
    >>> h = trust_search_html({"acute": t})
    >>> 'id="trust-search"' in h and 'href="trusts/A.html"' in h
    True
    """
    items = []
    for tt, t in tables.items():
        for r in t.to_dict("records"):
            items.append(
                f'<li style="display:none"><a href="{html.escape(trust_page_name(r["trust_code"]))}">'
                f"{html.escape(str(r['trust_name']))}</a> ({html.escape(str(r['trust_code']))}, {html.escape(tt)}, "
                f"position {int(r['position'])})</li>"
            )
    all_items = "".join(i.replace(' style="display:none"', "") for i in items)
    n = len(items)
    return (f'<h2 id="find-a-trust">Find a trust</h2><p><label>A page for every trust ({n}): '
            f'<input type="search" id="trust-search" placeholder="name or code" autocomplete="off"></label> '
            f'<span id="trust-count" class="provenance"></span></p><ul id="trust-list">{"".join(items)}</ul>'
            f'<details><summary>Every trust page ({n})</summary><ul class="alltrusts">{all_items}</ul></details>'
            f"<script>{SEARCH_JS}</script>")


__all__ = ["trust_page", "write_trust_pages", "segment_move", "trust_search_html"]
