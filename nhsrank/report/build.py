"""Build the quarterly report: run the notebooks with papermill, export them as
HTML without code, and write an index page and a manifest.

``make report`` calls ``python -m nhsrank.report``; ``nhsrank report`` is the
same command. For one quarter it writes ``reports/<quarter>/``::

    index.html                      links to every page; SYNTHETIC banner for the bundled data
    manifest.json                   version, methodology and data hashes, seed, parameters, output hashes
    league_table.html / .ipynb      every trust type
    league_table/                   its tables (CSV) and charts (SVG), written by the notebook
    rank_uncertainty-<type>.html    one per trust type in the data (and .ipynb, folder)
    sensitivity-<type>.html
    quarter_movement-<type>.html    (skipped for the first quarter in the data)
    trust_profile-<code>.html       the best-ranked acute trust (skipped without acute trusts)

Each notebook takes the parameters of its first code cell (tagged
``parameters``): data_path, attributes_path, quarter, trust_type (league_table:
trust_types), methodology, n_boot, seed, output_dir, and trust_code
(trust_profile) or quarter_from (quarter_movement).

The HTML opens offline: the nbconvert template drops require.js, MathJax and
Mermaid (all loaded from CDNs by the default template) and every page is
checked for remote scripts and styles (:func:`remote_references`).
"""
from __future__ import annotations

import argparse
import hashlib
import html
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
REPORTS_DIR = REPO_ROOT / "reports"
KERNEL_NAME = "python3"
#: quieten the kernel process's own log (ipykernel 7 warns about local TCP on every start); the
#: notebook's output, warnings and errors travel over the kernel protocol and are unaffected
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=ERROR",)

#: the notebooks in report order
NOTEBOOKS = ("league_table", "rank_uncertainty", "sensitivity", "quarter_movement", "trust_profile")
#: notebooks run once per trust type present in the quarter's data
PER_TRUST_TYPE = ("rank_uncertainty", "sensitivity", "quarter_movement")
TITLES = {
    "league_table": "League tables",
    "rank_uncertainty": "Rank uncertainty",
    "sensitivity": "What changes the ranking",
    "quarter_movement": "Movement between quarters",
    "trust_profile": "Trust profile",
}
#: parameters every notebook must declare in its ``parameters`` cell
COMMON_PARAMETERS = ("data_path", "attributes_path", "quarter", "methodology", "n_boot", "seed", "output_dir")
EXTRA_PARAMETERS = {
    "league_table": ("trust_types",),
    "rank_uncertainty": ("trust_type",),
    "sensitivity": ("trust_type",),
    "quarter_movement": ("trust_type", "quarter_from"),
    "trust_profile": ("trust_type", "trust_code"),
}


class ReportError(Exception):
    """A report cannot be built as asked (bad option, missing notebook, remote resource in the HTML)."""


# ---------------------------------------------------------------------------
# planning (pure)
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Job:
    """One notebook run: which notebook, the output stem and its parameters."""

    notebook: str
    stem: str
    trust_type: str | None
    parameters: dict

    @property
    def title(self) -> str:
        what = TITLES.get(self.notebook, self.notebook)
        if self.notebook == "trust_profile":
            return f"{what}: {self.parameters.get('trust_code')}"
        if self.notebook == "quarter_movement":
            return f"{what}: {self.trust_type}, {self.parameters.get('quarter_from')} to {self.parameters.get('quarter')}"
        return f"{what}: {self.trust_type}" if self.trust_type else what


@dataclass
class Plan:
    """Everything one quarter's report will run, decided before any notebook starts."""

    quarter: str
    out_dir: Path
    trust_types: list[str]
    jobs: list[Job] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (stem, reason)


