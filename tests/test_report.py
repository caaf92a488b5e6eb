"""The quarterly report runner (nhsrank.report): planning, offline HTML, and end to end.

Unit tests run in a second. Tests marked ``slow`` execute notebooks: the tiny
stand-ins in tests/data/notebooks (they check the runner itself) and the real
notebooks in notebooks/ (they check the report users get).
"""
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

import nhsrank
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from nhsrank.data.readers import AE_ATTENDANCES, SYNTHETIC_ATTRIBUTES, SYNTHETIC_METRICS
from nhsrank.report.manifest import file_sha256
from nhsrank.rules.methodology import load_methodology
from nhsrank.report.plan import NOTEBOOKS, ReportError, notebook_parameters, output_paths, parse_notebooks, plan_report
from nhsrank.report.build import build_report, main
from nhsrank.report.html import export_html, offline_exporter
from nhsrank.report.offline import remote_references
from report_fixtures import SMALL_QUARTER, TINY_NOTEBOOKS, ae_report, small_report, tiny_report  # noqa: F401

BANNER = "SYNTHETIC DATA."
CODE_INPUT = re.compile(r'class="[^"]*(jp-InputArea-editor|jp-InputPrompt|highlight-ipython)')  # a code cell's input
TYPES = ["acute", "non-acute", "ambulance"]
QUARTERS = ["2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4"]


# ---------------------------------------------------------------------------
# pure functions
# ---------------------------------------------------------------------------

def test_plan_runs_league_once_and_the_others_per_trust_type(tmp_path):
    plan = plan_report("2025-26-Q2", tmp_path, notebooks=list(NOTEBOOKS), trust_types=TYPES, quarters=QUARTERS,
                       example_trust="SYN-A007", n_boot=50, seed=3)
    stems = [j.stem for j in plan.jobs]
    assert stems == ["league_table"] + [f"{nb}-{t}" for nb in ("rank_uncertainty", "sensitivity", "quarter_movement")
                                        for t in TYPES] + ["trust_profile-SYN-A007"]
    # the reconcile page needs NHS England's published results, which the synthetic data do not carry
    assert plan.skipped == [("reconcile", "the data carry no published results of NHS England to compare with")]
    published = plan_report("2025-26-Q2", tmp_path, notebooks=list(NOTEBOOKS), trust_types=TYPES, quarters=QUARTERS,
                            example_trust="SYN-A007", n_boot=50, seed=3, published=True)
    assert [j.stem for j in published.jobs][:2] == ["league_table", "reconcile"] and published.skipped == []
    by_stem = {j.stem: j for j in plan.jobs}
    assert by_stem["league_table"].parameters["trust_types"] == TYPES
    assert "trust_type" not in by_stem["league_table"].parameters
    assert by_stem["quarter_movement-ambulance"].parameters["quarter_from"] == "2025-26-Q1"
    assert by_stem["trust_profile-SYN-A007"].parameters["trust_code"] == "SYN-A007"
    for job in plan.jobs:
        p = job.parameters
        assert (p["quarter"], p["n_boot"], p["seed"], p["methodology"]) == ("2025-26-Q2", 50, 3, "nof-2025-26")
        assert p["output_dir"] == str(tmp_path.resolve() / job.stem)
        assert Path(p["output_dir"]).is_absolute()


def test_plan_skips_with_reasons(tmp_path):
    plan = plan_report("2025-26-Q1", tmp_path, notebooks=["quarter_movement", "trust_profile"],
                       trust_types=["non-acute"], quarters=QUARTERS, example_trust=None)
    assert plan.jobs == []
    assert plan.skipped == [("quarter_movement-non-acute", "no quarter before 2025-26-Q1 in the data"),
                            ("trust_profile", "no ranked trust in 2025-26-Q1")]


def test_parameters_make_paths_absolute_and_keep_none_for_bundled_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = notebook_parameters("sensitivity", quarter="2025-26-Q1", out_files=Path("rel/out"),
                            data_path="published.csv", attributes_path=None, trust_type="acute")
    assert p["data_path"] == str(tmp_path.resolve() / "published.csv")
    assert p["output_dir"] == str(tmp_path.resolve() / "rel" / "out")
    assert p["attributes_path"] is None
    assert set(p) == {"data_path", "attributes_path", "quarter", "methodology", "n_boot", "seed", "output_dir",
                      "trust_type"}
    assert notebook_parameters("league_table", quarter="q", out_files=tmp_path)["data_path"] is None
    with pytest.raises(ReportError, match="unknown notebook"):
        notebook_parameters("nope", quarter="q", out_files=tmp_path)


