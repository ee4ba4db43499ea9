"""Time-to-event methods: Kaplan–Meier, Cox proportional hazards, competing-risk cumulative
incidence (Aalen–Johansen), and durations from dates.

Units and data: a duration is a non-negative number of days from an origin (e.g. the sanction
recommendation) to the event (e.g. the sanction executed) or to censoring; the event indicator is
1 = event observed, 0 = censored (still pending at the data date). Every function takes a
DataFrame and column names and returns a tidy DataFrame (or a small result object).

Assumptions: censoring is independent of the event time (given covariates, for ``cox``); ``cox``
assumes proportional hazards (check with ``CoxResult.ph_test``); times are exact (ties are
handled by Efron's or Breslow's approximation, chosen explicitly).

Definitions (all as in R's ``survival`` package, 3.x):

- ``kaplan_meier``: S(t) = prod_{t_j <= t} (1 - d_j / n_j), n_j = number with duration >= t_j.
  ``std_err`` is the standard error of S(t) (not of log S), Greenwood:
  S(t) * sqrt(sum_{t_j <= t} d_j / (n_j (n_j - d_j))) = R ``summary(survfit(...))$std.err``.
  With sigma = sqrt(sum d/(n(n-d))) and z = Phi^{-1}(1 - (1 - conf_level)/2), intervals are
  ``"log"``: exp(log S -/+ z sigma), upper capped at 1; ``"log-log"``:
  exp(-exp(log(-log S) -/+ z sigma / log S)) (lower with -, as log S < 0; both 1 when
  S = 1); ``"plain"``:
  S -/+ z sigma S clipped to [0, 1]. All are NaN when S = 0. Matches R
  ``summary(survfit(Surv(duration, event) ~ 1, conf.type = ...))`` and, with ``at``,
  ``summary(fit, times = at, extend = TRUE)``.
- ``cox``: maximum partial likelihood by Newton–Raphson (own implementation, step-halving,
  covariates centred), ties ``"efron"`` or ``"breslow"`` = R ``coxph(..., ties = )``. Model-based
  SE = sqrt(diag(I^{-1})); cluster-robust variance = D'D with D the dfbeta residuals
  (score residuals x I^{-1}) summed within clusters, no small-sample factor = R ``coxph(...,
  cluster = )``. Categorical covariates become treatment dummies named as R names them
  (``cycle2020``, ``positionfungsional``).
- ``CoxResult.ph_test``: the score test of R ``cox.zph`` in survival >= 3.0 (see its docstring).
- ``cumulative_incidence``: Aalen–Johansen CIF_k(t) = sum_{t_j <= t} S(t_{j-1}) d_kj / n_j with S
  the all-cause Kaplan–Meier; Greenwood-type delta-method variance (Marubini & Valsecchi 1995,
  eq. 10.13; = the Aalen–Johansen "greenwood" covariance of R ``mstate::probtrans``). It reduces
  to Greenwood for a single event type. It is *not* R ``survfit``'s multi-state infinitesimal
  jackknife nor ``cmprsk::cuminc``'s (Gray's) variance; these agree to first order.
- ``durations_from_dates``: days between dates, censored at the data date.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

KM_COLUMNS = ["time", "n_risk", "n_event", "n_censor", "survival", "std_err", "lower", "upper"]
CIF_COLUMNS = ["time", "outcome", "n_risk", "n_event", "cif", "std_err", "lower", "upper",
               "survival"]
COX_COLUMNS = ["term", "estimate", "std_error", "z", "p_value", "hazard_ratio", "hr_lower",
               "hr_upper"]
CONF_TYPES = ("log", "log-log", "plain")


# --------------------------------------------------------------------------------------------
# Input checks (errors name the column and the offending rows)
# --------------------------------------------------------------------------------------------

def _rows(index: pd.Index, limit: int = 5) -> str:
    labels = [repr(x) for x in list(index)[:limit]]
    more = f" and {len(index) - limit} more" if len(index) > limit else ""
    return ", ".join(labels) + more


def _check_columns(df: pd.DataFrame, columns: Sequence[str]) -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not in the data; columns are {list(df.columns)}")


def _durations(df: pd.DataFrame, duration: str) -> np.ndarray:
    col = df[duration]
    if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
        raise ValueError(f"duration column {duration!r} must be numeric days, "
                         f"got dtype {col.dtype}")
    values = col.to_numpy(dtype=float)
    bad = df.index[~np.isfinite(values)]
    if len(bad):
        raise ValueError(f"duration column {duration!r} is missing or infinite in row(s) "
                         f"{_rows(bad)}")
    neg = df.index[values < 0]
    if len(neg):
        raise ValueError(f"duration column {duration!r} is negative in row(s) {_rows(neg)}")
    return values


def _events(df: pd.DataFrame, event: str) -> np.ndarray:
    col = df[event]
    if pd.api.types.is_bool_dtype(col):
        return col.to_numpy(dtype=float)
    values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
    bad = df.index[~np.isin(values, (0.0, 1.0))]
    if len(bad):
        raise ValueError(f"event column {event!r} must be 0 (censored) or 1 (event); "
                         f"other values {sorted(map(str, col.loc[bad].unique()))[:5]} in row(s) "
                         f"{_rows(bad)}")
    return values


def _z(conf_level: float) -> float:
    if not 0 < conf_level < 1:
        raise ValueError(f"conf_level must be between 0 and 1, got {conf_level}")
    return float(stats.norm.ppf(1 - (1 - conf_level) / 2))


def _check_at(at: Sequence[float] | None) -> np.ndarray | None:
    if at is None:
        return None
    arr = np.asarray(list(at), dtype=float)
    if arr.size == 0 or not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"at must be a non-empty list of non-negative days, got {list(at)}")
    if np.any(np.diff(arr) <= 0):
        raise ValueError(f"at must be strictly increasing (counts are per interval), "
                         f"got {list(at)}")
    return arr


def _groups(df: pd.DataFrame, by: str | None):
    """Yield (label, row positions); one group labelled None when by is None."""
    if by is None:
        yield None, np.arange(len(df))
        return
    miss = df.index[df[by].isna()]
    if len(miss):
        raise ValueError(f"grouping column {by!r} is missing in row(s) {_rows(miss)}")
    for key, pos in sorted(df.groupby(by, sort=True).indices.items(), key=lambda kv: kv[0]):
        yield key, pos


# --------------------------------------------------------------------------------------------
# Kaplan–Meier
# --------------------------------------------------------------------------------------------

def survival_interval(surv: np.ndarray, sigma: np.ndarray, conf_type: str, z: float
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise interval for a survival probability ``surv`` with ``sigma`` = SE of log S,
    as R ``survfit`` (``conf.type`` "log", "log-log" or "plain"). Returns (lower, upper)."""
    if conf_type not in CONF_TYPES:
        raise ValueError(f"conf_type must be one of {CONF_TYPES}, got {conf_type!r}")
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
    lower, upper = survival_interval(out_s, sigma, conf_type, z)
    with np.errstate(invalid="ignore"):
        std_err = np.where(out_s > 0, out_s * sigma, np.nan)
    return pd.DataFrame({"time": out_t, "n_risk": out_n.astype(int), "n_event": out_d.astype(int),
                         "n_censor": out_c.astype(int), "survival": out_s, "std_err": std_err,
                         "lower": lower, "upper": upper})


