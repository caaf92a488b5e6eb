"""The package is laid out by stage, and imports point one way: down the stages.

    cli -> report -> sensitivity -> uncertainty -> data -> rules
    (errors.py, outputs.py, interrupts.py, defaults.py, shared_cache.py: everyone may use them)

Every import in every module counts, including those inside functions. A
module may import its own wing and the wings below it, never one above; and
no module imports, directly or through others, a module that imports it back.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "nhsrank"
#: the wings, lowest first; a module may import its own wing and any wing to its left
STAGES = ["rules", "data", "uncertainty", "sensitivity", "report", "cli"]
#: top-level modules every wing may use
SHARED = {"nhsrank.errors", "nhsrank.outputs", "nhsrank.interrupts", "nhsrank.defaults", "nhsrank.shared_cache"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: dict) -> set[str]:
    """Absolute names of the nhsrank modules that ``name`` imports anywhere in its body."""
    is_pkg = path.name == "__init__.py"
    base = name.split(".") if is_pkg else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[: len(base) - (node.level - 1)]
                mod = ".".join(anchor + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            # "from . import charts" imports the module nhsrank.report.charts
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in known else mod for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t.startswith("nhsrank") and t != name:
                found.add(t)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def stage(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_the_wings_exist_and_hold_every_module():
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "defaults.py", "errors.py", "interrupts.py", "outputs.py",
                     "shared_cache.py"], loose
    for wing in STAGES:
        assert (PACKAGE / wing / "__init__.py").is_file(), wing


def upward_imports(g: dict[str, set[str]]) -> list[str]:
    bad = []
    for name, targets in g.items():
        here = stage(name)
        if here is None:
            continue
        for t in targets:
            if t in SHARED:
                continue
            there = stage(t)
            if there is None:
                # the package root (nhsrank.__version__) imports every wing below report
                if t == "nhsrank" and here in ("report", "cli"):
                    continue
                bad.append(f"{name} imports {t} (outside the wings)")
            elif STAGES.index(there) > STAGES.index(here):
                bad.append(f"{name} ({here}) imports {t} ({there}), a later stage")
    return bad


def test_imports_point_down_the_stages():
    bad = upward_imports(graph())
    assert not bad, "\n".join(bad)


def _cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in g:
        if v not in index:
            visit(v)
    return out


def test_no_module_imports_one_that_imports_it_back():
    g = graph()
    # a package's __init__ gathers its own modules' names: the edge child -> own package is the
    # Python import machinery, not a design choice, so only module-to-module edges count here
    g = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in g.items()}
    assert _cycles(g) == []


def test_the_check_catches_an_upward_import_and_a_circle():
    # the checks above must be able to fail: a rules module importing the report, and a circle
    g = {"nhsrank.rules.scoring": {"nhsrank.report.views", "nhsrank.errors"},
         "nhsrank.report.views": {"nhsrank.rules.scoring"}, "nhsrank.data.readers": {"nhsrank.rules.quarters"}}
    assert upward_imports(g) == ["nhsrank.rules.scoring (rules) imports nhsrank.report.views (report), a later stage"]
    assert _cycles(g) == [["nhsrank.report.views", "nhsrank.rules.scoring"]]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    # and the real package, with its old circle put back (io <-> ae), would fail
    real = graph()
    real["nhsrank.data.ae"] = real["nhsrank.data.ae"] | {"nhsrank.data.readers"}
    assert ["nhsrank.data.ae", "nhsrank.data.readers"] in _cycles(real)


@pytest.mark.parametrize("where, what", [
    ("rules/segmentation.py", "apply_overrides"),      # the deficit cap and segment 5
    ("uncertainty/bootstrap.py", "def bootstrap("),    # the bootstrap
    ("sensitivity/funnel.py", "def funnel_limits("),   # the funnel limits
    ("report/html.py", "def export_html("),            # the report's HTML
])
def test_a_newcomer_finds_each_rule_from_the_folder_names(where, what):
    assert what in (PACKAGE / where).read_text(encoding="utf-8")


def test_the_api_installs_no_import_hook_and_imports_without_import_warnings():
    """The 0.1 module aliases (an import hook) made later relative imports warn
    ``ImportWarning: __package__ != __spec__.parent``; nothing of nhsrank sits in sys.meta_path."""
    import subprocess
    import sys

    code = ("import sys; import nhsrank, nhsrank.cli, nhsrank.report.views; "
            "hooks = [f for f in sys.meta_path if type(f).__module__.startswith('nhsrank')]; "
            "assert not hooks, hooks; "
            "nhsrank.league_table(nhsrank.data.SYNTHETIC_METRICS, '2025-26-Q1', 'ambulance', "
            "attributes=nhsrank.data.SYNTHETIC_ATTRIBUTES).table")
    done = subprocess.run([sys.executable, "-W", "error::ImportWarning", "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "ImportWarning" not in done.stderr
    import nhsrank
    assert nhsrank.league_table.__doc__ and "path" in nhsrank.league_table.__doc__


# ---------------------------------------------------------------------------- the tests mirror the package

TESTS = PACKAGE.parent / "tests"
#: test folders that mirror no subpackage: tests of the project as a whole (README, lint, packaging, notebooks,
#: layout, docstrings, startup, network, browser, reproducibility, import side effects)
PROJECT_TESTS = "project"
#: modules with logic that have no tests/<subpackage>/test_<module>*.py of their own, and where they are tested;
#: "doctests" means the module's examples (run by --doctest-modules) are its own tests
UNMIRRORED = {
    "sensitivity/_docs.py": "docstring templates, no logic: tests/project/test_docstrings.py checks what they fill in",
}


def modules_with_logic() -> list[Path]:
    """The package's modules that define a function or a class (no __init__, no __main__)."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in ("__init__.py", "__main__.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for n in tree.body):
            out.append(path)
    return out


