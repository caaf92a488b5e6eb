# nhsrank: one Makefile, the project's entry point. `make help` lists targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# report parameters: make report QUARTER=2025-26-Q2 DATA=path/to/published.csv (docs/reports.md)
# Without DATA: NHS England's published acute (Q1 2025/26) and mental health and community
# (Q1-Q4 2025/26) files, read together (real data, OGL v3.0). DATA=one file (any name, spaces too);
# DATA2=a second file read with it (acute and MH & community, say);
# DATA=synthetic runs the bundled SYNTHETIC set (the ambulance table exists only there).
# NOTEBOOKS=league_table,trust_profile runs a subset
QUARTER ?=
DATA ?=
DATA2 ?=
ATTRIBUTES ?=
METHODOLOGY ?=
N_BOOT ?= 10000
SEED ?= 1
NOTEBOOKS ?=
REPORT_ARGS = $(if $(QUARTER),--quarter "$(QUARTER)") $(if $(DATA),--data "$(DATA)" $(if $(DATA2),"$(DATA2)")) \
              $(if $(ATTRIBUTES),--attributes "$(ATTRIBUTES)") $(if $(METHODOLOGY),--methodology "$(METHODOLOGY)") \
              $(if $(NOTEBOOKS),--notebooks $(NOTEBOOKS)) --n-boot "$(N_BOOT)" --seed "$(SEED)"

.DEFAULT_GOAL := help
.PHONY: help venv test test-fast report reports bench lab data browser clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

venv: $(VENV)/.installed ## create .venv and install nhsrank with its test tools (pip)

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

browser: ## make sure headless Chromium is installed (apt-get, for the offline-report browser test)
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "Chromium missing: run 'sudo apt-get install chromium chromium-driver' (the browser test will be skipped)"; fi; }

test: venv browser ## ruff, then every test: package, notebooks (nbval), report end to end, browser check
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

test-fast: venv ## unit tests only (no notebooks, no browser)
	$(BIN)/python -m pytest -m "not slow and not browser"

report: venv ## build reports/<quarter>/ (default: NHS England's acute and MH & community files, Q1 2025/26; DATA=synthetic)
	$(BIN)/python -m nhsrank.report $(REPORT_ARGS)

reports: venv ## build a report for every quarter in DATA
	$(BIN)/python -m nhsrank.report --all-quarters $(REPORT_ARGS)

bench: venv ## speed, memory, start-up and coverage benchmarks (prints figures and ratios)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]" || echo "multiple-inference not installed: the peer comparison is skipped"
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/report.py
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/coverage.py
	$(BIN)/python benchmarks/robustness.py

lab: venv ## open the notebooks in JupyterLab (adds --allow-root when run as root, as in most containers)
	$(BIN)/jupyter lab $$( [ "$$(id -u)" = 0 ] && echo --allow-root ) notebooks/

data: venv ## regenerate the bundled SYNTHETIC data set (seeded)
	$(BIN)/python -m nhsrank.data.synthetic --out data/synthetic

clean: ## remove the venv and built reports
	rm -rf $(VENV) reports/*/ .pytest_cache
