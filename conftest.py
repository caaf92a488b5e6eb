"""pytest settings for the whole repo: every notebook cell collected by nbval (notebooks/) is a slow test.

``make test`` runs nbval on this folder (pyproject: testpaths, ``--nbval-lax``);
``make test-fast`` (``-m "not slow ..."``) leaves the notebooks out.
"""
import pytest


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)


# tests/data/ holds the tests of nhsrank/data/ and, in its subfolders and make_*.py scripts, fixtures
# (stand-in and deliberately broken notebooks for the report runner's tests, the file corpus and the
# scripts that made them), not tests: neither nbval nor the doctests may collect those.
collect_ignore_glob = ["tests/data/*/*", "tests/data/make_*.py"]
