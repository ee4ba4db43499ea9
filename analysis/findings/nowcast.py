"""Nowcast of the share of recommended sanctions executed in a running cycle, on the published
snapshots (real data), and its back-test on Pilkada 2020.

Series: national follow-up (executed / recommended, ASN) of one agency per cycle, from
``data/processed/enforcement_snapshots.csv`` (one definition, METHODS.md 17: a curve joins points
of one agency and one unit). A series is *completed* when its last snapshot is at least
``horizon_days`` after voting day; its final value is that snapshot's. Nothing is spliced across
agencies (KASN 2020 is not a reference for BKN 2024 unless declared equivalent, and even then the
2024 procedure changed).
"""
from __future__ import annotations

import math

import pandas as pd

from ..methods import nowcast as nc
from .verdicts import CANNOT_TELL, SUGGESTIVE, SUPPORTED, Verdict

HORIZON_DAYS = 365
SERIES_KEYS = ["cycle", "election_type", "agency"]


def follow_up_series(snapshots: pd.DataFrame) -> pd.DataFrame:
    """National follow-up points (day-precision as-of dates; a year-only as-of has no lag)."""
    s = snapshots[(snapshots["scope"] == "national") & snapshots["follow_up_rate"].notna()
                  & (snapshots["as_of_precision"] == "day")].copy()
    s = s.rename(columns={"days_since_vote": "lag", "follow_up_rate": "value"})
    s = s.sort_values(SERIES_KEYS + ["lag", "as_of_date"]).drop_duplicates(
        SERIES_KEYS + ["lag"], keep="last")
    return s[SERIES_KEYS + ["as_of_date", "lag", "value", "executed", "recommended",
                            "source_ids"]].reset_index(drop=True)


def series_table(points: pd.DataFrame, snapshots: pd.DataFrame,
                 horizon_days: int = HORIZON_DAYS) -> pd.DataFrame:
    """One row per series with any national executed count: snapshots with a follow-up share,
    first and last lag, final value, completed or not."""
    nat = snapshots[(snapshots["scope"] == "national") & snapshots["executed"].notna()]
    rows = []
    for key, g in nat.groupby(SERIES_KEYS):
        p = points[(points[SERIES_KEYS] == pd.Series(key, index=SERIES_KEYS)).all(axis=1)]
        last = p.iloc[-1] if len(p) else None
        rows.append({"cycle": key[0], "election_type": key[1], "agency": key[2],
                     "snapshots_executed": len(g), "snapshots_share": len(p),
                     "first_lag": p["lag"].min() if len(p) else math.nan,
                     "last_lag": p["lag"].max() if len(p) else math.nan,
                     "last_value": float(last["value"]) if last is not None else math.nan,
                     "completed": bool(len(p) and p["lag"].max() >= horizon_days)})
    return pd.DataFrame(rows)


def _refs(points: pd.DataFrame, table: pd.DataFrame, exclude_cycle=None, election_type=None,
          known_by: str | None = None, horizon_days: int = HORIZON_DAYS):
    """Reference curves and their final values: the completed series of ``table`` (other than
    ``exclude_cycle``, of ``election_type`` if given). With ``known_by`` (an ISO as-of date) a
    series counts only as it stood on that date: its snapshots dated on or before it, and only if
    one of them already reached ``horizon_days`` (no look-ahead: a curve completed in 2025 is not a
    reference for a 2020 snapshot)."""
    refs, finals = {}, {}
    for r in table[table["completed"]].itertuples():
        if exclude_cycle is not None and r.cycle == exclude_cycle:
            continue
        if election_type is not None and r.election_type != election_type:
            continue
        name = f"{r.election_type} {r.cycle} {r.agency}"
        p = points[(points["cycle"] == r.cycle) & (points["election_type"] == r.election_type)
                   & (points["agency"] == r.agency)].sort_values("lag")
        if known_by is not None:
            p = p[p["as_of_date"] <= known_by]
            if p.empty or p["lag"].max() < horizon_days:
                continue
        refs[name], finals[name] = p[["lag", "value"]], float(p["value"].iloc[-1])
    return refs, finals


def running_nowcast(snapshots: pd.DataFrame, cycle: int = 2024, election_type: str = "pilkada",
                    horizon_days: int = HORIZON_DAYS, level: float = 0.95) -> dict:
    """Nowcast of the running cycle's final follow-up share from its latest snapshot, with the
    completed cycles of the same election type as references (other cycles only)."""
    points = follow_up_series(snapshots)
    table = series_table(points, snapshots, horizon_days)
    refs, finals = _refs(points, table, exclude_cycle=cycle, election_type=election_type)
    mine = points[(points["cycle"] == cycle) & (points["election_type"] == election_type)]
    nat = snapshots[(snapshots["scope"] == "national") & (snapshots["cycle"] == cycle)
                    & (snapshots["election_type"] == election_type)]
    result = {"table": table, "references": sorted(refs), "k_available": len(refs),
              "points": mine, "executed_only": nat[nat["executed"].notna()]}
    if mine.empty:
        result["nowcast"] = None
        result["reason"] = "no_share"
    else:
        last = mine.sort_values("lag").iloc[-1]
        result["nowcast"] = nc.nowcast_final(float(last["value"]), float(last["lag"]), refs,
                                             finals, n=float(last["recommended"]),
                                             level=level)
        result["reason"] = result["nowcast"].method
    return result


