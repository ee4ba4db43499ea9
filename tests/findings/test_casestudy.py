"""Province case-study building blocks against hand-computed values."""
import pandas as pd
import pytest
from scipy import stats

from analysis.findings import casestudy
from analysis.data import ledger
from analysis import paths

REGIONS = ledger.read_raw(paths.REGIONS)


def test_province_regions_lists_babel_and_its_seven_regencies():
    names = casestudy.province_regions(REGIONS, "Kepulauan Bangka Belitung")
    assert names[0] == "Kepulauan Bangka Belitung" and len(names) == 8
    assert "Kota Pangkalpinang" in names


def test_unknown_province_names_the_known_ones():
    with pytest.raises(ValueError, match="unknown province 'Babel Raya'.*Aceh"):
        casestudy.province_regions(REGIONS, "Babel Raya")


def test_calendar_collapses_sources_and_keeps_unknown_incumbency_empty():
    el = pd.DataFrame([
        dict(cycle=2020, election_type="pilkada", scope="regency", region="Belitung Timur",
             race="pilbup", held="1", incumbent_running="", incumbent_detail="", voting_day="",
             source_url="u1"),
        dict(cycle=2020, election_type="pilkada", scope="regency", region="Belitung Timur",
             race="pilbup", held="", incumbent_running="0", incumbent_detail="bupati",
             voting_day="", source_url="u2"),
        dict(cycle=2020, election_type="pilkada", scope="regency", region="Belitung Timur",
             race="pilbup", held="", incumbent_running="1", incumbent_detail="wakil bupati",
             voting_day="", source_url="u2"),
        dict(cycle=2020, election_type="pilkada", scope="regency", region="Bangka Selatan",
             race="pilbup", held="1", incumbent_running="", incumbent_detail="", voting_day="",
             source_url="u3"),
    ])
    cal = casestudy.election_calendar(el, ["Belitung Timur", "Bangka Selatan"]).set_index("region")
    assert cal.loc["Belitung Timur", "incumbent_running"] == 1  # the deputy ran
    assert cal.loc["Belitung Timur", "incumbent_detail"] == "bupati; wakil bupati"
    assert pd.isna(cal.loc["Bangka Selatan", "incumbent_running"])
    assert cal.loc["Belitung Timur", "sources"] == "u1 | u2"


def test_versus_national_uses_the_release_phi_for_the_ratio_interval():
    # 1 case among 30,000 PNS; nationally 805 among 4,000,000
    out = casestudy.versus_national(1, 30_000, 805, 4_000_000)
    assert out["rate"] == pytest.approx(1 / 3)
    assert out["ratio_to_rest"] == pytest.approx((1 / 30_000) / (804 / 3_970_000))
    wide = casestudy.versus_national(1, 30_000, 805, 4_000_000, phi=78)
    assert wide["ratio_high"] / wide["ratio_to_rest"] > out["ratio_high"] / out["ratio_to_rest"]
    assert wide["ratio_low"] < 1 < wide["ratio_high"]  # 0.15 with phi 78 says nothing


def test_detectable_ratio_is_a_power_statement_against_the_funnel_limits_with_phi():
    from analysis.methods import power

    # expected count 2 at the national rate; the normal closed form at 50% power is
    # 1 + 1.96 sqrt(phi / 2), the funnel's own (negative-binomial) limits ask for more
    d = casestudy.detectable_ratio(20_000, 1e-4, power=0.5)
    assert d["higher_normal"] == pytest.approx(1 + stats.norm.ppf(0.975) / 2 ** 0.5)
    assert power.funnel_power(d["higher_poisson"], 2.0, 2.0) == pytest.approx(0.5)
    d78 = casestudy.detectable_ratio(20_000, 1e-4, phi=78, power=0.5)
    assert d78["higher_normal"] == pytest.approx(1 + stats.norm.ppf(0.975) * (78 / 2) ** 0.5)
    assert power.funnel_power(d78["higher"], 2.0, 156.0) == pytest.approx(0.5)
    assert d78["higher"] > d78["higher_normal"]
    assert d78["lower"] != d78["lower"]  # NaN: no lower rate is detectable


def test_province_funnel_centres_on_the_national_rate_of_the_release():
    from analysis.findings import provinces

    counts = pd.DataFrame({"region": ["A", "B", "C"], "count": [1, 2, 3]})
    pns = pd.DataFrame({"region": ["A", "B", "C", "D"], "pns": [10_000] * 4})
    table = provinces.province_funnel(counts, {"national": 40}, pns)
    # national 40 cases over 40,000 PNS = 10 per 10,000: expected count 10 in each province
    assert table["expected"].tolist() == [10.0, 10.0, 10.0]
    assert table.attrs["target_kind"] == "national"
    pooled = provinces.province_funnel(counts, {"national": None}, pns)
    assert pooled.attrs["target_kind"] == "pooled" and pooled["expected"].sum() == 6
    assert provinces.province_funnel(counts.head(2), {"national": 40}, pns) is None