def test_output_paths_and_notebook_subsets():
    p = output_paths("/r/2025-26-Q2", "trust_profile-SYN-A001")
    assert (p["ipynb"].name, p["html"].name, p["files"].name) == (
        "trust_profile-SYN-A001.ipynb", "trust_profile-SYN-A001.html", "trust_profile-SYN-A001")
    assert parse_notebooks(None) == list(NOTEBOOKS)
    assert parse_notebooks("rank_uncertainty,league_table") == ["league_table", "rank_uncertainty"]
    with pytest.raises(ReportError, match="unknown notebook.*leage_table"):
        parse_notebooks("leage_table")


@pytest.mark.parametrize("page, kind", [
    ('<script src="https://cdnjs.cloudflare.com/require.js"></script>', "script"),
    ("<script type='text/javascript' src=//cdn.x/a.js></script>", "script"),
    ('<link rel="stylesheet" href="http://fonts.googleapis.com/css">', "stylesheet or link"),
    ('<img src="https://x/y.png">', "image"),
    ('<style>@import "https://fonts.x/a.css";</style>', "CSS import"),
    ('<style>@import url("https://fonts.x/a.css");</style>', "CSS url()"),
    ('<style>body {background: url(https://x/bg.png)}</style>', "CSS url()"),
    ('<script>const m = await import("https://cdn.x/mermaid.mjs")</script>', "JS import"),
])
def test_remote_reference_scan_finds(page, kind):
    found = remote_references(page)
    assert len(found) == 1 and found[0].startswith(kind + ":")


def test_remote_reference_scan_ignores_links_namespaces_and_local_files():
    page = ('<a href="https://www.england.nhs.uk/">NHS England</a><svg xmlns="http://www.w3.org/2000/svg"></svg>'
            '<script src="local.js"></script><link href="style.css" rel="stylesheet">'
            '<style>a {background: url(data:image/png;base64,AAAA)}</style>')
    assert remote_references(page) == []


def _notebook_with_outputs() -> nbformat.NotebookNode:
    code = new_code_cell("SECRET_CODE_LINE = 1\nprint('hello')", execution_count=1)
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5"/></svg>'
    code.outputs = [new_output("stream", name="stdout", text="hello table\n"),
                    new_output("display_data", data={"image/svg+xml": svg, "text/plain": "<SVG>"})]
    return new_notebook(cells=[new_markdown_cell("# Title $x^2$"), code],
                        metadata={"kernelspec": {"name": "python3", "language": "python",
                                                 "display_name": "Python 3"}})


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


def test_publishing_a_report_removes_only_what_the_previous_manifest_lists(tmp_path):
    from nhsrank.report.output import publish, staging_folder

    final = tmp_path / "2025-26-Q1"
    final.mkdir()
    (final / "precious.csv").write_text("an input kept beside the report")
    (final / "old-page.html").write_text("old")
    (final / "manifest.json").write_text(json.dumps({"outputs": ["manifest.json", "old-page.html"]}))
    stage = staging_folder(final)
    (stage / "new-page.html").write_text(f"built in {stage}")
    (stage / "manifest.json").write_text(json.dumps({"outputs": ["manifest.json", "new-page.html"]}))
    publish(stage, final, replace_text=(str(stage), str(final)))
    assert (final / "precious.csv").read_text() == "an input kept beside the report"
    assert not (final / "old-page.html").exists() and not stage.exists()
    assert (final / "new-page.html").read_text() == f"built in {final}"
    # a file the previous report did not write is never replaced
    stage = staging_folder(final)
    (stage / "precious.csv").write_text("would clobber")
    with pytest.raises(nhsrank.InputError, match="did not write"):
        publish(stage, final)
    assert (final / "precious.csv").read_text() == "an input kept beside the report"


def test_an_interrupted_build_leaves_the_previous_report_whole(tmp_path):
    from nhsrank.report.output import staging_folder

    final = tmp_path / "2025-26-Q1"
    final.mkdir()
    (final / "index.html").write_text("the previous good report")
    stage = staging_folder(final)
    (stage / "index.html").write_text("half built")
    # the run dies here, before publish: nothing of the previous report is gone
    assert (final / "index.html").read_text() == "the previous good report"


