"""Turn the raw files into tidy tables in ``data/processed/`` (``python -m analysis build``).

Validates first and writes nothing when a raw file has an error. Each output is written
atomically; unchanged inputs give byte-identical outputs (no timestamps; rows sorted).

Outputs
- ``enforcement_snapshots.csv``: one row per agency x cycle x scope/region x as-of date with the
  funnel counts, days since voting day and the follow-up rate (executed / recommended) with a
  Wilson 95% interval.
- ``cycle_summary.csv``: per cycle and series (agency, metric, unit, region) the figure chosen by
  ``ledger.choose_figure`` with the number of figures, the range and same-date conflicts.
- ``conflicts.csv``: groups of figures for the same thing at the same as-of date (or all
  undated) that disagree, with their spread.
- ``coverage.csv``: which metrics exist for which cycle, election type and scope.
- ``datapackage.json``: describes the outputs and lists the inputs with their SHA-256.
"""
from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass

from pathlib import Path

import pandas as pd

from ..methods import intervals
from .. import paths
from .ledger import (RULE_TEXT, choose_figure, load_elections, load_headcount, load_ledger,
                     days_from_vote, voting_days)
from . import journal
from .atomic import FolderLockedError, atomic_write_text, swap_directory
from .build_state import BUILD_KEY, TABLES, build_key, is_current, sha256  # noqa: F401
from .spreadsheet_safety import neutralise
from .regions import load_resolver
from .validate import validate_files
from .vocabulary import COUNT_UNITS, UNIT_FAMILY

SNAPSHOT_METRICS = ("reported", "violation_found", "recommended", "forwarded", "sanction_executed",
                    "not_violation", "pending")
SNAPSHOT_KEY = ["cycle", "election_type", "scope", "region", "agency", "as_of_date"]
SERIES_KEY = ["cycle", "election_type", "scope", "region", "agency", "metric", "unit"]
CONFLICT_KEY = ["cycle", "election_type", "scope", "region", "agency", "metric", "breakdown",
                "category", "unit", "as_of_date"]


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str


def _totals(ledger: pd.DataFrame) -> pd.DataFrame:
    return ledger[(ledger["breakdown"] == "") & ledger["unit"].isin(COUNT_UNITS)]


def enforcement_snapshots(ledger: pd.DataFrame, elections: pd.DataFrame) -> pd.DataFrame:
    """Funnel counts per snapshot. Where several sources give one stage of one snapshot,
    ``choose_figure`` picks it. Follow-up = executed / recommended (or / violation_found when
    the snapshot has no recommended count: KASN recommends a sanction for every proven
    violation), only when both are exact and in the same unit family."""
    rows = _totals(ledger)
    rows = rows[rows["metric"].isin(SNAPSHOT_METRICS) & (rows["as_of_date"] != "")]
    days = voting_days(elections)
    out = []
    for key, group in rows.groupby(SNAPSHOT_KEY, sort=True):
        record = dict(zip(SNAPSHOT_KEY, key))
        record["as_of_precision"] = group["as_of_precision"].iloc[0]
        conflict = False
        for metric, figures in group.groupby("metric"):
            chosen = choose_figure(figures)
            name = "executed" if metric == "sanction_executed" else metric
            record[name] = chosen["value"]
            record[f"{name}_unit"] = chosen["unit"]
            record[f"_{name}_exact"] = chosen["value_qualifier"] == "exact"
            conflict |= figures["value"].nunique() > 1
        record["values_conflict"] = conflict
        record["source_ids"] = "|".join(sorted(group["id"]))
        out.append(record)
    df = pd.DataFrame(out)
    df = df.merge(days, on=["cycle", "election_type"], how="left")
    lags = [days_from_vote(a, p, v) for a, p, v in
            zip(df["as_of_date"], df["as_of_precision"], df["voting_day"])]
    for i, column in enumerate(("days_since_vote", "days_since_vote_min", "days_since_vote_max")):
        df[column] = pd.array([lag[i] for lag in lags], dtype="Int64")
    df["voting_day"] = df["voting_day"].dt.strftime("%Y-%m-%d")
    rates = df.apply(_follow_up, axis=1, result_type="expand")
    df = pd.concat([df, rates], axis=1)
    columns = [c.name for c in SNAPSHOT_COLUMNS]
    for c in columns:
        if c not in df:
            df[c] = pd.NA
    return df[columns].sort_values(SNAPSHOT_KEY).reset_index(drop=True)


