"""Segments as NHS England's acute file showed them (nhsrank.rules.segmentation): the cut side, the adjusted segment
the league position ranks on (issue 18)."""
from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import nhsrank
from nhsrank.rules.segmentation import apply_overrides, league_positions, ranked_segments, threshold_segments

NOF = nhsrank.load_methodology("nof-2025-26")


def test_a_score_at_the_median_goes_to_segment_3():
    # cuts 2.05 / 2.33 / 2.60: at 2.05 -> 1, at 2.33 -> 3 (not better than average), at 2.60 -> 3
    got = threshold_segments(np.array([2.05, 2.06, 2.32, 2.33, 2.60, 2.61]), [2.05, 2.33, 2.60],
                             ["lower", "upper", "lower"])
    np.testing.assert_array_equal(got, [1, 2, 2, 3, 3, 4])
    assert NOF.at_cut == ["lower", "upper", "lower"]


@given(st.lists(st.integers(100, 400), min_size=1, max_size=30), st.lists(st.sampled_from(["lower", "upper"]),
                                                                           min_size=3, max_size=3))
def test_the_cut_side_only_moves_scores_exactly_at_a_cut(hundredths, sides):
    avg = np.array(hundredths) / 100.0
    cuts = [2.05, 2.33, 2.60]
    lower = threshold_segments(avg, cuts)
    other = threshold_segments(avg, cuts, sides)
    at_cut = np.isin(np.round(avg, 2), cuts)
    assert np.array_equal(lower[~at_cut], other[~at_cut])
    assert np.all((other - lower)[at_cut] >= 0) and np.all((other - lower)[at_cut] <= 1)


def test_league_position_ranks_on_the_adjusted_segment():
    # five trusts: averages 1.5 (seg 1), 1.9 (seg 2, deficit -> 3), 2.2 (seg 3), 2.9 (seg 4, RSP -> 5),
    # 3.1 (seg 4). Adjusted segments 1, 3, 3, 4, 4: positions 1; 3 (2.2 ahead of 1.9? no: 1.9 < 2.2)
    # -> seg 3: 1.9 -> 2, 2.2 -> 3; seg 4: 2.9 -> 4, 3.1 -> 5. The RSP trust keeps place 4 (final segment 5).
    ov = NOF.overrides
    seg0 = np.array([1.0, 2.0, 3.0, 4.0, 4.0])
    avg = np.array([1.5, 1.9, 2.2, 2.9, 3.1])
    deficit = np.array([False, True, False, False, False])
    pip = np.array([False, False, False, True, False])
    final, _, _ = apply_overrides(seg0, deficit, pip, ov)
    np.testing.assert_array_equal(final, [1, 3, 3, 5, 4])
    adjusted = ranked_segments(seg0, final, deficit, ov, "adjusted")
    np.testing.assert_array_equal(adjusted, [1, 3, 3, 4, 4])
    np.testing.assert_array_equal(league_positions(adjusted, avg), [1, 2, 3, 4, 5])
    # the old rule put the RSP trust last
    np.testing.assert_array_equal(league_positions(final, avg), [1, 2, 3, 5, 4])
    assert NOF.position_segment == "adjusted"


@given(st.lists(st.tuples(st.integers(1, 4), st.booleans(), st.booleans()), min_size=1, max_size=40))
def test_the_adjusted_segment_sits_between_the_unadjusted_and_the_final(rows):
    seg0 = np.array([r[0] for r in rows], dtype=float)
    deficit = np.array([r[1] for r in rows])
    pip = np.array([r[2] for r in rows])
    final, _, _ = apply_overrides(seg0, deficit, pip, NOF.overrides)
    adjusted = ranked_segments(seg0, final, deficit, NOF.overrides, "adjusted")
    assert np.all(seg0 <= adjusted) and np.all(adjusted <= final)
    assert np.array_equal(adjusted[~pip], final[~pip])
    assert np.all(adjusted <= 4)
