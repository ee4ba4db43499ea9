"""Check a register file against the codebook; every problem with sheet, row, column and value.

:func:`check_register` only reads. :func:`inspect_register` also returns the normalised columns
(canonical codes, ISO dates) that the import stores, so a file is read and checked once.

Vectorised: each column is factorised and only its *distinct* values are parsed in Python, so a
million-row register costs about as much as reading it; loops over rows only describe problems,
and at most ``limit`` problems of one kind in one column are listed (then a count of the rest).

Personal data (``nip``, ``name``) is never shown: a problem shows "(personal data, hidden)" and
the value's length instead.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ... import paths
from ..regions import RegionResolver
from . import codebook as cb
from .codebook import nip_digits, normalise_nip
from .reader import NotReadable, RawTable, read_table

LIMIT = 100  # problems listed per column and kind; the rest are counted
# columns with about one value per row: kept row by row instead of factorised
IDENTITY_CODED = ("case_id", "nip", "name")


@dataclass
class Problem:
    sheet: str | None
    row: int  # spreadsheet row (header = 1); 0 = the file as a whole
    column: str  # the user's header (or the canonical name of a missing column)
    value: str
    expected: str
    hint: str = ""
    severity: str = "error"  # "error" | "warning"
    field: str = ""  # canonical column
    kind: str = ""  # short tag: missing_column, date_unparseable, date_order, ...

    def __str__(self) -> str:
        where = f"sheet '{self.sheet}' " if self.sheet else ""
        where += f"row {self.row}" if self.row else "file"
        col = f", column '{self.column}'" if self.column else ""
        val = f", value {self.value!r}" if self.value else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.severity.upper()} {where}{col}{val}: expected {self.expected}{hint}"


class Coded:
    """A column as codes into its distinct normalised values (compact, fast to write).

    ``codes``: intp, one per row; ``values``: object array of str, one per distinct raw value.
    A column with one value per row read by polars (case_id, NIP, name) may instead keep its
    polars ``series`` (the rows' values, codes 0..n-1): its Python strings are then made only
    if something asks for ``values`` (a million of them take a tenth of a second to make and
    as long to turn back into a column to write)."""

    def __init__(self, codes: np.ndarray, values: np.ndarray | None = None, series=None):
        if values is None and series is None:
            raise ValueError("Coded needs values or a series")
        self.codes, self._values, self.series = codes, values, series

    @property
    def lazy(self) -> bool:
        """Whether the values are still only the polars ``series`` (no Python strings made)."""
        return self._values is None

    @property
    def values(self) -> np.ndarray:
        if self._values is None:
            self._values = self.series.to_numpy().astype(object, copy=False)
        return self._values

    def array(self) -> np.ndarray:
        return self.values[self.codes]

    def take(self, rows: np.ndarray) -> list[str]:
        """The values of the rows at positions ``rows``."""
        if self._values is None:
            return self.series.gather(rows).to_list()
        return self.values[self.codes[rows]].tolist()

    def filled(self) -> np.ndarray:
        """Per row: is the value non-empty."""
        if self._values is None:
            return self.series.str.len_bytes().to_numpy() > 0
        return (self.values != "")[self.codes] if len(self.values) else np.zeros(
            len(self.codes), dtype=bool)

    def blank(self) -> np.ndarray:
        """Per row: is the value empty or only white space (as ``not value.strip()``)."""
        if self._values is None:  # \s is Unicode White_Space; Python's also has \x1c-\x1f
            return self.series.str.contains(r"^[\s\x1c-\x1f]*$").to_numpy()
        empty = np.fromiter((not v.strip() for v in self.values.tolist()), dtype=bool,
                            count=len(self.values))
        return empty[self.codes] if len(empty) else np.zeros(len(self.codes), dtype=bool)


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


def hidden(value: str) -> str:
    return f"(personal data, hidden; {len(value)} characters)"


def closest(word: str, choices: dict[str, str]) -> str:
    """The choice nearest ``word`` (keys are matching keys, values what to show)."""
    match = difflib.get_close_matches(cb.key(word), list(choices), n=1, cutoff=0.5)
    return choices[match[0]] if match else ""


# --------------------------------------------------------------------------- value parsers
_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$")
_DMY_TIME = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})\s+0?0:00(?::00)?$")


def parse_date(text: str) -> tuple[str, int, str]:
    """(ISO date, ordinal, "") or ("", 0, why) for text that is not a possible date."""
    text = text.strip()
    m = _DMY.match(text) or _DMY_TIME.match(text)
    if m:
        d, mth, y = (int(g) for g in m.groups())
    else:
        m = _ISO.match(text)
        if not m:
            return "", 0, "unparseable"
        y, mth, d = (int(g) for g in m.groups())
    try:
        date = dt.date(y, mth, d)
    except ValueError:
        return "", 0, "impossible"
    if not cb.MIN_YEAR <= y <= cb.MAX_YEAR:
        return "", 0, "year"
    return date.isoformat(), date.toordinal(), ""


def normalise_name(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _region_codes(path: Path) -> dict[str, str]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return {r.kemendagri_code.strip(): r.canonical_name.strip() for r in frame.itertuples()
            if r.kemendagri_code.strip()}


# --------------------------------------------------------------------------- the checker
class _Checker:
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
        self.region_codes = _region_codes(regions_path)
        self.out: dict[str, Coded] = {}
        self.ords: dict[str, np.ndarray] = {}
        self.header: dict[str, str] = {}  # canonical -> user's header
        self.raw: dict[str, Coded] = {}  # canonical -> raw distinct values
        self.positions: dict[str, int] = {}  # canonical -> the one column it was read from

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

    # ----------------------------------------------------------------- headers
    def map_headers(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        extras = []
        shown_choices = {cb.key(a): a for c in cb.COLUMNS for a in (c.header_id, *c.aliases)}
        for pos, header in enumerate(self.t.headers):
            canon = cb.column_for_header(header) if header.strip() else None
            if canon is None and not header.strip():
                continue  # an unnamed (usually empty) column, e.g. from a trailing separator
            if canon is None:
                extras.append(header)
                hint = closest(header, shown_choices) if header.strip() else ""
                self.add(1, header, "", "a column of the codebook; this column is ignored",
                         f"did you mean '{hint}'?" if hint else "", "warning", "",
                         "extra_column")
                continue
            found.setdefault(canon, []).append(pos)
        self.extras = extras
        for canon, positions in found.items():
            if len(positions) > 1 and canon != "region":
                names = ", ".join(f"'{self.t.headers[p]}'" for p in positions)
                self.add(1, self.t.headers[positions[1]], "",
                         f"one column for {canon}; found {names}",
                         "delete or rename the extra one", "error", canon, "duplicate_column")
        for c in cb.REQUIRED:
            if c not in found:
                col = cb.BY_NAME[c]
                self.add(1, c, "", f"a column '{col.header_id}' ({c})",
                         "accepted headers: " + ", ".join(col.aliases[:4]), "error", c,
                         "missing_column")
        if "region" not in found and "region_code" not in found:
            self.add(1, "region", "", "a column 'Wilayah' (region) or 'Kode Wilayah' "
                     "(region_code)", "accepted headers: Wilayah, Kabupaten/Kota, Provinsi, "
                     "Daerah", "error", "region", "missing_column")
        for canon, positions in found.items():
            self.header[canon] = self.t.headers[positions[0]]
        return found

    def factorize(self, canon: str, positions: list[int]) -> Coded:
        if len(positions) == 1:
            if canon in IDENTITY_CODED:  # (nearly) one distinct value per row: no factorising
                codes = np.arange(len(self.t), dtype=np.intp)
                if self.t.polars_frame is not None:
                    return Coded(codes, series=self.t.polars_frame[str(positions[0])])
                return Coded(codes, self.t.values(positions[0]))
            return Coded(*self.t.coded(positions[0]))
        # region given twice (Provinsi and Kabupaten/Kota): the more specific first
        order = sorted(positions, key=lambda p: 0 if "kab" in cb.key(self.t.headers[p])
                       or "kota" in cb.key(self.t.headers[p]) else 1)
        values = self.t.values(order[0])
        for p in order[1:]:
            values = np.where(values == "", self.t.values(p), values)
        self.header[canon] = self.t.headers[order[0]]
        codes, uniques = pd.factorize(values)
        return Coded(codes.astype(np.intp, copy=False), np.asarray(uniques, dtype=object))

    # ----------------------------------------------------------------- per column
    def column(self, canon: str, raw: Coded) -> None:
        col = cb.BY_NAME[canon]
        header = self.header[canon]
        if canon in ("nip", "name") or col.free_text or canon == "case_id":
            if self._fast_text(canon, raw):
                return
        uniques = raw.values
        normal = np.empty(len(uniques), dtype=object)
        bad: dict[str, list[int]] = {}  # kind -> distinct indices
        why: dict[int, tuple[str, str]] = {}  # distinct index -> (expected, hint)
        ords = None
        if col.type == "date":
            ords = np.zeros(len(uniques), dtype=np.int64)
        for i, v in enumerate(uniques):
            v = v.strip()
            if canon in ("nip", "name"):
                normal[i] = normalise_nip(v) if canon == "nip" else v
                if canon == "nip" and normal[i] and not (
                        len(normal[i]) == cb.NIP_DIGITS and normal[i].isdigit()):
                    bad.setdefault("nip", []).append(i)
                continue
            if v == "":
                normal[i] = ""
                continue
            if col.type == "date":
                iso, ordinal, problem = parse_date(v)
                normal[i], ords[i] = iso, ordinal
                if problem:
                    bad.setdefault("date_" + problem, []).append(i)
            elif col.categories:
                code = cb.category_code(canon, v)
                normal[i] = code or ""
                if code is None:
                    bad.setdefault("category", []).append(i)
                    words = {cb.key(w): f"{w}" + (f" ({c})" if cb.key(w) != cb.key(c) else "")
                             for c, ws in col.categories.items() for w in (c, *ws)}
                    guess = closest(v, words)
                    why[i] = ("one of: " + ", ".join(
                        f"{ws[0]} ({c})" if cb.key(ws[0]) != cb.key(c) else c
                        for c, ws in col.categories.items()),
                        f"did you mean '{guess}'?" if guess else "")
            elif canon == "cycle":
                m = re.fullmatch(r"(\d{4})(?:[.,]0+)?", v)
                year = int(m.group(1)) if m else 0
                normal[i] = str(year) if m else ""
                if not cb.MIN_YEAR <= year <= cb.MAX_YEAR:
                    bad.setdefault("cycle", []).append(i)
            elif canon == "region":
                name = self.resolver.resolve(v)
                normal[i] = name or ""
                if name is None:
                    bad.setdefault("region", []).append(i)
                    guess = self.resolver.closest(v)
                    why[i] = ("a region of data/raw/regions.csv (a canonical name or alias)",
                              f"did you mean '{guess}'?" if guess else "")
            elif canon == "region_code":
                digits = re.sub(r"[\s.]", "", v)
                digits = digits[:-2] if re.fullmatch(r"\d+,0+", digits) else digits
                normal[i] = digits
                if digits not in self.region_codes:
                    bad.setdefault("region_code", []).append(i)
            else:  # free text, case_id
                normal[i] = " ".join(v.split())
        coded = Coded(raw.codes, normal)
        self.out[canon] = coded
        if ords is not None:
            self.ords[canon] = ords[raw.codes]
        for kind, indices in bad.items():
            mask = np.isin(raw.codes, np.asarray(indices, dtype=np.intp))
            self._describe_bad(canon, header, kind, uniques, raw.codes, mask, why)

    def _fast_text(self, canon: str, raw: Coded) -> bool:
        """Keep the distinct values as they are when none needs normalising (one C-speed
        scan of all of them instead of a Python loop); False when some do."""
        if canon == "name":  # normalised only where needed, when pseudonymising
            self.out[canon] = raw
            return True
        if raw.lazy:  # polars scans its column
            if canon == "nip":
                lengths = raw.series.str.len_bytes().to_numpy()
                fine = (lengths[lengths > 0] == cb.NIP_DIGITS).all() and bool(
                    raw.series.str.contains(r"^[0-9]*$").all())
            else:
                fine = not raw.series.str.contains(r"  |[\t\n\r\xa0]|^ | $").any()
            if fine:
                self.out[canon] = raw
            return bool(fine)
        values = raw.values.tolist()
        if not values:
            return False
        if canon == "nip":
            lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
            filled = lengths > 0
            if (lengths[filled] == cb.NIP_DIGITS).all() and (
                    not filled.any() or "".join(values).isdigit()):
                self.out[canon] = raw
                return True
            return False
        joined = "\x00" + "\x00".join(values) + "\x00"
        if any(s in joined for s in ("  ", "\t", "\n", "\r", "\x00 ", " \x00", "\xa0")):
            return False
        if canon == "name" and not joined.isascii():
            return False  # NFKC / casefold may change it
        normal = raw.values if canon != "name" else np.asarray(
            joined[1:-1].casefold().split("\x00"), dtype=object)
        self.out[canon] = Coded(raw.codes, normal)
        return True

    def _describe_bad(self, canon, header, kind, uniques, codes, mask, why):
        def value(pos):
            v = uniques[codes[pos]]
            return hidden(v) if canon in cb.PERSONAL else v

        if kind == "nip":
            def describe(pos):
                v = uniques[codes[pos]]
                hint = ("looks like a number in scientific notation: format the NIP column "
                        "as Text" if re.search(r"[eE][+]", v) else
                        f"{len(nip_digits(v))} characters after removing spaces, dots and dashes")
                return hidden(v), f"an NIP of {cb.NIP_DIGITS} digits", hint
        elif kind.startswith("date_"):
            expected = {"date_unparseable": "a date dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd "
                                            "(or an Excel date cell)",
                        "date_impossible": "a date that exists (day within the month)",
                        "date_year": f"a year between {cb.MIN_YEAR} and {cb.MAX_YEAR}"}[kind]
            def describe(pos):
                v = uniques[codes[pos]]
                hint = ("an Excel serial number? format the cells as dates"
                        if v.strip().isdigit() else
                        "dates are read day first (Indonesian order)" if kind == "date_impossible"
                        else "")
                return v, expected, hint
        elif kind == "cycle":
            def describe(pos):
                return value(pos), f"a year such as 2024 ({cb.MIN_YEAR}-{cb.MAX_YEAR})", ""
        elif kind == "region_code":
            def describe(pos):
                return value(pos), "a kemendagri_code of data/raw/regions.csv", ""
        else:
            def describe(pos):
                expected, hint = why[codes[pos]]
                return value(pos), expected, hint
        self.add_rows(mask, canon, describe, "error", kind)

    # ----------------------------------------------------------------- across columns
    def required_values(self) -> None:
        for canon in cb.REQUIRED:
            if canon not in self.out:
                continue
            mask = self.raw[canon].blank()
            if not mask.any():
                continue
            self.add_rows(mask, canon, lambda pos: ("", f"a value ({canon} is required)", ""),
                          "error", "required_value")
        # region or region_code in every row
        have = np.zeros(self.n, dtype=bool)
        for canon in ("region", "region_code"):
            if canon in self.raw:
                filled = np.array([v.strip() != "" for v in self.raw[canon].values], dtype=bool)
                have |= filled[self.raw[canon].codes] if len(filled) else False
        if ("region" in self.raw or "region_code" in self.raw) and not have.all():
            self.add_rows(~have, "region" if "region" in self.raw else "region_code",
                          lambda pos: ("", "a region (or region code)", ""), "error",
                          "required_value")

    def region_from_code(self) -> None:
        """Fill an empty region from a known region_code; warn when the two disagree."""
        if "region_code" not in self.out:
            return
        names = [self.region_codes.get(v, "") for v in self.out["region_code"].values]
        if not any(names) and "region" in self.out:
            return
        code_names = np.array(names or [""], dtype=object)
        by_code = code_names[self.out["region_code"].codes] if self.n else np.array([], object)
        if "region" not in self.out:
            codes, uniques = pd.factorize(by_code)
            self.out["region"] = Coded(codes.astype(np.intp), np.asarray(uniques, dtype=object))
            return
        region = self.out["region"].array()
        disagree = (by_code != "") & (region != "") & (by_code != region)
        if disagree.any():
            rc = self.out["region_code"]
            self.add_rows(disagree, "region_code", lambda pos: (
                rc.values[rc.codes[pos]],
                f"the code of {region[pos]} (the region given)",
                f"this code is {by_code[pos]}"), "warning", "region_mismatch")
        filled = np.where(region == "", by_code, region)
        codes, uniques = pd.factorize(filled)
        self.out["region"] = Coded(codes.astype(np.intp), np.asarray(uniques, dtype=object))

    def duplicates(self) -> None:
        if "case_id" not in self.out:
            return
        coded = self.out["case_id"]
        position = self.positions.get("case_id")
        if coded is self.raw["case_id"] and position is not None:  # not normalised
            if self.t.all_distinct(position):  # the cells as read: the common case, fast
                return
        values = coded.array()
        if len(set(values.tolist())) == len(values):  # normalised values all distinct
            return
        dup = pd.Series(values).duplicated(keep=False).to_numpy() & (values != "")
        if not dup.any():
            return
        per_row, _ = pd.factorize(values)
        positions = np.flatnonzero(dup)
        rows_of: dict[int, list[int]] = {}
        for pos in positions:
            rows_of.setdefault(int(per_row[pos]), []).append(int(self.rows[pos]))
        raw = self.raw["case_id"]

        def describe(pos):
            others = [r for r in rows_of[int(per_row[pos])] if r != self.rows[pos]]
            shown = ", ".join(map(str, others[:5])) + (" ..." if len(others) > 5 else "")
            return raw.values[raw.codes[pos]], "a case id used only once", f"also in row {shown}"
        self.add_rows(positions, "case_id", describe, "error", "duplicate_case_id")

    def date_order(self) -> None:
        for early, late in cb.DATE_ORDER:
            if early not in self.ords or late not in self.ords:
                continue
            a, b = self.ords[early], self.ords[late]
            wrong = (a > 0) & (b > 0) & (b < a)
            if not wrong.any():
                continue
            ra, rb = self.raw[late], self.out[early]

            def describe(pos, ra=ra, rb=rb, early=early):
                return (ra.values[ra.codes[pos]],
                        f"a date not before {self.header[early]} ({rb.values[rb.codes[pos]]})",
                        "check the day/month order and the year")
            self.add_rows(wrong, late, describe, "error", "date_order")

    def row_is(self, canon: str, test) -> np.ndarray:
        """Per row: does ``test`` hold for the normalised value (evaluated per distinct value)."""
        coded = self.out[canon]
        per_value = np.fromiter((bool(test(v)) for v in coded.values.tolist()), dtype=bool,
                                count=len(coded.values))
        return per_value[coded.codes] if len(per_value) else np.zeros(self.n, dtype=bool)

    def consistency(self) -> None:
        if "outcome" not in self.out:
            return
        outcome = self.out["outcome"].array()
        sanctioned = self.row_is("outcome", lambda v: v == "sanctioned")
        if "sanction_severity" in self.out:
            sev = self.out["sanction_severity"].array()
            miss = sanctioned & self.row_is("sanction_severity", lambda v: v == "")
            self.add_rows(miss, "sanction_severity", lambda pos: (
                "", "a severity (moral, ringan, sedang, berat) when the outcome is sanctioned",
                ""), "warning", "severity_missing")
            extra = (self.row_is("outcome", lambda v: v in ("not_proven", "stopped"))
                     & self.row_is("sanction_severity", lambda v: v != ""))
            self.add_rows(extra, "sanction_severity", lambda pos: (
                sev[pos], f"no severity when the outcome is {outcome[pos]}", ""),
                "warning", "severity_unexpected")
        if "date_sanction" in self.out:
            ds = self.out["date_sanction"].array()
            extra = (~sanctioned & self.row_is("outcome", lambda v: v != "")
                     & self.row_is("date_sanction", lambda v: v != ""))
            self.add_rows(extra, "date_sanction", lambda pos: (
                ds[pos], f"no sanction date when the outcome is {outcome[pos]}", ""),
                "warning", "sanction_date_unexpected")

    def after_data_date(self) -> None:
        """No date after the register's data date: a register records what had happened by
        then (open cases are censored there)."""
        if self.data_date is None:
            return
        limit = self.data_date.toordinal()
        for canon in cb.DATE_COLUMNS:
            if canon not in self.ords:
                continue
            late = self.ords[canon] > limit
            if not late.any():
                continue
            raw = self.raw[canon]
            self.add_rows(late, canon, lambda pos, raw=raw: (
                raw.values[raw.codes[pos]],
                f"a date on or before the data date {self.data_date.isoformat()}",
                "a register records what had happened by its data date: check the year, or "
                "give a later --data-date"), "error", "date_after_data_date")

    def elections(self) -> None:
        """Every (cycle, election type) must be an election with a national voting day in
        elections.csv: lags after voting day, and so the aggregates, are counted from it."""
        if "cycle" not in self.out or "election_type" not in self.out:
            return
        cycle, etype = self.out["cycle"], self.out["election_type"]
        known = known_elections(self.elections_path)
        nc = len(etype.values)
        pair = cycle.codes.astype(np.int64) * nc + etype.codes
        present = np.unique(pair)
        bad = [int(p) for p in present
               if cycle.values[p // nc] and etype.values[p % nc]
               and (int(cycle.values[p // nc]), etype.values[p % nc]) not in known]
        if not bad:
            return
        raw = self.raw["cycle"]
        mask = np.isin(pair, np.asarray(bad, dtype=np.int64))

        def describe(pos):
            kind = etype.values[etype.codes[pos]]
            years = sorted(y for y, t in known if t == kind)
            return (raw.values[raw.codes[pos]],
                    f"a year with a {kind} voting day in data/raw/elections.csv ("
                    + ", ".join(map(str, years)) + ")",
                    f"{self.header.get('election_type', 'election_type')} is "
                    f"'{self.raw['election_type'].values[self.raw['election_type'].codes[pos]]}'"
                    "; a new election needs its voting day in elections.csv")
        self.add_rows(mask, "cycle", describe, "error", "unknown_election")

    def long_numbers(self, found: dict[str, list[int]]) -> None:
        if "nip" not in found or not self.t.long_numbers:
            return
        nip_positions = set(found["nip"])
        where = {r: None for r, c in self.t.long_numbers if c in nip_positions}
        if not where:
            return
        mask = np.isin(self.rows, np.fromiter(where, dtype=np.int64))
        raw = self.raw["nip"]
        self.add_rows(mask, "nip", lambda pos: (
            hidden(raw.values[raw.codes[pos]]), "an NIP typed as text",
            "the cell is a number: Excel keeps only 15 digits; format the NIP column as Text "
            "and type the NIP again"), "error", "nip_number_cell")

    def run(self) -> None:
        found = self.map_headers()
        self.say(f"checking {self.n:,} rows ...")
        for canon, positions in found.items():
            if len(positions) > 1 and canon != "region":
                positions = positions[:1]
            raw = self.factorize(canon, positions)
            if len(positions) == 1:
                self.positions[canon] = positions[0]
            self.raw[canon] = raw
            self.column(canon, raw)
        self.required_values()
        self.region_from_code()
        self.duplicates()
        self.date_order()
        self.consistency()
        self.after_data_date()
        self.elections()
        self.long_numbers(found)


def known_elections(path: Path | None = None) -> set[tuple[int, str]]:
    """(cycle, election type) of every election with a national voting day in elections.csv
    (:func:`..ledger.voting_days`)."""
    from .. import ledger

    days = ledger.voting_days(ledger.load_elections(path or paths.ELECTIONS))
    return {(int(c), str(t)) for c, t in zip(days["cycle"], days["election_type"])}


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
    checker = _Checker(table, limit, Path(regions_path or paths.REGIONS), progress,
                       data_date=data_date)
    checker.run()
    return Inspection(checker.problems, table, checker.out, checker.rows, checker.extras)


def check_register(path: Path | str, sheet: str | None = None, *, limit: int | None = LIMIT,
                   regions_path: Path | None = None,
                   data_date: dt.date | str | None = None) -> list[Problem]:
    """Every problem of the register at ``path`` (errors and warnings), in reading order."""
    return inspect_register(path, sheet, limit=limit, regions_path=regions_path,
                            data_date=data_date).problems
