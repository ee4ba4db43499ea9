"""Notebook 06's event studies (analysis.findings.measure_studies): the planted measure on every
region, the curated regency measures of the chosen province only, one summary row per study with
its verdict, and an empty summary with its columns when a register has no units."""
import pytest

from analysis import paths
from analysis.data import ledger
from analysis.data.registers import demo
from analysis.findings import casestudy, measure_studies as ms


@pytest.fixture(scope="module")
def reg():
    return demo.load_demo_register()


@pytest.fixture(scope="module")
def measures():
    return ledger.load_measures()


def _regions(province):
    return casestudy.province_regions(ledger.read_raw(paths.REGIONS), province)


@pytest.fixture(scope="module")
def babel(reg, measures):
    cases, meta, truth = reg
    return ms.run_studies(cases, truth, measures, _regions("Kepulauan Bangka Belitung"),
                          meta["data_date"], n_perm=99)


def test_the_planted_measure_is_studied_for_both_outcomes_and_curated_ones_for_detection(babel):
    keys = set(babel["studies"])
    assert {(ms.PLANTED, "detection"), (ms.PLANTED, "enforcement")} <= keys
    curated = {m for m, o in keys if m != ms.PLANTED}
    assert curated == set(ms.usable_measures(babel["curated"])) and curated
    assert all(o == "detection" for m, o in keys if m != ms.PLANTED)


def test_curated_measures_are_those_of_the_chosen_province(reg, measures, babel):
    babel_regions = set(_regions("Kepulauan Bangka Belitung"))
    assert set(babel["province_units"]["region"]) <= babel_regions
    assert set(babel["province_units"]["cycle"]) == set(ms.PROVINCE_CYCLES)
    cases, meta, truth = reg
    other = ms.run_studies(cases, truth, measures, _regions("Sulawesi Tenggara"),
                           meta["data_date"], n_perm=99)
    assert set(other["province_units"]["region"]) <= set(_regions("Sulawesi Tenggara"))
    assert not {m for m, _ in other["studies"]} - {ms.PLANTED}  # no Babel measure studied
    assert ms.usable_measures(other["curated"]) == []


def test_summary_has_one_row_per_study_with_its_verdict(babel):
    table, verdicts = ms.study_summary(babel["studies"], synthetic=True)
    assert list(table.columns) == ms.SUMMARY_COLUMNS
    assert len(table) == len(babel["studies"]) == len(verdicts)
    for r in table.itertuples():
        v = verdicts[(r.measure, r.outcome)]
        assert r.verdict == v.label("en") and r.reason == v.reason_en
        study = babel["studies"][(r.measure, r.outcome)]
        if study.get("estimable"):
            assert r.estimate == pytest.approx(study["result"].overall.estimate)
            assert r.min_randomisation_p == pytest.approx(study["min_ri_p"])
    rows = ms.event_study_rows(babel["studies"])
    assert set(rows["study"]) == {f"{m} · {o}" for m, o in babel["studies"]}


def test_a_register_without_units_has_no_study_and_an_empty_summary_with_columns(reg, measures):
    cases, meta, _ = reg
    run = ms.run_studies(cases, None, measures, _regions("Kepulauan Bangka Belitung"),
                         meta["data_date"])
    assert run["studies"] == {} and not run["has_units"]
    table, verdicts = ms.study_summary(run["studies"], synthetic=False)
    assert table.empty and list(table.columns) == ms.SUMMARY_COLUMNS and verdicts == {}
    assert ms.event_study_rows(run["studies"]).empty


def test_national_measures_are_grouped_by_cycle(measures):
    by_cycle = ms.national_by_cycle(measures)
    national = measures[measures["scope"] == "national"]
    assert sorted(by_cycle) == sorted({int(c) for c in national["cycle"]})
    assert sorted(i for ids in by_cycle.values() for i in ids) == sorted(national["measure_id"])
