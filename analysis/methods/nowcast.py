"""Nowcasting the final value of a cumulative share from early snapshots, using the accumulation
curves of completed series (e.g. the share of recommended sanctions executed, by days since
voting day, in completed election cycles).

Method (every choice explicit)
------------------------------
For a completed reference series k with final value F_k, its *completion ratio* at lag t is
r_k(t) = V_k(t) / F_k, with V_k(t) read from its snapshots by linear interpolation between the
two bracketing snapshots; outside the observed lags it is not available (no extrapolation). A
running series observed at lag t with value v (a proportion from n trials, if given) is nowcast
as F = v / r(t), on the log scale::

    log F = log v - mean_k log r_k(t)

with K the number of references available at t. The prediction interval adds the between-series
spread of log r (a new series is one more draw) and the sampling error of v::

    var = s^2 (1 + 1/K) + (1 - v) / (n v)          (delta method for log v; 0 when n unknown)
    log F -/+ t_{K-1, (1+level)/2} sqrt(var)

with s the sample standard deviation of log r_k(t). The interval is clipped to [0, 1] when the
value is a share. K = 1 gives a point but no interval (the spread of curves across series cannot
be estimated from one curve); K = 0 gives neither. In both cases the returned interval is the
logically possible range ([0, 1] for a share), ``method`` says why, and ``width`` is its width:
that is how little the data constrain the final value. The interval is built on the log scale
from the spread of the curves, so no standard error is given on the scale of the share
(``std_error`` is NaN in ``tidy()``), and no test (``p_value`` NaN).

Assumption: the running series accumulates like a random draw from the reference curves (same
definition, unit and agency; procedures unchanged). A change of procedure (e.g. a new body
deciding cases) breaks it, and no interval can show that.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .contract import LEVEL, InputError, Result, check_level, require_columns, tidy_rows


def value_at(points: pd.DataFrame, lag: float, lag_col: str = "lag",
             value_col: str = "value") -> float:
    """Value of one series at ``lag``: exact at a snapshot, linear between two, NaN outside."""
    require_columns(points, [lag_col, value_col], "value_at")
    p = points[[lag_col, value_col]].dropna().sort_values(lag_col)
    p = p.groupby(lag_col, as_index=False)[value_col].last()
    if p.empty:
        return math.nan
    x, y = p[lag_col].to_numpy(float), p[value_col].to_numpy(float)
    if lag < x[0] or lag > x[-1]:
        return math.nan
    return float(np.interp(lag, x, y))


def completion_ratios(references: dict, finals: dict, lag: float, lag_col: str = "lag",
                      value_col: str = "value") -> pd.Series:
    """r_k(lag) = V_k(lag) / F_k for every reference series that covers ``lag`` (name -> ratio).
    A reference whose value at the lag is 0 or whose final is not positive is left out."""
    out = {}
    for name, pts in references.items():
        final = finals[name]
        v = value_at(pts, lag, lag_col, value_col)
        if np.isfinite(v) and v > 0 and final and final > 0:
            out[name] = v / final
    return pd.Series(out, dtype=float)


@dataclass
class Nowcast(Result):
    """One nowcast: ``estimate`` with ``low``/``high`` (the prediction interval at ``level``, or
    the logically possible range when ``method`` is not ``"reference_curves"``), ``k``
    references used, their ``ratios``, the sampling-only interval, and ``width`` = high - low.
    ``method`` names how the interval was obtained: ``reference_curves``,
    ``single_reference_no_interval``, ``no_reference_curve`` or ``current_zero``.
    ``tidy()``: one row, term ``final_value``, then lag, current, n, k, method, width,
    sampling_low, sampling_high and references (names joined by ``|``)."""

    lag: float
    current: float
    n: float | None
    estimate: float
    low: float
    high: float
    k: int
    method: str
    width: float
    ratios: pd.Series = field(repr=False)
    sampling_low: float = math.nan
    sampling_high: float = math.nan
    level: float = LEVEL

    def _row(self) -> dict:
        return {"lag": self.lag, "current": self.current, "n": self.n,
                "estimate": self.estimate, "low": self.low, "high": self.high, "k": self.k,
                "method": self.method, "width": self.width,
                "sampling_low": self.sampling_low, "sampling_high": self.sampling_high,
                "references": "|".join(map(str, self.ratios.index))}

    def _tidy(self) -> pd.DataFrame:
        row = self._row()
        return tidy_rows([{"term": "final_value", **row}], extra=list(row))


def nowcast_final(current: float, lag: float, references: dict, finals: dict,
                  n: float | None = None, level: float = LEVEL, share: bool = True,
                  lag_col: str = "lag", value_col: str = "value") -> Nowcast:
    """Nowcast of the final value of a series now at ``current`` (lag ``lag``); see the module
    docstring. ``references``: name -> DataFrame of snapshots (``lag_col``, ``value_col``) of
    completed series; ``finals``: name -> final value; ``n``: trials behind ``current`` (e.g.
    recommendations) for the sampling error, or None."""
    level = check_level(level, "nowcast_final")
    if not (np.isfinite(current) and current >= 0):
        raise InputError("nowcast_final", "current value must be a non-negative number",
                         value=current)
    lo_bound, hi_bound = (0.0, 1.0) if share else (current, math.inf)
    ratios = completion_ratios(references, finals, lag, lag_col, value_col)
    k = len(ratios)
    samp = 0.0
    if n is not None and n > 0 and 0 < current < 1:
        samp = (1 - current) / (n * current)
    if k == 0 or current == 0:
        return Nowcast(lag, current, n, math.nan, lo_bound, hi_bound, k,
                       "no_reference_curve" if k == 0 else "current_zero",
                       hi_bound - lo_bound, ratios, level=level)
    logr = np.log(ratios.to_numpy())
    est = math.exp(math.log(current) - logr.mean())
    z = stats.norm.ppf(0.5 + level / 2)
    s_lo = math.exp(math.log(est) - z * math.sqrt(samp)) if samp else est
    s_hi = math.exp(math.log(est) + z * math.sqrt(samp)) if samp else est
    if share:
        est, s_lo, s_hi = min(est, 1.0), min(s_lo, 1.0), min(s_hi, 1.0)
    if k == 1:
        return Nowcast(lag, current, n, est, lo_bound, hi_bound, k, "single_reference_no_interval",
                       hi_bound - lo_bound, ratios, s_lo, s_hi, level)
    s = float(np.std(logr, ddof=1))
    var = s * s * (1 + 1 / k) + samp
    t = stats.t.ppf(0.5 + level / 2, k - 1)
    centre = math.log(current) - logr.mean()
    low, high = math.exp(centre - t * math.sqrt(var)), math.exp(centre + t * math.sqrt(var))
    if share:
        low, high = max(min(low, 1.0), lo_bound), min(high, 1.0)
    return Nowcast(lag, current, n, est, low, high, k, "reference_curves", high - low, ratios,
                   s_lo, s_hi, level)


def backtest(target: pd.DataFrame, final: float, references: dict, finals: dict,
             n_col: str | None = None, level: float = LEVEL, share: bool = True,
             lag_col: str = "lag", value_col: str = "value") -> pd.DataFrame:
    """Nowcast a completed ``target`` series from each of its own snapshots (``references`` must
    not include it) and compare with its known ``final``: one row per snapshot with the nowcast,
    interval, error (nowcast - final), whether the interval covers the final, and the error of
    carrying the snapshot forward unchanged (current - final), the no-model benchmark."""
    require_columns(target, [lag_col, value_col, n_col], "backtest")
    rows = []
    for _, r in target.sort_values(lag_col).iterrows():
        n = float(r[n_col]) if n_col and pd.notna(r[n_col]) else None
        nc = nowcast_final(float(r[value_col]), float(r[lag_col]), references, finals, n,
                           level, share, lag_col, value_col)
        d = nc._row()
        d.update({"final": final,
                  "error": d["estimate"] - final if np.isfinite(d["estimate"]) else math.nan,
                  "covers": bool(d["low"] <= final <= d["high"]),
                  "carry_forward_error": float(r[value_col]) - final})
        rows.append(d)
    return pd.DataFrame(rows)
