"""Build the quarterly report: run the notebooks with papermill, export them as
HTML without code, and write an index page and a manifest.

``make report`` calls ``python -m nhsrank.report``; ``nhsrank report`` is the
same command. The steps live beside this file: :mod:`.plan`, :mod:`.execute`,
:mod:`.html`, :mod:`.offline`. For one quarter it writes ``reports/<quarter>/``::

    index.html                      links to every page; SYNTHETIC banner for the bundled data
    manifest.json                   version, methodology and data hashes, seed, parameters, output hashes
    league_table.html / .ipynb      every trust type
    league_table/                   its tables (CSV) and charts (SVG), written by the notebook
    rank_uncertainty-<type>.html    one per trust type in the data (and .ipynb, folder)
    sensitivity-<type>.html
    quarter_movement-<type>.html    (skipped for the first quarter in the data)
    trust_profile-<code>.html       the best-ranked acute trust (skipped without acute trusts)
    full_table.html / .xlsx / -<type>.csv  every trust, NHS England's figures beside ours, bands
    trusts/<code>.html              a page for every trust of every table (trust_pages.py)

Each notebook takes the parameters of its first code cell (tagged
``parameters``): data_path, attributes_path, quarter, trust_type (league_table:
trust_types), methodology, n_boot, seed, output_dir, and trust_code
(trust_profile) or quarter_from (quarter_movement).

The HTML opens offline: the nbconvert template drops require.js, MathJax and
Mermaid (all loaded from CDNs by the default template) and every page is
checked for remote scripts and styles (:func:`remote_references`).
"""
from __future__ import annotations

import argparse
import hashlib
import html
import shutil
import sys
import time
from pathlib import Path

from ..outputs import write_text
from .execute import check_declared_parameters, default_workers, run_jobs
from .html import INDEX_CSS, banner_html, finish_report, index_html, page_problems, reproduction_text
from .output import MARKER, building, publish, report_lock, rewrite_paths
from .plan import (KERNEL_NAME, NOTEBOOKS, NOTEBOOKS_DIR, REPORTS_DIR, ReportError, best_ranked_trust,  # noqa: F401
                   parse_notebooks, plan_report, resolve_methodology)

