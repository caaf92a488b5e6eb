"""Text written from the data it describes: the sentences and explanations the pages print.

Examples
--------
>>> from types import SimpleNamespace
>>> pairs = pd.DataFrame({"differs": [True], "prob_order_kept": [0.99]})
>>> u = SimpleNamespace(table=pd.DataFrame({"rank_lower": [1, 2], "rank_upper": [1, 2]}), adjacent_pairs=pairs,
...                     headline="of 1 neighbouring pair, 1 differs significantly")
>>> neighbours_sentence(u).split(":")[0]
'Of 1 neighbouring pair, 1 differs significantly'
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..sensitivity.movement import movement_sentence  # noqa: F401 (the notebooks call it from here)
from ..uncertainty.sources import resampled_text  # noqa: F401 (the notebooks call it from here)


def neighbours_sentence(result) -> str:
    """One sentence with numbers: can neighbouring league positions be told apart.

    Parameters
    ----------
    result : nhsrank.RankUncertainty
        The uncertainty run (:func:`nhsrank.rank_uncertainty`); its ``table`` (``rank_lower``, ``rank_upper``), ``adjacent_pairs`` (``differs_in_order``
        or ``differs``) and ``headline`` are read.

    Returns
    -------
    str
        The headline, a verdict, and the median width of the 95% confidence sets for a rank.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> pairs = pd.DataFrame({"differs": [False, True], "prob_order_kept": [0.6, 0.99]})
    >>> u = SimpleNamespace(table=pd.DataFrame({"rank_lower": [1, 1, 2], "rank_upper": [2, 3, 4]}),
    ...                     adjacent_pairs=pairs, headline="of 2 neighbouring pairs, 1 differs significantly")
    >>> neighbours_sentence(u)
    'Of 2 neighbouring pairs, 1 differs significantly: neighbouring positions are mostly not significantly different. The median 95% confidence set for a rank spans 2 positions.'
    """  # noqa: E501 (doctest output / markup kept on one line)
    u, pairs = result.table, result.adjacent_pairs
    col = "differs_in_order" if "differs_in_order" in pairs else "differs"   # what decides the order
    n_pairs, n_diff = len(pairs), int(pairs[col].sum())
    summary = result.headline
    verdict = ("neighbouring positions are not significantly different" if n_diff == 0 else
               "neighbouring positions are mostly not significantly different" if n_diff <= n_pairs / 2 else
               "most neighbouring positions differ significantly")
    width = float((u["rank_upper"] - u["rank_lower"]).astype(float).median()) if len(u) else 0.0
    head, _, note = summary.partition("; note: ")
    text = f"{head[:1].upper()}{head[1:]}: {verdict}."
    if not np.isnan(width):
        text += f" The median 95% confidence set for a rank spans {width:g} position{'' if width == 1 else 's'}."
    return text + (f" Note: {note}." if note else "")


def intervals_explained(result) -> str:
    """What the bootstrap redrew, and the three kinds of interval of :func:`nhsrank.rank_uncertainty` in one
    explanation, with the one to quote first (every page that shows them together uses this text).

    Parameters
    ----------
    result : nhsrank.RankUncertainty
        The uncertainty run (:func:`nhsrank.rank_uncertainty`); its ``table`` (for the number of trusts) and
        ``sources`` are read.

    Returns
    -------
    str
        Several lines: what was resampled (:func:`nhsrank.uncertainty.sources.resampled_text`), then the three
        intervals.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> u = SimpleNamespace(table=pd.DataFrame({"trust_code": ["A", "B"]}), sources=("scores",))
    >>> print(intervals_explained(u).splitlines()[0])
    Resampled: each trust's own metric scores, resampled with replacement (NHS England's likely-range method).
    """
    n = len(result.table)
    return "\n".join([
        resampled_text(result.sources),
        "Three kinds of interval come from these replicates; they answer different questions, so they differ:",
        f"1. The 95% confidence set for the rank (quote this first): where the trust's true rank by average score "
        f"lies among the {n} trusts, each comparison with another trust tested (Holm-adjusted).",
        f"2. The simultaneous 95% set: the same promise for all {n} trusts at once; use it for claims about several "
        "trusts, such as \"surely in the top quarter\". It is the widest.",
        "3. The likely range of position (NHS England publishes this kind) and the segment probabilities: how far "
        "the trust's own position and segment move from replicate to replicate, the cut points held fixed. They "
        "describe spread and test no comparison, so they are the narrowest; quote them beside NHS England's own.",
        "A trust can therefore be in segment 1 in every replicate (its average always below a fixed cut point) and "
        "yet not surely rank in the top quarter (its average against every other trust's, each uncertain).",
    ])


def trust_intervals_sentence(u: pd.DataFrame, trust_code: str) -> str:
    """One trust's three intervals side by side, in the words of :func:`intervals_explained`.

    Parameters
    ----------
    u : pandas.DataFrame
        The per-trust uncertainty table (``RankUncertainty.table``); read: ``trust_code``, ``trust_name``,
        ``segment``, ``p_segment_<segment>``, ``rank_lower``, ``rank_upper``, ``simultaneous_rank_lower``,
        ``simultaneous_rank_upper``, ``likely_position_lower``, ``likely_position_upper``.
    trust_code : str
        The trust; it must be in ``u``.

    Returns
    -------
    str
        The sentence ("n/a" for an interval not computed).

    Examples
    --------
    >>> u = pd.DataFrame({"trust_code": ["A"], "trust_name": ["Ay"], "segment": [1], "p_segment_1": [1.0],
    ...                   "rank_lower": [1], "rank_upper": [49], "simultaneous_rank_lower": [1],
    ...                   "simultaneous_rank_upper": [56], "likely_position_lower": [1],
    ...                   "likely_position_upper": [11]})
    >>> print(trust_intervals_sentence(u, "A"))  # doctest: +NORMALIZE_WHITESPACE
    Ay: 95% confidence set for its rank 1-49 (quote this first); simultaneous set 1-56; likely range of
    position 1-11 and P(segment 1) 1.00 (its own figures, the cut points fixed). They answer different
    questions and do not contradict each other.
    """
    r = u[u["trust_code"] == trust_code].iloc[0]

    def rng(lo, hi):
        return "n/a" if pd.isna(r[lo]) else f"{int(r[lo])}-{int(r[hi])}"
    seg = int(r["segment"])
    p = r.get(f"p_segment_{seg}", np.nan)
    return (f"{r['trust_name']}: 95% confidence set for its rank {rng('rank_lower', 'rank_upper')} (quote this "
            f"first); simultaneous set {rng('simultaneous_rank_lower', 'simultaneous_rank_upper')}; likely range of "
            f"position {rng('likely_position_lower', 'likely_position_upper')} and P(segment {seg}) "
            f"{f'{float(p):.2f}' if pd.notna(p) else 'n/a'} (its own figures, the cut points "
            "fixed). They answer different questions and do not contradict each other.")


def source_summary_text(summary: pd.DataFrame) -> str:
    """What a page says under :func:`nhsrank.report.summaries.sources_run`: the sources not run, and why.

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`~nhsrank.report.summaries.sources_run`'s table; read: ``source`` and ``note`` (``""`` for a
        source that ran).

    Returns
    -------
    str
        The sources not run, one a line, with why; "Every source was run." when all ran.

    Examples
    --------
    >>> s = pd.DataFrame({"source": ["scores", "sampling"], "note": ["", "not run: no numerators"]})
    >>> print(source_summary_text(s))
    Not run, because the data cannot support it (no finding is drawn from it):
      sampling: no numerators
    """
    ran = summary[summary["note"] == ""]
    skipped = summary[summary["note"] != ""]
    text = "" if len(ran) else "No source could be run on these data."
    if len(skipped):
        text += (
            ("\n" if text else "")
            + "Not run, because the data cannot support it (no finding is drawn from it):\n"
            + "\n".join(f"  {r.source}: {r.note.removeprefix('not run: ')}" for r in skipped.itertuples())
        )
    return text or "Every source was run."


def override_counts(overrides: pd.DataFrame) -> str:
    """Per trust type and override, how many trusts an override moved, as a sentence.

    Parameters
    ----------
    overrides : pandas.DataFrame
        :func:`nhsrank.report.summaries.overrides_explained`'s table; read: ``trust_type``, ``override``,
        ``segment`` and ``segment_before_adjustment``.

    Returns
    -------
    str
        The sentence.

    Examples
    --------
    >>> override_counts(pd.DataFrame(columns=["trust_type", "override", "segment", "segment_before_adjustment"]))
    'No trust changed segment because of an override.'
    >>> o = pd.DataFrame({"trust_type": ["acute", "acute", "non-acute"],
    ...                   "override": ["PIP", "financial deficit", "PIP"],
    ...                   "segment": [5, 3, 5], "segment_before_adjustment": [2, 1, 4]})
    >>> override_counts(o)
    'Trusts whose segment an override changed: acute 1 (PIP), 1 (financial deficit); non-acute 1 (PIP).'
    """
    moved = overrides[overrides["segment"] != overrides["segment_before_adjustment"]]
    if moved.empty:
        return "No trust changed segment because of an override."
    counts = moved.groupby(["trust_type", "override"], sort=False).size()
    parts = [f"{tt} " + ", ".join(f"{int(n)} ({o})" for (_, o), n in counts[counts.index.get_level_values(0) == tt]
                                  .items())
             for tt in dict.fromkeys(counts.index.get_level_values(0))]
    return "Trusts whose segment an override changed: " + "; ".join(parts) + "."


def distance_view(distance, trust_code: str):
    """One trust's distance to the next segment: a sentence, and its row (None for a segment 1 trust).

    Parameters
    ----------
    distance : nhsrank.SegmentDistance or pandas.DataFrame
        :func:`nhsrank.distance_to_next_segment`'s result (or its ``table``); read: ``trust_code``,
        ``trust_name``, ``segment``, ``next_segment``, ``improvement_needed`` and, when present,
        ``target_score`` and ``average_metric_score`` (the result's ``cut_points`` say the target is a cut
        point).
    trust_code : str
        The trust.

    Returns
    -------
    sentence : str
        The distance in words, or why there is none (segment 1, an override, not ranked).
    row : pandas.DataFrame or None
        The trust's row of the table transposed (one column, the table's columns as its index); None when
        there is no distance to show.

    Examples
    --------
    >>> d = pd.DataFrame({"trust_code": ["A"], "trust_name": ["Ay"], "segment": [1], "next_segment": [np.nan],
    ...                   "improvement_needed": [np.nan]})
    >>> distance_view(d, "A")
    ('Ay is in segment 1: there is no segment above it.', None)
    """
    cut_points = getattr(distance, "cut_points", None)
    distance = getattr(distance, "table", distance)
    mine = distance[distance["trust_code"] == trust_code]
    if mine.empty:
        return f"{trust_code} is not ranked: no distance to compute.", None
    r = mine.iloc[0]
    if pd.isna(r.get("improvement_needed")):
        why = ("there is no segment above it" if int(r["segment"]) == 1 else
               "its segment is set by an override, not by its score")
        return f"{r['trust_name']} is in segment {int(r['segment'])}: {why}.", None
    target = (f" (the cut point between segments {int(r['next_segment'])} and {int(r['segment'])} is "
              f"{float(r['target_score']):.2f})" if cut_points else
              f" (to {float(r['target_score']):.2f})" if "target_score" in r and pd.notna(r["target_score"]) else "")
    return (f"{r['trust_name']} needs its average metric score, {float(r['average_metric_score']):.2f}, to improve "
            f"by {float(r['improvement_needed']):.2f} to reach segment {int(r['next_segment'])}{target}, if every "
            "other trust kept its score." if "average_metric_score" in r else
            f"{r['trust_name']} needs its average metric score to improve by {float(r['improvement_needed']):.2f} "
            f"to reach segment {int(r['next_segment'])}, if every other trust kept its score."), mine.T



__all__ = [
    "neighbours_sentence",
    "intervals_explained",
    "trust_intervals_sentence",
    "source_summary_text",
    "override_counts",
    "distance_view",
    "movement_sentence",
    "resampled_text",
]
