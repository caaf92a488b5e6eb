"""FunnelLimits: fields, a copy from to_frame(), summary() from the table (issue 23)."""
import numpy as np

from nhsrank.sensitivity import FunnelLimits
from nhsrank.sensitivity.funnel import funnel_curve, funnel_limits
from result_checks import check_result
from sens_cases import Q1
from support import MINI
from test_funnel import PROPS, _frame


def test_funnel_limits_fields_and_summary():
    df = _frame(PROPS)
    df.loc[(df["trust_code"] == "T1") & (df["metric_id"] == "M1"), ["numerator", "denominator"]] = np.nan
    f = funnel_limits(df, Q1, "acute", MINI, metric_id="M1", target=0.5, method="none", winsor=0.0)
    assert isinstance(f, FunnelLimits)
    check_result(f, ["table", "exclusions", "methodology", "quarter", "trust_type", "excluded"])
    assert f.excluded[["metric_id", "trust_code"]].values.tolist() == [["M1", "T1"]]
    # plain binomial limits, s = 0.05: z = -2, 2, 4 for T0, T2, T3; only T3 is beyond 3.09 (99.8%), high on a
    # higher-is-better metric
    s = f.summary()
    assert s.loc["M1"].to_dict() == {"better": 1, "within": 2, "worse": 0}
    assert s.to_numpy().sum() == len(f.table)
    assert funnel_curve(f).equals(funnel_curve(f.table))