def output_paths(out_dir, stem: str) -> dict[str, Path]:
    """Where one notebook's outputs go inside a quarter's report folder.

    Examples
    --------
    >>> p = output_paths("/r/2025-26-Q1", "rank_uncertainty-acute")
    >>> p["html"].as_posix(), p["ipynb"].name, p["files"].name
    ('/r/2025-26-Q1/rank_uncertainty-acute.html', 'rank_uncertainty-acute.ipynb', 'rank_uncertainty-acute')
    """
    out_dir = Path(out_dir)
    return {"ipynb": out_dir / f"{stem}.ipynb", "html": out_dir / f"{stem}.html", "files": out_dir / stem}


def output_stem(notebook: str, trust_type: str | None = None, trust_code: str | None = None) -> str:
    """The file stem of one notebook run: the notebook name, then the trust type or trust code.

    Examples
    --------
    >>> output_stem("league_table"), output_stem("sensitivity", "non-acute"), output_stem("trust_profile", "acute", "RX1")
    ('league_table', 'sensitivity-non-acute', 'trust_profile-RX1')
    """
    if notebook == "trust_profile" and trust_code:
        return f"{notebook}-{_safe(trust_code)}"
    return f"{notebook}-{_safe(trust_type)}" if trust_type else notebook


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", str(text))


def notebook_parameters(notebook: str, *, quarter: str, out_files: Path, data_path=None, attributes_path=None,
                        methodology: str = "nof-2025-26", n_boot: int = 200, seed: int = 1,
                        trust_type: str | None = None, trust_types=None, trust_code: str | None = None,
                        quarter_from: str | None = None) -> dict:
    """The papermill parameters of one notebook run, following the notebooks' contract.

    Paths are made absolute, so the notebook finds them whatever the kernel's
    working directory. ``data_path=None`` means the bundled SYNTHETIC data.

    Examples
    --------
    >>> p = notebook_parameters("trust_profile", quarter="2025-26-Q1", out_files=Path("/r/x"),
    ...                         trust_type="acute", trust_code="SYN-A001")
    >>> p["trust_code"], p["data_path"], p["output_dir"], "trust_types" in p
    ('SYN-A001', None, '/r/x', False)
    >>> sorted(notebook_parameters("league_table", quarter="2025-26-Q1", out_files=Path("/r/l"),
    ...                            trust_types=["acute"]))  # doctest: +NORMALIZE_WHITESPACE
    ['attributes_path', 'data_path', 'methodology', 'n_boot', 'output_dir', 'quarter', 'seed', 'trust_types']
    """
    if notebook not in EXTRA_PARAMETERS:
        raise ReportError(f"unknown notebook {notebook!r}; the report has {', '.join(NOTEBOOKS)}")
    absolute = (lambda p: None if p is None else str(Path(p).resolve()))
    params = {
        "data_path": absolute(data_path),
        "attributes_path": absolute(attributes_path),
        "quarter": quarter,
        "methodology": methodology,
        "n_boot": int(n_boot),
        "seed": int(seed),
        "output_dir": str(Path(out_files).resolve()),
    }
    extra = {"trust_types": list(trust_types) if trust_types is not None else None, "trust_type": trust_type,
             "trust_code": trust_code, "quarter_from": quarter_from}
    for name in EXTRA_PARAMETERS[notebook]:
        params[name] = extra[name]
    return params


def parse_notebooks(spec: str | None) -> list[str]:
    """``"league_table,trust_profile"`` -> the names in report order; None or "" -> all.

    Examples
    --------
    >>> parse_notebooks("trust_profile, league_table.ipynb")
    ['league_table', 'trust_profile']
    >>> parse_notebooks("league")
    Traceback (most recent call last):
    ...
    nhsrank.report.ReportError: unknown notebook(s): league; choose from league_table, rank_uncertainty, sensitivity, quarter_movement, trust_profile
    """
    if not spec:
        return list(NOTEBOOKS)
    names = {n.strip().removesuffix(".ipynb") for n in spec.split(",") if n.strip()}
    unknown = sorted(names - set(NOTEBOOKS))
    if unknown:
        raise ReportError(f"unknown notebook(s): {', '.join(unknown)}; choose from {', '.join(NOTEBOOKS)}")
    return [n for n in NOTEBOOKS if n in names]


