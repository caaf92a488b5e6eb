"""`make bench`: nothing silent, nothing stuck (issue 22): a 200 MB file, Ctrl-C, a full disk.

1. A 200 MB file in NHS England's published layout (the mental health and community file, its
   four quarters repeated under earlier and later financial years: about 90 years, 356 quarters,
   780,000 rows) is written to a temporary folder, then
   (a) ranked for one quarter: ``nhsrank league --data BIG --quarter 2025-26-Q4 --out ...``, and the
       table compared with the one ranked from the published file itself;
   (b) refused without a quarter: ``nhsrank league --data BIG`` (exit 2, one message saying to choose);
   each in a child process, with its wall time and peak resident memory (``getrusage`` of the child).
   Goal: within 60 s and 2 GB each.
2. Ctrl-C (SIGINT sent to the command's process group, as a terminal does) once the command is at
   work: ``nhsrank uncertainty --n-boot 2000000`` (sampling bootstrap of the same file's Q4) and
   ``python -m nhsrank.report`` (bundled SYNTHETIC data, two notebooks); the seconds from the signal
   to the exit, the exit status and the last line. Goal: within 2 s, status 130, one line.
3. ``nhsrank league --out /dev/full`` (where the system has it): exit status and message.

    .venv/bin/python benchmarks/robustness.py [--size-mb 200] [--skip-interrupts]

Nothing is asserted; the lines marked "goal" say whether the issue's targets were met in this run.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
MH = ROOT / "data" / "nhs-england" / "nof-mh-community-trust-data-2025-26-q4.csv"
Q = "2025-26-Q4"


def write_big_file(path: Path, size_mb: float) -> tuple[float, int]:
    """The published MH file's rows under ever more financial years until ``size_mb`` MB; (MB, quarters)."""
    lines = MH.read_text(encoding="utf-8-sig").splitlines()
    header, body = lines[0], lines[1:]
    years = list(range(2025, 1999, -1)) + list(range(2026, 2099))      # the quarter reader's 20xx years
    size, quarters, target = 0, 0, size_mb * 1e6
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write("\ufeff" + header + "\n")
        for y in years:
            if size >= target:
                break
            block = "".join(f"{row.split(' ', 1)[0]} {y}/{(y + 1) % 100:02d},{row.split(',', 1)[1]}\n" for row in body)
            out.write(block)
            size += len(block.encode())
            quarters += 4
    return size / 1e6, quarters


def timed(cmd: list[str]) -> tuple[int, float, float, str]:
    """(exit status, seconds, peak resident GB, stderr) of a child process (``wait4``: its own peak)."""
    with tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, text=True, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        dt = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return proc.returncode, dt, usage.ru_maxrss / 2**20, err.read()     # ru_maxrss: KiB on Linux


def interrupt(cmd: list[str], marker: str, delay: float = 1.0) -> tuple[int, float, str]:
    """Start ``cmd`` in its own process group, send SIGINT once ``marker`` is printed (plus ``delay``);
    (exit status, seconds from the signal to the exit, last line printed)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
                            start_new_session=True)
    lines, seen = [], threading.Event()

    def read():
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if marker in line:
                seen.set()

    threading.Thread(target=read, daemon=True).start()
    if not seen.wait(300):
        os.killpg(proc.pid, signal.SIGKILL)
        return -1, float("nan"), "never reached: " + (lines[-1] if lines else "")
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGINT)
    t = time.perf_counter()
    try:
        proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return proc.returncode, float("inf"), "still running 120 s after Ctrl-C (killed)"
    dt = time.perf_counter() - t
    time.sleep(0.2)
    tracebacks = sum("Traceback" in x for x in lines)
    return proc.returncode, dt, (lines[-1] if lines else "") + (f"  [{tracebacks} traceback(s)]" if tracebacks else "")


def goal(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=float, default=200)
    ap.add_argument("--skip-interrupts", action="store_true")
    args = ap.parse_args(argv)
    nhsrank = [sys.executable, "-m", "nhsrank"]
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        big = d / "nof-many-quarters.csv"
        t = time.perf_counter()
        mb, nq = write_big_file(big, args.size_mb)
        print(
            f"big file: {mb:.0f} MB, {nq} quarters of the published layout (written in {time.perf_counter() - t:.0f} s)"
        )

        code, dt, gb, err = timed([*nhsrank, "league", "--data", str(big), "--quarter", Q, "--out", str(d / "big.csv")])
        small = subprocess.run([*nhsrank, "league", "--data", str(MH), "--quarter", Q, "--out", str(d / "mh.csv")],
                               capture_output=True, text=True, cwd=ROOT)
        same = code == 0 and small.returncode == 0 and pd.read_csv(d / "big.csv").equals(pd.read_csv(d / "mh.csv"))
        print(
            f"  ranked one quarter:  exit {code}, {dt:5.1f} s, peak {gb:.2f} GB; table as from the published "
            f"file: {'identical' if same else 'DIFFERENT'}  goal (60 s, 2 GB): {goal(code == 0 and dt < 60 and gb < 2)}"
        )
        code, dt, gb, err = timed([*nhsrank, "league", "--data", str(big)])
        last = err.strip().splitlines()[-1].strip() if err.strip() else ""
        print(f"  no quarter chosen:   exit {code}, {dt:5.1f} s, peak {gb:.2f} GB  goal (refused within 60 s, 2 GB): "
              f"{goal(code == 2 and dt < 60 and gb < 2)}\n    {last[:160]}")

        if os.path.exists("/dev/full"):
            done = subprocess.run([*nhsrank, "league", "--data", str(MH), "--quarter", Q, "--out", "/dev/full"],
                                  capture_output=True, text=True, cwd=ROOT)
            lines = done.stderr.strip().splitlines()
            print(f"--out /dev/full: exit {done.returncode}, {len(lines)} line(s): {lines[-1] if lines else ''}  "
                  f"goal (exit 2, one line): {goal(done.returncode == 2 and len(lines) == 1)}")

        if not args.skip_interrupts:
            cases = [
                ("nhsrank uncertainty --n-boot 2000000",
                 [*nhsrank, "uncertainty", "--data", str(MH), "--quarter", Q, "--source", "sampling", "--n-boot",
                  "2000000", "--no-progress", "--out", str(d / "u.csv")], "kept fixed"),
                ("python -m nhsrank.report",
                 [sys.executable, "-m", "nhsrank.report", "--data", "synthetic", "--notebooks",
                  "league_table,rank_uncertainty", "--n-boot", "200", "--out-dir", str(d / "reports")],
                 "notebook(s) ->"),
            ]
            for name, cmd, marker in cases:
                for delay in (1.0, 5.0):
                    code, dt, last = interrupt(cmd, marker, delay)
                    left = sorted(p.name for p in (d / "reports").iterdir()) if (d / "reports").exists() else []
                    partial = (d / "u.csv").exists() or any(not n.endswith(".lock") for n in left)
                    print(f"Ctrl-C {delay:.0f} s into {name}: exit {code}, stopped in {dt:.2f} s, last line "
                          f"{last!r}, partial output: {'yes' if partial else 'none'}  goal (2 s, 130, one line): "
                          f"{goal(code == 130 and dt < 2 and 'Traceback' not in last and not partial)}")


if __name__ == "__main__":
    main()
