"""Every trust of the input is either ranked or listed in the exclusions with a reason."""
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import nhsrank
from nhsrank.cli import main
from nhsrank.data.readers import AE_ATTENDANCES, SYNTHETIC_METRICS
from nhsrank.data.synthetic import generate
from support import NO_ATTRIBUTES


def accounted(metrics, attributes, methodology="nof-2025-26"):
    for q in sorted(metrics["quarter"].unique()):
        result = nhsrank.league_tables(metrics, q, methodology=methodology, attributes=attributes)
        tables, excl = result.table, result.exclusions
        inp = metrics.loc[metrics["quarter"] == q, ["trust_code", "trust_type"]].drop_duplicates()
        ranked = set(zip(tables["trust_code"], tables["trust_type"]))
        excluded = set(zip(excl["trust_code"], excl["trust_type"]))
        assert not ranked & excluded, q
        assert ranked | excluded == set(map(tuple, inp.to_numpy())), q
        assert all(isinstance(r, str) and r for r in excl["reason"])


def test_bundled_data_every_quarter_every_type(bundled):
    metrics, attrs = bundled
    accounted(metrics, attrs)
    # the bundled data contain trusts with too few metrics: the exclusions path is exercised
    result = nhsrank.league_tables(metrics, "2025-26-Q1", attributes=attrs)
    excl = result.exclusions
    assert len(excl) >= 3


@pytest.mark.filterwarnings(NO_ATTRIBUTES)  # the A&E data: no trust attributes, on purpose
def test_ae_data_every_quarter():
    accounted(nhsrank.read_ae_attendances(), None, "ae-4hr")


def test_rank_uncertainty_keeps_the_exclusions(bundled):
    metrics, attrs = bundled
    u_res = nhsrank.rank_uncertainty(metrics, "2025-26-Q1", "acute", attributes=attrs, n_boot=20, seed=1,
                                 progress=False)
    u = u_res.table
    inp = set(metrics.loc[(metrics["quarter"] == "2025-26-Q1") & (metrics["trust_type"] == "acute"), "trust_code"])
    assert set(u["trust_code"]) | set(u_res.exclusions["trust_code"]) == inp


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), missing=st.floats(0.0, 0.7),
       sizes=st.tuples(st.integers(1, 12), st.integers(1, 8), st.integers(1, 6)))
def test_generated_data(seed, missing, sizes):
    sizes = dict(zip(["acute", "non-acute", "ambulance"], sizes))
    metrics, attrs = generate(seed=seed, sizes=sizes, quarters=["2025-26-Q1", "2025-26-Q2"], missing_rate=missing)
    accounted(nhsrank.read_metrics(metrics), nhsrank.read_attributes(attrs))


# --- every command: what the user gets on disk accounts for every input trust ---------------------------



def _input_trusts(path, quarter, trust_type=None):
    m = nhsrank.read_metrics(path)
    sel = m["quarter"] == quarter
    if trust_type:
        sel &= m["trust_type"] == trust_type
    return set(m.loc[sel, "trust_code"])


def _on_disk(out: Path):
    """(trusts in the table, trusts in the exclusions file) as written by --out."""
    table = pd.read_csv(out, dtype={"trust_code": str})
    ex_path = out.with_name(out.stem + "-exclusions.csv")
    excl = pd.read_csv(ex_path, dtype={"trust_code": str}) if ex_path.exists() else pd.DataFrame(
        columns=["trust_code", "reason"])
    assert excl["reason"].notna().all() and (excl["reason"].str.len() > 0).all()
    return set(table["trust_code"]), set(excl["trust_code"])


def test_cli_league_every_type_every_quarter(tmp_path, capsys):
    for q in ("2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4"):
        out = tmp_path / f"league-{q}.csv"
        assert main(["league", "--data", "synthetic", "--quarter", q, "--out", str(out)]) == 0
        ranked, excluded = _on_disk(out)
        assert not ranked & excluded
        assert ranked | excluded == _input_trusts(SYNTHETIC_METRICS, q), q
        assert excluded, "the bundled data have trusts with too few metrics in every quarter"
    # the exclusions are also told on stderr, with their reason
    err = capsys.readouterr().err
    assert "not ranked:" in err and "metrics have a value" in err


@pytest.mark.parametrize(
    "command",
    [
        ["uncertainty", "--data", "synthetic", "--boot", "30", "--no-progress"],
        ["sensitivity", "--data", "synthetic", "--analysis", "distance"],
        ["sensitivity", "--data", "synthetic", "--analysis", "variants"],
        [
            "sensitivity",
            "--data",
            "synthetic",
            "--analysis",
            "movement",
            "--quarter-from",
            "2025-26-Q1",
            "--n",
            "16",
            "--no-progress",
        ],
    ],
)
@pytest.mark.parametrize("trust_type", ["acute", "non-acute", "ambulance"])
def test_cli_analyses_account_for_every_trust(tmp_path, command, trust_type):
    out = tmp_path / "out.csv"
    assert main([*command, "--quarter", "2025-26-Q2", "--trust-type", trust_type, "--out", str(out)]) == 0
    ranked, excluded = _on_disk(out)
    want = _input_trusts(SYNTHETIC_METRICS, "2025-26-Q2", trust_type)
    if command[1:3] == ["--analysis", "movement"]:   # both quarters' trusts
        want |= _input_trusts(SYNTHETIC_METRICS, "2025-26-Q1", trust_type)
    assert ranked | excluded == want


