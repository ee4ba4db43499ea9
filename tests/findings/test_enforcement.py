"""Funnel conversions, follow-up claims and series selection against hand-computed values."""
import pandas as pd
import pytest
from scipy import stats

from ledger_fixtures import figure, frame

from analysis.findings import enforcement, series

ELECTIONS = pd.DataFrame([
    dict(cycle=2020, election_type="pilkada", scope="national", region="Indonesia",
         voting_day="2020-12-09"),
    dict(cycle=2018, election_type="pilkada", scope="national", region="Indonesia",
         voting_day="2018-06-27"),
])




def snapshot(**kw):
    base = dict(cycle=2020, election_type="pilkada", scope="national", region="Indonesia",
                agency="KASN", as_of_date="2020-12-19", days_since_vote=10, reported=1305.0,
                reported_unit="ASN", violation_found=pd.NA, violation_found_unit=pd.NA,
                recommended=872.0, recommended_unit="ASN", forwarded=pd.NA, forwarded_unit=pd.NA,
                executed=635.0, executed_unit="ASN", follow_up_rate=635 / 872,
                follow_up_basis="recommended")
    base.update(kw)
    return base


def cp(x, n):  # Clopper-Pearson by hand from beta quantiles
    return stats.beta.ppf(0.025, x, n - x + 1), stats.beta.ppf(0.975, x + 1, n - x)


def test_funnel_conversions_within_one_snapshot_with_exact_intervals():
    conv = enforcement.funnel_conversions(pd.DataFrame([snapshot()]))
    got = conv.set_index("conversion")
    assert got.loc["proven_of_reported", "proportion"] == pytest.approx(872 / 1305)
    assert got.loc["executed_of_recommended", "proportion"] == pytest.approx(635 / 872)
    low, high = cp(635, 872)
    assert got.loc["executed_of_recommended", ["low", "high"]].tolist() == [
        pytest.approx(low), pytest.approx(high)]
    assert set(got["series"]) == {"KASN/BKN"}


def test_funnel_carries_the_span_of_a_coarse_as_of_date():
    snaps = pd.DataFrame([snapshot(as_of_date="2020", as_of_precision="year",
                                   days_since_vote=-160, days_since_vote_min=-343,
                                   days_since_vote_max=22)])
    row = enforcement.funnel_conversions(snaps).iloc[0]
    assert (row["as_of_precision"], row["days_since_vote_min"], row["days_since_vote"],
            row["days_since_vote_max"]) == ("year", -343, -160, 22)


def test_cases_and_persons_are_never_mixed_in_one_ratio():
    conv = enforcement.funnel_conversions(pd.DataFrame([snapshot(reported_unit="cases")]))
    assert "proven_of_reported" not in set(conv["conversion"])
    assert "executed_of_recommended" in set(conv["conversion"])


def test_latest_funnel_keeps_the_largest_lag():
    snaps = pd.DataFrame([snapshot(), snapshot(as_of_date="2021-12-16", days_since_vote=372,
                                               recommended=1588.0, executed=1365.0,
                                               reported=2007.0)])
    latest = enforcement.latest_funnel(enforcement.funnel_conversions(snaps))
    row = latest[latest["conversion"] == "executed_of_recommended"].iloc[0]
    assert (row["numerator"], row["denominator"], row["days_since_vote"]) == (1365, 1588, 372)


def test_claim_reproduced_from_counts_on_the_same_page_and_lag_from_publication():
    led = frame(figure(id="s", metric="share", breakdown="rate",
                       category="executed_of_recommended", value=86.0, unit="percent",
                       as_of_date="", as_of_precision="", published_date="2021-12-16"),
                figure(id="r", metric="recommended", value=1588, as_of_date="",
                       as_of_precision="", published_date="2021-12-16"),
                figure(id="x", metric="sanction_executed", value=1365, as_of_date="",
                       as_of_precision="", published_date="2021-12-16"))
    claims = enforcement.follow_up_claims(led, ELECTIONS, pd.DataFrame([snapshot()]))
    row = claims.iloc[0]
    assert row["check"] == "reproduced" and row["counts"] == "1365/1588"
    assert row["days_since_vote"] == (pd.Timestamp("2021-12-16") - pd.Timestamp("2020-12-09")).days
    assert row["days_since_vote_min"] == row["days_since_vote_max"] == row["days_since_vote"]
    assert row["lag_basis"] == "published"


