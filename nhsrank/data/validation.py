"""Checks applied to every input table at the boundary.

Three layers, all collected and raised together as one :class:`InputError`:

1. parsing: numbers (``"85%"`` is read as 0.85: the % sign makes the meaning
   unambiguous; ``"1,234"`` as 1234), yes/no flags;
2. the pandera schemas of :mod:`nhsrank.data.schemas` (types, allowed values,
   ranges, cell by cell, lazily);
3. cross-row rules: duplicate trust x metric x quarter rows, a trust under two
   trust types; and, once the methodology is known
   (:func:`check_metrics_for_methodology`), unknown metric ids, values
   outside a metric's valid range (with a hint when 85 looks like 85%), and
   numerators above denominators for proportion (binomial) metrics.
"""
from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from ..errors import InputError, shown
from ..rules.checks import (FRACTION_UNITS, PROPORTION_TOLERANCE, check_metrics_for_methodology,  # noqa: F401
                            problem_at, raise_problems)
from .schemas import ATTRIBUTES_SCHEMA, METRICS_SCHEMA, schema_failures

# A units column saying the value is a percentage (NHS England's published
# file: Units "%" with 9.03 meaning 9.03%, "percentage points" for changes)
PERCENT_UNITS = {"%", "percent", "per cent", "percentage", "percentages", "percentage points",
                 "percentage point", "% points", "pp"}

_TRUE = {"true", "t", "yes", "y", "1", "1.0"}
_FALSE = {"false", "f", "no", "n", "0", "0.0"}


def parse_numbers(text: pd.Series, allow_percent: bool = True) -> tuple[pd.Series, pd.Series]:
    """Parse a text column as numbers: ``"85%"`` -> 0.85, ``"1,234"`` -> 1234.

    Returns (numbers, bad) where ``bad`` marks non-empty cells that are not
    numbers. A comma is read only as a thousands separator (``"12,345"``):
    ``"0,85"`` (a decimal comma) is bad, not 85. Infinite values are bad.
    With ``allow_percent=False`` (counts: numerators, denominators) a cell
    with a % sign is bad. :func:`number_problem` says why a cell is bad.

    Examples
    --------
    >>> nums, bad = parse_numbers(pd.Series(["85%", "0.5", "1,234", "n/a", None, "0,85", "inf"]))
    >>> nums.tolist()[:3], bad.tolist()
    ([0.85, 0.5, 1234.0], [False, False, False, True, False, True, True])
    """
    t = text.astype("string").str.strip()
    pct = t.str.endswith("%", na=False)
    body = t.str.rstrip("%").str.strip()
    thousands = body.str.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", na=False)
    cleaned = body.where(~thousands, body.str.replace(",", "", regex=False))
    cleaned = cleaned.where(~cleaned.str.contains(",", regex=False, na=False), pd.NA)
    num = pd.to_numeric(cleaned, errors="coerce").astype(float)
    num = num.where(np.isfinite(num.to_numpy()), np.nan)
    num = num.where(~pct, num / 100.0)
    if not allow_percent:
        num = num.where(~pct, np.nan)
    bad = num.isna() & t.notna() & (t != "")
    return num, bad.fillna(False).astype(bool)


def number_problem(cell, allow_percent: bool = True) -> str:
    """The message for a cell :func:`parse_numbers` could not read.

    Examples
    --------
    >>> number_problem("0,85")
    "expected a number, found '0,85' (a decimal comma? write 0.85)"
    """
    text = str(cell).strip()
    found = f"expected a number, found {text!r}"
    body = text.rstrip("%").strip()
    if text.startswith("#"):
        return found + " (an Excel error: fix the formula, or leave the cell blank if there is no figure)"
    if not allow_percent and text.endswith("%"):
        return found + " (a count, not a percentage: give the number of cases)"
    if "," in body and body.replace(",", "", 1).replace(".", "", 1).lstrip("+-").isdigit():
        return found + f" (a decimal comma? write {body.replace(',', '.', 1)})"
    try:
        if not np.isfinite(float(body)):
            return f"expected a finite number, found {text!r}"
    except ValueError:
        pass
    return found


