"""Rank sets and draws: hand-checkable cases (issue 11)."""
import numpy as np
import pandas as pd
import pytest

import nhsrank
from nhsrank.uncertainty.models import SamplingModel, draw_values
from nhsrank.uncertainty.ranksets import simultaneous_rank_sets


def _binomial_model(x, n):
    x, n = np.asarray(x, float), np.asarray(n, np.int64)
    idx = np.arange(x.size)
    return SamplingModel(np.ones((x.size, 1), np.int8), (idx, n, x / n, x / n, np.ones(x.size)),
                         (idx[:0], np.zeros(0), np.zeros(0), np.zeros(0)),
                         (idx[:0], np.zeros(0), np.zeros(0)), pd.DataFrame())


def test_zero_and_full_rates_move_and_stay_in_range():
    # 0/381 and 381/381: the Jeffreys posterior draws move both, inside [0, 1]
    m = _binomial_model([0, 381], [381, 381])
    out = np.tile([0.0, 1.0], (4000, 1))
    v = draw_values(m, np.random.default_rng(3), 4000, out)
    assert (v[:, 0] > 0).mean() > 0.99 and (v[:, 1] < 1).mean() > 0.99
    assert v.min() >= 0 and v.max() <= 1
    # Jeffreys 97.5% upper bound for 0/381 is Beta(0.5, 381.5).ppf(0.975) ~ 0.0066
    assert 0.004 < np.quantile(v[:, 0], 0.975) < 0.009


def test_draws_are_a_prefix_with_the_same_seed():
    m = _binomial_model([5, 50], [100, 100])
    a = draw_values(m, np.random.default_rng(7), 10, np.zeros((10, 2)), block=64)
    b = draw_values(m, np.random.default_rng(7), 64, np.zeros((64, 2)), block=64)
    assert np.array_equal(a, b[:10])


def test_two_equal_trusts_share_both_ranks():
    rng = np.random.default_rng(0)
    obs = np.array([1.0, 1.0])
    sets, _ = simultaneous_rank_sets(obs, obs + rng.normal(0, 0.1, (2000, 2)))
    assert sets[["simultaneous_rank_lower", "simultaneous_rank_upper"]].values.tolist() == [[1, 2], [1, 2]]


def test_three_separated_blocks():
    rng = np.random.default_rng(1)
    obs = np.repeat([1.0, 2.0, 3.0], 3)
    sets, _ = simultaneous_rank_sets(obs, obs + rng.normal(0, 0.05, (2000, 9)))
    lo, hi = sets["simultaneous_rank_lower"].to_numpy(), sets["simultaneous_rank_upper"].to_numpy()
    # each block is surely apart from the others, and its members can take any rank in the block
    assert lo.tolist() == [1, 1, 1, 4, 4, 4, 7, 7, 7]
    assert hi.tolist() == [3, 3, 3, 6, 6, 6, 9, 9, 9]


def test_memory_error_names_need_and_option():
    obs = np.zeros(3000)
    with pytest.raises(nhsrank.InputError, match="max_memory_gb"):
        simultaneous_rank_sets(obs, np.zeros((10, 3000)), max_memory_gb=0.1)


def test_headline_does_not_count_a_pair_placed_against_its_score():
    # B (score 2.0) is placed above C (score 1.0) by an override, so the pair B-C
    # differs significantly but against the table's order; only A-B counts
    from nhsrank.uncertainty.ranksets import adjacent_pairs

    rng = np.random.default_rng(0)
    obs = np.array([0.0, 2.0, 1.0])
    reps = obs + rng.normal(0, 0.05, (4000, 3))
    pos = np.tile([1.0, 2.0, 3.0], (4000, 1))
    out = adjacent_pairs(np.array(list("ABC")), np.arange(1, 4), obs, reps, pos)
    assert out["differs"].tolist() == [True, True]
    assert out["differs_in_order"].tolist() == [True, False]
    assert out.attrs["summary"].startswith("of 2 neighbouring pairs, 1 differs significantly in average score")
    assert "1 pair is placed against their scores" in out.attrs["summary"]
