"""The landing page, one language at a time: the scorecard is its first screen, every finding is
listed once in the reader's language with what would decide it, and its numbers are the
brief's numbers."""
import html as html_lib
import re

import pytest

from analysis.findings import headlines
from analysis.publish import brief, frontpage, glossary
from analysis.publish.build import landing as landing_step
from analysis.publish.quantities import disagreements, marked

ENTRIES = {"01_fixture": {"title": "01 · Buku besar bukti / Evidence ledger",
                          "summary": "Angka apa saja yang telah dipublikasikan. / What has been "
                                     "published.", "synthetic": False},
           "05_demo": {"title": "05 · Ikhtisar register / Register overview · SINTETIS / SYNTHETIC",
                       "summary": "Tanpa `-p register=NAMA` buku ini memakai register demo "
                                  "SINTETIS. / Without `-p register=NAME` it uses the SYNTHETIC "
                                  "demo register.", "synthetic": True}}


@pytest.fixture(scope="module")
def h():
    return headlines.compute()


@pytest.fixture(scope="module")
def pages(h):
    landing = {"front": brief.front_context(h), "downloads": [], "pdf": True, "pdf_note": "",
               "commit": "abc", "dirty": False}
    return {lang: landing_step.render_index(ENTRIES, set(), {}, landing, api=True, lang=lang)
            for lang in ("id", "en")}


def visible(page: str) -> str:
    page = re.sub(r"<(style|code|a)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<(\w+)[^>]*\blang="en"[^>]*>.*?</\1>', " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_pick_gives_one_language_of_a_bilingual_title_or_summary():
    assert frontpage.pick("01 · Buku besar bukti / Evidence ledger", "en") == "01 · Evidence ledger"
    assert frontpage.pick(ENTRIES["05_demo"]["title"], "id") == "05 · Ikhtisar register"
    assert frontpage.pick(ENTRIES["05_demo"]["summary"], "en").startswith("Without `-p")
    assert "SYNTHETIC" not in frontpage.pick(ENTRIES["05_demo"]["summary"], "id")
    assert frontpage.pick("One language only", "id") == "One language only"


def test_each_language_has_its_own_page_linking_the_other(pages):
    assert '<html lang="id">' in pages["id"] and '<html lang="en">' in pages["en"]
    assert 'href="index_en.html" hreflang="en"' in pages["id"]
    assert 'href="index.html" hreflang="id"' in pages["en"]
    for lang, other_words in (("id", ("Key findings", "Reports", "Policy brief")),
                              ("en", ("Temuan utama", "Laporan", "Ringkasan kebijakan"))):
        assert not any(w in visible(pages[lang]) for w in other_words), lang


def test_the_first_screen_is_the_scorecard_answering_the_question(h, pages):
    name = h["province"]["province"]
    for lang, title in (("id", f"Apakah pengawasan netralitas ASN berjalan di {name}?"),
                        ("en", f"Is the supervision of ASN neutrality working in {name}?")):
        page = pages[lang]
        main = page[page.index("<main>"):]
        assert main.index('class="scorecard"') < main.index("<p") < main.index('id="findings"')
        assert re.search(rf'<h1 id="scorecard-title">{re.escape(title)}</h1>', page)
        assert page.count("<h1") == 1
        answer = re.search(r'<div class="sc-answer">(.*?)</div>', page, re.S).group(1)
        assert "sc-summary" in answer and "sc-first" in answer  # the answer, then what to do


def test_every_finding_is_listed_once_with_its_verdict_and_what_would_decide_it(h, pages):
    keys = brief.finding_keys(h)
    decided = {d.key for d in h["decisions"]}
    for lang, head in (("id", "Yang dapat memastikan"), ("en", "What would decide it")):
        items = re.search(r'<ul class="findings">(.*?)</ul>', pages[lang], re.S).group(1)
        items = items.split("<li>")[1:]
        assert len(items) == len(keys)
        assert pages[lang].count('<ul class="findings"') == 1  # nothing listed twice
        for key, item in zip(keys, items):
            v = brief._verdict_of(h, key)
            assert f"{v.label(lang)}</span>" in item
            assert (f"{head}:" in item) == (key in decided), key


def test_the_indonesian_page_has_no_english_and_reads_plainly(pages):
    text = visible(pages["id"])
    assert glossary.english_words(text) == []
    assert glossary.jargon(text, "id") == []


def test_the_landing_links_its_brief_and_the_data_request_in_its_language(pages):
    for lang in ("id", "en"):
        for href in (f"briefs/brief_{lang}.html", f"briefs/brief_{lang}.pdf",
                     f"briefs/data_request_{lang}.html", f"briefs/data_request_{lang}.csv",
                     f"briefs/data_request_{lang}.xlsx"):
            assert f'href="{href}"' in pages[lang], href


def test_the_same_quantity_reads_the_same_on_the_landing_page_and_in_the_briefs(h, pages):
    briefs = {f"brief_{lang}": brief.render(h, lang)[0] for lang in ("id", "en")}
    all_pages = {"index.html": pages["id"], "index_en.html": pages["en"], **briefs}
    assert disagreements(all_pages) == []
    keys = {k for k, _, _ in marked(pages["id"])}
    assert {"equal_lag.share_2024", "equal_lag.range_2020_low", "equal_lag.range_2020_high",
            "province.detectable_now"} <= keys
    assert keys & {k for k, _, _ in marked(briefs["brief_id"])} >= {
        "equal_lag.share_2024", "province.detectable_now"}  # shared keys, compared above
    # each key shows its value formatted one way per language
    for lang, page in (("id", pages["id"]), ("en", pages["en"])):
        shown = {}
        for key, _, text in marked(page + briefs[f"brief_{lang}"]):
            assert shown.setdefault(key, text) == text, (lang, key, shown[key], text)
