"""nhsrank.rules.checks: a metrics table checked against a methodology, every problem named and raised at once."""
import numpy as np
import pandas as pd
import pytest

import nhsrank
from nhsrank.errors import InputError
from nhsrank.rules.checks import check_metrics_for_methodology, problem_at, raise_problems


@pytest.fixture(scope="module")
def nof():
    return nhsrank.load_methodology("nof-2025-26")


def rows(*records):
    """Canonical long rows, file rows numbered from 2 (the header is row 1)."""
    df = pd.DataFrame([{"trust_code": t, "trust_type": tt, "metric_id": m, "value": v, "numerator": num,
                        "denominator": den} for t, tt, m, v, num, den in records])
    df["_row"] = range(2, len(df) + 2)
    return df


def failures(df, methodology, source="x.csv"):
    with pytest.raises(InputError) as err:
        check_metrics_for_methodology(df, methodology, source)
    assert str(err.value).startswith(f"{source}: {len(err.value.failures)} problem")
    return err.value.failures


def test_good_rows_pass(nof):
    # a proportion (90 of 100), a ratio at its bound, a score, a value without a numerator
    check_metrics_for_methodology(rows(("A", "acute", "OF0023", 0.9, 90, 100),
                                       ("A", "acute", "OF0106", -1.0, None, None),
                                       ("B", "acute", "OF0046", 4.0, None, None),
                                       ("B", "acute", "OF0003", np.nan, 3, 4)), nof)


def test_every_problem_is_named_with_its_row_trust_and_column_in_file_row_order(nof):
    df = rows(("A", "acute", "OF0023", 0.5, 60, 50),        # row 2: numerator above denominator
              ("A", "acute", "OFX999", 1.0, None, None),    # row 3: unknown metric
              ("B", "acute", "OF0046", 5.0, None, None),    # row 4: a score of 5 on a 1-4 scale
              ("B", "acute", "OF0023", 0.75, 3, 5))         # row 5: 0.75 is not 3 / 5
    f = failures(df, nof)
    assert f[["row", "trust_code", "column"]].values.tolist() == [
        [2, "A", "numerator"], [3, "A", "metric_id"], [4, "B", "value"], [5, "B", "value"]]
    assert (f["source"] == "x.csv").all()
    assert f["problem"].tolist()[0] == "numerator 60 is above denominator 50 for proportion metric OF0023"
    assert f["problem"].tolist()[1].startswith("metric 'OFX999' (1 row) is not in the metric catalogue of "
                                               "methodology nof-2025-26; expected one of OF0023, ")
    assert f["problem"].tolist()[2] == "OF0046 value 5 is outside its valid range [1, 4]"
    assert f["problem"].tolist()[3] == ("OF0023 value 0.75 does not match numerator / denominator = 3 / 5 = 0.6; "
                                        "correct one of them")


def test_a_value_within_the_rounding_tolerance_of_its_numerator_passes(nof):
    # 2 / 3 = 0.6667 published as 0.667 (a gap of 0.0003 <= 0.001); 0.669 is 0.0023 away
    check_metrics_for_methodology(rows(("A", "acute", "OF0023", 0.667, 2, 3)), nof)
    assert failures(rows(("A", "acute", "OF0023", 0.669, 2, 3)), nof)["column"].tolist() == ["value"]


def test_the_hints_for_a_percentage_given_as_a_proportion_and_the_reverse(nof):
    f = failures(rows(("A", "acute", "OF0023", 85.0, None, None), ("A", "acute", "OF0086", 0.9, None, None)), nof)
    assert f["problem"].tolist() == [
        "OF0023 value 85 is outside its valid range [0, 1] (looks like a percentage: give proportions as 0-1, "
        "e.g. 0.85 for 85%, write '85%', or say % in a Units column)",
        "OF0086 value 0.9 is outside its valid range [50, 200] (if the cell says '90%': OF0086 is a score, not a "
        "fraction, so give 90 without the % sign)"]


def test_a_trust_type_without_a_league_table_is_one_problem_naming_its_trusts(nof):
    df = rows(*[(f"T{i}", "dental", "OF0023", 0.5, None, None) for i in range(7)],
              ("A", "acute", "OF0023", 0.5, None, None))
    f = failures(df, nof)
    assert len(f) == 1 and f.loc[0, "row"] == 2 and pd.isna(f.loc[0, "trust_code"])
    assert f.loc[0, "problem"] == ("methodology nof-2025-26 has no dental league table, so 7 dental trust(s) "
                                   "(T0, T1, T2, T3, T4 and 2 more) would not be ranked; its tables: acute, "
                                   "non-acute, ambulance. Remove those rows or choose another methodology")
    # one trust of that type: the problem names it
    assert failures(rows(("Z", "dental", "OF0023", 0.5, None, None)), nof).loc[0, "trust_code"] == "Z"


def test_an_unknown_metric_on_several_rows_is_one_problem_at_its_first_row(nof):
    f = failures(rows(("A", "acute", "OF0023", 0.5, None, None), ("A", "acute", "NEW1", 1, None, None),
                      ("B", "acute", "NEW1", 2, None, None)), nof)
    assert f[["row", "trust_code"]].values.tolist() == [[3, "A"]]
    assert f.loc[0, "problem"].startswith("metric 'NEW1' (2 rows) is not in")


def test_problem_at_and_raise_problems():
    df = pd.DataFrame({"trust_code": ["A", "B"], "_row": [7, 9]}, index=[10, 11])
    assert problem_at(df, 11, "value", "bad") == {"row": 9, "trust_code": "B", "column": "value", "problem": "bad"}
    with pytest.raises(InputError) as err:
        raise_problems("f.csv", [problem_at(df, 11, "value", "second"), problem_at(df, 10, "value", "first"),
                                 {"row": None, "trust_code": None, "column": "metric_id", "problem": "whole file"}])
    assert err.value.failures["problem"].tolist() == ["whole file", "first", "second"]
    assert str(err.value).splitlines()[0] == "f.csv: 3 problems"
