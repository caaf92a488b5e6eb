"""Report pages (nhsrank.report.html): the offline exporter, the "How sure we are" box, the page checks and the
reproduction sentence."""
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import nhsrank
from nhsrank.report.html import (
    export_html,
    finish_page,
    how_sure_box,
    methodology_caveats,
    offline_exporter,
    page_problems,
    reproduction_sentences,
)
from nhsrank.report.manifest import OGL_ATTRIBUTION
from nhsrank.report.offline import remote_references
from nhsrank.report.plan import ReportError
from nhsrank.rules.methodology import load_methodology

CODE_INPUT = re.compile(r'class="[^"]*(jp-InputArea-editor|jp-InputPrompt|highlight-ipython)')  # a code cell's input


def _notebook_with_outputs() -> nbformat.NotebookNode:
    code = new_code_cell("SECRET_CODE_LINE = 1\nprint('hello')", execution_count=1)
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5"/></svg>'
    code.outputs = [new_output("stream", name="stdout", text="hello table\n"),
                    new_output("display_data", data={"image/svg+xml": svg, "text/plain": "<SVG>"})]
    return new_notebook(cells=[new_markdown_cell("# Title $x^2$"), code],
                        metadata={"kernelspec": {"name": "python3", "language": "python",
                                                 "display_name": "Python 3"}})


#: each item of issue 21's list 1, as it reached a page, and the words of the check that must catch it
RAW_PYTHON_ON_PAGES = [
    ("<pre>/build/nhsrank/sensitivity/movement.py:214: UncertaintyWarning: few replicates</pre>", "warning"),
    ('<div class="jp-RenderedText"><pre>bootstrap:  40%|####      | 400/1000 [00:01&lt;00:02, 300.1it/s]</pre></div>',
     "progress bar"),
    ("<p>Parameters: trust_types=['non-acute']</p>", "list or dict repr"),
    ("<p>trust_profile=None</p>", "None"),
    ("<p>seed None</p>", "None"),
    ("<td>True</td>", "True or False"),
    ("<p>rankability NaN</p>", "NaN"),
    ("<td>&lt;NA&gt;</td>", "NaN"),
    ("<pre>trust_code  p_top_quart\nSYN-A001         0.50\nSYN-A002         0.25</pre>", "text dump"),
    ("<table><tr><td>61.0</td></tr></table>", "count printed as a float"),
    ("<table><thead><tr><th>diff_se</th><th>p_holm</th></tr></thead></table>", "column name"),
    ("<pre>(40 more rows; --full prints every row and column, --out for all)</pre>", "command-line hint"),
    ("<pre>saved 4 table(s) and 5 chart(s) (no output_dir: nothing written)</pre>", "nothing written"),
]


def test_default_lab_template_loads_from_cdns_but_ours_does_not(tmp_path):
    from nbconvert import HTMLExporter

    nb = _notebook_with_outputs()
    stock, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    assert any(r.startswith("script:") for r in remote_references(stock)), "the scan must catch nbconvert's CDNs"
    ipynb = tmp_path / "x.ipynb"
    nbformat.write(nb, ipynb)
    page = export_html(ipynb, tmp_path / "x.html", header='<div id="hdr">HEADER</div>').read_text()
    assert remote_references(page) == []
    assert "SECRET_CODE_LINE" not in page and not CODE_INPUT.search(page)
    assert "hello table" in page and "<svg" in page
    assert page.index('id="hdr"') < page.index("hello table")


