"""Write the report's HTML: each executed notebook as a page without code, and the index page."""
from __future__ import annotations

import html
import re
from pathlib import Path

from ..outputs import write_text
from .offline import remote_references
from .plan import Plan, ReportError, output_paths


OFFLINE_TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style type="text/css">
.nhsrank-header { font-family: system-ui, sans-serif; max-width: 1100px; margin: 0 auto; padding: 8px 16px; }
.nhsrank-nav { font-size: 14px; color: #425563; }
.nhsrank-banner { background: #fff4e5; border: 2px solid #d5281b; color: #212b32; padding: 10px 14px;
                  margin: 8px 0; font-size: 15px; }
</style>
{%- endblock extra_css -%}
{%- block data_svg scoped -%}
<div class="jp-RenderedSVG jp-OutputArea-output {{ extra_class }}" data-mime-type="image/svg+xml">
{{ output.data['image/svg+xml'] | nhsrank_inline_svg }}
</div>
{%- endblock data_svg -%}
{%- block body_header -%}
{{ super() }}
{{ resources.get('nhsrank_header', '') }}
{%- endblock body_header -%}
"""



def _inline_markdown(text: str) -> str:
    """The little markdown :func:`nhsrank.report.manifest.report_header` uses, as HTML.

    Examples
    --------
    >>> _inline_markdown("**Bold** `code` a<b  \\nnext")
    '<strong>Bold</strong> <code>code</code> a&lt;b<br>\\nnext'
    """
    out = html.escape(text, quote=False)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    return out.replace("  \n", "<br>\n")


def banner_html(synthetic: bool) -> str:
    """The SYNTHETIC DATA banner (empty for real data)."""
    from .manifest import SYNTHETIC_BANNER

    if not synthetic:
        return ""
    return f'<div class="nhsrank-banner" id="nhsrank-synthetic-banner">{_inline_markdown(SYNTHETIC_BANNER)}</div>'


def page_header(job_title: str, quarter: str, synthetic: bool) -> str:
    """The strip the runner puts at the top of every notebook page: banner, then a link back to the index."""
    return (f'<div class="nhsrank-header">{banner_html(synthetic)}'
            f'<div class="nhsrank-nav"><a href="index.html">&larr; report {html.escape(quarter)}</a>'
            f' &middot; {html.escape(job_title)}</div></div>')


def inline_svg_filter():
    """A Jinja filter that inlines an SVG output as an ``<svg>`` element (nbconvert would make it a
    base64 ``<img>``), with its ids prefixed ``svgN-`` so that charts on one page do not share
    clip paths or gradients. N counts the SVGs of one page, so the HTML is reproducible.

    Examples
    --------
    >>> f = inline_svg_filter()
    >>> f('<?xml version="1.0"?><svg><clipPath id="c1"/><g clip-path="url(#c1)"/></svg>')
    '<svg><clipPath id="svg1-c1"/><g clip-path="url(#svg1-c1)"/></svg>'
    >>> f('<svg><use href="#c1" xlink:href="#c1"/></svg>')
    '<svg><use href="#svg2-c1" xlink:href="#svg2-c1"/></svg>'
    """
    counter = iter(range(1, 1 << 30))

    def inline(svg) -> str:
        text = svg.decode() if isinstance(svg, bytes) else str(svg)
        text = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>", "", text).strip()
        prefix = f"svg{next(counter)}-"
        text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', text)
        text = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", text)
        return re.sub(r'\b((?:xlink:)?href)="#([^"]+)"', lambda m: f'{m.group(1)}="#{prefix}{m.group(2)}"', text)

    return inline


def offline_exporter():
    """nbconvert HTMLExporter: lab look, no code cells, no prompts, SVG charts inline (not base64
    images), nothing loaded from the network."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab", template_file="nhsrank_offline.html.j2",
                        extra_loaders=[DictLoader({"nhsrank_offline.html.j2": OFFLINE_TEMPLATE})],
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                        mathjax_url="", require_js_url="", filters={"nhsrank_inline_svg": inline_svg_filter()})


