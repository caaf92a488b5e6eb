"""Chart specs (nhsrank.report.charts), tested through chart.to_dict(): fields, encodings, sort orders, data.

No pixels: what is drawn is decided by the spec; to_svg is checked for hover titles and
for having no script.
"""
import re

import altair as alt
import numpy as np
import pandas as pd
import pytest

import nhsrank
from nhsrank.report import charts, views
from nhsrank.sensitivity import quarter_movement

QUARTER = "2025-26-Q4"


@pytest.fixture(scope="module")
def acute(bundled):
    metrics, attributes = bundled
    return nhsrank.league_table(metrics, QUARTER, "acute", attributes=attributes).table


@pytest.fixture(scope="module")
def unc_result(bundled):
    metrics, attributes = bundled
    return nhsrank.rank_uncertainty(metrics, QUARTER, "acute", attributes=attributes, n_boot=100, seed=1,
                                    progress=False)


@pytest.fixture(scope="module")
def unc(unc_result):
    return unc_result.table


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def data_of(spec: dict, layer: dict | None = None) -> pd.DataFrame:
    name = (layer or spec).get("data", spec.get("data", {})).get("name")
    return pd.DataFrame(spec["datasets"][name])


def tooltip_fields(enc: dict) -> set[str]:
    return {t["field"] for t in enc.get("tooltip", [])}


def y_order(layer: dict) -> list:
    return layer["encoding"]["y"]["sort"]


# ---------------------------------------------------------------------------------------------- palette


def test_segment_palette_is_five_distinct_okabe_ito_colours():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
    colours = list(charts.SEGMENT_COLOURS.values())
    assert list(charts.SEGMENT_COLOURS) == [1, 2, 3, 4, 5]
    assert len(set(colours)) == 5 and set(colours) <= okabe_ito
    # segment 5 (PIP) is not a shade of the blue-to-vermillion quartile sequence
    assert charts.SEGMENT_COLOURS[5] not in {charts.SEGMENT_COLOURS[k] for k in (1, 2, 3, 4)}
    scale = charts.segment_scale().to_dict()
    assert scale == {"domain": [1, 2, 3, 4, 5], "range": colours}


def test_row_step_keeps_134_rows_readable():
    assert charts.row_step(134) >= charts.MIN_LABEL_PX >= 10    # a row holds an 11-px label: the chart grows
    assert charts.row_step(10) > charts.row_step(134)


# ---------------------------------------------------------------------------------------------- league tables


def test_league_chart_spec(acute):
    spec = charts.league_chart(acute).to_dict()
    enc = spec["encoding"]
    assert enc["x"]["field"] == "average_metric_score" and enc["x"]["scale"]["domain"] == [1, 4]
    assert enc["color"]["field"] == "segment" and enc["color"]["scale"]["range"] == list(
        charts.SEGMENT_COLOURS.values())
    assert {"trust_name", "trust_code", "average_metric_score", "league_position", "segment"} <= tooltip_fields(enc)
    assert enc["description"]["field"] == "hover"
    df = data_of(spec)
    assert len(df) == len(acute) == 132
    # y sorted by league position, not alphabetically
    expected = acute.sort_values(["league_position", "trust_code"])
    assert enc["y"]["sort"][:3] == [f"{p}. {n}" for p, n in zip(expected["league_position"][:3],
                                                                  expected["trust_name"][:3])]
    assert enc["y"]["sort"] != sorted(enc["y"]["sort"])
    assert spec["height"] == {"step": charts.row_step(132)}
    # overrides are marked
    assert set(df["override"]) == {"none", "financial deficit: capped at 3", "PIP: segment 5"}
    assert (df.loc[df["override"] == "PIP: segment 5", "segment"] == 5).all()
    row = df[df["trust_code"] == expected["trust_code"].iloc[0]].iloc[0]
    assert (
        row["trust_name"] in row["hover"] and f"{row['average_metric_score']:.2f}" in row["hover"]
    )  # 2 dp, as NHS England prints it


