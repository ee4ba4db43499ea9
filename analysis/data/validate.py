"""Validate raw data files and report every problem with file, row, column, value and expectation.

``python -m analysis validate [FILE ...]`` checks all of ``data/raw`` or the given files (each
matched to a raw schema by its columns). It only reads. Exit 1 on any error, 0 when clean.
Row numbers are spreadsheet rows: the header is row 1, the first data row is row 2. A problem
with the file as a whole (a folder, UTF-16, not UTF-8) names the file, and the line where it
was found when there is one; nothing is ever reported as a traceback.

Files are streamed row by row with the ``csv`` module (no pandas): memory grows only with the
set of primary keys and the small per-snapshot, per-cycle and per-region tables of the
cross-row checks, not with the file. The reading is :mod:`.csv_table`, the rules of one cell
:mod:`.cell_rules`, those across cells and rows :mod:`.table_rules`; their public functions are
importable from here as well (``validate.check_text``, ``validate.check_cell``, ...).

Rules beyond the types of :mod:`analysis.data.schemas`:

- the header: no column named twice (both positions are given);
- a carriage return alone in a value that is not quoted is reported at its row and column, and
  the rows after it are still checked;
- every cell: no NUL byte or other control character (tab and line breaks are allowed in
  free-text columns only), no NIP or NIK (personal data, :mod:`analysis.data.pii`; the value is
  never echoed), at most ``NAME_MAX`` characters (``FREE_TEXT_MAX`` in free-text columns);
- name and category columns (every string column not marked ``free_text``): no ``<`` or ``>``,
  no invisible formatting character, and no ``=``, ``+``, ``-`` or ``@`` as first character
  (spreadsheet formula injection, OWASP "CSV injection"; cells are stripped first, so a
  leading tab or carriage return is never kept);
- numbers and dates: ASCII digits 0-9 only (``\\d`` in Python also matches ``٣``);
- URL columns: each address http:// or https:// with no space, ``<``, ``>`` or ``"``;
- primary keys are unique ignoring case (``NF-0001`` and ``nf-0001`` are one id);
- a ``*_precision`` is empty when its date is empty;
- published_figures.csv, by ``source_kind`` (empty means ``url``): ``url`` needs a
  ``source_url``; ``document`` needs a ``source_title`` (the document's title with its number;
  ``source_url`` may be empty); ``register`` needs a ``source_register`` (a register name:
  letters, digits, ``_``, ``-``) and an empty ``source_url``; ``source_register`` is empty for the
  other kinds; a file without the ``source_kind`` and ``source_register`` columns (added
  later, ``optional_column`` in the schema) is read as all ``url``;
- elections.csv: one national voting day per cycle and election type;
- regions.csv: an alias is never another region's canonical name nor another region's alias.
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from .. import paths
from .cell_rules import FORMULA_START, check_cell, check_text, check_url, parse_partial_date
from .csv_table import BOM, LINE_LIMIT, READ_LIMIT, UTF16_BOMS, Table, match_schema, open_table
from .problem import SHOWN_MAX, Problem, UnreadableFile, shown
from .regions import RegionResolver
from .schemas import ALL
from .table_rules import SNAPSHOT_KEY, check_table

# the public names other code uses (``ledger add`` reuses the cell checks): kept here
__all__ = ["BOM", "FORMULA_START", "LINE_LIMIT", "READ_LIMIT", "SHOWN_MAX", "SNAPSHOT_KEY",
           "UTF16_BOMS", "Problem", "Table", "UnreadableFile", "check_cell", "check_file",
           "check_table", "check_text", "check_url", "main", "match_schema", "open_table",
           "parse_partial_date", "shown", "validate_files"]


def check_file(path: Path, resolver: RegionResolver | None,
               today: dt.date | None = None) -> list[Problem]:
    """Every problem in one file; a file that cannot be read gives one problem saying why."""
    name = str(path)
    if not path.exists():
        return [Problem(name, 0, "", None, "file not found")]
    if path.is_dir():
        return [Problem(name, 0, "", None, "is a folder, not a file: give the CSV files to "
                        "check (or nothing, for every file in data/raw)")]
    warnings: list[Problem] = []
    try:
        with path.open("rb") as handle:
            table = open_table(path, handle)
            warnings = table.problems
            schema = match_schema(table.header, path)
            if schema is None:
                return warnings + [Problem(name, 1, "", None, "columns match no raw schema ("
                                           + ", ".join(s.path for s in ALL) + ")")]
            return warnings + check_table(table, schema, resolver, today)
    except UnreadableFile as exc:
        return warnings + [exc.problem]
    except OSError as exc:
        return [Problem(name, 0, "", None, f"cannot be read: {exc.strerror or exc}")]


def _resolver_for(files: list[Path]) -> RegionResolver | None:
    regions_file = next((f for f in files if f.name == "regions.csv"), paths.REGIONS)
    if not regions_file.is_file():
        return None
    try:
        return RegionResolver.from_csv(regions_file)
    except (KeyError, UnicodeError, csv.Error, OSError):
        return None  # its own problems are reported when it is checked


def validate_files(files: list[Path] | None = None, today: dt.date | None = None) -> list[Problem]:
    """Every problem in the given files (default: every raw CSV described by a schema)."""
    files = [Path(f) for f in files] if files else [paths.RAW / s.path for s in ALL]
    old_limit = csv.field_size_limit()
    csv.field_size_limit(READ_LIMIT)  # the default (131,072) would stop on a long cell
    try:
        resolver = _resolver_for(files)
        problems: list[Problem] = []
        for path in files:
            problems += check_file(path, resolver, today)
        return problems
    finally:
        csv.field_size_limit(old_limit)


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m analysis validate",
                                     description="Check raw data files; report every problem.")
    parser.add_argument("files", nargs="*", type=Path, help="files to check (default: data/raw)")
    args = parser.parse_args(argv)
    problems = validate_files(args.files)
    for problem in sorted(problems, key=lambda p: (p.file, p.row, p.column, p.expected)):
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    checked = len(args.files) if args.files else len(ALL)
    print(f"{errors} error(s), {warnings} warning(s) in {checked} file(s)")
    return 1 if errors else 0
