"""Tables as a reader sees them: readable headers, numbers as NHS England prints them, no Python values.

:func:`table` wraps a DataFrame for display in a notebook (and so on a report page): its HTML is a
plain ``<table class="nhsrank-table">`` with readable headers (``diff_se`` never reaches a page), scores
and probabilities to 2 decimals, counts and positions as whole numbers, ``yes``/``no`` for flags and an
en dash for a missing value (never ``NaN``, ``<NA>``, ``None``, ``True``). Its plain text (what nbval
compares, and what a terminal shows) is the same cells aligned in columns.

Examples
--------
>>> t = table(pd.DataFrame({"league_position": [1.0, 2.0], "average_metric_score": [1.391, 1.48],
...                         "financial_override": [True, False], "p_top_quartile": [0.5, None]}))
>>> print(t)
Position  Average metric score  Capped by deficit  P(top quarter)
       1                  1.39                yes            0.50
       2                  1.48                 no               –
"""
from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd

#: readable headers of the columns the pages show (others: underscores to spaces, first letter capital)
LABELS = {
    "league_position": "Position", "trust_code": "Code", "trust_name": "Trust", "trust_type": "Trust type",
    "average_metric_score": "Average metric score", "segment": "Segment", "segment_before_adjustment":
    "Segment by score", "financial_override": "Capped by deficit", "pip_override": "Set by RSP/PIP",
    "n_metrics_scored": "Metrics scored", "score_rank": "Rank by score", "rank_lower": "95% rank set from",
    "rank_upper": "95% rank set to", "simultaneous_rank_lower": "Simultaneous set from",
    "simultaneous_rank_upper": "Simultaneous set to", "likely_position_lower": "Likely position from",
    "likely_position_upper": "Likely position to", "p_top_quartile": "P(top quarter)",
    "p_bottom_quartile": "P(bottom quarter)", "prob_order_kept": "P(order kept)", "diff_se": "SE of difference",
    "p_holm": "p (Holm)", "p_value": "p", "differs": "Differ", "differs_in_order": "Differ in this order",
    "score_from": "Score before", "score_to": "Score after", "score_change": "Change in score",
    "score_change_lo": "Change from (95%)", "score_change_hi": "Change to (95%)", "position_from": "Position before",
    "position_to": "Position after", "segment_from": "Segment before", "segment_to": "Segment after",
    "n_ranked": "Trusts ranked", "peer_median": "Peer median", "better_than": "Better than (share of peers)",
    "trusts_scored": "Trusts scored", "metric_id": "Metric", "override": "Override", "why": "Why",
    "median_interval_width": "Median interval width", "largest_interval_width": "Largest interval width",
    "pairs_differing": "Pairs differing", "mean_abs_position_change": "Mean move (places)",
    "max_abs_position_change": "Largest move (places)", "segment_changed": "Segment changed",
    "segment_better": "Segment better", "segment_worse": "Segment worse", "n_segment_changed": "Segments changed",
    "left_out": "Left out", "improvement_needed": "Improvement needed", "next_segment": "Next segment",
    "target_score": "Target score", "reason": "Reason", "quarter": "Quarter", "status": "Status",
}
#: columns shown to 2 decimals whatever their values (scores, probabilities, shares; not the counts
#: n_metrics_scored and trusts_scored, and the rank score_rank)
_DECIMAL = re.compile(r"score(?!d|_rank)|median|^p_|^prob|share|better_than|rankability|reliability|spearman|mean|_se$|"
                      r"improvement|target|phi|value_")


def label(name) -> str:
    """A column's readable header.

    Parameters
    ----------
    name : object
        The column name (any type; read as text): :data:`LABELS`' entry, ``p_segment_<k>`` as
        ``P(segment k)``, else the name with spaces for underscores and a capital first letter.

    Returns
    -------
    str
        The header.

    Examples
    --------
    >>> label("p_segment_1"), label("diff_se"), label("mean_abs_position_change"), label("n_boot"), label(3)
    ('P(segment 1)', 'SE of difference', 'Mean move (places)', 'N boot', '3')
    """
    name = str(name)
    if name in LABELS:
        return LABELS[name]
    m = re.fullmatch(r"p_segment_(\d)", name)
    if m:
        return f"P(segment {m.group(1)})"
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _cell(v, decimal: bool) -> str:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, (float, np.floating)) and np.isnan(v)):
        return "–"
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (int, np.integer)):
        return f"{int(v):.2f}" if decimal else str(int(v))
    if isinstance(v, (float, np.floating)):
        if not decimal and float(v).is_integer():
            return str(int(v))
        return f"{float(v):.2f}"
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    return str(v)


