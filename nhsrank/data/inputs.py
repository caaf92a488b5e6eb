"""Front doors that read before they rank: paths and raw tables in, checked tables to the rules.

The rules (:mod:`nhsrank.rules`) work on tables already read and checked by
:func:`~nhsrank.data.readers.read_metrics` and
:func:`~nhsrank.data.readers.read_attributes`. The public functions users call
with a path or a DataFrame of their own (``nhsrank.league_table``,
``nhsrank.league_tables``, ``nhsrank.peer_group``) are the rules' functions
wrapped by :func:`reads_inputs`, which reads ``data`` and ``attributes`` first.

Examples
--------
>>> from nhsrank.data.inputs import league_table
>>> from nhsrank.data.readers import SYNTHETIC_ATTRIBUTES, SYNTHETIC_METRICS
>>> t = league_table(SYNTHETIC_METRICS, "2025-26-Q1", "ambulance", attributes=SYNTHETIC_ATTRIBUTES).table
>>> int(t["league_position"].min())
1
"""
from __future__ import annotations

import functools

import pandas as pd

from ..rules import league as _league
from ..rules import pipeline as _pipeline
from .readers import read_attributes, read_metrics
from .validation import warn_attribute_codes


def as_metrics(data, quarter: str | None = None) -> pd.DataFrame:
    """``data`` as a checked metrics table.

    A table already read is returned as it is; a path or a raw DataFrame goes through
    :func:`read_metrics` (a large file: only ``quarter``).

    Parameters
    ----------
    data : str, pathlib.Path, pandas.DataFrame or list
        A path (or several), a raw table or a table already read.
    quarter : str or None, default None
        The quarter to be ranked (read alone from a large file).

    Returns
    -------
    pandas.DataFrame
        The canonical long metrics table.
    """
    if isinstance(data, pd.DataFrame) and "_row" in data.columns:
        return data
    return read_metrics(list(data) if isinstance(data, (list, tuple)) else data, quarter=quarter)


def as_attributes(attributes) -> pd.DataFrame | None:
    """``attributes`` as a checked attributes table (None stays None).

    Parameters
    ----------
    attributes : str, pathlib.Path, pandas.DataFrame or None
        A path, a raw table, or a table already read by :func:`read_attributes`.

    Returns
    -------
    pandas.DataFrame or None
        The checked table, or None.
    """
    if attributes is None:
        return None
    if isinstance(attributes, pd.DataFrame) and "_row" in attributes.columns:
        return attributes
    return read_attributes(attributes)


def reads_inputs(func):
    """Wrap a rules function so that its ``data`` and ``attributes`` may be paths or raw tables.

    Parameters
    ----------
    func : callable
        A function ``func(data, *args, attributes=None, ...)`` of :mod:`nhsrank.rules`.

    Returns
    -------
    callable
        The same function, reading and checking ``data`` and ``attributes`` first.
    """

    @functools.wraps(func)
    def wrapper(data, *args, **kwargs):
        data = as_metrics(data, args[0] if args else kwargs.get("quarter"))
        attributes = None
        if "attributes" in kwargs:
            kwargs["attributes"] = attributes = as_attributes(kwargs["attributes"])
        elif len(args) >= 4:  # (quarter, trust_type(s), methodology, attributes)
            attributes = as_attributes(args[3])
            args = (*args[:3], attributes, *args[4:])
        warn_attribute_codes(data, attributes)     # the checks of the command line, for Python users too
        return func(data, *args, **kwargs)

    return wrapper


league_table = reads_inputs(_league.league_table)
league_tables = reads_inputs(_league.league_tables)
peer_group = reads_inputs(_pipeline.peer_group)

__all__ = ["as_metrics", "as_attributes", "reads_inputs", "league_table", "league_tables", "peer_group"]
