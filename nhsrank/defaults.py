"""The methodology nhsrank follows when none is named, in one place that imports nothing (so the command line's
parser can show it without importing pandas).

Examples
--------
>>> from nhsrank.defaults import DEFAULT_METHODOLOGY
>>> DEFAULT_METHODOLOGY
'nof-2025-26'
"""

#: the methodology id used when none is given (NHS Oversight Framework 2025/26)
DEFAULT_METHODOLOGY = "nof-2025-26"

__all__ = ["DEFAULT_METHODOLOGY"]
