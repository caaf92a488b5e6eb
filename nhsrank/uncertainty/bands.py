"""Bands: groups of trusts that the simultaneous rank sets cannot separate.

A league table gives every trust its own position; the 95% simultaneous
confidence sets of the ranks (:func:`nhsrank.uncertainty.simultaneous_rank_sets`,
the ``simultaneous_rank_lower``/``simultaneous_rank_upper`` columns of
:func:`nhsrank.uncertainty.rank_uncertainty`) say which of those positions the
data can vouch for. :func:`rank_bands` reads tiers off them.

The rule
--------
Order the trusts by their rank by average score (``score_rank``; ties by the
set, then the trust code). Cut the ordered list between places k and k + 1
exactly when **every** set above the cut ends before **every** set below it
starts::

    max(upper of trusts 1..k)  <  min(lower of trusts k+1..n)

The bands are the runs between cuts, numbered 1 (best) down. This is the finest
division of the ordered table into runs that the sets separate block from block;
where the sets are ordered like the scores it is the same as grouping trusts
whose sets overlap, directly or through a chain of overlapping sets.

What it promises
----------------
With the sets' simultaneous coverage (95%), **all at once**: every trust in a
band has a truly better (lower) average score than every trust in every later
band. (If all true ranks lie in their sets, a trust i above a cut has
``rank_i <= upper_i < lower_j <= rank_j`` for every trust j below it, and a
lower true rank means a lower true average score.)

It does **not** say that the trusts inside a band are equal, nor that no two of
them can be told apart: in a long band the first and the last may be separable,
but no cut inside the band separates everything above it from everything below.
The bands are of the average score, before the financial-deficit cap and the
PIP segment, which move trusts by rule, not by noise.

Surely top / bottom quarter
---------------------------
Read from the same sets, with a quarter = ``n // 4`` places of the n ranked trusts:
"surely top quarter" when the whole set lies within places 1..n//4
(``upper <= n // 4``), "surely bottom quarter" when within the last n//4 places
(``lower > n - n // 4``). The same simultaneous coverage holds for all these
statements and the bands together.

Examples
--------
>>> u = pd.DataFrame({"trust_code": list("ABCDEF"), "score_rank": [1, 2, 3, 4, 5, 6],
...                   "simultaneous_rank_lower": [1, 1, 3, 3, 5, 5],
...                   "simultaneous_rank_upper": [2, 2, 4, 4, 6, 6]})
>>> rank_bands(u).table[["trust_code", "band", "surely_top_quarter", "surely_bottom_quarter"]].values.tolist()
[['A', 1, False, False], ['B', 1, False, False], ['C', 2, False, False], ['D', 2, False, False], ['E', 3, False, False], ['F', 3, False, False]]
"""  # noqa: E501 (doctest output / markup kept on one line)
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError

SET_COLUMNS = ("simultaneous_rank_lower", "simultaneous_rank_upper")
#: what :func:`band_summary` says of bands that could not be formed
NO_SETS = "the simultaneous rank sets were not computed, so no bands can be formed"


@dataclass(frozen=True)
class RankBands:
    """Bands of one table: tiers the 95% simultaneous rank sets cannot separate (:func:`rank_bands`'s result).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per ranked trust, in the row order (and index) of the table given:
        trust_code, score_rank (rank by average score), simultaneous_rank_lower,
        simultaneous_rank_upper (the trust's 95% simultaneous rank set), band (1 = best;
        <NA> for every trust when the sets were not computed), band_size (trusts in its band),
        surely_top_quarter, surely_bottom_quarter (bool: the whole set lies within the first
        or the last ``n // 4`` places; False without sets).
    n_bands : int
        The number of bands (0 without sets).
    note : str
        Why there are no bands ("" when there are).

    Examples
    --------
    >>> u = pd.DataFrame({"trust_code": list("ABC"), "score_rank": [1, 2, 3],
    ...                   "simultaneous_rank_lower": [1, 1, 3], "simultaneous_rank_upper": [2, 2, 3]})
    >>> b = rank_bands(u)
    >>> b.n_bands, b.summary()["n_trusts"].tolist(), b.note
    (2, [2, 1], '')
    """

    table: pd.DataFrame
    n_bands: int
    note: str

    def to_frame(self) -> pd.DataFrame:
        """The per-trust table (a copy), as a plain DataFrame."""
        return self.table.copy()

    def summary(self) -> pd.DataFrame:
        """One row per band: :func:`band_summary`."""
        return band_summary(self)


