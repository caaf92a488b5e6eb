"""The marginal stepdown recomputes only the trusts whose family changed: checked against the plain
algorithm (every trust's family recomputed at every step) on small random tables, ties included; and
``rank_sets="marginal"`` gives the marginal sets of a full run with the simultaneous columns empty."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import nhsrank
from nhsrank.uncertainty.ranksets import marginal_rank_sets


def plain_marginal(obs, reps, level=0.95, se_reps=None, se_obs=None):
    """Mogstad et al.'s marginal stepdown as written: for each trust j, test its 2(n - 1) one-sided
    comparisons with a max-t stepdown, every step over all of j's comparisons still open."""
    obs = np.round(np.asarray(obs, float), 2)
    reps = np.asarray(reps, float)
    R, n = reps.shape
    D = (reps - reps.mean(axis=0)).astype(np.float32)
    diff = obs[:, None] - obs[None, :]
    student = se_reps is not None
    if student:
        V = (np.asarray(se_reps, float) ** 2).astype(np.float32)
        se = np.sqrt(np.asarray(se_obs, float)[:, None] ** 2 + np.asarray(se_obs, float)[None, :] ** 2)
    else:
        cov = np.cov(reps, rowvar=False).reshape(n, n)
        var = np.diag(cov)
        se = np.sqrt(np.maximum(var[:, None] + var[None, :] - 2 * cov, 0.0))
        inv_se = np.where(se > 1e-12, 1.0 / np.where(se > 1e-12, se, 1), 0.0).astype(np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(se > 1e-12, diff / se, np.sign(diff) * np.inf)
    np.fill_diagonal(t, -np.inf)
    lower, upper = np.ones(n, int), np.full(n, n)
    for j in range(n):
        z = D[:, [j]] - D                                   # z[r, k]: centred j minus k
        if student:
            den = np.sqrt(V[:, [j]] + V)
            z = np.where(den > 1e-12, z / np.where(den > 1e-12, den, 1), 0.0).astype(np.float32)
        else:
            z = z * inv_se[j]
        act_b = np.arange(n) != j
        act_w = act_b.copy()
        better = np.zeros(n, bool)
        worse = np.zeros(n, bool)
        for _ in range(100):
            if not (act_b.any() or act_w.any()):
                break
            stat = np.maximum(np.where(act_b, z, -np.inf).max(axis=1), np.where(act_w, -z, -np.inf).max(axis=1))
            c = float(np.quantile(stat.astype(np.float32), level, method="higher"))
            new_b, new_w = act_b & (t[j] > c), act_w & (t[:, j] > c)
            if not (new_b.any() or new_w.any()):
                break
            better |= new_b
            worse |= new_w
            act_b &= ~new_b
            act_w &= ~new_w
        lower[j], upper[j] = 1 + better.sum(), n - worse.sum()
    return lower, upper


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 7), R=st.integers(40, 200), seed=st.integers(0, 10_000), student=st.booleans(),
       ties=st.booleans(), chunk=st.sampled_from([1, 7, 64]))
def test_marginal_sets_match_the_plain_stepdown(n, R, seed, student, ties, chunk):
    rng = np.random.default_rng(seed)
    obs = np.round(rng.uniform(1, 4, n), 2)
    if ties:
        obs[: n // 2] = obs[0]                              # a tied block
    reps = obs + rng.normal(0, rng.uniform(0.02, 0.5), (R, n))
    se = dict(se_reps=np.abs(rng.normal(0.2, 0.05, (R, n))) + 0.01, se_obs=np.full(n, 0.2)) if student else {}
    got = marginal_rank_sets(obs, reps, chunk=chunk, **se)
    lo, hi = plain_marginal(obs, reps, **se)
    assert got["rank_lower"].tolist() == lo.tolist() and got["rank_upper"].tolist() == hi.tolist()


def test_marginal_sets_by_hand_match_the_plain_stepdown():
    # two trusts far apart and two that cannot be told apart (the docstring's example)
    rng = np.random.default_rng(0)
    obs = np.array([1.0, 2.0, 2.02, 3.0])
    reps = obs + rng.normal(0, 0.05, (2000, 4))
    lo, hi = plain_marginal(obs, reps)
    assert lo.tolist() == [1, 2, 2, 4] and hi.tolist() == [1, 3, 3, 4]
    got = marginal_rank_sets(obs, reps)
    assert got["rank_lower"].tolist() == lo.tolist() and got["rank_upper"].tolist() == hi.tolist()


# the A&E file has no deficit or PIP flags: the library says so (an InputWarning), as expected here
@pytest.mark.filterwarnings("ignore:no trust attributes were given")
def test_marginal_only_gives_the_full_runs_marginal_sets_and_empty_simultaneous_columns():
    ae = nhsrank.read_ae_attendances()
    kw = dict(n_boot=300, seed=3, progress=False)
    full = nhsrank.rank_uncertainty(ae, "2018-19-Q4", "acute", "ae-4hr", **kw)
    part = nhsrank.rank_uncertainty(ae, "2018-19-Q4", "acute", "ae-4hr", rank_sets="marginal", **kw)
    pd.testing.assert_series_equal(full.table["rank_lower"], part.table["rank_lower"])
    pd.testing.assert_series_equal(full.table["rank_upper"], part.table["rank_upper"])
    assert full.table["simultaneous_rank_lower"].notna().all()
    assert part.table["simultaneous_rank_lower"].isna().all() and part.table["simultaneous_rank_upper"].isna().all()
    assert part.rank_sets["simultaneous_rank_lower"].isna().all()


@pytest.mark.filterwarnings("ignore:no trust attributes were given")
def test_rank_sets_takes_only_its_four_values():
    ae = nhsrank.read_ae_attendances()
    with pytest.raises(ValueError, match="rank_sets must be"):
        nhsrank.rank_uncertainty(ae, "2018-19-Q4", "acute", "ae-4hr", n_boot=20, progress=False,
                                 rank_sets="simultaneous")
