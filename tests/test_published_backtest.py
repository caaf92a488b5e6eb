"""Back-test on NHS England's own published files: nhsrank must reproduce the official tables.

Data: data/nhs-england/ (NHS England's mental health and community trust data file of the Q4
2025/26 release, all four quarters, and its Q4 league table; the acute trust data file of the
Q1 2025/26 release as first published, without a Quarter column; OGL v3.0, see data/README.md).
The figures asserted here are the issues' acceptance figures, measured on those files.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import nhsrank
from nhsrank.cli import main
from nhsrank.data.published import read_league_table_file, reconcile
from nhsrank.data.readers import DATA_DIR, read_published_scores

DATA = DATA_DIR / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv"
LEAGUE = DATA_DIR / "nhs-england" / "nof-mh-community-trust-league-table-2025-26-q4.csv"
ACUTE = DATA_DIR / "nhs-england" / "nof-acute-trust-data-2025-26-q1.csv"
Q1 = "2025-26-Q1"
QUARTERS = ["2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4"]


@pytest.fixture(scope="module")
def metrics():
    return nhsrank.read_metrics(DATA)


@pytest.fixture(scope="module")
def published():
    p = read_published_scores(DATA)
    return p.pivot_table(index=["quarter", "trust_code"], columns="metric_id", values="value", aggfunc="first")


@pytest.fixture(scope="module")
def results(metrics):
    return {q: nhsrank.league_table(metrics, q, "non-acute") for q in QUARTERS}


@pytest.fixture(scope="module")
def tables(results):
    return {q: r.table.set_index("trust_code") for q, r in results.items()}


def test_every_published_trust_is_ranked(tables, results, published):
    for q in QUARTERS:
        assert set(tables[q].index) == set(published.loc[q].index), q
        assert results[q].exclusions.empty
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


def test_flags_come_from_the_file_and_segment_5_from_the_programme_flag(tables, results, published):
    q1 = tables["2025-26-Q1"]
    p = published.loc["2025-26-Q1"].reindex(q1.index)
    assert (q1["in_financial_deficit"] == (p["OF5004"] == 1)).all()
    assert (q1.loc[p["OF5007"] == 1, "segment"] == 5).all() and (p["OF5007"] == 1).sum() == 3
    assert "taken from the file" in results["2025-26-Q1"].provenance["flags"]


def test_results_are_computed_not_copied_without_the_result_rows(tmp_path, tables):
    raw = pd.read_csv(DATA, dtype=str, encoding="utf-8-sig")
    cut = raw[~raw["Metric_ID"].str.match(r"OF[45]\d{3}")]
    path = tmp_path / "no-results.csv"
    cut.to_csv(path, index=False)
    m = nhsrank.read_metrics(path)
    result = nhsrank.league_table(m, "2025-26-Q4", "non-acute")
    t = result.table.set_index("trust_code")
    # the averages come out of the metric scores alone
    q4 = tables["2025-26-Q4"]
    pd.testing.assert_series_equal(t["average_metric_score"], q4["average_metric_score"].loc[t.index])
    # without published segments the cut points cannot be taken: the output says so
    assert "quartiles within" in result.provenance["cut_points"]


def test_provenance_says_what_was_taken(results):
    prov = results["2025-26-Q4"].provenance
    taken = prov["metric_scores"].split("(")[0]
    assert taken.startswith("taken from the file for") and "OF0005" in taken and "OF0082" in taken
    assert "acute" in prov["metric_scores"] and "not loaded" in prov["metric_scores"]
    assert "OF0061" not in prov["metric_scores"].split("computed for the rest")[0]   # staff survey: computed
    assert prov["cut_points"].startswith("taken: the cut points consistent with NHS England's published")


def test_reconcile_counts_agreement_and_lists_disagreements():
    result = reconcile(DATA, league_table_file=LEAGUE)
    rec = result.table
    s = result.summary().set_index(["quarter", "figure"])
    assert int(s.loc[("2025-26-Q4", "segment"), "agree"]) >= 59
    assert int(s.loc[("2025-26-Q4", "league_position"), "agree"]) >= 56
    # real disagreements come first, rounding differences after them
    kinds = rec["kind"].tolist()
    assert kinds.index("rounding") > max(i for i, k in enumerate(kinds) if k == "disagrees")
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
        assert f"non-acute {q}: " in out
    assert "league position" in out                    # the league table beside the file is found
    assert "real disagreement" in out and "rounding difference" in out
    assert "(+1.00)" not in out and "published 1.9" not in out  # positions print as whole numbers


def test_reconcile_from_python_compares_ranks_whatever_the_file_is_called(tmp_path):
    renamed = tmp_path / "downloaded.csv"
    renamed.write_bytes(DATA.read_bytes())
    rec = reconcile(renamed, quarter="2025-26-Q4").table
    pos = rec[rec["figure"] == "league_position"]
    assert len(pos) == 61 and int(pos["agrees"].sum()) >= 56     # the Rank of the OF5000 rows


def test_two_copies_of_one_trust_type_are_refused(tmp_path):
    with pytest.raises(nhsrank.InputError, match="the same figures twice"):
        nhsrank.read_metrics([DATA, DATA])


# --- the acute file (Q1 2025/26, as first published: no Quarter column) ---------------------------

@pytest.fixture(scope="module")
def acute_mh():
    """NHS England's acute and MH & community files read together (pooled peers and cut points)."""
    return nhsrank.read_metrics([ACUTE, DATA])


