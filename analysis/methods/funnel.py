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
  variation and would flag nearly everything).
* **Overdispersion** (paper section 3.3-3.4): ``phi = (1/I) * sum(zw^2)`` with ``zw`` the
  z-scores winsorised at their ``winsor`` and ``1 - winsor`` quantiles (linear quantiles, R
  type 7). Multiplicative: limits ``theta0 +/- z_p * sqrt(phi * theta0 / E)`` and
  ``z_adj = z / sqrt(phi)``, applied only when ``phi > 1``. Additive (DerSimonian-Laird style):
  ``tau2 = (I*phi - (I-1)) / (sum(w) - sum(w^2)/sum(w))``, ``w = E / theta0`` (inverse
  variance of the rate), set to 0 when ``I*phi <= I - 1``; limits
  ``theta0 +/- z_p * sqrt(theta0/E + tau2)`` and ``z_adj = (O/E - theta0) / sqrt(theta0/E + tau2)``.
  Test of overdispersion: ``I*phi`` against chi-square with ``I - 1`` df (the pooled rate is
  estimated from the same data).
* **Flags**: Benjamini-Hochberg at ``fdr`` on the p-values above; ``flag`` is "higher than
  expected" / "lower than expected" / "".
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests


LEVELS = (0.95, 0.998)
HIGHER = "higher than expected"
LOWER = "lower than expected"
POSITIONS = ("below_998", "below_95", "inside", "above_95", "above_998")
OVERDISPERSION_METHODS = ("multiplicative", "additive", None)


def level_tag(level: float) -> str:
    """Column suffix for a two-sided level: 0.95 -> '95', 0.998 -> '998'."""
    return f"{level * 100:g}".replace(".", "")


def _interpolated_poisson_quantile(p: float, mu: np.ndarray) -> np.ndarray:
    """Spiegelhalter's interpolated p-quantile of Poisson(mu), on the count scale (floored at 0).

    ``r_p = min{r : F(r) >= p}``; returns ``r_p - (F(r_p) - p) / (F(r_p) - F(r_p - 1))``.
    """
    mu = np.asarray(mu, dtype=float)
    r = stats.poisson.ppf(p, mu)
    f_r = stats.poisson.cdf(r, mu)
    f_below = stats.poisson.cdf(r - 1, mu)  # cdf(-1) == 0
    alpha = (f_r - p) / (f_r - f_below)
    return np.maximum(r - alpha, 0.0)


def _check_levels(levels) -> tuple[float, ...]:
    levels = tuple(float(v) for v in levels)
    if not levels or any(not 0 < v < 1 for v in levels):
        raise ValueError("levels must be two-sided coverages strictly between 0 and 1, "
                         f"got {levels}")
    return levels