def _checked_sets(u: pd.DataFrame, source: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    missing = [c for c in SET_COLUMNS if c not in u.columns]
    if missing:
        raise InputError.from_records(source, [{"column": ", ".join(missing), "problem":
            "the rank uncertainty table has no simultaneous rank sets (from nhsrank.uncertainty.rank_uncertainty)"}])
    lo = pd.to_numeric(u[SET_COLUMNS[0]], errors="coerce").to_numpy(dtype=float)
    hi = pd.to_numeric(u[SET_COLUMNS[1]], errors="coerce").to_numpy(dtype=float)
    n = len(u)
    codes = u["trust_code"].astype(str).to_numpy() if "trust_code" in u.columns else np.arange(n).astype(str)
    problems = []
    na = np.isnan(lo) | np.isnan(hi)
    if na.any() and not na.all():
        for k in np.flatnonzero(na)[:10]:
            problems.append({"trust_code": codes[k], "column": ", ".join(SET_COLUMNS),
                             "problem": "no simultaneous rank set for this trust while other trusts have one"})
    ok = ~na
    bad = ok & ((lo < 1) | (hi > n) | (lo > hi) | (lo != np.round(lo)) | (hi != np.round(hi)))
    for k in np.flatnonzero(bad)[:10]:
        problems.append({"trust_code": codes[k], "column": ", ".join(SET_COLUMNS), "problem":
                         f"the set {lo[k]:g} to {hi[k]:g} is not whole places within 1 to {n} (lower <= upper)"})
    if problems:
        raise InputError.from_records(source, problems)
    if "score_rank" in u.columns:
        order_key = pd.to_numeric(u["score_rank"], errors="coerce").to_numpy(dtype=float)
    elif "average_metric_score" in u.columns:
        order_key = pd.to_numeric(u["average_metric_score"], errors="coerce").to_numpy(dtype=float)
    else:
        raise InputError.from_records(source, [{"column": "score_rank", "problem":
            "needed to order the trusts (or average_metric_score)"}])
    return lo, hi, order_key


def rank_bands(u: pd.DataFrame, *, source: str = "rank uncertainty table") -> RankBands:
    """A band per trust: tiers the 95% simultaneous rank sets cannot separate (rule in the module text).

    Parameters
    ----------
    u : pandas.DataFrame or RankUncertainty
        A :func:`nhsrank.uncertainty.rank_uncertainty` result, its table (or its CSV): trust_code,
        score_rank (or average_metric_score), simultaneous_rank_lower, simultaneous_rank_upper;
        one row per ranked trust.
    source : str, default "rank uncertainty table"
        Named in error messages.

    Returns
    -------
    RankBands
        ``table``: in the row order of ``u`` (same index): trust_code, score_rank,
        simultaneous_rank_lower, simultaneous_rank_upper, band (1 = best; <NA> for every trust
        when the sets were not computed), band_size (trusts in the band), surely_top_quarter,
        surely_bottom_quarter (bool; False without sets); ``n_bands`` (0 without sets) and
        ``note`` (why there are no bands, or "").

    Raises
    ------
    nhsrank.errors.InputError
        Set columns missing, a set missing for some trusts only, or a set that is not whole
        places within 1..n; each problem names the trust.

    Examples
    --------
    Two trusts far ahead of three that overlap in a chain (C with D, D with E), so C-E is one band:

    >>> u = pd.DataFrame({"trust_code": list("ABCDE"), "score_rank": [1, 2, 3, 4, 5],
    ...                   "simultaneous_rank_lower": [1, 1, 3, 3, 4], "simultaneous_rank_upper": [2, 2, 4, 5, 5]})
    >>> b = rank_bands(u)
    >>> b.table["band"].tolist(), b.table["band_size"].tolist(), b.n_bands
    ([1, 1, 2, 2, 2], [2, 2, 3, 3, 3], 2)
    """
    u = getattr(u, "table", u)     # a RankUncertainty result, or its table
    lo, hi, key = _checked_sets(u, source)
    n = len(u)
    out = pd.DataFrame({"trust_code": (u["trust_code"].astype(str).to_numpy() if "trust_code" in u.columns
                                       else np.arange(n).astype(str))}, index=u.index)
    out["score_rank"] = pd.to_numeric(u["score_rank"], errors="coerce").astype("Int64").to_numpy() \
        if "score_rank" in u.columns else pd.array([pd.NA] * n, dtype="Int64")
    out["simultaneous_rank_lower"] = pd.array(np.where(np.isnan(lo), np.nan, lo), dtype="Float64").astype("Int64")
    out["simultaneous_rank_upper"] = pd.array(np.where(np.isnan(hi), np.nan, hi), dtype="Float64").astype("Int64")
    if n == 0 or np.isnan(lo).all():
        out["band"] = pd.array([pd.NA] * n, dtype="Int64")
        out["band_size"] = pd.array([pd.NA] * n, dtype="Int64")
        out["surely_top_quarter"] = False
        out["surely_bottom_quarter"] = False
        return RankBands(table=out, n_bands=0, note=NO_SETS if n else "no ranked trusts")
    codes = out["trust_code"].to_numpy()
    order = np.lexsort((codes, hi, lo, key))          # by score rank, then the set, then the code
    l_o, h_o = lo[order], hi[order]
    above = np.maximum.accumulate(h_o)                 # max upper of places 1..k
    below = np.minimum.accumulate(l_o[::-1])[::-1]     # min lower of places k..n
    cut = above[:-1] < below[1:]                       # a cut between places k and k+1
    band_sorted = 1 + np.concatenate([[0], np.cumsum(cut)])
    band = np.empty(n, dtype=int)
    band[order] = band_sorted
    sizes = np.bincount(band)
    out["band"] = pd.array(band, dtype="Int64")
    out["band_size"] = pd.array(sizes[band], dtype="Int64")
    q = n // 4
    out["surely_top_quarter"] = (hi <= q) if q > 0 else np.zeros(n, dtype=bool)
    out["surely_bottom_quarter"] = (lo > n - q) if q > 0 else np.zeros(n, dtype=bool)
    return RankBands(table=out, n_bands=int(band.max()), note="")


def band_summary(bands: RankBands | pd.DataFrame) -> pd.DataFrame:
    """One row per band of :func:`rank_bands`: its trusts, the places by score it spans, and its sets' span.

    Parameters
    ----------
    bands : RankBands or pandas.DataFrame
        The result of :func:`rank_bands`, or its ``table``.

    Returns
    -------
    pandas.DataFrame
        band, n_trusts, first_score_rank, last_score_rank, set_lower (min lower of the band's
        sets), set_upper (max upper); empty when there are no bands.

    Examples
    --------
    >>> u = pd.DataFrame({"trust_code": list("ABC"), "score_rank": [1, 2, 3],
    ...                   "simultaneous_rank_lower": [1, 1, 3], "simultaneous_rank_upper": [2, 2, 3]})
    >>> band_summary(rank_bands(u)).values.tolist()
    [[1, 2, 1, 2, 1, 2], [2, 1, 3, 3, 3, 3]]
    """
    cols = ["band", "n_trusts", "first_score_rank", "last_score_rank", "set_lower", "set_upper"]
    b = getattr(bands, "table", bands).dropna(subset=["band"])
    if b.empty:
        return pd.DataFrame(columns=cols)
    g = b.groupby("band", sort=True)
    out = pd.DataFrame({"n_trusts": g.size(), "first_score_rank": g["score_rank"].min(),
                        "last_score_rank": g["score_rank"].max(), "set_lower": g["simultaneous_rank_lower"].min(),
                        "set_upper": g["simultaneous_rank_upper"].max()}).reset_index()
    return out[cols].astype(int)


def band_sentence(bands: RankBands) -> str:
    """The band finding of one table in one sentence (``bands``: :func:`rank_bands`'s result).

    Examples
    --------
    >>> u = pd.DataFrame({"trust_code": list("ABC"), "score_rank": [1, 2, 3],
    ...                   "simultaneous_rank_lower": [1, 1, 3], "simultaneous_rank_upper": [2, 2, 3]})
    >>> band_sentence(rank_bands(u))
    '3 trusts fall into 2 bands that the 95% simultaneous rank sets separate (sizes 2, 1): every trust in a band has a better average score than every trust in a later band.'
    >>> band_sentence(rank_bands(u.assign(simultaneous_rank_lower=1, simultaneous_rank_upper=3)))
    '3 trusts form a single band: the 95% simultaneous rank sets cannot separate any group of them from the rest.'
    """  # noqa: E501 (doctest output / markup kept on one line)
    n_bands = bands.n_bands
    n = len(bands.table)
    if n_bands == 0:
        return f"No bands: {bands.note or NO_SETS}."
    if n_bands == 1:
        return (f"{n} trusts form a single band: the 95% simultaneous rank sets cannot separate any group of them "
                "from the rest.")
    sizes = band_summary(bands)["n_trusts"].tolist()
    return (f"{n} trusts fall into {n_bands} bands that the 95% simultaneous rank sets separate "
            f"(sizes {', '.join(map(str, sizes))}): every trust in a band has a better average score than every "
            "trust in a later band.")


__all__ = ["rank_bands", "RankBands", "band_summary", "band_sentence", "SET_COLUMNS"]