def kaplan_meier(df: pd.DataFrame, duration: str, event: str,
                 conf_type: Literal["log", "log-log", "plain"] = "log",
                 conf_level: float = 0.95, at: Sequence[float] | None = None,
                 by: str | None = None) -> pd.DataFrame:
    """Kaplan–Meier survival curve(s) with Greenwood standard errors.

    Inputs: ``duration`` column (days, >= 0), ``event`` column (1 event, 0 censored),
    ``conf_type`` ("log" = R's default, "log-log", "plain"; definitions in the module docstring),
    ``conf_level``; ``at``: strictly increasing days at which to read the curve; ``by``: a
    grouping column giving one curve per group.

    Output: tidy DataFrame with columns ``time, n_risk, n_event, n_censor, survival, std_err,
    lower, upper`` (preceded by the ``by`` column if given).
    Without ``at``: one row per distinct event time, as R ``summary(survfit(...))``; ``n_censor``
    counts censorings after the previous row up to and including this time (censorings after the
    last event time appear in no row). With ``at``: one row per requested day, as R
    ``summary(fit, times = at, extend = TRUE)``: ``n_risk`` = number with duration >= that day,
    ``n_event``/``n_censor`` counted in (previous day, this day], survival carried forward from
    the last event time <= that day (1 before the first event).
    """
    cols = [duration, event] + ([by] if by is not None else [])
    _check_columns(df, cols)
    z = _z(conf_level)
    if conf_type not in CONF_TYPES:
        raise ValueError(f"conf_type must be one of {CONF_TYPES}, got {conf_type!r}")
    at_arr = _check_at(at)
    time, status = _durations(df, duration), _events(df, event)
    frames = []
    for key, pos in _groups(df, by):
        table = _km_one(time[pos], status[pos], z, conf_type, at_arr)
        if by is not None:
            table.insert(0, by, key)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------------------------
