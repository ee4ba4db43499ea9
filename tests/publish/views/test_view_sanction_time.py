"""Report 06, sections 1-2 for readers: the time-to-sanction figure (both languages, SYNTHETIC
in its title on synthetic data, the day-90 shares it states), the tables with the chosen
province named and escaped, and the competing-ends sentence with the summary's numbers."""
import pandas as pd
import pytest

from analysis.data.registers import demo
from analysis.findings import supervision as sv
from analysis.publish.formatting import fmt_num, fmt_pct
from analysis.publish.views import sanction_time as st
from analysis.publish.views.register_page import RegisterPage


@pytest.fixture(scope="module")
def reg():
    cases, meta, _ = demo.load_demo_register()
    return cases, meta, RegisterPage.from_meta(meta)


def test_time_to_sanction_figure_states_the_day_90_shares(reg, drawn_clean):
    cases, meta, page = reg
    out = sv.published_time_to_sanction(cases, meta["data_date"])
    drawn = drawn_clean(lambda lang: st.draw_time_to_sanction(out["curves"], out["at_90"], page,
                                                              lang))
    for lang, word in (("id", "SINTETIS"), ("en", "SYNTHETIC")):
        title, alt = drawn[lang]
        assert title.startswith(word) and alt.startswith(word)
        for election, row in out["at_90"].iterrows():
            assert f"{election} {fmt_pct(row.executed, lang, 0)}" in title


def test_reader_tables_name_the_chosen_province_escaped_and_read_the_set_days(reg):
    cases, meta, page = reg
    out = sv.published_time_to_sanction(cases, meta["data_date"])
    short = st.read_days(out["table"])
    assert set(short["time"]) <= set(st.READ_DAYS)
    html = st.time_to_sanction_table(short, page).data
    assert "30 sampai 365 hari" in html and "SINTETIS" in html
    wide = pd.DataFrame({"region": ["Bangka", "Total"], "Pilkada 2020": ["x", "1234"],
                         "Total": ["x", "1234"]})
    html = st.province_cases_table(wide, "<Prov & Co>", page).data
    assert "&lt;Prov &amp; Co&gt;" in html and "<Prov" not in html
    assert "1.234" in html and "Jumlah / <span" in html


def test_competing_sentence_carries_the_summary_numbers(reg):
    cases, meta, page = reg
    summary = sv.competing_summary(cases, meta["data_date"])
    text = st.competing_text(summary, page)
    assert fmt_num(100 * summary["overstate"], "id") in text
    assert fmt_num(100 * summary["spread"], "en") in text
    assert "365 hari" in st.competing_table(summary["at_day"], page).data
