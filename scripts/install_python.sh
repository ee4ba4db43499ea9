#!/usr/bin/env bash
# Install the exact pins of requirements.txt and the project (editable) into the virtual
# environment VENV (created by the Makefile). The installer is uv when it can be had: `uv` on the
# PATH, else uv from PyPI into the environment (pinned below); it resolves nothing (the pins are
# exact) and installs the same versions about 20 times faster than pip. pip is the fallback, and
# INSTALLER=pip forces it. uv does not read pip's configuration files: a machine whose packages
# come from a private index or wheel folder set in pip.conf should set UV_INDEX_URL /
# UV_FIND_LINKS too, or use INSTALLER=pip; a uv install that fails falls back to pip anyway.
# uv is told to compile bytecode as pip does: without it, and with PYTHONDONTWRITEBYTECODE set
# (as on CI machines and in containers), every Python process compiles pandas, scipy,
# statsmodels and nbconvert again from source (8.5 s instead of 4 s to import them).
set -uo pipefail
VENV="${1:-.venv}"
PY="$VENV/bin/python"
UV_VERSION="0.13.9"

with_pip() {
  echo "installer: pip"
  "$PY" -m pip install --quiet --upgrade pip &&
    "$PY" -m pip install --quiet -r requirements.txt &&
    "$PY" -m pip install --quiet --no-deps -e .
}

with_uv() {
  local uv
  uv="$(command -v uv || true)"
  if [ -z "$uv" ]; then
    "$PY" -m pip install --quiet "uv==$UV_VERSION" || return 1
    uv="$VENV/bin/uv"
  fi
  echo "installer: $("$uv" --version)"
  "$uv" pip install --quiet --compile-bytecode --python "$PY" -r requirements.txt &&
    "$uv" pip install --quiet --python "$PY" --no-deps -e .
}

if [ "${INSTALLER:-uv}" != "pip" ] && with_uv; then
  exit 0
fi
[ "${INSTALLER:-uv}" = "pip" ] || echo "uv could not install the pins: falling back to pip"
with_pip
