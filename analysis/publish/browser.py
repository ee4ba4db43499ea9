"""Finding a Chromium-family browser (for the PDF briefs and the browser tests).

Chromium, Chrome and Edge print the same HTML the same way. They are looked up on ``PATH``
(:func:`shutil.which`) and in the usual install folders of Linux, macOS and Windows; the
``NETRALITAS_CHROMIUM`` environment variable names one explicitly. Where none is found, the PDF
step and the browser tests are skipped with that reason, never failed (CI installs Debian's
``chromium`` and ``chromium-driver`` and runs them).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["find_browser", "find_driver", "MISSING_REASON"]

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                 "chrome", "msedge", "microsoft-edge")
DRIVER_NAMES = ("chromedriver", "msedgedriver")
MISSING_REASON = ("no Chromium, Chrome or Edge found (install Debian's chromium with "
                  "`make browser`, or set NETRALITAS_CHROMIUM to the browser's path)")


def _usual_browser_paths() -> list[Path]:
    paths = [Path("/usr/bin/chromium"), Path("/usr/bin/chromium-browser"),
             Path("/snap/bin/chromium"), Path("/usr/bin/google-chrome"),
             Path("/Applications/Chromium.app/Contents/MacOS/Chromium"),
             Path("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
             Path("/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge")]
    for base in filter(None, (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)"),
                              os.environ.get("LOCALAPPDATA"))):
        paths += [Path(base) / "Google/Chrome/Application/chrome.exe",
                  Path(base) / "Chromium/Application/chrome.exe",
                  Path(base) / "Microsoft/Edge/Application/msedge.exe"]
    return paths


def find_browser() -> str | None:
    """Path of a Chromium-family browser, or None."""
    explicit = os.environ.get("NETRALITAS_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    found = next((p for p in map(shutil.which, BROWSER_NAMES) if p), None)
    if found:
        return found
    return next((str(p) for p in _usual_browser_paths() if p.is_file()), None)


def find_driver() -> str | None:
    """Path of ChromeDriver (or EdgeDriver) for the browser tests, or None."""
    explicit = os.environ.get("NETRALITAS_CHROMEDRIVER")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    found = next((p for p in map(shutil.which, DRIVER_NAMES) if p), None)
    if found:
        return found
    usual = [Path("/usr/bin/chromedriver"), Path("/usr/lib/chromium/chromedriver")]
    return next((str(p) for p in usual if p.is_file()), None)
