"""Hand-worked examples and properties of the cut points (nhsrank.rules.segmentation) as NHS England's published data
show them."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nhsrank.rules.segmentation import cut_points_from_segments, threshold_segments


def test_cut_points_consistent_with_published_segments_reproduce_them():
    avg = np.array([1.53, 1.90, 2.02, 2.05, 2.29, 2.30, 2.57, 2.60, 3.34])
    seg = np.array([1, 1, 1, 2, 2, 3, 3, 4, 4])
    cp = cut_points_from_segments(avg, seg)
    np.testing.assert_allclose(cp, [2.02, 2.29, 2.57])
    np.testing.assert_array_equal(threshold_segments(avg, cp), seg)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(100, 400), min_size=8, max_size=60, unique=True), st.data())
def test_property_cut_points_reproduce_any_monotone_segmentation(cents, data):
    avg = np.sort(np.array(cents) / 100)
    # any monotone segmentation into 4 (possibly empty) segments
    bounds = sorted(data.draw(st.lists(st.integers(0, len(avg)), min_size=3, max_size=3)))
    seg = np.searchsorted(bounds, np.arange(len(avg)), side="right") + 1
    cp = cut_points_from_segments(avg, seg)
    assert np.all(np.diff(cp) >= 0)
    np.testing.assert_array_equal(threshold_segments(avg, cp), seg)
