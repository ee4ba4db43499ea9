"""The rules of a raw table across cells and rows, checked as it streams.

Per row: the row's length against the header, then each cell (:mod:`.cell_rules`) and personal
data (:mod:`.pii`); then dates and their precision, regions, the citation rules of each
``source_kind``, the value against its unit, unique primary keys, one national voting day per
election and regions' aliases. Across rows (at the end): the funnel of each agency's snapshot
narrows, and no alias names two regions. Only what those checks need is kept, not the rows.
"""
from __future__ import annotations

import datetime as dt
import re
import sys
from collections import defaultdict

from . import pii
from .cell_rules import _cell_problem, _text_problem, check_url, parse_partial_date
from .csv_table import Table
from .duplicate_headers import duplicated_headers
from .duplicate_headers import message as duplicate_message
from .problem import Problem, UnreadableFile, shown
from .regions import RegionResolver, _key
from .schemas import URL_COLUMNS, Schema
from .vocabulary import COUNT_UNITS, FUNNEL

_SIX_DIGITS = re.compile(r"\d{6}", re.ASCII)  # every NIP or NIK has a run of 6 digits
_REGISTER_NAME = re.compile(r"[A-Za-z0-9_-]{1,100}", re.ASCII)  # as registers.store.NAME_RE


class _Checker:
    """Checks one table row by row, keeping only what the cross-row checks need."""

    def __init__(self, table: Table, schema: Schema, resolver: RegionResolver | None,
                 today: dt.date):
        self.name = str(table.path)
        self.schema, self.resolver, self.today = schema, resolver, today
        self.header = table.header
        self.problems: list[Problem] = []
        self.missing = [c for c in schema.columns if c not in table.header
                        and not schema.field(c).optional_column]  # absent optional = empty
        unknown = [c for c in table.header if c not in schema.columns]
        for column in self.missing:
            self.problems.append(Problem(self.name, 1, column, None, f"column is missing (schema "
                                         f"'{schema.name}' expects: {', '.join(schema.columns)})"))
        for column in unknown:
            self.problems.append(Problem(self.name, 1, column, None, f"unknown column for schema "
                                         f"'{schema.name}' (check spelling)"))
        for column, first, again in duplicated_headers(table.header):
            self.problems.append(Problem(self.name, 1, column, None,
                                         duplicate_message(column, first, again)))
        self.present = [c for c in schema.columns if c in table.header]
        self.index = {c: table.header.index(c) for c in self.present}
        self.fields = {c: schema.field(c) for c in self.present}
        self.seen_keys: dict[str, int | tuple[int, str]] = {}  # folded key -> first row
        self.groups: dict[tuple, dict[str, tuple[float, int]]] = defaultdict(dict)
        self.voting: dict[tuple, tuple[str, int]] = {}
        self.region_names: dict[str, tuple[str, int]] = {}  # key -> (canonical, row)
        self.region_aliases: list[tuple[str, str, str, int]] = []  # key, alias, canonical, row
        self.rows_seen = 0

    def bad(self, number: int, column: str, expected: str, value: str | None) -> None:
        self.problems.append(Problem(self.name, number, column, shown(value), expected))

    def row(self, number: int, cells: list[str]) -> None:
        self.rows_seen += 1
        header, n = self.header, len(cells)
        if n != len(header):
            if n < len(header):
                self.bad(number, header[n], f"a value: the row ends after {n} field(s), before "
                         f"column '{header[n]}'; expected {len(header)} fields (one per header "
                         "column; a comma or line break inside a value needs quotes)", None)
            else:
                self.bad(number, header[-1], f"the row to end after column '{header[-1]}': it "
                         f"has {n} fields, expected {len(header)} (one per header column; a "
                         "comma inside a value needs quotes)", None)
            return  # the cells are misaligned: checking them would only mislead
        row = {c: cells[i].strip() for c, i in self.index.items()}
        schema, fields = self.schema, self.fields
        maybe_personal = _SIX_DIGITS.search("\x1f".join(cells)) is not None  # cheap pre-filter
        cell_ok = {}
        for column, value in row.items():
            f = fields[column]
            if not value:
                expected = _cell_problem(f, value)
            else:
                found = pii.find_personal_data(value) if maybe_personal else None
                if found:
                    what = "; ".join(m.description for m in found)
                    self.bad(number, column, "no personal data: personal data must not be in "
                             f"the ledger, found {what}; remove it", None)
                expected = _text_problem(f, value) or _cell_problem(f, value)
                if expected is None and column in URL_COLUMNS:
                    expected = check_url(column, value)
            cell_ok[column] = expected is None
            if expected:
                self.bad(number, column, expected, value)
        self._dates(number, row, cell_ok)
        self._regions(number, row, cell_ok)
        if "source_kind" in schema.columns:
            self._source_kind(number, row, cell_ok)
        if (schema.name == "published_figures" and cell_ok.get("value")
                and cell_ok.get("unit") and row["value"] and row["unit"]):
            expected = _value_in_unit(row["value"], row["unit"])
            if expected:
                self.bad(number, "value", expected, row["value"])
            elif not self.missing:
                self._snapshot(number, row)
        self._primary_key(number, row)
        if schema.name == "elections":
            self._voting_day(number, row, cell_ok)
        if schema.name == "regions":
            self._region_row(number, row, cell_ok)

    def _dates(self, number, row, cell_ok) -> None:
        for column in self.present:
            if not column.endswith("_date"):
                continue
            precision_col = column.replace("_date", "_precision")
            has_precision = precision_col in row
            if not row[column]:
                if has_precision and row[precision_col]:
                    self.bad(number, precision_col, f"empty, since {column} is empty (a "
                             "precision describes a date)", row[precision_col])
                continue
            if not cell_ok[column]:
                continue
            parsed = parse_partial_date(row[column])
            if parsed and parsed[1] > self.today:
                self.bad(number, column, f"a date not after today ({self.today.isoformat()})",
                         row[column])
            if has_precision and parsed and row[precision_col] != parsed[0]:
                self.bad(number, precision_col, f"'{parsed[0]}', the precision of {column} "
                                                f"{row[column]!r}", row[precision_col])
        for as_of, published in self.schema.date_pairs:
            if as_of in cell_ok and published in cell_ok and cell_ok[as_of] and cell_ok[published]:
                if _published_before(row[as_of], row[published]):
                    self.bad(number, published, f"a date on or after as_of_date {row[as_of]!r} "
                             "(a figure cannot be published before the date it describes)",
                             row[published])

    def _source_kind(self, number, row, cell_ok) -> None:
        """The citation rules of each source kind (see the module docstring)."""
        if not cell_ok.get("source_kind", True):
            return  # not a known kind: reported already
        kind = row.get("source_kind", "") or "url"
        url, title = row.get("source_url", ""), row.get("source_title", "")
        register = row.get("source_register", "")
        if kind == "url" and "source_url" in row and not url:
            self.bad(number, "source_url", "a web address (http/https): required when "
                     "source_kind is url (an empty source_kind means url); for a decree or a "
                     "letter that is not online set source_kind to document and name it in "
                     "source_title", url)
        if kind == "document" and "source_title" in row and not title:
            self.bad(number, "source_title", "the document's title with its number (e.g. 'Surat "
                     "KASN No. B-1234/KASN/9/2020'): required when source_kind is document",
                     title)
        if kind == "register":
            if "source_register" in row and not register:
                self.bad(number, "source_register", "the register's name (as imported into "
                         "data/private/registers/NAME): required when source_kind is register",
                         register)
            elif register and cell_ok.get("source_register") \
                    and not _REGISTER_NAME.fullmatch(register):
                self.bad(number, "source_register", "a register name: 1-100 letters, digits, "
                         "'_' or '-'", register)
            if url:
                self.bad(number, "source_url", "empty when source_kind is register (a register "
                         "is not published; name it in source_register)", url)
        elif register:
            self.bad(number, "source_register", f"empty when source_kind is {kind} (only a "
                     "register figure names a register)", register)

    def _regions(self, number, row, cell_ok) -> None:
        if self.resolver is None:
            return
        for column in self.schema.region_columns:
            value = row.get(column)
            if value and cell_ok.get(column) and self.resolver.resolve(value) is None:
                self.bad(number, column, "a region named in regions.csv (canonical name or "
                         f"alias); closest known name: {self.resolver.closest(value)!r}", value)

    def _primary_key(self, number, row) -> None:
        keys = self.schema.primary_key
        if not keys or not all(k in row for k in keys):
            return
        key = "\x1f".join(row[k] for k in keys)
        if not all(row[k] for k in keys):
            return
        folded = _key(key)  # one string per row; the spelling only when it differs
        if folded in self.seen_keys:
            first = self.seen_keys[folded]
            first, spelled = first if isinstance(first, tuple) else (first, folded)
            same = "" if spelled == key else (f" (as {spelled.replace(chr(31), '/')!r}; keys "
                                              "are compared ignoring case and spacing)")
            self.bad(number, keys[0], f"a unique {'/'.join(keys)}; already used on row "
                                      f"{first}{same}", row[keys[0]])
        else:
            self.seen_keys[folded] = number if folded == key else (number, key)

    def _snapshot(self, number, row) -> None:
        if (row.get("breakdown") or not row.get("as_of_date") or row.get("metric") not in FUNNEL
                or row.get("unit") not in COUNT_UNITS):
            return
        value = float(row["value"])
        key = [row.get(k, "") for k in SNAPSHOT_KEY]
        if self.resolver is not None:  # the build joins on canonical regions: so does the check
            key[3] = self.resolver.canonical(key[3])
        # memory: the few distinct labels are shared, the source (often unique) kept as a hash
        key = tuple(sys.intern(k) for k in key[:-1]) + (hash(key[-1]),)
        current = self.groups[key].get(row["metric"])
        if current is None or value > current[0]:
            self.groups[key][row["metric"]] = (value, number)

    def _voting_day(self, number, row, cell_ok) -> None:
        day = row.get("voting_day")
        if (not day or not cell_ok.get("voting_day") or row.get("scope") != "national"
                or not cell_ok.get("cycle") or not cell_ok.get("election_type")):
            return
        key = (int(row["cycle"]), row["election_type"])
        first = self.voting.setdefault(key, (day, number))
        if first[0] != day:
            self.bad(number, "voting_day", f"one national voting day per cycle and election type: "
                     f"row {first[1]} gives {first[0]!r} for {key[1]} {key[0]} (the build needs "
                     "one; keep the right one and move the other to the note)", day)

    def _region_row(self, number, row, cell_ok) -> None:
        name = row.get("canonical_name", "")
        if not name or not cell_ok.get("canonical_name"):
            return
        self.region_names.setdefault(_key(name), (name, number))
        if cell_ok.get("aliases"):
            for alias in (a.strip() for a in row.get("aliases", "").split("|")):
                if alias:
                    self.region_aliases.append((_key(alias), alias, name, number))

    def finish(self) -> list[Problem]:
        if self.schema.name == "published_figures" and not self.missing:
            self.problems += _snapshot_problems(self.name, self.groups)
        if self.schema.name == "regions":
            owner: dict[str, tuple[str, int]] = {}
            for key, alias, name, number in self.region_aliases:
                canonical = self.region_names.get(key)
                if canonical and _key(canonical[0]) != _key(name):
                    self.bad(number, "aliases", f"aliases that are not another region's "
                             f"canonical name: {alias!r} is the canonical name on row "
                             f"{canonical[1]} (a name must resolve to one region)", alias)
                elif key in owner and _key(owner[key][0]) != _key(name):
                    self.bad(number, "aliases", f"aliases used by one region only: {alias!r} is "
                             f"also an alias of {owner[key][0]!r} on row {owner[key][1]}", alias)
                else:
                    owner.setdefault(key, (name, number))
        return self.problems


