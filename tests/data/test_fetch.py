"""``nhsrank fetch`` against a local HTTP server serving a copy of NHS England's page (no network)."""
from __future__ import annotations

import hashlib
import http.server
import json
import socket
import threading

import pytest

from nhsrank.cli import main
from nhsrank.data.fetch import FetchError, describe, fetch_files, parse_page

FILES = {
    # quarter 1: names without a quarter (as NHS England first published them); the heading says which
    "nhs-oversight-framework-acute-trust-data.csv": "Trust code,Metric,Value\nRAA,OF0001,1\n",
    "nhs-oversight-framework-acute-trust-league-table.csv": "Trust code,League position\nRAA,1\n",
    # quarter 3: a first version and a corrected -v2, and every trust type
    "nhs-oversight-framework-acute-trust-data-q3-25-26.csv": "Trust code,Metric,Value\nRAA,OF0001,OLD\n",
    "nhs-oversight-framework-acute-trust-data-q3-25-26-v2.csv": "Trust code,Metric,Value\nRAA,OF0001,3\n",
    "nhs-oversight-framework-acute-trust-league-table-q3-25-26.csv": "Trust code,League position\nRAA,3\n",
    "nhs-oversight-framework-mental-health-and-community-trust-data-q3-25-26.csv":
        "Trust code,Metric,Value\nRMH,OF0002,3\n",
    "nhs-oversight-framework-ambulance-trust-data-q3-25-26.csv": "Trust code,Metric,Value\nRAM,OF0003,3\n",
}
PAGE = """<html><body><h1>Segmentation and league tables</h1>
<h2>Quarter 1 2025/26</h2>
<p><a href="/wp-content/uploads/2025/09/nhs-oversight-framework-acute-trust-data.csv">Acute data (CSV)</a>
<a href="/wp-content/uploads/2025/09/nhs-oversight-framework-acute-trust-league-table.csv">Acute league</a></p>
<h2>Quarter 3 2025/26</h2>
<ul>
<li><a href="/wp-content/uploads/2026/02/nhs-oversight-framework-acute-trust-data-q3-25-26.csv">old</a></li>
<li><a href="/wp-content/uploads/2026/02/nhs-oversight-framework-acute-trust-data-q3-25-26-v2.csv">Acute data</a></li>
<li><a href="/wp-content/uploads/2026/02/nhs-oversight-framework-acute-trust-league-table-q3-25-26.csv">League</a></li>
<li><a href="/wp-content/uploads/2026/02/nhs-oversight-framework-mental-health-and-community-trust-data-q3-25-26.csv">MH</a></li>
<li><a href="/wp-content/uploads/2026/02/nhs-oversight-framework-ambulance-trust-data-q3-25-26.csv">Ambulance</a></li>
<li><a href="/about/">About</a> <a href="/wp-content/uploads/2026/02/board-paper.pdf">Board paper</a></li>
</ul></body></html>
"""  # noqa: E501 (doctest output / markup kept on one line)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the page at /page/ and every file under /wp-content/uploads/.../<name>; counts the requests."""

    log: list = []

    def translate_path(self, path):
        name = path.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        return str(self.root / ("index.html" if name == "page" else name))

    def send_response(self, code, message=None):
        type(self).log.append((self.path.rsplit("/", 1)[-1], code))
        super().send_response(code, message)

    def log_message(self, *args):
        pass


