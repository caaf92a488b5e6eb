"""nhsrank.report.sentences: the sentences the pages print, written from the figures they describe."""
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from nhsrank.report import sentences


def result(differs, lower, upper, headline, col="differs"):
    """A stand-in for a RankUncertainty: what neighbours_sentence reads."""
    pairs = pd.DataFrame({col: differs})
    return SimpleNamespace(table=pd.DataFrame({"rank_lower": lower, "rank_upper": upper}), adjacent_pairs=pairs,
                           headline=headline)


# ------------------------------------------------------------------------------------------ neighbours_sentence


def test_neighbours_sentence_quotes_the_numbers(nonacute_uncertainty):
    text = sentences.neighbours_sentence(nonacute_uncertainty)
    pairs = nonacute_uncertainty.adjacent_pairs
    assert text.startswith(f"Of {len(pairs)} neighbouring pairs, {int(pairs['differs'].sum())} differ")
    assert "not significantly different" in text
    assert "use at least" in text        # 120 replicates cannot reach Holm significance: said, not hidden


@pytest.mark.parametrize("differs, verdict", [
    ([False, False, False], "neighbouring positions are not significantly different"),
    ([True, False, False], "neighbouring positions are mostly not significantly different"),
    ([True, True, False], "most neighbouring positions differ significantly"),
    ([True, True, True], "most neighbouring positions differ significantly"),
])
def test_neighbours_sentence_verdict_follows_the_count_of_pairs_that_differ(differs, verdict):
    # widths 0, 1, 1, 3 -> median 1: one position, singular
    u = result(differs, [1, 1, 2, 1], [1, 2, 3, 4], "of 3 neighbouring pairs, some differ")
    assert sentences.neighbours_sentence(u) == (f"Of 3 neighbouring pairs, some differ: {verdict}. "
                                                "The median 95% confidence set for a rank spans 1 position.")


def test_neighbours_sentence_half_the_pairs_differing_is_not_most():
    u = result([True, False], [1, 1, 2], [1, 3, 3], "of 2 neighbouring pairs, 1 differs")
    assert "neighbouring positions are mostly not significantly different." in sentences.neighbours_sentence(u)


def test_neighbours_sentence_reads_differs_in_order_and_moves_the_note_to_its_own_sentence():
    # 2 of 2 pairs differ in order (the plain "differs" column is absent): most differ; widths 2, 3 -> 2.5
    u = result([True, True], [1, 1], [3, 4], "of 2 neighbouring pairs, 2 differ; note: use at least 1000 replicates",
               col="differs_in_order")
    assert sentences.neighbours_sentence(u) == (
        "Of 2 neighbouring pairs, 2 differ: most neighbouring positions differ significantly. "
        "The median 95% confidence set for a rank spans 2.5 positions. Note: use at least 1000 replicates.")


def test_neighbours_sentence_without_rank_sets_says_no_width():
    u = result([False], [np.nan, np.nan], [np.nan, np.nan], "of 1 neighbouring pair, none differs")
    assert sentences.neighbours_sentence(u) == ("Of 1 neighbouring pair, none differs: neighbouring positions are "
                                                "not significantly different.")


# ----------------------------------------------------------------------------- intervals_explained, one trust's


def test_intervals_explained_counts_the_trusts_and_names_what_was_resampled():
    u = SimpleNamespace(table=pd.DataFrame({"trust_code": list("ABCDEFG")}), sources=("scores",))
    lines = sentences.intervals_explained(u).splitlines()
    assert lines[0] == sentences.resampled_text(("scores",))
    assert "among the 7 trusts" in lines[2] and "for all 7 trusts at once" in lines[3]
    assert [line[:2] for line in lines[2:5]] == ["1.", "2.", "3."]


def row(**over):
    r = {"trust_code": "A", "trust_name": "Ay", "segment": 2, "p_segment_2": 0.456, "rank_lower": 3,
         "rank_upper": 9, "simultaneous_rank_lower": 2, "simultaneous_rank_upper": 12, "likely_position_lower": 4,
         "likely_position_upper": 7}
    r.update(over)
    return pd.DataFrame([r, {**r, "trust_code": "B", "trust_name": "Bee", "segment": 1}])


