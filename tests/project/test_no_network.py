"""Nothing in nhsrank reaches the network (but `nhsrank fetch`, whose job it is: tests/data/test_fetch.py, against a
local server): sockets are disabled and every other entry point still works."""
import socket

import pytest

import nhsrank
from nhsrank.cli import main
from support import NO_ATTRIBUTES


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"nhsrank tried to reach the network: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_the_guard_works(no_network):
    with pytest.raises(AssertionError, match="network"):
        socket.create_connection(("127.0.0.1", 9))


@pytest.mark.filterwarnings(NO_ATTRIBUTES)  # the A&E data: no trust attributes, on purpose
def test_entry_points_work_offline(no_network, tmp_path, capsys):
    metrics, attrs = nhsrank.load_bundled()
    nhsrank.league_tables(metrics, "2025-26-Q1", attributes=attrs)
    ae = nhsrank.read_ae_attendances()
    u_res = nhsrank.rank_uncertainty(ae, "2018-19-Q4", "acute", "ae-4hr", n_boot=50, seed=1, progress=False)
    u = u_res.table
    assert len(u) > 100
    assert main(["league", "--data", "synthetic", "--quarter", "2025-26-Q2", "--out", str(tmp_path / "l.csv")]) == 0
    assert (
        main(
            [
                "uncertainty",
                "--data",
                "synthetic",
                "--quarter",
                "2025-26-Q2",
                "--trust-type",
                "ambulance",
                "--boot",
                "50",
                "--no-progress",
                "--out",
                str(tmp_path / "u.csv"),
            ]
        )
        == 0
    )
    from nhsrank.report.manifest import build_manifest
    assert build_manifest(seed=1)["synthetic_data"]


GUARDED_RUN = r"""
import socket, sys

def refuse(*args, **kwargs):
    raise SystemExit(f"NETWORK: {args!r}")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

import nhsrank                     # import time must not reach the network either
from nhsrank.cli import main

out = sys.argv[1]
assert main(["league", "--data", "synthetic", "--quarter", "2025-26-Q1", "--out", out + "/league.csv"]) == 0
assert main(["league", "--data", str(nhsrank.data.readers.AE_ATTENDANCES), "--quarter", "2018-19-Q4",
             "--out", out + "/ae.csv"]) == 0
ae = nhsrank.read_ae_attendances()
nhsrank.league_tables(ae, "2018-19-Q4", methodology="ae-4hr")
print("OFFLINE-OK")
"""


def test_import_and_cli_offline_in_a_fresh_interpreter(tmp_path):
    """Sockets are disabled before nhsrank is first imported, so import-time
    downloads (of data, fonts, schemas...) would be caught too."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", GUARDED_RUN, str(tmp_path)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OFFLINE-OK" in proc.stdout and "NETWORK" not in proc.stdout + proc.stderr
    assert (tmp_path / "league.csv").stat().st_size > 1000 and (tmp_path / "ae.csv").exists()
