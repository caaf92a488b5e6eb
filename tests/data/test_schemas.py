"""nhsrank.data.schemas: the canonical tables' schemas, their failures in nhsrank's words (never pandera's)."""
import pandas as pd

from nhsrank.data.schemas import ATTRIBUTES_SCHEMA, METRICS_SCHEMA, schema_failures


def metrics(**over):
    row = {"trust_code": "A", "trust_type": "acute", "quarter": "2025-26-Q1", "metric_id": "M1", "value": 0.5,
           "numerator": 1.0, "denominator": 2.0, "standard_error": None}
    rows = [row, {**row, "trust_code": "B"}]
    for column, values in over.items():
        for r, v in zip(rows, values):
            r[column] = v
    df = pd.DataFrame(rows)
    df["_row"] = [5, 9]                                       # the rows as the spreadsheet shows them
    return df


def test_good_rows_have_no_failures():
    assert schema_failures(METRICS_SCHEMA, metrics()) == []
    assert schema_failures(METRICS_SCHEMA, metrics(value=[None, None], numerator=[0.0, None])) == []


def test_each_check_in_words_with_the_row_and_trust():
    df = metrics(trust_type=["acute", "dental"], quarter=["2025-26-Q5", "2025-26-Q1"], numerator=[-1.0, 1.0],
                 denominator=[2.0, 0.0], standard_error=[-0.5, None], trust_code=["A", ""])
    got = [(r["row"], r["trust_code"], r["column"], r["problem"]) for r in schema_failures(METRICS_SCHEMA, df)]
    assert got == [
        (5, "A", "quarter", "expected a quarter like 2025-26-Q1 (or 2025/26 Q1, Q1 2025/26), found '2025-26-Q5'"),
        (5, "A", "numerator", "must not be negative, found -1"),
        (5, "A", "standard_error", "must not be negative, found -0.5"),
        (9, "", "trust_code", "must not be empty, found a blank cell"),
        (9, "", "trust_type", "expected acute, non-acute (mental health and community) or ambulance, "
                              "found 'dental'"),
        (9, "", "denominator", "must be above 0, found 0"),
    ]


def test_a_missing_value_where_one_is_needed():
    df = metrics(metric_id=["M1", None])
    assert [(r["row"], r["column"], r["problem"]) for r in schema_failures(METRICS_SCHEMA, df)] == [
        (9, "metric_id", "value is missing")]


def test_a_missing_column_is_named_without_a_row():
    df = metrics().drop(columns="quarter")
    failures = schema_failures(METRICS_SCHEMA, df)
    assert failures == [{"column": "quarter", "problem": "missing column"}]


def test_without_row_numbers_the_row_is_counted_from_the_header():
    df = metrics(denominator=[2.0, -3.0]).drop(columns="_row")
    assert [(r["row"], r["trust_code"]) for r in schema_failures(METRICS_SCHEMA, df)] == [(3, "B")]


def test_the_attributes_schema_wants_true_or_false_flags():
    good = pd.DataFrame({"trust_code": ["A"], "financial_deficit": [True], "pip": [False], "_row": [2]})
    assert schema_failures(ATTRIBUTES_SCHEMA, good) == []
    bad = good.assign(pip=["maybe"])
    (failure,) = schema_failures(ATTRIBUTES_SCHEMA, bad)
    assert failure["column"] == "pip" and "bool" in failure["problem"] and "pandera" not in failure["problem"]