def check_table(table: Table, schema: Schema, resolver: RegionResolver | None,
                today: dt.date | None = None) -> list[Problem]:
    """Every problem in a streamed table (raises UnreadableFile when it cannot be read on)."""
    checker = _Checker(table, schema, resolver, today or dt.date.today())
    for number, cells in table.rows():
        if isinstance(cells, Problem):  # a row that cannot be split into cells
            checker.rows_seen += 1
            checker.problems.append(cells)
            continue
        if not cells or all(not c.strip() for c in cells):
            continue
        checker.row(number, cells)
    if not checker.rows_seen:
        raise UnreadableFile(Problem(str(table.path), 0, "", None,
                                     "file has a header but no data rows"))
    return checker.finish()


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
        if re.fullmatch(r"\d{1,3}\.\d{3}", value, re.ASCII):
            hint = (f" (if {value!r} is Indonesian notation for "
                    f"{value.replace('.', '')}, write it with no thousands separator)")
        return f"a count of {unit}: a whole number{hint}"
    return None


SNAPSHOT_KEY = ("cycle", "election_type", "scope", "region", "agency", "as_of_date", "source_url")


def _snapshot_problems(name: str, groups: dict) -> list[Problem]:
    """Within one agency's snapshot (same cycle, region, agency, as-of date and source), the
    funnel must narrow: sanction_executed <= recommended <= reported, and violation_found <=
    reported. Only totals (empty breakdown) in count units with a known as-of date take part."""
    problems = []
    pairs = (("sanction_executed", "recommended"), ("recommended", "reported"),
             ("violation_found", "reported"), ("sanction_executed", "reported"))
    for key, stages in sorted(groups.items()):
        for lower, upper in pairs:
            if lower in stages and upper in stages and stages[lower][0] > stages[upper][0]:
                value, number = stages[lower]
                problems.append(Problem(
                    name, number, "value", f"{value:g}",
                    f"{lower} <= {upper} within one snapshot ({key[4]}, cycle {key[0]}, "
                    f"{key[3]}, as of {key[5]}): {upper} is {stages[upper][0]:g} on row "
                    f"{stages[upper][1]}"))
    return problems

