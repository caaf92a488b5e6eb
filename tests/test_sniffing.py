"""Sniffing before parsing (nhsrank/data/sniff.py): encodings, compression, delimiters, title rows, sheets.

The corpus files are made by tests/data/make_sniff_corpus.py (SYNTHETIC trusts); the refused ones are
in tests/data/bad/EXPECTED.yaml (test_validation_corpus.py checks their messages through the CLI and API).
"""
import codecs
import csv
import io
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nhsrank
from nhsrank.cli import main
from nhsrank.data.sniff import InputWarning, decode, detect_delimiter, sniff_bytes

OK = Path(__file__).parent / "data" / "ok"
NAMES = ["Trust Café SYN-A001", "St Mary’s – SYN-A002", "Trust SYN-A003"]

# file -> (text every warning must contain or None for no warning, trust names as written)
READ = {
    "sniff_utf8.csv": (None, NAMES),
    "sniff_cp1252.csv": ("read it as Windows-1252", NAMES),
    "sniff_cp1252_one_row.csv": ("row 3 has byte 0xE9", ["Trust SYN-A001", "Trust Café SYN-A002", "Trust SYN-A003"]),
    "sniff_mac_roman.csv": ("read it as Mac Roman", NAMES),
    "sniff_utf16le_tab.txt": (None, NAMES),
    "sniff_utf16be_tab.txt": (None, NAMES),
    "sniff_gzip_named.csv": ("gzip-compressed", NAMES),
    "sniff_one_csv.zip": ("read the one file it holds, 'nof.csv'", NAMES),
    "sniff_tab.tsv": (None, NAMES),
    "sniff_semicolon_decimal_comma.csv": ("read 3 cells such as '0,6' as 0.6",
                                          ["Trust SYN-A001", "Trust SYN-A002", "Trust SYN-A003"]),
    "sniff_title_rows.csv": ("the header is on row 4; skipped rows 1-2", NAMES),
    "sniff_title_rows.xlsx": ("the header is on row 3; skipped row 1", NAMES),
    "sniff_second_sheet.xlsx": ("read sheet 'Data'", NAMES),
}


