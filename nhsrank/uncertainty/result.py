"""The result of :func:`nhsrank.uncertainty.rank_uncertainty`: :class:`RankUncertainty`."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class RankUncertainty:
    """How far each trust's league position and segment could move by chance.

    Returned by :func:`nhsrank.uncertainty.rank_uncertainty` (built by
    :func:`nhsrank.uncertainty.ranksets.summarise`). The per-trust rows are the plain
    DataFrame ``table``; everything else about the run is a field of its own.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per ranked trust in league order (the columns
        :func:`~nhsrank.uncertainty.rank_uncertainty` lists). Nothing in its ``attrs``.
    pairwise : Pairwise
        P(trust a is placed above trust b) and simultaneous tests between any two trusts.
    adjacent_pairs : pandas.DataFrame
        Tests of every pair of neighbouring league positions
        (:func:`~nhsrank.uncertainty.adjacent_pairs`).
    headline : str
        One sentence counting the neighbouring pairs that differ significantly in the table's
        order (Holm-adjusted), with what limits it.
    rank_sets : pandas.DataFrame
        trust_code, score_rank, simultaneous_rank_lower, simultaneous_rank_upper, sorted by
        score rank; <NA> bounds when the sets were not computed.
    rank_sets_skipped : str or None
        Why the rank confidence sets were not computed (too many units); None if they were
        (or there was nothing to rank).
    rank_sets_by : str or None
        What the sets test: "average score" or "metric value" (a table scored on one
        rank-scored metric); None when no sets were computed.
    rankability : dict
        :func:`~nhsrank.uncertainty.rankability_from_replicates`: n_trusts, between_var, observed_var,
        median_within_var, rankability, reliability.
    exclusions : pandas.DataFrame
        The trusts not ranked, with the reason.
    fixed_cells : pandas.DataFrame
        The metric values kept fixed in every replicate (no sampling model), with why.
    n_boot : int
        Number of replicates.
    seed : int
        Seed of the replicates.
    sources : tuple of str
        The sources of uncertainty resampled ("scores", "sampling", "metrics", "weights").
    level : float
        Confidence level of every interval and test.
    score_interval : str
        How score_lower/score_upper were formed ("hull", "basic" or "percentile").
    methodology : str
        The methodology's id.
    trust_type : str
        The table's trust type.
    quarter : str
        The table's quarter.

    Examples
    --------
    >>> import nhsrank
    >>> ae = nhsrank.read_ae_attendances()
    >>> u = nhsrank.rank_uncertainty(ae, "2018-19-Q4", "acute", "ae-4hr", n_boot=300, progress=False)
    >>> u.n_boot, u.sources, len(u.adjacent_pairs) == len(u.table) - 1
    (300, ('sampling',), True)
    >>> u.to_frame().attrs
    {}
    """

    table: pd.DataFrame
    pairwise: Pairwise  # noqa: F821 (ranksets.Pairwise, not imported: ranksets imports this module)
    adjacent_pairs: pd.DataFrame
    headline: str
    rank_sets: pd.DataFrame
    rank_sets_skipped: str | None
    rank_sets_by: str | None
    rankability: dict
    exclusions: pd.DataFrame
    fixed_cells: pd.DataFrame
    n_boot: int
    seed: int
    sources: tuple
    level: float
    score_interval: str
    methodology: str
    trust_type: str
    quarter: str

    def to_frame(self) -> pd.DataFrame:
        """The per-trust table (a copy), as a plain DataFrame."""
        return self.table.copy()

    def summary(self) -> str:
        """A few lines: what was run, the headline and the rankability.

        Examples
        --------
        >>> import nhsrank
        >>> ae = nhsrank.read_ae_attendances()
        >>> u = nhsrank.rank_uncertainty(ae, "2018-19-Q4", "acute", "ae-4hr", n_boot=300, progress=False)
        >>> print(u.summary())  # doctest: +ELLIPSIS
        Rank uncertainty: ... acute trusts, 2018-19-Q4 (ae-4hr); 300 replicates (seed 1) of sampling; level 95%
        of ... neighbouring pairs, ...
        rankability ...
        """
        rank = self.rankability.get("rankability", float("nan"))
        return (f"Rank uncertainty: {len(self.table)} {self.trust_type} trusts, {self.quarter} ({self.methodology}); "
                f"{self.n_boot} replicates (seed {self.seed}) of {' + '.join(self.sources)}; level {self.level:.0%}\n"
                f"{self.headline}\nrankability {rank:.2f}; {len(self.exclusions)} trust(s) not ranked")


__all__ = ["RankUncertainty"]
