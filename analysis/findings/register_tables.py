"""Every count table published from one register, protected together (notebooks 05 and 06).

Tables counted from one register share cells and margins: cases per election are a list of
their own, the column totals of the region and funnel tables and the row totals of the outcome
table; "pending" is a data-quality item and a column total. So each table is suppressed on its
own first (:func:`analysis.methods.disclosure.suppress`), then the attacker runs over all of
them at once, every cell with its identity (the dimension values it counts), and more cells are
hidden until no hidden cell of any table can be narrowed below the threshold
(:func:`analysis.methods.disclosure.protect_linked`).

Notebook 05's tables are protected among themselves; notebook 06's given 05's, which it
recomputes (the same register gives the same tables), so a later notebook never changes what
an earlier one published. A small cell that tables already published give away is *withheld*
(shown "x" and described as withheld, not as a count) and counted in
:attr:`ProtectedTable.withheld`.

Every identity is checked against the records before anything is published: a cell whose
identity does not count exactly its value stops the build (the attacker would otherwise reason
about a different table from the one published).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..methods import disclosure
from ..methods.cell_attacker import Not, canonical
from . import register_overview as ro
from . import supervision as sv

TOTAL = "Jumlah / Total"


@dataclass
class ProtectedTable:
    """One published table: ``published`` (display text, as saved), ``result`` (the suppression
    with the counts: never publish it), ``layout`` (``row`` position and ``column`` of
    ``published`` -> ``cell`` of ``result``), ``cells`` (every cell with its identity, as the
    attacker sees it) and the register it counts (``universe``)."""

    name: str
    published: pd.DataFrame
    result: pd.DataFrame | None
    layout: pd.DataFrame
    cells: pd.DataFrame
    universe: str
    rule: dict = field(default_factory=dict)

    @property
    def withheld(self) -> int:
        return int(self.cells["withheld"].sum())

    @property
    def hidden(self) -> int:
        return int((self.cells["hidden"] & self.cells["cell"].notna()).sum())


def universe_of(meta: dict) -> str:
    """The records a register's tables count: its name and data date."""
    return f"register {meta.get('name', '')} at {meta.get('data_date', '')}"


# --------------------------------------------------------------------------- records
def records(cases: pd.DataFrame, meta: dict) -> pd.DataFrame:
    """One row per case with the value of every dimension a published cell can count."""
    data_date = pd.Timestamp(meta["data_date"])
    outcome = cases["outcome"].astype(str)
    waited = (data_date - cases["date_report"]).dt.days
    out = pd.DataFrame({
        "election": ro.election_labels(cases), "region": ro.region_labels(cases),
        "stage": ro.furthest_stage(cases), "outcome": outcome,
        "date_incident": np.where(_blank(cases, "date_incident"), "missing", "recorded"),
        "pending_days": np.where((outcome == "pending") & (waited > ro.LONG_PENDING_DAYS),
                                 f"over {ro.LONG_PENDING_DAYS}", "other"),
        "severity": np.where(cases.get("sanction_severity", pd.Series("", cases.index))
                             .fillna("").astype(str) == "", "missing", "recorded"),
    }, index=cases.index)
    for column in ("position_level", "violation_type", "detection_source"):
        values = cases[column].astype(object).where(cases[column].notna(), "").astype(str)
        out[column] = [ro.bilingual_label(column, v) for v in values]
    return out


def _blank(cases: pd.DataFrame, column: str) -> pd.Series:
    if column not in cases:
        return pd.Series(True, index=cases.index)
    col = cases[column]
    return col.isna() | (col.astype(str).str.strip() == "")


def count(recs: pd.DataFrame, identity) -> int:
    """How many records match ``identity``."""
    mask = pd.Series(True, index=recs.index)
    for dim, kind, values in canonical(identity):
        inside = recs[dim].astype(str).isin(values)
        mask &= inside if kind == "in" else ~inside
    return int(mask.sum())


def check_identities(cells: pd.DataFrame, recs: pd.DataFrame) -> None:
    """Stop when a cell's identity does not count exactly its value in the records."""
    for _, c in cells.iterrows():
        got = count(recs, c["identity"])
        if got != int(c["value"]):
            raise ValueError(f"table {c['table']}: the cell {c['identity']} counts {got} "
                             f"records, but the table holds {int(c['value'])}")


# --------------------------------------------------------------------------- layouts
def list_layout(result: pd.DataFrame, column: str = "cases") -> pd.DataFrame:
    """Cells of a list published row by row in ``column``."""
    return pd.DataFrame({"row": range(len(result)), "column": column, "cell": result.index})