def formatted(df: pd.DataFrame, index: bool = False) -> pd.DataFrame:
    """``df`` as text cells with readable headers (:func:`label`): scores and probabilities to 2 decimals,
    whole-number columns as integers, flags as yes/no, missing values as an en dash.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    index : bool, default False
        Show the index as the first column(s).

    Returns
    -------
    pandas.DataFrame
        ``df``'s rows, each column renamed by :func:`label` and holding text (``str``) cells.

    Examples
    --------
    >>> formatted(pd.DataFrame({"n_ranked": [61.0], "rankability": [0.5]})).to_dict("records")
    [{'Trusts ranked': '61', 'Rankability': '0.50'}]
    """
    frame = df.reset_index() if index else df
    out = {}
    for col in frame.columns:
        s = frame[col]
        decimal = bool(_DECIMAL.search(str(col))) and pd.api.types.is_numeric_dtype(s) \
            and not pd.api.types.is_bool_dtype(s)
        if pd.api.types.is_float_dtype(s) and not decimal:
            vals = s.dropna()
            decimal = not bool(np.all(np.equal(np.mod(vals, 1), 0))) if len(vals) else False
        out[label(col)] = [_cell(v, decimal) for v in s.astype(object)]
    return pd.DataFrame(out, index=range(len(frame)))


class Table:
    """A DataFrame shown as a reader should see it (:func:`table`): HTML in a notebook and on a page,
    aligned text in a terminal and where nbval compares.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    index : bool, default False
        Show the index as the first column(s).
    caption : str or None, default None
        A caption above the HTML table.

    Attributes
    ----------
    cells : pandas.DataFrame
        The text cells with readable headers (:func:`formatted`).
    caption : str or None
        The caption.
    """

    def __init__(self, df: pd.DataFrame, index: bool = False, caption: str | None = None):
        self.cells = formatted(df, index=index)
        self.caption = caption

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.cells.columns)
        numeric = [bool(re.fullmatch(r"[-–0-9.,% ]*", "".join(self.cells[c]))) for c in self.cells.columns]
        rows = "".join("<tr>" + "".join(f'<td{" class=num" if n else ""}>{html.escape(v)}</td>'
                                        for v, n in zip(r, numeric)) + "</tr>"
                       for r in self.cells.itertuples(index=False))
        cap = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        return (f'<table class="nhsrank-table">{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
                "<style>.nhsrank-table{border-collapse:collapse;font-size:13px;margin:6px 0}"
                ".nhsrank-table th,.nhsrank-table td{border-bottom:1px solid #d8dde0;padding:3px 8px;text-align:left}"
                ".nhsrank-table th{background:#f0f4f5}.nhsrank-table td.num{text-align:right}</style>")

    def __str__(self) -> str:
        if self.cells.empty:
            return "(no rows)"
        cols = list(self.cells.columns)
        widths = [max([len(c)] + [len(v) for v in self.cells[c]]) for c in cols]
        lines = ["  ".join(c.rjust(w) for c, w in zip(cols, widths))]
        lines += ["  ".join(v.rjust(w) for v, w in zip(r, widths)) for r in self.cells.itertuples(index=False)]
        return "\n".join(line.rstrip() for line in lines)

    __repr__ = __str__


def table(df: pd.DataFrame, index: bool = False, caption: str | None = None) -> Table:
    """``df`` for display (a :class:`Table`); ``index=True`` shows the index as the first column(s).

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    index : bool, default False
        Show the index as the first column(s).
    caption : str or None, default None
        A caption above the HTML table.

    Returns
    -------
    Table
        The table as a reader sees it (HTML in a notebook, aligned text in a terminal).

    Examples
    --------
    >>> print(table(pd.DataFrame({"segment": [1, 2]}, index=pd.Index(["a", "b"], name="trust_type")), index=True))
    Trust type  Segment
             a        1
             b        2
    """
    return Table(df, index=index, caption=caption)


__all__ = ["LABELS", "label", "formatted", "Table", "table"]
