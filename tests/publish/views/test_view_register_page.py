"""What a register's pages say about it: the SYNTHETIC mark only on synthetic data, the source
line in the figure's language, prose with typographic apostrophes, words for outcomes."""
from analysis.publish.views.register_page import RegisterPage, outcome_col, prose, total_pair


def test_only_a_synthetic_register_is_marked():
    synthetic = RegisterPage.from_meta({"name": "demo", "data_date": "2025-06-30",
                                        "synthetic": True})
    real = RegisterPage.from_meta({"name": "babel", "data_date": "2025-06-30"})
    assert synthetic.mark_md.startswith("SINTETIS / ")
    assert 'lang="en">SYNTHETIC' in synthetic.mark_md
    assert synthetic.mark("id") == "SINTETIS · " and synthetic.mark("en") == "SYNTHETIC · "
    assert real.mark_md == "" and real.mark("id") == real.mark("en") == ""


def test_source_line_names_the_register_and_its_date_in_the_language():
    page = RegisterPage("babel", "2025-06-30", False)
    assert page.source("id", "metode", "method") == \
        "register perkara babel, tanggal data 30 Juni 2025; metode"
    assert page.source("en", "metode", "method") == \
        "case register babel, data date 30 June 2025; method"


def test_prose_is_escaped_with_typographic_apostrophes_and_outcomes_have_words():
    assert prose("Sant'Anna <b>") == "Sant\u2019Anna &lt;b&gt;"
    col = outcome_col("not_proven", "pct")
    assert (col.id, col.en, col.kind) == ("Tidak terbukti", "Not proven", "pct")
    assert outcome_col("new_code").id == "New code"
    assert total_pair("Total") == "Jumlah / Total" and total_pair("Pilkada 2020") == "Pilkada 2020"
