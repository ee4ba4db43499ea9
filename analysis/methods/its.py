"""Interrupted time series on enforcement snapshots (METHODS.md points 10 and 11).

Model (segmented regression), with ``t`` the time in days (e.g. ``days_since_vote``) and ``T0``
the break (e.g. the joint decree of 10 Sept 2020 = day -90 of Pilkada 2020)::

    y = b0 + b1 * t/30 + b2 * post + b3 * (t - T0)/30 * post + e,   post = (t >= T0)

- ``intercept`` (b0): the pre-break line at ``t = 0`` (voting day when ``t`` is days since vote);
- ``pre_slope`` (b1): change in ``y`` per **30 days** before the break;
- ``level_change`` (b2): jump in ``y`` at ``T0`` (post line minus pre line extended, at ``T0``);
- ``slope_change`` (b3): post-break slope minus pre-break slope, per **30 days**.

Time is given in days and slopes are reported per 30 days (a month is a readable unit for a
rate that moves a few points a month); b0 and b2 do not depend on this scaling.

Estimation: statsmodels OLS (WLS when ``weights`` are given: analytic weights proportional to
inverse variance, e.g. the denominator of the rate), with Newey-West HAC standard errors:
``cov_type="HAC"``, ``cov_kwds={"maxlags": L, "kernel": kernel, "use_correction": True}`` passed
explicitly (``use_correction`` multiplies the covariance by n / (n - 4)). Default
``L = max(1, floor(4 * (n / 100) ** (2 / 9)))`` (Newey and West 1994 rule of thumb). HAC lags
count *consecutive observations*, not days: with irregular snapshots lag 1 may be a week or a
year apart. Confidence intervals (two-sided, at ``level``) and p-values use Student's t with
``df_resid = n - 4`` degrees of freedom (``use_t=True``), not the normal. ``weights`` are the
regression's analytic weights, nothing else.

Caveats a report must carry: snapshots are cumulative, so their errors are strongly
autocorrelated; with ~10 points HAC errors are themselves imprecise and tend to be too small;
concurrent changes (monitoring roll-out, the campaign calendar, the approach of voting day)
cannot be separated from the break (compare with ``placebo_breaks``). The model is linear in the
proportion, not logit: with a handful of points a logit link adds a parameterisation without
information to check it, fitted values far from 0 and 1 barely differ, and coefficients stay in
percentage points, which readers understand; fitted values outside [0, 1] are possible and are
not clipped.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.regression.linear_model import OLS, WLS

from .contract import LEVEL, InputError, Result, check_level, reject_rows, require_columns

SLOPE_DAYS = 30.0
TERMS = ("intercept", "pre_slope", "level_change", "slope_change")
MIN_POINTS_FOR_SLOPE = 3
LOW_DF = 5  # residual df at or below which the low-df warning fires


def newey_west_maxlags(n: int) -> int:
    """Newey-West (1994) rule of thumb: floor(4 * (n / 100) ** (2 / 9)), at least 1."""
    if n < 1:
        raise InputError("newey_west_maxlags", "n must be positive", value=n)
    return max(1, math.floor(4 * (n / 100) ** (2 / 9)))


@dataclass
class ITSResult(Result):
    """Result of ``segmented_regression``.

    ``tidy()``: one row per term (intercept, pre_slope, level_change, slope_change) with
    estimate, std_error (HAC), low/high (t with df_resid, at ``level``), p_value (two-sided t),
    then std_error_ols (classical OLS, for comparison only). Slopes are per 30 days; the
    outcome's own units otherwise (proportion 0-1 for follow-up rates).
    ``fitted``: the observations with fitted values and ``post``. ``line``: points to draw the
    pre segment, the post segment and the counterfactual (pre line extended past the break).
    """
    _table: pd.DataFrame = field(repr=False)
    n: int
    n_pre: int
    n_post: int
    maxlags: int
    kernel: str
    break_time: float
    df_resid: float
    level: float
    fitted: pd.DataFrame
    line: pd.DataFrame
    method: str
    warnings: list[str] = field(default_factory=list)
    model: object = None

    def _tidy(self) -> pd.DataFrame:
        return self._table

    def estimate(self, term: str) -> float:
        """The estimate of one term (``level_change`` ...)."""
        return float(self._table.loc[self._table["term"] == term, "estimate"].iloc[0])


def _design(t: np.ndarray, break_time: float) -> tuple[np.ndarray, np.ndarray]:
    post = (t >= break_time).astype(float)
    X = np.column_stack([np.ones_like(t), t / SLOPE_DAYS, post,
                         (t - break_time) / SLOPE_DAYS * post])
    return X, post.astype(bool)


def _prepare(df: pd.DataFrame, time_col: str, y_col: str, weights: str | Sequence[float] | None,
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, pd.DataFrame]:
    require_columns(df, [time_col, y_col, weights if isinstance(weights, str) else None],
                    "segmented_regression")
    data = df.copy()
    if weights is not None:
        data["_w"] = data[weights] if isinstance(weights, str) else np.asarray(weights, float)
    keep = data[time_col].notna() & data[y_col].notna()
    if weights is not None:
        keep &= data["_w"].notna()
    data = data[keep].sort_values(time_col, kind="mergesort")
    t = data[time_col].to_numpy(dtype=float)
    y = data[y_col].to_numpy(dtype=float)
    w = data["_w"].to_numpy(dtype=float) if weights is not None else None
    if isinstance(weights, str):
        reject_rows(data, weights, w <= 0, "segmented_regression", "a positive weight")
    elif w is not None and (w <= 0).any():
        raise InputError("segmented_regression", "weights must be positive",
                         value=w[w <= 0].tolist())
    return t, y, w, data


def segmented_regression(df: pd.DataFrame, time_col: str, y_col: str, break_time: float,
                         weights: str | Sequence[float] | None = None,
                         hac_maxlags: int | None = None, kernel: str = "bartlett",
                         level: float = LEVEL) -> ITSResult:
    """Fit the segmented regression described in the module docstring.

    ``time_col`` is numeric time in days; ``break_time`` in the same units (post = t >= break).
    ``weights``: column name or array of positive analytic weights (WLS), or None (OLS).
    ``hac_maxlags``: HAC lag truncation; None uses ``newey_west_maxlags(n)``.
    ``kernel``: "bartlett" (Newey-West) or "uniform". Rows with a missing time, outcome or
    weight are dropped. Raises ``InputError`` when a segment has fewer than 2 points or n < 5
    (a slope or a residual degree of freedom is not identified); adds a warning when a segment
    has fewer than 3 points (a line through 2 points fits them exactly: too few points for a
    slope to be checked), and then withholds (NaN) the standard errors, intervals and p-values
    of the terms that depend on that segment, because its residuals are 0 and the HAC
    standard error collapses towards 0. Estimates are still returned.
    """
    level = check_level(level, "segmented_regression")
    t, y, w, data = _prepare(df, time_col, y_col, weights)
    X, post = _design(t, break_time)
    n, n_post = len(t), int(post.sum())
    n_pre = n - n_post
    if n_pre < 2 or n_post < 2 or n < 5:
        raise InputError(
            "segmented_regression",
            f"segmented regression of {y_col!r} on {time_col!r} with break at {break_time:g} "
            f"needs >= 2 points on each side and >= 5 in all; got n_pre={n_pre}, "
            f"n_post={n_post} (times {t.tolist()})")
    warnings = []
    for name, k in (("before", n_pre), ("after", n_post)):
        if k < MIN_POINTS_FOR_SLOPE:
            warnings.append(f"too few points for a slope {name} the break: {k} (< 3)")
    maxlags = newey_west_maxlags(n) if hac_maxlags is None else int(hac_maxlags)
    if maxlags >= n:
        warnings.append(f"maxlags={maxlags} >= n={n}: HAC uses every available lag")
    if n - 4 <= LOW_DF:
        warnings.append(f"only {n - 4} residual degrees of freedom (<= {LOW_DF}): HAC standard "
                        "errors are unreliable and likely too small; read the fit as a "
                        "sensitivity exercise, not as evidence of an effect")
    model = WLS(y, X, weights=w) if w is not None else OLS(y, X)
    res = model.fit(cov_type="HAC",
                    cov_kwds={"maxlags": maxlags, "kernel": kernel, "use_correction": True},
                    use_t=True)
    naive = model.fit()
    df_resid = float(res.df_resid)
    q = stats.t.ppf(0.5 + level / 2, df_resid)
    with np.errstate(invalid="ignore"):  # sqrt of a ~0 (possibly -1e-17) variance
        est, se = np.asarray(res.params), np.asarray(res.bse).copy()
    withheld = []
    if n_pre == 2:  # both pre points fitted exactly: residuals 0, the robust SE collapses
        withheld = list(TERMS)
    elif n_post == 2:
        withheld = ["level_change", "slope_change"]
    if withheld:
        se[[TERMS.index(term) for term in withheld]] = np.nan
        side = "before" if n_pre == 2 else "after"
        warnings.append(f"standard errors withheld for {', '.join(withheld)}: the 2 points "
                        f"{side} the break are fitted exactly (residuals 0), so a robust "
                        "standard error would be spuriously close to 0")
    with np.errstate(divide="ignore", invalid="ignore"):
        tstat = est / se
    table = pd.DataFrame({
        "term": TERMS, "estimate": est, "std_error": se,
        "low": est - q * se, "high": est + q * se,
        "p_value": 2 * stats.t.sf(np.abs(tstat), df_resid),
        "std_error_ols": np.asarray(naive.bse)})
    fitted = pd.DataFrame({time_col: t, y_col: y, "post": post, "fitted": X @ est,
                           "residual": y - X @ est})
    fitted.index = data.index
    b0, b1, b2, b3 = est
    t_min, t_max = float(t.min()), float(t.max())
    pre = lambda s: b0 + b1 * s / SLOPE_DAYS  # noqa: E731
    post_line = lambda s: pre(s) + b2 + b3 * (s - break_time) / SLOPE_DAYS  # noqa: E731
    line = pd.DataFrame([
        {"segment": "pre", time_col: t_min, "value": pre(t_min)},
        {"segment": "pre", time_col: float(break_time), "value": pre(break_time)},
        {"segment": "post", time_col: float(break_time), "value": post_line(break_time)},
        {"segment": "post", time_col: t_max, "value": post_line(t_max)},
        {"segment": "counterfactual", time_col: float(break_time), "value": pre(break_time)},
        {"segment": "counterfactual", time_col: t_max, "value": pre(t_max)},
    ])
    return ITSResult(_table=table, n=n, n_pre=n_pre, n_post=n_post, maxlags=maxlags,
                     kernel=kernel, break_time=float(break_time), df_resid=df_resid,
                     level=level, fitted=fitted, line=line, warnings=warnings, model=res,
                     method=f"segmented {'WLS' if w is not None else 'OLS'} with Newey-West HAC "
                            f"standard errors ({kernel} kernel, {maxlags} lags, small-sample "
                            f"correction); t({df_resid:g}) intervals and p-values")


def _not_fitted(err: ValueError) -> str:
    """Why a refit failed, for a table: the reason without the function's name."""
    return f"not fitted: {err.message if isinstance(err, InputError) else err}"