def _is_progress_bar(output) -> bool:
    """True for a tqdm progress bar written to stderr (``'bootstrap:  40%|####   | 400/1000 [...]'``).

    Examples
    --------
    >>> _is_progress_bar({"output_type": "stream", "name": "stderr", "text": "boot: 100%|##| 9/9 [00:01<00:00]"})
    True
    >>> _is_progress_bar({"output_type": "stream", "name": "stderr", "text": "UserWarning: careful"})
    False
    """
    return (output.get("output_type") == "stream" and output.get("name") == "stderr"
            and all(re.search(r"\d+%\|.*\|", line) for line in str(output.get("text", "")).replace("\r", "\n")
                    .splitlines() if line.strip()) and bool(str(output.get("text", "")).strip()))


_WARNING_LINE = re.compile(r"^\S*\.py:\d+: (?:\w+\.)*\w*Warning: (.*)$")


def plain_warnings(text: str) -> str:
    r"""A cell's stderr as a reader should read it: each Python warning as ``Note: <message>``, without the
    library's file, line, category and the source line Python prints under it.

    Examples
    --------
    >>> print(plain_warnings("/x/nhsrank/rules/league.py:141: InputWarning: no attributes were given\n"
    ...                      "  table = league_table(metrics)\n"))
    Note: no attributes were given
    <BLANKLINE>
    """
    out, skip_source = [], False
    for line in text.splitlines(keepends=True):
        m = _WARNING_LINE.match(line.rstrip("\n"))
        if m:
            out.append(f"Note: {m.group(1)}\n")
            skip_source = True
        elif skip_source and line.startswith("  "):
            skip_source = False                  # the source line Python shows under a warning
        else:
            skip_source = False
            out.append(line)
    return "".join(out)


def export_html(ipynb_path, html_path, header: str = "", title: str | None = None) -> Path:
    """Export an executed notebook as a self-contained HTML page without code.

    Raises :class:`ReportError` if the page would still fetch anything from the
    network (e.g. a notebook displaying an interactive chart from a CDN).
    """
    import nbformat

    nb = nbformat.read(str(ipynb_path), as_version=4)
    for cell in nb.cells:   # progress bars (tqdm writes them to stderr) are for JupyterLab, not the page
        if cell.get("outputs"):
            cell.outputs = [o for o in cell.outputs if not _is_progress_bar(o)]
            for o in cell.outputs:                # warnings as notes: no builder path, line or category
                if o.get("output_type") == "stream" and o.get("name") == "stderr":
                    o["text"] = plain_warnings(o.get("text", ""))
                    o["name"] = "stdout"          # a note in the text, not a pink error strip
    resources = {"nhsrank_header": header, "metadata": {"name": title or Path(ipynb_path).stem}}
    body, _ = offline_exporter().from_notebook_node(nb, resources=resources)
    remote = remote_references(body)
    if remote:
        raise ReportError(f"{Path(ipynb_path).name}: the HTML would load from the network (it must open "
                          f"offline): " + "; ".join(remote[:5]))
    return write_text(html_path, body)


INDEX_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; max-width: 1100px; margin: 0 auto;
       padding: 16px 24px; color: #212b32; line-height: 1.45; }
