"""Violation rates per civil servant (ASN) and comparisons of rates across cycles.

Units: counts are cases (or ASN, depending on the series: compare within one series); exposure
is the raw headcount of civil servants (not its log); rates are per ``per`` ASN (default
10,000). Every interval and test names its method; no statsmodels default is relied on. Every
estimator returns a result whose ``tidy()`` keeps the contract of :mod:`.contract` (``level``,
``term, estimate, std_error, low, high, p_value``, :class:`~.contract.InputError`).

- ``rate_table``: rate per ``per`` ASN with the exact (Garwood) Poisson interval of the count.
- ``rate_ratio``: ratio of two rates with the exact conditional interval and two exact tests
  (conditional binomial, as R ``poisson.test`` with two samples; and the E-test).
- ``rate_ratio_quasi``: the same ratio with a quasi-Poisson interval for overdispersed counts
  (scale ``phi`` given, e.g. from a funnel plot of the same release).
- ``fit_count_model``: Poisson, quasi-Poisson and negative binomial log-rate models with
  exposure, model-based or cluster-robust (CR1/"HC1", CR0/"HC0") standard errors; reproduces R
  ``glm``, ``MASS::glm.nb`` and ``sandwich::vcovCL`` (see ``tests/methods/test_rates.py``).
- ``overdispersion``, ``critical_t``, ``r_term_name``: small helpers.
"""
from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from patsy import ModelDesc
from scipy import special, stats
from statsmodels.discrete.discrete_model import NegativeBinomial
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.stats import sandwich_covariance as sw
from statsmodels.stats.rates import test_poisson_2indep

from . import intervals
from .contract import (LEVEL, InputError, LogLinearResult, Result, check_level, reject_rows,
                       require_columns, tidy_rows)

FAMILIES = ("poisson", "quasipoisson", "negbin")
CLUSTER_TYPES = ("HC1", "HC0")


# --------------------------------------------------------------------------------------------
# Rates with exact intervals
# --------------------------------------------------------------------------------------------

RATE_METHOD = ("exact (Garwood) Poisson interval of the count (chi-square quantiles, as R "
               "poisson.test), scaled by per / exposure; the exposure is taken as known")


@dataclass(frozen=True)
class RateTable(Result):
    """Rates per ``per`` units of exposure, one per input row (columns: :func:`rate_table`)."""

    _table: pd.DataFrame = field(repr=False)
    per: float
    level: float
    method: str = field(default=RATE_METHOD, repr=False)

    def _tidy(self) -> pd.DataFrame:
        return self._table


def rate_table(df: pd.DataFrame, count: str = "count", exposure: str = "exposure",
               label: str | None = None, per: float = 10_000,
               level: float = LEVEL) -> RateTable:
    """Events per ``per`` units of exposure with the exact Poisson interval, row by row.

    ``count`` holds whole non-negative event counts; ``exposure`` the raw denominator
    (e.g. ASN headcount, not its log), treated as known without error. The interval is the
    exact (Garwood) Poisson interval of the count at ``level``, scaled by ``per / exposure``
    (``intervals.rate_per``). ``tidy()``: ``term`` (the ``label`` column, else the index),
    ``estimate`` = rate per ``per``, ``std_error`` NaN (exact interval), ``low``, ``high``,
    ``p_value`` NaN (no test); then the count, the exposure and the input's other columns.
    """
    require_columns(df, [count, exposure, label], "rate_table")
    level = check_level(level, "rate_table")
    counts = pd.to_numeric(df[count], errors="coerce")
    exposures = pd.to_numeric(df[exposure], errors="coerce")
    reject_rows(df, count, counts.isna() | (counts < 0) | (counts != np.floor(counts)),
                "rate_table", "a whole non-negative count")
    reject_rows(df, exposure, exposures.isna() | ~(exposures > 0) | ~np.isfinite(exposures),
                "rate_table", "a positive finite exposure")
    rows = [intervals.rate_per(int(x), float(e), per=per, level=level)
            for x, e in zip(counts, exposures)]
    rate, low, high = (np.array([r[i] for r in rows], dtype=float) for i in range(3))
    terms = df[label] if label is not None else df.index
    fixed = pd.DataFrame({"term": np.asarray(terms).astype(str), "estimate": rate,
                          "std_error": np.nan, "low": low, "high": high, "p_value": np.nan})
    rest = [count, exposure, *[c for c in df.columns if c not in (count, exposure, label)]]
    rest = df[rest].reset_index(drop=True)
    return RateTable(pd.concat([fixed, rest], axis=1), float(per), level)


