"""nhsrank.data.ae: NHS England's monthly A&E attendances, aggregated to quarterly canonical rows by hand."""
import numpy as np
import pandas as pd
import pytest

from nhsrank.data.ae import AE_METRIC_ID, ae_to_canonical, financial_quarter, is_ae_attendances
from nhsrank.errors import InputError


def monthly(rows):
    return pd.DataFrame(rows, columns=["period", "org_code", "type", "attendances", "breaches"])


@pytest.mark.parametrize("date, quarter", [
    ("2016-04-01", "2016-17-Q1"), ("2016-06-30", "2016-17-Q1"), ("2016-07-01", "2016-17-Q2"),
    ("2016-12-01", "2016-17-Q3"), ("2017-01-01", "2016-17-Q4"), ("2017-03-31", "2016-17-Q4"),
    ("1999-04-01", "1999-00-Q1"),     # the second year's two digits wrap at a century
])
def test_financial_quarter_starts_in_april(date, quarter):
    assert financial_quarter(pd.Series([date], index=[7])).to_dict() == {7: quarter}


def test_is_ae_attendances_reads_the_column_names_loosely():
    assert is_ae_attendances(pd.DataFrame(columns=[" Period", "ORG_CODE", "Type", "attendances", "breaches", "x"]))
    assert not is_ae_attendances(pd.DataFrame(columns=["period", "org_code", "type", "attendances"]))


def test_three_months_sum_to_one_quarter_and_type_1_makes_acute():
    raw = monthly([
        ("2017-01-01", "RA1", 1, 100, 10),        # RA1: type 1 once -> acute, all its rows
        ("2017-02-01", "RA1", "2", 50, 5),
        ("2017-03-01", "RA1", "other", 50, 25),
        ("2017-04-01", "RA1", "other", 40, 4),    # the next quarter
        ("2017-02-01", " NB2 ", "other", 80, 0),  # a minor injury unit only: non-acute; code stripped
        ("2017-01-01", "RC3", 2, 20, 2),          # a type 2 (single specialty) department only: non-acute
        ("2017-03-01", "ZZ9", "other", 0, 0),     # no attendances in the quarter: no row
    ])
    out = ae_to_canonical(raw)
    assert out[["trust_code", "trust_type", "quarter"]].values.tolist() == [
        ["NB2", "non-acute", "2016-17-Q4"], ["RA1", "acute", "2016-17-Q4"], ["RA1", "acute", "2017-18-Q1"],
        ["RC3", "non-acute", "2016-17-Q4"]]
    # RA1 in 2016-17 Q4: 200 attendances, 40 breaches -> 160 / 200 = 0.8
    ra1 = out.iloc[1]
    assert (ra1["numerator"], ra1["denominator"], ra1["value"]) == (160, 200, 0.8)
    assert out["value"].tolist() == [1.0, 0.8, 0.9, 0.9]
    assert (out["metric_id"] == AE_METRIC_ID).all() and out["standard_error"].isna().all()
    assert out["trust_name"].tolist() == out["trust_code"].tolist()            # the file has no names


def test_every_bad_cell_is_named_with_its_row():
    raw = monthly([
        ("2017-01-01", "RA1", "1", "many", 10),     # row 2: not a number
        ("not a date", "RA2", "1", 10, 1),          # row 3
        ("2017-01-01", "RA3", "1", 10, 11),         # row 4: more breaches than attendances
        ("2017-01-01", "RA4", "1", 10, np.nan),     # row 5: a blank
    ])
    with pytest.raises(InputError) as err:
        ae_to_canonical(raw, "ae.csv")
    f = err.value.failures
    assert f[["row", "trust_code", "column"]].values.tolist() == [
        [2, "RA1", "attendances"], [5, "RA4", "breaches"], [3, "RA2", "period"], [4, "RA3", "breaches"]]
    assert f["problem"].tolist() == ["expected a number, found 'many'", "expected a number, found a blank cell",
                                     "expected a date like 2017-03-01, found 'not a date'",
                                     "breaches 11 above attendances 10"]
    assert str(err.value).startswith("ae.csv: 4 problems")
