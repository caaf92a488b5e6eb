"""The rank uncertainty engine: bootstrap of the whole pipeline and its statistics."""
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import nhsrank
from support import MINI
from nhsrank.uncertainty.ranksets import (adjacent_pairs, pairs_headline, rankability_from_replicates,
                                          simultaneous_rank_sets, value_intervals)
from nhsrank.uncertainty import BLOCK, UncertaintyWarning, bootstrap, rank_uncertainty, sampling_model

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from pandas_reference import pandas_league  # noqa: E402
from support import NO_ATTRIBUTES

# the A&E data, the worked example and the simulated tables carry no trust attributes on purpose: nhsrank's note
# saying so is tested in tests/data/test_readers_attributes.py
pytestmark = pytest.mark.filterwarnings(NO_ATTRIBUTES)

Q1 = "2025-26-Q1"
AE_Q = "2018-19-Q4"


def mini_frame(n=24, seed=0, den_scale=1.0):
    """A mini-methodology table: M1 binomial, M2 poisson, M3 thresholds (fixed); two trusts excluded."""
    rng = np.random.default_rng(seed)
    rows = []
    p = np.linspace(0.55, 0.85, n)
    for i in range(n):
        code = f"T{i:03d}"
        den = float(round(400 * den_scale * (1 + i % 3)))
        num = float(rng.binomial(int(den), p[i]))
        cnt = float(rng.poisson(50 + 3 * i))
        base = {"trust_code": code, "trust_name": f"Trust {code}", "trust_type": "acute", "quarter": Q1}
        rows.append({**base, "metric_id": "M1", "value": num / den, "numerator": num, "denominator": den})
        if i >= 2:  # T000 and T001 report only M1: excluded (min_metrics 2)
            rows.append({**base, "metric_id": "M2", "value": cnt / 10, "numerator": cnt})
            rows.append({**base, "metric_id": "M3", "value": float(i % 2)})
    metrics = nhsrank.read_metrics(pd.DataFrame(rows))
    attrs = nhsrank.read_attributes(pd.DataFrame({
        "trust_code": [f"T{i:03d}" for i in range(n)], "quarter": Q1,
        "financial_deficit": [i % 5 == 0 for i in range(n)], "pip": [i == 7 for i in range(n)]}))
    return metrics, attrs


@pytest.fixture(scope="module")
def mini_group():
    m, a = mini_frame()
    return nhsrank.peer_group(m, Q1, "acute", MINI, a)


@pytest.fixture(scope="module")
def ae():
    return nhsrank.read_ae_attendances()


@pytest.fixture(scope="module")
def ae_group(ae):
    return nhsrank.peer_group(ae, AE_Q, "acute", "ae-4hr")


def binomial_group(p, n, seed):
    """One binomial metric (ae-4hr rules) with true proportions p and denominators n, observed once."""
    rng = np.random.default_rng(seed)
    num = rng.binomial(n, p).astype(float)
    codes = [f"X{i:03d}" for i in range(len(p))]
    df = pd.DataFrame({"trust_code": codes, "trust_name": codes, "trust_type": "acute", "quarter": Q1,
                       "metric_id": "AE4HR", "value": num / n, "numerator": num, "denominator": np.asarray(n, float)})
    return nhsrank.peer_group(nhsrank.read_metrics(df), Q1, "acute", "ae-4hr")


# ---------------------------------------------------------------- reproducibility


def test_same_seed_same_output_whatever_chunks_and_threads(mini_group):
    src = ("sampling", "metrics", "weights")
    a = bootstrap(mini_group, 150, seed=3, sources=src, chunk_size=BLOCK, n_jobs=1, progress=False)
    b = bootstrap(mini_group, 150, seed=3, sources=src, chunk_size=10 * BLOCK, n_jobs=3, progress=False)
    c = bootstrap(mini_group, 40, seed=3, sources=src, progress=False)
    d = bootstrap(mini_group, 150, seed=4, sources=src, progress=False)
    for k in ("average_metric_score", "segment", "league_position", "segment_before_adjustment"):
        assert np.array_equal(getattr(a, k), getattr(b, k), equal_nan=True)
        assert np.array_equal(getattr(a, k)[:40], getattr(c, k), equal_nan=True)   # prefix of a longer run
    assert not np.array_equal(a.avg, d.avg, equal_nan=True)
    u1_res = rank_uncertainty(mini_group, n_boot=150, seed=3, progress=False, chunk_size=BLOCK)
    u1 = u1_res.table
    u2_res = rank_uncertainty(mini_group, n_boot=150, seed=3, progress=False, chunk_size=160, n_jobs=2)
    u2 = u2_res.table
    pd.testing.assert_frame_equal(u1, u2)
    pd.testing.assert_frame_equal(u1_res.adjacent_pairs, u2_res.adjacent_pairs)


