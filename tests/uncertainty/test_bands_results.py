"""RankBands: fields, a copy from to_frame(), summary() from the table (issue 23)."""
import pandas as pd

from nhsrank.uncertainty import RankBands, rank_bands
from nhsrank.uncertainty.bands import NO_SETS, band_sentence, band_summary
from result_checks import check_result


def _table(lower, upper):
    n = len(lower)
    return pd.DataFrame({"trust_code": [f"T{i}" for i in range(n)], "score_rank": range(1, n + 1),
                         "simultaneous_rank_lower": lower, "simultaneous_rank_upper": upper})


def test_rank_bands_fields_and_summary():
    # the worked example of tests/test_bands.py: bands {1,2,3}, {4,5}, {6,7,8}
    b = rank_bands(_table([1, 1, 3, 4, 4, 6, 6, 6], [2, 3, 3, 5, 5, 8, 8, 8]))
    assert isinstance(b, RankBands)
    check_result(b, ["table", "n_bands", "note"])
    assert (b.n_bands, b.note) == (3, "")
    s = b.summary()
    assert s["n_trusts"].tolist() == [3, 2, 3] and s["n_trusts"].sum() == len(b.table)
    assert s.equals(band_summary(b.table))
    assert b.n_bands == b.table["band"].max() == len(s)


def test_no_sets_no_bands_and_the_note_says_why():
    b = rank_bands(_table([None] * 3, [None] * 3))
    assert b.n_bands == 0 and b.note == NO_SETS and b.summary().empty
    assert band_sentence(b) == f"No bands: {NO_SETS}."