#: characters a trust code may hold (ODS codes are letters and digits; synthetic codes add a hyphen)
_CODE_CHARS = re.compile(r"^[A-Za-z0-9-]+$")


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, None)
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def trust_code_problems(df: pd.DataFrame) -> list[dict]:
    """Trust codes with invisible or non-ASCII characters, and one trust name under two codes in a quarter.

    Either would rank one trust twice (half its rows under each spelling).

    Examples
    --------
    >>> df = pd.DataFrame({"trust_code": ["RX1", "RX1\u200b", "RXO"], "trust_name": ["A", "A", "B"],
    ...                    "quarter": ["2025-26-Q1"] * 3, "_row": [2, 3, 4]})
    >>> [p["problem"][:45] for p in trust_code_problems(df)]
    ['trust code contains U+200B ZERO WIDTH SPACE (', 'trust name A appears under 2 codes in 2025-26']
    """
    problems = []
    codes = df.dropna(subset=["trust_code"]).drop_duplicates("trust_code")
    for r in codes.itertuples():
        code = str(r.trust_code)
        if not _CODE_CHARS.match(code):
            odd = sorted({c for c in code if not re.match(r"[A-Za-z0-9-]", c)})
            problems.append({"row": int(r._asdict().get("_row", 0) or 0) or None, "trust_code": code,
                             "column": "trust_code",
                             "problem": f"trust code contains {', '.join(map(_describe, odd))} (invisible or "
                                        "not a plain letter or digit: pasted text?); retype the code"})
    if "trust_name" in df.columns:
        named = df.dropna(subset=["trust_code", "trust_name"])
        named = named[named["trust_name"].astype(str) != named["trust_code"].astype(str)]
        per = named.groupby(["quarter", "trust_name"])["trust_code"].unique()
        for (q, name), cs in per.items():
            if len(cs) > 1:
                first = named.loc[(named["quarter"] == q) & (named["trust_name"] == name), "_row"].min()
                problems.append({"row": int(first), "trust_code": ", ".join(sorted(map(str, cs))),
                                 "column": "trust_code",
                                 "problem": f"trust name {name} appears under {len(cs)} codes in {q} "
                                            f"({', '.join(sorted(map(repr, map(str, cs))))}): one trust or several? "
                                            "Use one code"})
    return problems


def validate_metrics(df: pd.DataFrame, source: str, methodology=None) -> pd.DataFrame:
    """Check a canonical metrics table; return it with numeric columns converted.

    With a ``methodology``, the rows that pass the checks above are also
    checked against it (:func:`check_metrics_for_methodology`) and every
    problem is reported together.

    Parameters
    ----------
    df : pandas.DataFrame
        The metrics as read, with canonical column names.
    source : str
        The file named in errors.
    methodology : Methodology or None, default None
        The rules to check metric ids, ranges and proportions against.

    Returns
    -------
    pandas.DataFrame
        The table with numeric columns converted.

    Raises
    ------
    nhsrank.errors.InputError
        Every problem found, with file, row, trust and column.
    """
    df = df.copy()
    problems: list[dict] = []
    written_pct = {c: df[c].astype("string").str.strip().str.endswith("%").fillna(False).astype(bool)
                   for c in ("value", "published_median") if c in df.columns}
    for col in ("value", "numerator", "denominator", "standard_error"):
        counts = col in ("numerator", "denominator")
        num, bad = parse_numbers(df[col], allow_percent=not counts)
        for idx in df.index[bad]:
            problems.append(problem_at(df, idx, col, number_problem(df.at[idx, col], allow_percent=not counts)))
        df[col] = num
    if "published_median" in df.columns:
        df["published_median"] = parse_numbers(df["published_median"])[0]
    warn_fractions_in_percent_rows(df, source, skip=written_pct.get("value"))
    df.attrs["percent_units_converted"] = convert_percent_units(df, methodology, skip=written_pct)
    problems += schema_failures(METRICS_SCHEMA, df)
    dup = df.duplicated(["trust_code", "quarter", "metric_id"], keep=False) & df["trust_code"].notna()
    for (code, q, mid), grp in df[dup].groupby(["trust_code", "quarter", "metric_id"], sort=True):
        rows = ", ".join(str(r) for r in grp["_row"])
        problems.append({"row": int(grp["_row"].iloc[0]), "trust_code": code, "column": "metric_id",
                         "problem": f"duplicate rows for metric {mid} in {q} (rows {rows}); keep one"})
    codes = pd.Series(df["trust_code"].dropna().unique(), dtype="string")
    for _, same in codes.groupby(codes.str.upper()):
        if len(same) > 1:
            spellings = sorted(same)
            first = df.loc[df["trust_code"] == spellings[1], "_row"].iloc[0]
            problems.append({"row": int(first), "trust_code": spellings[1], "column": "trust_code",
                             "problem": f"trust codes {', '.join(map(repr, spellings))} differ only in upper/lower "
                                        "case: one trust or several? Use one spelling"})
    problems += trust_code_problems(df)
    types = df.dropna(subset=["trust_code", "trust_type"]).groupby("trust_code")["trust_type"].unique()
    for code, tt in types.items():
        if len(tt) > 1:
            rows = df.loc[df["trust_code"] == code].groupby("trust_type")["_row"].first()
            where = "; ".join(f"{t} (first at row {r})" for t, r in rows.items())
            problems.append({"trust_code": code, "column": "trust_type",
                             "problem": f"trust listed under several trust types: {where}"})
    if methodology is not None:
        from ..rules.methodology import load_methodology

        bad_rows = {r.get("row") for r in problems}
        clean = df[~df["_row"].isin(bad_rows) & df["trust_type"].notna() & df["metric_id"].notna()]
        try:
            check_metrics_for_methodology(clean, load_methodology(methodology), source)
        except InputError as exc:
            problems += exc.failures.drop(columns="source").to_dict("records")
    if problems:
        raise_problems(source, problems)
    return df


