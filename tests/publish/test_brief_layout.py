"""The policy brief as a reader meets it: key message first, findings in the order a reader must
act on them, plain words, numbered sources, charts legible on a phone, two printed pages for
findings, charts and recommendations."""
import copy
import html as html_lib
import inspect
import json
import re

import matplotlib.pyplot as plt
import pytest
from pypdf import PdfReader

from analysis import paths
from analysis.findings import headlines, verdicts
from analysis.findings.scorecard import election_label
from analysis.publish import brief, charts, glossary, plots
from analysis.publish.formatting import fmt_date, fmt_pct

AUDIENCES = {"id": ("Bawaslu", "BKN", "Pemerintah Provinsi", "DPRD"),
             "en": ("Bawaslu", "BKN", "provincial government", "DPRD")}


@pytest.fixture(scope="module")
def h():
    return headlines.compute()


@pytest.fixture(scope="module")
def rendered(h):
    return {lang: brief.render(h, lang, commit="test", edition_date="2026-03-01")[0]
            for lang in brief.LANGS}


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment (tags dropped, entities decoded, spaces collapsed)."""
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def section(html: str, heading_id: str) -> str:
    return re.search(rf'<h2 id="{heading_id}">.*?(?=<h2 |</main>)', html, re.S).group(0)


def all_charts(h):
    for lang in brief.LANGS:
        for name, draw in charts.CHARTS.items():
            fig, alt, title = draw(h, lang)
            yield lang, name, fig
            plt.close(fig)


# ----------------------------------------------------------------------------- charts

def test_no_chart_text_overlaps_text_data_or_the_edge(h):
    for lang, name, fig in all_charts(h):
        assert plots.text_overlaps(fig) == [], (lang, name)


def test_text_overlaps_finds_overlapping_text():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, 1], "o-")
    ax.text(0.5, 0.5, "over the line")
    ax.text(0.5, 0.5, "over the other text")
    found = plots.text_overlaps(fig)
    plt.close(fig)
    assert any("over the line" in a and "over the other text" in b for a, b in found)
    assert any(b == "data" for a, b in found)


def test_legends_sit_outside_the_data_area(h):
    for lang, name, fig in all_charts(h):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        for ax in fig.axes:
            legend = ax.get_legend()
            if legend:
                assert not legend.get_window_extent(renderer).overlaps(
                    ax.get_window_extent(renderer)), (lang, name)


def test_every_marker_has_at_least_3_to_1_contrast_against_the_background(h):
    for lang, name, fig in all_charts(h):
        found = plots.marker_contrasts(fig)
        assert found, (lang, name)
        # lines that draw data (the 2020 range, the joined follow-up points) count too
        found += [(f"line {line.get_label()}", line.get_color(),
                   plots.contrast_ratio(line.get_color()))
                  for ax in fig.axes for line in ax.lines
                  if line.get_linestyle() not in ("None", "", " ") and line.get_linewidth() > 0]
        for what, colour, ratio in found:
            assert ratio >= plots.MIN_MARKER_CONTRAST, (lang, name, what, colour, ratio)


def test_contrast_ratio_matches_wcag():
    assert plots.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert plots.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    assert plots.contrast_ratio("#E69F00") < 3  # Okabe-Ito orange is too light for a marker


def test_chart_text_is_at_least_9_px_on_a_390_px_phone(h):
    for lang, name, fig in all_charts(h):
        assert charts.phone_text_px(fig) >= plots.MIN_PHONE_TEXT_PX, (lang, name)
        # the shared check, measured at the brief's display width
        assert charts.phone_text_px(fig) == plots.phone_text_px(fig, charts.PHONE_DISPLAY_PX)
        # the formula: pt x dpi/72 x (display width / image width)
        width_px = fig.get_size_inches()[0] * charts.DPI
        assert charts.phone_text_px(fig) == pytest.approx(
            charts.MIN_FONT_PT * charts.DPI / 72 * charts.PHONE_DISPLAY_PX / width_px)


def test_ticks_are_formatted_in_the_language(h):
    assert charts.percent_axis("id")(72.8, 0) == "72,8%"
    assert charts.percent_axis("en")(72.8, 0) == "72.8%"
    assert charts.number_axis("id")(1116, 0) == "1.116"
    assert charts.number_axis("id")(0.8, 0) == "0,8"
    assert charts.number_axis("id", 0)(-150, 0) == "\u2212150"
    fig, _, _ = charts.province_chart(h, "id")
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    plt.close(fig)
    assert any("," in t for t in ticks) and not any("." in t for t in ticks), ticks


def test_captions_explain_rather_than_repeat_the_title(h):
    for lang in brief.LANGS:
        for fig in brief.charts(h, lang):
            assert fig["caption"] and fig["caption"] not in fig["title"]
            assert fig["title"].split("] ", 1)[1][:40] not in fig["caption"]


def test_english_never_says_case_s(h, rendered):
    assert charts.cases(1, "en") == "1 case" and charts.cases(3, "en") == "3 cases"
    assert "case(s)" not in rendered["en"] and "warning(s)" not in rendered["en"]


# ----------------------------------------------------------------------------- the brief

def test_brief_opens_with_the_scorecard_before_the_findings(h, rendered):
    """The answer in 30 seconds is the brief's first section: one row per question, the
    province and the country side by side, each verdict a chip in words."""
    sc = h["scorecard"]
    for lang in brief.LANGS:
        html = rendered[lang]
        card = re.search(r'<section class="scorecard".*?</section>', html, re.S).group(0)
        assert html.index('class="scorecard"') < html.index('class="findings"')
        assert html.index('class="scorecard"') < html.index('<h2 id="findings-heading">')
        assert card.count('class="sc-row"') == len(sc.rows) == 4
        assert card.count('class="sc-cell') == 8
        for row in sc.rows:
            assert html_lib.escape(row.question(lang)) in card
            for cell in row.cells:
                assert f">{cell.verdict.label(lang)}</span>" in card  # the verdict in words
        assert sc.province in text_of(card.split('class="sc-row"')[0])  # named in the answer


def test_the_most_actionable_finding_comes_first_with_its_verdict(h, rendered):
    assert brief.finding_keys(h)[0] == "equal_lag" and brief.tags(h)["equal_lag"] == "F1"
    for lang in brief.LANGS:
        first = re.search(r'<li id="F1">(.*?)</li>', rendered[lang], re.S).group(1)
        assert fmt_pct(h["equal_lag"][2024]["p"], lang) in first
        assert f"<strong>{h['equal_lag']['verdict'].label(lang)}</strong>" in first
        # the honest caveat travels with it: counted by another agency with a new procedure
        assert "BKN" in text_of(first) and "KASN" in text_of(first)


NUMBER = re.compile(r"(?<![\w-])\d+(?:[.,]\d+)*%?")
# a range is one number in one form ('24,9%–80,1%', 'antara 1 dan 2', 'between 1 and 2')
RANGE = re.compile(r"(?<![\w-])(\d+(?:[.,]\d+)*%?)\s*(?:\u2013|\u2212|-)\s*\d+(?:[.,]\d+)*%?"
                   r"|\b(?:antara|between) ([\u2212-]?\d+(?:[.,]\d+)*%?) (?:dan|and) "
                   r"[\u2212-]?\d+(?:[.,]\d+)*%?")
NAMES = re.compile(r"(Pilkada|Pemilu|Pemilihan) \d{4}|\d{1,2} [A-Z][a-z]+ \d{4}|\[F\d\]")


def test_each_finding_sentence_has_at_most_two_numbers(h, rendered):
    for lang in brief.LANGS:
        for tag in brief.tags(h).values():
            item = re.search(rf'<li id="{tag}">(.*?)<em class="verdict', rendered[lang], re.S)
            sentence = RANGE.sub(r"\1\2", NAMES.sub("", text_of(item.group(1))))
            assert len(NUMBER.findall(sentence)) <= 2, (lang, tag, sentence)


def test_a_range_counts_once_but_three_numbers_do_not():
    assert len(NUMBER.findall(RANGE.sub(r"\1\2", "baru 1,6%; Pilkada 2020: 24,9%\u201380,1%"
                                        .replace("Pilkada 2020", "")))) == 2
    assert len(NUMBER.findall(RANGE.sub(r"\1\2", "1,6%, 24,9% dan 80,1%"))) == 3


def test_under_the_title_edition_publication_date_cutoff_and_latest_figure_per_cycle(h, rendered):
    for lang, words in (("id", ("Edisi ke-1", "Terbit", "Data hingga")),
                        ("en", ("Edition 1", "Published", "Data cut-off"))):
        meta = text_of(re.search(r'<p class="meta">(.*?)</p>', rendered[lang], re.S).group(1))
        assert all(w in meta for w in words), meta
        assert fmt_date("2026-03-01", lang) in meta
        assert fmt_date(h["dates"]["cutoff"], lang) in meta
        for x in h["dates"]["latest"]:  # each election named in the brief's language
            label = election_label(x["cycle"], x["election_type"], lang)
            assert f"{label}: {fmt_date(x['date'], lang)}" in meta
        assert ("Tahun / year" not in meta) and ("ulang" not in meta if lang == "en" else True)


def visible_text(html: str, lang: str) -> str:
    """What a reader of ``lang`` sees: tags, styles, link targets and passages marked as the
    other language (lang="..." on an element) dropped."""
    other = "en" if lang == "id" else "id"
    html = re.sub(r'<(style|a)\b.*?</\1>', " ", html, flags=re.S)
    html = re.sub(rf'<(\w+)[^>]*\blang="{other}"[^>]*>.*?</\1>', " ", html, flags=re.S)
    return text_of(html)


def test_plain_words_no_test_statistics(h, rendered):
    front = brief.front_context(h)
    for lang in brief.LANGS:
        visible = visible_text(rendered[lang], lang)
        assert glossary.jargon(visible, lang) == [], glossary.jargon(visible, lang)
        for item in front[lang]["findings"] + [front[lang]["scorecard"]]:
            assert glossary.jargon(visible_text(item, lang), lang) == [], item
    assert "selang kepercayaan 95%" in rendered["id"]
    assert "rentang kepercayaan" not in rendered["id"].lower()
    assert "166 hari sebelum pemungutan suara" in rendered["id"]


def test_no_english_inside_indonesian_text(h, rendered):
    front = brief.front_context(h)
    pages = [rendered["id"], front["id"]["scorecard"], *front["id"]["findings"]]
    for page in pages:
        found = glossary.english_words(visible_text(page, "id"))
        assert found == [], found
    # the check has teeth: an English word in an Indonesian sentence is caught
    assert glossary.english_words("porsi ASN yang sudah disanksi, the share") == ["the", "share"]


def test_negative_numbers_carry_the_minus_sign(h, rendered):
    for lang in brief.LANGS:
        visible = visible_text(rendered[lang], lang)
        assert not re.search(r"(?<![\w\u2212])-\d", visible), re.findall(r".{30}-\d.{10}", visible)
        assert "\u2212" in visible  # the decree's change is negative
    assert glossary.plain("bergeser dari -33,4 ke -4,0 poin", "id") == \
        "bergeser dari \u221233,4 ke \u22124,0 poin"


def test_glossary_box_defines_the_terms(rendered):
    glossary_box = r'<section class="glossary".*?</section>'
    box = text_of(re.search(glossary_box, rendered["id"], re.S).group(0))
    for term in ("ASN", "PNS", "PPPK", "PPK", "KASN", "BKN", "SKB", "BKPSDMD", "Bawaslu",
                 "Selang kepercayaan 95%", "Angka per tanggal", "Didukung", "Indikatif",
                 "Belum dapat disimpulkan", "Register kasus"):
        assert term in box
    box_en = text_of(re.search(glossary_box, rendered["en"], re.S).group(0))
    assert "95% confidence range" in box_en and "Snapshot" in box_en and "Cannot tell" in box_en


def test_recommendations_are_advice_tied_to_findings_for_every_audience(h, rendered):
    for lang in brief.LANGS:
        recs = re.search(r'<ul class="recs">(.*?)</ul>', rendered[lang], re.S).group(1)
        items = [text_of(i) for i in recs.split("<li>")[1:]]
        assert all(re.search(r"\[F\d(, F\d)*\]", i) for i in items)
        for audience in AUDIENCES[lang]:
            assert any(audience in i for i in items), audience
        if lang == "id":
            assert all(re.search(r"\b(perlu|disarankan|Disarankan)\b", i) for i in items)


def test_recommendations_are_built_from_the_decisions(h, rendered):
    """One recommendation per open question (decide.decisions), in their order, each naming who
    holds the data and the finding it would settle; then the DPRD's."""
    t = brief.tags(h)
    for lang in brief.LANGS:
        recs = re.search(r'<ul class="recs">(.*?)</ul>', rendered[lang], re.S).group(1)
        items = [text_of(i) for i in recs.split("<li>")[1:]]
        assert len(items) == len(h["decisions"]) + 1
        for d, item in zip(h["decisions"], items):
            assert item.startswith(glossary.expand_holders(d.holder, lang)), (d.key, item)
            if d.key in t:
                assert f"[{t[d.key]}]" in item
            else:  # no finding names its data: the recommendation does, and asks its question
                assert glossary.plain(d.datum(lang), lang) in item
        assert items[-1].startswith("DPRD " + h["province"]["province"])


