"""`nhsrank sensitivity` and the sensitivity charts."""
import pandas as pd
import pytest

from support import MINI
from nhsrank.cli import main
from nhsrank.data.readers import AE_ATTENDANCES
from nhsrank.sensitivity import (compare_variants, distance_to_next_segment, leave_one_out, leave_one_out_summary,
                                 methodology_monte_carlo, metric_agreement, segment_transitions)
from nhsrank.report.sensitivity_charts import (
    agreement_heatmap,
    distance_chart,
    leave_one_out_chart,
    rank_interval_chart,
    sobol_chart,
    transition_heatmap,
)
from sens_cases import ATTRS, Q1, frame

AE = ["--data", str(AE_ATTENDANCES), "--quarter", "2018-19-Q4"]


@pytest.mark.parametrize("analysis, rows", [
    ("montecarlo", 134), ("distance", 134), ("funnel", 134), ("transitions", 4), ("variants", 134 * 8),
    ("loo", 0), ("agreement", 0),
])
def test_cli_each_analysis_on_ae(tmp_path, capsys, analysis, rows):
    out = tmp_path / f"{analysis}.csv"
    rc = main(
        [
            "sensitivity",
            "--data",
            "synthetic",
            *AE,
            "--trust-type",
            "acute",
            "--analysis",
            analysis,
            "--n",
            "16",
            "--no-progress",
            "--out",
            str(out),
        ]
    )
    assert rc == 0
    df = pd.read_csv(out) if out.stat().st_size > 1 else pd.DataFrame()
    assert len(df) == rows
    err = capsys.readouterr().err
    if analysis == "montecarlo":
        assert "Sobol" in err and "scoring" in err
    if analysis == "transitions":
        assert "2018-19-Q3 -> 2018-19-Q4" in err


def test_cli_runs_every_trust_type_in_the_data_by_default(tmp_path, capsys):
    out = tmp_path / "distance.csv"
    assert (
        main(["sensitivity", "--data", "synthetic", *AE, "--analysis", "distance", "--no-progress", "--out", str(out)])
        == 0
    )
    df = pd.read_csv(out)
    assert df.columns[0] == "trust_type" and set(df["trust_type"]) == {"acute", "non-acute"}
    assert (df["trust_type"] == "acute").sum() == 134


def test_cli_prints_without_out(capsys):
    assert (
        main(
            [
                "sensitivity",
                "--data",
                "synthetic",
                *AE,
                "--analysis",
                "distance",
                "--trust-type",
                "non-acute",
                "--no-progress",
            ]
        )
        == 0
    )
    assert "improvement_needed" in capsys.readouterr().out


def test_cli_bad_quarter_is_an_input_error(capsys):
    assert main(["sensitivity", "--data", str(AE_ATTENDANCES), "--quarter", "2030-31-Q1"]) == 2
    assert "not in the data" in capsys.readouterr().err


def test_cli_lists_sensitivity():
    from nhsrank.cli import SUBCOMMANDS
    assert "sensitivity" in SUBCOMMANDS


def test_charts_render_to_vega_lite():
    mc = methodology_monte_carlo(frame(), Q1, "acute", MINI, ATTRS, n_draws=16, seed=0)
    s = sobol_chart(mc.sobol).to_dict()
    assert {"S1 (alone)", "ST (with interactions)"} == {r["index"] for r in s["datasets"][s["data"]["name"]]}
    assert "facet" in sobol_chart(mc.sobol, output=None).to_dict()
    r = rank_interval_chart(mc.trusts).to_dict()
    assert [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in r["layer"]] \
        == ["rule", "tick", "point"]
    two = pd.concat([frame(), frame(quarter="2025-26-Q2")], ignore_index=True)
    m = segment_transitions(two, Q1, "2025-26-Q2", "acute", MINI).matrix
    t = transition_heatmap(m).to_dict()
    cells = t["datasets"][t["data"]["name"]]
    assert sum(c["trusts"] for c in cells) == 6 and len(cells) == len(m) ** 2
    a = agreement_heatmap(metric_agreement(frame(), Q1, "acute", MINI, min_trusts=3)).to_dict()
    assert a["encoding"]["color"]["scale"]["domain"] == [-1, 1]
    lo = leave_one_out_chart(leave_one_out_summary(leave_one_out(frame(), Q1, "acute", MINI))).to_dict()
    bars = lo["datasets"][lo["data"]["name"]]
    assert sum(b["trusts"] for b in bars if b["left_out"] == "M3") == 3
    d = distance_chart(distance_to_next_segment(frame(), Q1, "acute", MINI, ATTRS)).to_dict()
    assert {b["trust_code"] for b in d["datasets"][d["data"]["name"]]} == {"B", "E"}


def test_variants_table_accounts_for_every_trust():
    c = compare_variants(frame(), Q1, "acute", MINI, ATTRS)
    per_variant = c.table.groupby("variant")["trust_code"].apply(set)
    assert all(s == set("ABCDE") for s in per_variant)
    assert list(c.exclusions["trust_code"]) == ["F"]
