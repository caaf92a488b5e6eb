"""The module paths of nhsrank 0.1 (``nhsrank.io``, ``nhsrank.views``, ...) kept working.

Before the package was laid out by stage, every module sat directly under
``nhsrank/``. Code and notebooks written then import ``nhsrank.io`` or
``from nhsrank.report import charts, views as notebook``; :func:`install` adds an import hook
that serves each old name as the module that now holds its code (the same
module object, so there is one copy of every function). Nothing is imported
until an old name is asked for.

Examples
--------
>>> import nhsrank.io, nhsrank.data.readers
>>> nhsrank.io is nhsrank.data.readers
True
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

#: old module path -> where its code lives now
MOVED = {
    "nhsrank.methodology": "nhsrank.rules.methodology",
    "nhsrank.scoring": "nhsrank.rules.scoring",
    "nhsrank.segmentation": "nhsrank.rules.segmentation",
    "nhsrank.pipeline": "nhsrank.rules.pipeline",
    "nhsrank.league": "nhsrank.rules.league",
    "nhsrank.io": "nhsrank.data.readers",
    "nhsrank.ae": "nhsrank.data.ae",
    "nhsrank.schemas": "nhsrank.data.schemas",
    "nhsrank.validation": "nhsrank.data.validation",
    "nhsrank.synthetic": "nhsrank.data.synthetic",
    "nhsrank.ranksets": "nhsrank.uncertainty.ranksets",
    "nhsrank.variants": "nhsrank.sensitivity.variants",
    "nhsrank.agreement": "nhsrank.sensitivity.agreement",
    "nhsrank.movement": "nhsrank.sensitivity.movement",
    "nhsrank.funnel": "nhsrank.sensitivity.funnel",
    "nhsrank.views": "nhsrank.report.views",
    "nhsrank.notebook": "nhsrank.report.views",
    "nhsrank.charts": "nhsrank.report.charts",
    "nhsrank.sensitivity_charts": "nhsrank.report.sensitivity_charts",
    "nhsrank.manifest": "nhsrank.report.manifest",
}


class _Alias(importlib.abc.Loader):
    def __init__(self, target: str):
        self.target = target

    def create_module(self, spec):
        return importlib.import_module(self.target)

    def exec_module(self, module):  # the target module is already executed
        pass


class _MovedFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname in MOVED:
            return importlib.util.spec_from_loader(fullname, _Alias(MOVED[fullname]))
        return None


def install() -> None:
    """Serve the old module names (idempotent)."""
    if not any(isinstance(f, _MovedFinder) for f in sys.meta_path):
        sys.meta_path.append(_MovedFinder())
