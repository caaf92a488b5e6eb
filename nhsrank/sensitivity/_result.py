"""What every sensitivity result of one league table holds: the per-row DataFrame and the table it came from.

:class:`TableResult` is the frozen dataclass the result objects of :mod:`nhsrank.sensitivity` extend
(:class:`~nhsrank.sensitivity.VariantComparison`, :class:`~nhsrank.sensitivity.LeaveOneOut`, ...);
:func:`about` gives its fields from a :class:`~nhsrank.rules.PeerGroup`. The DataFrames stay plain.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class TableResult:
    """The fields every sensitivity result of one table shares (its subclasses document them again).

    Parameters
    ----------
    table : pandas.DataFrame
        The rows of the analysis (plain: nothing in its ``attrs``).
    exclusions : pandas.DataFrame
        The trusts not ranked, with the reason.
    methodology : str
        The methodology's id.
    quarter : str
        The table's quarter.
    trust_type : str
        The table's trust type.
    """

    table: pd.DataFrame
    exclusions: pd.DataFrame
    methodology: str
    quarter: str
    trust_type: str

    def to_frame(self) -> pd.DataFrame:
        """The rows (a copy), as a plain DataFrame."""
        return self.table.copy()


def about(group) -> dict:
    """The :class:`TableResult` fields of a peer group but the table: exclusions (a copy), methodology,
    quarter, trust_type."""
    return {"exclusions": group.exclusions.copy(), "methodology": group.methodology.id, "quarter": group.quarter,
            "trust_type": group.trust_type}
