"""One problem found in a raw file: file, spreadsheet row, column, the value and what was expected.

Shared by the CSV reader (:mod:`.csv_table`), the cell and table rules (:mod:`.cell_rules`,
:mod:`.table_rules`) and the validator (:mod:`.validate`). A value is echoed through
:func:`shown`: NIP/NIK hidden, long values cut.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import pii

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