def previous_quarter(quarters, quarter: str) -> str | None:
    """The latest quarter in ``quarters`` before ``quarter`` (None if there is none).

    Examples
    --------
    >>> previous_quarter(["2025-26-Q1", "2024-25-Q4", "2025-26-Q3"], "2025-26-Q3")
    '2025-26-Q1'
    >>> previous_quarter(["2025-26-Q1"], "2025-26-Q1") is None
    True
    """
    earlier = sorted(q for q in set(quarters) if q < quarter)
    return earlier[-1] if earlier else None


def plan_report(quarter: str, out_dir, *, notebooks, trust_types, quarters, example_trust: str | None,
                example_type: str = "acute", data_path=None, attributes_path=None, methodology: str = "nof-2025-26", n_boot: int = 200,
                seed: int = 1) -> Plan:
    """Decide the notebook runs of one quarter's report.

    Parameters
    ----------
    quarter : the quarter ranked
    out_dir : the quarter's report folder
    notebooks : names to run (see :data:`NOTEBOOKS`)
    trust_types : trust types present in the quarter's data, in methodology order
    quarters : every quarter in the data (quarter_movement compares with the previous one)
    example_trust : trust code for trust_profile (None: skipped)
    example_type : that trust's type
    data_path, attributes_path, methodology, n_boot, seed : passed to every notebook

    Returns
    -------
    Plan with one :class:`Job` per run and the runs skipped, each with its reason.

    Examples
    --------
    >>> plan = plan_report("2025-26-Q1", "/r/2025-26-Q1", notebooks=list(NOTEBOOKS), trust_types=["acute", "ambulance"],
    ...                    quarters=["2025-26-Q1"], example_trust="SYN-A001")
    >>> [j.stem for j in plan.jobs]
    ['league_table', 'rank_uncertainty-acute', 'rank_uncertainty-ambulance', 'sensitivity-acute', 'sensitivity-ambulance', 'trust_profile-SYN-A001']
    >>> plan.skipped[0]
    ('quarter_movement-acute', 'no quarter before 2025-26-Q1 in the data')
    """
    out_dir = Path(out_dir)
    plan = Plan(quarter=quarter, out_dir=out_dir, trust_types=list(trust_types))
    common = dict(quarter=quarter, data_path=data_path, attributes_path=attributes_path, methodology=methodology,
                  n_boot=n_boot, seed=seed)
    before = previous_quarter(quarters, quarter)

    def add(notebook, trust_type=None, **extra):
        stem = output_stem(notebook, trust_type, extra.get("trust_code"))
        params = notebook_parameters(notebook, out_files=output_paths(out_dir, stem)["files"],
                                     trust_type=trust_type, **common, **extra)
        plan.jobs.append(Job(notebook, stem, trust_type, params))

    for nb in notebooks:
        if nb == "league_table":
            add(nb, trust_types=list(trust_types))
        elif nb in PER_TRUST_TYPE:
            for tt in trust_types:
                if nb == "quarter_movement" and before is None:
                    plan.skipped.append((output_stem(nb, tt), f"no quarter before {quarter} in the data"))
                    continue
                add(nb, tt, **({"quarter_from": before} if nb == "quarter_movement" else {}))
        elif nb == "trust_profile":
            if example_trust is None:
                plan.skipped.append(("trust_profile", f"no ranked acute trust in {quarter}"))
            else:
                add(nb, example_type, trust_code=example_trust)
    return plan


# ---------------------------------------------------------------------------
# HTML: offline export, remote-reference scan, header, index
# ---------------------------------------------------------------------------

# nbconvert's lab template, minus everything it loads from a CDN
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

