"""nhsrank.uncertainty.sources: which sources of uncertainty the data can support, and the words for them."""
import numpy as np
import pandas as pd
import pytest

import nhsrank
from nhsrank.data.readers import DATA_DIR
from nhsrank.uncertainty.sources import (
    SOURCE_WORDS,
    choose_sources,
    common_sources,
    not_meaningful,
    redrawn_trusts,
    resampled_text,
    source_support,
)
from support import MINI, long_frame

#: the mini methodology (tests/data/mini.yaml): M1 binomial, M2 a count (Poisson), M3 no sampling model;
#: at least 2 metrics to be ranked, so D (one metric) is not
VALUES = {"A": {"M1": 0.9, "M2": 10, "M3": 0.7}, "B": {"M1": 0.8, "M2": 20, "M3": 0.2}, "C": {"M1": 0.7, "M2": 5},
          "D": {"M1": 0.6}}
ATTRIBUTES = pd.DataFrame({"trust_code": list("ABCD"), "financial_deficit": False, "pip": False})


def group(with_numerators=("A", "B")):
    """The mini table, M1 given as numerator / denominator for the trusts named."""
    df = long_frame(VALUES)
    m1 = (df["metric_id"] == "M1") & df["trust_code"].isin(with_numerators)
    df["numerator"] = np.where(m1, df["value"] * 100, np.nan)
    df["denominator"] = np.where(m1, 100.0, np.nan)
    return nhsrank.peer_group(df, "2025-26-Q1", "acute", MINI, ATTRIBUTES)


def test_the_support_of_each_source_counted_by_hand():
    g = group()
    # included: A (3 values), B (3), C (2); D has one metric and is not ranked
    assert g.included.tolist() == [True, True, True, False]
    s = {name: source_support(g, name) for name in SOURCE_WORDS}
    # scores: the 8 values of the ranked trusts, every one resampled
    assert (s["scores"].meaningful, s["scores"].n_values, s["scores"].n_redrawn) == (True, 8, 8)
    # sampling: M1 and M2 have models (A, B, C: 6 values); only A's and B's M1 carry what the model needs
    assert (s["sampling"].meaningful, s["sampling"].n_values, s["sampling"].n_redrawn) == (False, 6, 2)
    assert s["sampling"].reason.startswith("the data give a numerator, count or standard error for 2 of the 6 "
                                           "values")
    # metrics and weights: the 3 metrics of the average
    for name in ("metrics", "weights"):
        assert (s[name].meaningful, s[name].n_values, s[name].n_redrawn, s[name].reason) == (True, 3, 3, "")


def test_sampling_is_meaningful_from_half_the_values_redrawn():
    # 3 of 6 values with their numerators: exactly half, meaningful; 2 of 6 was not
    s = source_support(group(("A", "B", "C")), "sampling")
    assert (s.meaningful, s.n_values, s.n_redrawn, s.reason) == (True, 6, 3, "")
    assert choose_sources(group(("A", "B", "C"))) == ("sampling",)
    assert choose_sources(group()) == ("scores",)


def test_redrawn_trusts_names_the_trusts_whose_own_inputs_move():
    g = group()
    assert redrawn_trusts(g, "sampling").tolist() == [True, True, False, False]
    # every ranked trust has two scores to resample; D is not ranked
    assert redrawn_trusts(g, ("scores",)).tolist() == [True, True, True, False]
    assert redrawn_trusts(g, ("sampling", "metrics")).tolist() == [True, True, True, False]
    assert redrawn_trusts(g, ()).tolist() == [False] * 4


def test_not_meaningful_joins_the_reasons_of_the_sources_that_cannot_run():
    g = group()
    assert not_meaningful(g, ("scores", "metrics")) == ""
    assert not_meaningful(g, "sampling") == f"sampling: {source_support(g, 'sampling').reason}"
    assert not_meaningful(g, ("sampling", "scores")) == not_meaningful(g, "sampling")


def test_choose_and_common_sources_keep_what_was_asked_for():
    g = group()
    assert choose_sources(g, "weights") == ("weights",)
    assert choose_sources(g, ["sampling", "metrics"]) == ("sampling", "metrics")
    # several quarters: sampling only if every one supports it
    assert common_sources([group(("A", "B", "C")), group(("A", "B", "C"))]) == ("sampling",)
    assert common_sources([group(("A", "B", "C")), g]) == ("scores",)
    assert common_sources([g], "sampling") == ("sampling",)


def test_an_unknown_source_is_a_value_error():
    with pytest.raises(ValueError, match="unknown source 'bootstrap'; choose one or more of scores, sampling"):
        source_support(group(), "bootstrap")


def test_resampled_text():
    assert resampled_text("metrics") == "Resampled: the set of metrics, resampled with replacement."
    assert resampled_text(("scores", "weights")) == ("Resampled: " + SOURCE_WORDS["scores"] + "; and "
                                                     + SOURCE_WORDS["weights"] + ".")
    assert resampled_text(("replicates given",)) == "Resampled: replicates given."


def test_the_published_file_supports_score_resampling_not_sampling():
    # NHS England's own file (mental health and community trusts, 2025/26 Q4) has no numerators
    metrics = nhsrank.read_metrics(DATA_DIR / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv")
    g = nhsrank.peer_group(metrics, "2025-26-Q4")
    assert choose_sources(g) == ("scores",)
    s = source_support(g, "sampling")
    assert not s.meaningful and s.n_redrawn == 0 and "published files" in s.reason
    assert source_support(g, "scores").meaningful and source_support(g, "metrics").meaningful
