"""Time-to-event methods: Kaplan–Meier, competing-risk cumulative incidence (Aalen–Johansen),
and durations from dates; the Cox model, which builds on this module's input checks, is in
:mod:`.cox`.

Units and data: a duration is a non-negative number of days from an origin (e.g. the sanction
recommendation) to the event (e.g. the sanction executed) or to censoring; the event indicator is
1 = event observed, 0 = censored (still pending at the data date). Every estimator takes a
DataFrame and column names and returns a result whose ``tidy()`` keeps the contract of
:mod:`.contract`: a curve gives one row per time, with ``term`` naming the quantity
(``survival``) or the outcome, ``estimate``, ``std_error``, ``low``, ``high`` at ``level`` and
``p_value`` (NaN: no test), then the time and the counts. Bad input raises
:class:`~.contract.InputError` naming the column and the rows.

Assumptions: censoring is independent of the event time; times are exact.

Definitions (all as in R's ``survival`` package, 3.x):

- ``kaplan_meier``: S(t) = prod_{t_j <= t} (1 - d_j / n_j), n_j = number with duration >= t_j.
  ``std_error`` is the standard error of S(t) (not of log S), Greenwood:
  S(t) * sqrt(sum_{t_j <= t} d_j / (n_j (n_j - d_j))) = R ``summary(survfit(...))$std.err``.
  With sigma = sqrt(sum d/(n(n-d))) and z = Phi^{-1}(1 - (1 - level)/2), intervals are
  ``"log"``: exp(log S -/+ z sigma), upper capped at 1; ``"log-log"``:
  exp(-exp(log(-log S) -/+ z sigma / log S)) (lower with -, as log S < 0; both 1 when
  S = 1); ``"plain"``:
  S -/+ z sigma S clipped to [0, 1]. All are NaN when S = 0. Matches R
  ``summary(survfit(Surv(duration, event) ~ 1, conf.type = ...))`` and, with ``at``,
  ``summary(fit, times = at, extend = TRUE)``.
- ``cumulative_incidence``: Aalen–Johansen CIF_k(t) = sum_{t_j <= t} S(t_{j-1}) d_kj / n_j with S
  the all-cause Kaplan–Meier; Greenwood-type delta-method variance (Marubini & Valsecchi 1995,
  eq. 10.13; = the Aalen–Johansen "greenwood" covariance of R ``mstate::probtrans``). It reduces
  to Greenwood for a single event type. It is *not* R ``survfit``'s multi-state infinitesimal
  jackknife nor ``cmprsk::cuminc``'s (Gray's) variance; these agree to first order.
- ``durations_from_dates``: days between dates, censored at the data date.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from .contract import LEVEL, TIDY_COLUMNS, InputError, Result, check_level, require_columns

KM_COLUMNS = [*TIDY_COLUMNS, "time", "n_risk", "n_event", "n_censor"]
CIF_COLUMNS = [*TIDY_COLUMNS, "time", "n_risk", "n_event", "survival"]
CONF_TYPES = ("log", "log-log", "plain")


# --------------------------------------------------------------------------------------------
# Input checks (InputError naming the function, the column and the offending rows)
# --------------------------------------------------------------------------------------------

def _rows(index: pd.Index, limit: int = 5) -> str:
    labels = [repr(x) for x in list(index)[:limit]]
    more = f" and {len(index) - limit} more" if len(index) > limit else ""
    return ", ".join(labels) + more


def _bad_rows(function: str, column: str, message: str, rows: pd.Index) -> InputError:
    """The error for ``rows`` of ``column``: all of them (up to 5) in the message, the first as
    ``row``."""
    return InputError(function, f"{message} in row(s) {_rows(rows)}", column=column,
                      row=rows[0])


def _durations(df: pd.DataFrame, duration: str, function: str) -> np.ndarray:
    col = df[duration]
    if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
        raise InputError(function, f"duration column {duration!r} must be numeric days, "
                         f"got dtype {col.dtype}", column=duration)
    values = col.to_numpy(dtype=float)
    bad = df.index[~np.isfinite(values)]
    if len(bad):
        raise _bad_rows(function, duration,
                        f"duration column {duration!r} is missing or infinite", bad)
    neg = df.index[values < 0]
    if len(neg):
        raise _bad_rows(function, duration, f"duration column {duration!r} is negative", neg)
    return values


def _events(df: pd.DataFrame, event: str, function: str) -> np.ndarray:
    col = df[event]
    if pd.api.types.is_bool_dtype(col):
        return col.to_numpy(dtype=float)
    values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
    bad = df.index[~np.isin(values, (0.0, 1.0))]
    if len(bad):
        raise _bad_rows(function, event,
                        f"event column {event!r} must be 0 (censored) or 1 (event); other "
                        f"values {sorted(map(str, col.loc[bad].unique()))[:5]}", bad)
    return values


def _z(level: float, function: str) -> float:
    """The two-sided normal critical value for ``level``."""
    return float(stats.norm.ppf(1 - (1 - check_level(level, function)) / 2))


def _check_at(at: Sequence[float] | None, function: str) -> np.ndarray | None:
    if at is None:
        return None
    arr = np.asarray(list(at), dtype=float)
    if arr.size == 0 or not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise InputError(function, "at must be a non-empty list of non-negative days",
                         value=list(at))
    if np.any(np.diff(arr) <= 0):
        raise InputError(function, "at must be strictly increasing (counts are per interval)",
                         value=list(at))
    return arr


def _groups(df: pd.DataFrame, by: str | None, function: str):
    """Yield (label, row positions); one group labelled None when by is None."""
    if by is None:
        yield None, np.arange(len(df))
        return
    miss = df.index[df[by].isna()]
    if len(miss):
        raise _bad_rows(function, by, f"grouping column {by!r} is missing", miss)
    for key, pos in sorted(df.groupby(by, sort=True).indices.items(), key=lambda kv: kv[0]):
        yield key, pos


# --------------------------------------------------------------------------------------------
# Kaplan–Meier
# --------------------------------------------------------------------------------------------

def survival_interval(surv: np.ndarray, sigma: np.ndarray, conf_type: str, z: float
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise interval for a survival probability ``surv`` with ``sigma`` = SE of log S,
    as R ``survfit`` (``conf.type`` "log", "log-log" or "plain"), ``z`` the two-sided critical
    value. Returns (low, high)."""
    if conf_type not in CONF_TYPES:
        raise InputError("survival_interval", f"conf_type must be one of {CONF_TYPES}",
                         value=conf_type)
    surv = np.asarray(surv, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if conf_type == "log":
            lower = np.exp(np.log(surv) - z * sigma)
            upper = np.minimum(np.exp(np.log(surv) + z * sigma), 1.0)
        elif conf_type == "log-log":
            ls = np.log(surv)
            lower = np.exp(-np.exp(np.log(-ls) - z * sigma / ls))
            upper = np.exp(-np.exp(np.log(-ls) + z * sigma / ls))
            one = surv == 1
            lower = np.where(one, 1.0, lower)
            upper = np.where(one, 1.0, upper)
        else:
            lower = np.maximum(surv - z * sigma * surv, 0.0)
            upper = np.minimum(surv + z * sigma * surv, 1.0)
    zero = surv <= 0
    return np.where(zero, np.nan, lower), np.where(zero, np.nan, upper)


def _km_steps(time: np.ndarray, status: np.ndarray):
    """Distinct times with n_risk, n_event, n_censor, S and Greenwood sum at each."""
    times, inv = np.unique(time, return_inverse=True)
    n_event = np.bincount(inv, weights=status, minlength=times.size)
    n_total = np.bincount(inv, minlength=times.size).astype(float)
    n_censor = n_total - n_event
    n_risk = time.size - np.concatenate([[0.0], np.cumsum(n_total)[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.cumprod(1 - n_event / n_risk)
        gw = np.cumsum(np.where(n_event > 0, n_event / (n_risk * (n_risk - n_event)), 0.0))
    return times, n_risk, n_event, n_censor, surv, gw


def _km_one(time: np.ndarray, status: np.ndarray, z: float, conf_type: str,
            at: np.ndarray | None) -> pd.DataFrame:
    times, n_risk, n_event, n_censor, surv, gw = _km_steps(time, status)
    if at is None:
        keep = n_event > 0
        # n_censor of a row: censored since the previous row up to and including this time
        # (R summary.survfit attaches censorings to the next printed time).
        row_of = np.cumsum(keep[::-1])[::-1]  # rows at or after each time
        pos = keep.sum() - row_of  # index of the printed row each distinct time belongs to
        valid = row_of > 0
        cens = np.bincount(pos[valid], weights=n_censor[valid], minlength=keep.sum())
        out_t, out_n, out_d, out_c = times[keep], n_risk[keep], n_event[keep], cens
        out_s, out_gw = surv[keep], gw[keep]
    else:
        idx = np.searchsorted(times, at, side="right")  # distinct times <= at
        out_s = np.concatenate([[1.0], surv])[idx]
        out_gw = np.concatenate([[0.0], gw])[idx]
        out_n = np.array([(time >= a).sum() for a in at], dtype=float)
        cum_d = np.concatenate([[0.0], np.cumsum(n_event)])[idx]
        cum_c = np.concatenate([[0.0], np.cumsum(n_censor)])[idx]
        out_d = np.diff(np.concatenate([[0.0], cum_d]))
        out_c = np.diff(np.concatenate([[0.0], cum_c]))
        out_t = at
    sigma = np.sqrt(out_gw)
    low, high = survival_interval(out_s, sigma, conf_type, z)
    with np.errstate(invalid="ignore"):
        std_error = np.where(out_s > 0, out_s * sigma, np.nan)
    return pd.DataFrame({"term": "survival", "estimate": out_s, "std_error": std_error,
                         "low": low, "high": high, "p_value": np.nan, "time": out_t,
                         "n_risk": out_n.astype(int), "n_event": out_d.astype(int),
                         "n_censor": out_c.astype(int)})


def _curves(df: pd.DataFrame, by: str | None, function: str, one) -> pd.DataFrame:
    """``one(positions)`` for each group of ``by`` (all rows when None), stacked, with the
    ``by`` column after the fixed tidy columns."""
    frames = []
    for key, pos in _groups(df, by, function):
        table = one(pos)
        if by is not None:
            table.insert(len(TIDY_COLUMNS), by, key)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


@dataclass
class Curves(Result):
    """Curves read over time: one tidy row per time (per group of ``by``), pointwise intervals
    of type ``conf_type`` at ``level``."""

    _table: pd.DataFrame = field(repr=False)
    conf_type: str
    by: str | None
    level: float
    method: str

    def _tidy(self) -> pd.DataFrame:
        return self._table


class KaplanMeier(Curves):
    """Kaplan–Meier curve(s). ``tidy()``: one row per time (per group of ``by``): term
    ``survival``, estimate S(t), std_error (Greenwood SE of S(t)), low/high (pointwise interval
    of type ``conf_type`` at ``level``), p_value NaN (no test); then the ``by`` column, time,
    n_risk, n_event, n_censor."""


def kaplan_meier(df: pd.DataFrame, duration: str, event: str,
                 conf_type: Literal["log", "log-log", "plain"] = "log",
                 level: float = LEVEL, at: Sequence[float] | None = None,
                 by: str | None = None) -> KaplanMeier:
    """Kaplan–Meier survival curve(s) with Greenwood standard errors.

    Inputs: ``duration`` column (days, >= 0), ``event`` column (1 event, 0 censored),
    ``conf_type`` ("log" = R's default, "log-log", "plain"; definitions in the module docstring),
    ``level``; ``at``: strictly increasing days at which to read the curve; ``by``: a
    grouping column giving one curve per group.

    Output: :class:`KaplanMeier`; its ``tidy()`` has the columns :data:`KM_COLUMNS` (term
    ``survival``, estimate S(t), std_error, low, high, p_value NaN, time, n_risk, n_event,
    n_censor), with the ``by`` column after the first six if given.
    Without ``at``: one row per distinct event time, as R ``summary(survfit(...))``; ``n_censor``
    counts censorings after the previous row up to and including this time (censorings after the
    last event time appear in no row). With ``at``: one row per requested day, as R
    ``summary(fit, times = at, extend = TRUE)``: ``n_risk`` = number with duration >= that day,
    ``n_event``/``n_censor`` counted in (previous day, this day], survival carried forward from
    the last event time <= that day (1 before the first event).
    """
    name = "kaplan_meier"
    require_columns(df, [duration, event, by], name)
    z = _z(level, name)
    if conf_type not in CONF_TYPES:
        raise InputError(name, f"conf_type must be one of {CONF_TYPES}", value=conf_type)
    at_arr = _check_at(at, name)
    time, status = _durations(df, duration, name), _events(df, event, name)
    table = _curves(df, by, name, lambda pos: _km_one(time[pos], status[pos], z, conf_type, at_arr))
    return KaplanMeier(table, conf_type, by, float(level),
                       f"Kaplan-Meier with Greenwood standard errors; pointwise {conf_type} "
                       "interval (R survfit conf.type)")


# --------------------------------------------------------------------------------------------
# Competing risks: Aalen–Johansen cumulative incidence
# --------------------------------------------------------------------------------------------

def _cif_one(time: np.ndarray, code: np.ndarray, event_codes: list, z: float, conf_type: str,
             at: np.ndarray | None) -> pd.DataFrame:
    times, inv = np.unique(time, return_inverse=True)
    n_total = np.bincount(inv, minlength=times.size).astype(float)
    n_risk = time.size - np.concatenate([[0.0], np.cumsum(n_total)[:-1]])
    d_k = np.vstack([np.bincount(inv, weights=(code == c).astype(float), minlength=times.size)
                     for c in event_codes])  # (K, T)
    d = d_k.sum(axis=0)
    keep = d > 0
    times, n_risk, d_k, d = times[keep], n_risk[keep], d_k[:, keep], d[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.cumprod(1 - d / n_risk)
        s_prev = np.concatenate([[1.0], surv[:-1]])
        cif = np.cumsum(s_prev * d_k / n_risk, axis=1)  # (K, T)
        # Greenwood-type (delta-method) variance, Marubini & Valsecchi (1995):
        # Var F_k(t) = sum_{t_j<=t} [ (F_k(t)-F_k(t_j))^2 d_j/(n_j(n_j-d_j))
        #   + S(t_{j-1})^2 d_kj (n_j-d_kj)/n_j^3 - 2 (F_k(t)-F_k(t_j)) S(t_{j-1}) d_kj/n_j^2 ]
        gw = np.where(d > 0, d / (n_risk * (n_risk - d)), 0.0)
        var = np.empty_like(cif)
        for kk in range(len(event_codes)):
            f = cif[kk]
            diff = f[None, :] - f[:, None]  # [j, t] = F(t) - F(t_j)
            lower_tri = np.tri(f.size, dtype=bool).T  # j <= t
            t1 = np.where(diff != 0, diff ** 2 * gw[:, None], 0.0)
            t2 = (s_prev ** 2 * d_k[kk] * (n_risk - d_k[kk]) / n_risk ** 3)[:, None]
            t3 = -2 * diff * (s_prev * d_k[kk] / n_risk ** 2)[:, None]
            var[kk] = np.where(lower_tri, t1 + t2 + t3, 0.0).sum(axis=0)
    std_error = np.sqrt(np.maximum(var, 0.0))
    n_evt = d_k
    if at is not None:
        idx = np.searchsorted(times, at, side="right")
        pad = lambda a, v: np.concatenate([np.full(a.shape[:-1] + (1,), v), a], axis=-1)  # noqa: E731
        cif, std_error = pad(cif, 0.0)[:, idx], pad(std_error, 0.0)[:, idx]
        surv = pad(surv, 1.0)[idx]
        cum = pad(np.cumsum(d_k, axis=1), 0.0)[:, idx]
        n_evt = np.diff(pad(cum, 0.0), axis=1)
        n_risk = np.array([(time >= a).sum() for a in at], dtype=float)
        times = at
    frames = []
    for kk, c in enumerate(event_codes):
        f, se = cif[kk], std_error[kk]
        with np.errstate(divide="ignore", invalid="ignore"):
            if conf_type == "log":
                lower = np.exp(np.log(f) - z * se / f)
                upper = np.minimum(np.exp(np.log(f) + z * se / f), 1.0)
            else:
                lower = np.maximum(f - z * se, 0.0)
                upper = np.minimum(f + z * se, 1.0)
        low = np.where(f > 0, lower, 0.0 if conf_type == "plain" else np.nan)
        high = np.where(f > 0, upper, 0.0 if conf_type == "plain" else np.nan)
        frames.append(pd.DataFrame({"term": c, "estimate": f, "std_error": se, "low": low,
                                    "high": high, "p_value": np.nan, "time": times,
                                    "n_risk": n_risk.astype(int),
                                    "n_event": n_evt[kk].astype(int), "survival": surv}))
    return pd.concat(frames, ignore_index=True)


class CumulativeIncidence(Curves):
    """Aalen–Johansen cumulative incidence curves. ``tidy()``: one row per outcome and time (per
    group of ``by``): term (the outcome's code), estimate CIF(t), std_error (Greenwood-type),
    low/high (pointwise interval of type ``conf_type`` at ``level``), p_value NaN (no test);
    then the ``by`` column, time, n_risk, n_event and survival (all-cause event-free
    Kaplan–Meier)."""


def cumulative_incidence(df: pd.DataFrame, duration: str, status: str,
                         event_codes: Sequence, censor_code, at: Sequence[float] | None = None,
                         conf_type: Literal["log", "plain"] = "log", level: float = LEVEL,
                         by: str | None = None) -> CumulativeIncidence:
    """Aalen–Johansen cumulative incidence of competing outcomes.

    Inputs: ``duration`` (days), ``status`` column holding one of ``event_codes`` (competing
    outcomes, e.g. "sanctioned", "not_proven", "stopped") or ``censor_code`` (a value or a list,
    e.g. "pending": censored at the data date); any other value raises. ``conf_type``: "log"
    (exp(log F -/+ z se/F), upper capped at 1; NaN while F = 0) or "plain" (F -/+ z se clipped to
    [0, 1]). ``level``: the two-sided level of the interval. ``at``: strictly increasing days;
    ``by``: optional grouping column.

    Output: :class:`CumulativeIncidence`; its ``tidy()`` has the columns :data:`CIF_COLUMNS`
    (term = outcome code, estimate = CIF, std_error, low, high, p_value NaN, time, n_risk,
    n_event, survival; the ``by`` column after the first six if given), ``survival`` being the
    all-cause event-free Kaplan–Meier, so the CIFs plus survival sum to 1: one row per outcome
    and distinct time with any event (or per ``at`` day, values carried forward; ``n_event``
    then counts that outcome in (previous day, this day]). Variance: Greenwood-type delta
    method (module docstring); with one event type CIF = 1 - KM and std_error = Greenwood
    exactly.
    """
    name = "cumulative_incidence"
    require_columns(df, [duration, status, by], name)
    z = _z(level, name)
    if conf_type not in ("log", "plain"):
        raise InputError(name, "conf_type must be 'log' or 'plain'", value=conf_type)
    event_codes = list(event_codes)
    censor_codes = (list(censor_code) if isinstance(censor_code, (list, tuple, set))
                    else [censor_code])
    if not event_codes:
        raise InputError(name, "event_codes is empty")
    overlap = set(event_codes) & set(censor_codes)
    if overlap:
        raise InputError(name, f"codes {sorted(map(str, overlap))} are both event and censor "
                         "codes")
    at_arr = _check_at(at, name)
    time = _durations(df, duration, name)
    code = df[status].to_numpy(dtype=object)
    known = df[status].isin(event_codes + censor_codes).to_numpy()
    bad = df.index[~known]
    if len(bad):
        raise _bad_rows(name, status,
                        f"status column {status!r} has values "
                        f"{sorted(map(str, df[status].loc[bad].unique()))[:5]} that are neither "
                        f"event_codes {event_codes} nor censor_code {censor_codes}", bad)
    table = _curves(df, by, name,
                    lambda pos: _cif_one(time[pos], code[pos], event_codes, z, conf_type, at_arr))
    return CumulativeIncidence(table, conf_type, by, float(level),
                               f"Aalen-Johansen cumulative incidence, Greenwood-type "
                               f"delta-method variance; pointwise {conf_type} interval")


# --------------------------------------------------------------------------------------------
# Durations from dates
# --------------------------------------------------------------------------------------------

def durations_from_dates(df: pd.DataFrame, start: str, end: str, data_date) -> pd.DataFrame:
    """Days from ``start`` to ``end`` with an event indicator, censoring at ``data_date``.

    Inputs: ``start`` and ``end`` date columns (anything ``pd.to_datetime`` parses; ``end``
    missing = event not yet observed), ``data_date`` (the data cut-off date).
    Output: DataFrame on ``df``'s index with ``days`` (int, whole calendar days) and ``event``
    (1 = ``end`` observed, 0 = censored at ``data_date``, days = data_date - start).
    Raises ``InputError`` naming the column and row(s) when ``start`` is missing or unparseable,
    ``end`` is unparseable, ``end`` < ``start``, ``end`` > ``data_date`` or ``start`` >
    ``data_date``.
    """
    name = "durations_from_dates"
    require_columns(df, [start, end], name)
    cutoff = pd.Timestamp(data_date)
    if pd.isna(cutoff):
        raise InputError(name, "data_date is missing")
    s = pd.to_datetime(df[start], errors="coerce")
    e = pd.to_datetime(df[end], errors="coerce")
    bad_start = df.index[s.isna()]
    if len(bad_start):
        raise _bad_rows(name, start, f"start column {start!r} is missing or not a date",
                        bad_start)
    unparsed = df.index[e.isna() & df[end].notna()]
    if len(unparsed):
        raise _bad_rows(name, end, f"end column {end!r} is not a date", unparsed)
    before = df.index[e.notna() & (e < s)]
    if len(before):
        raise _bad_rows(name, end, f"end column {end!r} is before start column {start!r}",
                        before)
    after_end = e.notna() & (e > cutoff)
    after = df.index[after_end | (s > cutoff)]
    if len(after):
        raise _bad_rows(name, end if after_end.any() else start,
                        f"dates after data_date {cutoff.date()}", after)
    event = e.notna().astype(int)
    stop = e.where(e.notna(), cutoff)
    days = (stop.dt.normalize() - s.dt.normalize()).dt.days.astype(int)
    return pd.DataFrame({"days": days, "event": event}, index=df.index)
