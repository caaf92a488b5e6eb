"""Fixtures of the report's tests (tests/report/)."""
import pytest


@pytest.fixture(scope="module")
def loaded():
    """The notebooks' inputs on the bundled SYNTHETIC data (nhsrank.report.views.read_inputs)."""
    from nhsrank.report import views

    return views.read_inputs("synthetic")


@pytest.fixture(scope="session")
def nonacute_uncertainty():
    """rank_uncertainty on the bundled SYNTHETIC data's non-acute table of 2025-26-Q4 (120 replicates, seed 3)."""
    import nhsrank
    from nhsrank.report import views

    metrics, attributes, methodology, _ = views.read_inputs("synthetic")
    return nhsrank.rank_uncertainty(metrics, "2025-26-Q4", "non-acute", methodology, attributes, n_boot=120, seed=3,
                                    progress=False)
