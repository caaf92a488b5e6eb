"""pandera schemas of the canonical tables, and translation of their failures.

The schemas check types and ranges cell by cell (``lazy=True``: every failure
at once); :func:`schema_failures` turns pandera's ``failure_cases`` into
nhsrank's failures table (row as the spreadsheet shows it, trust, column,
what was expected) so users never see pandera's internals.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..errors import shown

TRUST_TYPES = ["acute", "non-acute", "ambulance"]
QUARTER_PATTERN = r"^\d{4}-\d{2}-Q[1-4]$"


def _text(name: str) -> pa.Column:
    return pa.Column("string", pa.Check.str_length(min_value=1, error="must not be empty"), nullable=False,
                     coerce=True, title=name)


METRICS_SCHEMA = pa.DataFrameSchema(
    {
        "trust_code": _text("trust_code"),
        "trust_type": pa.Column("string", pa.Check.isin(TRUST_TYPES, error=(
            "expected acute, non-acute (mental health and community) or ambulance")), nullable=False, coerce=True),
        "quarter": pa.Column("string", pa.Check.str_matches(QUARTER_PATTERN, error=(
            "expected a quarter like 2025-26-Q1 (or 2025/26 Q1, Q1 2025/26)")), nullable=False, coerce=True),
        "metric_id": _text("metric_id"),
        "value": pa.Column(float, nullable=True, coerce=True),
        "numerator": pa.Column(float, pa.Check.ge(0, error="must not be negative"), nullable=True, coerce=True),
        "denominator": pa.Column(float, pa.Check.gt(0, error="must be above 0"), nullable=True, coerce=True),
        "standard_error": pa.Column(float, pa.Check.ge(0, error="must not be negative"), nullable=True, coerce=True),
    },
    strict=False,
    name="canonical metrics",
)

ATTRIBUTES_SCHEMA = pa.DataFrameSchema(
    {
        "trust_code": _text("trust_code"),
        "financial_deficit": pa.Column(bool, nullable=False),
        "pip": pa.Column(bool, nullable=False),
    },
    strict=False,
    name="trust attributes",
)


def schema_failures(schema: pa.DataFrameSchema, df: pd.DataFrame) -> list[dict]:
    """Validate ``df`` lazily; return nhsrank failure records (empty if valid).

    ``df`` needs a ``_row`` column (spreadsheet row numbers) and may have a
    ``trust_code`` column; both are used to say where each failure is.

    Examples
    --------
    >>> df = pd.DataFrame({"trust_code": ["A", "B"], "trust_type": ["acute", "acut"],
    ...     "quarter": ["2025-26-Q1"] * 2, "metric_id": ["M1"] * 2, "value": [1.0, 2.0],
    ...     "numerator": [1.0, -1.0], "denominator": [2.0, 2.0], "standard_error": [None, None], "_row": [2, 3]})
    >>> [(r["row"], r["column"]) for r in schema_failures(METRICS_SCHEMA, df)]
    [(3, 'trust_type'), (3, 'numerator')]
    """
    try:
        schema.validate(df, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    records = []
    for case in cases.itertuples(index=False):
        column = case.column
        idx = case.index
        check = str(case.check)
        if idx is None or pd.isna(idx):
            if "column_in_dataframe" in check:      # pandera names the schema as the column, the column as found
                records.append({"column": case.failure_case, "problem": "missing column"})
                continue
            problem = f"expected {check.replace('dtype(', '').rstrip(')')} values, found {case.failure_case}"
            records.append({"column": column, "problem": problem})
            continue
        row = int(df.at[idx, "_row"]) if "_row" in df.columns else int(idx) + 2
        trust = df.at[idx, "trust_code"] if "trust_code" in df.columns else None
        found = case.failure_case
        if "not_nullable" in check or found is None or (not isinstance(found, str) and pd.isna(found)):
            problem = "value is missing"
        elif isinstance(found, float):
            problem = f"{check}, found {found:g}"
        else:
            problem = f"{check}, found {shown(found)}"
        records.append({"row": row, "trust_code": trust, "column": column, "problem": problem})
    order = {c: i for i, c in enumerate(df.columns)}
    records.sort(key=lambda r: (-1 if r.get("row") is None else r["row"], order.get(r["column"], 99)))
    return records