def test_each_open_finding_says_what_would_decide_it_and_who_holds_it(h, rendered):
    t = brief.tags(h)
    for lang, head in (("id", "Yang dapat memastikan"), ("en", "What would decide it")):
        for d in h["decisions"]:
            if d.key not in t:
                continue
            item = text_of(re.search(rf'<li id="{t[d.key]}">(.*?)</li>', rendered[lang],
                                     re.S).group(1))
            assert f"{head}: {glossary.plain(d.datum(lang), lang)}" in item, (d.key, item)
            assert glossary.expand_holders(d.holder, lang) in item
            assert d.blocked(lang) in item


def test_every_finding_links_its_own_numbered_sources(h, rendered):
    sources, refs = brief.numbered_sources(h)
    for lang in brief.LANGS:
        html = rendered[lang]
        for key, tag in brief.tags(h).items():
            assert refs[key], key
            item = re.search(rf'<li id="{tag}">(.*?)</li>', html, re.S).group(1)
            for a, _ in refs[key]:
                assert f'href="#src-{a}"' in item and f'id="src-{a}"' in html
    # the rates and the province cite the headcount sources of their denominators
    denominators = [s for s in sources if s["kind"] == "denominator"]
    assert {d["used_for"] for d in denominators} >= {"province"}
    for key in ("rates", "province"):
        numbers = {n for a, b in refs[key] for n in range(a, b + 1)}
        assert numbers & {d["n"] for d in denominators}, key


