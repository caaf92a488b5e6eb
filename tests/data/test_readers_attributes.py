"""A bad trust attributes file (--attributes) is rejected like a bad metrics file: one message,
naming the file, rows in spreadsheet order, exit code 2."""
import pytest

import nhsrank
from nhsrank.cli import main
from nhsrank.errors import InputWarning
from nhsrank.report.inputs import latest_quarter, read_inputs

BAD_ATTRIBUTES = "trust_code,financial_deficit,pip\nSYN-A001,yes,no\nSYN-A002,maybe,no\nSYN-A001,no,no\n,no,yes\n"


def test_cli_rejects_a_bad_attributes_file(tmp_path, capsys):
    path = tmp_path / "attributes.csv"
    path.write_text(BAD_ATTRIBUTES)
    assert main(["league", "--data", "synthetic", "--attributes", str(path), "--quarter", "2025-26-Q1"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.split(f"{path}: ", 1)[1].splitlines()
    assert lines[0] == "3 problems"
    assert lines[1].startswith("  row 2, trust SYN-A001, column 'trust_code': trust appears 2 times (rows 2, 4)")
    assert lines[2] == ("  row 3, trust SYN-A002, column 'financial_deficit': expected true/false (or yes/no, 1/0), "
                        "found 'maybe'")
    assert lines[3].startswith("  row 5, column 'trust_code': value is missing")


def test_api_attributes_failures_frame(tmp_path):
    path = tmp_path / "attributes.csv"
    path.write_text(BAD_ATTRIBUTES)
    with pytest.raises(nhsrank.InputError) as info:
        nhsrank.read_attributes(path)
    f = info.value.failures
    assert f["row"].tolist() == [2, 3, 5] and (f["source"] == str(path)).all()
    assert f["column"].tolist() == ["trust_code", "financial_deficit", "trust_code"]


def test_no_attributes_and_no_published_flags_is_said_not_silent():
    """The note pyproject.toml's filterwarnings lets through in other tests: ranking data that publish no flags
    without attributes warns that no deficit cap or segment-5 override was applied; with attributes it is quiet."""
    import warnings

    ae = nhsrank.read_ae_attendances()
    q = latest_quarter(ae)
    with pytest.warns(InputWarning, match="no trust attributes were given and the data publish no flags"):
        nhsrank.league_table(ae, q, "acute", "ae-4hr")
    synthetic = read_inputs("synthetic")
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        nhsrank.league_table(synthetic[0], latest_quarter(synthetic[0]), "acute", synthetic[2], synthetic[1])
