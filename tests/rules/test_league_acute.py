"""Hand-worked examples and properties of the rules NHS England's acute file showed (issue 18).

The metric catalogue (a trust is scored on every metric it reports, whatever its type), peers
beyond the files loaded, standards, infection counts, the cut-point side, the adjusted segment
the league position ranks on, domain scores with weights and domain segments, and the quarter of
a release without a Quarter column. The numbers in the comments are worked by hand.
"""
from __future__ import annotations

import pandas as pd
import pytest

import nhsrank
from support import NO_ATTRIBUTES

# the small hand-made tables carry no trust attributes on purpose: nhsrank's note saying so is tested in
# tests/data/test_readers_attributes.py
pytestmark = pytest.mark.filterwarnings(NO_ATTRIBUTES)

NOF = nhsrank.load_methodology("nof-2025-26")
Q1 = "2025-26-Q1"


def frame(rows):
    """(code, type, metric, value[, units]) -> canonical rows, read as a user's table would be."""
    out = pd.DataFrame([{"trust_code": r[0], "trust_name": f"Trust {r[0]}", "trust_type": r[1], "quarter": Q1,
                         "metric_id": r[2], "value": r[3], **({"units": r[4]} if len(r) > 4 else {})}
                        for r in rows])
    return nhsrank.read_metrics(out)


# --- the catalogue ------------------------------------------------------------------------------


def test_an_acute_trust_is_scored_on_a_community_metric_it_reports():
    # OF0005 (community 52-week waits, lower better): acute A1 2%, A2 -; MH N1 0%, N2 4%, N3 1%
    # pooled over the 4 reporters: N1 0 -> r1, N3 0.01 -> r2, A1 0.02 -> r3, N2 0.04 -> r4 of N = 4
    # A1: 1 + 3 * 2/3 = 3.00 (and OF0082 alone, acute within two acute trusts... not given here)
    m = frame([("A1", "acute", "OF0005", 0.02), ("A1", "acute", "OF0023", 0.7), ("A2", "acute", "OF0023", 0.6),
               ("N1", "non-acute", "OF0005", 0.0), ("N2", "non-acute", "OF0005", 0.04),
               ("N3", "non-acute", "OF0005", 0.01)])
    t = nhsrank.league_table(m, Q1, "acute", NOF).table.set_index("trust_code")
    assert t.loc["A1", "OF0005"] == pytest.approx(3.0)
    assert pd.isna(t.loc["A2", "OF0005"])
    # A1's average: OF0023 1.00 (best of 2) and OF0005 3.00 -> 2.00; A2: OF0023 4.00 -> 4.00
    assert t.loc["A1", "average_metric_score"] == pytest.approx(2.0)
    assert t.loc["A2", "average_metric_score"] == pytest.approx(4.0)
    assert "n_metrics_scored" in t and t.loc["A1", "n_metrics_scored"] == 2


def test_a_metric_whose_peers_include_a_type_not_loaded_takes_the_published_score():
    # OF0082 is reported by acute, MH and ambulance trusts: with no ambulance trust loaded the
    # computed score would rank among too few providers, so NHS England's score is taken
    rows = pd.DataFrame([
        {"Trust_code": c, "Trust_name": c, "Trust_type": "Acute trust", "Quarter": "Q1 2025/26",
         "Metric_ID": mid, "Value": v, "Units": u}
        for c, mid, v, u in [("A1", "OF0082", "4.0", "percent"), ("A1", "OF1082", "1.3", "score"),
                             ("A2", "OF0082", "5.0", "percent"), ("A2", "OF1082", "2.9", "score")]])
    result = nhsrank.league_table(rows, Q1, "acute", NOF)
    t = result.table.set_index("trust_code")
    assert list(t["OF0082"]) == [1.3, 2.9]                     # taken, not the computed 1.00 / 4.00
    assert "their peers include ambulance, non-acute providers" in result.provenance["metric_scores"]


# --- scoring ------------------------------------------------------------------------------------


def test_infection_counts_through_the_pipeline_with_one_third_weights():
    # A1: MRSA 0 cases (standard 0 -> 1.00), E. coli rate 0.9 (-> 1.00), C. diff count 2 (-> 3.00)
    # A2: MRSA 3, E. coli 1.4, C. diff rate 1.2: each the only trust failing its standard, so each
    #     takes the middle of the 2.00-4.00 spread, 3.00; both: OF0023 (A1 best 1.00, A2 4.00)
    # A1 average = (1/3 (1 + 1 + 3) + 1) / (1 + 1) = (5/3 + 1) / 2 = 1.333.. -> 1.33
    # A2 average = (1/3 (3 + 3 + 3) + 4) / 2 = 3.50
    m = frame([("A1", "acute", "OF0020", 0, "count"), ("A1", "acute", "OF0048", 0.9, "rate"),
               ("A1", "acute", "OF0088", 2, "count"), ("A1", "acute", "OF0023", 0.8),
               ("A2", "acute", "OF0020", 3, "count"), ("A2", "acute", "OF0048", 1.4, "rate"),
               ("A2", "acute", "OF0088", 1.2, "rate"), ("A2", "acute", "OF0023", 0.6)])
    result = nhsrank.league_table(m, Q1, "acute", NOF)
    t = result.table.set_index("trust_code")
    assert list(t.loc["A1", ["OF0020", "OF0048", "OF0088"]]) == [1.0, 1.0, 3.0]
    assert t.loc["A1", "average_metric_score"] == pytest.approx(1.33)
    assert t.loc["A2", "average_metric_score"] == pytest.approx(3.5)
    # the safety domain: A1 (1 + 1 + 3) / 3 = 1.67
    assert t.loc["A1", "domain_safety"] == pytest.approx(1.67)
    assert "OF0088: 1" in result.provenance["count_rows"]


# --- segments and positions ---------------------------------------------------------------------


# --- the quarter of a release without a Quarter column -----------------------------------------


