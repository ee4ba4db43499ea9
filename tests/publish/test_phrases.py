"""Findings-layer texts for readers: every number a marked quantity in one form, dates in the
reader's words, minus signs, and the "what would decide it" sentences in plain words."""
import re

import pytest

from analysis.findings import headlines
from analysis.findings.scorecard import Phrase, Quantity
from analysis.publish import decisions, glossary, phrases
from analysis.publish.formatting import fmt_num
from analysis.publish.quantities import marked


@pytest.fixture(scope="module")
def h():
    return headlines.compute()


def test_a_phrase_marks_each_quantity_formats_it_by_kind_and_escapes_its_text(monkeypatch):
    p = Phrase("<b>{share}</b> dari {n}, {d}; {pts} poin", "{share}",
               {"share": Quantity("equal_lag.share_2024", 19 / 1158, "pct", ("nf-0543",)),
                "n": Quantity("x.count", 1158, "int"), "d": "2024-12-04",
                "pts": Quantity("decree.loo_low", -0.334, "points")})
    html = str(phrases.render(p, "id", "../"))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert marked(html) == [("equal_lag.share_2024", pytest.approx(19 / 1158), "1,6%"),
                            ("x.count", 1158.0, "1.158"), ("decree.loo_low", -0.334, "\u221233,4")]
    assert 'href="../ledger.html#nf-0543"' in html and "4 Desember 2024" in html
    assert phrases.plain_text(p, "id") == "<b>1,6%</b> dari 1.158, 4 Desember 2024; \u221233,4 poin"


def test_mark_numbers_marks_what_it_finds_and_reports_what_it_does_not():
    html, missing = phrases.mark_numbers("perlu 2 daerah; efek 2,9 kali; 12,5 kali",
                                         [("a.k", 2, "2", ()), ("a.e", 2.92, "2,9", ()),
                                          ("a.z", 7, "7", ())], "id")
    assert [k for k, _, _ in marked(str(html))] == ["a.k", "a.e"] and missing == ["a.z"]
    assert "12,5 kali" in str(html)  # '2' inside '12,5' is not taken for the count


def test_every_number_of_every_decision_is_marked_in_both_languages(h):
    assert {d.key for d in h["decisions"]} <= set(decisions.NUMBERS)
    for d in h["decisions"]:
        for lang in ("id", "en"):
            html, missing = decisions.sentence(d, lang, "../")
            assert missing == [], (d.key, lang, decisions.numbers(d, lang), d.detect(lang))
            assert len(marked(str(html))) == len(decisions.numbers(d, lang))


def test_what_would_decide_it_reads_plainly(h):
    for d in h["decisions"]:
        for lang in ("id", "en"):
            text = re.sub(r"<[^>]+>", "", str(decisions.sentence(d, lang)[0]))
            assert glossary.jargon(text, lang) == [], (d.key, lang, text)
            if lang == "id":
                assert glossary.english_words(text) == [], (d.key, text)
    # the rewording keeps the number: the detectable ratio under overdispersion
    rates = next(d for d in h["decisions"] if d.key == "rates")
    text = glossary.plain(rates.detect("id"), "id")
    assert fmt_num(rates.numbers["ratio_phi"], "id", 2) in text and "φ" not in text


def test_holders_are_named_as_officials_know_them():
    assert glossary.expand_holders("Bawaslu X, Pemprov X", "id") == \
        "Bawaslu X, Pemerintah Provinsi X"
    assert glossary.expand_holders("Bawaslu X, Pemprov X", "en") == \
        "Bawaslu X, the provincial government of X"


def test_plain_words_turn_iso_dates_into_the_readers_dates():
    assert glossary.plain("per 2020-12-16 ± 30 hari", "id") == "per 16 Desember 2020 ± 30 hari"
    assert glossary.plain("as of 2020-12-16", "en") == "as of 16 December 2020"


def test_marks_link_their_ledger_row():
    p = Phrase("{x}", "{x}", {"x": Quantity("a.b", 1, "int", ("nf-1",))})
    assert 'href="../ledger.html#nf-1"' in str(phrases.render(p, "id", "../"))
