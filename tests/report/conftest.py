"""Fixtures of the report's tests (tests/report/)."""
import pytest


@pytest.fixture(scope="module")
def loaded():
    """The notebooks' inputs on the bundled SYNTHETIC data (nhsrank.report.views.read_inputs)."""
    from nhsrank.report import views

    return views.read_inputs("synthetic")
