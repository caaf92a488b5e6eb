"""The coverage benchmark runs (a smoke test; the coverage figures themselves come from `make bench`)."""
import importlib.util
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from support import NO_ATTRIBUTES

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))   # coverage.py imports benchmarks/peer.py
# benchmarks/coverage.py, loaded by path (a package named "coverage" may also be installed)
_spec = importlib.util.spec_from_file_location(
    "nhsrank_coverage_benchmark", Path(__file__).resolve().parents[2] / "benchmarks" / "coverage.py")
cov = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = cov
_spec.loader.exec_module(cov)


def test_competition_rank_ties_share_the_better_rank():
    assert cov.competition_rank([0.2, 0.1, 0.2, 0.5]).tolist() == [2, 1, 2, 4]


def test_every_design_runs_and_prints_one_table():
    df = cov.run(n_sims=2, n_boot=48, designs=["all 30 equal", "rates at 0% and 100%"])
    assert df["design"].tolist() == ["all 30 equal", "rates at 0% and 100%"]
    for col in ("marg", "sim", "score", "old_marg", "old_sim", "old_score", "likely"):
        assert df[col].between(0, 1).all(), col
    for col in ("w_marg", "w_sim", "w_old_marg", "w_old_sim"):
        assert df[col].between(1, 40).all(), col
    text = cov.format_table(df)
    assert len(text.splitlines()) == 2 + len(df)
    assert "rates at 0% and 100%" in text


@pytest.mark.filterwarnings(NO_ATTRIBUTES)  # the benchmark's simulated table: no trust attributes, on purpose
def test_pipeline_truth_is_the_rules_on_the_true_rates(tmp_path):
    rng = np.random.default_rng(0)
    p, den = cov._pipeline_design("rates at 0% and 100%", rng)
    assert (p[:8] == 1).all() and (p[8:12] == 0).all()
    meth = cov._methodology_file(tmp_path, 1)
    import nhsrank
    g = nhsrank.peer_group(cov._frame(p * den, den), "2025-26-Q1", "acute", meth)
    avg = g.run()["average_metric_score"]
    # the eight trusts truly at 100% tie for the best score, 1.00
    assert np.allclose(avg[:8], 1.0) and (avg[8:] > 1.0).all()


# ---------------------------------------------------------------- hand-checkable ties through the whole pipeline


def test_two_metric_composite_with_a_tied_pair_by_hand(tmp_path):
    # two rank-scored binomial metrics (ties take the best rank, 2 dp), four SYNTHETIC trusts, n = 3,000:
    # S000 99% on both, S001 and S002 exactly the same 80% on both, S003 50% on both. Scores 1, 2, 2, 4 on each
    # metric, averages 1.00, 2.00, 2.00, 4.00. By hand: S000 is surely first and S003 surely last (gaps of 20 and
    # 30 points, 40 standard errors); S001 and S002 cannot be told apart, so each may be second or third.
    import nhsrank

    den = np.full((4, 2), 3000.0)
    num = np.array([[2970.0] * 2, [2400.0] * 2, [2400.0] * 2, [1500.0] * 2])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # no trust attributes: no overrides, as intended here
        g = nhsrank.peer_group(cov._frame(num, den), "2025-26-Q1", "acute", cov._methodology_file(tmp_path, 2))
    u_res = nhsrank.rank_uncertainty(g, n_boot=1000, seed=5, progress=False)
    u = u_res.table.set_index("trust_code").sort_index()
    assert u["average_metric_score"].tolist() == [1.0, 2.0, 2.0, 4.0]
    assert u_res.rank_sets_by == "average score"
    expect = [[1, 1], [2, 3], [2, 3], [4, 4]]
    assert u[["rank_lower", "rank_upper"]].values.tolist() == expect
    assert u[["simultaneous_rank_lower", "simultaneous_rank_upper"]].values.tolist() == expect
    # the neighbour tests read the same resampling: the tied pair does not differ, the two real gaps do
    pairs = u_res.adjacent_pairs
    tied = pairs["trust_above"].isin(["S001", "S002"]) & pairs["trust_below"].isin(["S001", "S002"])
    assert not pairs.loc[tied, "differs"].any() and pairs.loc[~tied, "differs_in_order"].all()


def test_scores_source_two_tied_blocks_by_hand():
    # NHS England's "scores" source on the MH/community table's shape (61 trusts, 6-11 scores each): every trust
    # of the first 30 has the scores 1.0, 2.0, 1.0, 2.0, ... (average about 1.5), every other trust 3.0, 4.0,
    # 3.0, ... (about 3.5). By hand: inside a block the trusts have the same scores and cannot be told apart;
    # the blocks are about 2 points apart with a standard error of about 0.25, so every set is its own block.
    from dataclasses import replace

    from nhsrank.uncertainty.likely_range import score_bootstrap
    from nhsrank.uncertainty.ranksets import summarise

    g0 = cov._mh_group()
    have = ~np.isnan(g0.run()["scores"])
    pattern = 1.0 + (np.cumsum(have, axis=1) % 2)                     # 2.0, 1.0, 2.0, ... along each row
    inc = np.flatnonzero(g0.included)
    block_b = np.zeros(len(have), dtype=bool)
    block_b[inc[30:]] = True
    scores = np.where(have, pattern + 2.0 * block_b[:, None], np.nan)
    g = replace(g0, published_scores=scores, take_published=np.ones(have.shape[1], dtype=bool))
    u_res = summarise(score_bootstrap(g, 1000, seed=3))
    u = u_res.table
    a = u["trust_code"].isin(g.trusts["trust_code"].to_numpy()[inc[:30]])
    n = len(inc)
    for lo, hi in (("rank_lower", "rank_upper"), ("simultaneous_rank_lower", "simultaneous_rank_upper")):
        assert (u.loc[a, lo] == 1).all() and (u.loc[a, hi] == 30).all(), lo
        assert (u.loc[~a, lo] == 31).all() and (u.loc[~a, hi] == n).all(), lo
