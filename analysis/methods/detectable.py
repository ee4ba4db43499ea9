"""Smallest effects a study could detect, and how much more data it would take.

Each function answers "once that datum exists, what could it show?" for one design, at a
two-sided test of level ``level`` (0.95: a 5% test) with probability ``power`` of detection.
Normal approximations unless stated; every one is checked against a closed form or a simulation
in ``tests/methods/test_detectable.py``. With ``a = z_{(1+level)/2}`` and ``b = z_{power}``:

* **two counts** (:func:`rate_ratio_two_counts`): counts with expected values ``mu1``, ``mu0`` and
  variance ``phi`` times the mean (quasi-Poisson; ``phi = 1`` Poisson). The Wald test of
  log(x1/x0) with its standard error from the observed counts (as ``rates.rate_ratio_quasi``)
  detects a ratio ``R >= 1`` when ``log R >= (a + b) se1``, ``se1 = sqrt(phi (1/(R mu1) +
  1/mu0))`` the standard error at the counts R brings; solved for R.
* **two shares** (:func:`share_difference`): shares from ``n0`` and ``n1`` trials with a design
  effect ``deff`` (clustered cases: one post, many reports); detected when
  ``|p1 - p0| >= a sqrt(deff pbar qbar (1/n0 + 1/n1)) + b sqrt(deff (p0 q0/n0 + p1 q1/n1))``.
* **time to an event** (:func:`hazard_ratio`): Schoenfeld (1983): with ``events`` events and a
  share ``p`` of subjects in one group, ``HR = exp((a + b) / sqrt(events p (1 - p)))``.
* **a measure in some of N units** (:func:`did_effect`): the change of the treated units'
  mean against the controls' (k treated of N), t with N - 2 df:
  ``(t_{N-2,(1+level)/2} + t_{N-2,power}) sqrt(1/k + 1/(N-k))`` standard deviations of a
  unit's change; :func:`randomisation_floor` is the smallest p-value randomisation inference can
  give, ``1 / C(N, k)``.
* **a level change in a segmented regression** (:func:`its_level_effect`): OLS with intercept,
  slope, level change and slope change; ``se = sigma sqrt([(X'X)^{-1}]_level)``, t with n - 4 df.
* **pooling releases** (:func:`releases_to_detect`): a unit with expected count ``mu`` per
  release under ``phi``; from the closed form of :mod:`.power` (R detected when
  ``c = sqrt(phi / (k mu)) <= (R - 1) / (b sqrt(R) + a)``), k pooled releases are needed with
  ``k >= phi (b sqrt(R) + a)^2 / ((R - 1)^2 mu)``.
* **nowcast intervals** (:func:`references_for_width`): the prediction interval of
  :mod:`.nowcast` with K reference curves whose log completion ratios spread by ``spread`` has
  width ``2 t_{K-1} spread sqrt(1 + 1/K)`` on the log scale; the smallest K that reaches a width.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import optimize, stats

from .contract import check_level


def _ab(level: float, power: float, function: str) -> tuple[float, float]:
    check_level(level, function)
    if not 0 < power < 1:
        raise ValueError(f"{function}: power must lie in (0, 1), got {power!r}")
    return float(stats.norm.ppf(0.5 + level / 2)), float(stats.norm.ppf(power))


def rate_ratio_two_counts(mu1: float, mu0: float, phi: float = 1.0, level: float = 0.95,
                          power: float = 0.8) -> float:
    """Smallest rate ratio ``R >= 1`` between two counts (expected ``mu1`` and ``mu0`` under no
    difference) that the Wald test of the log ratio detects; variance ``phi`` times the mean."""
    a, b = _ab(level, power, "rate_ratio_two_counts")
    if not (mu1 > 0 and mu0 > 0 and phi >= 1):
        raise ValueError(f"rate_ratio_two_counts: need mu1, mu0 > 0 and phi >= 1, got "
                         f"{mu1!r}, {mu0!r}, {phi!r}")

    def gap(log_r: float) -> float:
        se1 = math.sqrt(phi * (1 / (math.exp(log_r) * mu1) + 1 / mu0))
        return log_r - (a + b) * se1

    return math.exp(optimize.brentq(gap, 1e-12, 50.0, xtol=1e-12))


def share_difference(p0: float, n0: float, n1: float, deff: float = 1.0, level: float = 0.95,
                     power: float = 0.8) -> tuple[float, float]:
    """The shares ``p1`` below and above ``p0`` (from ``n0`` trials; the new share from ``n1``)
    that a two-sample test of proportions with design effect ``deff`` detects: (lower, higher);
    NaN on a side where no share in [0, 1] would be detected."""
    a, b = _ab(level, power, "share_difference")
    if not (0 < p0 < 1 and n0 > 0 and n1 > 0 and deff >= 1):
        raise ValueError(f"share_difference: need 0 < p0 < 1, n0, n1 > 0, deff >= 1; got "
                         f"{p0!r}, {n0!r}, {n1!r}, {deff!r}")

    def gap(p1: float) -> float:
        pbar = (n0 * p0 + n1 * p1) / (n0 + n1)
        se0 = math.sqrt(deff * pbar * (1 - pbar) * (1 / n0 + 1 / n1))
        se1 = math.sqrt(deff * (p0 * (1 - p0) / n0 + p1 * (1 - p1) / n1))
        return abs(p1 - p0) - a * se0 - b * se1

    out = []
    for edge in (1e-12, 1 - 1e-12):
        out.append(optimize.brentq(gap, p0, edge, xtol=1e-12) if gap(edge) > 0 else math.nan)
    return out[0], out[1]


def hazard_ratio(events: float, share: float, level: float = 0.95, power: float = 0.8) -> float:
    """Smallest hazard ratio (> 1) a log-rank or Cox test detects with ``events`` events and a
    share ``share`` of the cases in one group (Schoenfeld 1983)."""
    a, b = _ab(level, power, "hazard_ratio")
    if not (events > 0 and 0 < share < 1):
        raise ValueError(f"hazard_ratio: need events > 0 and 0 < share < 1, got {events!r}, "
                         f"{share!r}")
    return math.exp((a + b) / math.sqrt(events * share * (1 - share)))


def did_effect(n_units: int, n_treated: int, level: float = 0.95, power: float = 0.8) -> float:
    """Smallest effect, in standard deviations of a unit's change, that a comparison of
    ``n_treated`` treated with ``n_units - n_treated`` control units detects (t, N - 2 df);
    NaN when there is no control or no treated unit, or fewer than 3 units."""
    check_level(level, "did_effect")
    k, n = int(n_treated), int(n_units)
    if k < 1 or n - k < 1 or n < 3:
        return math.nan
    df = n - 2
    t_a = stats.t.ppf(0.5 + level / 2, df)
    t_b = stats.t.ppf(power, df)
    return float((t_a + t_b) * math.sqrt(1 / k + 1 / (n - k)))


def randomisation_floor(n_units: int, n_treated: int) -> float:
    """The smallest p-value randomisation inference over which ``n_treated`` of ``n_units``
    units were treated can give: 1 / C(N, k) (e.g. 1/12 = 0.083 for one of 12)."""
    return 1.0 / math.comb(int(n_units), int(n_treated))


def treated_to_reach(n_units: int, level: float = 0.95) -> int | None:
    """Fewest treated units (at most half of ``n_units``) for which randomisation inference can
    reach ``1 - level``; None when no split of ``n_units`` can."""
    check_level(level, "treated_to_reach")
    for k in range(1, int(n_units) // 2 + 1):
        if randomisation_floor(n_units, k) <= 1 - level + 1e-12:
            return k
    return None


def segmented_design(times, break_time: float, slope_days: float = 30.0) -> np.ndarray:
    """The design of :mod:`.its`: intercept, slope per ``slope_days``, level change, slope
    change after ``break_time`` (times in days)."""
    t = np.asarray(times, dtype=float)
    post = (t >= break_time).astype(float)
    return np.column_stack([np.ones_like(t), t / slope_days, post,
                            (t - break_time) / slope_days * post])


def its_level_effect(times, break_time: float, sigma: float, level: float = 0.95,
                     power: float = 0.8) -> float:
    """Smallest level change a segmented regression on snapshots at ``times`` detects, when the
    points scatter around the lines with standard deviation ``sigma`` (independent errors; t
    with n - 4 df). NaN with fewer than 5 points or no point on one side of the break."""
    check_level(level, "its_level_effect")
    X = segmented_design(times, break_time)
    n = len(X)
    if n < 5 or X[:, 2].sum() < 2 or (n - X[:, 2].sum()) < 2:
        return math.nan
    xtx_inv = np.linalg.inv(X.T @ X)
    df = n - 4
    factor = stats.t.ppf(0.5 + level / 2, df) + stats.t.ppf(power, df)
    return float(factor * sigma * math.sqrt(xtx_inv[2, 2]))


def releases_to_detect(mu: float, phi: float, ratio: float = 2.0, level: float = 0.95,
                       power: float = 0.8) -> int:
    """How many releases (or years of a register) of a unit with expected count ``mu`` each
    must be pooled before a rate ``ratio`` times the target is detected under ``phi``."""
    a, b = _ab(level, power, "releases_to_detect")
    if not (mu > 0 and phi >= 1 and ratio > 1):
        raise ValueError(f"releases_to_detect: need mu > 0, phi >= 1, ratio > 1; got {mu!r}, "
                         f"{phi!r}, {ratio!r}")
    k = phi * (b * math.sqrt(ratio) + a) ** 2 / ((ratio - 1) ** 2 * mu)
    return max(1, math.ceil(k - 1e-9))


def references_for_width(spread: float, width: float, level: float = 0.95,
                         k_max: int = 1000) -> int | None:
    """Fewest completed reference curves (K >= 2) for which the nowcast's prediction interval
    is at most ``width`` wide on the log scale, when the curves' log completion ratios spread
    with standard deviation ``spread``; None if more than ``k_max`` would be needed."""
    check_level(level, "references_for_width")
    if not (spread >= 0 and width > 0):
        raise ValueError(f"references_for_width: need spread >= 0 and width > 0, got {spread!r}, "
                         f"{width!r}")
    for k in range(2, k_max + 1):
        if 2 * stats.t.ppf(0.5 + level / 2, k - 1) * spread * math.sqrt(1 + 1 / k) <= width:
            return k
    return None
