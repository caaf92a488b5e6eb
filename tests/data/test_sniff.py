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

OK = Path(__file__).parent / "ok"
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
    with pytest.raises(nhsrank.InputError) as info, pytest.warns(InputWarning, match="the header is on row 3"):
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
    path.write_bytes((Path(__file__).parent / "bad" / "sniff_two_files.zip").read_bytes())
    with pytest.raises(nhsrank.InputError, match="zip archive, not a CSV or Excel file") as info:
        nhsrank.read_metrics(path)
    assert "workbook saved under" not in str(info.value)


def test_decimal_commas_in_a_comma_file_are_still_refused():
    with pytest.raises(nhsrank.InputError, match=r"a decimal comma\? write 0.6"):
        nhsrank.read_metrics(Path(__file__).parent / "bad" / "decimal_comma.csv")


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


def test_a_genuine_small_percentage_in_a_lower_tail_is_read_without_a_word():
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        t = nhsrank.read_metrics(OK / "small_percent_in_a_lower_tail.csv").set_index("trust_code")["value"]
    assert t["SYN-A002"] == pytest.approx(0.0017)


def test_published_nhs_england_file_has_no_suspect_fraction():
    from nhsrank.data.readers import NHS_ENGLAND_MH_DATA

    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        assert len(nhsrank.read_metrics(NHS_ENGLAND_MH_DATA))


def _percent_frame(values, metric="M"):
    import pandas as pd

    n = len(values)
    return pd.DataFrame({"metric_id": [metric] * n, "units": ["%"] * n, "trust_code": [f"T{i}" for i in range(n)],
                         "value": list(values), "_row": range(2, n + 2)})


#: NHS England's acute file, Q1 2025/26 (nof_acute_q1_2025_26_...-acute-trust-data.csv), OF0014 (12-hour waits
#: in A&E, Units "percent"), every trust's Value in file order: Alder Hey's genuine 0.17% sits in a lower tail
#: of 0, 0.35, 0.7, 1.28 ...
ACUTE_Q1_OF0014 = [
    4.78, 3.69, 4.69, 12.16, 14.23, 12.88, 3.94, 4.02, 7.96, 5.3, 8.27, 12.92, 12.06, 13.92, 6.3, 4.92, 22.22, 16.93,
    0.17, 17.66, 3.41, 14.66, 1.28, 5.02, 0.0, 14.1, 7.85, 5.32, 12.11, 9.02, 14.44, 14.99, 0.0, 16.43, 2.18, 1.79,
    5.45, 11.71, 7.18, 3.89, 7.55, 4.39, 3.99, 2.1, 4.26, 14.97, 3.95, 1.43, 13.27, 10.96, 10.3, 3.61, 15.15, 17.0,
    12.56, 24.45, 12.92, 2.77, 16.17, 12.47, 7.52, 8.34, 15.65, 12.4, 5.34, 11.83, 9.24, 13.42, 15.3, 4.97, 9.84,
    8.69, 10.01, 11.38, 15.15, 8.19, 2.82, 0.0, 10.39, 0.0, 3.47, 7.6, 3.69, 0.7, 7.08, 19.5, 14.56, 3.11, 2.32,
    9.69, 0.35, 10.77, 2.98, 10.58, 12.21, 3.49, 6.82, 9.1, 16.98, 20.71, 1.83, 12.86, 18.09, 9.84, 7.54, 7.44, 9.95,
    10.25, 16.24, 21.77, 2.04, 10.12, 7.51, 8.36, 6.5, 25.3, 13.99, 8.21, 6.55, 14.56, 0.0, 6.91, 8.89]


def test_the_acute_files_genuine_small_percentage_is_not_flagged():
    from nhsrank.data.validation import fractions_in_percent_rows

    assert fractions_in_percent_rows(_percent_frame(ACUTE_Q1_OF0014, "OF0014")).empty   # 0.17% is no fraction
    # the limit, stated: on a metric whose values spread from 0 to 25%, a 12.88% pasted as 0.1288 cannot be
    # told from Alder Hey's genuine 0.17% (its gap up to the next value, 1.15, is well inside the spread)
    above_one = [v for v in ACUTE_Q1_OF0014 if v >= 1]
    assert fractions_in_percent_rows(_percent_frame([v / 100 if i == 5 else v for i, v in enumerate(above_one)],
                                                    "OF0014")).empty


