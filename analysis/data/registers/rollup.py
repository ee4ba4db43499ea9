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


def _text(cases: pd.DataFrame, column: str) -> np.ndarray:
    """``column`` as an object array of text, "" where missing (or where the column is)."""
    if column not in cases:
        return np.full(len(cases), "", dtype=object)
    values = cases[column].astype(object)
    return values.where(values.notna(), "").to_numpy(dtype=object)


def _dates(values: pd.Series) -> np.ndarray:
    """ISO date text ("" = none) or datetime64 as datetime64[ns] (NaT = none); each distinct
    text is parsed once."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.to_numpy(dtype="datetime64[ns]")
    codes, uniques = pd.factorize(values.astype(object).where(values.notna(), ""))
    parsed = pd.to_datetime(pd.Series(uniques, dtype=object).replace("", None),
                            errors="coerce").to_numpy(dtype="datetime64[ns]")
    return np.append(parsed, np.datetime64("NaT", "ns"))[codes]


def cumulative_counts(codes: np.ndarray, groups: int, dates: np.ndarray,
                      stamps: np.ndarray) -> np.ndarray:
    """(groups x len(stamps)) counts of the rows of each group (``codes``) whose date is on or
    before each of the ascending ``stamps``; NaT is never counted. O(rows): each row is counted
    once, at the first stamp it reaches, then the counts are summed along the stamps."""
    first = np.searchsorted(stamps, dates, side="left")
    first[np.isnat(dates)] = len(stamps)  # after the last stamp: never counted
    slots = len(stamps) + 1
    counts = np.bincount(np.asarray(codes, dtype=np.int64) * slots + first,
                         minlength=groups * slots).reshape(groups, slots)
    return np.cumsum(counts, axis=1)[:, :len(stamps)]


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
    df = pd.DataFrame({"cycle": cases["cycle"].astype(int).to_numpy(),
                       "election_type": _text(cases, "election_type"),
                       "outcome": _text(cases, "outcome")})
    region = _text(cases, "region")
    empty = region == ""
    if empty.any():
        code = _text(cases, "region_code")[empty]
        region = region.copy()
        region[empty] = np.where(code != "", "code " + code.astype(str), "(unknown)")
    df["region"] = region
    for column in DATE_METRICS.values():
        df[column] = _dates(cases[column])
    if unit == "cases":  # one line per case: earliest date of each stage, first outcome
        df["case_id"] = _text(cases, "case_id")
        agg = {c: "min" for c in DATE_METRICS.values()}
        agg.update({"outcome": "first"})
        df = df.groupby(["cycle", "election_type", "region", "case_id"], as_index=False,
                        sort=True).agg(agg)

    records = []
    cycle_of, cycles = pd.factorize(df["cycle"].to_numpy(), sort=True)
    type_of, types = pd.factorize(df["election_type"].to_numpy(dtype=object), sort=True)
    present, group_of = np.unique(cycle_of.astype(np.int64) * max(len(types), 1) + type_of,
                                  return_inverse=True)
    keys = [(int(cycles[k // len(types)]), types[k % len(types)]) for k in present.tolist()]
    members = np.argsort(group_of, kind="stable")
    bounds = np.searchsorted(group_of[members], np.arange(len(keys) + 1))
    outcome_all, outcomes = pd.factorize(df["outcome"].to_numpy(dtype=object))
    outcome_code = {o: (outcomes.tolist().index(o) if o in outcomes.tolist() else -1)
                    for o in OUTCOME_METRICS.values()}
    region_all = df["region"].to_numpy(dtype=object)
    dates_all = {c: df[c].to_numpy(dtype="datetime64[ns]") for c in DATE_METRICS.values()}
    for g, (cycle, etype) in enumerate(keys):
        if (cycle, etype) not in vdays:
            raise ValueError(f"no voting day in elections.csv for {cycle} {etype}")
        rows = members[bounds[g]:bounds[g + 1]]
        vday = vdays[(cycle, etype)]
        dates = as_of_dates(vday, data_date, step_days)
        stamps = np.array(dates, dtype="datetime64[ns]")
        lags = [int((d - vday).days) for d in dates]
        codes, regions = pd.factorize(region_all[rows], sort=True)
        regions = list(regions)
        areas = [("national", "Indonesia")] + [(scope_of.get(r, "regency"), r) for r in regions]
        final_lag = int((data_date - vday).days)
        for metric, column in DATE_METRICS.items():
            table = cumulative_counts(codes, len(regions), dates_all[column][rows], stamps)
            table = np.vstack([table.sum(axis=0, keepdims=True), table])
            for (scope, region), counts in zip(areas, table.tolist()):
                for date, lag, n in zip(dates, lags, counts):
                    records.append((cycle, etype, scope, region, metric, "", "", n,
                                    date, lag))
        outcome = outcome_all[rows]
        for metric, wanted in OUTCOME_METRICS.items():
            per_region = np.bincount(codes[outcome == outcome_code[wanted]],
                                     minlength=len(regions))
            for (scope, region), n in zip(areas, [int(per_region.sum())] + per_region.tolist()):
                records.append((cycle, etype, scope, region, metric, "", "", n,
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
