"""The NOF's reporting calendar: financial-year quarters written '2025-26-Q1'."""
from __future__ import annotations

import re


def normalise_quarter(q) -> str:
    """Turn '2025/26 Q1', 'Q1 2025-26', '2025/2026 Q4', '2025-26-Q1' into '2025-26-Q1'.

    A four-digit second year ('2025/2026') is shortened to its last two digits when it follows
    the first (2026 after 2025); anything else is left as written, for the checks to name.

    Parameters
    ----------
    q : str or object
        A quarter as written in a file or by a user.

    Returns
    -------
    str
        The quarter as '2025-26-Q1', or ``q`` as a stripped string when it names no quarter.

    Examples
    --------
    >>> normalise_quarter("Q2 2025/26")
    '2025-26-Q2'
    >>> normalise_quarter("2025/2026 Q4")
    '2025-26-Q4'
    """
    s = str(q).strip()
    full = re.search(r"(20\d\d)\s*[-/]\s*(20\d\d)", s)
    if full and int(full.group(2)) == int(full.group(1)) + 1:
        s = s[:full.start(2)] + full.group(2)[2:] + s[full.end(2):]
    m = re.search(r"(20\d\d)\s*[-/]\s*(\d\d)(?!\d)", s)
    k = re.search(r"Q\s*([1-4])", s, flags=re.I)
    if not m or not k:
        return s
    return f"{m.group(1)}-{m.group(2)}-Q{k.group(1)}"