def test_adding_weights_keeps_the_sampling_draws(mini_group):
    a = bootstrap(mini_group, 50, seed=2, sources=("sampling",), keep_values=True, progress=False)
    b = bootstrap(mini_group, 50, seed=2, sources=("sampling", "weights"), keep_values=True, progress=False)
    assert np.array_equal(a.values, b.values, equal_nan=True)
    assert not np.array_equal(a.avg, b.avg, equal_nan=True)


# ---------------------------------------------------------------- the whole pipeline, every replicate


def test_every_replicate_is_the_whole_pipeline(mini_group):
    """Replicates equal an independent per-replicate pandas implementation run on the same values."""
    g = mini_group
    rep = bootstrap(g, 12, seed=9, keep_values=True, progress=False)
    codes = g.trusts["trust_code"].to_numpy()
    T, M = g.values.shape
    inc = g.included
    for r in range(rep.n_boot):
        long = pd.DataFrame({"trust_code": np.repeat(codes, M), "metric_id": np.tile(g.metrics["metric_id"], T),
                             "value": rep.values[r].astype(float).ravel()})
        ref = pandas_league(long, g.metrics, pd.Series(g.included, index=codes), pd.Series(g.deficit, index=codes),
                            pd.Series(g.pip, index=codes), g.methodology).reindex(codes[inc])
        assert np.allclose(
            ref["average_metric_score"], rep.avg[r, inc], rtol=0, atol=1e-9
        )  # reference rounds to 10 decimals
        assert np.array_equal(ref["segment"], rep.segment[r, inc])
        assert np.array_equal(ref["league_position"], rep.league_position[r, inc])
    # the replicate values really vary, PIP trust stays in segment 5, deficit trusts never above segment 3
    assert np.std(rep.values[:, inc, 0], axis=0).min() > 0
    assert np.all(rep.segment[:, codes == "T007"] == 5)
    assert np.all(rep.segment[:, g.deficit & ~g.pip & inc] >= 3)


def test_without_noise_every_replicate_is_the_published_table():
    m, a = mini_frame()
    m = m.copy()
    m[["numerator", "denominator", "standard_error"]] = np.nan   # nothing to resample
    fixed = nhsrank.peer_group(m, Q1, "acute", MINI, a)
    # the sampling bootstrap itself (the default for such data is the scores source: nothing to redraw)
    u_res = rank_uncertainty(fixed, n_boot=64, progress=False, on_missing="ignore", sources=("sampling",))
    u = u_res.table
    t = nhsrank.league_table(m, Q1, "acute", MINI, attributes=a).table
    assert list(u["trust_code"]) == list(t["trust_code"])
    assert (u["likely_position_lower"] == t["league_position"]).all()
    assert (u["likely_position_upper"] == t["league_position"]).all()
    # nothing varies: every non-zero difference of scores is certain, ties are not told apart
    scores = u["average_metric_score"].to_numpy()
    assert (u["rank_lower"] == 1 + (scores[None, :] < scores[:, None]).sum(axis=1)).all()
    assert (u["rank_upper"] == (scores[None, :] <= scores[:, None]).sum(axis=1)).all()
    for k in (1, 2, 3, 4):
        assert np.array_equal(u[f"p_segment_{k}"].to_numpy(), (t["segment"] == k).to_numpy().astype(float))
    assert (u_res.adjacent_pairs["diff_se"] < 1e-12).all() and (u["score_se"] < 1e-12).all()
    assert len(u_res.fixed_cells) == int((m["metric_id"] != "M3").sum())


def test_metrics_source_with_one_metric_changes_nothing(ae_group):
    rep = bootstrap(ae_group, 32, seed=1, sources=("metrics",), progress=False)
    obs = ae_group.run()["league_position"]
    assert np.array_equal(rep.league_position, np.broadcast_to(obs, rep.league_position.shape), equal_nan=True)


