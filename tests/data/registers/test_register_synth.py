"""The SYNTHETIC register reproduces its ledger calibration and records every planted value."""
import json
import math

import pandas as pd
import pytest

from analysis.data.registers import synth


@pytest.fixture(scope="module")
def full():
    """A register of the ledger's size (rows=None): sum of the per-cycle totals."""
    return synth.synth_register(None, 7)


def _sd_count(n, p):
    return math.sqrt(n * p * (1 - p))


def test_columns_and_synthetic_markers(full):
    cases, truth = full
    assert list(cases.columns) == synth.SYNTH_COLUMNS
    assert "nip" not in cases and "name" not in cases
    assert cases["case_id"].str.startswith("SYN-").all()
    assert cases["person_id"].str.startswith("SYN-P").all()
    assert cases["synthetic"].all()
    assert cases["case_id"].is_unique
    assert set(cases["outcome"]) <= {"sanctioned", "not_proven", "stopped", "pending"}
    assert set(cases["sanction_severity"]) <= {"", "moral", "light", "moderate", "heavy"}
    assert set(cases["detection_source"]) <= {"bawaslu_finding", "public_report",
                                              "social_media_monitoring", "ombudsman", "other"}
    assert set(cases["election_type"]) <= {"pilkada", "pemilu"}
    assert cases["incumbent_running"].map(type).eq(bool).all()


def test_per_cycle_totals_within_sampling_tolerance(full):
    """Counts per cycle are multinomial: within 4 sd of the ledger totals (sum = rows)."""
    cases, truth = full
    targets = truth["calibration"]["cycle_totals"]
    n = len(cases)
    total = sum(t["value"] for t in targets.values())
    assert n == round(total)
    for t in targets.values():
        got = int(((cases["cycle"] == t["cycle"])
                   & (cases["election_type"] == t["election_type"])).sum())
        p = t["value"] / total
        assert abs(got - t["value"]) <= 4 * _sd_count(n, p), t
    ids = {t["ledger_id"] for t in targets.values()}
    assert {"nf-0359", "nf-0547", "bb-0242"} == ids


def test_rows_argument_fixes_the_register_size():
    cases, _ = synth.synth_register(500, 3)
    assert len(cases) == 500


def test_severity_shares_within_tolerance(full):
    cases, truth = full
    shares = truth["calibration"]["severity"]["severity_shares"]
    rec = cases[cases["sanction_severity"] != ""]
    assert truth["calibration"]["severity"]["values"] == {
        "moral_tertutup": 130.0, "moral_terbuka": 533.0, "ringan": 32.0, "sedang": 884.0,
        "berat": 17.0}
    for sev, p in shares.items():
        got = (rec["sanction_severity"] == sev).mean()
        assert abs(got - p) <= 4 * math.sqrt(p * (1 - p) / len(rec)), sev


def test_follow_up_curve_at_published_lags(full):
    """Sanctioned/recommended among Pilkada 2020 cases at each KASN snapshot lag.

    Tolerance = the calibration model's own misfit at that lag (recorded in the ground truth)
    + 4 binomial sd + 0.03 for whole-day rounding and the mixture of hazards.
    """
    cases, truth = full
    timing = truth["calibration"]["timing"]
    vday = pd.Timestamp(truth["calibration"]["voting_days"]["2020-pilkada"])
    g = cases[(cases["cycle"] == 2020) & (cases["election_type"] == "pilkada")]
    assert len(timing["follow_up_observed"]) >= 5
    for lag, observed in timing["follow_up_observed"].items():
        day = (vday + pd.Timedelta(days=int(lag))).strftime("%Y-%m-%d")
        rec = ((g["date_recommendation"] != "") & (g["date_recommendation"] <= day)).sum()
        san = ((g["date_sanction"] != "") & (g["date_sanction"] <= day)).sum()
        share = san / rec
        misfit = abs(timing["follow_up_fitted"][lag] - observed)
        tol = misfit + 4 * math.sqrt(observed * (1 - observed) / rec) + 0.03
        assert abs(share - observed) <= tol, (lag, share, observed, tol)