def placebo_breaks(df: pd.DataFrame, time_col: str, y_col: str,
                   candidate_breaks: Sequence[float], real_break: float | None = None,
                   weights: str | Sequence[float] | None = None,
                   hac_maxlags: int | None = None, kernel: str = "bartlett",
                   level: float = LEVEL) -> pd.DataFrame:
    """Refit the segmented regression at each candidate (placebo) break and at ``real_break``.

    One row per break, sorted by time, with ``is_real``, ``n_pre``, ``n_post``, ``maxlags``,
    level and slope change (estimate, low, high at ``level``, p_value; slopes per 30 days), and
    ``status`` ("ok", or why the break could not be fitted) and ``warnings``. A real break whose
    change is no larger than those at placebo dates is no evidence of an effect. Breaks that
    fall between the same two observations give the same fitted values and slope change; their
    level changes differ only because each is measured on its own break day. The data cannot
    date a break more finely than the gap between snapshots.
    """
    breaks = sorted(set(float(b) for b in candidate_breaks)
                    | ({float(real_break)} if real_break is not None else set()))
    rows = []
    for b in breaks:
        row = {"break_time": b, "is_real": real_break is not None and b == float(real_break)}
        try:
            r = segmented_regression(df, time_col, y_col, b, weights=weights,
                                     hac_maxlags=hac_maxlags, kernel=kernel, level=level)
        except ValueError as err:
            row.update(status=_not_fitted(err))
            rows.append(row)
            continue
        row.update(n_pre=r.n_pre, n_post=r.n_post, maxlags=r.maxlags)
        tab = r.tidy().set_index("term")
        for term in ("level_change", "slope_change"):
            for stat in ("estimate", "low", "high", "p_value"):
                row[f"{term}_{stat}" if stat != "estimate" else term] = tab.loc[term, stat]
        row.update(status="ok", warnings="; ".join(r.warnings))
        rows.append(row)
    columns = ["break_time", "is_real", "n_pre", "n_post", "maxlags",
               "level_change", "level_change_low", "level_change_high",
               "level_change_p_value", "slope_change", "slope_change_low",
               "slope_change_high", "slope_change_p_value", "status", "warnings"]
    return pd.DataFrame(rows, columns=columns)


