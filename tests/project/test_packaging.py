"""Dependencies are declared once (pyproject.toml); environment.yml only installs the package with pip."""
import tomllib
from pathlib import Path

import yaml

import nhsrank

ROOT = Path(__file__).resolve().parents[2]


def test_environment_yml_installs_the_package_and_declares_nothing_else():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    py = (ROOT / "pyproject.toml").read_bytes()
    project = tomllib.loads(py.decode())["project"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert sorted(c.split("=")[0] for c in conda) == ["pip", "python"], conda
    assert pip == [{"pip": ["-e .[test]"]}]
    # the conda Python satisfies requires-python
    version = next(c for c in conda if c.startswith("python")).split("=")[1]
    assert project["requires-python"] == ">=3.11" and version.startswith("3.1") and int(version.split(".")[1]) >= 11
    assert "test" in project["optional-dependencies"]


def test_ci_and_readme_use_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make report" in readme and "make test" in readme


def test_methodology_files_ship_and_load():
    assert {"nof-2025-26", "ae-4hr"} <= set(nhsrank.available_methodologies())
    for name in nhsrank.available_methodologies():
        m = nhsrank.load_methodology(name)
        assert m.id == name
