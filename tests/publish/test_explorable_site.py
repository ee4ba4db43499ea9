"""The explorable site in a real browser (headless Chromium through ChromeDriver), over the
published site built once for the session: the ledger page and every report table sort and
filter with JavaScript on, by mouse and by keyboard, and stay plain, complete tables with it
off; every table links its CSV and every ledger id its ledger row; the key charts carry their
values per point; axe-core finds nothing on the ledger page; a 390 px phone never scrolls
sideways."""
from __future__ import annotations

import csv
import html as html_mod
import re
import urllib.request

import pytest

from analysis import paths
from test_browser import PHONE_PX, _serve, _sideways_overflow, axe_violations, make_driver

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]_*.py"))
READER_PAGES = [f"{n.stem}.html" for n in NOTEBOOKS]
# the charts whose points say their values: (page, figure stems)
HOVER_CHARTS = {"02_enforcement_across_cycles.html": ("02_funnel", "02_follow_up_by_lag",
                                                      "02_executed_of_reported_equal_lag"),
                "03_violation_rates.html": ("03_funnel_",),
                "04_province_case_study.html": ("04_funnel_",)}


@pytest.fixture(scope="module")
def site(published_site):
    server = _serve(published_site)
    yield f"http://127.0.0.1:{server.server_address[1]}/", published_site
    server.shutdown()


@pytest.fixture(scope="module", params=[1280, PHONE_PX], ids=["1280px", "390px"])
def js_on(request, require_browser):
    driver = make_driver(require_browser, request.param)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def js_off(require_browser):
    driver = make_driver(require_browser, PHONE_PX, javascript=False)
    yield driver
    driver.quit()


