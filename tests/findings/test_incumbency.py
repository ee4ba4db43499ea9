"""Incumbency: NB rate model and Cox model on the SYNTHETIC demo register, and the coverage
study of the incumbency rate ratio on registers with the planted effect."""
import math
import time
import warnings

import pandas as pd
import pytest

from analysis.data.registers import demo
from analysis.findings import incumbency as inc


@pytest.fixture(scope="module")
def reg():
    cases, meta, truth = demo.load_demo_register()
    return cases, meta, truth


def test_rate_panel_keeps_zero_units_and_exposure(reg):
    cases, _, truth = reg
    units = inc.units_from_truth(truth)
    panel = inc.rate_panel(cases, units)
    pil = units[units["election_type"] == "pilkada"]
    assert len(panel) == len(pil)  # every region holding the election, zero-case ones too
    assert panel["cases"].sum() == (cases["election_type"] == "pilkada").sum()
    assert (panel["exposure"] > 0).all()
    assert set(panel["incumbent"]) == {0, 1}


def test_rate_model_interval_uses_larger_se_and_t(reg):
    cases, _, truth = reg
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = inc.violation_rate_model(inc.rate_panel(cases, inc.units_from_truth(truth)))
    assert r["se_used"] == max(r["model_se"], r["robust_se"])
    G = r["n_clusters"]
    assert G >= 30
    from scipy import stats
    crit = stats.t.ppf(0.975, G - 1)
    assert math.isclose(math.log(r["high"]) - math.log(r["rate_ratio"]), crit * r["se_used"],
                        rel_tol=1e-9)
    assert r["low"] < r["rate_ratio"] < r["high"]
    assert r["poisson_dispersion"] > 1  # overdispersed: why NB
    v = inc.verdict_rate(r, synthetic=True)
    assert "SYNTHETIC" in v.reason_en and "SINTETIS" in v.reason_id


def test_hazard_model_recovers_direction(reg):
    cases, meta, truth = reg
    h = inc.sanction_hazard_model(cases, inc.units_from_truth(truth), meta["data_date"])
    planted = truth["planted"]["incumbent_hazard_ratio"]
    assert planted < 1 and h["hazard_ratio"] < 1
    assert h["n_clusters"] >= 30
    assert "GLOBAL" in set(h["ph_test"]["term"])
    # censoring at the data date: every event time is within it
    d = h["data"]
    assert (d.loc[d["event"] == 0, "date_sanction"].isna()).all()


def test_units_from_register_reads_recorded_incumbency(reg):
    cases, _, truth = reg
    exposure = pd.DataFrame({"region": sorted(cases["region"].unique()), "exposure": 1000.0})
    u = inc.units_from_register(cases, exposure)
    assert {"cycle", "region", "incumbent", "exposure"} <= set(u.columns)
    assert not u["incumbent"].isna().any()


@pytest.mark.slow
def test_incumbency_rate_ratio_bias_and_coverage():
    """200 SYNTHETIC registers (4,000 rows each, seeds 1000-1199): relative bias of the mean rate
    ratio within 10% and 95% interval coverage between 93% and 97%.

    Runtime: about 30-60 s (0.15-0.3 s per replicate on one core). Observed here: mean 1.329
    against the planted 1.3 (bias +2.2%), coverage 0.95. Other seed blocks gave 0.93 (5000-5199)
    and 0.96 (9000-9199); the clustered-only interval covered 0.92 and 0.915.
    Monte Carlo error: a 95% coverage over 200 replicates has SE 1.5 pp, so the 93-97% band is
    only 1.3 SE either side: the test is seeded (deterministic) and guards against a broken
    interval (the clustered-only one sits at the edge), not against a 1-2 pp miscalibration,
    which would need about 2,000 replicates (5 min on one core) to pin down.
    """
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sim = inc.simulate_rate_ratio(200, 4000, seed0=1000)
    s = inc.coverage_summary(sim)
    elapsed = time.perf_counter() - start
    print(f"incumbency coverage study: {s} in {elapsed:.0f} s")
    assert s["n"] == 200
    assert abs(s["relative_bias"]) < 0.10
    assert 0.93 <= s["coverage"] <= 0.97


def test_effects_carries_both_models_and_their_verdicts(reg):
    cases, meta, truth = reg
    units = inc.units_from_truth(truth)
    out = inc.effects(cases, units, meta["data_date"], synthetic=True)
    rate = inc.violation_rate_model(inc.rate_panel(cases, units))
    assert out["rate"]["rate_ratio"] == pytest.approx(rate["rate_ratio"])
    assert out["rate_verdict"] == inc.verdict_rate(out["rate"], True)
    assert out["hazard_verdict"] == inc.verdict_hazard(out["hazard"], True)
    assert "SYNTHETIC" in out["rate_verdict"].reason_en


def _candidates(rows):
    cols = ["id", "cycle", "election_type", "scope", "region", "race", "quantity", "office",
            "value", "unit", "as_of_date", "agency", "source_url"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows])


def test_incumbents_running_adds_offices_only_within_one_source_and_date():
    raw = _candidates([
        ("a", 2018, "pilkada", "national", "Indonesia", "pilgub", "incumbents_running",
         "governor", 6.0, "persons", "2018-02-20", "Kemendagri", "u"),
        ("b", 2018, "pilkada", "national", "Indonesia", "pilbup", "incumbents_running",
         "regent", 67.0, "persons", "2018-02-20", "Kemendagri", "u"),
        ("c", 2018, "pilkada", "national", "Indonesia", "all", "incumbents_running", "",
         70.0, "persons", "2018-03-01", "Bawaslu", "v"),
        ("d", 2018, "pilkada", "province", "Bali", "pilgub", "incumbents_running", "governor",
         1.0, "persons", "2018-02-20", "Kemendagri", "u"),
        ("e", 2020, "pilkada", "national", "Indonesia", "all", "incumbents_eligible",
         "head_or_deputy", 230.0, "persons", "2020-01-31", "Bawaslu", "w"),
    ])
    national = inc.national_candidates(raw)
    assert list(national.columns) == inc.CANDIDATE_COLUMNS
    assert "d" not in set(national["id"])  # a provincial count is not national context
    running = inc.incumbents_running(national).set_index("agency")
    assert running.loc["Kemendagri", "value"] == 73 and running.loc["Kemendagri", "n_figures"] == 2
    assert running.loc["Bawaslu", "value"] == 70  # another source: never added to Kemendagri's
    assert 2020 not in set(running["cycle"])  # eligible is not running


def test_national_candidates_of_the_curated_file_are_context_only():
    from analysis.data import ledger
    from analysis.data.vocabulary import CANDIDATE_QUANTITIES, NOT_ASN_ONLY_UNITS

    raw = ledger.load_candidates()
    national = inc.national_candidates(raw)
    assert len(national) == (raw["scope"] == "national").sum()
    assert set(national["quantity"]) <= set(CANDIDATE_QUANTITIES)
    assert not set(national["unit"]) & (NOT_ASN_ONLY_UNITS | {"ASN", "cases"})
    assert national["cycle"].is_monotonic_increasing
    running = inc.incumbents_running(national)
    for r in running.itertuples():
        same = raw[(raw["cycle"] == r.cycle) & (raw["quantity"] == "incumbents_running")
                   & (raw["agency"] == r.agency) & (raw["unit"] == r.unit)
                   & (raw["as_of_date"] == r.as_of_date)]
        assert r.value == same["value"].sum() and r.n_figures == len(same)
