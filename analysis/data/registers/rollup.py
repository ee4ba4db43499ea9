"""Aggregate a (pseudonymised) case register into ledger-shaped figures.

Each output row is one cumulative count, shaped like a row of ``published_figures.csv`` so the
equal-lag and funnel analyses can read register figures next to published ones:

* ``metric``: ``reported`` (date_report on or before the as-of date), ``forwarded``
  (date_forwarded), ``recommended`` (date_recommendation), ``sanction_executed``
  (date_sanction); at the register's data date also ``not_violation`` (outcome not_proven),
  ``stopped`` and ``pending`` (outcome as recorded).
* ``unit``: ``ASN`` by default — one register row is one civil servant in one case, so counting
  rows counts persons (as KASN and BKN do). ``unit="cases"`` counts distinct ``case_id`` instead
  (one case may involve several ASN, as Bawaslu counts).
* ``as_of_date``: the voting day of the cycle (``elections.csv``) plus 0, 30, 60 ... days up to
  the register's ``data_date``, and the data date itself; ``lag_days`` gives the days since
  voting day. Counts at later dates are never extrapolated: no as-of date after the data date.
* ``scope``: one row per region as recorded in the register (``province`` for a province,
  ``regency`` for a regency or city, from ``regions.csv``; a case without a region name is
  counted under ``"code <region_code>"``, else ``"(unknown)"``, with scope ``regency``), and
  the national total (``national``, region ``Indonesia``). Province rows are *not* derived
  from regency rows: a province row counts only cases recorded at province level.
* source: ``source_kind = "register"`` and ``source_register`` = the register's name (no URL);
  ``agency`` is ``meta["agency"]`` (else ``"register"``); ``synthetic`` copies the register flag.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import ledger as ledger_mod
from ... import paths

DATE_METRICS = {"reported": "date_report", "forwarded": "date_forwarded",
                "recommended": "date_recommendation", "sanction_executed": "date_sanction"}
OUTCOME_METRICS = {"not_violation": "not_proven", "stopped": "stopped", "pending": "pending"}
STEP_DAYS = 30

ROLLUP_COLUMNS = [
    "id", "cycle", "election_type", "scope", "region", "agency", "agency_detail", "metric",
    "breakdown", "category", "value", "value_qualifier", "unit", "as_of_date",
    "as_of_precision", "published_date", "published_precision", "source_url", "source_title",
    "source_quality", "note", "source_file", "source_row", "source_kind", "source_register",
    "lag_days", "synthetic",
]


def _scope_of(regions_path=None) -> dict:
    regions = pd.read_csv(regions_path or paths.REGIONS, dtype=str, keep_default_na=False)
    return {n: ("province" if lv == "province" else "national" if lv == "country" else "regency")
            for n, lv in zip(regions["canonical_name"], regions["level"])}


def as_of_dates(voting_day: pd.Timestamp, data_date: pd.Timestamp,
                step_days: int = STEP_DAYS) -> list[pd.Timestamp]:
    """Voting day + 0, step, 2*step ... days, up to and including the data date."""
    out = []
    k = 0
    while voting_day + pd.Timedelta(days=k * step_days) <= data_date:
        out.append(voting_day + pd.Timedelta(days=k * step_days))
        k += 1
    if not out or out[-1] != data_date:
        out.append(data_date)
    return out


def rollup(cases: pd.DataFrame, meta: dict, *, unit: str = "ASN", step_days: int = STEP_DAYS,
           elections: pd.DataFrame | None = None, regions_path=None) -> pd.DataFrame:
    """Ledger-shaped cumulative counts per region x cycle x as-of date, plus national totals."""
    if unit not in ("ASN", "cases"):
        raise ValueError("unit must be 'ASN' (one row per civil servant) or 'cases'")
    data_date = pd.Timestamp(meta["data_date"])
    name = meta.get("name", "register")
    agency = meta.get("agency") or "register"
    synthetic = bool(meta.get("synthetic", False))
    elections = ledger_mod.load_elections() if elections is None else elections
    vdays = {(int(r.cycle), r.election_type): r.voting_day
             for r in ledger_mod.voting_days(elections).itertuples()}
    scope_of = _scope_of(regions_path)
    df = cases.copy()
    df["cycle"] = df["cycle"].astype(int)
    region = df["region"].astype(object).where(df["region"].notna(), "") \
        if "region" in df else pd.Series("", index=df.index, dtype=object)
    code = df["region_code"].astype(object).where(df["region_code"].notna(), "") \
        if "region_code" in df else pd.Series("", index=df.index, dtype=object)
    df["region"] = np.where(region != "", region,
                            np.where(code != "", "code " + code.astype(str), "(unknown)"))
    df["outcome"] = df["outcome"].astype(object).where(df["outcome"].notna(), "")
    for column in DATE_METRICS.values():
        df[column] = pd.to_datetime(df[column].replace("", np.nan), errors="coerce")

    if unit == "cases":  # one line per case: earliest date of each stage, first outcome
        agg = {c: "min" for c in DATE_METRICS.values()}
        agg.update({"outcome": "first"})
        df = df.groupby(["cycle", "election_type", "region", "case_id"], as_index=False,
                        sort=True).agg(agg)

    records = []
    for (cycle, etype), group in df.groupby(["cycle", "election_type"], sort=True):
        if (cycle, etype) not in vdays:
            raise ValueError(f"no voting day in elections.csv for {cycle} {etype}")
        vday = vdays[(cycle, etype)]
        dates = as_of_dates(vday, data_date, step_days)
        stamps = np.array(dates, dtype="datetime64[ns]")
        lags = [int((d - vday).days) for d in dates]
        regions = sorted(group["region"].unique())
        areas = [("national", "Indonesia")] + [(scope_of.get(r, "regency"), r) for r in regions]
        codes = pd.Categorical(group["region"], categories=regions).codes
        final_lag = int((data_date - vday).days)
        for metric, column in DATE_METRICS.items():
            values = group[column].to_numpy(dtype="datetime64[ns]")
            hit = (values[:, None] <= stamps[None, :])  # NaT compares False
            per_region = np.zeros((len(regions), len(dates)), dtype=int)
            np.add.at(per_region, codes, hit.astype(int))
            table = np.vstack([per_region.sum(axis=0, keepdims=True), per_region])
            for (scope, region), counts in zip(areas, table):
                for date, lag, n in zip(dates, lags, counts):
                    records.append((cycle, etype, scope, region, metric, "", "", int(n),
                                    date, lag))
        for metric, outcome in OUTCOME_METRICS.items():
            hit = (group["outcome"] == outcome).to_numpy(dtype=bool)
            per_region = np.bincount(codes, weights=hit, minlength=len(regions)).astype(int)
            for (scope, region), n in zip(areas, [int(per_region.sum())] + list(per_region)):
                records.append((cycle, etype, scope, region, metric, "", "", int(n),
                                data_date, final_lag))
    out = pd.DataFrame(records, columns=["cycle", "election_type", "scope", "region", "metric",
                                         "breakdown", "category", "value", "as_of", "lag_days"])
    out["as_of_date"] = out.pop("as_of").dt.strftime("%Y-%m-%d")
    out["id"] = [f"rg-{name}-{i:06d}" for i in range(1, len(out) + 1)]
    out["agency"] = agency
    out["agency_detail"] = f"register {name}"
    out["value"] = out["value"].astype(float)
    out["value_qualifier"] = "exact"
    out["unit"] = unit
    out["as_of_precision"] = "day"
    out["published_date"] = ""
    out["published_precision"] = ""
    out["source_url"] = ""
    out["source_title"] = f"register {name}" + (" (SYNTHETIC)" if synthetic else "")
    out["source_quality"] = "primary"
    out["note"] = ("SYNTHETIC register: generated data, not real cases" if synthetic else
                   "cumulative count from the case register")
    out["source_file"] = meta.get("cases_file", "")
    out["source_row"] = ""
    out["source_kind"] = "register"
    out["source_register"] = name
    out["synthetic"] = synthetic
    return out[ROLLUP_COLUMNS]