def test_dates_are_ordered_and_censored(full):
    cases, truth = full
    data_date = truth["data_date"]
    for a, b in [("date_incident", "date_report"), ("date_report", "date_forwarded"),
                 ("date_forwarded", "date_recommendation"),
                 ("date_recommendation", "date_sanction")]:
        both = cases[(cases[a] != "") & (cases[b] != "")]
        assert (both[a] <= both[b]).all(), (a, b)
    for col in synth.DATE_COLUMNS:
        assert (cases[col][cases[col] != ""] <= data_date).all()
    assert (cases.loc[cases["outcome"] == "sanctioned", "date_sanction"] != "").all()
    assert (cases.loc[cases["date_sanction"] == "", "outcome"] != "sanctioned").all()
    assert (cases["outcome"] == "pending").any()


def test_ground_truth_lists_every_planted_value(full):
    cases, truth = full
    planted = truth["planted"]
    assert planted["measure_rate_ratio"] == synth.MEASURE_RATE_RATIO
    assert planted["measure_hazard_ratio"] == synth.MEASURE_HAZARD_RATIO
    assert planted["incumbent_rate_ratio"] == synth.INCUMBENT_RATE_RATIO
    assert planted["incumbent_hazard_ratio"] == synth.INCUMBENT_HAZARD_RATIO
    for key in ("region_effect_sd", "baseline_sanction_hazard_per_day",
                "mean_report_to_recommendation_days", "mean_incident_to_report_days",
                "report_start_days_since_vote", "p_recommended", "p_executed_given_recommended",
                "p_not_proven_given_not_recommended", "p_incumbent_running_unlisted",
                "censoring"):
        assert key in planted, key
    regions = set(cases["region"])
    adoption = {a["region"]: a["first_cycle"] for a in truth["measure_adoption"]}
    assert regions <= set(adoption) and regions <= set(truth["region_effects"])
    assert {None, 2020, 2024} == set(adoption.values())        # staggered, with never-adopters
    # the adoption table is what the cases show: the measure's source only in adopted cells
    smm = cases[cases["detection_source"] == synth.MEASURE]
    assert all(adoption[r] is not None and c >= adoption[r]
               for r, c in zip(smm["region"], smm["cycle"]))
    cal_ids = truth["calibration"]["severity"]["ledger_ids"]
    assert cal_ids == ["af-0033", "af-0034", "af-0035", "af-0036", "af-0037"]
    json.dumps(truth)  # serialisable as it stands


def test_measure_share_of_detection(full):
    """In adopted cells a share 1 - 1/RR of the cases is detected by the measure."""
    cases, truth = full
    cells = {(c["region"], c["cycle"]) for c in truth["region_cycles"] if c["measure"]}
    adopted = cases[[(r, c) in cells for r, c in zip(cases["region"], cases["cycle"])]]
    p = 1 - 1 / synth.MEASURE_RATE_RATIO
    got = (adopted["detection_source"] == synth.MEASURE).mean()
    assert abs(got - p) <= 4 * math.sqrt(p * (1 - p) / len(adopted))