# Cox proportional hazards
# --------------------------------------------------------------------------------------------

def _level_label(level) -> str:
    if isinstance(level, (bool, np.bool_)):
        return "TRUE" if level else "FALSE"
    if isinstance(level, (float, np.floating)) and float(level).is_integer():
        return str(int(level))
    return str(level)


def design_matrix(df: pd.DataFrame, covariates: Sequence[str],
                  categorical: Sequence[str] = (),
                  reference: Mapping[str, object] | None = None
                  ) -> tuple[np.ndarray, list[str], dict[str, list[str]]]:
    """Model matrix without intercept, R style.

    A covariate is categorical if its dtype is not numeric (strings, categories, booleans) or it is
    listed in ``categorical``; it becomes 0/1 dummies for every level except the reference, named
    ``<column><level>`` (``cycle2020``). Reference = ``reference[column]`` if given, else the first
    level (pandas Categorical: its category order; otherwise sorted values). Numeric covariates
    enter as they are. Returns (X, term names, {covariate: its term names}).
    """
    reference = dict(reference or {})
    unknown = [c for c in list(reference) + list(categorical) if c not in covariates]
    if unknown:
        raise ValueError(f"reference/categorical name column(s) {unknown} that are not among the "
                         f"covariates {list(covariates)}")
    columns, names, assign = [], [], {}
    for cov in covariates:
        col = df[cov]
        miss = df.index[col.isna()]
        if len(miss):
            raise ValueError(f"covariate {cov!r} is missing in row(s) {_rows(miss)}; drop or "
                             f"impute those rows first")
        is_cat = (cov in categorical or cov in reference
                  or isinstance(col.dtype, pd.CategoricalDtype)
                  or pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col))
        if not is_cat:
            columns.append(col.to_numpy(dtype=float))
            names.append(cov)
            assign[cov] = [cov]
            continue
        if isinstance(col.dtype, pd.CategoricalDtype):
            levels = [lv for lv in col.cat.categories if (col == lv).any()]
        else:
            levels = sorted(col.unique().tolist())
        if cov in reference:
            ref = reference[cov]
            if ref not in levels:
                raise ValueError(f"reference level {ref!r} for {cov!r} is not among its levels "
                                 f"{levels}")
        else:
            ref = levels[0]
        if len(levels) < 2:
            raise ValueError(f"categorical covariate {cov!r} has a single level {levels}")
        assign[cov] = []
        for lv in levels:
            if lv == ref:
                continue
            columns.append((col == lv).to_numpy(dtype=float))
            names.append(f"{cov}{_level_label(lv)}")
            assign[cov].append(names[-1])
    return np.column_stack(columns), names, assign


@dataclass
class _RiskSets:
    """Per-death expansion of the partial likelihood (Efron: one row per tied death k = 0..d-1
    with weight fraction a = k/d; Breslow: a = 0). Arrays are in time-sorted order."""
    s0: np.ndarray      # (m,) adjusted risk-set sum of exp(eta)
    xbar: np.ndarray    # (m, p)
    var: np.ndarray     # (m, p, p) weighted covariance of x in the adjusted risk set
    frac: np.ndarray    # (m,) a
    group: np.ndarray   # (m,) index of the distinct event time
    loglik: float
    score: np.ndarray
    info: np.ndarray


