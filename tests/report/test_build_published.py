"""The report built on NHS England's own published file (mental health and community trusts) reports no
artefact: no finding from fixed cells, no zero-width interval called beyond the noise, no empty table, no
scenario that changes nothing where `nhsrank league` changes something; the trust profile is built (issue 19).

One build (few replicates: the score bootstrap is cheap); every check reads the pages and the CSVs they saved.
"""
from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from report_fixtures import build_once

import nhsrank
from nhsrank.data.readers import DATA_DIR
from nhsrank.report import views

FILE = DATA_DIR / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv"
QUARTER = "2025-26-Q4"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    built = build_once(tmp_path_factory, "published-report", QUARTER, data_path=str(FILE), n_boot=50)
    assert built.status == 0, built.output
    return built


def text_of(page) -> str:
    """A page's visible text: no styles, scripts or SVG, tags dropped, entities decoded."""
    t = page.read_text(encoding="utf-8")
    t = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", t, flags=re.S)
    t = re.sub(r"<svg.*?</svg>", "", t, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", t))


def test_every_page_is_built_the_trust_profile_included(report):
    stems = {p.stem for p in report.html_pages()}
    assert {"league_table", "reconcile", "rank_uncertainty-non-acute", "sensitivity-non-acute",
            "quarter_movement-non-acute"} <= stems
    profiles = [s for s in stems if s.startswith("trust_profile-")]
    assert profiles, report.output              # built on real data, not skipped for want of an acute trust
    code = profiles[0].removeprefix("trust_profile-")
    assert code in set(nhsrank.read_metrics(FILE)["trust_code"])


def test_no_page_shows_an_empty_table_a_raw_warning_or_a_traceback(report):
    for page in report.html_pages():
        raw = page.read_text(encoding="utf-8")
        t = text_of(page)
        for bad in ("Empty DataFrame", "Traceback", "UncertaintyWarning", "InputWarning", "kept fixed for lack",
                    "Series([]"):
            assert bad not in t, f"{page.name}: {bad}"
        assert not re.search(r"<tbody>\s*</tbody>", raw), f"{page.name}: an empty table"


def test_every_page_that_resamples_says_what_and_never_that_it_was_patients(report):
    scores = "Resampled: each trust's own metric scores"
    for stem in ("rank_uncertainty-non-acute", "quarter_movement-non-acute", "trust_profile-"):
        page = next(p for p in report.html_pages() if p.stem.startswith(stem))
        t = text_of(page)
        assert scores in t, page.name
        assert "patients seen within 4 hours" not in t, page.name
    sens = text_of(report.dir / "sensitivity-non-acute.html")
    assert "Not run, because the data cannot support it" in sens


def test_no_finding_from_fixed_cells(report):
    s = pd.read_csv(report.dir / "sensitivity-non-acute" / "source_summary.csv").set_index("source")
    for source in ("sampling", "sampling+metrics"):          # nothing to redraw in NHS England's file
        assert str(s.loc[source, "note"]).startswith("not run")
        assert pd.isna(s.loc[source, "median_interval_width"]) and pd.isna(s.loc[source, "rankability"])
    long = pd.read_csv(report.dir / "sensitivity-non-acute" / "source_comparison.csv")
    assert not long["source"].str.contains("sampling").any()
    assert s.loc["scores", "median_interval_width"] > 0


def test_no_zero_width_interval_is_called_beyond_the_noise(report):
    qm = pd.read_csv(report.dir / "quarter_movement-non-acute" / "quarter_movement.csv")
    both = qm[qm["status"] == "ranked in both"]
    assert len(both) == 61
    assert (both["score_change_hi"] > both["score_change_lo"]).all()
    assert (both["position_change_hi"] > both["position_change_lo"]).all()
    for col in ("score_change_exceeds_noise", "position_change_exceeds_noise"):
        called = both[both[col].astype(str) == "True"]
        assert (called[col.replace("exceeds_noise", "hi")] > called[col.replace("exceeds_noise", "lo")]).all()


def test_no_scenario_changes_nothing_where_the_league_command_changes_something(report):
    variants = pd.read_csv(report.dir / "sensitivity-non-acute" / "variants.csv").set_index("variant")
    metrics = nhsrank.read_metrics(FILE)
    nominal = nhsrank.league_table(metrics, QUARTER).table.set_index("trust_code")["segment"]
    for name, meth in views.with_next_methodology("nof-2025-26").items():
        if name not in ("nominal", "no_financial_override", "no_pip_override", "nof-2026-27"):
            continue    # the league command runs these rules as they stand (the others rescale scores)
        league = nhsrank.league_table(metrics, QUARTER, None, meth).table.set_index("trust_code")["segment"]
        moved = int((league != nominal.reindex(league.index)).sum())
        assert variants.loc[name, "segment_changed"] == moved, name
    assert variants.loc["nof-2026-27", "segment_changed"] > 0
    assert variants.loc["thresholds", "segment_changed"] > 0


def test_the_trust_profile_figures_agree_and_are_explained(report):
    page = next(p for p in report.html_pages() if p.stem.startswith("trust_profile-"))
    t = text_of(page)
    assert "quote this first" in t and "do not contradict each other" in t
    assert "improve by 0.00" not in t


def test_the_trust_profile_notebook_runs_with_only_data_path_set(tmp_path):
    """No trust_type, trust_code or quarter: the notebook takes them from the data (it used to die with an
    IndexError looking for an acute trust in the mental health and community file)."""
    import nbformat
    import papermill

    from nhsrank.report.plan import KERNEL_NAME, NOTEBOOKS_DIR

    out = tmp_path / "trust_profile.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "trust_profile.ipynb"),
        str(out),
        parameters={"data_path": str(FILE)},
        kernel_name=KERNEL_NAME,
        cwd=str(tmp_path),
        progress_bar=False,
    )
    executed = nbformat.read(str(out), as_version=4)
    text = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert "non-acute, 2025-26-Q4: position" in text and "quote this first" in text
    assert "improve by 0.00" not in text and "Resampled: each trust's own metric scores" in text