#: the default --data: NHS England's acute and MH & community files (the same paths as
#: nhsrank.data.readers.NHS_ENGLAND_DATA, written here so that `nhsrank --help` imports no pandas;
#: tests/project/test_startup.py checks they match)
DEFAULT_DATA = tuple(Path(__file__).resolve().parents[2] / "data" / "nhs-england" / name for name in (
    "nof-acute-trust-data-2025-26-q1.csv", "nof-mh-community-trust-data-2025-26-q4.csv"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------
# data-dependent decisions
# ---------------------------------------------------------------------------



def build_report(quarter: str | None = None, *, data_path=None, attributes_path=None, methodology=None,
                 n_boot: int = 10_000, seed: int = 1, notebooks=None, out_root=REPORTS_DIR,
                 notebooks_dir=NOTEBOOKS_DIR, trust_code: str | None = None, all_quarters: bool = False,
                 echo=print, workers: int | None = None) -> int:
    """Build the report of one quarter (or of every quarter); returns the exit status (0: all built).

    Parameters
    ----------
    quarter : str or None, default None
        Quarter to report, e.g. "2025-26-Q2"; None: the latest quarter that holds every
        trust type in the data.
    data_path : str, pathlib.Path, list or None, default None
        Metrics file, or a list of files read together (NHS England's acute and MH & community files);
        None: NHS England's files shipped in data/nhs-england (as ``make report``, the command
        line and the notebooks); "synthetic": the bundled SYNTHETIC data.
    attributes_path : str or pathlib.Path or None, default None
        Trust attributes file; None: the bundled one with the bundled data, none otherwise.
    methodology : str or None, default None
        Methodology id or YAML path; None: nof-2025-26 (ae-4hr for the A&E file).
    n_boot : int, default 10000
        Bootstrap replicates passed to every notebook (at least 1).
    seed : int, default 1
        Random seed passed to every notebook.
    notebooks : str or list of str or None, default None
        Names to run (a list, or comma-separated); None: all of :data:`NOTEBOOKS`.
    out_root : str or pathlib.Path, default REPORTS_DIR
        Reports are written to ``out_root/<quarter>/`` (default: reports/ in the repository).
    notebooks_dir : str or pathlib.Path, default NOTEBOOKS_DIR
        Where the notebooks are (default: notebooks/ in the repository).
    trust_code : str or None, default None
        Trust for trust_profile; None: the best-ranked acute trust.
    all_quarters : bool, default False
        Build a report for every quarter in the data (and ``out_root/index.html``).
    echo : callable, default print
        Called with each progress line.
    workers : int or None, default None
        Notebooks run at once, each in its own process and kernel; None: 2, or 1 on one core.

    Returns
    -------
    int
        0 if every notebook ran and exported, 1 otherwise (each failure is printed).

    Raises
    ------
    ReportError
        For arguments the report cannot run with (no notebook of that name, ``n_boot`` below 1, a quarter
        and ``all_quarters`` both given, a trust code not in the data).

    Examples
    --------
    ``python -m nhsrank.report --data synthetic --n-boot 200`` calls::

        build_report(None, data_path=["synthetic"], n_boot=200)
    """
    from ..data.readers import SYNTHETIC_ATTRIBUTES, read_attributes, read_metrics
    from .inputs import data_paths, default_quarter
    from .manifest import build_manifest, is_synthetic, portable, write_manifest
    from ..rules.methodology import load_methodology

    if n_boot < 1:
        raise ReportError(f"--n-boot must be at least 1, got {n_boot}")
    if quarter and all_quarters:
        raise ReportError("give --quarter or --all-quarters, not both")
    names = parse_notebooks(",".join(notebooks) if isinstance(notebooks, (list, tuple)) else notebooks)
    notebooks_dir, out_root = Path(notebooks_dir).resolve(), Path(out_root).resolve()
    missing = [f"{n}.ipynb" for n in names if not (notebooks_dir / f"{n}.ipynb").exists()]
    if missing:
        raise ReportError(f"notebook(s) not found in {notebooks_dir}: {', '.join(missing)}")

    # absolute paths: the kernel runs in the notebooks folder, and the manifest must say which file
    if isinstance(data_path, (list, tuple)) and len(data_path) == 1:
        data_path = data_path[0]
    paths = [p.resolve() for p in data_paths(data_path)]   # None: NHS England's files; "synthetic": the bundled set
    data_path = paths[0] if len(paths) == 1 else paths   # several files read together (acute and MH & community)
    synthetic = is_synthetic(data_path)
    if attributes_path is None and synthetic:      # the bundled data's own attributes, named to every notebook
        attributes_path = SYNTHETIC_ATTRIBUTES
    attributes_path = None if attributes_path is None else Path(attributes_path).resolve()
    metrics = read_metrics(data_path)
    for note in (metrics.attrs.get("quarter_note") or "").splitlines():
        echo(note.replace(str(Path.cwd()) + "/", ""))
    published = bool("published_score" in metrics.columns and metrics["published_score"].notna().any())
    attributes = (read_attributes(attributes_path) if attributes_path
                  else read_attributes(SYNTHETIC_ATTRIBUTES) if synthetic else None)
    meth_id = resolve_methodology(metrics, methodology)
    meth = load_methodology(meth_id)
    present = sorted(metrics["quarter"].dropna().unique())
    if all_quarters:
        chosen = present
    elif quarter:
        from ..data.readers import normalise_quarter

        quarter = normalise_quarter(quarter)
        if quarter not in present:
            raise ReportError(f"quarter {quarter} is not in the data; quarters present: {', '.join(present)}")
        chosen = [quarter]
    else:
        # the latest quarter that holds every trust type in the data: with NHS England's acute Q1
        # file beside the MH & community Q1-Q4 file, Q1 (both tables, pooled as NHS England pools them)
        q_default, note = default_quarter(metrics)
        chosen = [q_default]
        if note:
            echo(f"{note} (--quarter {present[-1]} for that quarter, --all-quarters for every one)")
    if synthetic:
        echo("NOTE: bundled SYNTHETIC data (fictional trusts), as --data synthetic asks; without it the report reads "
             "NHS England's files in data/nhs-england.")

    status, built = 0, []
    for q in chosen:
        t_quarter = time.perf_counter()
        in_q = set(metrics.loc[metrics["quarter"] == q, "trust_type"])
        types = [t for t in meth.trust_types if t in in_q]
        example, example_type = None, "acute"
        if "trust_profile" in names:
            example = trust_code or best_ranked_trust(metrics, q, meth, attributes)
            if example is not None:
                rows = metrics.loc[(metrics["quarter"] == q) & (metrics["trust_code"] == example), "trust_type"]
                if rows.empty:
                    raise ReportError(f"--trust-code {example}: no such trust in {q}")
                example_type = str(rows.iloc[0])
        out_dir = out_root / q
        with report_lock(out_dir), building(out_dir) as stage:
            plan = plan_report(q, stage, notebooks=names, trust_types=types, quarters=present, published=published,
                               example_trust=example, example_type=example_type, data_path=data_path,
                               attributes_path=attributes_path, methodology=meth_id, n_boot=n_boot, seed=seed)
            for job in plan.jobs:
                check_declared_parameters(notebooks_dir / f"{job.notebook}.ipynb", job.parameters)
            write_text(stage / MARKER, "built by nhsrank.report; the next run replaces what manifest.json lists\n")
            echo(f"report {q}: {len(plan.jobs)} notebook(s) -> {out_dir} (n_boot={n_boot}, seed={seed}, "
                 f"methodology={meth_id})")
            # the league of every quarter and NHS England's figures beside it (full table, trust pages),
            # computed in a thread while the notebooks run in their own processes
            from concurrent.futures import ThreadPoolExecutor

            from .trust_data import trust_context

            pool = ThreadPoolExecutor(max_workers=1)
            pending = (pool.submit(trust_context, metrics, attributes, meth, q, types, data_path)
                       if "rank_uncertainty" in names else None)
            reproduced = pool.submit(reproduction_text, data_path, q, meth, published)   # the index's first finding
            results = [None] * len(plan.jobs)
            width = max([len(j.stem) for j in plan.jobs] + [10])
            n_workers = default_workers() if workers is None else workers
            cache = stage / ".bootstrap-cache"     # replicates shared between pages; removed before publishing
            for done, (i, r) in enumerate(run_jobs(plan.jobs, stage, notebooks_dir, synthetic, q, n_workers,
                                                   cache), 1):
                job = plan.jobs[i]
                results[i] = r
                n_csv = sum(p.suffix == ".csv" for p in r.files)
                n_svg = sum(p.suffix == ".svg" for p in r.files)
                echo(f"  [{done:>{len(str(len(plan.jobs)))}}/{len(plan.jobs)}] {job.stem:<{width}} {r.seconds:7.1f} s  "
                     + (f"ok ({n_csv} CSV, {n_svg} SVG)" if r.ok else "FAILED"))
                if not r.ok:
                    r.error = r.error.replace(str(stage), str(out_dir))
                    echo("    " + r.error.replace("\n", "\n    "))
            shutil.rmtree(cache, ignore_errors=True)
            for stem, reason in plan.skipped:
                echo(f"  skipped {stem}: {reason}")
            # the pages and notebooks name the folder they will live in, not the staging folder
            rewrite_paths(stage, str(stage), str(out_dir))
            for job in plan.jobs:
                for k, v in job.parameters.items():
                    if isinstance(v, str) and str(stage) in v:
                        job.parameters[k] = v.replace(str(stage), str(out_dir))
            context = pending.result() if pending is not None else None
            finished = finish_report(stage, out_dir, plan, meth=meth, data_path=data_path, synthetic=synthetic,
                                     published=published, seed=seed, echo=echo,
                                     context=context, reproduction=reproduced.result())   # full tables, pages, checks
            pool.shutdown()
            manifest = build_manifest(data_path, meth_id, seed, {
                "quarter": q, "trust_types": types, "n_boot": n_boot, "notebooks": names,
                "trust_profile": example, "kernel": KERNEL_NAME}, attributes_path)
            manifest["report"] = {
                "complete": all(r.ok for r in results),
                "runs": [{"notebook": r.job.notebook, "stem": r.job.stem, "ok": r.ok,
                          "seconds": round(r.seconds, 2), "parameters": r.job.parameters, "error": r.error,
                          "files": {p.relative_to(stage).as_posix(): _sha256(p) for p in r.files}}
                         for r in results],
                "skipped": [{"stem": s, "reason": why} for s, why in plan.skipped],
            }
            index_page = index_html(plan, results, manifest, finished)
            index_problems = page_problems(index_page, ae_data=meth.id.startswith("ae-"),
                                           builder_paths=(str(stage), str(out_dir)))
            if index_problems:                         # the first page a reader opens is checked too
                finished["problems"]["index.html"] = index_problems
                echo("  CHECK index.html: " + "; ".join(index_problems))
            manifest["report"]["page_checks"] = finished["problems"]
            write_text(stage / "index.html", index_page)
            manifest["outputs"] = sorted({p.name for p in stage.iterdir()} | {"manifest.json"})
            write_manifest(stage / "manifest.json", portable(manifest, out_dir))
            publish(stage, out_dir)
        failed = [r for r in results if not r.ok]
        total = sum(r.seconds for r in results)
        echo(f"report {q}: {len(results) - len(failed)}/{len(results)} notebook(s) ok; wall time "
             f"{time.perf_counter() - t_quarter:.0f} s ({total:.0f} s of notebook time, {n_workers} at a time); "
             f"open {out_dir / 'index.html'}")
        if failed:
            status = 1
            echo(f"report {q}: FAILED: {', '.join(r.job.stem for r in failed)} (details above)")
        if finished["problems"]:      # raw Python, column names, floats for counts... on a page for readers
            status = 1
            echo(f"report {q}: FAILED the page checks: {', '.join(finished['problems'])} (CHECK lines above)")
        built.append((q, out_dir, not failed and not finished["problems"]))
    if all_quarters:
        _write_quarters_index(out_root, built, synthetic)
    return status


def _write_quarters_index(out_root: Path, built, synthetic: bool) -> None:
    items = "".join(f'<li><a href="{html.escape(q)}/index.html">{html.escape(q)}</a>'
                    f'{"" if ok else " <span class=failed>incomplete</span>"}</li>' for q, _, ok in built)
    write_text(
        out_root / "index.html",
        f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>NOF reports</title>
<style>{INDEX_CSS}</style></head><body>{banner_html(synthetic)}<h1>NHS Oversight Framework reports</h1>
<ul>{items}</ul></body></html>
""",
    )


# ---------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------

def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the report options to a parser (shared by ``python -m nhsrank.report`` and ``nhsrank report``).

    Parameters
    ----------
    p : argparse.ArgumentParser
        The parser (or subcommand parser) the options are added to.

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_arguments(p)
    >>> p.parse_args(["--data", "synthetic", "--n-boot", "200"]).n_boot
    200
    """
    p.add_argument("--quarter", help="quarter to report, e.g. 2025-26-Q2 (default: the latest quarter that holds "
                   "every trust type in the data)")
    p.add_argument("--all-quarters", action="store_true", help="one report per quarter in the data")
    p.add_argument("--data", nargs="+", default=list(DEFAULT_DATA), metavar="FILE",
                   help="metrics file(s) (NHS England's published NOF files, read together and pooled; canonical "
                   "CSV; the A&E file), or 'synthetic' for the bundled SYNTHETIC data (default: NHS England's acute "
                   "and mental health and community files shipped in data/nhs-england)")
    p.add_argument("--attributes", help="trust attributes file (financial_deficit, pip); default: the bundled "
                   "one with the bundled data, none otherwise")
    p.add_argument("--methodology", help="methodology id or YAML path (default: nof-2025-26; ae-4hr for A&E data)")
    p.add_argument("--n-boot", type=_whole(1), default=10_000, help="bootstrap replicates (default: 10000)")
    p.add_argument("--seed", type=_whole(0), default=1, help="random seed (default: 1)")
    p.add_argument("--notebooks", help=f"comma-separated subset of: {', '.join(NOTEBOOKS)} (default: all)")
    p.add_argument("--trust-code", help="trust for the trust profile (default: the best-ranked acute trust)")
    p.add_argument("--out-dir", default=str(REPORTS_DIR), help="reports go to OUT_DIR/<quarter>/ "
                   "(default: reports/ in the repository)")
    p.add_argument("--jobs", type=_whole(1), default=None, help="notebooks run at once, each in its own process "
                   "(default: 2, or 1 on a single core)")
    p.add_argument("--notebooks-dir", default=str(NOTEBOOKS_DIR), help="where the notebooks are "
                   "(default: notebooks/ in the repository)")


def run(args) -> int:
    """Run the report from parsed arguments (:func:`add_arguments`): :func:`build_report`.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed report options.

    Returns
    -------
    int
        The exit status: 0 if every notebook ran and exported, 1 if one failed, 2 for bad input (said in one
        line on stderr).
    """
    from ..errors import InputError, MethodologyError
    from .plan import skip_unused_plugins

    skip_unused_plugins()    # a command's own process (a Python session calling build_report is left alone)
    try:
        return build_report(args.quarter, data_path=args.data, attributes_path=args.attributes,
                            methodology=args.methodology, n_boot=args.n_boot, seed=args.seed,
                            notebooks=args.notebooks, out_root=args.out_dir, notebooks_dir=args.notebooks_dir,
                            trust_code=args.trust_code, all_quarters=args.all_quarters,
                            echo=lambda line: print(line, flush=True), workers=args.jobs)
    except (ReportError, InputError, MethodologyError) as exc:
        print(f"nhsrank report: error: {exc}", file=sys.stderr)
        return 2


def _whole(least: int):
    """argparse type: a whole number of at least ``least`` (one message, exit 2, never a traceback)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"{text} is below {least}")
        return value
    return parse


def main(argv=None) -> int:
    """``python -m nhsrank.report``: parse the options (:func:`add_arguments`) and build the report.

    Parameters
    ----------
    argv : list of str or None, default None
        The command-line arguments; None: ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status (:func:`run`).
    """
    p = argparse.ArgumentParser(prog="python -m nhsrank.report", description=__doc__.split("\n\n")[0])
    add_arguments(p)
    return run(p.parse_args(argv))