def leave_one_out(df: pd.DataFrame, time_col: str, y_col: str, break_time: float,
                  term: str = "level_change", **kwargs) -> pd.DataFrame:
    """Refit ``segmented_regression`` leaving out each observation in turn.

    One row per dropped observation (its ``time_col`` value): ``estimate`` of ``term`` and
    ``status`` ("ok" or why the fit failed). A range of estimates that spans zero or moves by
    an order of magnitude means no single fit can be read as an effect."""
    data = df[df[time_col].notna() & df[y_col].notna()].sort_values(time_col, kind="mergesort")
    rows = []
    for idx in data.index:
        row = {"dropped": float(data.at[idx, time_col])}
        try:
            fit = segmented_regression(data.drop(index=idx), time_col, y_col, break_time,
                                       **kwargs)
        except ValueError as err:
            row.update(estimate=np.nan, status=_not_fitted(err))
        else:
            row.update(estimate=fit.estimate(term), status="ok")
        rows.append(row)
    return pd.DataFrame(rows, columns=["dropped", "estimate", "status"])


def increments(df: pd.DataFrame, time_col: str, numerator: str, denominator: str,
               break_time: float | None = None) -> pd.DataFrame:
    """New ``numerator`` per new ``denominator`` between consecutive snapshots of cumulative
    counts (e.g. new executions per new recommendation): an outcome that is not diluted
    mechanically when the denominator surges, unlike the cumulative ratio.

    One row per interval: ``start``, ``end`` (times), ``d_numerator``, ``d_denominator``,
    ``increment`` (their ratio; NaN when the denominator did not grow), and with ``break_time``
    ``period``: "before" (interval ends on or before the break), "after" (starts on or after
    it) or "spans" (contains it: belongs to neither side)."""
    data = df[df[time_col].notna() & df[numerator].notna() & df[denominator].notna()]
    data = data.sort_values(time_col, kind="mergesort")
    t = data[time_col].to_numpy(float)
    x = data[numerator].to_numpy(float)
    n = data[denominator].to_numpy(float)
    rows = []
    for i in range(1, len(t)):
        dx, dn = x[i] - x[i - 1], n[i] - n[i - 1]
        row = {"start": t[i - 1], "end": t[i], "d_numerator": dx, "d_denominator": dn,
               "increment": dx / dn if dn > 0 else np.nan}
        if break_time is not None:
            row["period"] = ("before" if t[i] <= break_time else
                             "after" if t[i - 1] >= break_time else "spans")
        rows.append(row)
    cols = ["start", "end", "d_numerator", "d_denominator", "increment"]
    return pd.DataFrame(rows, columns=cols + (["period"] if break_time is not None else []))