def test_weights_near_equal_when_concentrated(mini_group):
    g = mini_group
    inc = g.included
    obs = g.run()["average_metric_score"][inc]
    tight = bootstrap(g, 64, seed=1, sources=("weights",), dirichlet_alpha=1e6, progress=False)
    loose = bootstrap(g, 64, seed=1, sources=("weights",), dirichlet_alpha=1.0, progress=False)
    assert np.abs(tight.avg[:, inc] - obs).max() < 0.01
    assert np.abs(loose.avg[:, inc] - obs).max() > 0.1


# ---------------------------------------------------------------- the statistics


def test_table_columns_and_attrs(mini_group):
    u_res = rank_uncertainty(mini_group, n_boot=200, seed=1, progress=False)
    u = u_res.table
    t = nhsrank.league_table(*mini_frame()[:1], Q1, "acute", MINI, attributes=mini_frame()[1]).table
    assert list(u["trust_code"]) == list(t["trust_code"])
    assert (u["league_position"].to_numpy() == t["league_position"].to_numpy()).all()
    p = u[[f"p_segment_{k}" for k in (1, 2, 3, 4, 5)]].sum(axis=1)
    assert np.allclose(p, 1.0)
    assert (u.loc[u["trust_code"] == "T007", "p_segment_5"] == 1).all()
    assert (u["likely_position_lower"] <= u["likely_position_median"]).all()
    assert (u["likely_position_median"] <= u["likely_position_upper"]).all()
    assert (u["rank_lower"] <= u["score_rank"]).all() and (u["score_rank"] <= u["rank_upper"]).all()
    # a trust's own confidence set is never wider than the simultaneous one
    assert (u["simultaneous_rank_lower"] <= u["rank_lower"]).all()
    assert (u["rank_upper"] <= u["simultaneous_rank_upper"]).all()
    assert (u["score_lower"] <= u["average_metric_score"]).all()
    assert (u["average_metric_score"] <= u["score_upper"]).all()
    assert (u["score_lower"] <= u["likely_score_lower"] + 1e-12).all()   # the hull holds the percentile interval
    assert (u["likely_score_upper"] <= u["score_upper"] + 1e-12).all()
    # deficit trusts never reach segment 1, but their score may be top-quartile
    deficit = u["trust_code"].isin([f"T{i:03d}" for i in range(0, 24, 5)])
    assert (u.loc[deficit, ["p_segment_1", "p_segment_2"]] == 0).all().all()
    assert u["p_top_quartile"].between(0, 1).all()
    assert set(u_res.exclusions["trust_code"]) == {"T000", "T001"}
    assert set(u["trust_code"]).isdisjoint({"T000", "T001"})
    pairs = u_res.adjacent_pairs
    assert len(pairs) == len(u) - 1
    assert u_res.headline.startswith(f"of {len(u) - 1} neighbouring pairs, {int(pairs['differs'].sum())} ")
    assert "no pair can reach Holm significance" in u_res.headline   # 200 replicates, 21 pairs
    rs = u_res.rank_sets
    assert (rs["simultaneous_rank_lower"] <= rs["score_rank"]).all()
    assert (rs["score_rank"] <= rs["simultaneous_rank_upper"]).all()


def test_pairwise(mini_group):
    u_res = rank_uncertainty(mini_group, n_boot=300, seed=1, progress=False)
    u = u_res.table
    pw = u_res.pairwise
    top, second = u["trust_code"].iloc[0], u["trust_code"].iloc[1]
    last = u.sort_values("average_metric_score")["trust_code"].iloc[-1]      # worst score (not PIP-placed)
    assert pw.prob_above(top, second) + pw.prob_above(second, top) == pytest.approx(1.0)
    assert pw.prob_above(top, last) > 0.99
    assert pw.differ(top, last) and pw.differ(last, top)
    d = pw.difference(top, last)
    assert d["lower"] < d["score_difference"] < d["upper"] < 0
    m = pw.prob_matrix()
    assert np.allclose(m.values + m.values.T, 1.0)
    assert m.loc[top, second] == pytest.approx(pw.prob_above(top, second))
    with pytest.raises(nhsrank.InputError, match="T000"):
        pw.prob_above("T000", top)        # excluded trust: no position
    with pytest.raises(nhsrank.InputError):
        pw.differ("NOPE", top)
    # simultaneous rejections are a subset of the marginal ones
    codes = list(u["trust_code"])
    for a in codes[:6]:
        for b in codes[-6:]:
            if pw.differ(a, b, simultaneous=True):
                assert pw.differ(a, b)


