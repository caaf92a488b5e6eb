"""pytest settings for the whole repo: every notebook cell collected by nbval (notebooks/) is a slow test.

``make test`` runs nbval on this folder (pyproject: testpaths, ``--nbval-lax``);
``make test-fast`` (``-m "not slow ..."``) leaves the notebooks out.
"""
import pytest


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)


# tests/data/ holds fixtures (stand-in and deliberately broken notebooks for the report runner's
# tests), not tests: nbval must not collect them.
collect_ignore_glob = ["tests/data/*"]