# --------------------------------------------------------------------------------------------
# Two rates
# --------------------------------------------------------------------------------------------

RATIO_CI_METHOD = ("exact conditional: Clopper-Pearson interval for p = x1/(x1+x0), "
                   "transformed by p/(1-p) * n0/n1 (as R poisson.test, two samples)")
EXACT_TEST_METHOD = ("exact conditional binomial test of p = n1/(n1+n0) given x1+x0: "
                     "scipy.stats.binomtest(alternative='two-sided'), two-sided p = sum of "
                     "probabilities <= that of x1 (as R binom.test / poisson.test)")
ETEST_METHOD = ("E-test (Krishnamoorthy-Thomson; score statistic): statsmodels.stats.rates."
                "test_poisson_2indep(method='etest-score', compare='ratio', value=1, "
                "alternative='two-sided')")


RATE_RATIO_METHOD = (f"interval: {RATIO_CI_METHOD}; p_value: {EXACT_TEST_METHOD}; "
                     f"p_etest: {ETEST_METHOD}")


def _check_two_rates(x1, n1, x0, n0, function: str) -> None:
    for name, x in (("x1", x1), ("x0", x0)):
        if x < 0 or x != int(x):
            raise InputError(function, f"count {name} must be a whole number >= 0", value=x)
    for name, n in (("n1", n1), ("n0", n0)):
        if not (n > 0 and math.isfinite(n)):
            raise InputError(function, f"exposure {name} must be positive and finite", value=n)


@dataclass(frozen=True)
class RateRatio(Result):
    """Ratio of two Poisson rates, (x1/n1) / (x0/n0): ``estimate`` with its exact interval
    ``low``, ``high``, the exact conditional two-sided test of 1 (``p_value``) and the E-test
    (``p_etest``). ``tidy()``: one row, term ``rate_ratio``, ``std_error`` NaN (exact interval),
    then ``p_etest``, ``x1``, ``n1``, ``x0``, ``n0``."""

    estimate: float
    low: float
    high: float
    p_value: float
    p_etest: float
    x1: int
    n1: float
    x0: int
    n0: float
    level: float
    method: str = field(default=RATE_RATIO_METHOD, repr=False)

    def _tidy(self) -> pd.DataFrame:
        return tidy_rows([{"term": "rate_ratio", "estimate": self.estimate, "low": self.low,
                           "high": self.high, "p_value": self.p_value, "p_etest": self.p_etest,
                           "x1": self.x1, "n1": self.n1, "x0": self.x0, "n0": self.n0}],
                         extra=["p_etest", "x1", "n1", "x0", "n0"])


def _odds_to_ratio(p: float, n1: float, n0: float) -> float:
    """Map the conditional probability p = x1/(x1+x0) to the rate ratio p/(1-p) * n0/n1."""
    if p >= 1.0:
        return math.inf
    return p / (1.0 - p) * n0 / n1


def rate_ratio(x1: int, n1: float, x0: int, n0: float, level: float = LEVEL) -> RateRatio:
    """Rate ratio of group 1 to group 0 with its exact conditional interval and exact tests.

    ``x1``, ``x0`` are event counts, ``n1``, ``n0`` the raw exposures (e.g. ASN headcount).
    Conditional on x1 + x0, x1 is binomial with p = R n1 / (R n1 + n0), R the rate ratio, so
    the Clopper-Pearson interval for p gives an exact interval for R at ``level``, and the
    binomial test of p = n1/(n1+n0) an exact test of R = 1 (``p_value``). ``p_etest`` is the
    unconditional E-test. Zero counts do not fail: x0 = 0 gives estimate and upper bound
    ``inf``; x1 = 0 gives estimate and lower bound 0; x1 = x0 = 0 gives estimate ``nan``,
    interval (0, inf) and p-values 1.
    """
    _check_two_rates(x1, n1, x0, n0, "rate_ratio")
    level = check_level(level, "rate_ratio")
    x1, x0 = int(x1), int(x0)
    total = x1 + x0
    if total == 0:
        ratio, low, high, p_exact = math.nan, 0.0, math.inf, 1.0
    else:
        ratio = math.inf if x0 == 0 else (x1 / n1) / (x0 / n0)
        p_low, p_high = intervals.clopper_pearson(x1, total, level)
        low, high = _odds_to_ratio(p_low, n1, n0), _odds_to_ratio(p_high, n1, n0)
        p_exact = float(stats.binomtest(x1, total, p=n1 / (n1 + n0),
                                        alternative="two-sided").pvalue)
    with np.errstate(divide="ignore", invalid="ignore"):  # 0/0 rates when a count is zero
        etest = test_poisson_2indep(x1, n1, x0, n0, value=1.0, method="etest-score",
                                    compare="ratio", alternative="two-sided",
                                    etest_kwds={"y_grid": None})
    return RateRatio(estimate=float(ratio), low=float(low), high=float(high),
                     p_value=min(1.0, p_exact), p_etest=min(1.0, float(etest.pvalue)),
                     x1=x1, n1=n1, x0=x0, n0=n0, level=level)


