"""Confidence intervals for proportions and counts, chosen explicitly (no library defaults).

- ``wilson``: Wilson score interval without continuity correction (R ``prop.test(correct=FALSE)``);
  the default for follow-up rates, good coverage for moderate n.
- ``clopper_pearson``: exact binomial interval (R ``binom.test``); conservative, for small counts.
- ``poisson_exact``: exact (Garwood) interval for a Poisson count (R ``poisson.test``).
The quantiles come from ``scipy.special`` (``ndtri``, ``betaincinv``, ``gammaincinv``), the
functions ``scipy.stats``' ``norm``, ``beta`` and ``chi2`` call for ``ppf``: the same values
to the last bit (tested), without the half second it takes to import ``scipy.stats``, which
every data build would pay. All take ``level``, the two-sided confidence level (default 0.95),
and return (low, high): the building blocks of the estimators in this package, so they return
plain numbers, not results.
Bad counts raise :class:`~analysis.methods.contract.InputError`.
"""
from __future__ import annotations

import math

from scipy import special

from .contract import LEVEL, InputError, check_level


def _check_counts(x: float, n: float | None, function: str) -> None:
    if x < 0 or x != int(x):
        raise InputError(function, "count x must be a non-negative whole number", value=x)
    if n is not None and (n <= 0 or n != int(n) or x > n):
        raise InputError(function, f"n must be a whole number >= x and > 0 (x = {x!r})",
                         value=n)


def wilson(x: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """Wilson score interval for the proportion x/n (no continuity correction)."""
    _check_counts(x, n, "wilson")
    z = special.ndtri(0.5 + check_level(level, "wilson") / 2)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def clopper_pearson(x: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """Exact binomial (Clopper-Pearson) interval for x/n, from beta quantiles."""
    _check_counts(x, n, "clopper_pearson")
    alpha = 1 - check_level(level, "clopper_pearson")
    low = 0.0 if x == 0 else special.betaincinv(x, n - x + 1, alpha / 2)
    high = 1.0 if x == n else special.betaincinv(x + 1, n - x, 1 - alpha / 2)
    return float(low), float(high)


def poisson_exact(x: int, level: float = LEVEL) -> tuple[float, float]:
    """Exact (Garwood) interval for the mean of a Poisson count x, from chi-square quantiles."""
    _check_counts(x, None, "poisson_exact")
    alpha = 1 - check_level(level, "poisson_exact")
    low = 0.0 if x == 0 else special.gammaincinv(x, alpha / 2)  # chi2(2x) / 2
    high = special.gammaincinv(x + 1, 1 - alpha / 2)
    return float(low), float(high)


def rate_per(x: int, exposure: float, per: float = 10_000,
             level: float = LEVEL) -> tuple[float, float, float]:
    """Rate x / exposure * per with its exact Poisson interval: (rate, low, high).

    ``exposure`` is the raw denominator (e.g. civil servants); ``per`` the reporting scale
    (10,000 ASN). The interval treats the exposure as known without error.
    """
    if not exposure > 0:
        raise InputError("rate_per", "exposure must be positive", value=exposure)
    low, high = poisson_exact(x, level)
    scale = per / exposure
    return x * scale, low * scale, high * scale


PROPORTION_METHODS = {"wilson": wilson, "clopper_pearson": clopper_pearson}
