"""Reading and checking inputs: every file an analyst meets becomes one checked long table.

=====================================  ==========================================
:func:`read_metrics`                   CSV/xlsx/DataFrame -> canonical long table (readers.py)
:func:`read_attributes`                financial-deficit and PIP flags
:func:`read_published_scores`          NHS England's own published scores and segments
:func:`read_ae_attendances`            the real A&E file (conversion in ae.py)
:func:`load_bundled`                   the bundled SYNTHETIC data set
``schemas.py``, ``validation.py``      pandera schemas; checks that name file, row, trust, column
``synthetic.generate``                 the seeded SYNTHETIC generator (synthetic.py)
``inputs.py``                          front doors: paths and raw tables in, checked tables to the rules
=====================================  ==========================================
"""
from __future__ import annotations

from .inputs import as_attributes, as_metrics, league_table, league_tables, peer_group, reads_inputs
from .readers import (
                      AE_ATTENDANCES,
                      DATA_DIR,
                      NHS_ENGLAND_MH_DATA,
                      SYNTHETIC_ATTRIBUTES,
                      SYNTHETIC_METRICS,
                      load_bundled,
                      read_ae_attendances,
                      read_attributes,
                      read_metrics,
                      read_published_scores,
                      read_table,
)
from .validation import validate_attributes, validate_metrics

__all__ = [
    "as_attributes", "as_metrics", "league_table", "league_tables", "peer_group", "reads_inputs",
    "AE_ATTENDANCES", "DATA_DIR", "NHS_ENGLAND_MH_DATA", "SYNTHETIC_ATTRIBUTES", "SYNTHETIC_METRICS", "load_bundled",
    "read_ae_attendances", "read_attributes", "read_metrics", "read_published_scores", "read_table",
    "validate_attributes", "validate_metrics",
]