def test_trust_intervals_sentence_picks_the_trust_and_its_own_segment_probability():
    text = sentences.trust_intervals_sentence(row(), "A")
    assert text.startswith("Ay: 95% confidence set for its rank 3-9 (quote this first); simultaneous set 2-12; "
                           "likely range of position 4-7 and P(segment 2) 0.46 (its own figures")
    # trust B is in segment 1 and the table has no p_segment_1: said, not invented
    assert "P(segment 1) n/a" in sentences.trust_intervals_sentence(row(), "B")


def test_trust_intervals_sentence_says_na_for_an_interval_not_computed():
    text = sentences.trust_intervals_sentence(row(simultaneous_rank_lower=np.nan, simultaneous_rank_upper=np.nan),
                                              "A")
    assert "simultaneous set n/a;" in text and "rank 3-9" in text


# ------------------------------------------------------------------------------------- sources, overrides


def test_source_summary_text_every_source_ran():
    s = pd.DataFrame({"source": ["scores", "sampling"], "note": ["", ""]})
    assert sentences.source_summary_text(s) == "Every source was run."


def test_source_summary_text_no_source_ran_lists_every_reason():
    s = pd.DataFrame({"source": ["sampling", "metrics"], "note": ["not run: no numerators", "not run: one metric"]})
    assert sentences.source_summary_text(s) == (
        "No source could be run on these data.\n"
        "Not run, because the data cannot support it (no finding is drawn from it):\n"
        "  sampling: no numerators\n  metrics: one metric")


def test_override_counts_leaves_out_overrides_that_moved_no_trust():
    o = pd.DataFrame({"trust_type": ["acute", "acute", "acute", "ambulance"],
                      "override": ["PIP", "PIP", "financial deficit", "financial deficit"],
                      "segment": [5, 5, 3, 3], "segment_before_adjustment": [1, 4, 3, 3]})
    # the deficit cap on a segment 3 trust changed nothing: ambulance is not named at all
    assert sentences.override_counts(o) == "Trusts whose segment an override changed: acute 2 (PIP)."
    o.loc[3, "segment_before_adjustment"] = 2
    assert sentences.override_counts(o) == ("Trusts whose segment an override changed: acute 2 (PIP); "
                                            "ambulance 1 (financial deficit).")


# ------------------------------------------------------------------------------------------------ distance_view


def distances():
    return pd.DataFrame({"trust_code": ["A", "B", "C"], "trust_name": ["Ay", "Bee", "Cee"], "segment": [1, 5, 3],
                         "next_segment": [np.nan, np.nan, 2], "improvement_needed": [np.nan, np.nan, 0.125],
                         "target_score": [np.nan, np.nan, 1.875], "average_metric_score": [1.1, 2.6, 2.0]})


def test_distance_view_says_why_there_is_no_distance():
    d = distances()
    assert sentences.distance_view(d, "A") == ("Ay is in segment 1: there is no segment above it.", None)
    assert sentences.distance_view(d, "B") == ("Bee is in segment 5: its segment is set by an override, not by its "
                                               "score.", None)
    assert sentences.distance_view(d, "Z") == ("Z is not ranked: no distance to compute.", None)


def test_distance_view_gives_the_improvement_and_the_trust_row():
    text, r = sentences.distance_view(distances(), "C")
    assert text == ("Cee needs its average metric score, 2.00, to improve by 0.12 to reach segment 2 (to 1.88), "
                    "if every other trust kept its score.")
    assert list(r.index) == list(distances().columns) and r.shape == (7, 1)
    # a result object with cut points says the target is the cut point between the segments
    text, _ = sentences.distance_view(SimpleNamespace(table=distances(), cut_points=[1.5, 1.875]), "C")
    assert "(the cut point between segments 2 and 3 is 1.88)" in text
    # without the average score: the improvement alone
    text, _ = sentences.distance_view(distances().drop(columns=["average_metric_score", "target_score"]), "C")
    assert text == ("Cee needs its average metric score to improve by 0.12 to reach segment 2, if every other "
                    "trust kept its score.")
