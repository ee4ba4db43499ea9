"""Report 02 for readers: one panel per election with each row's lag (no axis mixes elections),
a sentence saying no stage shares a lag, the claims' counts taken from the lists they introduce,
and every figure passing the checks in both languages."""
import re

import pandas as pd
import pytest

from analysis.findings import enforcement, evidence, follow_up, headlines
from analysis.publish.views import enforcement as view


@pytest.fixture(scope="module")
def national():
    return headlines.Inputs.load().national


def test_latest_snapshots_are_drawn_one_panel_per_election_each_row_with_its_lag(national,
                                                                                 drawn_clean):
    latest = follow_up.latest_by_election(national)
    shared = follow_up.shared_lags(latest)
    fig, _ = view.draw_latest_panels(latest, shared, "2025-01-30", "en")
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == list(dict.fromkeys(latest["election"]))
    labels = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert len(labels) == len(latest) and all("day " in label for label in labels)
    drawn = drawn_clean(lambda lang: view.draw_latest_panels(latest, shared, "2025-01-30", lang))
    assert "no stage at the same lag in two elections" in drawn["en"][0]
    assert view.lag_range(latest, "en") in drawn["en"][0]


def test_the_text_says_whether_any_stage_shares_a_lag():
    latest = pd.DataFrame({"election": ["A", "B"], "days_since_vote": [-66.0, 372.0]})
    none = view.shared_lags_text(latest, pd.DataFrame(), 30)
    assert "tidak ada tahap" in none and "no stage is observed" in none and "−66 … +372" in none
    pair = pd.DataFrame([{"series": "KASN/BKN", "conversion": "executed_of_reported",
                          "election_a": "A", "lag_a": 5.0, "election_b": "B", "lag_b": 7.0}])
    some = view.shared_lags_text(latest, pair, 30)
    assert "A (+5) · B (+7): executed of reported" in some


def test_each_claims_count_is_the_number_of_claims_it_lists(national):
    inputs = headlines.Inputs.load()
    claims = evidence.with_cycle_label(enforcement.distinct_claims(
        enforcement.follow_up_claims(inputs.figures, inputs.elections, national)))
    groups = follow_up.claims_by_check(claims)
    text = view.claims_text(groups)
    line = next(li for li in text.split("\n- ") if li.startswith("**Klaim tanpa angka"))
    count = int(re.search(r"</span>\*\*: (\d+)", line).group(1))
    listed = re.search(r"\((.*?)\)\.", line.replace("\n", " ")).group(1)
    assert count == len(groups["no_counts"]) == listed.count("%")  # issue 22: said 4, listed 6
    english = line.split('<span lang="en">')[-1]
    assert english.count("%") == count and "announced on day" in english


def test_follow_up_and_decree_figures_pass_the_checks(national, drawn_clean):
    followed = follow_up.follow_up_points(national)
    drawn_clean(lambda lang: view.draw_follow_up(followed, -86, "2020-09-10", lang))
    decree = headlines.decree_its(headlines.Inputs.load())
    drawn = drawn_clean(lambda lang: view.draw_its(decree, -86, "2020-09-10", 30, lang))
    assert drawn["en"][0].startswith(f"[{decree['verdict'].label('en')}]")
