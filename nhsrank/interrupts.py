"""Ctrl-C in any nhsrank command: stop within a second or two, leave no partial output, say so in one line.

Every entry point (the ``nhsrank`` command and ``python -m nhsrank.report``,
which ``make report`` runs) runs its main function through
:func:`run_entry_point`:

* Ctrl-C raises ``KeyboardInterrupt`` in Python as usual; every ``finally``
  runs (temporary files and staging folders are removed, worker processes
  stopped), then one line ``<prog>: interrupted`` is printed and the exit
  status is 130 (128 + SIGINT, what a shell reports for Ctrl-C), without a
  traceback;
* Python only sees the interrupt between two of its own steps, and one NumPy
  or pandas call on a large array (a sort of 2,000,000 replicates, the parse
  of a 200 MB file) can take several seconds. A watchdog thread woken by the
  signal itself (``signal.set_wakeup_fd``) gives Python :data:`GRACE`
  seconds; if the command has not ended by then, it runs the clean-ups
  registered with :func:`undo_if_interrupted` (the temporary file being
  written, the report's staging folder, the report's worker processes), prints
  the same line and ends the process with status 130. (NumPy lets go of the
  interpreter during its long loops, so the watchdog can run; a C call that
  holds the interpreter lock throughout cannot be cut short this way.)

Long loops that run in threads (the bootstrap's chunks) check
:func:`threading.Event` flags of their own, so that an interrupt stops them
between chunks instead of after every queued chunk has run.

Examples
--------
>>> def work(argv):
...     raise KeyboardInterrupt
>>> run_entry_point(work, [], prog="demo")   # prints "demo: interrupted" on stderr
130
"""
from __future__ import annotations

import contextlib
import itertools
import os
import signal
import sys
import threading
from collections.abc import Callable

#: exit status of an interrupted command (128 + SIGINT)
EXIT_INTERRUPTED = 130
#: seconds Python gets to stop by itself before the watchdog ends the process
GRACE = 1.0

_undo: dict[int, Callable[[], object]] = {}      # clean-ups of the work in progress (see undo_if_interrupted)
_keys = itertools.count()
_said = threading.Event()                        # the one line has been printed


@contextlib.contextmanager
def undo_if_interrupted(cleanup: Callable[[], object]):
    """``cleanup()`` runs if Ctrl-C interrupts the block: when ``KeyboardInterrupt`` leaves it, or when
    the watchdog has to end the process (Python stuck in a long C call). Other exceptions are the
    block's own business."""
    key = next(_keys)
    _undo[key] = cleanup
    try:
        yield
    except KeyboardInterrupt:
        _undo.pop(key, None)
        with contextlib.suppress(Exception):
            cleanup()
        raise
    finally:
        _undo.pop(key, None)


def _say(prog: str) -> None:
    if not _said.is_set():
        _said.set()
        try:
            print(f"{prog}: interrupted", file=sys.stderr, flush=True)
        except (OSError, ValueError):  # pragma: no cover - stderr closed
            pass


def _abort(prog: str) -> None:
    for cleanup in list(_undo.values())[::-1]:
        try:
            cleanup()
        except Exception:  # noqa: BLE001 - ending anyway; every clean-up gets its turn
            pass
    _say(prog)
    os._exit(EXIT_INTERRUPTED)


@contextlib.contextmanager
def _watchdog(prog: str):
    """Wake on SIGINT even while the main thread is inside a long C call; end the process after GRACE."""
    try:
        r, w = os.pipe()
    except OSError:  # pragma: no cover
        yield
        return
    os.set_blocking(w, False)
    try:
        old = signal.set_wakeup_fd(w, warn_on_full_buffer=False)
    except (ValueError, OSError):    # not the main thread (e.g. called from a worker thread): no watchdog
        os.close(r)
        os.close(w)
        yield
        return
    done = threading.Event()

    def watch() -> None:
        try:
            while not done.is_set():
                data = os.read(r, 64)
                if not data or done.is_set():
                    return
                if signal.SIGINT in data and not done.wait(GRACE):
                    _abort(prog)
        finally:
            os.close(r)

    thread = threading.Thread(target=watch, name="nhsrank-interrupt-watchdog", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        try:
            signal.set_wakeup_fd(old)
        except (ValueError, OSError):  # pragma: no cover
            pass
        try:
            os.write(w, b"\0")           # wake the watchdog so that it ends
        except OSError:  # pragma: no cover
            pass
        thread.join(timeout=1)
        os.close(w)


def run_entry_point(main: Callable[[list | None], int], argv=None, prog: str = "nhsrank") -> int:
    """Run ``main(argv)`` as a command: Ctrl-C ends it with one line ``<prog>: interrupted``, exit status 130.

    Parameters
    ----------
    main : the command's main function, ``main(argv) -> exit status``
    argv : its arguments (None: ``sys.argv[1:]``)
    prog : the command's name in the message

    Returns
    -------
    int : ``main``'s exit status, or 130 after an interrupt.
    """
    _said.clear()
    try:
        handler = signal.getsignal(signal.SIGINT)
    except ValueError:  # pragma: no cover
        handler = None
    with _watchdog(prog):
        try:
            return int(main(argv) or 0)
        except KeyboardInterrupt:
            # a second Ctrl-C while the one line is printed must not turn it into a traceback
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(signal.SIGINT, signal.SIG_IGN)
            _say(prog)
            return EXIT_INTERRUPTED
        finally:
            if handler is not None:                 # callers in the same process (tests, notebooks) get it back
                with contextlib.suppress(ValueError, TypeError):
                    signal.signal(signal.SIGINT, handler)


__all__ = ["run_entry_point", "undo_if_interrupted", "EXIT_INTERRUPTED", "GRACE"]
