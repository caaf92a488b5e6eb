"""`nhsrank fetch` (nhsrank.cli.fetch): the defaults its --help shows are the library's (the command itself runs
against a local server in tests/data/test_fetch.py)."""
from __future__ import annotations

from nhsrank.data import fetch as fetch_mod


def test_the_cli_defaults_match_the_library():
    from nhsrank.cli import fetch as cli_fetch

    assert cli_fetch.DEFAULT_URL == fetch_mod.DEFAULT_URL
    assert cli_fetch.DEFAULT_DEST == str(fetch_mod.DEFAULT_DEST)