def _risk_sets(time: np.ndarray, status: np.ndarray, x: np.ndarray, beta: np.ndarray,
               efron: bool) -> _RiskSets:
    eta = x @ beta
    r = np.exp(eta)
    n, p = x.shape
    death = status == 1
    etimes = np.unique(time[death])
    first = np.searchsorted(time, etimes, side="left")  # time must be sorted ascending
    rev = lambda a: np.cumsum(a[::-1], axis=0)[::-1]  # noqa: E731  sum over rows at/after
    rx = r[:, None] * x
    s0 = rev(r)[first]
    s1 = rev(rx)[first]
    s2 = rev(rx[:, :, None] * x[:, None, :])[first]
    g = np.searchsorted(etimes, time[death])  # death -> its event time
    k = etimes.size
    d = np.bincount(g, minlength=k).astype(float)
    d0 = np.bincount(g, weights=r[death], minlength=k)
    d1 = np.zeros((k, p))
    np.add.at(d1, g, rx[death])
    d2 = np.zeros((k, p, p))
    np.add.at(d2, g, rx[death][:, :, None] * x[death][:, None, :])
    # rank of each death within its tie group (deaths are time-sorted, so groups are contiguous)
    start = np.concatenate([[0], np.cumsum(d)[:-1]]).astype(int)
    rank = np.arange(g.size) - start[g]
    frac = rank / d[g] if efron else np.zeros(g.size)
    S0 = s0[g] - frac * d0[g]
    S1 = s1[g] - frac[:, None] * d1[g]
    S2 = s2[g] - frac[:, None, None] * d2[g]
    xbar = S1 / S0[:, None]
    var = S2 / S0[:, None, None] - xbar[:, :, None] * xbar[:, None, :]
    loglik = float(eta[death].sum() - np.log(S0).sum())
    score = x[death].sum(axis=0) - xbar.sum(axis=0)
    info = var.sum(axis=0)
    return _RiskSets(S0, xbar, var, frac, g, loglik, score, info)


def _newton(time, status, x, efron, max_iter=50, tol=1e-12):
    beta = np.zeros(x.shape[1])
    rs = _risk_sets(time, status, x, beta, efron)
    loglik0 = rs.loglik
    for it in range(max_iter):
        step = np.linalg.solve(rs.info, rs.score)
        new = beta + step
        rs_new = _risk_sets(time, status, x, new, efron)
        halvings = 0
        while not np.isfinite(rs_new.loglik) or rs_new.loglik < rs.loglik - 1e-12:
            step /= 2
            new = beta + step
            rs_new = _risk_sets(time, status, x, new, efron)
            halvings += 1
            if halvings > 30:
                raise RuntimeError("Cox Newton-Raphson: step-halving failed")
        converged = (abs(rs_new.loglik - rs.loglik) <= tol * abs(rs.loglik)
                     and np.max(np.abs(step)) < 1e-7)
        beta, rs = new, rs_new
        if converged:
            return beta, rs, loglik0, it + 1
    if np.any(np.abs(beta) > 15):
        raise RuntimeError("Cox fit did not converge: a coefficient is diverging (monotone "
                           "likelihood, e.g. a level with no events)")
    raise RuntimeError(f"Cox fit did not converge in {max_iter} iterations")


