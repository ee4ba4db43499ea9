"""Text from data is untrusted: hostile titles, notes and URLs in every free-text column of every
raw file never become live markup in any published page, and the validator refuses markup in
name and category columns.

The slow test builds every report and the briefs from a copy of the raw data whose free-text
cells carry script, event-handler and outside-request payloads, then checks every published
HTML file, and loads one page per report in a real browser to see that nothing ran and nothing
was requested from outside.
"""
from __future__ import annotations

import csv
import functools
import http.server
import io
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from analysis.data import validate
from testpaths import ROOT, QuietServer

MARK = "pwn3d"
PAYLOADS = [
    f'<img src="http://evil.example/{MARK}.png" onerror="window.{MARK}=1">',
    f"<script>window.{MARK}=2</script>",
    f'"><svg onload="window.{MARK}=3">',
    f"[click](javascript:window.{MARK}=4)",
    f"<a href=\"javascript:window.{MARK}=5\">x</a>",
    f"<iframe src=\"http://evil.example/{MARK}\"></iframe>",
    f"<style>@import url(http://evil.example/{MARK}.css)</style>",
]
FREE_TEXT = {"note", "source_title"}


def hostile_copy(root: Path) -> None:
    """A project copy whose raw free-text cells carry the payloads (one per row, cycling)."""
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    (root / "data" / "processed").mkdir(parents=True)
    shutil.copytree(ROOT / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
    for path in (root / "data" / "raw").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        if not rows:
            continue
        columns = list(rows[0])
        for i, row in enumerate(rows):
            for column in columns:
                if column in FREE_TEXT:
                    row[column] = (row[column] + " " + PAYLOADS[i % len(PAYLOADS)]).strip()
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")


@pytest.mark.parametrize("payload", ["<b>Babel</b>", "Bangka\x07Belitung", "=HYPERLINK(\"x\")",
                                     "@SUM(A1)", "+cmd"])
def test_validator_refuses_markup_control_characters_and_formulas_in_name_columns(tmp_path,
                                                                                  payload):
    raw = tmp_path / "published_figures.csv"
    text = (ROOT / "data/raw/published_figures.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    header = lines[0].split(",")
    rows = list(csv.DictReader(io.StringIO(text)))
    rows[0]["agency"] = payload
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    raw.write_text(out.getvalue(), encoding="utf-8")
    problems = [p for p in validate.validate_files([raw]) if p.severity == "error"]
    assert any(p.column == "agency" and p.row == 2 for p in problems), problems


def _published_html(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.html") if "api" not in p.relative_to(folder).parts)


LIVE = [
    (re.compile(r"<script(?![^>]*\btype=\"(application/json|text/x-mathjax-config)\")[^>]*>[^<]*"
                + MARK, re.I), "script"),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=\s*[\"']?[^\"'>]*" + MARK, re.I), "event handler"),
    (re.compile(r"href\s*=\s*[\"']?\s*javascript:", re.I), "javascript: link"),
    (re.compile(r"<(img|iframe|script|link|source|video|audio|embed|object)[^>]*"
                r"\s(src|href|data)\s*=\s*[\"']?https?://evil", re.I), "outside request"),
    (re.compile(r"<style[^>]*>[^<]*@import\s+url\(\s*[\"']?https?://evil", re.I),
     "outside stylesheet"),
]


@pytest.mark.slow
def test_hostile_text_in_every_raw_free_text_column_never_becomes_live_markup(tmp_path):
    """Build every report and the briefs from hostile data (~60 s on 2 cores)."""
    root = tmp_path / "root"
    hostile_copy(root)
    reports = tmp_path / "reports"
    env = dict(os.environ, NETRALITAS_ROOT=str(root))
    # --no-api: the API reference is made from the package's docstrings, no data reaches it
    result = subprocess.run([sys.executable, "-m", "analysis", "report", "--no-api",
                             "--reports-dir", str(reports)], cwd=root, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    pages = _published_html(reports)
    assert len(pages) >= 6
    seen_payload = False
    for page in pages:
        html = page.read_text(encoding="utf-8")
        seen_payload |= MARK in html
        for pattern, what in LIVE:
            match = pattern.search(html)
            assert not match, f"{page.relative_to(reports)}: live {what}: {match.group(0)[:120]}"
    assert seen_payload, "the payloads never reached a page: the test checks nothing"
    _no_script_ran_in_a_real_browser(reports, pages)


def _no_script_ran_in_a_real_browser(reports: Path, pages: list[Path]) -> None:
    from analysis.publish.browser import find_browser, find_driver

    browser, driver_path = find_browser(), find_driver()
    if not (browser and driver_path):
        if os.environ.get("NETRALITAS_REQUIRE_BROWSER") == "1":
            pytest.fail("the browser check needs Chromium and ChromeDriver")
        return
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(reports))
    handler.log_message = lambda *a: None
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        chosen = {}
        for page in pages:  # one page per report (and the index and briefs)
            key = (page.name.split("_", 1)[0] if page.parent == reports
                   else page.parent.name + page.name)
            chosen.setdefault(key, page)
        for page in chosen.values():
            driver.get(base + page.relative_to(reports).as_posix())
            assert driver.execute_script(f"return window.{MARK} === undefined"), page
            for entry in driver.get_log("performance"):
                message = entry["message"]
                if '"Network.requestWillBeSent"' in message:
                    url = re.search(r'"url":"([^"]+)"', message)
                    if url and not url.group(1).startswith((base, "data:", "about:")):
                        pytest.fail(f"{page.name} requested {url.group(1)[:100]}")
    finally:
        driver.quit()
        server.shutdown()
