"""Check a register file against the codebook; every problem with sheet, row, column and value.

:func:`check_register` only reads. :func:`inspect_register` also returns the normalised columns
(canonical codes, ISO dates) that the import stores, so a file is read and checked once.

Vectorised: each column is factorised and only its *distinct* values are parsed in Python, so a
million-row register costs about as much as reading it; loops over rows only describe problems,
and at most ``limit`` problems of one kind in one column are listed (then a count of the rest).

Personal data (``nip``, ``name``) is never shown: a problem shows "(personal data, hidden)" and
the value's length instead.

The checks are in :mod:`.headers` (mapping the user's headers), :mod:`.columns` (each column's
values), :mod:`.cell_content` (NUL bytes, over-long cells), :mod:`.personal_text` (NIPs and
names in the columns stored as written) and :mod:`.row_rules` (across columns);
:class:`Checker` holds their state and the problems. The names other modules import from here
stay here (``__all__``).
"""
from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ... import paths
from ..regions import RegionResolver
from . import cell_content, columns, headers, personal_text, row_rules
from .codebook import nip_digits
from .coded import Coded
from .parsing import closest, normalise_name, parse_date, region_codes
from .problem import Problem, hidden
from .reader import NotReadable, RawTable, read_table
from .row_rules import known_elections

LIMIT = 100  # problems listed per column and kind; the rest are counted
# names other modules import from here
__all__ = ["LIMIT", "Checker", "Coded", "Inspection", "Problem", "check_register", "closest",
           "hidden", "inspect_register", "known_elections", "nip_digits", "normalise_name",
           "parse_date"]


@dataclass
class Inspection:
    problems: list[Problem]
    table: RawTable | None = None
    columns: dict[str, Coded] = field(default_factory=dict)  # canonical -> normalised
    rows: np.ndarray | None = None  # spreadsheet rows
    extras: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


class Checker:
    """The state of one register's check: the table read, the problems found so far, and each
    column as read (``raw``) and normalised (``out``, with day numbers of dates in ``ords``).
    The checks are functions of it in :mod:`.headers`, :mod:`.columns` and :mod:`.row_rules`."""

    def __init__(self, table: RawTable, limit: int | None, regions_path: Path,
                 progress: bool, elections_path: Path | None = None,
                 data_date: dt.date | None = None):
        self.t = table
        self.data_date = data_date
        self.elections_path = Path(elections_path or paths.ELECTIONS)
        self.limit = limit
        self.problems: list[Problem] = []
        self.rows = table.rows
        self.n = len(self.rows)
        self.progress = progress and self.n > 200_000
        self.resolver = RegionResolver.from_csv(regions_path)
        self.region_codes = region_codes(regions_path)
        self.out: dict[str, Coded] = {}
        self.ords: dict[str, np.ndarray] = {}
        self.header: dict[str, str] = {}  # canonical -> user's header
        self.raw: dict[str, Coded] = {}  # canonical -> raw distinct values
        self.positions: dict[str, int] = {}  # canonical -> the one column it was read from
        self.extras: list[str] = []  # the user's headers not in the codebook (ignored)

    def say(self, message: str) -> None:
        if self.progress:
            print(message, file=sys.stderr, flush=True)

    def add(self, row, column, value, expected, hint="", severity="error", fld="", kind=""):
        self.problems.append(Problem(self.t.sheet, int(row), column, value, expected, hint,
                                     severity, fld, kind))

    def add_rows(self, mask_rows: np.ndarray, fld: str, describe, severity="error", kind=""):
        """Problems for the rows at positions ``mask_rows``; ``describe(pos)`` gives
        (value, expected, hint)."""
        positions = np.flatnonzero(mask_rows) if mask_rows.dtype == bool else mask_rows
        shown = positions if self.limit is None else positions[: self.limit]
        column = self.header.get(fld, fld)
        for pos in shown:
            value, expected, hint = describe(int(pos))
            self.add(self.rows[pos], column, value, expected, hint, severity, fld, kind)
        rest = len(positions) - len(shown)
        if rest > 0:
            self.add(self.rows[positions[len(shown)]], column, "",
                     f"(and {rest:,} more rows with the same problem, not listed)",
                     "", severity, fld, kind)

    def run(self) -> None:
        found = headers.map_headers(self)
        self.say(f"checking {self.n:,} rows ...")
        for canon, positions in found.items():
            if len(positions) > 1 and canon != "region":
                positions = positions[:1]
            raw = columns.factorize(self, canon, positions)
            if len(positions) == 1:
                self.positions[canon] = positions[0]
            self.raw[canon] = raw
            columns.normalise(self, canon, raw)
        cell_content.check_cells(self)
        personal_text.check_personal_text(self)
        for rule in (row_rules.required_values, row_rules.region_from_code,
                     row_rules.unique_case_ids, row_rules.date_order, row_rules.consistency,
                     row_rules.after_data_date, row_rules.elections):
            rule(self)
        row_rules.long_numbers(self, found)


def inspect_register(path: Path | str, sheet: str | None = None, *, limit: int | None = LIMIT,
                     regions_path: Path | None = None, progress: bool = False,
                     on_read=None, data_date: dt.date | str | None = None) -> Inspection:
    """Read and check ``path``; the problems and the normalised columns.

    ``on_read(table)``, if given, is called once the file is read, before it is checked (the
    import starts hashing then). ``data_date``: the register's data date; a date after it is
    an error.
    """
    if isinstance(data_date, str):
        data_date = dt.date.fromisoformat(data_date)
    path = Path(path)
    try:
        table = read_table(path, sheet, progress=progress)
    except NotReadable as exc:
        return Inspection([Problem(sheet, 0, "", exc.value, exc.expected, exc.hint, "error",
                                   "", "not_readable")])
    if on_read is not None:
        on_read(table)
    checker = Checker(table, limit, Path(regions_path or paths.REGIONS), progress,
                      data_date=data_date)
    checker.run()
    return Inspection(checker.problems, table, checker.out, checker.rows, checker.extras)


def check_register(path: Path | str, sheet: str | None = None, *, limit: int | None = LIMIT,
                   regions_path: Path | None = None,
                   data_date: dt.date | str | None = None) -> list[Problem]:
    """Every problem of the register at ``path`` (errors and warnings), in reading order."""
    return inspect_register(path, sheet, limit=limit, regions_path=regions_path,
                            data_date=data_date).problems
