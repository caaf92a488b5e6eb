"""Results shared between the report's notebooks: :func:`shared_result`.

The report runs each notebook in its own process, and several notebooks read
the same files and summarise the same bootstrap replicates. While a report is
built, the folder named by the ``NHSRANK_BOOTSTRAP_CACHE`` environment
variable (a folder inside the report's staging folder, removed before the
report is published; never beside an input file) keeps each such result once,
under a key that hashes everything it depends on. Without that variable,
nothing is kept and every call computes.

A result read back is the one computed (pickled by this module in that
folder, in the same run), and the warnings its computation gave are given
again, so a notebook that reads a result shows the same notes as the one that
computed it.

Examples
--------
>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> calls = []
>>> def compute():
...     calls.append(1)
...     return {"answer": 42}
>>> shared_result("example", compute, folder=folder), shared_result("example", compute, folder=folder)
({'answer': 42}, {'answer': 42})
>>> len(calls)
1
"""
from __future__ import annotations

import hashlib
import os
import pickle
import warnings
from collections.abc import Callable
from pathlib import Path

from .outputs import write_atomic

#: the environment variable naming the folder of shared results (set by the report for its notebooks)
CACHE_ENV = "NHSRANK_BOOTSTRAP_CACHE"


def cache_folder() -> str | None:
    """The folder of shared results while a report is built (:data:`CACHE_ENV`), else None."""
    return os.environ.get(CACHE_ENV) or None


def key_of(*parts) -> str:
    """SHA-256 of the ``repr`` of ``parts`` (strings, numbers, tuples: what a result depends on)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def shared_result(key: str, compute: Callable[[], object], *, folder=None, record_warnings: bool = False):
    """``compute()``, once per cache folder: later calls with the same ``key`` read the result back.

    Parameters
    ----------
    key : str
        Names the result: a hash of everything it depends on (:func:`key_of`).
    compute : callable
        Makes the result (no arguments); it must pickle.
    folder : str, pathlib.Path or None, default None
        Where results are kept; None: :func:`cache_folder` (nothing is kept when that is None too).
    record_warnings : bool, default False
        Keep the warnings ``compute`` gives and give them again when the result is read back (it records
        them with :func:`warnings.catch_warnings`, which is not thread-safe: only for calls on the main thread).

    Returns
    -------
    object
        The result of ``compute`` (computed now, or by an earlier call with the same key).

    Notes
    -----
    A lock file makes a second process wait for the first instead of computing the same result again.
    """
    folder = cache_folder() if folder is None else folder
    if not folder:
        return compute()
    from filelock import FileLock

    path = Path(folder) / f"{key}.result.pickle"
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path.with_suffix(".lock"))):
        if path.exists():
            with open(path, "rb") as f:
                result, caught = pickle.load(f)   # written below, in this run's own staging folder
            for message, category in caught:
                warnings.warn(message, category, stacklevel=3)
            return result
        caught = []
        if record_warnings:
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always")
                result = compute()
            caught = [(str(w.message), w.category) for w in seen]
            for message, category in caught:
                warnings.warn(message, category, stacklevel=3)
        else:
            result = compute()

        def save(tmp):
            with open(tmp, "wb") as f:
                f.write(pickle.dumps((result, caught), protocol=pickle.HIGHEST_PROTOCOL))

        write_atomic(path, save, durable=False)
        return result


__all__ = ["CACHE_ENV", "cache_folder", "key_of", "shared_result"]