def funnel_limits(target_rate: float, exposures, levels=LEVELS, *, n_grid: int | None = None,
                  phi: float | None = None, tau2: float | None = None) -> pd.DataFrame:
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
    of exposure)^2), lower limits floored at 0, in columns ``adj_lower_<tag>`` /
    ``adj_upper_<tag>``.

    Columns: ``exposure``, ``expected`` (mu, a count), ``target_rate``, then for each level
    ``lower_<tag>``, ``upper_<tag>`` (tag: 0.95 -> '95', 0.998 -> '998').
    """
    if not np.isfinite(target_rate) or target_rate <= 0:
        raise ValueError("target_rate must be a positive rate per unit of exposure, "
                         f"got {target_rate!r}")
    if phi is not None and tau2 is not None:
        raise ValueError("give phi (multiplicative) or tau2 (additive), not both")
    levels = _check_levels(levels)
    exposures = np.asarray(exposures, dtype=float).ravel()
    if exposures.size == 0 or not np.all(np.isfinite(exposures)) or np.any(exposures <= 0):
        raise ValueError("exposures must be positive finite numbers (e.g. civil servants)")
    if n_grid is not None:
        grid = np.geomspace(exposures.min(), exposures.max(), int(n_grid))
    else:
        grid = np.unique(exposures)
    mu = target_rate * grid
    out = {"exposure": grid, "expected": mu, "target_rate": np.full_like(grid, target_rate)}
    for level in levels:
        tag = level_tag(level)
        tail = (1 - level) / 2
        out[f"lower_{tag}"] = _interpolated_poisson_quantile(tail, mu) / grid
        out[f"upper_{tag}"] = _interpolated_poisson_quantile(1 - tail, mu) / grid
    if phi is not None or tau2 is not None:
        if phi is not None:
            sd = np.sqrt(phi * target_rate / grid)
        else:
            sd = np.sqrt(target_rate / grid + tau2)
        for level in levels:
            tag = level_tag(level)
            zq = stats.norm.ppf(1 - (1 - level) / 2)
            out[f"adj_lower_{tag}"] = np.maximum(target_rate - zq * sd, 0.0)
            out[f"adj_upper_{tag}"] = target_rate + zq * sd
    return pd.DataFrame(out)


@dataclass(frozen=True)
class FunnelSummary:
    """Unit-level-free summary of a funnel analysis (stored in ``table.attrs['summary']``).

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
    for col in (count, exposure, label):
        if col not in df.columns:
            raise ValueError(f"column {col!r} not found; columns are {list(df.columns)}")
    if len(df) < 3:
        raise ValueError(f"need at least 3 units to compare, got {len(df)} rows")
    for idx, row in df.iterrows():
        o, e = row[count], row[exposure]
        if pd.isna(o) or o < 0 or o != int(o):
            raise ValueError(f"row {idx!r} ({row[label]!r}), column {count!r}: value {o!r}; "
                             "expected a non-negative whole number of violations")
        if pd.isna(e) or not np.isfinite(e) or e <= 0:
            raise ValueError(f"row {idx!r} ({row[label]!r}), column {exposure!r}: value {e!r}; "
                             "expected a positive exposure (civil servants)")
    dupes = df[label][df[label].duplicated()].unique()
    if len(dupes):
        raise ValueError(f"column {label!r}: duplicated units {list(dupes)}; "
                         "expected one row per unit")


def _position(observed: np.ndarray, lower: dict, upper: dict) -> np.ndarray:
    """Most extreme band each count falls in: above/below_998 beats above/below_95."""
    pos = np.full(observed.shape, "inside", dtype=object)
    pos[observed > upper["95"]] = "above_95"
    pos[observed > upper["998"]] = "above_998"
    pos[observed < lower["95"]] = "below_95"
    pos[observed < lower["998"]] = "below_998"
    return pos


