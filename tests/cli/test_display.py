"""Printed tables (nhsrank.cli.display): within 100 columns, whole numbers as integers, names printed, --full."""
import re

import pandas as pd
import pytest

from nhsrank.cli import main
from nhsrank.cli.display import format_table

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


def test_format_table_keeps_within_width_for_any_width():
    df = pd.DataFrame({"trust_code": ["A", "B"], "trust_name": ["x" * 80, "y"], "score": [1.0, 2.0],
                       "other": [0.123456, 0.5]})
    for width in (40, 60, 100):
        text = format_table(df, width=width)
        assert max(len(line) for line in text.splitlines()) <= width
        assert "trust_code" in text
    assert re.search(r" 1$", format_table(df[["trust_code", "score"]]), re.M) and "1.000" not in format_table(df)
