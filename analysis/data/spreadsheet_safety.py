"""Neutralise spreadsheet formulas in CSV cells before they are published (OWASP CSV injection).

A spreadsheet opening a CSV runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula, and a leading tab or carriage return can hide such a start. OWASP's remedy is to
prefix such a cell with a single quote ``'``, which makes the spreadsheet show it as text.

The rule, cell by cell:

- numbers (int, float, numpy numbers, bool, missing values) are never changed: ``-3.5`` stored as
  a number is written as ``-3.5``;
- a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return (or their
  full-width forms ``＝ ＋ － ＠``, which some spreadsheets also read as formula starts) gets a
  leading ``'``, *unless the whole cell is a plain decimal number* such as ``-3.5``, ``+2`` or
  ``-1.2e-3``: a number literal runs nothing, and a numeric column that pandas holds as text
  (for example after a merge) must stay a number in the published file. ``-2+3`` or ``-A1`` are
  not plain numbers and are prefixed;
- every other text cell is unchanged, so neutralising twice changes nothing.

The validator already rejects formula starts in name and category columns of the raw files; this
is the second guard, for free text (notes, titles) and anything computed.
"""
from __future__ import annotations

import re

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)


def neutralise_cell(value):
    """``value`` as it may be written to a CSV: text starting like a formula gets a ``'``."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell neutralised (see the module docstring); numeric,
    boolean and datetime columns are returned as they are. Column names are neutralised too."""
    out = df.copy()
    for column in out.columns:
        series = out[column]
        if (pd.api.types.is_object_dtype(series.dtype)
                or pd.api.types.is_string_dtype(series.dtype)
                or isinstance(series.dtype, pd.CategoricalDtype)):
            if isinstance(series.dtype, pd.CategoricalDtype):
                series = series.astype(object)
            out[column] = series.map(neutralise_cell)
    out.columns = [neutralise_cell(c) for c in out.columns]
    return out


def to_safe_csv(df: pd.DataFrame, **kwargs) -> str:
    """``neutralise(df).to_csv(...)`` with the toolkit's defaults (no index, ``\\n`` lines)."""
    kwargs.setdefault("index", False)
    kwargs.setdefault("lineterminator", "\n")
    return neutralise(df).to_csv(**kwargs)
