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
    # outputs: 1,000 x 30,000 x (2 x 8 + 3 x 4) bytes (replicate and true average scores, segments, positions);
    # working: 14 x 16 x 30,000 x 1 x 8 (the observed and the true values of a chunk, issue 20)
    assert bs.bootstrap_memory(1_000, 30_000, 1, 16) == 840_000_000 + 53_760_000
    assert bs.bootstrap_memory(10, 100, 2, 16, keep_values=True) == (10 * 100 * 28 + 2 * 10 * 100 * 2 * 8
                                                                     + 14 * 16 * 200 * 8)


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


# --------------------------------------------------------------------------- ReplicatePipeline == run_pipeline

import copy  # noqa: E402

import nhsrank  # noqa: E402
from nhsrank.rules.pipeline import ReplicatePipeline, run_pipeline  # noqa: E402

_OUT = ("average_metric_score", "segment_before_adjustment", "segment", "league_position")


def _acute_group():
    m, a = nhsrank.load_bundled()
    return nhsrank.peer_group(m, "2025-26-Q1", "acute", "nof-2025-26", a)


_ACUTE = _acute_group()


def _small(g, n, values, pool_rows):
    """The first n trusts of g with the given values and pool (other types' providers, fixed)."""
    s = copy.copy(g)
    s.values = values
    for k in ("numerator", "denominator", "standard_error"):
        setattr(s, k, getattr(g, k)[:n])
    for k in ("deficit", "pip", "included"):
        setattr(s, k, getattr(g, k)[:n])
    s.trusts = g.trusts.iloc[:n].reset_index(drop=True)
    s.pool = pool_rows
    return s


@settings(max_examples=60, deadline=None)
@given(st.integers(3, 12), st.data())
def test_replicate_pipeline_equals_run_pipeline_with_ties_nan_pool_and_weights(n, data):
    g = _ACUTE
    M = g.values.shape[1]
    R = data.draw(st.integers(1, 4))
    # few distinct values: ties in every metric; NaN where the trust has no value (same in every replicate)
    grid = np.array([0.1, 0.2, 0.2000001, 0.5, 0.9, 3.0, 40.0])
    picks = data.draw(arrays(np.int64, (R, n, M), elements=st.integers(0, len(grid) - 1)))
    missing = data.draw(arrays(np.bool_, (n, M), elements=st.booleans()))
    vals = np.where(missing, np.nan, grid[picks])
    base = _small(g, n, vals[0], None)
    if data.draw(st.booleans()):
        pool = np.where(data.draw(arrays(np.bool_, (4, M), elements=st.booleans())), np.nan,
                        grid[data.draw(arrays(np.int64, (4, M), elements=st.integers(0, len(grid) - 1)))])
        base.pool = pool
    weights = data.draw(st.sampled_from([None, "random"]))
    w = None if weights is None else np.random.default_rng(n).dirichlet(np.ones(M), size=R) * M
    moving = data.draw(arrays(np.bool_, M, elements=st.booleans()))
    vals[:, :, ~moving] = vals[:1, :, ~moving]          # metrics that do not move keep the first replicate's values
    base.values = vals[0]
    want = run_pipeline(vals, base, weights=None if w is None else w[:, None, :], keep_scores=False)
    got = ReplicatePipeline(base, moving)(np.ascontiguousarray(vals.transpose(0, 2, 1)), w)
    for k in _OUT:
        np.testing.assert_array_equal(got[k], want[k], err_msg=k)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 12), st.data())
def test_replicate_pipeline_floor_and_standard_scores_equal_bookend_scores(n, data):
    # values drawn from a grid holding the acute metrics' floors and standards exactly (a value at a standard
    # meets it; a value at a floor passes it), ties and NaN: the fast path's scores are bookend_scores'
    g = _ACUTE
    M = g.values.shape[1]
    R = data.draw(st.integers(1, 3))
    grid = np.array([-0.5, 0.0, 0.01, 0.5, 0.7, 0.75, 0.78, 0.8, 0.9, 1.0, 2.0])
    picks = data.draw(arrays(np.int64, (R, n, M), elements=st.integers(0, len(grid) - 1)))
    missing = data.draw(arrays(np.bool_, (n, M), elements=st.booleans()))
    vals = np.where(missing, np.nan, grid[picks])
    base = _small(g, n, vals[0], None)
    if data.draw(st.booleans()):      # providers of other trust types in the peers, some at the thresholds
        base.pool = np.where(data.draw(arrays(np.bool_, (4, M), elements=st.booleans())), np.nan,
                             grid[data.draw(arrays(np.int64, (4, M), elements=st.integers(0, len(grid) - 1)))])
    pipe = ReplicatePipeline(base)
    assert pipe.book_cols.size                   # the acute table has rank metrics with floors and standards
    got = pipe.scores(np.ascontiguousarray(vals.transpose(0, 2, 1)))
    for r in range(R):
        want = run_pipeline(vals[r], base, keep_scores=True)["scores"]
        np.testing.assert_array_equal(got[r].T[:, pipe.book_cols], want[:, pipe.book_cols])