QUASI_RATIO_METHOD = ("quasi-Poisson Wald interval on the log scale: log(RR) +/- z * "
                      "sqrt(phi/x1 + phi_rest/x0), 0.5 added to a zero count; normal p-value")


@dataclass(frozen=True)
class QuasiRateRatio(Result):
    """Rate ratio with a quasi-Poisson (overdispersed) interval and test; ``phi`` and
    ``phi_rest`` the scales of the two counts. The interval is built on the log scale;
    ``std_error`` is the delta-method standard error of the ratio, ``estimate * SE(log RR)`` (as
    :func:`~.contract.exponentiated`). ``tidy()``: one row, term ``rate_ratio``, then ``phi``
    and ``phi_rest``."""

    estimate: float
    std_error: float
    low: float
    high: float
    p_value: float
    phi: float
    level: float
    method: str = field(default=QUASI_RATIO_METHOD, repr=False)
    phi_rest: float = float("nan")

    def _tidy(self) -> pd.DataFrame:
        return tidy_rows([{"term": "rate_ratio", "estimate": self.estimate,
                           "std_error": self.std_error, "low": self.low, "high": self.high,
                           "p_value": self.p_value, "phi": self.phi,
                           "phi_rest": self.phi_rest}], extra=["phi", "phi_rest"])


def rate_ratio_quasi(x1: int, n1: float, x0: int, n0: float, phi: float,
                     level: float = LEVEL, phi_rest: float | None = None) -> QuasiRateRatio:
    """Ratio of two rates when counts vary ``phi`` times more than Poisson (``Var = phi * mean``,
    e.g. ``phi`` from the funnel plot of the same release). Wald on the log scale with
    ``se = sqrt(phi/x1 + phi_rest/x0)`` (0.5 added to a zero count, for the interval only; the
    point ratio keeps the raw counts); ``phi_rest`` (default ``phi``) when the second count
    varies otherwise (a sum of units under a variance form other than ``phi * mean``). With
    ``phi = 1`` and large counts it agrees with the exact conditional interval of
    :func:`rate_ratio`; with small counts and ``phi >> 1`` the interval is wide, the point."""
    phi_rest = phi if phi_rest is None else phi_rest
    if not min(phi, phi_rest) >= 1 or not math.isfinite(phi + phi_rest):
        raise InputError("rate_ratio_quasi", "phi and phi_rest must be finite numbers >= 1",
                         value=(phi, phi_rest))
    _check_two_rates(x1, n1, x0, n0, "rate_ratio_quasi")
    level = check_level(level, "rate_ratio_quasi")
    c1, c0 = (x1 if x1 > 0 else 0.5), (x0 if x0 > 0 else 0.5)
    ratio = (x1 / n1) / (x0 / n0) if x0 > 0 else math.inf
    log_rr = math.log((c1 / n1) / (c0 / n0))
    se = math.sqrt(phi / c1 + phi_rest / c0)
    z = stats.norm.ppf(0.5 + level / 2)
    p = float(2 * stats.norm.sf(abs(log_rr) / se))
    return QuasiRateRatio(estimate=float(ratio), std_error=float(ratio) * se,
                          low=math.exp(log_rr - z * se), high=math.exp(log_rr + z * se),
                          p_value=p, phi=float(phi), level=level, phi_rest=float(phi_rest))


# --------------------------------------------------------------------------------------------
# Count models
# --------------------------------------------------------------------------------------------

def critical_t(G: int, level: float = LEVEL) -> float:
    """Two-sided critical value of Student's t with G - 1 df, for G clusters (few clusters)."""
    if G < 2:
        raise InputError("critical_t", f"need at least 2 clusters, got G={G!r}")
    return float(stats.t.ppf(0.5 + check_level(level, "critical_t") / 2, G - 1))