def test_sources_show_outlet_agency_title_date_and_canonical_url(h, rendered):
    html = rendered["id"]
    items = re.findall(r'<li id="src-\d+" value="\d+">(.*?)</li>', html, re.S)
    assert len(items) == len(brief.numbered_sources(h)[0])
    for s, item in zip(brief.numbered_sources(h)[0], items):
        assert s["outlet"] in item and html_lib.escape(s["url"]) in item
        assert html_lib.escape(s["title"], quote=False) in item or not s["title"]
    # the garbled share-widget URL of the Bawaslu 2019 release is replaced by the canonical one
    assert "twitter.com" not in html
    assert "nasional.kompas.com/read/2019/03/08/16172081/bawaslu-catat-165-kasus" in html


def test_weak_sources_are_marked(h):
    weak = copy.copy(h)
    weak["sources"] = h["sources"].copy()
    weak["sources"].loc[0, "quality"] = "weak"
    html = brief.render(weak, "id")[0]
    first = re.search(r'<li id="src-1" value="1">(.*?)</li>', html, re.S).group(1)
    assert "[sumber lemah]" in first


def test_data_text_is_escaped(h):
    bad = copy.copy(h)
    bad["sources"] = h["sources"].copy()
    bad["sources"].loc[0, "title"] = "<script>alert(1)</script>"
    html = brief.render(bad, "en")[0]
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_passages_in_the_other_language_carry_their_lang(h, rendered):
    for lang, other in (("en", "id"), ("id", "en")):
        for s in brief.numbered_sources(h)[0]:
            if s["title_lang"] != lang and s["title"]:
                assert f'<span lang="{other}">{html_lib.escape(s["title"], quote=False)}' \
                    in rendered[lang], s["title"]
    assert '<span lang="en">UU No. 20' in rendered["id"]
    guess = glossary.guess_lang
    assert guess("KASN Catat 464 ASN Dilaporkan Tidak Netral pada Pemilu 2024") == "id"
    assert guess("Bawaslu Face Serious Challenges in ASN Neutrality Violations Issue") == "en"


