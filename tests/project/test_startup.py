"""`nhsrank --help` and `import nhsrank` import nothing heavy, and the values the parser shows without
importing the library are the library's. (How long they take is measured by `make bench`,
benchmarks/startup.py, never here.)"""
from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("pandas", "numpy", "scipy", "altair", "pandera", "yaml", "papermill", "matplotlib")


def _heavy_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_import_nhsrank_imports_nothing_heavy():
    assert _heavy_after("import nhsrank") == []


@pytest.mark.parametrize("argv", [["--help"], ["fetch", "--help"], ["league", "--help"], ["report", "--help"],
                                  ["reconcile", "--help"], ["sensitivity", "--help"], ["uncertainty", "--help"]])
def test_help_imports_nothing_heavy(argv):
    code = ("import contextlib, io\nfrom nhsrank.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    try:\n        main({argv!r})\n    except SystemExit:\n        pass")
    assert _heavy_after(code) == []


def test_the_parser_constants_are_the_library_constants():
    from nhsrank.cli import common
    from nhsrank.data.ae import AE_METHODOLOGY
    from nhsrank.data.readers import NHS_ENGLAND_DATA
    from nhsrank.report.build import DEFAULT_DATA
    from nhsrank.rules.methodology import DEFAULT_METHODOLOGY
    from nhsrank.uncertainty.bootstrap import SOURCES

    assert common.DEFAULT_METHODOLOGY is DEFAULT_METHODOLOGY         # one name, from nhsrank.defaults
    assert common.AE_METHODOLOGY == AE_METHODOLOGY
    assert common.SOURCES == SOURCES
    assert DEFAULT_DATA == NHS_ENGLAND_DATA
    assert all(p.is_file() for p in DEFAULT_DATA)


def test_the_parsers_offer_those_constants():
    from nhsrank.cli import build_parser
    from nhsrank.uncertainty.bootstrap import SOURCES

    p = build_parser()
    for sub in ("uncertainty", "sensitivity"):
        args = p.parse_args([sub, "--source", SOURCES[-1]])
        assert args.sources == [SOURCES[-1]]
    from nhsrank.data.readers import NHS_ENGLAND_DATA

    assert p.parse_args(["report"]).data == list(NHS_ENGLAND_DATA)
