"""Worked example computed by hand (see the comments) on tests/data/mini.yaml."""
import numpy as np
import pandas as pd
import pytest

import nhsrank
from support import MINI, long_frame
from support import NO_ATTRIBUTES

# the worked example (tests/data/mini.yaml) has no trust attributes on purpose: nhsrank's note saying so is tested in
# tests/data/test_readers_attributes.py
pytestmark = pytest.mark.filterwarnings(NO_ATTRIBUTES)

# M1 higher better, M2 lower better (rank scoring), M3 target met (1 -> score 1, 0 -> score 4)
DATA = {
    "A": {"M1": 0.9, "M2": 10, "M3": 1},
    "B": {"M1": 0.8, "M2": 20, "M3": 0},
    "C": {"M1": 0.8, "M2": 30, "M3": 1},   # ties B on M1
    "D": {"M1": 0.7, "M2": 40, "M3": 1},
    "E": {"M1": 0.6, "M3": 1},             # no M2
    "F": {"M1": 0.5},                      # one metric only: excluded (minimum 2)
}
ATTRS = pd.DataFrame({"trust_code": list("ABCDEF"),
                      "financial_deficit": [False, False, True, True, False, False],
                      "pip": [True, False, False, False, False, False]})


@pytest.fixture
def table():
    return nhsrank.league_table(long_frame(DATA), "2025-26-Q1", "acute", MINI, ATTRS).table


def test_metric_scores_by_hand(table):
    t = table.set_index("trust_code")
    # M1: six trusts, ranks A1 B2.5 C2.5 D4 E5 F6, score 1 + 3 (r - 1) / 5
    assert t["M1"].to_dict() == pytest.approx({"A": 1.0, "B": 1.9, "C": 1.9, "D": 2.8, "E": 3.4})
    # M2: four trusts, lower is better, score 1 + 3 (r - 1) / 3
    assert t.loc[list("ABCD"), "M2"].tolist() == pytest.approx([1.0, 2.0, 3.0, 4.0])
    assert np.isnan(t.loc["E", "M2"])
    assert t["M3"].to_dict() == {"A": 1.0, "B": 4.0, "C": 1.0, "D": 1.0, "E": 1.0}


def test_averages_segments_overrides_positions(table):
    t = table.set_index("trust_code")
    assert t["average_metric_score"].to_dict() == pytest.approx(
        {"A": 1.0, "B": 7.9 / 3, "C": 5.9 / 3, "D": 7.8 / 3, "E": 2.2})
    assert t["domain_d1"].to_dict() == pytest.approx({"A": 1.0, "B": 1.95, "C": 2.45, "D": 3.4, "E": 3.4})
    # order A < C < E < D < B; five trusts: segment floor(4 (r - 1) / 5) + 1
    assert t["segment_before_adjustment"].to_dict() == {"A": 1, "C": 1, "E": 2, "D": 3, "B": 4}
    # C in deficit: 1 -> 3; D in deficit but already 3: no override; A in PIP: 5
    assert t["financial_override"].to_dict() == {"A": False, "B": False, "C": True, "D": False, "E": False}
    assert t["pip_override"].to_dict() == {"A": True, "B": False, "C": False, "D": False, "E": False}
    assert t["segment"].to_dict() == {"A": 5, "B": 4, "C": 3, "D": 3, "E": 2}
    assert list(table["trust_code"]) == ["E", "C", "D", "B", "A"]
    assert list(table["league_position"]) == [1, 2, 3, 4, 5]
    assert t["n_metrics_scored"].to_dict() == {"A": 3, "B": 3, "C": 3, "D": 3, "E": 2}


def test_too_few_metrics_is_excluded_with_reason():
    ex = nhsrank.league_table(long_frame(DATA), "2025-26-Q1", "acute", MINI, ATTRS).exclusions
    assert list(ex["trust_code"]) == ["F"]
    assert "only 1 of 3 metrics" in ex["reason"].iloc[0] and "at least 2" in ex["reason"].iloc[0]


def test_joint_positions_share_and_skip():
    data = dict(DATA)
    data["G"] = dict(DATA["E"])          # G identical to E
    t = nhsrank.league_table(long_frame(data), "2025-26-Q1", "acute", MINI).table.set_index("trust_code")
    assert t.loc["E", "league_position"] == t.loc["G", "league_position"]
    pos = sorted(t["league_position"])
    e = t.loc["E", "league_position"]
    assert pos.count(e) == 2 and (e + 1) not in pos and (e + 2) in pos


def test_without_attributes_no_overrides():
    t = nhsrank.league_table(long_frame(DATA), "2025-26-Q1", "acute", MINI).table
    assert not t["financial_override"].any() and not t["pip_override"].any()
    assert (t["segment"] == t["segment_before_adjustment"]).all()


def test_threshold_segmentation_variant(mini):
    m = mini.with_options(segmentation={"method": "thresholds", "n_segments": 4, "thresholds": [1.5, 2.0, 2.5]})
    t = nhsrank.league_table(long_frame(DATA), "2025-26-Q1", "acute", m).table.set_index("trust_code")
    # A 1.0 -> 1; C 1.967 -> 2; E 2.2 -> 3; D 2.6, B 2.633 -> 4
    assert t["segment_before_adjustment"].to_dict() == {"A": 1, "C": 2, "E": 3, "D": 4, "B": 4}


def test_mean_of_domain_means_variant(mini):
    m = mini.with_options(aggregation="mean_of_domain_means")
    t = nhsrank.league_table(long_frame(DATA), "2025-26-Q1", "acute", m).table.set_index("trust_code")
    # B: d1 (1.9 + 2) / 2 = 1.95, d2 4 -> 2.975
    assert t.loc["B", "average_metric_score"] == pytest.approx(2.975)


def test_rank_ties_best_gives_tied_trusts_the_best_score(mini):
    m = mini.with_options(rank_ties="best")
    t = nhsrank.league_table(long_frame(DATA), "2025-26-Q1", "acute", m).table.set_index("trust_code")
    # M1 ranks with ties at the best rank: A1 B2 C2 D4 E5 (F6): 1 + 3 (r - 1) / 5
    assert t["M1"].to_dict() == pytest.approx({"A": 1.0, "B": 1.6, "C": 1.6, "D": 2.8, "E": 3.4})
    with pytest.raises(ValueError):
        mini.with_options(rank_ties="worst")
