"""nhsrank.report.views: the tables the notebooks show (the notebooks only call these and the engine)."""
import pytest

import nhsrank
from nhsrank.errors import InputError
from nhsrank.report import views
from nhsrank.report import views as notebook

QUARTER = "2025-26-Q4"


class Inputs:
    """The bundled SYNTHETIC data as the notebooks load it."""

    def __init__(self):
        self.metrics, self.attributes, self.methodology, _ = notebook.read_inputs("synthetic")
        self.quarter = QUARTER
        self.trust_types = notebook.trust_types(self.metrics, QUARTER, self.methodology)
        self.quarters = notebook.quarters(self.metrics)


@pytest.fixture(scope="module")
def inputs():
    return Inputs()


@pytest.fixture(scope="module")
def tables(inputs):
    result = nhsrank.league_tables(inputs.metrics, inputs.quarter, None, inputs.methodology, inputs.attributes)
    return result.table, result.exclusions


# ---------------------------------------------------------------------------------------------- league tables


def test_segment_counts_add_up(tables, inputs):
    t, excl = tables
    counts = views.segment_counts(t, excl, inputs.trust_types)
    assert list(counts.index) == inputs.trust_types
    for tt in inputs.trust_types:
        mine = t[t["trust_type"] == tt]
        assert counts.loc[tt, [1, 2, 3, 4, 5]].sum() == counts.loc[tt, "ranked"] == len(mine)
        assert counts.loc[tt, 5] == mine["pip_override"].sum()
        assert counts.loc[tt, "capped by deficit"] == mine["financial_override"].sum()
        assert counts.loc[tt, "not ranked"] == (excl["trust_type"] == tt).sum()
    # quartiles: segments 1-4 before overrides are near-equal quarters of the ranked trusts
    acute = t[t["trust_type"] == "acute"]
    sizes = acute["segment_before_adjustment"].value_counts()
    assert sizes.max() - sizes.min() <= 2 + acute["average_metric_score"].duplicated().sum()


def test_top_of_table_is_in_league_order(tables):
    t, _ = tables
    top = views.top_of_table(t, "acute", 5)
    assert top["league_position"].tolist() == sorted(top["league_position"]) and len(top) == 5
    assert top["league_position"].iloc[0] == 1
    assert (
        top["trust_code"].iloc[0] == t[t["trust_type"] == "acute"].sort_values("league_position")["trust_code"].iloc[0]
    )


def test_overrides_explained_lists_every_override_with_its_reason(tables):
    t, _ = tables
    o = views.overrides_explained(t)
    assert len(o) == int((t["financial_override"] | t["pip_override"]).sum()) > 0
    fin = o[o["override"] == "financial deficit"]
    assert (fin["segment"] == 3).all() and (fin["segment_before_adjustment"] < 3).all()
    assert fin["why"].str.contains("capped at 3").all()
    assert (o.loc[o["override"] == "PIP", "segment"] == 5).all()


# ---------------------------------------------------------------------------------------------- uncertainty


def test_uncertainty_summary_numbers(nonacute_uncertainty):
    s = views.uncertainty_summary(nonacute_uncertainty).set_index("measure")["value"]
    assert s["trusts ranked"] == str(len(nonacute_uncertainty.table))
    assert s["bootstrap replicates"] == "120"
    assert s["neighbouring pairs"] == str(len(nonacute_uncertainty.table) - 1)
    width = nonacute_uncertainty.table["rank_upper"] - nonacute_uncertainty.table["rank_lower"]
    assert float(s["median width of the 95% confidence set for the rank (ranks)"]) == width.median()
    assert int(s["widest 95% confidence set for the rank (ranks)"]) == width.max()


