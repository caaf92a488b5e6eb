"""Hand-worked examples of the NOF 2025/26 rules as NHS England's published data show them.

Each example is small enough to check with a pencil; the numbers in the comments are worked by hand.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nhsrank
from nhsrank.rules.scoring import bookend_scores, rank_scores, round_half_even, score_array, threshold_scores
from support import NO_ATTRIBUTES

NOF = nhsrank.load_methodology("nof-2025-26")


def test_ties_take_the_best_rank_of_their_group():
    # values 90, 80, 80, 70, 60 (higher better): ranks 1, 2, 2, 4, 5 of 5
    # scores 1 + 3(r-1)/4 = 1.00, 1.75, 1.75, 3.25, 4.00
    got = rank_scores(np.array([[90.0], [80.0], [80.0], [70.0], [60.0]]), True, ties="best").ravel()
    np.testing.assert_allclose(got, [1.0, 1.75, 1.75, 3.25, 4.0])
    assert NOF.metrics("non-acute")["ties"].eq("best").all()


def test_pooled_peers_rank_against_every_provider_of_the_metric():
    # two MH trusts (0.05, 0.07 sickness, lower better) among three other providers (0.04, 0.06, 0.08):
    # pooled order 0.04, 0.05, 0.06, 0.07, 0.08 -> the MH trusts are ranks 2 and 4 of N = 5:
    # 1 + 3 * 1/4 = 1.75 and 1 + 3 * 3/4 = 3.25 (within type they would score 1.00 and 4.00)
    spec = pd.DataFrame({"metric_id": ["OF0082"], "direction": ["lower_is_better"], "scoring": ["rank"],
                         "ties": ["best"], "floor": [np.nan], "standard": [np.nan]})
    got = score_array(np.array([[0.05], [0.07]]), spec, pool=np.array([[0.04], [0.06], [0.08]]))
    np.testing.assert_allclose(got.ravel(), [1.75, 3.25])
    np.testing.assert_allclose(score_array(np.array([[0.05], [0.07]]), spec).ravel(), [1.0, 4.0])


@pytest.mark.filterwarnings(NO_ATTRIBUTES)  # a small hand-made table: no trust attributes, on purpose
def test_pooled_peers_through_the_pipeline():
    # one metric OF0082, two trust types: acute A1 0.04, A2 0.08; non-acute N1 0.05, N2 0.06, N3 0.07
    # pooled ranks: A1 1, N1 2, N2 3, N3 4, A2 5 of 5 -> N1 1.75, N2 2.50, N3 3.25
    rows = [("A1", "acute", 0.04), ("A2", "acute", 0.08), ("N1", "non-acute", 0.05), ("N2", "non-acute", 0.06),
            ("N3", "non-acute", 0.07)]
    df = pd.DataFrame([{"trust_code": c, "trust_name": c, "trust_type": t, "quarter": "2025-26-Q1",
                        "metric_id": "OF0082", "value": v} for c, t, v in rows])
    g = nhsrank.peer_group(df, None, "non-acute", NOF)
    np.testing.assert_allclose(g.run()["scores"][:, list(g.metrics["metric_id"]).index("OF0082")], [1.75, 2.5, 3.25])
    assert "ranked among the non-acute trusts and 2 providers of acute" in g.provenance["metric_scores"]


def test_floor_scores_4_below_and_spreads_the_rest_over_1_to_3():
    # UCR floor 70%: 62% and 65% fail -> 4.00; 95%, 80%, 71% rank 1, 2, 3 of 3 -> 1.00, 2.00, 3.00
    got = bookend_scores(np.array([0.95, 0.62, 0.80, 0.71, 0.65]), True, floor=0.70)
    np.testing.assert_allclose(got, [1.0, 4.0, 2.0, 3.0, 4.0])
    assert NOF.metrics("non-acute").set_index("metric_id").loc["OF0057", "floor"] == 0.70


def test_standard_scores_1_at_or_above_and_spreads_the_rest_over_2_to_4():
    # standard 90% (lower is better variant: a waiting share, standard 5%): 3% and 5% meet it -> 1.00;
    # 8%, 12%, 20% rank 1, 2, 3 of 3 -> 2.00, 3.00, 4.00
    got = bookend_scores(np.array([0.03, 0.12, 0.05, 0.08, 0.20]), False, standard=0.05)
    np.testing.assert_allclose(got, [1.0, 3.0, 1.0, 2.0, 4.0])


def test_finance_thresholds_and_the_average_leaves_them_out():
    spec = NOF.metrics("non-acute").set_index("metric_id")
    # planned surplus/deficit (% of income): 0.5 -> 1, -0.2 -> 2, -1.5 -> 3, -2.5 -> 4
    pl = spec.loc["OF0079"]
    np.testing.assert_array_equal(threshold_scores(np.array([0.5, -0.2, -1.5, -2.5]), pl["cutpoints"], pl["scores"]),
                                  [1, 2, 3, 4])
    # variance to plan: 0 -> 1, -0.3 -> 2, -0.7 -> 3, -1.2 -> 4
    va = spec.loc["OF0081"]
    np.testing.assert_array_equal(threshold_scores(np.array([0.0, -0.3, -0.7, -1.2]), va["cutpoints"], va["scores"]),
                                  [1, 2, 3, 4])
    assert not spec.loc["OF0079", "in_average"] and not spec.loc["OF0081", "in_average"]
    assert spec.loc["OF0080", "in_average"]


def test_one_third_weights_for_the_three_infection_metrics():
    # an acute trust with scores 1.00 on 3 ordinary metrics and infection scores 4.00, 1.00, 1.00:
    # weights 1, 1, 1, 1/3, 1/3, 1/3 -> (3 + 4/3 + 1/3 + 1/3) / (3 + 1) = 5/4 = 1.25 (unweighted: 1.50)
    w = np.array([1, 1, 1, 1 / 3, 1 / 3, 1 / 3])
    got = nhsrank.average_metric_score(np.array([[1.0, 1.0, 1.0, 4.0, 1.0, 1.0]]), weights=w)
    np.testing.assert_allclose(got, [1.25])
    acute = NOF.metrics("acute").set_index("metric_id")
    np.testing.assert_allclose(acute.loc[["OF0020", "OF0048", "OF0088"], "weight"], 1 / 3)
    assert (acute.drop(["OF0020", "OF0048", "OF0088"])["weight"] == 1).all()


def test_rounding_of_the_average():
    # 2.205 = 17.64 / 8 is a decimal half: to the even hundredth, 2.20; 3.075 -> 3.08; 1.8441 -> 1.84
    np.testing.assert_allclose(round_half_even(np.array([17.64 / 8, 24.6 / 8, 1.8441])), [2.20, 3.08, 1.84])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=2, max_size=30),
       st.lists(st.floats(0, 1, allow_nan=False), min_size=0, max_size=30))
def test_property_pooled_scores_equal_scoring_the_pooled_table(own, others):
    spec = pd.DataFrame({"metric_id": ["M"], "direction": ["higher_is_better"], "scoring": ["rank"], "ties": ["best"],
                         "floor": [np.nan], "standard": [np.nan]})
    own_a, pool = np.array(own)[:, None], np.array(others).reshape(-1, 1)
    pooled = score_array(own_a, spec, pool=pool if len(others) else None)
    whole = score_array(np.vstack([own_a, pool]), spec)[: len(own)]
    np.testing.assert_allclose(pooled, whole)
    assert np.all((pooled >= 1) & (pooled <= 4))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1, allow_nan=False, allow_infinity=False), min_size=2, max_size=30),
       st.floats(0.05, 0.95))
def test_property_floor_scores(values, floor):
    v = np.array(values)
    s = bookend_scores(v, True, floor=floor)
    assert np.all(s[v < floor] == 4.0)
    assert np.all((s[v >= floor] >= 1.0) & (s[v >= floor] <= 3.0))
    # better values never score worse
    order = np.argsort(-v, kind="stable")
    assert np.all(np.diff(s[order]) >= -1e-12)
