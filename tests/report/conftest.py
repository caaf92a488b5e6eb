"""Fixtures of the report's tests (tests/report/)."""
import pytest


@pytest.fixture(scope="module")
def loaded():
    """The notebooks' inputs on the bundled SYNTHETIC data (nhsrank.report.views.load_inputs)."""
    from nhsrank.report import views

    return views.load_inputs("synthetic")
