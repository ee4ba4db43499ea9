"""The one contract every estimator in :mod:`analysis.methods` keeps (as statsmodels' and
diff-diff's estimators do).

In: a DataFrame and column names (or plain numbers for the small closed-form estimators), and
``level``, the two-sided confidence level (0.95 by default), under that one name everywhere.

Out: a result object (a subclass of :class:`Result`) whose :meth:`Result.tidy` returns a
DataFrame with the fixed columns :data:`TIDY_COLUMNS` first, in that order:

* ``term``: what the row estimates (a model term, ``"ratio"``, ``"overall"``, ``"e=2"``, …);
* ``estimate``: the point estimate, in the units the estimator's docstring states;
* ``std_error``: its standard error on the same scale (NaN where the method has none, e.g. an
  exact interval);
* ``low``, ``high``: the bounds of the ``level`` interval (NaN where none is given, with the
  reason in the result's ``notes``);
* ``p_value``: the two-sided p-value of the estimator's stated null (NaN where none);

then any columns of the estimator's own (``time``, ``n_risk``, ``statistic`` …). Every result
carries ``level`` and ``method`` (a sentence naming the method, so no library default is silent).

Log-linear models (count models, Cox) estimate log rate or hazard ratios: their results are
:class:`LogLinearResult`, whose ``tidy()`` gives the coefficient (log) scale and
``tidy(exponentiate=True)`` the ratio scale (see :func:`exponentiated`).

Bad input raises :class:`InputError` (a ``ValueError``) whose message names the function, the
column and, where known, the row, the value and what was expected (:func:`reject_rows` for a
column with bad values).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

LEVEL = 0.95
TIDY_COLUMNS = ("term", "estimate", "std_error", "low", "high", "p_value")


class InputError(ValueError):
    """Bad input to an estimator. ``column``, ``row``, ``value`` and ``expected`` say where and
    what; the message says all of them in words. ``message`` is the reason alone (without the
    function's name and those details), for a table that lists why fits failed."""

    def __init__(self, function: str, message: str, *, column: str | None = None,
                 row=None, value=None, expected: str | None = None):
        self.function, self.column, self.row, self.message = function, column, row, message
        self.value, self.expected = value, expected
        parts = [f"{function}: {message}"]
        if column is not None and f"{column!r}" not in message:
            parts.append(f"column {column!r}")
        if row is not None:
            parts.append(f"row {row}")
        if value is not None:
            parts.append(f"value {value!r}")
        if expected is not None:
            parts.append(f"expected {expected}")
        super().__init__("; ".join(parts))


def require_columns(frame: pd.DataFrame, columns: Iterable[str | None], function: str) -> None:
    """Raise :class:`InputError` naming the first of ``columns`` (None entries skipped) that
    ``frame`` lacks, and the columns it has."""
    if not isinstance(frame, pd.DataFrame):
        raise InputError(function, f"expected a pandas DataFrame, got {type(frame).__name__}")
    for column in columns:
        if column is not None and column not in frame.columns:
            raise InputError(function, f"column {column!r} is not in the data "
                             f"(columns: {list(map(str, frame.columns))})", column=column)


def reject_rows(frame: pd.DataFrame, column: str, bad, function: str, expected: str) -> None:
    """Raise :class:`InputError` naming ``column``, the first row where the boolean ``bad``
    (aligned with ``frame``'s rows) is True, its value and ``expected``; nothing when none is."""
    bad = np.asarray(bad, dtype=bool)
    if not bad.any():
        return
    row = frame.index[int(np.argmax(bad))]
    value = frame.at[row, column]
    value = value.item() if isinstance(value, np.generic) else value  # 0, not np.int64(0)
    raise InputError(function, f"bad value in column {column!r}", column=column, row=row,
                     value=value, expected=expected)


def check_level(level: float, function: str) -> float:
    """``level`` as a float strictly between 0 and 1, else :class:`InputError`."""
    try:
        value = float(level)
    except (TypeError, ValueError):
        raise InputError(function, f"level must be a number in (0, 1), got {level!r}") from None
    if not 0.0 < value < 1.0:
        raise InputError(function, f"level must be in (0, 1), got {level!r}")
    return value


def tidy_frame(frame: pd.DataFrame, function: str = "tidy") -> pd.DataFrame:
    """``frame`` with :data:`TIDY_COLUMNS` first (each required) and its other columns after."""
    missing = [c for c in TIDY_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(function, f"a tidy table lacks the columns {missing}")
    rest = [c for c in frame.columns if c not in TIDY_COLUMNS]
    return frame.loc[:, [*TIDY_COLUMNS, *rest]].reset_index(drop=True)


def tidy_rows(rows: Sequence[dict], extra: Sequence[str] = ()) -> pd.DataFrame:
    """A tidy table from a list of dicts; fixed columns missing from a row are NaN."""
    columns = [*TIDY_COLUMNS, *[c for c in extra if c not in TIDY_COLUMNS]]
    frame = pd.DataFrame(list(rows))
    for column in columns:
        if column not in frame.columns:
            frame[column] = np.nan
    return tidy_frame(frame)


def exponentiated(table: pd.DataFrame) -> pd.DataFrame:
    """A tidy table of log ratios on the ratio scale: ``estimate``, ``low`` and ``high``
    exponentiated (the interval stays the one built on the log scale); every standard-error
    column (``std_error``, ``std_error_<kind>``) becomes the delta-method standard error of the
    ratio, ``exp(estimate) * SE(log)``. ``p_value`` and the test statistic are unchanged."""
    out = table.copy()
    ratio = np.exp(table["estimate"].to_numpy(dtype=float))
    for column in [c for c in table.columns if c == "std_error" or c.startswith("std_error_")]:
        out[column] = ratio * table[column].to_numpy(dtype=float)
    out["estimate"] = ratio
    out["low"] = np.exp(table["low"].to_numpy(dtype=float))
    out["high"] = np.exp(table["high"].to_numpy(dtype=float))
    return out


class Result:
    """Base of every estimator's result: subclasses set ``level`` and ``method`` and implement
    :meth:`_tidy` (a DataFrame holding at least :data:`TIDY_COLUMNS`)."""

    level: float
    method: str

    def _tidy(self) -> pd.DataFrame:  # pragma: no cover - abstract
        raise NotImplementedError

    def tidy(self) -> pd.DataFrame:
        """The result as a table: :data:`TIDY_COLUMNS` first, the estimator's own columns after."""
        return tidy_frame(self._tidy(), f"{type(self).__name__}.tidy")


class LogLinearResult(Result):
    """Result of a log-linear model: estimates are log rate (or hazard) ratios."""

    def tidy(self, exponentiate: bool = False) -> pd.DataFrame:
        """The coefficient (log) scale by default, as statsmodels reports it; with
        ``exponentiate=True`` the ratio scale (:func:`exponentiated`). A report says which."""
        table = super().tidy()
        return exponentiated(table) if exponentiate else table
