"""Follow-up as report 02 reads it (analysis.findings.follow_up): the latest snapshot of each
election, which of them share a lag (none may be read across elections otherwise), the values at
equal lags, the claims grouped by how they check out, the decree's tables."""
import pandas as pd
import pytest

from analysis.findings import enforcement, evidence, follow_up, headlines


@pytest.fixture(scope="module")
def national():
    return headlines.Inputs.load().national


def _latest(rows):
    cols = ["election", "series", "conversion", "days_since_vote", "days_since_vote_min",
            "days_since_vote_max"]
    return pd.DataFrame(rows, columns=cols)


def test_only_day_precise_lags_of_one_stage_within_the_tolerance_are_shared():
    latest = _latest([
        ("Pilkada 2020", "KASN/BKN", "executed_of_reported", 10, 10, 10),
        ("Pilkada 2024", "KASN/BKN", "executed_of_reported", 7, 7, 7),       # shares with 2020
        ("Pemilu 2024", "KASN/BKN", "executed_of_reported", 12, -44, 321),   # year-only: never
        ("Pemilu 2019", "KASN/BKN", "found_of_reported", 9, 9, 9),           # another stage
        ("Pilkada 2018", "KASN/BKN", "executed_of_reported", 80, 80, 80),    # too far
        ("Pilkada 2020", "Bawaslu", "executed_of_reported", 8, 8, 8)])       # another series
    shared = follow_up.shared_lags(latest, tolerance_days=30)
    pairs = shared[["election_a", "election_b"]].values.tolist()
    assert pairs == [["Pilkada 2020", "Pilkada 2024"]]
    assert follow_up.shared_lags(latest, tolerance_days=2).empty


def test_the_published_latest_snapshots_share_no_lag_between_elections(national):
    latest = follow_up.latest_by_election(national)
    assert latest["election"].nunique() >= 3
    assert follow_up.shared_lags(latest, 30).empty  # issue 22: day −66, +5, +7, +372 ...
    raw = evidence.with_cycle_label(enforcement.latest_funnel(
        enforcement.funnel_conversions(national)))
    assert len(latest) == len(raw)
    assert list(latest[["cycle", "election_type"]].itertuples(index=False)) == sorted(
        latest[["cycle", "election_type"]].itertuples(index=False))


def test_values_at_equal_lags_count_what_can_be_read_without_extrapolation(national):
    followed = follow_up.follow_up_points(national)
    out = follow_up.at_equal_lags(followed, [0, 30, 90])
    table = out["table"]
    assert list(table.columns) == follow_up.AT_LAG_COLUMNS and out["n"] == len(table)
    readable = table[table["method"] != follow_up.NOT_AVAILABLE]
    assert out["n_available"] == len(readable)
    assert out["n_lags_shared"] == int((readable.groupby("lag")["election"].nunique() > 1).sum())


def test_claims_are_grouped_so_each_count_is_the_length_of_its_list(national):
    inputs = headlines.Inputs.load()
    releases = enforcement.follow_up_claims(inputs.figures, inputs.elections, national)
    claims = evidence.with_cycle_label(enforcement.distinct_claims(releases))
    groups = follow_up.claims_by_check(claims)
    assert (groups["no_counts"]["check"] == "no_counts").all()
    assert (groups["bounds"]["check"] == "bound_only").all()
    assert set(groups["undated_early"]["election"]) <= set(groups["no_counts"]["election"])
    assert len(groups["reproduced_2020"]) + len(groups["reproduced_other"]) == \
        (claims["check"] == "reproduced").sum()
    assert (groups["reproduced_2020"]["cycle"] == 2020).all()


def test_its_tables_show_no_interval_and_placebos_exclude_the_decree_day():
    inputs = headlines.Inputs.load()
    decree = headlines.decree_its(inputs)
    table = follow_up.its_tables(decree, 30)
    assert not {"low", "high", "p_value"} & set(table.columns)
    assert set(table["window"]) == {"day <= 30", "all snapshots"}
    placebos = pd.DataFrame({"break_time": [-90, -20, -91], "status": ["ok", "ok", "failed"]})
    assert follow_up.fitted_placebos(placebos, -20)["break_time"].tolist() == [-90]
