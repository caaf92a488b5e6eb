"""``nhsrank report``: build the quarterly report (the same command as ``python -m nhsrank.report``)."""
from __future__ import annotations


def add_parser(sub) -> None:
    from ..report.build import add_arguments, run

    p = sub.add_parser("report", help="run the notebooks into reports/<quarter>/ (HTML, CSV, SVG, manifest)",
                       description="Run the report notebooks with papermill for a quarter (default: the latest "
                       "in the data) and export them as offline HTML without code, with an index page and "
                       "manifest.json. Exit status 1 if a notebook fails, 2 for bad options.")
    add_arguments(p)
    p.set_defaults(func=run)