def test_domain_heatmap_spec(acute, bundled):
    domains = nhsrank.load_methodology("nof-2025-26").domains
    spec = charts.domain_heatmap(acute, domains).to_dict()
    enc = spec["encoding"]
    assert spec["mark"]["type"] == "rect"
    assert enc["x"]["sort"] == list(domains.values())
    assert enc["color"]["scale"]["domain"] == [1, 4] and enc["color"]["scale"]["scheme"] == "viridis"
    assert {"trust_name", "domain", "score"} <= tooltip_fields(enc)
    df = data_of(spec)
    assert len(df) == len(acute) * len(domains)
    best = acute.sort_values("league_position").iloc[0]
    cell = df[(df["trust_code"] == best["trust_code"]) & (df["domain"] == domains["access"])]
    assert cell["score"].iloc[0] == pytest.approx(best["domain_access"])


def test_segment_counts_chart_stacks_in_segment_order():
    counts = pd.DataFrame({1: [2, 1], 2: [3, 0], 3: [0, 1], 4: [1, 1], 5: [1, 0], "ranked": [7, 3]},
                          index=pd.Index(["acute", "ambulance"], name="trust_type"))
    spec = charts.segment_counts_chart(counts).to_dict()
    enc = spec["encoding"]
    assert enc["order"] == {"field": "segment", "sort": "ascending", "type": "ordinal"}
    assert enc["y"]["sort"] == ["acute", "ambulance"]
    df = data_of(spec)
    assert df.groupby("trust_type")["trusts"].sum().to_dict() == {"acute": 7, "ambulance": 3}


# ---------------------------------------------------------------------------------------------- uncertainty


def test_caterpillar_spec(unc):
    spec = charts.caterpillar_chart(unc).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks[:3] == ["bar", "tick", "point"]   # 95% confidence set, rank by score, league position
    bar, median, dot = spec["layer"][:3]
    assert (bar["encoding"]["x"]["field"], bar["encoding"]["x2"]["field"]) == ("cell_from", "cell_to")
    assert bar["encoding"]["color"]["field"] == "segment"
    assert median["encoding"]["x"]["field"] == "score_rank"
    assert dot["encoding"]["x"]["field"] == "league_position"
    assert bar["encoding"]["x"]["scale"]["domain"] == [0.5, len(unc) + 0.5]
    assert {"trust_name", "rank_lower", "score_rank", "rank_upper", "likely_position_lower", "average_metric_score",
            "score_lower",
            "score_upper"} <= tooltip_fields(bar["encoding"])
    df = data_of(spec)
    assert len(df) == len(unc)
    # each whole position is a cell p-0.5..p+0.5: an interval of one position still has a visible bar
    assert (df["cell_from"] == df["rank_lower"] - 0.5).all() and (df["cell_to"] == df["rank_upper"] + 0.5).all()
    assert (df["cell_to"] - df["cell_from"] >= 1).all()
    order = y_order(bar)
    assert [int(label.split(".")[0]) for label in order] == sorted(unc["league_position"])
    assert spec["height"] == {"step": charts.row_step(len(unc))}
    r = df.iloc[0]
    assert f"{r['rank_lower']}-{r['rank_upper']}" in r["hover"] and r["trust_name"] in r["hover"]
    # the simultaneous sets are of the score rank, not of the league position: not on this axis
    assert "simultaneous_rank_lower" not in str([layer["encoding"] for layer in spec["layer"]])


def test_rank_set_chart_orders_by_score_rank(unc, unc_result):
    spec = charts.rank_set_chart(unc).to_dict()
    bar, dot = spec["layer"]
    assert (bar["encoding"]["x"]["field"], bar["encoding"]["x2"]["field"]) == ("cell_from", "cell_to")
    assert dot["encoding"]["x"]["field"] == "score_rank"
    df = data_of(spec)
    sets = unc_result.rank_sets.set_index("trust_code")
    assert (df.set_index("trust_code")["score_rank"] == sets.loc[df["trust_code"], "score_rank"]).all()
    assert (df["cell_from"] == df["simultaneous_rank_lower"] - 0.5).all()
    assert [int(label.split(".")[0]) for label in y_order(bar)] == sorted(sets["score_rank"])
    # the observed score rank lies inside its own simultaneous set
    assert (
        (df["simultaneous_rank_lower"] <= df["score_rank"]) & (df["score_rank"] <= df["simultaneous_rank_upper"])
    ).all()
    assert {"trust_name", "score_rank", "simultaneous_rank_lower", "simultaneous_rank_upper",
            "league_position"} <= tooltip_fields(bar["encoding"])


