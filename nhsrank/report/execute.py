"""Run one notebook of the report with papermill, and explain a failure in a few lines."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from .html import export_html, page_header
from .plan import KERNEL_ARGUMENTS, KERNEL_NAME, Job, ReportError, output_paths


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


def _check_contract(notebook_path: Path, params: dict) -> None:
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
