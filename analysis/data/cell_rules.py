"""What one cell of a raw file may hold: its characters and length, then its type.

:func:`check_text` runs first (NUL and control characters, length, digits that are not 0-9,
markup and formula starts in name and category columns), then :func:`check_cell` (required,
integer, number, date, partial date, vocabulary, bounds) and, for URL columns,
:func:`check_url`. Each gives what was expected, or None when the cell is fine.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .schemas import FREE_TEXT_MAX, NAME_MAX, Field, Schema

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
NUL_EXPECTED = ("no NUL byte (U+0000): the file holds binary data or was saved in another "
                "encoding; retype the cell")  # the registers' check says the same


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
        return NUL_EXPECTED
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