def test_source_comparison(inputs):
    long, summary = views.source_comparison(inputs.metrics, inputs.quarter, "ambulance", inputs.methodology,
                                           inputs.attributes, n_boot=60, seed=2)
    assert summary["source"].tolist() == list(views.SOURCE_SETS)
    n = long.groupby("source").size()
    assert n.nunique() == 1
    direct_res = nhsrank.rank_uncertainty(inputs.metrics, inputs.quarter, "ambulance", inputs.methodology,
                                      inputs.attributes, n_boot=60, seed=2, progress=False)
    direct = direct_res.table
    same = long[long["source"] == "sampling"].reset_index(drop=True)
    assert same["rank_lower"].tolist() == direct["rank_lower"].tolist()
    assert same["rank_upper"].tolist() == direct["rank_upper"].tolist()
    widths = summary.set_index("source")["median_interval_width"]
    assert widths["sampling+metrics"] >= widths["sampling"]


# ------------------------------------------------------------------------------------ sensitivity, trust, movement


def test_variant_summary_counts_segment_moves(inputs):
    cv = nhsrank.compare_variants(inputs.metrics, inputs.quarter, "acute", inputs.methodology, inputs.attributes)
    s = views.variant_summary(cv).set_index("variant")
    assert s.loc["nominal", "segment_changed"] == 0 and s.loc["nominal", "max_abs_position_change"] == 0
    nofin = cv.table[cv.table["variant"] == "no_financial_override"]
    assert s.loc["no_financial_override", "segment_changed"] == (nofin["segment_change"] != 0).sum()
    assert (s["segment_better"] + s["segment_worse"] == s["segment_changed"]).all()


def test_metric_profile(tables):
    t, _ = tables
    acute = t[t["trust_type"] == "acute"].dropna(axis=1, how="all")
    code = acute.sort_values("league_position")["trust_code"].iloc[0]
    long, summary = views.metric_profile(acute, "nof-2025-26", code)
    mine = acute.set_index("trust_code").loc[code]
    for r in summary.dropna(subset=["score"]).itertuples():
        assert r.score == pytest.approx(round(mine[r.metric_id], 2))
        col = acute[r.metric_id].dropna()
        assert r.peer_median == pytest.approx(round(col.median(), 2))
        assert r.rank == (col < mine[r.metric_id]).sum() + 1
    assert long["is_trust"].sum() == summary["score"].notna().sum()
    with pytest.raises(InputError, match="NOPE"):
        views.metric_profile(acute, "nof-2025-26", "NOPE")


def test_trust_history_matches_each_quarters_table(inputs):
    code = "SYN-B003"
    h = views.trust_history(inputs.metrics, code, inputs.methodology, inputs.attributes, n_boot=40, seed=1).table
    assert h["quarter"].tolist() == inputs.quarters
    for r in h.itertuples():
        t = nhsrank.league_table(inputs.metrics, r.quarter, "ambulance", inputs.methodology, inputs.attributes).table
        row = t[t["trust_code"] == code]
        if r.status == "ranked":
            assert r.league_position == row["league_position"].iloc[0] and r.n_ranked == len(t)
            assert r.rank_lower <= r.league_position <= r.rank_upper
        else:
            assert row.empty


def test_trust_history_of_an_unknown_trust_says_no_data(inputs):
    h = views.trust_history(inputs.metrics, "NOPE", inputs.methodology, inputs.attributes, n_boot=10, seed=1).table
    assert (h["status"] == "no data").all() and h["league_position"].isna().all()


def test_movement_summary_matches_quarter_movement(inputs):
    qm = nhsrank.quarter_movement(inputs.metrics, "2025-26-Q3", QUARTER, "non-acute", inputs.methodology,
                                  inputs.attributes, n_boot=60, seed=1)
    s = views.movement_summary(qm).set_index("what")["trusts"]
    both = qm.table[qm.table["status"] == "ranked in both"]
    assert s["ranked in both quarters"] == len(both)
    assert s["moved up the table"] + s["moved down the table"] + s["kept their position"] == len(both)
    assert s["change in average score beyond the noise (95%)"] == both["score_change_exceeds_noise"].astype(bool).sum()
    assert s["in one quarter only, or not ranked in one"] == len(qm.table) - len(both)