@pytest.mark.filterwarnings(NO_ATTRIBUTES)  # the A&E data: no trust attributes, on purpose
def test_ae_raw_file_every_organisation_and_quarter():
    """From the raw monthly file, not from the converted table: no organisation-quarter
    disappears in the conversion to quarters."""
    from nhsrank.data.ae import financial_quarter

    raw = pd.read_csv(AE_ATTENDANCES, dtype={"org_code": str})
    raw["quarter"] = financial_quarter(raw["period"].astype(str))
    metrics = nhsrank.read_ae_attendances()
    for q, grp in raw.groupby("quarter"):
        result = nhsrank.league_tables(metrics, q, methodology="ae-4hr")
        tables, excl = result.table, result.exclusions
        assert set(tables["trust_code"]) | set(excl["trust_code"]) == set(grp["org_code"].str.strip()), q


@pytest.mark.filterwarnings(NO_ATTRIBUTES)  # the A&E data: no trust attributes, on purpose
def test_ae_organisation_with_no_attendances_is_excluded_not_lost(tmp_path):
    rows = ["period,org_code,type,attendances,breaches,admissions"]
    for org, att in [("RA1", 1000), ("RA2", 900), ("RA3", 0)]:
        for month in ("2018-04-01", "2018-05-01", "2018-06-01"):
            rows.append(f"{month},{org},1,{att},{att // 10},0")
    path = tmp_path / "ae.csv"
    path.write_text("\n".join(rows) + "\n")
    result = nhsrank.league_tables(nhsrank.read_metrics(path), "2018-19-Q1", methodology="ae-4hr")
    tables, excl = result.table, result.exclusions
    assert set(tables["trust_code"]) == {"RA1", "RA2"}
    assert excl.set_index("trust_code").loc["RA3", "reason"]


def test_trust_with_too_few_metrics_is_excluded_with_reason_and_reported(tmp_path, capsys):
    metrics, _ = nhsrank.load_bundled()
    q1 = metrics[(metrics["quarter"] == "2025-26-Q1") & (metrics["trust_type"] == "ambulance")]
    # the manual sets no minimum number of metrics: a trust is left out only with no value at all
    keep = q1.copy()
    keep.loc[keep["trust_code"] == "SYN-B001", ["value", "numerator", "denominator", "standard_error"]] = None
    path = tmp_path / "few.csv"
    keep.drop(columns="_row").to_csv(path, index=False)
    out = tmp_path / "league.csv"
    assert main(["league", "--data", str(path), "--out", str(out)]) == 0
    ranked, excluded = _on_disk(out)
    assert "SYN-B001" in excluded and "SYN-B001" not in ranked
    assert ranked | excluded == set(q1["trust_code"])
    excl = pd.read_csv(out.with_name("league-exclusions.csv")).set_index("trust_code")
    assert excl.loc["SYN-B001", "reason"].startswith("only 0 of ")
    assert "SYN-B001 (ambulance, 2025-26-Q1): only 0 of" in capsys.readouterr().err


def test_api_refuses_a_trust_type_the_methodology_cannot_rank():
    import pytest

    ae = nhsrank.read_ae_attendances()
    q = ae[ae["quarter"] == "2018-19-Q4"].drop(columns="_row")
    extra = q.iloc[[0]].assign(trust_code="RXA", trust_name="RXA", trust_type="ambulance")
    data = nhsrank.read_metrics(pd.concat([q, extra], ignore_index=True))
    with pytest.raises(nhsrank.InputError, match="has no ambulance league table.*RXA"):
        nhsrank.league_tables(data, "2018-19-Q4", methodology="ae-4hr")


def test_trust_with_only_unaveraged_metrics_is_excluded_with_reason():
    """A trust whose only values are of metrics published but not averaged (OF0081 here) has no average
    score: it is excluded with the reason, never ranked with a meaningless segment (found by
    test_generated_data: seed 400, ambulance Q1, cast NaN -> int)."""
    import warnings

    from support import long_frame

    from nhsrank.errors import InputWarning

    values = {"A1": {"OF0067": 1.5, "OF0061": 2.0}, "A2": {"OF0067": 2.5, "OF0061": 5.0},
              "A3": {"OF0067": 3.5, "OF0061": 8.0}, "A4": {"OF0081": 0.0}}
    data = nhsrank.read_metrics(long_frame(values, trust_type="ambulance"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", InputWarning)
        result = nhsrank.league_table(data, "2025-26-Q1", "ambulance")
    assert sorted(result.table["trust_code"]) == ["A1", "A2", "A3"]
    ex = result.exclusions.set_index("trust_code")
    assert list(ex.index) == ["A4"]
    assert "enters the average" in ex.loc["A4", "reason"]
