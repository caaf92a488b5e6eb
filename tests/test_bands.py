"""Bands of trusts the simultaneous rank sets cannot separate (nhsrank/uncertainty/bands.py): worked
examples by hand, the promise checked against a known truth, and properties of the rule."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhsrank.errors import InputError
from nhsrank.uncertainty import rank_bands, simultaneous_rank_sets
from nhsrank.uncertainty.bands import band_sentence, band_summary


def table(lower, upper, score_rank=None, codes=None):
    n = len(lower)
    return pd.DataFrame({"trust_code": codes or [f"T{i:02d}" for i in range(n)],
                         "score_rank": score_rank or list(range(1, n + 1)),
                         "simultaneous_rank_lower": lower, "simultaneous_rank_upper": upper})


# ---------------------------------------------------------------------------- worked examples


def test_worked_example_eight_trusts():
    # places 1-8, sets A [1,2] B [1,3] C [3,3] D [4,5] E [4,5] F-H [6,8]. By hand: prefix max of upper
    #   2,3,3,5,5,8,8,8; suffix min of lower from the next place 1,3,4,4,6,6,6,-
    #   cut after place k when max(upper 1..k) < min(lower k+1..8):
    #   k=1: 2 < 1? no   k=2: 3 < 3? no   k=3: 3 < 4 yes   k=4: 5 < 4 no   k=5: 5 < 6 yes
    #   k=6: 8 < 6 no    k=7: 8 < 6 no
    # bands: {A,B,C}, {D,E}, {F,G,H}
    u = table([1, 1, 3, 4, 4, 6, 6, 6], [2, 3, 3, 5, 5, 8, 8, 8], codes=list("ABCDEFGH"))
    result = rank_bands(u)
    b = result.table
    assert b["band"].tolist() == [1, 1, 1, 2, 2, 3, 3, 3]
    assert b["band_size"].tolist() == [3, 3, 3, 2, 2, 3, 3, 3]
    assert result.n_bands == 3
    # a quarter of 8 places is 2: A's set [1,2] is within places 1-2; F-H's sets [6,8] are not within 7-8
    assert b["surely_top_quarter"].tolist() == [True] + [False] * 7
    assert not b["surely_bottom_quarter"].any()
    s = band_summary(result)
    assert s.values.tolist() == [[1, 3, 1, 3, 1, 3], [2, 2, 4, 5, 4, 5], [3, 3, 6, 8, 6, 8]]
    assert band_sentence(result).startswith("8 trusts fall into 3 bands") and "(sizes 3, 2, 3)" in band_sentence(result)


def test_a_long_set_holds_a_band_together_even_when_its_neighbours_separate():
    # B's set [1,4] overlaps everything: A [1,1] and C [4,4] are separated from each other, but no cut
    # can separate a block above from a block below while B spans both: one band
    b = rank_bands(table([1, 1, 3, 4], [1, 4, 3, 4]))
    assert b.table["band"].tolist() == [1, 1, 1, 1]
    assert band_sentence(b).startswith("4 trusts form a single band")


def test_bottom_quarter_and_rows_in_any_order():
    # 4 places, a quarter is 1 place: D [4,4] is surely bottom, A [1,1] surely top; rows shuffled
    u = table([1, 2, 2, 4], [1, 3, 3, 4], codes=list("ABCD")).iloc[[2, 0, 3, 1]]
    b = rank_bands(u).table
    assert b.index.tolist() == u.index.tolist()                       # the input's row order is kept
    got = dict(zip(b["trust_code"], b["band"]))
    assert got == {"A": 1, "B": 2, "C": 2, "D": 3}
    assert dict(zip(b["trust_code"], b["surely_top_quarter"])) == {"A": True, "B": False, "C": False, "D": False}
    assert dict(zip(b["trust_code"], b["surely_bottom_quarter"])) == {"A": False, "B": False, "C": False, "D": True}


def test_from_simultaneous_rank_sets_three_clusters_three_bands():
    # three clusters of average scores far apart, noise small within: the sets separate the clusters only
    rng = np.random.default_rng(3)
    obs = np.array([1.0, 1.02, 1.04, 2.0, 2.03, 3.0, 3.01, 3.02])
    sets, _ = simultaneous_rank_sets(obs, obs + rng.normal(0, 0.05, (2000, obs.size)))
    sets["trust_code"] = list("ABCDEFGH")
    assert rank_bands(sets).table["band"].tolist() == [1, 1, 1, 2, 2, 3, 3, 3]


def test_no_sets_no_bands_said_plainly():
    u = table([1, 1], [2, 2]).astype({"simultaneous_rank_lower": "Int64", "simultaneous_rank_upper": "Int64"})
    u["simultaneous_rank_lower"] = pd.NA
    u["simultaneous_rank_upper"] = pd.NA
    b = rank_bands(u)
    assert b.table["band"].isna().all() and b.n_bands == 0 and not b.table["surely_top_quarter"].any()
    assert band_sentence(b).startswith("No bands: the simultaneous rank sets were not computed")
    assert band_summary(b).empty


@pytest.mark.parametrize("lower, upper, words", [
    ([1, 1], [2, 3], "within 1 to 2"),                     # beyond n
    ([2, 1], [1, 2], "lower <= upper"),
    ([1, None], [2, 2], "no simultaneous rank set for this trust"),
])
def test_bad_sets_are_errors_naming_the_trust(lower, upper, words):
    with pytest.raises(InputError) as e:
        rank_bands(table(lower, upper))
    assert words in str(e.value) and "T0" in str(e.value)


def test_missing_columns_are_an_error():
    with pytest.raises(InputError, match="simultaneous_rank_lower"):
        rank_bands(pd.DataFrame({"trust_code": ["A"], "score_rank": [1]}))


# ---------------------------------------------------------------------------- properties


@st.composite
def covered_sets(draw):
    """A truth (true average scores, ties allowed), observed score ranks, and rank sets that all contain the
    true competition ranks (the event the simultaneous coverage is about)."""
    n = draw(st.integers(1, 25))
    truth = np.array(draw(st.lists(st.integers(0, 6), min_size=n, max_size=n)), dtype=float)
    true_rank = 1 + (truth[None, :] < truth[:, None]).sum(axis=1)
    below = np.array(draw(st.lists(st.integers(0, 6), min_size=n, max_size=n)))
    above = np.array(draw(st.lists(st.integers(0, 6), min_size=n, max_size=n)))
    lower = np.clip(true_rank - below, 1, n)
    upper = np.clip(true_rank + above, 1, n)
    noisy = truth + np.array(draw(st.lists(st.integers(-2, 2), min_size=n, max_size=n)))
    score_rank = 1 + (noisy[None, :] < noisy[:, None]).sum(axis=1)
    perm = np.array(draw(st.permutations(list(range(n)))))
    u = pd.DataFrame({"trust_code": [f"T{i:02d}" for i in range(n)], "score_rank": score_rank,
                      "simultaneous_rank_lower": lower, "simultaneous_rank_upper": upper}).iloc[perm]
    return u, pd.Series(truth, index=[f"T{i:02d}" for i in range(n)])


@given(covered_sets())
def test_when_every_set_covers_every_later_band_is_truly_worse(case):
    """The promise: if all true ranks lie in their sets, every trust of a band has a lower true average
    score than every trust of every later band."""
    u, truth = case
    b = rank_bands(u).table
    t = truth[b["trust_code"]].to_numpy()
    band = b["band"].to_numpy(dtype=int)
    earlier = band[:, None] < band[None, :]
    assert (t[:, None] < t[None, :])[earlier].all()


@given(covered_sets())
def test_bands_partition_the_ordered_table_into_separated_runs_as_fine_as_possible(case):
    u, _ = case
    result = rank_bands(u)
    b = result.table
    n = len(u)
    assert len(b) == n and b["band"].notna().all()                                # every trust, one band
    order = b.assign(_lo=b["simultaneous_rank_lower"], _hi=b["simultaneous_rank_upper"]) \
        .sort_values(["score_rank", "_lo", "_hi", "trust_code"])
    bands = order["band"].to_numpy(dtype=int)
    assert bands[0] == 1 and set(np.diff(bands)) <= {0, 1}                       # contiguous runs 1, 2, ...
    assert sorted(set(bands)) == list(range(1, result.n_bands + 1))
    lo, hi = order["_lo"].to_numpy(dtype=int), order["_hi"].to_numpy(dtype=int)
    for k in range(1, n):                                                          # between places k and k+1
        separated = hi[:k].max() < lo[k:].min()
        assert separated == (bands[k] != bands[k - 1])    # a new band exactly where the sets separate
    sizes = b.groupby("band")["trust_code"].transform("size")
    assert (b["band_size"].to_numpy() == sizes.to_numpy()).all()


@given(covered_sets())
def test_quarters_read_from_the_sets(case):
    u, _ = case
    b = rank_bands(u).table
    n, q = len(u), len(u) // 4
    hi, lo = b["simultaneous_rank_upper"].to_numpy(dtype=int), b["simultaneous_rank_lower"].to_numpy(dtype=int)
    assert (b["surely_top_quarter"].to_numpy() == ((hi <= q) & (q > 0))).all()
    assert (b["surely_bottom_quarter"].to_numpy() == ((lo > n - q) & (q > 0))).all()
    assert not (b["surely_top_quarter"] & b["surely_bottom_quarter"]).any()


@given(covered_sets(), st.randoms(use_true_random=False))
def test_row_order_does_not_change_any_band(case, rnd):
    u, _ = case
    idx = list(range(len(u)))
    rnd.shuffle(idx)
    a = rank_bands(u).table.set_index("trust_code")["band"]
    c = rank_bands(u.iloc[idx]).table.set_index("trust_code")["band"]
    assert a.sort_index().tolist() == c.sort_index().tolist()
