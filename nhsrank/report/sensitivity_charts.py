"""Altair charts of the sensitivity analyses (:mod:`nhsrank.sensitivity`).

Each function takes what an analysis returns (its result object, or the result's ``table``) and gives an
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

def _plain(df) -> pd.DataFrame:
    """A copy of a DataFrame, or of a result object's ``table`` (:class:`nhsrank.sensitivity.FunnelLimits`, ...)."""
    return getattr(df, "table", df).copy()


_TOOLTIP_TRUST = [alt.Tooltip("trust_code:N", title="trust"), alt.Tooltip("trust_name:N", title="name")]


def sobol_chart(sobol: pd.DataFrame, output: str | None = "position") -> alt.Chart:
    """Bars of first-order (S1) and total (ST) Sobol indices per choice, with 95% intervals.

    ``sobol`` is ``methodology_monte_carlo(...).sobol``; ``output`` picks
    "position" (mean absolute rank shift) or "segment"; None shows both,
    side by side.

    Parameters
    ----------
    sobol : pandas.DataFrame
        ``methodology_monte_carlo(...).sobol``.
    output : str or None, default "position"
        ``"position"`` (mean absolute rank shift) or ``"segment"``; None: both, side by side.

    Returns
    -------
    altair.LayerChart or altair.FacetChart
        The bars with their intervals (faceted by output, side by side, for both).
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

    ``trusts`` is ``methodology_monte_carlo(...).trusts``. Rows are labelled "position. trust name", in
    nominal order; a legend names the three marks.

    Parameters
    ----------
    trusts : pandas.DataFrame
        ``methodology_monte_carlo(...).trusts``; read: ``trust_code``, ``trust_name``, ``nominal_position``,
        ``median_position``, ``p05_position``, ``p95_position``, ``mean_abs_shift``.

    Returns
    -------
    altair.LayerChart
        The bands, the median and the nominal positions.

    Examples
    --------
    >>> t = pd.DataFrame({"trust_code": ["A", "B"], "trust_name": ["Ay", "Bee"], "nominal_position": [2, 1],
    ...                   "median_position": [2, 1], "p05_position": [1, 1], "p95_position": [2, 2],
    ...                   "mean_abs_shift": [0.5, 0.5]})
    >>> spec = rank_interval_chart(t).to_dict()
    >>> spec["layer"][0]["encoding"]["y"]["sort"], spec["layer"][0]["encoding"]["color"]["legend"]["orient"]
    (['1. Bee', '2. Ay'], 'top')
    """
    from .charts import row_step, trust_axis

    t = _plain(trusts).sort_values(["nominal_position", "trust_code"], kind="stable").reset_index(drop=True)
    name = t["trust_name"].astype(str) if "trust_name" in t else t["trust_code"].astype(str)
    t["label"] = t["nominal_position"].astype(int).astype(str) + ". " + name
    n = len(t)
    marks = ["5th-95th percentile over choices", "median over choices", "nominal (this methodology)"]
    colour = alt.Color("what:N", title=None, scale=alt.Scale(domain=marks, range=["#56B4E9", "black", "#D55E00"]),
                       legend=alt.Legend(orient="top", direction="horizontal"))
    base = alt.Chart(t).encode(
        y=trust_axis(t["label"]),
        tooltip=_TOOLTIP_TRUST + ["nominal_position:Q", "median_position:Q", "p05_position:Q", "p95_position:Q",
                                  alt.Tooltip("mean_abs_shift:Q", format=".1f")])
    band = base.mark_rule(strokeWidth=3, opacity=0.8).encode(
        x=alt.X("p05_position:Q", title="league position"), x2="p95_position:Q", color=colour
    ).transform_calculate(what=f"'{marks[0]}'")
    med = base.mark_tick(thickness=1).encode(x="median_position:Q", color=colour
                                             ).transform_calculate(what=f"'{marks[1]}'")
    nom = base.mark_point(filled=True, opacity=1, size=14 if n > 40 else 30).encode(
        x="nominal_position:Q", color=colour).transform_calculate(what=f"'{marks[2]}'")
    return alt.layer(band, med, nom).properties(
        title="League position over every combination of methodological choices",
        width=460, height=alt.Step(row_step(n)))


def transition_heatmap(matrix: pd.DataFrame) -> alt.Chart:
    """Heat map of a :func:`segment_transitions` matrix, counts written in the cells.

    Parameters
    ----------
    matrix : pandas.DataFrame
        A :func:`nhsrank.segment_transitions` matrix (segments from as rows, to as columns, counts).

    Returns
    -------
    altair.LayerChart
        Cells coloured by count, the count written in each.
    """
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


def funnel_chart(funnel: pd.DataFrame, metric_id: str | None = None, n_points: int = 100,
                 metric_name: str | None = None) -> alt.Chart:
    """Funnel plot of one metric of a :func:`funnel_limits` result: trusts, target, 95% and 99.8% limits.

    ``metric_name`` (or a ``metric_name`` column) is shown beside the id.

    Parameters
    ----------
    funnel : nhsrank.FunnelLimits or pandas.DataFrame
        :func:`nhsrank.funnel_limits`'s result, or its ``table``.
    metric_id : str or None, default None
        The metric plotted; None: the first in the table.
    n_points : int, default 100
        Points along each limit curve.
    metric_name : str or None, default None
        The metric's name, shown beside its id; None: the table's ``metric_name`` column if any.

    Returns
    -------
    altair.LayerChart
        The target and limit curves and the trusts, coloured by performance.
    """
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
    label = metric_name or (str(r["metric_name"]) if "metric_name" in f and pd.notna(r["metric_name"]) else "")
    return alt.layer(lim, pts).properties(
        title=f"{mid}{': ' + label if label else ''}: funnel plot ({r['method']} over-dispersion, "
              f"phi = {r['phi']:.1f}, tau^2 = {r['tau2']:.2g})",
        width=480, height=320)


