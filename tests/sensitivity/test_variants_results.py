"""VariantComparison, LeaveOneOut and MonteCarloResult: fields, a copy from to_frame(), summary() from the table
(issue 23). The figures are those of the worked example in tests/sens_cases.py, checked by hand."""
import pytest

import nhsrank
from nhsrank.sensitivity import LeaveOneOut, MonteCarloResult, VariantComparison
from nhsrank.sensitivity.variants import compare_variants, leave_one_out, methodology_monte_carlo
from result_checks import check_result
from sens_cases import ATTRS, Q1, frame
from support import MINI

COMMON = ["table", "exclusions", "methodology", "quarter", "trust_type"]


def test_variant_comparison_fields_and_summary():
    c = compare_variants(frame(), Q1, "acute", MINI, ATTRS)
    assert isinstance(c, VariantComparison)
    check_result(c, COMMON + ["variants", "baseline"])
    assert (c.methodology, c.quarter, c.trust_type, c.baseline) == ("mini", Q1, "acute", "nominal")
    assert list(c.variants) == list(c.table["variant"].unique()) and c.variants["nominal"] == "mini"
    assert list(c.exclusions["trust_code"]) == ["F"]
    s = c.summary()
    assert list(s.index) == list(c.variants)
    # without the financial cap (tests/test_variants.py): C moves up one place and two segments, E down one place
    assert s.loc["no_financial_override"].to_dict() == pytest.approx(
        {"n_trusts": 5, "n_segment_changed": 1, "mean_abs_position_change": 0.4, "max_abs_position_change": 1})
    assert s.loc["nominal", "n_segment_changed"] == 0 and s.loc["nominal", "max_abs_position_change"] == 0
    for name, rows in c.table.groupby("variant"):             # summary() counts the table's rows
        assert s.loc[name, "n_trusts"] == len(rows)
        assert s.loc[name, "n_segment_changed"] == (rows["segment_change"] != 0).sum()


def test_leave_one_out_fields_and_summary():
    loo = leave_one_out(frame(), Q1, "acute", MINI)
    assert isinstance(loo, LeaveOneOut)
    check_result(loo, COMMON + ["skipped"])
    assert loo.skipped == [] and list(loo.exclusions["trust_code"]) == ["F"]
    s = loo.summary().set_index("left_out")
    pd_equal = nhsrank.leave_one_out_summary(loo.table).set_index("left_out")
    assert s.equals(pd_equal)                                   # the same from the result or its table
    # without M3 three trusts change segment, one up and two down (worked out in tests/test_variants.py)
    assert s.loc["M3", ["n_segment_changed", "n_segment_better", "n_segment_worse"]].tolist() == [3, 1, 2]
    assert s["n_trusts"].sum() == len(loo.table)


def test_monte_carlo_result_fields_and_summary():
    mc = methodology_monte_carlo(frame(), Q1, "acute", MINI, ATTRS, n_draws=8, seed=2)
    assert isinstance(mc, MonteCarloResult)
    check_result(mc, ["trusts", "sobol", "runs", "positions", "exclusions", "methodology", "quarter", "trust_type",
                      "seed"])
    assert (mc.seed, mc.methodology, mc.trust_type) == (2, "mini", "acute")
    assert mc.positions.shape == (len(mc.runs), len(mc.trusts))
    assert mc.summary().equals(mc.sobol) and mc.summary() is not mc.sobol
    assert mc.sobol.attrs == {} and mc.runs.attrs == {}