@pytest.fixture(scope="module")
def acute_published():
    p = read_published_scores(ACUTE)
    return p.pivot_table(index="trust_code", columns="metric_id", values="value", aggfunc="first"), \
        p[p["metric_id"] == "OF5000"].set_index("trust_code")["published_rank"]


@pytest.fixture(scope="module")
def acute_result(acute_mh):
    return nhsrank.league_table(acute_mh, Q1, "acute")


@pytest.fixture(scope="module")
def acute_table(acute_result):
    return acute_result.table.set_index("trust_code")


def test_the_quarter_of_a_file_without_a_quarter_column_comes_from_its_reporting_dates():
    m = nhsrank.read_metrics(ACUTE)
    assert set(m["quarter"]) == {Q1}
    assert "read from its reporting dates" in m.attrs["quarter_note"]
    other = nhsrank.read_metrics(ACUTE, quarter="2025-26-Q4")     # never relabelled silently
    assert set(other["quarter"]) == {Q1} and "not 2025-26-Q4, the quarter asked for" in other.attrs["quarter_note"]


def test_acute_every_trust_ranked_on_every_metric_it_reports(acute_table, acute_result, acute_mh):
    assert len(acute_table) == 134 and acute_result.exclusions.empty
    # community, mental health and ambulance metrics reported by acute trusts are scored too
    for mid, n in {
        "OF0005": 80,
        "OF0057": 51,
        "OF0041": 22,
        "OF0016": 1,
        "OF0063": 1,
        "OF0017": 1,
        "OF0028": 1,
    }.items():
        assert int(acute_table[mid].notna().sum()) == n, mid


def test_acute_averages_segments_and_positions_reproduce_nhs_england(acute_table, acute_published):
    p, rank = acute_published
    p = p.reindex(acute_table.index)
    d = (acute_table["average_metric_score"] - p["OF5002"]).abs()
    assert int((d < 1e-9).sum()) >= 129 and int((d < 0.01 + 1e-9).sum()) == 134
    assert int((acute_table["segment_before_adjustment"] == p["OF5003"]).sum()) >= 132
    assert int((acute_table["segment_adjusted"] == p["OF5000"]).sum()) >= 132
    assert int((acute_table["segment"] == p["OF5005"]).sum()) == 134
    pos = acute_table["league_position"] - rank.reindex(acute_table.index)
    assert int((pos == 0).sum()) >= 127 and int(pos.abs().max()) <= 1


def test_recovery_support_trusts_keep_the_place_of_their_adjusted_segment(acute_table, acute_published):
    p, rank = acute_published
    rsp = acute_table[acute_table["in_pip"]]
    assert len(rsp) == 14 and (rsp["segment"] == 5).all()
    # ranked among segment-4 (or capped segment-3) trusts, not below every segment-4 trust
    assert (rsp["segment_adjusted"] < 5).all()
    d = rsp["league_position"] - rank.reindex(rsp.index)
    assert int((d == 0).sum()) >= 12 and int(d.abs().max()) <= 1
    # under the old rule (segment 5 below every segment-4 trust) they would all sit at the bottom
    assert int(rsp["league_position"].min()) < 134 - 14


def test_acute_cut_points_are_pooled_over_both_files(acute_result):
    assert acute_result.cut_points == pytest.approx([2.05, 2.33, 2.60])
    assert "195 trusts" in acute_result.provenance["cut_points"]


def test_acute_metric_scores_with_standards_floors_and_counts(acute_table, acute_published):
    p, _ = acute_published
    p = p.reindex(acute_table.index)
    for mid in ("OF0003", "OF0010", "OF0011", "OF0013", "OF0014", "OF0020", "OF0023", "OF0025", "OF0048",
                "OF0088", "OF0106", "OF0085", "OF0061", "OF0084"):
        a, b = acute_table[mid], p["OF1" + mid[3:]]
        have = b.notna()
        exact = int(((a - b).abs() < 1e-9)[have].sum())
        assert exact >= 0.94 * int(have.sum()), (mid, exact, int(have.sum()))


