"""Report 03's national rates (analysis.findings.series): every series' rates labelled, ratios
between Pilkada cycles only at the same lag, cases per region holding the election, the latest
published profiles."""
import pandas as pd
import pytest

from analysis.data import ledger
from analysis.findings import series

NAMES = ["asn_reported", "asn_proven", "bawaslu_cases"]


@pytest.fixture(scope="module")
def raw():
    return ledger.load_ledger(), ledger.load_elections(), ledger.load_headcount()


@pytest.fixture(scope="module")
def rates(raw):
    return series.rates_of(*raw, NAMES)


def test_rates_of_every_series_in_order_with_their_elections(raw, rates):
    assert list(dict.fromkeys(rates["series"])) == [n for n in NAMES if n in set(rates["series"])]
    one = series.series_rates(*raw, "bawaslu_cases")
    mine = rates[rates["series"] == "bawaslu_cases"].reset_index(drop=True)
    assert mine["rate"].tolist() == one["rate"].tolist()
    assert (mine["election"] == [f"{e.capitalize()} {c}" for e, c in
                                 zip(one["election_type"], one["cycle"])]).all()
    assert set(series.RATE_COLUMNS) <= set(rates.columns)


def _row(lag, low, high):
    return pd.Series({"days_since_vote": lag, "days_since_vote_min": low,
                      "days_since_vote_max": high})


def test_same_lag_needs_every_day_a_date_can_mean_within_30_days():
    assert series.same_lag(_row(10, 10, 10), _row(30, 30, 30))
    assert not series.same_lag(_row(10, 10, 10), _row(45, 45, 45))
    assert not series.same_lag(_row(10, -5, 25), _row(10, 10, 40))  # a month spans too much
    assert not series.same_lag(_row(10, None, None), _row(10, 10, 10))


def test_pilkada_ratios_follow_consecutive_pilkada_and_say_cannot_tell_across_lags(rates):
    ratios = series.pilkada_ratios(rates)
    for r in ratios.itertuples():
        d = rates[(rates["series"] == r.series) & (rates["election_type"] == "pilkada")]
        new, old = (d.set_index("election").loc[e] for e in r.comparison.split(" vs "))
        assert r.ratio == pytest.approx(new["rate"] / old["rate"])
        assert (r.verdict == "suggestive") == series.same_lag(new, old)
        assert r.why == (series.LAGS_COMPARABLE if r.verdict == "suggestive"
                         else series.LAGS_DIFFER)


def test_cases_per_region_divide_by_the_regions_holding_the_election(raw, rates):
    _, elections, _ = raw
    table = series.cases_per_region(rates, elections)
    assert len(table)
    for r in table.itertuples():
        assert r.cases_per_region == pytest.approx(r.cases / r.regions)


def test_latest_profiles_keep_the_latest_figure_per_category(raw):
    figures = raw[0]
    profile = series.latest_profiles(figures)
    assert set(profile.index.get_level_values("breakdown")) <= {"violation_type",
                                                                 "position_level"}
    assert ((profile.fillna(0) >= 0) & (profile.fillna(0) <= 100)).all().all()
