"""Violation rates per civil servant (ASN) and comparisons of rates across cycles.

Units: counts are cases (or ASN, depending on the series: compare within one series); exposure
is the raw headcount of civil servants (not its log); rates are per ``per`` ASN (default
10,000). Every interval and test names its method; no statsmodels default is relied on.

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

import math
import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import special, stats
from statsmodels.stats import sandwich_covariance as sw
from statsmodels.stats.rates import test_poisson_2indep

from . import intervals

FAMILIES = ("poisson", "quasipoisson", "negbin")
CLUSTER_TYPES = ("HC1", "HC0")


# --------------------------------------------------------------------------------------------
# Rates with exact intervals
# --------------------------------------------------------------------------------------------

def rate_table(df: pd.DataFrame, count: str = "count", exposure: str = "exposure",
               per: float = 10_000, confidence: float = 0.95) -> pd.DataFrame:
    """Add ``rate``, ``rate_low``, ``rate_high``: events per ``per`` units of exposure.

    ``count`` holds whole non-negative event counts; ``exposure`` the raw denominator
    (e.g. ASN headcount, not its log), treated as known without error. The interval is the
    exact (Garwood) Poisson interval of the count, scaled by ``per / exposure``
    (``intervals.rate_per``). Returns a copy; other columns are kept.
    """
    for col in (count, exposure):
        if col not in df.columns:
            raise KeyError(f"rate_table: column {col!r} not found; columns are {list(df.columns)}")
    counts = pd.to_numeric(df[count], errors="coerce")
    exposures = pd.to_numeric(df[exposure], errors="coerce")
    bad = counts.isna() | (counts < 0) | (counts != np.floor(counts))
    if bad.any():
        row = bad.idxmax()
        raise ValueError(f"rate_table: column {count!r}, row {row!r}: value {df.at[row, count]!r}"
                         " is not a whole non-negative count")
    bad = exposures.isna() | ~(exposures > 0) | ~np.isfinite(exposures)
    if bad.any():
        row = bad.idxmax()
        raise ValueError(f"rate_table: column {exposure!r}, row {row!r}: value "
                         f"{df.at[row, exposure]!r} is not a positive finite exposure")
    out = df.copy()
    rows = [intervals.rate_per(int(x), float(e), per=per, confidence=confidence)
            for x, e in zip(counts, exposures)]
    out["rate"], out["rate_low"], out["rate_high"] = (
        np.array([r[i] for r in rows], dtype=float) for i in range(3))
    return out


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


@dataclass(frozen=True)
class RateRatio:
    """Ratio of two Poisson rates, (x1/n1) / (x0/n0), with interval and two-sided tests of 1."""

    ratio: float
    low: float
    high: float
    confidence: float
    p_exact_conditional: float
    p_etest: float
    x1: int
    n1: float
    x0: int
    n0: float
    ci_method: str = field(default=RATIO_CI_METHOD, repr=False)
    exact_test_method: str = field(default=EXACT_TEST_METHOD, repr=False)
    etest_method: str = field(default=ETEST_METHOD, repr=False)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _odds_to_ratio(p: float, n1: float, n0: float) -> float:
    """Map the conditional probability p = x1/(x1+x0) to the rate ratio p/(1-p) * n0/n1."""
    if p >= 1.0:
        return math.inf
    return p / (1.0 - p) * n0 / n1


def rate_ratio(x1: int, n1: float, x0: int, n0: float, confidence: float = 0.95) -> RateRatio:
    """Rate ratio of group 1 to group 0 with its exact conditional interval and exact tests.

    ``x1``, ``x0`` are event counts, ``n1``, ``n0`` the raw exposures (e.g. ASN headcount).
    Conditional on x1 + x0, x1 is binomial with p = R n1 / (R n1 + n0), R the rate ratio, so
    the Clopper-Pearson interval for p gives an exact interval for R, and the binomial test of
    p = n1/(n1+n0) an exact test of R = 1. ``p_etest`` is the unconditional E-test.
    Zero counts do not fail: x0 = 0 gives ratio and upper bound ``inf``; x1 = 0 gives ratio and
    lower bound 0; x1 = x0 = 0 gives ratio ``nan``, interval (0, inf) and p-values 1.
    """
    for name, x in (("x1", x1), ("x0", x0)):
        if x < 0 or x != int(x):
            raise ValueError(f"rate_ratio: count {name} must be a whole number >= 0, got {x!r}")
    for name, n in (("n1", n1), ("n0", n0)):
        if not (n > 0 and math.isfinite(n)):
            raise ValueError(f"rate_ratio: exposure {name} must be positive and finite, got {n!r}")
    x1, x0 = int(x1), int(x0)
    total = x1 + x0
    if total == 0:
        ratio, low, high, p_exact = math.nan, 0.0, math.inf, 1.0
    else:
        ratio = math.inf if x0 == 0 else (x1 / n1) / (x0 / n0)
        p_low, p_high = intervals.clopper_pearson(x1, total, confidence)
        low, high = _odds_to_ratio(p_low, n1, n0), _odds_to_ratio(p_high, n1, n0)
        p_exact = float(stats.binomtest(x1, total, p=n1 / (n1 + n0),
                                        alternative="two-sided").pvalue)
    with np.errstate(divide="ignore", invalid="ignore"):  # 0/0 rates when a count is zero
        etest = test_poisson_2indep(x1, n1, x0, n0, value=1.0, method="etest-score",
                                    compare="ratio", alternative="two-sided",
                                    etest_kwds={"y_grid": None})
    return RateRatio(ratio=float(ratio), low=float(low), high=float(high),
                     confidence=confidence, p_exact_conditional=min(1.0, p_exact),
                     p_etest=min(1.0, float(etest.pvalue)), x1=x1, n1=n1, x0=x0, n0=n0)


QUASI_RATIO_METHOD = ("quasi-Poisson Wald interval on the log scale: log(RR) +/- z * "
                      "sqrt(phi * (1/x1 + 1/x0)), 0.5 added to a zero count; normal p-value")


@dataclass(frozen=True)
class QuasiRateRatio:
    """Rate ratio with a quasi-Poisson (overdispersed) interval and test; ``phi`` the scale."""

    ratio: float
    low: float
    high: float
    p_value: float
    phi: float
    confidence: float
    method: str = field(default=QUASI_RATIO_METHOD, repr=False)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def rate_ratio_quasi(x1: int, n1: float, x0: int, n0: float, phi: float,
                     confidence: float = 0.95) -> QuasiRateRatio:
    """Ratio of two rates when counts vary ``phi`` times more than Poisson (``Var = phi * mean``,
    e.g. ``phi`` from the funnel plot of the same release). Wald on the log scale with
    ``se = sqrt(phi * (1/x1 + 1/x0))`` (0.5 added to a zero count, for the interval only; the
    point ratio keeps the raw counts). With ``phi = 1`` and large counts it agrees with the
    exact conditional interval of :func:`rate_ratio`; with small counts and ``phi >> 1`` the
    interval is wide, which is the point."""
    if not phi >= 1 or not math.isfinite(phi):
        raise ValueError(f"rate_ratio_quasi: phi must be a finite number >= 1, got {phi!r}")
    for name, x in (("x1", x1), ("x0", x0)):
        if x < 0 or x != int(x):
            raise ValueError(f"rate_ratio_quasi: count {name} must be a whole number >= 0, "
                             f"got {x!r}")
    for name, n in (("n1", n1), ("n0", n0)):
        if not (n > 0 and math.isfinite(n)):
            raise ValueError(f"rate_ratio_quasi: exposure {name} must be positive, got {n!r}")
    c1, c0 = (x1 if x1 > 0 else 0.5), (x0 if x0 > 0 else 0.5)
    ratio = (x1 / n1) / (x0 / n0) if x0 > 0 else math.inf
    log_rr = math.log((c1 / n1) / (c0 / n0))
    se = math.sqrt(phi * (1 / c1 + 1 / c0))
    z = stats.norm.ppf(0.5 + confidence / 2)
    p = float(2 * stats.norm.sf(abs(log_rr) / se))
    return QuasiRateRatio(ratio=float(ratio), low=math.exp(log_rr - z * se),
                          high=math.exp(log_rr + z * se), p_value=p, phi=float(phi),
                          confidence=confidence)


# --------------------------------------------------------------------------------------------
# Count models
# --------------------------------------------------------------------------------------------

def critical_t(G: int, confidence: float = 0.95) -> float:
    """Two-sided critical value of Student's t with G - 1 df, for G clusters (few clusters)."""
    if G < 2:
        raise ValueError(f"critical_t: need at least 2 clusters, got G={G!r}")
    return float(stats.t.ppf(0.5 + confidence / 2, G - 1))


