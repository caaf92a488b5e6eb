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


import argparse  # noqa: E402
import re  # noqa: E402

import pytest  # noqa: E402

from nhsrank.cli.display import format_table  # noqa: E402

SUBCOMMANDS = [
    ["league", "--data", "synthetic", "--quarter", "2025-26-Q1"],
    [
        "uncertainty",
        "--data",
        "synthetic",
        "--quarter",
        "2025-26-Q1",
        "--trust-type",
        "acute",
        "--n-boot",
        "100",
        "--no-progress",
    ],
    [
        "sensitivity",
        "--data",
        "synthetic",
        "--quarter",
        "2025-26-Q1",
        "--trust-type",
        "acute",
        "--analysis",
        "distance",
    ],
    [
        "sensitivity",
        "--data",
        "synthetic",
        "--quarter",
        "2025-26-Q2",
        "--trust-type",
        "ambulance",
        "--analysis",
        "movement",
        "--n-boot",
        "50",
    ],
    ["reconcile", "--data", "data/nhs-england/nof-mh-community-trust-data-2025-26-q4.csv"],
]


@pytest.mark.parametrize("argv", SUBCOMMANDS, ids=lambda a: "-".join(a[:1] + a[-2:]))
def test_printed_output_fits_100_columns_with_whole_numbers_as_integers(argv, capsys):
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.strip() and max(len(line) for line in out.splitlines()) <= 100
    assert not re.search(r"\b\d+\.000\b", out), "a whole number printed with decimals"
    assert len(out.splitlines()) <= 60


def test_trust_names_are_printed_and_full_prints_everything(capsys):
    assert main(SUBCOMMANDS[1]) == 0
    short = capsys.readouterr().out
    assert "Synthetic Acute Trust" in short and "more rows" in short and "--full" in short
    assert main([*SUBCOMMANDS[1], "--full"]) == 0
    full = capsys.readouterr().out
    assert "more rows" not in full and "p_top_quartile" in full and len(full.splitlines()) > 100


@pytest.mark.parametrize("command", ["uncertainty", "sensitivity"])
def test_one_spelling_of_each_flag_seed_default_1_old_spellings_hidden(command):
    from nhsrank.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
    opts = {o: a for a in sub._actions for o in a.option_strings}
    assert opts["--seed"].default == 1 and "--n-boot" in opts and "--full" in opts
    old = "--boot" if command == "uncertainty" else "--n"
    assert opts[old].help == argparse.SUPPRESS and not re.search(re.escape(old) + r"[\s,\]=]", sub.format_help())


def test_old_sensitivity_n_sets_both_monte_carlo_size_and_replicates():
    from nhsrank.cli import build_parser

    args = build_parser().parse_args(["sensitivity", "--data", "synthetic", "--n", "16"])
    assert args.n_legacy == 16


def test_format_table_keeps_within_width_for_any_width():
    df = pd.DataFrame({"trust_code": ["A", "B"], "trust_name": ["x" * 80, "y"], "score": [1.0, 2.0],
                       "other": [0.123456, 0.5]})
    for width in (40, 60, 100):
        text = format_table(df, width=width)
        assert max(len(line) for line in text.splitlines()) <= width
        assert "trust_code" in text
    assert re.search(r" 1$", format_table(df[["trust_code", "score"]]), re.M) and "1.000" not in format_table(df)


def test_uncertainty_shows_the_uncertainty_by_default(capsys):
    """Position, name, score (2 dp), segment, the 95% rank set, the likely range and the band, in 100 columns."""
    assert main(["uncertainty", "--data", "synthetic", "--quarter", "2025-26-Q1", "--trust-type", "ambulance",
                 "--n-boot", "200", "--no-progress"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["position", "trust", "score", "segment", "rank", "set", "likely", "range", "band"]
    assert all(re.search(r"\b\d+-\d+\b.*\b\d+-\d+\b", line) for line in out[1:6])     # rank set, likely range
    assert not any(re.search(r"\b\d\.\d{3}\b", line) for line in out)                 # scores as NHS England: 2 dp
    assert max(len(line) for line in out) <= 100


@pytest.mark.parametrize("argv, says", [
    (["uncertainty", "--level", "1.5"], "a confidence level lies strictly between 0 and 1"),
    (["uncertainty", "--source", "scores", "--source", "sampling"], "stands alone"),
    (["uncertainty", "--jobs", "0"], "expected a whole number from 1 up"),
    (["league", "--cut-points", "1,2"], "needs 3 cut points, got 2"),
])
def test_a_bad_option_value_is_one_clean_line(argv, says, capsys):
    """A misused option is refused in one line on stderr (exit status 2), never a traceback (issue 23)."""
    try:
        rc = main(argv + ["--data", "synthetic", "--quarter", "2025-26-Q1"])
    except SystemExit as exc:         # argparse's own refusal: usage, then one error line
        rc = exc.code
    err = capsys.readouterr().err
    assert rc == 2
    assert says in err and "Traceback" not in err
    assert [line for line in err.splitlines() if "error:" in line] == [err.splitlines()[-1]]
