"""Speed paths give the same results as straightforward implementations; memory limits fail clearly."""
import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from nhsrank.errors import InputError
from nhsrank.rules.ranks import average_ranks, min_ranks
import importlib

bs = importlib.import_module("nhsrank.uncertainty.bootstrap")  # the module, not the function of that name

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


def test_bootstrap_memory_worked_example():
    # outputs: 1,000 x 30,000 x (8 + 3 x 4) bytes; working: 10 x 16 x 30,000 x 1 x 8
    assert bs.bootstrap_memory(1_000, 30_000, 1, 16) == 600_000_000 + 38_400_000
    assert bs.bootstrap_memory(10, 100, 2, 16, keep_values=True) == 10 * 100 * 20 + 10 * 100 * 2 * 8 + 10 * 16 * 200 * 8


class _Group:
    trust_type, quarter = "gp", "2025-26-Q1"


def test_memory_error_says_how_much_and_what_to_lower():
    with pytest.raises(InputError) as e:
        bs._check_memory(1_000_000, 600_000, 1, 16, False, _Group(), available=8 * 2**30)
    msg = str(e.value)
    assert "GiB" in msg and "n_boot" in msg and "chunk_size" in msg and "gp 2025-26-Q1" in msg
    with pytest.raises(InputError, match="keep_values"):
        bs._check_memory(1_000, 6_500, 1, 16, True, _Group(), available=2**20)
    bs._check_memory(1_000, 6_500, 1, 16, False, _Group(), available=2**40)  # fits: no error


def test_bootstrap_bit_identical_to_sorting_with_nan(monkeypatch):
    """The +inf sort key changes nothing: same replicates as the plain NaN sort, for the same seed."""
    import nhsrank
    import nhsrank.rules.ranks as ranks

    g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    fast = bs.bootstrap(g, n_boot=64, seed=3, progress=False, n_jobs=1)
    monkeypatch.setattr(ranks, "_sort_key", lambda x: x)  # the straightforward path: argsort with NaN
    plain = bs.bootstrap(g, n_boot=64, seed=3, progress=False, n_jobs=1)
    for name in ("average_metric_score", "segment_before_adjustment", "segment", "league_position"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(plain, name), err_msg=name)
