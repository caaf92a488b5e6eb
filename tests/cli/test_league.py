"""The `nhsrank league` command."""
import pandas as pd

from nhsrank.cli import main

AE = "data/ae_attendances_2016_2019.csv"


def test_league_all_types_on_ae_data(tmp_path, capsys):
    out = tmp_path / "ae.csv"
    assert main(["league", "--data", AE, "--quarter", "2018-19-Q3", "--out", str(out)]) == 0
    t = pd.read_csv(out)
    assert set(t["trust_type"]) == {"acute", "non-acute"}
    for _, grp in t.groupby("trust_type"):
        assert grp["league_position"].min() == 1
    required = {"trust_code", "trust_name", "trust_type", "quarter", "n_metrics_scored", "AE4HR",
                "domain_access", "average_metric_score", "segment_before_adjustment", "financial_override",
                "pip_override", "segment", "league_position"}
    assert required <= set(t.columns)


def test_league_prints_a_table(capsys):
    assert main(["league", "--data", AE, "--quarter", "2016-17-Q1", "--trust-type", "acute", "--full"]) == 0
    out = capsys.readouterr().out
    assert "league_position" in out and "RF4" in out


def test_unknown_quarter_is_a_clear_error_without_traceback(capsys):
    assert main(["league", "--data", AE, "--quarter", "2030-31-Q1"]) == 2
    err = capsys.readouterr().err
    assert "2030-31-Q1" in err and "quarters present" in err and "Traceback" not in err


def test_out_writes_a_manifest_next_to_the_table(tmp_path):
    import json

    from nhsrank.report.manifest import file_sha256

    out = tmp_path / "ae.csv"
    assert main(["league", "--data", AE, "--quarter", "2018-19-Q3", "--out", str(out)]) == 0
    m = json.loads((tmp_path / "ae.manifest.json").read_text())
    assert m["files"]["data"]["sha256"] == file_sha256(AE)
    assert m["methodology"]["id"] == "ae-4hr" and not m["synthetic_data"]
    assert m["parameters"]["quarter"] == "2018-19-Q3"


def test_attribute_codes_missing_from_the_data_are_named(tmp_path, capsys):
    attrs = tmp_path / "attrs.csv"
    attrs.write_text("trust_code,financial_deficit,pip\nRF4,yes,no\nRXX9,yes,no\n")
    assert main(["league", "--data", AE, "--quarter", "2018-19-Q3", "--trust-type", "acute",
                 "--attributes", str(attrs)]) == 0
    err = capsys.readouterr().err
    assert "RXX9" in err and "not in the data" in err


# ---------------------------------------------------------------------------------------------- issue 13: output


