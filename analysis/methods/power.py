"""Power to detect a unit whose rate differs from a target rate, with overdispersion.

A statement like "the province's rate would have to be 1.8 times the national rate before a
difference could show" is a power calculation and must say which model it assumes. Here the
count of a unit with expected count ``mu`` under the target rate is modelled as quasi-Poisson:
mean ``R * mu`` when its true rate is ``R`` times the target, variance ``phi * R * mu``
(``phi = 1``: Poisson; ``phi > 1``: the overdispersion estimated, e.g., by the funnel plot of the
same release: for one unit ``V(mu) / mu`` of its variance form, so that the null variance is
the one behind the funnel's limits for that unit). The test is the two-sided normal test of the
funnel plot: a count outside the ``level`` control limits (``level = 0.95``: a test of size
0.05) is detected. ``level`` has the name and meaning it has everywhere in
:mod:`analysis.methods`.

These are design calculations (no data, no sampling error), so they return numbers, not
results. Closed form (normal approximation), one side at a time, with ``a = z_{(1+level)/2}`` and
``b = z_{power}``, ``c = sqrt(phi / mu)``:

- higher: detected when ``R*mu - mu >= a*sqrt(phi*mu) + b*sqrt(phi*R*mu)``; with
  ``s = sqrt(R)``: ``s^2 - b*c*s - (1 + a*c) = 0``, so
  ``s = (b*c + sqrt(b^2 c^2 + 4(1 + a*c))) / 2`` and ``R = s^2``. At 50% power (``b = 0``)
  this is ``R = 1 + a*c``.
- lower: detected when ``mu - R*mu >= a*sqrt(phi*mu) + b*sqrt(phi*R*mu)``; ``s^2 + b*c*s -
  (1 - a*c) = 0``; no ``R >= 0`` qualifies when ``a*c >= 1``: then no rate, however low, could
  be told apart (returned as NaN).

``simulated_power`` checks the closed form by simulating gamma-Poisson counts with the same
mean and variance (negative binomial with size ``R*mu/(phi-1)``; Poisson when ``phi = 1``).

**Against the funnel's own limits** (:func:`funnel_detectable_ratio`): the funnel's limits are
not normal but the interpolated quantiles of the negative binomial with mean ``mu`` and the
variance ``V`` of its variance form (:mod:`.dispersion`; ``phi = V / mu`` for the unit). A unit
whose rate is ``R`` times the target has a negative-binomial count with mean ``R*mu`` and the
same variance-to-mean ratio (variance ``R*V``); it is outside the upper limit ``U`` when the
count exceeds ``U``, with probability ``1 - F(floor(U))``, found exactly and solved for ``R``.
For small expected counts the closed form is optimistic: at ``mu = 1.4, V/mu = 3.6`` and at
``mu = 6.8, V/mu = 36.5`` its 80%-power ratio is outside the funnel's limit with probability
0.67 only.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import optimize, stats

from .contract import LEVEL, InputError, check_level
from .dispersion import nb_cdf, nb_quantile


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


def funnel_power(ratio: float, mu: float, variance: float, level: float = LEVEL,
                 side: str = "higher") -> float:
    """Probability that a unit whose rate is ``ratio`` times the target falls outside the
    funnel's ``level`` limits on ``side``: limits the interpolated negative-binomial quantiles
    with mean ``mu`` and ``variance`` (Poisson when equal), the unit's count negative binomial
    with mean ``ratio * mu`` and variance ``ratio * variance`` (module docstring)."""
    level = check_level(level, "funnel_power")
    if not (mu > 0 and variance >= mu and ratio > 0):
        raise InputError("funnel_power", "need mu > 0, variance >= mu and ratio > 0",
                         value=(mu, variance, ratio))
    tail = (1 - level) / 2
    mean, var = ratio * mu, ratio * variance
    if side == "higher":
        upper = float(nb_quantile(1 - tail, mu, variance))
        return float(1 - nb_cdf(math.floor(upper), mean, var))
    if side == "lower":
        lower = float(nb_quantile(tail, mu, variance))
        return float(nb_cdf(math.ceil(lower) - 1, mean, var))
    raise InputError("funnel_power", "side must be 'higher' or 'lower'", value=side)


def funnel_detectable_ratio(mu: float, variance: float, level: float = LEVEL,
                            power: float = 0.8, side: str = "higher") -> float:
    """The rate ratio at which :func:`funnel_power` reaches ``power`` (smallest above 1, or
    largest below 1 for ``side="lower"``; NaN when no lower rate reaches it: the lower limit is
    0). Solved by Brent's method to 1e-10 relative."""
    if not 0 < power < 1:
        raise InputError("funnel_detectable_ratio", "power must lie in (0, 1)", value=power)

    def gap(ratio):
        return funnel_power(ratio, mu, variance, level, side) - power

    if side == "lower":
        if gap(1e-9) < 0:
            return float("nan")
        return float(optimize.brentq(gap, 1e-9, 1.0, rtol=1e-10))
    high = 2.0
    while gap(high) < 0:
        high *= 2
        if high > 1e9:
            return float("inf")
    return float(optimize.brentq(gap, 1.0, high, rtol=1e-10))


def describe_funnel(mu: float, variance: float, level: float = LEVEL,
                    power: float = 0.8) -> dict:
    """:func:`describe` against the funnel's own limits: ``higher``, ``lower`` (NaN:
    undetectable), ``higher_poisson`` (exact Poisson limits, variance = mean), ``higher_normal``
    (the closed form with ``phi = variance / mu``, for comparison) and the inputs."""
    return {"mu": mu, "phi": variance / mu, "level": level, "power": power,
            "higher": funnel_detectable_ratio(mu, variance, level, power, "higher"),
            "lower": funnel_detectable_ratio(mu, variance, level, power, "lower"),
            "higher_poisson": funnel_detectable_ratio(mu, mu, level, power, "higher"),
            "higher_normal": detectable_ratio(mu, variance / mu, level, power, "higher")}


def funnel_releases_to_detect(mu: float, phi: float, ratio: float = 2.0, level: float = LEVEL,
                              power: float = 0.8, k_max: int = 1_000_000) -> int | None:
    """Fewest releases ``k`` (or register years) of a unit with expected count ``mu`` and
    variance ``phi * mu`` each that, pooled (mean ``k mu``, variance ``k phi mu``), put a rate
    ``ratio`` times the target outside the pooled funnel's limits with probability ``power``
    (:func:`funnel_power`); found by doubling then bisection. None beyond ``k_max``."""
    if not (mu > 0 and phi >= 1 and ratio > 1):
        raise InputError("funnel_releases_to_detect", "need mu > 0, phi >= 1 and ratio > 1",
                         value=(mu, phi, ratio))

    def enough(k: int) -> bool:
        return funnel_power(ratio, k * mu, k * phi * mu, level) >= power

    low, high = 0, 1
    while not enough(high):
        low, high = high, 2 * high
        if high > k_max:
            return None
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if enough(middle) else (middle, high)
    return high