def _ledger_rows() -> list[dict]:
    with open(paths.LEDGER, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _rows_shown(driver, table="table.ledger-table") -> int:
    return driver.execute_script(
        f"return Array.from(document.querySelectorAll('{table} tbody tr'))"
        ".filter(r => !r.hidden && r.offsetParent !== null).length;")


def _column_of(driver, header_text: str, table="table.ledger-table") -> int:
    return driver.execute_script(
        f"return Array.from(document.querySelector('{table} thead tr').cells)"
        ".findIndex(c => c.textContent.includes(arguments[0]));", header_text)


def _sort_values(driver, index: int, table="table.ledger-table") -> list[str]:
    return driver.execute_script(
        f"return Array.from(document.querySelectorAll('{table} tbody tr'))"
        ".map(r => r.cells[arguments[0]].getAttribute('data-sort'));", index)


def _errors(driver) -> list:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def test_the_ledger_page_has_every_row_with_its_anchor_and_source(site):
    _, out = site
    page = (out / "ledger.html").read_text(encoding="utf-8")
    rows = _ledger_rows()
    assert page.count("<tr id=") == len(rows) > 500
    for row in rows:
        assert f'<tr id="{row["id"]}">' in page, row["id"]
    for row in rows[:: max(1, len(rows) // 60)]:  # a sample: each row's source link
        if row["source_url"].startswith("http"):
            assert f'href="{html_mod.escape(row["source_url"], quote=True)}"' in page, row["id"]
    assert page.index("Buku besar bukti") < page.index("Evidence ledger")


def test_the_ledger_sorts_numerically_by_mouse_and_keyboard(site, js_on):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, _ = site
    js_on.get(base + "ledger.html")
    value = _column_of(js_on, "Nilai")
    buttons = js_on.find_elements(By.CSS_SELECTOR, "table.ledger-table thead th button.sort-button")
    assert len(buttons) == len(js_on.find_elements(By.CSS_SELECTOR, "table.ledger-table thead th"))
    js_on.execute_script("arguments[0].scrollIntoView({block: 'center'});", buttons[value])
    buttons[value].click()
    numbers = [float(v) for v in _sort_values(js_on, value) if v]
    assert numbers == sorted(numbers) and numbers[0] < numbers[-1]
    header = js_on.find_elements(By.CSS_SELECTOR, "table.ledger-table thead th")[value]
    assert header.get_attribute("aria-sort") == "ascending"
    buttons[value].send_keys(Keys.ENTER)  # the keyboard: Enter on the focused header button
    numbers = [float(v) for v in _sort_values(js_on, value) if v]
    assert numbers == sorted(numbers, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"
    published = _column_of(js_on, "Terbit")
    buttons[published].send_keys(Keys.SPACE)
    dates = [d for d in _sort_values(js_on, published) if d]
    assert dates == sorted(dates)
    assert _errors(js_on) == []


def test_the_ledger_filters_by_words_and_by_column(site, js_on):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base, _ = site
    js_on.get(base + "ledger.html")
    total = len(_ledger_rows())
    status = js_on.find_element(By.CSS_SELECTOR, ".table-status")
    assert status.text.startswith(f"{total} dari {total} baris")
    box = js_on.find_element(By.CSS_SELECTOR, ".table-tools input[type=search]")
    assert box.accessible_name.startswith("Saring baris")
    box.send_keys("nf-0542")
    assert _rows_shown(js_on) == 1
    assert status.text.startswith(f"1 dari {total} baris")
    box.clear()
    box.send_keys(" ")  # an input event after clear
    assert _rows_shown(js_on) == total
    details = js_on.find_element(By.CSS_SELECTOR, "details.table-columns")
    if not details.get_attribute("open"):
        details.find_element(By.TAG_NAME, "summary").click()
    agency = Select(js_on.find_element(By.CSS_SELECTOR, "select[id$='-col-4']"))
    agency.select_by_visible_text("BKN")
    expected = sum(r["agency"] == "BKN" for r in _ledger_rows())
    assert _rows_shown(js_on) == expected > 0
    assert _errors(js_on) == []


def test_a_link_to_a_ledger_row_shows_that_row(site, js_on):
    base, _ = site
    js_on.get(base + "ledger.html#nf-0542")
    target = js_on.execute_script("return document.querySelector(':target').id;")
    assert target == "nf-0542"
    assert js_on.execute_script(
        "const r = document.getElementById('nf-0542').getBoundingClientRect();"
        "return r.top >= 0 && r.top < window.innerHeight;")


@pytest.mark.parametrize("page", ["ledger.html"] + READER_PAGES)
def test_with_javascript_on_tables_are_explorable_and_fit_the_page(site, js_on, page):
    base, _ = site
    js_on.get(base + page)
    tables = js_on.execute_script(
        "return Array.from(document.querySelectorAll('table.reader-table, table.ledger-table'))"
        ".map(t => [t.tBodies[0].rows.length, t.querySelectorAll('thead button').length,"
        " t.querySelector('thead tr').cells.length]);")
    assert tables, page
    for rows, buttons, columns in tables:
        assert rows < 2 or buttons == columns, page
    assert _sideways_overflow(js_on) <= 1
    assert _errors(js_on) == []


@pytest.mark.parametrize("page", ["ledger.html"] + READER_PAGES)
def test_with_javascript_off_tables_stay_plain_and_complete(site, js_off, page):
    base, out = site
    js_off.get(base + page)
    state = js_off.execute_script(
        "return [document.querySelectorAll('button.sort-button, .table-tools').length,"
        " Array.from(document.querySelectorAll('tbody tr')).filter(r => r.hidden).length,"
        " document.querySelectorAll('tbody tr').length];")
    assert state[0] == 0 and state[1] == 0
    assert state[2] == (out / page).read_text(encoding="utf-8").count("<tr") - \
        (out / page).read_text(encoding="utf-8").count("<thead")
    assert _sideways_overflow(js_off) <= 1


def test_axe_finds_nothing_on_the_explorable_ledger(site, js_on):
    base, _ = site
    assert axe_violations(js_on, base + "ledger.html") == []


@pytest.mark.parametrize("page", READER_PAGES)
def test_every_report_table_links_its_csv(site, page):
    base, out = site
    text = (out / page).read_text(encoding="utf-8")
    tables = re.findall(r'<table class="reader-table">.*?</table></div>(<p class="table-csv">'
                        r'<a href="([^"]+)">)?', text, flags=re.S)
    assert tables, page
    for table in re.finditer(r'<table class="reader-table">(.*?)</table></div>'
                             r'(?:<p class="table-csv"><a href="([^"]+)">)?', text, flags=re.S):
        href = table.group(2)
        assert href and href.startswith("tables/") and href.endswith(".csv"), \
            f"{page}: a table without its CSV: {table.group(1)[:120]}"
        with urllib.request.urlopen(base + href, timeout=10) as response:
            rows = list(csv.reader(response.read().decode("utf-8").splitlines()))
        shown = table.group(1).split("<tbody>", 1)[1].count("<tr")
        assert len(rows) - 1 >= shown, (page, href)


@pytest.mark.parametrize("page", READER_PAGES + [f"researcher/{p}" for p in READER_PAGES])
def test_every_ledger_id_shown_links_to_its_ledger_row(site, page):
    _, out = site
    ids = {r["id"] for r in _ledger_rows()}
    text = (out / page).read_text(encoding="utf-8")
    body = re.sub(r"<(style|script)\b.*?</\1>|<div class=\"jp-InputArea.*?</div>\s*</div>"
                  r"|<pre\b.*?</pre>", " ", text, flags=re.S)
    unlinked = []
    for piece in re.split(r"<a\b[^>]*>.*?</a>", body, flags=re.S):
        visible = html_mod.unescape(re.sub(r"<[^>]+>", " ", piece))
        unlinked += [i for i in re.findall(r"(?<![\w-])[a-z]{1,6}-\d{1,6}(?![\w-])", visible)
                     if i in ids]
    assert unlinked == [], f"{page}: {sorted(set(unlinked))[:10]}"
    up = "../" if page.startswith("researcher/") else ""
    linked = re.findall(rf'href="{re.escape(up)}ledger\.html#([^"]+)"', text)
    assert set(linked) <= ids


@pytest.mark.parametrize("page", sorted(HOVER_CHARTS))
def test_key_charts_say_each_points_value(site, js_on, page):
    base, out = site
    text = (out / page).read_text(encoding="utf-8")
    charts = re.findall(r'<div class="jp-RenderedImage chart-svg[^"]*"[^>]*>\s*<svg\b(.*?)</svg>',
                        text, flags=re.S)
    assert charts, page
    for chart in charts:
        assert 'role="group"' in chart and "aria-label=" in chart
        assert re.search(r'<g class="point" role="img"><title>[^<]+</title>', chart)
    js_on.get(base + page)
    titles = js_on.execute_script(
        "return Array.from(document.querySelectorAll('.chart-svg g.point'))"
        ".filter(g => g.closest('details') === null).map(g => g.querySelector('title')"
        ".textContent);")
    assert titles and all(re.search(r"\d", t) for t in titles)
    widths = js_on.execute_script(
        "return Array.from(document.querySelectorAll('.chart-svg svg'))"
        ".filter(s => s.closest('details') === null)"
        ".map(s => s.getBoundingClientRect().width);")
    assert all(w >= min(360, js_on.execute_script(
        "return document.documentElement.clientWidth;") - 30) for w in widths), widths
    for prefix in HOVER_CHARTS[page]:
        assert re.search(rf'id="{re.escape(prefix)}', text), (page, prefix)


def _shown(driver, selector: str) -> int:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]))"
        ".filter(e => e.getClientRects().length > 0).length;", selector)