def test_adjacent_pairs_detects_a_real_gap():
    rng = np.random.default_rng(0)
    obs = np.array([1.0, 1.01, 2.0, 2.01])
    reps = obs + rng.normal(0, 0.05, (4000, 4))
    pos = np.argsort(np.argsort(reps, axis=1), axis=1) + 1.0
    out = adjacent_pairs(np.array(list("ABCD")), np.arange(1, 5), obs, reps, pos)
    assert out["differs"].tolist() == [False, True, False]
    assert out["differs_in_order"].tolist() == [False, True, False]
    assert pairs_headline(out, 0.95, 4000) == ("of 3 neighbouring pairs, 1 differs significantly in average score "
                                    "in the table's order (95%, Holm-adjusted)")


def test_simultaneous_rank_sets_by_hand():
    rng = np.random.default_rng(1)
    obs = np.array([1.0, 1.05, 2.0, 3.0, 3.02])
    sets, rej = simultaneous_rank_sets(obs, obs + rng.normal(0, 0.05, (3000, 5)))
    assert sets["simultaneous_rank_lower"].tolist() == [1, 1, 3, 4, 4]
    assert sets["simultaneous_rank_upper"].tolist() == [2, 2, 3, 5, 5]
    assert rej[2, 0] and not rej[0, 2] and not rej[1, 0]


def test_rankability_agrees_with_agreement_module(mini_group):
    from nhsrank.sensitivity.agreement import rankability as agreement_rankability

    rep = bootstrap(mini_group, 300, seed=1, progress=False)
    inc = mini_group.included
    mine = rankability_from_replicates(rep.observed["average_metric_score"][inc], rep.avg[:, inc])
    theirs = agreement_rankability(mini_group, composite_replicates=rep.avg).set_index("metric_id").loc["composite"]
    assert mine["rankability"] == pytest.approx(theirs["rankability"])
    assert 0 < mine["rankability"] < 1


# ---------------------------------------------------------------- Wilson, coverage, shrinkage


def test_bootstrap_interval_agrees_with_wilson_on_ae_data(ae_group):
    R = 4000
    rep = bootstrap(ae_group, R, seed=11, keep_values=True, progress=False)
    vi = value_intervals(rep)
    assert (vi["ref_method"] == "wilson").all() and len(vi) == int((~np.isnan(ae_group.values)).sum())
    n = ae_group.denominator[~np.isnan(ae_group.values)]
    p = vi["value"].to_numpy()
    sd = np.sqrt(p * (1 - p) / n)
    # Monte Carlo standard error of a 2.5% percentile: sqrt(q (1 - q) / R) / density, plus the lattice step
    mc = np.sqrt(0.025 * 0.975 / R) / (np.exp(-1.96 ** 2 / 2) / np.sqrt(2 * np.pi)) * sd
    tol = 4 * mc + 1.0 / n + 1e-9
    ok = p < 1           # p = 1: both intervals degenerate differently (Wilson keeps a lower tail)
    assert ok.sum() > 100
    assert np.all(np.abs(vi["boot_lower"] - vi["ref_lower"])[ok] <= tol[ok])
    assert np.all(np.abs(vi["boot_upper"] - vi["ref_upper"])[ok] <= tol[ok])
    # and the agreement is not trivially loose: tolerance well inside the interval width
    assert np.median(tol[ok] / (vi["ref_upper"] - vi["ref_lower"])[ok]) < 0.1


def test_coverage_on_simulated_data_with_known_truth():
    """Draw data from a known truth many times; intervals should cover at about the nominal rate."""
    T, K = 25, 60
    p_true = np.linspace(0.70, 0.90, T)
    n = np.full(T, 800)
    true_rank = np.arange(T, 0, -1)          # higher proportion is better: the last trust is first
    cover_value, cover_rank, cover_joint = [], [], []
    for k in range(K):
        g = binomial_group(p_true, n, seed=100 + k)
        rep = bootstrap(g, 400, seed=k, keep_values=True, progress=False)
        vi = value_intervals(rep)
        cover_value.append(((vi["boot_lower"] <= p_true) & (p_true <= vi["boot_upper"])).to_numpy())
        u = rank_uncertainty(g, replicates=rep, level=0.95).table.set_index("trust_code").loc[g.trusts["trust_code"]]
        cover_rank.append(((u["rank_lower"] <= true_rank) & (true_rank <= u["rank_upper"])).to_numpy())
        cover_joint.append(bool(((u["simultaneous_rank_lower"] <= true_rank)
                                 & (true_rank <= u["simultaneous_rank_upper"])).all()))
    value_cov = np.mean(cover_value)
    rank_cov = np.mean(cover_rank)
    joint_cov = np.mean(cover_joint)
    assert 0.92 <= value_cov <= 0.975, value_cov      # nominal 0.95 (1500 intervals)
    assert rank_cov >= 0.93, rank_cov                 # marginal rank sets: at least nominal
    assert joint_cov >= 0.88, joint_cov               # simultaneous: all 25 ranks at once, nominal >= 0.95


