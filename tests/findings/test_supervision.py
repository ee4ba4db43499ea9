"""Supervision effects on the SYNTHETIC demo register: time to sanction (KM, censored at the
data date), competing outcomes (Aalen–Johansen, not 1 − KM), suppression of small counts, and the
event study per measure with detection and enforcement apart."""
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.data.registers import demo
from analysis.findings import incumbency as inc
from analysis.findings import supervision as sv
from analysis.methods import did


@pytest.fixture(scope="module")
def reg():
    return demo.load_demo_register()


def test_demo_register_is_synthetic_and_regenerated_only_when_stale(reg, tmp_path):
    cases, meta, truth = reg
    assert meta["synthetic"] is True and truth["SYNTHETIC"]
    assert cases["case_id"].str.startswith("SYN-").all()
    folder = demo.ensure_demo_register(tmp_path / "r", seed=7, rows=300)
    mtime = (folder / "synthetic_cases.csv").stat().st_mtime_ns
    demo.ensure_demo_register(folder, seed=7, rows=300)
    assert (folder / "synthetic_cases.csv").stat().st_mtime_ns == mtime
    demo.ensure_demo_register(folder, seed=8, rows=300)  # stale: other seed
    assert "seed8" in (folder / "register.json").read_text()


def test_time_to_sanction_is_censored_at_data_date(reg):
    cases, meta, _ = reg
    t = sv.time_to_sanction(cases, meta["data_date"])
    assert set(t["election"]) == {"Pemilu 2019", "Pilkada 2020", "Pilkada 2024"}
    assert ((t["executed"] >= 0) & (t["executed"] <= 1)).all()
    # the 2024 cycle cannot be read beyond what the data date allows
    days_2024 = (pd.Timestamp(meta["data_date"]) - cases.loc[cases["cycle"] == 2024,
                                                              "date_recommendation"].min()).days
    assert t.loc[t["election"] == "Pilkada 2024", "time"].max() <= days_2024
    for _, g in t.groupby("election"):
        assert g["executed"].is_monotonic_increasing


def test_competing_outcomes_sum_to_one_and_differ_from_one_minus_km(reg):
    cases, meta, _ = reg
    cif = sv.competing_from_report(cases, meta["data_date"])
    wide = cif.pivot_table(index=["election", "time"], columns="term", values="estimate")
    surv = cif.groupby(["election", "time"])["survival"].first()
    total = wide.sum(axis=1) + surv
    assert np.allclose(total, 1.0)
    km = sv.time_to_sanction(cases, meta["data_date"], origin="date_report")
    m = km[["election", "time", "executed"]].merge(
        cif.loc[cif["term"] == "sanctioned", ["election", "time", "estimate"]],
        on=["election", "time"])
    assert len(m) and (m["estimate"] <= m["executed"] + 1e-12).all()  # 1 − KM overstates
    b = sv.competing_bounds(cases, meta["data_date"])
    assert {"cif_latest", "cif_earliest", "difference"} <= set(b.columns)


def test_published_curves_come_from_rounded_counts_and_stay_close_on_a_large_register(reg):
    cases, meta, _ = reg
    exact = sv.time_to_sanction(cases, meta["data_date"])
    assert sv.time_to_sanction(cases, meta["data_date"], rounding=1).equals(exact)
    safe = sv.time_to_sanction(cases, meta["data_date"], rounding=5)
    m = exact.merge(safe, on=["election", "time"], suffixes=("", "_safe"))
    m = m[m["n_risk"] >= 50]  # where many are followed, rounding by blocks of 5 moves little
    assert len(m) and (m["executed"] - m["executed_safe"]).abs().max() < 0.03
    assert not np.allclose(m["executed"], m["executed_safe"])  # but it is applied
    cif = sv.competing_from_report(cases, meta["data_date"], rounding=5)
    wide = cif.pivot_table(index=["election", "time"], columns="term", values="estimate")
    surv = cif.groupby(["election", "time"])["survival"].first()
    assert np.allclose(wide.sum(axis=1) + surv, 1.0)  # still a proper competing-risks split


def test_published_time_to_sanction_reads_only_days_with_five_still_followed(reg, tmp_path):
    cases, meta, _ = reg
    out = sv.published_time_to_sanction(cases, meta["data_date"])
    assert (out["curves"]["n_risk"] >= sv.THRESHOLD).all()
    small, small_meta, _ = demo.load_demo_register(tmp_path / "small", rows=150)
    rounded = sv.time_to_sanction(small, small_meta["data_date"], rounding=sv.THRESHOLD)
    curves = sv.published_time_to_sanction(small, small_meta["data_date"])["curves"]
    assert len(curves) < len(rounded)  # a small register's tails, few followed, are not read
    # the published table has the same days as the curves, with counts as rounded text
    assert out["table"][["election", "time"]].equals(
        out["curves"][["election", "time"]].reset_index(drop=True))
    assert all(isinstance(v, str) for v in out["table"]["n_risk"])
    assert all(v.startswith("<") or int(v) % 5 == 0 for v in out["table"]["n_event"])
    at_90 = out["curves"][out["curves"]["time"] == 90].set_index("election")["executed"]
    assert out["at_90"]["executed"].equals(at_90) and len(at_90) > 0