def _mid_p(observed: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """Two-sided exact Poisson mid-p: twice the smaller mid-p tail, at most 1."""
    half = 0.5 * stats.poisson.pmf(observed, mu)
    lower_tail = stats.poisson.cdf(observed - 1, mu) + half
    upper_tail = stats.poisson.sf(observed, mu) + half
    return np.minimum(1.0, 2 * np.minimum(lower_tail, upper_tail))


def winsorised_phi(z: np.ndarray, winsor: float) -> float:
    """``(1/I) * sum(zw^2)``, ``zw`` = z clipped to its ``winsor`` and ``1 - winsor`` quantiles."""
    if not 0 <= winsor < 0.5:
        raise ValueError(f"winsor must be in [0, 0.5), got {winsor!r}")
    z = np.asarray(z, dtype=float)
    lo, hi = np.quantile(z, [winsor, 1 - winsor])
    return float(np.mean(np.clip(z, lo, hi) ** 2))


def dersimonian_laird_tau2(phi: float, n_units: int, variances: np.ndarray) -> float:
    """Additive between-unit variance (Spiegelhalter 2005, section 3.4), 0 when I*phi <= I-1.

    ``tau2 = (I*phi - (I-1)) / (sum(w) - sum(w^2)/sum(w))`` with ``w = 1 / variances``.
    """
    if n_units * phi <= n_units - 1:
        return 0.0
    w = 1.0 / np.asarray(variances, dtype=float)
    return float((n_units * phi - (n_units - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))


def benjamini_hochberg(p_values, fdr: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Benjamini-Hochberg step-up at level ``fdr``: (reject, q-values), method passed explicitly."""
    reject, q_value, _, _ = multipletests(np.asarray(p_values, dtype=float), alpha=fdr,
                                          method="fdr_bh")
    return reject, q_value


def funnel_table(df: pd.DataFrame, count: str, exposure: str, label: str, per: float = 10_000,
                 overdispersion: str | None = "multiplicative", winsor: float = 0.1,
                 fdr: float = 0.05, od_test_alpha: float | None = None,
                 target_rate: float | None = None) -> pd.DataFrame:
    """One row per unit (sorted by ``label``, never ranked) with funnel-plot statistics.

    ``target_rate`` (per unit of exposure): the rate the funnel is centred on, e.g. the national
    rate when only some provinces are listed; default the pooled rate of the units given.

    Inputs: ``count`` = violations (whole numbers), ``exposure`` = civil servants (PNS) in the
    same period and unit, ``label`` = unit name. Assumes ``count ~ Poisson(theta * exposure)``
    independently and, under the null, a common ``theta`` estimated by the pooled rate
    ``theta0 = sum(count) / sum(exposure)`` (the unit itself is included).

    Columns (rates per ``per`` units of exposure, e.g. per 10,000 PNS):
      ``<label>``, ``observed``, ``exposure``, ``rate``, ``target_rate``, ``expected``
      (count ``theta0 * exposure``), ``z`` (``(O - E)/sqrt(E)``, Spiegelhalter's naive z on the
      rate scale), ``p_exact`` (two-sided exact Poisson mid-p), ``lower_95``, ``upper_95``,
      ``lower_998``, ``upper_998`` (exact interpolated limits, see :func:`funnel_limits`),
      ``position`` (``inside``/``above_95``/``above_998``/``below_95``/``below_998``, the most
      extreme band); if ``overdispersion`` is set: ``z_adj``, ``p_adj`` (normal, from ``z_adj``),
      ``adj_lower_95`` ... ``adj_upper_998`` and ``position_adj``; then ``p_value`` (the one used
      for FDR), ``q_value`` (BH-adjusted), ``flag``.

    Overdispersion: ``phi`` from z-scores winsorised at ``winsor``/``1 - winsor``;
    ``"multiplicative"`` inflates the normal limits by ``sqrt(phi)`` when ``phi > 1``;
    ``"additive"`` adds the DerSimonian-Laird ``tau2`` (0 when ``I*phi <= I-1``); ``None``
    reports ``phi``/``tau2`` but adjusts nothing. ``od_test_alpha``: if set, adjust only when the
    overdispersion test (``I*phi`` vs chi-square, ``I-1`` df) has p below it. When no adjustment
    is applied the adjusted columns equal the unadjusted normal ones and flags use ``p_exact``.

    Flags: Benjamini-Hochberg (``multipletests(method="fdr_bh")``) at level ``fdr``; ``flag`` is
    "higher than expected" or "lower than expected" for rejected units, else "".

    The summary (pooled rate, I, phi, tau2, test of overdispersion) is a :class:`FunnelSummary`
    in ``table.attrs["summary"]``.
    """
    if overdispersion not in OVERDISPERSION_METHODS:
        raise ValueError(f"overdispersion must be one of {OVERDISPERSION_METHODS}, "
                         f"got {overdispersion!r}")
    if not 0 < fdr < 1:
        raise ValueError(f"fdr must be in (0, 1), got {fdr!r}")
    _validate_input(df, count, exposure, label)
    data = df[[label, count, exposure]].sort_values(label, kind="mergesort").reset_index(drop=True)
    observed = data[count].to_numpy(dtype=float)
    exp_ = data[exposure].to_numpy(dtype=float)
    if observed.sum() == 0:
        raise ValueError(f"column {count!r} sums to 0: no pooled rate to compare against")
    n_units = len(data)
    theta0 = target_rate if target_rate is not None else observed.sum() / exp_.sum()
    mu = theta0 * exp_
    z = (observed - mu) / np.sqrt(mu)
    p_exact = _mid_p(observed, mu)

    exact = funnel_limits(theta0, exp_, LEVELS).set_index("exposure").loc[exp_]
    lower = {level_tag(v): exact[f"lower_{level_tag(v)}"].to_numpy() * exp_ for v in LEVELS}
    upper = {level_tag(v): exact[f"upper_{level_tag(v)}"].to_numpy() * exp_ for v in LEVELS}

    phi = winsorised_phi(z, winsor)
    chi2_stat = n_units * phi
    chi2_p = float(stats.chi2.sf(chi2_stat, n_units - 1))
    variances = theta0 / exp_  # variance of the rate O/E under the null, per unit exposure
    tau2 = dersimonian_laird_tau2(phi, n_units, variances)
    significant = od_test_alpha is None or chi2_p < od_test_alpha
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
    else:
        adjusted = False

    out = pd.DataFrame({
        label: data[label],
        "observed": observed.astype(int),
        "exposure": exp_,
        "rate": observed / exp_ * per,
        "target_rate": theta0 * per,
        "expected": mu,
        "z": z,
        "p_exact": p_exact,
    })
    for v in LEVELS:
        tag = level_tag(v)
        out[f"lower_{tag}"] = lower[tag] / exp_ * per
        out[f"upper_{tag}"] = upper[tag] / exp_ * per
    out["position"] = _position(observed, lower, upper)
    if overdispersion is not None:
        out["z_adj"] = z_adj
        out["p_adj"] = 2 * stats.norm.sf(np.abs(z_adj))
        adj_lim = funnel_limits(theta0, exp_, LEVELS, **adj).set_index("exposure").loc[exp_]
        adj_lower, adj_upper = {}, {}
        for v in LEVELS:
            tag = level_tag(v)
            adj_lower[tag] = adj_lim[f"adj_lower_{tag}"].to_numpy() * exp_
            adj_upper[tag] = adj_lim[f"adj_upper_{tag}"].to_numpy() * exp_
            out[f"adj_lower_{tag}"] = adj_lower[tag] / exp_ * per
            out[f"adj_upper_{tag}"] = adj_upper[tag] / exp_ * per
        out["position_adj"] = _position(observed, adj_lower, adj_upper)
    p_used = out["p_adj"].to_numpy() if adjusted else p_exact
    reject, q_value = benjamini_hochberg(p_used, fdr)
    out["p_value"] = p_used
    out["q_value"] = q_value
    out["flag"] = np.where(reject, np.where(observed > mu, HIGHER, LOWER), "")
    out.attrs["summary"] = FunnelSummary(
        pooled_rate=float(theta0), per=float(per), n_units=n_units, winsor=float(winsor),
        phi=phi, phi_unwinsorised=float(np.mean(z ** 2)),
        pearson_dispersion=float(np.sum(z ** 2) / (n_units - 1)),
        chi2_stat=float(chi2_stat), chi2_df=n_units - 1, chi2_pvalue=chi2_p, tau2=tau2,
        overdispersion=overdispersion, adjusted=bool(adjusted), fdr=float(fdr),
        p_value=(f"normal from z_adj ({overdispersion})" if adjusted
                 else "exact Poisson two-sided mid-p"),
    )
    return out


def summary_limits(table: pd.DataFrame, n_grid: int = 200) -> pd.DataFrame:
    """Limits over a grid for drawing ``table``: exact, plus the adjusted ones if applied."""
    s: FunnelSummary = table.attrs["summary"]
    adj = {}
    if s.adjusted and s.overdispersion == "multiplicative":
        adj = dict(phi=s.phi)
    elif s.adjusted and s.overdispersion == "additive":
        adj = dict(tau2=s.tau2)
    return funnel_limits(s.pooled_rate, table["exposure"], LEVELS, n_grid=n_grid, **adj)
