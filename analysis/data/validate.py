"""Validate raw data files and report every problem with file, row, column, value and expectation.

``python -m analysis validate [FILE ...]`` checks all of ``data/raw`` or the given files (each
matched to a raw schema by its columns). It only reads. Exit 1 on any error, 0 when clean.
Row numbers are spreadsheet rows: the header is row 1, the first data row is row 2. A problem
with the file as a whole (a folder, UTF-16, not UTF-8) names the file, and the line where it
was found when there is one; nothing is ever reported as a traceback.

Files are streamed row by row with the ``csv`` module (no pandas): memory grows only with the
set of primary keys and the small per-snapshot, per-cycle and per-region tables of the
cross-row checks, not with the file.

Rules beyond the types of :mod:`analysis.data.schemas`:

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

import codecs
import csv
import datetime as dt
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .. import paths
from . import pii
from .regions import RegionResolver, _key
from .schemas import ALL, BY_PATH, FREE_TEXT_MAX, NAME_MAX, URL_COLUMNS, Field, Schema
from .vocabulary import COUNT_UNITS, FUNNEL

BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
READ_LIMIT = 10 * 1024 * 1024  # characters in one cell the reader accepts at all (10 MiB)
LINE_LIMIT = 4 * READ_LIMIT  # characters in one physical line
SHOWN_MAX = 60  # characters of a value echoed in a message


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


def shown(value: str | None) -> str | None:
    """A value as a message may echo it: NIP/NIK hidden, long values cut."""
    if value is None:
        return None
    value = pii.redact(value)
    if len(value) > SHOWN_MAX + 20:
        return f"{value[:SHOWN_MAX]}... ({len(value):,} characters)"
    return value


class UnreadableFile(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


# ---------------------------------------------------------------------------------------------
# reading


@dataclass
class Table:
    """A CSV opened for streaming: the header, then ``rows()`` yields (spreadsheet row, cells)."""

    path: Path
    header: list[str]
    problems: list[Problem]  # file-level warnings found while opening
    _lines: Iterator[str] = field(repr=False, default=iter(()))

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        name = str(self.path)
        reader = csv.reader(self._lines)
        number = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise UnreadableFile(Problem(
                        name, reader.line_num + 1, "", None, f"a cell longer than "
                        f"{READ_LIMIT:,} characters starts on or before line "
                        f"{reader.line_num + 1}; it cannot be checked (an unclosed quote "
                        "makes the rest of the file one cell): the file was not checked "
                        "from there")) from None
                raise UnreadableFile(Problem(name, reader.line_num, "", None,
                                             f"cannot be read as CSV: {exc}")) from None
            number += 1
            yield number, cells


def _decoded_lines(handle, name: str, first: bytes) -> Iterator[str]:
    """UTF-8 lines of a binary file (``first`` already read), raising UnreadableFile at the line
    of the first byte that is not UTF-8, or when one line grows beyond what can be checked."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    line = 1  # physical line being assembled
    pieces: list[str] = []
    size = 0
    chunk = first
    while True:
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            row = line + chunk[: max(exc.start, 0)].count(b"\n")
            byte = f"byte {chunk[exc.start]:#x}" if 0 <= exc.start < len(chunk) else "the end"
            raise UnreadableFile(Problem(name, row, "", None, f"{byte} is not UTF-8 (file saved "
                                         "as ANSI/Windows-1252?): expected UTF-8")) from None
        start = 0
        while True:
            end = text.find("\n", start)
            if end < 0:
                pieces.append(text[start:])
                size += len(text) - start
                break
            pieces.append(text[start:end + 1])
            yield "".join(pieces)
            pieces, size, start = [], 0, end + 1
            line += 1
        if size > LINE_LIMIT:
            raise UnreadableFile(Problem(name, line, "", None, f"line {line} is longer than "
                                         f"{LINE_LIMIT:,} characters: not a CSV row that can be "
                                         "checked")) from None
        if not chunk:
            break
        chunk = handle.read(1 << 16)
    if size:
        yield "".join(pieces)


def _looks_utf16(head: bytes) -> bool:
    if head.startswith(UTF16_BOMS):
        return True
    sample = head[:200]
    return len(sample) >= 4 and sample.count(0) >= len(sample) // 3


def open_table(path: Path, handle) -> Table:
    """Check the start of the file (empty, folder, BOM, UTF-16, ';'-delimited) and return a
    streaming table over ``handle`` (an open binary file)."""
    name = str(path)
    problems: list[Problem] = []
    head = handle.read(1 << 16)
    if _looks_utf16(head):
        kind = "UTF-32" if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")) else "UTF-16"
        raise UnreadableFile(Problem(name, 0, "", None, f"file is {kind} (as Excel's 'Unicode "
                                     "Text' or some editors save it): expected UTF-8; save it as "
                                     "'CSV UTF-8 (Comma delimited)'"))
    if head.startswith(BOM):
        problems.append(Problem(name, 1, "", None, "file starts with a UTF-8 byte-order mark (as "
                                "Excel writes 'CSV UTF-8'); read correctly, but save without it",
                                "warning"))
        head = head[len(BOM):]
    if not head.strip() and len(head) < (1 << 16) - len(BOM):
        raise UnreadableFile(Problem(name, 0, "", None, "file is empty: expected a header row "
                                     "and at least one data row"))
    if b"\r" in head and b"\n" not in head:
        raise UnreadableFile(Problem(name, 0, "", None, "lines end with a carriage return only "
                                     "(classic Mac text): save it as 'CSV UTF-8 (Comma "
                                     "delimited)' with Windows or Unix line ends"))
    lines = _decoded_lines(handle, name, head)
    first_line = next(lines, "")
    if first_line.count(";") > first_line.count(","):
        raise UnreadableFile(Problem(
            name, 1, "", None, "file is ';'-delimited, as Excel saves CSV in an Indonesian "
            "locale, where '1.116' means 1116 and '72,8' means 72.8; it is rejected rather than "
            "guessed: save it as 'CSV UTF-8 (Comma delimited)' with '.' as decimal point"))
    try:
        header = [h.strip() for h in next(csv.reader([first_line]))]
    except (csv.Error, StopIteration):
        raise UnreadableFile(Problem(name, 1, "", None, "the header row cannot be read: expected "
                                     "column names separated by commas")) from None
    return Table(Path(path), header, problems, lines)


