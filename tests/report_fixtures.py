"""Report builds shared by tests/report/test_build.py and tests/project/test_browser.py.

Import the fixtures into a test module (``from report_fixtures import small_report``).
Each build happens once per pytest session even when two modules use it: the
report is written under the session's base temporary folder and reused when it
is already there.
"""
from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from nhsrank.data.readers import AE_ATTENDANCES
from nhsrank.report.plan import NOTEBOOKS_DIR
from nhsrank.report.build import build_report

TESTS = Path(__file__).resolve().parent
TINY_NOTEBOOKS = TESTS / "data" / "notebooks"

#: the small real report: bundled data, a quarter with a quarter before it, few replicates
SMALL_QUARTER = "2025-26-Q2"
SMALL_N_BOOT = 50
AE_QUARTER = "2018-19-Q4"
#: the trust pages' quarter and trust types (tests/report/test_trust_pages.py, test_trust_data.py)
PAGES_QUARTER = "2025-26-Q2"
PAGES_TYPES = ["acute", "ambulance"]


class Built:
    """A report built for the tests: where it is, its exit status and its printed progress."""

    def __init__(self, root: Path, quarter: str, status: int, output: str):
        self.root, self.quarter, self.status, self.output = root, quarter, status, output
        self.dir = root / quarter

    @property
    def manifest(self) -> dict:
        return json.loads((self.dir / "manifest.json").read_text())

    def html_pages(self) -> list[Path]:
        """The notebook pages (every HTML file but index.html)."""
        return sorted(p for p in self.dir.glob("*.html") if p.name != "index.html")


def build_once(tmp_path_factory, name: str, quarter: str, **kwargs) -> Built:
    """Build a report into ``<basetemp>/<name>/`` unless this session already did."""
    root = tmp_path_factory.getbasetemp() / name
    done = root / "build.json"
    if not done.exists():
        out = io.StringIO()
        with redirect_stdout(out):
            status = build_report(quarter, out_root=root, seed=1, echo=print, **kwargs)
        done.write_text(json.dumps({"status": status, "output": out.getvalue()}))
    record = json.loads(done.read_text())
    return Built(root, quarter, record["status"], record["output"])


def _real_notebooks_or_fail(names):
    missing = [n for n in names if not (NOTEBOOKS_DIR / f"{n}.ipynb").exists()]
    if missing:
        pytest.fail(f"notebook(s) missing from {NOTEBOOKS_DIR}: {', '.join(missing)}")


@pytest.fixture(scope="session")
def small_report(tmp_path_factory) -> Built:
    """Every real notebook on the bundled SYNTHETIC data, 2025-26-Q2, 50 replicates."""
    from nhsrank.report.plan import NOTEBOOKS

    _real_notebooks_or_fail(NOTEBOOKS)
    return build_once(tmp_path_factory, "small-report", SMALL_QUARTER, data_path="synthetic", n_boot=SMALL_N_BOOT)


@pytest.fixture(scope="session")
def ae_report(tmp_path_factory) -> Built:
    """The real league_table notebook on the real A&E data (not synthetic: no banner)."""
    _real_notebooks_or_fail(["league_table"])
    return build_once(tmp_path_factory, "ae-report", AE_QUARTER, data_path=str(AE_ATTENDANCES),
                      n_boot=SMALL_N_BOOT, notebooks=["league_table"])


@pytest.fixture(scope="session")
def tiny_report(tmp_path_factory) -> Built:
    """Every tiny stand-in notebook (tests/data/notebooks) on the bundled data, 2025-26-Q2."""
    return build_once(tmp_path_factory, "tiny-report", SMALL_QUARTER, data_path="synthetic", n_boot=SMALL_N_BOOT,
                      notebooks_dir=TINY_NOTEBOOKS)


@pytest.fixture(scope="module")
def bundled_context(bundled):
    """The trust pages' context (nhsrank.report.trust_data.trust_context) of the bundled SYNTHETIC data."""
    from nhsrank.report.trust_data import trust_context

    metrics, attrs = bundled
    return trust_context(metrics, attrs, "nof-2025-26", PAGES_QUARTER, PAGES_TYPES)
