"""Rank sets and draws: hand-checkable cases (issue 11)."""

import numpy as np
import pandas as pd
import pytest

import nhsrank
from nhsrank.uncertainty.ranksets import holm, wilson_interval
from support import reference
from nhsrank.uncertainty.ranksets import simultaneous_rank_sets
from support import NO_ATTRIBUTES, one_metric_table


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
    from nhsrank.uncertainty.ranksets import adjacent_pairs, pairs_headline

    rng = np.random.default_rng(0)
    obs = np.array([0.0, 2.0, 1.0])
    reps = obs + rng.normal(0, 0.05, (4000, 3))
    pos = np.tile([1.0, 2.0, 3.0], (4000, 1))
    out = adjacent_pairs(np.array(list("ABC")), np.arange(1, 4), obs, reps, pos)
    assert out["differs"].tolist() == [True, True]
    assert out["differs_in_order"].tolist() == [True, False]
    headline = pairs_headline(out, 0.95, 4000)
    assert headline.startswith("of 2 neighbouring pairs, 1 differs significantly in average score")
    assert "1 pair is placed against their scores" in headline


# ---------------------------------------------------------------- marginal rank sets (one trust at a time)

from hypothesis import given, settings, strategies as st  # noqa: E402

from nhsrank.uncertainty.ranksets import marginal_rank_sets, score_interval  # noqa: E402


def test_marginal_two_equal_trusts_share_both_ranks():
    rng = np.random.default_rng(0)
    obs = np.array([1.0, 1.0])
    sets = marginal_rank_sets(obs, obs + rng.normal(0, 0.1, (2000, 2)))
    assert sets[["rank_lower", "rank_upper"]].values.tolist() == [[1, 2], [1, 2]]


def test_marginal_three_tied_blocks():
    rng = np.random.default_rng(1)
    obs = np.repeat([1.0, 2.0, 3.0], 3)
    sets = marginal_rank_sets(obs, obs + rng.normal(0, 0.05, (2000, 9)))
    assert sets["rank_lower"].tolist() == [1, 1, 1, 4, 4, 4, 7, 7, 7]
    assert sets["rank_upper"].tolist() == [3, 3, 3, 6, 6, 6, 9, 9, 9]


def test_marginal_all_equal_is_every_rank():
    # 30 trusts truly alike, estimates differing only by noise: no trust is surely above or below another
    rng = np.random.default_rng(2)
    obs = rng.normal(0, 0.1, 30)
    sets = marginal_rank_sets(obs, obs + rng.normal(0, 0.1, (1000, 30)))
    assert (sets["rank_lower"] <= 3).all() and (sets["rank_upper"] >= 28).all()


def test_marginal_by_hand_one_clear_gap():
    # two clusters 10 standard errors apart: each trust is surely below/above the other cluster, and no more
    rng = np.random.default_rng(3)
    obs = np.array([1.0, 1.01, 1.02, 2.0, 2.01])
    sets = marginal_rank_sets(obs, obs + rng.normal(0, 0.05, (4000, 5)))
    assert sets["rank_lower"].tolist() == [1, 1, 1, 4, 4]
    assert sets["rank_upper"].tolist() == [3, 3, 3, 5, 5]
    assert sets["score_rank"].tolist() == [1, 2, 3, 4, 5]


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.lists(st.integers(0, 6), min_size=2, max_size=12), st.integers(0, 10_000))
def test_marginal_sets_hold_the_observed_rank_and_sit_inside_the_simultaneous(levels, seed):
    obs = np.asarray(levels, float) / 10
    rng = np.random.default_rng(seed)
    reps = obs + rng.normal(0, 0.1, (400, obs.size))
    m = marginal_rank_sets(obs, reps)
    s, _ = simultaneous_rank_sets(obs, reps)
    assert (m["rank_lower"] <= m["score_rank"]).all() and (m["score_rank"] <= m["rank_upper"]).all()
    assert (s["simultaneous_rank_lower"] <= m["rank_lower"]).all()
    assert (m["rank_upper"] <= s["simultaneous_rank_upper"]).all()
    assert (m["rank_lower"] >= 1).all() and (m["rank_upper"] <= obs.size).all()


def test_marginal_memory_error_names_need_and_option():
    with pytest.raises(nhsrank.InputError, match="max_memory_gb"):
        marginal_rank_sets(np.zeros(3000), np.zeros((10, 3000)), max_memory_gb=0.1)


