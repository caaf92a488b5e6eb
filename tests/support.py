"""Helpers shared by the tests (imported as ``support``; conftest.py holds only fixtures)."""
from pathlib import Path

import pandas as pd

TESTS = Path(__file__).resolve().parent
MINI = TESTS / "data" / "mini.yaml"
RESULTS = TESTS / "results"
#: nhsrank's note on a table ranked without trust attributes whose data publish no flags (nhsrank.rules.pipeline).
#: Warnings are errors; a test that ranks such a table on purpose and is about something else says so with
#: ``pytest.mark.filterwarnings(NO_ATTRIBUTES)`` and a comment naming its data (tests/README.md)
NO_ATTRIBUTES = "ignore:no trust attributes were given and the data publish no flags:nhsrank.errors.InputWarning"


def long_frame(values: dict, quarter="2025-26-Q1", trust_type="acute") -> pd.DataFrame:
    """{trust: {metric: value}} -> canonical long rows (missing metrics: no row)."""
    rows = [
        {"trust_code": t, "trust_name": f"Trust {t}", "trust_type": trust_type, "quarter": quarter,
         "metric_id": m, "value": v}
        for t, ms in values.items() for m, v in ms.items()
    ]
    return pd.DataFrame(rows)


def acute_group():
    """The bundled SYNTHETIC data's acute peer group of 2025-26-Q1 under NOF 2025/26 (a PeerGroup)."""
    import nhsrank

    metrics, attributes = nhsrank.load_bundled()
    return nhsrank.peer_group(metrics, "2025-26-Q1", "acute", "nof-2025-26", attributes)


def one_metric_table(counts, den):
    """One rank-scored binomial metric (ae-4hr rules: higher is better, ties best, 2 dp) of SYNTHETIC trusts:
    ``counts`` successes out of ``den`` each (a PeerGroup of 2018-19-Q4's acute table)."""
    import warnings

    import nhsrank

    rows = [{"trust_code": f"S{i:02d}", "trust_name": f"SYNTHETIC trust {i}", "trust_type": "acute",
             "quarter": "2018-19-Q4", "metric_id": "AE4HR", "value": x / den, "numerator": float(x),
             "denominator": float(den)} for i, x in enumerate(counts)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nhsrank.peer_group(pd.DataFrame(rows), "2018-19-Q4", "acute", "ae-4hr")


def reference(name: str) -> pd.DataFrame:
    """Reference figures from tests/results/<name> (a CSV whose ``#`` header says where they come from)."""
    return pd.read_csv(RESULTS / name, comment="#")
