"""Property-based tests over generated bad input: one InputError naming the
file, row and column, never another exception and never a silent table."""
import io

import pandas as pd
from hypothesis import given, settings, strategies as st

import nhsrank

BASE = pd.DataFrame({
    "trust_code": ["SYN-A001", "SYN-A002", "SYN-A003", "SYN-A004"],
    "trust_name": ["a", "b", "c", "d"],
    "trust_type": ["acute"] * 4,
    "quarter": ["2025-26-Q1"] * 4,
    "metric_id": ["OF0023"] * 4,
    "value": ["0.6", "0.7", "0.5", "0.4"],
    "numerator": ["600", "700", "500", "400"],
    "denominator": ["1000"] * 4,
}, dtype=str)
JUNK = st.sampled_from(["abc", "-5", "0", "1e9", "", "85", "12,5", "n.a.", "?", "hospice", "Q9 2025", "OF9999"])


@settings(max_examples=80, deadline=None)
@given(row=st.integers(0, 3), column=st.sampled_from(list(BASE.columns)), junk=JUNK)
def test_one_corrupted_cell_is_reported_or_harmless(row, column, junk):
    df = BASE.copy()
    df.loc[row, column] = junk
    try:
        data = nhsrank.read_metrics(df, source="gen.csv", methodology="nof-2025-26")
        table = nhsrank.league_table(data, None, "acute", methodology=nhsrank.load_methodology(
            "nof-2025-26").with_options(min_metrics=1))
    except nhsrank.InputError as exc:
        f = exc.failures
        assert (f["source"] == "gen.csv").all()
        assert f["column"].notna().all()
        # the failure points at the corrupted cell's row (spreadsheet row = index + 2) or names the column
        assert (row + 2 in set(f["row"].dropna())) or (column in set(f["column"])), f
        return
    # accepted: then every input trust is accounted for and the corrupted value was a legal one
    codes = set(df["trust_code"].replace("", pd.NA).dropna())
    assert set(table["trust_code"]) | set(table.attrs["exclusions"]["trust_code"]) == codes


@settings(max_examples=30, deadline=None)
@given(perm=st.permutations(range(4)), bom=st.booleans(), crlf=st.booleans())
def test_encoding_line_endings_and_row_order_do_not_change_the_table(tmp_path_factory, perm, bom, crlf):
    df = BASE.iloc[list(perm)]
    text = df.to_csv(index=False, lineterminator="\r\n" if crlf else "\n")
    path = tmp_path_factory.mktemp("csv") / "x.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    m = nhsrank.load_methodology("nof-2025-26").with_options(min_metrics=1)
    got = nhsrank.league_table(nhsrank.read_metrics(path), None, "acute", m)
    want = nhsrank.league_table(nhsrank.read_metrics(BASE), None, "acute", m)
    pd.testing.assert_frame_equal(got, want)
