"""Importing nhsrank changes nothing outside it: warning filters, pandas options, sys.meta_path (issue 23).

Third-party libraries set some of these themselves on import (scipy a warning filter, six an import hook), so
the check imports every library nhsrank would load first, then records the state, then imports every module of
nhsrank and compares.
"""
import functools
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

NAMES = r"""
import json, pkgutil, importlib, sys
import nhsrank
names = ["nhsrank"] + [m.name for m in pkgutil.walk_packages(nhsrank.__path__, "nhsrank.")
                       if not m.name.endswith("__main__")]        # a __main__ runs its command
for name in names:
    importlib.import_module(name)
others = sorted(m for m in sys.modules if m.split(".")[0] != "nhsrank")
print(json.dumps({"names": names, "others": others}))
"""

SCRIPT = r"""
import json, importlib, sys, warnings
names, others = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for name in others:                     # the libraries nhsrank loads, with their own effects
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            importlib.import_module(name)
    except Exception:
        pass
import pandas as pd
def state():
    with warnings.catch_warnings():          # reading a deprecated pandas option warns
        warnings.simplefilter("ignore")
        options = {k: repr(pd.get_option(k)) for k in pd._config.config._registered_options}
    return {"options": options, "filters": [repr(f) for f in warnings.filters],
            "showwarning": repr(warnings.showwarning), "meta_path": [repr(f) for f in sys.meta_path]}
before = state()
for name in names:
    importlib.import_module(name)
after = state()
changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
print(json.dumps({"changed": changed}))
"""


@functools.cache
def modules():
    """nhsrank's modules and the other modules importing them loads."""
    run = subprocess.run([sys.executable, "-c", NAMES], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(run.stdout.splitlines()[-1])


def changed_on_import(script=SCRIPT):
    found = modules()
    assert {"nhsrank.report.views", "nhsrank.report.inputs", "nhsrank.cli"} <= set(found["names"])
    assert len(found["names"]) > 40                     # every module, not just the package
    run = subprocess.run([sys.executable, "-c", script, json.dumps(found["names"]), json.dumps(found["others"])],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(run.stdout.splitlines()[-1])["changed"]


def test_importing_every_module_changes_no_global_state():
    assert changed_on_import() == {}


def test_the_check_sees_a_change():
    """The comparison would notice a module that set a pandas option or a warning filter on import."""
    script = SCRIPT.replace("after = state()", "warnings.simplefilter('ignore', DeprecationWarning)\n"
                                               "pd.set_option('display.max_rows', 7)\nafter = state()")
    assert set(changed_on_import(script)) == {"filters", "options"}
