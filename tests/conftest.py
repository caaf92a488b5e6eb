from pathlib import Path

import pandas as pd
import pytest

import nhsrank

from support import MINI, TESTS, long_frame  # noqa: F401  (re-exported for fixtures)


@pytest.fixture(scope="session")
def bundled():
    """The bundled SYNTHETIC data: (metrics, attributes)."""
    return nhsrank.load_bundled()


@pytest.fixture(scope="session")
def mini():
    return nhsrank.load_methodology(MINI)

