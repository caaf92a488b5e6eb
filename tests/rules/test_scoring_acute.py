"""Scoring as NHS England's acute file showed it (nhsrank.rules.scoring): infection standards and count bands, weighted
domain means (issue 18)."""
from __future__ import annotations

import numpy as np

import nhsrank
from nhsrank.rules.scoring import domain_means, score_array

NOF = nhsrank.load_methodology("nof-2025-26")


def test_infection_rates_meet_a_standard_and_counts_are_scored_by_bands():
    # E. coli (lower better), standard 1.00: rates 0.80 and 1.00 meet it -> 1.00; rates 1.10, 1.30,
    # 1.60 rank 1, 2, 3 of 3 -> 2.00, 3.00, 4.00; counts (Units "count") 0 -> 1.00, 2 -> 3.00, 5 -> 4.00
    spec = NOF.catalogue().set_index("metric_id").loc[["OF0048"]].reset_index()
    values = np.array([[0.8], [1.0], [1.1], [1.3], [1.6], [0.0], [2.0], [5.0]])
    counts = np.array([[False]] * 5 + [[True]] * 3)
    got = score_array(values, spec, count_cells=counts).ravel()
    np.testing.assert_allclose(got, [1.0, 1.0, 2.0, 3.0, 4.0, 1.0, 3.0, 4.0])


def test_domain_means_use_the_metric_weights():
    # safety: three infections at 1/3 and one metric at 1: (1/3)(1 + 4 + 4) + 2 = 5 over weight 2 -> 2.5
    got = domain_means(np.array([[1.0, 4.0, 4.0, 2.0]]), np.zeros(4, dtype=int), 1,
                       np.array([1 / 3, 1 / 3, 1 / 3, 1.0]))
    np.testing.assert_allclose(got, [[2.5]])
    # missing metrics drop out with their weight: (1/3)(1) + 2 over 4/3 -> 1.75
    got = domain_means(np.array([[1.0, np.nan, np.nan, 2.0]]), np.zeros(4, dtype=int), 1,
                       np.array([1 / 3, 1 / 3, 1 / 3, 1.0]))
    np.testing.assert_allclose(got, [[1.75]])