def agreement_heatmap(pairs: pd.DataFrame, statistic: str = "spearman") -> alt.Chart:
    """Heat map of pairwise rank correlations from :func:`metric_agreement` (-1 red to +1 blue).

    Parameters
    ----------
    pairs : nhsrank.MetricAgreement or pandas.DataFrame
        :func:`nhsrank.metric_agreement`'s result, or its table of pairs (``a``, ``b``, ``name_a``,
        ``name_b``, ``n_trusts`` and the statistic's column).
    statistic : str, default "spearman"
        The column coloured.

    Returns
    -------
    altair.Chart
        The symmetric heat map.
    """
    pairs = _plain(pairs)
    both = pd.concat([pairs, pairs.rename(columns={"a": "b", "b": "a", "name_a": "name_b", "name_b": "name_a"})])
    both["label_a"] = both["a"].astype(str) + ": " + both["name_a"].astype(str)   # metric names beside ids
    both["label_b"] = both["b"].astype(str) + ": " + both["name_b"].astype(str)
    base = alt.Chart(both).encode(x=alt.X("label_a:N", title=None, axis=alt.Axis(labelLimit=220, labelAngle=-45)),
                                  y=alt.Y("label_b:N", title=None, axis=alt.Axis(labelLimit=260)))
    heat = base.mark_rect().encode(
        color=alt.Color(f"{statistic}:Q", scale=alt.Scale(scheme="redblue", domain=[-1, 1])),
        tooltip=["a:N", "name_a:N", "b:N", "name_b:N", "n_trusts:Q", alt.Tooltip(f"{statistic}:Q", format=".2f")])
    return heat.properties(title=f"Agreement between metric rankings ({statistic})")


def leave_one_out_chart(summary: pd.DataFrame, top: int = 20) -> alt.Chart:
    """Bars: trusts crossing a segment boundary when each metric/domain is left out (:func:`leave_one_out_summary`).

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`nhsrank.leave_one_out_summary`'s table, or a result holding it as ``table`` (``kind``,
        ``left_out``, ``left_out_name``, ``n_segment_better``, ``n_segment_worse``), rows in the order shown.
    top : int, default 20
        Rows shown (the first ``top``).

    Returns
    -------
    altair.Chart
        Stacked bars, better and worse segment.
    """
    summary = _plain(summary)
    s = summary.head(top)
    long = s.melt(id_vars=["kind", "left_out", "left_out_name"], value_vars=["n_segment_better", "n_segment_worse"],
                  var_name="direction", value_name="trusts")
    long["direction"] = long["direction"].map({"n_segment_better": "better segment",
                                               "n_segment_worse": "worse segment"})
    names = s["left_out_name"].fillna("").astype(str)
    labels = [f"{i}: {nm}" if nm and nm != i else str(i) for i, nm in zip(s["left_out"].astype(str), names)]
    long["label"] = long["left_out"].astype(str).map(dict(zip(s["left_out"].astype(str), labels)))
    return alt.Chart(long).mark_bar().encode(
        y=alt.Y("label:N", sort=labels, title=None,          # the chart's title says what the rows are: no
                axis=alt.Axis(labelLimit=320, labelFontSize=11)),   # axis title to overlap the long labels
        x=alt.X("trusts:Q", stack=True, title="trusts changing segment"),
        color=alt.Color("direction:N", title=None, scale=alt.Scale(domain=["better segment", "worse segment"],
                                                                  range=["#0072B2", "#D55E00"])),
        tooltip=["kind:N", "left_out:N", "left_out_name:N", "direction:N", "trusts:Q"],
    ).properties(title="Leave one metric or domain out (rows): trusts moved across a segment boundary")


def distance_chart(distance: pd.DataFrame) -> alt.Chart:
    """Improvement in average metric score each trust needs to move up a segment (:func:`distance_to_next_segment`).

    Parameters
    ----------
    distance : nhsrank.SegmentDistance or pandas.DataFrame
        :func:`nhsrank.distance_to_next_segment`'s result, or its ``table``.

    Returns
    -------
    altair.Chart
        One bar per trust with a segment to reach, in league order.
    """
    distance = _plain(distance)
    d = distance.dropna(subset=["improvement_needed"]).copy()
    d["segment"] = d["segment"].astype(int)
    from .charts import row_step, segment_colour, trust_axis

    d = d.sort_values(["league_position", "trust_code"], kind="stable")
    name = d["trust_name"].astype(str) if "trust_name" in d else d["trust_code"].astype(str)
    d["label"] = d["league_position"].astype(int).astype(str) + ". " + name
    return alt.Chart(d).mark_bar().encode(
        y=trust_axis(d["label"]),
        x=alt.X("improvement_needed:Q", title="improvement in average metric score needed"),
        color=segment_colour(),                   # the one segment palette of every chart
        tooltip=_TOOLTIP_TRUST + ["segment:O", alt.Tooltip("improvement_needed:Q", format=".2f"),
                                  "metric_to_median:N", "metrics_to_median:N"],
    ).properties(title="Distance to the next segment up", width=420, height=alt.Step(row_step(len(d))))


__all__ = ["sobol_chart", "rank_interval_chart", "transition_heatmap", "funnel_chart", "agreement_heatmap",
           "leave_one_out_chart", "distance_chart"]
