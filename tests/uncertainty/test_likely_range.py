"""NHS England's likely-range method (sources=("scores",)) against the published Q4 league table."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nhsrank
from nhsrank.data.published import read_league_table_file
from nhsrank.data.readers import DATA_DIR
from nhsrank.uncertainty.likely_range import score_bootstrap
from support import NO_ATTRIBUTES

# the hand-checkable example carries no trust attributes on purpose: nhsrank's note saying so is tested in
# tests/data/test_readers_attributes.py
pytestmark = pytest.mark.filterwarnings(NO_ATTRIBUTES)

DATA = DATA_DIR / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv"
LEAGUE = DATA_DIR / "nhs-england" / "nof-mh-community-trust-league-table-2025-26-q4.csv"


@pytest.fixture(scope="module")
def ranges():
    m = nhsrank.read_metrics(DATA)
    u = nhsrank.rank_uncertainty(m, "2025-26-Q4", "non-acute", sources=("scores",), n_boot=20_000, seed=1,
                                 progress=False).table.set_index("trust_code")
    return u, read_league_table_file(LEAGUE).set_index("trust_code").loc[u.index]


def test_likely_range_of_rank_reproduces_the_published_one(ranges):
    u, lg = ranges
    lo = (u["likely_position_lower"] - lg["rank_range_lower"]).abs()
    hi = (u["likely_position_upper"] - lg["rank_range_upper"]).abs()
    assert int(((lo <= 1) & (hi <= 1)).sum()) >= 59
    assert int(max(lo.max(), hi.max())) <= 2


def test_likely_range_of_score_reproduces_the_published_one(ranges):
    u, lg = ranges
    lo = (u["likely_score_lower"] - lg["score_range_lower"]).abs()
    hi = (u["likely_score_upper"] - lg["score_range_upper"]).abs()
    assert int(((lo <= 0.02 + 1e-9) & (hi <= 0.02 + 1e-9)).sum()) >= 55


def test_the_source_is_reproducible_and_named(ranges):
    u, _ = ranges
    assert nhsrank.rank_uncertainty(nhsrank.read_metrics(DATA), "2025-26-Q4", "non-acute", sources=("scores",),
                                    n_boot=20, progress=False).sources == ("scores",)
    m = nhsrank.read_metrics(DATA)
    g = nhsrank.peer_group(m, "2025-26-Q4", "non-acute")
    a, b = score_bootstrap(g, 300, seed=7), score_bootstrap(g, 300, seed=7)
    np.testing.assert_array_equal(a.league_position, b.league_position)
    with pytest.raises(ValueError, match="stands alone"):
        nhsrank.rank_uncertainty(m, "2025-26-Q4", "non-acute", sources=("scores", "sampling"), n_boot=10)


def _three_trusts(scores_a, scores_b, scores_c):
    """Three trusts of one type; metric M1..M3 scored 'thresholds' on the band itself (value = score)."""
    rows = []
    for code, sc in (("A", scores_a), ("B", scores_b), ("C", scores_c)):
        for j, s in enumerate(sc):
            rows.append({"trust_code": code, "trust_name": code, "trust_type": "acute", "quarter": "2025-26-Q1",
                         "metric_id": f"M{j + 1}", "value": s})
    return pd.DataFrame(rows)


MINI_BANDS = {"id": "bands", "domains": {"d": "D"}, "segmentation": {"method": "thresholds", "n_segments": 4,
              "thresholds": [1.5, 2.5, 3.5]},
              "overrides": {"financial_deficit": {"enabled": True, "attribute": "financial_deficit", "cap_segment": 3},
                            "pip": {"enabled": True, "attribute": "pip", "segment": 5}},
              "trust_types": {"acute": {"metrics": [
                  {"id": f"M{j}", "domain": "d", "direction": "lower_is_better", "scoring": "thresholds",
                   "cutpoints": [1.5, 2.5, 3.5], "scores": [1, 2, 3, 4]} for j in (1, 2, 3)]}}}


def test_hand_checkable_example(tmp_path):
    import yaml

    path = tmp_path / "bands.yaml"
    path.write_text(yaml.safe_dump(MINI_BANDS))
    # A always scores 1 (every draw averages 1); C always 4; B has scores 1, 1, 4: its average over
    # three draws with replacement is 1 (prob 8/27), 2 (12/27), 3 (6/27) or 4 (1/27)
    m = nhsrank.read_metrics(_three_trusts([1, 1, 1], [1, 1, 4], [4, 4, 4]))
    g = nhsrank.peer_group(m, None, "acute", str(path))
    rep = score_bootstrap(g, 20_000, seed=3)
    b = rep.average_metric_score[:, 1]
    assert np.allclose(rep.average_metric_score[:, 0], 1) and np.allclose(rep.average_metric_score[:, 2], 4)
    for value, p in ((1, 8 / 27), (2, 12 / 27), (3, 6 / 27), (4, 1 / 27)):
        assert abs(np.mean(b == value) - p) < 0.015
    # B's position: 1 (tied with A) when it averages 1, else 2
    assert abs(np.mean(rep.league_position[:, 1] == 1) - 8 / 27) < 0.015


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.sampled_from([1.0, 2.0, 3.0, 4.0]), min_size=3, max_size=3), min_size=3, max_size=3),
       st.integers(0, 2**31))
def test_ranges_hold_the_observed_average_when_all_draws_agree(bands, seed):
    import tempfile

    import yaml

    with tempfile.TemporaryDirectory() as d:
        path = f"{d}/bands.yaml"
        with open(path, "w") as f:
            yaml.safe_dump(MINI_BANDS, f)
        m = nhsrank.read_metrics(_three_trusts(*bands))
        g = nhsrank.peer_group(m, None, "acute", path)
        rep = score_bootstrap(g, 200, seed=seed)
    obs = g.run()["average_metric_score"]
    lo, hi = np.min(rep.average_metric_score, axis=0), np.max(rep.average_metric_score, axis=0)
    own = np.array([[min(b), max(b)] for b in bands])
    # every replicate average lies between the trust's own lowest and highest score
    assert np.all(lo >= own[:, 0] - 1e-9) and np.all(hi <= own[:, 1] + 1e-9)
    assert np.all((obs >= own[:, 0] - 1e-9) & (obs <= own[:, 1] + 1e-9))
    # a trust whose scores are all equal never moves
    same = own[:, 0] == own[:, 1]
    assert np.all(np.ptp(rep.average_metric_score[:, same], axis=0) == 0)
