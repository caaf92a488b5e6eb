"""One name per thing (issue 23): no module imports another module's private name, and no public function or
class name is defined twice in the package. Both read the source (AST), so they run in a second."""
from __future__ import annotations

import ast
import collections
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "nhsrank"

#: private modules other modules may import from: a subpackage's shared docstring fragments
PRIVATE_MODULES_ALLOWED = {"nhsrank.sensitivity._docs"}

#: private names a module may import from another, with why (being removed by issue 23's result objects)
PRIVATE_NAMES_ALLOWED = {
    ("nhsrank.sensitivity.variants", "_attach"),   # the .attrs helper; removed with the result objects
}

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


def test_the_private_import_scan_sees_relative_and_absolute_imports():
    """The scan is not vacuous: it resolves relative imports and flags a private name or module."""
    tree = ast.parse("from .models import _FIXED\nfrom ..rules.pipeline import x\nfrom . import _docs\n")
    a, b, c = tree.body
    mod, init = PACKAGE / "uncertainty" / "ranksets.py", PACKAGE / "sensitivity" / "__init__.py"
    assert imported_module("nhsrank.uncertainty.ranksets", mod, a) == "nhsrank.uncertainty.models"
    assert imported_module("nhsrank.uncertainty.ranksets", mod, b) == "nhsrank.rules.pipeline"
    assert imported_module("nhsrank.sensitivity", init, c) == "nhsrank.sensitivity"
    assert ("nhsrank.sensitivity.variants", "_attach") in PRIVATE_NAMES_ALLOWED
    assert sum(1 for _ in modules()) > 50


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
