"""nhsrank.uncertainty.prior: the empirical-Bayes world of the sampling source (a prior that can hold ties)."""
import numpy as np
import pytest

from nhsrank.uncertainty.models import sampling_model
from nhsrank.uncertainty.prior import World, draw_world, empirical_bayes_world, npmle, posterior_index
from support import one_metric_table


def test_npmle_one_em_step_by_hand():
    # three cells on a two-point grid: two can only be at the first point, one only at the second.
    # Uniform start w = (1/2, 1/2): f = L w = (1/2, 1/2, 1/2), L' (1/f) = (4, 2), w = w * (4, 2) / 3 = (2/3, 1/3),
    # and there EM stays (the maximum-likelihood mixture: the share of cells at each point)
    loglik = np.array([[0.0, -np.inf], [0.0, -np.inf], [-np.inf, 0.0]])
    for iterations in (1, 50):
        post, w = npmle(loglik, iterations)
        np.testing.assert_allclose(w, [2 / 3, 1 / 3])
        np.testing.assert_array_equal(post, [[1, 0], [1, 0], [0, 1]])


def test_npmle_posterior_is_likelihood_times_prior():
    # no EM step: the prior is uniform and each posterior is the normalised likelihood
    lik = np.array([[0.2, 0.6, 0.2], [0.5, 0.25, 0.25]])
    post, w = npmle(np.log(lik) + 7.0, iterations=0)     # constants per cell do not matter
    np.testing.assert_allclose(w, [1 / 3] * 3)
    np.testing.assert_allclose(post, lik / lik.sum(axis=1, keepdims=True))
    # one step, by hand: w_j = (1/3) sum_i L_ij / f_i / 2, f_i = mean_j L_ij, L scaled to each row's maximum
    scaled = lik / lik.max(axis=1, keepdims=True)
    post, w = npmle(np.log(lik), iterations=1)
    f = scaled.mean(axis=1)
    np.testing.assert_allclose(w, (1 / 3) * (scaled / f[:, None]).sum(axis=0) / 2)
    np.testing.assert_allclose(post, scaled * w / (scaled * w).sum(axis=1, keepdims=True))


def test_npmle_gathers_two_groups_of_trusts_on_two_points():
    # 20 trusts at 60% and 20 at 90% (n = 2,000): the prior's mass sits within 0.02 of the two truths
    x = np.r_[np.full(20, 1200.0), np.full(20, 1800.0)]
    grid = np.linspace(0.5, 0.995, 100)
    ll = x[:, None] * np.log(grid) + (2000 - x)[:, None] * np.log1p(-grid)
    post, w = npmle(ll)
    assert abs(w.sum() - 1) < 1e-12 and np.allclose(post.sum(axis=1), 1)
    near = (np.abs(grid - 0.6) <= 0.02) | (np.abs(grid - 0.9) <= 0.02)
    assert w[near].sum() > 0.99
    np.testing.assert_allclose([w[grid < 0.75].sum(), w[grid > 0.75].sum()], [0.5, 0.5], atol=1e-6)


def world(cdf, support):
    c = len(cdf)
    return World(np.arange(c), np.ones(c, np.int8), np.asarray(cdf, float), np.asarray(support, float),
                 np.ones(c), np.ones(c), np.zeros(c))


def test_posterior_index_is_the_count_of_cdf_points_at_or_below_u():
    # two cells, four grid points (P = 4): cdf (0.1, 0.5, 0.5, 1) and (0.25, 0.5, 0.75, 1)
    w = world([[0.1, 0.5, 0.5, 1.0], [0.25, 0.5, 0.75, 1.0]], [[1, 2, 3, 4], [5, 6, 7, 8]])
    u = np.array([[0.05, 0.05], [0.1, 0.3], [0.5, 0.75], [0.99, 0.999]])
    # cell 0: 0.05 -> 0, 0.1 -> 1, 0.5 -> 3 (the empty third point is never drawn), 0.99 -> 3
    # cell 1: 0.05 -> 0, 0.3 -> 1, 0.75 -> 3, 0.999 -> 3
    assert posterior_index(w, u).tolist() == [[0, 0], [1, 1], [3, 3], [3, 3]]
    # one grid point: always it
    assert posterior_index(world([[1.0]], [[7.0]]), np.array([[0.0], [0.999]])).tolist() == [[0], [0]]


def test_posterior_index_agrees_with_searchsorted():
    rng = np.random.default_rng(5)
    p = rng.dirichlet(np.ones(6), size=3)
    cdf = np.cumsum(p, axis=1)
    cdf[:, -1] = 1.0
    padded = np.concatenate([cdf, np.full((3, 2), 2.0)], axis=1)            # padded to P = 8, as the world is
    w = world(padded, np.concatenate([np.tile(np.arange(6.0), (3, 1)), np.full((3, 2), np.nan)], axis=1))
    w.support = w.support[:, :6]
    u = rng.random((200, 3))
    expected = np.stack([np.searchsorted(cdf[j], u[:, j], side="right") for j in range(3)], axis=1)
    assert np.array_equal(posterior_index(w, u), expected)


@pytest.fixture(scope="module")
def six_alike():
    """Six trusts with identical data (2,400 of 3,000): one binomial metric."""
    g = one_metric_table([2400] * 6, 3000)
    return empirical_bayes_world(sampling_model(g), 1)


def test_the_world_of_one_binomial_metric(six_alike):
    w = six_alike
    assert w.cells.tolist() == list(range(6)) and (w.kind == 1).all() and (w.n == 3000).all()
    # every posterior is a CDF ending at 1, padded with 2.0 to a power of two
    P = w.cdf.shape[1]
    assert P & (P - 1) == 0 and P >= w.width
    assert np.allclose(w.cdf[:, w.width - 1], 1.0) and (w.cdf[:, w.width:] == 2.0).all()
    assert (np.diff(w.cdf[:, :w.width], axis=1) >= 0).all()
    # identical data: identical posteriors, centred on 80%
    assert np.allclose(w.cdf, w.cdf[0])
    mean = (np.diff(np.r_[0.0, w.cdf[0, :w.width]]) * w.support[0]).sum()
    assert abs(mean - 0.8) < 0.005


def test_the_world_can_hold_ties_and_draws_are_a_prefix(six_alike):
    w = six_alike
    truth, obs = np.zeros((16, 6)), np.zeros((16, 6))
    draw_world(w, np.random.default_rng(4), 16, truth, obs)
    # identical data, identical posteriors: the six true values often coincide exactly within a replicate
    assert np.mean([len(np.unique(r)) < 6 for r in truth]) > 0.5
    assert np.isin(truth, w.support[0]).all()                          # true values are grid points
    assert np.array_equal(obs * 3000, np.round(obs * 3000))          # observations are counts / n
    t2, o2 = np.zeros((5, 6)), np.zeros((5, 6))
    draw_world(w, np.random.default_rng(4), 5, t2, o2, block=16)
    assert np.array_equal(t2, truth[:5]) and np.array_equal(o2, obs[:5])


def test_draw_world_leaves_cells_it_does_not_resample():
    # a normal cell with standard error 0 on a one-point grid, beside an untouched column
    w = World(np.array([1]), np.array([3], np.int8), np.array([[1.0]]), np.array([[2.5]]), np.zeros(1),
              np.ones(1), np.zeros(1))
    truth, obs = np.full((3, 2), 9.0), np.full((3, 2), 9.0)
    draw_world(w, np.random.default_rng(0), 3, truth, obs)
    assert truth.tolist() == obs.tolist() == [[9.0, 2.5]] * 3
