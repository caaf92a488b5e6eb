"""Every trust of the input is either ranked or listed in the exclusions with a reason."""
import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st

import nhsrank
from nhsrank.synthetic import generate


def accounted(metrics, attributes, methodology="nof-2025-26"):
    for q in sorted(metrics["quarter"].unique()):
        tables, excl = nhsrank.league_tables(metrics, q, methodology=methodology, attributes=attributes)
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
    _, excl = nhsrank.league_tables(metrics, "2025-26-Q1", attributes=attrs)
    assert len(excl) >= 3


def test_ae_data_every_quarter():
    accounted(nhsrank.read_ae_attendances(), None, "ae-4hr")


def test_rank_uncertainty_keeps_the_exclusions(bundled):
    metrics, attrs = bundled
    u = nhsrank.rank_uncertainty(metrics, "2025-26-Q1", "acute", attributes=attrs, n_boot=20, seed=1,
                                 progress=False)
    inp = set(metrics.loc[(metrics["quarter"] == "2025-26-Q1") & (metrics["trust_type"] == "acute"), "trust_code"])
    assert set(u["trust_code"]) | set(u.attrs["exclusions"]["trust_code"]) == inp


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), missing=st.floats(0.0, 0.7),
       sizes=st.tuples(st.integers(1, 12), st.integers(1, 8), st.integers(1, 6)))
def test_generated_data(seed, missing, sizes):
    sizes = dict(zip(["acute", "non-acute", "ambulance"], sizes))
    metrics, attrs = generate(seed=seed, sizes=sizes, quarters=["2025-26-Q1", "2025-26-Q2"], missing_rate=missing)
    accounted(nhsrank.read_metrics(metrics), nhsrank.read_attributes(attrs))