@dataclass
class CoxResult:
    """Fitted Cox model. ``table``: term, estimate (log hazard ratio), std_error, z, p_value,
    hazard_ratio, hr_lower, hr_upper (and naive_se, robust_se if clustered; then std_error, z, p
    and the interval use the robust SE). ``n``, ``n_events``, ``loglik`` (at the estimate),
    ``loglik_null`` (at beta = 0), ``vcov`` (the variance used in the table), ``ties``,
    ``terms``: {covariate: its term names}."""
    table: pd.DataFrame
    n: int
    n_events: int
    loglik: float
    loglik_null: float
    vcov: pd.DataFrame
    naive_vcov: pd.DataFrame
    ties: str
    terms: dict[str, list[str]]
    iterations: int
    n_clusters: int | None = None
    _time: np.ndarray = field(repr=False, default=None)
    _status: np.ndarray = field(repr=False, default=None)
    _x: np.ndarray = field(repr=False, default=None)
    _rs: _RiskSets = field(repr=False, default=None)

    @property
    def coef(self) -> pd.Series:
        return self.table.set_index("term")["estimate"]

    def _schoenfeld(self) -> np.ndarray:
        """Unscaled Schoenfeld residuals, one row per death in time order: x_i minus the mean of
        the (Efron-adjusted) risk-set means of its tie group."""
        rs = self._rs
        k = rs.group.max() + 1
        mean_xbar = np.zeros((k, self._x.shape[1]))
        np.add.at(mean_xbar, rs.group, rs.xbar)
        mean_xbar /= np.bincount(rs.group, minlength=k)[:, None]
        return self._x[self._status == 1] - mean_xbar[rs.group]

    def _gtime(self, transform: str) -> np.ndarray:
        t_death = self._time[self._status == 1]
        if transform == "identity":
            g = t_death.astype(float)
        elif transform == "km":
            times, _, _, _, surv, _ = _km_steps(self._time, self._status)
            # left-continuous KM: S(t-) = S at the last distinct time strictly before t
            idx = np.searchsorted(times, t_death, side="left")
            g = 1.0 - np.concatenate([[1.0], surv])[idx]
        else:
            raise ValueError(f"transform must be 'km' or 'identity', got {transform!r}")
        return g - g.mean()

    def scaled_schoenfeld(self, transform: Literal["km", "identity"]) -> pd.DataFrame:
        """Scaled Schoenfeld residuals n_events * r V + beta (V the model-based variance; as
        R ``cox.zph(fit, terms = FALSE)$y`` for an unstratified model), one per death and
        coefficient, in a long table: time, g (centred transformed time), term, residual. For
        plots of beta(t); the test itself is ``ph_test``."""
        sch = self._schoenfeld() @ self.naive_vcov.to_numpy() * self.n_events
        sch = sch + self.coef.to_numpy()
        g = self._gtime(transform)
        t = self._time[self._status == 1]
        names = list(self.coef.index)
        return pd.DataFrame({"time": np.repeat(t, len(names)), "g": np.repeat(g, len(names)),
                             "term": np.tile(names, t.size), "residual": sch.ravel()})

    def ph_test(self, transform: Literal["km", "identity"], terms: bool = True) -> pd.DataFrame:
        """Proportional-hazards test as R ``cox.zph`` in survival >= 3.0 (score test).

        For each covariate x (all its dummies together when ``terms=True``, R's default; one test
        per coefficient when False) the test is the score test of gamma = 0 in the extended model
        beta'x + gamma'x g(t), evaluated at (beta_hat, 0), with the full information matrix of
        (beta, gamma) (ties handled as in the fit, Efron or Breslow). g(t) is the transformed event
        time centred at its mean over deaths: ``"km"`` g = 1 - S_KM(t-) (left-continuous overall
        Kaplan–Meier, R's default), ``"identity"`` g = t in days. GLOBAL tests all gammas
        jointly.
        This is not the pre-3.0 approximation (regression of scaled Schoenfeld residuals on g
        with the variance taken as constant over time); results differ slightly from it.
        Written from the survival 3.x algorithm (R ``cox.zph`` and C ``zph1``: same u, 2p x 2p
        information, centring of g over deaths, left-continuous KM); not run against R here (no
        R on this machine), but checked against numerical derivatives of the extended partial
        likelihood in ``tests/methods/test_survival.py``. Unstratified, unweighted models only.

        Returns DataFrame: term (covariate name, or coefficient name, and ``GLOBAL``), chisq, df,
        p_value (upper tail of chi-square with df).
        """
        rs = self._rs
        p = self._x.shape[1]
        g = self._gtime(transform)  # per death, time order == order of rs rows
        u = np.concatenate([np.zeros(p), g @ self._schoenfeld()])
        i12 = np.einsum("m,mij->ij", g, rs.var)
        i22 = np.einsum("m,mij->ij", g * g, rs.var)
        imat = np.block([[rs.info, i12], [i12, i22]])
        names = list(self.coef.index)
        if terms:
            groups = {cov: [names.index(t) for t in tn] for cov, tn in self.terms.items()}
        else:
            groups = {name: [j] for j, name in enumerate(names)}
        groups["GLOBAL"] = list(range(p))
        rows = []
        for label, j in groups.items():
            kk = list(range(p)) + [p + jj for jj in j]
            uk = u[kk]
            chisq = float(uk @ np.linalg.solve(imat[np.ix_(kk, kk)], uk))
            rows.append({"term": label, "chisq": chisq, "df": len(j),
                         "p_value": float(stats.chi2.sf(chisq, len(j)))})
        return pd.DataFrame(rows)


