"""One problem of a register: sheet, row, column, value, what was expected and a hint.

Personal data (``nip``, ``name``) is never shown: a problem gives :func:`hidden` instead, the
value's length.
"""
from __future__ import annotations

from dataclasses import dataclass


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


def hidden(value: str) -> str:
    return f"(personal data, hidden; {len(value)} characters)"

