"""The notebooks in notebooks/: committed clean, one parameter contract, thin, and nbval really checks.

nbval itself runs on notebooks/ as part of ``make test`` (pyproject: testpaths and
``--nbval-lax``; cells marked ``# NBVAL_CHECK_OUTPUT`` compare their stored output).
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from nhsrank.data.readers import AE_ATTENDANCES
from nhsrank.report.plan import COMMON_PARAMETERS, EXTRA_PARAMETERS, KERNEL_NAME, NOTEBOOKS, NOTEBOOKS_DIR
from nhsrank.report.execute import declared_parameters
from nhsrank.report.parameters import NOTEBOOK_EXTRA_PARAMETERS

from notebook_tools import CHECK_MARKER, is_checked, problems, strip

TESTS = Path(__file__).resolve().parents[1]
SANITIZE = TESTS / "nbval_sanitize.cfg"
MAX_CELL_LINES = 16


def read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(str(NOTEBOOKS_DIR / f"{name}.ipynb"), as_version=4)


def parameter_defaults(nb) -> dict:
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    values = {}
    for node in ast.parse(cell.source).body:
        if isinstance(node, ast.Assign):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_clean(name):
    """Outputs only in the checked cells, which keep their execution counts (or nbval skips them)."""
    assert problems(read(name)) == [], "run: python tests/notebook_tools.py notebooks/" + name + ".ipynb"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_parameters_follow_the_report_contract(name):
    declared = declared_parameters(NOTEBOOKS_DIR / f"{name}.ipynb")   # as papermill reads them
    assert set(COMMON_PARAMETERS) | set(EXTRA_PARAMETERS[name]) <= set(declared)
    defaults = parameter_defaults(read(name))
    assert list(defaults) == declared, "papermill must be able to read every line of the parameters cell"
    # the defaults run as they stand on the bundled data, quickly
    assert defaults["data_path"] is None and defaults["attributes_path"] is None and defaults["quarter"] is None
    assert defaults["output_dir"] is None and defaults["progress"] is (name != "reconcile")
    # enough replicates for the headline tests to be valid (Holm over ~130 neighbouring pairs needs 5,240)
    assert (name == "reconcile" or defaults["n_boot"] >= 6000) and defaults["seed"] == 1
    # one parameter list, shared with the check that refuses a misspelt parameter
    assert declared == list(COMMON_PARAMETERS) + list(NOTEBOOK_EXTRA_PARAMETERS[name])
    assert read(name).metadata["kernelspec"]["name"] == KERNEL_NAME


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_thin(name):
    """Computation lives in nhsrank (tested there): no functions or classes, short cells, no file paths."""
    for cell in read(name).cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda))]
        assert len(cell.source.splitlines()) <= MAX_CELL_LINES, cell.source[:200]
        assert "read_csv" not in cell.source and "../" not in cell.source


@pytest.mark.parametrize("name, expected", [
    ("league_table", ["segment_counts", "top_of_table", "overrides_explained"]),
    ("rank_uncertainty", ["neighbours_sentence", "uncertainty_summary", "rank_lower"]),
    ("sensitivity", ["sources_summary", "leave_one_out", "compare_variants"]),   # computed a cell above, with progress
    ("trust_profile", ["rank_lower", "history["]),
    ("quarter_movement", ["segment_transitions", "quarter_movement"]),
])
def test_key_results_are_checked_by_nbval(name, expected):
    checked = [c.source for c in read(name).cells if is_checked(c)]
    for what in expected:
        assert any(what in src for src in checked), f"{name}: no checked cell shows {what}"


def test_strip_keeps_only_checked_outputs():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", execution_count=1),
                                         nbformat.v4.new_code_cell(CHECK_MARKER + "\nprint(1)", execution_count=2)])
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="a")]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3"}
    assert problems(nb) == ["cell 0: output or execution count in a cell nbval does not check"]
    strip(nb)
    assert problems(nb) == []
    assert nb.cells[0].outputs == [] and nb.cells[1].execution_count == 2


@pytest.mark.slow
def test_nbval_fails_when_a_checked_result_changes(tmp_path):
    """Control for the nbval run in `make test`: a changed segment count must fail it."""
    nb = read("league_table")
    cell = next(c for c in nb.cells if is_checked(c) and "segment_counts" in c.source)
    table = next(o for o in cell.outputs if "text/plain" in o.get("data", {}))    # the table, as displayed
    table["data"]["text/plain"] = table["data"]["text/plain"].replace("acute", "acute-CHANGED", 1)
    # only the checked cell and what it needs: keep the run short
    keep = [c for c in nb.cells if c.cell_type == "code"][:3]
    nb.cells = keep
    nbformat.write(nb, str(tmp_path / "league_table.ipynb"))
    res = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbval-lax",
                          "--nbval-sanitize-with", str(SANITIZE), "league_table.ipynb", "-q"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert res.returncode == 1, res.stdout[-2000:]
    assert "acute-CHANGED" in res.stdout and "1 failed" in res.stdout


@pytest.mark.slow
@pytest.mark.parametrize("name, params", [
    ("rank_uncertainty", {"trust_type": "non-acute"}),
    ("sensitivity", {"trust_type": "acute", "mc_n": 8}),
    ("trust_profile", {"trust_type": "acute"}),
    ("quarter_movement", {"trust_type": "acute"}),
])
def test_notebook_runs_on_the_real_ae_file(tmp_path, name, params):
    """Single-metric real data (A&E 4-hour): the notebooks cope (nothing to leave out, no metric pairs)."""
    import papermill

    out = tmp_path / "files"
    papermill.execute_notebook(str(NOTEBOOKS_DIR / f"{name}.ipynb"), str(tmp_path / f"{name}.ipynb"),
                               parameters={"data_path": str(AE_ATTENDANCES), "quarter": "2018-19-Q4", "n_boot": 20,
                                           "output_dir": str(out), **params},
                               kernel_name=KERNEL_NAME, cwd=str(tmp_path), progress_bar=False)
    assert any(p.suffix == ".csv" for p in out.iterdir()) and any(p.suffix == ".svg" for p in out.iterdir())
    executed = nbformat.read(str(tmp_path / f"{name}.ipynb"), as_version=4)
    text = "".join(o.get("text", "") + str(o.get("data", {}).get("text/markdown", ""))
                   for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert "SYNTHETIC" not in text and "ae-4hr" in text


def test_notebooks_folder_holds_only_the_report_notebooks():
    found = sorted(p.stem for p in NOTEBOOKS_DIR.glob("*.ipynb"))
    assert found == sorted(NOTEBOOKS)
    assert not list(NOTEBOOKS_DIR.glob("*checkpoint*"))


def test_notebooks_use_no_relative_data_paths():
    """Default data_path is None, resolved inside the package: papermill (repo root) and nbval (notebooks/)
    start the kernel in different folders, so a relative path would work for one of them only."""
    for name in NOTEBOOKS:
        src = "\n".join(c.source for c in read(name).cells if c.cell_type == "code")
        assert "data/synthetic" not in src and "ae_attendances" not in src and ".csv" not in src


def test_sanitize_file_masks_volatile_strings_and_no_figure():
    """The sanitize patterns, read as nbval reads them: volatile text is masked, the checked figures are not."""
    import re

    from nbval.plugin import get_sanitize_patterns

    patterns = get_sanitize_patterns(SANITIZE.read_text())
    assert len(patterns) >= 8

    def clean(text):
        for regex, replace in patterns:
            text = re.sub(regex, replace, text)
        return text

    volatile = ["sha256 " + "ab" * 32, "/work/main/data/x.csv", "/tmp/pytest-of-root/out.csv",
                "2026-11-23T08:51:16.123Z", "100%|##########| 200/200 [00:01<00:00, 150.2it/s]",
                "nhsrank 0.1.0+g1234", "view_1a2b3c4d", "altair-viz-0f1e2d3c", "<object at 0x7f3a2b1c4d50>"]
    for text in volatile:
        assert clean(text) != text, f"nothing in {SANITIZE.name} masks {text!r}"
    for name in NOTEBOOKS:
        for cell in read(name).cells:
            for out in cell.get("outputs", []):
                text = out.get("text", "")
                assert clean(text) == text, f"{name}: the sanitize file would hide part of a checked output"


@pytest.mark.slow
def test_papermill_from_the_repo_root_writes_tables_and_charts(tmp_path):
    """papermill with the kernel started in the repository root (not notebooks/): no relative path breaks."""
    import json

    import papermill

    out = tmp_path / "files"
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "league_table.ipynb"),
        str(tmp_path / "run.ipynb"),
        parameters={
            "data_path": "synthetic",
            "trust_types": ["ambulance"],
            "quarter": "2025-26-Q2",
            "seed": 3,
            "output_dir": str(out),
        },
        kernel_name=KERNEL_NAME,
        cwd=str(NOTEBOOKS_DIR.parent),
        progress_bar=False,
    )
    names = {p.name for p in out.iterdir()}
    assert {"league_tables.csv", "segment_counts.csv", "league-ambulance.svg", "domains-ambulance.svg"} <= names
    assert not any("acute" in n for n in names)
    import pandas as pd

    table = pd.read_csv(out / "league_tables.csv")
    assert len(table) > 5 and set(table["trust_type"]) == {"ambulance"}
    run = nbformat.read(str(tmp_path / "run.ipynb"), as_version=4)
    text = json.dumps([c.get("outputs", []) for c in run.cells])
    assert "2025-26-Q2" in text and "SYNTHETIC" in text


@pytest.mark.slow
@pytest.mark.parametrize("params, expected", [
    ({"trust_type": "non-acute"}, ["non-acute"]),
    ({"trust_types": "ambulance"}, ["ambulance"]),             # the old name, even as a plain string
    ({"trust_type": ["acute", "ambulance"]}, ["acute", "ambulance"]),
])
def test_league_table_takes_trust_type_like_every_notebook(tmp_path, params, expected):
    import papermill

    out = tmp_path / "files"
    papermill.execute_notebook(str(NOTEBOOKS_DIR / "league_table.ipynb"), str(tmp_path / "lt.ipynb"),
                               parameters={"data_path": "synthetic", "output_dir": str(out), "progress": False,
                                           **params},
                               kernel_name=KERNEL_NAME, cwd=str(tmp_path), progress_bar=False)
    import pandas as pd
    tables = pd.read_csv(out / "league_tables.csv")
    assert list(dict.fromkeys(tables["trust_type"])) == expected


@pytest.mark.slow
def test_a_misspelt_parameter_is_a_clear_error(tmp_path):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as err:
        papermill.execute_notebook(str(NOTEBOOKS_DIR / "rank_uncertainty.ipynb"), str(tmp_path / "ru.ipynb"),
                                   parameters={"trust_typ": "non-acute", "n_boot": 10}, kernel_name=KERNEL_NAME,
                                   cwd=str(tmp_path), progress_bar=False)
    assert "unknown parameter trust_typ (did you mean trust_type?)" in str(err.value)