def test_competing_summary_bounds_the_sanctions_share_and_measures_the_overstatement(reg):
    cases, meta, _ = reg
    out = sv.competing_summary(cases, meta["data_date"])
    assert out["overstate"] >= 0  # 1 − KM from the report never falls below the incidence
    bounds = sv.competing_bounds(cases, meta["data_date"], rounding=sv.THRESHOLD)
    sanctioned = bounds.loc[bounds["term"] == "sanctioned", "difference"].abs()
    assert 0 <= out["spread"] <= sanctioned.max() + 1e-12
    at = out["at_day"].set_index("election")
    assert set(at.columns) == set(sv.COMPETING)
    assert ((at.sum(axis=1) > 0) & (at.sum(axis=1) <= 1 + 1e-9)).all()
    assert (out["table"]["n_risk"].map(lambda v: v.startswith("<") or int(v) >= 5)).all()
    later = sv.competing_summary(cases, meta["data_date"], at_day=180)["at_day"]
    assert (later.set_index("election")["sanctioned"]
            <= at.loc[later["election"], "sanctioned"] + 1e-12).all()


def test_small_counts_are_suppressed(reg):
    cases, _, _ = reg
    babel = ["Bangka", "Bangka Barat", "Bangka Selatan", "Bangka Tengah", "Belitung",
             "Belitung Timur", "Kota Pangkalpinang", "Kepulauan Bangka Belitung"]
    t = sv.region_counts(cases, babel)
    shown = t[~t["suppressed"]]
    assert not shown["cases"].between(1, 4).any()
    assert t["primary"].any()  # Babel's counts are small: some are hidden
    assert not (t.loc[t["primary"], "display"].str.isdigit()).any()


def test_event_study_detection_and_enforcement_apart(reg):
    cases, meta, truth = reg
    units = sv.panel_units(inc.units_from_truth(truth))
    adoption = sv.synthetic_adoption(truth)
    det = sv.event_study(cases, units, adoption, "detection", n_perm=99)
    enf = sv.event_study(cases, units, adoption, "enforcement", data_date=meta["data_date"],
                         n_perm=99)
    assert det["estimable"] and enf["estimable"]
    assert det["G"] >= 30
    # planted: the measure raises detected cases (rate ratio 1.5) -> positive ATT on the rate
    assert det["result"].overall.estimate > 0
    es = det["result"].event_study
    assert (es["rel_time"] < 0).any()  # pre-periods shown
    v = sv.verdict_event_study(det, synthetic=True)
    assert "SYNTHETIC" in v.reason_en


def test_curated_measures_in_babel_are_flagged_as_too_few(reg):
    cases, meta, truth = reg
    measures = pd.read_csv(paths.RAW / "supervision_measures.csv", dtype=str,
                           keep_default_na=False)
    measures["cycle"] = measures["cycle"].astype(int)
    units = inc.units_from_truth(truth)
    babel = units[units["region"].isin(["Bangka Barat", "Bangka Selatan", "Bangka Tengah",
                                        "Belitung Timur", "Belitung", "Bangka",
                                        "Kota Pangkalpinang"])]
    pu = sv.panel_units(babel, cycles=[2020, 2024])
    adoptions = sv.curated_adoptions(measures, sorted(pu["region"].unique()))
    usable = [a for a in adoptions if a["usable"]]
    assert usable  # Belitung Timur's working group, Bangka Selatan's circular
    studies = [sv.event_study(cases, pu, a["adoption"], "detection", n_perm=99) for a in usable]
    assert any(s["estimable"] for s in studies)
    for s in studies:
        assert sv.verdict_event_study(s, synthetic=True).strength == "cannot tell"
        if s["estimable"]:  # one treated regency: no interval; exact permutation p >= 1/G
            assert np.isnan(s["result"].overall.low)
            assert "one treated unit" in s["result"].overall.note
            assert s["ri"].exact and s["min_ri_p"] == pytest.approx(1 / s["G"])


def test_a_verdict_never_rests_on_an_interval_a_single_region_cohort_cannot_have():
    """Cohorts of 1 and 2 regions among 12 (period 3 and 4): no interval, so 'cannot tell'."""
    rng = np.random.default_rng(5)
    first = np.r_[3, 4, 4, [np.nan] * 9]
    y = rng.normal(0, 1, (12, 5)) + 5.0 * (np.arange(1, 6)[None, :] >= first[:, None])
    panel = pd.DataFrame({"region": np.repeat(np.arange(12), 5),
                          "cycle": np.tile(np.arange(1, 6), 12), "y": y.ravel(),
                          "first_treated": np.repeat(first, 5)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", did.DidWarning)
        res = did.staggered_effect(panel, "region", "cycle", "y", "first_treated", seed=1)
    study = {"estimable": True, "outcome": "detection", "G": 12, "n_treated": 3, "result": res,
             "ri": res.randomisation, "min_ri_p": res.randomisation.min_p_value}
    assert study["min_ri_p"] <= 0.05                       # randomisation alone could speak
    verdict = sv.verdict_event_study(study, synthetic=True)
    assert verdict.strength == "cannot tell" and "no interval" in verdict.reason_en
