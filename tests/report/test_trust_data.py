"""What a trust page is built from (nhsrank.report.trust_data): the data source line, every ranked trust of every
quarter, metric effects that add up."""
from __future__ import annotations

import numpy as np

import nhsrank
from nhsrank.report.trust_data import data_source_line
from report_fixtures import PAGES_QUARTER as QUARTER, PAGES_TYPES as TYPES, bundled_context  # noqa: F401


def test_data_source_line_names_the_licence_or_synthetic():
    assert data_source_line(None, True).startswith("SYNTHETIC")
    line = data_source_line(["/x/data/nhs-england/nof-acute-trust-data-2025-26-q1.csv"], False)
    assert "nof-acute-trust-data-2025-26-q1.csv" in line and "Open Government Licence v3.0" in line
    assert "/x/" not in line


def test_context_has_every_ranked_trust_of_every_quarter(bundled, bundled_context):
    metrics, attrs = bundled
    h = bundled_context["history"]
    for q in sorted(metrics["quarter"].unique()):
        for tt in TYPES:
            lt = nhsrank.league_table(metrics, q, tt, attributes=attrs).table
            got = h[(h["quarter"] == q) & (h["trust_type"] == tt)].set_index("trust_code")
            assert sorted(got.index) == sorted(lt["trust_code"])
            assert (got.loc[lt["trust_code"], "league_position"].to_numpy() == lt["league_position"].to_numpy()).all()
    assert bundled_context["previous_quarter"] == "2025-26-Q1" and not bundled_context["published"]


def test_metric_effects_add_up_to_the_average_against_the_peer_medians(bundled, bundled_context):
    metrics, attrs = bundled
    ms = bundled_context["metric_scores"]["acute"]
    lt = nhsrank.league_table(metrics, QUARTER, "acute", attributes=attrs).table.set_index("trust_code")
    # each effect is weight x (score - median) / total weight of the trust's metrics: they add up to the
    # weighted mean score (the average, before NHS England's 2-dp rounding) minus the weighted mean median
    w = ms["weight"]
    per = ms.assign(ws=w * ms["score"], wm=w * ms["peer_median"]).groupby("trust_code").agg(
        W=("weight", "sum"), s=("ws", "sum"), m=("wm", "sum"), moves=("moves_average", "sum"))
    assert np.allclose(per["moves"], (per["s"] - per["m"]) / per["W"])
    assert np.allclose((per["s"] / per["W"]), lt.loc[per.index, "average_metric_score"], atol=0.0051)
    med = ms.groupby("metric_id")["score"].median()
    assert np.allclose(ms["peer_median"], ms["metric_id"].map(med))
