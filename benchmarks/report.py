"""`make bench`: how long the default report takes (issue 21: within 60 s once the venv exists).

Builds what ``make report`` builds (NHS England's shipped files, the latest quarter that holds
every trust type, 10,000 replicates, seed 1, every notebook and every trust's page) into a
temporary folder, ``--runs`` times (default 1), and prints the wall-clock time, the processor
time of the whole run (the notebooks' kernels included) and the machine's load average before
and after, with whether the goal is met. Nothing is asserted: a busy machine is slower, and
speed goals are checked here, never in the unit tests. ``reports/`` is left alone.

    .venv/bin/python benchmarks/report.py [--runs N]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

GOAL_SECONDS = 60.0


def one_run(out_dir: str) -> tuple[float, float]:
    """(wall seconds, processor seconds) of one default report built into ``out_dir``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "nhsrank.report", "--out-dir", out_dir],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        print(done.stdout)
        raise SystemExit(f"the report failed (exit status {done.returncode})")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1, help="reports to build (default 1)")
    args = ap.parse_args(argv)
    print(f"report: the default report (make report), {args.runs} run(s), {os.cpu_count()} cores")
    walls = []
    for i in range(args.runs):
        load0 = os.getloadavg()[0]
        with tempfile.TemporaryDirectory(prefix="nhsrank-bench-report-") as out:
            wall, cpu = one_run(out)
        walls.append(wall)
        print(f"  run {i + 1}: {wall:5.1f} s wall, {cpu:5.1f} s processor time "
              f"(load average {load0:.1f} before, {os.getloadavg()[0]:.1f} after)")
    med = statistics.median(walls)
    print(f"  make report {med:6.1f} s (median)   goal <= {GOAL_SECONDS:g} s: "
          f"{'met' if med <= GOAL_SECONDS else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
