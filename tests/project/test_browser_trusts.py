"""Issue 21 in a real browser: the default report (NHS England's acute and MH & community files) opened
from disk at 1400 px in headless Chromium, network off. Every trust has its page and the index finds
it; the full table shows the bands, keeps NHS England's columns beside ours on screen, and keeps its
header and trust column in view when scrolled.

The build runs the two notebooks the full table and the trust pages read (league_table,
rank_uncertainty) with few replicates, to stay quick; the pages are those of ``make report``.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from report_fixtures import build_once
from browser_tools import browser, open_page  # noqa: F401  (the headless Chromium fixture)

pytestmark = pytest.mark.browser

WIDTH = 1400


@pytest.fixture(scope="module")
def default_report(tmp_path_factory):
    from nhsrank.report.build import DEFAULT_DATA

    # the quarter the default picks: the latest that holds both tables (acute Q1 beside MH & community Q1-Q4)
    built = build_once(tmp_path_factory, "default-report", "2025-26-Q1", data_path=[str(p) for p in DEFAULT_DATA],
                       n_boot=200, notebooks=["league_table", "rank_uncertainty"])
    assert built.status == 0, built.output
    return built


def _dir(built) -> Path:
    return built.dir


@pytest.fixture
def wide(browser):  # noqa: F811
    browser.set_window_size(WIDTH, 900)
    return browser


def _codes(folder: Path) -> list[str]:
    return [c for csv in sorted(folder.glob("full_table-*.csv"))
            for c in pd.read_csv(csv, dtype={"trust_code": str})["trust_code"]]


def test_every_trust_has_a_page_found_from_the_index(wide, default_report):
    from selenium.webdriver.common.by import By

    folder = _dir(default_report)
    codes = _codes(folder)
    assert len(codes) >= 190                                   # acute and MH & community, every trust
    assert open_page(wide, folder / "index.html") == []
    listed = wide.execute_script(
        "return [...document.querySelectorAll('ul.alltrusts a')].map(a => a.getAttribute('href'))"
    )
    assert sorted(listed) == sorted(f"trusts/{c}.html" for c in codes)
    # the search box: a trust's code shows its link, and only a few links
    box = wide.find_element(By.ID, "trust-search")
    box.send_keys(codes[17])
    shown = wide.execute_script("return [...document.querySelectorAll('#trust-list li')]"
                                ".filter(li => li.style.display !== 'none').map(li => li.textContent)")
    assert shown and len(shown) <= 12 and any(codes[17] in s for s in shown)
    for code in codes:                                         # every page opens, offline, and is the trust's
        page = folder / "trusts" / f"{code}.html"
        assert open_page(wide, page) == [], code
        assert code in wide.find_element(By.CSS_SELECTOR, "p.sub").text
        source = wide.find_element(By.ID, "data-source").text
        assert "NHS England" in source and "Open Government Licence v3.0" in source


def test_full_table_shows_bands_and_nhs_england_beside_ours_on_screen(wide, default_report):
    folder = _dir(default_report)
    assert open_page(wide, folder / "full_table.html") == []
    for key in ("acute", "non-acute"):
        n = len(pd.read_csv(folder / f"full_table-{key}.csv"))
        bars = wide.execute_script(f"return document.querySelectorAll('#bands-{key} svg line.bar').length")
        assert bars == n
        assert wide.execute_script(f"return document.querySelectorAll('#bands-{key} text').length") > 3
        heads = wide.execute_script(
            f"return [...document.getElementById('table-{key}').tHead.rows[0].cells].map(c => "
            "[c.textContent.trim(), c.getBoundingClientRect().left, c.getBoundingClientRect().right])")
        names = [h[0] for h in heads]
        for ours, theirs in (("position", "NHS England position"), ("segment", "NHS England segment"),
                             ("average score", "NHS England score")):
            assert names.index(theirs) == names.index(ours) + 1          # side by side
        seen = {h[0]: h for h in heads}
        for col in ("trust", "position", "NHS England position", "NHS England score", "differs from NHS England",
                    "band"):
            assert seen[col][2] <= WIDTH, f"{col} is off-screen at {WIDTH} px"
        cells = wide.execute_script(f"return [...document.getElementById('table-{key}').tBodies[0].rows]"
                                    f".map(r => r.cells[{names.index('differs from NHS England')}].textContent)")
        assert len(cells) == n and all(re.fullmatch(r"no|(position|segment|score)( \(rounding\))?"
                                                                r"(, (segment|score)( \(rounding\))?)*", c)
                                       for c in cells)


def test_full_table_header_and_trust_column_stay_in_view(wide, default_report):
    folder = _dir(default_report)
    assert open_page(wide, folder / "full_table.html") == []
    box = "document.querySelector('#table-acute').closest('.scroll')"
    before = wide.execute_script(
        f"const s = {box}; s.scrollIntoView(); const c = document.querySelector('#table-acute tbody tr td.trustcol');"
        "return [s.getBoundingClientRect().left, c.getBoundingClientRect().left, s.scrollWidth, s.clientWidth]")
    assert before[2] > before[3], "the table does not scroll sideways at 1400 px: nothing to test"
    after = wide.execute_script(
        f"const s = {box}; s.scrollLeft = s.scrollWidth; s.scrollTop = 400;"
        "const c = document.querySelector('#table-acute tbody tr:nth-child(20) td.trustcol');"
        "const h = document.querySelector('#table-acute thead th'); const r = c.getBoundingClientRect();"
        "const hit = document.elementFromPoint(r.left + 5, r.top + r.height / 2);"
        "return [s.scrollLeft, s.getBoundingClientRect().left, r.left, c.contains(hit) || hit === c,"
        " s.getBoundingClientRect().top, h.getBoundingClientRect().top]")
    scrolled, box_left, cell_left, visible, box_top, head_top = after
    assert scrolled > 0
    assert abs(cell_left - box_left) <= 3 and visible, "the trust column scrolled away"
    assert abs(head_top - box_top) <= 3, "the header scrolled away"
