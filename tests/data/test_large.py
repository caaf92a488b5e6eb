"""A large file of many quarters is read for the quarter asked for, or refused at once (nhsrank/data/large.py).

The logic is checked here on small files with the size threshold lowered; how fast a 200 MB file
is ranked or refused, and in how much memory, is measured by ``make bench`` (benchmarks/robustness.py).
"""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

import nhsrank
from nhsrank.cli import main
from nhsrank.data import large
from nhsrank.data.readers import COLUMN_ALIASES, NHS_ENGLAND_MH_DATA, _norm, header_test
from nhsrank.errors import InputWarning

Q = "2025-26-Q4"
NEED = ["quarter", "trust_code", "trust_type", "metric_id", "value"]
_LOOKUP = {alias: canon for canon, aliases in COLUMN_ALIASES.items() for alias in aliases}


def canonical_name(cell):
    return _LOOKUP.get(_norm(cell))


@pytest.fixture
def as_large(monkeypatch):
    """Every plain CSV counts as large (the threshold is 32 MB)."""
    monkeypatch.setattr(large, "LARGE_FILE_BYTES", 0)


@pytest.fixture
def many_quarters(tmp_path):
    """NHS England's mental health file with two more years: 12 quarters in the published layout."""
    raw = pd.read_csv(NHS_ENGLAND_MH_DATA, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    years = [raw] + [raw.assign(Quarter=raw["Quarter"].str.replace("2025/26", y, regex=False))
                     for y in ("2023/24", "2024/25")]
    path = tmp_path / "many.csv"
    pd.concat(years, ignore_index=True).to_csv(path, index=False)
    return path


def _quiet(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        return fn()


def test_a_large_file_read_for_one_quarter_ranks_as_the_whole_file_does(as_large, many_quarters, monkeypatch):
    m = _quiet(lambda: nhsrank.read_metrics(many_quarters, quarter="Q4 2025/26"))
    assert set(m["quarter"]) == {Q}
    written = pd.read_csv(many_quarters, dtype=str, keep_default_na=False)
    q4 = set(written.index[written["Quarter"] == "Q4 2025/26"] + 2)
    assert set(m["_row"]) <= q4 and m["_row"].min() == min(q4)      # the spreadsheet's own row numbers
    fast = _quiet(lambda: nhsrank.league_table(many_quarters, Q, "non-acute"))
    monkeypatch.setattr(large, "LARGE_FILE_BYTES", 10**12)          # read whole, as a small file is
    whole = _quiet(lambda: nhsrank.league_table(many_quarters, Q, "non-acute"))
    pd.testing.assert_frame_equal(fast.table, whole.table)


def test_a_large_file_of_several_quarters_without_one_chosen_is_refused_at_once(as_large, many_quarters, capsys):
    assert main(["league", "--data", str(many_quarters)]) == 2
    err = capsys.readouterr().err
    assert "the file holds 12 quarters (2023-24-Q1, 2023-24-Q2, 2023-24-Q3, ..., 2025-26-Q4)" in err
    assert "choose one with --quarter" in err and "Traceback" not in err


def test_a_quarter_missing_from_a_large_file_names_those_present(as_large, many_quarters):
    with pytest.raises(nhsrank.InputError, match=r"quarter '2019-20-Q1' is not in the data; quarters present: "
                                                 r"2023-24-Q1, .*2025-26-Q4"):
        nhsrank.read_metrics(many_quarters, quarter="2019-20-Q1")


def test_a_large_file_keeps_bad_quarter_cells_and_row_numbers(as_large, tmp_path):
    text = ("Quarter,Trust_code,Trust_type,Metric_ID,Value,Region\n"
            "Q4 2025/26,RX1,Acute trust,OF0023,0.5,North\n"
            "\n"
            "Q1 2025/26,RX2,Acute trust,OF0023,0.6,North\n"
            "last quarter,RX3,Acute trust,OF0023,0.7,North\n")
    path = tmp_path / "t.csv"
    path.write_text(text)
    t = large.read_large_csv(path, canonical_name, header_test(NEED), Q)
    assert t.index.tolist() == [2, 5] and "Region" not in t.columns    # row 4 (Q1) left out, the bad cell kept
    with pytest.raises(nhsrank.InputError) as info:
        nhsrank.read_metrics(path, quarter=Q)
    assert "row 5" in str(info.value) and "'last quarter'" in str(info.value)


def test_a_row_with_a_cell_too_many_in_a_large_file_is_named(as_large, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Quarter,Trust_code,Trust_name,Trust_type,Metric_ID,Value\n"
                    "Q4 2025/26,RX1,Trust RX1,Acute trust,OF0023,0.5\n"
                    "Q4 2025/26,RX2,Trust RX2, Royal,Acute trust,OF0023,0.6\n")
    with pytest.raises(nhsrank.InputError, match="row 3: this row has 7 cells but the header has 6 columns"):
        nhsrank.read_metrics(path, quarter=Q)


def test_files_the_large_reader_leaves_to_the_sniffer(as_large, tmp_path):
    semi = tmp_path / "s.csv"
    semi.write_text("Quarter;Trust_code;Trust_type;Metric_ID;Value\nQ4 2025/26;RX1;Acute trust;OF0023;0,5\n")
    titled = tmp_path / "t.csv"
    titled.write_text(
        "NOF data\nQuarter,Trust_code,Trust_type,Metric_ID,Value\nQ4 2025/26,RX1,Acute trust,OF0023,0.5\n"
    )
    assert large.read_large_csv(semi, canonical_name, header_test(NEED), Q) is None
    assert large.read_large_csv(titled, canonical_name, header_test(NEED), Q) is None