def test_segment_probability_chart_sums_to_one(unc):
    spec = charts.segment_probability_chart(unc).to_dict()
    df = data_of(spec)
    assert df.groupby("trust_code")["probability"].sum().round(9).eq(1).all()
    assert spec["encoding"]["x"]["stack"] == "zero" and spec["encoding"]["x"]["scale"]["domain"] == [0, 1]
    assert spec["encoding"]["order"]["field"] == "segment"
    assert {"trust_name", "segment", "probability"} <= tooltip_fields(spec["encoding"])


def test_adjacent_pairs_chart(unc, unc_result):
    pairs = unc_result.adjacent_pairs
    spec = charts.adjacent_pairs_chart(pairs, unc).to_dict()
    zero, rule, dot = spec["layer"]
    assert zero["mark"]["type"] == "rule"
    assert (rule["encoding"]["x"]["field"], rule["encoding"]["x2"]["field"]) == ("diff_lower", "diff_upper")
    assert rule["encoding"]["color"]["scale"]["domain"] == ["yes", "no"]
    assert {"name_above", "name_below", "score_difference", "diff_lower", "diff_upper", "p_holm"} <= (
        tooltip_fields(rule["encoding"]))
    df = data_of(spec, rule)
    assert len(df) == len(pairs) == len(unc) - 1
    assert df["name_above"].iloc[0] == unc["trust_name"].iloc[0]     # names, not only codes
    assert (df["significant"] == np.where(pairs["differs"], "yes", "no")).all()


def test_source_comparison_chart():
    long = pd.DataFrame({"source": ["sampling", "sampling", "metrics", "metrics"], "trust_code": ["A", "B"] * 2,
                         "trust_name": ["Trust A", "Trust B"] * 2, "league_position": [1, 2, 1, 2],
                         "rank_lower": [1, 1, 1, 1], "rank_upper": [2, 2, 2, 5]})
    spec = charts.source_comparison_chart(long).to_dict()
    enc = spec["encoding"]
    assert enc["color"]["scale"]["domain"] == ["sampling", "metrics"]
    assert data_of(spec)["interval_width"].tolist() == [1, 1, 1, 4]
    assert {"trust_name", "source", "rank_lower", "rank_upper"} <= tooltip_fields(enc)


# ---------------------------------------------------------------------------------------------- one trust, movement


def test_metric_profile_chart(acute):
    code = acute["trust_code"].iloc[0]
    long, _ = views.metric_profile(acute, "nof-2025-26", code)
    spec = charts.metric_profile_chart(long).to_dict()
    peers, median, dot = spec["layer"]
    assert peers["mark"]["type"] == "tick" and dot["mark"]["type"] == "point"
    assert median["encoding"]["x"]["field"] == "peer_median"
    trust_rows = data_of(spec, dot)
    assert set(trust_rows["trust_code"]) == {code}
    assert {"trust_name", "metric", "score", "peer_median"} <= tooltip_fields(dot["encoding"])
    # metrics in methodology order (by domain), not alphabetical
    order = dot["encoding"]["y"]["sort"]
    spec_ids = list(nhsrank.load_methodology("nof-2025-26").metrics("acute")["metric_id"])
    domains = nhsrank.load_methodology("nof-2025-26").metrics("acute").set_index("metric_id")["domain"]
    domain_rank = {d: i for i, d in enumerate(nhsrank.load_methodology("nof-2025-26").domains)}
    expected = sorted(spec_ids, key=lambda m: (domain_rank[domains[m]], spec_ids.index(m)))
    assert [o.split(" ")[0] for o in order] == [m for m in expected if m in {o.split(" ")[0] for o in order}]


