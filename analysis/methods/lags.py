"""Equal-lag comparison of cumulative enforcement snapshots (METHODS.md point 5).

Executed sanctions keep accumulating for months after voting day, so follow-up rates of two
cycles are comparable only at the same lag (``days_since_vote``). Agencies publish snapshots at
irregular dates; this module reads a series at requested lags without inventing data:

- ``observed``: a snapshot sits exactly at the lag;
- ``interpolated``: linear interpolation between the two nearest snapshots that bracket the lag;
- ``not_available_extrapolation_needed``: the lag lies before the first or after the last
  snapshot. The value stays NaN; the nearest snapshot and the signed gap are reported so a report
  can say "would need extrapolation by N days".

Only snapshots with a non-missing ``value_col`` count as observations of a series.

**One series, one definition** (METHODS.md 17): a curve joins points from one agency and one
unit. ``value_at_lags`` raises when a group mixes agencies (``series_cols``) or units
(``<count>_unit`` columns), and ``require_one_series`` does the same for any frame; a
comparison across agencies is made only through a written declaration of equivalence, which
lives with the findings that make it, not here.

**Interpolated values are estimates, not counts.** An interpolated reading gets no interval
of its own (``rate_low``/``rate_high`` are NaN): the table gives the bracketing snapshots with
their Wilson intervals and, for cumulative counts, the bounds that hold whatever the counts did
between the snapshots (``bound_low = x_lower / n_upper``, ``bound_high = x_upper / n_lower``).

``value_at_lags`` returns a table, not a result object: it reads published snapshots (observed,
interpolated or not available), and a row carries several intervals (the reading's own, the
bracketing snapshots', the bounds), each a ``<name>_low``/``<name>_high`` pair at ``level``.
Bad input raises :class:`~analysis.methods.contract.InputError` naming the column.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .contract import LEVEL, InputError, check_level, require_columns
from .intervals import wilson

OBSERVED = "observed"
INTERPOLATED = "interpolated"
EXTRAPOLATION_NEEDED = "not_available_extrapolation_needed"

LAG_COLUMNS = ["lag", "method", "value", "lower_lag", "lower_value", "upper_lag", "upper_value",
               "bracket_span_days", "nearest_lag", "nearest_value", "gap_days", "imprecise_date",
               "executed", "recommended", "rate_from_counts", "rate_low", "rate_high",
               "lower_counts", "lower_low", "lower_high", "upper_counts", "upper_low", "upper_high",
               "bound_low", "bound_high"]


def _lag_columns(count_cols) -> list[str]:
    """LAG_COLUMNS with the two count columns named after the counts they hold."""
    num, den = count_cols if count_cols is not None else ("executed", "recommended")
    return [num if c == "executed" else den if c == "recommended" else c for c in LAG_COLUMNS]


def require_one_series(frame: pd.DataFrame, cols: Sequence[str], label: str = "") -> None:
    """Raise ``InputError`` when any of ``cols`` (present in ``frame``) holds more than one
    non-missing value: one curve, one agency and one unit."""
    for col in cols:
        if col not in frame.columns:
            continue
        values = sorted(frame[col].dropna().astype(str).unique())
        values = [v for v in values if v != ""]
        if len(values) > 1:
            raise InputError(
                "require_one_series",
                f"series {label or '(all rows)'} mixes {col} values {values}: a comparison across "
                f"lags or cycles joins one agency and one unit. Filter to one, add {col!r} to the "
                "grouping, or declare the series equivalent (with its source) in the findings.",
                column=col)


def _group_label(group_cols: Sequence[str], key) -> str:
    key = key if isinstance(key, tuple) else (key,)
    return ", ".join(f"{c}={k!r}" for c, k in zip(group_cols, key))


def _observed_series(group: pd.DataFrame, lag_col: str, value_col: str, label: str,
                     group_cols: Sequence[str]) -> pd.DataFrame:
    obs = group[group[value_col].notna() & group[lag_col].notna()].sort_values(lag_col)
    dup = obs[obs.duplicated(lag_col, keep=False)]
    for lag, rows in dup.groupby(lag_col):
        if rows[value_col].nunique() > 1:
            raise InputError(
                "value_at_lags",
                f"series {label}: {len(rows)} snapshots at {lag_col}={lag} with different "
                f"{value_col} values {sorted(rows[value_col].tolist())}; one series must have one "
                f"value per lag. Filter the rows (e.g. scope == 'national') or add the "
                f"distinguishing column (e.g. 'scope', 'region') to group_cols "
                f"(now {list(group_cols)}).", column=value_col)
    return obs.drop_duplicates(lag_col, keep="first").reset_index(drop=True)


def _round_half_up(x: float) -> int:
    return int(np.floor(x + 0.5))


def _count_rate(executed: float, recommended: float, level: float) -> tuple[float, float, float]:
    """Rate from (possibly interpolated) counts and the Wilson interval on rounded counts."""
    if pd.isna(executed) or pd.isna(recommended):
        return np.nan, np.nan, np.nan
    x, n = _round_half_up(executed), _round_half_up(recommended)
    rate = executed / recommended if recommended > 0 else np.nan
    if n <= 0 or x < 0 or x > n:
        return rate, np.nan, np.nan
    low, high = wilson(x, n, level)
    return rate, low, high


def _one_lag(obs: pd.DataFrame, lag: float, lag_col: str, value_col: str,
             count_cols: tuple[str, str] | None, precision_col: str | None,
             level: float) -> dict:
    lags = obs[lag_col].to_numpy(dtype=float)
    values = obs[value_col].to_numpy(dtype=float)
    row = {c: np.nan for c in LAG_COLUMNS}
    row.update(lag=lag, imprecise_date=False)
    nearest = int(np.argmin(np.abs(lags - lag)))
    row.update(nearest_lag=lags[nearest], nearest_value=values[nearest],
               gap_days=lag - lags[nearest])

    def counts(i: int) -> tuple[float, float]:
        if count_cols is None:
            return np.nan, np.nan
        return tuple(float(obs[c].iloc[i]) if pd.notna(obs[c].iloc[i]) else np.nan
                     for c in count_cols)

    def imprecise(idx: list[int]) -> bool:
        if precision_col is None:
            return False
        return bool((obs[precision_col].iloc[idx].fillna("") != "day").any())

    def snap(i: int, side: str) -> None:
        x, n = counts(i)
        if pd.notna(x) and pd.notna(n):
            _, low, high = _count_rate(x, n, level)
            row.update({f"{side}_counts": f"{x:g}/{n:g}", f"{side}_low": low,
                        f"{side}_high": high})

    exact = np.flatnonzero(lags == lag)
    if exact.size:
        i = int(exact[0])
        ex, rec = counts(i)
        row.update(method=OBSERVED, value=values[i], lower_lag=lags[i], lower_value=values[i],
                   upper_lag=lags[i], upper_value=values[i], bracket_span_days=0.0,
                   imprecise_date=imprecise([i]))
        snap(i, "lower")
        snap(i, "upper")
    elif lag < lags[0] or lag > lags[-1]:
        row.update(method=EXTRAPOLATION_NEEDED, imprecise_date=imprecise([nearest]))
        return row
    else:
        hi = int(np.searchsorted(lags, lag))  # lags[hi - 1] < lag < lags[hi]
        lo = hi - 1
        w = (lag - lags[lo]) / (lags[hi] - lags[lo])
        (ex_lo, rec_lo), (ex_hi, rec_hi) = counts(lo), counts(hi)
        ex = ex_lo + w * (ex_hi - ex_lo)
        rec = rec_lo + w * (rec_hi - rec_lo)
        row.update(method=INTERPOLATED, value=values[lo] + w * (values[hi] - values[lo]),
                   lower_lag=lags[lo], lower_value=values[lo], upper_lag=lags[hi],
                   upper_value=values[hi], bracket_span_days=lags[hi] - lags[lo],
                   imprecise_date=imprecise([lo, hi]))
        snap(lo, "lower")
        snap(hi, "upper")
    rate, low, high = _count_rate(ex, rec, level)
    if row["method"] == INTERPOLATED:
        low = high = np.nan  # interpolated counts were not observed: no interval of their own
        if count_cols is not None and not any(pd.isna(v) for v in (ex_lo, rec_lo, ex_hi, rec_hi)):
            row.update(bound_low=ex_lo / rec_hi if rec_hi > 0 else np.nan,
                       bound_high=min(1.0, ex_hi / rec_lo) if rec_lo > 0 else np.nan)
    else:
        row.update(bound_low=rate, bound_high=rate)
    row.update(executed=ex, recommended=rec, rate_from_counts=rate, rate_low=low, rate_high=high)
    return row


def value_at_lags(snapshots: pd.DataFrame, lags: Sequence[float],
                  lag_col: str = "days_since_vote", value_col: str = "follow_up_rate",
                  group_cols: Sequence[str] = ("cycle", "election_type", "agency"),
                  count_cols: tuple[str, str] | None = ("executed", "recommended"),
                  precision_col: str | None = "as_of_precision",
                  series_cols: Sequence[str] = ("agency",), level: float = LEVEL) -> pd.DataFrame:
    """Value of each series at each requested lag (days since voting day), without extrapolation.

    Returns one row per group x lag (groups sorted, lags in the order given) with:

    - ``lag``; ``method``: ``observed``, ``interpolated`` or
      ``not_available_extrapolation_needed``;
    - ``value``: ``value_col`` at the lag: the snapshot's value when observed, the linear
      interpolation between the bracketing snapshots ``lower_lag``/``lower_value`` and
      ``upper_lag``/``upper_value`` when interpolated, NaN when extrapolation would be needed;
      ``bracket_span_days`` = ``upper_lag - lower_lag`` (a reading interpolated across a gap of
      a year says little about the shape of the curve in between);
    - ``nearest_lag``, ``nearest_value``, ``gap_days`` = ``lag - nearest_lag`` (negative: the lag
      is before the nearest snapshot; positive: after it), filled for every method;
    - ``imprecise_date``: a snapshot used (or the nearest one) is dated only to the month or
      year, so its lag is the period's midpoint and uncertain by up to half the period;
    - the two ``count_cols``, in columns **named after them** (default ``executed``,
      ``recommended``; ``("executed", "reported")`` gives ``executed``, ``reported``): the counts
      at the lag, each interpolated separately with the same weights; ``rate_from_counts`` =
      their ratio; ``rate_low``/``rate_high`` the Wilson interval at ``level`` (95% by default)
      **only when observed**
      (NaN when interpolated: interpolated counts were never observed);
      ``lower_counts``/``lower_low``/``lower_high`` and ``upper_...`` the bracketing snapshots'
      counts ("x/n") and Wilson intervals; ``bound_low``/``bound_high`` the range the ratio
      must lie in at the lag if both counts are cumulative (never fall), whatever they did in
      between: ``x_lower / n_upper`` to ``x_upper / n_lower``. ``rate_from_counts`` differs
      from ``value`` when the denominator also grows between snapshots (a ratio of
      interpolated cumulative counts is not the interpolated ratio); both are shown so a report
      can say which it uses. Counts are NaN when either bracketing snapshot lacks one (e.g. the
      rate's basis is ``violation_found``).

    ``snapshots`` must hold one value per lag within a group (filter to one scope/region first,
    e.g. ``scope == 'national'``); differing values at one lag raise ``InputError``. A group
    mixing values of ``series_cols`` not in ``group_cols`` (agencies), or of the units of the
    count columns (``<count>_unit``), raises ``InputError`` (:func:`require_one_series`). Identical
    duplicates are collapsed. A group with no observed value gives no rows.
    """
    group_cols = list(group_cols)
    needed = [*group_cols, lag_col, value_col]
    if count_cols is not None:
        count_cols = tuple(count_cols)
        if not set(count_cols) <= set(snapshots.columns):
            count_cols = None
    if precision_col is not None and precision_col not in snapshots.columns:
        precision_col = None
    require_columns(snapshots, needed, "value_at_lags")
    level = check_level(level, "value_at_lags")
    out = []
    check = [c for c in series_cols if c not in group_cols]
    if count_cols is not None:
        check += [f"{c}_unit" for c in count_cols]
    for key, group in snapshots.groupby(group_cols, sort=True, dropna=False):
        label = _group_label(group_cols, key)
        used = group[group[value_col].notna() & group[lag_col].notna()]
        require_one_series(used, check, label)
        obs = _observed_series(group, lag_col, value_col, label, group_cols)
        if obs.empty:
            continue
        key = key if isinstance(key, tuple) else (key,)
        for lag in lags:
            row = dict(zip(group_cols, key))
            one = _one_lag(obs, float(lag), lag_col, value_col, count_cols, precision_col, level)
            if count_cols is not None:
                one[count_cols[0]] = one.pop("executed")
                one[count_cols[1]] = one.pop("recommended")
            row.update(one)
            out.append(row)
    columns = [*group_cols, *_lag_columns(count_cols)]
    return pd.DataFrame(out, columns=columns)


def accumulation_curve(snapshots: pd.DataFrame, lag_col: str = "days_since_vote",
                       value_col: str = "follow_up_rate",
                       count_cols: Sequence[str] = ("executed", "recommended"),
                       group_cols: Sequence[str] = ("cycle", "election_type", "agency"),
                       date_col: str = "as_of_date") -> pd.DataFrame:
    """Observed points of each series in lag order, with a monotonicity check, for plotting.

    Keeps every snapshot with a value in ``value_col`` or any of ``count_cols`` (a series of
    executed counts without a denominator still shows accumulation). For each count column
    ``c`` adds ``c_change`` (difference from the previous snapshot that reported ``c``) and
    ``c_decreased``. Cumulative counts cannot fall: a decrease signals a change of definition
    or unit, or conflicting sources, and is spelled out in ``flags``; so is a change of unit
    (``c_unit`` columns) between consecutive reports, and a snapshot whose counts all equal the
    previous one's (often one release quoted on two dates; counting it twice overweights it in
    a regression). ``monotone`` is True when no count
    decreased in the group. Carried along when present: ``as_of_precision``, the interval
    columns ``follow_up_low``/``follow_up_high``, ``values_conflict``, ``source_ids``.
    """
    group_cols = list(group_cols)
    count_cols = [c for c in count_cols if c in snapshots.columns]
    unit_cols = [f"{c}_unit" for c in count_cols if f"{c}_unit" in snapshots.columns]
    extra = [c for c in (date_col, "as_of_precision", "follow_up_low", "follow_up_high",
                         "values_conflict", "source_ids") if c in snapshots.columns]
    keep_cols = list(dict.fromkeys([*group_cols, lag_col, *extra, value_col, *count_cols,
                                    *unit_cols]))
    has_data = snapshots[[value_col, *count_cols]].notna().any(axis=1)
    df = snapshots.loc[has_data, keep_cols]
    sort_cols = [*group_cols, lag_col] + ([date_col] if date_col in df else [])
    df = df.sort_values(sort_cols, kind="mergesort").reset_index(drop=True)
    flags = [[] for _ in range(len(df))]
    for c in count_cols:
        prev = df.groupby(group_cols, dropna=False)[c].transform(lambda s: s.ffill().shift())
        df[f"{c}_change"] = df[c] - prev
        df[f"{c}_decreased"] = df[f"{c}_change"] < 0
        for i in np.flatnonzero(df[f"{c}_decreased"].to_numpy()):
            flags[i].append(f"{c} fell from {prev.iloc[i]:g} to {df[c].iloc[i]:g} "
                            f"(definitional change or conflicting sources?)")
        unit = f"{c}_unit"
        if unit in df:
            reported = df[unit].where(df[c].notna())
            prev_unit = df.assign(_u=reported).groupby(group_cols, dropna=False)["_u"].transform(
                lambda s: s.ffill().shift())
            changed = reported.notna() & prev_unit.notna() & (reported != prev_unit)
            for i in np.flatnonzero(changed.to_numpy()):
                flags[i].append(f"{c} unit changed from {prev_unit.iloc[i]!r} to "
                                f"{reported.iloc[i]!r}")
    if count_cols:
        changes = df[[f"{c}_change" for c in count_cols]]
        repeat = (changes == 0).all(axis=1) & df[count_cols].notna().all(axis=1)
        for i in np.flatnonzero(repeat.to_numpy()):
            flags[i].append("counts identical to the previous snapshot (the same release "
                            "reported again?)")
    df["flags"] = ["; ".join(f) for f in flags]
    decreased = [f"{c}_decreased" for c in count_cols]
    if decreased:
        any_dec = df[decreased].any(axis=1)
        by_group = any_dec.groupby([df[c] for c in group_cols], dropna=False)
        df["monotone"] = ~by_group.transform("any")
    else:
        df["monotone"] = True
    return df
