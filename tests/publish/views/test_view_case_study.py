"""Report 04 for readers: every provincial figure in eight columns (the wide table was cut off),
its id linked to its source; counts that are not ASN-only with their unit in the caption; the
data to collect numbered in both languages; the case funnel passing the checks."""
import pytest

from analysis import paths
from analysis.data import ledger
from analysis.findings import casestudy, evidence, verdicts
from analysis.publish.reader_tables import clean_fragment
from analysis.publish.views import case_study as view
from analysis.publish.views import province_funnel

BABEL = "Kepulauan Bangka Belitung"


@pytest.fixture(scope="module")
def own():
    names = casestudy.province_regions(ledger.read_raw(paths.REGIONS), BABEL)
    return evidence.with_cycle_label(casestudy.province_figures(ledger.load_ledger(), names))


def test_the_figures_table_has_eight_columns_and_links_each_id_to_its_source(own):
    html = clean_fragment(view.figures_table(own, BABEL).data)
    assert html.split("<thead>")[1].split("</thead>")[0].count("<th") == 8
    first = own.iloc[0]
    assert f'href="{first["source_url"]}">{first["id"]}</a>' in html
    assert html.count("<tr>") == len(own) + 1
    undated = own[(own["as_of_date"] == "") & (own["published_date"] != "")]
    assert len(undated) and "terbit " in html


def test_values_read_with_their_unit_in_words_and_dates_with_their_kind():
    assert view._value(1234.0, "cases") == "1.234 kasus / cases"
    assert view._value(2.0, "cases_all_violations").endswith("/ election violations of all kinds")
    assert view._when("2024-02-07", "2024-02-08") == "7 Februari 2024"
    assert view._when("", "2024") == "terbit 2024 / published 2024"
    assert view._stage("reported", "laporan") == "dilaporkan (laporan) / reported (laporan)"
    # a supervision figure's category in the house's words, no English left in the Indonesian
    assert view._stage("supervision_measure", "letter") == (
        "langkah pengawasan: surat imbauan / supervision measure: appeal letter")
    assert view._value(1.0, "items") == "1 langkah / measures"


def test_every_supervision_category_in_the_ledger_reads_in_indonesian(own):
    """The province's supervision figures (posko, pokja, MoU, letters...) name their category
    in Indonesian words, never the ledger's English code."""
    from analysis.findings.province_record import ACTIVITY_WORDS

    supervision = own[own["metric"] == "supervision_measure"]
    assert len(supervision) > 5
    assert set(supervision["category"].dropna()) - {""} <= set(ACTIVITY_WORDS)


def test_counts_that_are_not_asn_only_carry_their_unit_in_the_caption(own):
    rows = casestudy.regency_counts_not_asn_only(own)
    assert len(rows)  # Babel's Pemilu 2024 violations of every kind per regency
    html = view.not_asn_only_table(rows, "<Babel>").data
    caption = html.split("<caption>")[1].split("</caption>")[0]
    assert "pelanggaran pemilu semua jenis" in caption and "&lt;Babel&gt;" in caption
    assert "Per 10" not in html


def test_gaps_are_numbered_in_both_languages():
    gaps = [{"kind": "pns"}, {"kind": "case_counts", "elections": ["Pemilu 2024"]},
            {"kind": "sanctions", "n": 3}, {"kind": "register"}]
    text = view.gaps_text(gaps)
    assert text.startswith("1. jumlah PNS provinsi") and "\n4. register kasus" in text
    assert "only 3 executed-sanction figures" in text and text.count('<span lang="en">') == 4


def test_the_case_funnel_passes_the_checks_and_states_the_verdict(drawn_clean):
    figures, headcount = ledger.load_ledger(), ledger.load_headcount()
    compared = casestudy.compare_with_nation(figures, headcount, BABEL,
                                             [[2020, "pilkada", "Bawaslu", "cases"]],
                                             elections=ledger.load_elections())
    done = casestudy.compared(compared["comparisons"])
    verdict = verdicts.province(done.to_dict("records"), BABEL)
    label, (table, info) = next(iter(compared["funnels"].items()))
    drawn = drawn_clean(lambda lang: province_funnel.draw_case(
        label, table, info, BABEL, verdict, compared["pns_year"], 10_000, lang))
    assert drawn["en"][0].startswith(f"[{verdict.label('en')}] {label}")
    assert province_funnel.snapshot_date("published 2019", "en") == "published 2019"
    assert province_funnel.snapshot_date("2020-10-04") == "4 Oktober 2020"


def test_the_power_sentence_quotes_the_latest_release_as_the_brief_does():
    from analysis.publish import report_marks

    compared = casestudy.compare_with_nation(ledger.load_ledger(), ledger.load_headcount(), BABEL,
                                             [[2020, "pilkada", "Bawaslu", "cases"],
                                              [2019, "pemilu", "Bawaslu", "cases"]],
                                             elections=ledger.load_elections())
    done = casestudy.compared(compared["comparisons"])
    latest = report_marks.latest_release(done)
    text = view.sparse_text(casestudy.sparse_counts(done), latest, compared["pns"],
                            compared["pns_year"])
    assert report_marks.detectable(latest, "id") in text
    assert report_marks.detectable(latest, "en", poisson=True) in text
    assert f"{latest['election']}, rilis terbaru" in text