def test_a_second_run_into_the_same_folder_refuses(tmp_path):
    from nhsrank.report.output import report_lock

    with report_lock(tmp_path / "2025-26-Q1"):
        with pytest.raises(nhsrank.InputError, match="another nhsrank report is being built"):
            with report_lock(tmp_path / "2025-26-Q1"):
                pass
    with report_lock(tmp_path / "2025-26-Q1"):     # released after the first run
        pass


def test_bad_options_are_one_line_errors(tmp_path, capsys):
    common = ["--notebooks-dir", str(TINY_NOTEBOOKS), "--out-dir", str(tmp_path)]
    assert main(["--quarter", "2030-31-Q1", *common]) == 2
    err = capsys.readouterr().err
    assert "2030-31-Q1 is not in the data" in err and "2025-26-Q4" in err and "Traceback" not in err
    assert main(["--quarter", "2025-26-Q1", "--all-quarters", *common]) == 2
    assert "not both" in capsys.readouterr().err
    assert main(["--notebooks", "league_table", "--notebooks-dir", str(tmp_path), "--out-dir", str(tmp_path)]) == 2
    assert "league_table.ipynb" in capsys.readouterr().err
    assert main(["--data", str(tmp_path / "missing.csv"), *common]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["--trust-code", "NOPE", "--notebooks", "trust_profile", *common]) == 2
    assert "NOPE" in capsys.readouterr().err


def test_a_notebook_breaking_the_parameter_contract_is_refused(tmp_path):
    nb = new_notebook(cells=[new_code_cell("data_path = None\nquarter = None")])
    nb.cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(nb, tmp_path / "league_table.ipynb")
    with pytest.raises(ReportError, match="does not declare.*output_dir"):
        build_report(
            "2025-26-Q1",
            data_path="synthetic",
            notebooks="league_table",
            notebooks_dir=tmp_path,
            out_root=tmp_path / "out",
            echo=lambda line: None,
        )


# ---------------------------------------------------------------------------
# the runner end to end, on the tiny stand-in notebooks
# ---------------------------------------------------------------------------

def _links(index: Path) -> list[str]:
    """The files a page links to (a link's #fragment, e.g. full_table.html#acute, is not part of the file)."""
    return [h.split("#")[0] for h in re.findall(r'href="([^"]+)"', index.read_text()) if not h.startswith("#")]


def _assert_pages_offline_without_code(built):
    pages = built.html_pages()
    assert pages
    for page in pages:
        text = page.read_text()
        assert remote_references(text) == [], page.name
        assert not CODE_INPUT.search(text), f"{page.name} shows code"
        assert "<svg" in text, f"{page.name} has no inline SVG chart"


def _assert_banner_on_top(built):
    for page in built.html_pages():
        text = page.read_text()
        body = text[text.index("<body"):]
        assert BANNER in body, page.name
        # the banner comes before any notebook output
        first_output = body.find("jp-OutputArea")
        assert first_output == -1 or body.index(BANNER) < first_output, page.name


def _assert_manifest(built, data=SYNTHETIC_METRICS, attributes=SYNTHETIC_ATTRIBUTES, methodology="nof-2025-26"):
    m = built.manifest
    assert m["files"]["data"]["sha256"] == file_sha256(data)
    if attributes is None:
        assert "attributes" not in m["files"]
    else:
        assert m["files"]["attributes"]["sha256"] == file_sha256(attributes)
    assert m["methodology"] == {"id": methodology, "sha256": load_methodology(methodology).sha256}
    assert m["seed"] == 1 and m["parameters"]["quarter"] == built.quarter
    assert m["report"]["complete"] is True
    for run in m["report"]["runs"]:
        for rel, digest in run["files"].items():
            assert file_sha256(built.dir / rel) == digest


