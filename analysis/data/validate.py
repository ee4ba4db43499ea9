"""Validate raw data files and report every problem with file, row, column, value and expectation.

``python -m analysis validate [FILE ...]`` checks all of ``data/raw`` or the given files (each
matched to a raw schema by its columns). It only reads. Exit 1 on any error, 0 when clean.
Row numbers are spreadsheet rows: the header is row 1, the first data row is row 2.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from .regions import RegionResolver
from .schemas import ALL, BY_PATH, Schema
from .vocabulary import COUNT_UNITS, FUNNEL

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int  # spreadsheet row; 0 = the file as a whole
    column: str
    value: str
    expected: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        what = f" column '{self.column}':" if self.column else ""
        value = f" value {self.value!r}:" if self.value is not None and self.column else ""
        return f"{self.severity.upper()} {where}:{what}{value} {self.expected}"


@dataclass
class Table:
    path: Path
    header: list[str]
    rows: list[dict[str, str]]  # data rows; row i is spreadsheet row i + 2


class UnreadableFile(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def read_table(path: Path) -> tuple[Table, list[Problem]]:
    """Read a CSV strictly. A BOM is accepted with a warning; ';'-delimited files are rejected."""
    name = str(path)
    data = Path(path).read_bytes()
    problems: list[Problem] = []
    if not data.strip():
        raise UnreadableFile(Problem(name, 0, "", None, "file is empty: expected a header row "
                                     "and at least one data row"))
    if data.startswith(BOM):
        problems.append(Problem(name, 1, "", None, "file starts with a UTF-8 byte-order mark (as "
                                "Excel writes 'CSV UTF-8'); read correctly, but save without it",
                                "warning"))
        data = data[len(BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise UnreadableFile(Problem(name, row, "", None, f"byte {data[exc.start]:#x} is not "
                                     "UTF-8 (file saved as ANSI/Windows-1252?): expected UTF-8"))
    first_line = text.splitlines()[0]
    if first_line.count(";") > first_line.count(","):
        raise UnreadableFile(Problem(
            name, 1, "", None, "file is ';'-delimited, as Excel saves CSV in an Indonesian "
            "locale, where '1.116' means 1116 and '72,8' means 72.8; it is rejected rather than "
            "guessed: save it as 'CSV UTF-8 (Comma delimited)' with '.' as decimal point"))
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader)]
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(name, number, "", None, f"row has {len(cells)} fields, "
                                    f"expected {len(header)} (one per header column; a comma "
                                    "inside a value needs quotes)"))
        rows.append(dict(zip(header, (c.strip() for c in cells))) | {"__row__": str(number)})
    if not rows:
        raise UnreadableFile(Problem(name, 0, "", None, "file has a header but no data rows"))
    return Table(Path(path), header, rows), problems


def match_schema(header: list[str], path: Path | None = None) -> Schema | None:
    """The raw schema a file belongs to: by file name, else by the best overlap of columns."""
    if path is not None and path.name in BY_PATH:
        return BY_PATH[path.name]
    best = max(ALL, key=lambda s: len(set(header) & set(s.columns)) / len(s.columns))
    overlap = len(set(header) & set(best.columns)) / len(best.columns)
    return best if overlap >= 0.5 else None


# ---------------------------------------------------------------------------------------------
# cell checks

_PARTIAL = {"day": re.compile(r"^\d{4}-\d{2}-\d{2}$"), "month": re.compile(r"^\d{4}-\d{2}$"),
            "year": re.compile(r"^\d{4}$")}


def parse_partial_date(value: str) -> tuple[str, dt.date] | None:
    """(precision, first day of the period) for YYYY-MM-DD / YYYY-MM / YYYY, or None."""
    for precision, pattern in _PARTIAL.items():
        if pattern.match(value):
            parts = [int(p) for p in value.split("-")] + [1, 1]
            try:
                return precision, dt.date(parts[0], parts[1], parts[2])
            except ValueError:
                return None
    return None


def _number_problem(value: str) -> str | None:
    if re.fullmatch(r"-?\d+(\.\d+)?", value):
        return None
    if re.fullmatch(r"-?\d{1,3}([.,]\d{3})+([.,]\d+)?|-?\d+,\d+", value):
        return ("a plain number with '.' as decimal point and no thousands separator "
                "(Indonesian '1.116' -> 1116, '72,8' -> 72.8)")
    return "a number"


def check_cell(schema: Schema, column: str, value: str) -> str | None:
    """What was expected of this cell, or None when it is fine."""
    f = schema.field(column)
    if not value:
        return "a value (this column is required)" if f.required else None
    if f.type == "integer" and not re.fullmatch(r"-?\d+", value):
        return "a whole number"
    if f.type == "number" and (msg := _number_problem(value)):
        return msg
    if f.type == "date":
        parsed = parse_partial_date(value)
        if not parsed or parsed[0] != "day":
            return "a real calendar date as YYYY-MM-DD"
    if f.type == "partial_date" and not parse_partial_date(value):
        return "a real date as YYYY-MM-DD, YYYY-MM or YYYY"
    if f.enum is not None and value not in f.enum:
        return "one of: " + ", ".join(f.enum)
    if f.type in ("integer", "number"):
        number = float(value)
        if f.minimum is not None and number < f.minimum:
            return f"at least {f.minimum:g}"
        if f.maximum is not None and number > f.maximum:
            return f"at most {f.maximum:g}"
    return None


# ---------------------------------------------------------------------------------------------
# table checks


def check_table(table: Table, schema: Schema, resolver: RegionResolver | None,
                today: dt.date | None = None) -> list[Problem]:
    name = str(table.path)
    today = today or dt.date.today()
    problems: list[Problem] = []
    missing = [c for c in schema.columns if c not in table.header]
    unknown = [c for c in table.header if c not in schema.columns]
    for column in missing:
        problems.append(Problem(name, 1, column, None, f"column is missing (schema "
                                f"'{schema.name}' expects: {', '.join(schema.columns)})"))
    for column in unknown:
        problems.append(Problem(name, 1, column, None, f"unknown column for schema "
                                f"'{schema.name}' (check spelling)"))
    present = [c for c in schema.columns if c in table.header]
    seen_keys: dict[tuple, int] = {}
    for row in table.rows:
        number = int(row["__row__"])

        def bad(column: str, expected: str, value: str | None = None) -> None:
            problems.append(Problem(name, number, column, row.get(column, "") if value is None
                                    else value, expected))

        cell_ok = {}
        for column in present:
            expected = check_cell(schema, column, row.get(column, ""))
            cell_ok[column] = expected is None
            if expected:
                bad(column, expected)
        for column in present:
            if column.endswith("_date") and cell_ok[column] and row.get(column):
                parsed = parse_partial_date(row[column])
                if parsed and parsed[1] > today:
                    bad(column, f"a date not after today ({today.isoformat()})")
                precision_col = column.replace("_date", "_precision")
                if precision_col in row and parsed and row[precision_col] != parsed[0]:
                    bad(precision_col, f"'{parsed[0]}', the precision of {column} "
                                       f"{row[column]!r}")
                if precision_col in row and not row[column] and row[precision_col]:
                    bad(precision_col, f"empty, since {column} is empty")
        for as_of, published in schema.date_pairs:
            if as_of in present and published in present and cell_ok[as_of] and cell_ok[published]:
                if _published_before(row[as_of], row[published]):
                    bad(published, f"a date on or after as_of_date {row[as_of]!r} (a figure "
                                   "cannot be published before the date it describes)")
        if "source_url" in present and row.get("source_url") and not re.match(
                r"^https?://\S+$", row["source_url"]):
            bad("source_url", "a web address starting with http:// or https://")
        if resolver is not None:
            for column in schema.region_columns:
                if column in present and row.get(column) and resolver.resolve(row[column]) is None:
                    bad(column, "a region named in regions.csv (canonical name or alias); "
                                f"closest known name: {resolver.closest(row[column])!r}")
        if schema.name == "published_figures" and all(cell_ok.get(c) for c in ("value", "unit")):
            expected = _value_in_unit(row["value"], row["unit"])
            if expected:
                bad("value", expected)
        if schema.primary_key and all(k in present for k in schema.primary_key):
            key = tuple(row[k] for k in schema.primary_key)
            if all(key) and key in seen_keys:
                bad(schema.primary_key[0], f"a unique {'/'.join(schema.primary_key)}; "
                                           f"already used on row {seen_keys[key]}")
            seen_keys.setdefault(key, number)
    if schema.name == "published_figures" and not missing:
        problems += check_snapshot_order(table)
    return problems


def _published_before(as_of: str, published: str) -> bool:
    if not as_of or not published:
        return False
    digits = min(len(as_of), len(published))  # compare at the coarser precision
    return published[:digits] < as_of[:digits]


def _value_in_unit(value: str, unit: str) -> str | None:
    number = float(value)
    if unit in ("percent", "index_score") and not 0 <= number <= 100:
        return f"a {unit.replace('_', ' ')} between 0 and 100"
    if unit == "flag" and number not in (0, 1):
        return "0 or 1 (unit flag)"
    if unit in COUNT_UNITS and number < 0:
        return f"a count of {unit}: not negative"
    if unit in COUNT_UNITS and number != int(number):
        hint = ""
        if re.fullmatch(r"\d{1,3}\.\d{3}", value):
            hint = (f" (if {value!r} is Indonesian notation for "
                    f"{value.replace('.', '')}, write it with no thousands separator)")
        return f"a count of {unit}: a whole number{hint}"
    return None


SNAPSHOT_KEY = ("cycle", "election_type", "scope", "region", "agency", "as_of_date", "source_url")


def check_snapshot_order(table: Table) -> list[Problem]:
    """Within one agency's snapshot (same cycle, region, agency, as-of date and source), the
    funnel must narrow: sanction_executed <= recommended <= reported, and violation_found <=
    reported. Only totals (empty breakdown) in count units with a known as-of date take part."""
    groups: dict[tuple, dict[str, tuple[float, int]]] = defaultdict(dict)
    for row in table.rows:
        if (row.get("breakdown") or not row.get("as_of_date") or row.get("metric") not in FUNNEL
                or row.get("unit") not in COUNT_UNITS):
            continue
        try:
            value = float(row["value"])
        except ValueError:
            continue
        if _value_in_unit(row["value"], row["unit"]):
            continue  # already reported as a bad value; do not cascade
        key = tuple(row.get(k, "") for k in SNAPSHOT_KEY)
        current = groups[key].get(row["metric"])
        if current is None or value > current[0]:
            groups[key][row["metric"]] = (value, int(row["__row__"]))
    problems = []
    pairs = (("sanction_executed", "recommended"), ("recommended", "reported"),
             ("violation_found", "reported"), ("sanction_executed", "reported"))
    for key, stages in sorted(groups.items()):
        for lower, upper in pairs:
            if lower in stages and upper in stages and stages[lower][0] > stages[upper][0]:
                value, number = stages[lower]
                problems.append(Problem(
                    str(table.path), number, "value", f"{value:g}",
                    f"{lower} <= {upper} within one snapshot ({key[4]}, cycle {key[0]}, "
                    f"{key[3]}, as of {key[5]}): {upper} is {stages[upper][0]:g} on row "
                    f"{stages[upper][1]}"))
    return problems


# ---------------------------------------------------------------------------------------------


def validate_files(files: list[Path] | None = None, today: dt.date | None = None) -> list[Problem]:
    """Every problem in the given files (default: every raw CSV described by a schema)."""
    files = [Path(f) for f in files] if files else [paths.RAW / s.path for s in ALL]
    problems: list[Problem] = []
    resolver = None
    regions_file = next((f for f in files if f.name == "regions.csv"), paths.REGIONS)
    if regions_file.exists():
        try:
            resolver = RegionResolver.from_csv(regions_file)
        except (KeyError, UnicodeDecodeError, csv.Error):
            resolver = None  # its own problems are reported below
    for path in files:
        if not path.exists():
            problems.append(Problem(str(path), 0, "", None, "file not found"))
            continue
        try:
            table, read_problems = read_table(path)
        except UnreadableFile as exc:
            problems.append(exc.problem)
            continue
        problems += read_problems
        schema = match_schema(table.header, path)
        if schema is None:
            problems.append(Problem(str(path), 1, "", None, "columns match no raw schema ("
                                    + ", ".join(s.path for s in ALL) + ")"))
            continue
        problems += check_table(table, schema, resolver, today)
    return problems


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m analysis validate",
                                     description="Check raw data files; report every problem.")
    parser.add_argument("files", nargs="*", type=Path, help="files to check (default: data/raw)")
    args = parser.parse_args(argv)
    problems = validate_files(args.files)
    for problem in sorted(problems):
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    checked = len(args.files) if args.files else len(ALL)
    print(f"{errors} error(s), {warnings} warning(s) in {checked} file(s)")
    return 1 if errors else 0
