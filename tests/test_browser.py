"""A real headless browser (Debian's Chromium via ChromeDriver) loads the landing page and both
briefs from a local server: no console errors, no broken images, no broken internal links.

Links to the source pages (news sites) are not followed: the test machine has no internet.
"""
import functools
import http.server
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from analysis.data import build
from analysis.publish import report

from analysis.publish.browser import find_browser, find_driver

CHROMIUM, CHROMEDRIVER = find_browser(), find_driver()
FIXTURE = Path(__file__).parent / "fixtures" / "notebooks" / "01_fixture.py"
PAGES = ("index.html", "briefs/brief_id.html", "briefs/brief_en.html")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    assert build.main([]) == 0
    out = tmp_path_factory.mktemp("site")
    report.build_reports(notebooks=[FIXTURE], reports_dir=out, landing=True)
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", out
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser(require_browser):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    if not (CHROMIUM and CHROMEDRIVER):
        require_browser("the browser tests (Chromium and ChromeDriver)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=390,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_without_console_errors_or_broken_images(site, browser, page):
    base, _ = site
    browser.get(base + page)
    images = browser.execute_script(
        "return Array.from(document.images).map(i => [i.currentSrc.slice(0, 40), i.complete,"
        " i.naturalWidth, i.alt]);")
    assert all(complete and width > 0 for _, complete, width, _ in images), images
    assert all(alt for *_, alt in images), "every image needs alt text"
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    # readable on a phone: nothing wider than the 390 px viewport
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
    assert overflow <= 1


@pytest.mark.parametrize("page", PAGES)
def test_internal_links_resolve(site, browser, page):
    base, _ = site
    browser.get(base + page)
    hrefs = browser.execute_script(
        "return Array.from(document.querySelectorAll('a[href]')).map(a => a.href);")
    internal = sorted({h.split("#")[0] for h in hrefs if urlparse(h).netloc == urlparse(base).netloc})
    assert internal, "expected links to other pages of the site"
    for url in internal:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200, url
        except urllib.error.HTTPError as exc:
            pytest.fail(f"{page}: broken link {url} ({exc.code})")


def test_landing_page_links_briefs_editions_downloads_and_provenance(site):
    base, out = site
    index = (out / "index.html").read_text(encoding="utf-8")
    for href in ("briefs/brief_id.html", "briefs/brief_en.html", "briefs/brief_id.pdf",
                 "briefs/brief_en.pdf", "01_fixture.html", "researcher/01_fixture.html",
                 "data/datapackage.json", "data/enforcement_snapshots.csv", "manifest.json"):
        assert f'href="{href}"' in index, href
    assert "Temuan utama" in index and "Key findings" in index
    assert index.count("<h1>") == 1 and 'name="viewport"' in index
