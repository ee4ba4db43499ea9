"""Power to detect a unit whose rate differs from a target rate, with overdispersion.

A statement like "the province's rate would have to be 1.8 times the national rate before a
difference could show" is a power calculation and must say which model it assumes. Here the
count of a unit with expected count ``mu`` under the target rate is modelled as quasi-Poisson:
mean ``R * mu`` when its true rate is ``R`` times the target, variance ``phi * R * mu``
(``phi = 1``: Poisson; ``phi > 1``: the overdispersion estimated, e.g., by the funnel plot of the
same release). The test is the two-sided normal test of the funnel plot: a count outside the
``level`` control limits (``level = 0.95``: a test of size 0.05) is detected. ``level`` has the
name and meaning it has everywhere in :mod:`analysis.methods`.

These are design calculations (no data, no sampling error), so they return numbers, not
results. Closed form (normal approximation), one side at a time, with ``a = z_{(1+level)/2}`` and
``b = z_{power}``, ``c = sqrt(phi / mu)``:

- higher: detected when ``R*mu - mu >= a*sqrt(phi*mu) + b*sqrt(phi*R*mu)``; with
  ``s = sqrt(R)``: ``s^2 - b*c*s - (1 + a*c) = 0``, so ``s = (b*c + sqrt(b^2 c^2 + 4(1 + a*c))) / 2``
  and ``R = s^2``. At 50% power (``b = 0``) this is ``R = 1 + a*c``.
- lower: detected when ``mu - R*mu >= a*sqrt(phi*mu) + b*sqrt(phi*R*mu)``; ``s^2 + b*c*s -
  (1 - a*c) = 0``; no ``R >= 0`` qualifies when ``a*c >= 1``: then no rate, however low, could
  be told apart (returned as NaN).

``simulated_power`` checks the closed form by simulating gamma-Poisson counts with the same
mean and variance (negative binomial with size ``R*mu/(phi-1)``; Poisson when ``phi = 1``).
"""
from __future__ import annotations

import math

import numpy as np
from scipy import stats

from .contract import LEVEL, InputError, check_level


def _critical(mu: float, phi: float, level: float, power: float, function: str) -> float:
    """z_{(1+level)/2} after checking the inputs."""
    if not mu > 0:
        raise InputError(function, "expected count mu must be positive", value=mu)
    if not phi >= 1:
        raise InputError(function, "phi must be >= 1 (1 = Poisson)", value=phi)
    if not 0 < power < 1:
        raise InputError(function, "power must lie in (0, 1)", value=power)
    return float(stats.norm.ppf(0.5 + check_level(level, function) / 2))


def detectable_ratio(mu: float, phi: float = 1.0, level: float = LEVEL, power: float = 0.8,
                     side: str = "higher") -> float:
    """Smallest (``side="higher"``) or largest (``"lower"``) rate ratio a unit with expected
    count ``mu`` must have for the two-sided test (size ``1 - level``) to detect it with
    probability ``power`` under quasi-Poisson variance ``phi * mean`` (closed form in the module
    docstring). ``"lower"`` gives NaN when no ratio >= 0 would be detected."""
    a = _critical(mu, phi, level, power, "detectable_ratio")
    b = stats.norm.ppf(power)
    c = math.sqrt(phi / mu)
    if side == "higher":
        s = (b * c + math.sqrt(b * b * c * c + 4 * (1 + a * c))) / 2
        return s * s
    if side == "lower":
        if a * c >= 1:
            return float("nan")
        s = (-b * c + math.sqrt(b * b * c * c + 4 * (1 - a * c))) / 2
        return s * s if s > 0 else float("nan")
    raise InputError("detectable_ratio", "side must be 'higher' or 'lower'", value=side)


def power_at_ratio(ratio: float, mu: float, phi: float = 1.0, level: float = LEVEL,
                   side: str = "higher") -> float:
    """Normal-approximation power of the same test when the true rate ratio is ``ratio``."""
    a = _critical(mu, phi, level, 0.5, "power_at_ratio")
    sd0, sd1 = math.sqrt(phi * mu), math.sqrt(phi * ratio * mu)
    if side == "higher":
        return float(stats.norm.sf((mu + a * sd0 - ratio * mu) / sd1))
    return float(stats.norm.cdf((mu - a * sd0 - ratio * mu) / sd1))


def simulated_power(ratio: float, mu: float, phi: float = 1.0, level: float = LEVEL,
                    side: str = "higher", n_sim: int = 20_000, seed: int = 1) -> float:
    """Share of simulated counts (gamma-Poisson, mean ``ratio*mu``, variance ``phi*ratio*mu``)
    beyond the normal critical value ``mu +/- z * sqrt(phi*mu)`` of the test."""
    a = _critical(mu, phi, level, 0.5, "simulated_power")
    rng = np.random.default_rng(seed)
    mean = ratio * mu
    if phi == 1:
        x = rng.poisson(mean, n_sim)
    else:
        size = mean / (phi - 1)
        x = rng.negative_binomial(size, size / (size + mean), n_sim)
    if side == "higher":
        return float(np.mean(x > mu + a * math.sqrt(phi * mu)))
    return float(np.mean(x < mu - a * math.sqrt(phi * mu)))


def describe(mu: float, phi: float, level: float = LEVEL, power: float = 0.8) -> dict:
    """Both directions at once, for reports: ``higher``, ``lower`` (NaN: undetectable),
    ``higher_poisson`` (phi = 1, for comparison), and the inputs."""
    return {"mu": mu, "phi": phi, "level": level, "power": power,
            "higher": detectable_ratio(mu, phi, level, power, "higher"),
            "lower": detectable_ratio(mu, phi, level, power, "lower"),
            "higher_poisson": detectable_ratio(mu, 1.0, level, power, "higher")}
