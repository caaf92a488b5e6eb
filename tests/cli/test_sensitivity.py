"""`nhsrank sensitivity` and the sensitivity charts."""
import pandas as pd
import pytest

from nhsrank.cli import main
from nhsrank.data.readers import AE_ATTENDANCES

AE = ["--data", str(AE_ATTENDANCES), "--quarter", "2018-19-Q4"]


@pytest.mark.parametrize("analysis, rows", [
    ("montecarlo", 134), ("distance", 134), ("funnel", 134), ("transitions", 4), ("variants", 134 * 8),
    ("loo", 0), ("agreement", 0),
])
def test_cli_each_analysis_on_ae(tmp_path, capsys, analysis, rows):
    out = tmp_path / f"{analysis}.csv"
    rc = main(
        [
            "sensitivity",
            "--data",
            "synthetic",
            *AE,
            "--trust-type",
            "acute",
            "--analysis",
            analysis,
            "--n",
            "16",
            "--no-progress",
            "--out",
            str(out),
        ]
    )
    assert rc == 0
    df = pd.read_csv(out) if out.stat().st_size > 1 else pd.DataFrame()
    assert len(df) == rows
    err = capsys.readouterr().err
    if analysis == "montecarlo":
        assert "Sobol" in err and "scoring" in err
    if analysis == "transitions":
        assert "2018-19-Q3 -> 2018-19-Q4" in err


def test_cli_runs_every_trust_type_in_the_data_by_default(tmp_path, capsys):
    out = tmp_path / "distance.csv"
    assert (
        main(["sensitivity", "--data", "synthetic", *AE, "--analysis", "distance", "--no-progress", "--out", str(out)])
        == 0
    )
    df = pd.read_csv(out)
    assert df.columns[0] == "trust_type" and set(df["trust_type"]) == {"acute", "non-acute"}
    assert (df["trust_type"] == "acute").sum() == 134


def test_cli_prints_without_out(capsys):
    assert (
        main(
            [
                "sensitivity",
                "--data",
                "synthetic",
                *AE,
                "--analysis",
                "distance",
                "--trust-type",
                "non-acute",
                "--no-progress",
            ]
        )
        == 0
    )
    assert "improvement_needed" in capsys.readouterr().out


def test_cli_bad_quarter_is_an_input_error(capsys):
    assert main(["sensitivity", "--data", str(AE_ATTENDANCES), "--quarter", "2030-31-Q1"]) == 2
    assert "not in the data" in capsys.readouterr().err


def test_cli_lists_sensitivity():
    from nhsrank.cli import SUBCOMMANDS
    assert "sensitivity" in SUBCOMMANDS