_REMOTE = r"""(?:https?:)?//"""
REMOTE_PATTERNS = {
    "script": re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']?\s*""" + _REMOTE, re.I),
    "stylesheet or link": re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?\s*""" + _REMOTE, re.I),
    "image": re.compile(r"""<img\b[^>]*\bsrc\s*=\s*["']?\s*""" + _REMOTE, re.I),
    "iframe": re.compile(r"""<iframe\b[^>]*\bsrc\s*=\s*["']?\s*""" + _REMOTE, re.I),
    "CSS import": re.compile(r"""@import\s+["']\s*""" + _REMOTE, re.I),  # @import url(...) is a CSS url()
    "CSS url()": re.compile(r"""\burl\(\s*["']?\s*""" + _REMOTE, re.I),
    "JS import": re.compile(r"""\bimport\s*\(\s*["']""" + _REMOTE, re.I),
}


def remote_references(page: str) -> list[str]:
    """Every script, style, image or import a page would fetch from the network.

    Links the reader clicks (``<a href="https://...">``) and SVG namespaces are
    not fetched, so they are not reported.

    Examples
    --------
    >>> remote_references('<script src="https://cdn.x/require.js"></script><a href="https://nhs.uk">x</a>')
    ['script: <script src="https://cdn.x/require.js">']
    >>> remote_references('<link rel="stylesheet" href="//fonts.x/css"><svg xmlns="http://www.w3.org/2000/svg"/>')
    ['stylesheet or link: <link rel="stylesheet" href="//fonts.x/css">']
    >>> remote_references('<script src="local.js"></script><style>a {background: url(data:image/png;base64,AA)}</style>')
    []
    """
    found = []
    for kind, pattern in REMOTE_PATTERNS.items():
        for m in pattern.finditer(page):
            end = page.find(">", m.start())
            snippet = page[m.start(): end + 1 if 0 <= end - m.start() < 300 else m.end() + 60]
            found.append(f"{kind}: {snippet.strip()}")
    return found


def _inline_markdown(text: str) -> str:
    """The little markdown :func:`nhsrank.manifest.report_header` uses, as HTML.

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
            f'<div class="nhsrank-nav"><a href="index.html">&larr; NOF report {html.escape(quarter)}</a>'
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


def export_html(ipynb_path, html_path, header: str = "", title: str | None = None) -> Path:
    """Export an executed notebook as a self-contained HTML page without code.

    Raises :class:`ReportError` if the page would still fetch anything from the
    network (e.g. a notebook displaying an interactive chart from a CDN).
    """
    import nbformat

    nb = nbformat.read(str(ipynb_path), as_version=4)
    resources = {"nhsrank_header": header, "metadata": {"name": title or Path(ipynb_path).stem}}
    body, _ = offline_exporter().from_notebook_node(nb, resources=resources)
    remote = remote_references(body)
    if remote:
        raise ReportError(f"{Path(ipynb_path).name}: the HTML would load from the network (it must open "
                          f"offline): " + "; ".join(remote[:5]))
    Path(html_path).write_text(body, encoding="utf-8")
    return Path(html_path)


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


def index_html(plan: Plan, results: list["JobResult"], manifest: dict) -> str:
    """The quarter's index page: banner, provenance, one row per notebook run with its files."""
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
        notebook = (f'<a href="{html.escape(paths["ipynb"].name)}">{html.escape(paths["ipynb"].name)}</a>'
                    if paths["ipynb"].exists() else "")
        rows.append(f"<tr><td>{page}</td><td class=files>{_relative_links(tables, plan.out_dir)}</td>"
                    f"<td class=files>{_relative_links(charts, plan.out_dir)}</td><td>{notebook}</td>"
                    f"<td>{r.seconds:.1f}&nbsp;s</td></tr>")
    skipped = "".join(f'<li class="skipped">{html.escape(stem)}: {html.escape(reason)}</li>'
                      for stem, reason in plan.skipped)
    failed = [r for r in results if not r.ok]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>NOF report {html.escape(plan.quarter)}</title><style>{INDEX_CSS}</style></head>
