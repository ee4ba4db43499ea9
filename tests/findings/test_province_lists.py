"""Province lists for report 03 (analysis.findings.provinces): every release's funnel, its
flagged and below-limit provinces, and the lists that are not ASN-only, kept apart as published."""
import pandas as pd
import pytest

from analysis.data import ledger
from analysis.data.vocabulary import NOT_ASN_ONLY_UNITS
from analysis.findings import provinces


@pytest.fixture(scope="module")
def figures():
    return ledger.load_ledger()


def test_release_funnels_are_those_of_province_funnel(figures):
    headcount = ledger.load_headcount()
    funnels = provinces.release_funnels(figures, headcount, provinces.RELEASES)
    pns, _ = provinces.province_headcount(headcount)
    assert funnels
    for label, release in funnels.items():
        counts, info = provinces.province_counts(figures, release["cycle"],
                                                 release["election_type"], release["agency"])
        expected = provinces.province_funnel(counts, info, pns)
        pd.testing.assert_frame_equal(release["table"], expected)
        assert label.endswith(str(release["cycle"])) and release["info"] == info


def test_flagged_and_below_limits_read_the_funnel_table():
    table = pd.DataFrame({"term": ["A", "B", "C", "D"], "flag": ["", "q<0.05", "", ""],
                          "position": ["inside", "above_998", "below_95", "below_998"],
                          "observed": [3, 40, 1, 0]})
    assert provinces.flagged(table)["term"].tolist() == ["B"]
    assert provinces.below_limits(table) == ["C"]  # D has no case: zero is not under-detection


def test_the_2018_table_of_every_barred_actor_is_listed_apart_with_its_national_total(figures):
    lists = provinces.non_asn_province_lists(figures)
    assert {(r["cycle"], r["unit"]) for r in lists} >= {(2018, "cases_incl_non_asn")}
    for release in lists:
        table = release["table"]
        assert release["unit"] in NOT_ASN_ONLY_UNITS and len(table) >= 2
        assert table["value"].is_monotonic_decreasing
        same = figures[(figures["cycle"] == release["cycle"])
                       & (figures["unit"] == release["unit"])
                       & (figures["as_of_date"] == release["as_of_date"])
                       & (figures["scope"] == "province")]
        assert sorted(table["id"]) == sorted(same["id"])
    r2018 = next(r for r in lists if r["cycle"] == 2018)
    national = figures[(figures["id"] == r2018["national_id"])]
    assert r2018["national"] == float(national["value"].iloc[0])
    assert provinces.non_asn_province_lists(figures, min_provinces=100) == []
