"""Saving a notebook's outputs: tables as reproducible CSV, charts as SVG (and interactive HTML).

Every function is a no-op when ``output_dir`` is None (a notebook run in JupyterLab writes nothing).

Examples
--------
>>> save_outputs(None, {"t": pd.DataFrame({"a": [1]})})
[]
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..outputs import write_atomic
from . import charts


def save_table(df: pd.DataFrame, output_dir, name: str) -> Path | None:
    """Write ``df`` to ``output_dir/name.csv`` (None: write nothing and return None).

    The CSV is byte-reproducible: ``\\n`` line ends, floats with 6 significant
    digits, the index only when it carries information (not a RangeIndex).

    Parameters
    ----------
    df : pandas.DataFrame
        The table (its ``attrs`` are not written).
    output_dir : str, path-like or None
        The folder (made if missing); None: write nothing.
    name : str
        The file's name without ``.csv``.

    Returns
    -------
    pathlib.Path or None
        The CSV's path, or None when ``output_dir`` is None.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = save_table(pd.DataFrame({"a": [0.1234567]}), d, "t")
    ...     print(path.name, path.read_text().splitlines())
    t.csv ['a', '0.123457']
    >>> save_table(pd.DataFrame({"a": [1]}), None, "t") is None
    True
    """
    if output_dir is None:
        return None
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.csv"
    frame = df.copy()
    frame.attrs = {}
    return write_atomic(path, lambda tmp: frame.to_csv(tmp, index=not isinstance(frame.index, pd.RangeIndex),
                                                        lineterminator="\n", float_format="%.6g"))


#: charts also written as interactive offline HTML (Vega inlined) beside their SVG
INTERACTIVE_CHARTS = ("rank_intervals", "movement_positions")


def save_chart(chart, output_dir, name: str) -> Path | None:
    """Write ``chart`` as static SVG to ``output_dir/name.svg`` and as a slide-size PNG beside it (vl-convert,
    offline; ``output_dir`` None: no-op), and for the charts in :data:`INTERACTIVE_CHARTS` also as interactive
    ``name.html`` (Vega inlined, opens offline, with a trust search).

    Parameters
    ----------
    chart : altair.Chart or None
        The chart (any Altair top-level chart); None: write nothing.
    output_dir : str, path-like or None
        The folder; None: write nothing.
    name : str
        The files' name without suffix.

    Returns
    -------
    pathlib.Path or None
        The SVG's path, or None when nothing was written.

    Examples
    --------
    >>> import tempfile
    >>> import altair as alt
    >>> c = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = save_chart(c, d, "c")
    ...     print(path.name, sorted(p.name for p in path.parent.iterdir()))
    c.svg ['c.png', 'c.svg']
    >>> save_chart(c, None, "c") is None
    True
    """
    if output_dir is None or chart is None:
        return None
    if name in INTERACTIVE_CHARTS:
        charts.save_html(chart, Path(output_dir) / f"{name}.html")
    return charts.save_svg(chart, Path(output_dir) / f"{name}.svg", png=True)     # and a PNG for a slide


def save_outputs(output_dir, tables: dict | None = None, charts: dict | None = None) -> list[Path]:
    """:func:`save_table` and :func:`save_chart` for ``{name: table}`` and ``{name: chart}`` (None charts skipped).

    Parameters
    ----------
    output_dir : str, path-like or None
        The folder; None: write nothing.
    tables : dict of str to pandas.DataFrame or None, default None
        Tables by file name (:func:`save_table`).
    charts : dict of str to altair.Chart or None, default None
        Charts by file name (:func:`save_chart`); a None chart is skipped.

    Returns
    -------
    list of pathlib.Path
        The paths written, tables first (an empty list when ``output_dir`` is None).

    Examples
    --------
    >>> save_outputs(None, {"t": pd.DataFrame({"a": [1]})})
    []
    """
    if output_dir is None:
        return []
    written = [save_table(df, output_dir, name) for name, df in (tables or {}).items()]
    written += [save_chart(chart, output_dir, name) for name, chart in (charts or {}).items() if chart is not None]
    return written



__all__ = ["INTERACTIVE_CHARTS", "save_table", "save_chart", "save_outputs"]
