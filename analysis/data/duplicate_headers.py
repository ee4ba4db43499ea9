"""Headers given twice in one table, with both positions as a spreadsheet shows them.

A second column with the same header would be read in place of the first, or not at all: the
raw files and the registers refuse it, naming the header and both columns (``columns 21 (U) and
24 (X)``).
"""
from __future__ import annotations

from typing import Callable


def column_letter(number: int) -> str:
    """The spreadsheet letters of column ``number`` (1 = A, 27 = AA)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def where(number: int) -> str:
    """``21 (U)``: a column's number and its letters."""
    return f"{number} ({column_letter(number)})"


def duplicated_headers(headers: list[str], key: Callable[[str], str] = str.strip
                       ) -> list[tuple[str, int, int]]:
    """(header, first column, repeated column) for each header that repeats an earlier one, as
    compared by ``key`` (columns numbered from 1; blank headers are not compared)."""
    first: dict[str, int] = {}
    found = []
    for number, header in enumerate(headers, start=1):
        k = key(header)
        if not k:
            continue
        if k in first:
            found.append((header, first[k], number))
        else:
            first[k] = number
    return found


def message(header: str, first: int, again: int) -> str:
    """What is expected of a header given twice."""
    return (f"one column named {header.strip()!r}: found in columns {where(first)} and "
            f"{where(again)}; delete or rename one (only one of them would be read)")
