#!/usr/bin/env bash
# The README's plain route (no make), as a new user on any OS would follow it, on a fresh clone:
# a virtual environment, the pinned packages, the package itself, the report, the tests.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
clone="$(dirname "$here")/.netralitas-plain-route"
rm -rf "$clone"
trap 'rm -rf "$clone"' EXIT
git clone --quiet "$here" "$clone"
cd "$clone"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet -r requirements.txt > .venv/install.log 2>&1 \
  || { cat .venv/install.log; exit 1; }
.venv/bin/python -m pip install --quiet --no-deps -e . >> .venv/install.log 2>&1 \
  || { cat .venv/install.log; exit 1; }
.venv/bin/python -m analysis --help > /dev/null
.venv/bin/python -m analysis report
test -f reports/index.html
# make test (above) ran the whole suite in the same environment; here the tests of what differs
# on this route: the install, the package layout, the command line and the build workflow
.venv/bin/python -m pytest -q -m "not slow" -p no:cacheprovider tests/test_layers.py \
  tests/test_readme.py tests/test_cli_register.py tests/test_workflow.py tests/publish/test_report.py