def test_citation_licence_and_first_edition_close_the_brief(rendered):
    closing = text_of(section(rendered["id"], "closing"))
    assert "Kutip sebagai" in closing and "CC BY 4.0" in closing and "MIT" in closing
    assert "Edisi pertama." in closing
    assert "First edition." in text_of(section(rendered["en"], "closing"))


def test_what_changed_since_the_previous_edition(h):
    current = brief.summary(h, "2026-03-01", "abc", 1)
    json.dumps(current)  # stored in the manifest
    previous = copy.deepcopy(current)
    previous["commit"] = "old"
    previous["findings"]["equal_lag"]["numbers"]["p2024"][1] = 0.05
    previous["findings"]["decree"]["verdict"] = verdicts.SUGGESTIVE
    html = brief.render(h, "id", commit="abc", previous_summary=previous)[0]
    closing = text_of(section(html, "closing"))
    assert f"F1: 5,0% → {fmt_pct(h['equal_lag'][2024]['p'], 'id')}" in closing
    assert "penilaian berubah dari indikatif menjadi belum dapat disimpulkan" in closing
    assert "edisi ke-2" in closing
    same = brief.changes(current, current, h, "en")
    assert same == ["No headline number or verdict changed."]
    assert brief.edition_number(previous, "abc") == 2 and brief.edition_number(current, "abc") == 1


