"""The inputs of every notebook (nhsrank.report.inputs, re-exported by nhsrank.report.views): default files, paths,
quarters, trust types, the header."""
import pandas as pd
import pytest

import nhsrank
from nhsrank.data.readers import AE_ATTENDANCES, SYNTHETIC_ATTRIBUTES, SYNTHETIC_METRICS
from nhsrank.errors import InputError
from nhsrank.report import views as notebook


def test_defaults_are_nhs_englands_files_from_any_working_directory(tmp_path, monkeypatch):
    """One set of defaults: no data path is NHS England's acute and MH & community files, read together, and
    the quarter the latest that holds both; SYNTHETIC only when asked for."""
    from nhsrank.data.readers import NHS_ENGLAND_DATA

    monkeypatch.chdir(tmp_path)          # JupyterLab runs in notebooks/, papermill wherever it was launched
    metrics, attributes, meth, synthetic = notebook.read_inputs()
    assert (meth, synthetic, attributes) == ("nof-2025-26", False, None)
    pd.testing.assert_frame_equal(metrics, nhsrank.read_metrics(list(NHS_ENGLAND_DATA)))
    assert notebook.check_quarter(metrics, None) == "2025-26-Q1"          # both tables; the data run to Q4
    assert notebook.latest_quarter(metrics) == "2025-26-Q4"
    assert "nof-acute-trust-data" in notebook.header(None, None, meth, 1, {}).data
    assert notebook.movement_quarters(metrics, meth) == ("2025-26-Q3", "2025-26-Q4", "non-acute")


def test_synthetic_data_only_when_asked_for(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    metrics, attributes, meth, synthetic = notebook.read_inputs("synthetic")
    bundled, bundled_attrs = nhsrank.load_bundled()
    assert (meth, synthetic) == ("nof-2025-26", True)
    pd.testing.assert_frame_equal(metrics, bundled)
    pd.testing.assert_frame_equal(attributes, bundled_attrs)
    assert notebook.quarters(metrics) == ["2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4"]
    assert notebook.latest_quarter(metrics) == "2025-26-Q4"


def test_relative_paths_are_resolved_against_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(SYNTHETIC_METRICS.parent)
    metrics, attributes, _, synthetic = notebook.read_inputs(SYNTHETIC_METRICS.name, SYNTHETIC_ATTRIBUTES.name)
    assert synthetic and attributes is not None and len(metrics) == len(nhsrank.load_bundled()[0])


def test_ae_file_gets_its_methodology_and_no_attributes():
    metrics, attributes, meth, synthetic = notebook.read_inputs(AE_ATTENDANCES)
    assert (meth, synthetic, attributes) == ("ae-4hr", False, None)
    # an explicit methodology wins over the automatic choice
    assert notebook.read_inputs("synthetic", methodology="nof-2026-27")[2] == "nof-2026-27"


def test_check_quarter_normalises_defaults_and_refuses_an_absent_quarter(loaded):
    metrics = loaded[0]
    assert notebook.check_quarter(metrics, None) == "2025-26-Q4"
    assert notebook.check_quarter(metrics, "Q2 2025/26") == "2025-26-Q2"
    with pytest.raises(InputError, match="2030-31-Q1 is not in the data; quarters present: 2025-26-Q1"):
        notebook.check_quarter(metrics, "2030-31-Q1")
    assert notebook.previous_quarter(metrics, "2025-26-Q4") == "2025-26-Q3"
    assert notebook.previous_quarter(metrics, "2025-26-Q1") is None


def test_trust_types_follow_the_methodology_order_and_the_data(loaded):
    metrics, _, meth, _ = loaded
    assert notebook.trust_types(metrics, "2025-26-Q4", meth) == ["acute", "non-acute", "ambulance"]
    assert notebook.trust_types(metrics[metrics["trust_type"] == "ambulance"], "2025-26-Q4", meth) == ["ambulance"]


def test_header_starts_with_the_synthetic_banner_and_carries_provenance():
    text = notebook.header("synthetic", None, "nof-2025-26", 7, {"quarter": "2025-26-Q4", "n_boot": 200}).data
    meth = nhsrank.load_methodology("nof-2025-26")
    assert text.startswith("**SYNTHETIC DATA.**")
    assert f"nhsrank {nhsrank.__version__}" in text and "seed 7" in text
    assert meth.sha256[:12] in text and "n boot 200" in text and "2025-26-Q4" in text


def test_header_of_real_data_has_no_banner_and_names_its_methodology():
    text = notebook.header(AE_ATTENDANCES, None, "ae-4hr", 1, {}).data
    assert "SYNTHETIC" not in text and "ae-4hr" in text


@pytest.mark.parametrize("data", [None, "synthetic", str(AE_ATTENDANCES)])
def test_command_line_and_notebooks_read_the_same_inputs(data, capsys):
    """One reader (nhsrank.report.inputs.read_inputs): the same data, attributes and methodology for "auto"."""
    import argparse

    from nhsrank.cli.common import command_inputs as cli_inputs

    args = argparse.Namespace(data=[data] if data else None, attributes=None, methodology="auto", quarter=None)
    cli = cli_inputs(args)
    metrics, attributes, meth, synthetic = notebook.read_inputs(data)
    assert (cli.methodology.id, cli.synthetic) == (nhsrank.load_methodology(meth).id, synthetic)
    pd.testing.assert_frame_equal(cli.metrics.reset_index(drop=True), metrics.reset_index(drop=True))
    assert (cli.attributes is None) == (attributes is None)
    assert args.quarter == notebook.check_quarter(metrics, None)          # the same default quarter, said
    assert f"quarter {args.quarter}" in capsys.readouterr().err


def test_reading_inputs_leaves_the_display_alone():
    """read_inputs reads; only notebook_display (called by the notebooks' first cell) sets the kernel's display."""
    import warnings

    before = pd.get_option("display.max_rows"), warnings.showwarning
    notebook.read_inputs("synthetic")
    assert (pd.get_option("display.max_rows"), warnings.showwarning) == before