def backtest_2020(snapshots: pd.DataFrame, agency: str = "KASN", cycle: int = 2020,
                  election_type: str = "pilkada", horizon_days: int = HORIZON_DAYS,
                  level: float = 0.95) -> dict:
    """Nowcast Pilkada 2020 (``agency`` series) from each of its own snapshots before its final
    one and compare with its final value. Each snapshot is nowcast only with the reference curves
    that were complete on its as-of date (completed series of *other* cycles, as they stood then):
    no look-ahead. A row is *informative* when at least two such curves gave a prediction
    interval (``method == "reference_curves"``); a row whose interval is the whole possible range
    because no reference existed tells nothing, covering or not. ``n_informative`` counts them."""
    points = follow_up_series(snapshots)
    table = series_table(points, snapshots, horizon_days)
    target = points[(points["cycle"] == cycle) & (points["election_type"] == election_type)
                    & (points["agency"] == agency)].sort_values("lag")
    if target.empty:
        return {"table": table, "backtest": pd.DataFrame(), "final": math.nan, "k": 0,
                "n_informative": 0, "references": []}
    final_row = target.iloc[-1]
    early = target.iloc[:-1].rename(columns={"recommended": "n"})
    rows, used = [], set()
    for i in range(len(early)):
        snap = early.iloc[[i]]
        refs, finals = _refs(points, table, exclude_cycle=cycle, election_type=election_type,
                             known_by=snap["as_of_date"].iloc[0], horizon_days=horizon_days)
        used |= set(refs)
        rows.append(nc.backtest(snap, float(final_row["value"]), refs, finals, n_col="n",
                                level=level))
    bt = (pd.concat(rows, ignore_index=True) if rows else pd.DataFrame())
    if len(bt):
        bt.insert(0, "as_of_date", early["as_of_date"].to_numpy())
        bt["informative"] = bt["method"] == "reference_curves"
    return {"table": table, "backtest": bt, "final": float(final_row["value"]),
            "final_lag": float(final_row["lag"]), "final_as_of": final_row["as_of_date"],
            "final_executed": float(final_row["executed"]),
            "final_recommended": float(final_row["recommended"]),
            "k": int(bt["k"].max()) if len(bt) else 0,
            "n_informative": int(bt["informative"].sum()) if len(bt) else 0,
            "references": sorted(used)}


def carry_forward_shortfall(back: dict) -> dict:
    """How far carrying a 2020 snapshot forward falls short of the final value, in percentage
    points (0-100): ``latest`` (the last snapshot before the final one), ``largest`` (the worst
    snapshot), and ``widest_interval`` (the widest back-test interval: the whole possible range
    where no reference curve existed)."""
    bt = back["backtest"]
    return {"latest": -100 * float(bt["carry_forward_error"].iloc[-1]),
            "largest": -100 * float(bt["carry_forward_error"].min()),
            "widest_interval": 100 * float(bt["width"].max())}


def verdict(running: dict, back: dict) -> Verdict:
    """Cannot tell unless at least two completed reference curves exist for the running cycle and
    the back-test had informative rows (a prediction interval from curves known at the time),
    every one of which covered the final value. Rows without a reference curve count for nothing."""
    k = running["k_available"]
    bt = back["backtest"]
    informative = bt[bt["informative"]] if len(bt) else bt
    if (k >= 2 and len(informative) and informative["covers"].all()
            and running["nowcast"] is not None):
        strength = SUGGESTIVE if k < 4 else SUPPORTED
        n = len(informative)
        return Verdict(strength, f"{k} kurva siklus selesai; uji balik mencakup nilai akhir pada "
                       f"{n} potret yang memiliki kurva acuan saat itu",
                       f"{k} completed-cycle curves; the back-test covered the final value at "
                       f"{n} snapshots that had reference curves at the time")
    reasons_id, reasons_en = [], []
    reasons_id.append(f"hanya {k} kurva akumulasi siklus selesai (perlu paling sedikit 2 untuk "
                      "interval prediksi)")
    reasons_en.append(f"only {k} completed-cycle accumulation curve(s) (at least 2 are needed for "
                      "a prediction interval)")
    if running["nowcast"] is None:
        reasons_id.append("siklus berjalan tidak memiliki potret persentase tindak lanjut "
                          "(tidak ada jumlah rekomendasi yang dipublikasikan)")
        reasons_en.append("the running cycle has no follow-up share snapshot (no published "
                          "count of recommendations)")
    if not len(informative):
        reasons_id.append("uji balik 2020 tidak memiliki potret dengan kurva acuan yang sudah "
                          "selesai pada tanggalnya, jadi tidak menguji apa pun")
        reasons_en.append("no 2020 back-test snapshot had a reference curve completed by its "
                          "date, so the back-test tests nothing")
    elif not informative["covers"].all():
        missed = int((~informative["covers"]).sum())
        reasons_id.append(f"uji balik meleset pada {missed} dari {len(informative)} potret")
        reasons_en.append(f"the back-test missed at {missed} of {len(informative)} snapshots")
    return Verdict(CANNOT_TELL, "; ".join(reasons_id), "; ".join(reasons_en))
