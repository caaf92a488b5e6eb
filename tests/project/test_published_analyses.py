"""Every analysis on NHS England's own published file (mental health and community trusts, 2025/26):
movement, source comparison, scenarios, distance, defaults and the trust profile give results that agree
with `nhsrank league` / `nhsrank uncertainty --source scores` and with each other (issue 19)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import nhsrank
from nhsrank.cli import main
from nhsrank.data.readers import DATA_DIR
from nhsrank.errors import InputError
from nhsrank.report import views
from nhsrank.report.plan import best_ranked_trust
from nhsrank.rules.segmentation import threshold_segments
from nhsrank.sensitivity import compare_variants, distance_to_next_segment, methodology_monte_carlo
from nhsrank.sensitivity.movement import movement_sentence, quarter_movement

FILE = DATA_DIR / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv"
Q3, Q4 = "2025-26-Q3", "2025-26-Q4"


@pytest.fixture(scope="module")
def metrics():
    return nhsrank.read_metrics(FILE)


@pytest.fixture(scope="module")
def nominal(metrics):
    return nhsrank.league_table(metrics, Q4).table


# -- trust types: defaults from the data, NHS England's spellings ----------------------------------------------


def test_league_table_defaults_to_the_type_in_the_data_and_takes_its_labels(metrics, nominal):
    assert set(nominal["trust_type"]) == {"non-acute"} and len(nominal) == 61
    spelt = nhsrank.league_table(metrics, Q4, "Mental health and community trust").table
    assert spelt["trust_type"].eq("non-acute").all()
    pd.testing.assert_frame_equal(spelt.reset_index(drop=True), nominal.reset_index(drop=True))


def test_an_absent_trust_type_is_an_error_naming_the_types_present(metrics):
    with pytest.raises(InputError, match=r"no acute trusts in 2025-26-Q4; trust types present: non-acute"):
        nhsrank.league_table(metrics, Q4, trust_type="acute").table
    with pytest.raises(InputError, match="trust types present: non-acute"):
        distance_to_next_segment(metrics, Q4, "acute")


def test_cli_trust_type_spellings(capsys):
    assert main(["league", "--data", str(FILE), "--quarter", Q4, "--trust-type", "Mental Health"]) == 0
    assert "RYY" in capsys.readouterr().out
    assert main(["league", "--data", str(FILE), "--quarter", Q4, "--trust-type", "acute"]) == 2
    err = capsys.readouterr().err
    assert "no acute trusts" in err and "non-acute (mental health and community)" in err
    with pytest.raises(SystemExit):
        main(["league", "--data", str(FILE), "--trust-type", "dental"])
    assert "non-acute (mental health and community trusts)" in capsys.readouterr().err


def test_report_profiles_a_trust_present_in_the_data(metrics):
    code = best_ranked_trust(metrics, Q4, "nof-2025-26", None)
    assert code == "RYY"          # Kent Community Health: first in NHS England's Q4 table
    assert views.profile_trust(metrics, Q4, "nof-2025-26") in set(metrics["trust_code"])


# -- distance to the next segment: against the cut point that separates the segments --------------------------

def test_distance_aims_at_the_cut_point_between_the_segments(metrics, nominal):
    result = distance_to_next_segment(metrics, Q4)
    d = result.table.set_index("trust_code")
    # by hand from the table: segment 1 (before the cap) ends at 2.02, segment 2 starts at 2.11 (Oxleas and two more)
    by_score = nominal.set_index("trust_code")
    top = by_score.loc[by_score["segment_before_adjustment"] == 1, "average_metric_score"].max()
    second = by_score.loc[by_score["segment_before_adjustment"] == 2, "average_metric_score"].min()
    assert (top, second) == (pytest.approx(2.02), pytest.approx(2.11))
    assert result.cut_points == pytest.approx([2.02, 2.29, 2.57])
    two = d[(d["segment"] == 2) & (d["status"] == "can move up")]
    assert len(two) >= 10 and np.allclose(two["target_score"], 2.02)
    assert d.loc["RPG", "improvement_needed"] == pytest.approx(0.09)          # Oxleas: 2.11 -> 2.02, not 0.00
    assert threshold_segments(np.array([2.02, 2.03]), result.cut_points).tolist() == [1.0, 2.0]
    three = d[(d["segment"] == 3) & (d["status"] == "can move up")]
    assert np.allclose(three["target_score"], 2.29)
    assert (d["improvement_needed"].dropna() > 0).all()
    text, _ = views.distance_view(result, "RPG")
    assert "improve by 0.09 to reach segment 1" in text and "the cut point between segments 1 and 2 is 2.02" in text


# -- scenarios segment with their own rule ----------------------------------------------------------------------

def test_the_2026_27_scenario_moves_the_trusts_the_league_command_moves(metrics, nominal, tmp_path):
    out = tmp_path / "next.csv"
    assert main(["league", "--data", str(FILE), "--quarter", Q4, "--methodology", "nof-2026-27",
                 "--out", str(out)]) == 0
    cli = pd.read_csv(out).set_index("trust_code")["segment"]
    moved_by_cli = set(cli.index[cli != nominal.set_index("trust_code")["segment"].reindex(cli.index)])
    assert {"RV9", "RYX", "RKL"} <= moved_by_cli          # segment 1 under quartiles, 2 under the thresholds
    c = compare_variants(metrics, Q4, variants=views.with_next_methodology("nof-2025-26")).table
    scenario = c[c["variant"] == "nof-2026-27"].set_index("trust_code")
    assert set(scenario.index[scenario["segment_change"] != 0]) == moved_by_cli
    assert (scenario["segment"] == cli.reindex(scenario.index)).all()
    summary = views.variant_summary(c).set_index("variant")
    assert summary.loc["thresholds", "segment_changed"] > 0


def test_rescaled_scores_get_their_own_cut_points(metrics):
    s = views.variant_summary(compare_variants(metrics, Q4)).set_index("variant")
    for v in ("scoring_zscore", "scoring_minmax", "scoring_target", "mean_of_domain_means"):
        # quartiles of the variant's own averages: trusts move both ways, not all down past fixed cut points
        assert s.loc[v, "segment_better"] > 0 and s.loc[v, "segment_worse"] > 0, v
    # a variant that keeps NHS England's scores and segments keeps the quarter's cut points: only the cap moves
    assert s.loc["no_financial_override", "segment_worse"] == 0


def test_monte_carlo_sees_the_segmentation_choice(metrics):
    mc = methodology_monte_carlo(metrics, Q4, n_draws=8, seed=1, exclude_metric=False)
    seg = mc.sobol[(mc.sobol["output"] == "segment") & (mc.sobol["choice"] == "segmentation")].iloc[0]
    assert seg["ST"] > 0.1


# -- what is resampled: one rule ----------------------------------------------------------------------------------

def test_movement_has_real_width_and_cannot_contradict_the_neighbour_tests(metrics):
    qm = quarter_movement(metrics, Q3, Q4, n_boot=300, seed=1)
    both = qm.table[qm.table["status"] == "ranked in both"]
    assert qm.sources == ("scores",) and len(both) == 61
    assert (both["score_change_hi"] > both["score_change_lo"]).all()          # no zero-width interval
    assert (both["position_change_hi"] > both["position_change_lo"]).all()
    # a move counted as beyond the noise lies outside both quarters' likely ranges
    counted = both[both["position_change_exceeds_noise"].fillna(False).astype(bool)]
    assert ((counted["likely_position_to_lower"] > counted["likely_position_from_upper"])
            | (counted["likely_position_to_upper"] < counted["likely_position_from_lower"])).all()
    one_place = both[both["position_change"].abs() <= 1]
    assert not one_place["position_change_exceeds_noise"].fillna(False).astype(bool).any()
    text = movement_sentence(qm)
    assert text.startswith("Resampled: each trust's own metric scores") and "likely ranges" in text


def test_movement_from_fixed_cells_is_not_run_and_says_so(metrics):
    qm = quarter_movement(metrics, Q3, Q4, n_boot=20, seed=1, sources=("sampling",))
    assert "published files give none" in qm.not_meaningful
    t = qm.table
    assert t["score_change_exceeds_noise"].isna().all() and t["position_change_exceeds_noise"].isna().all()
    assert t["score_change_lo"].isna().all()
    assert "Not meaningful" in movement_sentence(qm)
    s = views.movement_summary(qm).set_index("what")["trusts"]
    assert str(s["change in average score beyond the noise (95%)"]).startswith("n/a")


def test_source_comparison_shows_no_sampling_figures_on_the_published_file(metrics):
    long, summary = views.source_comparison(metrics, Q4, None, n_boot=60, seed=1)
    row = summary.set_index("source")
    assert "sampling" not in set(long["source"]) and "sampling+metrics" not in set(long["source"])
    assert row.loc["sampling", "note"].startswith("not run") and pd.isna(row.loc["sampling", "median_interval_width"])
    assert row.loc["scores", "note"] == "" and row.loc["scores", "median_interval_width"] > 1
    text = views.source_summary_text(summary)
    assert text.startswith("Not run, because the data cannot support it") and "sampling" in text
    assert views.sources_run(summary)["source"].tolist() == list(long["source"].unique())   # those that ran


def test_trust_history_resamples_the_scores_and_says_so(metrics):
    h = views.trust_history(metrics, "RYY", n_boot=40, seed=1)
    assert h.sources == [("scores",)] and (h.table["status"] == "ranked").all()


def test_kent_community_healths_figures_are_explained_together(metrics):
    u_res = nhsrank.rank_uncertainty(metrics, Q4, n_boot=300, seed=1, progress=False)
    u = u_res.table
    assert u_res.sources == ("scores",)
    sentence = views.trust_intervals_sentence(u, "RYY")
    assert sentence.startswith("Kent Community Health") and "quote this first" in sentence
    assert "do not contradict" in sentence
    text = views.intervals_explained(u_res)
    assert text.startswith("Resampled: each trust's own metric scores") and "4 hours" not in text


# -- commands default to the data's trust types -------------------------------------------------------------------

@pytest.mark.parametrize("analysis, extra", [("loo", []), ("distance", []), ("funnel", []), ("transitions", []),
                                             ("agreement", []), ("variants", []), ("movement", ["--n-boot", "30"]),
                                             ("montecarlo", ["--mc-n", "8"])])
def test_sensitivity_runs_every_analysis_on_the_types_in_the_data(analysis, extra, capsys):
    assert main(["sensitivity", "--data", str(FILE), "--quarter", Q4, "--analysis", analysis, *extra]) == 0
    out, err = capsys.readouterr()
    assert "Empty DataFrame" not in out and "acute trusts" not in err.replace("non-acute", "")
    if analysis == "montecarlo":
        assert "segmentation         S1  0.000 ± 0.000   ST  0.000" not in err
    if analysis == "movement":
        assert "Resampled: each trust's own metric scores" in err
    if analysis == "funnel":
        assert "no funnel plot" in err
    if analysis == "agreement":
        assert "rankability: not computed" in err


@pytest.mark.parametrize("name", ["nof-mh-community-trust-data-2025-26-q4.csv", "nof-acute-trust-data-2025-26-q1.csv"])
def test_reaching_the_target_is_enough_and_a_step_short_is_not(name):
    """On each of NHS England's files: at its target a trust is in the next segment up, 0.01 worse it is not."""
    m = nhsrank.read_metrics(DATA_DIR / "nhs-england" / name)
    q = sorted(m["quarter"].unique())[-1]
    g = nhsrank.peer_group(m, q)
    d = distance_to_next_segment(g).table
    up = d[d["status"] == "can move up"]
    assert len(up) > 10 and g.cut_points is not None
    goal = up["next_segment"].astype(float).to_numpy()
    at = threshold_segments(up["target_score"].to_numpy(), g.cut_points, g.cut_sides)
    short = threshold_segments(up["target_score"].to_numpy() + 0.01, g.cut_points, g.cut_sides)
    assert (at <= goal).all() and (short > goal).all()


def test_uncertainty_command_names_what_it_resampled_and_flags_fixed_cells(capsys):
    assert main(["uncertainty", "--data", str(FILE), "--quarter", Q4, "--n-boot", "30", "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "sources scores" in err and "Resampled: each trust's own metric scores" in err
    assert main(["uncertainty", "--data", str(FILE), "--quarter", Q4, "--n-boot", "30", "--no-progress",
                 "--source", "sampling"]) == 0
    err = capsys.readouterr().err
    assert "NOT MEANINGFUL" in err and "use --source scores" in err and "UncertaintyWarning" not in err