def _own(rows):
    cols = ["id", "cycle", "election_type", "scope", "region", "metric", "unit", "value"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows])


def test_a_race_is_matched_with_its_largest_asn_count_never_a_count_that_is_not_asn_only():
    calendar = pd.DataFrame([
        dict(cycle=2024, election_type="pilkada", region="Bangka", race="pilbup",
             incumbent_running=1, sources="u"),
        dict(cycle=2024, election_type="pilkada", region="Belitung", race="pilbup",
             incumbent_running=pd.NA, sources="u"),
        dict(cycle=2024, election_type="pilkada", region="Kepulauan Bangka Belitung",
             race="all", incumbent_running=pd.NA, sources="u")])
    own = _own([("a", 2024, "pilkada", "regency", "Bangka", "reported", "cases", 2.0),
                ("b", 2024, "pilkada", "regency", "Bangka", "reported", "reports", 5.0),
                ("c", 2024, "pilkada", "regency", "Belitung", "reported",
                 "cases_all_violations", 9.0)])
    races = casestudy.incumbents_and_counts(calendar, own)
    assert races["region"].tolist() == ["Bangka", "Belitung"]  # the province-wide row is not a race
    assert races["reported"].iloc[0] == 5 and pd.isna(races["reported"].iloc[1])
    apart = casestudy.regency_counts_not_asn_only(own)
    assert apart["id"].tolist() == ["c"]


def test_data_gaps_name_what_is_missing_in_order():
    comparisons = pd.DataFrame({"election": ["Pilkada 2020", "Pemilu 2024"],
                                "status": ["compared", "province not in the published list"]})
    calendar = pd.DataFrame({"region": ["Bangka"], "election": ["Pilkada 2024"],
                             "incumbent_running": [pd.NA]})
    races = pd.DataFrame({"reported": [None, 3.0]})
    own = _own([("a", 2024, "pilkada", "regency", "Bangka", "sanction_executed", "ASN", 1.0)])
    gaps = casestudy.data_gaps(comparisons, calendar, races, own, None)
    assert [g["kind"] for g in gaps] == ["pns", "case_counts", "incumbent", "regency_counts",
                                         "sanctions", "register"]
    assert gaps[1]["elections"] == ["Pemilu 2024"] and gaps[2]["races"] == ["Bangka (Pilkada 2024)"]
    assert gaps[3]["n"] == 1 and gaps[4]["n"] == 1
    assert [g["kind"] for g in casestudy.data_gaps(comparisons.iloc[:1], calendar.iloc[0:0],
                                                   races.iloc[1:], own, 1000)] == \
        ["sanctions", "register"]


def test_sparse_counts_are_the_power_statements_of_the_compared_releases():
    compared = casestudy.compare_with_nation(ledger.load_ledger(), ledger.load_headcount(),
                                             "Kepulauan Bangka Belitung",
                                             [[2020, "pilkada", "Bawaslu", "cases"]],
                                             elections=ledger.load_elections())
    done = casestudy.compared(compared["comparisons"])
    sparse = casestudy.sparse_counts(done)
    assert list(sparse.columns) == list(casestudy.SPARSE_COLUMNS.values())
    assert sparse["detectable_ratio_80pct_power"].tolist() == done["detectable_ratio"].tolist()
    assert casestudy.sparse_counts(done.iloc[0:0]).empty


def test_comparing_each_province_at_once_equals_comparing_them_one_by_one():
    """compare_each_province builds the releases' funnels once: every province's comparisons,
    funnels and PNS are those of its own compare_with_nation (a sample of provinces: listed in
    every release, in some, and Babel)."""
    figures, headcount = ledger.load_ledger(), ledger.load_headcount()
    elections = ledger.load_elections()
    releases = [[2020, "pilkada", "Bawaslu", "cases"], [2019, "pemilu", "Bawaslu", "cases"],
                [2024, "pemilu", "KASN", "cases"]]
    names = list(REGIONS.loc[REGIONS["level"] == "province", "canonical_name"])[::6]
    names.append("Kepulauan Bangka Belitung")
    every = casestudy.compare_each_province(figures, headcount, names, releases,
                                            elections=elections)
    assert list(every) == names
    for name in names:
        alone = casestudy.compare_with_nation(figures, headcount, name, releases,
                                              elections=elections)
        pd.testing.assert_frame_equal(every[name]["comparisons"], alone["comparisons"])
        assert (every[name]["pns"], every[name]["pns_year"]) == (alone["pns"], alone["pns_year"])
        assert every[name]["funnels"].keys() == alone["funnels"].keys()
        for label, (table, info) in alone["funnels"].items():
            pd.testing.assert_frame_equal(every[name]["funnels"][label][0], table)
            assert every[name]["funnels"][label][1] == info
    statuses = {s for r in every.values() for s in r["comparisons"]["status"]}
    assert statuses == {"compared", "province not in the published list"}, statuses
