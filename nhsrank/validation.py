"""Checks applied to every input table at the boundary.

All problems are collected and raised together as one :class:`InputError`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError

_TRUE = {"true", "t", "yes", "y", "1", "1.0"}
_FALSE = {"false", "f", "no", "n", "0", "0.0", ""}


def _numeric(df: pd.DataFrame, col: str, problems: list, required: bool) -> None:
    raw = df[col]
    text = raw.astype("string").str.strip()
    num = pd.to_numeric(text, errors="coerce")
    bad = num.isna() & text.notna() & (text != "")
    for idx in df.index[bad]:
        problems.append({"row": df.at[idx, "_row"], "trust_code": df.at[idx, "trust_code"], "column": col,
                         "problem": f"expected a number, found {str(raw[idx])!r}"})
    if required:
        for idx in df.index[num.isna() & ~bad]:
            problems.append({"row": df.at[idx, "_row"], "trust_code": df.at[idx, "trust_code"], "column": col,
                             "problem": "value is missing"})
    df[col] = num.astype(float)


def validate_metrics(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check a canonical metrics table; return it with numeric columns converted."""
    df = df.copy()
    problems: list[dict] = []
    for col in ("trust_code", "trust_type", "quarter", "metric_id"):
        for idx in df.index[df[col].isna() | (df[col].astype("string").str.len() == 0)]:
            problems.append({"row": df.at[idx, "_row"], "trust_code": df.at[idx, "trust_code"], "column": col,
                             "problem": "value is missing"})
    _numeric(df, "value", problems, required=False)
    for col in ("numerator", "denominator", "standard_error"):
        _numeric(df, col, problems, required=False)
    known_types = {"acute", "non-acute", "ambulance"}
    for idx in df.index[df["trust_type"].notna() & ~df["trust_type"].isin(known_types)]:
        problems.append({"row": df.at[idx, "_row"], "trust_code": df.at[idx, "trust_code"], "column": "trust_type",
                         "problem": f"unknown trust type {df.at[idx, 'trust_type']!r}; expected acute, "
                                    "non-acute (mental health and community) or ambulance"})
    dup = df.duplicated(["trust_code", "quarter", "metric_id"], keep=False) & df["trust_code"].notna()
    for (code, q, mid), grp in df[dup].groupby(["trust_code", "quarter", "metric_id"], sort=True):
        rows = ", ".join(str(r) for r in grp["_row"])
        problems.append({"row": int(grp["_row"].iloc[0]), "trust_code": code, "column": "metric_id",
                         "problem": f"duplicate rows for metric {mid} in {q} (rows {rows})"})
    types = df.dropna(subset=["trust_code", "trust_type"]).groupby("trust_code")["trust_type"].unique()
    for code, tt in types.items():
        if len(tt) > 1:
            problems.append({"trust_code": code, "column": "trust_type",
                             "problem": f"trust listed under several trust types: {', '.join(sorted(tt))}"})
    num, den = df["numerator"], df["denominator"]
    for idx in df.index[den.notna() & (den <= 0)]:
        problems.append({"row": df.at[idx, "_row"], "trust_code": df.at[idx, "trust_code"], "column": "denominator",
                         "problem": f"denominator must be positive, found {den[idx]:g}"})
    for idx in df.index[num.notna() & (num < 0)]:
        problems.append({"row": df.at[idx, "_row"], "trust_code": df.at[idx, "trust_code"], "column": "numerator",
                         "problem": f"numerator must not be negative, found {num[idx]:g}"})
    for idx in df.index[num.notna() & den.notna() & (num > den)]:
        problems.append({"row": df.at[idx, "_row"], "trust_code": df.at[idx, "trust_code"], "column": "numerator",
                         "problem": f"numerator {num[idx]:g} is above denominator {den[idx]:g}"})
    se = df["standard_error"]
    for idx in df.index[se.notna() & (se < 0)]:
        problems.append({"row": df.at[idx, "_row"], "trust_code": df.at[idx, "trust_code"],
                         "column": "standard_error", "problem": f"standard error must not be negative, found {se[idx]:g}"})
    if problems:
        raise InputError.from_records(source, problems)
    return df


def _flag(df: pd.DataFrame, col: str, problems: list) -> None:
    if col not in df.columns:
        df[col] = False
        return
    text = df[col].astype("string").str.strip().str.lower().fillna("")
    bad = ~text.isin(_TRUE | _FALSE)
    for idx in df.index[bad]:
        problems.append({"row": df.at[idx, "_row"], "trust_code": df.at[idx, "trust_code"], "column": col,
                         "problem": f"expected true/false (or yes/no, 1/0), found {df.at[idx, col]!r}"})
    df[col] = text.isin(_TRUE).astype(bool)


def validate_attributes(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check a trust attributes table; return trust_code, quarter, financial_deficit, pip."""
    df = df.copy()
    problems: list[dict] = []
    _flag(df, "financial_deficit", problems)
    _flag(df, "pip", problems)
    key = ["trust_code", "quarter"]
    dup = df.duplicated(key, keep=False)
    for (code, q), grp in df[dup].groupby(key, dropna=False):
        problems.append({"row": int(grp["_row"].iloc[0]), "trust_code": code, "column": "trust_code",
                         "problem": f"trust appears {len(grp)} times" + ("" if pd.isna(q) else f" in {q}")})
    if problems:
        raise InputError.from_records(source, problems)
    return df[["trust_code", "quarter", "financial_deficit", "pip", "_row"]].reset_index(drop=True)


def check_metrics_for_methodology(df: pd.DataFrame, methodology, source: str = "data") -> None:
    """Unknown metric ids and values outside a metric's valid range, as one InputError."""
    problems: list[dict] = []
    for tt, sub in df.groupby("trust_type"):
        if tt not in methodology.trust_types:
            continue
        spec = methodology.metrics(tt).set_index("metric_id")
        unknown = ~sub["metric_id"].isin(spec.index)
        for mid, grp in sub[unknown].groupby("metric_id"):
            problems.append({"row": int(grp["_row"].iloc[0]), "trust_code": grp["trust_code"].iloc[0],
                             "column": "metric_id",
                             "problem": f"metric {mid!r} ({len(grp)} rows) is not a {tt} metric of methodology "
                                        f"{methodology.id}; expected one of {', '.join(spec.index)}"})
        known = sub[~unknown]
        lo = known["metric_id"].map(spec["valid_min"])
        hi = known["metric_id"].map(spec["valid_max"])
        v = known["value"]
        out = v.notna() & ((lo.notna() & (v < lo)) | (hi.notna() & (v > hi)))
        for idx in known.index[out]:
            mid = known.at[idx, "metric_id"]
            hint = ""
            if spec.at[mid, "unit"] == "proportion" and 1 < v[idx] <= 100:
                hint = " (looks like a percentage: give proportions as 0-1, e.g. 0.85 for 85%)"
            problems.append({"row": known.at[idx, "_row"], "trust_code": known.at[idx, "trust_code"],
                             "column": "value",
                             "problem": f"{mid} value {v[idx]:g} is outside its valid range "
                                        f"[{lo[idx]:g}, {hi[idx]:g}]{hint}"})
    if problems:
        raise InputError.from_records(source, problems)