#: units of a level in percent (a change in percentage points is left alone: 0.5 points is no fraction)
PERCENT_LEVEL_UNITS = PERCENT_UNITS - {"percentage points", "percentage point", "% points", "pp"}
#: fewest other values of the metric the rule needs to judge a value
FRACTION_RULE_MIN_OTHERS = 5


def _loo_quantile(a: np.ndarray, k: np.ndarray, q: float) -> np.ndarray:
    """Quantile ``q`` (linear, as ``np.quantile``) of the sorted array ``a`` without its element ``k``,
    for every index in ``k`` at once."""
    n = len(a) - 1
    pos = q * (n - 1)
    lo = int(np.floor(pos))
    hi = min(lo + 1, n - 1)

    def at(j):
        return a[j + (j >= k)]

    return at(lo) + (pos - lo) * (at(hi) - at(lo))


def fractions_in_percent_rows(df: pd.DataFrame, skip: pd.Series | None = None) -> pd.DataFrame:
    """Rows whose units say percent but whose value looks like a fraction pasted in (67% written 0.67).

    The rule judges each value ``v`` with ``0 < v <= 1`` against the metric's own distribution:
    the other values of the same metric (every trust and quarter of the file) in rows whose
    ``units`` say percent (a level: "%", "percent", not "percentage points") and whose cell has
    no % sign; at least :data:`FRACTION_RULE_MIN_OTHERS` of them. ``v`` is suspect when

    1. it stands apart below the others: the gap from ``v`` up to the next value of the metric is
       wider than the others' interquartile range (a genuine small percentage sits in a lower tail
       that reaches down to it, as the acute file's 0.17% on OF0014 does among 0, 0.35 and 0.7);
    2. it lies below the others' lower quartile; and
    3. read as a fraction it is an ordinary value: ``100 v`` is at most half as far from the
       others' median as ``v`` is.

    Nothing is rescaled: the caller warns. Returns the suspect rows with the others' median
    (``typical``).

    Examples
    --------
    >>> df = pd.DataFrame({"metric_id": ["M"] * 6, "units": ["%"] * 6, "trust_code": list("ABCDEF"),
    ...                    "value": [67.1, 70.2, 0.6735, 64.0, 72.5, 69.9], "_row": range(2, 8)})
    >>> fractions_in_percent_rows(df)[["_row", "trust_code", "value", "typical"]].values.tolist()
    [[4, 'C', 0.6735, 69.9]]

    A small percentage in a lower tail that reaches it is no fraction (gap 0.7 < IQR 1.3):

    >>> small = df.assign(value=[1.2, 2.5, 0.5, 3.1, 4.0, 1.8])
    >>> len(fractions_in_percent_rows(small))
    0
    """
    empty = df.iloc[0:0].assign(typical=pd.Series(dtype=float))
    if "units" not in df.columns or df.empty:
        return empty
    units = df["units"].astype("string").str.strip().str.lower()
    value = pd.to_numeric(df["value"], errors="coerce")
    pct = units.isin(PERCENT_LEVEL_UNITS).fillna(False).astype(bool) & value.notna()
    if skip is not None:
        pct &= ~skip.reindex(df.index, fill_value=False).astype(bool)
    sub = df[pct]
    v_all = value[pct]
    out = []
    for mid in sub.loc[(v_all > 0) & (v_all <= 1), "metric_id"].unique():
        rows = sub["metric_id"] == mid
        v = v_all[rows].to_numpy(dtype=float)
        if len(v) - 1 < FRACTION_RULE_MIN_OTHERS:
            continue
        order = np.argsort(v, kind="stable")
        a = v[order]
        k = np.flatnonzero((a > 0) & (a <= 1) & (np.arange(len(a)) < len(a) - 1))   # candidates, sorted positions
        if not len(k):
            continue
        q1, med, q3 = (_loo_quantile(a, k, q) for q in (0.25, 0.5, 0.75))
        x = a[k]
        gap = a[k + 1] - x
        hit = (gap > q3 - q1) & (x < q1) & (np.abs(100 * x - med) <= np.abs(x - med) / 2)
        if hit.any():
            picked = sub[rows].iloc[order[k[hit]]]
            out.append(picked.assign(typical=med[hit]))
    if not out:
        return empty
    return pd.concat(out).sort_values("_row") if "_row" in df.columns else pd.concat(out)


