"""Report 03 for readers: rates and funnels drawn in both languages, the chosen province named in
every funnel's title, and a list that is not ASN-only shown with its unit in its title and never
as a rate."""
import pytest

from analysis.data import ledger
from analysis.findings import headlines, provinces, series
from analysis.publish.formatting import fmt_int
from analysis.publish.tile_map import short_name
from analysis.publish.views import province_funnel
from analysis.publish.views import rates as view


@pytest.fixture(scope="module")
def raw():
    return ledger.load_ledger(), ledger.load_elections(), ledger.load_headcount()


def test_rates_figure_passes_the_checks(raw, drawn_clean):
    names = ["asn_reported", "asn_proven", "bawaslu_cases"]
    rates = series.rates_of(*raw, names)
    verdict = headlines.reported_rates(headlines.Inputs.load()).attrs["verdict"]
    drawn = drawn_clean(lambda lang: view.draw_rates(rates, names, 10_000, verdict, lang))
    assert drawn["en"][0].startswith(f"[{verdict.label('en')}]")


@pytest.mark.parametrize("province", ["Kepulauan Bangka Belitung", "Sulawesi Tenggara"])
def test_each_release_funnel_names_the_chosen_province(raw, province, drawn_clean):
    figures, _, headcount = raw
    funnels = provinces.release_funnels(figures, headcount, provinces.RELEASES)
    _, year = provinces.province_headcount(headcount)
    label, release = next(iter(funnels.items()))
    drawn = drawn_clean(lambda lang: province_funnel.draw_release(label, release, province, year,
                                                                  10_000, lang))
    assert short_name(province) in drawn["id"][0] and short_name(province) in drawn["en"][0]


def test_a_list_that_is_not_asn_only_states_its_unit_and_its_national_total(raw):
    release = next(r for r in provinces.non_asn_province_lists(raw[0]) if r["cycle"] == 2018)
    html = view.non_asn_table(release).data
    caption = html.split("<caption>")[1].split("</caption>")[0]
    assert "termasuk pelaku lain yang dilarang" in caption and "including other barred" in caption
    assert "Per 10" not in html and "per 10" not in html  # never a rate
    text = view.non_asn_text(release, "Kepulauan Bangka Belitung")
    listed = fmt_int(release["table"]["value"].sum())
    assert f"{len(release['table'])} provinsi tercantum, jumlahnya {listed} dari " \
           f"{fmt_int(release['national'])}" in text
    assert "tidak tercantum" in text and "unknown, not zero" in text
    first = release["table"]["region"].iloc[0]
    assert "tercantum dengan" in view.non_asn_text(release, first)


def test_funnel_text_and_note_name_the_flagged_provinces(raw):
    figures, _, headcount = raw
    label, release = next(iter(provinces.release_funnels(figures, headcount,
                                                         provinces.RELEASES).items()))
    table = release["table"]
    text = view.funnel_text(label, provinces.flagged(table), provinces.below_limits(table))
    assert f"{len(provinces.flagged(table))} provinsi ditandai" in text
    assert "Pearson phi" in view.funnel_note(label, table, release["info"])