def test_trust_profile_chart_shows_one_trust_against_every_peer(acute):
    code = acute.sort_values("league_position")["trust_code"].iloc[3]
    spec = views.trust_profile_chart(acute, code).to_dict()
    peers, median, dot = spec["layer"]
    trust_rows, peer_rows = data_of(spec, dot), data_of(spec, peers)
    assert set(trust_rows["trust_code"]) == {code}
    assert code not in set(peer_rows["trust_code"])
    assert peer_rows["trust_code"].nunique() == len(acute) - 1
    metric_ids = nhsrank.load_methodology("nof-2025-26").metrics("acute")["metric_id"]
    mine = acute.set_index("trust_code").loc[code]
    for _, r in trust_rows.iterrows():        # the dots are the trust's own scores
        assert r["score"] == pytest.approx(mine[r["metric_id"]])
    assert set(trust_rows["metric_id"]) <= set(metric_ids)
    assert dot["encoding"]["color"]["field"] == "segment"
    assert dot["encoding"]["x"]["scale"]["domain"] == [1, 4]
    with pytest.raises(nhsrank.InputError):
        views.trust_profile_chart(acute, "NOT-A-TRUST")


def test_trust_history_chart_reverses_the_position_axis():
    hist = pd.DataFrame({"quarter": ["2025-26-Q2", "2025-26-Q1"], "trust_code": "A", "trust_name": "Trust A",
                         "league_position": [3, 10], "n_ranked": [100, 100], "segment": [1, 2],
                         "average_metric_score": [1.5, 2.0], "rank_lower": [1, 6], "rank_upper": [6, 15]})
    spec = charts.trust_history_chart(hist).to_dict()
    rule, line, dot = spec["layer"]
    assert rule["encoding"]["y"]["scale"]["reverse"] is True
    assert (rule["encoding"]["y"]["field"], rule["encoding"]["y2"]["field"]) == ("rank_lower", "rank_upper")
    assert dot["encoding"]["x"]["sort"] == ["2025-26-Q1", "2025-26-Q2"]
    assert {"trust_name", "league_position", "rank_lower", "rank_upper"} <= tooltip_fields(dot["encoding"])


def test_movement_chart(bundled):
    metrics, attributes = bundled
    qm = quarter_movement(metrics, "2025-26-Q3", QUARTER, "ambulance", attributes=attributes, n_boot=50, seed=1)
    spec = charts.movement_chart(qm).to_dict()
    zero, rule, dot = spec["layer"]
    df = data_of(spec, rule)
    both = qm.table[qm.table["status"] == "ranked in both"]
    assert len(df) == len(both)
    assert df["score_change"].is_monotonic_increasing          # sorted by the change, most improved on top
    assert rule["encoding"]["y"]["sort"] == df["label"].tolist()
    assert (rule["encoding"]["x"]["field"], rule["encoding"]["x2"]["field"]) == ("score_change_lo", "score_change_hi")
    assert {"trust_name", "score_change", "score_change_lo", "score_change_hi"} <= tooltip_fields(rule["encoding"])
    assert (df["beyond_noise"] == np.where(df["score_change_exceeds_noise"].astype(bool), "yes", "no")).all()


# ---------------------------------------------------------------------------------------------- static SVG


def test_add_svg_titles_handles_open_and_self_closing_elements():
    svg = '<svg><rect aria-label="a" width="1"></rect><path d="M0" aria-label="b"/><g aria-label="x"></g></svg>'
    out = charts.add_svg_titles(svg)
    assert '<rect aria-label="a" width="1"><title>a</title></rect>' in out
    assert '<path d="M0" aria-label="b"><title>b</title></path>' in out
    assert '<g aria-label="x"></g>' in out          # groups are not marks


def test_to_svg_is_static_with_hover_titles(unc):
    svg = charts.to_svg(charts.caterpillar_chart(unc.head(8)))
    assert svg.startswith("<svg") and "<script" not in svg
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    assert sum("confidence set for the rank" in t for t in titles) >= 8
    assert not re.search(r'(href|src)="https?:', svg)


def test_show_returns_static_svg_unless_interactive(acute):
    from IPython.display import SVG

    chart = charts.league_chart(acute.head(5))
    shown = charts.show(chart)
    assert isinstance(shown, SVG)
    assert "<script" not in shown.data and "<title>" in shown.data
    assert acute["trust_name"].iloc[0] in shown.data
    assert charts.show(chart, interactive=True) is chart


def test_save_svg(tmp_path, acute):
    path = charts.save_svg(charts.league_chart(acute.head(5)), tmp_path / "sub" / "x.svg")
    assert path.read_text().startswith("<svg")