@pytest.mark.slow
def test_tiny_report_end_to_end(tiny_report):
    b = tiny_report
    assert b.status == 0, b.output
    expected = ["league_table"] + [f"{nb}-{t}" for nb in ("rank_uncertainty", "sensitivity", "quarter_movement")
                                   for t in TYPES]
    runs = {r["stem"]: r for r in b.manifest["report"]["runs"]}
    profile = [s for s in runs if s.startswith("trust_profile-SYN-A")]
    assert list(runs) == expected + profile and len(profile) == 1
    for stem in runs:
        assert (b.dir / f"{stem}.ipynb").exists() and (b.dir / f"{stem}.html").exists()
        assert (b.dir / stem / f"{stem.split('-')[0]}-table.csv").exists()
        assert (b.dir / stem / f"{stem.split('-')[0]}-chart.svg").exists()
        # the notebook received exactly the planned parameters
        # (the manifest records them without the builder's absolute paths)
        from nhsrank.report.manifest import portable
        assert portable(json.loads((b.dir / stem / "params.json").read_text()), b.dir) == runs[stem]["parameters"]
    assert runs["quarter_movement-acute"]["parameters"]["quarter_from"] == "2025-26-Q1"
    assert runs["league_table"]["parameters"]["trust_types"] == TYPES
    # one progress line per notebook, with its time
    lines = [ln for ln in b.output.splitlines() if re.match(r"\s+\[\s*\d+/\d+\] ", ln)]
    assert len(lines) == len(runs) and all(re.search(r"\d+\.\d s  ok", ln) for ln in lines)
    # the index links every page, notebook, table and chart, and all of them exist
    links = _links(b.dir / "index.html")
    assert {f"{s}.html" for s in runs} <= set(links) and "manifest.json" in links
    assert all((b.dir / link).exists() for link in links)
    index = (b.dir / "index.html").read_text()
    assert index.index(BANNER) < index.index("<h1>") and remote_references(index) == []
    _assert_pages_offline_without_code(b)
    _assert_banner_on_top(b)
    _assert_manifest(b)


@pytest.mark.slow
def test_tiny_report_on_real_data_from_another_folder(tmp_path, monkeypatch):
    """Real (A&E) data given by a path relative to the caller's folder: no banner, paths made absolute."""
    (tmp_path / "in").mkdir()
    data = shutil.copyfile(AE_ATTENDANCES, tmp_path / "in" / "ae.csv")
    monkeypatch.chdir(tmp_path)
    status = build_report("2018-19-Q4", data_path="in/ae.csv", notebooks="league_table,trust_profile",
                          n_boot=10, notebooks_dir=TINY_NOTEBOOKS, out_root="out", echo=lambda line: None)
    assert status == 0
    out = tmp_path / "out" / "2018-19-Q4"
    for page in [*out.glob("*.html")]:
        assert "SYNTHETIC" not in page.read_text(), page.name
    params = json.loads((out / "league_table" / "params.json").read_text())
    assert params["methodology"] == "ae-4hr" and params["trust_types"] == ["acute", "non-acute"]
    assert params["data_path"] == str(data.resolve()) and params["attributes_path"] is None
    m = json.loads((out / "manifest.json").read_text())
    assert m["synthetic_data"] is False and m["files"]["data"]["sha256"] == file_sha256(AE_ATTENDANCES)
    assert m["files"]["data"]["path"] == "ae.csv"         # no builder path in the manifest; the hash says which file
    assert str(tmp_path) not in (out / "manifest.json").read_text()


