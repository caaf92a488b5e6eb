"""nhsrank.uncertainty.result: RankUncertainty, the result object of rank_uncertainty (issue 23)."""
import dataclasses
import re

import numpy as np
import pandas as pd
import pytest

import nhsrank
from nhsrank.uncertainty import RankUncertainty, rank_uncertainty
from result_checks import check_result
from support import NO_ATTRIBUTES

FIELDS = ["table", "pairwise", "adjacent_pairs", "headline", "rank_sets", "rank_sets_skipped", "rank_sets_by",
          "rankability", "exclusions", "fixed_cells", "n_boot", "seed", "sources", "level", "score_interval",
          "methodology", "trust_type", "quarter"]


def by_hand(**over):
    """A RankUncertainty of three trusts written by hand (what summary() reads)."""
    fields = dict(table=pd.DataFrame({"trust_code": ["A", "B", "C"], "league_position": [1, 2, 3]}), pairwise=None,
                  adjacent_pairs=pd.DataFrame({"differs": [True, False]}),
                  headline="of 2 neighbouring pairs, 1 differs significantly", rank_sets=pd.DataFrame(),
                  rank_sets_skipped=None, rank_sets_by="average score",
                  rankability={"rankability": 0.456, "reliability": 0.9},
                  exclusions=pd.DataFrame({"trust_code": ["Z"]}),
                  fixed_cells=pd.DataFrame(), n_boot=500, seed=7, sources=("sampling", "weights"), level=0.9,
                  score_interval="hull", methodology="nof-2025-26", trust_type="acute", quarter="2025-26-Q1")
    fields.update(over)
    return RankUncertainty(**fields)


def test_the_fields_are_the_documented_ones():
    check_result(by_hand(), FIELDS)
    documented = re.findall(r"^    (\w+) : ", RankUncertainty.__doc__, flags=re.M)
    assert documented == FIELDS == [f.name for f in dataclasses.fields(RankUncertainty)]


def test_summary_by_hand():
    assert by_hand().summary() == (
        "Rank uncertainty: 3 acute trusts, 2025-26-Q1 (nof-2025-26); 500 replicates (seed 7) of sampling + weights; "
        "level 90%\n"
        "of 2 neighbouring pairs, 1 differs significantly\n"
        "rankability 0.46; 1 trust(s) not ranked")


def test_summary_without_a_rankability_says_nan():
    s = by_hand(rankability={}, exclusions=pd.DataFrame(columns=["trust_code"])).summary()
    assert s.splitlines()[-1] == "rankability nan; 0 trust(s) not ranked"


def test_to_frame_is_a_plain_copy():
    u = by_hand()
    frame = u.to_frame()
    frame.loc[0, "trust_code"] = "X"
    assert u.table.loc[0, "trust_code"] == "A"


@pytest.mark.filterwarnings(NO_ATTRIBUTES)  # one metric of made-up trusts: no trust attributes, on purpose
def test_rank_uncertainty_returns_one_whose_fields_describe_the_run():
    rows = [{"trust_code": f"T{i}", "trust_name": f"Trust {i}", "trust_type": "acute", "quarter": "2018-19-Q4",
             "metric_id": "AE4HR", "value": x / 1000, "numerator": float(x), "denominator": 1000.0}
            for i, x in enumerate([950, 900, 850, 800, 700])]
    u = rank_uncertainty(pd.DataFrame(rows), "2018-19-Q4", "acute", "ae-4hr", n_boot=50, seed=2, progress=False)
    assert isinstance(u, RankUncertainty) and isinstance(u, nhsrank.RankUncertainty)
    check_result(u, FIELDS)
    assert (u.n_boot, u.seed, u.sources, u.level, u.methodology, u.trust_type, u.quarter) == \
        (50, 2, ("sampling",), 0.95, "ae-4hr", "acute", "2018-19-Q4")
    assert u.table["trust_code"].tolist() == ["T0", "T1", "T2", "T3", "T4"] and len(u.adjacent_pairs) == 4
    assert u.exclusions.empty and np.isfinite(u.rankability["rankability"])
    assert u.summary().startswith("Rank uncertainty: 5 acute trusts, 2018-19-Q4 (ae-4hr); 50 replicates (seed 2) "
                                  "of sampling; level 95%\n" + u.headline + "\n")
