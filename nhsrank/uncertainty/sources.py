"""One rule for what an analysis resamples: the sources of uncertainty the data can support.

Every analysis that redraws a league table (rank uncertainty, movement between
quarters, the source comparison, a trust's history) asks here which source to
use and how to say what it redrew:

* ``scores`` (NHS England's likely-range method: each trust's own metric scores
  resampled) needs only the scores, so it runs on every file; it is the default
  for NHS England's published files, which carry no numerators, counts or
  standard errors;
* ``sampling`` (each value redrawn from its sampling model) needs those inputs:
  it is the default where they exist, and *not meaningful* where fewer than half
  of the values its model should redraw have them (the rest would stay fixed,
  and intervals of zero width would look like certainty);
* ``metrics`` and ``weights`` redraw the metric set or the weights: they need at
  least two metrics in the average.

:func:`source_support` says whether a source is meaningful for a peer group and
why not; :func:`choose_sources` gives the default; :func:`resampled_text` the
sentence every page shows.

Examples
--------
>>> import nhsrank
>>> from nhsrank.data.readers import DATA_DIR
>>> m = nhsrank.read_metrics(DATA_DIR / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv")
>>> g = nhsrank.peer_group(m, "2025-26-Q4", "non-acute")
>>> choose_sources(g), source_support(g, "sampling").meaningful
(('scores',), False)
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ..rules.pipeline import PeerGroup

#: what each source redraws, in words (the page text names it)
SOURCE_WORDS = {
    "scores": "each trust's own metric scores, resampled with replacement (NHS England's likely-range method)",
    "sampling": "each metric value, redrawn from its sampling model (a numerator out of its denominator, a "
                "count, or a value with its standard error)",
    "metrics": "the set of metrics, resampled with replacement",
    "weights": "the metric weights, drawn at random around equal weights",
}


@dataclass(frozen=True)
class Support:
    """Whether a source of uncertainty is meaningful for a peer group.

    Parameters
    ----------
    source : str
        The source: ``"scores"``, ``"sampling"``, ``"metrics"`` or ``"weights"``.
    meaningful : bool
        Whether the source can redraw the table.
    n_values : int
        Values the source should redraw.
    n_redrawn : int
        Those it can redraw.
    reason : str, default ""
        Why it is not meaningful ("" when it is).
    """

    source: str
    meaningful: bool
    n_values: int
    n_redrawn: int
    reason: str = ""


def source_support(group: PeerGroup, source: str) -> Support:
    """Whether ``source`` can redraw this peer group's table (see the module documentation).

    Parameters
    ----------
    group : nhsrank.PeerGroup
        The peer group (one quarter and trust type; :func:`nhsrank.peer_group`).
    source : str
        One source: ``"scores"``, ``"sampling"``, ``"metrics"`` or ``"weights"``.

    Returns
    -------
    Support
        Whether it is meaningful, the values it should redraw and can, and why not.

    Raises
    ------
    ValueError
        If the source is unknown.

    Examples
    --------
    >>> import nhsrank
    >>> g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    >>> s = source_support(g, "sampling")
    >>> s.meaningful, s.n_values == s.n_redrawn
    (True, True)
    >>> source_support(g, "metrics").reason
    'the average has 1 metric: there is no set of metrics or weights to redraw'
    """
    inc = group.included
    have = ~np.isnan(group.values) & inc[:, None]
    in_avg = group.average_weights > 0
    if source == "sampling":
        from .models import FIXED, sampling_model

        modelled = (group.metrics["sampling"] != "none").to_numpy() if "sampling" in group.metrics else np.ones(
            have.shape[1], dtype=bool)
        n_values = int((have & modelled).sum())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = sampling_model(group, "ignore")
        moving = model.kind != FIXED
        if group.take_published is not None:         # scores taken from the file do not move
            moving = moving & ~group.take_published
        n_redrawn = int((moving & have).sum())
        if n_values == 0:
            return Support(source, False, 0, 0, "no metric of this table has a sampling model: nothing to redraw")
        if 2 * n_redrawn < n_values:
            return Support(source, False, n_values, n_redrawn,
                           f"the data give a numerator, count or standard error for {n_redrawn} of the {n_values} "
                           "values the sampling model should redraw (NHS England's published files give none): the "
                           "rest would stay fixed, and intervals of zero width would look like certainty")
        return Support(source, True, n_values, n_redrawn)
    if source in ("metrics", "weights"):
        k = int(in_avg.sum())
        if k < 2:
            return Support(source, False, k, 0, f"the average has {k} metric{'s' if k != 1 else ''}: there is no "
                           "set of metrics or weights to redraw")
        return Support(source, True, k, k)
    if source == "scores":
        n = int((have & in_avg).sum())
        per_trust = (have & in_avg).sum(axis=1)[inc]
        if not len(per_trust) or per_trust.max() < 2:
            return Support(source, False, n, 0, "no trust has two metric scores to resample")
        return Support(source, True, n, n)
    raise ValueError(f"sources: unknown source {source!r}; choose one or more of {', '.join(SOURCE_WORDS)}")


def redrawn_trusts(group: PeerGroup, sources) -> np.ndarray:
    """(T,) bool: trusts whose own inputs ``sources`` redraw (``sampling``: at least one value with what its
    model needs; the others: at least two metric scores in the average). A trust that nothing redraws has
    an interval of zero width that says nothing about noise.

    Parameters
    ----------
    group : nhsrank.PeerGroup
        The peer group (one quarter and trust type; :func:`nhsrank.peer_group`).
    sources : str or sequence of str
        The sources: ``"scores"``, ``"sampling"``, ``"metrics"``, ``"weights"``.

    Returns
    -------
    numpy.ndarray
        Bool, one element per trust of the group (``group.trusts``' order).

    Examples
    --------
    >>> import nhsrank
    >>> g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    >>> bool(redrawn_trusts(g, ("sampling",))[g.included].all()), bool(redrawn_trusts(g, ("scores",)).any())
    (True, False)
    """
    sources = (sources,) if isinstance(sources, str) else tuple(sources)
    have = ~np.isnan(group.values) & group.included[:, None]
    out = np.zeros(len(have), dtype=bool)
    if "sampling" in sources:
        from .models import FIXED, sampling_model

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = sampling_model(group, "ignore")
        out |= ((model.kind != FIXED) & have).any(axis=1)
    if any(s in sources for s in ("scores", "metrics", "weights")):
        out |= (have & (group.average_weights > 0)).sum(axis=1) >= 2
    return out


def not_meaningful(group: PeerGroup, sources) -> str:
    """Why ``sources`` cannot redraw this table ("" when every one of them can).

    Parameters
    ----------
    group : nhsrank.PeerGroup
        The peer group (one quarter and trust type; :func:`nhsrank.peer_group`).
    sources : str or sequence of str
        The sources: ``"scores"``, ``"sampling"``, ``"metrics"``, ``"weights"``.

    Returns
    -------
    str
        ``"<source>: <reason>"`` for each source not meaningful, joined by "; "; ``""`` when all are.

    Examples
    --------
    >>> import nhsrank
    >>> g = nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")
    >>> not_meaningful(g, "sampling"), not_meaningful(g, ("sampling", "metrics")).split(":")[0]
    ('', 'metrics')
    """
    sources = (sources,) if isinstance(sources, str) else tuple(sources)
    why = [f"{s}: {r.reason}" for s in sources if not (r := source_support(group, s)).meaningful]
    return "; ".join(why)


def choose_sources(group: PeerGroup, sources=None) -> tuple:
    """``sources`` as a tuple, or the default the data support: ``("sampling",)`` where at least half the values
    it should redraw have their numerators, counts or standard errors, else ``("scores",)``.

    Parameters
    ----------
    group : nhsrank.PeerGroup
        The peer group (one quarter and trust type; :func:`nhsrank.peer_group`).
    sources : str, sequence of str or None, default None
        The sources asked for; None: the default the data support.

    Returns
    -------
    tuple of str
        The sources.

    Examples
    --------
    >>> import nhsrank
    >>> choose_sources(nhsrank.peer_group(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr"))
    ('sampling',)
    """
    if sources is not None:
        return (sources,) if isinstance(sources, str) else tuple(sources)
    return ("sampling",) if source_support(group, "sampling").meaningful else ("scores",)


def common_sources(groups, sources=None) -> tuple:
    """One choice for several peer groups (quarters compared): ``sources`` if given, else ``sampling`` when
    every group supports it, else ``scores``.

    Parameters
    ----------
    groups : sequence of nhsrank.PeerGroup
        The peer groups (at least one).
    sources : str, sequence of str or None, default None
        The sources asked for; None: the default every group supports.

    Returns
    -------
    tuple of str
        The sources, the same for every group.
    """
    if sources is not None:
        return choose_sources(groups[0], sources)
    return ("sampling",) if all(choose_sources(g) == ("sampling",) for g in groups) else ("scores",)


def resampled_text(sources) -> str:
    """The sentence a page shows: what the bootstrap redrew.

    Parameters
    ----------
    sources : str or sequence of str
        The sources resampled (``"scores"``, ``"sampling"``, ``"metrics"``, ``"weights"``); an unknown name is
        shown as given.

    Returns
    -------
    str
        ``"Resampled: "`` and each source in words (:data:`SOURCE_WORDS`), joined by "; and ".

    Examples
    --------
    >>> resampled_text(("scores",))
    "Resampled: each trust's own metric scores, resampled with replacement (NHS England's likely-range method)."
    """
    sources = (sources,) if isinstance(sources, str) else tuple(sources)
    return "Resampled: " + "; and ".join(SOURCE_WORDS.get(s, s) for s in sources) + "."


__all__ = [
    "SOURCE_WORDS",
    "Support",
    "source_support",
    "redrawn_trusts",
    "not_meaningful",
    "choose_sources",
    "common_sources",
    "resampled_text",
]
