"""The full table built for comparison and a page for every trust (issue 21): what each shows, worked
by hand, and the pages of a small report folder checked for raw Python. No notebook runs here."""
from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest

from nhsrank.report import full_table as ft
from nhsrank.report.trust_data import data_source_line
from nhsrank.report.trust_pages import segment_move, trust_search_html, write_trust_pages
from report_fixtures import PAGES_QUARTER as QUARTER, PAGES_TYPES as TYPES, bundled_context  # noqa: F401


def visible_text(page: str) -> str:
    page = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", page, flags=re.S)
    page = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


RAW_PYTHON = re.compile(r"\b(nan|NaN|None|True|False|NaT)\b|<NA>|dtype|\d+\.0\b(?!\d)|\d\.\d{3,}")


# ---------------------------------------------------------------------------- worked examples


def _u(codes, positions, scores):
    n = len(codes)
    return pd.DataFrame({"trust_code": codes, "trust_name": [f"Trust {c}" for c in codes],
                         "league_position": positions, "segment": [1] * n, "average_metric_score": scores,
                         "score_rank": positions, "simultaneous_rank_lower": [1] * n,
                         "simultaneous_rank_upper": [n] * n})


def test_published_beside_computed_the_differs_flag_and_the_change_since_last_quarter():
    u = _u(["A", "B", "C"], [1, 2, 3], [1.50, 1.70, 2.10])
    # by hand: A agrees on all three; B's position differs (2 vs 3); C's score differs by rounding (2.10 vs 2.11);
    # A was 3rd last quarter (+2), B 1st (-1), C not ranked then (blank)
    h = pd.DataFrame({"quarter": ["Q2"] * 3 + ["Q1"] * 2, "trust_code": ["A", "B", "C", "A", "B"],
                      "league_position": [1, 2, 3, 3, 1], "published_position": [1, 3, 3, 3, 1],
                      "published_segment": [1, 1, 1, 1, 1], "published_score": [1.50, 1.70, 2.11, 1.9, 1.4]})
    t = ft.full_table(u, history=h, quarter="Q2", previous="Q1")
    assert t["differs"].tolist() == ["no", "position", "score (rounding)"]
    far = ft.full_table(u, history=h.assign(published_score=[1.50, 1.70, 2.30, 1.9, 1.4]), quarter="Q2")
    assert far["differs"].tolist() == ["no", "position", "score"]             # 0.20 off: not rounding
    assert t["position_change"].tolist()[:2] == [2, -1] and pd.isna(t["position_change"].iloc[2])
    assert t["published_position"].tolist() == [1, 3, 3] and str(t["published_position"].dtype) == "Int64"
    page = ft.table_html(t, "x", previous="Q1", links=True)
    assert "&minus;1" in page and ">+2<" in page and ">new<" in page
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", page)
    assert heads[:8] == ["trust", "position", "NHS England position", "segment", "NHS England segment",
                         "average score", "NHS England score", "differs from NHS England"]
    assert 'class="trustcol"' in page and 'href="trusts/B.html"' in page


def test_no_published_figures_no_published_columns_and_no_previous_quarter_said():
    u = _u(["A", "B"], [1, 2], [1.5, 1.7])
    h = pd.DataFrame({"quarter": ["Q1", "Q1"], "trust_code": ["A", "B"], "league_position": [1, 2],
                      "published_position": pd.array([pd.NA, pd.NA], dtype="Int64"),
                      "published_segment": pd.array([pd.NA, pd.NA], dtype="Int64"), "published_score": np.nan})
    t = ft.full_table(u, history=h, quarter="Q1", previous=None)
    assert not any(c.startswith("published_") or c == "differs" for c in t.columns)
    page = ft.full_table_page({"acute": t}, "Q1", links=True)
    assert page.count(">no previous quarter</td>") == 2
    assert "carries no published NHS England results" in page


def test_segment_move_by_hand():
    cuts, sides = [2.05, 2.33, 2.60], ["lower", "upper", "lower"]
    # segment 4 at 2.75: the cut into 3 is 2.60, a score equal to it goes to the better segment: 2.75 - 2.60
    assert segment_move(2.75, 4, cuts, sides).startswith("An average score of 2.60 or less (0.15 lower than now)")
    # segment 3 at 2.33 (at the cut, which sends it to 3): below 2.33 means 2.32, 0.01 lower
    assert segment_move(2.33, 3, cuts, sides).startswith("An average score below 2.33 (0.01 lower than now)")
    assert "financial-deficit cap" in segment_move(2.2, 2, cuts, sides, financial=True)
    assert "Provider Improvement Programme" in segment_move(2.2, 2, cuts, sides, pip=True)
    assert "not known" in segment_move(2.2, 2, None, None)


def test_workbook_has_a_quarter_column_frozen_header_filters_and_a_notes_sheet(tmp_path):
    import openpyxl

    t = ft.full_table(_u(["A", "B", "C"], [1, 2, 3], [1.5, 1.7, 2.1]))
    ft.write_full_tables({"acute": t}, tmp_path, quarter="2025-26-Q1", source="SYNTHETIC test data", method="NOF")
    wb = openpyxl.load_workbook(tmp_path / "full_table.xlsx")
    assert wb.sheetnames == ["acute", "notes"]
    ws = wb["acute"]
    head = [c.value for c in ws[1]]
    assert head == ["quarter"] + list(t.columns)
    assert {ws.cell(row=r, column=1).value for r in range(2, 5)} == {"2025-26-Q1"}
    assert ws.freeze_panes == "D2" and ws.auto_filter.ref == f"A1:{ws.cell(row=4, column=len(head)).coordinate}"
    notes = {r[0]: r[1] for r in wb["notes"].iter_rows(min_row=2, values_only=True)}
    assert notes["source"] == "SYNTHETIC test data" and notes["report quarter"] == "2025-26-Q1"
    assert notes["licence"].startswith("none needed: SYNTHETIC")
    assert all(c in notes for c in head), [c for c in head if c not in notes]     # every column explained


