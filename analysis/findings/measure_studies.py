"""The event studies of notebook 06: which supervision measures can be tested on a register, each
one run, and one summary row per measure and outcome with its verdict.

On a SYNTHETIC register the planted monitoring measure (ground truth) is studied on every region
for detection and enforcement; every curated regency measure of the chosen province
(``data/raw/supervision_measures.csv``) is studied for detection on that province's regencies,
Pilkada 2020 and 2024. A register without region x cycle units (a real register carries no
ground truth) has no study: the summary is empty, with its columns.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import supervision as sv
from .incumbency import units_from_truth

PLANTED = "planted measure"
OUTCOMES = ("detection", "enforcement")
PROVINCE_CYCLES = (2020, 2024)
SUMMARY_COLUMNS = ["measure", "outcome", "G", "treated_units", "estimate", "low", "high",
                   "randomisation_p", "min_randomisation_p", "verdict", "reason"]


def run_studies(cases: pd.DataFrame, truth: dict | None, measures: pd.DataFrame, regions,
                data_date, horizon_days: int = 60, seed: int = 20261129,
                n_perm: int = 999) -> dict:
    """Every event study the register allows (:func:`analysis.findings.supervision.event_study`).

    ``regions``: the chosen province and its regencies (canonical names). Returns ``studies``
    ({(measure, outcome): study}), ``curated`` (the curated measures with ``usable``, from
    :func:`~analysis.findings.supervision.curated_adoptions`), ``province_units`` (the
    province's balanced region x cycle panel; None without units) and ``has_units``."""
    if truth is None:
        return {"studies": {}, "curated": [], "province_units": None, "has_units": False}
    units = units_from_truth(truth)
    studies = {}
    adoption = sv.synthetic_adoption(truth)
    everywhere = sv.panel_units(units)
    for outcome in OUTCOMES:
        studies[(PLANTED, outcome)] = sv.event_study(
            cases, everywhere, adoption, outcome, data_date=data_date,
            horizon_days=horizon_days, seed=seed, n_perm=n_perm)
    province_units = sv.panel_units(units[units["region"].isin(list(regions))],
                                    cycles=PROVINCE_CYCLES)
    curated = sv.curated_adoptions(measures, sorted(province_units["region"].unique()))
    for a in curated:
        if a["usable"]:
            studies[(a["measure_id"], "detection")] = sv.event_study(
                cases, province_units, a["adoption"], "detection", seed=seed, n_perm=n_perm)
    return {"studies": studies, "curated": curated, "province_units": province_units,
            "has_units": True}


def study_summary(studies: dict, synthetic: bool) -> tuple[pd.DataFrame, dict]:
    """One row per (measure, outcome): units G, units treated, the overall effect with its
    interval (detection: cases per 10,000 ASN; enforcement: share executed), the randomisation
    p-value and the smallest it could be, the verdict in English and its reason. Also returns
    the verdicts ({(measure, outcome): Verdict}, both languages). Empty with its columns when
    there is no study."""
    rows, verdicts = [], {}
    for (measure, outcome), s in studies.items():
        v = sv.verdict_event_study(s, synthetic)
        verdicts[(measure, outcome)] = v
        ov = s["result"].overall if s.get("estimable") else None
        rows.append({"measure": measure, "outcome": outcome, "G": s["G"],
                     "treated_units": s["n_treated"],
                     "estimate": ov.estimate if ov else np.nan,
                     "low": ov.low if ov else np.nan, "high": ov.high if ov else np.nan,
                     "randomisation_p": s["ri"].p_value if s.get("estimable") else np.nan,
                     "min_randomisation_p": s["min_ri_p"] if s.get("estimable") else np.nan,
                     "verdict": v.label("en"), "reason": v.reason_en})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS), verdicts


def event_study_rows(studies: dict) -> pd.DataFrame:
    """The event-study rows of every study (:func:`~analysis.findings.supervision.
    event_study_table`), labelled 'measure · outcome'; empty when there is none."""
    frames = [sv.event_study_table(s, f"{measure} · {outcome}")
              for (measure, outcome), s in studies.items()]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def national_by_cycle(measures: pd.DataFrame) -> dict[int, list[str]]:
    """The ids of the national measures per cycle (they apply to every region at once, so no
    control group separates them from the cycle)."""
    national = measures[measures["scope"] == "national"]
    return {int(c): list(ids) for c, ids in national.groupby("cycle")["measure_id"]}


def usable_measures(curated: list[dict]) -> list[str]:
    """The ids of the curated regency measures a study could use."""
    return [a["measure_id"] for a in curated if a["usable"]]
