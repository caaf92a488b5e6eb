"""No command ever modifies or deletes an input; outputs are written whole or not at all."""
from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import nhsrank
from nhsrank.cli import main
from nhsrank.data.readers import NHS_ENGLAND_MH_DATA, SYNTHETIC_ATTRIBUTES, SYNTHETIC_METRICS


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture
def inputs(tmp_path):
    data = tmp_path / "nof.csv"
    data.write_bytes(NHS_ENGLAND_MH_DATA.read_bytes())
    attrs = tmp_path / "attributes.csv"
    attrs.write_bytes(SYNTHETIC_ATTRIBUTES.read_bytes())
    return data, attrs


@pytest.mark.parametrize("args", [
    ["league", "--data", "{data}", "--quarter", "2025-26-Q4", "--out", "{data}"],
    ["league", "--data", "{data}", "--quarter", "2025-26-Q4", "--out", "{dir}/./nof.csv"],
    ["league", "--data", "{data}", "--attributes", "{attrs}", "--quarter", "2025-26-Q4", "--out", "{attrs}"],
    ["uncertainty", "--data", "{data}", "--quarter", "2025-26-Q4", "--boot", "50", "--no-progress",
     "--out", "{dir}/u.csv", "--pairs-out", "{data}"],
    ["reconcile", "--data", "{data}", "--out", "{data}"],
])
def test_an_output_onto_an_input_is_refused_and_the_input_kept(inputs, tmp_path, args, capsys):
    data, attrs = inputs
    before = sha(data), sha(attrs)
    argv = [a.format(data=data, attrs=attrs, dir=tmp_path) for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "would replace an input file" in err and "Traceback" not in err
    assert (sha(data), sha(attrs)) == before


def test_the_bundled_data_cannot_be_overwritten(capsys):
    before = sha(SYNTHETIC_METRICS)
    assert main(["league", "--data", "synthetic", "--quarter", "2025-26-Q1", "--out", str(SYNTHETIC_METRICS)]) == 2
    assert sha(SYNTHETIC_METRICS) == before


def test_out_naming_a_folder_is_one_message(tmp_path, capsys):
    assert main(["league", "--data", "synthetic", "--quarter", "2025-26-Q1", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is a folder" in err and "Traceback" not in err


def test_a_rerun_with_no_exclusions_removes_the_stale_exclusions_file(tmp_path):
    out = tmp_path / "league.csv"
    stale = tmp_path / "league-exclusions.csv"
    stale.write_text("trust_code,reason\nOLD,from an earlier run\n")
    assert main(["league", "--data", str(NHS_ENGLAND_MH_DATA), "--quarter", "2025-26-Q4", "--out", str(out)]) == 0
    assert not stale.exists()
    assert len(pd.read_csv(out)) == 61


def test_no_temporary_file_is_left_behind(tmp_path):
    out = tmp_path / "league.csv"
    assert main(["league", "--data", str(NHS_ENGLAND_MH_DATA), "--quarter", "2025-26-Q4", "--out", str(out)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["league.csv", "league.manifest.json"]


def test_a_closed_pipe_is_not_a_traceback():
    cmd = (f"{sys.executable} -m nhsrank league --data '{NHS_ENGLAND_MH_DATA}' --quarter 2025-26-Q4 "
           "| head -n 1")
    done = subprocess.run(["bash", "-c", f"set -o pipefail; {cmd}"], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
    assert done.stdout.startswith(" league_position")


def test_a_quarter_with_a_four_digit_second_year_is_understood():
    m = nhsrank.read_metrics(NHS_ENGLAND_MH_DATA)
    t = nhsrank.league_table(m, "2025/2026 Q4", "non-acute").table
    assert (t["quarter"] == "2025-26-Q4").all()


def test_trust_types_are_matched_loosely_and_a_missing_one_is_an_error():
    m = nhsrank.read_metrics(NHS_ENGLAND_MH_DATA)
    result = nhsrank.league_tables(m, "2025-26-Q4", trust_types=["Non-Acute"])
    tables, _ = result.table, result.exclusions
    assert len(tables) == 61
    with pytest.raises(nhsrank.InputError, match="no acute trusts in 2025-26-Q4"):
        nhsrank.league_tables(m, "2025-26-Q4", trust_types=["acute"])


@pytest.mark.parametrize("odd", ["\u200b", "\ufeff", "\u0420", "O"])
def test_one_trust_under_two_spellings_of_its_code_is_refused(tmp_path, odd):
    # half of RX1's rows carry a zero-width space, a BOM, a Cyrillic letter or an O for the 0 of R0X
    m, _ = nhsrank.load_bundled()
    q = m[(m["quarter"] == "2025-26-Q1") & (m["trust_type"] == "ambulance")].drop(columns="_row").copy()
    code = q["trust_code"].iloc[0]
    rows = q.index[q["trust_code"] == code][::2]
    bad = code.replace("0", odd) if odd == "O" else code[:1] + odd + code[1:]
    q.loc[rows, "trust_code"] = bad
    path = tmp_path / "codes.csv"
    q.to_csv(path, index=False)
    with pytest.raises(nhsrank.InputError) as info:
        nhsrank.league_table(nhsrank.read_metrics(path), None, "ambulance").table
    text = str(info.value)
    assert "trust_code" in text and ("appears under 2 codes" in text or "trust code contains" in text)


def test_make_report_quotes_its_parameters():
    """`make report DATA="My data/nof (1).csv"` passes the path as one argument (bash would fail on the brackets)."""
    import shlex
    import shutil
    import subprocess
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(["make", "-n", "-C", str(root), "report", "DATA=My data/nof (1).csv", "QUARTER=2025-26-Q4"],
                         capture_output=True, text=True, check=True).stdout
    line = next(s for s in out.splitlines() if "nhsrank.report" in s)
    argv = shlex.split(line)
    assert argv[argv.index("--data") + 1] == "My data/nof (1).csv"
    assert argv[argv.index("--quarter") + 1] == "2025-26-Q4"


# --------------------------------------------------------------------------- every write checked to the end

def _is_char_device(path: str) -> bool:
    import stat
    try:
        return stat.S_ISCHR(os.stat(path).st_mode)
    except OSError:
        return False


@pytest.mark.skipif(not _is_char_device("/dev/full"), reason="no /dev/full on this system")
def test_an_output_to_a_full_device_is_one_line_and_exit_2(capsys):
    code = main(["league", "--data", str(NHS_ENGLAND_MH_DATA), "--quarter", "2025-26-Q4", "--out", "/dev/full"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines() == ["nhsrank: error: cannot write /dev/full: the disk is full (no space left on the "
                                "device)"]
    assert _is_char_device("/dev/full")          # written through, never renamed over


def test_a_disk_that_fills_during_the_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, capsys):
    out = tmp_path / "league.csv"
    out.write_text("an earlier table\n")

    def full(fd):               # the data reach the disk only at the flush: a full disk shows there
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code = main(["league", "--data", str(NHS_ENGLAND_MH_DATA), "--quarter", "2025-26-Q4", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines() == [f"nhsrank: error: cannot write {out}: the disk is full (no space left on the device)"]
    assert out.read_text() == "an earlier table\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["league.csv"]       # no temporary file, no manifest


def test_an_unwritable_folder_is_one_message_through_the_api(tmp_path, monkeypatch):
    from nhsrank.errors import OutputError
    from nhsrank.outputs import write_text

    def denied(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", denied)
    with pytest.raises(OutputError) as info:
        write_text(tmp_path / "page.html", "<p>x</p>")
    assert str(info.value) == f"cannot write {tmp_path / 'page.html'}: permission denied"
    assert isinstance(info.value, nhsrank.InputError) and len(info.value.failures) == 1


WRITERS = {"to_csv", "to_excel", "to_json", "to_parquet", "write_text", "write_bytes", "save", "savez",
           "savez_compressed", "dump"}


def test_every_file_the_package_writes_goes_through_the_one_write_helper():
    """A write names the temporary file write_atomic hands it (``tmp``), or a buffer or file object
    opened on it; nothing in the package writes to a final path itself."""
    import ast

    allowed = {"tmp", "f", "buf", "xw"}
    bad = []
    for path in sorted((Path(nhsrank.__file__).parent).rglob("*.py")):
        if path.name == "outputs.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            if (
                isinstance(f, ast.Name)
                and f.id == "open"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and set(str(node.args[1].value)) & set("wax")
            ):
                target = node.args[0]
            elif isinstance(f, ast.Attribute) and f.attr in WRITERS:
                target = f.value if f.attr in ("write_text", "write_bytes") else (
                    node.args[0] if node.args else next((k.value for k in node.keywords if k.arg in (
                        "path_or_buf", "excel_writer", "file", "fp")), None))
                if target is None:
                    continue                    # df.to_json() / df.to_csv() return a string: no file
            else:
                continue
            if isinstance(target, ast.Attribute) and target.attr == "devnull":
                continue
            if not (isinstance(target, ast.Name) and target.id in allowed):
                bad.append(f"{path.relative_to(Path(nhsrank.__file__).parent)}:{node.lineno}")
    assert bad == [], bad
