"""The replicate pipeline (nhsrank.rules.pipeline.ReplicatePipeline) gives the same results as run_pipeline."""
import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nhsrank
from nhsrank.rules.pipeline import ReplicatePipeline, run_pipeline
from support import NO_ATTRIBUTES, acute_group

_OUT = ("average_metric_score", "segment_before_adjustment", "segment", "league_position")
_ACUTE = acute_group()


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


@pytest.mark.filterwarnings(NO_ATTRIBUTES)  # the A&E data: no trust attributes, on purpose
def test_replicate_pipeline_worked_example_ties_take_the_best_rank():
    # one rank metric (higher is better), four trusts: 0.9, 0.7, 0.7, 0.5 -> competition ranks 1, 2, 2, 4
    g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    s = _small(g, 4, np.array([[0.9], [0.7], [0.7], [0.5]]), None)
    out = ReplicatePipeline(s)(np.array([[[0.9, 0.7, 0.7, 0.5]]]))
    np.testing.assert_array_equal(out["league_position"][0], run_pipeline(s.values, s)["league_position"])
    # ae-4hr ranks with mean ranks for ties: 1, 2.5, 2.5, 4 -> scores 1, 2.5, 2.5, 4 (through score_array)
    np.testing.assert_allclose(out["average_metric_score"][0], [1.0, 2.5, 2.5, 4.0])