@pytest.mark.slow
def test_failing_notebook_is_reported_clearly_and_exits_non_zero(tmp_path, capsys):
    status = main(["--quarter", "2025-26-Q1", "--notebooks", "league_table", "--n-boot", "5",
                   "--notebooks-dir", str(TINY_NOTEBOOKS / "broken"), "--out-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 1
    partial = tmp_path / "2025-26-Q1" / "league_table.ipynb"
    assert "FAILED" in out and "league_table" in out
    assert 'raise ValueError("deliberate failure for the runner test")' in out      # the cell
    assert "ValueError: deliberate failure for the runner test" in out             # the exception
    assert f"partial executed notebook: {partial}" in out and partial.exists()
    assert "Traceback" not in out
    index = (tmp_path / "2025-26-Q1" / "index.html").read_text()
    assert "FAILED" in index and "incomplete" in index
    assert json.loads((tmp_path / "2025-26-Q1" / "manifest.json").read_text())["report"]["complete"] is False


@pytest.mark.slow
def test_all_quarters_builds_one_report_per_quarter(tmp_path):
    status = build_report(None, data_path="synthetic", all_quarters=True, notebooks="league_table", n_boot=5,
                          notebooks_dir=TINY_NOTEBOOKS, out_root=tmp_path, echo=lambda line: None)
    assert status == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == QUARTERS
    assert all(f"{q}/index.html" in _links(tmp_path / "index.html") for q in QUARTERS)


# ---------------------------------------------------------------------------
# the real notebooks end to end
# ---------------------------------------------------------------------------

@pytest.mark.slow
def test_real_report_end_to_end(small_report):
    b = small_report
    assert b.status == 0, b.output
    runs = {r["stem"]: r for r in b.manifest["report"]["runs"]}
    expected = ["league_table"] + [f"{nb}-{t}" for nb in ("rank_uncertainty", "sensitivity", "quarter_movement")
                                   for t in TYPES]
    assert list(runs)[:-1] == expected and list(runs)[-1].startswith("trust_profile-SYN-A")
    for stem, run in runs.items():
        assert (b.dir / f"{stem}.ipynb").exists() and (b.dir / f"{stem}.html").exists()
        files = [Path(f) for f in run["files"]]
        assert any(f.suffix == ".csv" for f in files), f"{stem} wrote no CSV table to output_dir"
        assert any(f.suffix == ".svg" for f in files), f"{stem} wrote no SVG chart to output_dir"
    assert all((b.dir / link).exists() for link in _links(b.dir / "index.html"))
    _assert_pages_offline_without_code(b)
    _assert_banner_on_top(b)
    _assert_manifest(b)


@pytest.mark.slow
def test_real_report_is_reproducible(small_report, tmp_path):
    """Same inputs and seed -> byte-identical tables."""
    again = build_report(SMALL_QUARTER, data_path="synthetic", n_boot=small_report.manifest["parameters"]["n_boot"],
                         notebooks="rank_uncertainty", out_root=tmp_path, echo=lambda line: None)
    assert again == 0
    runs = json.loads((tmp_path / SMALL_QUARTER / "manifest.json").read_text())["report"]["runs"]
    first = {r["stem"]: r["files"] for r in small_report.manifest["report"]["runs"]}
    for run in runs:
        tables = {k: v for k, v in run["files"].items() if k.endswith(".csv")}
        assert tables and tables == {k: v for k, v in first[run["stem"]].items() if k.endswith(".csv")}


@pytest.mark.slow
def test_real_report_on_ae_data_has_no_synthetic_banner(ae_report):
    b = ae_report
    assert b.status == 0, b.output
    assert [p.name for p in b.html_pages()] == ["league_table.html"]
    for page in [*b.html_pages(), b.dir / "index.html"]:
        assert "SYNTHETIC" not in page.read_text(), page.name
    _assert_pages_offline_without_code(b)
    _assert_manifest(b, data=AE_ATTENDANCES, attributes=None, methodology="ae-4hr")
    # text follows the data: no NOF or MH wording, no raw Series, no builder path (checked by the builder)
    assert b.manifest["report"]["page_checks"] == {}
    index = (b.dir / "index.html").read_text()
    assert "Open Government Licence v3.0" in index and "A&amp;E" in index


# ---------------------------------------------------------------------------
# issue 13: the full table, the findings, "How sure we are", the page checks
# ---------------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from nhsrank.report import full_table as ft  # noqa: E402
from nhsrank.report.html import (finish_page, how_sure_box, methodology_caveats, page_problems,  # noqa: E402
                                 reproduction_sentences)
from nhsrank.report.manifest import OGL_ATTRIBUTION, portable  # noqa: E402


def _u(n=4, likely=False):
    import numpy as np
    import pandas as pd

    u = pd.DataFrame(
        {
            "trust_code": [f"T{i}" for i in range(n)],
            "trust_name": [f"Trust {i}" for i in range(n)],
            "league_position": np.arange(1, n + 1),
            "segment": np.minimum(4, np.arange(n) // max(1, n // 4) + 1),
            "average_metric_score": np.linspace(1.234567, 3.456789, n),
            "rank_lower": np.maximum(1, np.arange(n)),
            "rank_upper": np.minimum(n, np.arange(n) + 2),
            "p_segment_1": 0.5,
            "p_segment_2": 0.5,
            "p_segment_10": 0.0,
            "simultaneous_rank_lower": 1,
            "simultaneous_rank_upper": n,
        }
    )
    if likely:
        u["likely_position_lower"] = u["rank_lower"]
        u["likely_position_median"] = u["league_position"]
        u["likely_position_upper"] = u["rank_upper"]
    return u


def test_full_table_columns_in_order_scores_to_2dp_and_p_segments_numerically_sorted():
    t = ft.full_table(_u())
    assert list(t.columns) == ["position", "trust_code", "trust_name", "average_score", "segment", "band", "surely",
                               "override", "rank_lower", "rank_upper", "simultaneous_rank_lower",
                               "simultaneous_rank_upper", "p_segment_1", "p_segment_2", "p_segment_10"]
    assert t["average_score"].iloc[0] == 1.23 and t["average_score"].iloc[-1] == 3.46
    assert (t["override"] == "").all()


def test_full_table_shows_likely_position_and_published_rank_only_when_present():
    import pandas as pd

    assert "likely_position_lower" not in ft.full_table(_u())
    pub = pd.DataFrame({"trust_code": ["T0", "T1"], "rank": [1, 3], "rank_range_lower": [1, 2],
                        "rank_range_upper": [2, 4]})
    t = ft.full_table(_u(likely=True), published=pub)
    cols = list(t.columns)
    assert cols.index("rank_upper") < cols.index("likely_position_lower") < cols.index("p_segment_1")
    assert cols[-3:] == ["published_rank", "published_rank_lower", "published_rank_upper"]
    assert t["published_rank"].tolist()[:2] == [1, 3] and t["published_rank"].isna().sum() == 2   # no trust dropped
    assert str(t["published_rank"].dtype) == "Int64"                               # printed 3, not 3.0


def test_full_table_override_words():
    import pandas as pd

    league = pd.DataFrame({"trust_code": ["T0", "T1", "T2", "T3"], "financial_override": [True, False, True, False],
                           "pip_override": [False, True, True, False]})
    assert ft.full_table(_u(), league)["override"].tolist() == ["financial deficit", "PIP", "PIP", ""]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 40), shuffle=st.randoms(use_true_random=False))
def test_full_table_keeps_every_trust_in_league_order(n, shuffle):
    u = _u(n)
    rows = list(range(n))
    shuffle.shuffle(rows)
    t = ft.full_table(u.iloc[rows])
    assert len(t) == n and sorted(t["trust_code"]) == sorted(u["trust_code"])
    assert t["position"].is_monotonic_increasing and t.columns[0] == "position"
    assert ((t["average_score"] * 100).round(9) % 1 == 0).all()
    said = ft.headlines(u, None, None)
    assert len(said) == (2 if n >= 4 else 1)         # fewer than 4 trusts: no quarter to speak of
    assert said[-1].startswith(f"{n} trust")         # the band sentence (every set spans 1..n: one band)
    if n >= 4:
        top, bottom = (int(x) for x in re.findall(r"(\d+) (?:of \d+ trusts )?surely", said[0]))
        assert 0 <= top + bottom <= n


def test_full_tables_csv_and_excel_have_the_same_columns_in_order_and_are_reproducible(tmp_path):
    import openpyxl

    tables = {"acute": ft.full_table(_u(8, likely=True)), "non-acute": ft.full_table(_u(3))}
    paths = ft.write_full_tables(tables, tmp_path / "a")
    again = ft.write_full_tables(tables, tmp_path / "b")
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]
    csv = (tmp_path / "a" / "full_table-acute.csv").read_text().splitlines()
    assert csv[0].split(",") == list(tables["acute"].columns) and csv[0].startswith("position,")
    wb = openpyxl.load_workbook(tmp_path / "a" / "full_table.xlsx")
    assert wb.sheetnames == ["acute", "non-acute", "notes"]
    for name, t in tables.items():
        head = [c.value for c in next(wb[name].iter_rows(max_row=1))]
        assert head == list(t.columns) and wb[name].max_row == len(t) + 1