def warn_fractions_in_percent_rows(df: pd.DataFrame, source: str, skip: pd.Series | None = None) -> int:
    """Warn (:class:`~nhsrank.errors.InputWarning`) for each row :func:`fractions_in_percent_rows`
    finds, naming file, row, trust and column; returns how many."""
    import warnings

    from ..errors import InputWarning

    hits = fractions_in_percent_rows(df, skip)
    for r in hits.to_dict("records"):
        v = r["value"]
        warnings.warn(f"{source}: row {r['_row']}, trust {r['trust_code']}, column 'value': {v:g} among "
                      f"{r['metric_id']} values like {r['typical']:g} whose units say percent: a fraction pasted "
                      f"into a percentage row? It is read as {v:g}%; if it means {v * 100:g}%, write {v * 100:g}",
                      InputWarning, stacklevel=4)
    return len(hits)


def convert_percent_units(df: pd.DataFrame, methodology=None, skip: dict | None = None) -> int:
    """Divide by 100, in place, the values (and published medians) whose ``units``
    cell says percent ("%", "percentage points", ...) when the methodology
    holds that metric as a fraction (unit proportion or ratio). Returns how
    many rows were converted.

    NHS England's published file writes 9.03 with Units "%" for 9.03%; the
    methodology's proportions are 0-1. The units column makes the reading
    unambiguous, as a % sign in the cell does. Without a methodology, the
    default one says which metric ids are fractions. ``skip`` maps a column
    to a mask of its cells written with a % sign (and so already divided).

    Examples
    --------
    >>> df = pd.DataFrame({"trust_type": ["acute", "acute"], "metric_id": ["OF0023", "OF0056"],
    ...                    "units": ["%", "%"], "value": [85.0, 12.0]})
    >>> convert_percent_units(df), df["value"].tolist()
    (1, [0.85, 12.0])
    """
    if "units" not in df.columns or df.empty:
        return 0
    from ..rules.methodology import DEFAULT_METHODOLOGY, load_methodology

    meth = load_methodology(methodology if methodology is not None else DEFAULT_METHODOLOGY)
    # the catalogue holds each metric once, whatever the trust type that reports it
    spec = meth.catalogue()
    fraction = set(spec.loc[spec["unit"].isin(FRACTION_UNITS), "metric_id"])
    units = df["units"].astype("string").str.strip().str.lower()
    is_fraction = df["metric_id"].isin(fraction).fillna(False).astype(bool)
    mask = units.isin(PERCENT_UNITS).fillna(False).astype(bool) & is_fraction
    skip = skip or {}
    for col in ("value", "published_median"):
        if col in df.columns:
            m = mask & ~skip.get(col, pd.Series(False, index=df.index)).reindex(df.index, fill_value=False)
            df.loc[m, col] = df.loc[m, col] / 100.0
    value_skip = skip.get("value", pd.Series(False, index=df.index)).reindex(df.index, fill_value=False)
    return int((mask & ~value_skip).sum())