def overdispersion(result) -> float:
    """Pearson chi-square / residual df of a fitted GLM: about 1 under the Poisson model.

    ``result.df_resid`` is N - K (statsmodels keeps the cluster df in ``df_resid_inference``).
    """
    if not hasattr(result, "pearson_chi2"):
        raise InputError("overdispersion", f"expected a statsmodels GLM result with pearson_chi2, "
                        f"got {type(result).__name__}")
    return float(result.pearson_chi2 / result.df_resid)


_FACTOR = re.compile(r"^C\(\s*([^,()]+?)\s*(?:,.*)?\)\[T\.(.+)\]$")
_LEVEL = re.compile(r"^([^\[\]()]+)\[T\.(.+)\]$")


def r_term_name(name: str) -> str:
    """statsmodels/patsy term name as R prints it: ``Intercept`` -> ``(Intercept)``,
    ``C(cycle)[T.2018]`` -> ``cycle2018``, ``region[T.R02]`` -> ``regionR02``; interactions
    are converted part by part (``:`` is kept)."""
    if name == "Intercept":
        return "(Intercept)"
    parts = []
    for part in name.split(":"):
        m = _FACTOR.match(part) or _LEVEL.match(part)
        parts.append(f"{m.group(1)}{m.group(2)}" if m else part)
    return ":".join(parts)


def _theta_se_mass(y: np.ndarray, mu: np.ndarray, theta: float) -> float:
    """SE of theta as MASS::theta.ml reports it: 1/sqrt(observed information) with mu fixed."""
    info = np.sum(-special.polygamma(1, theta + y) + special.polygamma(1, theta) - 1 / theta
                  + 2 / (mu + theta) - (y + theta) / (mu + theta) ** 2)
    return float(1 / math.sqrt(info))


def _estimate_theta(exposure: np.ndarray, poisson_fit) -> float:
    """ML estimate of the NB2 size theta (= 1/alpha), mean and alpha estimated jointly.

    statsmodels discrete ``NegativeBinomial(loglike_method="nb2")`` by Newton's method, started
    at the Poisson estimates and the moment estimate of alpha (sum((y-mu)^2 - mu)/mu^2 / df);
    if Newton fails (alpha can step below 0), BFGS first, then Newton to polish.
    """
    source = poisson_fit.model.data  # the Poisson fit's design matrices, named by the formula
    model = NegativeBinomial(source.orig_endog, source.orig_exog, exposure=exposure,
                             loglike_method="nb2", missing="raise")
    y, mu = poisson_fit.model.endog, poisson_fit.mu
    alpha0 = max(float(np.sum(((y - mu) ** 2 - mu) / mu ** 2) / poisson_fit.df_resid), 0.05)
    start = np.append(poisson_fit.params.to_numpy(), alpha0)

    def converged(fit) -> bool:
        alpha = float(fit.params.iloc[-1])
        return bool(fit.mle_retvals.get("converged", False)) and np.isfinite(alpha) and alpha > 0

    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        fit = model.fit(start_params=start, method="newton", maxiter=100, tol=1e-12, disp=False)
        if not converged(fit):
            rough = model.fit(start_params=start, method="bfgs", maxiter=2000, gtol=1e-8,
                              disp=False)
            fit = model.fit(start_params=rough.params.to_numpy(), method="newton", maxiter=100,
                            tol=1e-12, disp=False)
    if not converged(fit):
        raise RuntimeError(f"negative binomial: ML estimation of theta did not converge "
                           f"(alpha={float(fit.params.iloc[-1])!r}); the data may not be "
                           "overdispersed (alpha -> 0): use the Poisson or quasi-Poisson model")
    return 1.0 / float(fit.params.iloc[-1])


def _cluster_cov(result, groups: np.ndarray, cov_type: str) -> np.ndarray:
    """Cluster-robust covariance as R ``sandwich::vcovCL(type=cov_type)`` on a glm / glm.nb.

    Bread: inverse expected information X'WX at scale 1 (R's ``bread.glm``); meat: sums over
    clusters of the unscaled scores, so the quasi-Poisson scale cancels. statsmodels'
    ``cov_type="cluster"`` uses the observed Hessian instead, which differs for the
    non-canonical NB log link (a few per cent on the reference panel), so the sandwich is
    built here from statsmodels' ``cov_cluster`` given (scores, bread):
    ``use_correction=True`` gives HC1 = G/(G-1)*(N-1)/(N-K) x CR0; HC0 is
    ``use_correction=False`` times G/(G-1) (vcovCL's default ``cadjust=TRUE``).
    """
    params = result.params.to_numpy(dtype=float)
    scores = result.model.score_obs(params, scale=1.0)
    bread = np.linalg.inv(-result.model.hessian(params, scale=1.0, observed=False))
    cov = sw.cov_cluster((scores, bread), groups, use_correction=(cov_type == "HC1"),
                         crv_type="cluster")
    if cov_type == "HC0":
        n_clusters = len(np.unique(groups))
        cov = cov * n_clusters / (n_clusters - 1)
    return cov