def test_files_same_seed_identical_other_seed_different(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert synth.synth_main(400, 11, a) == 0
    synth.write_synthetic(b, 400, 11)
    synth.write_synthetic(c, 400, 12)
    for name in (synth.CASES_FILE, synth.GROUND_TRUTH_FILE, synth.REGISTER_FILE):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (a / synth.CASES_FILE).read_bytes() != (c / synth.CASES_FILE).read_bytes()
    meta = json.loads((a / synth.REGISTER_FILE).read_text())
    assert meta["synthetic"] is True and meta["cases_file"] == "synthetic_cases.csv"
    assert meta["rows"] == 400
    read = pd.read_csv(a / synth.CASES_FILE, dtype=str, keep_default_na=False)
    assert len(read) == 400 and (read["synthetic"] == "True").all()
    assert read["case_id"].str.startswith("SYN-").all()
    assert not list(tmp_path.glob("*/.*.tmp"))


def test_calibration_is_read_from_the_ledger_at_run_time():
    from analysis.data.ledger import load_ledger
    ledger = load_ledger()
    base = synth.calibrate(ledger)
    changed = ledger.copy()
    heavy = changed["id"] == "af-0037"
    changed.loc[heavy, "value"] = changed.loc[heavy, "value"] * 10
    total = changed["id"] == "nf-0547"
    changed.loc[total, "value"] = 5000.0
    other = synth.calibrate(changed)
    heavy_share = [c["severity"]["severity_shares"]["heavy"] for c in (base, other)]
    assert heavy_share[1] > heavy_share[0]
    assert other["cycle_totals"]["2024-pilkada"]["value"] == 5000.0


def test_regions_follow_elections_csv(full):
    cases, truth = full
    babel = {c["region"] for c in truth["region_cycles"]
             if c["cycle"] == 2020 and c["election_type"] == "pilkada"
             and c["region"] in {"Bangka", "Bangka Barat", "Bangka Selatan", "Bangka Tengah",
                                 "Belitung", "Belitung Timur", "Kota Pangkalpinang",
                                 "Kepulauan Bangka Belitung"}}
    # Pilkada 2020 in Bangka Belitung: the four regencies elections.csv lists as held
    assert babel == {"Bangka Barat", "Bangka Selatan", "Bangka Tengah", "Belitung Timur"}
    assert set(cases.loc[cases["election_type"] == "pemilu", "incumbent_running"]) <= {False}


def test_the_demo_register_is_rebuilt_when_any_module_of_its_generator_changes(tmp_path,
                                                                             monkeypatch):
    """The demo register's stamp covers the calibration as well as the generator: a change to
    either makes the build write the demo register again."""
    from analysis.data.registers import demo, synth_calibration

    before = demo._stamp(demo.DEMO_SEED, demo.DEMO_ROWS)
    for module in (synth, synth_calibration):
        edited = tmp_path / f"{module.__name__}.py"
        edited.write_bytes(open(module.__file__, "rb").read() + b"\n# edited\n")
        with monkeypatch.context() as patch:
            patch.setattr(module, "__file__", str(edited))
            assert demo._stamp(demo.DEMO_SEED, demo.DEMO_ROWS) != before, module.__name__
    assert demo._stamp(demo.DEMO_SEED, demo.DEMO_ROWS) == before


def test_the_region_cycles_are_read_again_when_a_raw_file_changes(project_copy):
    """The units a simulation study draws from come from the raw files as they are now: the
    cached copy equals a fresh reading, a caller's change to it does not reach the next call,
    and an edit of elections.csv or asn_headcount.csv is seen at once."""
    import os

    from analysis import paths
    from analysis.data import ledger

    project_copy("repo")  # raw files of its own, edited below
    cycles = tuple(synth.DEFAULT_CYCLES)
    first, p_first = synth._units_of_raw_files(cycles)
    fresh, p_fresh = synth._units(list(cycles), ledger.load_elections())
    pd.testing.assert_frame_equal(first, fresh)
    assert p_first == p_fresh
    first["weight"] = 0.0
    assert (synth._units_of_raw_files(cycles)[0]["weight"] > 0).all()

    for raw in (paths.HEADCOUNT, paths.ELECTIONS):
        frame = pd.read_csv(raw, dtype=str, keep_default_na=False)
        if raw == paths.HEADCOUNT:  # double every headcount: the units' weights double
            frame["value"] = (frame["value"].astype(int) * 2).astype(str)
        else:  # every incumbent listed as running now listed as not running
            frame["incumbent_running"] = frame["incumbent_running"].replace("1", "0")
        frame.to_csv(raw, index=False)
        stat = raw.stat()
        os.utime(raw, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a later mtime
        changed, _ = synth._units_of_raw_files(cycles)
        again, _ = synth._units(list(cycles), ledger.load_elections())
        pd.testing.assert_frame_equal(changed, again)
        assert not changed.equals(fresh), raw.name
        fresh = again