def mirrored_tests(module: Path) -> list[Path]:
    """tests/<subpackage>/test_<module>.py and tests/<subpackage>/test_<module>_<aspect>.py."""
    folder = TESTS / module.parent.relative_to(PACKAGE)
    return sorted([*folder.glob(f"test_{module.stem}.py"), *folder.glob(f"test_{module.stem}_*.py")])


def test_every_module_has_its_tests_under_its_name():
    """A module's tests are found from its name: nhsrank/<sub>/<module>.py -> tests/<sub>/test_<module>*.py."""
    modules = {p.relative_to(PACKAGE).as_posix(): p for p in modules_with_logic()}
    missing = [name for name, p in modules.items() if not mirrored_tests(p) and name not in UNMIRRORED]
    assert not missing, f"modules without tests/<subpackage>/test_<module>*.py: {missing}"
    # the exceptions stay true: each names a module with logic and no mirrored tests yet, and "doctests" has some
    stale = [name for name in UNMIRRORED if name not in modules or mirrored_tests(modules[name])]
    assert not stale, f"remove from UNMIRRORED (gone, or now has its own tests): {stale}"
    no_examples = [name for name, why in UNMIRRORED.items()
                   if why.startswith("doctests") and ">>>" not in modules[name].read_text(encoding="utf-8")]
    assert not no_examples, f"said to be tested by doctests but has no example: {no_examples}"


def test_every_test_file_is_named_after_a_module_of_its_folder():
    """The mirror the other way: tests/<sub>/test_<x>.py starts with a module name of nhsrank/<sub>/ (longest
    match wins, so test_views_tables.py belongs to views.py); tests/project/ holds the project's own tests."""
    bad = []
    for path in sorted(TESTS.rglob("test_*.py")):
        folder = path.parent.relative_to(TESTS)
        if folder.parts[:1] == (PROJECT_TESTS,) or "data" in folder.parts[1:]:
            continue
        stems = {p.stem for p in (PACKAGE / folder).glob("*.py") if not p.stem.startswith("__")}
        name = path.stem.removeprefix("test_")
        if not any(name == s or name.startswith(f"{s}_") for s in stems):
            bad.append(path.relative_to(TESTS).as_posix())
    assert not bad, f"test files named after no module of their folder: {bad}"
    assert sorted(p.name for p in TESTS.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))) == \
        sorted([*STAGES, PROJECT_TESTS, "results"]), "tests/ holds one folder per subpackage, project/ and results/"


def test_the_mirror_check_finds_tests_and_misses_none():
    assert mirrored_tests(PACKAGE / "rules" / "league.py")          # a module with tests finds them
    assert not mirrored_tests(PACKAGE / "rules" / "no_such_module.py")
