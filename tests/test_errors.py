"""nhsrank.errors: every problem of an input in one error, each naming its source, row, trust and column."""
import warnings

import numpy as np
import pandas as pd
import pytest

import nhsrank
from nhsrank.errors import FAILURE_COLUMNS, InputError, InputWarning, MethodologyError, OutputError, shown


@pytest.mark.parametrize("value, text", [
    (None, "a blank cell"), (np.nan, "a blank cell"), (pd.NA, "a blank cell"), ("", "a blank cell"),
    ("  ", "a blank cell"), ("n/a", "'n/a'"), (np.float64(0.25), "0.25"), (1e-7, "1e-07"), (3, "3"),
    (np.int64(-2), "-2"), (True, "True"), (pd.Timestamp("2025-04-01"), "'2025-04-01 00:00:00'"),
])
def test_shown(value, text):
    assert shown(value) == text


def test_an_error_of_several_problems_names_each_where_it_is():
    err = InputError.from_records("x.csv", [
        {"row": 4, "trust_code": "RX1", "column": "value", "problem": "expected a number, found 'n/a'"},
        {"column": "quarter", "problem": "missing column"},
        {"row": 7, "problem": "a blank row"},
        {"trust_code": "RX2", "problem": "no rows"},
        {"problem": "the file is empty"},
    ])
    assert isinstance(err, ValueError)
    assert str(err) == ("x.csv: 5 problems\n"
                        "  row 4, trust RX1, column 'value': expected a number, found 'n/a'\n"
                        "  column 'quarter': missing column\n"
                        "  row 7: a blank row\n"
                        "  trust RX2: no rows\n"
                        "  the file is empty")
    assert list(err.failures.columns) == FAILURE_COLUMNS and (err.failures["source"] == "x.csv").all()
    assert err.summary == "x.csv: 5 problems"


def test_a_record_may_name_its_own_source():
    err = InputError.from_records("two files", [{"source": "a.csv", "problem": "p"}, {"problem": "q"}])
    assert err.failures["source"].tolist() == ["a.csv", "two files"]


def test_a_long_list_is_cut_and_says_how_many_more():
    records = [{"row": r, "problem": "bad"} for r in range(2, 27)]            # 25 problems
    err = InputError.from_records("big.csv", records)
    lines = str(err).splitlines()
    assert lines[0] == "big.csv: 25 problems" and len(lines) == 1 + 20 + 1
    assert lines[-1] == "  ... and 5 more (see InputError.failures)" and len(err.failures) == 25
    err.max_shown = 24                                                         # set after: the message follows
    assert str(err).splitlines()[-1] == "  ... and 1 more (see InputError.failures)"
    assert "more" not in str(InputError.from_records("big.csv", records, max_shown=25))


def test_one_problem_is_singular_and_a_plain_message_has_an_empty_table():
    assert str(InputError.from_records("x.csv", [{"problem": "p"}])).startswith("x.csv: 1 problem\n")
    err = InputError("just this")
    assert str(err) == "just this" and err.failures.empty and list(err.failures.columns) == FAILURE_COLUMNS


def test_input_error_without_rows_raises_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        err = nhsrank.InputError.from_records("x.csv", [{"column": "quarter", "problem": "p"},
                                                        {"row": 3, "problem": "q"}])
        assert "row 3: q" in str(err)


def test_output_error_is_one_line_and_an_input_error():
    err = OutputError("/out/x.csv", "permission denied")
    assert str(err) == "cannot write /out/x.csv: permission denied" and isinstance(err, InputError)
    assert err.failures[["source", "problem"]].values.tolist() == [["/out/x.csv",
                                                                     "cannot write the output: permission denied"]]
    assert (err.path, err.reason) == ("/out/x.csv", "permission denied")


def test_the_warning_and_the_methodology_error_are_of_the_standard_kinds():
    assert issubclass(InputWarning, UserWarning) and issubclass(MethodologyError, ValueError)
    assert nhsrank.InputError is InputError
