"""The reader editions read as reports: tables with words for headers and locale numbers, no
code, no model tables, a navigation bar, English passages marked with their language, every
figure drawn in both languages and passing the layout checks, and counts in the text that agree
with the tables."""
import html as html_mod
import json
import re

import pandas as pd
import pytest

from analysis import paths
from analysis.publish import plots
from analysis.publish.formatting import fmt_int

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]_*.py"))
STEMS = [n.stem for n in NOTEBOOKS]
# every notebook draws its figures once per language
PER_LANGUAGE = STEMS


@pytest.fixture(scope="module")
def built(published_site):
    """Every notebook built once for the session (tests/conftest.py), read-only here."""
    return published_site


def visible(page: str) -> str:
    """The text a reader sees: no styles, scripts or tags, entities decoded."""
    body = re.sub(r"<style.*?</style>|<script.*?</script>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", html_mod.unescape(re.sub(r"<[^>]+>", " ", body)))


def headers(page: str) -> list[str]:
    return [html_mod.unescape(re.sub(r"<[^>]+>", " ", h)).strip()
            for h in re.findall(r"<th[^>]*>(.*?)</th>", page, flags=re.S)]


@pytest.mark.parametrize("stem", STEMS)
def test_reader_tables_have_words_for_headers_and_no_raw_values(built, stem):
    page = (built / f"{stem}.html").read_text(encoding="utf-8")
    text = visible(page)
    snake = [h for h in headers(page) if re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", h)]
    assert snake == [], f"snake_case headers: {snake}"
    assert not re.search(r"\d\.?\d*e[+-]\d+", text), re.search(r".{40}\d\.?\d*e[+-]\d+.{20}", text)
    for raw in ("<NA>", "NaN", "NaT", " nan ", " None "):
        assert raw not in text, f"{raw!r} in {stem}"
    assert 'class="dataframe' not in page  # raw pandas tables are for the researcher edition


@pytest.mark.parametrize("stem", STEMS)
def test_every_reader_table_scrolls_by_keyboard_and_has_a_caption(built, stem):
    page = (built / f"{stem}.html").read_text(encoding="utf-8")
    tables = page.count("<table")
    assert page.count('class="table-scroll" role="region" tabindex="0"') == tables
    assert page.count("<caption>") == tables


@pytest.mark.parametrize("stem", STEMS)
def test_every_page_has_the_navigation_bar(built, stem):
    for edition, up in ((built / f"{stem}.html", ""),
                        (built / "researcher" / f"{stem}.html", "../")):
        page = edition.read_text(encoding="utf-8")
        nav = re.search(r'<nav[^>]*class="site-nav".*?</nav>', page, flags=re.S)
        assert nav, edition
        for href in ("index.html", "briefs/brief_id.html", "briefs/brief_en.html"):
            assert f'href="{up}{href}"' in nav.group(0), (edition, href)
        for other in STEMS:
            target = f"{up}researcher/{other}.html" if up else f"{other}.html"
            assert f'href="{target}"' in nav.group(0), (edition, other)
        assert nav.group(0).count('aria-current="page"') == 1


def test_model_tables_and_test_statistics_stay_in_the_researcher_edition(built):
    reader = visible((built / "02_enforcement_across_cycles.html").read_text(encoding="utf-8"))
    researcher = visible((built / "researcher" / "02_enforcement_across_cycles.html")
                         .read_text(encoding="utf-8"))
    for term in ("level_change", "slope_change", "std_error", "break_time"):
        assert term not in reader and term in researcher
    reader3 = visible((built / "03_violation_rates.html").read_text(encoding="utf-8"))
    assert "Pearson phi" not in reader3 and "tau²" not in reader3
    # the register pages: the attacker check, the event-study p-values and the incumbency models
    for stem, terms in (("05_register_overview", ("recoverable", "ledger-shaped figures")),
                        ("06_supervision_effects", ("randomisation_p", "theta =", "chi2/df",
                                                    "robust_se", "units dropped (no eligible"))):
        reader = visible((built / f"{stem}.html").read_text(encoding="utf-8"))
        researcher = visible((built / "researcher" / f"{stem}.html").read_text(encoding="utf-8"))
        for term in terms:
            assert term not in reader and term in researcher, (stem, term)


@pytest.mark.parametrize("stem", STEMS)
def test_english_headings_carry_their_language(built, stem):
    page = (built / f"{stem}.html").read_text(encoding="utf-8")
    for level, inner in re.findall(r"<h([12])[^>]*>(.*?)</h\1>", page, flags=re.S):
        if " / " in re.sub(r"<[^>]+>", "", inner):
            assert 'lang="en"' in inner, inner


@pytest.mark.parametrize("stem", STEMS)
def test_english_passages_keep_their_text_inside_the_language_mark(built, stem):
    """<span lang="en"> must wrap the English words, not stand empty before them (nbconvert's
    embed_images once re-parsed inline tags alone and emptied every such span)."""
    for page in (built / f"{stem}.html", built / "researcher" / f"{stem}.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'<span (?:data-translation )?lang="en"></span>', html), page.name
        assert re.search(r'<span (?:data-translation )?lang="en">[^<]*[A-Za-z]', html), page.name


@pytest.mark.parametrize("stem", STEMS)
def test_the_indonesian_reading_leaves_in_view_only_english_that_translates_nothing(built, stem):
    """One language at a time: every English span that translates the Indonesian before it is
    marked as a translation (hidden until the page's switch shows it, test_explorable_site);
    the English left in view is a source's note kept in its language (a table cell of its
    own), the switch's own label and the citation's authors in the footer."""
    page = (built / f"{stem}.html").read_text(encoding="utf-8")
    assert page.count('id="show-en"') == 1
    marked = page.count("data-translation")
    assert marked > 10, stem
    for match in re.finditer(r'(.{0,60})<span(?![^>]*data-translation)[^>]*\blang="en"', page,
                             flags=re.S):
        before = match.group(1)
        assert (before.endswith("<td>") or 'for="show-en"' in before
                or "CITATION.cff" in before), f"{stem}: English in view after {before!r}"
    # and no Indonesian/English pair written with a plain slash (a missing mark)
    text = visible(re.sub(r'<(span|div)[^>]*data-translation[^>]*>.*?</\1>'
                          r'|<details class="figure-en">.*?</details>', " ", page, flags=re.S))
    assert not re.search(r" / (?:the|The|of|and|Counts|Cases|Verdict)\b", text), stem


def _figure_outputs(built, stem):
    nb = json.loads((built / "researcher" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                yield output.get("metadata", {}).get("image/png", {})


@pytest.mark.parametrize("stem", STEMS)
def test_every_figure_passes_the_layout_checks(built, stem):
    """No text on text, data or the figure's edge; text >= 9 px on a 390 px phone; markers
    >= 3:1 against the background (checked when the figure was saved)."""
    problems = []
    for meta in _figure_outputs(built, stem):
        checks = meta.get("netralitas_checks")
        if checks is None:
            problems.append((meta.get("alt", "")[:60], "saved without save_figure's checks"))
            continue
        if checks["overlaps"] or checks["low_contrast"] \
                or checks["phone_text_px"] < plots.MIN_PHONE_TEXT_PX:
            problems.append((meta.get("alt", "")[:60], checks))
    assert problems == []


@pytest.mark.parametrize("stem", PER_LANGUAGE)
def test_every_figure_is_drawn_in_both_languages_with_alt_text_in_each(built, stem):
    langs = [meta.get("lang") for meta in _figure_outputs(built, stem)]
    assert langs and langs.count("id") == langs.count("en") == len(langs) / 2
    figures = built / "figures"
    prefix = stem[:3]
    for png in figures.glob(f"{prefix}*.png"):
        if png.stem.endswith("_en"):
            continue
        english = png.with_name(png.stem + "_en.png")
        assert english.exists(), english.name
        assert png.with_suffix("").with_suffix(".alt.txt").exists() or \
            (figures / f"{png.stem}.alt.txt").exists()
        assert (figures / f"{png.stem}_en.alt.txt").exists()
    page = (built / f"{stem}.html").read_text(encoding="utf-8")
    images = re.findall(r'<div class="jp-RenderedImage[^"]*"[^>]*>', page)
    assert sum('lang="en"' in d for d in images) == sum('lang="id"' in d for d in images) > 0


def test_reproduced_claims_in_the_text_match_the_table(built):
    claims = pd.read_csv(built / "tables" / "02_follow_up_claims.csv")
    reproduced = claims["check_text"].str.startswith("cocok")
    n_2020 = int((reproduced & (claims["election"] == "Pilkada 2020")).sum())
    text = visible((built / "02_enforcement_across_cycles.html").read_text(encoding="utf-8"))
    assert f"{fmt_int(n_2020)} klaim Pilkada 2020" in text
    assert f"{fmt_int(n_2020, 'en')} Pilkada 2020 claims" in text


def test_province_overview_lists_all_38_provinces_with_dates_and_verdicts(built):
    table = pd.read_csv(built / "tables" / "07_province_overview.csv")
    assert len(table) == 38 and table["region"].is_unique
    assert set(table["verdict"]) <= {"supported", "suggestive", "cannot tell"}
    listed = table[table["n_releases_listed"] > 0]
    assert listed["latest_date"].notna().all() and listed["days_since_vote"].notna().all()
    page = (built / "07_province_overview.html").read_text(encoding="utf-8")
    for region in table["region"]:
        assert f"<td>{html_mod.escape(region)}</td>" in page, region
    text = visible(page)
    n_listed = len(listed)
    assert f"{fmt_int(n_listed)} tercantum" in text and f"{fmt_int(n_listed, 'en')} appear" in text
    for name in ("07_tile_map.png", "07_tile_map_en.png"):
        assert (built / "figures" / name).stat().st_size > 10_000
