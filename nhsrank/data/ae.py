"""The project's real-data case: NHS England monthly A&E attendances (2016-2019).

:func:`ae_to_canonical` turns (and :func:`nhsrank.read_ae_attendances` reads) the monthly file (period, org_code, type,
attendances, breaches, admissions) into the canonical long format: one row per
organisation per financial quarter with metric ``AE4HR``, the share of all A&E
attendances (types 1, 2 and other) seen within 4 hours, numerator
(attendances - breaches) and denominator (attendances). Ranked with the
``ae-4hr`` methodology: a single continuous metric, quartile segments.

Organisations with a type 1 (major) department in any month are ``acute``;
the rest (minor injury units, walk-in centres run by community trusts and
others) are ``non-acute``. The file has no trust names, so the organisation
code stands for the name.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError, shown

AE_METRIC_ID = "AE4HR"
AE_METHODOLOGY = "ae-4hr"
AE_COLUMNS = ["period", "org_code", "type", "attendances", "breaches"]


def is_ae_attendances(df: pd.DataFrame) -> bool:
    """True if a raw table has the A&E attendances file's columns."""
    cols = {str(c).strip().lower() for c in df.columns}
    return set(AE_COLUMNS) <= cols


def financial_quarter(dates: pd.Series) -> pd.Series:
    """'2017-03-01' -> '2016-17-Q4' (NHS financial years start in April).

    Examples
    --------
    >>> financial_quarter(pd.Series(["2016-04-01", "2017-03-01"])).tolist()
    ['2016-17-Q1', '2016-17-Q4']
    """
    d = pd.to_datetime(dates)
    start = np.where(d.dt.month >= 4, d.dt.year, d.dt.year - 1)
    q = ((d.dt.month - 4) % 12) // 3 + 1
    return pd.Series([f"{s}-{(s + 1) % 100:02d}-Q{k}" for s, k in zip(start, q)], index=dates.index)


def ae_to_canonical(raw: pd.DataFrame, source: str = "A&E attendances") -> pd.DataFrame:
    """Aggregate the monthly A&E table to quarterly canonical rows (see module doc)."""
    df = raw.rename(columns={c: str(c).strip().lower() for c in raw.columns}).copy()
    problems = []
    for col in ("attendances", "breaches"):
        num = pd.to_numeric(df[col], errors="coerce")
        for idx in df.index[num.isna()]:
            problems.append({"row": idx + 2, "trust_code": df.at[idx, "org_code"], "column": col,
                             "problem": f"expected a number, found {shown(df.at[idx, col])}"})
        df[col] = num
    periods = pd.to_datetime(df["period"], errors="coerce")
    for idx in df.index[periods.isna()]:
        problems.append({"row": idx + 2, "trust_code": df.at[idx, "org_code"], "column": "period",
                         "problem": f"expected a date like 2017-03-01, found {shown(df.at[idx, 'period'])}"})
    bad = df["breaches"] > df["attendances"]
    for idx in df.index[bad]:
        problems.append({"row": idx + 2, "trust_code": df.at[idx, "org_code"], "column": "breaches",
                         "problem": f"breaches {df.at[idx, 'breaches']:g} above attendances "
                                    f"{df.at[idx, 'attendances']:g}"})
    if problems:
        raise InputError.from_records(source, problems)
    df["quarter"] = financial_quarter(df["period"].astype(str))
    df["org_code"] = df["org_code"].astype(str).str.strip()
    acute = set(df.loc[df["type"].astype(str).str.strip() == "1", "org_code"])
    g = df.groupby(["org_code", "quarter"], sort=True).agg(
        attendances=("attendances", "sum"), breaches=("breaches", "sum"), months=("period", "nunique")
    ).reset_index()
    g = g[g["attendances"] > 0]
    out = pd.DataFrame({
        "trust_code": g["org_code"],
        "trust_name": g["org_code"],
        "trust_type": np.where(g["org_code"].isin(acute), "acute", "non-acute"),
        "quarter": g["quarter"],
        "metric_id": AE_METRIC_ID,
        "value": (g["attendances"] - g["breaches"]) / g["attendances"],
        "numerator": g["attendances"] - g["breaches"],
        "denominator": g["attendances"],
        "standard_error": np.nan,
    })
    return out.reset_index(drop=True)
