"""The quarter of a file published without a Quarter column (nhsrank.data.readers; issue 18)."""
from __future__ import annotations

import pandas as pd
import pytest

import nhsrank
from nhsrank.data.readers import quarter_from_reporting_dates


@pytest.mark.parametrize("dates, quarter", [
    (["Jun-25", "Q1 2025/26", "2024"], "2025-26-Q1"),
    (["Sep-25", "Jul 24 - Jun 25"], "2025-26-Q2"),
    (["Dec-25", "Nov-25"], "2025-26-Q3"),
    (["Mar-26", "Feb-26"], "2025-26-Q4"),
    (["2024", "Month 3 2025"], None),
])
def test_quarter_from_reporting_dates(dates, quarter):
    assert quarter_from_reporting_dates(pd.Series(dates)) == quarter


def test_a_file_without_a_quarter_column_or_dates_asks_for_the_quarter(tmp_path):
    p = tmp_path / "q.csv"
    pd.DataFrame({"Trust_code": ["A1"], "Trust_type": ["Acute trust"], "Metric_ID": ["OF0023"],
                  "Value": ["70"], "Units": ["percent"]}).to_csv(p, index=False)
    with pytest.raises(nhsrank.InputError, match="no Quarter column"):
        nhsrank.read_metrics(p)
    m = nhsrank.read_metrics(p, quarter="2025-26-Q2")
    assert set(m["quarter"]) == {"2025-26-Q2"} and "as given" in m.attrs["quarter_note"]