def _flag(df: pd.DataFrame, col: str, problems: list) -> None:
    if col not in df.columns:
        import difflib
        near = difflib.get_close_matches(col, [str(c) for c in df.columns], n=1, cutoff=0.8)
        if near:  # 'financial_defecit' would otherwise quietly mean "no trust is in deficit"
            problems.append({"row": None, "trust_code": None, "column": near[0],
                             "problem": f"unknown column {near[0]!r}: did you mean {col!r}? Rename it"})
        df[col] = False
        return
    text = df[col].astype("string").str.strip().str.lower().fillna("")
    bad = ~text.isin(_TRUE | _FALSE)
    for idx in df.index[bad]:
        found = shown(df.at[idx, col])
        hint = "; write no (or false, 0) if it does not apply" if found == "a blank cell" else ""
        problems.append(problem_at(df, idx, col, f"expected true/false (or yes/no, 1/0), found {found}{hint}"))
    df[col] = text.isin(_TRUE).astype(bool)


def warn_attribute_codes(metrics: pd.DataFrame, attributes: pd.DataFrame | None) -> int:
    """Warn (:class:`~nhsrank.errors.InputWarning`) about attribute rows whose flags no trust of the data
    can use: a code that differs from a code of the data only in upper/lower case (its flags are not
    applied), and codes not in the data at all (a typo?). Returns how many rows were named.

    The command line and the Python API (``nhsrank.league_table(..., attributes=...)``) both call it.

    Examples
    --------
    >>> import warnings
    >>> m = pd.DataFrame({"trust_code": ["RX1", "RX2"]})
    >>> a = pd.DataFrame({"trust_code": ["RX1", "rx2", "RZZ"], "_row": [2, 3, 4]})
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     warn_attribute_codes(m, a)
    2
    >>> print(w[0].message)  # doctest: +NORMALIZE_WHITESPACE
    attributes: row 3, trust rx2, column 'trust_code': the data write this trust 'RX2' (upper/lower case
    differs), so its flags are not applied; write RX2
    """
    import warnings

    from ..errors import InputWarning

    if attributes is None or metrics is None or attributes.empty:
        return 0
    source = attributes.attrs.get("source", "attributes")
    known = set(metrics["trust_code"].dropna().astype(str))
    upper = {c.upper(): c for c in known}
    rows = attributes.dropna(subset=["trust_code"])
    rows = rows[~rows["trust_code"].astype(str).isin(known)]
    unknown = []
    for r in rows.to_dict("records"):
        code = str(r["trust_code"])
        where = f"row {int(r['_row'])}, " if not pd.isna(r.get("_row", np.nan)) else ""
        match = upper.get(code.upper())
        if match is not None:
            warnings.warn(f"{source}: {where}trust {code}, column 'trust_code': the data write this trust {match!r} "
                          f"(upper/lower case differs), so its flags are not applied; write {match}",
                          InputWarning, stacklevel=3)
        else:
            unknown.append(f"{where}{code!r}".replace(", '", " '"))
    if unknown:
        shown_codes = "; ".join(unknown[:10]) + ("; ..." if len(unknown) > 10 else "")
        warnings.warn(f"{source}: {len(unknown)} trust code(s) of the attributes are not in the data, so their flags "
                      f"are unused (a typo, or another trust type's file?): {shown_codes}", InputWarning, stacklevel=3)
    return len(rows)


def validate_attributes(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check a trust attributes table.

    Parameters
    ----------
    df : pandas.DataFrame
        The attributes as read, text columns with canonical names.
    source : str
        The file named in errors.

    Returns
    -------
    pandas.DataFrame
        trust_code, quarter, financial_deficit, pip (booleans) and _row.

    Raises
    ------
    nhsrank.errors.InputError
        Every problem found, with file, row, trust and column.
    """
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
        raise_problems(source, problems)
    return df[["trust_code", "quarter", "financial_deficit", "pip", "_row"]].reset_index(drop=True)