def test_a_claim_dated_to_the_month_carries_the_months_span():
    led = frame(figure(id="s", metric="share", breakdown="rate",
                       category="executed_of_recommended", value=86.0, unit="percent",
                       as_of_date="2021-12", as_of_precision="month",
                       published_date="2022-01-05"))
    row = enforcement.follow_up_claims(led, ELECTIONS, pd.DataFrame([snapshot()])).iloc[0]
    # 1 and 31 December 2021 are 357 and 387 days after 9 December 2020; the middle 372
    assert (row["days_since_vote_min"], row["days_since_vote"],
            row["days_since_vote_max"]) == (357, 372, 387)


def test_claim_without_counts_and_upper_bound_claims_are_labelled():
    led = frame(figure(id="a", cycle=2018, metric="share", breakdown="rate",
                       category="executed_of_recommended", value=17.0, unit="percent",
                       as_of_date="", as_of_precision=""),
                figure(id="b", cycle=2018, metric="share", breakdown="rate",
                       category="executed_of_recommended_prior_years", value=30.0,
                       value_qualifier="upper_bound", unit="percent", as_of_date="",
                       as_of_precision="", source_url="https://example.org/b"))
    claims = enforcement.follow_up_claims(led, ELECTIONS, pd.DataFrame([snapshot()]))
    assert claims.set_index("id")["check"].to_dict() == {"a": "no_counts", "b": "bound_only"}


def test_claim_not_reproduced_when_counts_disagree():
    led = frame(figure(id="s", metric="share", breakdown="rate",
                       category="executed_of_recommended", value=80.0, unit="percent"))
    claims = enforcement.follow_up_claims(led, ELECTIONS, pd.DataFrame([snapshot()]))
    assert claims.iloc[0]["check"] == "not_reproduced"
    assert claims.iloc[0]["computed"] == pytest.approx(635 / 872)


def test_series_picks_by_rule_and_reports_lag_and_alternatives():
    led = frame(figure(id="a", value=1305, as_of_date="2020-12-19"),
                figure(id="b", value=2034, as_of_date="", as_of_precision="",
                       published_date="2024-02-06"),
                figure(id="c", value=30, agency="Bawaslu", unit="cases"))
    out = series.national_series(led, ELECTIONS, "asn_reported").iloc[0]
    assert (out["value"], out["id"], out["n_alternatives"]) == (2034, "b", 1)
    assert out["lag_basis"].startswith("published")
    assert out["days_since_vote"] == (pd.Timestamp("2024-02-06") - pd.Timestamp("2020-12-09")).days
    cases = series.national_series(led, ELECTIONS, "bawaslu_cases").iloc[0]
    assert (cases["value"], cases["days_since_vote"]) == (30, 10)


def test_headcount_rule_same_year_else_earlier_and_never_employer_only_counts():
    hc = pd.DataFrame([
        dict(year=2019, region="Indonesia", employee_type="PNS", scope="national", value=100,
             value_qualifier="exact", source_quality="secondary", as_of_date="2019-12-31",
             source_row=1, note=""),
        dict(year=2019, region="Indonesia", employee_type="PNS", scope="national", value=110,
             value_qualifier="exact", source_quality="secondary", as_of_date="2019-06-30",
             source_row=2, note=""),
        dict(year=2021, region="Indonesia", employee_type="PNS", scope="national", value=90,
             value_qualifier="exact", source_quality="primary", as_of_date="2021-12-31",
             source_row=3, note="Pemkab X employees only"),
    ])
    hc["year"] = hc["year"].astype("Int64")
    same = series.headcount_for(hc, 2019)
    assert (same["value"], same["year_gap"]) == (100, 0)  # latest as-of within the year
    later = series.headcount_for(hc, 2021)
    assert (later["value"], later["year_used"], later["year_gap"]) == (100, 2019, -2)


