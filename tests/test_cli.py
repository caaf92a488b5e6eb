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
    assert main(["league", "--data", AE, "--quarter", "2016-17-Q1", "--trust-type", "acute"]) == 0
    out = capsys.readouterr().out
    assert "league_position" in out and "RF4" in out


def test_unknown_quarter_is_a_clear_error_without_traceback(capsys):
    assert main(["league", "--data", AE, "--quarter", "2030-31-Q1"]) == 2
    err = capsys.readouterr().err
    assert "2030-31-Q1" in err and "quarters present" in err and "Traceback" not in err
