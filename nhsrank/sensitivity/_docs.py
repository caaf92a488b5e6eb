"""The parameter descriptions the sensitivity functions share, written once and filled into their docstrings.

A docstring holds ``{table_parameters}`` (data, quarter, trust type, methodology, attributes of one table) or
``{two_quarter_parameters}`` (data and the two quarters compared) or ``{result_fields}`` (a result object's
exclusions, methodology, quarter and trust type) on a line of its own; :func:`shared_docs`
replaces it, as ``scipy``'s ``doccer`` does, so that ``help()``, numpydoc and the doctests read the whole text.
"""
from __future__ import annotations

TABLE_PARAMETERS = '''    data : pandas.DataFrame, str, pathlib.Path or PeerGroup
        The metrics (a table from :func:`nhsrank.read_metrics`, or a path), or a
        :class:`~nhsrank.rules.PeerGroup` already built (the next four are then ignored).
    quarter : str or None, default None
        The quarter, '2025-26-Q1' style; None if the data hold one.
    trust_type : str or None, default None
        The table's trust type; None: the only type in the quarter.
    methodology : str, pathlib.Path or Methodology, default "nof-2025-26"
        Methodology id, YAML path or loaded methodology.
    attributes : pandas.DataFrame or None, default None
        Trust attributes; None: the flags NHS England published in the file, if any.
'''

TWO_QUARTER_PARAMETERS = '''    data : pandas.DataFrame, str or pathlib.Path
        The metrics (a table from :func:`nhsrank.read_metrics`, or a path), holding both quarters.
    quarter_from : str
        The earlier quarter.
    quarter_to : str
        The later quarter.
    trust_type : str or None, default None
        The table's trust type; None: the only type in the data.
    methodology : str, pathlib.Path or Methodology, default "nof-2025-26"
        Methodology id, YAML path or loaded methodology.
    attributes : pandas.DataFrame or None, default None
        Trust attributes; None: the flags NHS England published in the file, if any.
'''

RESULT_FIELDS = '''    exclusions : pandas.DataFrame
        The trusts not ranked, with the reason (every input trust is accounted for).
    methodology : str
        The methodology's id.
    quarter : str
        The table's quarter, '2025-26-Q1' style.
    trust_type : str
        The table's trust type.
'''

_FILL = {"    {table_parameters}\n": TABLE_PARAMETERS, "    {two_quarter_parameters}\n": TWO_QUARTER_PARAMETERS,
         "    {result_fields}\n": RESULT_FIELDS}


def shared_docs(func):
    """Fill the shared parameter descriptions into ``func``'s docstring (see the module text); return ``func``.

    ``func`` may be a function or a class (a result object's fields).
    """
    doc = func.__doc__ or ""
    for key, text in _FILL.items():
        doc = doc.replace(key, text)
    func.__doc__ = doc
    return func
