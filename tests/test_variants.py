"""Scoring alternatives, methodology variants, Monte Carlo over choices and leave-one-out (hand-checked)."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import nhsrank
from support import MINI
from nhsrank.rules.scoring import minmax_scores, target_scores, zscore_scores
from nhsrank.sensitivity.variants import (compare_variants, evaluate_choices, leave_one_out, leave_one_out_summary,
                              methodology_monte_carlo, methodology_variants, threshold_segmentation,
                              variant_group)
from sens_cases import ATTRS, Q1, frame


# -- scoring alternatives -------------------------------------------------------
def test_zscore_by_hand():
    # mean 2, sd sqrt(2/3) = 0.8165; z = +-1.2247 -> 2.5 -+ 0.5 * 1.2247
    s = zscore_scores(np.array([[3.0], [1.0], [2.0], [np.nan]]), True).ravel()
    assert s[:3] == pytest.approx([2.5 - 0.5 * 1.5 ** 0.5, 2.5 + 0.5 * 1.5 ** 0.5, 2.5])
    assert np.isnan(s[3])
    # lower is better flips; a 10-SD outlier is clipped at 1
    x = np.r_[np.zeros(100), 100.0][:, None]
    assert zscore_scores(x, False)[-1, 0] == 4.0 and zscore_scores(x, True)[-1, 0] == 1.0


def test_minmax_and_target_by_hand():
    assert minmax_scores(np.array([[10.0], [20.0], [40.0]]), False).ravel() == pytest.approx([1, 2, 4])
    assert minmax_scores(np.array([[5.0], [5.0]]), True).ravel() == pytest.approx([2.5, 2.5])
    # target 0.9: 0.95 and 0.9 meet it (1); worst 0.7 scores 4; 0.8 is half way: 2.5
    s = target_scores(np.array([[0.95], [0.9], [0.8], [0.7]]), True, targets=[0.9]).ravel()
    assert s == pytest.approx([1, 1, 2.5, 4])
    # no target: the 90th percentile in the better direction of [1..11] (lower better) is 2
    s = target_scores(np.arange(1.0, 12.0)[:, None], False).ravel()
    assert s[:2] == pytest.approx([1, 1]) and s[-1] == pytest.approx(4) and s[6] == pytest.approx(1 + 3 * 5 / 9)


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(float, st.tuples(st.integers(2, 12), st.integers(1, 3)),
                  elements=st.floats(0, 100, allow_nan=False)), st.sampled_from(["zscore", "minmax", "target"]))
def test_alternative_scores_in_range_and_monotone(values, method):
    fn = {"zscore": zscore_scores, "minmax": minmax_scores, "target": target_scores}[method]
    s = fn(values, True)
    assert np.all((s >= 1) & (s <= 4))
    for j in range(values.shape[1]):   # a higher value never scores worse
        o = np.argsort(values[:, j], kind="stable")
        assert np.all(np.diff(s[o, j]) <= 1e-12)


def test_with_options_scoring(mini):
    m = mini.with_options(scoring="zscore")
    assert set(m.metrics("acute")["scoring"]) == {"zscore"}
    assert list(mini.with_options(scoring="nof").metrics("acute")["scoring"]) == ["rank", "rank", "thresholds"]
    with pytest.raises(ValueError):
        mini.with_options(scoring="best")
    t = nhsrank.league_table(frame(), Q1, "acute", mini.with_options(scoring="minmax")).table.set_index("trust_code")
    # M1 min-max: A 0.9 -> 1, D 0.7 -> 1 + 3 * 0.2 / 0.4 = 2.5, F 0.5 (not ranked, still a peer) -> 4
    assert t.loc["D", "M1"] == pytest.approx(2.5)
    # M3 (0/1) min-max: B 0 -> 4, the others 1, as its cut-points
    assert t["M3"].to_dict() == {"A": 1.0, "B": 4.0, "C": 1.0, "D": 1.0, "E": 1.0}


# -- variants ---------------------------------------------------------------------
def test_methodology_variants_switch_one_thing(mini):
    v = methodology_variants(mini, thresholds=[1.5, 2.0, 2.5])
    assert v["nominal"] is mini
    assert v["no_financial_override"].overrides["financial_deficit"]["enabled"] is False
    assert v["thresholds"].segmentation == {"method": "thresholds", "n_segments": 4, "thresholds": [1.5, 2.0, 2.5]}
    assert v["mean_of_domain_means"].aggregation == "mean_of_domain_means"
    with pytest.raises(ValueError):
        threshold_segmentation(mini, [1.5, 2.0])


def test_compare_variants_by_hand(mini):
    result = compare_variants(frame(), Q1, "acute", MINI, ATTRS)
    c = result.table
    nf = c[c["variant"] == "no_financial_override"].set_index("trust_code")
    # without the cap C (segment 1 before adjustment) goes to the top, E down one
    assert nf["position_change"].to_dict() == {"A": 0, "B": 0, "C": -1, "D": 0, "E": 1}
    assert nf["segment_change"].to_dict() == {"A": 0, "B": 0, "C": -2, "D": 0, "E": 0}
    nominal = c[c["variant"] == "nominal"]
    assert (nominal["position_change"] == 0).all()
    assert list(result.exclusions["trust_code"]) == ["F"]


def test_variant_group_recomputes_inclusion(mini):
    g = nhsrank.peer_group(frame(), Q1, "acute", mini)
    v = variant_group(g, mini.with_options(min_metrics=3))
    assert sorted(v.exclusions["trust_code"]) == ["E", "F"]


# -- Monte Carlo ---------------------------------------------------------------------
def test_monte_carlo_single_switch_by_hand(mini):
    # only the financial override varies: off lifts C (segment 1 before the cap) above E.
    mc = methodology_monte_carlo(frame(), Q1, "acute", MINI, ATTRS, n_draws=16, seed=3,
                                 choices={"financial_override": (True, False)})
    runs = mc.runs
    assert len(runs) == 16 * 3
    off = ~runs["financial_override"].astype(bool)
    assert 0 < off.sum() < len(runs)
    # off: C moves 2 -> 1 and E 1 -> 2: mean shift over 5 trusts 2/5; on: nothing moves
    assert runs.loc[off, "mean_abs_shift"].eq(0.4).all() and runs.loc[~off, "mean_abs_shift"].eq(0).all()
    t = mc.trusts.set_index("trust_code")
    assert list(mc.trusts["trust_code"]) == ["E", "C", "D", "B", "A"]
    share_off = off.mean()
    assert t.loc[["A", "B", "D"], "mean_abs_shift"].eq(0).all()
    assert t.loc["C", "mean_abs_shift"] == pytest.approx(share_off)
    assert t.loc["E", "mean_abs_shift"] == pytest.approx(share_off)
    assert t.loc["C", "share_segment_changed"] == pytest.approx(share_off)   # 3 -> 1
    assert t.loc["E", "share_segment_changed"] == 0
    sob = mc.sobol.set_index(["output", "choice"])
    assert sob.loc[("position", "financial_override"), "S1"] == pytest.approx(1.0, abs=0.05)
    assert sob.loc[("position", "financial_override"), "ST"] == pytest.approx(1.0, abs=0.05)
    assert list(mc.exclusions["trust_code"]) == ["F"]


def test_monte_carlo_inert_choice_has_zero_index(mini):
    attrs = ATTRS.assign(pip=False)        # nobody in the PIP: that switch does nothing
    mc = methodology_monte_carlo(frame(), Q1, "acute", MINI, attrs, n_draws=64, seed=0)
    sob = mc.sobol[mc.sobol["output"] == "position"].set_index("choice")
    assert sob.loc["pip_override", "ST"] == pytest.approx(0, abs=1e-9)
    assert sob["ST"].max() > 0.1
    assert set(sob.index) == {"scoring", "aggregation", "segmentation", "financial_override", "pip_override",
                              "excluded_metric"}
    t = mc.trusts
    assert ((t["p05_position"] <= t["median_position"]) & (t["median_position"] <= t["p95_position"])).all()
    # seeded: same seed, same runs
    mc2 = methodology_monte_carlo(frame(), Q1, "acute", MINI, attrs, n_draws=64, seed=0)
    pd.testing.assert_frame_equal(mc.runs, mc2.runs)


@pytest.mark.parametrize("config", [
    {"scoring": "zscore", "aggregation": "mean_of_domain_means", "segmentation": "thresholds",
     "financial_override": True, "pip_override": False},
    {"scoring": "target", "aggregation": "mean_of_metrics", "segmentation": "quantile",
     "financial_override": False, "pip_override": True},
])
def test_evaluate_choices_matches_league_table(mini, config):
    g = nhsrank.peer_group(frame(), Q1, "acute", mini, ATTRS)
    pos, seg, avg = evaluate_choices(g, pd.DataFrame([config]), thresholds=[1.5, 2.0, 2.5])
    seg_block = ({"method": "thresholds", "n_segments": 4, "thresholds": [1.5, 2.0, 2.5]}
                 if config["segmentation"] == "thresholds" else {"method": "quantile", "n_segments": 4})
    m = mini.with_options(scoring=config["scoring"], aggregation=config["aggregation"], segmentation=seg_block,
                          financial_override=config["financial_override"], pip_override=config["pip_override"])
    t = nhsrank.league_table(frame(), Q1, "acute", m, ATTRS).table.set_index("trust_code")
    codes = list(g.trusts["trust_code"])
    got = pd.Series(pos[0], index=codes).dropna()
    assert got.to_dict() == t["league_position"].astype(float).to_dict()


def test_monte_carlo_on_ae_data():
    ae = nhsrank.read_ae_attendances()
    mc = methodology_monte_carlo(ae, "2018-19-Q4", "acute", "ae-4hr", n_draws=16, seed=1)
    assert len(mc.trusts) == 134 and "excluded_metric" not in set(mc.sobol["choice"])
    # one metric: no attributes, one domain -> overrides and aggregation are inert
    sob = mc.sobol.set_index(["output", "choice"])
    for c in ("aggregation", "financial_override", "pip_override"):
        assert sob.loc[("segment", c), "ST"] == pytest.approx(0, abs=1e-9)


# -- leave one out ------------------------------------------------------------------
def test_leave_one_out_by_hand(mini):
    result = leave_one_out(frame(), Q1, "acute", MINI)
    loo = result.table
    m3 = loo[loo["left_out"] == "M3"].set_index("trust_code")
    # without M3: A 1, B 1.95, C 2.45, D 3.4, E 3.4 -> segments 1 1 2 3 3, positions 1 2 3 4 4
    assert m3["score"].to_dict() == pytest.approx({"A": 1, "B": 1.95, "C": 2.45, "D": 3.4, "E": 3.4})
    assert m3["position"].to_dict() == {"A": 1, "B": 2, "C": 3, "D": 4, "E": 4}
    assert m3["position_change"].to_dict() == {"A": 0, "B": -3, "C": 1, "D": 0, "E": 1}
    assert m3["segment_change"].to_dict() == {"A": 0, "B": -3, "C": 1, "D": 0, "E": 1}
    # domain d2 is M3 alone: the same result
    d2 = loo[loo["left_out"] == "d2"].set_index("trust_code")
    assert d2["position"].to_dict() == m3["position"].to_dict()
    s = leave_one_out_summary(loo).set_index("left_out")
    assert s.loc["M3", "n_segment_changed"] == 3
    assert s.loc["M3", "n_segment_better"] == 1 and s.loc["M3", "n_segment_worse"] == 2
    assert set(s.index) == {"M1", "M2", "M3", "d1", "d2"}
    assert len(loo) == 5 * 5                     # 5 items x 5 ranked trusts; F listed as excluded
    assert list(result.exclusions["trust_code"]) == ["F"]


def test_leave_one_out_single_metric_skips():
    ae = nhsrank.read_ae_attendances()
    loo = leave_one_out(ae, "2018-19-Q4", "acute", "ae-4hr")
    assert loo.table.empty and loo.skipped == [("metric", "AE4HR"), ("domain", "access")]


# -- the 2026/27 methodology file ----------------------------------------------------
def test_nof_2026_27_is_nof_2025_26_with_thresholds():
    import yaml
    from importlib import resources

    folder = resources.files("nhsrank.rules") / "methodologies"
    a = yaml.safe_load((folder / "nof-2025-26.yaml").read_text())
    b = yaml.safe_load((folder / "nof-2026-27.yaml").read_text())
    for key in ("trust_types", "overrides", "aggregation", "domains", "score_range"):
        assert a[key] == b[key], f"nof-2026-27.yaml {key} out of step with nof-2025-26.yaml"
    assert b["segmentation"]["method"] == "thresholds" and len(b["segmentation"]["thresholds"]) == 3


def test_nof_2026_27_ranks_every_quarter():
    from nhsrank.data.synthetic import QUARTERS, generate

    metrics, attrs = generate("nof-2025-26", seed=5, sizes={"acute": 30, "non-acute": 20, "ambulance": 8})
    # ranking needs the values only (the numerators are checked by test_io / test_synthetic)
    metrics = metrics.drop(columns=["numerator", "denominator", "standard_error"], errors="ignore")
    th = nhsrank.load_methodology("nof-2026-27").segmentation["thresholds"]
    for q in QUARTERS:
        result = nhsrank.league_tables(metrics, q, methodology="nof-2026-27", attributes=attrs)
        tables, excluded = result.table, result.exclusions
        assert set(tables["trust_type"]) == {"acute", "non-acute", "ambulance"}
        assert set(tables["trust_code"]) | set(excluded["trust_code"]) == set(metrics.loc[metrics["quarter"] == q,
                                                                                       "trust_code"])
        # segments before adjustment follow the thresholds exactly
        expect = 1 + (tables["average_metric_score"].round(10).to_numpy()[:, None] > np.array(th)).sum(axis=1)
        assert (tables["segment_before_adjustment"].to_numpy() == expect).all()
