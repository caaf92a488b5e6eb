"""Altair charts of the sensitivity analyses (:mod:`nhsrank.sensitivity`).

Each function takes the DataFrame an analysis returns and gives an
``altair.Chart``; display it in a notebook or ``chart.save("x.html")``.

Examples
--------
>>> import nhsrank
>>> from nhsrank.sensitivity import funnel_limits
>>> f = funnel_limits(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
>>> funnel_chart(f).to_dict()["layer"][0]["mark"]["type"]
'line'
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..sensitivity.funnel import funnel_curve

def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """A copy without ``attrs`` (they hold DataFrames, which pandas cannot compare when concatenating)."""
    out = df.copy()
    out.attrs = {}
    return out


_TOOLTIP_TRUST = [alt.Tooltip("trust_code:N", title="trust"), alt.Tooltip("trust_name:N", title="name")]


def sobol_chart(sobol: pd.DataFrame, output: str | None = "position") -> alt.Chart:
    """Bars of first-order (S1) and total (ST) Sobol indices per choice, with 95% intervals.

    ``sobol`` is ``methodology_monte_carlo(...).sobol``; ``output`` picks
    "position" (mean absolute rank shift) or "segment"; None shows both,
    side by side.
    """
    sobol = _plain(sobol)
    df = sobol if output is None else sobol[sobol["output"] == output]
    long = pd.concat([
        df.assign(index="S1 (alone)", value=df["S1"], lo=df["S1"] - df["S1_conf"], hi=df["S1"] + df["S1_conf"]),
        df.assign(index="ST (with interactions)", value=df["ST"], lo=df["ST"] - df["ST_conf"],
                  hi=df["ST"] + df["ST_conf"]),
    ])[["output", "choice", "index", "value", "lo", "hi"]]
    order = list(df.sort_values("ST", ascending=False)["choice"].drop_duplicates())
    base = alt.Chart(long)
    y = alt.Y("choice:N", sort=order, title=None)
    bars = base.mark_bar().encode(
        y=y, x=alt.X("value:Q", title="Sobol index", scale=alt.Scale(domain=[0, 1], clamp=True)),
        yOffset="index:N", color=alt.Color("index:N", title=None),
        tooltip=["choice:N", "index:N", alt.Tooltip("value:Q", format=".2f")])
    err = base.mark_rule().encode(y=y, yOffset="index:N", x="lo:Q", x2="hi:Q")
    chart = alt.layer(bars, err)
    title = "Which methodological choice moves league positions most"
    if output is None:
        return chart.facet(column="output:N").properties(title=title)
    return chart.properties(title=title, width=360)


def rank_interval_chart(trusts: pd.DataFrame) -> alt.Chart:
    """Each trust's nominal position and its 5th-95th percentile band over methodological choices.

    ``trusts`` is ``methodology_monte_carlo(...).trusts``.
    """
    trusts = _plain(trusts)
    base = alt.Chart(trusts).encode(
        y=alt.Y("trust_code:N", sort=alt.EncodingSortField("nominal_position"), title=None,
                axis=alt.Axis(labels=len(trusts) <= 60)),
        tooltip=_TOOLTIP_TRUST + ["nominal_position:Q", "median_position:Q", "p05_position:Q", "p95_position:Q",
                                  alt.Tooltip("mean_abs_shift:Q", format=".1f")])
    band = base.mark_rule(opacity=0.6).encode(x=alt.X("p05_position:Q", title="league position"),
                                              x2="p95_position:Q")
    med = base.mark_tick(color="black").encode(x="median_position:Q")
    nom = base.mark_point(filled=True, color="firebrick").encode(x="nominal_position:Q")
    return alt.layer(band, med, nom).properties(
        title="League position: nominal (red), median (tick), 5th-95th percentile over choices",
        height=alt.Step(8 if len(trusts) > 60 else 14))


def transition_heatmap(matrix: pd.DataFrame) -> alt.Chart:
    """Heat map of a :func:`segment_transitions` matrix, counts written in the cells."""
    matrix = _plain(matrix)
    src, dst = matrix.index.name or "from", matrix.columns.name or "to"
    long = matrix.rename_axis(index="segment_from", columns="segment_to").stack().rename("trusts").reset_index()
    long["segment_from"] = long["segment_from"].astype(str)
    long["segment_to"] = long["segment_to"].astype(str)
    order = [str(c) for c in matrix.index]
    base = alt.Chart(long).encode(x=alt.X("segment_to:N", sort=[str(c) for c in matrix.columns], title=dst),
                                  y=alt.Y("segment_from:N", sort=order, title=src))
    heat = base.mark_rect().encode(color=alt.Color("trusts:Q", scale=alt.Scale(scheme="blues")),
                                   tooltip=["segment_from:N", "segment_to:N", "trusts:Q"])
    text = base.mark_text().encode(text="trusts:Q")
    return alt.layer(heat, text).properties(title="Segment transitions", width=260, height=260)


def funnel_chart(funnel: pd.DataFrame, metric_id: str | None = None, n_points: int = 100) -> alt.Chart:
    """Funnel plot of one metric of a :func:`funnel_limits` result: trusts, target, 95% and 99.8% limits."""
    funnel = _plain(funnel)
    mid = metric_id or funnel["metric_id"].iloc[0]
    f = funnel[funnel["metric_id"] == mid]
    curve = funnel_curve(f, n_points)
    lines = curve.melt(id_vars=["denominator"], value_vars=["theta0", "lower95", "upper95", "lower998", "upper998"],
                       var_name="limit", value_name="value")
    lines["level"] = lines["limit"].map({"theta0": "target", "lower95": "95%", "upper95": "95%",
                                         "lower998": "99.8%", "upper998": "99.8%"})
    x = alt.X("denominator:Q", scale=alt.Scale(type="log"), title="denominator")
    lim = alt.Chart(lines).mark_line().encode(
        x=x, y=alt.Y("value:Q", title=mid, scale=alt.Scale(zero=False)), detail="limit:N",
        strokeDash=alt.StrokeDash("level:N", title="limit"), color=alt.value("grey"))
    pts = alt.Chart(f).mark_circle(size=40).encode(
        x=x, y="value:Q", color=alt.Color("performance:N", scale=alt.Scale(
            domain=["better", "within", "worse"], range=["#1a9850", "#bbbbbb", "#d73027"])),
        tooltip=_TOOLTIP_TRUST + ["numerator:Q", "denominator:Q", alt.Tooltip("value:Q", format=".3f"),
                                  alt.Tooltip("z_adjusted:Q", format=".2f"), "performance:N"])
    r = f.iloc[0]
    return alt.layer(lim, pts).properties(
        title=f"{mid}: funnel plot ({r['method']} over-dispersion, phi = {r['phi']:.1f}, tau^2 = {r['tau2']:.2g})",
        width=480, height=320)


def agreement_heatmap(pairs: pd.DataFrame, statistic: str = "spearman") -> alt.Chart:
    """Heat map of pairwise rank correlations from :func:`metric_agreement` (-1 red to +1 blue)."""
    pairs = _plain(pairs)
    both = pd.concat([pairs, pairs.rename(columns={"a": "b", "b": "a", "name_a": "name_b", "name_b": "name_a"})])
    base = alt.Chart(both).encode(x=alt.X("a:N", title=None), y=alt.Y("b:N", title=None))
    heat = base.mark_rect().encode(
        color=alt.Color(f"{statistic}:Q", scale=alt.Scale(scheme="redblue", domain=[-1, 1])),
        tooltip=["a:N", "name_a:N", "b:N", "name_b:N", "n_trusts:Q", alt.Tooltip(f"{statistic}:Q", format=".2f")])
    return heat.properties(title=f"Agreement between metric rankings ({statistic})")


def leave_one_out_chart(summary: pd.DataFrame, top: int = 20) -> alt.Chart:
    """Bars: trusts crossing a segment boundary when each metric/domain is left out (:func:`leave_one_out_summary`)."""
    summary = _plain(summary)
    s = summary.head(top)
    long = s.melt(id_vars=["kind", "left_out", "left_out_name"], value_vars=["n_segment_better", "n_segment_worse"],
                  var_name="direction", value_name="trusts")
    long["direction"] = long["direction"].map({"n_segment_better": "better segment",
                                               "n_segment_worse": "worse segment"})
    return alt.Chart(long).mark_bar().encode(
        y=alt.Y("left_out:N", sort=list(s["left_out"]), title="left out"),
        x=alt.X("trusts:Q", stack=True, title="trusts changing segment"),
        color=alt.Color("direction:N", title=None),
        tooltip=["kind:N", "left_out:N", "left_out_name:N", "direction:N", "trusts:Q"],
    ).properties(title="Leave one out: trusts moved across a segment boundary")


def distance_chart(distance: pd.DataFrame) -> alt.Chart:
    """Improvement in average metric score each trust needs to move up a segment (:func:`distance_to_next_segment`)."""
    distance = _plain(distance)
    d = distance.dropna(subset=["improvement_needed"]).copy()
    d["segment"] = d["segment"].astype(str)
    return alt.Chart(d).mark_bar().encode(
        y=alt.Y("trust_code:N", sort=alt.EncodingSortField("league_position"), title=None,
                axis=alt.Axis(labels=len(d) <= 60)),
        x=alt.X("improvement_needed:Q", title="improvement in average metric score needed"),
        color=alt.Color("segment:N", title="segment"),
        tooltip=_TOOLTIP_TRUST + ["segment:N", alt.Tooltip("improvement_needed:Q", format=".3f"),
                                  "metric_to_median:N", "metrics_to_median:N"],
    ).properties(title="Distance to the next segment up")


__all__ = ["sobol_chart", "rank_interval_chart", "transition_heatmap", "funnel_chart", "agreement_heatmap",
           "leave_one_out_chart", "distance_chart"]