def test_replicate_pipeline_standard_worked_example():
    # OF0010-like: higher is better, standard 0.80; 0.85 and 0.80 meet it (1.00); 0.70, 0.70 and 0.60 spread
    # over 2.00-4.00 by competition rank among themselves: ranks 1, 1, 3 of 3 -> 2.00, 2.00, 4.00
    g = _ACUTE
    M = g.values.shape[1]
    j = int(np.flatnonzero(g.metrics["metric_id"].to_numpy() == "OF0010")[0])
    v = np.full((5, M), np.nan)
    v[:, j] = [0.85, 0.80, 0.70, 0.70, 0.60]
    base = _small(g, 5, v, None)
    got = ReplicatePipeline(base).scores(np.ascontiguousarray(v.T[None]))[0, j]
    np.testing.assert_array_equal(got, [1.0, 1.0, 2.0, 2.0, 4.0])


def test_replicate_pipeline_worked_example_ties_take_the_best_rank():
    # one rank metric (higher is better), four trusts: 0.9, 0.7, 0.7, 0.5 -> competition ranks 1, 2, 2, 4
    g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    s = _small(g, 4, np.array([[0.9], [0.7], [0.7], [0.5]]), None)
    out = ReplicatePipeline(s)(np.array([[[0.9, 0.7, 0.7, 0.5]]]))
    np.testing.assert_array_equal(out["league_position"][0], run_pipeline(s.values, s)["league_position"])
    # ae-4hr ranks with mean ranks for ties: 1, 2.5, 2.5, 4 -> scores 1, 2.5, 2.5, 4 (through score_array)
    np.testing.assert_allclose(out["average_metric_score"][0], [1.0, 2.5, 2.5, 4.0])


def test_bootstrap_pipeline_matches_general_pipeline_replicate_for_replicate():
    # chunking does not change the replicates
    rep = bs.bootstrap(_ACUTE, 64, seed=3, progress=False, sources=("sampling", "metrics"))
    again = bs.bootstrap(_ACUTE, 64, seed=3, progress=False, sources=("sampling", "metrics"), chunk_size=16)
    np.testing.assert_array_equal(rep.position, again.position)
    # the general pipeline on the bootstrap's own values gives the same table
    only_sampling = bs.bootstrap(_ACUTE, 64, seed=3, progress=False, keep_values=True)
    want = run_pipeline(only_sampling.values, _ACUTE, keep_scores=False)
    np.testing.assert_array_equal(only_sampling.position, want["league_position"])
    np.testing.assert_array_equal(only_sampling.avg, want["average_metric_score"])


def test_rank_uncertainty_shares_replicates_through_the_cache(tmp_path, monkeypatch):
    g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    plain_res = bs.rank_uncertainty(g, n_boot=120, seed=4, progress=False)
    plain = plain_res.table
    monkeypatch.setenv(bs.CACHE_ENV, str(tmp_path / "cache"))
    calls = []
    real = bs.bootstrap

    def counting(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(bs, "bootstrap", counting)
    first_res = bs.rank_uncertainty(g, n_boot=120, seed=4, progress=False)
    first = first_res.table
    second_res = bs.rank_uncertainty(g, n_boot=120, seed=4, progress=False)
    second = second_res.table
    other_seed_res = bs.rank_uncertainty(g, n_boot=120, seed=5, progress=False)
    other_seed = other_seed_res.table
    assert len(calls) == 2                       # seed 4 once (then read back), seed 5 once
    for u in (first, second):
        assert u.equals(plain)                   # read back bit for bit
    assert len(other_seed) == len(plain)
    assert len(list((tmp_path / "cache").glob("*.npz"))) == 2


def test_cache_key_changes_with_data_and_settings():
    g = _ACUTE
    k = bs.cache_key(g, 100, 1, ("sampling",), {})
    assert k == bs.cache_key(g, 100, 1, ("sampling",), {"n_jobs": 2})       # threads do not change replicates
    assert k != bs.cache_key(g, 100, 2, ("sampling",), {})
    assert k != bs.cache_key(g, 101, 1, ("sampling",), {})
    assert k != bs.cache_key(g, 100, 1, ("sampling", "metrics"), {})
    h = copy.copy(g)
    h.values = g.values.copy()
    h.values[0, 0] = 0.5 if g.values[0, 0] != 0.5 else 0.25
    assert k != bs.cache_key(h, 100, 1, ("sampling",), {})


def test_bootstrap_too_big_for_memory_is_a_clear_input_error(monkeypatch):
    g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    monkeypatch.setattr(bs, "_physical_memory", lambda: 2**20)          # a machine with 1 MiB
    with pytest.raises(InputError) as e:
        bs.bootstrap(g, 10_000, progress=False, n_jobs=2)
    msg = str(e.value)
    assert "GiB" in msg and "n_boot" in msg and "--chunk-size" in msg and "--jobs" in msg
