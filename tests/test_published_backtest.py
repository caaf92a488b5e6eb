"""Back-test on NHS England's own published files: nhsrank must reproduce the official tables.

Data: data/nhs-england/ (NHS England's mental health and community trust data file of the Q4
2025/26 release, all four quarters, and its Q4 league table; OGL v3.0, see data/README.md).
The figures asserted here are the issue's acceptance figures, measured on those files.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import nhsrank
from nhsrank.cli import main
from nhsrank.data.published import read_league_table_file, reconcile
from nhsrank.data.readers import DATA_DIR, read_published_scores

DATA = DATA_DIR / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv"
LEAGUE = DATA_DIR / "nhs-england" / "nof-mh-community-trust-league-table-2025-26-q4.csv"
QUARTERS = ["2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4"]


@pytest.fixture(scope="module")
def metrics():
    return nhsrank.read_metrics(DATA)


@pytest.fixture(scope="module")
def published():
    p = read_published_scores(DATA)
    return p.pivot_table(index=["quarter", "trust_code"], columns="metric_id", values="value", aggfunc="first")


@pytest.fixture(scope="module")
def tables(metrics):
    return {q: nhsrank.league_table(metrics, q, "non-acute").set_index("trust_code") for q in QUARTERS}


def test_every_published_trust_is_ranked(tables, published):
    for q in QUARTERS:
        assert set(tables[q].index) == set(published.loc[q].index), q
        assert tables[q].attrs["exclusions"].empty
    assert len(tables["2025-26-Q1"]) == 61 and "RNK" in tables["2025-26-Q1"].index   # ranked on 5 metrics


def test_average_metric_score_reproduces_of5002(tables, published):
    exact = within = 0
    for q in QUARTERS:
        d = (tables[q]["average_metric_score"] - published.loc[q]["OF5002"].reindex(tables[q].index)).abs()
        exact += int((d < 1e-9).sum())
        within += int((d < 0.01 + 1e-9).sum())
    assert within == 244
    assert exact >= 232


def test_segments_reproduce_of5003_and_the_final_segment(tables, published):
    seg0 = final = 0
    for q in QUARTERS:
        p = published.loc[q].reindex(tables[q].index)
        fin = p["OF5005"].fillna(p["OF5000"]) if "OF5005" in p else p["OF5000"]
        seg0 += int((tables[q]["segment_before_adjustment"] == p["OF5003"]).sum())
        final += int((tables[q]["segment"] == fin).sum())
    assert seg0 >= 240 and final >= 240


def test_q4_league_position_matches_the_published_rank(tables):
    lg = read_league_table_file(LEAGUE).set_index("trust_code")
    d = tables["2025-26-Q4"]["league_position"] - lg["rank"].reindex(tables["2025-26-Q4"].index)
    assert int((d == 0).sum()) >= 58
    assert int(d.abs().max()) <= 2


def test_flags_come_from_the_file_and_segment_5_from_the_programme_flag(tables, published):
    q1 = tables["2025-26-Q1"]
    p = published.loc["2025-26-Q1"].reindex(q1.index)
    assert (q1["in_financial_deficit"] == (p["OF5004"] == 1)).all()
    assert (q1.loc[p["OF5007"] == 1, "segment"] == 5).all() and (p["OF5007"] == 1).sum() == 3
    assert "taken from the file" in q1.attrs["provenance"]["flags"]


def test_results_are_computed_not_copied_without_the_result_rows(tmp_path, tables):
    raw = pd.read_csv(DATA, dtype=str, encoding="utf-8-sig")
    cut = raw[~raw["Metric_ID"].str.match(r"OF[45]\d{3}")]
    path = tmp_path / "no-results.csv"
    cut.to_csv(path, index=False)
    m = nhsrank.read_metrics(path)
    t = nhsrank.league_table(m, "2025-26-Q4", "non-acute").set_index("trust_code")
    # the averages come out of the metric scores alone
    pd.testing.assert_series_equal(t["average_metric_score"], tables["2025-26-Q4"]["average_metric_score"].loc[t.index])
    # without published segments the cut points cannot be taken: the output says so
    assert "quartiles within" in t.attrs["provenance"]["cut_points"]


def test_provenance_says_what_was_taken(tables):
    prov = tables["2025-26-Q4"].attrs["provenance"]
    assert prov["metric_scores"].startswith("taken from the file for OF0005")
    assert "OF0061" not in prov["metric_scores"].split("computed for the rest")[0]   # staff survey: computed
    assert prov["cut_points"].startswith("taken: the cut points consistent with NHS England's published")


def test_reconcile_counts_agreement_and_lists_disagreements():
    rec = reconcile(DATA, league_table_file=LEAGUE)
    s = rec.attrs["summary"].set_index(["quarter", "figure"])
    assert int(s.loc[("2025-26-Q4", "segment"), "agree"]) == 61
    assert int(s.loc[("2025-26-Q4", "league_position"), "agree"]) >= 58
    # staff-survey and finance-threshold scores are computed, and agree with NHS England's
    comp = rec[(rec["source"] == "computed") & rec["figure"].isin(["score_OF0061", "score_OF0084", "score_OF0079",
                                                                    "score_OF0081"])]
    assert len(comp) == 4 * 244 and comp["agrees"].all()
    bad = rec[rec["agrees"].eq(False)]
    assert (bad["difference"].abs() <= 2 + 1e-9).all() and (bad["note"].str.len() > 0).any()


def test_cli_league_on_the_published_file_needs_nothing_else(capsys):
    assert main(["league", "--data", str(DATA), "--quarter", "2025-26-Q4", "--full"]) == 0
    out, err = capsys.readouterr()
    assert out.count("\n") == 62                       # header + 61 trusts
    assert "flags: taken from the file" in err and "cut points: taken" in err


def test_cli_reconcile_prints_per_quarter_counts(capsys):
    assert main(["reconcile", "--data", str(DATA)]) == 0
    out = capsys.readouterr().out
    for q in QUARTERS:
        assert f"{q}: average_metric_score" in out
    assert "league_position" in out                    # the league table beside the file is found


def test_two_copies_of_one_trust_type_are_refused(tmp_path):
    with pytest.raises(nhsrank.InputError, match="more than one of the files"):
        nhsrank.read_metrics([DATA, DATA])