def cox(df: pd.DataFrame, duration: str, event: str, covariates: Sequence[str],
        ties: Literal["efron", "breslow"], cluster: str | None = None,
        reference: Mapping[str, object] | None = None, categorical: Sequence[str] = (),
        conf_level: float = 0.95) -> CoxResult:
    """Cox proportional-hazards model (R ``coxph``).

    Inputs: ``duration`` (days), ``event`` (0/1), ``covariates`` (column names; categorical ones
    expanded to dummies, see :func:`design_matrix`: non-numeric columns, or numeric ones listed in
    ``categorical`` such as ``cycle``), ``ties`` ("efron" = R's default, or "breslow"),
    ``cluster`` (column: grouped-sandwich robust SE as R ``coxph(..., cluster = )``),
    ``reference`` ({column: reference level}), ``conf_level`` for the hazard-ratio interval
    exp(estimate -/+ z SE). Rows with a missing covariate raise (R would drop them silently).

    Output: :class:`CoxResult`. Wald z and p use the reported SE (robust when clustered).
    """
    if ties not in ("efron", "breslow"):
        raise ValueError(f"ties must be 'efron' or 'breslow', got {ties!r}")
    covariates = list(covariates)
    if not covariates:
        raise ValueError("cox needs at least one covariate")
    _check_columns(df, [duration, event, *covariates] + ([cluster] if cluster else []))
    z_crit = _z(conf_level)
    time, status = _durations(df, duration), _events(df, event)
    if status.sum() == 0:
        raise ValueError(f"event column {event!r} has no events; a Cox model cannot be fitted")
    x, names, assign = design_matrix(df, covariates, categorical, reference)
    if np.linalg.matrix_rank(x - x.mean(axis=0)) < x.shape[1]:
        raise ValueError(f"covariate columns {names} are collinear (or constant)")
    order = np.argsort(time, kind="stable")
    t, s = time[order], status[order]
    xc = x[order] - x.mean(axis=0)
    beta, rs, loglik0, iters = _newton(t, s, xc, ties == "efron")
    naive = np.linalg.inv(rs.info)
    naive_se = np.sqrt(np.diag(naive))
    vcov, n_clusters = naive, None
    table = pd.DataFrame({"term": names, "estimate": beta})
    if cluster is not None:
        cl = df[cluster]
        miss = df.index[cl.isna()]
        if len(miss):
            raise ValueError(f"cluster column {cluster!r} is missing in row(s) {_rows(miss)}")
        dfbeta = _score_residuals(t, s, xc, beta, rs) @ naive
        codes = pd.factorize(cl.to_numpy()[order])[0]
        n_clusters = int(codes.max() + 1)
        summed = np.zeros((n_clusters, len(beta)))
        np.add.at(summed, codes, dfbeta)
        vcov = summed.T @ summed
    se = np.sqrt(np.diag(vcov))
    table["std_error"] = se
    table["z"] = beta / se
    table["p_value"] = 2 * stats.norm.sf(np.abs(beta / se))
    table["hazard_ratio"] = np.exp(beta)
    table["hr_lower"] = np.exp(beta - z_crit * se)
    table["hr_upper"] = np.exp(beta + z_crit * se)
    if cluster is not None:
        table["naive_se"] = naive_se
        table["robust_se"] = se
    return CoxResult(table=table, n=len(t), n_events=int(s.sum()), loglik=rs.loglik,
                     loglik_null=loglik0, vcov=pd.DataFrame(vcov, names, names),
                     naive_vcov=pd.DataFrame(naive, names, names), ties=ties, terms=assign,
                     iterations=iters, n_clusters=n_clusters, _time=t, _status=s, _x=xc, _rs=rs)


