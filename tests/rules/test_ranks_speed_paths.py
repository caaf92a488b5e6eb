"""The rank helpers (nhsrank.rules.ranks) give the same ranks as scipy.stats.rankdata, with NaN and infinities."""
import numpy as np
import scipy.stats
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from nhsrank.rules.ranks import average_ranks, min_ranks

# values with many ties, NaN and (sometimes) infinities
_values = arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 9)),
                 elements=st.sampled_from([0.0, 1.0, 1.5, 2.0, -3.0, np.nan, np.inf, -np.inf]))


def _reference_min_ranks(row):
    out = np.full(row.shape, np.nan)
    ok = ~np.isnan(row)
    out[ok] = scipy.stats.rankdata(row[ok], method="min")
    return out


def _reference_average_ranks(row):
    out = np.full(row.shape, np.nan)
    ok = ~np.isnan(row)
    out[ok] = scipy.stats.rankdata(row[ok], method="average")
    return out


@settings(max_examples=200, deadline=None)
@given(_values)
def test_rank_helpers_match_straightforward_ranks_with_nan_and_inf(x):
    np.testing.assert_array_equal(min_ranks(x), np.stack([_reference_min_ranks(r) for r in x]))
    np.testing.assert_array_equal(average_ranks(x), np.stack([_reference_average_ranks(r) for r in x]))


def test_rank_helpers_worked_example_nan_sorts_last():
    x = np.array([[2.0, np.nan, 1.0, 2.0], [np.inf, np.nan, np.inf, 0.0]])
    np.testing.assert_array_equal(min_ranks(x), [[2, np.nan, 1, 2], [2, np.nan, 2, 1]])
    np.testing.assert_array_equal(average_ranks(x), [[2.5, np.nan, 1, 2.5], [2.5, np.nan, 2.5, 1]])

