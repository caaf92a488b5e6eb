"""The report's plan (nhsrank.report.plan): which notebooks run, with which parameters, into which paths."""
from pathlib import Path

import pytest

from nhsrank.report.plan import NOTEBOOKS, ReportError, notebook_parameters, output_paths, parse_notebooks, plan_report

TYPES = ["acute", "non-acute", "ambulance"]
QUARTERS = ["2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4"]


def test_plan_runs_league_once_and_the_others_per_trust_type(tmp_path):
    plan = plan_report("2025-26-Q2", tmp_path, notebooks=list(NOTEBOOKS), trust_types=TYPES, quarters=QUARTERS,
                       example_trust="SYN-A007", n_boot=50, seed=3)
    stems = [j.stem for j in plan.jobs]
    assert stems == ["league_table"] + [f"{nb}-{t}" for nb in ("rank_uncertainty", "sensitivity", "quarter_movement")
                                        for t in TYPES] + ["trust_profile-SYN-A007"]
    # the reconcile page needs NHS England's published results, which the synthetic data do not carry
    assert plan.skipped == [("reconcile", "the data carry no published results of NHS England to compare with")]
    published = plan_report("2025-26-Q2", tmp_path, notebooks=list(NOTEBOOKS), trust_types=TYPES, quarters=QUARTERS,
                            example_trust="SYN-A007", n_boot=50, seed=3, published=True)
    assert [j.stem for j in published.jobs][:2] == ["league_table", "reconcile"] and published.skipped == []
    by_stem = {j.stem: j for j in plan.jobs}
    assert by_stem["league_table"].parameters["trust_types"] == TYPES
    assert "trust_type" not in by_stem["league_table"].parameters
    assert by_stem["quarter_movement-ambulance"].parameters["quarter_from"] == "2025-26-Q1"
    assert by_stem["trust_profile-SYN-A007"].parameters["trust_code"] == "SYN-A007"
    for job in plan.jobs:
        p = job.parameters
        assert (p["quarter"], p["n_boot"], p["seed"], p["methodology"]) == ("2025-26-Q2", 50, 3, "nof-2025-26")
        assert p["output_dir"] == str(tmp_path.resolve() / job.stem)
        assert Path(p["output_dir"]).is_absolute()


def test_plan_skips_with_reasons(tmp_path):
    plan = plan_report("2025-26-Q1", tmp_path, notebooks=["quarter_movement", "trust_profile"],
                       trust_types=["non-acute"], quarters=QUARTERS, example_trust=None)
    assert plan.jobs == []
    assert plan.skipped == [("quarter_movement-non-acute", "no quarter before 2025-26-Q1 in the data"),
                            ("trust_profile", "no ranked trust in 2025-26-Q1")]


def test_parameters_make_paths_absolute_and_keep_none_for_bundled_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = notebook_parameters("sensitivity", quarter="2025-26-Q1", out_files=Path("rel/out"),
                            data_path="published.csv", attributes_path=None, trust_type="acute")
    assert p["data_path"] == str(tmp_path.resolve() / "published.csv")
    assert p["output_dir"] == str(tmp_path.resolve() / "rel" / "out")
    assert p["attributes_path"] is None
    assert set(p) == {"data_path", "attributes_path", "quarter", "methodology", "n_boot", "seed", "output_dir",
                      "trust_type"}
    assert notebook_parameters("league_table", quarter="q", out_files=tmp_path)["data_path"] is None
    with pytest.raises(ReportError, match="unknown notebook"):
        notebook_parameters("nope", quarter="q", out_files=tmp_path)


def test_output_paths_and_notebook_subsets():
    p = output_paths("/r/2025-26-Q2", "trust_profile-SYN-A001")
    assert (p["ipynb"].name, p["html"].name, p["files"].name) == (
        "trust_profile-SYN-A001.ipynb", "trust_profile-SYN-A001.html", "trust_profile-SYN-A001")
    assert parse_notebooks(None) == list(NOTEBOOKS)
    assert parse_notebooks("rank_uncertainty,league_table") == ["league_table", "rank_uncertainty"]
    with pytest.raises(ReportError, match="unknown notebook.*leage_table"):
        parse_notebooks("leage_table")