def _score_residuals(time, status, x, beta, rs: _RiskSets) -> np.ndarray:
    """Score residuals (R ``residuals(fit, "score")``) in the time-sorted order; Efron ties: a
    death at t_j shares each of the d_j partial risk sets with weight (1 - k/d_j)."""
    r = np.exp(x @ beta)
    death = status == 1
    k = rs.group.max() + 1
    p = x.shape[1]
    inv = 1.0 / rs.s0
    # cumulative sums over the per-death expansion (time order)
    h0 = np.concatenate([[0.0], np.cumsum(inv)])
    h1 = np.vstack([np.zeros(p), np.cumsum(rs.xbar * inv[:, None], axis=0)])
    etimes = np.unique(time[death])
    exp_time = etimes[rs.group]
    m = np.searchsorted(exp_time, time, side="right")  # expansions at times <= t_i
    resid = -r[:, None] * (x * h0[m][:, None] - h1[m])
    # deaths: own term, and weight (1 - a) instead of 1 in their own tie group
    g0 = np.bincount(rs.group, weights=rs.frac * inv, minlength=k)
    g1 = np.zeros((k, p))
    np.add.at(g1, rs.group, (rs.frac * inv)[:, None] * rs.xbar)
    mean_xbar = np.zeros((k, p))
    np.add.at(mean_xbar, rs.group, rs.xbar)
    mean_xbar /= np.bincount(rs.group, minlength=k)[:, None]
    gd = rs.group  # deaths are in time order, same as expansion rows
    xd, rd = x[death], r[death]
    resid[death] += (xd - mean_xbar[gd]) + rd[:, None] * (xd * g0[gd][:, None] - g1[gd])
    return resid


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
    std_err = np.sqrt(np.maximum(var, 0.0))
    n_evt = d_k
    if at is not None:
        idx = np.searchsorted(times, at, side="right")
        pad = lambda a, v: np.concatenate([np.full(a.shape[:-1] + (1,), v), a], axis=-1)  # noqa
        cif, std_err, surv = pad(cif, 0.0)[:, idx], pad(std_err, 0.0)[:, idx], pad(surv, 1.0)[idx]
        cum = pad(np.cumsum(d_k, axis=1), 0.0)[:, idx]
        n_evt = np.diff(pad(cum, 0.0), axis=1)
        n_risk = np.array([(time >= a).sum() for a in at], dtype=float)
        times = at
    frames = []
    for kk, c in enumerate(event_codes):
        f, se = cif[kk], std_err[kk]
        with np.errstate(divide="ignore", invalid="ignore"):
            if conf_type == "log":
                lower = np.exp(np.log(f) - z * se / f)
                upper = np.minimum(np.exp(np.log(f) + z * se / f), 1.0)
            else:
                lower = np.maximum(f - z * se, 0.0)
                upper = np.minimum(f + z * se, 1.0)
        lower = np.where(f > 0, lower, 0.0 if conf_type == "plain" else np.nan)
        upper = np.where(f > 0, upper, 0.0 if conf_type == "plain" else np.nan)
        frames.append(pd.DataFrame({"time": times, "outcome": c, "n_risk": n_risk.astype(int),
                                    "n_event": n_evt[kk].astype(int), "cif": f, "std_err": se,
                                    "lower": lower, "upper": upper, "survival": surv}))
    return pd.concat(frames, ignore_index=True)


