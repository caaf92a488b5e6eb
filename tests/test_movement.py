"""Distance to the next segment, segment transitions and quarter movement (hand-checked)."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import nhsrank
from support import MINI
from nhsrank.sensitivity.movement import _target_score, distance_to_next_segment, quarter_movement, segment_transitions
from nhsrank.rules.segmentation import quantile_segments, threshold_segments
from sens_cases import ATTRS, DATA, Q1, frame

Q2 = "2025-26-Q2"


def test_distance_by_hand():
    result = distance_to_next_segment(frame(), Q1, "acute", MINI, ATTRS)
    d = result.table.set_index("trust_code")
    # scores A 1.0, C 1.967, E 2.2, D 2.6, B 2.633; before adjustment A1 C1 E2 D3 B4
    assert "Programme" in d.loc["A", "status"]                      # PIP: segment 5 is set
    assert "capped at segment 3" in d.loc["C", "status"] and "capped" in d.loc["D", "status"]
    # B (4 -> 3): five ranked trusts, rank <= ceil(3 * 5 / 4) = 4 -> may tie D's 2.6
    assert d.loc["B", "target_score"] == pytest.approx(2.6)
    assert d.loc["B", "improvement_needed"] == pytest.approx(7.9 / 3 - 2.6)
    # E (2 -> 1): rank <= ceil(5 / 4) = 2 -> may tie C's 5.9 / 3
    assert d.loc["E", "target_score"] == pytest.approx(5.9 / 3)
    assert d.loc["E", "improvement_needed"] == pytest.approx(2.2 - 5.9 / 3)
    # B is worse than the median only on M3 (0 vs 1); at 1 its score is 1.633: segment 1
    assert d.loc["B", "metric_to_median"] == "M3" and d.loc["B", "metric_score_change"] == pytest.approx(3.0)
    # E at the M1 median 0.75 scores 2.8 on M1 (rank 4 of 6): average 1.9, segment 1
    assert d.loc["E", "metrics_to_median"] == "M1" and d.loc["E", "metric_score_change"] == pytest.approx(0.6)
    assert list(result.exclusions["trust_code"]) == ["F"]
    assert list(d.index) == ["E", "C", "D", "B", "A"]              # league order, every ranked trust


def test_distance_threshold_rule(mini):
    m = mini.with_options(segmentation={"method": "thresholds", "n_segments": 4, "thresholds": [1.5, 2.0, 2.5]})
    d = distance_to_next_segment(frame(), Q1, "acute", m).table.set_index("trust_code")
    # no attributes: B 2.633 in segment 4 needs <= 2.5; E 2.2 in 3 needs <= 2.0; A already 1
    assert d.loc["B", "improvement_needed"] == pytest.approx(7.9 / 3 - 2.5)
    assert d.loc["E", "improvement_needed"] == pytest.approx(0.2)
    assert d.loc["A", "status"] == "already in segment 1"


@settings(max_examples=80, deadline=None)
@given(hnp.arrays(float, st.integers(2, 40), elements=st.sampled_from(np.round(np.linspace(1, 4, 31), 2))),
       st.data())
def test_target_score_is_the_boundary(avg, data):
    seg = quantile_segments(avg)
    movable = np.flatnonzero(seg > 1)
    if not len(movable):
        return
    i = int(data.draw(st.sampled_from(list(movable))))
    goal = int(seg[i]) - 1
    t = _target_score(avg, i, goal, {"method": "quantile", "n_segments": 4})
    assert t < avg[i]
    at = avg.copy()
    at[i] = t
    assert quantile_segments(at)[i] <= goal             # reaching the target is enough
    above = avg.copy()
    above[i] = t + 1e-6
    assert quantile_segments(above)[i] > goal           # anything less is not


def test_threshold_target():
    avg = np.array([1.2, 2.7])
    assert _target_score(avg, 1, 3, {"method": "thresholds", "thresholds": [1.5, 2.0, 2.5]}) == 2.5
    assert threshold_segments(np.array([2.5]), [1.5, 2.0, 2.5])[0] == 3


def _two_quarters():
    q2 = {k: dict(v) for k, v in DATA.items()}
    q2["B"]["M3"] = 1          # B meets the target in Q2: moves up
    q2["F"]["M3"] = 1          # F now has two metrics: ranked in Q2
    del q2["E"]                # E absent in Q2
    return pd.concat([frame(DATA, Q1), frame(q2, Q2)], ignore_index=True)


def test_segment_transitions_by_hand():
    res = segment_transitions(_two_quarters(), Q1, Q2, "acute", MINI)
    m, t = res.matrix, res.trusts.set_index("trust_code")
    # Q1 segments (no attributes): A1 C1 E2 D3 B4, F not ranked
    assert t["segment_from"].to_dict() == {"A": "1", "B": "4", "C": "1", "D": "3", "E": "2", "F": "not ranked"}
    assert t.loc["E", "segment_to"] == "absent" and t.loc["E", "movement"] == "n/a"
    assert int(m.to_numpy().sum()) == 6                    # every trust counted once
    assert m.loc["4", t.loc["B", "segment_to"]] == 1
    assert res.summary().sum() == 6 and res.to_frame().attrs == {}


def test_quarter_movement_with_given_replicates():
    data = _two_quarters()
    ga = nhsrank.peer_group(data, Q1, "acute", MINI)
    gb = nhsrank.peer_group(data, Q2, "acute", MINI)
    ra, rb = ga.run(), gb.run()
    rng = np.random.default_rng(0)
    # replicates: the nominal values plus small noise for every trust but A, large noise for A
    def reps(r, g):
        noise = rng.normal(0, 0.001, (200, len(g.trusts)))
        noise[:, 0] = rng.normal(0, 5, 200)                 # A is the first code
        return {"average_metric_score": r["average_metric_score"] + noise,
                "league_position": r["league_position"] + noise}
    mv = quarter_movement(data, Q1, Q2, "acute", MINI, replicates=(reps(ra, ga), reps(rb, gb)))
    mv = mv.table.set_index("trust_code")
    assert set(mv.index) == set("ABCDEF")
    assert mv.loc["E", "status"] == "no data in 2025-26-Q2"
    assert "not ranked in 2025-26-Q1" in mv.loc["F", "status"]
    assert mv.loc["B", "score_change"] == pytest.approx(mv.loc["B", "score_to"] - 7.9 / 3)
    assert bool(mv.loc["B", "score_change_exceeds_noise"]) is True      # a real change, small noise
    assert bool(mv.loc["A", "score_change_exceeds_noise"]) is False     # any change drowned by noise
    lo, hi = mv.loc["B", ["score_change_lo", "score_change_hi"]]
    assert lo <= mv.loc["B", "score_change"] <= hi
    assert pd.isna(mv.loc["E", "score_change_exceeds_noise"])


def test_movement_on_ae_data():
    ae = nhsrank.read_ae_attendances()
    m = segment_transitions(ae, "2017-18-Q4", "2018-19-Q4", "acute", "ae-4hr")
    assert int(m.matrix.to_numpy().sum()) == len(m.trusts) >= 134
    d = distance_to_next_segment(ae, "2018-19-Q4", "acute", "ae-4hr").table
    assert len(d) == 134 and (d["status"] != "").all()


def test_quarter_movement_with_the_real_bootstrap_separates_change_from_noise():
    """End to end with nhsrank.uncertainty.bootstrap: an unchanged quarter shows no
    change beyond the noise; one trust made much worse does."""
    import nhsrank

    ae = nhsrank.read_ae_attendances()
    q3 = ae[(ae["quarter"] == "2018-19-Q3") & (ae["trust_type"] == "acute")]
    q4 = q3.assign(quarter="2018-19-Q4")
    worst = q4["value"].idxmax()            # the best trust in Q3 ...
    q4.loc[worst, "numerator"] = round(0.5 * q4.loc[worst, "denominator"])   # ... halves its 4-hour share
    q4.loc[worst, "value"] = q4.loc[worst, "numerator"] / q4.loc[worst, "denominator"]
    data = pd.concat([q3, q4], ignore_index=True).drop(columns="_row")
    mv = quarter_movement(data, "2018-19-Q3", "2018-19-Q4", "acute", "ae-4hr", n_boot=400, seed=3).table
    code = q4.loc[worst, "trust_code"]
    moved = mv.set_index("trust_code")
    assert moved.loc[code, "score_change_exceeds_noise"] and moved.loc[code, "position_change"] > 0
    others = moved.drop(index=code)
    # only trusts overtaken by the falling trust can move, by one place; scores barely change
    assert others["score_change_exceeds_noise"].sum() <= 0.05 * len(others)
    assert len(mv) == q3["trust_code"].nunique()
