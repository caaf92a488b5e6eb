"""`make bench`: how long `nhsrank --help` and `import nhsrank` take (issue 21: under 0.5 s and 1 s).

Each command runs in a fresh process ``--runs`` times (default 7) after one
warm-up run (so the file-system cache is warm, as it is for a user's second
command); the median and the range of the wall-clock times are printed with
whether the goal is met. Nothing is asserted: a shared, busy machine can be
slow, and speed goals are checked here, never in the unit tests (which check
instead that neither command imports pandas, scipy or altair:
tests/project/test_startup.py).

    .venv/bin/python benchmarks/startup.py [--runs N]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

#: (what, command, goal in seconds)
COMMANDS = [
    ("nhsrank --help", [str(Path(sys.executable).with_name("nhsrank")), "--help"], 0.5),
    ('python -c "import nhsrank"', [sys.executable, "-c", "import nhsrank"], 1.0),
]


def wall_times(cmd: list[str], runs: int) -> list[float]:
    """Wall-clock seconds of ``runs`` runs of ``cmd`` (after one run not counted)."""
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return times


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="timed runs of each command (default 7)")
    args = ap.parse_args(argv)
    print(f"startup: median of {args.runs} runs, each in a fresh process")
    for what, cmd, goal in COMMANDS:
        if not Path(cmd[0]).exists() and shutil.which(cmd[0]) is None:
            print(f"  {what:<28} skipped: {cmd[0]} not found (make venv)")
            continue
        t = wall_times(cmd, args.runs)
        med = statistics.median(t)
        print(f"  {what:<28} {med:6.3f} s (min {min(t):.3f}, max {max(t):.3f})   goal < {goal:g} s: "
              f"{'met' if med < goal else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
