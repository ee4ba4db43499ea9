"""Report 05 for readers: the banner says SYNTHETIC or unpublished, every figure draws a hidden
count as its mark (never a bar) and passes the layout checks, and the attacker's result reads
with its numbers."""
import pandas as pd
import pytest

from analysis.data.registers import opening
from analysis.findings import register_overview as ro
from analysis.findings import register_tables as rt
from analysis.publish.views import register_overview as view
from analysis.publish.views.register_page import RegisterPage


@pytest.fixture(scope="module")
def demo():
    opened = opening.open_register("")
    tables = rt.overview_tables(opened.cases, opened.meta)
    facts = ro.summary(opened.cases, opened.meta)
    return tables, facts, RegisterPage.from_meta(opened.meta)


def test_banner_says_what_the_register_is(demo):
    _, facts, page = demo
    assert view.banner(facts, page).startswith("**SINTETIS / ")
    real = RegisterPage("babel<x>", facts["data_date"], False)
    text = view.banner(facts | {"name": "babel<x>"}, real)
    assert "dipseudonimkan" in text and "babel&lt;x&gt;" in text and "SINTETIS" not in text
    assert f"**{facts['cases']} perkara**" in view.banner(facts, page).replace(".", "")


def test_figures_pass_the_checks_in_both_languages(demo, drawn_clean):
    tables, facts, page = demo
    by_election = tables["05_cases_by_election"].published
    drawn = drawn_clean(lambda lang: view.draw_by_election(by_election, facts, page, lang))
    top = ro.largest_shown(by_election)
    assert top["category"] in drawn["en"][0] and drawn["en"][0].startswith("SYNTHETIC")
    one_way = {c: tables[f"05_cases_by_{c}"].published for c in view.ONE_WAY}
    drawn_clean(lambda lang: view.draw_who_and_what(one_way, page, lang))
    cumulative = ro.shown_counts(tables["05_funnel_cumulative"].published)
    drawn_clean(lambda lang: view.draw_funnel(cumulative, facts["elections"], page, lang))


def test_a_hidden_count_is_drawn_as_its_mark_not_a_bar():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    view.bars(ax, ["a", "b"], ["12", "x"], "id")
    assert len(ax.patches) == 1 and "x" in [t.get_text() for t in ax.texts]
    plt.close(fig)


def test_check_text_states_the_attackers_result():
    check = pd.DataFrame({"hidden": [3, 4], "withheld": [0, 2], "recoverable": [0, 0]})
    text = view.check_text(check, 5, "demo")
    assert "kurang dari 5 di 2 tabel (7 sel disembunyikan, 2 di antaranya" in text
    assert "in any of the 2 tables (7 cells hidden, 2 of them withheld" in text
    assert "di antaranya" not in view.check_text(check.assign(withheld=0), 5, "demo")
