"""SegmentDistance and QuarterMovement: fields, a copy from to_frame(), summary() from the table (issue 23)."""
import numpy as np
import pandas as pd

import nhsrank
from nhsrank.sensitivity import QuarterMovement, SegmentDistance
from nhsrank.sensitivity.movement import distance_to_next_segment, movement_sentence, quarter_movement
from result_checks import check_result
from sens_cases import ATTRS, DATA, Q1, frame
from support import MINI

Q2 = "2025-26-Q2"


def test_segment_distance_fields_and_summary():
    d = distance_to_next_segment(frame(), Q1, "acute", MINI, ATTRS)
    assert isinstance(d, SegmentDistance)
    check_result(d, ["table", "exclusions", "methodology", "quarter", "trust_type", "cut_points", "target"])
    # quartiles within the table: no fixed cut points, nothing to say where they come from
    assert d.cut_points is None and d.target == ""
    assert list(d.exclusions["trust_code"]) == ["F"]
    # by hand (tests/test_movement.py): A is in the PIP, C and D are capped in deficit, B and E can move up
    s = d.summary()
    assert s["can move up"] == 2 and s.sum() == len(d.table) == 5
    assert s[[k for k in s.index if "capped" in k]].sum() == 2
    assert s[[k for k in s.index if "Programme" in k]].sum() == 1


def test_segment_distance_names_the_cut_points_of_nhs_englands_file():
    from nhsrank.data.readers import DATA_DIR

    m = nhsrank.read_metrics(DATA_DIR / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv")
    d = distance_to_next_segment(m, "2025-26-Q4")
    assert d.cut_points == [2.02, 2.29, 2.57] and d.target.startswith("taken")


def _two_quarters():
    later = {k: dict(v) for k, v in DATA.items() if k != "E"}
    later["B"]["M3"] = 1                       # B improves on M3
    return pd.concat([frame(), frame(later, Q2)], ignore_index=True)


def test_quarter_movement_fields_and_summary():
    data = _two_quarters()
    groups = [nhsrank.peer_group(data, q, "acute", MINI) for q in (Q1, Q2)]
    rng = np.random.default_rng(0)
    reps = tuple({k: g.run()[k] + rng.normal(0, 0.001, (100, len(g.trusts)))
                  for k in ("average_metric_score", "league_position")} for g in groups)
    qm = quarter_movement(data, Q1, Q2, "acute", MINI, replicates=reps)
    assert isinstance(qm, QuarterMovement)
    check_result(qm, ["table", "exclusions", "methodology", "trust_type", "quarter_from", "quarter_to", "level",
                      "sources", "resampled", "not_meaningful"])
    assert (qm.quarter_from, qm.quarter_to, qm.level, qm.sources) == (Q1, Q2, 0.95, ("given",))
    assert qm.resampled == "Resampled: replicates given." and qm.not_meaningful == ""
    assert list(qm.exclusions["trust_code"]) == ["F", "F"]         # not ranked in either quarter
    text = qm.summary()
    assert text == movement_sentence(qm)
    both = qm.table[qm.table["status"] == "ranked in both"]
    n_score = int(both["score_change_exceeds_noise"].fillna(False).astype(bool).sum())
    assert f"Of {len(both)} trusts ranked in both quarters, {n_score} changed average score" in text
    assert len(both) == 4 and n_score >= 1                          # A-D; B's score changed, the noise is tiny
