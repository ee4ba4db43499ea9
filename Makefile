# Netralitas: `make report` (the main job) and `make test` work on a fresh machine with only
# Python >= 3.11 and make: the first use creates .venv and installs the exact pins.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# npm packages: tablesort (copied into reports/assets/ by the build), axe-core (tests only)
NODE_STAMP := node_modules/.netralitas-installed
# pytest-xdist: one worker per core, idle workers steal queued tests (the long ones are uneven);
# `make test PYTEST_JOBS=` runs in one process.
PYTEST_JOBS ?= -n auto --dist worksteal

.PHONY: help report test test-fast lint bytecode browser-optional node-optional validate build datapackage curate bench bench-quick bench-fresh lock clean browser template

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sort | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	@echo "Installing the pinned packages into $(VENV) (uv, else pip; log in $(VENV)/install.log)..."
	@bash scripts/install_python.sh $(VENV) > $(VENV)/install.log 2>&1 \
	   || { cat $(VENV)/install.log; echo "Install failed: see above ($(VENV)/install.log)"; exit 1; }
	@grep -m1 "^installer:" $(VENV)/install.log || true
	@touch $(STAMP)

# The package's bytecode, written beside its sources (git-ignored): each notebook kernel and build
# process then reads it instead of compiling the package again where PYTHONDONTWRITEBYTECODE is
# set, as on CI machines and in containers (about 3 % of a one-notebook build's CPU; the install
# compiles the pinned packages for the same reason). Only edited modules are compiled again.
bytecode: $(STAMP) ## Compile the package's bytecode beside its sources (report, test and bench do it first)
	@$(PY) -m compileall -q analysis

# The Python install, Chromium and the npm packages do not depend on one another: on a fresh
# machine they are set up side by side (-j3), so the slowest alone sets the time.
report: ## Validate, build data/processed, run every notebook and write the briefs into reports/ (open reports/index.html)
	@$(MAKE) --no-print-directory -j3 $(STAMP) browser-optional node-optional
	@$(MAKE) --no-print-directory bytecode
	$(PY) -m analysis report

test: ## Run the whole test suite, slow simulation studies and browser tests included
	@$(MAKE) --no-print-directory -j3 $(STAMP) browser $(NODE_STAMP)
	@$(MAKE) --no-print-directory bytecode
	NETRALITAS_REQUIRE_BROWSER=1 $(PY) -m pytest $(PYTEST_JOBS)

browser-optional:
	@bash scripts/install_browser.sh || echo "Chromium missing: the PDF briefs will be skipped (HTML briefs are still written)."

node-optional:
	@$(MAKE) --no-print-directory $(NODE_STAMP) || echo "npm missing: the published tables will be filterable but not sortable."

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed for sortable tables and the accessibility checks: install nodejs and npm"; exit 1; }
	npm ci --silent --no-audit --no-fund
	@touch $@

test-fast: bytecode ## The suite without the slow tests (no notebook runs, browser or simulation studies; developers)
	$(PY) -m pytest $(PYTEST_JOBS) -m "not slow"

lint: $(STAMP) ## ruff (pycodestyle, pyflakes; a `# noqa` must suppress something) and the import contracts
	$(VENV)/bin/ruff check analysis tests scripts notebooks
	$(VENV)/bin/lint-imports --no-logo pyproject.toml

browser: ## Install Debian's chromium and chromium-driver if missing (PDF briefs, browser tests)
	@bash scripts/install_browser.sh

validate: $(STAMP) ## Check every raw file; FILES="a.csv b.csv" checks just those
	$(PY) -m analysis validate $(FILES)

build: $(STAMP) ## Validate, then write the tidy tables in data/processed/
	$(PY) -m analysis build

datapackage: $(STAMP) ## Regenerate data/raw/datapackage.json from analysis/schemas.py
	$(PY) -m analysis datapackage

curate: $(STAMP) ## Re-curate the ledger from ../shared/sources (developers; review the diff)
	$(PY) scripts/curate_ledger.py

bench: bytecode ## Speed and memory: notebooks vs plain nbconvert, no-op rebuild, 1M-row ledger and register
	$(PY) scripts/bench.py

bench-quick: bytecode ## The benchmark without the 1M-row files
	$(PY) scripts/bench.py --quick

bench-fresh: ## Time a new user's commands on a fresh clone of HEAD: make report, lint, test-fast, test, the plain route
	python3 scripts/bench_fresh.py

template: $(STAMP) ## Regenerate the register codebook, schema and .xlsx template from the code
	$(PY) scripts/make_register_template.py

lock: ## Re-resolve requirements.in into exact pins in requirements.txt (needs the registry)
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install --quiet -r requirements.in
	{ echo '# Exact pins generated from requirements.in by `make lock` (pip freeze in a clean venv). Do not edit by hand.'; .venv-lock/bin/pip freeze; } > requirements.txt
	rm -rf .venv-lock

clean: ## Remove generated outputs (data/processed, reports) but keep .venv
	rm -rf data/processed/* reports/*
	@touch data/processed/.gitkeep reports/.gitkeep
