"""Policy briefs: Indonesian formatting, every number from the data, PDF text, accessibility."""
import re

import pandas as pd
import pytest
from pypdf import PdfReader

from analysis.publish import brief
from analysis.findings import headlines
from analysis.publish.formatting import fmt_int, fmt_pct
from analysis.publish.quantities import marked


@pytest.fixture(scope="module")
def h():
    return headlines.compute()


@pytest.fixture(scope="module")
def rendered(h):
    return {lang: brief.render(h, lang, commit="test")[0] for lang in brief.LANGS}


def test_indonesian_edition_uses_indonesian_number_and_date_formats(h, rendered):
    f = h["follow_up"]["last"]
    html_id, html_en = rendered["id"], rendered["en"]
    assert f"{fmt_int(f['x'], 'id')}/{fmt_int(f['n'], 'id')}" in html_id  # e.g. 1.365/1.588
    assert "." in fmt_int(f["x"], "id") and "," in fmt_int(f["x"], "en")
    assert fmt_pct(h["follow_up"]["at_vote"]["p"], "id") in html_id  # e.g. 72,8%
    assert fmt_pct(h["follow_up"]["at_vote"]["p"], "en") in html_en  # e.g. 72.8%
    assert "10 September 2020" in html_id and 'lang="id"' in html_id and 'lang="en"' in html_en


def test_brief_sections_and_sources_with_urls(h, rendered):
    name = h["province"]["province"]
    for lang, heads in (("id", [f"Apakah pengawasan netralitas ASN berjalan di {name}?",
                                "Temuan utama", "Grafik utama", "Rekomendasi",
                                "Metode dan keterbatasan", "Daftar istilah", "Sumber"]),
                        ("en", [f"Is the supervision of ASN neutrality working in {name}?",
                                "Key findings", "Key charts", "Recommendations",
                                "Methods and caveats", "Glossary", "Sources"])):
        html = rendered[lang]
        assert html.count("<h1>") == 1
        for head in heads:
            assert f">{head}</h2>" in html
        for url in h["sources"]["source_url"]:
            assert url.replace("&", "&amp;") in html
    # every recommendation cites the findings it rests on
    recs = re.search(r'<ul class="recs">(.*?)</ul>', rendered["en"], re.S).group(1)
    assert all(re.search(r"\[F\d", item) for item in recs.split("<li>")[1:])


def test_every_image_is_embedded_with_alt_text(rendered):
    for html in rendered.values():
        images = re.findall(r"<img [^>]*>", html)
        assert len(images) >= 2
        for img in images:
            assert 'src="data:image/png;base64,' in img
            assert re.search(r'alt="[^"]{20,}"', img)
        assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', html)


def test_changing_one_figure_in_a_copy_of_the_ledger_changes_the_brief(project_copy, h):
    ledger_path = project_copy() / "data" / "raw" / "published_figures.csv"
    figures = pd.read_csv(ledger_path, dtype=str, keep_default_na=False)
    # Pilkada 2024, BKN: ASN reported (every row giving that one figure) doubled
    target = ((figures["cycle"] == "2024") & (figures["election_type"] == "pilkada")
              & (figures["agency"] == "BKN") & (figures["metric"] == "reported")
              & (figures["breakdown"] == "") & (figures["value"] == "1158"))
    assert target.sum() >= 1
    figures.loc[target, "value"] = "2316"
    figures.to_csv(ledger_path, index=False, lineterminator="\n")

    changed = headlines.compute()
    before, after = h["equal_lag"][2024]["p"], changed["equal_lag"][2024]["p"]
    assert after == pytest.approx(before / 2, rel=0.02)
    html = brief.render(changed, "id")[0]
    shown = dict((k, t) for k, _, t in marked(html))
    assert shown["equal_lag.share_2024"] == fmt_pct(after, "id")
    assert f"baru {fmt_pct(after, 'id')} ASN" in re.sub(r"<[^>]+>", "", html)
    assert fmt_pct(before, "id") not in {t for k, _, t in marked(html) if k.startswith("equal")}


def test_pdf_briefs_contain_the_headline_numbers(tmp_path, h, require_browser):
    if not brief.chromium():
        require_browser("the PDF briefs")
    result = brief.build_briefs(tmp_path, commit="test")
    assert not result["pdf_note"], result["pdf_note"]
    f = h["follow_up"]
    for lang in brief.LANGS:
        reader = PdfReader(tmp_path / "briefs" / f"brief_{lang}.pdf")
        # two pages of scorecard, findings, charts and recommendations; then the province's own
        # material, the numbers behind each finding, methods, glossary and sources
        assert 4 <= len(reader.pages) <= 7
        text = " ".join(page.extract_text() for page in reader.pages)
        text = re.sub(r"\s+", " ", text)
        for p in (f["first"]["p"], f["at_vote"]["p"], f["last"]["p"], h["equal_lag"][2024]["p"]):
            assert fmt_pct(p, lang) in text
        assert f"{fmt_int(f['last']['x'], lang)}/{fmt_int(f['last']['n'], lang)}" in text


def test_pdf_is_skipped_with_a_reason_when_chromium_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(brief, "chromium", lambda: None)
    html = tmp_path / "b.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    note = brief.print_pdf(html, tmp_path / "b.pdf")
    assert note.startswith("PDF skipped")
    assert "make browser" in note and "NETRALITAS_CHROMIUM" in note
    assert not (tmp_path / "b.pdf").exists()