def match_schema(header: list[str], path: Path | None = None) -> Schema | None:
    """The raw schema a file belongs to: by file name, else by the best overlap of columns."""
    if path is not None and path.name in BY_PATH:
        return BY_PATH[path.name]
    best = max(ALL, key=lambda s: len(set(header) & set(s.columns)) / len(s.columns))
    overlap = len(set(header) & set(best.columns)) / len(best.columns)
    return best if overlap >= 0.5 else None


# ---------------------------------------------------------------------------------------------
# cell checks

_PARTIAL = {"day": re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII),
            "month": re.compile(r"^\d{4}-\d{2}$", re.ASCII),
            "year": re.compile(r"^\d{4}$", re.ASCII)}
_INTEGER = re.compile(r"-?\d+", re.ASCII)
_NUMBER = re.compile(r"-?\d+(\.\d+)?", re.ASCII)
_LOCALE_NUMBER = re.compile(r"-?\d{1,3}([.,]\d{3})+([.,]\d+)?|-?\d+,\d+", re.ASCII)
_URL = re.compile(r"https?://[^\s<>\"]+", re.ASCII)
# control characters: C0, DEL, C1; in names also invisible formatting (zero-width, bidi, BOM)
_CONTROL_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_CONTROL_FREE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SIX_DIGITS = re.compile(r"\d{6}", re.ASCII)  # every NIP or NIK has a run of 6 digits
_REGISTER_NAME = re.compile(r"[A-Za-z0-9_-]{1,100}", re.ASCII)  # as registers.store.NAME_RE


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
    if _NUMBER.fullmatch(value):
        return None
    if _LOCALE_NUMBER.fullmatch(value):
        return ("a plain number with '.' as decimal point and no thousands separator "
                "(Indonesian '1.116' -> 1116, '72,8' -> 72.8)")
    return "a number"


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"


def check_text(schema: Schema, column: str, value: str) -> str | None:
    """Characters and length of any cell; None when fine. Runs before the type check."""
    return _text_problem(schema.field(column), value)


def _text_problem(f: Field, value: str) -> str | None:
    if "\x00" in value:
        return ("no NUL byte (U+0000): the file holds binary data or was saved in another "
                "encoding; retype the cell")
    free = f.free_text
    control = (_CONTROL_FREE if free else _CONTROL_NAME).search(value)
    if control:
        allowed = " (tabs and line breaks are allowed only in notes and titles)" if not free else ""
        return f"no control or invisible character: found {_char_name(control.group())}{allowed}"
    limit = FREE_TEXT_MAX if free else NAME_MAX
    if len(value) > limit:
        kind = "free-text" if free else "name, category, number or date"
        return f"at most {limit:,} characters in a {kind} cell; this one has {len(value):,}"
    if f.type in ("integer", "number", "date", "partial_date") and not value.isascii():
        odd = next(c for c in value if not c.isascii())
        if odd.isdigit() or unicodedata.category(odd) == "Nd":
            return (f"digits 0-9 only: found {_char_name(odd)}, which looks like a digit but is "
                    "not one to a spreadsheet or the build")
    if f.is_name and f.enum is None:
        if "<" in value or ">" in value:
            return ("no '<' or '>' in a name or category column (markup is not a name; write "
                    "'under 5' rather than '<5')")
        if value.startswith(FORMULA_START):
            return (f"not starting with {value[0]!r}: a spreadsheet runs a cell starting with "
                    "=, +, - or @ as a formula (CSV injection); rephrase the name or category")
    return None


def check_cell(schema: Schema, column: str, value: str) -> str | None:
    """What was expected of this cell, or None when it is fine."""
    return _cell_problem(schema.field(column), value)


def _cell_problem(f: Field, value: str) -> str | None:
    if not value:
        return "a value (this column is required)" if f.required else None
    if f.type == "integer" and not _INTEGER.fullmatch(value):
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


def check_url(column: str, value: str) -> str | None:
    addresses = [a.strip() for a in value.split("|")] if column == "code_source_url" else [value]
    if all(_URL.fullmatch(a) for a in addresses):
        return None
    many = ", each separated by ' | '" if column == "code_source_url" else ""
    return ("a web address starting with http:// or https://, with no space, '<', '>' or '\"'"
            + many)


# ---------------------------------------------------------------------------------------------
# table checks


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


# ---------------------------------------------------------------------------------------------


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
