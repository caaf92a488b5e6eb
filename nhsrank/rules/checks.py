"""Checks of the data against the rules of a methodology.

Unknown metric ids, a trust type the methodology has no table for, values
outside a metric's valid range, numerators above denominators of proportion
metrics: each found problem names its row, trust and column, and all of them
are raised together as one :class:`~nhsrank.InputError`.
"""
from __future__ import annotations

import pandas as pd

from ..errors import InputError

# methodology units held as fractions (0.85 means 85%): such metrics get
# percent-unit values divided by 100; other units (score, rate, days) are
# given in the methodology in the units NHS England publishes them in
FRACTION_UNITS = {"proportion", "ratio"}

# largest gap allowed between a proportion metric's value and numerator / denominator
# (published values are rounded: 0.1 percentage point is far above rounding)
PROPORTION_TOLERANCE = 0.001


def problem_at(df: pd.DataFrame, idx, column: str, problem: str) -> dict:
    """One problem as a record of :meth:`~nhsrank.InputError.from_records`: the file row (``_row``) and trust
    of row ``idx`` of ``df``, the column and what is wrong. Shared with :mod:`nhsrank.data.validation`."""
    return {"row": int(df.at[idx, "_row"]), "trust_code": df.at[idx, "trust_code"], "column": column,
            "problem": problem}


def raise_problems(source: str, problems: list[dict]) -> None:
    """Raise every problem found in ``source`` as one :class:`~nhsrank.InputError`, in file-row order
    (problems without a row first). Shared with :mod:`nhsrank.data.validation`."""
    problems = sorted(problems, key=lambda r: -1 if r.get("row") is None else r["row"])
    raise InputError.from_records(source, problems)


def check_metrics_for_methodology(df: pd.DataFrame, methodology, source: str = "data") -> None:
    """Check a metrics table against a methodology, raising every problem as one InputError.

    Finds trust types the methodology has no table for, unknown metric ids (not in the
    methodology's catalogue), values outside a metric's valid range and numerators above
    denominators of proportion metrics.

    Parameters
    ----------
    df : pandas.DataFrame
        The canonical long metrics table (:func:`nhsrank.read_metrics`), with its ``_row`` column.
    methodology : Methodology
        The rules to check against.
    source : str, default "data"
        The file or table named in the error.

    Raises
    ------
    nhsrank.errors.InputError
        Naming the row, trust and column of each problem.
    """
    problems: list[dict] = []
    for tt, sub in df.groupby("trust_type"):
        if tt not in methodology.trust_types:
            codes = sorted(sub["trust_code"].dropna().unique())
            shown = ", ".join(codes[:5]) + (f" and {len(codes) - 5} more" if len(codes) > 5 else "")
            problems.append({"row": int(sub["_row"].min()), "trust_code": codes[0] if len(codes) == 1 else None,
                             "column": "trust_type",
                             "problem": f"methodology {methodology.id} has no {tt} league table, so {len(codes)} "
                                        f"{tt} trust(s) ({shown}) would not be ranked; its tables: "
                                        f"{', '.join(methodology.trust_types)}. Remove those rows or choose "
                                        "another methodology"})
            continue
        # a trust is scored on every metric of the catalogue it reports, whatever its type
        spec = methodology.catalogue().set_index("metric_id")
        unknown = ~sub["metric_id"].isin(spec.index)
        for mid, grp in sub[unknown].groupby("metric_id"):
            problems.append({"row": int(grp["_row"].iloc[0]), "trust_code": grp["trust_code"].iloc[0],
                             "column": "metric_id",
                             "problem": f"metric {mid!r} ({len(grp)} row{'s' if len(grp) != 1 else ''}) is not in "
                                        f"the metric catalogue of methodology {methodology.id}; expected one of "
                                        f"{', '.join(spec.index)}"})
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
                        f"for {v[idx]:g}%, write '{v[idx]:g}%', or say % in a Units column)")
            elif spec.at[mid, "unit"] not in FRACTION_UNITS and lo[idx] <= v[idx] * 100 <= hi[idx]:
                hint = (f" (if the cell says '{v[idx] * 100:g}%': {mid} is a {spec.at[mid, 'unit']}, not a fraction, "
                        f"so give {v[idx] * 100:g} without the % sign)")
            problems.append(problem_at(known, idx, "value", f"{mid} value {v[idx]:g} is outside its valid range "
                                                         f"[{lo[idx]:g}, {hi[idx]:g}]{hint}"))
        binomial = known["metric_id"].map(spec["sampling"]) == "binomial"
        num, den = known["numerator"], known["denominator"]
        for idx in known.index[binomial & num.notna() & den.notna() & (num > den)]:
            problems.append(problem_at(known, idx, "numerator", f"numerator {num[idx]:g} is above denominator "
                                                             f"{den[idx]:g} for proportion metric "
                                                             f"{known.at[idx, 'metric_id']}"))
        # a value edited by hand without its numerator (or the reverse): the league table
        # would use one figure and the uncertainty analysis the other
        share = num / den.where(den > 0)
        mismatch = (binomial & ~out & share.notna() & v.notna() & (num <= den)
                    & ((v - share).abs() > PROPORTION_TOLERANCE))
        for idx in known.index[mismatch]:
            problems.append(problem_at(known, idx, "value", f"{known.at[idx, 'metric_id']} value {v[idx]:g} does not "
                                                         f"match numerator / denominator = {num[idx]:g} / "
                                                         f"{den[idx]:g} = {share[idx]:.4g}; correct one of them"))
    if problems:
        raise_problems(source, problems)
