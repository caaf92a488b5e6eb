"""The NOF's reporting calendar: financial-year quarters written '2025-26-Q1'."""
from __future__ import annotations

import re


def normalise_quarter(q) -> str:
    """Turn '2025/26 Q1', 'Q1 2025-26', '2025-26-Q1' into '2025-26-Q1'.

    Examples
    --------
    >>> normalise_quarter("Q2 2025/26")
    '2025-26-Q2'
    """
    s = str(q).strip()
    m = re.search(r"(20\d\d)\s*[-/]\s*(\d\d)", s)
    k = re.search(r"Q\s*([1-4])", s, flags=re.I)
    if not m or not k:
        return s
    return f"{m.group(1)}-{m.group(2)}-Q{k.group(1)}"
