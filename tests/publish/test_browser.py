"""A real headless browser (Debian's Chromium via ChromeDriver) loads the landing page, both
briefs and the report editions of the published site (built once for the session,
tests/conftest.py) from a local server: no console errors, no broken images, no broken internal
links, and no accessibility violation found by axe-core (WCAG 2.2 A/AA and best practice) on any
published page.

Links to the source pages (news sites) are not followed: the test machine has no internet.
axe-core comes from npm (``npm ci`` at the repository root installs the version pinned in
``package-lock.json`` into ``node_modules/``).
"""
import functools
import os
import http.server
import threading
import urllib.error
import urllib.request
from urllib.parse import urlparse

import pytest

from analysis import paths
from analysis.publish import plots

from analysis.publish.browser import find_browser, find_driver
from testpaths import ROOT, QuietServer

pytestmark = pytest.mark.slow  # builds the briefs with a browser, and drives one

CHROMIUM, CHROMEDRIVER = find_browser(), find_driver()
LANDING_PAGES = ["index.html", "index_en.html", "briefs/brief_id.html", "briefs/brief_en.html",
                 "briefs/data_request_id.html", "briefs/data_request_en.html"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]_*.py"))
PHONE_PX = plots.PHONE_VIEWPORT_PX
REPORT_PAGES = ([f"{n.stem}.html" for n in NOTEBOOKS]
                + [f"researcher/{n.stem}.html" for n in NOTEBOOKS])
# every link of these is followed (the report pages' own navigation is checked on every one)
LINKED_PAGES = LANDING_PAGES + [f"{NOTEBOOKS[0].stem}.html",
                                f"researcher/{NOTEBOOKS[0].stem}.html"]


def _serve(out):
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="module")
def full_site(published_site):
    """Every real notebook, both editions, with the landing page and briefs (built once for the
    session, tests/conftest.py)."""
    out = published_site
    server = _serve(out)
    yield f"http://127.0.0.1:{server.server_address[1]}/", out
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def make_driver(require_browser, width: int = PHONE_PX, javascript: bool = True):
    """Headless Chromium with a true ``width`` px viewport (emulated: headless Chromium keeps
    its window wider than asked), JavaScript on or off, the console log kept."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    if not (CHROMIUM and CHROMEDRIVER):
        require_browser("the browser tests (Chromium and ChromeDriver)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", f"--window-size={width},900"):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
    return driver


@pytest.fixture(scope="module")
def browser(require_browser):
    driver = make_driver(require_browser)
    yield driver
    driver.quit()


def _sideways_overflow(browser) -> int:
    """How far the page scrolls sideways (0: it fits; wide tables scroll in their own region)."""
    return browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")


def _load_cleanly(browser, url: str) -> None:
    """Load ``url``: no console error or warning, every image loaded with alt text, and nothing
    wider than the 390 px viewport (readable on a phone)."""
    browser.get_log("browser")  # what earlier pages logged is not this page's
    browser.get(url)
    images = browser.execute_script(
        "return Array.from(document.images).map(i => [i.currentSrc.slice(0, 40), i.complete,"
        " i.naturalWidth, i.alt]);")
    assert all(complete and width > 0 for _, complete, width, _ in images), images
    assert all(alt for *_, alt in images), "every image needs alt text"
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    assert _sideways_overflow(browser) <= 1


@pytest.mark.parametrize("page", LANDING_PAGES)
def test_page_loads_without_console_errors_or_broken_images(full_site, browser, page):
    """The landing pages here; every report page in
    :func:`test_report_pages_fit_a_phone_and_link_back_to_the_site`."""
    base, _ = full_site
    _load_cleanly(browser, base + page)


@pytest.mark.parametrize("page", LINKED_PAGES)
def test_internal_links_resolve(full_site, browser, page):
    base, _ = full_site
    browser.get(base + page)
    hrefs = browser.execute_script(
        "return Array.from(document.querySelectorAll('a[href]')).map(a => a.href);")
    internal = sorted({h.split("#")[0] for h in hrefs
                       if urlparse(h).netloc == urlparse(base).netloc})
    assert internal, "expected links to other pages of the site"
    for url in internal:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200, url
        except urllib.error.HTTPError as exc:
            pytest.fail(f"{page}: broken link {url} ({exc.code})")


def test_landing_page_links_briefs_editions_downloads_and_provenance(full_site):
    base, out = full_site
    for page, lang, heading in (("index.html", "id", "Temuan utama"),
                                ("index_en.html", "en", "Key findings")):
        index = (out / page).read_text(encoding="utf-8")
        for href in (f"briefs/brief_{lang}.html", f"briefs/brief_{lang}.pdf",
                     f"briefs/data_request_{lang}.html", f"briefs/data_request_{lang}.csv",
                     f"briefs/data_request_{lang}.xlsx", *REPORT_PAGES, "data/datapackage.json",
                     "data/enforcement_snapshots.csv", "manifest.json"):
            assert f'href="{href}"' in index, (page, href)
        assert heading in index
        assert index.count("<h1") == 1 and 'name="viewport"' in index


@pytest.mark.parametrize("width", [PHONE_PX, 1280])
def test_the_scorecard_answer_is_on_the_first_screen(full_site, browser, width):
    """The question, the answer and the first step fit the first screen at 1280 and 390 px."""
    base, _ = full_site
    height = 800
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    try:
        for page in ("index.html", "index_en.html"):
            browser.get(base + page)
            bottom = browser.execute_script(
                "return document.querySelector('.sc-answer').getBoundingClientRect().bottom;")
            chip = browser.execute_script(
                "return document.querySelector('.sc-row .chip').getBoundingClientRect().bottom;")
            assert bottom <= height, (page, width, bottom)
            if width > 600:  # at 1280 px the first row's verdicts are in view too
                assert chip <= height, (page, chip)
            assert _sideways_overflow(browser) <= 1
    finally:
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": PHONE_PX, "height": 900, "deviceScaleFactor": 1, "mobile": True})


def axe_violations(browser, url: str, then=None) -> list[dict]:
    """axe-core's violations on the page at ``url``: [{id, impact, nodes: [selector, ...]}];
    ``then(browser)``, when given, acts on the loaded page first (a reader's click)."""
    if not AXE.exists():
        message = (f"axe-core is not installed ({AXE.name} missing): run `npm ci` at the "
                   "repository root (make test does)")
        if os.environ.get("NETRALITAS_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    browser.set_script_timeout(120)
    browser.get(url)
    if then is not None:
        then(browser)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    # resultTypes: axe's documented speed option: every rule still runs on every node, only the
    # passes are no longer listed node by node (colour contrast on the 700-row ledger: 15 s -> 11)
    return browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]},"
        " resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', nodes: [String(e)]}]));",
        AXE_TAGS)