def overdispersion(result) -> float:
    """Pearson chi-square / residual df of a fitted GLM: about 1 under the Poisson model.

    ``result.df_resid`` is N - K (statsmodels keeps the cluster df in ``df_resid_inference``).
    """
    if not hasattr(result, "pearson_chi2"):
        raise TypeError(f"overdispersion: expected a statsmodels GLM result with pearson_chi2, "
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


def _estimate_theta(formula: str, data: pd.DataFrame, exposure: np.ndarray,
                    poisson_fit) -> float:
    """ML estimate of the NB2 size theta (= 1/alpha), mean and alpha estimated jointly.

    statsmodels discrete ``NegativeBinomial(loglike_method="nb2")`` by Newton's method, started
    at the Poisson estimates and the moment estimate of alpha (sum((y-mu)^2 - mu)/mu^2 / df);
    if Newton fails (alpha can step below 0), BFGS first, then Newton to polish.
    """
    model = smf.negativebinomial(formula, data, exposure=exposure, loglike_method="nb2",
                                 missing="raise")
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
class CountModelFit:
    """A fitted count model: ``table`` (one row per term), ``stats`` (model level), ``cov``
    (the covariance of the estimates behind ``table``, R term names) and ``result`` (the
    statsmodels GLM results with the model-based covariance; for clustered fits use ``cov``).

    ``table`` columns: model, se_type, term (R names), estimate and std_error (log rate ratio),
    statistic, p_value, rate_ratio = exp(estimate) with rate_ratio_low/high, ci_method, ci_df.
    ``stats``: model, se_type, n, df_resid (N - K), pearson_chi2_over_df, deviance, dispersion
    (the scale used for SEs), theta and theta_se (negbin), n_clusters (clustered fits).
    """

    table: pd.DataFrame
    stats: dict
    cov: pd.DataFrame = field(repr=False)
    result: object = field(repr=False)


def fit_count_model(df: pd.DataFrame, formula: str, exposure_col: str,
                    family: Literal["poisson", "quasipoisson", "negbin"],
                    cluster: str | None = None,
                    cov_type: Literal["HC1", "HC0"] = "HC1",
                    confidence: float = 0.95) -> CountModelFit:
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
    ``cov_type`` is ignored without ``cluster``. ``confidence`` sets the rate-ratio interval.
    """
    if family not in FAMILIES:
        raise ValueError(f"fit_count_model: family must be one of {FAMILIES}, got {family!r}")
    if cluster is not None and cov_type not in CLUSTER_TYPES:
        raise ValueError(f"fit_count_model: cov_type must be one of {CLUSTER_TYPES}, "
                         f"got {cov_type!r}")
    for col in [exposure_col] + ([cluster] if cluster is not None else []):
        if col not in df.columns:
            raise KeyError(f"fit_count_model: column {col!r} not found; columns are "
                           f"{list(df.columns)}")
    exposure = pd.to_numeric(df[exposure_col], errors="coerce").to_numpy(dtype=float)
    bad = ~(np.isfinite(exposure) & (exposure > 0))
    if bad.any():
        row = df.index[int(np.argmax(bad))]
        raise ValueError(f"fit_count_model: column {exposure_col!r}, row {row!r}: value "
                         f"{df.at[row, exposure_col]!r} is not a positive finite headcount")

    log = sm.families.links.Log()
    poisson = smf.glm(formula, df, family=sm.families.Poisson(link=log), exposure=exposure,
                      missing="raise")
    theta = theta_se = None
    if family == "negbin":
        start = poisson.fit(method="IRLS", maxiter=100, tol=1e-10, scale=1.0)
        theta = _estimate_theta(formula, df, exposure, start)
        model = smf.glm(formula, df, family=sm.families.NegativeBinomial(link=log,
                                                                         alpha=1 / theta),
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
        if groups_raw.isna().any():
            row = groups_raw.index[int(np.argmax(groups_raw.isna().to_numpy()))]
            raise ValueError(f"fit_count_model: column {cluster!r}, row {row!r} has no cluster")
        groups = pd.factorize(groups_raw, sort=True)[0].astype(np.int64)
        n_clusters = int(groups.max() + 1)
        if n_clusters < 2:
            raise ValueError(f"fit_count_model: column {cluster!r} has {n_clusters} cluster; "
                             "need at least 2")
        se_type = f"cluster_{cluster}_{cov_type}"
        cov = _cluster_cov(result, groups, cov_type)
    if family == "negbin":
        theta_se = _theta_se_mass(result.model.endog, result.mu, theta)

    est = params
    se = np.sqrt(np.diag(cov))
    if cluster is not None:
        ci_method, ci_df = "wald_t_G_minus_1", n_clusters - 1
        crit = critical_t(n_clusters, confidence)
    elif family == "quasipoisson":
        ci_method, ci_df = "wald_t_df_resid", float(result.df_resid)
        crit = float(stats.t.ppf(0.5 + confidence / 2, ci_df))
    else:
        ci_method, ci_df = "wald_z", math.nan
        crit = float(stats.norm.ppf(0.5 + confidence / 2))
    statistic = est / se
    if ci_method == "wald_z":
        p_value = 2 * stats.norm.sf(np.abs(statistic))
    else:
        p_value = 2 * stats.t.sf(np.abs(statistic), ci_df)

    table = pd.DataFrame({
        "model": family,
        "se_type": se_type,
        "term": [r_term_name(t) for t in result.params.index],
        "estimate": est,
        "std_error": se,
        "statistic": statistic,
        "p_value": p_value,
        "rate_ratio": np.exp(est),
        "rate_ratio_low": np.exp(est - crit * se),
        "rate_ratio_high": np.exp(est + crit * se),
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
        "confidence": confidence,
    }
    names = list(table["term"])
    return CountModelFit(table=table, stats=model_stats,
                         cov=pd.DataFrame(cov, index=names, columns=names), result=result)
