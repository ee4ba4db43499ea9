"""Funnel plots for comparing provinces fairly (Spiegelhalter 2005, Stat Med 24:1185-1202).

Each unit (province) has an observed count ``O`` of neutrality violations and an exposure ``E``
(civil servants, PNS). Under the null hypothesis every unit shares the pooled rate
``theta0 = sum(O) / sum(E)`` (violations per civil servant) and ``O ~ Poisson(theta0 * E)``.
A unit's rate ``O / E`` is plotted against ``E`` with control limits that narrow as ``E`` grows;
units outside the limits are flagged after a false-discovery-rate correction, never ranked.

Definitions used throughout (stated once here, repeated in the docstrings):

* **Exact limits** (paper's appendix A.1.2): for ``mu = theta0 * E`` and tail probability ``p``,
  ``r_p`` is the smallest integer with ``F(r_p) >= p`` (``F`` the Poisson CDF) and the limit on
  the count scale is ``r_p - (F(r_p) - p) / (F(r_p) - F(r_p - 1))``; divided by ``E`` it is a
  rate. This is linear interpolation of the CDF between ``r_p - 1`` and ``r_p`` (the quantile of
  ``X - 1 + U``, ``U ~ Uniform(0, 1)``). Lower limits below 0 are set to 0.
  Consequence: an integer count ``O`` lies above the upper ``p`` limit iff ``P(X > O) < 1 - p``
  and below the lower limit iff ``P(X <= O) < p``.
* **z-score**: the paper's "naive" z on the original (rate) scale,
  ``z = (O/E - theta0) / sqrt(theta0 / E)``, which equals ``(O - mu) / sqrt(mu)``.
* **p-value**: two-sided exact Poisson **mid-p**,
  ``2 * min(P(X < O) + P(X = O)/2, P(X > O) + P(X = O)/2)`` (at most 1). When an
  overdispersion adjustment is applied, the p-value used for flagging is instead the normal
  ``2 * (1 - Phi(|z_adj|))`` from the adjusted z (exact Poisson p-values ignore the extra
  variation and would flag nearly everything), or, for ``"negative_binomial"``, the two-sided
  mid-p of the same negative binomial that gives the limits.
* **Overdispersion** (paper section 3.3-3.4): ``phi = (1/I) * sum(zw^2)`` with ``zw`` the
  z-scores winsorised at their ``winsor`` and ``1 - winsor`` quantiles (linear quantiles, R
  type 7). Multiplicative: limits ``theta0 +/- z_p * sqrt(phi * theta0 / E)`` and
  ``z_adj = z / sqrt(phi)``, applied only when ``phi > 1``. Additive (DerSimonian-Laird style):
  ``tau2 = (I*phi - (I-1)) / (sum(w) - sum(w^2)/sum(w))``, ``w = E / theta0`` (inverse
  variance of the rate), set to 0 when ``I*phi <= I - 1``; limits
  ``theta0 +/- z_p * sqrt(theta0/E + tau2)`` and ``z_adj = (O/E - theta0) / sqrt(theta0/E + tau2)``.
  Additive on the square-root scale (``"additive_sqrt"``, as FunnelPlotR does for Poisson
  counts): ``y = sqrt(O/E)``, target ``sqrt(theta0)``, within-unit variance ``s2 = 1/(4E)``,
  ``z = (y - sqrt(theta0)) / sqrt(s2) = 2 * (sqrt(O) - sqrt(mu))``; DerSimonian-Laird
  ``tau2 = (Q - (I-1)) / (sum(w) - sum(w^2)/sum(w))`` with ``Q = sum(z^2)`` (**not**
  winsorised: the winsorised phi runs low, and the limits then leave 10-12% of in-control
  units outside the 95% limits under gamma-Poisson phi ~ 10), ``w = 4E``, 0 when negative;
  limits ``(sqrt(theta0) +/- z_p * sqrt(1/(4E) + tau2))^2`` (lower floored at 0 before
  squaring), ``z_adj = (y - sqrt(theta0)) / sqrt(1/(4E) + tau2)``, applied even when
  ``tau2 = 0``. Simulated: about 5% of in-control units outside the 95% limits under Poisson
  and gamma-distributed rates, but 12-21% when counts vary as ``10 * mu`` (clustered reports;
  ``scripts/funnel_coverage.py``): too narrow for small units.
  **Negative binomial** (``"negative_binomial"``): the variance ``V = phi * mu + omega * mu^2``
  covering clustered reports (``phi``) and rates that differ between units (``omega``), fitted
  by moments (:func:`.dispersion.fit_variance_form`; ``phi >= 1``, ``omega >= 0``); limits are
  the interpolated quantiles of the negative binomial with mean ``mu`` and variance ``V``
  (exact Poisson limits when ``V = mu``), ``z_adj = (O - mu) / sqrt(V)`` and the p-value its
  two-sided mid-p. Simulated: 3-5% of in-control units outside the 95% limits under Poisson,
  gamma-distributed rates, ``V = 10 mu`` and a mix (tests/methods/test_funnel_coverage.py).
  Test of overdispersion: ``I*phi`` against chi-square with ``I - 1`` df (the pooled rate is
  estimated from the same data).
* **Flags**: Benjamini-Hochberg at ``fdr`` on the p-values above (over ``n_tests`` units when
  the table holds only some of them: the missing ones enter with p = 1, which is conservative
  for the listed ones); ``flag`` is "higher than expected" / "lower than expected" / "".

Interface (the contract of :mod:`.contract`): ``funnel_table`` returns a :class:`FunnelTable`
whose ``tidy()`` gives one row per unit: ``term`` (the unit), ``estimate`` (its rate per
``per``), ``std_error`` NaN (the funnel tests against limits, it estimates no standard error),
``low``/``high`` the control limits at ``level`` that go with ``p_value`` and ``flag`` (the
adjusted ones when an overdispersion adjustment was applied, else the exact ones), ``p_value``;
then every limit by level (``low_95``, ``high_998``, ``adj_low_95`` ...). A level is written
``level`` for one and ``levels`` for several (:func:`funnel_limits`). Bad input raises
:class:`~.contract.InputError` naming the column.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from .contract import InputError, Result, reject_rows, require_columns
from .dispersion import (VarianceForm, dersimonian_laird_tau2, fit_variance_form, nb_loglik,
                         nb_mid_p, nb_quantile, sqrt_scale_dl, winsorised_phi)

LEVELS = (0.95, 0.998)
HIGHER = "higher than expected"
LOWER = "lower than expected"
POSITIONS = ("below_998", "below_95", "inside", "above_95", "above_998")
OVERDISPERSION_METHODS = ("multiplicative", "additive", "additive_sqrt", "negative_binomial",
                          None)


def level_tag(level: float) -> str:
    """Column suffix for a two-sided level: 0.95 -> '95', 0.998 -> '998'."""
    return f"{level * 100:g}".replace(".", "")


def _check_levels(levels) -> tuple[float, ...]:
    levels = tuple(float(v) for v in levels)
    if not levels or any(not 0 < v < 1 for v in levels):
        raise InputError("funnel_limits", "levels must be two-sided coverages strictly between "
                         "0 and 1", value=levels)
    return levels


def funnel_limits(target_rate: float, exposures, levels=LEVELS, *, n_grid: int | None = None,
                  phi: float | None = None, tau2: float | None = None,
                  tau2_sqrt: float | None = None,
                  variance_form: VarianceForm | None = None) -> pd.DataFrame:
    """Exact Poisson control limits for a *rate* around ``target_rate``, one row per exposure.

    Units: ``target_rate`` is events per unit of exposure (violations per civil servant, not per
    10,000); ``exposures`` are raw exposures (civil servants). Every rate column is per unit of
    exposure; the caller scales (``* 10_000``).

    For exposure ``E`` and ``mu = target_rate * E``, the limits at level ``L`` are the
    interpolated Poisson quantiles at ``(1 - L)/2`` and ``1 - (1 - L)/2`` divided by ``E``:
    ``r_p - (F(r_p) - p) / (F(r_p) - F(r_p - 1))`` with ``r_p = min{r : F(r) >= p}``
    (Spiegelhalter 2005, appendix), i.e. the CDF interpolated linearly between ``r_p - 1`` and
    ``r_p``, which gives smooth funnels. Negative lower limits are set to 0.

    ``n_grid``: if given, limits on ``n_grid`` geometrically spaced exposures from the smallest
    to the largest of ``exposures`` (for drawing); otherwise at the sorted unique ``exposures``.
    ``phi`` / ``tau2``: if given, also normal-approximation limits adjusted for overdispersion,
    ``target_rate +/- z * sqrt(phi * target_rate / E)`` (multiplicative) or
    ``target_rate +/- z * sqrt(target_rate / E + tau2)`` (additive; ``tau2`` in (events per unit
    of exposure)^2), lower limits floored at 0, in columns ``adj_low_<tag>`` /
    ``adj_high_<tag>``; ``tau2_sqrt``: the same on the square-root scale; ``variance_form``: the
    interpolated quantiles of the negative binomial with mean ``mu`` and that variance.

    Columns: ``exposure``, ``expected`` (mu, a count), ``target_rate``, then for each level
    ``low_<tag>``, ``high_<tag>`` (tag: 0.95 -> '95', 0.998 -> '998').
    """
    name = "funnel_limits"
    if not np.isfinite(target_rate) or target_rate <= 0:
        raise InputError(name, "target_rate must be a positive rate per unit of exposure",
                         value=target_rate)
    if sum(v is not None for v in (phi, tau2, tau2_sqrt, variance_form)) > 1:
        raise InputError(name, "give one of phi (multiplicative), tau2 (additive), tau2_sqrt "
                         "(additive on the square-root scale) or variance_form (negative "
                         "binomial)")
    levels = _check_levels(levels)
    exposures = np.asarray(exposures, dtype=float).ravel()
    if exposures.size == 0 or not np.all(np.isfinite(exposures)) or np.any(exposures <= 0):
        raise InputError(name, "exposures must be positive finite numbers (e.g. civil "
                         "servants)")
    if n_grid is not None:
        grid = np.geomspace(exposures.min(), exposures.max(), int(n_grid))
    else:
        grid = np.unique(exposures)
    mu = target_rate * grid
    out = {"exposure": grid, "expected": mu, "target_rate": np.full_like(grid, target_rate)}
    for level in levels:
        tag = level_tag(level)
        tail = (1 - level) / 2
        out[f"low_{tag}"] = nb_quantile(tail, mu, mu) / grid  # variance = mean: Poisson
        out[f"high_{tag}"] = nb_quantile(1 - tail, mu, mu) / grid
    if variance_form is not None:
        variance = variance_form.variance(mu)
        for level in levels:
            tag = level_tag(level)
            out[f"adj_low_{tag}"] = nb_quantile((1 - level) / 2, mu, variance) / grid
            out[f"adj_high_{tag}"] = nb_quantile(1 - (1 - level) / 2, mu, variance) / grid
    elif tau2_sqrt is not None:
        sd = np.sqrt(1.0 / (4.0 * grid) + tau2_sqrt)
        root = np.sqrt(target_rate)
        for level in levels:
            tag = level_tag(level)
            zq = stats.norm.ppf(1 - (1 - level) / 2)
            out[f"adj_low_{tag}"] = np.maximum(root - zq * sd, 0.0) ** 2
            out[f"adj_high_{tag}"] = (root + zq * sd) ** 2
    elif phi is not None or tau2 is not None:
        if phi is not None:
            sd = np.sqrt(phi * target_rate / grid)
        else:
            sd = np.sqrt(target_rate / grid + tau2)
        for level in levels:
            tag = level_tag(level)
            zq = stats.norm.ppf(1 - (1 - level) / 2)
            out[f"adj_low_{tag}"] = np.maximum(target_rate - zq * sd, 0.0)
            out[f"adj_high_{tag}"] = target_rate + zq * sd
    return pd.DataFrame(out)


@dataclass(frozen=True)
class FunnelSummary:
    """Unit-level-free summary of a funnel analysis (``FunnelTable.summary``).

    Rates and ``tau2`` are per unit of exposure (per civil servant); ``per`` is the reporting
    scale of the table's rate columns.
    """

    pooled_rate: float          # sum(count) / sum(exposure), per unit of exposure
    per: float                  # reporting scale of the table (10,000 civil servants)
    n_units: int                # I
    winsor: float               # winsorisation fraction at each end
    phi: float                  # (1/I) * sum(winsorised z^2)
    phi_unwinsorised: float     # (1/I) * sum(z^2)
    pearson_dispersion: float   # sum(z^2) / (I - 1): Pearson chi-square / df
    chi2_stat: float            # I * phi
    chi2_df: int                # I - 1
    chi2_pvalue: float          # P(chi2_{I-1} >= I * phi)
    tau2: float                 # additive between-unit variance of the rate, (per unit exposure)^2
    overdispersion: str | None  # method requested
    adjusted: bool              # whether an adjustment was actually applied
    fdr: float                  # Benjamini-Hochberg level
    p_value: str                # which p-value fed the FDR step
    q_sqrt: float = float("nan")      # sum of squared sqrt-scale z: DerSimonian-Laird Q
    tau2_sqrt: float = 0.0            # between-unit variance of sqrt(rate), used if additive_sqrt
    n_tests: int = 0                  # units the FDR step counted (>= n_units)
    # the variance form V = phi * mu + omega * mu^2 (dispersion.VarianceForm) behind the
    # "negative_binomial" limits; fitted to these units unless given (e.g. a bound)
    form_phi: float = float("nan")    # multiplicative part (clustered reports), >= 1
    form_omega: float = float("nan")  # squared CV of the units' rates, >= 0
    form_combine: str = "sum"         # "max": the wider of the two single forms (bounds)
    form_given: bool = False          # True: the form was given, not fitted to these units
    # the fit to these units: each single form, and the negative-binomial log-likelihood of
    # Poisson, each single form and both (a diagnostic of which form the data support)
    phi_only: float = float("nan")
    omega_only: float = float("nan")
    loglik_poisson: float = float("nan")
    loglik_multiplicative: float = float("nan")
    loglik_random_rates: float = float("nan")
    loglik_both: float = float("nan")

    @property
    def variance_form(self) -> VarianceForm | None:
        """The form behind the negative-binomial limits (None for the other adjustments)."""
        if self.overdispersion != "negative_binomial" or not self.adjusted:
            return None
        return VarianceForm(self.form_phi, self.form_omega, self.form_combine)

    @property
    def pooled_rate_per(self) -> float:
        return self.pooled_rate * self.per

    @property
    def tau_per(self) -> float:
        """Between-unit SD of the rate, per ``per`` (e.g. violations per 10,000 PNS)."""
        return float(np.sqrt(self.tau2) * self.per)

    def as_dict(self) -> dict:
        return asdict(self)


def _validate_input(df: pd.DataFrame, count: str, exposure: str, label: str) -> None:
    name = "funnel_table"
    require_columns(df, [count, exposure, label], name)
    if len(df) < 3:
        raise InputError(name, f"need at least 3 units to compare, got {len(df)} rows")
    o = pd.to_numeric(df[count], errors="coerce")
    e = pd.to_numeric(df[exposure], errors="coerce")
    reject_rows(df, count, o.isna() | (o < 0) | (o != np.floor(o)), name,
                "a non-negative whole number of violations")
    reject_rows(df, exposure, e.isna() | ~np.isfinite(e) | (e <= 0), name,
                "a positive exposure (civil servants)")
    dupes = df[label][df[label].duplicated()].unique()
    if len(dupes):
        raise InputError(name, f"duplicated units {list(dupes)}", column=label,
                         expected="one row per unit")


def _position(observed: np.ndarray, lower: dict, upper: dict) -> np.ndarray:
    """Most extreme band each count falls in: above/below_998 beats above/below_95."""
    pos = np.full(observed.shape, "inside", dtype=object)
    pos[observed > upper["95"]] = "above_95"
    pos[observed > upper["998"]] = "above_998"
    pos[observed < lower["95"]] = "below_95"
    pos[observed < lower["998"]] = "below_998"
    return pos


def _variance_form(observed: np.ndarray, mu: np.ndarray, pooled: bool,
                   given: VarianceForm | None) -> tuple[VarianceForm, dict]:
    """The form ``V = phi * mu + omega * mu^2`` fitted to the units (or ``given``), and the
    summary fields of the fit: each single form, and the negative-binomial log-likelihood of
    Poisson, each single form and both (which form the data support)."""
    fit = fit_variance_form(observed, mu, pooled)
    forms = {"poisson": VarianceForm(),
             "multiplicative": VarianceForm(float(fit.phi_only)),
             "random_rates": VarianceForm(1.0, float(fit.omega_only)),
             "both": fit.form()}
    form = given if given is not None else forms["both"]
    fields = {f"loglik_{k}": float(nb_loglik(observed, mu, f.variance(mu)))
              for k, f in forms.items()}
    fields.update(phi_only=float(fit.phi_only), omega_only=float(fit.omega_only))
    return form, fields


def benjamini_hochberg(p_values, fdr: float = 0.05,
                       n_tests: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Benjamini-Hochberg step-up at level ``fdr``: (reject, q-values), method passed explicitly.

    ``n_tests``: the size of the whole family when only some p-values are known (e.g. a
    published list of 12 of 38 provinces); the others enter as p = 1, so the threshold for the
    k-th smallest p is ``k * fdr / n_tests``."""
    p = np.asarray(p_values, dtype=float)
    n_tests = len(p) if n_tests is None else int(n_tests)
    if n_tests < len(p):
        raise InputError("benjamini_hochberg", f"n_tests={n_tests} is smaller than the "
                         f"{len(p)} p-values given")
    full = np.concatenate([p, np.ones(n_tests - len(p))])
    reject, q_value, _, _ = multipletests(full, alpha=fdr, method="fdr_bh")
    return reject[:len(p)], q_value[:len(p)]


