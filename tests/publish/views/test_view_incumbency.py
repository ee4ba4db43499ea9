"""Report 06, section 4 for readers: the incumbency ratios with their verdicts (planted values on
synthetic data), the figure in both languages, and the national counts of incumbents running
with Indonesian words for every code."""
import pytest

from analysis.data import ledger
from analysis.data.registers import demo
from analysis.findings import incumbency as inc
from analysis.publish.formatting import fmt_int, fmt_num
from analysis.publish.views import incumbency as vinc
from analysis.publish.views.register_page import RegisterPage


@pytest.fixture(scope="module")
def effects():
    cases, meta, truth = demo.load_demo_register()
    out = inc.effects(cases, inc.units_from_truth(truth), meta["data_date"], True)
    return out, truth["planted"], RegisterPage.from_meta(meta)


def test_effects_text_states_ratios_intervals_planted_values_and_verdicts(effects):
    out, planted, page = effects
    text = vinc.effects_text(out, planted, page)
    assert fmt_num(out["rate"]["rate_ratio"], "id", 2) in text
    assert fmt_num(out["hazard"]["hazard_ratio"], "en", 2) in text
    assert f"ditanam {fmt_num(planted['incumbent_rate_ratio'], 'id', 2)}" in text
    assert out["rate_verdict"].label("id") in text and text.startswith("SINTETIS")
    assert "ditanam" not in vinc.effects_text(out, {}, page)


def test_incumbency_figure_passes_the_checks(effects, drawn_clean):
    out, _, page = effects
    drawn = drawn_clean(lambda lang: vinc.draw_incumbency(out, page, lang))
    assert out["rate_verdict"].label("en") in drawn["en"][0]


def test_national_counts_read_in_words_with_each_cycles_total():
    national = inc.national_candidates(ledger.load_candidates())
    html = vinc.national_candidates_table(national).data
    assert "_" not in "".join(h for h in html.split("<th")[1:])  # no code in a header
    for code in set(national["quantity"]):
        assert code not in html  # every quantity in words
    assert "petahana maju lagi" in html and "85,18" in html
    running = inc.incumbents_running(national)
    text = vinc.incumbents_running_text(running)
    for r in running.itertuples():
        assert f"Pilkada {r.cycle}: {fmt_int(r.value)}" in text
        assert f"Pilkada {r.cycle}: {fmt_int(r.value, 'en')}" in text
    assert "Belum ada" in vinc.incumbents_running_text(running.iloc[0:0])