def test_build_briefs_accepts_the_edition_parameters_and_returns_a_summary():
    params = inspect.signature(brief.build_briefs).parameters
    assert params["edition_date"].default is None and params["previous_summary"].default is None


def test_print_css_keeps_sources_at_7_5_pt_or_more():
    css = (paths.TEMPLATES / "brief_base.html.j2").read_text(encoding="utf-8")
    printed = css[css.index("@media print"):]
    sizes = [float(x) for x in re.findall(r"font-size:\s*([\d.]+)pt", printed)]
    assert min(sizes) >= 7.5, sizes


def test_no_local_file_name_in_the_footer(rendered):
    for html in rendered.values():
        footer = re.search(r"<footer>(.*?)</footer>", html, re.S).group(1)
        assert not re.search(r"\.html|\.csv|data/raw|file:", footer), footer


def test_pdf_findings_charts_and_recommendations_fit_two_pages(tmp_path, require_browser):
    if not brief.chromium():
        require_browser("the PDF briefs")
    result = brief.build_briefs(tmp_path, commit="test", edition_date="2026-03-01")
    assert not result["pdf_note"], result["pdf_note"]
    for lang, recs, later in (("id", "Rekomendasi", ("Metode dan keterbatasan", "Daftar istilah")),
                              ("en", "Recommendations", ("Methods and caveats", "Glossary"))):
        pages = [re.sub(r"\s+", " ", p.extract_text())
                 for p in PdfReader(tmp_path / "briefs" / f"brief_{lang}.pdf").pages]
        first_two = " ".join(pages[:2])
        assert recs in first_two
        assert all(tag in first_two for tag in ("[F1]", "[F7]"))
        assert "DPRD" in first_two  # the last recommendation
        scorecard_title = re.sub(r"\s+", " ", text_of(re.search(
            r'<h2 id="scorecard-title">(.*?)</h2>', brief.render(
                result["headlines"], lang)[0], re.S).group(1)))
        assert scorecard_title in pages[0]
        rest = " ".join(pages[2:])
        assert all(word in rest and word not in first_two for word in later)
        text = " ".join(pages)
        assert "brief_en.html" not in text and "brief_id.html" not in text and "file:" not in text


def test_the_province_chart_draws_each_release_with_its_interval(h):
    """Babel's chart estimates (a ratio to the other provinces): each release carries the 95%
    interval of the verdict's method (quasi-Poisson with that release's variation); a bound
    beyond the axis is an arrow at the edge, never a silently shorter line."""
    lo_lim, hi_lim = charts.RATIO_LIMITS
    for lang in brief.LANGS:
        fig, _, _ = charts.province_chart(h, lang)
        ax = fig.axes[0]
        segments = [line for line in ax.lines if len(line.get_xdata()) == 2
                    and line.get_ydata()[0] == line.get_ydata()[1]]
        arrows = [line for line in ax.lines if line.get_marker() in ("<", ">")]
        rows = h["province"]["comparisons"]
        assert len(segments) == len(rows)
        for i, (r, seg) in enumerate(zip(rows, segments)):
            assert seg.get_ydata()[0] == i
            assert seg.get_xdata()[0] == pytest.approx(min(max(r["ratio_low"], lo_lim), hi_lim))
            assert seg.get_xdata()[1] == pytest.approx(max(min(r["ratio_high"], hi_lim), lo_lim))
        beyond = sum((r["ratio_low"] < lo_lim) + (r["ratio_high"] > hi_lim) for r in rows)
        assert len(arrows) == beyond
        assert ax.get_xscale() == "log"
        plt.close(fig)


def test_the_province_tile_is_legible_on_a_phone_and_clean(h):
    for lang in brief.LANGS:
        fig, alt, title, caption = charts.tile_figure(h, lang)
        assert charts.phone_text_px(fig) >= plots.MIN_PHONE_TEXT_PX
        assert plots.text_overlaps(fig) == []
        assert h["province"]["province"] in title and caption not in title
        plt.close(fig)