def test_export_refuses_a_page_that_needs_the_network(tmp_path):
    nb = _notebook_with_outputs()
    nb.cells[1].outputs.append(new_output("display_data", data={
        "text/html": '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script><div id="vis"></div>'}))
    nbformat.write(nb, tmp_path / "x.ipynb")
    with pytest.raises(ReportError, match="network.*cdn.jsdelivr.net"):
        export_html(tmp_path / "x.ipynb", tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


def test_exporter_hides_code_and_prompts():
    e = offline_exporter()
    assert e.exclude_input and e.exclude_input_prompt and e.exclude_output_prompt


@pytest.mark.parametrize("meth_id", ["nof-2025-26", "nof-2026-27", "ae-4hr"])
def test_every_methodology_carries_caveats_and_the_box_lists_them(meth_id):
    meth = load_methodology(meth_id)
    caveats = methodology_caveats(meth, meth.trust_types)
    assert len(meth.config["caveats"]) >= 2 and len(caveats) >= len(meth.config["caveats"])
    box = how_sure_box(data="d", attribution=OGL_ATTRIBUTION, replicates={"acute": 2000}, seed=1,
                       caveats=caveats, methodology_title=meth.title)
    assert box.count("<li>") == len(caveats) and "2,000 bootstrap replicates" in box
    assert "Open Government Licence v3.0" in box
    if meth_id == "nof-2026-27":
        assert any("PLACEHOLDER" in c for c in caveats)
    if meth_id == "nof-2025-26":
        assert any(c.startswith("Unverified metric ids (ambulance)") and "OFA010" in c for c in caveats)


def test_box_says_when_replicates_are_too_few_for_the_headlines():
    assert "quick look" in how_sure_box(data="d", attribution="", replicates={"acute": 300}, seed=1, caveats=[],
                                        methodology_title="m")
    assert "quick look" not in how_sure_box(data="d", attribution="", replicates={"acute": 2000}, seed=1,
                                            caveats=[], methodology_title="m")


def test_finish_page_keeps_a_named_index_and_drops_a_range_index():
    named = ('<table border="1" class="dataframe"><thead><tr><th></th><th>ranked</th></tr><tr><th>trust_type</th>'
             '<th></th></tr></thead><tbody><tr><th>acute</th><td>3</td></tr></tbody></table>')
    assert finish_page(named) == named
    ranged = ('<table border="1" class="dataframe"><thead><tr style="x"><th></th><th>a</th></tr></thead><tbody>'
              '<tr><th>0</th><td>1</td></tr><tr><th>1</th><td>2</td></tr></tbody></table>')
    assert "<th>0</th>" not in finish_page(ranged) and "<th></th>" not in finish_page(ranged)
    sorted_index = ranged.replace("<th>0</th>", "<th>17</th>").replace("<th>1</th>", "<th>3</th>")
    assert "<th>17</th>" not in finish_page(sorted_index)          # a sorted RangeIndex says nothing either


def test_page_problems_catch_each_defect():
    assert page_problems("<p>fine</p>") == []
    assert page_problems('<div id="nhsrank-synthetic-banner"></div><p><strong>SYNTHETIC DATA.</strong> x</p>') \
        == ["the SYNTHETIC banner appears more than once"]
    assert page_problems("see /build/here/x", builder_paths=["/build/here"]) == \
        ["the builder's path /build/here appears in the page"]
    ae = page_problems("<p>mental health and community trusts, 412 of 500 patients</p><style>.NOF{}</style>",
                       ae_data=True)
    assert len(ae) == 2


@pytest.mark.parametrize("page, what", RAW_PYTHON_ON_PAGES, ids=[w for _, w in RAW_PYTHON_ON_PAGES])
def test_page_checks_catch_each_kind_of_raw_python(page, what):
    found = page_problems(f"<html><body><p>A fine sentence about None of the trusts.</p>{page}</body></html>")
    assert any(what in f for f in found), found


def test_page_checks_pass_what_a_reader_should_see():
    fine = ('<table class="nhsrank-table"><thead><tr><th>Position</th><th>P(top quarter)</th></tr></thead>'
            '<tbody><tr><td>61</td><td>0.50</td></tr><tr><td>62</td><td>–</td></tr></tbody></table>'
            "<p>None of the 60 neighbouring pairs differ: yes, 2.00 and 1.53.</p>"
            "<style>.x{content:'True'}</style><svg><text>p_holm NaN</text></svg>")
    assert page_problems(fine) == []


def test_reproduction_sentence_counts_exact_figures():
    import pandas as pd

    s = pd.DataFrame({"quarter": ["Q"] * 3, "figure": ["segment", "league_position", "metric scores"],
                      "compared": [61, 61, 900], "agree": [61, 60, 899], "taken": [0, 0, 0],
                      "max_abs_difference": [0.0, 1.0, 0.01]})
    (text,) = reproduction_sentences(s)
    assert "segment 61 of 61 exact;" in text and "league position 60 of 61 exact (largest difference 1)" in text


def test_real_reproduction_of_the_published_file():
    """On NHS England's file the sentence is computed by reconcile, not copied."""
    from nhsrank.data.published import league_table_beside, reconcile

    data = Path(nhsrank.__file__).resolve().parents[1] / "data" / "nhs-england" / \
        "nof-mh-community-trust-data-2025-26-q4.csv"
    rec = reconcile(data, "2025-26-Q4", league_table_beside(data))
    (text,) = reproduction_sentences(rec.summary())
    m = re.search(r"league position (\d+) of (\d+) exact", text)
    assert m and int(m.group(2)) == 61 and int(m.group(1)) >= 55