def test_a_67_percent_written_0_67_is_flagged_even_below_every_other_value():
    from nhsrank.data.validation import fractions_in_percent_rows

    # the old rule missed it: 67 lies below the others' range (80-99), yet 0.67 is far further from them
    values = [88.2, 91.5, 95.0, 0.67, 84.1, 99.0, 80.3, 93.7, 90.2]
    hits = fractions_in_percent_rows(_percent_frame(values))
    assert hits["_row"].tolist() == [5] and hits["typical"].tolist() == [90.85]


def test_the_mental_health_file_with_one_value_pasted_as_a_fraction_names_that_row(tmp_path):
    import pandas as pd

    from nhsrank.data.readers import NHS_ENGLAND_MH_DATA
    from nhsrank.data.validation import fractions_in_percent_rows

    raw = pd.read_csv(NHS_ENGLAND_MH_DATA, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    raw_metrics = raw[raw["Metric_ID"].str.match(r"^OF0")]
    frame = pd.DataFrame({"metric_id": raw_metrics["Metric_ID"], "units": raw_metrics["Units"],
                          "trust_code": raw_metrics["Trust_code"], "_row": raw_metrics.index + 2,
                          "value": pd.to_numeric(raw_metrics["Value"], errors="coerce")})
    assert fractions_in_percent_rows(frame).empty                    # as published: no row flagged
    # one trust's OF0016 (median about 64%) written as a fraction, through the reader
    i = raw.index[(raw["Metric_ID"] == "OF0016") & (pd.to_numeric(raw["Value"], errors="coerce") > 60)][0]
    written = f"{float(raw.at[i, 'Value']) / 100:.4f}"
    raw.at[i, "Value"] = written
    path = tmp_path / "mh.csv"
    raw.to_csv(path, index=False)
    with pytest.warns(InputWarning) as caught:
        nhsrank.read_metrics(path)
    hits = [str(w.message) for w in caught if "fraction pasted" in str(w.message)]
    assert len(hits) == 1 and f"row {i + 2}, trust {raw.at[i, 'Trust_code']}, column 'value': {float(written):g} " \
        "among OF0016 values like" in hits[0]


@settings(max_examples=80, deadline=None)
@given(centre=st.floats(20, 85), spread=st.floats(0, 1), n=st.integers(6, 30), pick=st.integers(0, 29),
       seed=st.integers(0, 2**16))
def test_a_fraction_pasted_among_a_tight_metric_is_always_flagged(centre, spread, n, pick, seed):
    """Percentages within centre +- centre/8 (at least 5 others, the rule's minimum): a value pasted as a
    fraction stands apart by more than
    the others' interquartile range (at least 7/8 of the centre minus 1 against at most a quarter of it)
    and is half as far from the median once read as a percentage; margins keep the last bit out of it."""
    import numpy as np

    from nhsrank.data.validation import fractions_in_percent_rows

    rng = np.random.default_rng(seed)
    values = list(centre + (centre / 8) * spread * rng.uniform(-1, 1, n))
    assert fractions_in_percent_rows(_percent_frame(values)).empty        # every value a percentage: none flagged
    i = pick % n
    pasted = list(values)
    pasted[i] = values[i] / 100                                          # 10.000000000000002 / 100 and the like
    assert fractions_in_percent_rows(_percent_frame(pasted))["_row"].tolist() == [i + 2]


@settings(max_examples=80, deadline=None)
@given(steps=st.lists(st.floats(0.5, 1.4), min_size=7, max_size=40), zeros=st.integers(0, 3))
def test_a_lower_tail_that_reaches_the_small_value_is_never_flagged(steps, zeros):
    """Genuine small percentages: values climbing from 0 in steps of 0.5-1.4 points (some trusts at 0).
    Every gap is at most 1.4 and the others' interquartile range at least 1.5 (3 steps of 0.5)."""
    import numpy as np

    from nhsrank.data.validation import fractions_in_percent_rows

    values = [0.0] * zeros + list(np.cumsum(steps) - steps[0] + 0.05)
    assert fractions_in_percent_rows(_percent_frame(values)).empty
    assert fractions_in_percent_rows(_percent_frame([1.2, 2.5, 0.5, 3.1, 4.0, 1.8])).empty   # 0.5% among 1.2-4%