def _follow_up(row: pd.Series) -> pd.Series:
    empty = pd.Series({"follow_up_basis": "", "follow_up_rate": pd.NA, "follow_up_low": pd.NA,
                       "follow_up_high": pd.NA})
    if pd.isna(row.get("executed")):
        return empty
    for basis in ("recommended", "violation_found"):
        if pd.isna(row.get(basis)):
            continue
        x, n = row["executed"], row[basis]
        same_family = UNIT_FAMILY.get(row["executed_unit"]) == UNIT_FAMILY.get(row[f"{basis}_unit"])
        exact = bool(row.get("_executed_exact")) and bool(row.get(f"_{basis}_exact"))
        if not (same_family and exact and 0 < n and x <= n):
            return empty
        low, high = intervals.wilson(int(x), int(n))
        return pd.Series({"follow_up_basis": basis, "follow_up_rate": x / n,
                          "follow_up_low": low, "follow_up_high": high})
    return empty


def cycle_summary(ledger: pd.DataFrame) -> pd.DataFrame:
    """Per cycle and series, the figure the rule chooses and how much the others disagree."""
    rows = _totals(ledger)
    out = []
    for key, group in rows.groupby(SERIES_KEY, sort=True):
        chosen = choose_figure(group)
        same_date = group[group["effective_date"] == chosen["effective_date"]]
        out.append(dict(zip(SERIES_KEY, key)) | {
            "chosen_value": chosen["value"],
            "chosen_id": chosen["id"],
            "chosen_as_of_date": chosen["as_of_date"],
            "chosen_published_date": chosen["published_date"],
            "chosen_qualifier": chosen["value_qualifier"],
            "chosen_source_quality": chosen["source_quality"],
            "chosen_source_url": chosen["source_url"],
            "n_figures": len(group),
            "n_values": group["value"].nunique(),
            "n_differing": int((group["value"] != chosen["value"]).sum()),
            "n_same_date_conflicts": int(same_date["value"].nunique() - 1),
            "min_value": group["value"].min(),
            "max_value": group["value"].max(),
            "ids": "|".join(sorted(group["id"])),
        })
    df = pd.DataFrame(out)
    df["rule"] = RULE_TEXT
    return df.sort_values(SERIES_KEY).reset_index(drop=True)


def conflicts(ledger: pd.DataFrame) -> pd.DataFrame:
    """Figures for the same thing at the same as-of date (or all undated) that disagree.

    ``kind`` is ``same_as_of_date`` (a true conflict) or ``undated`` (no as-of date: the values
    may be snapshots taken at different times; ``published_from``/``published_to`` show the
    window). Catch-all ``other`` figures are left out: they do not describe one quantity."""
    out = []
    for key, group in ledger[ledger["metric"] != "other"].groupby(CONFLICT_KEY, sort=True):
        values = sorted(group["value"].unique())
        if len(values) < 2:
            continue
        low, high = values[0], values[-1]
        published = sorted(d for d in group["published_date"] if d)
        out.append(dict(zip(CONFLICT_KEY, key)) | {
            "kind": "same_as_of_date" if key[-1] else "undated",
            "published_from": published[0] if published else "",
            "published_to": published[-1] if published else "",
            "n_figures": len(group),
            "values": "|".join(f"{v:g}" for v in values),
            "min_value": low,
            "max_value": high,
            "spread": high - low,
            "relative_spread": (high - low) / high if high else pd.NA,
            "n_sources": group["source_url"].nunique(),
            "ids": "|".join(sorted(group["id"])),
        })
    columns = CONFLICT_KEY + ["kind", "published_from", "published_to", "n_figures", "values",
                              "min_value", "max_value", "spread", "relative_spread", "n_sources",
                              "ids"]
    df = pd.DataFrame(out, columns=columns)
    return df.sort_values(["relative_spread"] + CONFLICT_KEY, ascending=[False] +
                          [True] * len(CONFLICT_KEY)).reset_index(drop=True)


def coverage(ledger: pd.DataFrame) -> pd.DataFrame:
    """How many figures, sources and agencies exist per cycle, election type, scope and metric."""
    grouped = ledger.groupby(["cycle", "election_type", "scope", "metric"], sort=True)
    df = grouped.agg(
        n_figures=("id", "count"),
        n_sources=("source_url", "nunique"),
        n_regions=("region", "nunique"),
        agencies=("agency", lambda s: "|".join(sorted(set(s)))),
        units=("unit", lambda s: "|".join(sorted(set(s)))),
        first_as_of=("as_of_date", lambda s: min((v for v in s if v), default="")),
        last_as_of=("as_of_date", lambda s: max((v for v in s if v), default="")),
    ).reset_index()
    return df


