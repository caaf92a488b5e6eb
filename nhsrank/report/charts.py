"""Altair charts of league tables and of their uncertainty, and their static SVG form.

Every chart function takes a DataFrame that an nhsrank function returns (or a
:mod:`nhsrank.report.summaries` table) and gives an ``altair`` chart:

* trusts are sorted by league position (or by the quantity shown), never
  alphabetically, and rows stay readable with 134 trusts (8 px a row);
* segments 1-5 have one colour-blind-safe palette everywhere
  (:data:`SEGMENT_COLOURS`, Okabe-Ito; segment 5, the Provider Improvement
  Programme, is the purple that no quartile uses);
* every mark has a tooltip with the trust name, the score and the interval,
  and a ``description`` (the same text) that :func:`to_svg` turns into an SVG
  ``<title>``, so hovering works in the static SVG too (the offline HTML
  report and JupyterLab show SVG: no JavaScript, nothing from a CDN).

Display in a notebook with :func:`show`; write with :func:`save_svg`.

Examples
--------
>>> import nhsrank
>>> m, a = nhsrank.load_bundled()
>>> t = nhsrank.league_table(m, "2025-26-Q1", "ambulance", attributes=a).table
>>> spec = league_chart(t).to_dict()
>>> spec["encoding"]["color"]["scale"]["range"] == list(SEGMENT_COLOURS.values())
True
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd

from ..defaults import DEFAULT_METHODOLOGY
from ..outputs import write_text

#: Okabe-Ito colours (colour-blind safe): best segment dark blue .. segment 4 vermillion; 5 (PIP) purple
SEGMENT_COLOURS = {1: "#0072B2", 2: "#56B4E9", 3: "#E69F00", 4: "#D55E00", 5: "#CC79A7"}
#: two-way colours: "yes, beyond the noise" vs "within the noise"
SIGNAL_COLOURS = {"yes": "#0072B2", "no": "#B0B0B0"}
#: the other Okabe-Ito colours, for categories that are not segments (bootstrap sources, ...)
CATEGORY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000"]
ROW_STEP_MANY = 13    # px per trust row above SMALL_TABLE rows (134 acute trusts: about 1,740 px): 11 px labels fit
ROW_STEP_FEW = 18
SMALL_TABLE = 40
LABEL_LIMIT = 420     # px of a y-axis label before it is cut with an ellipsis (the longest NHS trust names, whole)
#: smallest font of any axis label or title (px): readable on a page and on a slide
MIN_LABEL_PX = 11
#: the factor a PNG is drawn at (a 460 px wide chart gives about 1,800 px: a full 16:9 slide)
PNG_SCALE = 2
CHART_WIDTH = 460


def _plain(df) -> pd.DataFrame:
    """A copy without ``attrs``; of a result object (:class:`nhsrank.RankUncertainty`, ...), its ``table``."""
    out = getattr(df, "table", df).copy()
    out.attrs = {}
    return out


def segment_scale() -> alt.Scale:
    """The segment colour scale (domain 1-5, :data:`SEGMENT_COLOURS`).

    Returns
    -------
    altair.Scale
        Segments 1-5 to their colours.
    """
    return alt.Scale(domain=list(SEGMENT_COLOURS), range=list(SEGMENT_COLOURS.values()))


def segment_colour(field: str = "segment", title: str = "segment") -> alt.Color:
    """The colour encoding of a segment field, with the project's segment colours.

    Parameters
    ----------
    field : str, default "segment"
        The data field holding the segment.
    title : str, default "segment"
        The legend's title.

    Returns
    -------
    altair.Color
        An ordinal colour encoding with :func:`segment_scale` and a legend on top (1 best, 5 PIP).
    """
    return alt.Color(f"{field}:O", scale=segment_scale(), title=title,
                     legend=alt.Legend(orient="top", direction="horizontal", labelExpr=_SEGMENT_LABEL))


_SEGMENT_LABEL = "datum.value == 5 ? '5 (PIP)' : datum.value == 1 ? '1 (best)' : datum.label"


def row_step(n_rows: int) -> int:
    """Pixels per row of a chart with one row per trust (smaller for long tables).

    Parameters
    ----------
    n_rows : int
        Rows of the chart.

    Returns
    -------
    int
        Pixels per row.

    Examples
    --------
    >>> row_step(10), row_step(134)
    (18, 13)
    """
    return ROW_STEP_FEW if n_rows <= SMALL_TABLE else ROW_STEP_MANY


#: above this many rows a chart keeps the rows in the order of its data (already sorted) instead of listing the
#: order: Vega turns a sort list into one nested expression, which fails to parse at GP-practice scale
LONG_AXIS = 300


def trust_axis(order, title=None, field: str = "label") -> alt.Y:
    """The trust axis in the given order (which must be the order of the chart's rows when it is long).

    Parameters
    ----------
    order : sequence of str
        The trust labels, top to bottom.
    title : str or None, default None
        The axis title.
    field : str, default "label"
        The data field holding the trust label.

    Returns
    -------
    altair.Y
        The y encoding.
    """
    n = len(order)
    return alt.Y(f"{field}:N", sort=list(order) if n <= LONG_AXIS else None, title=title,
                 axis=alt.Axis(labelLimit=LABEL_LIMIT, labelFontSize=MIN_LABEL_PX, ticks=False))


def _position_label(df: pd.DataFrame) -> pd.Series:
    """'12. Synthetic Acute Trust 017' (unique: the trust code is added where names repeat)."""
    name = df["trust_name"].astype(str)
    dup = name.duplicated(keep=False)
    name = name.where(~dup, name + " (" + df["trust_code"].astype(str) + ")")
    return df["league_position"].astype(int).astype(str) + ". " + name


def _fmt(x, spec: str = ".2f") -> str:
    return "n/a" if x is None or (isinstance(x, float) and np.isnan(x)) or x is pd.NA else format(x, spec)


def _sorted_trusts(df: pd.DataFrame) -> pd.DataFrame:
    out = _plain(df).sort_values(["league_position", "trust_code"], kind="stable").reset_index(drop=True)
    out["label"] = _position_label(out)
    return out


# ---------------------------------------------------------------------------------------------- league tables


def league_chart(table: pd.DataFrame, title: str | None = None) -> alt.Chart:
    """Average metric score of every trust in league order, coloured by final segment.

    ``table`` is :func:`nhsrank.league_table` (one trust type). Trusts whose
    segment an override changed are drawn as diamonds.

    Parameters
    ----------
    table : pandas.DataFrame
        One trust type's league table (``LeagueTable.table``).
    title : str or None, default None
        The chart's title; None: one saying what the chart shows.

    Returns
    -------
    altair.Chart
        The chart.
    """
    df = _sorted_trusts(table)
    df["segment"] = df["segment"].astype(int)
    over = np.where(df["pip_override"].astype(bool), "PIP: segment 5",
                    np.where(df["financial_override"].astype(bool), "financial deficit: capped at 3", "none"))
    df["override"] = over
    df["hover"] = [f"{r.trust_name} ({r.trust_code}): position {r.league_position}, segment {r.segment}, "
                   f"average metric score {r.average_metric_score:.2f}"
                   + ("" if r.override == "none" else f", override {r.override}") for r in df.itertuples()]
    n = len(df)
    ttype = str(df["trust_type"].iloc[0]) if n else ""
    chart = alt.Chart(df).mark_point(filled=True, size=45 if n > SMALL_TABLE else 80, opacity=1).encode(
        y=trust_axis(df["label"]),
        x=alt.X("average_metric_score:Q", title="average metric score (1 best, 4 worst)",
                scale=alt.Scale(domain=[1, 4])),
        color=segment_colour(),
        shape=alt.Shape("override:N", title="override",
                        scale=alt.Scale(domain=["none", "financial deficit: capped at 3", "PIP: segment 5"],
                                        range=["circle", "diamond", "square"]),
                        legend=alt.Legend(orient="top", direction="horizontal")),
        tooltip=[alt.Tooltip("trust_name:N", title="trust"), alt.Tooltip("trust_code:N", title="code"),
                 alt.Tooltip("league_position:Q", title="position"),
                 alt.Tooltip("average_metric_score:Q", title="average metric score", format=".2f"),
                 alt.Tooltip("segment:O", title="segment"),
                 alt.Tooltip("segment_before_adjustment:O", title="segment before overrides"),
                 alt.Tooltip("override:N", title="override")],
        description="hover:N",
    )
    return chart.properties(title=title or f"{ttype} league table: average metric score by position",
                            width=CHART_WIDTH, height=alt.Step(row_step(n)))


def domain_heatmap(table: pd.DataFrame, domains: dict[str, str] | None = None,
                   title: str | None = None) -> alt.Chart:
    """Heat map of every trust's mean score per domain (rows in league order, columns in methodology order).

    ``domains`` maps the domain key (``domain_<key>`` columns of the table) to
    its label, e.g. ``load_methodology(m).domains``; default: the keys.

    Parameters
    ----------
    table : pandas.DataFrame
        One trust type's league table, with its ``domain_<key>`` columns.
    domains : dict of str to str or None, default None
        Domain key to label; None: the keys.
    title : str or None, default None
        The chart's title; None: one saying what the chart shows.

    Returns
    -------
    altair.Chart
        The heat map.
    """
    df = _sorted_trusts(table)
    keys = [c.removeprefix("domain_") for c in df.columns if c.startswith("domain_")]
    labels = {k: (domains or {}).get(k, k) for k in keys}
    keys = [k for k in keys if df[f"domain_{k}"].notna().any()]
    long = df.melt(id_vars=["label", "trust_code", "trust_name", "league_position", "segment"],
                   value_vars=[f"domain_{k}" for k in keys], var_name="domain_key", value_name="score")
    long["domain"] = long["domain_key"].str.removeprefix("domain_").map(labels)
    long["hover"] = [f"{r.trust_name} ({r.trust_code}), position {r.league_position}: {r.domain} "
                     f"mean score {_fmt(r.score)}" for r in long.itertuples()]
    n = len(df)
    ttype = str(df["trust_type"].iloc[0]) if n else ""
    return alt.Chart(long).mark_rect().encode(
        y=trust_axis(df["label"]),
        x=alt.X("domain:N", sort=[labels[k] for k in keys], title=None,
                axis=alt.Axis(orient="top", labelAngle=-30, labelLimit=160)),
        color=alt.Color("score:Q", title="domain mean score (1 best, 4 worst)",
                        scale=alt.Scale(scheme="viridis", domain=[1, 4], reverse=True),
                        legend=alt.Legend(orient="top", gradientLength=220, titleLimit=300)),
        tooltip=[alt.Tooltip("trust_name:N", title="trust"), alt.Tooltip("trust_code:N", title="code"),
                 alt.Tooltip("league_position:Q", title="position"), alt.Tooltip("domain:N"),
                 alt.Tooltip("score:Q", title="domain mean score", format=".2f")],
        description="hover:N",
    ).properties(title=title or f"{ttype}: mean metric score by domain, trusts in league order",
                 width=max(70 * len(keys), 200), height=alt.Step(row_step(n)))


def segment_counts_chart(counts: pd.DataFrame, title: str = "Trusts per segment") -> alt.Chart:
    """Stacked bars: trusts per final segment, one bar per trust type (:func:`~.summaries.segment_counts`).

    Parameters
    ----------
    counts : pandas.DataFrame
        :func:`nhsrank.report.summaries.segment_counts`'s table.
    title : str, default "Trusts per segment"
        The chart's title.

    Returns
    -------
    altair.Chart
        The stacked bars.
    """
    c = _plain(counts)
    segs = [s for s in SEGMENT_COLOURS if s in c.columns]
    long = c.reset_index().melt(id_vars=["trust_type"], value_vars=segs, var_name="segment", value_name="trusts")
    long["segment"] = long["segment"].astype(int)
    long["hover"] = [f"{r.trust_type}: {r.trusts} trusts in segment {r.segment}" for r in long.itertuples()]
    return alt.Chart(long).mark_bar().encode(
        y=alt.Y("trust_type:N", sort=list(c.index), title=None),
        x=alt.X("trusts:Q", title="trusts", stack="zero"),
        color=segment_colour(),
        order=alt.Order("segment:O", sort="ascending"),
        tooltip=[alt.Tooltip("trust_type:N", title="trust type"), alt.Tooltip("segment:O"),
                 alt.Tooltip("trusts:Q")],
        description="hover:N",
    ).properties(title=title, width=CHART_WIDTH, height=alt.Step(28))


# ---------------------------------------------------------------------------------------------- uncertainty


def _position_axis(n: int, title: str) -> alt.X:
    """x axis of whole positions 1..n, each position a cell from p - 0.5 to p + 0.5."""
    return alt.X("cell_from:Q", title=title, scale=alt.Scale(domain=[0.5, max(n, 1) + 0.5], nice=False, zero=False),
                 axis=alt.Axis(tickMinStep=1, format="d"))


#: Vega expression: the trust of a row matches the search box ``find`` (name or code, any case)
FIND_MATCH = ("(indexof(lower(datum.trust_name), lower(find)) >= 0 || "
              "indexof(lower(datum.trust_code), lower(find)) >= 0)")


def find_box() -> alt.Parameter:
    """The trust search of an interactive chart: a "Find a trust" box (name or code, any case) bound to
    the Vega parameter ``find`` (:data:`FIND_MATCH`); the static SVG and PNG have no box and show every trust.

    Returns
    -------
    altair.Parameter
        The ``find`` parameter bound to a search box.
    """
    return alt.param(name="find", value="", bind=alt.binding(input="search", placeholder="trust name or code",
                                                             name="Find a trust "))


def found_opacity(bright: float = 1.0, faded: float = 0.12):
    """Opacity that keeps the trusts matching the search bright and fades the others.

    Parameters
    ----------
    bright : float, default 1.0
        Opacity of the trusts found (and of all when the box is empty).
    faded : float, default 0.12
        Opacity of the others.

    Returns
    -------
    altair.Condition
        A conditional opacity on the ``find`` parameter (:func:`find_box`).
    """
    return alt.condition(f"find == '' || {FIND_MATCH}", alt.value(bright), alt.value(faded))


def caterpillar_chart(u: pd.DataFrame, title: str | None = None) -> alt.Chart:
    """Rank confidence sets of every trust (:func:`nhsrank.rank_uncertainty`), in league order, by segment.

    Bar: the 95% confidence set for the trust's rank by average score
    (``rank_lower`` to ``rank_upper``; ranks are whole numbers, so a bar
    covers each rank from r - 0.5 to r + 0.5 and a set of one rank is a
    short bar, not nothing); tick: the observed rank by average score
    (``score_rank``); dot: the published league position, which also
    carries the deficit cap and segment 5 (so a capped trust's dot can sit
    right of its bar). The hover text adds the likely range of position
    (percentiles of the bootstrap, NHS England's kind of range). For all
    trusts at once use :func:`rank_set_chart`.

    Parameters
    ----------
    u : pandas.DataFrame
        The per-trust table of :func:`nhsrank.rank_uncertainty` (``RankUncertainty.table``).
    title : str or None, default None
        The chart's title; None: one saying what the chart shows.

    Returns
    -------
    altair.LayerChart
        Bars, ticks and dots, with the trust search of :func:`find_box`.
    """
    df = _sorted_trusts(u)
    df["segment"] = df["segment"].astype(int)
    df["cell_from"] = df["rank_lower"].astype(float) - 0.5
    df["cell_to"] = df["rank_upper"].astype(float) + 0.5
    likely = "likely_position_lower" in df
    df["hover"] = [
        f"{r.trust_name} ({r.trust_code}): position {r.league_position}, rank by score {r.score_rank}, "
        f"95% confidence set for the rank {_fmt(r.rank_lower, '.0f')}-{_fmt(r.rank_upper, '.0f')}"
        + (f", likely range of position {_fmt(r.likely_position_lower, '.0f')}-"
           f"{_fmt(r.likely_position_upper, '.0f')}" if likely else "")
        + f", segment {r.segment}, score {r.average_metric_score:.2f} ({r.score_lower:.2f}-{r.score_upper:.2f}), "
        f"P(segment {r.segment}) {getattr(r, f'p_segment_{r.segment}', float('nan')):.2f}"
        for r in df.itertuples()]
    n = len(df)
    tooltip = [alt.Tooltip("trust_name:N", title="trust"), alt.Tooltip("trust_code:N", title="code"),
               alt.Tooltip("league_position:Q", title="position"),
               alt.Tooltip("score_rank:Q", title="rank by average score"),
               alt.Tooltip("rank_lower:Q", title="95% confidence set for the rank: from"),
               alt.Tooltip("rank_upper:Q", title="to")]
    if likely:
        tooltip += [alt.Tooltip("likely_position_lower:Q", title="likely range of position: from"),
                    alt.Tooltip("likely_position_upper:Q", title="to")]
    tooltip += [alt.Tooltip("average_metric_score:Q", title="average metric score", format=".2f"),
                alt.Tooltip("score_lower:Q", title="score interval from", format=".2f"),
                alt.Tooltip("score_upper:Q", title="score interval to", format=".2f"),
                alt.Tooltip("segment:O")]
    base = alt.Chart(df).encode(y=trust_axis(df["label"]))
    bar = base.mark_bar(height=max(row_step(n) - 2, 4), opacity=0.85).encode(
        x=_position_axis(n, "rank: 95% confidence set (bar), by score (tick); league position (dot)"),
        x2="cell_to:Q",
        color=segment_colour(), tooltip=tooltip, description="hover:N")
    median = base.mark_tick(color="black", thickness=1, size=max(row_step(n) - 2, 4), aria=False).encode(
        x="score_rank:Q")
    dot = base.mark_point(filled=True, color="black", size=12 if n > SMALL_TABLE else 30, opacity=1).encode(
        x="league_position:Q", tooltip=tooltip, description="hover:N")
    # trust search: the interactive page (save_html) has a "Find a trust" box; a match stays bright and is
    # named beside its bar, the others fade. The static SVG has no box: find is "", every bar is bright.
    find = find_box()
    bar = bar.encode(opacity=found_opacity(0.85))
    named = base.mark_text(align="left", dx=6, fontSize=11, fontWeight="bold").encode(
        x="cell_to:Q", text="trust_name:N").transform_filter(f"find != '' && {FIND_MATCH}")
    ttype = getattr(u, "trust_type", "")
    return alt.layer(bar, median, dot, named).add_params(find).properties(
        title=title or f"{ttype}: 95% confidence set for each trust's rank (bar) and league position (dot)",
        width=CHART_WIDTH, height=alt.Step(row_step(n)))


def rank_set_chart(u: pd.DataFrame, title: str | None = None) -> alt.Chart:
    """Simultaneous 95% rank sets (Mogstad, Romano, Shaikh and Wilhelm), trusts in order of average score.

    The sets hold for all trusts at once, for the rank by **average metric
    score** (before the financial and PIP overrides), so the trusts are
    sorted by that rank (``u.rank_sets["score_rank"]``) and the dot
    is the observed score rank; colour is the published segment.

    Parameters
    ----------
    u : nhsrank.RankUncertainty or pandas.DataFrame
        The result of :func:`nhsrank.rank_uncertainty`, or its ``table`` (``score_rank`` is taken from the table,
        else from the result's ``rank_sets``, else ranked from ``average_metric_score``).
    title : str or None, default None
        The chart's title; None: one saying what the chart shows.

    Returns
    -------
    altair.LayerChart
        Bars (the sets) and dots (the observed score rank).
    """
    df = _plain(u)
    sets = getattr(u, "rank_sets", None)
    if "score_rank" in df:
        pass   # rank_uncertainty's table carries it
    elif sets is not None and "score_rank" in sets:
        df = df.merge(_plain(sets)[["trust_code", "score_rank"]], on="trust_code", how="left")
    else:
        df["score_rank"] = df["average_metric_score"].rank(method="min").astype(int)
    df = df.sort_values(["score_rank", "trust_code"], kind="stable").reset_index(drop=True)
    df["segment"] = df["segment"].astype(int)
    name = df["trust_name"].astype(str)
    name = name.where(~name.duplicated(keep=False), name + " (" + df["trust_code"].astype(str) + ")")
    df["label"] = df["score_rank"].astype(int).astype(str) + ". " + name
    df["cell_from"] = df["simultaneous_rank_lower"].astype(float) - 0.5
    df["cell_to"] = df["simultaneous_rank_upper"].astype(float) + 0.5
    df["hover"] = [
        f"{r.trust_name} ({r.trust_code}): rank {r.score_rank} by average score {r.average_metric_score:.2f}, "
        f"simultaneous 95% rank set {r.simultaneous_rank_lower}-{r.simultaneous_rank_upper}; "
        f"league position {r.league_position}, segment {r.segment}"
        for r in df.itertuples()
    ]
    n = len(df)
    tooltip = [alt.Tooltip("trust_name:N", title="trust"), alt.Tooltip("trust_code:N", title="code"),
               alt.Tooltip("score_rank:Q", title="rank by average score"),
               alt.Tooltip("simultaneous_rank_lower:Q", title="rank set from"),
               alt.Tooltip("simultaneous_rank_upper:Q", title="rank set to"),
               alt.Tooltip("average_metric_score:Q", title="average metric score", format=".2f"),
               alt.Tooltip("league_position:Q", title="league position"), alt.Tooltip("segment:O")]
    base = alt.Chart(df).encode(y=trust_axis(df["label"]))
    bar = base.mark_bar(height=max(row_step(n) - 2, 4), opacity=0.85).encode(
        x=_position_axis(n, "rank by average metric score: simultaneous 95% set (bar), observed (dot)"),
        x2="cell_to:Q", color=segment_colour(title="published segment"), tooltip=tooltip, description="hover:N")
    dot = base.mark_point(filled=True, color="black", size=12 if n > SMALL_TABLE else 30, opacity=1).encode(
        x="score_rank:Q", tooltip=tooltip, description="hover:N")
    ttype = getattr(u, "trust_type", "")
    return alt.layer(bar, dot).properties(
        title=title or f"{ttype}: simultaneous 95% rank sets of the average metric score (all trusts at once)",
        width=CHART_WIDTH, height=alt.Step(row_step(n)))


def segment_probability_chart(u: pd.DataFrame, title: str | None = None) -> alt.Chart:
    """Stacked bars: each trust's probability of ending in each segment (league order).

    Parameters
    ----------
    u : pandas.DataFrame
        The per-trust table of :func:`nhsrank.rank_uncertainty` (``RankUncertainty.table``).
    title : str or None, default None
        The chart's title; None: one saying what the chart shows.

    Returns
    -------
    altair.Chart
        The stacked bars.
    """
    df = _sorted_trusts(u)
    segs = [k for k in SEGMENT_COLOURS if f"p_segment_{k}" in df]
    long = df.melt(id_vars=["label", "trust_code", "trust_name", "league_position"],
                   value_vars=[f"p_segment_{k}" for k in segs], var_name="segment", value_name="probability")
    long["segment"] = long["segment"].str.removeprefix("p_segment_").astype(int)
    long = long[long["probability"] > 0]
    long["hover"] = [f"{r.trust_name} ({r.trust_code}), position {r.league_position}: P(segment {r.segment}) "
                     f"= {r.probability:.2f}" for r in long.itertuples()]
    n = len(df)
    return alt.Chart(long).mark_bar().encode(
        y=trust_axis(df["label"]),
        x=alt.X("probability:Q", stack="zero", title="probability of each final segment",
                scale=alt.Scale(domain=[0, 1])),
        color=segment_colour(),
        order=alt.Order("segment:O", sort="ascending"),
        tooltip=[alt.Tooltip("trust_name:N", title="trust"), alt.Tooltip("trust_code:N", title="code"),
                 alt.Tooltip("league_position:Q", title="position"), alt.Tooltip("segment:O"),
                 alt.Tooltip("probability:Q", format=".2f")],
        description="hover:N",
    ).properties(title=title or "Segment-membership probabilities (bootstrap)", width=CHART_WIDTH,
                 height=alt.Step(row_step(n)))


def adjacent_pairs_chart(pairs: pd.DataFrame, names: pd.DataFrame | None = None,
                         title: str | None = None) -> alt.Chart:
    """Difference in average score between each pair of neighbouring positions, with its 95% interval.

    ``pairs`` is ``rank_uncertainty(...).adjacent_pairs``; ``names``
    (optional, with trust_code and trust_name, e.g. the rank_uncertainty
    table) puts trust names in the tooltip. An interval that includes 0 means
    the two neighbours are not distinguishable; colour says whether the
    difference is significant after the Holm correction.

    Parameters
    ----------
    pairs : pandas.DataFrame
        ``rank_uncertainty(...).adjacent_pairs``.
    names : pandas.DataFrame or None, default None
        A table with ``trust_code`` and ``trust_name`` (e.g. the rank_uncertainty table) for the tooltip.
    title : str or None, default None
        The chart's title; None: one saying what the chart shows.

    Returns
    -------
    altair.LayerChart
        The zero line, the intervals and the differences.
    """
    df = _plain(pairs).sort_values("pair").reset_index(drop=True)
    nm = {} if names is None else dict(zip(names["trust_code"], names["trust_name"]))
    df["name_above"] = df["trust_above"].map(lambda c: nm.get(c, c))
    df["name_below"] = df["trust_below"].map(lambda c: nm.get(c, c))
    df["label"] = [f"{r.position_above} v {r.position_below}: {r.trust_above} / {r.trust_below}"
                   for r in df.itertuples()]
    df["significant"] = np.where(df["differs"].astype(bool), "yes", "no")
    df["hover"] = [f"{r.name_above} (position {r.position_above}) v {r.name_below} (position {r.position_below}): "
                   f"score difference {r.score_difference:.3f} (95% {r.diff_lower:.3f} to {r.diff_upper:.3f}), "
                   f"Holm p = {r.p_holm:.3f}, P(order kept) = {r.prob_order_kept:.2f}" for r in df.itertuples()]
    n = len(df)
    tooltip = [alt.Tooltip("name_above:N", title="above"), alt.Tooltip("position_above:Q", title="position above"),
               alt.Tooltip("name_below:N", title="below"), alt.Tooltip("position_below:Q", title="position below"),
               alt.Tooltip("score_difference:Q", title="score difference", format=".3f"),
               alt.Tooltip("diff_lower:Q", title="interval from", format=".3f"),
               alt.Tooltip("diff_upper:Q", title="interval to", format=".3f"),
               alt.Tooltip("p_holm:Q", title="Holm p", format=".3f"),
               alt.Tooltip("prob_order_kept:Q", title="P(order kept)", format=".2f")]
    base = alt.Chart(df).encode(y=trust_axis(df["label"], title="neighbouring positions"))
    colour = alt.Color("significant:N", title="differ significantly (Holm)",
                       scale=alt.Scale(domain=list(SIGNAL_COLOURS), range=list(SIGNAL_COLOURS.values())),
                       legend=alt.Legend(orient="top"))
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="black", strokeDash=[3, 3], aria=False).encode(x="x:Q")
    rule = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("diff_lower:Q", title="score below minus score above (95% interval)"), x2="diff_upper:Q",
        color=colour, tooltip=tooltip, description="hover:N")
    dot = base.mark_point(filled=True, size=16, opacity=1).encode(x="score_difference:Q", color=colour,
                                                                   tooltip=tooltip, description="hover:N")
    return alt.layer(zero, rule, dot).properties(
        title=title or "Neighbouring positions: difference in average metric score", width=CHART_WIDTH,
        height=alt.Step(row_step(n)))


def source_comparison_chart(long: pd.DataFrame, title: str | None = None) -> alt.Chart:
    """Width of each trust's 95% rank interval under each bootstrap source, against its league position.

    ``long`` is the first table of :func:`nhsrank.report.summaries.source_comparison`.

    Parameters
    ----------
    long : pandas.DataFrame
        The first table of :func:`nhsrank.report.summaries.source_comparison`.
    title : str or None, default None
        The chart's title; None: one saying what the chart shows.

    Returns
    -------
    altair.Chart
        One point per source and trust.
    """
    df = _plain(long)
    df["interval_width"] = df["rank_upper"] - df["rank_lower"]
    order = list(dict.fromkeys(df["source"]))
    df["hover"] = [f"{r.trust_name} ({r.trust_code}), position {r.league_position}, source {r.source}: "
                   f"95% rank interval {r.rank_lower:.0f}-{r.rank_upper:.0f}" for r in df.itertuples()]
    return alt.Chart(df).mark_point(filled=True, size=30, opacity=0.8).encode(
        x=alt.X("league_position:Q", title="published league position", scale=alt.Scale(nice=False)),
        y=alt.Y("interval_width:Q", title="width of the 95% rank interval (positions)"),
        color=alt.Color("source:N", sort=order, title="bootstrap source",
                        scale=alt.Scale(domain=order, range=CATEGORY_COLOURS[:len(order)]),
                        legend=alt.Legend(orient="top")),
        shape=alt.Shape("source:N", sort=order, legend=None),
        tooltip=[alt.Tooltip("trust_name:N", title="trust"), alt.Tooltip("trust_code:N", title="code"),
                 alt.Tooltip("source:N"), alt.Tooltip("league_position:Q", title="position"),
                 alt.Tooltip("rank_lower:Q", title="rank interval from"),
                 alt.Tooltip("rank_upper:Q", title="rank interval to")],
        description="hover:N",
    ).properties(title=title or "How wide the rank intervals are under each source of uncertainty",
                 width=CHART_WIDTH + 80, height=300)


# ---------------------------------------------------------------------------------------------- one trust, movement


def metric_profile_chart(profile: pd.DataFrame, title: str | None = None) -> alt.Chart:
    """One trust's metric scores (large dots) against every peer's (grey ticks), one row per metric.

    ``profile`` is the first table of :func:`nhsrank.report.summaries.metric_profile`.

    Parameters
    ----------
    profile : pandas.DataFrame
        The first table of :func:`nhsrank.report.summaries.metric_profile`.
    title : str or None, default None
        The chart's title; None: one saying what the chart shows.

    Returns
    -------
    altair.LayerChart
        Peers' ticks, the peer median and the trust's dots.
    """
    df = _plain(profile)
    order = list(dict.fromkeys(df.sort_values(["domain_order", "metric_order"])["metric"]))
    peers = df[~df["is_trust"]].copy()
    trust = df[df["is_trust"]].copy()
    for part in (peers, trust):
        part["hover"] = [f"{r.trust_name} ({r.trust_code}): {r.metric} score {_fmt(r.score)} "
                         f"(peer median {_fmt(r.peer_median)})" for r in part.itertuples()]
    tooltip = [alt.Tooltip("trust_name:N", title="trust"), alt.Tooltip("trust_code:N", title="code"),
               alt.Tooltip("metric:N"), alt.Tooltip("score:Q", format=".2f"),
               alt.Tooltip("peer_median:Q", title="peer median", format=".2f")]
    y = alt.Y("metric:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    x = alt.X("score:Q", title="metric score (1 best, 4 worst)", scale=alt.Scale(domain=[1, 4]))
    ticks = alt.Chart(peers).mark_tick(color="#9A9A9A", opacity=0.5, thickness=1, aria=False).encode(
        y=y, x=x, tooltip=tooltip)
    median = alt.Chart(trust).mark_tick(color="black", thickness=2, size=14).encode(
        y=y, x="peer_median:Q", tooltip=tooltip, description="hover:N")
    dot = alt.Chart(trust).mark_point(filled=True, size=110, opacity=1).encode(
        y=y, x=x, color=segment_colour(), tooltip=tooltip + [alt.Tooltip("segment:O")], description="hover:N")
    name = trust["trust_name"].iloc[0] if len(trust) else ""
    return alt.layer(ticks, median, dot).properties(
        title=title or f"{name}: metric scores (dot) against peers (grey) and the peer median (black tick)",
        width=CHART_WIDTH, height=alt.Step(18))


def trust_history_chart(history, title: str | None = None) -> alt.Chart:
    """One trust's league position and 95% rank interval in every quarter (:func:`~.summaries.trust_history`).

    Parameters
    ----------
    history : nhsrank.report.summaries.TrustHistory or pandas.DataFrame
        :func:`nhsrank.report.summaries.trust_history`'s result, or its ``table``.
    title : str or None, default None
        The chart's title; None: one saying what the chart shows.

    Returns
    -------
    altair.LayerChart
        Intervals, the position line and dots, one point per quarter.
    """
    history = _plain(history)
    df = history.dropna(subset=["league_position"])
    df["segment"] = df["segment"].astype(int)
    df["hover"] = [f"{r.trust_name} {r.quarter}: position {int(r.league_position)} of {r.n_ranked}, "
                   f"95% interval {_fmt(r.rank_lower, '.0f')}-{_fmt(r.rank_upper, '.0f')}, segment {r.segment}, "
                   f"score {r.average_metric_score:.2f}" for r in df.itertuples()]
    n_max = int(history["n_ranked"].max()) if len(history) else 1
    y = alt.Y("league_position:Q", title="league position (1 = top)", scale=alt.Scale(reverse=True,
                                                                                     domain=[1, max(n_max, 2)]))
    x = alt.X("quarter:O", sort=sorted(df["quarter"]), title=None)
    tooltip = [alt.Tooltip("trust_name:N", title="trust"), alt.Tooltip("quarter:O"),
               alt.Tooltip("league_position:Q", title="position"), alt.Tooltip("n_ranked:Q", title="of"),
               alt.Tooltip("rank_lower:Q", title="rank interval from"),
               alt.Tooltip("rank_upper:Q", title="rank interval to"),
               alt.Tooltip("average_metric_score:Q", title="average metric score", format=".2f"),
               alt.Tooltip("segment:O")]
    base = alt.Chart(df).encode(x=x)
    rule = base.mark_rule(strokeWidth=6, opacity=0.6).encode(
        y=alt.Y("rank_lower:Q", title="league position (1 = top)",
                scale=alt.Scale(reverse=True, domain=[1, max(n_max, 2)])),
        y2="rank_upper:Q", color=segment_colour(), tooltip=tooltip, description="hover:N")
    line = base.mark_line(color="black", strokeWidth=1, aria=False).encode(y=y)
    dot = base.mark_point(filled=True, size=90, color="black", opacity=1).encode(y=y, tooltip=tooltip,
                                                                                 description="hover:N")
    name = df["trust_name"].iloc[0] if len(df) else ""
    return alt.layer(rule, line, dot).properties(
        title=title or f"{name}: league position by quarter with its 95% rank interval", width=360, height=260)


def movement_chart(qm: pd.DataFrame, title: str | None = None) -> alt.Chart:
    """Change in average metric score of every trust ranked in both quarters, with its 95% interval.

    ``qm`` is :func:`nhsrank.quarter_movement`'s result (or its table). Trusts are sorted by the
    change (most improved on top: a fall in score is an improvement);
    colour says whether the change is beyond the bootstrap noise.

    Parameters
    ----------
    qm : nhsrank.QuarterMovement or pandas.DataFrame
        :func:`nhsrank.quarter_movement`'s result (its quarters name the axes), or its ``table``.
    title : str or None, default None
        The chart's title; None: one saying what the chart shows.

    Returns
    -------
    altair.LayerChart
        The zero line, the intervals and the changes.
    """
    df = _plain(qm)
    df = df[df["status"] == "ranked in both"].copy()
    df = df.sort_values(["score_change", "trust_code"], kind="stable").reset_index(drop=True)
    for c in ("position_from", "position_to", "position_change"):
        df[c] = df[c].astype(int)
    name = df["trust_name"].astype(str)
    df["label"] = name + " (" + df["position_from"].astype(str) + " to " + df["position_to"].astype(str) + ")"
    df["beyond_noise"] = np.where(
        df["score_change_exceeds_noise"].astype("boolean").fillna(False).astype(bool), "yes", "no"
    )
    df["hover"] = [f"{r.trust_name} ({r.trust_code}): position {r.position_from} to {r.position_to}, score "
                   f"{r.score_from:.2f} to {r.score_to:.2f}, change {r.score_change:+.2f} (95% "
                   f"{r.score_change_lo:+.2f} to {r.score_change_hi:+.2f}), beyond noise: {r.beyond_noise}"
                   for r in df.itertuples()]
    n = len(df)
    tooltip = [alt.Tooltip("trust_name:N", title="trust"), alt.Tooltip("trust_code:N", title="code"),
               alt.Tooltip("position_from:Q", title="position before"),
               alt.Tooltip("position_to:Q", title="position after"),
               alt.Tooltip("score_change:Q", title="score change", format="+.3f"),
               alt.Tooltip("score_change_lo:Q", title="interval from", format="+.3f"),
               alt.Tooltip("score_change_hi:Q", title="interval to", format="+.3f"),
               alt.Tooltip("beyond_noise:N", title="beyond the noise")]
    colour = alt.Color("beyond_noise:N", title="change beyond the noise (95%)",
                       scale=alt.Scale(domain=list(SIGNAL_COLOURS), range=list(SIGNAL_COLOURS.values())),
                       legend=alt.Legend(orient="top"))
    base = alt.Chart(df).encode(y=trust_axis(df["label"]))
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="black", strokeDash=[3, 3], aria=False).encode(x="x:Q")
    rule = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("score_change_lo:Q", title="change in average metric score (negative = better)"),
        x2="score_change_hi:Q", color=colour, tooltip=tooltip, description="hover:N")
    dot = base.mark_point(filled=True, size=16, opacity=1).encode(x="score_change:Q", color=colour,
                                                                   tooltip=tooltip, description="hover:N")
    q0, q1 = getattr(qm, "quarter_from", "before"), getattr(qm, "quarter_to", "after")
    return alt.layer(zero, rule, dot).properties(
        title=title or f"Change in average metric score, {q0} to {q1} (positions in brackets)",
        width=CHART_WIDTH, height=alt.Step(row_step(n)))


def movement_positions_chart(qm: pd.DataFrame, title: str | None = None) -> alt.Chart:
    """Dumbbell chart of league positions in two quarters: each trust ranked in both, its earlier position
    (open circle) joined to its later one (dot), rows in the later order; colour says whether the change
    in position is beyond the bootstrap noise (95%). ``qm`` is :func:`nhsrank.quarter_movement`'s result (or its
    table).

    Parameters
    ----------
    qm : nhsrank.QuarterMovement or pandas.DataFrame
        :func:`nhsrank.quarter_movement`'s result (its quarters name the axes), or its ``table``.
    title : str or None, default None
        The chart's title; None: one saying what the chart shows.

    Returns
    -------
    altair.LayerChart
        Rules, both positions and trust labels, with the trust search.

    Examples
    --------
    >>> qm = pd.DataFrame({"trust_code": ["A", "B"], "trust_name": ["Ay", "Bee"], "status": ["ranked in both"] * 2,
    ...     "position_from": [1.0, 2.0], "position_to": [2.0, 1.0], "position_change": [1.0, -1.0],
    ...     "position_change_exceeds_noise": [False, True]})
    >>> spec = movement_positions_chart(qm).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]], spec["layer"][0]["encoding"]["y"]["sort"]
    (['rule', 'point', 'point', 'text'], ['1. Bee', '2. Ay'])
    """
    df = _plain(qm)
    df = df[df["status"] == "ranked in both"].copy()
    for c in ("position_from", "position_to"):
        df[c] = df[c].astype(int)
    df = df.sort_values(["position_to", "trust_code"], kind="stable").reset_index(drop=True)
    df["label"] = df["position_to"].astype(str) + ". " + df["trust_name"].astype(str)
    df["beyond_noise"] = np.where(
        df["position_change_exceeds_noise"].astype("boolean").fillna(False).astype(bool), "yes", "no"
    )
    q0, q1 = getattr(qm, "quarter_from", "before"), getattr(qm, "quarter_to", "after")
    df["hover"] = [f"{r.trust_name} ({r.trust_code}): position {r.position_from} in {q0}, {r.position_to} in {q1}; "
                   f"beyond the noise: {r.beyond_noise}" for r in df.itertuples()]
    n = len(df)
    colour = alt.Color("beyond_noise:N", title="change in position beyond the noise (95%)",
                       scale=alt.Scale(domain=list(SIGNAL_COLOURS), range=list(SIGNAL_COLOURS.values())),
                       legend=alt.Legend(orient="top", titleLimit=400))
    tooltip = [
        alt.Tooltip("trust_name:N", title="trust"),
        alt.Tooltip("trust_code:N", title="code"),
        alt.Tooltip("position_from:Q", title=f"position {q0}"),
        alt.Tooltip("position_to:Q", title=f"position {q1}"),
        alt.Tooltip("beyond_noise:N", title="beyond noise"),
    ]
    base = alt.Chart(df).encode(y=trust_axis(df["label"]))
    x = alt.X("position_from:Q", title=f"league position: {q0} (open circle) to {q1} (dot)",
              scale=alt.Scale(domain=[0.5, max(n, 1) + 0.5], nice=False, zero=False), axis=alt.Axis(format="d"))
    rule = base.mark_rule(strokeWidth=1.5).encode(x=x, x2="position_to:Q", color=colour, tooltip=tooltip,
                                                  description="hover:N")
    before = base.mark_point(filled=False, size=20 if n > SMALL_TABLE else 40).encode(
        x="position_from:Q", color=colour, tooltip=tooltip, description="hover:N", opacity=found_opacity())
    after = base.mark_point(filled=True, size=20 if n > SMALL_TABLE else 40).encode(
        x="position_to:Q", color=colour, tooltip=tooltip, description="hover:N", opacity=found_opacity())
    rule = rule.encode(opacity=found_opacity())
    named = base.mark_text(align="left", dx=8, fontSize=11, fontWeight="bold").encode(
        x=alt.X("right:Q"), text="trust_name:N").transform_calculate(
        right="max(datum.position_from, datum.position_to)").transform_filter(f"find != '' && {FIND_MATCH}")
    return alt.layer(rule, before, after, named).add_params(find_box()).properties(
        title=title or f"League positions, {q0} to {q1}", width=CHART_WIDTH, height=alt.Step(row_step(n)))


# ---------------------------------------------------------------------------------------------- static output


_HOVER_ELEMENT = re.compile(r'<(path|rect|line|circle|text)\b([^>]*?)\baria-label="([^"]*)"([^>]*?)(/?)>')


def add_svg_titles(svg: str) -> str:
    """Give every SVG mark with an ``aria-label`` a ``<title>`` child, so that browsers show it on hover.

    Parameters
    ----------
    svg : str
        An SVG document.

    Returns
    -------
    str
        The SVG with the titles added.

    Examples
    --------
    >>> add_svg_titles('<svg><path aria-label="A &amp; B" d="M0"/></svg>')
    '<svg><path aria-label="A &amp; B" d="M0"><title>A &amp; B</title></path></svg>'
    """
    def repl(m: re.Match) -> str:
        tag, before, label, after, selfclosing = m.groups()
        opening = f'<{tag}{before}aria-label="{label}"{after}>'
        if selfclosing:
            return f"{opening}<title>{label}</title></{tag}>"
        return f"{opening}<title>{label}</title>"

    return _HOVER_ELEMENT.sub(repl, svg)


def _spec_json(chart) -> str:
    """The chart's Vega-Lite JSON, data inlined whatever its size (a GP-practice table has 6,500 rows,
    above Altair's default limit of 5,000; the charts are rendered here, not sent to a browser), with every
    axis label, title and legend at least :data:`MIN_LABEL_PX` px (:func:`readable_config`)."""
    import json

    if not hasattr(chart, "to_json"):
        return chart
    with alt.data_transformers.disable_max_rows():
        spec = json.loads(chart.to_json())
    return json.dumps(readable_config(spec))


def readable_config(spec: dict) -> dict:
    """``spec`` with the readable defaults of every chart: axis and legend labels of :data:`MIN_LABEL_PX` px,
    titles a px larger (a size a chart sets itself is raised to the minimum, never lowered).

    Parameters
    ----------
    spec : dict
        A Vega-Lite specification (``chart.to_dict()``); changed in place.

    Returns
    -------
    dict
        ``spec``, its ``config`` raised to the readable sizes.

    Examples
    --------
    >>> readable_config({"config": {"axis": {"labelFontSize": 8}}})["config"]["axis"]["labelFontSize"]
    11
    """
    config = spec.setdefault("config", {})
    for part, keys in (("axis", ("labelFontSize", "titleFontSize")), ("legend", ("labelFontSize", "titleFontSize")),
                       ("header", ("labelFontSize", "titleFontSize"))):
        block = config.setdefault(part, {})
        for k in keys:
            least = MIN_LABEL_PX + (1 if k.startswith("title") else 0)
            block[k] = max(block.get(k, least), least)
    return spec


def to_svg(chart) -> str:
    """The chart as a standalone SVG string (vl-convert, no JavaScript), with hover titles.

    Parameters
    ----------
    chart : altair.Chart
        Any Altair top-level chart (single, layered or concatenated).

    Returns
    -------
    str
        The SVG.

    Examples
    --------
    >>> svg = to_svg(alt.Chart(pd.DataFrame({"x": [1], "hover": ["one"]})).mark_point().encode(
    ...     x="x:Q", description="hover:N"))
    >>> svg.startswith("<svg") and "<title>one</title>" in svg
    True
    """
    return _svg_of_spec(_spec_json(chart), ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]))


@functools.lru_cache(maxsize=16)
def _svg_of_spec(spec: str, vl_version: str) -> str:
    """The SVG of a Vega-Lite spec, drawn once: a page shows a chart (:func:`show`) and then saves it
    (:func:`save_svg`), and drawing it is most of the cost of both (a pure function of its arguments)."""
    import vl_convert as vlc

    return add_svg_titles(vlc.vegalite_to_svg(spec, vl_version=vl_version))


def to_html(chart) -> str:
    """The chart as an interactive HTML page that opens offline: vl-convert's page with the Vega,
    Vega-Lite and vega-embed libraries inlined (about 900 kB; nothing is loaded from the network).
    Tooltips, and the trust search of :func:`caterpillar_chart`, work in any browser.

    Parameters
    ----------
    chart : altair.Chart
        Any Altair top-level chart (single, layered or concatenated).

    Returns
    -------
    str
        The HTML page.

    Examples
    --------
    >>> from nhsrank.report.offline import remote_references
    >>> page = to_html(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q"))
    >>> page.lstrip().lower().startswith("<!doctype html>"), remote_references(page)
    (True, [])
    """
    import vl_convert as vlc

    spec = _spec_json(chart)
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return vlc.vegalite_to_html(spec, vl_version=major_minor, bundle=True)


def save_html(chart, path) -> Path:
    """Write the chart as an interactive offline HTML page (see :func:`to_html`); returns the path.

    Parameters
    ----------
    chart : altair.Chart
        Any Altair top-level chart (single, layered or concatenated).
    path : str or path-like
        The file written.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    return write_text(path, to_html(chart))


def to_png(chart, scale: float = PNG_SCALE) -> bytes:
    """The chart (or its SVG from :func:`to_svg`, which saves drawing it again) as PNG bytes at slide size
    (vl-convert, offline; ``scale`` times the SVG's pixels).

    Parameters
    ----------
    chart : altair.Chart or str
        An Altair top-level chart, or its SVG (:func:`to_svg`).
    scale : float, default 2
        Pixels of the PNG per SVG pixel (:data:`PNG_SCALE`).

    Returns
    -------
    bytes
        The PNG.

    Examples
    --------
    >>> c = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    >>> to_png(c)[:4], to_png(to_svg(c))[:4]
    (b'\x89PNG', b'\x89PNG')
    """
    import vl_convert as vlc

    if isinstance(chart, str) and chart.lstrip().startswith("<svg"):
        return vlc.svg_to_png(chart, scale=scale)
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return vlc.vegalite_to_png(_spec_json(chart), vl_version=major_minor, scale=scale)


def save_png(chart, path) -> Path:
    """Write the chart (or its SVG) as a PNG at slide size (see :func:`to_png`); returns the path.

    Parameters
    ----------
    chart : altair.Chart or str
        An Altair top-level chart, or its SVG.
    path : str or path-like
        The file written.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    from ..outputs import write_atomic

    data = to_png(chart)
    return write_atomic(Path(path), lambda tmp: tmp.write_bytes(data))


def save_svg(chart, path, png: bool = False) -> Path:
    """Write the chart as SVG (see :func:`to_svg`) and, with ``png``, a slide-size PNG beside it drawn from
    that SVG; returns the SVG's path.

    Parameters
    ----------
    chart : altair.Chart
        Any Altair top-level chart (single, layered or concatenated).
    path : str or path-like
        The SVG file written.
    png : bool, default False
        Also write a PNG beside it (same name, ``.png``).

    Returns
    -------
    pathlib.Path
        The SVG's path.
    """
    svg = to_svg(chart)
    out = write_text(path, svg)
    if png:
        save_png(svg, Path(path).with_suffix(".png"))
    return out


def show(chart, interactive: bool = False):
    """A chart for display in a notebook: static SVG by default, the live Altair chart on request.

    The SVG (vl-convert, no JavaScript, nothing from a CDN) renders in
    JupyterLab, in the nbconvert HTML of the report and offline; hovering
    shows each mark's ``<title>``. ``interactive=True`` returns the chart
    itself, which JupyterLab renders with Vega (tooltips, no CDN), but a
    report page built from it would need JavaScript: keep the default there.

    Returns the object to display: the last line of a cell shows it; in a
    loop, wrap it in ``display(...)``.

    Parameters
    ----------
    chart : altair.Chart
        Any Altair top-level chart (single, layered or concatenated).
    interactive : bool, default False
        Return the live chart instead of its SVG.

    Returns
    -------
    IPython.display.SVG or altair.Chart
        The object to display.

    Examples
    --------
    >>> c = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    >>> type(show(c)).__name__, show(c, interactive=True) is c
    ('SVG', True)
    """
    if interactive:
        return chart
    from IPython.display import SVG

    return SVG(to_svg(chart))


__all__ = [
    "trust_profile_chart",
    "find_box",
    "found_opacity",
    "to_png",
    "save_png",
    "readable_config",
    "SEGMENT_COLOURS",
    "SIGNAL_COLOURS",
    "CATEGORY_COLOURS",
    "segment_scale",
    "segment_colour",
    "row_step",
    "league_chart",
    "domain_heatmap",
    "segment_counts_chart",
    "caterpillar_chart",
    "rank_set_chart",
    "segment_probability_chart",
    "adjacent_pairs_chart",
    "source_comparison_chart",
    "metric_profile_chart",
    "trust_history_chart",
    "movement_chart",
    "movement_positions_chart",
    "add_svg_titles",
    "to_svg",
    "save_svg",
    "to_html",
    "save_html",
    "show",
]



def trust_profile_chart(table: pd.DataFrame, trust_code: str, methodology=None, title: str | None = None):
    """One trust's metric scores against its peers' distribution (:func:`metric_profile_chart` of
    :func:`nhsrank.report.summaries.metric_profile`).

    Parameters
    ----------
    table : nhsrank.LeagueTable or pandas.DataFrame
        The :func:`nhsrank.league_table` of the trust's type: its result, or the result's ``table``.
    trust_code : str
        The trust.
    methodology : str, Methodology or None, default None
        The methodology; None: the one the result was built with (nof-2025-26 for a bare table).
    title : str or None, default None
        The chart's title; None: the trust's name and what the marks show.

    Returns
    -------
    altair.LayerChart
        Peers' scores (grey ticks), the peer median (black tick) and the trust's score (a dot coloured by
        segment), one row per metric.

    Examples
    --------
    >>> import nhsrank
    >>> m, a = nhsrank.load_bundled()
    >>> result = nhsrank.league_table(m, "2025-26-Q1", "ambulance", attributes=a)
    >>> c = trust_profile_chart(result, result.table["trust_code"].iloc[0])
    >>> [layer.mark.type for layer in c.layer]
    ['tick', 'tick', 'point']
    """
    from .summaries import metric_profile

    meth = methodology or getattr(table, "methodology", None) or DEFAULT_METHODOLOGY
    long, _ = metric_profile(getattr(table, "table", table), meth, trust_code)
    return metric_profile_chart(long, title=title)
