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