SNAPSHOT_COLUMNS = [
    Column("cycle", "integer", "election year"),
    Column("election_type", "string", "pilkada, pemilu, pilkada_rerun"),
    Column("scope", "string", "national, province, regency"),
    Column("region", "string", "canonical region"),
    Column("agency", "string", "body whose data the snapshot is"),
    Column("as_of_date", "string", "data cut-off (partial date)"),
    Column("as_of_precision", "string", "day, month or year"),
    Column("voting_day", "date", "voting day of the cycle (elections.csv)"),
    Column("days_since_vote", "integer", "days from voting day to the as-of date (middle of the "
           "month/year when only that is known); negative = before the vote"),
    Column("days_since_vote_min", "integer", "days from voting day to the first day the as-of "
           "date can stand for (= days_since_vote at day precision)"),
    Column("days_since_vote_max", "integer", "days from voting day to the last day the as-of "
           "date can stand for (= days_since_vote at day precision)"),
    Column("reported", "number", "reported (alleged) count"),
    Column("reported_unit", "string", "its unit"),
    Column("violation_found", "number", "found to be a violation"),
    Column("violation_found_unit", "string", "its unit"),
    Column("recommended", "number", "sanction recommended"),
    Column("recommended_unit", "string", "its unit"),
    Column("forwarded", "number", "forwarded by Bawaslu"),
    Column("forwarded_unit", "string", "its unit"),
    Column("executed", "number", "sanction executed by the PPK"),
    Column("executed_unit", "string", "its unit"),
    Column("not_violation", "number", "found not a violation"),
    Column("not_violation_unit", "string", "its unit"),
    Column("pending", "number", "still pending"),
    Column("pending_unit", "string", "its unit"),
    Column("follow_up_basis", "string", "denominator of the follow-up rate: recommended, or "
           "violation_found when no recommended count exists"),
    Column("follow_up_rate", "number", "executed / basis (proportion 0-1)"),
    Column("follow_up_low", "number", "Wilson 95% interval, lower bound"),
    Column("follow_up_high", "number", "Wilson 95% interval, upper bound"),
    Column("values_conflict", "boolean", "sources disagree on a stage of this snapshot"),
    Column("source_ids", "string", "ledger ids of every figure in the snapshot"),
]


def _describe(df: pd.DataFrame, declared: list[Column] | None = None) -> list[dict]:
    if declared:
        return [{"name": c.name, "type": c.type, "description": c.description} for c in declared]
    kinds = {"i": "integer", "f": "number", "b": "boolean"}
    return [{"name": c, "type": kinds.get(df[c].dtype.kind, "string")} for c in df.columns]


def to_csv_text(df: pd.DataFrame) -> str:
    """CSV as published: text cells a spreadsheet would run as a formula get a ``'`` (OWASP)."""
    return neutralise(df).to_csv(index=False, lineterminator="\n", float_format="%.10g")


def build(processed_dir=None) -> dict[str, pd.DataFrame]:
    """Compute every processed table from data/raw (no writing)."""
    # one resolver for every loader: each region cell becomes its canonical name (regions.csv),
    # so aliases and case or spacing variants join like the canonical spelling
    resolver = load_resolver()
    ledger, elections = load_ledger(resolver=resolver), load_elections(resolver=resolver)
    load_headcount(resolver=resolver)  # parsed here so a malformed headcount fails the build
    tables = {
        "enforcement_snapshots": enforcement_snapshots(ledger, elections),
        "cycle_summary": cycle_summary(ledger),
        "conflicts": conflicts(ledger),
        "coverage": coverage(ledger),
    }
    return {name: _text_missing_as_empty(df) for name, df in tables.items()}


def _text_missing_as_empty(df: pd.DataFrame) -> pd.DataFrame:
    """One convention for missing values, the one a CSV round trip gives: "" in text columns,
    NaN in numeric ones (so tables read back from data/processed equal the built ones)."""
    df = df.copy()
    for column in df.columns:
        if df[column].dtype == object or pd.api.types.is_string_dtype(df[column].dtype):
            df[column] = df[column].astype(object).where(df[column].notna(), "")
    return df