@pytest.mark.parametrize("name", sorted(READ))
def test_file_is_read_as_its_author_meant(name):
    expect_warning, names = READ[name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = nhsrank.read_metrics(OK / name, methodology="nof-2025-26").sort_values("trust_code")
    assert t["value"].round(6).tolist() == [0.6, 0.7, 0.5]
    assert t["trust_name"].tolist() == names
    messages = [str(w.message) for w in caught if issubclass(w.category, InputWarning)]
    if expect_warning is None:
        assert messages == []
    else:
        assert any(expect_warning in m and str(OK / name) in m for m in messages), messages


def test_title_rows_keep_spreadsheet_row_numbers():
    with pytest.warns(InputWarning):
        t = nhsrank.read_metrics(OK / "sniff_title_rows.csv")
    assert sorted(t["_row"]) == [5, 6, 7]          # header on row 4


def test_no_unnamed_columns_in_messages(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Report title\n\ncode,,amount\nA,,1\n")
    with pytest.raises(nhsrank.InputError) as info:
        nhsrank.read_metrics(path)
    assert "Unnamed" not in str(info.value) and "'code'" in str(info.value)


def test_cli_prints_warnings_once_without_traceback(capsys):
    code = main(["league", "--data", str(OK / "sniff_title_rows.csv"), "--quarter", "2025-26-Q1",
                 "--trust-type", "acute"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert err.count("skipped rows 1-2") == 1 and "Traceback" not in err and "warnings.warn" not in err


def test_zip_under_csv_name_is_not_called_a_workbook(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes((Path(__file__).parent / "data" / "bad" / "sniff_two_files.zip").read_bytes())
    with pytest.raises(nhsrank.InputError, match="zip archive, not a CSV or Excel file") as info:
        nhsrank.read_metrics(path)
    assert "workbook saved under" not in str(info.value)


def test_decimal_commas_in_a_comma_file_are_still_refused():
    with pytest.raises(nhsrank.InputError, match=r"a decimal comma\? write 0.6"):
        nhsrank.read_metrics(Path(__file__).parent / "data" / "bad" / "decimal_comma.csv")


def test_decode_worked_examples():
    assert decode(codecs.BOM_UTF8 + "é".encode(), "x") == ("é", "utf-8-sig")
    assert decode(codecs.BOM_UTF16_LE + "é".encode("utf-16-le"), "x") == ("é", "utf-16")
    with pytest.warns(InputWarning, match="row 2 has byte 0x8E"):
        assert decode("a\nCafé".encode("mac_roman"), "x")[0] == "a\nCafé"


# property: any small table, in any delimiter, encoding and line ending, with or without a title row,
# reads back to the same cells
CELL = st.text(alphabet=st.sampled_from("abcXYZ 019.-éô’"), min_size=1, max_size=8).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=6),
       delim=st.sampled_from([",", ";", "\t"]), enc=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
       newline=st.sampled_from(["\n", "\r\n"]), title=st.booleans())
def test_any_table_round_trips(table, delim, enc, newline, title):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator=newline)
    if title:
        w.writerow(["A title"])
    w.writerow(["trust_code", "name", "figure"])
    w.writerows(table)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        rows = sniff_bytes(buf.getvalue().encode(enc), "x.csv", lambda cells: "trust_code" in cells)
    assert rows.header == ["trust_code", "name", "figure"]
    expected = [[c.replace(",", ".") if delim != "," and c.replace(",", "", 1).isdigit() else c for c in r]
                for r in table]
    assert rows.cells == expected
    assert rows.numbers == list(range(2 + title, 2 + title + len(table)))


def test_delimiter_worked_examples():
    assert detect_delimiter("a\tb\tc\n1\t2\t3\n") == "\t"
    assert detect_delimiter("a,b,c\n1,2,3\n") == ","
    assert detect_delimiter("a;b;c\n1,5;2,5;3\n") == ";"


def test_fraction_pasted_into_a_percent_row_is_named_not_rescaled():
    path = OK / "fraction_in_percent_row.csv"
    with pytest.warns(InputWarning, match=r"row 4, trust SYN-A003, column 'value': 0.6735 among OF0023 values "
                                          r"like 69.9 whose units say percent.*write 67.35") as caught:
        t = nhsrank.read_metrics(path).set_index("trust_code")["value"]
    assert sum(issubclass(w.category, InputWarning) for w in caught) == 1   # one row, one warning
    assert t["SYN-A003"] == pytest.approx(0.006735) and t["SYN-A001"] == pytest.approx(0.671)


def test_published_nhs_england_file_has_no_suspect_fraction():
    from nhsrank.data.readers import NHS_ENGLAND_MH_DATA

    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        assert len(nhsrank.read_metrics(NHS_ENGLAND_MH_DATA))


@settings(max_examples=80, deadline=None)
@given(values=st.lists(st.floats(10, 99.99), min_size=5, max_size=30), pick=st.integers(0, 29),
       small=st.lists(st.floats(0.01, 0.99), max_size=3))
def test_fraction_rule_flags_the_pasted_fraction_and_no_genuine_value(values, pick, small):
    import pandas as pd

    from nhsrank.data.validation import fractions_in_percent_rows

    def frame(v):
        n = len(v)
        return pd.DataFrame({"metric_id": ["M"] * n, "units": ["%"] * n, "trust_code": [f"T{i}" for i in range(n)],
                             "value": v, "_row": range(2, n + 2)})

    assert fractions_in_percent_rows(frame(values)).empty                 # every value a percentage: none flagged
    i = pick % len(values)
    pasted = list(values)
    pasted[i] = values[i] / 100
    others = [v for j, v in enumerate(values) if j != i]
    hits = fractions_in_percent_rows(frame(pasted))
    if min(others) <= values[i] <= max(others):                          # 100 x v within the others' range
        assert hits["_row"].tolist() == [i + 2]
    else:
        assert hits.empty
    # among small percentages (0.5-5), a value below 1 is flagged only if 100 x it would be ordinary
    mixed = [v / 20 for v in values] + small
    big = [v for v in mixed if v >= 1]
    for v in fractions_in_percent_rows(frame(mixed))["value"]:
        assert min(big) <= 100 * v <= max(big)
    assert fractions_in_percent_rows(frame([1.2, 2.5, 0.5, 3.1, 4.0, 1.8])).empty   # 0.5%: 50 is out of range
