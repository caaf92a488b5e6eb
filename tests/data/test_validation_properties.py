"""Property-based tests over generated bad input: one InputError naming the
file, row and column, never another exception and never a silent table."""

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import nhsrank
from support import NO_ATTRIBUTES

# the generated tables carry no trust attributes on purpose: nhsrank's note saying so is tested in
# tests/data/test_readers_attributes.py
pytestmark = pytest.mark.filterwarnings(NO_ATTRIBUTES)

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
        result = nhsrank.league_table(data, None, "acute", methodology=nhsrank.load_methodology(
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
    assert set(result.table["trust_code"]) | set(result.exclusions["trust_code"]) == codes


@settings(max_examples=30, deadline=None)
@given(perm=st.permutations(range(4)), bom=st.booleans(), crlf=st.booleans())
def test_encoding_line_endings_and_row_order_do_not_change_the_table(tmp_path_factory, perm, bom, crlf):
    df = BASE.iloc[list(perm)]
    text = df.to_csv(index=False, lineterminator="\r\n" if crlf else "\n")
    path = tmp_path_factory.mktemp("csv") / "x.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    m = nhsrank.load_methodology("nof-2025-26").with_options(min_metrics=1)
    got = nhsrank.league_table(nhsrank.read_metrics(path), None, "acute", m).table
    want = nhsrank.league_table(nhsrank.read_metrics(BASE), None, "acute", m).table
    pd.testing.assert_frame_equal(got, want)


@settings(max_examples=40, deadline=None)
@given(pcts=st.lists(st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 2)), min_size=4, max_size=4),
       style=st.sampled_from(["units", "sign", "fraction"]))
def test_percent_spellings_give_the_same_table(pcts, style):
    """NHS England's Units "%" with 0-100 values, "85%" cells and 0-1 proportions rank alike."""
    fraction = BASE.drop(columns=["numerator", "denominator"]).assign(value=[f"{p / 100!r}" for p in pcts])
    if style == "units":
        df = fraction.assign(value=[f"{p:g}" for p in pcts], Units="%")
    elif style == "sign":
        df = fraction.assign(value=[f"{p:g}%" for p in pcts])
    else:
        df = fraction
    m = nhsrank.load_methodology("nof-2025-26").with_options(min_metrics=1)
    got = nhsrank.read_metrics(df, methodology=m)
    want = nhsrank.read_metrics(fraction, methodology=m)
    pd.testing.assert_series_equal(got["value"], want["value"], rtol=1e-12)
    t_got = nhsrank.league_table(got, None, "acute", m).table
    t_want = nhsrank.league_table(want, None, "acute", m).table
    pd.testing.assert_series_equal(t_got["trust_code"], t_want["trust_code"])


def _spellings(x: float, count: bool):
    """Ways Excel users write the same number; all must be read as ``x``."""
    out = [repr(x), f" {x} ", f"{x}\u00a0"]
    if count:
        out += [f"{int(x):,}", f"{x:.1f}", f"{x:.0e}" if x == 1000 else repr(x)]
    else:
        out += [f"{x * 100:g}%", f"{x * 100:g} %"]
    return st.sampled_from(out)


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_excel_spellings_of_the_same_figures_read_the_same(data):
    df = BASE.copy()
    for i in range(len(df)):
        df.loc[i, "value"] = data.draw(_spellings(float(BASE.loc[i, "value"]), count=False))
        df.loc[i, "denominator"] = data.draw(_spellings(1000.0, count=True))
        df.loc[i, "numerator"] = data.draw(_spellings(float(BASE.loc[i, "numerator"]), count=True))
    got = nhsrank.read_metrics(df, methodology="nof-2025-26")
    want = nhsrank.read_metrics(BASE, methodology="nof-2025-26")
    for col in ("value", "numerator", "denominator"):
        assert got[col].round(9).tolist() == want[col].round(9).tolist(), (col, df[col].tolist())