def test_a_report_page_shows_one_language_and_its_switch_shows_the_english(site, js_on):
    """Indonesian alone by default, table tools included; the switch shows every
    translation, and the next page remembers it until the choice is cleared; the switch's own
    label is always in both languages."""
    from selenium.webdriver.common.by import By

    base, _ = site
    js_on.get(base + "01_evidence_ledger.html")
    js_on.execute_script("window.localStorage.clear();")
    js_on.get(base + "01_evidence_ledger.html")
    translations = js_on.execute_script(
        "return document.querySelectorAll('[data-translation]').length;")
    assert translations > 20
    assert _shown(js_on, "[data-translation]") == 0 and _shown(js_on, ".lang-sep") == 0
    status = js_on.find_element(By.CSS_SELECTOR, ".table-status").text
    assert "baris" in status and "rows" not in status
    assert "Evidence ledger" not in js_on.find_element(By.TAG_NAME, "h1").text
    switch = js_on.find_element(By.CSS_SELECTOR, "label[for=show-en]")
    js_on.execute_script("arguments[0].scrollIntoView({block: 'center'});", switch)
    switch.click()
    assert _shown(js_on, "[data-translation]") == translations
    assert "Evidence ledger" in js_on.find_element(By.TAG_NAME, "h1").text
    assert "rows" in js_on.find_element(By.CSS_SELECTOR, ".table-status").text
    js_on.get(base + "02_enforcement_across_cycles.html")
    assert js_on.find_element(By.ID, "show-en").is_selected()
    assert _shown(js_on, "[data-translation]") > 0
    js_on.execute_script("window.localStorage.clear();")
    js_on.get(base + "06_supervision_effects.html")
    assert not js_on.find_element(By.ID, "show-en").is_selected()
    assert _shown(js_on, ".lang-switch [lang=en]") == 1  # the switch's own label stays
    assert _errors(js_on) == []


