"""Simulating funnel plots with no real differences: counts under each variance form, and the
limits of a whole batch of simulated data sets at once.

:func:`simulate_counts` draws ``reps`` data sets of counts with means ``mu`` (one per unit)
under a named form (``Var`` the variance of a count with mean ``mu``):

* ``"poisson"``: ``Var = mu``;
* ``"gamma"``: rates that differ, ``Poisson(mu * G)`` with ``G ~ Gamma(1/cv^2, scale cv^2)``
  (mean 1, coefficient of variation ``cv``): ``Var = mu + cv^2 mu^2``;
* ``"clustered"``: clustered reports, negative binomial with size ``mu / (phi - 1)`` (a
  Poisson number of clusters with logarithmic sizes): ``Var = phi * mu``;
* ``"clustered_geometric"``: a Poisson number of clusters (mean ``mu / m``) whose sizes are
  geometric on 1, 2, ... with mean ``m = (phi + 1) / 2``: ``Var = phi * mu``, another shape;
* ``"mix"``: both, gamma rates (``cv``) and clustered reports (``phi``) given the rate:
  ``Var = phi * mu + cv^2 mu^2``.

:func:`outside_limits` gives, for every data set and unit, whether the count falls outside the
``level`` limits of a funnel with the pooled rate as target, for the negative-binomial limits
(the variance form fitted to each data set, :mod:`.dispersion`) or the additive limits on the
square-root scale (DerSimonian-Laird), computed as :func:`.funnel.funnel_table` computes them
(``tests/methods/test_funnel_coverage.py`` checks that they agree); :func:`any_flag` whether
Benjamini-Hochberg flags any unit. The share outside has a Monte Carlo error from the spread of
the per-data-set shares (units of one data set share its fitted form), not a binomial one.
"""
from __future__ import annotations

import numpy as np
from scipy import stats

from .contract import InputError
from .dispersion import fit_variance_form, nb_mid_p, nb_quantile

FORMS = ("poisson", "gamma", "clustered", "clustered_geometric", "mix")
METHODS = ("negative_binomial", "additive_sqrt")


def simulate_counts(form: str, mu, reps: int, rng: np.random.Generator, *, phi: float = 10.0,
                    cv: float = 0.45) -> np.ndarray:
    """``(reps, len(mu))`` counts with means ``mu`` under ``form`` (module docstring); ``phi``
    for the clustered forms and the mix, ``cv`` for the gamma form and the mix."""
    mu = np.asarray(mu, dtype=float)
    shape = (reps, mu.size)
    if form == "poisson":
        return rng.poisson(mu, shape)
    if form in ("gamma", "mix"):
        k = 1 / cv ** 2
        lam = mu * rng.gamma(k, 1 / k, shape)
        if form == "gamma":
            return rng.poisson(lam)
        mu, form = lam, "clustered"
    if phi <= 1:
        raise InputError("simulate_counts", "phi must exceed 1 for clustered counts", value=phi)
    if form == "clustered":
        size = mu / (phi - 1)
        return rng.negative_binomial(size, size / (size + mu), shape)
    if form == "clustered_geometric":
        m = (phi + 1) / 2
        clusters = rng.poisson(mu / m, shape)
        extra = rng.negative_binomial(np.maximum(clusters, 1), 1 / m)  # failures before n hits
        return clusters + np.where(clusters > 0, extra, 0)
    raise InputError("simulate_counts", f"form must be one of {FORMS}", value=form)


def _pooled_mu(observed: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    return observed.sum(-1, keepdims=True) / exposure.sum() * exposure


def _nb_variance(observed, mu):
    fit = fit_variance_form(observed, mu, pooled=True)
    return fit.phi[..., None] * mu + fit.omega[..., None] * mu ** 2


def outside_limits(observed, exposure, method: str = "negative_binomial",
                   level: float = 0.95) -> np.ndarray:
    """Boolean ``(reps, units)``: the count lies outside the ``level`` limits of ``method``
    (one of :data:`METHODS`) around the pooled rate of its data set. Data sets with no count
    at all have no pooled rate: drop them first."""
    o = np.asarray(observed, dtype=float)
    e = np.asarray(exposure, dtype=float)
    mu = _pooled_mu(o, e)
    tail = (1 - level) / 2
    if method == "negative_binomial":
        variance = _nb_variance(o, mu)
        return (o < nb_quantile(tail, mu, variance)) | (o > nb_quantile(1 - tail, mu, variance))
    if method == "additive_sqrt":
        z = stats.norm.ppf(1 - tail)
        sd = np.sqrt(1 / (4 * e) + _sqrt_tau2(o, mu, e))
        root = np.sqrt(mu / e)
        low = np.maximum(root - z * sd, 0) ** 2 * e
        return (o < low) | (o > (root + z * sd) ** 2 * e)
    raise InputError("outside_limits", f"method must be one of {METHODS}", value=method)


def _sqrt_tau2(o, mu, e):
    q = (4 * (np.sqrt(o) - np.sqrt(mu)) ** 2).sum(-1, keepdims=True)
    w = 4 * e
    return np.maximum(0.0, (q - (e.size - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))


def p_values(observed, exposure, method: str = "negative_binomial") -> np.ndarray:
    """The p-values that feed the flags of ``method``: the negative-binomial mid-p, or the
    normal p of the square-root-scale z."""
    o = np.asarray(observed, dtype=float)
    e = np.asarray(exposure, dtype=float)
    mu = _pooled_mu(o, e)
    if method == "negative_binomial":
        return nb_mid_p(o, mu, _nb_variance(o, mu))
    z = (np.sqrt(o / e) - np.sqrt(mu / e)) / np.sqrt(1 / (4 * e) + _sqrt_tau2(o, mu, e))
    return 2 * stats.norm.sf(np.abs(z))


def bh_reject(p, fdr: float = 0.05) -> np.ndarray:
    """Benjamini-Hochberg step-up over the last axis (as ``multipletests(method="fdr_bh")``)."""
    p = np.asarray(p, dtype=float)
    m = p.shape[-1]
    order = np.argsort(p, axis=-1)
    ranked = np.take_along_axis(p, order, -1)
    passed = ranked <= fdr * np.arange(1, m + 1) / m
    k = np.where(passed.any(-1), m - np.argmax(passed[..., ::-1], -1), 0)  # largest passing rank
    reject_sorted = np.arange(1, m + 1) <= k[..., None]
    reject = np.empty_like(reject_sorted)
    np.put_along_axis(reject, order, reject_sorted, -1)
    return reject


def share_with_se(outside: np.ndarray) -> tuple[float, float]:
    """Mean share of units outside, and its Monte Carlo standard error over data sets."""
    per_set = np.asarray(outside, dtype=float).reshape(len(outside), -1).mean(1)
    return float(per_set.mean()), float(per_set.std(ddof=1) / np.sqrt(len(per_set)))


def any_flag(observed, exposure, method: str = "negative_binomial",
             fdr: float = 0.05) -> np.ndarray:
    """Per data set: Benjamini-Hochberg at ``fdr`` flags at least one unit."""
    return bh_reject(p_values(observed, exposure, method), fdr).any(-1)