def processed_is_current(processed_dir=None) -> bool:
    """True when ``data/processed`` holds every table and its data package lists exactly the
    current raw files with their hashes (so reading it equals building again)."""
    out_dir = processed_dir or paths.PROCESSED
    try:
        package = json.loads((out_dir / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    listed = {s["title"]: s["hash"] for s in package.get("sources", [])}
    current = {p.name: "sha256:" + sha256(p) for p in paths.RAW.iterdir() if p.is_file()}
    return listed == current and all((out_dir / f"{t}.csv").is_file() for t in TABLES)


def load_processed(processed_dir=None) -> dict[str, pd.DataFrame]:
    """The processed tables: read from ``data/processed`` when it is current, else built in
    memory (so a notebook never runs the data build again when the report build already did).
    Empty text cells read as "" and empty numbers as NaN, as :func:`build` returns them."""
    out_dir = processed_dir or paths.PROCESSED
    if not processed_is_current(out_dir):
        return build()
    return {name: _text_missing_as_empty(pd.read_csv(out_dir / f"{name}.csv",
                                                     keep_default_na=False, na_values=[""]))
            for name in TABLES}


def write(tables: dict[str, pd.DataFrame], processed_dir=None) -> list:
    out_dir = processed_dir or paths.PROCESSED
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    resources = []
    for name, df in tables.items():
        path = out_dir / f"{name}.csv"
        atomic_write_text(path, to_csv_text(df))
        written.append(path)
        declared = SNAPSHOT_COLUMNS if name == "enforcement_snapshots" else None
        resources.append({"name": name, "path": path.name, "format": "csv",
                          "profile": "tabular-data-resource",
                          "schema": {"fields": _describe(df, declared)},
                          "hash": "sha256:" + sha256(path)})
    inputs = sorted(p for p in paths.RAW.iterdir() if p.is_file())
    package = {
        "profile": "tabular-data-package",
        "name": "netralitas-processed",
        "title": "Netralitas processed tables (generated by python -m analysis build)",
        "selection_rule": RULE_TEXT,
        "sources": [{"title": p.name, "path": f"../raw/{p.name}", "hash": "sha256:" + sha256(p)}
                    for p in inputs],
        "resources": resources,
    }
    package_path = out_dir / "datapackage.json"
    atomic_write_text(package_path, json.dumps(package, indent=2, ensure_ascii=False) + "\n")
    return written + [package_path]


def problems_in_raw() -> list:
    return [p for p in validate_files() if p.severity == "error"]


def build_into(folder: Path) -> list:
    """Validate-free build: compute every table, write the set and the SYNTHETIC demo register
    (``synthetic_register/``, for the register notebooks when no register is imported) with the
    build key into ``folder`` (call :func:`problems_in_raw` first). Generating the demo register
    here, once, means notebooks running in parallel never race to write it."""
    from .registers import demo

    written = write(build(), Path(folder))
    demo.ensure_demo_register(Path(folder) / demo.DEMO_DIR_NAME)
    atomic_write_text(Path(folder) / BUILD_KEY, build_key() + "\n")
    return written


def stage(target: Path | None = None) -> Path:
    """A fresh folder beside ``target`` (default ``data/processed``) for a data build that is
    swapped in later."""
    return journal.new_stage(Path(target or paths.PROCESSED_PUBLISHED))


def carry_over_into_stage(staged: Path, target: Path) -> None:
    """Copy the files in ``target`` that are not the build's own (``.gitkeep``, a user's notes)
    into ``staged``, so swapping it in keeps them."""
    ours = {f"{t}.csv" for t in TABLES} | {"datapackage.json", BUILD_KEY}
    if Path(target).is_dir():
        for path in Path(target).iterdir():
            if path.is_file() and path.name not in ours and not (staged / path.name).exists():
                shutil.copy2(path, staged / path.name)


def publish_stage(staged: Path, target: Path | None = None) -> None:
    """Swap a staged data build in as ``data/processed`` in one step, keeping files that are
    not the build's own."""
    target = Path(target or paths.PROCESSED_PUBLISHED)
    carry_over_into_stage(staged, target)
    swap_directory(staged, target)


def main(argv: list[str]) -> int:
    """``python -m analysis build``: finish an interrupted publication, validate, then build
    ``data/processed`` as one set."""
    target = Path(paths.PROCESSED)
    try:
        with journal.data_lock(target):
            if journal.recover(target):
                print("completed the publication of data/processed and the reports that an "
                      "interrupted report build had started")
            # validation includes the one-voting-day-per-cycle check of elections.csv
            # (validate.py), so a conflict stops the build here with its rows instead of
            # crashing ledger.voting_days
            problems = problems_in_raw()
            if problems:
                for p in problems:
                    print(p, file=sys.stderr)
                print(f"build stopped: {len(problems)} error(s) in data/raw; nothing was written",
                      file=sys.stderr)
                return 1
            staged = stage(target)
            try:
                written = build_into(staged)
                publish_stage(staged, target)
            finally:
                shutil.rmtree(staged, ignore_errors=True)
    except FolderLockedError as exc:
        print(f"build stopped: {exc}", file=sys.stderr)
        return 1
    print(f"built {len(written)} files in {target}")
    return 0
