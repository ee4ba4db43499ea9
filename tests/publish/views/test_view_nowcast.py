"""Report 06, section 5 for readers: the nowcast figure in both languages and the summary whose
numbers are the back-test's."""
import pandas as pd
import pytest

from analysis import paths
from analysis.findings import nowcast as fn
from analysis.publish.formatting import fmt_num, fmt_pct
from analysis.publish.views import nowcast as vnow


@pytest.fixture(scope="module")
def nowcast():
    snapshots = pd.read_csv(paths.PROCESSED / "enforcement_snapshots.csv")
    running, back = fn.running_nowcast(snapshots), fn.backtest_2020(snapshots)
    return snapshots, running, back, fn.carry_forward_shortfall(back), fn.verdict(running, back)


def test_nowcast_figure_passes_the_checks_and_states_the_largest_shortfall(nowcast, drawn_clean):
    snapshots, running, back, shortfall, verdict = nowcast
    drawn = drawn_clean(lambda lang: vnow.draw_nowcast(fn.follow_up_series(snapshots), running,
                                                       back, shortfall, verdict, lang))
    assert f"{fmt_num(shortfall['largest'], 'en', 0)} points" in drawn["en"][0]
    assert verdict.label("id") in drawn["id"][0]


def test_summary_carries_the_backtest_numbers(nowcast):
    _, running, back, shortfall, verdict = nowcast
    text = vnow.summary_text(running, back, shortfall, verdict)
    assert f"{back['n_informative']} dari {len(back['backtest'])} potret" in text
    latest, largest = fmt_num(shortfall["latest"], "id", 0), fmt_num(shortfall["largest"], "id", 0)
    assert f"{latest}–{largest} poin" in text
    assert fmt_pct(back["final"], "en", 1) in text
    assert vnow.series_table(running["table"]).data.count("<tr>") == len(running["table"]) + 1
    assert vnow.backtest_table(back["backtest"]).data.count("<tr>") == len(back["backtest"]) + 1