# ---------------------------------------------------------------------------- pages of a small report folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory, bundled, bundled_context):
    from nhsrank.uncertainty import rank_uncertainty

    metrics, attrs = bundled
    d = tmp_path_factory.mktemp("trust-pages")
    for tt in TYPES:
        u_res = rank_uncertainty(metrics, QUARTER, tt, attributes=attrs, n_boot=60, seed=1, progress=False)
        u = u_res.table
        (d / f"rank_uncertainty-{tt}").mkdir()
        u.to_csv(d / f"rank_uncertainty-{tt}" / "rank_uncertainty.csv", index=False)
    tables, notes, missing = ft.build_from_report(d, TYPES, QUARTER, context=bundled_context)
    assert missing == []
    pages = write_trust_pages(d, tables, bundled_context, QUARTER, source=data_source_line(None, True))
    (d / "full_table.html").write_text(ft.full_table_page(tables, QUARTER, notes=notes, links=True,
                                                          previous=bundled_context["previous_quarter"]))
    return d, tables, pages


def test_a_page_for_every_trust_linked_from_the_full_table_and_the_search(folder):
    d, tables, pages = folder
    codes = [c for t in tables.values() for c in t["trust_code"]]
    assert sorted(pages) == sorted(codes) and all(p.exists() for p in pages.values())
    full = (d / "full_table.html").read_text()
    linked = set(re.findall(r'href="(trusts/[^"]+)"', full))
    assert linked == {p.relative_to(d).as_posix() for p in pages.values()}
    search = trust_search_html(tables)
    assert set(re.findall(r'href="(trusts/[^"]+)"', search)) == linked


def test_trust_pages_carry_no_raw_python_and_print_numbers_as_nhs_england_does(folder):
    d, _tables, pages = folder
    for p in pages.values():
        text = visible_text(p.read_text())
        bad = RAW_PYTHON.findall(text)
        assert not bad, f"{p.name}: {bad[:5]}"
        assert "SYNTHETIC" in text and str(d) not in p.read_text()
        for section in ("Beside NHS England's table", "How sure we are", "What would move it up a segment",
                        "Each metric", "Quarter by quarter"):
            assert section in text, (p.name, section)


def test_a_trust_page_shows_the_table_row_it_comes_from(folder):
    _d, tables, pages = folder
    t = tables["acute"]
    row = t.iloc[len(t) // 2]
    text = re.sub(r"\s+", " ", visible_text(pages[row["trust_code"]].read_text()))
    assert f"position {int(row['position'])} of {len(t)}" in text
    assert f"average score {row['average_score']:.2f}" in text
    assert f"Band {int(row['band'])} of" in text
    assert (f"95% simultaneous set (all trusts at once): {int(row['simultaneous_rank_lower'])} to "
            f"{int(row['simultaneous_rank_upper'])}") in text
    # the trend: both quarters of the bundled data, the interval only where the bootstrap ran
    assert "2025-26-Q1" in text and "2025-26-Q2 (this report)" in text and "not computed for this quarter" in text
    assert "no NHS England" in text or "carries no published NHS England results" in text


def test_trend_sets_nhs_englands_likely_range_beside_ours_labelled_as_its_own():
    from nhsrank.report.trust_pages import trust_page

    row = {"trust_code": "A", "trust_name": "Trust A", "position": 2, "segment": 1, "average_score": 1.74,
           "published_position": 2, "published_segment": 1, "published_score": 1.75, "band": 1, "surely": "",
           "simultaneous_rank_lower": 1, "simultaneous_rank_upper": 9}
    hist = [{"quarter": q, "league_position": p, "segment": 1, "segment_before_adjustment": 1,
             "average_metric_score": s, "financial_override": False, "pip_override": False,
             "published_position": p, "published_score_range_lower": lo, "published_score_range_upper": hi}
            for q, p, s, lo, hi in (("Q1", 2, 1.74, np.nan, np.nan), ("Q2", 5, 1.9, 1.53, 2.55))]
    page = trust_page(row, {"score_lower": 1.33, "score_upper": 2.15}, trust_type="non-acute", quarter="Q1", n=10,
                      metrics=[], history=hist, cuts=([2.05, 2.33, 2.6], ["lower", "upper", "lower"]),
                      band_size=10, n_bands=1, source="Source: test.", previous=None)
    text = re.sub(r"\s+", " ", visible_text(page))
    assert "Q1 (this report) 2 2 1 1.74 1.33 to 2.15 –" in text
    assert "Q2 5 5 1 1.90 not computed for this quarter 1.53 to 2.55" in text
    assert "it is not a confidence interval" in text
    assert "league position 2 2 same" in text and "average metric score 1.74 1.75 differs" in text
    assert not RAW_PYTHON.findall(text)
