"""Hand-worked examples and properties of the rules NHS England's acute file showed (issue 18).

The metric catalogue (a trust is scored on every metric it reports, whatever its type), peers
beyond the files loaded, standards, infection counts, the cut-point side, the adjusted segment
the league position ranks on, domain scores with weights and domain segments, and the quarter of
a release without a Quarter column. The numbers in the comments are worked by hand.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nhsrank
from nhsrank.data.readers import quarter_from_reporting_dates
from nhsrank.errors import MethodologyError
from nhsrank.rules.methodology import _as_catalogue
from nhsrank.rules.scoring import domain_means, score_array
from nhsrank.rules.segmentation import apply_overrides, league_positions, ranked_segments, threshold_segments

NOF = nhsrank.load_methodology("nof-2025-26")
Q1 = "2025-26-Q1"


def frame(rows):
    """(code, type, metric, value[, units]) -> canonical rows, read as a user's table would be."""
    out = pd.DataFrame([{"trust_code": r[0], "trust_name": f"Trust {r[0]}", "trust_type": r[1], "quarter": Q1,
                         "metric_id": r[2], "value": r[3], **({"units": r[4]} if len(r) > 4 else {})}
                        for r in rows])
    return nhsrank.read_metrics(out)


# --- the catalogue ------------------------------------------------------------------------------

def test_each_metric_is_listed_once_with_the_types_that_report_it():
    cat = NOF.catalogue()
    assert cat["metric_id"].is_unique
    by = cat.set_index("metric_id")["reported_by"]
    assert set(by["OF0082"]) == {"acute", "non-acute", "ambulance"}
    assert set(by["OF0005"]) == {"acute", "non-acute"} and set(by["OF0028"]) == {"ambulance", "acute"}
    # the type's usual list is the catalogue filtered, in catalogue order
    assert list(NOF.metrics("non-acute")["metric_id"]) == [m for m, r in by.items() if "non-acute" in r]


def test_an_old_layout_file_is_read_into_the_catalogue_and_disagreements_are_refused():
    old = {"trust_types": {"a": {"metrics": [{"id": "X", "domain": "d", "synthetic": {"mean": 1}}]},
                           "b": {"metrics": [{"id": "X", "domain": "d", "synthetic": {"mean": 2}}]}}}
    cfg = _as_catalogue(old, "test.yaml")
    assert cfg["metrics"] == [{"id": "X", "domain": "d", "reported_by": ["a", "b"],
                               "synthetic": {"a": {"mean": 1}, "b": {"mean": 2}}}]
    assert "metrics" not in cfg["trust_types"]["a"]
    clash = {"trust_types": {"a": {"metrics": [{"id": "X", "domain": "d"}]},
                             "b": {"metrics": [{"id": "X", "domain": "e"}]}}}
    with pytest.raises(MethodologyError, match="defined differently under a and b"):
        _as_catalogue(clash, "test.yaml")


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

def test_infection_rates_meet_a_standard_and_counts_are_scored_by_bands():
    # E. coli (lower better), standard 1.00: rates 0.80 and 1.00 meet it -> 1.00; rates 1.10, 1.30,
    # 1.60 rank 1, 2, 3 of 3 -> 2.00, 3.00, 4.00; counts (Units "count") 0 -> 1.00, 2 -> 3.00, 5 -> 4.00
    spec = NOF.catalogue().set_index("metric_id").loc[["OF0048"]].reset_index()
    values = np.array([[0.8], [1.0], [1.1], [1.3], [1.6], [0.0], [2.0], [5.0]])
    counts = np.array([[False]] * 5 + [[True]] * 3)
    got = score_array(values, spec, count_cells=counts).ravel()
    np.testing.assert_allclose(got, [1.0, 1.0, 2.0, 3.0, 4.0, 1.0, 3.0, 4.0])


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


def test_domain_means_use_the_metric_weights():
    # safety: three infections at 1/3 and one metric at 1: (1/3)(1 + 4 + 4) + 2 = 5 over weight 2 -> 2.5
    got = domain_means(np.array([[1.0, 4.0, 4.0, 2.0]]), np.zeros(4, dtype=int), 1,
                       np.array([1 / 3, 1 / 3, 1 / 3, 1.0]))
    np.testing.assert_allclose(got, [[2.5]])
    # missing metrics drop out with their weight: (1/3)(1) + 2 over 4/3 -> 1.75
    got = domain_means(np.array([[1.0, np.nan, np.nan, 2.0]]), np.zeros(4, dtype=int), 1,
                       np.array([1 / 3, 1 / 3, 1 / 3, 1.0]))
    np.testing.assert_allclose(got, [[1.75]])


# --- segments and positions ---------------------------------------------------------------------

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


# --- the quarter of a release without a Quarter column -----------------------------------------

@pytest.mark.parametrize("dates, quarter", [
    (["Jun-25", "Q1 2025/26", "2024"], "2025-26-Q1"),
    (["Sep-25", "Jul 24 - Jun 25"], "2025-26-Q2"),
    (["Dec-25", "Nov-25"], "2025-26-Q3"),
    (["Mar-26", "Feb-26"], "2025-26-Q4"),
    (["2024", "Month 3 2025"], None),
])
def test_quarter_from_reporting_dates(dates, quarter):
    assert quarter_from_reporting_dates(pd.Series(dates)) == quarter


def test_a_file_without_a_quarter_column_or_dates_asks_for_the_quarter(tmp_path):
    p = tmp_path / "q.csv"
    pd.DataFrame({"Trust_code": ["A1"], "Trust_type": ["Acute trust"], "Metric_ID": ["OF0023"],
                  "Value": ["70"], "Units": ["percent"]}).to_csv(p, index=False)
    with pytest.raises(nhsrank.InputError, match="no Quarter column"):
        nhsrank.read_metrics(p)
    m = nhsrank.read_metrics(p, quarter="2025-26-Q2")
    assert set(m["quarter"]) == {"2025-26-Q2"} and "as given" in m.attrs["quarter_note"]