def wide_layout(published: pd.DataFrame, result: pd.DataFrame, row_column: str,
                 row_names: dict | None = None) -> pd.DataFrame:
    """Cells of a wide table by their labels (``row_names``: published label -> result's)."""
    a = result.attrs
    index = {(str(r), str(c)): i for i, r, c in zip(result.index, result[a["row"]],
                                                    result[a["col"]])}
    rows = []
    for pos, label in enumerate(published[row_column]):
        label = (row_names or {}).get(label, label)
        for column in published.columns:
            if column == row_column:
                continue
            key = (str(label), str(column))
            if key not in index:
                raise ValueError(f"{column!r} x {label!r} is not a cell of the table")
            rows.append({"row": pos, "column": column, "cell": index[key]})
    return pd.DataFrame(rows)


def _rule(result: pd.DataFrame) -> dict:
    return {k: result.attrs[k] for k in ("marks", "protection", "threshold")}


def _table(name, published, result, layout, universe, dimension=None, scope=None):
    cells = disclosure.table_cells(result, name, dimension=dimension, universe=scope)
    return ProtectedTable(name, published, result, layout, cells, universe, _rule(result))


# --------------------------------------------------------------------------- notebook 05
def overview_tables(cases: pd.DataFrame, meta: dict, threshold: int = ro.THRESHOLD
                    ) -> dict[str, ProtectedTable]:
    """Notebook 05's tables, protected together. Keys are the tables' file stems."""
    u = universe_of(meta)
    tables = {}
    pub, res = ro.cases_by_election(cases, threshold)
    tables["05_cases_by_election"] = _table("05_cases_by_election", pub, res,
                                            list_layout(res), u, "election")
    pub, res = ro.cases_by_region(cases, threshold)
    tables["05_cases_by_region"] = _table(
        "05_cases_by_region", pub, res,
        wide_layout(pub, res, "wilayah / region", {TOTAL: TOTAL}), u)
    for column in ("position_level", "violation_type", "detection_source"):
        pub, res = ro.cases_by(cases, column, threshold)
        tables[f"05_cases_by_{column}"] = _table(f"05_cases_by_{column}", pub, res,
                                                 list_layout(res), u, column)
    pub, res, cumulative = ro.funnel(cases, threshold)
    names = {f"{i} / {e}": s for s, _, i, e in ro.FUNNEL_STAGES}
    tables["05_funnel_furthest_stage"] = _table(
        "05_funnel_furthest_stage", pub, res,
        wide_layout(pub, res, "tahap terakhir / furthest stage", names), u)
    tables["05_funnel_cumulative"] = _cumulative(cumulative, res, threshold, u)
    pub, res = ro.data_quality(cases, meta, threshold)
    tables["05_data_quality"] = _quality(pub, res, cases, u)
    return _protect_together(tables, records(cases, meta), threshold)


def _cumulative(cumulative: pd.DataFrame, funnel: pd.DataFrame, threshold: int, u: str
                ) -> ProtectedTable:
    """The cumulative funnel (reported >= forwarded >= ...): sums of partition cells, shown
    only when the attacker has them anyway or they are protected like any cell."""
    stages = [s for s, *_ in ro.FUNNEL_STAGES]
    inner = funnel[(funnel["stage"] != TOTAL) & (funnel["election"] != TOTAL)]
    rows = []
    for pos, r in cumulative.reset_index(drop=True).iterrows():
        later = stages[stages.index(r["stage"]):]
        part = inner[(inner["election"] == r["election"]) & inner["stage"].isin(later)]
        ident = {"election": [r["election"]]} if r["stage"] == stages[0] else \
            {"election": [r["election"]], "stage": later}
        value = int(part["cases"].sum())
        rows.append({"table": "05_funnel_cumulative", "cell": pos, "identity": ident,
                     "value": value, "margin": False, "lines": (),
                     "primary": 0 < value < threshold, "hidden": bool(np.isnan(r["cases"]))
                     or 0 < value < threshold, "withheld": False})
    cells = pd.DataFrame(rows)
    cells["cell"] = cells["cell"].astype(object)
    published = cumulative[["election", "stage", "display"]].rename(columns={"display": "cases"})
    return ProtectedTable("05_funnel_cumulative", published.reset_index(drop=True), None,
                          list_layout(published), cells, u, _rule(funnel))