def test_full_table_page_is_offline_searchable_sortable_and_draws_intervals():
    t = ft.full_table(_u(6, likely=True))
    page = ft.full_table_page({"acute": t, "non-acute": ft.full_table(_u(2))}, "2025-26-Q4", box="<div>BOX</div>")
    assert remote_references(page) == [] and "<script src" not in page
    assert 'id="search-acute"' in page and 'id="table-non-acute"' in page and "addEventListener('click'" in page
    assert page.count('<svg class="iv"') == 8 and "95% confidence set for rank" in page
    assert "likely position" in page and "<div>BOX</div>" in page
    assert ">1.23<" in page and "1.234567" not in page.replace('data-v="1.23457"', "")


def test_interval_svg_marks_the_set_and_position():
    s = ft.interval_svg(3, 7, 5, 10, likely=(4, 6))
    assert s.count("<rect") == 3 and s.count("<circle") == 1
    assert "95% confidence set for rank 3 to 7" in s and "likely position 4 to 6" in s


def test_headlines_count_pairs_top_and_bottom_quarter_and_rankability():
    import pandas as pd

    u = pd.DataFrame({"simultaneous_rank_lower": [1, 1, 5, 7, 7, 8, 8, 8],
                      "simultaneous_rank_upper": [1, 2, 7, 8, 8, 8, 8, 8]})
    pairs = pd.DataFrame({"differs_in_order": [True, True, False, False, False, False, False]})
    h = ft.headlines(u, pairs, 0.4)
    assert h[0].startswith("2 of 7 neighbouring pairs differ")
    assert h[1].startswith("2 of 8 trusts surely rank in the top quarter") and "and 5 surely in the bottom" in h[1]
    assert h[2] == "Rankability 0.40: much of the spread in average score is sampling noise."


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


