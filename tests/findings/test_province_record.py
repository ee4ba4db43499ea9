"""A province's own record: its measures, supervision counts, cases per regency, sanctions and
re-run elections, read from data/raw for whichever province is asked."""
import pandas as pd
import pytest

from analysis import paths
from analysis.data import ledger
from analysis.findings import casestudy, province_record, verdicts

BABEL = "Kepulauan Bangka Belitung"


@pytest.fixture(scope="module")
def raw():
    return {"figures": ledger.load_ledger(), "measures": ledger.load_measures(),
            "elections": ledger.load_elections(), "regions": ledger.read_raw(paths.REGIONS)}


@pytest.fixture(scope="module")
def rec(raw):
    return province_record.record(raw["figures"], raw["measures"], raw["elections"],
                                  raw["regions"], BABEL, 2024)


def test_measures_are_the_provinces_and_its_regencies_oldest_first_undated_last(raw, rec):
    names = casestudy.province_regions(raw["regions"], BABEL)
    expected = raw["measures"][raw["measures"]["region"].isin(names)]
    assert set(rec["measures"]["measure_id"]) == set(expected["measure_id"])
    dated = rec["measures"]["start_date"][rec["measures"]["start_date"] != ""]
    assert list(dated) == sorted(dated)
    assert (rec["measures"]["start_date"].iloc[-1] == "") == (expected["start_date"] == "").any()
    assert set(rec["national_measures"]["region"]) == {"Indonesia"}
    # every kind in plain words in both languages
    assert (rec["measures"]["words_id"] != rec["measures"]["kind"]).all()


def test_activity_keeps_counts_not_the_measures_already_listed(rec):
    a = rec["activity"]
    assert set(a["category"]) <= set(province_record.ACTIVITY_COUNTS)
    acts = a[a["category"] == "supervision acts"]
    assert len(acts) and acts["value"].max() > 1
    assert not a["category"].isin(["posko", "pokja", "mou", "letter"]).any()


def test_cases_per_regency_exclude_the_province_total_and_kpu_and_say_what_they_count(raw, rec):
    cases = rec["cases"]
    assert len(cases) and (cases["cycle"] == 2024).all()
    assert (cases["election_type"] == "pilkada").all()
    assert BABEL not in set(cases["region"]) and "KPU" not in set(cases["agency"])
    mixed = cases[cases["metric"] == "other"]
    assert len(mixed) and not mixed["asn_only"].any()  # all kinds of violation, not only ASN
    assert (mixed["words_en"] == "all kinds of violation, not only ASN").all()


def test_reruns_come_from_elections_csv_with_their_voting_day_and_figures(raw, rec):
    rows = raw["elections"][raw["elections"]["election_type"] == "pilkada_rerun"]
    runs = rec["reruns"]
    assert [r["cycle"] for r in runs] == sorted(set(rows["cycle"]))
    regions = {x["region"] for r in runs for x in r["races"]}
    assert regions == set(rows["region"]) & set(casestudy.province_regions(raw["regions"], BABEL))
    assert all(x["voting_day"] for r in runs for x in r["races"])
    assert all((r["figures"]["election_type"] == r["election_type"]).all() for r in runs)


def test_another_province_gets_its_own_record(raw):
    other = province_record.record(raw["figures"], raw["measures"], raw["elections"],
                                   raw["regions"], "Sulawesi Tenggara", 2024)
    names = set(casestudy.province_regions(raw["regions"], "Sulawesi Tenggara"))
    for key in ("measures", "activity", "cases", "sanctions"):
        assert set(other[key]["region"]) <= names, key
    assert other["reruns"] == [] or all(x["region"] in names for r in other["reruns"]
                                        for x in r["races"])


def test_the_record_verdicts_judge_only_what_was_done_never_its_effect():
    assert verdicts.measures_recorded([], "X").strength == verdicts.CANNOT_TELL
    assert verdicts.measures_recorded(["primary", "secondary"], "X").strength == verdicts.SUPPORTED
    v = verdicts.measures_recorded(["primary", "weak"], "X")
    assert v.strength == verdicts.SUGGESTIVE and "1 of 2" in v.reason("en")
    for v in (verdicts.measures_recorded(["primary"], "X"),
              verdicts.measures_recorded(["weak"], "X")):
        assert "not judge their effect" in v.reason("en")
    e = verdicts.province_enforcement(3, "Babel")
    assert e.strength == verdicts.CANNOT_TELL and "3 sanction figures" in e.reason("en")


def test_sanctions_are_executed_sanction_figures_in_date_order(rec):
    s = rec["sanctions"]
    assert (s["metric"] == "sanction_executed").all()
    assert list(s["when"]) == sorted(s["when"])
    assert isinstance(s, pd.DataFrame)