@dataclass(frozen=True)
class FunnelTable(Result):
    """A funnel analysis: ``tidy()`` one row per unit (see the module docstring and
    :func:`funnel_table`), ``summary`` the :class:`FunnelSummary`, ``level`` the level of the
    ``low``/``high`` limits, ``method`` the limits and p-value behind the flags."""

    _table: pd.DataFrame
    summary: FunnelSummary
    level: float
    method: str

    def _tidy(self) -> pd.DataFrame:
        return self._table


def funnel_table(df: pd.DataFrame, count: str, exposure: str, label: str, per: float = 10_000,
                 overdispersion: str | None = "multiplicative", winsor: float = 0.1,
                 fdr: float = 0.05, od_test_alpha: float | None = None,
                 target_rate: float | None = None, n_tests: int | None = None,
                 tau2_sqrt: float | None = None, level: float = LEVELS[0],
                 variance_form: VarianceForm | None = None) -> FunnelTable:
    """One row per unit (sorted by ``label``, never ranked) with funnel-plot statistics.

    ``target_rate`` (per unit of exposure): the rate the funnel is centred on, e.g. the national
    rate when only some provinces are listed; default the pooled rate of the units given.

    Inputs: ``count`` = violations (whole numbers), ``exposure`` = civil servants (PNS) in the
    same period and unit, ``label`` = unit name. Assumes ``count ~ Poisson(theta * exposure)``
    independently and, under the null, a common ``theta`` estimated by the pooled rate
    ``theta0 = sum(count) / sum(exposure)`` (the unit itself is included).

    Columns of ``tidy()`` (rates per ``per`` units of exposure, e.g. per 10,000 PNS):
      ``term`` (the ``label``), ``estimate`` (the rate), ``std_error`` (NaN), ``low``, ``high``
      (the limits at ``level``, one of 0.95 and 0.998, that go with the flags: adjusted when an
      adjustment was applied, else exact), ``p_value`` (the one used for FDR), ``observed``,
      ``exposure``, ``target_rate``, ``expected`` (count ``theta0 * exposure``), ``z``
      (``(O - E)/sqrt(E)``, Spiegelhalter's naive z on the rate scale), ``p_exact`` (two-sided
      exact Poisson mid-p), ``low_95``, ``high_95``, ``low_998``, ``high_998`` (exact
      interpolated limits, see :func:`funnel_limits`), ``position``
      (``inside``/``above_95``/``above_998``/``below_95``/``below_998``, the most extreme band);
      if ``overdispersion`` is set: ``z_adj``, ``p_adj`` (normal, from ``z_adj``; the
      negative-binomial mid-p for ``"negative_binomial"``),
      ``adj_low_95`` ... ``adj_high_998`` and ``position_adj``; then ``q_value``
      (BH-adjusted), ``flag``.

    Overdispersion: ``phi`` from z-scores winsorised at ``winsor``/``1 - winsor``;
    ``"multiplicative"`` inflates the normal limits by ``sqrt(phi)`` when ``phi > 1``;
    ``"additive"`` adds the DerSimonian-Laird ``tau2`` (0 when ``I*phi <= I-1``); ``None``
    reports ``phi``/``tau2`` but adjusts nothing. ``od_test_alpha``: if set, adjust only when the
    overdispersion test (``I*phi`` vs chi-square, ``I-1`` df) has p below it. When no adjustment
    is applied the adjusted columns equal the unadjusted normal ones and flags use ``p_exact``.

    ``"additive_sqrt"``: FunnelPlotR-style additive random effect on the square-root scale with
    the DerSimonian-Laird ``tau2`` from the unwinsorised Q (see the module docstring);
    ``tau2_sqrt`` overrides the estimate (e.g. a lower bound from a partial list).

    ``"negative_binomial"``: limits and p-values from the negative binomial with variance
    ``phi * mu + omega * mu^2`` fitted to these units (:func:`.dispersion.fit_variance_form`,
    pooled when ``target_rate`` is None); ``variance_form`` overrides the fit (e.g. bounds from
    a partial list). The fit, each single form and their log-likelihoods are in the summary
    whatever the method.

    Flags: Benjamini-Hochberg (``multipletests(method="fdr_bh")``) at level ``fdr`` over
    ``n_tests`` units (default: the units given; more when the table is a partial list);
    ``flag`` is "higher than expected" or "lower than expected" for rejected units, else "".

    The summary (pooled rate, I, phi, tau2, test of overdispersion) is a :class:`FunnelSummary`
    in the result's ``summary``.
    """
    name = "funnel_table"
    if overdispersion not in OVERDISPERSION_METHODS:
        raise InputError(name, f"overdispersion must be one of {OVERDISPERSION_METHODS}",
                         value=overdispersion)
    if not 0 < fdr < 1:
        raise InputError(name, "fdr must be in (0, 1)", value=fdr)
    if level not in LEVELS:
        raise InputError(name, f"level must be one of the funnel's levels {LEVELS}", value=level)
    _validate_input(df, count, exposure, label)
    data = df[[label, count, exposure]].sort_values(label, kind="mergesort").reset_index(drop=True)
    observed = data[count].to_numpy(dtype=float)
    exp_ = data[exposure].to_numpy(dtype=float)
    if observed.sum() == 0:
        raise InputError(name, f"column {count!r} sums to 0: no pooled rate to compare against",
                         column=count)
    n_units = len(data)
    theta0 = target_rate if target_rate is not None else observed.sum() / exp_.sum()
    mu = theta0 * exp_
    z = (observed - mu) / np.sqrt(mu)
    p_exact = nb_mid_p(observed, mu, mu)

    exact = funnel_limits(theta0, exp_, LEVELS).set_index("exposure").loc[exp_]
    lower = {level_tag(v): exact[f"low_{level_tag(v)}"].to_numpy() * exp_ for v in LEVELS}
    upper = {level_tag(v): exact[f"high_{level_tag(v)}"].to_numpy() * exp_ for v in LEVELS}

    phi = winsorised_phi(z, winsor)
    chi2_stat = n_units * phi
    chi2_p = float(stats.chi2.sf(chi2_stat, n_units - 1))
    variances = theta0 / exp_  # variance of the rate O/E under the null, per unit exposure
    tau2 = dersimonian_laird_tau2(phi, n_units, variances)
    q_sqrt, tau2_sqrt_est, _ = sqrt_scale_dl(observed, exp_, theta0)
    tau2_sqrt_used = tau2_sqrt_est if tau2_sqrt is None else float(tau2_sqrt)
    significant = od_test_alpha is None or chi2_p < od_test_alpha
    form, fit_fields = _variance_form(observed, mu, target_rate is None, variance_form)
    p_adj = None
    if overdispersion == "multiplicative":
        adjusted = phi > 1 and significant
        phi_used = phi if adjusted else 1.0
        z_adj = z / np.sqrt(phi_used)
        adj = dict(phi=phi_used)
    elif overdispersion == "additive":
        adjusted = tau2 > 0 and significant
        tau2_used = tau2 if adjusted else 0.0
        z_adj = (observed / exp_ - theta0) / np.sqrt(variances + tau2_used)
        adj = dict(tau2=tau2_used)
    elif overdispersion == "additive_sqrt":
        adjusted = True  # normal limits on the sqrt scale, widened by tau2 when tau2 > 0
        if od_test_alpha is not None and not significant:
            tau2_sqrt_used = 0.0
        z_adj = (np.sqrt(observed / exp_) - np.sqrt(theta0)) / np.sqrt(1 / (4 * exp_)
                                                                       + tau2_sqrt_used)
        adj = dict(tau2_sqrt=tau2_sqrt_used)
    elif overdispersion == "negative_binomial":
        adjusted = True  # exact Poisson limits when the form is Poisson
        if od_test_alpha is not None and not significant:
            form = VarianceForm()
        variance = form.variance(mu)
        z_adj = (observed - mu) / np.sqrt(variance)
        p_adj = nb_mid_p(observed, mu, variance)
        adj = dict(variance_form=form)
    else:
        adjusted = False

    out = pd.DataFrame({
        "term": data[label],
        "estimate": observed / exp_ * per,
        "std_error": np.nan,
        "observed": observed.astype(int),
        "exposure": exp_,
        "target_rate": theta0 * per,
        "expected": mu,
        "z": z,
        "p_exact": p_exact,
    })
    for v in LEVELS:
        tag = level_tag(v)
        out[f"low_{tag}"] = lower[tag] / exp_ * per
        out[f"high_{tag}"] = upper[tag] / exp_ * per
    out["position"] = _position(observed, lower, upper)
    if overdispersion is not None:
        out["z_adj"] = z_adj
        out["p_adj"] = 2 * stats.norm.sf(np.abs(z_adj)) if p_adj is None else p_adj
        adj_lim = funnel_limits(theta0, exp_, LEVELS, **adj).set_index("exposure").loc[exp_]
        adj_lower, adj_upper = {}, {}
        for v in LEVELS:
            tag = level_tag(v)
            adj_lower[tag] = adj_lim[f"adj_low_{tag}"].to_numpy() * exp_
            adj_upper[tag] = adj_lim[f"adj_high_{tag}"].to_numpy() * exp_
            out[f"adj_low_{tag}"] = adj_lower[tag] / exp_ * per
            out[f"adj_high_{tag}"] = adj_upper[tag] / exp_ * per
        out["position_adj"] = _position(observed, adj_lower, adj_upper)
    p_used = out["p_adj"].to_numpy() if adjusted else p_exact
    reject, q_value = benjamini_hochberg(p_used, fdr, n_tests)
    out["p_value"] = p_used
    out["q_value"] = q_value
    out["flag"] = np.where(reject, np.where(observed > mu, HIGHER, LOWER), "")
    limits = f"{'adj_' if adjusted else ''}{{}}_{level_tag(level)}"
    out["low"], out["high"] = out[limits.format("low")], out[limits.format("high")]
    summary = FunnelSummary(
        pooled_rate=float(theta0), per=float(per), n_units=n_units, winsor=float(winsor),
        phi=phi, phi_unwinsorised=float(np.mean(z ** 2)),
        pearson_dispersion=float(np.sum(z ** 2) / (n_units - 1)),
        chi2_stat=float(chi2_stat), chi2_df=n_units - 1, chi2_pvalue=chi2_p, tau2=tau2,
        overdispersion=overdispersion, adjusted=bool(adjusted), fdr=float(fdr),
        p_value=("negative binomial two-sided mid-p, variance " + form.describe()
                 if adjusted and overdispersion == "negative_binomial" else
                 f"normal from z_adj ({overdispersion})" if adjusted
                 else "exact Poisson two-sided mid-p"),
        q_sqrt=q_sqrt,
        tau2_sqrt=tau2_sqrt_used if overdispersion == "additive_sqrt" else tau2_sqrt_est,
        n_tests=int(n_tests or n_units), form_phi=form.phi, form_omega=form.omega,
        form_combine=form.combine, form_given=variance_form is not None, **fit_fields,
    )
    method = (f"{'adjusted (' + overdispersion + ')' if adjusted else 'exact Poisson'} control "
              f"limits; flags: Benjamini-Hochberg at {fdr:g} on p-values: {summary.p_value}")
    return FunnelTable(out, summary, float(level), method)


def summary_limits(s: FunnelSummary, exposures, n_grid: int = 200) -> pd.DataFrame:
    """Limits over a grid of ``n_grid`` exposures spanning ``exposures`` for drawing a funnel
    with summary ``s``: exact, plus the adjusted ones if applied."""
    adj = {}
    if s.adjusted and s.overdispersion == "multiplicative":
        adj = dict(phi=s.phi)
    elif s.adjusted and s.overdispersion == "additive":
        adj = dict(tau2=s.tau2)
    elif s.adjusted and s.overdispersion == "additive_sqrt":
        adj = dict(tau2_sqrt=s.tau2_sqrt)
    elif s.variance_form is not None:
        adj = dict(variance_form=s.variance_form)
    return funnel_limits(s.pooled_rate, exposures, LEVELS, n_grid=n_grid, **adj)