def test_manifest_has_no_builder_paths():
    m = portable({"files": {"data": {"path": "/home/u/repo/data/x.csv"}}, "runs": [{"output_dir": "/out/q/league"}]},
                 "/out/q", root="/home/u/repo")
    assert m == {"files": {"data": {"path": "data/x.csv"}}, "runs": [{"output_dir": "league"}]}


def _assert_issue13_report(b, n_boot):
    """The finished report: full tables, findings first, the box everywhere, no page problem."""
    index = (b.dir / "index.html").read_text()
    assert index.index("<h2>Findings</h2>") < index.index("<h2>Pages</h2>")
    assert "neighbouring pairs differ" in index and "surely rank in the top quarter" in index
    assert "Rankability" in index and 'href="full_table.html"' in index
    for page in [*b.html_pages(), b.dir / "index.html"]:
        text = page.read_text()
        assert text.count('id="nhsrank-how-sure"') == 1, page.name
        assert f"{n_boot:,} bootstrap replicates ran" in text, page.name
        assert "Series([]" not in text and str(b.root) not in text, page.name
        assert not re.search(r"<td>[^<]*\.\.\.</td>", text), page.name
    assert b.manifest["report"]["page_checks"] == {}
    assert str(b.root) not in (b.dir / "manifest.json").read_text()
    for tt in TYPES:
        csv = (b.dir / f"full_table-{tt}.csv").read_text().splitlines()
        assert csv[0].startswith("position,trust_code,trust_name,average_score,segment,position_change,band,surely,"
                                 "override,")
    assert (b.dir / "full_table.xlsx").exists() and "full_table.xlsx" in b.manifest["outputs"]


@pytest.mark.slow
def test_real_report_has_full_tables_findings_and_the_how_sure_box(small_report):
    assert small_report.status == 0, small_report.output
    _assert_issue13_report(small_report, small_report.manifest["parameters"]["n_boot"])
    full = (small_report.dir / "full_table.html").read_text()
    n_trusts = sum(len((small_report.dir / f"full_table-{tt}.csv").read_text().splitlines()) - 1 for tt in TYPES)
    assert full.count('<svg class="iv"') == n_trusts
    # one source sentence (data_source_line) on the full table and on the interactive charts, pages of their own
    from html import escape

    from nhsrank.report.saving import INTERACTIVE_CHARTS
    from nhsrank.report.trust_data import data_source_line

    charts = [p for p in small_report.dir.glob("*/*.html") if p.stem in INTERACTIVE_CHARTS]
    line = escape(data_source_line(None, True))
    assert charts and all(line in p.read_text() for p in [small_report.dir / "full_table.html", *charts])


def test_report_numbers_are_checked_with_one_message(capsys):
    from nhsrank.report.build import main as report_main

    for args in (["--seed", "-1"], ["--n-boot", "abc"], ["--jobs", "0"]):
        with pytest.raises(SystemExit) as exc:
            report_main(args)
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert "error: argument" in err and "Traceback" not in err
