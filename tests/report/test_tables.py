"""nhsrank.report.tables: tables as a reader sees them (headers, numbers as NHS England prints them)."""
import numpy as np
import pandas as pd
import pytest

from nhsrank.report.tables import LABELS, formatted, label, table


@pytest.mark.parametrize("name, header", [
    ("league_position", "Position"),          # a listed column
    ("p_segment_4", "P(segment 4)"),          # the segment probabilities, whatever the segment
    ("p_segment_12", "P segment 12"),         # not a segment of the NOF: the plain rule
    ("n_boot", "N boot"),                     # underscores to spaces, first letter capital
    ("_private_", "Private"),                 # no leading or trailing space
    (7, "7"),
    ("", ""),
])
def test_label(name, header):
    assert label(name) == header


def test_every_listed_header_is_readable():
    # no header a reader sees keeps an underscore, and no two columns share one
    assert not [h for h in LABELS.values() if "_" in h]
    assert len(set(LABELS.values())) == len(LABELS)


def test_formatted_prints_each_kind_of_column_as_nhs_england_does():
    df = pd.DataFrame({
        "league_position": [1.0, 2.0, np.nan],      # whole floats (a missing one): positions, no decimals
        "average_metric_score": [1.0, 1.456, 2.0],  # a score: 2 decimals even when whole
        "n_metrics_scored": np.array([9, 10, 11]),  # integers
        "rank_lower": [1.5, 2.0, 3.0],              # not a score but not whole: 2 decimals
        "financial_override": [True, False, True],  # flags
        "trust_name": ["A", None, "C"],             # text; missing -> en dash, never None
        "sources": [("scores", "sampling"), ("scores",), ()],
    })
    cells = formatted(df)
    assert list(cells.columns) == ["Position", "Average metric score", "Metrics scored", "95% rank set from",
                                   "Capped by deficit", "Trust", "Sources"]
    assert cells.to_dict("list") == {
        "Position": ["1", "2", "–"],
        "Average metric score": ["1.00", "1.46", "2.00"],
        "Metrics scored": ["9", "10", "11"],
        "95% rank set from": ["1.50", "2.00", "3.00"],
        "Capped by deficit": ["yes", "no", "yes"],
        "Trust": ["A", "–", "C"],
        "Sources": ["scores, sampling", "scores", ""],
    }


def test_a_rank_by_score_is_a_whole_number_and_a_score_change_has_decimals():
    # "score" in a name means 2 decimals, except the counts (n_metrics_scored) and the rank (score_rank)
    df = pd.DataFrame({"score_rank": [1.0, 2.0], "score_change": [1.0, -0.5], "trusts_scored": [61.0, 60.0]})
    assert formatted(df).to_dict("list") == {"Rank by score": ["1", "2"], "Change in score": ["1.00", "-0.50"],
                                             "Trusts scored": ["61", "60"]}


def test_formatted_shows_no_python_value():
    df = pd.DataFrame({"a": pd.array([1, None], dtype="Int64"), "b": [pd.NaT, pd.NaT], "c": [np.nan, np.nan],
                       "d": pd.array([True, None], dtype="boolean")})
    text = " ".join(formatted(df).to_numpy().ravel())
    for python in ("nan", "NaN", "<NA>", "NaT", "None", "True", "False"):
        assert python not in text
    assert formatted(df).to_dict("list") == {"A": ["1", "–"], "B": ["–", "–"], "C": ["–", "–"], "D": ["yes", "–"]}


def test_formatted_with_the_index_and_on_an_empty_table():
    df = pd.DataFrame({"segment": [1, 2]}, index=pd.Index(["x", "y"], name="trust_type"))
    assert formatted(df, index=True).to_dict("list") == {"Trust type": ["x", "y"], "Segment": ["1", "2"]}
    assert formatted(df).to_dict("list") == {"Segment": ["1", "2"]}
    assert formatted(df.iloc[:0]).empty


def test_table_text_is_right_aligned_columns():
    t = table(pd.DataFrame({"segment": [1, 10], "trust_name": ["Long name", "B"]}))
    assert str(t) == ("Segment      Trust\n"
                      "      1  Long name\n"
                      "     10          B")
    assert repr(t) == str(t)
    assert str(table(pd.DataFrame({"segment": []}))) == "(no rows)"


def test_table_html_escapes_and_aligns_numbers_right():
    t = table(pd.DataFrame({"trust_name": ["<A&B>"], "p_top_quartile": [0.5]}), caption="Top & tail")
    html = t._repr_html_()
    assert html.startswith('<table class="nhsrank-table"><caption>Top &amp; tail</caption>'
                           "<thead><tr><th>Trust</th><th>P(top quarter)</th></tr></thead>")
    assert "<td>&lt;A&amp;B&gt;</td><td class=num>0.50</td>" in html
    assert "<caption>" not in table(pd.DataFrame({"segment": [1]}))._repr_html_()
