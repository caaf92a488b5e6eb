"""nhsrank.data.synthetic: the bundled SYNTHETIC data set, fictional trusts drawn from one seed."""
import numpy as np
import pandas as pd
import pytest

import nhsrank
from nhsrank.data import synthetic
from nhsrank.data.readers import SYNTHETIC_ATTRIBUTES, SYNTHETIC_METRICS

SMALL = {"acute": 12, "non-acute": 8, "ambulance": 5}
QUARTERS = ["2025-26-Q1", "2025-26-Q2"]


@pytest.fixture(scope="module")
def small():
    return synthetic.generate(seed=3, sizes=SMALL, quarters=QUARTERS)


def test_the_bundled_files_are_what_the_default_seed_writes(tmp_path, capsys):
    synthetic.main(["--out", str(tmp_path)])
    assert capsys.readouterr().out.splitlines() == [f"wrote {tmp_path / SYNTHETIC_METRICS.name}",
                                                    f"wrote {tmp_path / SYNTHETIC_ATTRIBUTES.name}"]
    assert (tmp_path / SYNTHETIC_METRICS.name).read_bytes() == SYNTHETIC_METRICS.read_bytes()
    assert (tmp_path / SYNTHETIC_ATTRIBUTES.name).read_bytes() == SYNTHETIC_ATTRIBUTES.read_bytes()


def test_same_seed_same_data_another_seed_other_data(small):
    again = synthetic.generate(seed=3, sizes=SMALL, quarters=QUARTERS)
    assert small[0].equals(again[0]) and small[1].equals(again[1])
    other = synthetic.generate(seed=4, sizes=SMALL, quarters=QUARTERS)
    assert not small[0]["value"].equals(other[0]["value"])


def test_every_trust_is_labelled_synthetic_and_the_sizes_are_kept(small):
    metrics, attributes = small
    assert metrics["trust_code"].str.fullmatch(r"SYN-[ANB]\d{3}").all()
    assert metrics["trust_name"].str.startswith("Synthetic ").all()
    assert metrics.groupby("trust_type")["trust_code"].nunique().to_dict() == SMALL
    assert sorted(metrics["quarter"].unique()) == QUARTERS
    # one attributes row per trust and quarter; the flags are booleans
    assert len(attributes) == sum(SMALL.values()) * len(QUARTERS)
    assert attributes["financial_deficit"].dtype == bool and attributes["pip"].dtype == bool


def test_values_are_what_their_sampling_inputs_say(small):
    metrics, _ = small
    catalogue = nhsrank.load_methodology("nof-2025-26").catalogue().set_index("metric_id")
    sampling = metrics["metric_id"].map(catalogue["sampling"])
    b = metrics[(sampling == "binomial") & metrics["value"].notna()]
    assert len(b) and np.allclose(b["value"], b["numerator"] / b["denominator"], atol=5e-7)
    assert (b["numerator"] <= b["denominator"]).all() and (b["denominator"] >= 10).all()
    n = metrics[(sampling == "normal") & metrics["value"].notna()]
    assert len(n) and (n["standard_error"] > 0).all()
    lo, hi = metrics["metric_id"].map(catalogue["valid_min"]), metrics["metric_id"].map(catalogue["valid_max"])
    v = metrics["value"]
    assert (v.isna() | ((lo.isna() | (v >= lo)) & (hi.isna() | (v <= hi)))).all()


def test_the_trusts_with_nothing_to_rank_are_kept_and_not_ranked(small):
    metrics, attributes = small
    empty = metrics.groupby(["quarter", "trust_type", "trust_code"])["value"].apply(lambda s: s.isna().all())
    per_type = empty[empty].groupby(level=["quarter", "trust_type"]).size()
    # two acute trusts, one of each other type, every quarter: rows kept, values empty
    assert per_type.to_dict() == {(q, t): 2 if t == "acute" else 1 for q in QUARTERS for t in SMALL}
    read = nhsrank.read_metrics(metrics)
    result = nhsrank.league_table(read, QUARTERS[0], "ambulance", attributes=nhsrank.read_attributes(attributes))
    assert len(result.table) + len(result.exclusions) == SMALL["ambulance"] and len(result.exclusions) == 1


def test_the_read_data_pass_the_checks(small):
    metrics, attributes = small
    assert isinstance(nhsrank.read_metrics(metrics), pd.DataFrame)
    assert isinstance(nhsrank.read_attributes(attributes), pd.DataFrame)
