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


def _factorized(cases: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """(codes, distinct texts) of ``column``: "" where missing (or where the column is); a
    categorical column is taken by its codes, nothing is made per row."""
    n = len(cases)
    if column not in cases:
        return np.zeros(n, dtype=np.int64), np.array([""], dtype=object)
    values = cases[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype(np.int64)
        labels = np.append(values.cat.categories.to_numpy(dtype=object), "")
        codes[codes < 0] = len(labels) - 1
    else:
        codes, labels = pd.factorize(values.astype(object).where(values.notna(), "")
                                     .to_numpy(dtype=object))
        codes = codes.astype(np.int64)
        labels = np.asarray(labels, dtype=object)
    labels = np.array([str(v) for v in labels.tolist()] or [""], dtype=object)
    again, distinct = pd.factorize(labels)  # two labels the same text: one code
    return again[codes], np.asarray(distinct, dtype=object)


def _sorted_codes(codes: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, list]:
    """``codes`` renumbered so the labels present are in sorted order, and those labels."""
    present = np.flatnonzero(np.bincount(codes, minlength=len(labels)))
    ordered = sorted(present.tolist(), key=lambda i: labels[i])
    rank = np.full(len(labels), -1, dtype=np.int64)
    rank[ordered] = np.arange(len(ordered))
    return rank[codes], [labels[i] for i in ordered]


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


def checked_frame(columns: dict, nrows: int, unit: str = "ASN") -> pd.DataFrame:
    """The columns :func:`rollup` reads for ``unit``, from a checked register's coded columns
    (``columns`` maps a codebook column to an object with ``codes`` and ``values``: normalised
    text, ISO dates): text as categoricals, dates as datetime64 (each distinct date parsed
    once)."""
    out = {}
    wanted = ["cycle", "election_type", "region", "region_code", "outcome",
              *DATE_METRICS.values()] + (["case_id"] if unit == "cases" else [])
    for column in wanted:
        coded = columns.get(column)
        if coded is None:
            continue
        values = np.asarray(coded.values, dtype=object)
        if column in DATE_METRICS.values():
            values = pd.to_datetime(pd.Series(values, dtype=object).replace("", None),
                                    format="%Y-%m-%d").to_numpy(dtype="datetime64[ns]")
            out[column] = values[coded.codes]
        elif column == "cycle":
            values = np.array([int(v) if v else 0 for v in values.tolist()], dtype=np.int64)
            out[column] = values[coded.codes]
        else:  # text: a categorical over the distinct values (two raw values may be one)
            again, distinct = pd.factorize(values)
            out[column] = pd.Categorical.from_codes(again[coded.codes], distinct)
    for column in DATE_METRICS.values():
        out.setdefault(column, np.full(nrows, np.datetime64("NaT"), dtype="datetime64[ns]"))
    return pd.DataFrame(out, index=pd.RangeIndex(nrows), copy=False)


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
    # every text column as (codes, labels): a million rows are counted, not compared as text
    cycle_all = cases["cycle"].astype(int).to_numpy()
    type_all, type_labels = _factorized(cases, "election_type")
    outcome_all, outcome_labels = _factorized(cases, "outcome")
    region_all, region_labels = _factorized(cases, "region")
    empty = region_labels == ""
    if empty.any():  # no region: "code <region_code>", else "(unknown)"
        code_all, code_labels = _factorized(cases, "region_code")
        unnamed = empty[region_all]
        region_all = np.where(unnamed, len(region_labels) + code_all, region_all)
        by_code = [f"code {c}" if c != "" else "(unknown)" for c in code_labels.tolist()]
        region_labels = np.concatenate((region_labels, np.array(by_code, dtype=object)))
        again, region_labels = pd.factorize(region_labels)
        region_all = again[region_all]
        region_labels = np.asarray(region_labels, dtype=object)
    dates_all = {c: _dates(cases[c]) for c in DATE_METRICS.values()}
    if unit == "cases":  # one line per case: earliest date of each stage, first outcome
        case_all, _ = _factorized(cases, "case_id")
        df = pd.DataFrame({"cycle": cycle_all, "type": type_all, "region": region_all,
                           "case": case_all, "outcome": outcome_all, **dates_all})
        agg = {c: "min" for c in DATE_METRICS.values()}
        agg.update({"outcome": "first"})
        df = df.groupby(["cycle", "type", "region", "case"], as_index=False,
                        sort=True).agg(agg)
        cycle_all, type_all, region_all = (df[c].to_numpy() for c in ("cycle", "type", "region"))
        outcome_all = df["outcome"].to_numpy()
        dates_all = {c: df[c].to_numpy(dtype="datetime64[ns]") for c in DATE_METRICS.values()}

    records = []
    cycle_of, cycles = pd.factorize(cycle_all, sort=True)
    type_of, types = _sorted_codes(type_all, type_labels)
    pair = cycle_of.astype(np.int64) * max(len(types), 1) + type_of
    present = np.flatnonzero(np.bincount(pair, minlength=len(cycles) * len(types)))
    group_id = np.full(len(cycles) * len(types), -1, dtype=np.int64)
    group_id[present] = np.arange(len(present))
    group_of = group_id[pair]
    keys = [(int(cycles[k // len(types)]), types[k % len(types)]) for k in present.tolist()]
    members = np.argsort(group_of, kind="stable")
    bounds = np.searchsorted(group_of[members], np.arange(len(keys) + 1))
    outcome_code = {o: (outcome_labels.tolist().index(o) if o in outcome_labels.tolist() else -1)
                    for o in OUTCOME_METRICS.values()}
    for g, (cycle, etype) in enumerate(keys):
        if (cycle, etype) not in vdays:
            raise ValueError(f"no voting day in elections.csv for {cycle} {etype}")
        rows = members[bounds[g]:bounds[g + 1]]
        vday = vdays[(cycle, etype)]
        dates = as_of_dates(vday, data_date, step_days)
        stamps = np.array(dates, dtype="datetime64[ns]")
        lags = [int((d - vday).days) for d in dates]
        codes, regions = _sorted_codes(region_all[rows], region_labels)
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
    if not records:  # an empty register: no figures
        return pd.DataFrame(columns=ROLLUP_COLUMNS)
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
