"""Ctrl-C: every entry point stops at once, prints one line, exits 130 and leaves no partial output.

Each test starts the command in its own process group and sends SIGINT to the group, as a
terminal does for Ctrl-C, once the command says it is at work (a line on stderr).
How fast a command stops is measured by ``make bench`` (benchmarks/robustness.py); these tests
only bound it loosely (a command still running 20 s after Ctrl-C has ignored it).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from nhsrank.data.readers import NHS_ENGLAND_MH_DATA
from nhsrank.interrupts import EXIT_INTERRUPTED, run_entry_point

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
#: a test run started as a background job (`make test &`) inherits SIGINT ignored, and so do the commands it
#: starts: Ctrl-C cannot reach them, as in any background job, so the Ctrl-C tests say so and skip
background = pytest.mark.skipif(signal.getsignal(signal.SIGINT) is signal.SIG_IGN,
                                reason="SIGINT is ignored in this process (a background job): no Ctrl-C to test")


def interrupt_when(cmd: list[str], marker: str, cwd=None, delay: float = 0.5, limit: float = 20.0):
    """Run ``cmd``; once a line it prints holds ``marker``, wait ``delay`` s and send SIGINT to its group.

    Returns (exit status, lines of stdout and stderr, seconds from SIGINT to exit)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=cwd,
                            start_new_session=True)
    lines: list[str] = []
    seen = threading.Event()

    def read():
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if marker in line:
                seen.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert seen.wait(180), f"{marker!r} never printed:\n" + "\n".join(lines)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGINT)
        sent = time.perf_counter()
        proc.wait(timeout=limit)
        took = time.perf_counter() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        reader.join(timeout=5)
        proc.stdout.close()
    return proc.returncode, lines, took


@background
def test_the_handler_turns_ctrl_c_into_one_line_and_130(capsys):
    def main(argv):
        raise KeyboardInterrupt

    before = signal.getsignal(signal.SIGINT)
    assert run_entry_point(main, [], prog="demo") == EXIT_INTERRUPTED == 130
    assert capsys.readouterr().err == "demo: interrupted\n"
    assert signal.getsignal(signal.SIGINT) is before      # given back to the caller


@background
def test_ctrl_c_during_a_long_c_call_still_ends_the_command_and_cleans_up(tmp_path):
    # Python sees Ctrl-C only between its own steps; one NumPy call on a huge array runs in C for seconds
    # without looking (here a sum over 10**11 broadcast ones, minutes): the watchdog runs the clean-ups, ends it
    leftover = tmp_path / "partial.tmp"
    script = f"""
import sys
from pathlib import Path
import numpy as np
from nhsrank.interrupts import run_entry_point, undo_if_interrupted
def main(argv):
    p = Path({str(leftover)!r}); p.write_text("half")
    with undo_if_interrupted(p.unlink):
        print("ready", file=sys.stderr, flush=True)
        np.broadcast_to(np.float64(1), (10 ** 11,)).sum()
    return 0
sys.exit(run_entry_point(main, prog="stuck"))
"""
    code, lines, took = interrupt_when([sys.executable, "-c", script], "ready")
    assert code == 130 and lines[-1] == "stuck: interrupted", lines
    assert not any("Traceback" in line for line in lines)
    assert not leftover.exists()
    assert took < 10


def test_a_clean_up_runs_when_ctrl_c_reaches_python_too(tmp_path):
    from nhsrank.interrupts import undo_if_interrupted

    p = tmp_path / "partial.tmp"
    p.write_text("half")
    with pytest.raises(KeyboardInterrupt), undo_if_interrupted(p.unlink):
        raise KeyboardInterrupt
    assert not p.exists()
    q = tmp_path / "kept"
    q.write_text("x")
    with pytest.raises(ValueError), undo_if_interrupted(q.unlink):   # an error is the block's own business
        raise ValueError
    assert q.exists()


@background
def test_ctrl_c_stops_a_two_million_replicate_bootstrap(tmp_path):
    out = tmp_path / "u.csv"
    cmd = [sys.executable, "-m", "nhsrank", "uncertainty", "--data", str(NHS_ENGLAND_MH_DATA), "--quarter",
           "2025-26-Q4", "--source", "sampling", "--n-boot", "2000000", "--no-progress", "--out", str(out)]
    # without the progress bar the command says when it starts drawing replicates
    code, lines, took = interrupt_when(cmd, "drawing 2,000,000 replicates", delay=1.0)
    assert code == 130, lines
    assert lines[-1] == "nhsrank: interrupted"
    assert not any("Traceback" in line or "KeyboardInterrupt" in line for line in lines), lines
    assert list(tmp_path.iterdir()) == []               # no table, no temporary file, no manifest
    assert took < 20


@background
def test_ctrl_c_stops_python_m_nhsrank_report_and_leaves_no_folder(tmp_path):
    # what `make report` runs (`nhsrank report` goes through the same handler as every nhsrank command)
    out = tmp_path / "reports"
    cmd = [
        sys.executable,
        "-m",
        "nhsrank.report",
        "--data",
        "synthetic",
        "--notebooks",
        "league_table,rank_uncertainty",
        "--n-boot",
        "200",
        "--out-dir",
        str(out),
    ]
    code, lines, took = interrupt_when(cmd, "notebook(s) ->", delay=1.0)
    assert code == 130, lines
    assert lines[-1] == "nhsrank report: interrupted"
    assert not any("Traceback" in line or "KeyboardInterrupt" in line for line in lines), lines
    left = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert [n for n in left if not n.endswith(".lock")] == [], left   # no report, no staging folder
    assert took < 20