def test_charts_accept_the_result_object_and_tables_with_attrs(unc, unc_result):
    """A chart takes rank_uncertainty's result or its table, attrs or not (pandas compares attrs on concat)."""
    with_attrs = unc.copy()
    with_attrs.attrs["note"] = pd.DataFrame({"x": [1]})
    for chart in (charts.caterpillar_chart(unc_result), charts.segment_probability_chart(with_attrs),
                  charts.rank_set_chart(unc_result)):
        assert isinstance(chart, (alt.Chart, alt.LayerChart))
        chart.to_dict()


# ---------------------------------------------------------------------------------------------- readable on a slide


def _axes(spec):
    """Every (channel, axis dict, field) of a spec, through its layers."""
    for layer in spec.get("layer", [spec]):
        for channel, enc in layer.get("encoding", {}).items():
            if isinstance(enc, dict) and channel in ("x", "y"):
                yield channel, enc.get("axis") or {}, enc.get("field")


def _trust_charts(bundled, acute, unc):
    from nhsrank.report import sensitivity_charts

    metrics, attributes = bundled
    qm = quarter_movement(metrics, "2025-26-Q3", QUARTER, "acute", attributes=attributes, n_boot=30, seed=1)
    distance = nhsrank.distance_to_next_segment(metrics, QUARTER, "acute", attributes=attributes)
    return {"league": charts.league_chart(acute), "domains": charts.domain_heatmap(acute),
            "caterpillar": charts.caterpillar_chart(unc), "rank_sets": charts.rank_set_chart(unc),
            "probabilities": charts.segment_probability_chart(unc), "movement": charts.movement_chart(qm),
            "movement_positions": charts.movement_positions_chart(qm),
            "distance": sensitivity_charts.distance_chart(distance)}


def test_trust_labels_are_at_least_10_px_and_rows_grow_with_the_table(bundled, acute, unc):
    """Measured in the specs: every axis that lists trusts has labels of 10 px or more, room for a whole
    trust name, and a row step (so the chart grows with the number of trusts) no smaller than the font."""
    for name, chart in _trust_charts(bundled, acute, unc).items():
        spec = chart.to_dict()
        trust_axes = [a for ch, a, f in _axes(spec) if f == "label"]
        assert trust_axes, name
        for axis in trust_axes:
            assert axis["labelFontSize"] >= 10, (name, axis)
            assert axis["labelLimit"] >= 300, (name, axis)
        assert spec["height"]["step"] >= max(a["labelFontSize"] for a in trust_axes), name
    # rendering raises every axis and legend to the minimum, whatever a chart set
    cfg = charts.readable_config(charts.league_chart(acute).to_dict())["config"]
    assert cfg["axis"]["labelFontSize"] >= 10 and cfg["legend"]["labelFontSize"] >= 10


def test_one_segment_palette_in_every_chart_coloured_by_segment(bundled, acute, unc):
    want = list(charts.SEGMENT_COLOURS.values())
    for name, chart in _trust_charts(bundled, acute, unc).items():
        for layer in chart.to_dict().get("layer", [chart.to_dict()]):
            colour = layer.get("encoding", {}).get("color", {})
            if colour.get("field") == "segment":
                assert colour["scale"]["range"] == want, name


def test_every_interactive_chart_has_a_trust_search(bundled, acute, unc):
    from nhsrank.report.saving import INTERACTIVE_CHARTS

    made = _trust_charts(bundled, acute, unc)
    for name in INTERACTIVE_CHARTS:
        spec = made[{"rank_intervals": "caterpillar"}.get(name, name)].to_dict()
        params = spec.get("params", [])
        assert any(p["name"] == "find" and p["bind"]["input"] == "search" for p in params), name
        assert "find" in str(spec["layer"]), name      # the search changes what is drawn


def test_save_chart_writes_a_slide_size_png_beside_the_svg(tmp_path, acute):
    from nhsrank.report.saving import save_chart

    save_chart(charts.league_chart(acute), tmp_path, "league")
    png = (tmp_path / "league.png").read_bytes()
    assert png[:4] == b"\x89PNG"
    width = int.from_bytes(png[16:20], "big")
    assert width >= 1200           # slide size: twice the chart's pixels