@pytest.fixture()
def server(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    for name, text in FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    handler = type("Handler", (_Handler,), {"root": root, "log": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/page/", root, handler
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_file_names_are_read_as_nhs_england_writes_them():
    assert describe("x/nhs-oversight-framework-non-acute-hospital-trust-data-q2-25-26.csv") == {
        "trust_type": "non-acute", "kind": "data", "quarter": "2025-26-Q2", "version": 1}
    assert describe("x/nhs-oversight-framework-ambulance-trust-league-table-q4-25-26-v3.csv") == {
        "trust_type": "ambulance", "kind": "league-table", "quarter": "2025-26-Q4", "version": 3}
    assert describe("x/nhs-oversight-framework-acute-trust-data.csv")["quarter"] is None
    assert describe("x/nhs-oversight-framework-acute-trust-data.xlsx") is None
    assert describe("x/other-trust-data-q3-25-26.csv") is None


def test_the_page_is_read_for_every_file_and_quarter():
    files = parse_page(PAGE, "https://www.england.nhs.uk/page/")
    got = {(f.quarter, f.trust_type, f.kind): f.name for f in files}
    assert got == {
        ("2025-26-Q1", "acute", "data"): "nhs-oversight-framework-acute-trust-data.csv",
        ("2025-26-Q1", "acute", "league-table"): "nhs-oversight-framework-acute-trust-league-table.csv",
        ("2025-26-Q3", "acute", "data"): "nhs-oversight-framework-acute-trust-data-q3-25-26-v2.csv",   # v2 wins
        ("2025-26-Q3", "acute", "league-table"): "nhs-oversight-framework-acute-trust-league-table-q3-25-26.csv",
        ("2025-26-Q3", "non-acute", "data"):
            "nhs-oversight-framework-mental-health-and-community-trust-data-q3-25-26.csv",
        ("2025-26-Q3", "ambulance", "data"): "nhs-oversight-framework-ambulance-trust-data-q3-25-26.csv",
    }
    assert all(f.url.startswith("https://www.england.nhs.uk/wp-content/uploads/") for f in files)


def test_the_latest_quarter_is_fetched_with_its_sha256_address_and_date(server, tmp_path, capsys):
    url, root, handler = server
    dest = tmp_path / "cache"
    assert main(["fetch", "--url", url, "--dest", str(dest)]) == 0
    out = capsys.readouterr().out
    expected = ["nhs-oversight-framework-acute-trust-data-q3-25-26-v2.csv",
                "nhs-oversight-framework-acute-trust-league-table-q3-25-26.csv",
                "nhs-oversight-framework-ambulance-trust-data-q3-25-26.csv",
                "nhs-oversight-framework-mental-health-and-community-trust-data-q3-25-26.csv"]
    assert sorted(p.name for p in dest.glob("*.csv")) == expected
    index = json.loads((dest / "index.json").read_text())
    assert index["page"] == url
    assert sorted(index["files"]) == expected
    for name in expected:
        entry = index["files"][name]
        assert (dest / name).read_text() == FILES[name]
        assert entry["sha256"] == _sha(FILES[name]) == hashlib.sha256((dest / name).read_bytes()).hexdigest()
        assert entry["url"].endswith("/" + name) and entry["url"].startswith("http://127.0.0.1:")
        assert entry["quarter"] == "2025-26-Q3"
        assert entry["downloaded"][:4].isdigit() and entry["downloaded"].endswith("+00:00")
        assert str(dest / name) in out
    assert "2025-26-Q3" in out
    assert out.count("downloaded ") == 4
    assert f"nhsrank league --data {dest / expected[0]}" in out
    assert "nhsrank reconcile --data" in out and "--league-table" in out
    assert not list(dest.glob(".*.tmp"))


def test_a_named_quarter(server, tmp_path, capsys):
    url, root, handler = server
    dest = tmp_path / "cache"
    assert main(["fetch", "--url", url, "--dest", str(dest), "--quarter", "Q1 2025/26"]) == 0
    assert sorted(p.name for p in dest.glob("*.csv")) == ["nhs-oversight-framework-acute-trust-data.csv",
                                                          "nhs-oversight-framework-acute-trust-league-table.csv"]
    out = capsys.readouterr().out
    assert "2025-26-Q1" in out and "no non-acute, no ambulance file" in out
    index = json.loads((dest / "index.json").read_text())["files"]
    assert {e["quarter"] for e in index.values()} == {"2025-26-Q1"}


def test_a_quarter_not_on_the_page_is_refused_naming_those_there(server, tmp_path, capsys):
    url, root, handler = server
    assert main(["fetch", "--url", url, "--dest", str(tmp_path / "c"), "--quarter", "2024-25-Q4"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "nhsrank: error: no file of quarter 2024-25-Q4 on the page; it has 2025-26-Q1, 2025-26-Q3"]
    assert not (tmp_path / "c").exists()


def test_rerunning_does_not_download_an_identical_file_again(server, tmp_path, capsys):
    url, root, handler = server
    dest = tmp_path / "cache"
    assert main(["fetch", "--url", url, "--dest", str(dest)]) == 0
    first = json.loads((dest / "index.json").read_text())
    mtimes = {p.name: p.stat().st_mtime_ns for p in dest.glob("*.csv")}
    capsys.readouterr()
    handler.log.clear()
    assert main(["fetch", "--url", url, "--dest", str(dest)]) == 0
    out = capsys.readouterr().out
    assert out.count("unchanged ") == 4 and "downloaded " not in out
    # the server was asked whether each file changed, and sent none again (304 Not Modified)
    assert sorted(code for name, code in handler.log if name.endswith(".csv")) == [304] * 4
    assert {p.name: p.stat().st_mtime_ns for p in dest.glob("*.csv")} == mtimes
    assert json.loads((dest / "index.json").read_text()) == first


def test_a_changed_file_is_downloaded_again_and_recorded(server, tmp_path, capsys):
    url, root, handler = server
    dest = tmp_path / "cache"
    assert main(["fetch", "--url", url, "--dest", str(dest)]) == 0
    name = "nhs-oversight-framework-ambulance-trust-data-q3-25-26.csv"
    new = "Trust code,Metric,Value\nRAM,OF0003,4\n"
    index = json.loads((dest / "index.json").read_text())
    index["files"][name]["last_modified"] = None      # the server's clock cannot tell within a second
    (dest / "index.json").write_text(json.dumps(index))
    (root / name).write_text(new)
    capsys.readouterr()
    assert main(["fetch", "--url", url, "--dest", str(dest)]) == 0
    out = capsys.readouterr().out
    assert out.count("updated ") == 1 and out.count("unchanged ") == 3
    assert (dest / name).read_text() == new
    assert json.loads((dest / "index.json").read_text())["files"][name]["sha256"] == _sha(new)


def test_an_identical_file_sent_again_is_left_alone(server, tmp_path):
    url, root, handler = server
    dest = tmp_path / "cache"
    fetch_files(dest, url)
    index = json.loads((dest / "index.json").read_text())
    for entry in index["files"].values():       # no date to ask with: the server sends every file again
        entry["last_modified"] = None
    (dest / "index.json").write_text(json.dumps(index))
    handler.log.clear()
    q, files = fetch_files(dest, url)
    assert [f.status for f in files] == ["unchanged"] * 4
    assert sorted(code for name, code in handler.log if name.endswith(".csv")) == [200] * 4


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_offline_is_one_line_exit_2_and_nothing_written(tmp_path, capsys):
    dest = tmp_path / "cache"
    url = f"http://127.0.0.1:{_closed_port()}/page/"
    assert main(["fetch", "--url", url, "--dest", str(dest)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"nhsrank: error: cannot fetch {url}: connection refused")
    assert "Traceback" not in captured.err and captured.out == ""
    assert not dest.exists()


def test_a_file_that_fails_midway_leaves_no_partial_file(server, tmp_path, capsys):
    url, root, handler = server
    dest = tmp_path / "cache"
    (root / "nhs-oversight-framework-ambulance-trust-data-q3-25-26.csv").unlink()     # 404
    assert main(["fetch", "--url", url, "--dest", str(dest)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "404" in err[0] and "ambulance-trust-data-q3-25-26.csv" in err[0]
    names = sorted(p.name for p in dest.iterdir())
    assert "nhs-oversight-framework-ambulance-trust-data-q3-25-26.csv" not in names
    assert not [n for n in names if n.endswith(".tmp")]
    index = json.loads((dest / "index.json").read_text())["files"]
    assert sorted(index) == sorted(n for n in names if n.endswith(".csv"))     # the index lists what is there


def test_a_web_page_instead_of_a_csv_is_refused(server, tmp_path, capsys):
    url, root, handler = server
    name = "nhs-oversight-framework-acute-trust-data-q3-25-26-v2.csv"
    (root / name).write_text("<!DOCTYPE html><html><body>Sign in</body></html>")
    with pytest.raises(FetchError, match="a web page, not a CSV file"):
        fetch_files(tmp_path / "cache", url)
    assert not (tmp_path / "cache" / name).exists()


def test_files_that_do_not_say_their_quarter_are_fetched_when_none_does(server, tmp_path, capsys):
    url, root, handler = server
    (root / "index.html").write_text(
        '<html><a href="/f/nhs-oversight-framework-acute-trust-data.csv">Acute trust data (CSV)</a></html>')
    dest = tmp_path / "cache"
    assert main(["fetch", "--url", url, "--dest", str(dest)]) == 0
    out = capsys.readouterr().out
    assert "a quarter the page does not state" in out
    assert f"nhsrank league --data {dest / 'nhs-oversight-framework-acute-trust-data.csv'}\n" in out
    assert json.loads((dest / "index.json").read_text())["files"][
        "nhs-oversight-framework-acute-trust-data.csv"]["quarter"] is None
    assert main(["fetch", "--url", url, "--dest", str(dest), "--quarter", "2025-26-Q1"]) == 2
    assert "none of its files says its quarter" in capsys.readouterr().err


def test_a_page_without_nof_files_says_so(server, tmp_path):
    url, root, handler = server
    (root / "index.html").write_text("<html><a href='/x.pdf'>x</a></html>")
    with pytest.raises(FetchError, match="no NHS Oversight Framework file"):
        fetch_files(tmp_path / "cache", url)