def test_score_interval_methods_by_hand():
    # replicates 1.2, 1.4, ..., 2.0 around an estimate of 1.5; 60% level: 20th and 80th percentiles 1.36 and 1.84
    reps = np.array([[1.2], [1.4], [1.6], [1.8], [2.0]])
    pct = score_interval([1.5], reps, 0.6, "percentile")
    basic = score_interval([1.5], reps, 0.6, "basic")
    hull = score_interval([1.5], reps, 0.6)
    assert np.allclose(np.ravel(pct), [1.36, 1.84])
    assert np.allclose(np.ravel(basic), [2 * 1.5 - 1.84, 2 * 1.5 - 1.36])
    assert np.allclose(np.ravel(hull), [1.16, 1.84])
    assert np.allclose(np.ravel(score_interval([1.05], reps, 0.6, bounds=(1.0, 4.0))), [1.0, 1.84])
    with pytest.raises(ValueError, match="unknown method"):
        score_interval([1.5], reps, 0.6, "bca")


@pytest.mark.filterwarnings(NO_ATTRIBUTES)  # the A&E data or a small hand-made table: no trust attributes, on purpose
def test_zero_and_full_rate_trusts_get_honest_rank_sets():
    # NHS England's A&E data, non-acute organisations: many walk-in centres at 100% within 4 hours
    ae = nhsrank.read_ae_attendances()
    g = nhsrank.peer_group(ae, "2018-19-Q4", "non-acute", "ae-4hr")
    u_res = nhsrank.rank_uncertainty(g, n_boot=1000, seed=1, progress=False)
    u = u_res.table
    # no trust is pinned to [1, 1] unless the data truly pin it: ties at 100% share ranks
    full = u["average_metric_score"] == u["average_metric_score"].min()
    assert full.sum() > 1
    assert (u.loc[full, "rank_upper"] >= full.sum()).all()
    assert ((u["rank_lower"] == 1) & (u["rank_upper"] == 1)).sum() == 0


@pytest.mark.filterwarnings(NO_ATTRIBUTES)  # the A&E data or a small hand-made table: no trust attributes, on purpose
def test_zero_and_full_rates_in_a_four_trust_table_by_hand():
    # one binomial metric (A&E within 4 hours, higher is better): B and C at 400/400 tie for the best rank,
    # D at 200/400 is surely third, A at 0/400 surely last; nobody is pinned by a rate that cannot move
    rows = [{"trust_code": c, "trust_name": f"Trust {c}", "trust_type": "acute", "quarter": "2018-19-Q4",
             "metric_id": "AE4HR", "value": x / 400, "numerator": x, "denominator": 400}
            for c, x in (("A", 0), ("B", 400), ("C", 400), ("D", 200))]
    u = nhsrank.rank_uncertainty(pd.DataFrame(rows), "2018-19-Q4", "acute", "ae-4hr", n_boot=2000, seed=1,
                                 progress=False).table.set_index("trust_code")
    assert u.loc[["B", "C"], "score_rank"].tolist() == [1, 1]
    assert u.loc[["B", "C"], "rank_lower"].tolist() == [1, 1]
    assert u.loc[["B", "C"], "rank_upper"].tolist() == [2, 2]
    assert (u.loc["D", ["rank_lower", "rank_upper"]] == 3).all()
    assert (u.loc["A", ["rank_lower", "rank_upper"]] == 4).all()
    # the empirical-Bayes world can hold B and C truly tied at 100% (issue 20): their likely positions
    # stay within 1-2, never below D
    assert (u.loc[["B", "C"], "likely_position_lower"] == 1).all()
    assert (u.loc[["B", "C"], "likely_position_upper"] <= 2).all()


@pytest.mark.filterwarnings(NO_ATTRIBUTES)  # the A&E data or a small hand-made table: no trust attributes, on purpose
def test_above_the_unit_limit_the_rank_set_columns_stay_and_say_why(monkeypatch):
    import nhsrank.uncertainty.ranksets as rs

    monkeypatch.setattr(rs, "MAX_RANKSET_TRUSTS", 3)
    ae = nhsrank.read_ae_attendances()
    with pytest.warns(nhsrank.uncertainty.UncertaintyWarning, match="rank_sets=True"):
        u_res = nhsrank.rank_uncertainty(ae, "2018-19-Q4", "acute", "ae-4hr", n_boot=64, progress=False)
        u = u_res.table
    for col in ("rank_lower", "rank_upper", "simultaneous_rank_lower", "simultaneous_rank_upper"):
        assert col in u and u[col].isna().all()
    assert (u["score_rank"] >= 1).all() and "not computed" in u_res.headline
    # asked for explicitly, they are computed
    forced_res = nhsrank.rank_uncertainty(ae, "2018-19-Q4", "acute", "ae-4hr", n_boot=64, progress=False,
                                      rank_sets=True)
    forced = forced_res.table
    assert forced["rank_lower"].notna().all() and (forced["score_rank"] == u["score_rank"]).all()


