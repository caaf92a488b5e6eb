"""Public docstrings follow numpydoc strictly (issue 23): every parameter with a type (and its default),
every return value described, no stray sections. Checked with numpydoc's own validator.

The subpackages listed in STRICT are held to it through their ``__all__``; so are the names a notebook calls
(``nhsrank.report.views.__all__``) and every public function or class of the report modules in MODULES (those
``views`` gathers, and the report's data for the full table and trust pages).
"""
from __future__ import annotations

import importlib
import inspect

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")

#: subpackages whose public names (their ``__all__``) must pass
STRICT = ["nhsrank.rules", "nhsrank.data", "nhsrank.uncertainty", "nhsrank.sensitivity", "nhsrank.report",
          "nhsrank.cli"]

#: namespaces whose ``__all__`` must pass without being a subpackage: the notebooks' names
NAMESPACES = ["nhsrank.report.views"]

#: modules whose every public function and class (name without a leading underscore, defined there) must pass: the
#: modules ``views`` gathers its names from (charts for trust_profile_chart, sensitivity.movement for
#: movement_sentence, uncertainty.sources for resampled_text) and trust_data
MODULES = ["nhsrank.report.inputs", "nhsrank.report.parameters", "nhsrank.report.summaries",
           "nhsrank.report.sentences", "nhsrank.report.saving", "nhsrank.report.tables", "nhsrank.report.trust_data",
           "nhsrank.report.charts", "nhsrank.report.sensitivity_charts", "nhsrank.sensitivity.movement",
           "nhsrank.uncertainty.sources"]

#: numpydoc checks applied: no docstring (GL08), parameters missing, unknown, out of order, without type or
#: description (PR01-PR04, PR06, PR07), returns missing or undescribed (RT01-RT03), summary line (SS01, SS03),
#: blank lines at the ends (GL02, GL03)
CHECKS = {"GL02", "GL03", "GL08", "PR01", "PR02", "PR03", "PR04", "PR06", "PR07", "RT01", "RT02", "RT03",
          "SS01", "SS03"}


def public_objects(package: str):
    mod = importlib.import_module(package)
    for name in mod.__all__:
        obj = getattr(mod, name)
        if inspect.isclass(obj) and issubclass(obj, BaseException):
            continue   # warnings and errors: their signature is BaseException's
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__.startswith("nhsrank"):
            yield f"{obj.__module__}.{obj.__qualname__}", obj


def module_objects(module: str):
    """Public functions and classes defined in ``module`` (not those it imports)."""
    mod = importlib.import_module(module)
    for name, obj in vars(mod).items():
        if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        if obj.__module__ == module and not (inspect.isclass(obj) and issubclass(obj, BaseException)):
            yield f"{module}.{obj.__qualname__}", obj


OBJECTS = sorted({**{name: obj for pkg in STRICT + NAMESPACES for name, obj in public_objects(pkg)},
                  **{name: obj for mod in MODULES for name, obj in module_objects(mod)}}.items())


@pytest.mark.parametrize("name,obj", OBJECTS, ids=[n for n, _ in OBJECTS])
def test_numpydoc(name, obj):
    errors = [f"{code}: {msg}" for code, msg in numpydoc_validate.validate(name)["errors"] if code in CHECKS]
    assert not errors, name + "\n" + "\n".join(errors)


@pytest.mark.parametrize("name,obj", OBJECTS, ids=[n for n, _ in OBJECTS])
def test_every_default_is_documented(name, obj):
    """A parameter with a default says so on its type line ("x : int, default 4")."""
    from numpydoc.docscrape import ClassDoc, FunctionDoc

    doc = ClassDoc(obj) if inspect.isclass(obj) else FunctionDoc(obj)
    types = {p.name: p.type for p in doc["Parameters"]}
    sig = inspect.signature(obj)
    missing = [p for p, v in sig.parameters.items()
               if v.default is not inspect.Parameter.empty and p in types and "default" not in types[p]]
    assert not missing, f"{name}: parameters with a default whose type line does not give it: {missing}"


def test_the_strict_list_covers_something():
    assert len(OBJECTS) > 40


def test_every_name_a_notebook_calls_is_checked():
    """Each function or class in ``views.__all__`` is among the checked objects (a name added there is held)."""
    views = importlib.import_module("nhsrank.report.views")
    checked = {id(obj) for _, obj in OBJECTS}
    callables = [n for n in views.__all__
                 if inspect.isfunction(getattr(views, n)) or inspect.isclass(getattr(views, n))]
    assert len(callables) >= 38
    assert [n for n in callables if id(getattr(views, n)) not in checked] == []


def _returns_text(func) -> str:
    from numpydoc.docscrape import FunctionDoc

    return "\n".join(" ".join(p.desc) for p in FunctionDoc(func)["Returns"])


@pytest.fixture(scope="module")
def page_tables():
    """Every DataFrame a notebook gets from :mod:`nhsrank.report.summaries` and :mod:`.trust_data`, computed
    on the bundled SYNTHETIC data (few replicates: only the columns are looked at)."""
    import nhsrank
    from nhsrank.report import summaries as s
    from nhsrank.report.trust_data import trust_context

    m, a = nhsrank.load_bundled()
    q, tt, kw = "2025-26-Q1", "ambulance", {"n_boot": 20, "seed": 1}
    result = nhsrank.league_tables(m, q, attributes=a)
    table = nhsrank.league_table(m, q, tt, attributes=a).table
    u = nhsrank.rank_uncertainty(m, q, tt, attributes=a, progress=False, **kw)
    long, summary = s.source_comparison(m, q, tt, attributes=a, source_sets={"scores": ("scores",)}, **kw)
    profile_long, profile_summary = s.metric_profile(table, "nof-2025-26", table["trust_code"].iloc[0])
    qm = nhsrank.quarter_movement(m, "2025-26-Q1", "2025-26-Q2", tt, attributes=a, **kw)
    from nhsrank.errors import InputWarning

    with pytest.warns(InputWarning, match="no trust attributes were given"):   # the A&E file publishes no flags
        funnel = s.funnel_view(nhsrank.read_ae_attendances(), "2018-19-Q4", "acute", "ae-4hr")[0]
    ctx = trust_context(m, a, "nof-2025-26", q, [tt])
    return {
        s.segment_counts: [s.segment_counts(result.table, result.exclusions)],
        s.top_of_table: [s.top_of_table(result.table, tt)],
        s.overrides_explained: [s.overrides_explained(result.table)],
        s.uncertainty_summary: [s.uncertainty_summary(u)],
        s.source_comparison: [long, summary],
        s.sources_run: [s.sources_run(summary)],
        s.variant_summary: [s.variant_summary(nhsrank.compare_variants(m, q, tt, attributes=a))],
        s.metric_profile: [profile_long, profile_summary],
        s.trust_history: [s.trust_history(m, table["trust_code"].iloc[0], attributes=a, **kw).table],
        s.movement_summary: [s.movement_summary(qm)],
        s.funnel_view: [funnel.table],
        trust_context: [ctx["history"], *ctx["metric_scores"].values()],
    }


def test_every_returned_column_is_documented(page_tables):
    """Each column a page's table function returns is named (````column````) in its Returns section."""
    missing = {}
    for func, frames in page_tables.items():
        text = _returns_text(func)
        cols = {str(c) for f in frames for c in f.columns}
        absent = sorted(c for c in cols if f"``{c}``" not in text)
        if absent:
            missing[func.__name__] = absent
    assert missing == {}
