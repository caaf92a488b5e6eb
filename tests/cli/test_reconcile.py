"""The `nhsrank reconcile` command (nhsrank.cli.reconcile) on NHS England's own files: counts per quarter and per
file."""
from __future__ import annotations



from nhsrank.cli import main
from nhsrank.data.readers import DATA_DIR

DATA = DATA_DIR / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv"
ACUTE = DATA_DIR / "nhs-england" / "nof-acute-trust-data-2025-26-q1.csv"
Q1 = "2025-26-Q1"
QUARTERS = ["2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4"]


def test_cli_reconcile_prints_per_quarter_counts(capsys):
    assert main(["reconcile", "--data", str(DATA)]) == 0
    out = capsys.readouterr().out
    for q in QUARTERS:
        assert f"non-acute {q}: " in out
    assert "league position" in out                    # the league table beside the file is found
    assert "real disagreement" in out and "rounding difference" in out
    assert "(+1.00)" not in out and "published 1.9" not in out  # positions print as whole numbers


def test_reconcile_prints_counts_for_each_file(capsys):
    assert main(["reconcile", "--data", str(ACUTE), str(DATA), "--quarter", Q1]) == 0
    out = capsys.readouterr().out
    assert "acute 2025-26-Q1: league position" in out and "non-acute 2025-26-Q1: league position" in out
    assert "domain segments" in out and "domain scores" in out
