"""Write the report's HTML: each executed notebook as a page without code, and the index page."""
from __future__ import annotations

import html
import re
from pathlib import Path

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


def index_html(plan: Plan, results: list, manifest: dict) -> str:
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