def test_acute_scores_from_raw_values_alone(tmp_path):
    """Every OF1xxx row of a metric with a raw value removed: at least 90% of the acute scores exact."""
    def strip(path, name):
        raw = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
        raw_ids = set(raw["Metric_ID"][raw["Metric_ID"].str.match(r"OF0\d{3}")])
        drop = raw["Metric_ID"].str.match(r"OF1\d{3}") & ("OF0" + raw["Metric_ID"].str[3:]).isin(raw_ids)
        out = tmp_path / name
        raw[~drop].to_csv(out, index=False)
        return out
    m = nhsrank.read_metrics([strip(ACUTE, "acute.csv"), strip(DATA, "mh.csv")])
    result = nhsrank.league_table(m, Q1, "acute")
    t = result.table.set_index("trust_code")
    assert "computed among the loaded providers only for OF0082" in result.provenance["metric_scores"]
    p = read_published_scores(ACUTE).pivot_table(index="trust_code", columns="metric_id", values="value")
    raw = pd.read_csv(ACUTE, dtype=str, encoding="utf-8-sig")
    with_raw = sorted(set(raw["Metric_ID"][raw["Metric_ID"].str.match(r"OF0\d{3}")]) & set(t.columns))
    n = exact = 0
    for mid in with_raw:
        if "OF1" + mid[3:] not in p:
            continue
        b = p["OF1" + mid[3:]].reindex(t.index)
        have = b.notna()
        n += int(have.sum())
        exact += int(((t[mid] - b).abs() < 1e-9)[have].sum())
    assert n > 2000 and exact >= 0.90 * n


def test_acute_averages_are_computed_without_the_result_rows(tmp_path, acute_table):
    raw = pd.read_csv(ACUTE, dtype=str, encoding="utf-8-sig")
    path = tmp_path / "acute-no-results.csv"
    raw[~raw["Metric_ID"].str.match(r"OF[45]\d{3}")].to_csv(path, index=False)
    m = nhsrank.read_metrics([path, DATA])
    t = nhsrank.league_table(m, Q1, "acute").table.set_index("trust_code")
    pd.testing.assert_series_equal(t["average_metric_score"], acute_table["average_metric_score"].loc[t.index])


def test_domain_scores_and_segments_of_both_files(acute_mh):
    for tt, data, pub_path in (("acute", acute_mh, ACUTE), ("non-acute", acute_mh, DATA)):
        t = nhsrank.league_table(data, Q1, tt).table.set_index("trust_code")
        pub = read_published_scores(pub_path)
        p = pub[pub["quarter"] == Q1].pivot_table(index="trust_code", columns="metric_id", values="value")
        p = p.reindex(t.index)
        n = within = nseg = segok = 0
        for key, mid in nhsrank.load_methodology().published_domain_ids.items():
            a, b = t[f"domain_{key}"], p[mid]
            have = a.notna() | b.notna()
            n += int(have.sum())
            within += int(((a - b).abs() < 0.01 + 1e-9)[have].sum())
            sa, sb = t[f"segment_{key}"].astype(float), p["OF41" + mid[4:]]
            have = sa.notna() | sb.notna()
            nseg += int(have.sum())
            segok += int((sa == sb)[have].sum())
        # one MH domain score (RRE access) is 0.02 off: its OF0005 score sits in a 2-dp tie across the two files
        assert within >= n - 1, (tt, within, n)
        assert segok >= 0.95 * nseg, (tt, segok, nseg)


def test_reconcile_prints_counts_for_each_file(capsys):
    assert main(["reconcile", "--data", str(ACUTE), str(DATA), "--quarter", Q1]) == 0
    out = capsys.readouterr().out
    assert "acute 2025-26-Q1: league position" in out and "non-acute 2025-26-Q1: league position" in out
    assert "domain segments" in out and "domain scores" in out


def test_a_small_real_percentage_is_not_called_a_pasted_fraction():
    import warnings as w
    with w.catch_warnings():
        w.simplefilter("error")
        nhsrank.read_metrics(ACUTE)       # 0.17% on OF0014 (12-hour waits) is real


def test_reconcile_rows_carry_the_published_figure_beside_the_computed_one():
    """Every row compares a figure NHS England published: its value is in ``published`` and the difference is
    computed minus published (a row without its published value once printed "NHS England none")."""
    from nhsrank.data.published import reconcile
    from nhsrank.data.readers import NHS_ENGLAND_DATA

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rec = reconcile(list(NHS_ENGLAND_DATA), "2025-26-Q1").table
    assert len(rec) > 1000 and rec["published"].notna().all()
    both = rec["computed"].notna()
    assert np.allclose(rec.loc[both, "computed"] - rec.loc[both, "published"], rec.loc[both, "difference"])
