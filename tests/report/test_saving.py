"""Saving notebook outputs (nhsrank.report.saving): byte-reproducible tables, static charts without script."""
import altair as alt
import numpy as np
import pandas as pd

import nhsrank
from nhsrank.report import views as notebook


def test_save_table_is_byte_reproducible_and_drops_attrs(tmp_path, loaded):
    metrics, attributes, meth, _ = loaded
    t = nhsrank.league_table(metrics, "2025-26-Q4", "ambulance", meth, attributes).table
    t.attrs["note"] = "dropped on saving"                  # a frame that carries attrs still saves plainly
    a = notebook.save_table(t, tmp_path / "a", "league")
    b = notebook.save_table(t, tmp_path / "b", "league")
    assert a == tmp_path / "a" / "league.csv" and a.read_bytes() == b.read_bytes()
    assert b"\r\n" not in a.read_bytes()
    back = pd.read_csv(a)
    assert list(back.columns) == list(t.columns)            # no index column for a RangeIndex
    assert np.allclose(back["average_metric_score"], t["average_metric_score"], atol=1e-5)
    counts = notebook.segment_counts(t)
    back = pd.read_csv(notebook.save_table(counts, tmp_path, "counts"), index_col=0)
    assert back.index.tolist() == ["ambulance"]              # an informative index is kept
    assert notebook.save_table(t, None, "league") is None


def test_save_chart_writes_static_svg_without_script(tmp_path):
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "hover": ["one", "two"]})).mark_point().encode(
        x="x:Q", description="hover:N")
    path = notebook.save_chart(chart, tmp_path / "out", "c")
    svg = path.read_text()
    assert path.name == "c.svg" and svg.startswith("<svg") and "<script" not in svg and "<title>two</title>" in svg
    assert notebook.save_chart(chart, None, "c") is None


def test_save_outputs_writes_every_table_and_chart(tmp_path):
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    written = notebook.save_outputs(tmp_path, {"t": pd.DataFrame({"a": [1.5]})}, {"c": chart, "none": None})
    assert [p.name for p in written] == ["t.csv", "c.svg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.png", "c.svg", "t.csv"]   # a PNG beside the SVG
    assert notebook.save_outputs(None, {"t": pd.DataFrame({"a": [1]})}, {"c": chart}) == []