def test_repeated_release_is_dropped_once():
    snaps = pd.DataFrame([snapshot(), snapshot(as_of_date="2020-12-21", days_since_vote=12),
                          snapshot(as_of_date="2021-12-16", days_since_vote=372,
                                   executed=1365.0, recommended=1588.0)])
    kept = enforcement.drop_repeated_releases(snaps)
    assert kept["days_since_vote"].tolist() == [10, 372]


def test_executed_of_reported_conversion_for_equal_lag_comparisons():
    conv = enforcement.funnel_conversions(pd.DataFrame([snapshot()])).set_index("conversion")
    assert conv.loc["executed_of_reported", "proportion"] == pytest.approx(635 / 1305)


def test_regions_holding_prefers_better_source_then_latest():
    el = pd.DataFrame([
        dict(cycle=2024, election_type="pilkada", scope="national", region_type="all",
             regions_in_election="548", source_quality="secondary", published_date="2024-01-20"),
        dict(cycle=2024, election_type="pilkada", scope="national", region_type="all",
             regions_in_election="545", source_quality="secondary", published_date="2024-11-27"),
        dict(cycle=2024, election_type="pilkada", scope="national", region_type="kota",
             regions_in_election="93", source_quality="primary", published_date="2024-11-27"),
    ])
    assert series.regions_holding(el, 2024, "pilkada")["regions_in_election"] == "545"
    assert series.regions_holding(el, 2020, "pilkada") is None


def test_repeated_releases_of_one_claim_count_once():
    from analysis.findings.enforcement import distinct_claims
    base = dict(cycle=2020, election_type="pilkada", agency="KASN",
                category="executed_of_recommended", value_qualifier="exact")
    claims = pd.DataFrame([
        base | dict(id="a", stated_percent=56.9, as_of_date="2020-10-27", counts="325/571",
                    check="reproduced"),
        base | dict(id="b", stated_percent=56.9, as_of_date="2020-10-27", counts="325/571",
                    check="reproduced"),
        base | dict(id="c", stated_percent=56.9, as_of_date="", counts="", check="no_counts"),
        base | dict(id="d", stated_percent=72.8, as_of_date="2020-12-21", counts="635/872",
                    check="reproduced"),
        base | dict(id="e", cycle=2018, stated_percent=30.0, as_of_date="", counts="",
                    check="bound_only", category="executed_of_recommended_prior_years"),
        base | dict(id="f", cycle=2019, stated_percent=30.0, as_of_date="", counts="",
                    check="bound_only", category="executed_of_recommended_prior_years"),
    ])
    out = distinct_claims(claims)
    assert sorted(out["id"]) == ["a", "d", "e"]
    assert out.set_index("id").loc["a", "n_releases"] == 3
    assert out.set_index("id").loc["e", "release_ids"] == "e|f"


def test_latest_funnel_gives_a_repeated_release_its_first_as_of_date():
    """19 of 1,158 sanctioned, published as of 4 and again as of 5 December 2024: one figure,
    one lag (day 7), as in the brief."""
    conv = pd.DataFrame({
        "cycle": [2024] * 3, "election_type": ["pilkada"] * 3, "series": ["KASN/BKN"] * 3,
        "conversion": ["executed_of_reported"] * 3, "agency": ["BKN"] * 3,
        "as_of_date": ["2024-11-30", "2024-12-04", "2024-12-05"], "days_since_vote": [3, 7, 8],
        "numerator": [10, 19, 19], "denominator": [1000, 1158, 1158]})
    latest = enforcement.latest_funnel(conv)
    assert latest["days_since_vote"].tolist() == [7]
    assert latest["as_of_date"].tolist() == ["2024-12-04"]
