"""Checks applied to every input table at the boundary.

Three layers, all collected and raised together as one :class:`InputError`:

1. parsing: numbers (``"85%"`` is read as 0.85: the % sign makes the meaning
   unambiguous; ``"1,234"`` as 1234), yes/no flags;
2. the pandera schemas of :mod:`nhsrank.schemas` (types, allowed values,
   ranges, cell by cell, lazily);
3. cross-row rules: duplicate trust x metric x quarter rows, a trust under two
   trust types; and, once the methodology is known
   (:func:`check_metrics_for_methodology`), unknown metric ids, values
   outside a metric's valid range (with a hint when 85 looks like 85%), and
   numerators above denominators for proportion (binomial) metrics.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError
from .schemas import ATTRIBUTES_SCHEMA, METRICS_SCHEMA, schema_failures

_TRUE = {"true", "t", "yes", "y", "1", "1.0"}
_FALSE = {"false", "f", "no", "n", "0", "0.0", ""}


def _where(df: pd.DataFrame, idx, column: str, problem: str) -> dict:
    return {"row": int(df.at[idx, "_row"]), "trust_code": df.at[idx, "trust_code"], "column": column,
            "problem": problem}


def parse_numbers(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a text column as numbers: ``"85%"`` -> 0.85, ``"1,234"`` -> 1234.

    Returns (numbers, bad) where ``bad`` marks non-empty cells that are not numbers.

    Examples
    --------
    >>> nums, bad = parse_numbers(pd.Series(["85%", "0.5", "1,234", "n/a", None]))
    >>> nums.tolist()[:3], bad.tolist()
    ([0.85, 0.5, 1234.0], [False, False, False, True, False])
    """
    t = text.astype("string").str.strip()
    pct = t.str.endswith("%", na=False)
    cleaned = t.str.rstrip("%").str.strip().str.replace(",", "", regex=False)
    num = pd.to_numeric(cleaned, errors="coerce").astype(float)
    num = num.where(~pct, num / 100.0)
    bad = num.isna() & t.notna() & (t != "")
    return num, bad.fillna(False).astype(bool)


def _raise(source: str, problems: list[dict]) -> None:
    problems = sorted(problems, key=lambda r: -1 if r.get("row") is None else r["row"])
    raise InputError.from_records(source, problems)


def validate_metrics(df: pd.DataFrame, source: str, methodology=None) -> pd.DataFrame:
    """Check a canonical metrics table; return it with numeric columns converted.

    With a ``methodology``, the rows that pass the checks above are also
    checked against it (:func:`check_metrics_for_methodology`) and every
    problem is reported together.

    Raises
    ------
    InputError : every problem found, with file, row, trust and column.
    """
    df = df.copy()
    problems: list[dict] = []
    for col in ("value", "numerator", "denominator", "standard_error"):
        num, bad = parse_numbers(df[col])
        for idx in df.index[bad]:
            problems.append(_where(df, idx, col, f"expected a number, found {str(df.at[idx, col])!r}"))
        df[col] = num
    problems += schema_failures(METRICS_SCHEMA, df)
    dup = df.duplicated(["trust_code", "quarter", "metric_id"], keep=False) & df["trust_code"].notna()
    for (code, q, mid), grp in df[dup].groupby(["trust_code", "quarter", "metric_id"], sort=True):
        rows = ", ".join(str(r) for r in grp["_row"])
        problems.append({"row": int(grp["_row"].iloc[0]), "trust_code": code, "column": "metric_id",
                         "problem": f"duplicate rows for metric {mid} in {q} (rows {rows}); keep one"})
    types = df.dropna(subset=["trust_code", "trust_type"]).groupby("trust_code")["trust_type"].unique()
    for code, tt in types.items():
        if len(tt) > 1:
            rows = df.loc[df["trust_code"] == code].groupby("trust_type")["_row"].first()
            where = "; ".join(f"{t} (first at row {r})" for t, r in rows.items())
            problems.append({"trust_code": code, "column": "trust_type",
                             "problem": f"trust listed under several trust types: {where}"})
    if methodology is not None:
        from .methodology import load_methodology

        bad_rows = {r.get("row") for r in problems}
        clean = df[~df["_row"].isin(bad_rows) & df["trust_type"].notna() & df["metric_id"].notna()]
        try:
            check_metrics_for_methodology(clean, load_methodology(methodology), source)
        except InputError as exc:
            problems += exc.failures.drop(columns="source").to_dict("records")
    if problems:
        _raise(source, problems)
    return df


def _flag(df: pd.DataFrame, col: str, problems: list) -> None:
    if col not in df.columns:
        df[col] = False
        return
    text = df[col].astype("string").str.strip().str.lower().fillna("")
    bad = ~text.isin(_TRUE | _FALSE)
    for idx in df.index[bad]:
        problems.append(_where(df, idx, col, f"expected true/false (or yes/no, 1/0), found {df.at[idx, col]!r}"))
    df[col] = text.isin(_TRUE).astype(bool)


def validate_attributes(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check a trust attributes table; return trust_code, quarter, financial_deficit, pip, _row."""
    df = df.copy()
    problems: list[dict] = []
    _flag(df, "financial_deficit", problems)
    _flag(df, "pip", problems)
    problems += schema_failures(ATTRIBUTES_SCHEMA, df)
    key = ["trust_code", "quarter"]
    dup = df.duplicated(key, keep=False)
    for (code, q), grp in df[dup].groupby(key, dropna=False):
        rows = ", ".join(str(r) for r in grp["_row"])
        problems.append({"row": int(grp["_row"].iloc[0]), "trust_code": code, "column": "trust_code",
                         "problem": f"trust appears {len(grp)} times" + ("" if pd.isna(q) else f" in {q}")
                                    + f" (rows {rows}); keep one"})
    if problems:
        raise InputError.from_records(source, problems)
    return df[["trust_code", "quarter", "financial_deficit", "pip", "_row"]].reset_index(drop=True)


def check_metrics_for_methodology(df: pd.DataFrame, methodology, source: str = "data") -> None:
    """Unknown metric ids, values outside a metric's valid range and numerators
    above denominators of proportion metrics, as one InputError."""
    problems: list[dict] = []
    for tt, sub in df.groupby("trust_type"):
        if tt not in methodology.trust_types:
            continue
        spec = methodology.metrics(tt).set_index("metric_id")
        unknown = ~sub["metric_id"].isin(spec.index)
        for mid, grp in sub[unknown].groupby("metric_id"):
            problems.append({"row": int(grp["_row"].iloc[0]), "trust_code": grp["trust_code"].iloc[0],
                             "column": "metric_id",
                             "problem": f"metric {mid!r} ({len(grp)} rows) is not among the {tt} metrics of methodology "
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
                hint = (f" (looks like a percentage: give proportions as 0-1, e.g. {v[idx] / 100:g} "
                        f"for {v[idx]:g}%, or write '{v[idx]:g}%')")
            problems.append(_where(known, idx, "value", f"{mid} value {v[idx]:g} is outside its valid range "
                                                         f"[{lo[idx]:g}, {hi[idx]:g}]{hint}"))
        binomial = known["metric_id"].map(spec["sampling"]) == "binomial"
        num, den = known["numerator"], known["denominator"]
        for idx in known.index[binomial & num.notna() & den.notna() & (num > den)]:
            problems.append(_where(known, idx, "numerator", f"numerator {num[idx]:g} is above denominator "
                                                             f"{den[idx]:g} for proportion metric "
                                                             f"{known.at[idx, 'metric_id']}"))
    if problems:
        _raise(source, problems)
