"""Draws of the sampling model (nhsrank.uncertainty.models): rates at 0 and 1 stay in range and move, draws are a
prefix with the same seed."""

import numpy as np
import pandas as pd
import pytest

import nhsrank
from nhsrank.uncertainty.models import SamplingModel, draw_values
from support import NO_ATTRIBUTES


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


@pytest.mark.filterwarnings(NO_ATTRIBUTES)  # a small hand-made table: no trust attributes, on purpose
def test_a_zero_count_moves_on_its_metrics_unit():
    # poisson metric M2 of tests/data/mini.yaml, value = 2 x count for every trust; trust C has 0 events
    from support import MINI

    from nhsrank.uncertainty.models import sampling_model

    rows = []
    for code, count in (("A", 10), ("B", 4), ("C", 0)):
        rows.append({"trust_code": code, "trust_name": f"Trust {code}", "trust_type": "acute",
                     "quarter": "2025-26-Q1", "metric_id": "M2", "value": 2.0 * count, "numerator": count})
        rows.append({"trust_code": code, "trust_name": f"Trust {code}", "trust_type": "acute",
                     "quarter": "2025-26-Q1", "metric_id": "M1", "value": 0.5, "numerator": 50,
                     "denominator": 100})
    g = nhsrank.peer_group(pd.DataFrame(rows), "2025-26-Q1", "acute", MINI)
    m = sampling_model(g)
    pi, lam, _, scale = m.poisson
    assert scale.tolist() == [2.0, 2.0, 2.0]         # C's unit taken from A and B
    out = np.broadcast_to(g.values.ravel(), (4000, g.values.size)).copy()
    v = draw_values(m, np.random.default_rng(5), 4000, out)[:, pi]
    assert (v[:, 2] > 0).mean() > 0.99                # the zero count moves (Gamma(1/2) x 2)
    assert abs(v[:, 2].mean() - 2 * 0.5) < 0.1        # Jeffreys posterior mean of a count of 0 is 1/2
    assert abs(v[:, 0].mean() - 2 * 10.5) < 0.5