@dataclass
class CountModelFit(LogLinearResult):
    """A fitted count model. ``tidy()`` (coefficient scale; ``exponentiate=True`` for rate
    ratios): term (R names), estimate and std_error (log rate ratio), low and high (the
    ``level`` interval, see ``ci_method``), p_value; then statistic, model, se_type, ci_method
    and ci_df. ``stats`` (model level): model, se_type, n, df_resid (N - K),
    pearson_chi2_over_df, deviance, dispersion (the scale used for SEs), theta and theta_se
    (negbin), n_clusters (clustered fits). ``cov``: the covariance of the estimates behind the
    table (R term names); ``result``: the statsmodels GLM results with the model-based
    covariance (for clustered fits use ``cov``)."""

    _table: pd.DataFrame = field(repr=False)
    stats: dict
    cov: pd.DataFrame = field(repr=False)
    result: object = field(repr=False)
    level: float
    method: str

    def _tidy(self) -> pd.DataFrame:
        return self._table


def _formula_columns(formula: str) -> list[str]:
    """The data columns a patsy formula reads: in each factor (``C(cycle)``, ``np.log(x)``), the
    names that are neither called (``C``) nor the object of an attribute (``np``), and the
    names quoted in ``Q("...")``."""
    desc = ModelDesc.from_formula(formula)
    names = []
    for term in desc.lhs_termlist + desc.rhs_termlist:
        for factor in term.factors:
            tree = ast.parse(factor.code, mode="eval")
            skip = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
            skip |= {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
            for node in ast.walk(tree):
                if isinstance(node, ast.Name) and id(node) not in skip:
                    names.append(node.id)
                elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                      and node.func.id == "Q"):
                    names += [a.value for a in node.args if isinstance(a, ast.Constant)]
    return list(dict.fromkeys(names))


