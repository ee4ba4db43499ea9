"""Report 06, section 3 for readers: supervision measures shown by their titles (Indonesian
with the English as its marked translation, escaped) with the id as a secondary label linked to
the measure's row; the planted measure's figure passes the checks in both languages."""
import pandas as pd
import pytest

from analysis import paths
from analysis.data import ledger
from analysis.data.registers import demo
from analysis.findings import casestudy, measure_studies as ms
from analysis.publish.reader_tables import clean_fragment
from analysis.publish.views import event_study as ev
from analysis.publish.views.register_page import RegisterPage


@pytest.fixture(scope="module")
def measures():
    return ledger.load_measures()


@pytest.fixture(scope="module")
def run(measures):
    cases, meta, truth = demo.load_demo_register()
    regions = casestudy.province_regions(ledger.read_raw(paths.REGIONS),
                                         "Kepulauan Bangka Belitung")
    out = ms.run_studies(cases, truth, measures, regions, meta["data_date"], n_perm=99)
    return out, RegisterPage.from_meta(meta)


def test_a_measure_reads_as_its_title_with_its_id_linked_to_its_row():
    titles = {"sm-015": "Working group <pokja> & partners"}
    label = ev.measure_label("sm-015", titles)
    assert '<span lang="en">Working group &lt;pokja&gt; &amp; partners</span>' in label
    assert '<a href="#measure-sm-015">sm-015</a>' in label
    assert ev.anchor('sm-1"><script>') == "measure-sm-1script"
    assert "ditanam" in ev.measure_label(ms.PLANTED, titles)
    assert ev.measure_label("sm-999", titles) == "sm-999"


def test_a_measure_reads_in_indonesian_with_its_english_as_the_translation():
    titles = {"sm-015": ("Pokja <netralitas> & mitra", "Working group & partners"),
              "sm-016": ("", "Circular of the acting regent")}
    link = '(<a href="#measure-sm-015">sm-015</a>)'
    assert ev.measure_label("sm-015", titles, "id") == \
        f"Pokja &lt;netralitas&gt; &amp; mitra {link}"
    assert ev.measure_label("sm-015", titles, "en") == f"Working group &amp; partners {link}"
    assert ev.measure_label("sm-015", titles) == (
        f'Pokja &lt;netralitas&gt; &amp; mitra / <span lang="en">Working group &amp; partners'
        f'</span> {link}')
    # no Indonesian curated: the English alone, marked as English, in the Indonesian text
    assert ev.measure_label("sm-016", titles, "id").startswith(
        '<span lang="en">Circular of the acting regent</span> (')
    assert ev.measure_titles(pd.DataFrame({"measure_id": ["sm-1"], "title": ["T"]})) == \
        {"sm-1": ("", "T")}


def test_every_curated_measure_has_its_indonesian_title(measures):
    """The raw file gives each measure in Bahasa Indonesia; a missing one would put English in
    the Indonesian page."""
    assert measures["title_id"].notna().all()
    assert (measures["title_id"].str.strip() != measures["title"].str.strip()).all()


def test_the_table_of_measures_shows_every_title_and_anchors_its_id(measures):
    html = clean_fragment(ev.measures_table(measures).data)  # as the page's sanitiser leaves it
    for mid, title_id in zip(measures["measure_id"], measures["title_id"]):
        assert title_id.replace("&", "&amp;") + ' / <span lang="en">' in html, mid
    for mid, title in zip(measures["measure_id"], measures["title"]):
        assert f'<small id="{ev.anchor(mid)}">{mid}</small>' in html
        assert title.replace("&", "&amp;").replace("'", "&#x27;") in html or \
            title.replace("&", "&amp;") in html
    # the date reads at its precision
    assert "Kode langkah" not in html and "Ketelitian" not in html


def test_study_table_and_lines_name_the_measures_by_title(run, measures):
    out, page = run
    titles = ev.measure_titles(measures)
    table, verdicts = ms.study_summary(out["studies"], page.synthetic)
    html = clean_fragment(ev.study_table(table, titles, page).data)
    lines = ev.verdict_lines(table, verdicts, titles)
    for measure in set(table["measure"]) - {ms.PLANTED}:
        assert f'href="#{ev.anchor(measure)}"' in html
        linked = sum(f">{measure}</a>" in line for line in lines)
        assert linked == (table["measure"] == measure).sum()
    assert len(lines) == len(table)


def test_national_text_links_every_national_measure(measures):
    by_cycle = ms.national_by_cycle(measures)
    text = ev.national_text(by_cycle, ["sm-015"], 4)
    for ids in by_cycle.values():
        for mid in ids:
            assert f'<a href="#{ev.anchor(mid)}">{mid}</a>' in text
    assert "(G = 4 unit)" in text and "(G = 4 units)" in text
    assert "register ini: –" in ev.national_text({}, [], 0)


def test_event_study_figure_passes_the_checks(run, drawn_clean):
    out, page = run
    assert ev.has_planted_figure(out["studies"])
    drawn = drawn_clean(lambda lang: ev.draw_event_study(out["studies"], 60, page, lang))
    assert drawn["id"][0].startswith("SINTETIS") and drawn["en"][0].startswith("SYNTHETIC")
    assert not ev.has_planted_figure({})
    assert isinstance(ev.MEASURE_COLUMNS, list) and set(ev.MEASURE_COLUMNS) <= set(measures_cols())


def measures_cols():
    return pd.read_csv(paths.RAW / "supervision_measures.csv", nrows=0).columns
