"""The full table (nhsrank.report.full_table): columns, order, CSV and Excel files, its page, headlines."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from nhsrank.report import full_table as ft
from nhsrank.report.offline import remote_references


def _u(n=4, likely=False):
    import numpy as np
    import pandas as pd

    u = pd.DataFrame(
        {
            "trust_code": [f"T{i}" for i in range(n)],
            "trust_name": [f"Trust {i}" for i in range(n)],
            "league_position": np.arange(1, n + 1),
            "segment": np.minimum(4, np.arange(n) // max(1, n // 4) + 1),
            "average_metric_score": np.linspace(1.234567, 3.456789, n),
            "rank_lower": np.maximum(1, np.arange(n)),
            "rank_upper": np.minimum(n, np.arange(n) + 2),
            "p_segment_1": 0.5,
            "p_segment_2": 0.5,
            "p_segment_10": 0.0,
            "simultaneous_rank_lower": 1,
            "simultaneous_rank_upper": n,
        }
    )
    if likely:
        u["likely_position_lower"] = u["rank_lower"]
        u["likely_position_median"] = u["league_position"]
        u["likely_position_upper"] = u["rank_upper"]
    return u


def test_full_table_columns_in_order_scores_to_2dp_and_p_segments_numerically_sorted():
    t = ft.full_table(_u())
    assert list(t.columns) == ["position", "trust_code", "trust_name", "average_score", "segment", "band", "surely",
                               "override", "rank_lower", "rank_upper", "simultaneous_rank_lower",
                               "simultaneous_rank_upper", "p_segment_1", "p_segment_2", "p_segment_10"]
    assert t["average_score"].iloc[0] == 1.23 and t["average_score"].iloc[-1] == 3.46
    assert (t["override"] == "").all()


def test_full_table_shows_likely_position_and_published_rank_only_when_present():
    import pandas as pd

    assert "likely_position_lower" not in ft.full_table(_u())
    pub = pd.DataFrame({"trust_code": ["T0", "T1"], "rank": [1, 3], "rank_range_lower": [1, 2],
                        "rank_range_upper": [2, 4]})
    t = ft.full_table(_u(likely=True), published=pub)
    cols = list(t.columns)
    assert cols.index("rank_upper") < cols.index("likely_position_lower") < cols.index("p_segment_1")
    assert cols[-3:] == ["published_rank", "published_rank_lower", "published_rank_upper"]
    assert t["published_rank"].tolist()[:2] == [1, 3] and t["published_rank"].isna().sum() == 2   # no trust dropped
    assert str(t["published_rank"].dtype) == "Int64"                               # printed 3, not 3.0


def test_full_table_override_words():
    import pandas as pd

    league = pd.DataFrame({"trust_code": ["T0", "T1", "T2", "T3"], "financial_override": [True, False, True, False],
                           "pip_override": [False, True, True, False]})
    assert ft.full_table(_u(), league)["override"].tolist() == ["financial deficit", "PIP", "PIP", ""]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 40), shuffle=st.randoms(use_true_random=False))
def test_full_table_keeps_every_trust_in_league_order(n, shuffle):
    u = _u(n)
    rows = list(range(n))
    shuffle.shuffle(rows)
    t = ft.full_table(u.iloc[rows])
    assert len(t) == n and sorted(t["trust_code"]) == sorted(u["trust_code"])
    assert t["position"].is_monotonic_increasing and t.columns[0] == "position"
    assert ((t["average_score"] * 100).round(9) % 1 == 0).all()
    said = ft.headlines(u, None, None)
    assert len(said) == (2 if n >= 4 else 1)         # fewer than 4 trusts: no quarter to speak of
    assert said[-1].startswith(f"{n} trust")         # the band sentence (every set spans 1..n: one band)
    if n >= 4:
        top, bottom = (int(x) for x in re.findall(r"(\d+) (?:of \d+ trusts )?surely", said[0]))
        assert 0 <= top + bottom <= n


def test_full_tables_csv_and_excel_have_the_same_columns_in_order_and_are_reproducible(tmp_path):
    import openpyxl

    tables = {"acute": ft.full_table(_u(8, likely=True)), "non-acute": ft.full_table(_u(3))}
    paths = ft.write_full_tables(tables, tmp_path / "a")
    again = ft.write_full_tables(tables, tmp_path / "b")
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]
    csv = (tmp_path / "a" / "full_table-acute.csv").read_text().splitlines()
    assert csv[0].split(",") == list(tables["acute"].columns) and csv[0].startswith("position,")
    wb = openpyxl.load_workbook(tmp_path / "a" / "full_table.xlsx")
    assert wb.sheetnames == ["acute", "non-acute", "notes"]
    for name, t in tables.items():
        head = [c.value for c in next(wb[name].iter_rows(max_row=1))]
        assert head == list(t.columns) and wb[name].max_row == len(t) + 1


def test_full_table_page_is_offline_searchable_sortable_and_draws_intervals():
    t = ft.full_table(_u(6, likely=True))
    page = ft.full_table_page({"acute": t, "non-acute": ft.full_table(_u(2))}, "2025-26-Q4", box="<div>BOX</div>")
    assert remote_references(page) == [] and "<script src" not in page
    assert 'id="search-acute"' in page and 'id="table-non-acute"' in page and "addEventListener('click'" in page
    assert page.count('<svg class="iv"') == 8 and "95% confidence set for rank" in page
    assert "likely position" in page and "<div>BOX</div>" in page
    assert ">1.23<" in page and "1.234567" not in page.replace('data-v="1.23457"', "")


def test_interval_svg_marks_the_set_and_position():
    s = ft.interval_svg(3, 7, 5, 10, likely=(4, 6))
    assert s.count("<rect") == 3 and s.count("<circle") == 1
    assert "95% confidence set for rank 3 to 7" in s and "likely position 4 to 6" in s


def test_headlines_count_pairs_top_and_bottom_quarter_and_rankability():
    import pandas as pd

    u = pd.DataFrame({"simultaneous_rank_lower": [1, 1, 5, 7, 7, 8, 8, 8],
                      "simultaneous_rank_upper": [1, 2, 7, 8, 8, 8, 8, 8]})
    pairs = pd.DataFrame({"differs_in_order": [True, True, False, False, False, False, False]})
    h = ft.headlines(u, pairs, 0.4)
    assert h[0].startswith("2 of 7 neighbouring pairs differ")
    assert h[1].startswith("2 of 8 trusts surely rank in the top quarter") and "and 5 surely in the bottom" in h[1]
    assert h[2] == "Rankability 0.40: much of the spread in average score is sampling noise."