def cumulative_incidence(df: pd.DataFrame, duration: str, outcome: str,
                         event_codes: Sequence, censor_code, at: Sequence[float] | None = None,
                         conf_type: Literal["log", "plain"] = "log", conf_level: float = 0.95,
                         by: str | None = None) -> pd.DataFrame:
    """Aalen–Johansen cumulative incidence of competing outcomes.

    Inputs: ``duration`` (days), ``outcome`` column holding one of ``event_codes`` (competing
    outcomes, e.g. "sanctioned", "not_proven", "stopped") or ``censor_code`` (a value or a list,
    e.g. "pending": censored at the data date); any other value raises. ``conf_type``: "log"
    (exp(log F -/+ z se/F), upper capped at 1; NaN while F = 0) or "plain" (F -/+ z se clipped to
    [0, 1]). ``at``: strictly increasing days; ``by``: optional grouping column.

    Output: long table with columns ``time, outcome, n_risk, n_event, cif, std_err, lower, upper,
    survival`` (``survival`` = all-cause event-free Kaplan–Meier, so the CIFs plus survival sum
    to 1), one row per outcome and distinct time with any event (or per ``at`` day, values carried
    forward; ``n_event`` then counts that outcome in (previous day, this day]). Variance:
    Greenwood-type delta method (module docstring); with one event type cif = 1 - KM and std_err
    = Greenwood exactly.
    """
    _check_columns(df, [duration, outcome] + ([by] if by is not None else []))
    z = _z(conf_level)
    if conf_type not in ("log", "plain"):
        raise ValueError(f"conf_type must be 'log' or 'plain', got {conf_type!r}")
    event_codes = list(event_codes)
    censor_codes = (list(censor_code) if isinstance(censor_code, (list, tuple, set))
                    else [censor_code])
    if not event_codes:
        raise ValueError("event_codes is empty")
    overlap = set(event_codes) & set(censor_codes)
    if overlap:
        raise ValueError(f"codes {sorted(map(str, overlap))} are both event and censor codes")
    at_arr = _check_at(at)
    time = _durations(df, duration)
    code = df[outcome].to_numpy(dtype=object)
    known = df[outcome].isin(event_codes + censor_codes).to_numpy()
    bad = df.index[~known]
    if len(bad):
        raise ValueError(f"outcome column {outcome!r} has values "
                         f"{sorted(map(str, df[outcome].loc[bad].unique()))[:5]} that are neither "
                         f"event_codes {event_codes} nor censor_code {censor_codes}, in row(s) "
                         f"{_rows(bad)}")
    frames = []
    for key, pos in _groups(df, by):
        table = _cif_one(time[pos], code[pos], event_codes, z, conf_type, at_arr)
        if by is not None:
            table.insert(0, by, key)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------------------------
# Durations from dates
# --------------------------------------------------------------------------------------------

def durations_from_dates(df: pd.DataFrame, start: str, end: str, data_date) -> pd.DataFrame:
    """Days from ``start`` to ``end`` with an event indicator, censoring at ``data_date``.

    Inputs: ``start`` and ``end`` date columns (anything ``pd.to_datetime`` parses; ``end``
    missing = event not yet observed), ``data_date`` (the data cut-off date).
    Output: DataFrame on ``df``'s index with ``days`` (int, whole calendar days) and ``event``
    (1 = ``end`` observed, 0 = censored at ``data_date``, days = data_date - start).
    Raises ValueError naming the row(s) when ``start`` is missing or unparseable, ``end`` is
    unparseable, ``end`` < ``start``, ``end`` > ``data_date`` or ``start`` > ``data_date``.
    """
    _check_columns(df, [start, end])
    cutoff = pd.Timestamp(data_date)
    if pd.isna(cutoff):
        raise ValueError("data_date is missing")
    s = pd.to_datetime(df[start], errors="coerce")
    e = pd.to_datetime(df[end], errors="coerce")
    bad_start = df.index[s.isna()]
    if len(bad_start):
        raise ValueError(f"start column {start!r} is missing or not a date in row(s) "
                         f"{_rows(bad_start)}")
    unparsed = df.index[e.isna() & df[end].notna()]
    if len(unparsed):
        raise ValueError(f"end column {end!r} is not a date in row(s) {_rows(unparsed)}")
    before = df.index[e.notna() & (e < s)]
    if len(before):
        raise ValueError(f"end column {end!r} is before start column {start!r} in row(s) "
                         f"{_rows(before)}")
    after = df.index[(e.notna() & (e > cutoff)) | (s > cutoff)]
    if len(after):
        raise ValueError(f"dates after data_date {cutoff.date()} in row(s) {_rows(after)}")
    event = e.notna().astype(int)
    stop = e.where(e.notna(), cutoff)
    days = (stop.dt.normalize() - s.dt.normalize()).dt.days.astype(int)
    return pd.DataFrame({"days": days, "event": event}, index=df.index)
