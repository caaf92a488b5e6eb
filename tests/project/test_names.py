"""One name per thing (issue 23): no module imports (or reads through an imported module) another module's private
name, and no public function or class name is defined twice in the package, except as listed below with why.
The scans read the source (AST): nothing is imported."""
from __future__ import annotations

import ast
import collections
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "nhsrank"

#: private modules other modules of the same subpackage may import from (scipy.stats' pattern): the
#: sensitivity analyses' shared docstring fragments, and the base class of their result objects
PRIVATE_MODULES_ALLOWED = {"nhsrank.sensitivity._docs", "nhsrank.sensitivity._result"}

#: private names a module may import from another, with why (none since issue 23's result objects)
PRIVATE_NAMES_ALLOWED: set = set()

#: public names defined in more than one module, with why
DEFINED_TWICE_ALLOWED = {
    "add_parser": "each subcommand module of nhsrank.cli provides add_parser(subparsers) (nhsrank/cli/__init__.py)",
    "run": "each subcommand module of nhsrank.cli (and nhsrank.report.build) provides run(args), its handler",
    "main": "the entry point of each runnable module: nhsrank.cli (the nhsrank command), nhsrank.report.build "
            "(python -m nhsrank.report), nhsrank.data.synthetic",
}


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_module(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute name of the module ``node`` imports from."""
    if node.level == 0:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[:len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def private_imports():
    """(importing module, line, imported module, name) of every private name or private module imported."""
    for module, path, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                source = imported_module(module, path, node)
                for alias in node.names:
                    full = f"{source}.{alias.name}"
                    private_module = any(p.startswith("_") and not p.startswith("__") for p in source.split("."))
                    private_name = alias.name.startswith("_") and not alias.name.startswith("__")
                    if private_name and full in PRIVATE_MODULES_ALLOWED:       # from . import _docs
                        continue
                    if private_module and source in PRIVATE_MODULES_ALLOWED:
                        continue
                    if (private_name or private_module) and (source, alias.name) not in PRIVATE_NAMES_ALLOWED:
                        yield module, node.lineno, source, alias.name
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if any(p.startswith("_") and not p.startswith("__") for p in alias.name.split(".")):
                        yield module, node.lineno, alias.name, ""


def private_attributes():
    """(module, line, name, attribute) of every ``mod._name`` read from a module of nhsrank imported as ``mod``."""
    for module, path, tree in modules():
        bound = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and imported_module(module, path, node).startswith("nhsrank"):
                bound |= {a.asname or a.name for a in node.names}
            elif isinstance(node, ast.Import):
                bound |= {a.asname or a.name.split(".")[0] for a in node.names if a.name.startswith("nhsrank")}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                yield module, node.lineno, node.value.id, node.attr


def public_definitions():
    where = collections.defaultdict(list)
    for module, _path, tree in modules():
        for node in tree.body:
            defines = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            if defines and not node.name.startswith("_"):
                where[node.name].append(f"{module}:{node.lineno}")
    return where


def test_no_module_imports_a_private_name_of_another():
    found = [f"{m}:{line} imports {name or '(module)'} from {src}" for m, line, src, name in private_imports()]
    assert not found, ("a name shared between modules is public in the module that owns it:\n" + "\n".join(found))


def test_no_module_reads_a_private_name_of_another_through_its_module():
    found = [f"{m}:{line} reads {name}.{attr}" for m, line, name, attr in private_attributes()]
    assert not found, "a name shared between modules is public in the module that owns it:\n" + "\n".join(found)


def test_the_scans_find_what_they_look_for(tmp_path, monkeypatch):
    """The scans are not vacuous: on a small package holding one of each fault, each is found (relative and
    absolute imports resolved, the allowed ``_docs`` left alone)."""
    pkg = tmp_path / "nhsrank"
    (pkg / "sensitivity").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sensitivity" / "__init__.py").write_text("from . import _docs\n")
    (pkg / "sensitivity" / "_docs.py").write_text("shared = 1\n")
    (pkg / "sensitivity" / "models.py").write_text("_FIXED = 0\ndef rankability():\n    pass\n")
    (pkg / "sensitivity" / "uses.py").write_text("from .models import _FIXED\nfrom ._docs import shared\n"
                                         "from nhsrank.sensitivity import models as m\nx = m._FIXED\n")
    (pkg / "other.py").write_text("from .sensitivity.models import rankability\ndef rankability():\n    pass\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", pkg)
    assert [(m, src, name) for m, _, src, name in private_imports()] == [
        ("nhsrank.sensitivity.uses", "nhsrank.sensitivity.models", "_FIXED")]
    assert [(m, name, attr) for m, _, name, attr in private_attributes()] == [
        ("nhsrank.sensitivity.uses", "m", "_FIXED")]
    assert public_definitions()["rankability"] == ["nhsrank.other:2", "nhsrank.sensitivity.models:2"]


def test_every_allowed_private_import_is_still_needed():
    """An exception no longer used is removed from the list (it would hide a new one)."""
    used = set()
    for module, path, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                source = imported_module(module, path, node)
                used |= {(source, a.name) for a in node.names}
    stale = PRIVATE_NAMES_ALLOWED - used
    assert not stale, f"no longer imported: remove from PRIVATE_NAMES_ALLOWED: {stale}"


def test_no_public_name_is_defined_twice():
    twice = {name: places for name, places in public_definitions().items()
             if len(places) > 1 and name not in DEFINED_TWICE_ALLOWED}
    assert not twice, "one public name per thing; defined more than once:\n" + "\n".join(
        f"{name}: {', '.join(places)}" for name, places in sorted(twice.items()))


def test_every_allowed_duplicate_is_defined_twice():
    where = public_definitions()
    stale = [name for name in DEFINED_TWICE_ALLOWED if len(where.get(name, [])) < 2]
    assert not stale, f"no longer defined twice: remove from DEFINED_TWICE_ALLOWED: {stale}"
