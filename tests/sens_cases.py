"""Shared small cases for the sensitivity tests (tests/data/mini.yaml, hand-checked in the tests)."""
import pandas as pd

from support import long_frame

# the worked example of test_league_worked_example.py
DATA = {
    "A": {"M1": 0.9, "M2": 10, "M3": 1},
    "B": {"M1": 0.8, "M2": 20, "M3": 0},
    "C": {"M1": 0.8, "M2": 30, "M3": 1},
    "D": {"M1": 0.7, "M2": 40, "M3": 1},
    "E": {"M1": 0.6, "M3": 1},
    "F": {"M1": 0.5},                      # excluded: one metric
}
ATTRS = pd.DataFrame({"trust_code": list("ABCDEF"),
                      "financial_deficit": [False, False, True, True, False, False],
                      "pip": [True, False, False, False, False, False]})
Q1 = "2025-26-Q1"


def frame(values=DATA, quarter=Q1):
    return long_frame(values, quarter)


# the funnel tests (tests/sensitivity/test_funnel*.py): one proportion metric with numerators, one other metric
def funnel_frame(props, den=100):
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
