"""Several published files read together (issue 22, item 7): the same trust and quarter in two
files, two releases that disagree, a file of another year: each one clear error, never a silent choice."""
from __future__ import annotations

import pandas as pd
import pytest

import nhsrank
from nhsrank.cli import main

ROWS = [("R1", "Acute trust", "Q1 2025/26", "OF0023", "70.0"), ("R2", "Acute trust", "Q1 2025/26", "OF0023", "60.0"),
        ("M1", "Mental health and community trust", "Q1 2025/26", "OF0082", "5.0")]


def write(path, rows):
    pd.DataFrame(rows, columns=["Trust_code", "Trust_type", "Quarter", "Metric_ID", "Value"]).assign(
        Units="percent").to_csv(path, index=False)
    return path


def test_files_of_different_trusts_are_pooled(tmp_path):
    a = write(tmp_path / "acute.csv", ROWS[:2])
    m = write(tmp_path / "mh.csv", ROWS[2:])
    data = nhsrank.read_metrics([a, m])
    assert sorted(data["trust_code"]) == ["M1", "R1", "R2"]


def test_the_same_release_twice_is_named(tmp_path):
    a = write(tmp_path / "acute.csv", ROWS[:2])
    b = write(tmp_path / "acute-copy.csv", ROWS[:2])
    with pytest.raises(nhsrank.InputError, match="same figures twice") as info:
        nhsrank.read_metrics([a, b])
    assert "acute.csv" in str(info.value) and "acute-copy.csv" in str(info.value)


def test_two_releases_that_disagree_are_named(tmp_path):
    a = write(tmp_path / "first.csv", ROWS[:2])
    b = write(tmp_path / "revised.csv", [ROWS[0][:4] + ("71.0",), ROWS[1]])
    with pytest.raises(nhsrank.InputError, match="two releases that disagree") as info:
        nhsrank.read_metrics([a, b])
    assert "R1 2025-26-Q1" in str(info.value)


def test_a_file_of_another_year_is_refused(tmp_path, capsys):
    a = write(tmp_path / "this-year.csv", ROWS[:2])
    b = write(tmp_path / "last-year.csv", [("M1", "Mental health and community trust", "Q1 2024/25", "OF0082", "5.0")])
    with pytest.raises(nhsrank.InputError, match="different financial years"):
        nhsrank.read_metrics([a, b])
    assert main(["league", "--data", str(a), str(b)]) == 2
    err = capsys.readouterr().err
    assert "different financial years" in err and "Traceback" not in err and err.count("\n") <= 3
