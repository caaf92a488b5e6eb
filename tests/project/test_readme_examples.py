"""Every example in README.md runs as written: its Python blocks, its console transcript and its commands.

The Python blocks run in order in one namespace (each builds on the one before). The console block's
output is compared line by line. Every ``nhsrank``/``python`` line of the bash blocks runs from a scratch
folder that sees the repository's ``data/`` and ``tests/`` (so ``--out`` writes nothing into the clone),
except the lines listed in :data:`NOT_RUN`, each with the reason (a placeholder path, the network, a
``make`` target that the suite itself is).
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")

#: bash lines of README not run, and why (a line matches if it starts with the key)
NOT_RUN = {
    "make ": "a make target (make test is this suite; make report is tested by tests/report/test_build.py)",
    "nhsrank fetch": "needs the network (tested offline against a local server in tests/data/test_fetch.py)",
    "nhsrank league --data path/to/": "a placeholder path for the reader's own file",
    "nhsrank league --data acute.csv mh.csv ambulance.csv": "placeholder paths for the reader's own files",
}


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def commands() -> list[str]:
    lines = []
    for block in blocks("bash"):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()   # the comments after a command
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def _not_run(line: str) -> str | None:
    return next((why for key, why in NOT_RUN.items() if line.startswith(key)), None)


def test_readme_has_the_examples_this_file_runs():
    assert len(blocks("python")) >= 2 and len(blocks("console")) == 1
    run = [c for c in commands() if not _not_run(c)]
    assert len(run) >= 6, run
    assert all(c.startswith(("nhsrank ", "python ")) for c in run), run   # nothing else is run unseen


def test_python_examples_run_in_order():
    namespace: dict = {}
    for i, code in enumerate(blocks("python")):
        try:
            exec(compile(code, f"README.md python block {i + 1}", "exec"), namespace)
        except Exception as exc:      # the block and its error, not a bare traceback
            pytest.fail(f"README python block {i + 1} raises {type(exc).__name__}: {exc}\n{code}")


def _scratch(tmp_path: Path) -> Path:
    for name in ("data", "tests"):
        (tmp_path / name).symlink_to(REPO / name)
    (tmp_path / "reports").mkdir()
    return tmp_path


def _run(line: str, cwd: Path) -> subprocess.CompletedProcess:
    argv = shlex.split(line)
    if argv[0] == "nhsrank":
        argv = [sys.executable, "-m", "nhsrank", *argv[1:]]
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=600, env=env)


@pytest.mark.slow
@pytest.mark.parametrize("line", [c for c in commands() if not _not_run(c)])
def test_command_examples_run(line, tmp_path):
    done = _run(line, _scratch(tmp_path))
    assert done.returncode == 0, f"{line}\nexit {done.returncode}\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr


def test_console_transcript_is_what_the_command_prints(tmp_path):
    (block,) = blocks("console")
    command, *expected = block.strip().splitlines()
    assert command.startswith("$ ")
    done = _run(command[2:], _scratch(tmp_path))
    assert done.returncode == 2
    assert (done.stdout + done.stderr).strip().splitlines() == expected
