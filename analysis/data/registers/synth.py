"""A SYNTHETIC case register, calibrated to the published figures, with planted effects.

Nothing in the output is real data. Every case id starts with ``SYN-``, every row carries
``synthetic = True`` and ``register.json`` says ``"synthetic": true``. The register is written
already pseudonymised (``person_id`` instead of ``nip`` and ``name``), so no fake personal data
is ever produced.

What the generator takes from the ledger, and how, is in :mod:`.synth_calibration`.

From the raw files
------------------
* **Regions and weights**: the provinces of ``regions.csv``, each weighted by its latest PNS
  headcount in ``asn_headcount.csv``. Where ``elections.csv`` lists the regencies/cities that
  held a Pilkada in a province (held = 1), that province's cases in that cycle are placed in
  those regencies (equal split of the province weight). Every other province is taken to hold
  the cycle's election (not checkable from the raw files; stated). ``incumbent_running`` comes
  from ``elections.csv`` where listed (the last listed flag), else it is drawn with the share of
  incumbents among the listed flags; in a Pemilu no regional head runs, so it is False.

Planted effects (all in the ground-truth file)
----------------------------------------------
* a region effect (log-normal, sd :data:`REGION_EFFECT_SD`) on the case rate;
* the supervision measure ``social_media_monitoring``, adopted in a staggered way (a third of
  the regions from 2020, a third from 2024, a third never): in adopted region-cycles the
  expected number of detected cases is multiplied by ``measure_rate_ratio`` (the extra cases are
  detected by social-media monitoring) and the hazard of sanction after recommendation is
  multiplied by ``measure_hazard_ratio``;
* incumbency (``incumbent_running``): the case rate is multiplied by ``incumbent_rate_ratio`` and
  the sanction hazard by ``incumbent_hazard_ratio``;
* administrative censoring at ``data_date``: events after it are blank and the case is
  ``pending``. Cases of a cycle are only those reported by ``data_date``.

The baseline sanction hazard is set so that, mixed over the hazard multipliers of the Pilkada
2020 cases, the share still unsanctioned at the fitted mean delay equals the fitted exponential's
(exp(-1)): the population follow-up curve stays on the fitted one.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .. import ledger as ledger_mod
from ..atomic import atomic_write_text
from ... import paths
from .synth_calibration import (CALIBRATION_CYCLE, DEFAULT_CYCLES, SEVERITY_MAP,
                                calibrate, calibrate_raw_files, files_stamp, fit_delays)

__all__ = ["CASES_FILE", "DEFAULT_CYCLES", "GROUND_TRUTH_FILE", "MEASURE", "REGISTER_FILE",
           "SYNTH_COLUMNS", "calibrate", "fit_delays", "register_meta", "synth_main",
           "synth_register", "write_synthetic"]

CANONICAL_COLUMNS = [
    "case_id", "nip", "name", "position", "position_level", "agency", "region", "region_code",
    "cycle", "election_type", "violation_type", "detection_source", "date_incident",
    "date_report", "date_forwarded", "date_recommendation", "date_sanction", "outcome",
    "sanction_severity", "sanction_type", "incumbent_running",
]
PSEUDONYMISED_COLUMNS = (["case_id", "person_id"]
                         + [c for c in CANONICAL_COLUMNS if c not in ("case_id", "nip", "name")])
SYNTH_COLUMNS = PSEUDONYMISED_COLUMNS + ["synthetic"]
DATE_COLUMNS = ["date_incident", "date_report", "date_forwarded", "date_recommendation",
                "date_sanction"]

CASES_FILE = "synthetic_cases.csv"
GROUND_TRUTH_FILE = "synthetic_ground_truth.json"
REGISTER_FILE = "register.json"

# Assumptions of the generator (not published figures; all recorded in the ground truth).
DATA_DATE_AFTER_LAST_VOTE = 120  # default data_date: last voting day + this many days
REGION_EFFECT_SD = 0.3
MEASURE_RATE_RATIO = 1.5
MEASURE_HAZARD_RATIO = 1.4
INCUMBENT_RATE_RATIO = 1.3
INCUMBENT_HAZARD_RATIO = 0.7
INCIDENT_TO_REPORT_MEAN_DAYS = 10.0
FORWARD_FRACTION_OF_REC_DELAY = 0.25
MEASURE = "social_media_monitoring"

POSITION_TITLES = {"jpt": "Kepala Dinas (SYNTHETIC)", "administrator": "Kepala Bagian (SYNTHETIC)",
                   "pengawas": "Kepala Seksi (SYNTHETIC)", "fungsional": "Guru (SYNTHETIC)",
                   "pelaksana": "Staf Pelaksana (SYNTHETIC)",
                   "kepala_wilayah": "Camat/Lurah (SYNTHETIC)", "other": "Lainnya (SYNTHETIC)"}


# --------------------------------------------------------------------------- regions
def _units(cycles, elections, regions_path=None, headcount=None) -> pd.DataFrame:
    regions = pd.read_csv(regions_path or paths.REGIONS, dtype=str, keep_default_na=False)
    headcount = ledger_mod.load_headcount() if headcount is None else headcount
    prov = regions[regions["level"] == "province"]
    hc = headcount[(headcount["scope"] == "province") & (headcount["employee_type"] == "PNS")]
    hc = hc.sort_values(["region", "year"]).groupby("region")["value"].last()
    code = dict(zip(regions["canonical_name"], regions["kemendagri_code"]))  # as the codebook says
    level = dict(zip(regions["canonical_name"], regions["level"]))
    parent = dict(zip(regions["canonical_name"], regions["parent_province"]))
    listed = elections[elections["scope"].isin(["regency", "province"])]
    flags = listed[listed["incumbent_running"] != ""]
    # the last listed flag of each (cycle, type, region): looked up per unit below, so built
    # once (a pandas filter per unit made this the slowest part of a simulation study)
    last_flag = dict(zip(zip(flags["cycle"], flags["election_type"], flags["region"]),
                         flags["incumbent_running"]))
    rows = []
    for cycle, etype in cycles:
        here = listed[(listed["cycle"] == cycle) & (listed["election_type"] == etype)]
        held_reg = here[(here["scope"] == "regency") & (here["held"] == "1")]["region"].unique()
        for name in sorted(prov["canonical_name"]):
            if name not in hc.index:
                continue
            regs = sorted(r for r in held_reg if parent.get(r) == name) \
                if etype == "pilkada" else []
            targets = regs or [name]
            for unit in targets:
                rows.append({"cycle": cycle, "election_type": etype, "region": unit,
                             "province": name, "region_code": code.get(unit, ""),
                             "level": level.get(unit, ""),
                             "weight": float(hc[name]) / len(targets),
                             "incumbent_listed": last_flag.get((cycle, etype, unit), "")})
    units = pd.DataFrame(rows)
    known = flags[flags["election_type"] == "pilkada"]["incumbent_running"].astype(int)
    return units, (float(known.mean()) if len(known) else 0.5)


_UNITS_CACHE: dict = {}


def _units_of_raw_files(cycles: tuple) -> tuple[pd.DataFrame, float]:
    """:func:`_units` of the raw elections, regions and headcount files, read again whenever one
    of them changes (path, mtime, size); a fresh copy each call (the caller adds columns). A
    simulation study draws hundreds of registers from the same files."""
    key = (files_stamp(paths.ELECTIONS, paths.REGIONS, paths.HEADCOUNT), cycles)
    if key not in _UNITS_CACHE:
        _UNITS_CACHE.clear()
        _UNITS_CACHE[key] = _units(list(cycles), ledger_mod.load_elections())
    units, p_incumbent = _UNITS_CACHE[key]
    return units.copy(), p_incumbent


# --------------------------------------------------------------------------- generator
def _draw(rng, shares: dict | None, n: int, fallback: list[str]) -> np.ndarray:
    if not shares:
        cats = fallback
        p = np.full(len(cats), 1.0 / len(cats))
    else:
        cats = sorted(shares)
        p = np.array([shares[c] for c in cats], dtype=float)
        p = p / p.sum()
    return np.array(cats, dtype=object)[rng.choice(len(cats), size=n, p=p)]


def _baseline_hazard(multipliers: np.ndarray, mean_days: float) -> float:
    """Baseline hazard whose mixture over ``multipliers`` has the fitted survival at the mean.

    Solves mean(exp(-h0 * m_i * mean_days)) = exp(-1), so the population follow-up curve of the
    calibration cycle crosses the fitted exponential one at its mean delay.
    """
    from scipy.optimize import brentq

    m = np.asarray(multipliers, dtype=float)
    return float(brentq(lambda h0: np.mean(np.exp(-h0 * m * mean_days)) - np.exp(-1.0),
                        1e-9 / mean_days, 100.0 / mean_days))


def synth_register(rows: int | None, seed: int, data_date=None, *, ledger=None, elections=None,
                   cycles=DEFAULT_CYCLES) -> tuple[pd.DataFrame, dict]:
    """A SYNTHETIC pseudonymised register of ``rows`` cases and its ground truth.

    ``rows=None`` uses the sum of the per-cycle totals of the ledger. ``data_date`` (ISO date)
    defaults to the last voting day plus :data:`DATA_DATE_AFTER_LAST_VOTE` days.
    """
    if ledger is None and elections is None:
        cal = calibrate_raw_files(tuple(cycles))
    else:
        cal = calibrate(ledger, elections, cycles)
    cycles = [c for c in cycles if f"{c[0]}-{c[1]}" in cal["cycle_totals"]]
    vday = {c: pd.Timestamp(cal["voting_days"][f"{c[0]}-{c[1]}"]) for c in cycles}
    if data_date is None:
        data_date = max(vday.values()) + pd.Timedelta(days=DATA_DATE_AFTER_LAST_VOTE)
    data_date = pd.Timestamp(data_date)
    totals = np.array([cal["cycle_totals"][f"{c}-{e}"]["value"] for c, e in cycles])
    n_rows = int(round(totals.sum())) if rows is None else int(rows)
    rng = np.random.default_rng(seed)

    if elections is None:
        units, p_incumbent = _units_of_raw_files(tuple(cycles))
    else:
        units, p_incumbent = _units(cycles, elections)
    # region effects and staggered adoption, per region name (sorted: stable across runs)
    names = sorted(units["region"].unique())
    effect = dict(zip(names, np.exp(rng.normal(0.0, REGION_EFFECT_SD, len(names)))))
    pilkadas = sorted(c for c, e in cycles if e == "pilkada")
    group = rng.permutation(len(names)) % 3
    first = {}
    for name, g in zip(names, group):
        first[name] = (pilkadas[0] if g == 0 and pilkadas else
                       pilkadas[-1] if g == 1 and len(pilkadas) > 1 else None)
    draws = rng.random(len(units))
    inc = []
    for etype, listed_flag, d in zip(units["election_type"], units["incumbent_listed"], draws):
        if etype != "pilkada":
            inc.append(False)
        elif listed_flag != "":
            inc.append(listed_flag == "1")
        else:
            inc.append(bool(d < p_incumbent))
    units["incumbent_running"] = inc
    units["measure"] = [first[r] is not None and c >= first[r]
                        for r, c in zip(units["region"], units["cycle"])]
    units["region_effect"] = units["region"].map(effect)
    units["intensity"] = (units["weight"] * units["region_effect"]
                          * np.where(units["measure"], MEASURE_RATE_RATIO, 1.0)
                          * np.where(units["incumbent_running"], INCUMBENT_RATE_RATIO, 1.0))
    share = dict(zip(cycles, totals / totals.sum()))
    cycle_intensity = {(c, e): units.loc[(units["cycle"] == c) & (units["election_type"] == e),
                                         "intensity"].sum()
                       for c, e in dict.fromkeys(zip(units["cycle"], units["election_type"]))}
    units["p"] = [share[(c, e)] * i / cycle_intensity[(c, e)]
                  for c, e, i in zip(units["cycle"], units["election_type"], units["intensity"])]
    counts = rng.multinomial(n_rows, units["p"].to_numpy() / units["p"].sum())
    cases = units.loc[units.index.repeat(counts)].reset_index(drop=True)
    n = len(cases)

    # attributes
    cases["position_level"] = _draw(rng, cal["position_level"]["shares"], n,
                                    sorted(POSITION_TITLES))
    cases["position"] = cases["position_level"].map(POSITION_TITLES).fillna("Lainnya (SYNTHETIC)")
    cases["violation_type"] = _draw(rng, cal["violation_type"]["shares"], n, ["other"])
    base_src = _draw(rng, cal["detection_source"]["shares"], n, ["other"])
    extra = cases["measure"].to_numpy() & (rng.random(n) < 1.0 - 1.0 / MEASURE_RATE_RATIO)
    cases["detection_source"] = np.where(extra, MEASURE, base_src)
    cases["agency"] = ["Pemerintah " + ("Provinsi " if lv == "province" else
                                        "" if r.startswith("Kota ") or r.startswith("Kabupaten ")
                                        else "Kabupaten ") + r
                       for r, lv in zip(cases["region"].tolist(), cases["level"].tolist())]

    # timing: report dates from the published cumulative curve, relative to voting day
    lags = np.array(cal["report_timing_cdf"]["days_since_vote"])
    cdf = np.array(cal["report_timing_cdf"]["cumulative_share"])
    # per row through plain lists: iterating pandas' string columns costs a call per cell
    keys = list(zip(cases["cycle"].tolist(), cases["election_type"].tolist()))
    days_left = {k: (data_date - v).days for k, v in vday.items()}
    cap = np.array([days_left[k] for k in keys], dtype=float)
    u_max = np.interp(np.minimum(cap, lags[-1]), lags, cdf)
    u = rng.random(n) * u_max
    report_lag = np.interp(u, cdf, lags)  # inverse of the piecewise-linear CDF
    timing = cal["timing"]
    out = cal["outcomes"]
    rec_delay = rng.exponential(timing["mean_report_to_recommendation_days"], n)
    incident_gap = rng.exponential(INCIDENT_TO_REPORT_MEAN_DAYS, n)
    proven = rng.random(n) < out["p_recommended"]
    executes = rng.random(n) < out["p_executed_given_recommended"]
    not_proven = rng.random(n) < out["p_not_proven_given_not_recommended"]
    hr = (np.where(cases["measure"], MEASURE_HAZARD_RATIO, 1.0)
          * np.where(cases["incumbent_running"], INCUMBENT_HAZARD_RATIO, 1.0))
    cal_mask = ((cases["cycle"] == CALIBRATION_CYCLE[0])
                & (cases["election_type"] == CALIBRATION_CYCLE[1])).to_numpy()
    base_hazard = _baseline_hazard(hr[cal_mask] if cal_mask.any() else np.ones(1),
                                   timing["mean_recommendation_to_sanction_days"])
    hr_norm = base_hazard * timing["mean_recommendation_to_sanction_days"]
    san_delay = rng.exponential(1.0, n) / (base_hazard * hr)
    sev = _draw(rng, cal["severity"]["sanction_type_shares"], n, ["sedang"])

    cases["cycle"] = cases["cycle"].astype(int)
    vd = pd.to_datetime(pd.Series([vday[k] for k in keys]))
    d_report = vd + pd.to_timedelta(np.floor(report_lag), unit="D")
    d_incident = d_report - pd.to_timedelta(np.floor(incident_gap), unit="D")
    d_forward = d_report + pd.to_timedelta(np.floor(rec_delay * FORWARD_FRACTION_OF_REC_DELAY),
                                           unit="D")
    d_rec = d_report + pd.to_timedelta(np.floor(rec_delay), unit="D")
    d_san = d_rec + pd.to_timedelta(np.floor(san_delay), unit="D")
    decided = d_rec <= data_date  # the examination ends with the recommendation date
    rec_seen = proven & decided.to_numpy()
    san_seen = rec_seen & executes & (d_san <= data_date).to_numpy()
    outcome = np.where(san_seen, "sanctioned",
                       np.where(rec_seen, "pending",
                                np.where(~decided.to_numpy(), "pending",
                                         np.where(not_proven, "not_proven", "stopped"))))
    fwd_seen = (d_forward <= data_date).to_numpy()

    def fmt(series, keep):
        return pd.Series(np.where(keep, series.dt.strftime("%Y-%m-%d"), ""), dtype=object)

    cases = cases.reset_index(drop=True)
    cases["date_incident"] = fmt(d_incident, np.ones(n, bool))
    cases["date_report"] = fmt(d_report, np.ones(n, bool))
    cases["date_forwarded"] = fmt(d_forward, fwd_seen)
    cases["date_recommendation"] = fmt(d_rec, rec_seen)
    cases["date_sanction"] = fmt(d_san, san_seen)
    cases["outcome"] = outcome
    cases["sanction_type"] = np.where(rec_seen, sev, "")
    cases["sanction_severity"] = [SEVERITY_MAP.get(s, "") if s else "" for s in
                                  cases["sanction_type"]]
    cases = cases.sort_values(["cycle", "election_type", "date_report", "region"],
                              kind="mergesort").reset_index(drop=True)
    cases["case_id"] = [f"SYN-{c}-{i:06d}" for i, c in enumerate(cases["cycle"], start=1)]
    cases["person_id"] = [f"SYN-P{i:06d}" for i in rng.permutation(len(cases)) + 1]
    cases["synthetic"] = True
    cases = cases[SYNTH_COLUMNS]

    adoption = [{"region": r, "first_cycle": first[r]} for r in names]
    truth = {
        "SYNTHETIC": "planted values of a synthetic register; nothing here is real data",
        "seed": int(seed), "rows": int(len(cases)), "data_date": str(data_date.date()),
        "cycles": [{"cycle": c, "election_type": e} for c, e in cycles],
        "planted": {
            "measure": MEASURE,
            "measure_rate_ratio": MEASURE_RATE_RATIO,
            "measure_hazard_ratio": MEASURE_HAZARD_RATIO,
            "incumbent_rate_ratio": INCUMBENT_RATE_RATIO,
            "incumbent_hazard_ratio": INCUMBENT_HAZARD_RATIO,
            "region_effect_sd": REGION_EFFECT_SD,
            "baseline_sanction_hazard_per_day": base_hazard,
            "hazard_normalisation": hr_norm,
            "mean_report_to_recommendation_days": timing["mean_report_to_recommendation_days"],
            "mean_recommendation_to_sanction_days_population":
                timing["mean_recommendation_to_sanction_days"],
            "mean_incident_to_report_days": INCIDENT_TO_REPORT_MEAN_DAYS,
            "forward_fraction_of_recommendation_delay": FORWARD_FRACTION_OF_REC_DELAY,
            "report_start_days_since_vote": timing["report_start_days"],
            "p_recommended": out["p_recommended"],
            "p_executed_given_recommended": out["p_executed_given_recommended"],
            "p_not_proven_given_not_recommended": out["p_not_proven_given_not_recommended"],
            "p_incumbent_running_unlisted": p_incumbent,
            "censoring": "events after data_date are blank and the case is pending; "
                         "only cases reported by data_date are in the register",
        },
        "measure_adoption": adoption,
        "region_effects": {r: float(effect[r]) for r in names},
        "region_cycles": [
            {"cycle": int(u.cycle), "election_type": u.election_type, "region": u.region,
             "incumbent_running": bool(u.incumbent_running), "measure": bool(u.measure),
             "weight": float(u.weight), "expected_share": float(u.p)}
            for u in units.itertuples()],
        "calibration": cal,
    }
    return cases, truth


def _csv_text(cases: pd.DataFrame) -> str:
    return cases.to_csv(index=False, lineterminator="\n")


def _json_text(obj) -> str:
    return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"


def register_meta(cases: pd.DataFrame, truth: dict) -> dict:
    return {"name": f"synthetic-seed{truth['seed']}", "data_date": truth["data_date"],
            "synthetic": True, "rows": int(len(cases)), "cases_file": CASES_FILE,
            "ground_truth_file": GROUND_TRUTH_FILE, "pseudonymised": True,
            "agency": "SYNTHETIC", "seed": truth["seed"],
            "generator": "analysis.data.registers.synth",
            "note": "SYNTHETIC register: generated data, not real cases"}


def write_synthetic(out_dir, rows: int | None, seed: int, data_date=None) -> dict:
    """Write the three files of a synthetic register folder atomically; return register.json."""
    out = Path(out_dir)
    cases, truth = synth_register(rows, seed, data_date)
    meta = register_meta(cases, truth)
    atomic_write_text(out / CASES_FILE, _csv_text(cases))
    atomic_write_text(out / GROUND_TRUTH_FILE, _json_text(truth))
    atomic_write_text(out / REGISTER_FILE, _json_text(meta))
    return meta


def synth_main(rows: int | None, seed: int, out) -> int:
    """CLI body of ``python -m analysis register synth --rows N --seed S --out DIR``."""
    meta = write_synthetic(out, rows, seed)
    print(f"SYNTHETIC register {meta['name']}: {meta['rows']} cases, data date "
          f"{meta['data_date']} -> {Path(out) / CASES_FILE}")
    return 0
