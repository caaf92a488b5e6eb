"""Keep the committed notebooks clean: outputs only in the cells nbval checks.

    python tests/notebook_tools.py            # re-run every notebook in notebooks/ and store the checked outputs
    python tests/notebook_tools.py --check    # exit 1 if a notebook carries other outputs (what the tests check)

A cell whose source starts with ``# NBVAL_CHECK_OUTPUT`` keeps its output and
its execution count (nbval skips a cell without an execution count); every
other cell is committed without output or count. Run after changing a
notebook or the figures it checks; review ``git diff notebooks/``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"
KERNEL = "python3"


def is_checked(cell) -> bool:
    return cell.cell_type == "code" and cell.source.lstrip().startswith(CHECK_MARKER)


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Clear outputs and execution counts of every cell but the checked ones; drop volatile metadata."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        if cell.cell_type != "code":
            continue
        if not is_checked(cell):
            cell.outputs = []
            cell.execution_count = None
    for key in ("papermill", "widgets"):
        nb.metadata.pop(key, None)
    nb.metadata.get("language_info", {}).pop("version", None)
    return nb


def problems(nb: nbformat.NotebookNode) -> list[str]:
    """What is wrong with a committed notebook (empty list: clean)."""
    found = []
    params = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    if len(params) != 1:
        found.append(f"{len(params)} cells tagged 'parameters' (need exactly 1)")
    if nb.metadata.get("kernelspec", {}).get("name") != KERNEL:
        found.append(f"kernelspec is not {KERNEL}")
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if is_checked(cell):
            if not cell.outputs:
                found.append(f"cell {i}: checked cell without a stored output")
            if cell.execution_count is None:
                found.append(f"cell {i}: checked cell without an execution count (nbval would skip it)")
            if any(o.get("output_type") == "error" for o in cell.outputs):
                found.append(f"cell {i}: checked cell stores an error")
        elif cell.outputs or cell.execution_count is not None:
            found.append(f"cell {i}: output or execution count in a cell nbval does not check")
    return found


def refresh(path: Path, timeout: int = 900) -> None:
    """Execute a notebook in its folder with its default parameters, then keep only the checked outputs."""
    from nbclient import NotebookClient

    nb = nbformat.read(str(path), as_version=4)
    NotebookClient(
        nb, timeout=timeout, kernel_name=KERNEL, resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    nbformat.write(strip(nb), str(path))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true", help="only report notebooks with stray outputs")
    p.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    args = p.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOKS.glob("*.ipynb"))
    status = 0
    for path in paths:
        if args.check:
            found = problems(nbformat.read(str(path), as_version=4))
            for f in found:
                print(f"{path}: {f}")
            status |= bool(found)
        else:
            refresh(path)
            print(f"refreshed {path}")
    return status


if __name__ == "__main__":
    sys.exit(main())
