import os

import pytest
from hypothesis import settings

# `make test` and CI run hypothesis derandomized (the same examples every run: a property that
# fails, fails every time, and no example database replays examples an earlier run saved);
# HYPOTHESIS_PROFILE=dev explores new examples on each run.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

import nhsrank

from support import MINI, TESTS, long_frame  # noqa: F401  (re-exported for fixtures)


@pytest.fixture(scope="session")
def bundled():
    """The bundled SYNTHETIC data: (metrics, attributes)."""
    return nhsrank.load_bundled()


@pytest.fixture(scope="session")
def mini():
    return nhsrank.load_methodology(MINI)

