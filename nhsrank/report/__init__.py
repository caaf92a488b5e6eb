"""Show: the notebooks' views and charts, the provenance manifest, and the papermill report builder.

=====================================  ==========================================
``inputs.py``                          data, attributes, methodology (one reader for notebooks and
                                       command line), quarter, trust types, provenance header
``parameters.py``                      a notebook's parameters checked (misspelt names refused)
``summaries.py``                       tables computed for the pages
``sentences.py``                       text written from the data it describes
``saving.py``                          tables and charts written to a notebook's ``output_dir``
``tables.py``                          tables as a reader sees them: readable headers, 2 dp, whole counts
``views.py``                           the names a notebook calls, gathered from the five above (no code)
``charts.py``, ``sensitivity_charts.py``  Altair charts and their static SVG
``manifest.py``                        version, methodology and data hashes, seed, parameters
``plan.py``                            which notebooks run, with which parameters, into which files
``execute.py``                         run one notebook with papermill; explain a failure
``html.py``                            each notebook as a page without code; the index page
``offline.py``                         the check that no page loads anything from the network
``build.py``                           :func:`build_report`: plan, run, write, check (``make report``)
=====================================  ==========================================

``python -m nhsrank.report`` (and ``nhsrank report``) runs :func:`build.main`.
"""
from __future__ import annotations

from .build import add_arguments, build_report, main, run
from .plan import NOTEBOOKS, Job, Plan, ReportError, best_ranked_trust, plan_report, resolve_methodology

__all__ = ["build_report", "main", "run", "add_arguments", "NOTEBOOKS", "Job", "Plan", "ReportError", "plan_report",
           "best_ranked_trust", "resolve_methodology"]
