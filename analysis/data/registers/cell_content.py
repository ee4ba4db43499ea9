"""What any register cell may hold: no NUL byte, and no more than a spreadsheet cell can.

A NUL byte (U+0000) means binary data or another encoding; the ledger's validator refuses it
too. A cell longer than :data:`CELL_MAX` characters cannot come from Excel (its limit) and is
not a register value. Both are errors with the row and column; a personal cell is never shown.
A CSV known to hold no NUL byte (:attr:`.reader.RawTable.nul_free`, found while it was read)
is not searched again.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..cell_rules import NUL_EXPECTED
from . import codebook as cb
from .problem import hidden

if TYPE_CHECKING:
    from .check import Checker
    from .coded import Coded

CELL_MAX = 32_767  # characters in one cell: Excel's limit


def _rows_where(coded: Coded, test_series, test_value) -> np.ndarray | None:
    """Per row: does the raw value pass the test (``test_series`` on a polars column kept as
    read, giving a numpy array or None; ``test_value`` on each distinct value otherwise);
    None when no row does."""
    if coded.lazy:
        return test_series(coded.series)
    per_value = np.fromiter(map(test_value, coded.values.tolist()), dtype=bool,
                            count=len(coded.values))
    return per_value[coded.codes] if per_value.any() else None


def _has_nul(series) -> np.ndarray | None:
    found = series.str.contains("\x00", literal=True)
    return found.to_numpy() if found.any() else None


def _too_long(series) -> np.ndarray | None:
    if (series.str.len_bytes().max() or 0) <= CELL_MAX:  # bytes >= characters: none is long
        return None
    return (series.str.len_chars() > CELL_MAX).to_numpy()


def _shown(canon: str, value: str) -> str:
    if canon in cb.PERSONAL:
        return hidden(value)
    return value if len(value) <= 80 else f"{value[:60]}... ({len(value):,} characters)"


def check_cells(ck: Checker) -> None:
    """NUL bytes and over-long cells in every column read (``ck.raw``)."""
    for canon, raw in ck.raw.items():
        if not ck.t.nul_free:
            nul = _rows_where(raw, _has_nul, lambda v: "\x00" in v)
            if nul is not None and nul.any():
                ck.add_rows(nul, canon, lambda pos, raw=raw, canon=canon: (
                    _shown(canon, raw.take(np.array([pos]))[0]), NUL_EXPECTED, ""),
                    "error", "nul_byte")
        long = _rows_where(raw, _too_long, lambda v: len(v) > CELL_MAX)
        if long is not None and long.any():
            ck.add_rows(long, canon, lambda pos, raw=raw, canon=canon: (
                _shown(canon, raw.take(np.array([pos]))[0]),
                f"at most {CELL_MAX:,} characters in a cell (what a spreadsheet cell holds); "
                f"this one has {len(raw.take(np.array([pos]))[0]):,}", ""), "error",
                "cell_too_long")
