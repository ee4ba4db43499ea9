"""The disclosure gate: every register table a build staged, attacked together before publishing.

A notebook saves a table counted from a register with :func:`save_protected_table`: the CSV
(:func:`analysis.publish.outputs.save_table`) and beside it a sidecar ``tables/<stem>.cells.json``
that says, for every count cell of the CSV, its row and column and its *identity* (the
dimension values it counts), what the marks of hidden cells stand for, the threshold and the
protection width, and what the table states without a cell (no record outside its rows and
columns). The sidecar holds no count that the CSV does not show.

:func:`check_staged_register_tables` reads every sidecar of a staged build, takes each cell's
text from the CSV itself (what readers get), and runs the attacker
(:mod:`analysis.methods.cell_attacker`) over all tables of one register at once, since tables
share cells and margins. It returns one :class:`Problem` per cell at risk: a hidden cell
narrower than the protection width, a small count shown, a count cell the sidecar does not
describe, a text that is neither a count nor a mark, a sidecar or CSV that cannot be read, or
tables that contradict each other. Tables saved without a sidecar are not seen.

For the build (the privacy gate, beside the personal-data scan)::

    problems = check_staged_register_tables(staging)
    if problems:   # publish nothing: the HTML editions show the same cells as the CSV
        raise ReportBuildError("disclosure", "; ".join(map(str, problems[:10])))

The notebooks protect their tables together before saving (small cells that other tables give
away are withheld and said so), so a problem means a table was edited after protection or a
notebook publishes register counts without protecting them jointly.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.atomic import atomic_write_text
from ..methods.cell_attacker import InconsistentCells, canonical, cell_ranges
from .outputs import TABLES, save_table

SIDECAR = ".cells.json"
FORMAT = "netralitas.protected-table/1"


@dataclass(frozen=True)
class Problem:
    """A cell (or a whole table, ``row`` None) that must not be published as staged."""

    table: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = "" if self.row is None else f" row {self.row + 1}, column {self.column!r}"
        return f"{self.table}{where}: {self.message}"


# --------------------------------------------------------------------------- saving
def _identity_json(identity) -> dict:
    return {dim: {kind: list(values)} for dim, kind, values in canonical(identity)}


def _identity_from_json(data: dict) -> dict:
    out = {}
    for dim, spec in data.items():
        (kind, values), = spec.items()
        out[dim] = (kind, tuple(values))
    return out


def save_protected_table(frame: pd.DataFrame, stem: str, reports_dir, table,
                         renamed: dict | None = None) -> Path:
    """Save ``frame`` (the display of ``table``, a protected register table with ``layout``,
    ``cells``, ``universe`` and ``rule``; columns may be ``renamed`` and extra ones dropped) as
    ``tables/<stem>.csv`` with its sidecar. Refuses a frame whose cells differ from the
    protected display. Returns the CSV's path."""
    renamed = renamed or {}
    cells = table.cells[table.cells["cell"].notna()].set_index("cell")
    entries = []
    for _, spot in table.layout.iterrows():
        row, source = int(spot["row"]), spot["column"]
        column = renamed.get(source, source)
        expected = str(table.published.iloc[row][source])
        if column not in frame.columns or row >= len(frame) \
                or str(frame.iloc[row][column]) != expected:
            raise ValueError(f"table {stem}: row {row + 1}, column {column!r} does not show "
                             f"the protected cell ({expected!r})")
        cell = cells.loc[spot["cell"]]
        entry = {"row": row, "column": str(column)}
        if bool(cell.get("withheld", False)):
            entry["withheld"] = True
        else:
            entry["identity"] = _identity_json(cell["identity"])
        entries.append(entry)
    facts = [{"identity": _identity_json(c["identity"]), "count": 0}
             for _, c in table.cells[table.cells["cell"].isna()].iterrows()
             if int(c["value"]) == 0]
    path = save_table(frame, stem, reports_dir)
    sidecar = {"format": FORMAT, "table": stem, "universe": table.universe,
               "threshold": table.rule["threshold"], "protection": table.rule["protection"],
               "marks": table.rule["marks"], "cells": entries, "facts": facts}
    atomic_write_text(path.with_name(stem + SIDECAR),
                      json.dumps(sidecar, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return path


# --------------------------------------------------------------------------- checking
def check_staged_register_tables(staging_dir) -> list[Problem]:
    """Every problem with the register tables staged under ``staging_dir/tables`` (none: the
    attacker over all tables of each register finds no hidden cell narrower than its table's
    protection width, and no small count is shown)."""
    problems: list[Problem] = []
    groups: dict[str, list[dict]] = {}
    folder = Path(staging_dir) / TABLES
    for sidecar in sorted(folder.glob(f"*{SIDECAR}")):
        stem = sidecar.name[:-len(SIDECAR)]
        rows, found = _read_table(folder, stem, sidecar)
        problems.extend(found)
        if rows is not None:
            groups.setdefault(rows[0]["universe"] if rows else "", []).extend(rows)
    for universe, rows in sorted(groups.items()):
        problems.extend(_attack(pd.DataFrame(rows)) if rows else [])
    return problems


def _read_table(folder: Path, stem: str, sidecar: Path):
    """(attacker rows, problems) of one staged table; rows None when it cannot be read."""
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            return None, [Problem(stem, None, None, f"sidecar format {meta.get('format')!r}, "
                                  f"expected {FORMAT!r}")]
        frame = pd.read_csv(folder / f"{stem}.csv", dtype=str, keep_default_na=False)
    except (OSError, ValueError) as err:
        return None, [Problem(stem, None, None, f"cannot be read ({err})")]
    marks = {m: tuple((lo, hi) for lo, hi in d) for m, d in meta["marks"].items()}
    threshold, need = int(meta["threshold"]), float(meta["protection"])
    problems, rows, described = [], [], set()
    base = {"table": stem, "universe": meta["universe"], "need": need}
    for entry in meta["cells"]:
        row, column = int(entry["row"]), entry["column"]
        if column not in frame.columns or row >= len(frame):
            problems.append(Problem(stem, row, column, "described but not in the CSV"))
            continue
        described.add((row, column))
        text = str(frame.iat[row, frame.columns.get_loc(column)]).strip()
        if text in marks:
            if not entry.get("withheld"):
                rows.append({**base, "row": row, "column": column, "known": np.nan,
                             "domain": marks[text],
                             "identity": _identity_from_json(entry["identity"])})
            continue
        if entry.get("withheld"):
            problems.append(Problem(stem, row, column, f"withheld but shows {text!r}"))
            continue
        if not text.isdigit():
            problems.append(Problem(stem, row, column, f"{text!r} is neither a count nor a "
                                    f"mark ({', '.join(marks)})"))
            continue
        if 0 < int(text) < threshold:
            problems.append(Problem(stem, row, column, f"shows a small count ({text})"))
        rows.append({**base, "row": row, "column": column, "known": float(text),
                     "domain": None, "identity": _identity_from_json(entry["identity"])})
    for column in sorted({c for _, c in described}):
        for row in range(len(frame)):
            if (row, column) not in described:
                problems.append(Problem(stem, row, column, "a cell of a count column that the "
                                        "sidecar does not describe"))
    for fact in meta.get("facts", []):
        rows.append({**base, "row": None, "column": None, "known": float(fact["count"]),
                     "domain": None, "identity": _identity_from_json(fact["identity"])})
    return rows, problems


def _attack(cells: pd.DataFrame) -> list[Problem]:
    try:
        iv = cell_ranges(cells, need=cells["need"])
    except InconsistentCells as err:
        return [Problem(t, None, None, f"the tables of {cells['universe'].iloc[0]} contradict "
                        f"each other ({err})") for t in sorted(cells["table"].unique())]
    short = iv[iv["width"] < iv["need"] - 1e-9]
    return [Problem(r["table"], int(r["row"]), r["column"],
                    f"hidden, but the published tables narrow it to {r['low']:.0f}–"
                    f"{r['high']:.0f} (protection needs a range of {r['need']:.0f})")
            for _, r in short.iterrows()]
