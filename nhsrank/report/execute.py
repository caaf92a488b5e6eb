"""Run one notebook of the report with papermill, and explain a failure in a few lines."""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..interrupts import undo_if_interrupted
from ..shared_cache import CACHE_ENV   # the folder of results the notebooks share (set for the run only)
from .html import export_html, page_header
from .plan import KERNEL_ARGUMENTS, KERNEL_NAME, Job, ReportError, output_paths, skip_unused_plugins


@dataclass
class JobResult:
    job: Job
    ok: bool
    seconds: float
    files: list[Path] = field(default_factory=list)
    error: str | None = None


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", str(text))


def describe_failure(exc: BaseException, notebook_path: Path, partial: Path) -> str:
    """A short, complete account of a failed notebook: which cell, the exception, the partial notebook.

    Examples
    --------
    >>> from papermill.exceptions import PapermillExecutionError
    >>> e = PapermillExecutionError(3, 2, "x = 1\\nraise ValueError('bad')", "ValueError", "bad", [])
    >>> print(describe_failure(e, Path("notebooks/a.ipynb"), Path("/nowhere/a.ipynb")))
    notebook notebooks/a.ipynb, in the cell shown as In [2]:
        x = 1
        raise ValueError('bad')
      ValueError: bad
      no executed notebook was written
    """
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        src = exc.source.strip().splitlines()
        shown = src[:8] + (["    ..."] if len(src) > 8 else [])
        code = "\n".join("    " + line for line in shown)
        what = f"notebook {notebook_path}, in the cell shown as In [{exc.exec_count}]:\n{code}\n" \
               f"  {exc.ename}: {_strip_ansi(exc.evalue)}"
    else:
        what = f"notebook {notebook_path}:\n  {type(exc).__name__}: {_strip_ansi(exc)}"
    where = f"partial executed notebook: {partial}" if partial.exists() else "no executed notebook was written"
    return f"{what}\n  {where}"


