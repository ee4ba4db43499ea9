"""Cox proportional-hazards model (R ``coxph``) and its proportional-hazards test (R ``cox.zph``).

Units and data as in :mod:`.survival`: a duration in days from an origin (the sanction
recommendation) to the event (the sanction executed) or to censoring at the data date; the event
indicator is 1 = event observed, 0 = censored.

Assumptions: censoring is independent of the event time given the covariates; hazards are
proportional (check with ``CoxResult.ph_test``); times are exact, ties handled by Efron's or
Breslow's approximation, chosen explicitly.

- ``cox``: maximum partial likelihood by Newton–Raphson (own implementation, step-halving,
  covariates centred), ties ``"efron"`` or ``"breslow"`` = R ``coxph(..., ties = )``. Model-based
  SE = sqrt(diag(I^{-1})); cluster-robust variance = D'D with D the dfbeta residuals
  (score residuals x I^{-1}) summed within clusters, no small-sample factor = R ``coxph(...,
  cluster = )``. Categorical covariates become treatment dummies named as R names them
  (``cycle2020``, ``positionfungsional``).
- ``CoxResult.ph_test``: the score test of R ``cox.zph`` in survival >= 3.0 (see its docstring).

The result keeps the contract of :mod:`.contract`: ``level`` sets the interval, ``tidy()`` gives
the log hazard ratios and ``tidy(exponentiate=True)`` the hazard ratios; bad input raises
:class:`~.contract.InputError` naming the column.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from .contract import LEVEL, TIDY_COLUMNS, InputError, LogLinearResult, require_columns
from .survival import _bad_rows, _durations, _events, _km_steps, _z

COX_COLUMNS = [*TIDY_COLUMNS, "statistic"]  # then std_error_naive when clustered


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
    name = "design_matrix"
    reference = dict(reference or {})
    unknown = [c for c in list(reference) + list(categorical) if c not in covariates]
    if unknown:
        raise InputError(name, f"reference/categorical name column(s) {unknown} that are not "
                         f"among the covariates {list(covariates)}", column=unknown[0])
    require_columns(df, covariates, name)
    columns, names, assign = [], [], {}
    for cov in covariates:
        col = df[cov]
        miss = df.index[col.isna()]
        if len(miss):
            raise _bad_rows(name, cov, f"covariate {cov!r} is missing (drop or impute those rows "
                            "first)", miss)
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
                raise InputError(name, f"reference level {ref!r} for {cov!r} is not among its "
                                 f"levels {levels}", column=cov)
        else:
            ref = levels[0]
        if len(levels) < 2:
            raise InputError(name, f"categorical covariate {cov!r} has a single level {levels}",
                             column=cov)
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
class CoxResult(LogLinearResult):
    """Fitted Cox model. ``tidy()``: term, estimate (log hazard ratio), std_error, low and high
    (Wald, ``level``), p_value, statistic (Wald z), and std_error_naive (the model-based SE) if
    clustered, when std_error, statistic, p and the interval use the robust SE;
    ``tidy(exponentiate=True)``: hazard ratios. ``n``, ``n_events``, ``loglik`` (at the
    estimate), ``loglik_null`` (at beta = 0), ``vcov`` (the variance used in the table),
    ``ties``, ``terms``: {covariate: its term names}."""
    _table: pd.DataFrame = field(repr=False)
    level: float
    method: str
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

    def _tidy(self) -> pd.DataFrame:
        return self._table

    @property
    def coef(self) -> pd.Series:
        """The log hazard ratios by term."""
        return self._table.set_index("term")["estimate"]

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
            raise InputError("ph_test", "transform must be 'km' or 'identity'", value=transform)
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
        level: float = LEVEL) -> CoxResult:
    """Cox proportional-hazards model (R ``coxph``).

    Inputs: ``duration`` (days), ``event`` (0/1), ``covariates`` (column names; categorical ones
    expanded to dummies, see :func:`design_matrix`: non-numeric columns, or numeric ones listed in
    ``categorical`` such as ``cycle``), ``ties`` ("efron" = R's default, or "breslow"),
    ``cluster`` (column: grouped-sandwich robust SE as R ``coxph(..., cluster = )``),
    ``reference`` ({column: reference level}), ``level`` for the interval estimate -/+ z SE
    (exponentiated: the hazard-ratio interval). Rows with a missing covariate raise (R would
    drop them silently).

    Output: :class:`CoxResult`. Wald z and p use the reported SE (robust when clustered).
    """
    name = "cox"
    if ties not in ("efron", "breslow"):
        raise InputError(name, "ties must be 'efron' or 'breslow'", value=ties)
    covariates = list(covariates)
    if not covariates:
        raise InputError(name, "needs at least one covariate")
    require_columns(df, [duration, event, *covariates, cluster], name)
    z_crit = _z(level, name)
    time, status = _durations(df, duration, name), _events(df, event, name)
    if status.sum() == 0:
        raise InputError(name, f"event column {event!r} has no events; a Cox model cannot be "
                         "fitted", column=event)
    x, names, assign = design_matrix(df, covariates, categorical, reference)
    if np.linalg.matrix_rank(x - x.mean(axis=0)) < x.shape[1]:
        raise InputError(name, f"covariate columns {names} are collinear (or constant)")
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
            raise _bad_rows(name, cluster, f"cluster column {cluster!r} is missing", miss)
        dfbeta = _score_residuals(t, s, xc, beta, rs) @ naive
        codes = pd.factorize(cl.to_numpy()[order])[0]
        n_clusters = int(codes.max() + 1)
        summed = np.zeros((n_clusters, len(beta)))
        np.add.at(summed, codes, dfbeta)
        vcov = summed.T @ summed
    se = np.sqrt(np.diag(vcov))
    table["std_error"] = se
    table["low"] = beta - z_crit * se
    table["high"] = beta + z_crit * se
    table["p_value"] = 2 * stats.norm.sf(np.abs(beta / se))
    table["statistic"] = beta / se
    if cluster is not None:
        table["std_error_naive"] = naive_se
    method = (f"Cox partial likelihood (Newton-Raphson), {ties} ties; "
              + (f"robust SE clustered by {cluster} (grouped dfbeta sandwich)" if cluster
                 else "model-based SE") + "; Wald z interval and test")
    return CoxResult(_table=table, level=float(level), method=method, n=len(t),
                     n_events=int(s.sum()), loglik=rs.loglik, loglik_null=loglik0,
                     vcov=pd.DataFrame(vcov, names, names),
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
