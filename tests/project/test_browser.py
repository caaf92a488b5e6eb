"""The report opens offline in a real browser: headless Chromium, network off.

Chromium loads each page from disk (file://) through a proxy to nowhere, so
any attempt to fetch a script, style or font fails and shows up as a console
error. Checks: the charts rendered (<svg> elements in the DOM), no SEVERE
console message, the SYNTHETIC banner on top. Screenshots go to
reports/screenshot-*.png; set NHSRANK_UPDATE_SCREENSHOT=1 to also refresh
docs/report-screenshot.png (the README picture).

Without Chromium the tests are skipped locally, and fail when CI is set
(``make test`` installs it with apt-get).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from browser_tools import browser, count, open_page  # noqa: F401  (the headless Chromium fixture)
from nhsrank.report.plan import REPO_ROOT
from report_fixtures import small_report, tiny_report  # noqa: F401

pytestmark = pytest.mark.browser

SCREENSHOTS = REPO_ROOT / "reports"
DOCS_SCREENSHOT = REPO_ROOT / "docs" / "report-screenshot.png"


def test_network_is_really_off(browser, tmp_path):
    """Control: a page that needs a CDN must produce console errors here, or the other checks prove nothing."""
    page = tmp_path / "remote.html"
    page.write_text('<!DOCTYPE html><html><head><script src="https://cdn.jsdelivr.net/npm/vega@5"></script>'
                    '</head><body><p>x</p></body></html>')
    errors = open_page(browser, page)
    assert errors, "a remote script loaded or failed silently: the browser is not offline"
    assert browser.execute_script("return typeof vega") == "undefined"


def _check_report_page(driver, page: Path, min_svg: int = 1) -> None:
    errors = open_page(driver, page)
    assert errors == [], f"{page.name}: console errors {errors}"
    assert count(driver, "svg") + count(driver, "canvas") >= min_svg, f"{page.name}: no chart rendered"
    # charts have a size on screen (not an empty or broken element)
    sizes = driver.execute_script("return [...document.querySelectorAll('svg')].map("
                                  "s => s.getBoundingClientRect().width * s.getBoundingClientRect().height)")
    assert max(sizes) > 1000, f"{page.name}: the SVG charts have no visible area"
    banner = driver.execute_script("const b = document.getElementById('nhsrank-synthetic-banner');"
                                   "return b ? b.getBoundingClientRect().top : null")
    assert banner is not None and banner < 150, f"{page.name}: SYNTHETIC banner missing or not on top"


def _screenshot(driver, page: Path, name: str) -> Path:
    open_page(driver, page)
    SCREENSHOTS.mkdir(exist_ok=True)
    out = SCREENSHOTS / f"screenshot-{name}.png"
    assert driver.save_screenshot(str(out)), f"could not save {out}"
    return out


def test_tiny_report_renders_offline(browser, tiny_report):
    assert tiny_report.status == 0, tiny_report.output
    for page in tiny_report.html_pages():
        _check_report_page(browser, page)
    errors = open_page(browser, tiny_report.dir / "index.html")
    linked = set(browser.execute_script("return [...document.querySelectorAll('a[href$=\".html\"]')]"
                                        ".map(a => a.getAttribute('href'))"))
    assert errors == [] and {p.name for p in tiny_report.html_pages()} <= linked


def test_real_report_renders_offline(browser, small_report):
    assert small_report.status == 0, small_report.output
    for page in small_report.html_pages():
        _check_report_page(browser, page)
    errors = open_page(browser, small_report.dir / "index.html")
    linked = set(browser.execute_script("return [...document.querySelectorAll('a[href$=\".html\"]')]"
                                        ".map(a => a.getAttribute('href'))"))
    assert errors == [] and {p.name for p in small_report.html_pages()} <= linked
    shot = _screenshot(browser, small_report.dir / "league_table.html", "league_table")
    _screenshot(browser, small_report.dir / "index.html", "index")
    assert shot.stat().st_size > 10_000
    if os.environ.get("NHSRANK_UPDATE_SCREENSHOT") or not DOCS_SCREENSHOT.exists():
        shutil.copyfile(shot, DOCS_SCREENSHOT)


# ---------------------------------------------------------------------------
# issue 13: the full table is searchable and sortable, the interactive charts render offline
# ---------------------------------------------------------------------------

DOCS_IMG = REPO_ROOT / "docs" / "img"


def _visible_rows(driver, table_id: str) -> list[list[str]]:
    return driver.execute_script(
        f"return [...document.getElementById({table_id!r}).tBodies[0].rows]"
        ".filter(r => r.style.display !== 'none').map(r => [...r.cells].map(c => c.textContent.trim()))")


def _header_index(driver, table_id: str, text: str) -> int:
    heads = driver.execute_script(f"return [...document.getElementById({table_id!r}).tHead.rows[0].cells]"
                                  ".map(c => c.textContent.trim())")
    return heads.index(text)


def test_full_table_searches_and_sorts_offline(browser, small_report):
    from selenium.webdriver.common.by import By

    page = small_report.dir / "full_table.html"
    assert open_page(browser, page) == []
    csv = (small_report.dir / "full_table-acute.csv").read_text().splitlines()
    assert len(_visible_rows(browser, "table-acute")) == len(csv) - 1          # every trust, before searching
    # search: a trust's name finds it (and only the rows that contain the text)
    name = csv[10].split(",")[2]
    box = browser.find_element(By.ID, "search-acute")
    box.send_keys(name)
    rows = _visible_rows(browser, "table-acute")
    assert rows and all(name in " ".join(r) for r in rows)
    assert browser.find_element(By.ID, "count-acute").text.startswith(f"{len(rows)} of {len(csv) - 1}")
    box.clear()
    box.send_keys(" ")          # an input event with an empty query shows every row again
    box.clear()
    browser.execute_script("document.getElementById('search-acute').dispatchEvent(new Event('input'))")
    assert len(_visible_rows(browser, "table-acute")) == len(csv) - 1
    # sort: average score descending, then ascending
    col = _header_index(browser, "table-acute", "average score")
    header = browser.find_elements(By.CSS_SELECTOR, "#table-acute thead th")[col]
    header.click()
    up = [float(r[col]) for r in _visible_rows(browser, "table-acute")]
    header.click()
    down = [float(r[col]) for r in _visible_rows(browser, "table-acute")]
    assert up == sorted(up) and down == sorted(down, reverse=True) and up != down
    assert header.get_attribute("aria-sort") == "descending"
    assert [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"] == []


def test_interactive_charts_render_offline_and_find_a_trust(browser, small_report):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    charts = sorted(p for p in small_report.dir.glob("*/*.html") if p.parent.name != "trusts")   # not trust pages
    assert any(p.name == "rank_intervals.html" for p in charts)
    for chart in charts:
        errors = open_page(browser, chart)
        WebDriverWait(browser, 30).until(lambda d: count(d, ".vega-embed canvas, .vega-embed svg") > 0)
        assert errors == [], f"{chart.name}: console errors {errors}"
        area = browser.execute_script("const c = document.querySelector('.vega-embed canvas, .vega-embed svg');"
                                      "const r = c.getBoundingClientRect(); return r.width * r.height")
        assert area > 10_000, f"{chart.name}: the chart has no visible area"
    caterpillar = next(p for p in charts if p.name == "rank_intervals.html" and "acute" in p.parent.name)
    open_page(browser, caterpillar)
    WebDriverWait(browser, 30).until(lambda d: count(d, ".vega-bindings input") > 0)
    box = browser.find_element(By.CSS_SELECTOR, ".vega-bindings input")
    named = ".vega-embed g.mark-text.role-mark text"          # the trust names the search writes beside bars
    assert count(browser, named) == 0
    code = (small_report.dir / "full_table-acute.csv").read_text().splitlines()[5].split(",")[1]
    box.send_keys(code)
    WebDriverWait(browser, 10).until(lambda d: count(d, named) > 0)
    assert count(browser, named) == 1               # a trust code is unique: one trust highlighted and named
    assert [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"] == []


def test_screenshots_for_the_readme(browser, small_report):
    """docs/img/: the index, the full table and the caterpillar chart (refreshed with NHSRANK_UPDATE_SCREENSHOT=1)."""
    from selenium.webdriver.support.ui import WebDriverWait

    pages = {"index": small_report.dir / "index.html", "full-table": small_report.dir / "full_table.html",
             "caterpillar": small_report.dir / "rank_uncertainty-acute" / "rank_intervals.html"}
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    for name, page in pages.items():
        if name == "caterpillar":
            open_page(browser, page)           # the picture shows the search: one trust found and named
            from selenium.webdriver.common.by import By

            WebDriverWait(browser, 30).until(lambda d: count(d, ".vega-bindings input") > 0)
            code = (small_report.dir / "full_table-acute.csv").read_text().splitlines()[40].split(",")[1]
            browser.find_element(By.CSS_SELECTOR, ".vega-bindings input").send_keys(code)
            WebDriverWait(browser, 10).until(lambda d: count(d, ".vega-embed g.mark-text.role-mark text") > 0)
            shot = SCREENSHOTS / f"screenshot-{name}.png"
            SCREENSHOTS.mkdir(exist_ok=True)
            assert browser.save_screenshot(str(shot))
        else:
            shot = _screenshot(browser, page, name)
        assert shot.stat().st_size > 10_000
        target = DOCS_IMG / f"{name}.png"
        if os.environ.get("NHSRANK_UPDATE_SCREENSHOT") or not target.exists():
            shutil.copyfile(shot, target)
    readme = (REPO_ROOT / "README.md").read_text()
    for name in pages:
        assert f"docs/img/{name}.png" in readme