def test_intervals_shrink_as_denominators_grow():
    p_true = np.linspace(0.70, 0.90, 30)
    widths = []
    for scale in (1, 10, 100):
        g = binomial_group(p_true, np.full(30, 200 * scale), seed=5)
        u_res = rank_uncertainty(g, n_boot=300, seed=1, progress=False)
        u = u_res.table
        widths.append(((u["rank_upper"] - u["rank_lower"]).mean(),
                       (u["simultaneous_rank_upper"] - u["simultaneous_rank_lower"]).mean(),
                       u["score_se"].mean()))
    widths = np.array(widths)
    assert np.all(np.diff(widths, axis=0) < 0), widths
    assert widths[-1, 0] < 0.25 * widths[0, 0]


# ---------------------------------------------------------------- input problems


def test_missing_sampling_inputs_warn_and_stay_fixed():
    m, a = mini_frame()
    m = m.copy()
    gone = (m["trust_code"] == "T005") & (m["metric_id"] == "M1")
    m.loc[gone, "denominator"] = np.nan
    g = nhsrank.peer_group(m, Q1, "acute", MINI, a)
    with pytest.warns(UncertaintyWarning, match=r"M1 \(1 trust: T005\)"):
        rep = bootstrap(g, 32, seed=1, keep_values=True, progress=False)
    assert rep.fixed_cells[["trust_code", "metric_id"]].values.tolist() == [["T005", "M1"]]
    i = list(g.trusts["trust_code"]).index("T005")
    assert np.all(rep.values[:, i, 0] == g.values[i, 0])
    with pytest.raises(nhsrank.InputError, match=r"trust T005, column 'M1'.*no denominator"):
        bootstrap(g, 32, seed=1, on_missing="raise", progress=False)


def test_impossible_sampling_inputs_raise(mini_group):
    import copy

    g = copy.copy(mini_group)
    g.numerator = mini_group.numerator.copy()
    g.numerator[5, 0] = g.denominator[5, 0] + 1
    with pytest.raises(nhsrank.InputError, match="numerator must lie between 0 and the denominator"):
        sampling_model(g)


def test_bad_arguments(mini_group):
    """A misused argument is a ValueError (as scipy's argument checks), not a data error (InputError)."""
    with pytest.raises(ValueError, match="unknown source") as info:
        bootstrap(mini_group, 10, sources=("sampling", "vibes"), progress=False)
    assert not isinstance(info.value, nhsrank.InputError)
    with pytest.raises(ValueError, match="stands alone"):
        bootstrap(mini_group, 10, sources=("scores", "sampling"), progress=False)
    with pytest.raises(ValueError, match="at least one source"):
        bootstrap(mini_group, 10, sources=(), progress=False)
    with pytest.raises(ValueError, match="n_boot must be at least 1, got 0"):
        bootstrap(mini_group, 0, progress=False)
    with pytest.raises(ValueError, match=r"level must lie in \(0, 1\), got 1.5"):
        rank_uncertainty(mini_group, n_boot=10, level=1.5, progress=False)


# ---------------------------------------------------------------- API on real data and the CLI


def test_rank_uncertainty_on_ae_data(ae):
    u_res = rank_uncertainty(ae, AE_Q, "acute", "ae-4hr", n_boot=400, seed=1, progress=False)
    u = u_res.table
    t = nhsrank.league_table(ae, AE_Q, "acute", "ae-4hr").table
    assert list(u["league_position"]) == list(t["league_position"])
    assert "p_segment_5" not in u.columns          # no PIP flags without attributes
    assert u_res.rankability["rankability"] > 0.9
    assert len(u_res.adjacent_pairs) == len(u) - 1


