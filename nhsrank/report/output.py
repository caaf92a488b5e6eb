"""Write outputs without ever losing a file: atomic writes, no output onto an input, report folders swapped in whole.

* :func:`refuse_inputs` — an output path that is, or resolves to, one of the inputs is an error
  (``--out nof.csv`` must never replace the data).
* :func:`atomic_write` — :func:`nhsrank.outputs.write_atomic`: a temporary file beside the target,
  flushed and renamed into place, so an interrupted run leaves the previous file whole; a folder,
  an unwritable place or a full disk becomes one :class:`~nhsrank.errors.OutputError` naming the path.
* :func:`report_lock` — one report run at a time per folder (a second run refuses with a message).
* :func:`staging_folder` / :func:`building` / :func:`publish` — a report is built in a staging folder beside its final
  place and swapped in at the end; of the previous report only the files its manifest lists are
  removed, so anything else kept in the folder survives.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> (d / "data.csv").write_text("x\\n1\\n")
4
>>> refuse_inputs(d / "out.csv", [d / "data.csv"])
>>> refuse_inputs(d / "data.csv", [d / "data.csv"])
Traceback (most recent call last):
...
nhsrank.errors.InputError: ...data.csv: 1 problem
  the output would replace an input file (data.csv); choose another output name
"""
from __future__ import annotations

import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError
from ..interrupts import undo_if_interrupted
from ..outputs import write_atomic

#: the marker file of a report folder (its manifest lists what the report wrote)
MARKER = ".nhsrank-report"


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def refuse_inputs(out, inputs) -> None:
    """Raise :class:`InputError` if ``out`` is (or resolves to) any of ``inputs``."""
    if out is None:
        return
    out = Path(out)
    for inp in inputs:
        if inp is not None and _same(out, Path(inp)):
            raise InputError.from_records(str(out), [{"problem": f"the output would replace an input file "
                                                                 f"({Path(inp).name}); choose another output name"}])


#: the one write helper (:func:`nhsrank.outputs.write_atomic`), under the name this module always gave it
atomic_write = write_atomic


@contextmanager
def report_lock(folder):
    """Hold ``<folder>.lock`` for the run; a second run into the same folder fails at once with a message."""
    from filelock import FileLock, Timeout

    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder.parent / f".{folder.name}.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise InputError.from_records(str(folder), [{"problem": "another nhsrank report is being built into this "
                                                                "folder; wait for it to finish or choose another "
                                                                "--out-dir"}]) from None
    try:
        yield
    finally:
        lock.release()


def staging_folder(final) -> Path:
    """A fresh, empty staging folder beside ``final`` (hidden name)."""
    final = Path(final)
    stage = final.parent / f".{final.name}.building"
    if stage.exists():
        shutil.rmtree(stage)          # a previous run's leftovers: only nhsrank ever writes here
    stage.mkdir(parents=True)
    return stage


@contextmanager
def building(final):
    """A fresh staging folder beside ``final`` (:func:`staging_folder`) for the ``with`` block; removed if the
    block ends in an error or an interrupt (also when Ctrl-C has to end the process early), so that a
    failed or interrupted run leaves nothing behind and ``final`` as it was."""
    stage = staging_folder(final)
    try:
        with undo_if_interrupted(lambda: shutil.rmtree(stage, ignore_errors=True)):
            yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def previous_outputs(folder) -> list[str]:
    """What the report in ``folder`` wrote, as its manifest lists it (top-level names)."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    listed = manifest.get("outputs")
    if listed is None:   # a report of an earlier version: its runs' pages and folders
        listed = ["index.html", "manifest.json", MARKER]
        for r in manifest.get("report", {}).get("runs", []):
            listed += [f"{r['stem']}.html", f"{r['stem']}.ipynb", r["stem"]]
    return sorted({Path(p).parts[0] for p in listed})


def rewrite_paths(folder, old: str, new: str) -> None:
    """Replace the staging path ``old`` by the final path ``new`` in a built report's text files."""
    for p in Path(folder).rglob("*"):
        if p.is_file() and p.suffix in {".json", ".html", ".ipynb", ".md", ".txt"}:
            text = p.read_text(encoding="utf-8", errors="surrogateescape")
            if old in text:
                write_atomic(p, lambda tmp, t=text: tmp.write_text(t.replace(old, new), encoding="utf-8",
                                                                   errors="surrogateescape"))


def publish(stage, final, replace_text: tuple[str, str] | None = None) -> list[str]:
    """Swap a built report from ``stage`` into ``final``.

    Removes from ``final`` only what its previous manifest lists, moves every entry of ``stage`` in,
    and removes the empty stage. ``replace_text`` = (old, new) rewrites the staging path in the
    report's text files (manifest, pages) to the final one. Returns the top-level names published.
    """
    stage, final = Path(stage), Path(final)
    names = sorted(p.name for p in stage.iterdir())
    if replace_text:
        rewrite_paths(stage, *replace_text)
    final.mkdir(parents=True, exist_ok=True)
    for name in previous_outputs(final):
        target = final / name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
    clash = [n for n in names if (final / n).exists()]
    if clash:
        raise InputError.from_records(str(final), [{"problem": f"{', '.join(clash)} already exist(s) in the folder "
                                                               "and the previous report did not write them; move "
                                                               "them away or choose another --out-dir"}])
    for name in names:
        os.replace(stage / name, final / name)
    stage.rmdir()
    return names


__all__ = [
    "refuse_inputs",
    "atomic_write",
    "report_lock",
    "staging_folder",
    "building",
    "publish",
    "rewrite_paths",
    "previous_outputs",
    "MARKER",
]