@pytest.mark.parametrize("page", LANDING_PAGES + REPORT_PAGES)
def test_axe_finds_no_accessibility_violation_on_the_published_site(full_site, browser, page):
    base, _ = full_site
    assert axe_violations(browser, base + page) == []


def _show_english(browser) -> None:
    """Tick the switch without the change event, so that the choice is not remembered for the
    pages the other tests load in this browser."""
    box = browser.find_element("id", "show-en")
    browser.execute_script("arguments[0].checked = true;", box)
    assert box.is_selected()
    assert browser.execute_script(
        "return Array.from(document.querySelectorAll('[data-translation]'))"
        ".every(e => e.getClientRects().length > 0 || e.closest('details:not([open])'));")


@pytest.mark.parametrize("page", ["03_violation_rates.html", "06_supervision_effects.html"])
def test_axe_finds_nothing_with_the_english_translation_shown(full_site, browser, page):
    """The language switch on: every translation and the English charts in view, each marked
    with its language; axe checks that reading too (the two reports with the most of it)."""
    base, _ = full_site
    assert axe_violations(browser, base + page, then=_show_english) == []


@pytest.mark.parametrize("page", REPORT_PAGES)
def test_report_pages_fit_a_phone_and_link_back_to_the_site(full_site, browser, page):
    """No console error, broken image or missing alt text, nothing wider than the phone, and
    the site's navigation resolves."""
    base, out = full_site
    _load_cleanly(browser, base + page)
    hrefs = browser.execute_script(
        "return Array.from(document.querySelectorAll('nav.site-nav a')).map(a => a.href);")
    for url in hrefs:
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200, url
    # figures render with text of at least 9 CSS px: an image is never shown wider than drawn
    widths = browser.execute_script(
        "return Array.from(document.querySelectorAll('.jp-RenderedImage img'))"
        ".map(i => [i.clientWidth, i.naturalWidth]);")
    assert all(shown <= natural for shown, natural in widths)


@pytest.mark.parametrize("page", REPORT_PAGES)
def test_on_a_390_px_phone_charts_get_the_width_their_text_checks_assume(full_site, browser,
                                                                          page):
    """plots.phone_text_px checks every figure's smallest text at PHONE_DISPLAY_PX; on a real
    390 px viewport (emulated: headless Chromium keeps windows wider) the page must give each
    chart at least that width, or all of it when drawn narrower."""
    base, _ = full_site
    browser.get(base + page)
    assert browser.execute_script("return document.documentElement.clientWidth;") == PHONE_PX
    widths = browser.execute_script(
        "return Array.from(document.querySelectorAll('.jp-RenderedImage img'))"
        ".filter(i => i.offsetParent !== null)"  # the folded English charts are not shown
        ".map(i => [i.clientWidth, i.naturalWidth]);")
    assert all(shown >= min(plots.PHONE_DISPLAY_PX, natural) for shown, natural in widths), widths