h1 { font-size: 26px; margin: 8px 0; } h2 { font-size: 19px; margin-top: 28px; }
.nhsrank-banner { background: #fff4e5; border: 2px solid #d5281b; padding: 10px 14px; margin: 8px 0 16px; }
.provenance { font-size: 13px; color: #425563; } code { font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; border-bottom: 1px solid #d8dde0; padding: 6px 8px; vertical-align: top; }
th { background: #f0f4f5; } .files a { margin-right: 8px; white-space: nowrap; }
.failed { color: #d5281b; font-weight: bold; } .skipped { color: #425563; }
"""


def _relative_links(paths, base: Path) -> str:
    return " ".join(f'<a href="{html.escape(p.relative_to(base).as_posix())}">{html.escape(p.name)}</a>'
                    for p in paths)


def findings_html(finished: dict | None) -> str:
    """The index page's opening: per table its headline sentences, the reproduction of NHS England's
    table, a link to the full tables and the "How sure we are" box (from :func:`finish_report`)."""
    if not finished:
        return ""
    parts = ["<h2>Findings</h2>"]
    for s in finished.get("reproduction", []):
        parts.append(f'<p class="reproduction">{html.escape(s)}</p>')
    for tt, sentences in finished.get("findings", {}).items():
        key = "".join(ch if ch.isalnum() else "-" for ch in tt)
        lis = "".join(f"<li>{html.escape(x)}</li>" for x in sentences)
        parts.append(f'<h3>{html.escape(tt)} trusts <a class="small" href="full_table.html#{key}">full table</a>'
                     f"</h3><ul>{lis}</ul>")
    if finished.get("files"):
        parts.append('<p><a href="full_table.html"><strong>Every trust, with its uncertainty: the full league '
                     'tables</strong></a> (also as <a href="full_table.xlsx">Excel</a> and CSV).</p>')
    parts.append(finished.get("trust_search", ""))    # find a trust: its page (trust_pages.py)
    parts.append(finished.get("box", ""))
    return "\n".join(parts)


def index_html(plan: Plan, results: list, manifest: dict, finished: dict | None = None) -> str:
    """The quarter's index page: banner, the findings (:func:`findings_html`), provenance, then one row
    per notebook run with its files."""
    from .manifest import report_header

    synthetic = bool(manifest.get("synthetic_data"))
    header = report_header(manifest)
    if synthetic:  # the banner is shown on its own, above the title
        header = header.split("\n", 2)[-1]
    rows = []
    for r in results:
        paths = output_paths(plan.out_dir, r.job.stem)
        if r.ok:
            page = f'<a href="{html.escape(paths["html"].name)}">{html.escape(r.job.title)}</a>'
        else:
            page = f'{html.escape(r.job.title)} <span class="failed">FAILED</span>: {html.escape(r.error or "")}'
        tables = [p for p in r.files if p.suffix == ".csv"]
        charts = [p for p in r.files if p.suffix == ".svg"]
        interactive = [p for p in r.files if p.suffix == ".html"]
        notebook = (f'<a href="{html.escape(paths["ipynb"].name)}">{html.escape(paths["ipynb"].name)}</a>'
                    if paths["ipynb"].exists() else "")
        rows.append(f"<tr><td>{page}</td><td class=files>{_relative_links(tables, plan.out_dir)}</td>"
                    f"<td class=files>{_relative_links(charts, plan.out_dir)}"
                    + (f"<br>interactive: {_relative_links(interactive, plan.out_dir)}" if interactive else "")
                    + f"</td><td>{notebook}</td>"
                    f"<td>{r.seconds:.1f}&nbsp;s</td></tr>")
    skipped = "".join(f'<li class="skipped">{html.escape(stem)}: {html.escape(reason)}</li>'
                      for stem, reason in plan.skipped)
    failed = [r for r in results if not r.ok]
    title = ("A&E 4-hour performance ranked with NOF rules" if str(manifest.get("methodology", {}).get("id", ""))
             .startswith("ae-") else "NHS Oversight Framework report")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} {html.escape(plan.quarter)}</title><style>{INDEX_CSS}{HOWSURE_CSS}</style></head>
<body>
{banner_html(synthetic)}
<h1>{html.escape(title)}: {html.escape(plan.quarter)}</h1>
{'<p class="failed">' + str(len(failed)) + " notebook(s) failed: this report is incomplete.</p>" if failed else ""}
{findings_html(finished)}
<p class="provenance">{_inline_markdown(header)}<br>Trust types: {html.escape(", ".join(plan.trust_types))}.
Full record: <a href="manifest.json">manifest.json</a>.</p>
<h2>Pages</h2>
<table><thead><tr><th>page</th><th>tables (CSV)</th><th>charts (SVG)</th><th>executed notebook</th><th>time</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
{"<h2>Not run</h2><ul>" + skipped + "</ul>" if skipped else ""}
<p class="provenance">Built by <code>python -m nhsrank.report</code>. Every page opens offline; the code is in
the executed notebooks.</p>
</body></html>
"""  # noqa: E501 (doctest output / markup kept on one line)


# ---------------------------------------------------------------------------
# running
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# finishing the pages: "How sure we are", banner once, no index column, no builder paths
# ---------------------------------------------------------------------------

#: why the funnel plots and the bootstrap can seem to disagree (shown in every "How sure we are" box)
FUNNEL_VS_BOOTSTRAP = ("The funnel plots and the bootstrap answer different questions: the funnel plots ask whether "
                       "trusts differ by more than sampling noise on each metric (over-dispersion: they usually do); "
                       "the bootstrap asks whether two neighbouring positions in the league table can be told apart "
                       "(mostly they cannot). Both hold at once: trusts differ, but not by enough to order "
                       "neighbours.")


def data_description(meth_id: str, synthetic: bool, published: bool, nhs_england: bool) -> tuple[str, str]:
    """What the data are, in words, and the attribution line ("" when none applies).

    Examples
    --------
    >>> data_description("nof-2025-26", True, False, False)[0]
    "nhsrank's bundled SYNTHETIC data in NHS Oversight Framework (NOF) format: the trusts are fictional"
    >>> data_description("ae-4hr", False, False, True)[1][:8]
    'Contains'
    """
    from .manifest import OGL_ATTRIBUTION

    if synthetic:
        return ("nhsrank's bundled SYNTHETIC data in NHS Oversight Framework (NOF) format: the trusts are "
                "fictional"), ""
    if meth_id.startswith("ae-"):
        what = ("NHS England's A&E attendances and emergency admissions statistics (real data, one metric: "
                "4-hour performance), ranked with NOF 2025/26 rules; not an NHS England table")
    elif published:
        what = "NHS England's published NHS Oversight Framework (NOF) data"
    else:
        what = "an NHS Oversight Framework (NOF) metrics file supplied by the user"
    return what, (OGL_ATTRIBUTION if (nhs_england or published or meth_id.startswith("ae-")) else "")


def methodology_caveats(meth, trust_types) -> list[str]:
    """The caveats of a methodology that concern the tables shown: its ``caveats`` (a sentence, or
    ``{text, trust_types}`` for those of some trust types only), then its unverified metric ids per trust type.

    Examples
    --------
    >>> from nhsrank.rules.methodology import load_methodology
    >>> c = methodology_caveats(load_methodology("nof-2025-26"), ["non-acute"])
    >>> any("OFA010" in s for s in c), any("acute file" in s for s in c), any("MH and" in s for s in c)
    (False, False, True)
    >>> any("OFA010" in s for s in methodology_caveats(load_methodology("nof-2025-26"), ["ambulance"]))
    True
    """
    out = []
    for c in meth.config.get("caveats", []) or []:
        if isinstance(c, dict):
            if not set(c.get("trust_types") or trust_types) & set(trust_types):
                continue
            c = c.get("text", "")
        out.append(" ".join(str(c).split()))
    for tt in trust_types:
        if tt not in meth.trust_types:
            continue
        m = meth.metrics(tt)
        bad = m[m["id_evidence"] == "unverified"]
        if len(bad):
            out.append(f"Unverified metric ids ({tt}): "
                       + ", ".join(f"{i} ({n})" for i, n in zip(bad["metric_id"], bad["name"])) + ".")
    return out


def how_sure_box(*, data: str, attribution: str, replicates: dict, seed, caveats: list[str],
                 methodology_title: str, funnel: bool = False) -> str:
    """The "How sure we are" box of every page: the data, the replicates that ran, every caveat.

    ``replicates`` maps a table (trust type) to the bootstrap replicate count its page reports; ``funnel``:
    the report has a funnel plot (only then does the box say how funnel plots and the bootstrap differ).

    Examples
    --------
    >>> b = how_sure_box(data="d", attribution="", replicates={"acute": 2000}, seed=1, caveats=["c1"],
    ...                  methodology_title="M")
    >>> "2,000 bootstrap replicates" in b and "<li>c1</li>" in b
    True
    """
    runs = sorted(set(int(v) for v in replicates.values() if v is not None))
    if not runs:
        reps = "No bootstrap ran for this report."
    elif len(runs) == 1:
        reps = f"{runs[0]:,} bootstrap replicates ran for each table (seed {seed})."
    else:
        reps = ("Bootstrap replicates that ran: " + ", ".join(f"{k} {int(v):,}" for k, v in replicates.items())
                + f" (seed {seed}).")
    if runs and runs[0] < 2000:
        reps += (" With fewer than 2,000 replicates the Holm-adjusted tests cannot reach significance for many "
                 "pairs: treat the headline counts as a quick look.")
    items = "".join(f"<li>{html.escape(c)}</li>" for c in caveats)
    return (f'<div class="nhsrank-howsure" id="nhsrank-how-sure"><h2>How sure we are</h2>'
            f"<p><strong>Data:</strong> {html.escape(data)}."
            + (f" {html.escape(attribution)}" if attribution else "") + "</p>"
            f"<p><strong>Replicates:</strong> {html.escape(reps)}</p>"
            f"<details><summary><strong>Methodology:</strong> {html.escape(methodology_title)}. "
            f"{len(caveats)} things are not known or not modelled (click to read)</summary><ul>{items}</ul></details>"
            + (f"<p>{html.escape(FUNNEL_VS_BOOTSTRAP)}</p>" if funnel else "") + "</div>")


HOWSURE_CSS = (
    ".nhsrank-howsure { background: #f0f4f5; border-left: 4px solid #005eb8; padding: 4px 14px; margin: 10px 0;"
    " font-family: system-ui, sans-serif; font-size: 14px; } .nhsrank-howsure h2 { font-size: 17px; }"
    " .nhsrank-howsure summary { cursor: pointer; margin: 6px 0; }"
    " .jp-RenderedHTMLCommon { overflow-x: auto; } .jp-OutputArea-output { overflow-x: auto; }"
)

_NB_BANNER = re.compile(r"<p><strong>SYNTHETIC DATA\.</strong>.*?</p>\s*", re.S)
_ROW_HEAD = re.compile(r"(<tr[^>]*>)\s*<th>\s*(\d+)\s*</th>")


def _drop_range_index(table: str) -> str:
    """One pandas HTML table without its index column, when the index is an unnamed integer index
    (a RangeIndex, or what is left of one after sorting or filtering): it says nothing to a reader.
    A named index (a second header row) or a MultiIndex (``rowspan``) is kept."""
    heads = [int(m.group(2)) for m in _ROW_HEAD.finditer(table)]
    head_part = table.partition("</thead>")[0]
    n_body_rows = table.partition("</thead>")[2].count("<tr")
    if (not heads or len(heads) != n_body_rows or table.count("<thead>") != 1 or head_part.count("<tr") != 1
            or "rowspan" in table):
        return table
    table = _ROW_HEAD.sub(r"\1", table)
    head, sep, rest = table.partition("</thead>")
    head = re.sub(r"(<tr[^>]*>)\s*<th>\s*</th>", r"\1", head)
    return head + sep + rest


def finish_page(text: str, box: str = "", out_dir=None) -> str:
    """Finish one exported notebook page: the "How sure we are" box under the page header, the
    SYNTHETIC banner once (the notebook's own copy dropped when the page header has one), pandas
    tables without their 0..n-1 index, wide outputs scrolling, and the report folder's absolute path
    made relative.

    Examples
    --------
    >>> page = ('<div class="nhsrank-header"><div class="nhsrank-banner">B</div><div class="nhsrank-nav">n</div></div>'
    ...         '<p><strong>SYNTHETIC DATA.</strong> x</p><table class="dataframe"><thead><tr><th></th><th>a</th></tr>'
    ...         '</thead><tbody><tr><th>0</th><td>1</td></tr></tbody></table> saved to /r/q/x')
    >>> finish_page(page, "<div>BOX</div>", "/r/q")
    '<div class="nhsrank-header"><div class="nhsrank-banner">B</div><div class="nhsrank-nav">n</div><div>BOX</div></div><table class="dataframe"><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table> saved to x'
    """  # noqa: E501 (doctest output / markup kept on one line)
    if 'class="nhsrank-banner"' in text:
        text = _NB_BANNER.sub("", text)
    text = re.sub(r'<table[^>]*class="dataframe"[^>]*>.*?</table>', lambda m: _drop_range_index(m.group(0)),
                  text, flags=re.S)
    if box:
        start = text.find('<div class="nhsrank-header">')
        end = text.find("</div></div>", start) if start >= 0 else -1
        if end >= 0:
            text = text[:end + 6] + box + text[end + 6:]
        if "</style>" in text and HOWSURE_CSS not in text:
            text = text.replace("</style>", HOWSURE_CSS + "\n</style>", 1)
    if out_dir is not None:
        text = text.replace(str(out_dir).rstrip("/") + "/", "").replace(str(out_dir).rstrip("/"), ".")
    return text


#: what no page shown to a reader may hold (issue 21, list 1): (what, pattern on the text a reader sees)
_RAW_PYTHON = [
    ("a Python warning with its source file and line", re.compile(r"\b[\w/.-]+\.py:\d+\b|\b\w*(Warning|Error):\s")),
    ("a Python traceback", re.compile(r"Traceback \(most recent call last\)")),
    ("a progress bar", re.compile(r"\d+%\|[^|\n]*\||\d+(\.\d+)?(it/s|s/it)\]")),
    ("a Python list or dict repr", re.compile(r"=\s?[\[{]['\"]|\[\s?'[^'\]]*'(,\s?'[^'\]]*')*\s?\]")),
    ("a Python None", re.compile(r"\bNone\b(?! of\b)")),
    ("a bare True or False", re.compile(r"\b(True|False)\b")),
    ("a NaN or <NA>", re.compile(r"\bNaN\b|<NA>|\bnan\b|\bNaT\b")),
    ("a command-line hint (--out)", re.compile(r"--out for all|\(--\w[\w-]* for [^)]*\)|\d+ more columns")),
    ("a 'nothing written' note", re.compile(r"no output_dir|nothing written")),
]
_TEXT_DUMP_LINE = re.compile(r"^\s*\S+(\s{2,}\S+)+\s*$", re.M)


def visible_text(page: str) -> str:
    """The text a reader sees: the page without its styles, scripts, inline SVG charts, tags and entities.

    Examples
    --------
    >>> " ".join(visible_text("<style>p{}</style><p>a &lt;b&gt;</p><svg><text>x</text></svg>").split())
    'a <b>'
    """
    body = re.sub(r"<(style|script|svg)\b[^>]*>.*?</\1>", " ", page, flags=re.S | re.I)
    body = re.sub(r"<[^>]+>", " ", body)
    return html.unescape(body)


def with_source(page: str, source: str) -> str:
    """``page`` with ``source`` (the sentence of :func:`nhsrank.report.trust_data.data_source_line`) as a
    paragraph at the top of its body, once: the interactive charts, pages of their own, say where their data
    come from as every other page does.

    Examples
    --------
    >>> with_source("<html><body><div>chart</div></body></html>", "Source: x.csv.")
    '<html><body><p class="nhsrank-source">Source: x.csv.</p><div>chart</div></body></html>'
    """
    note = f'<p class="nhsrank-source">{html.escape(source)}</p>'
    if note in page:
        return page
    m = re.search(r"<body[^>]*>", page)
    return page[:m.end()] + note + page[m.end():] if m else note + page


def page_problems(text: str, *, ae_data: bool = False, builder_paths=()) -> list[str]:
    """What the report builder checks on every finished page (an empty list: the page is fine).

    The checks: no raw ``Series([], ...)``, no text cut with "..." in a table cell, the SYNTHETIC banner
    at most once, no builder path, no pandas index column of 0..n-1, and on A&E data no "NOF" wording
    ("mental health and community", "412 of 500 patients"); and no raw Python where a reader looks
    (:data:`_RAW_PYTHON`: warnings with their source line, progress bars, reprs such as
    ``trust_types=['non-acute']``, ``None``, bare ``True``/``False``, ``NaN``/``<NA>``, "(--out for all)",
    "no output_dir: nothing written"), no pandas text dump (a ``<pre>`` of aligned columns), no count
    printed as a float in a table cell (``61.0``) and no column name as a header (``diff_se``, ``p_holm``).

    Examples
    --------
    >>> page_problems("<td>abc...</td> Series([], dtype: float64)")
    ['a raw pandas Series([], ...) is printed', 'a table cell is cut with "..." (1 cell)']
    >>> page_problems("NOF tables", ae_data=True)
    ['A&E data, but the page says "NOF"']
    >>> page_problems("A&E 4-hour performance ranked with NOF 2025/26 rules", ae_data=True)
    []
    >>> page_problems("<p>trust_types=['non-acute'], seed None</p><th>diff_se</th><td>61.0</td>")
    ["a Python list or dict repr: trust_types=['non-acute'],", 'a Python None: None', 'a count printed as a float in a table cell: 61.0', 'a column name as a table header: diff_se']
    """  # noqa: E501 (doctest output / markup kept on one line)
    out = []
    if "Series([]" in text:
        out.append("a raw pandas Series([], ...) is printed")
    cut = re.findall(r"<td>[^<]*\.\.\.</td>", text)
    if cut:
        out.append(f'a table cell is cut with "..." ({len(cut)} cell{"s" if len(cut) > 1 else ""})')
    if text.count('id="nhsrank-synthetic-banner"') + len(_NB_BANNER.findall(text)) > 1:
        out.append("the SYNTHETIC banner appears more than once")
    for p in builder_paths:
        if p and str(p) in text:
            out.append(f"the builder's path {p} appears in the page")
    seen = visible_text(text)
    for what, pattern in _RAW_PYTHON:
        m = pattern.search(seen)
        if m:
            start = max(seen.rfind(" ", 0, m.start()), seen.rfind("\n", 0, m.start())) + 1
            end = min([i for i in (seen.find(" ", m.end()), seen.find("\n", m.end())) if i >= 0] or [len(seen)])
            out.append(f"{what}: {seen[start:end].strip()}")
    for pre in re.findall(r"<pre\b[^>]*>(.*?)</pre>", text, flags=re.S):
        if len(_TEXT_DUMP_LINE.findall(html.unescape(re.sub(r"<[^>]+>", "", pre)))) >= 2:
            out.append("a pandas text dump (aligned columns in plain text): render it as a table")
            break
    floats = re.findall(r"<td[^>]*>\s*-?\d+\.0\s*</td>", text)
    if floats:
        out.append(f"a count printed as a float in a table cell: {re.sub(r'<[^>]+>', '', floats[0]).strip()}")
    names = re.findall(r"<th[^>]*>\s*([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\s*</th>", text)
    if names:
        out.append(f"a column name as a table header: {', '.join(dict.fromkeys(names))}")
    if ae_data:
        body = re.sub(r"NOF (2025/26 )?rules", "", seen)   # "ranked with NOF 2025/26 rules" is what the A&E table is
        for word in ("NOF", "mental health and community", "412 of 500 patients"):
            if re.search(rf"\b{re.escape(word)}\b", body):
                out.append(f'A&E data, but the page says "{word}"')
    return out


def reproduction_sentences(summary) -> list[str]:
    """How well NHS England's table was reproduced, from :func:`nhsrank.data.published.summarise_reconcile`.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"quarter": ["Q"] * 2, "figure": ["average_metric_score", "league_position"],
    ...                   "compared": [61, 61], "agree": [58, 60], "taken": [0, 0], "max_abs_difference": [0.01, 1.0]})
    >>> reproduction_sentences(s)
    ["Reproduction of NHS England's published table (computed, not copied): average metric score 58 of 61 exact (largest difference 0.01); league position 60 of 61 exact (largest difference 1)."]
    """  # noqa: E501 (doctest output / markup kept on one line)
    order = ["average_metric_score", "segment_before_adjustment", "segment", "league_position"]
    parts = []
    for fig in order:
        d = summary[summary["figure"] == fig]
        if d.empty or int(d["compared"].sum()) == 0:
            continue
        agree, comp = int(d["agree"].sum()), int(d["compared"].sum())
        diff = float(d["max_abs_difference"].max())
        parts.append(f"{fig.replace('_', ' ')} {agree} of {comp} exact"
                     + (f" (largest difference {diff:g})" if agree < comp and diff == diff else ""))
    if not parts:
        return []
    return ["Reproduction of NHS England's published table (computed, not copied): " + "; ".join(parts) + "."]


def _replicates_ran(folder: Path, stem: str):
    import pandas as pd

    p = folder / stem / "summary.csv"
    if not p.exists():
        return None
    s = pd.read_csv(p)
    hit = s.loc[s["measure"] == "bootstrap replicates", "value"]
    return int(float(hit.iloc[0])) if len(hit) and str(hit.iloc[0]) not in ("", "n/a", "nan") else None


def finish_report(stage, out_dir, plan: Plan, *, meth, data_path, synthetic: bool, published: bool, seed,
                  echo=print, context: dict | None = None) -> dict:
    """After the notebooks ran (pages already in ``stage``): write the full tables, put the "How sure we
    are" box on every page, finish each page (:func:`finish_page`) and check it (:func:`page_problems`).

    Returns a dict: ``findings`` (trust type -> headline sentences), ``reproduction`` (sentences),
    ``box`` (HTML), ``files`` (paths written), ``problems`` (page -> list of problems).
    """
    from ..data.published import league_table_beside, reconcile
    from .full_table import build_from_report, full_table_page, write_full_tables
    from .manifest import is_nhs_england_file
    from .plan import output_stem
    from .trust_data import data_source_line

    stage, q = Path(stage), plan.quarter
    ae = meth.id.startswith("ae-")
    what, attribution = data_description(meth.id, synthetic, published,
                                         data_path is not None and is_nhs_england_file(data_path))
    reps = {tt: _replicates_ran(stage, output_stem("rank_uncertainty", tt)) for tt in plan.trust_types}
    reps = {k: v for k, v in reps.items() if v is not None}
    box = how_sure_box(data=what, attribution=attribution, replicates=reps, seed=seed,
                       caveats=methodology_caveats(meth, plan.trust_types), methodology_title=meth.title,
                       funnel=any(stage.glob("*/funnel.svg")))
    out = {"findings": {}, "reproduction": [], "box": box, "files": [], "problems": {}}
    league_file = league_table_beside(data_path) if (published and data_path is not None and not ae) else None
    if published and not ae and data_path is not None:
        try:
            rec = reconcile(data_path, q, league_file, meth)
            out["reproduction"] = reproduction_sentences(rec.summary())
        except Exception as exc:  # noqa: BLE001 - the report still builds; the index says why
            out["reproduction"] = [f"The reproduction of NHS England's table could not be computed: {exc}"]
    tables, notes, _missing = build_from_report(stage, plan.trust_types, q, published_file=league_file,
                                                context=context)
    out["findings"] = notes
    source = data_source_line(data_path, synthetic, meth.id)
    if tables:
        links = {tt: f"{output_stem('rank_uncertainty', tt)}/rank_intervals.html" for tt in tables
                 if (stage / output_stem("rank_uncertainty", tt) / "rank_intervals.html").exists()}
        page = full_table_page(tables, q, banner=banner_html(synthetic), box=box, notes=notes,
                               css=INDEX_CSS + HOWSURE_CSS, chart_links=links, links=context is not None,
                               previous=None if context is None else context.get("previous_quarter"), source=source)
        write_text(stage / "full_table.html", page)
        out["files"] = [stage / "full_table.html"] + write_full_tables(tables, stage, quarter=q, source=source,
                                                                      method=meth.title)
        if context is not None:     # a page for every trust (trust_pages.py), checked like every page
            from .trust_pages import trust_search_html, write_trust_pages

            pages = write_trust_pages(stage, tables, context, q, source=source, banner=banner_html(synthetic))
            out["trust_search"] = trust_search_html(tables)
            for p in pages.values():
                problems = page_problems(p.read_text(encoding="utf-8"), ae_data=ae,
                                         builder_paths=(str(stage), str(out_dir)))
                if problems:
                    out["problems"][f"trusts/{p.name}"] = problems
                    echo(f"  CHECK trusts/{p.name}: " + "; ".join(problems))
    from .saving import INTERACTIVE_CHARTS

    for chart in sorted(stage.glob("*/*.html")):   # interactive charts: Vega inlined, nothing from the network
        text = chart.read_text(encoding="utf-8")
        if chart.stem in INTERACTIVE_CHARTS:       # a page of its own: it says where its data come from
            text = with_source(text, source)
            write_text(chart, text)
        remote = remote_references(text)
        if remote:
            out["problems"][chart.relative_to(stage).as_posix()] = [f"loads from the network: {remote[0]}"]
    for page in sorted(stage.glob("*.html")):
        if page.name == "index.html":
            continue
        text = page.read_text(encoding="utf-8")
        if page.name != "full_table.html":
            text = finish_page(text, box, out_dir)
            write_text(page, text)
        problems = page_problems(text, ae_data=ae, builder_paths=(str(stage), str(out_dir)))
        if html.escape(what) not in text:
            problems.append("the page does not say where its data come from")
        if problems:
            out["problems"][page.name] = problems
            echo(f"  CHECK {page.name}: " + "; ".join(problems))
    return out