def test_without_javascript_the_language_switch_still_works(site, js_off):
    from selenium.webdriver.common.by import By

    base, _ = site
    js_off.get(base + "04_province_case_study.html")
    assert _shown(js_off, "[data-translation]") == 0 and _shown(js_off, ".lang-sep") == 0
    box = js_off.find_element(By.ID, "show-en")
    js_off.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
    box.click()
    assert _shown(js_off, "[data-translation]") == js_off.execute_script(
        "return document.querySelectorAll('[data-translation]').length;") > 20


def test_a_charts_points_are_read_one_by_one_with_the_arrow_keys(site, js_on):
    """One tab stop per chart; the arrow keys step through its points, a ring marks the point
    and the line under the chart says its value; Home and End jump, Left from the first wraps."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    base, _ = site
    js_on.get(base + "03_violation_rates.html")
    svg = js_on.execute_script(
        "return Array.from(document.querySelectorAll('.chart-svg svg'))"
        ".find(s => s.closest('details') === null);")
    titles = js_on.execute_script(
        "return Array.from(arguments[0].querySelectorAll('g.point'))"
        ".map(g => g.querySelector('title').textContent);", svg)
    assert len(titles) > 5
    assert svg.get_attribute("tabindex") == "0"
    assert js_on.execute_script(
        "return arguments[0].querySelectorAll('[tabindex]').length;", svg) == 0
    readout = js_on.execute_script(
        "return document.getElementById(arguments[0].getAttribute('aria-describedby'));", svg)
    assert readout.get_attribute("aria-live") == "polite"
    js_on.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus();",
                         svg)
    keys = ActionChains(js_on)
    keys.send_keys(Keys.ARROW_RIGHT).perform()
    assert readout.text == f"1/{len(titles)}: {titles[0]}"
    assert js_on.execute_script("return arguments[0].querySelectorAll('rect.point-ring').length;",
                                svg) == 1
    keys.send_keys(Keys.ARROW_RIGHT).perform()
    assert readout.text == f"2/{len(titles)}: {titles[1]}"
    ActionChains(js_on).send_keys(Keys.END).perform()
    assert readout.text == f"{len(titles)}/{len(titles)}: {titles[-1]}"
    ActionChains(js_on).send_keys(Keys.HOME).perform()
    ActionChains(js_on).send_keys(Keys.ARROW_LEFT).perform()
    assert readout.text == f"{len(titles)}/{len(titles)}: {titles[-1]}"
    assert _errors(js_on) == []