def _quality(published: pd.DataFrame, result: pd.DataFrame, cases: pd.DataFrame, u: str
             ) -> ProtectedTable:
    """The data-quality items (they overlap: no total), each with what it counts."""
    def blank_labels(column):
        if column not in cases:
            return {}
        values = cases[column].astype(object).where(cases[column].notna(), "").astype(str)
        return {column: sorted({ro.bilingual_label(column, v) for v in values
                                if v.strip() == ""})}

    identities = {
        "date_incident": {"date_incident": ["missing"]},
        "region": {"region": [ro.NOT_RECORDED]},
        "position_level": blank_labels("position_level"),
        "violation_type": blank_labels("violation_type"),
        "detection_source": blank_labels("detection_source"),
        "pending": {"outcome": ["pending"]},
        "long_pending": {"outcome": ["pending"], "pending_days": [f"over {ro.LONG_PENDING_DAYS}"]},
        "sanction_no_date": {"outcome": ["sanctioned"], "stage": Not(("sanction_executed",))},
        "sanction_no_severity": {"outcome": ["sanctioned"], "severity": ["missing"]},
    }
    cells = disclosure.table_cells(result, "05_data_quality", exhaustive=False)
    cells["identity"] = [identities[item] for item in published["item"]]
    cells["lines"] = [()] * len(cells)
    return ProtectedTable("05_data_quality", published, result, list_layout(result), cells, u,
                          _rule(result))


# --------------------------------------------------------------------------- notebook 06
def supervision_tables(cases: pd.DataFrame, meta: dict, regions, threshold: int = sv.THRESHOLD
                       ) -> dict[str, ProtectedTable]:
    """Notebook 06's count tables (outcomes by election; the chosen province's regions by
    election), protected given notebook 05's tables, which stay as they are."""
    u = universe_of(meta)
    context = overview_tables(cases, meta, threshold)
    tables = {}
    res = sv.outcome_counts(cases, threshold)
    pub = disclosure.to_wide(res).reset_index()
    pub.columns.name = None
    tables["06_outcomes_by_election"] = _table("06_outcomes_by_election", pub, res,
                                               wide_layout(pub, res, "election"), u)
    res = sv.region_counts(cases, regions, threshold)
    if len(res):
        pub = disclosure.to_wide(res).reset_index()
        pub.columns.name = None
        tables["06_province_cases"] = _table("06_province_cases", pub, res,
                                             wide_layout(pub, res, "region"), u,
                                             scope={"region": list(regions)})
    return _protect_together(tables, records(cases, meta), threshold, context)


# --------------------------------------------------------------------------- together
def _protect_together(tables: dict, recs: pd.DataFrame, threshold: int,
                      context: dict | None = None) -> dict[str, ProtectedTable]:
    """Hide more cells of ``tables`` until the attacker over them and ``context`` (published
    already: fixed) finds no hidden cell narrower than the threshold."""
    fixed = [t.cells.assign(fixed=True) for t in (context or {}).values()]
    free = [t.cells.assign(fixed=False) for t in tables.values()]
    cells = pd.concat(fixed + free, ignore_index=True)
    check_identities(cells[cells["cell"].notna()], recs)
    for column in ("primary", "withheld"):
        cells[column] = cells[column].fillna(False).astype(bool)
    done = disclosure.protect_linked(cells, threshold)
    out = {}
    for name, table in tables.items():
        mine = done[done["table"] == name].drop(columns="fixed")
        out[name] = _render(table, mine)
    return out


def _render(table: ProtectedTable, cells: pd.DataFrame) -> ProtectedTable:
    """``table`` with the cells hidden and withheld in ``cells``."""
    published = table.published.copy()
    by_cell = cells[cells["cell"].notna()].set_index("cell")
    result = table.result
    if result is not None:
        result = disclosure.apply_cells(result, cells)
    for _, spot in table.layout.iterrows():
        c = by_cell.loc[spot["cell"]]
        text = disclosure.HIDDEN_MARK if c["hidden"] or c["withheld"] else f"{int(c['value'])}"
        published.iat[int(spot["row"]), published.columns.get_loc(spot["column"])] = text
        if "suppressed" in published and len(table.layout) == len(published):
            published.iat[int(spot["row"]), published.columns.get_loc("suppressed")] = \
                bool(c["hidden"] or c["withheld"])
    return ProtectedTable(table.name, published, result, table.layout, cells.reset_index(drop=True),
                          table.universe, table.rule)


def check_summary(tables: dict[str, ProtectedTable]) -> pd.DataFrame:
    """Per table: cells, hidden, withheld, the narrowest range the attacker finds for a hidden
    cell over all the tables at once, and ``recoverable``: hidden cells narrower than the
    protection width (must be 0)."""
    cells = pd.concat([t.cells for t in tables.values()], ignore_index=True)
    iv = disclosure.linked_intervals(cells)
    rows = []
    for name, t in tables.items():
        mine = iv[iv["table"] == name]
        rows.append({"table": name, "cells": int(t.cells["cell"].notna().sum()),
                     "hidden": t.hidden, "withheld": t.withheld,
                     "narrowest": float(mine["width"].min()) if len(mine) else np.nan,
                     "recoverable": int((mine["width"] < t.rule["protection"] - 1e-9).sum())})
    return pd.DataFrame(rows)
