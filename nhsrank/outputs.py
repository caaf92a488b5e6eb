"""Every file nhsrank writes is written whole or not at all: :func:`write_atomic`.

A table, a workbook, a report page, a chart, a manifest or a cached array is
written to a temporary file in the target's own folder, flushed to the disk
(``fsync``) and closed, and only then renamed over the target
(``os.replace``, atomic on one file system). If anything fails on the way (a
full disk, no permission, a read-only file system, a folder where a file was
expected) or the run is interrupted, the temporary file is removed, the
target is left as it was, and one :class:`~nhsrank.errors.OutputError` names
the path and the cause in one line; the ``nhsrank`` command prints it and
exits with status 2.

A target that exists and is not a regular file (``/dev/null``, ``/dev/full``,
``/dev/stdout``, a named pipe) is written directly, never renamed over, and
its write is checked through to the close: ``--out /dev/full`` is an error.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> write_text(d / "a.txt", "hello\\n").name
'a.txt'
>>> write_atomic(d / "b.csv", lambda tmp: tmp.write_text("x\\n1\\n")).read_text()
'x\\n1\\n'
>>> write_text(d, "a folder")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
nhsrank.errors.OutputError: cannot write ...: it is a folder; give a file name, e.g. .../output.csv
"""
from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError
from .interrupts import undo_if_interrupted

#: what each file-system error means to the user (anything else: the system's own words)
REASONS = {
    errno.ENOSPC: "the disk is full (no space left on the device)",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file is too large for the file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder; give a file name",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.EIO: "input/output error on the device",
}


def _reason(exc: OSError) -> str:
    return REASONS.get(exc.errno, exc.strerror or str(exc))


def is_device(path) -> bool:
    """True for an existing target that is not a regular file (a device or a pipe)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _fsync(path: Path) -> None:
    """Flush ``path`` to the disk; a delayed write error (full disk, NFS) surfaces here as OSError."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path, write: Callable[[Path], object], *, durable: bool = True) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, check it reached the disk, rename it to ``path``.

    Parameters
    ----------
    path : str or Path
        The file to write (its folder is created if missing).
    write : callable
        ``write(tmp_path)`` writes the whole content to ``tmp_path`` and closes it
        (``df.to_csv``, ``path.write_text``, ``chart.save``, ``pd.ExcelWriter``...).
    durable : bool, default True
        Check the content reached the disk (``fsync``) before the rename. False for the many
        files of a staging folder that is itself published whole at the end (the report's trust
        pages): an error writing is still an :class:`OutputError`.

    Returns
    -------
    Path : ``path``.

    Raises
    ------
    OutputError
        The file could not be written (one line naming the path and the cause); the
        temporary file is removed and an existing ``path`` is left as it was. An
        interruption (Ctrl-C) also removes the temporary file before it propagates.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "sub" / "t.txt"
    >>> write_atomic(p, lambda tmp: tmp.write_text("ok")).read_text()
    'ok'
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(path, f"it is a folder; give a file name, e.g. {path / 'output.csv'}")
    tmp = None
    try:
        if is_device(path):            # /dev/null, /dev/full, a pipe: write through, never rename over it
            write(path)
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        with undo_if_interrupted(lambda: tmp.unlink(missing_ok=True)):
            write(tmp)
            if durable:
                _fsync(tmp)
            os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(path, _reason(exc)) from None
    finally:
        if tmp is not None:
            try:
                tmp.unlink()
            except OSError:
                pass
    return path


def write_text(path, text: str, encoding: str = "utf-8", *, durable: bool = True) -> Path:
    """:func:`write_atomic` for a text (a page, a manifest); ``durable`` as there.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> write_text(pathlib.Path(tempfile.mkdtemp()) / "p.html", "<p>x</p>").read_text()
    '<p>x</p>'
    """
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding=encoding), durable=durable)


__all__ = ["write_atomic", "write_text", "is_device", "REASONS"]
