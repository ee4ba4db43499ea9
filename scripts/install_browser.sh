#!/usr/bin/env bash
# Install Debian's Chromium and ChromeDriver (PDF briefs; browser tests) when they are missing.
# Needs root (or sudo) and apt-get; says clearly what to do otherwise. Exit 0 when both are there.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "Chromium is needed for the PDF briefs and the browser tests; install 'chromium' and 'chromedriver' with your package manager." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "Installing chromium needs root: run 'sudo apt-get install chromium chromium-driver'." >&2
    exit 1
  fi
fi
echo "Installing Debian's chromium and chromium-driver (once)..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
command -v chromium >/dev/null && command -v chromedriver >/dev/null
