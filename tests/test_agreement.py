"""Agreement between metric rankings and rankability (hand-checked)."""
import numpy as np
import pandas as pd
import pytest

import nhsrank
from support import MINI
from nhsrank.sensitivity.agreement import (
    _between_variance,
    agreement_matrix,
    metric_agreement,
    rankability,
    sampling_variance,
)
from sens_cases import Q1, frame


def test_spearman_kendall_by_hand():
    p = metric_agreement(frame(), Q1, "acute", MINI, min_trusts=3).table.set_index(["a", "b"])
    # ranked trusts A-E; M1 & M2 on A-D: scores M1 1, 1.9, 1.9, 2.8 and M2 1, 2, 3, 4
    r = p.loc[("M1", "M2")]
    assert r["n_trusts"] == 4
    # ranks (1, 2.5, 2.5, 4) vs (1, 2, 3, 4): 4.5 / sqrt(4.5 * 5)
    assert r["spearman"] == pytest.approx(4.5 / np.sqrt(22.5))
    # 5 concordant pairs, 0 discordant, one tie in M1: tau-b = 5 / sqrt(5 * 6)
    assert r["kendall"] == pytest.approx(5 / np.sqrt(30))
    assert len(p) == 3
    # default min_trusts=5: four shared trusts are too few
    q = metric_agreement(frame(), Q1, "acute", MINI).table.set_index(["a", "b"])
    assert np.isnan(q.loc[("M1", "M2"), "spearman"])


def test_direction_is_taken_into_account():
    # M1 higher better, M2 lower better; values move together in "goodness": perfect agreement
    vals = {c: {"M1": 0.1 * (6 - i), "M2": 10 * i, "M3": 1} for i, c in enumerate("ABCDEF")}
    p = metric_agreement(frame(vals), Q1, "acute", MINI).table.set_index(["a", "b"])
    assert p.loc[("M1", "M2"), "spearman"] == pytest.approx(1.0)
    assert p.loc[("M1", "M2"), "kendall"] == pytest.approx(1.0)
    assert np.isnan(p.loc[("M1", "M3"), "spearman"])          # M3 constant: no ranking


def test_domain_level_and_matrix():
    vals = {c: {"M1": 0.1 * (6 - i), "M2": 10 * i, "M3": float(i % 2)} for i, c in enumerate("ABCDEF")}
    p = metric_agreement(frame(vals), Q1, "acute", MINI, by="domain").table
    assert list(p[["a", "b"]].iloc[0]) == ["d1", "d2"]
    m = agreement_matrix(p)
    assert m.loc["d1", "d1"] == 1 and m.loc["d1", "d2"] == m.loc["d2", "d1"] == p["spearman"].iloc[0]


def test_between_variance_by_hand():
    # y 0, 2, 4 with unit variances: Q = 8, tau2 = (8 - 2) / (3 - 1) = 3
    tau2, q = _between_variance(np.array([0.0, 2.0, 4.0]), np.ones(3))
    assert (tau2, q) == pytest.approx((3.0, 8.0))
    assert _between_variance(np.array([0.0, 1.0, 2.0]), np.ones(3))[0] == 0.0     # Q = 2 = k - 1


def test_sampling_variance_models():
    v = sampling_variance(np.array([0.5, 0.0, np.nan]), np.array([50.0, 0.0, 1.0]), np.array([100.0, 10, 10]),
                          np.full(3, np.nan), "binomial")
    assert v[0] == pytest.approx(0.0025) and v[1] == pytest.approx((0.5 / 11) * (10.5 / 11) / 10)
    assert np.isnan(v[2])
    assert sampling_variance(np.array([2.0]), np.array([20.0]), np.array([10.0]), np.array([np.nan]),
                             "poisson")[0] == pytest.approx(20.5 / 100)
    assert sampling_variance(np.array([2.0]), np.array([np.nan]), np.array([np.nan]), np.array([0.3]),
                             "normal")[0] == pytest.approx(0.09)


def _binomial_frame(props, den):
    rows = []
    for i, p in enumerate(props):
        c = f"T{i:02d}"
        rows.append({"trust_code": c, "trust_name": c, "trust_type": "acute", "quarter": Q1, "metric_id": "M1",
                     "value": p, "numerator": p * den, "denominator": den})
        rows.append({"trust_code": c, "trust_name": c, "trust_type": "acute", "quarter": Q1, "metric_id": "M3",
                     "value": 1.0})
    return pd.DataFrame(rows)


def test_rankability_large_and_small_samples():
    props = np.linspace(0.6, 0.8, 12)
    big = rankability(_binomial_frame(props, 100_000), Q1, "acute", MINI).set_index("metric_id")
    small = rankability(_binomial_frame(props, 20), Q1, "acute", MINI).set_index("metric_id")
    assert big.loc["M1", "rankability"] > 0.99            # spread far beyond sampling noise
    assert small.loc["M1", "rankability"] < 0.3           # 20 patients each: mostly chance
    assert np.isnan(big.loc["M3", "rankability"]) and big.loc["M3", "note"]


def test_composite_rankability_from_replicates():
    g = nhsrank.peer_group(frame(), Q1, "acute", MINI)
    avg = g.run()["average_metric_score"]
    reps = avg + np.random.default_rng(0).normal(0, 0.01, (400, len(avg)))
    r = rankability(g, composite_replicates=reps).set_index("metric_id")
    # var of the 5 ranked scores, minus the replicate variance 1e-4
    tau2 = np.var(avg[g.included], ddof=1) - 1e-4
    assert r.loc["composite", "tau2"] == pytest.approx(tau2, rel=0.05)
    assert r.loc["composite", "rankability"] == pytest.approx(tau2 / (tau2 + 1e-4), abs=0.01)


def test_agreement_on_ae_data():
    ae = nhsrank.read_ae_attendances()
    assert metric_agreement(ae, "2018-19-Q4", "acute", "ae-4hr").table.empty
    r = rankability(ae, "2018-19-Q4", "non-acute", "ae-4hr")
    assert 0 <= r["rankability"].iloc[0] <= 1
