"""Spiegelhalter (2005) funnel limits, computed by hand on a tiny set."""
import numpy as np
import pandas as pd
import pytest

import nhsrank
from support import MINI
from nhsrank.sensitivity.funnel import Z95, Z998, funnel_curve, funnel_limits, overdispersion
from nhsrank.report.sensitivity_charts import funnel_chart
from sens_cases import Q1


def _frame(props, den=100):
    rows = []
    for i, p in enumerate(props):
        c = f"T{i}"
        rows.append({"trust_code": c, "trust_name": c, "trust_type": "acute", "quarter": Q1, "metric_id": "M1",
                     "value": p, "numerator": p * den, "denominator": den})
        rows.append({"trust_code": c, "trust_name": c, "trust_type": "acute", "quarter": Q1, "metric_id": "M3",
                     "value": 1.0})
    return pd.DataFrame(rows)


# target 0.5, n 100: s = 0.05; y 0.4 0.5 0.6 0.7 -> z -2 0 2 4; phi = (4 + 0 + 4 + 16) / 4 = 6
# w = 400 each: sum w - sum w^2 / sum w = 1600 - 400 = 1200; tau2 = (4 * 6 - 3) / 1200 = 0.0175
PROPS = [0.4, 0.5, 0.6, 0.7]


def test_overdispersion_by_hand():
    d = overdispersion(np.array(PROPS), np.full(4, 100.0), target=0.5, winsor=0.0)
    assert d["z"] == pytest.approx([-2, 0, 2, 4])
    assert d["phi"] == pytest.approx(6.0)
    assert d["tau2"] == pytest.approx(0.0175)
    # pooled target without one given: mean of equal-size proportions
    assert overdispersion(np.array(PROPS), np.full(4, 100.0))["theta0"] == pytest.approx(0.55)


def test_winsorising_clips_the_extremes():
    # 11 z-scores: the 10% / 90% quantiles (linear) are the 2nd smallest and 2nd largest
    n = np.full(11, 100.0)
    y = 0.5 + 0.05 * np.array([-9, -1, -1, 0, 0, 0, 0, 0, 1, 1, 9.0])
    d = overdispersion(y, n, target=0.5, winsor=0.1)
    assert d["z_winsorised"] == pytest.approx([-1, -1, -1, 0, 0, 0, 0, 0, 1, 1, 1])
    assert d["phi"] == pytest.approx(6 / 11)             # three -1s and three +1s
    assert d["tau2"] == 0.0                               # I phi = 6 < I - 1 = 10: no excess


@pytest.mark.parametrize("method, half95, outside", [
    ("additive", Z95 * np.sqrt(0.0025 + 0.0175), {}),              # 0.277: all within
    ("multiplicative", Z95 * np.sqrt(6) * 0.05, {}),                # 0.240: all within
    ("none", Z95 * 0.05, {"T0": "low", "T2": "high", "T3": "high"}),  # 0.098
])
def test_funnel_limits_by_hand(method, half95, outside):
    f = funnel_limits(_frame(PROPS), Q1, "acute", MINI, metric_id="M1", target=0.5, method=method, winsor=0.0)
    f = f.table.set_index("trust_code")
    assert f["lower95"].to_numpy() == pytest.approx(0.5 - half95)
    assert f["upper95"].to_numpy() == pytest.approx(0.5 + half95)
    got = {k: v for k, v in f["outside95"].items() if v}
    assert got == outside
    if method == "additive":
        assert f.loc["T3", "z_adjusted"] == pytest.approx(0.2 / np.sqrt(0.02))
        assert f.loc["T3", "upper998"] == pytest.approx(0.5 + Z998 * np.sqrt(0.02))
    if method == "none":
        # T3 at z = 4 beyond 3.09: outside 99.8% too, high on a higher-is-better metric: better
        assert f.loc["T3", "performance"] == "better" and f.loc["T0", "performance"] == "within"


def test_missing_denominator_listed_not_dropped():
    df = _frame(PROPS)
    df.loc[(df["trust_code"] == "T1") & (df["metric_id"] == "M1"), ["numerator", "denominator"]] = np.nan
    f = funnel_limits(df, Q1, "acute", MINI, metric_id="M1")
    assert set(f.table["trust_code"]) == {"T0", "T2", "T3"}
    assert list(f.excluded["trust_code"]) == ["T1"]
    with pytest.raises(ValueError):
        funnel_limits(df, Q1, "acute", MINI, metric_id="M2")       # a count metric


def test_funnel_on_ae_data_and_chart():
    ae = nhsrank.read_ae_attendances()
    f = funnel_limits(ae, "2018-19-Q4", "acute", "ae-4hr").table
    plain = funnel_limits(ae, "2018-19-Q4", "acute", "ae-4hr", method="none").table
    # real data are over-dispersed: plain binomial limits flag most trusts, the adjusted ones few
    assert f.iloc[0]["phi"] > 10
    assert (plain["performance"] != "within").mean() > 0.5 > (f["performance"] != "within").mean()
    c = funnel_curve(f)
    assert (c["lower998"] <= c["lower95"]).all() and (c["upper95"] <= c["upper998"]).all()
    assert np.all(np.diff(c["upper95"]) <= 1e-12)            # the funnel narrows
    spec = funnel_chart(f).to_dict()
    assert spec["layer"][1]["mark"]["type"] == "circle"


def test_normal_quantiles_are_scipys():
    from scipy import stats

    assert Z95 == float(stats.norm.ppf(0.975)) and Z998 == float(stats.norm.ppf(0.999))