def declared_parameters(notebook_path) -> list[str] | None:
    """Names assigned in a notebook's cell tagged ``parameters`` (None if it has no such cell)."""
    import nbformat
    from papermill.translators import papermill_translators

    nb = nbformat.read(str(notebook_path), as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    if not cells:
        return None
    translator = papermill_translators.find_translator(KERNEL_NAME, "python")
    return [p.name for p in translator.inspect(cells[0])]


def check_declared_parameters(notebook_path: Path, params: dict) -> None:
    """Raise :class:`ReportError` unless the notebook's ``parameters`` cell declares every name in ``params``
    (checked before any notebook runs, by :func:`nhsrank.report.build_report`)."""
    declared = declared_parameters(notebook_path)
    if declared is None:
        raise ReportError(f"{notebook_path}: no code cell tagged 'parameters'")
    missing = [p for p in params if p not in declared]
    if missing:
        raise ReportError(f"{notebook_path}: its 'parameters' cell does not declare {', '.join(missing)} "
                          f"(the report passes {', '.join(params)})")


def run_job(job: Job, out_dir: Path, notebooks_dir: Path, synthetic: bool, quarter: str) -> JobResult:
    """Execute one notebook with papermill into ``out_dir`` and export its HTML."""
    import papermill

    paths = output_paths(out_dir, job.stem)
    source = notebooks_dir / f"{job.notebook}.ipynb"
    start = time.perf_counter()
    try:
        papermill.execute_notebook(str(source), str(paths["ipynb"]), parameters=job.parameters,
                                   kernel_name=KERNEL_NAME, cwd=str(notebooks_dir), progress_bar=False,
                                   log_output=False, extra_arguments=list(KERNEL_ARGUMENTS))
        export_html(paths["ipynb"], paths["html"], page_header(job.title, quarter, synthetic),
                    title=f"{job.title} - {quarter}")
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # reported to the user, never swallowed: the run exits non-zero
        return JobResult(job, False, time.perf_counter() - start, _listed(paths["files"]),
                         describe_failure(exc, source, paths["ipynb"]))
    return JobResult(job, True, time.perf_counter() - start, _listed(paths["files"]))


def _listed(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


#: rough relative cost of each notebook, the longest started first so that two workers finish together
#: (longest-processing-time-first). Measured on the default report, quiet 2-core machine: sensitivity 17-28 s,
#: rank_uncertainty 11-17 s, league_table 12 s, trust_profile 6 s (it reads the rank-uncertainty page's shared
#: summary), reconcile 5 s
_COST = {"sensitivity": 5, "rank_uncertainty": 4, "league_table": 4, "quarter_movement": 3, "trust_profile": 2,
         "reconcile": 1}


def default_workers() -> int:
    """Notebooks run at once: two (each in its own process and kernel), or one on a single core."""
    return max(1, min(2, os.cpu_count() or 1))


@contextlib.contextmanager
def workers_without_ctrl_c():
    """Processes started within the block do not see Ctrl-C: SIGINT is blocked here meanwhile and the
    children inherit the mask (then ignore SIGINT, :func:`_leave_ctrl_c`), so a terminal's Ctrl-C reaches
    only this process, which stops them. A Ctrl-C that came meanwhile is delivered when the block ends."""
    import signal

    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    except (AttributeError, ValueError, OSError):  # pragma: no cover - no POSIX signal masks
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _leave_ctrl_c() -> None:
    """In a worker process: Ctrl-C is the main process's to handle (it stops the workers), so a worker
    prints no KeyboardInterrupt traceback of its own; and no plug-in it does not use is loaded
    (:func:`~nhsrank.report.plan.skip_unused_plugins`)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})   # blocked since the start; now ignored
    skip_unused_plugins()


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the worker processes now (their kernels follow their parent) and drop the queued notebooks."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.terminate()
        except (OSError, ValueError, AttributeError):  # already gone
            pass
    pool.shutdown(wait=False, cancel_futures=True)


def run_jobs(jobs, out_dir: Path, notebooks_dir: Path, synthetic: bool, quarter: str, workers: int | None = None,
             cache_dir: Path | None = None):
    """Run ``jobs`` ``workers`` at a time; yield (index, JobResult) as each finishes.

    Each notebook runs in its own worker process with its own kernel (papermill), so two
    notebooks use two cores; the longest notebooks start first. ``cache_dir``: the notebooks'
    bootstraps share their replicates there (keyed by data, methodology, trust type, quarter, seed,
    replicates and sources; see :func:`nhsrank.uncertainty.bootstrap.cached_bootstrap`); the caller
    removes it.

    Examples
    --------
    >>> list(run_jobs([], Path("."), Path("."), True, "2025-26-Q1"))
    []
    """
    workers = default_workers() if workers is None else max(1, int(workers))
    old = os.environ.get(CACHE_ENV)
    if cache_dir is not None:
        os.environ[CACHE_ENV] = str(cache_dir)      # inherited by the worker processes and their kernels
    try:
        if workers == 1 or len(jobs) <= 1:
            for i, job in enumerate(jobs):
                yield i, run_job(job, out_dir, notebooks_dir, synthetic, quarter)
            return
        ctx = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=ctx, initializer=_leave_ctrl_c)
        try:
            with undo_if_interrupted(lambda: _stop_workers(pool)):
                first = sorted(range(len(jobs)), key=lambda i: -_COST.get(jobs[i].notebook, 3))
                with workers_without_ctrl_c():     # submit starts the worker processes
                    futures = {pool.submit(run_job, jobs[i], out_dir, notebooks_dir, synthetic, quarter): i
                               for i in first}
                for fut in as_completed(futures):
                    yield futures[fut], fut.result()
        except BaseException:          # Ctrl-C, an error, or the caller stopped: no notebook keeps running
            _stop_workers(pool)
            raise
        pool.shutdown()
    finally:
        if cache_dir is not None:
            if old is None:
                os.environ.pop(CACHE_ENV, None)
            else:
                os.environ[CACHE_ENV] = old
