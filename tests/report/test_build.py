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
from nbformat.v4 import new_code_cell, new_notebook
from report_fixtures import SMALL_QUARTER, TINY_NOTEBOOKS, ae_report, small_report, tiny_report  # noqa: F401
from support import NO_ATTRIBUTES

from nhsrank.data.readers import AE_ATTENDANCES, SYNTHETIC_ATTRIBUTES, SYNTHETIC_METRICS
from nhsrank.report.build import build_report, main
from nhsrank.report.manifest import file_sha256
from nhsrank.report.offline import remote_references
from nhsrank.report.plan import ReportError
from nhsrank.rules.methodology import load_methodology

BANNER = "SYNTHETIC DATA."
TYPES = ["acute", "non-acute", "ambulance"]
QUARTERS = ["2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4"]
CODE_INPUT = re.compile(r'class="[^"]*(jp-InputArea-editor|jp-InputPrompt|highlight-ipython)')  # a code cell's input


# ---------------------------------------------------------------------------
# pure functions
# ---------------------------------------------------------------------------


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
# the A&E data carry no trust attributes: the plan's league (the best-ranked trust) says so, on purpose
@pytest.mark.filterwarnings(NO_ATTRIBUTES)
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
# the A&E data carry no trust attributes: the trust pages' league (computed in the build) says so, on purpose
@pytest.mark.filterwarnings(NO_ATTRIBUTES)
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