def fit_count_model(df: pd.DataFrame, formula: str, exposure_col: str,
                    family: Literal["poisson", "quasipoisson", "negbin"],
                    cluster: str | None = None,
                    cov_type: Literal["HC1", "HC0"] = "HC1",
                    level: float = LEVEL) -> CountModelFit:
    """Log-linear count model of the rate per unit of exposure, as R ``glm`` / ``glm.nb``.

    ``formula`` uses statsmodels syntax (``violations ~ C(cycle) + incumbent``);
    ``exposure_col`` is the raw headcount: statsmodels adds log(exposure) as the offset, as
    R's ``offset(log(asn))``. Coefficients are log rate ratios.

    family:
    - ``poisson``: variance = mean, scale 1.
    - ``quasipoisson``: Poisson point estimates, SEs scaled by Pearson chi2 / (N - K)
      (``scale="X2"``); intervals and p-values use t(N - K) as R's summary.glm.
    - ``negbin``: NB2 with theta (R's size; alpha = 1/theta) estimated by maximum likelihood
      (statsmodels discrete ``NegativeBinomial``, Newton), then the GLM refitted with
      ``NegativeBinomial(alpha=1/theta)``: the reported SEs treat theta as known, as
      ``MASS::glm.nb`` (joint-ML SEs are slightly larger). ``theta_se`` is MASS's
      (information for theta with the means fixed).

    cluster / cov_type: with ``cluster`` a column name, SEs are cluster-robust by that column,
    as ``sandwich::vcovCL(type=cov_type)`` (default ``cadjust=TRUE``, which applies G/(G-1) to
    both): ``HC1`` = G/(G-1)*(N-1)/(N-K) x CR0 sandwich; ``HC0`` = G/(G-1) x CR0. The bread
    is the expected information, as R's (see ``_cluster_cov``); the quasi-Poisson scale
    cancels. Clustered intervals and p-values use t(G-1) (``critical_t``), since
    cluster-robust SEs with few clusters over-reject; always read ``n_clusters``. Model-based
    ones use the normal (poisson, negbin) or t(N - K) (quasipoisson, as R's summary.glm).
    ``cov_type`` is ignored without ``cluster``. ``level`` sets the interval (``low``, ``high``
    in ``tidy()``, on the log scale; exponentiated with ``tidy(exponentiate=True)``).
    """
    name = "fit_count_model"
    if family not in FAMILIES:
        raise InputError(name, f"family must be one of {FAMILIES}", value=family)
    if cluster is not None and cov_type not in CLUSTER_TYPES:
        raise InputError(name, f"cov_type must be one of {CLUSTER_TYPES}", value=cov_type)
    require_columns(df, [*_formula_columns(formula), exposure_col, cluster], name)
    level = check_level(level, name)
    exposure = pd.to_numeric(df[exposure_col], errors="coerce").to_numpy(dtype=float)
    reject_rows(df, exposure_col, ~(np.isfinite(exposure) & (exposure > 0)), name,
                "a positive finite headcount")

    log = families.links.Log()
    poisson = smf.glm(formula, df, family=families.Poisson(link=log), exposure=exposure,
                      missing="raise")
    theta = theta_se = None
    if family == "negbin":
        start = poisson.fit(method="IRLS", maxiter=100, tol=1e-10, scale=1.0)
        theta = _estimate_theta(exposure, start)
        # the same design matrices (patsy builds them once, for the Poisson model)
        model = GLM(poisson.data.orig_endog, poisson.data.orig_exog,
                    family=families.NegativeBinomial(link=log, alpha=1 / theta),
                    exposure=exposure, missing="raise")
    else:
        model = poisson
    scale = "X2" if family == "quasipoisson" else 1.0

    # IRLS: the model-based covariance is the inverse expected information, as R's glm
    result = model.fit(method="IRLS", maxiter=100, tol=1e-10, scale=scale, cov_type="nonrobust",
                       use_t=(family == "quasipoisson"))
    params = result.params.to_numpy(dtype=float)
    n_clusters = None
    if cluster is None:
        se_type = "model"
        cov = result.cov_params().to_numpy(dtype=float)
    else:
        groups_raw = df[cluster]
        reject_rows(df, cluster, groups_raw.isna(), name, "a cluster label")
        groups = pd.factorize(groups_raw, sort=True)[0].astype(np.int64)
        n_clusters = int(groups.max() + 1)
        if n_clusters < 2:
            raise InputError(name, f"column {cluster!r} has {n_clusters} cluster; need at "
                             "least 2", column=cluster)
        se_type = f"cluster_{cluster}_{cov_type}"
        cov = _cluster_cov(result, groups, cov_type)
    if family == "negbin":
        theta_se = _theta_se_mass(result.model.endog, result.mu, theta)

    est = params
    se = np.sqrt(np.diag(cov))
    if cluster is not None:
        ci_method, ci_df = "wald_t_G_minus_1", n_clusters - 1
        crit = critical_t(n_clusters, level)
    elif family == "quasipoisson":
        ci_method, ci_df = "wald_t_df_resid", float(result.df_resid)
        crit = float(stats.t.ppf(0.5 + level / 2, ci_df))
    else:
        ci_method, ci_df = "wald_z", math.nan
        crit = float(stats.norm.ppf(0.5 + level / 2))
    statistic = est / se
    if ci_method == "wald_z":
        p_value = 2 * stats.norm.sf(np.abs(statistic))
    else:
        p_value = 2 * stats.t.sf(np.abs(statistic), ci_df)

    table = pd.DataFrame({
        "term": [r_term_name(t) for t in result.params.index],
        "estimate": est,
        "std_error": se,
        "low": est - crit * se,
        "high": est + crit * se,
        "p_value": p_value,
        "statistic": statistic,
        "model": family,
        "se_type": se_type,
        "ci_method": ci_method,
        "ci_df": float(ci_df),
    })
    model_stats = {
        "model": family,
        "se_type": se_type,
        "n": int(result.nobs),
        "df_resid": float(result.df_resid),
        "pearson_chi2_over_df": overdispersion(result),
        "deviance": float(result.deviance),
        "dispersion": float(result.scale),
        "theta": theta,
        "theta_se": theta_se,
        "n_clusters": n_clusters,
    }
    names = list(table["term"])
    method = (f"{family} log-linear model with log(exposure) offset (IRLS); "
              f"{'model-based' if cluster is None else f'cluster-robust ({cov_type}) by {cluster}'}"
              f" standard errors; {ci_method} interval")
    return CountModelFit(_table=table, stats=model_stats,
                         cov=pd.DataFrame(cov, index=names, columns=names), result=result,
                         level=level, method=method)
