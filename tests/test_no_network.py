"""Nothing in nhsrank reaches the network: sockets are disabled and every entry point still works."""
import socket

import pytest

import nhsrank
from nhsrank.cli import main


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


def test_entry_points_work_offline(no_network, tmp_path, capsys):
    metrics, attrs = nhsrank.load_bundled()
    nhsrank.league_tables(metrics, "2025-26-Q1", attributes=attrs)
    ae = nhsrank.read_ae_attendances()
    u = nhsrank.rank_uncertainty(ae, "2018-19-Q4", "acute", "ae-4hr", n_boot=50, seed=1, progress=False)
    assert len(u) > 100
    assert main(["league", "--quarter", "2025-26-Q2", "--out", str(tmp_path / "l.csv")]) == 0
    assert main(["uncertainty", "--quarter", "2025-26-Q2", "--trust-type", "ambulance", "--boot", "50",
                 "--no-progress", "--out", str(tmp_path / "u.csv")]) == 0
    from nhsrank.manifest import build_manifest
    assert build_manifest(seed=1)["synthetic_data"]