<body>
{banner_html(synthetic)}
<h1>NHS Oversight Framework report: {html.escape(plan.quarter)}</h1>
{'<p class="failed">' + str(len(failed)) + ' notebook(s) failed: this report is incomplete.</p>' if failed else ''}
<p class="provenance">{_inline_markdown(header)}<br>Trust types: {html.escape(', '.join(plan.trust_types))}.
Full record: <a href="manifest.json">manifest.json</a>.</p>
<h2>Reports</h2>
<table><thead><tr><th>page</th><th>tables (CSV)</th><th>charts (SVG)</th><th>executed notebook</th><th>time</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
{'<h2>Not run</h2><ul>' + skipped + '</ul>' if skipped else ''}
<p class="provenance">Built by <code>python -m nhsrank.report</code>. Every page opens offline; the code is in
the executed notebooks.</p>
</body></html>
"""


# ---------------------------------------------------------------------------
# running
# ---------------------------------------------------------------------------

@dataclass
class JobResult:
    job: Job
    ok: bool
    seconds: float
    files: list[Path] = field(default_factory=list)
    error: str | None = None


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", str(text))


def describe_failure(exc: BaseException, notebook_path: Path, partial: Path) -> str:
    """A short, complete account of a failed notebook: which cell, the exception, the partial notebook.

    Examples
    --------
    >>> from papermill.exceptions import PapermillExecutionError
    >>> e = PapermillExecutionError(3, 2, "x = 1\\nraise ValueError('bad')", "ValueError", "bad", [])
    >>> print(describe_failure(e, Path("notebooks/a.ipynb"), Path("/nowhere/a.ipynb")))
    notebook notebooks/a.ipynb, in the cell shown as In [2]:
        x = 1
        raise ValueError('bad')
      ValueError: bad
      no executed notebook was written
    """
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        src = exc.source.strip().splitlines()
        shown = src[:8] + (["    ..."] if len(src) > 8 else [])
        code = "\n".join("    " + line for line in shown)
        what = f"notebook {notebook_path}, in the cell shown as In [{exc.exec_count}]:\n{code}\n" \
               f"  {exc.ename}: {_strip_ansi(exc.evalue)}"
    else:
        what = f"notebook {notebook_path}:\n  {type(exc).__name__}: {_strip_ansi(exc)}"
    where = f"partial executed notebook: {partial}" if partial.exists() else "no executed notebook was written"
    return f"{what}\n  {where}"


def declared_parameters(notebook_path) -> list[str] | None:
    """Names assigned in a notebook's cell tagged ``parameters`` (None if it has no such cell)."""
    import nbformat
    from papermill.translators import papermill_translators

    nb = nbformat.read(str(notebook_path), as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    if not cells:
        return None
    translator = papermill_translators.find_translator(KERNEL_NAME, "python")
    return [p.name for p in translator.inspect(cells[0])]


def _check_contract(notebook_path: Path, params: dict) -> None:
    declared = declared_parameters(notebook_path)
    if declared is None:
        raise ReportError(f"{notebook_path}: no code cell tagged 'parameters'")
    missing = [p for p in params if p not in declared]
    if missing:
        raise ReportError(f"{notebook_path}: its 'parameters' cell does not declare {', '.join(missing)} "
                          f"(the report passes {', '.join(params)})")


def run_job(job: Job, out_dir: Path, notebooks_dir: Path, synthetic: bool, quarter: str) -> JobResult:
    """Execute one notebook with papermill into ``out_dir`` and export its HTML."""
    import papermill

    paths = output_paths(out_dir, job.stem)
    source = notebooks_dir / f"{job.notebook}.ipynb"
    start = time.perf_counter()
    try:
        papermill.execute_notebook(str(source), str(paths["ipynb"]), parameters=job.parameters,
                                   kernel_name=KERNEL_NAME, cwd=str(notebooks_dir), progress_bar=False,
                                   log_output=False, extra_arguments=list(KERNEL_ARGUMENTS))
        export_html(paths["ipynb"], paths["html"], page_header(job.title, quarter, synthetic),
                    title=f"{job.title} - {quarter}")
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # reported to the user, never swallowed: the run exits non-zero
        return JobResult(job, False, time.perf_counter() - start, _listed(paths["files"]),
                         describe_failure(exc, source, paths["ipynb"]))
    return JobResult(job, True, time.perf_counter() - start, _listed(paths["files"]))


def _listed(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _prepare_out_dir(out_dir: Path) -> None:
    """Empty a previous report of this quarter (a folder with an nhsrank manifest) so that
    every file in it comes from this run; refuse to touch any other non-empty folder."""
    if out_dir.exists() and any(out_dir.iterdir()):
        if not (out_dir / "manifest.json").exists() and not (out_dir / ".nhsrank-report").exists():
            raise ReportError(f"{out_dir} exists and is not an nhsrank report folder (no manifest.json); "
                              "move it away or choose another --out-dir")
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / ".nhsrank-report").write_text("built by nhsrank.report; emptied by the next run\n")


# ---------------------------------------------------------------------------
# data-dependent decisions
# ---------------------------------------------------------------------------

def resolve_methodology(metrics, methodology: str | None) -> str:
    """The methodology id (or path) to use: as given, else ae-4hr for the A&E file, else nof-2025-26."""
    from .ae import AE_METHODOLOGY, AE_METRIC_ID
    from .methodology import DEFAULT_METHODOLOGY

    if methodology and methodology != "auto":
        return methodology
    return AE_METHODOLOGY if set(metrics["metric_id"].unique()) == {AE_METRIC_ID} else DEFAULT_METHODOLOGY


def best_ranked_trust(metrics, quarter: str, methodology, attributes, trust_type: str = "acute") -> str | None:
    """Trust code of the best-ranked trust of ``trust_type`` (ties: lower average score, then code).

    Examples
    --------
    >>> import nhsrank
    >>> m, a = nhsrank.load_bundled()
    >>> best_ranked_trust(m, "2025-26-Q1", "nof-2025-26", a).startswith("SYN-A")
    True
    """
    from .league import league_table

    if trust_type not in set(metrics.loc[metrics["quarter"] == quarter, "trust_type"]):
        return None
    table = league_table(metrics, quarter, trust_type, methodology, attributes)
    if table.empty:
        return None
    best = table.sort_values(["league_position", "average_metric_score", "trust_code"]).iloc[0]
    return str(best["trust_code"])


def build_report(quarter: str | None = None, *, data_path=None, attributes_path=None, methodology=None,
                 n_boot: int = 10_000, seed: int = 1, notebooks=None, out_root=REPORTS_DIR,
                 notebooks_dir=NOTEBOOKS_DIR, trust_code: str | None = None, all_quarters: bool = False,
                 echo=print) -> int:
    """Build the report of one quarter (or of every quarter); returns the exit status (0: all built).

    Parameters
    ----------
    quarter : quarter to report, e.g. "2025-26-Q2"; None: the latest in the data
    data_path : metrics file; None: the bundled SYNTHETIC data
    attributes_path : trust attributes file; None: the bundled one with the bundled data, none otherwise
    methodology : methodology id or YAML path; None: nof-2025-26 (ae-4hr for the A&E file)
    n_boot, seed : bootstrap replicates and random seed passed to every notebook
    notebooks : names to run (default: all, see :data:`NOTEBOOKS`)
    out_root : reports are written to ``out_root/<quarter>/``
    notebooks_dir : where the notebooks are
    trust_code : trust for trust_profile (default: the best-ranked acute trust)
    all_quarters : build a report for every quarter in the data (and ``out_root/index.html``)
    echo : where progress lines go

    Returns
    -------
    0 if every notebook ran and exported, 1 otherwise (each failure is printed).
    """
    from .io import SYNTHETIC_ATTRIBUTES, read_attributes, read_metrics
    from .manifest import build_manifest, is_synthetic, write_manifest
    from .methodology import load_methodology

    if n_boot < 1:
        raise ReportError(f"--n-boot must be at least 1, got {n_boot}")
    if quarter and all_quarters:
        raise ReportError("give --quarter or --all-quarters, not both")
    names = parse_notebooks(",".join(notebooks) if isinstance(notebooks, (list, tuple)) else notebooks)
    notebooks_dir, out_root = Path(notebooks_dir).resolve(), Path(out_root).resolve()
    missing = [f"{n}.ipynb" for n in names if not (notebooks_dir / f"{n}.ipynb").exists()]
    if missing:
        raise ReportError(f"notebook(s) not found in {notebooks_dir}: {', '.join(missing)}")

    # absolute paths: the kernel runs in the notebooks folder, and the manifest must say which file
    data_path = None if data_path is None else Path(data_path).resolve()
    attributes_path = None if attributes_path is None else Path(attributes_path).resolve()
    synthetic = is_synthetic(data_path)
    metrics = read_metrics(data_path if data_path is not None else _bundled())
    attributes = (read_attributes(attributes_path) if attributes_path
                  else read_attributes(SYNTHETIC_ATTRIBUTES) if synthetic else None)
    meth_id = resolve_methodology(metrics, methodology)
    meth = load_methodology(meth_id)
    present = sorted(metrics["quarter"].dropna().unique())
    if all_quarters:
        chosen = present
    elif quarter:
        from .io import normalise_quarter

        quarter = normalise_quarter(quarter)
        if quarter not in present:
            raise ReportError(f"quarter {quarter} is not in the data; quarters present: {', '.join(present)}")
        chosen = [quarter]
    else:
        chosen = present[-1:]
    if synthetic:
        echo("NOTE: bundled SYNTHETIC data (fictional trusts); pass --data for NHS England's published file.")

    status, built = 0, []
    for q in chosen:
        in_q = set(metrics.loc[metrics["quarter"] == q, "trust_type"])
        types = [t for t in meth.trust_types if t in in_q]
        example, example_type = None, "acute"
        if "trust_profile" in names:
            example = trust_code or best_ranked_trust(metrics, q, meth, attributes)
            if example is not None:
                rows = metrics.loc[(metrics["quarter"] == q) & (metrics["trust_code"] == example), "trust_type"]
                if rows.empty:
                    raise ReportError(f"--trust-code {example}: no such trust in {q}")
                example_type = str(rows.iloc[0])
        out_dir = out_root / q
        plan = plan_report(q, out_dir, notebooks=names, trust_types=types, quarters=present,
                           example_trust=example, example_type=example_type, data_path=data_path, attributes_path=attributes_path,
                           methodology=meth_id, n_boot=n_boot, seed=seed)
        for job in plan.jobs:
            _check_contract(notebooks_dir / f"{job.notebook}.ipynb", job.parameters)
        _prepare_out_dir(out_dir)
        echo(f"report {q}: {len(plan.jobs)} notebook(s) -> {out_dir} (n_boot={n_boot}, seed={seed}, "
             f"methodology={meth_id})")
        results = []
        width = max([len(j.stem) for j in plan.jobs] + [10])
        for i, job in enumerate(plan.jobs, 1):
            r = run_job(job, out_dir, notebooks_dir, synthetic, q)
            results.append(r)
            n_csv = sum(p.suffix == ".csv" for p in r.files)
            n_svg = sum(p.suffix == ".svg" for p in r.files)
            echo(f"  [{i:>{len(str(len(plan.jobs)))}}/{len(plan.jobs)}] {job.stem:<{width}} {r.seconds:7.1f} s  "
                 + (f"ok ({n_csv} CSV, {n_svg} SVG)" if r.ok else "FAILED"))
            if not r.ok:
                echo("    " + r.error.replace("\n", "\n    "))
        for stem, reason in plan.skipped:
            echo(f"  skipped {stem}: {reason}")
        manifest = build_manifest(data_path, meth_id, seed, {
            "quarter": q, "trust_types": types, "n_boot": n_boot, "notebooks": names,
            "trust_profile": example, "kernel": KERNEL_NAME}, attributes_path)
        manifest["report"] = {
            "complete": all(r.ok for r in results),
            "runs": [{"notebook": r.job.notebook, "stem": r.job.stem, "ok": r.ok,
                      "seconds": round(r.seconds, 2), "parameters": r.job.parameters, "error": r.error,
                      "files": {p.relative_to(out_dir).as_posix(): _sha256(p) for p in r.files}}
                     for r in results],
            "skipped": [{"stem": s, "reason": why} for s, why in plan.skipped],
        }
        write_manifest(out_dir / "manifest.json", manifest)
        (out_dir / "index.html").write_text(index_html(plan, results, manifest), encoding="utf-8")
        failed = [r for r in results if not r.ok]
        total = sum(r.seconds for r in results)
        echo(f"report {q}: {len(results) - len(failed)}/{len(results)} notebook(s) ok in {total:.0f} s; "
             f"open {out_dir / 'index.html'}")
        if failed:
            status = 1
            echo(f"report {q}: FAILED: {', '.join(r.job.stem for r in failed)} (details above)")
        built.append((q, out_dir, not failed))
    if all_quarters:
        _write_quarters_index(out_root, built, synthetic)
    return status


def _bundled():
    from .io import SYNTHETIC_METRICS
    return SYNTHETIC_METRICS


def _write_quarters_index(out_root: Path, built, synthetic: bool) -> None:
    items = "".join(f'<li><a href="{html.escape(q)}/index.html">{html.escape(q)}</a>'
                    f'{"" if ok else " <span class=failed>incomplete</span>"}</li>' for q, _, ok in built)
    (out_root / "index.html").write_text(
        f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>NOF reports</title>
<style>{INDEX_CSS}</style></head><body>{banner_html(synthetic)}<h1>NHS Oversight Framework reports</h1>
<ul>{items}</ul></body></html>
""", encoding="utf-8")


# ---------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------

def add_arguments(p: argparse.ArgumentParser) -> None:
    """The report options (shared by ``python -m nhsrank.report`` and ``nhsrank report``)."""
    p.add_argument("--quarter", help="quarter to report, e.g. 2025-26-Q2 (default: the latest in the data)")
    p.add_argument("--all-quarters", action="store_true", help="one report per quarter in the data")
    p.add_argument("--data", help="metrics file (NHS England's published NOF file, canonical CSV or the A&E "
                   "file); default: the bundled SYNTHETIC data")
    p.add_argument("--attributes", help="trust attributes file (financial_deficit, pip); default: the bundled "
                   "one with the bundled data, none otherwise")
    p.add_argument("--methodology", help="methodology id or YAML path (default: nof-2025-26; ae-4hr for A&E data)")
    p.add_argument("--n-boot", type=int, default=10_000, help="bootstrap replicates (default: 10000)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    p.add_argument("--notebooks", help=f"comma-separated subset of: {', '.join(NOTEBOOKS)} (default: all)")
    p.add_argument("--trust-code", help="trust for the trust profile (default: the best-ranked acute trust)")
    p.add_argument("--out-dir", default=str(REPORTS_DIR), help="reports go to OUT_DIR/<quarter>/ "
                   "(default: reports/ in the repository)")
    p.add_argument("--notebooks-dir", default=str(NOTEBOOKS_DIR), help="where the notebooks are "
                   "(default: notebooks/ in the repository)")


def run(args) -> int:
    """Run the report from parsed arguments; prints a one-line error (exit 2) for bad input."""
    from .errors import InputError, MethodologyError

    try:
        return build_report(args.quarter, data_path=args.data, attributes_path=args.attributes,
                            methodology=args.methodology, n_boot=args.n_boot, seed=args.seed,
                            notebooks=args.notebooks, out_root=args.out_dir, notebooks_dir=args.notebooks_dir,
                            trust_code=args.trust_code, all_quarters=args.all_quarters,
                            echo=lambda line: print(line, flush=True))
    except (ReportError, InputError, MethodologyError) as exc:
        print(f"nhsrank report: error: {exc}", file=sys.stderr)
        return 2


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m nhsrank.report", description=__doc__.split("\n\n")[0])
    add_arguments(p)
    return run(p.parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