# ---------------------------------------------------------------- ties through rank scoring (issue 20)


def _sets(u):
    return u[["rank_lower", "rank_upper"]].values.tolist(), \
        u[["simultaneous_rank_lower", "simultaneous_rank_upper"]].values.tolist()


def test_two_equal_trusts_through_rank_scoring_by_hand():
    # S00 99%, S01 and S02 both 80% (2,400 / 3,000: the same rank score, 2.50 as ae-4hr shares tied ranks
    # by their mean), S03 50%.
    # By hand: S00 is surely first, S03 surely last, S01 and S02 can each be second or third.
    g = one_metric_table([2970, 2400, 2400, 1500], 3000)
    u_res = nhsrank.rank_uncertainty(g, n_boot=2000, seed=1, progress=False)
    u = u_res.table.set_index("trust_code").sort_index()
    assert u["average_metric_score"].tolist() == [1.0, 2.5, 2.5, 4.0]
    assert u["score_rank"].tolist() == [1, 2, 2, 4]
    marg, sim = _sets(u)
    assert marg == sim == [[1, 1], [2, 3], [2, 3], [4, 4]]
    pairs = u_res.adjacent_pairs
    # the tied pair does not differ; the two real gaps do (Holm over 3 pairs, 2,000 replicates)
    tied = pairs["trust_above"].isin(["S01", "S02"]) & pairs["trust_below"].isin(["S01", "S02"])
    assert not pairs.loc[tied, "differs"].any() and pairs.loc[~tied, "differs_in_order"].all()


def test_three_tied_blocks_through_rank_scoring_by_hand():
    # three blocks of three trusts at about 90%, 75% and 60% (n = 2,000); inside a block the counts differ
    # by 10 (0.5 points, a third of the standard error of a difference): by hand, each block's trusts can
    # take any of the block's three ranks and no other
    counts = [1790, 1800, 1810, 1490, 1500, 1510, 1190, 1200, 1210]
    g = one_metric_table(counts, 2000)
    u = nhsrank.rank_uncertainty(g, n_boot=2000, seed=2, progress=False).table.set_index("trust_code").sort_index()
    marg, sim = _sets(u)
    expect = [[1, 3]] * 3 + [[4, 6]] * 3 + [[7, 9]] * 3
    assert marg == expect and sim == expect


def test_thirty_truly_equal_trusts_every_set_holds_rank_one():
    # 30 trusts truly at 80% (n = 3,000), observed once: their rank scores spread from 1.00 to 4.00, but the
    # truth ties them all at 1.00 (ties take the best rank), so every set must reach rank 1. The bootstrap
    # before issue 20 gave the trust placed last [5, 30]: four trusts "surely better" than an identical one.
    counts = np.random.default_rng(20).binomial(3000, 0.8, 30)
    g = one_metric_table(counts, 3000)
    u_res = nhsrank.rank_uncertainty(g, n_boot=1000, seed=3, progress=False)
    u = u_res.table
    # valid for all trusts at once: every set is [1, 30]; each trust's own set holds rank 1 with 95%
    # probability, and the trust placed last is no longer four ranks from the top
    assert (u["simultaneous_rank_lower"] == 1).all() and (u["simultaneous_rank_upper"] == 30).all()
    assert u["rank_lower"].iloc[-1] < 5 and (u["rank_lower"] == 1).mean() > 0.9
    # the neighbour tests read the same resampling: no neighbouring pair differs
    assert u_res.headline.startswith("of 29 neighbouring pairs, 0 differ")


def test_holm_against_worked_figures():
    """tests/results/holm.csv: Holm's step-down adjustment worked by hand (steps in tests/results/README.md)."""
    for case, ref in reference("holm.csv").groupby("case", sort=False):
        np.testing.assert_allclose(holm(ref["p"].to_numpy()), ref["p_holm"], rtol=1e-12, err_msg=case)


def test_wilson_interval_against_published_figures():
    """tests/results/wilson_interval.csv: Newcombe (1998)'s Wilson intervals, and x = 0 and x = n by hand."""
    ref = reference("wilson_interval.csv")
    lo, hi = wilson_interval(ref["x"].to_numpy(), ref["n"].to_numpy())
    np.testing.assert_allclose(lo, ref["lower"], atol=5e-5)      # the figures are published to 4 dp
    np.testing.assert_allclose(hi, ref["upper"], atol=5e-5)
