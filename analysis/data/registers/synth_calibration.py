"""What the SYNTHETIC register generator (:mod:`.synth`) takes from the ledger, read at run
time, never typed in.

* **Per-cycle totals** (national, no breakdown): for each cycle the first series in
  :data:`TOTAL_SERIES` that has a figure — KASN ``reported`` in ASN, else BKN ``reported`` in
  ASN, else Bawaslu ``reported`` in cases (then one case is taken as one ASN) — and within that
  series the one figure that :func:`analysis.data.ledger.choose_figure` picks. The totals only
  fix the *split of rows between cycles*; ``rows`` (or, when ``rows`` is None, the sum of the
  totals) fixes the size of the register.
* **Outcome shares** of the Pilkada 2020 KASN final figures (``choose_figure`` per metric):
  recommended / reported, sanction_executed / recommended, not_violation / (reported -
  recommended); the remainder of the not-recommended cases is ``stopped``.
* **Timing** from the KASN Pilkada 2020 snapshots that carry an as-of date at day precision:
  the cumulative ``reported`` curve (ASN) gives the distribution of report dates relative to
  voting day (piecewise linear between snapshots, zero at a fitted first report day), and the
  follow-up curve (sanction_executed / recommended on the same as-of date, by days since voting
  day) is fitted by a grid search over the mean report-to-recommendation and
  recommendation-to-sanction delays (exponential, with a never-sanctioned fraction of
  1 - executed/recommended). The same shapes, relative to each cycle's voting day, serve every
  cycle.
* **Severity split**: KASN ``recommended`` by ``sanction_severity`` for Pilkada 2020 (the
  moral_tertutup / moral_terbuka / ringan / sedang / berat group); moral_* -> ``moral``,
  ringan -> ``light``, sedang -> ``moderate``, berat -> ``heavy``; the ledger category is kept
  as ``sanction_type``.
* **Position level and violation type shares**: the KASN Pilkada 2020 ``share`` rows of the
  breakdown with the latest effective date (one publication, so the categories add up); the
  remainder to 100 % is ``other``. Were none published, the categories would be uniform.
* **Detection source**: Bawaslu Pilkada 2020 ``reported`` by ``detection_source`` in cases,
  latest date: temuan -> ``bawaslu_finding``, laporan -> ``public_report``. Ombudsman and other
  sources are not published and get no baseline share; ``social_media_monitoring`` only arises
  from the planted measure (:mod:`.synth`).
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from ... import paths
from .. import ledger as ledger_mod

DEFAULT_CYCLES = ((2019, "pemilu"), (2020, "pilkada"), (2024, "pilkada"))
CALIBRATION_CYCLE = (2020, "pilkada")
# series tried in order for a cycle's total: (agency, unit)
TOTAL_SERIES = (("KASN", "ASN"), ("BKN", "ASN"), ("Bawaslu", "cases"))
# first day of reports relative to voting day: fitted together with the delays over this grid
REPORT_START_GRID = tuple(range(-450, -169, 10))
SEVERITY_MAP = {"moral_tertutup": "moral", "moral_terbuka": "moral", "moral": "moral",
                "ringan": "light", "sedang": "moderate", "berat": "heavy",
                "berat_ptdh": "heavy", "ptdh": "heavy"}
DETECTION_MAP = {"temuan": "bawaslu_finding", "laporan": "public_report"}


def _pick(ledger: pd.DataFrame, mask) -> pd.Series | None:
    rows = ledger[mask]
    return None if rows.empty else ledger_mod.choose_figure(rows)


def _national(ledger, cycle, etype):
    return ((ledger["cycle"] == cycle) & (ledger["election_type"] == etype)
            & (ledger["scope"] == "national"))


def _plain(ledger):
    return (ledger["breakdown"] == "") & (ledger["category"] == "")


def _cycle_totals(ledger, cycles) -> dict:
    out = {}
    for cycle, etype in cycles:
        for agency, unit in TOTAL_SERIES:
            row = _pick(ledger, _national(ledger, cycle, etype) & _plain(ledger)
                        & (ledger["agency"] == agency) & (ledger["unit"] == unit)
                        & (ledger["metric"] == "reported"))
            if row is not None:
                out[f"{cycle}-{etype}"] = {"cycle": cycle, "election_type": etype,
                                           "value": float(row["value"]), "agency": agency,
                                           "unit": unit, "ledger_id": row["id"]}
                break
    return out


def _outcome_shares(ledger) -> dict:
    cycle, etype = CALIBRATION_CYCLE
    base = (_national(ledger, cycle, etype) & _plain(ledger) & (ledger["agency"] == "KASN")
            & (ledger["unit"] == "ASN"))
    picked = {m: _pick(ledger, base & (ledger["metric"] == m))
              for m in ("reported", "recommended", "sanction_executed", "not_violation")}
    missing = [m for m, r in picked.items() if r is None]
    if missing:
        raise ValueError(f"ledger lacks KASN {cycle} {etype} figures for {missing}")
    rep, rec, exe, nv = (float(picked[m]["value"]) for m in
                         ("reported", "recommended", "sanction_executed", "not_violation"))
    not_rec = rep - rec
    return {"p_recommended": rec / rep, "p_executed_given_recommended": exe / rec,
            "p_not_proven_given_not_recommended": min(1.0, nv / not_rec) if not_rec else 1.0,
            "values": {"reported": rep, "recommended": rec, "sanction_executed": exe,
                       "not_violation": nv},
            "ledger_ids": {m: r["id"] for m, r in picked.items()}}


def _snapshots(ledger, voting_day) -> dict:
    cycle, etype = CALIBRATION_CYCLE
    base = (_national(ledger, cycle, etype) & _plain(ledger) & (ledger["agency"] == "KASN")
            & (ledger["unit"] == "ASN") & (ledger["as_of_date"].str.len() == 10))
    out = {}
    for metric in ("reported", "recommended", "sanction_executed"):
        rows = ledger[base & (ledger["metric"] == metric)]
        series = {}
        for date, grp in rows.groupby("as_of_date"):
            row = ledger_mod.choose_figure(grp)
            lag = int((pd.Timestamp(date) - voting_day).days)
            series[lag] = (float(row["value"]), row["id"])
        out[metric] = dict(sorted(series.items()))
    return out


def _breakdown_shares(ledger, breakdown, agency="KASN") -> dict:
    cycle, etype = CALIBRATION_CYCLE
    rows = ledger[_national(ledger, cycle, etype) & (ledger["breakdown"] == breakdown)
                  & (ledger["agency"] == agency) & (ledger["metric"] == "share")
                  & (ledger["unit"] == "percent")]
    if rows.empty:
        return {"shares": None, "ledger_ids": [], "rule": "uniform (nothing published)"}
    latest = rows["effective_date"].max()
    grp = rows[rows["effective_date"] == latest]
    grp = grp[grp["source_url"] == sorted(grp["source_url"])[0]]
    shares = grp.groupby("category")["value"].max() / 100.0
    if shares.sum() < 1.0:
        shares["other"] = 1.0 - shares.sum()
    shares = shares / shares.sum()
    return {"shares": {k: float(v) for k, v in shares.sort_index().items()},
            "ledger_ids": sorted(grp["id"]),
            "rule": "KASN share rows of the latest effective date (one source); remainder other"}


def _severity_shares(ledger) -> dict:
    cycle, etype = CALIBRATION_CYCLE
    rows = ledger[_national(ledger, cycle, etype) & (ledger["breakdown"] == "sanction_severity")
                  & (ledger["metric"] == "recommended") & (ledger["unit"] == "ASN")]
    if rows.empty:
        raise ValueError("ledger lacks the KASN severity split for Pilkada 2020")
    latest = rows["effective_date"].max()
    grp = rows[rows["effective_date"] == latest]
    types = grp.groupby("category")["value"].sum()
    types = types / types.sum()
    severity = types.groupby(types.index.map(lambda c: SEVERITY_MAP[c])).sum()
    return {"sanction_type_shares": {k: float(v) for k, v in types.sort_index().items()},
            "severity_shares": {k: float(v) for k, v in severity.sort_index().items()},
            "values": {r["category"]: float(r["value"]) for _, r in grp.iterrows()},
            "ledger_ids": sorted(grp["id"])}


def _detection_shares(ledger) -> dict:
    cycle, etype = CALIBRATION_CYCLE
    rows = ledger[_national(ledger, cycle, etype) & (ledger["breakdown"] == "detection_source")
                  & (ledger["agency"] == "Bawaslu") & (ledger["metric"] == "reported")
                  & (ledger["unit"] == "cases") & ledger["category"].isin(list(DETECTION_MAP))]
    if rows.empty:
        return {"shares": {"bawaslu_finding": 0.5, "public_report": 0.5}, "ledger_ids": [],
                "rule": "uniform over Bawaslu findings and public reports (nothing published)"}
    latest = rows["effective_date"].max()
    grp = rows[rows["effective_date"] == latest]
    vals = grp.groupby("category")["value"].max()
    shares = vals / vals.sum()
    return {"shares": {DETECTION_MAP[k]: float(v) for k, v in shares.items()},
            "ledger_ids": sorted(grp["id"]), "rule": "Bawaslu cases by source, latest date"}


def _report_cdf(snaps, start=REPORT_START_GRID[0]) -> tuple[np.ndarray, np.ndarray]:
    rep = snaps["reported"]
    lags = np.array([start] + list(rep))
    vals = np.array([0.0] + [v for v, _ in rep.values()])
    vals = np.maximum.accumulate(vals) / vals.max()
    return lags.astype(float), vals


def _exp_cdf(days, mean):
    return 1.0 - np.exp(-np.maximum(days, 0) / mean)


def fit_delays(snaps, p_rec, p_exec, grid=None) -> dict:
    """Report start day and mean delays (days) that best reproduce the published curves.

    Least squares over :data:`REPORT_START_GRID` x ``grid``: the report start and the mean
    report->recommendation delay fit recommended/reported; then the mean
    recommendation->sanction delay fits sanction_executed/recommended (the follow-up curve).
    """
    fits = [_fit_delays(snaps, p_rec, p_exec, start, grid) for start in REPORT_START_GRID
            if start < min(snaps["reported"])]
    return min(fits, key=lambda f: (f["sse_follow_up"] + f["sse_recommended"],
                                    f["report_start_days"]))


def _fit_delays(snaps, p_rec, p_exec, start, grid=None) -> dict:
    lags, cdf = _report_cdf(snaps, start)
    t = np.arange(int(lags[0]), int(lags[-1]) + 1)
    f_rep = np.interp(t, lags, cdf)
    d_rep = np.diff(np.concatenate([[0.0], f_rep]))
    rec = snaps["recommended"]
    exe = snaps["sanction_executed"]
    rep_obs = {lag: v for lag, (v, _) in snaps["reported"].items()}
    rec_lags = [lag for lag in rec if lag in rep_obs]
    exe_lags = [lag for lag in exe if lag in rec]
    grid = grid if grid is not None else np.unique(np.round(np.geomspace(1, 720, 80)))
    dt = t - t[0]
    best = None
    for m1 in grid:
        g1 = np.diff(np.concatenate([[0.0], _exp_cdf(dt + 1, m1)]))  # delay pmf by whole day
        r_curve = np.cumsum(np.convolve(d_rep, g1)[: len(t)]) * p_rec
        rep_curve = f_rep
        sse1 = sum((np.interp(lag, t, r_curve) / np.interp(lag, t, rep_curve)
                    - rec[lag][0] / rep_obs[lag]) ** 2 for lag in rec_lags)
        if best is None or sse1 < best[0]:
            best = (sse1, m1, r_curve)
    sse1, m_rec, r_curve = best
    d_r = np.diff(np.concatenate([[0.0], r_curve]))
    best2 = None
    for m2 in grid:
        g2 = np.diff(np.concatenate([[0.0], _exp_cdf(dt + 1, m2)]))
        s_curve = np.cumsum(np.convolve(d_r, g2)[: len(t)]) * p_exec
        sse2 = sum((np.interp(lag, t, s_curve) / np.interp(lag, t, r_curve)
                    - exe[lag][0] / rec[lag][0]) ** 2 for lag in exe_lags)
        if best2 is None or sse2 < best2[0]:
            best2 = (sse2, m2, s_curve)
    sse2, m_san, s_curve = best2
    fitted = {str(lag): float(np.interp(lag, t, s_curve) / np.interp(lag, t, r_curve))
              for lag in exe_lags}
    observed = {str(lag): exe[lag][0] / rec[lag][0] for lag in exe_lags}
    return {"report_start_days": int(start), "sse_recommended": float(sse1),
            "sse_follow_up": float(sse2),
            "mean_report_to_recommendation_days": float(m_rec),
            "mean_recommendation_to_sanction_days": float(m_san),
            "follow_up_observed": observed, "follow_up_fitted": fitted,
            "follow_up_max_abs_residual": max(abs(fitted[k] - observed[k]) for k in fitted),
            "recommended_lags": [int(x) for x in rec_lags]}


def calibrate(ledger=None, elections=None, cycles=DEFAULT_CYCLES) -> dict:
    """Every target the generator takes from the ledger, with the ids of the rows used."""
    ledger = ledger_mod.load_ledger() if ledger is None else ledger
    elections = ledger_mod.load_elections() if elections is None else elections
    days = ledger_mod.voting_days(elections)
    vday = {(int(r.cycle), r.election_type): r.voting_day for r in days.itertuples()}
    snaps = _snapshots(ledger, vday[CALIBRATION_CYCLE])
    outcome = _outcome_shares(ledger)
    timing = fit_delays(snaps, outcome["p_recommended"],
                        outcome["p_executed_given_recommended"])
    lags, cdf = _report_cdf(snaps, timing["report_start_days"])
    return {
        "cycle_totals": _cycle_totals(ledger, cycles),
        "voting_days": {f"{c}-{e}": str(vday[(c, e)].date()) for c, e in cycles},
        "outcomes": outcome,
        "snapshots": {m: {str(lag): {"value": v, "ledger_id": i} for lag, (v, i) in s.items()}
                      for m, s in snaps.items()},
        "report_timing_cdf": {"days_since_vote": [float(x) for x in lags],
                              "cumulative_share": [float(x) for x in cdf]},
        "timing": timing,
        "severity": _severity_shares(ledger),
        "position_level": _breakdown_shares(ledger, "position_level"),
        "violation_type": _breakdown_shares(ledger, "violation_type"),
        "detection_source": _detection_shares(ledger),
    }


_CACHE: dict = {}


def files_stamp(*files) -> tuple:
    """(path, mtime, size) of each file: a cache key that changes whenever one of them does."""
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def calibrate_raw_files(cycles) -> dict:
    """:func:`calibrate` on the raw files, recomputed whenever a file changes (mtime, size)."""
    key = (files_stamp(paths.LEDGER, paths.ELECTIONS), cycles)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = calibrate(None, None, cycles)
    return json.loads(json.dumps(_CACHE[key]))  # a fresh copy: callers may not alter the cache
