"""The sensitivity charts (nhsrank.report.sensitivity_charts) render to Vega-Lite."""
import pandas as pd
import pytest

from nhsrank.report.sensitivity_charts import (
    agreement_heatmap,
    distance_chart,
    leave_one_out_chart,
    rank_interval_chart,
    sobol_chart,
    transition_heatmap,
)
from nhsrank.sensitivity import (
    distance_to_next_segment,
    leave_one_out,
    leave_one_out_summary,
    methodology_monte_carlo,
    metric_agreement,
    segment_transitions,
)
from sens_cases import ATTRS, Q1, frame
from support import MINI, NO_ATTRIBUTES

# the sensitivity cases (sens_cases.py) carry no trust attributes on purpose: nhsrank's note saying
# so is tested in tests/data/test_readers_attributes.py
pytestmark = pytest.mark.filterwarnings(NO_ATTRIBUTES)


def test_charts_render_to_vega_lite():
    mc = methodology_monte_carlo(frame(), Q1, "acute", MINI, ATTRS, n_draws=16, seed=0)
    s = sobol_chart(mc.sobol).to_dict()
    assert {"S1 (alone)", "ST (with interactions)"} == {r["index"] for r in s["datasets"][s["data"]["name"]]}
    assert "facet" in sobol_chart(mc.sobol, output=None).to_dict()
    r = rank_interval_chart(mc.trusts).to_dict()
    assert [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in r["layer"]] \
        == ["rule", "tick", "point"]
    two = pd.concat([frame(), frame(quarter="2025-26-Q2")], ignore_index=True)
    m = segment_transitions(two, Q1, "2025-26-Q2", "acute", MINI).matrix
    t = transition_heatmap(m).to_dict()
    cells = t["datasets"][t["data"]["name"]]
    assert sum(c["trusts"] for c in cells) == 6 and len(cells) == len(m) ** 2
    a = agreement_heatmap(metric_agreement(frame(), Q1, "acute", MINI, min_trusts=3)).to_dict()
    assert a["encoding"]["color"]["scale"]["domain"] == [-1, 1]
    lo = leave_one_out_chart(leave_one_out_summary(leave_one_out(frame(), Q1, "acute", MINI))).to_dict()
    bars = lo["datasets"][lo["data"]["name"]]
    assert sum(b["trusts"] for b in bars if b["left_out"] == "M3") == 3
    d = distance_chart(distance_to_next_segment(frame(), Q1, "acute", MINI, ATTRS)).to_dict()
    assert {b["trust_code"] for b in d["datasets"][d["data"]["name"]]} == {"B", "E"}
