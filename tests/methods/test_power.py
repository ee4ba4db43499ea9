"""Power of the funnel's normal test with overdispersion: closed form against simulation."""
import math

import numpy as np
import pytest
from scipy import stats

from analysis.methods import power
from analysis.methods.contract import InputError


def test_fifty_percent_power_is_one_plus_z_sqrt_phi_over_mu():
    # the numbers: expected 6.77 cases, phi 78 -> about 7.6 times (50% power)
    mu, phi = 6.77, 78
    assert power.detectable_ratio(mu, phi, power=0.5) == pytest.approx(
        1 + stats.norm.ppf(0.975) * math.sqrt(phi / mu))
    assert power.detectable_ratio(mu, phi, power=0.5) == pytest.approx(7.65, abs=0.05)


def test_closed_form_power_equals_target_at_the_detectable_ratio():
    for mu, phi in ((50, 1), (50, 10), (400, 4)):
        r = power.detectable_ratio(mu, phi, power=0.8)
        assert power.power_at_ratio(r, mu, phi) == pytest.approx(0.8, abs=1e-9)
        lo = power.detectable_ratio(mu, phi, power=0.8, side="lower")
        if lo == lo:
            assert power.power_at_ratio(lo, mu, phi, side="lower") == pytest.approx(0.8, abs=1e-9)


@pytest.mark.parametrize("mu, phi", [(200, 1), (200, 10), (800, 5)])
def test_simulated_power_matches_the_closed_form(mu, phi):
    """Gamma-Poisson counts with the same mean and variance: seeded, 20,000 draws each
    (about 0.05 s per case)."""
    r = power.detectable_ratio(mu, phi, power=0.8)
    assert power.simulated_power(r, mu, phi, n_sim=20_000, seed=7) == pytest.approx(0.8, abs=0.03)


def test_no_lower_rate_is_detectable_when_the_null_sd_exceeds_the_mean():
    assert math.isnan(power.detectable_ratio(6.77, 78, side="lower"))
    assert power.detectable_ratio(1000, 1, side="lower") < 1


def test_level_is_the_two_sided_level_of_the_funnel_limits():
    # level 0.90: the count must leave the 90% limits, a test of size 0.10 (z = 1.645)
    mu, phi = 6.77, 78
    assert power.detectable_ratio(mu, phi, level=0.90, power=0.5) == pytest.approx(
        1 + stats.norm.ppf(0.95) * math.sqrt(phi / mu))
    assert power.describe(mu, phi, level=0.90)["level"] == 0.90


def test_bad_inputs_raise():
    with pytest.raises(InputError):
        power.detectable_ratio(0, 1)
    with pytest.raises(InputError):
        power.detectable_ratio(5, 0.5)
    with pytest.raises(InputError, match="level"):
        power.power_at_ratio(2, 5, level=95)


def test_funnel_power_against_exact_poisson_limits_by_hand():
    # mu = 10: the upper 95% limit is 16.16 (test_funnel), so a count is above it from 17 on
    for ratio in (1.0, 1.5, 2.5):
        assert power.funnel_power(ratio, 10.0, 10.0) == pytest.approx(
            stats.poisson.sf(16, ratio * 10.0), rel=1e-9)
    lower = power.funnel_power(0.4, 10.0, 10.0, side="lower")  # lower limit 3.78: counts <= 3
    assert lower == pytest.approx(stats.poisson.cdf(3, 4.0), rel=1e-9)


@pytest.mark.parametrize("mu, phi", [(1.4, 3.6), (6.8, 36.5), (40.0, 4.0)])
def test_funnel_detectable_ratio_is_outside_the_limits_with_the_stated_power(mu, phi):
    """At the ratio found, 20,000 simulated negative-binomial counts (mean R mu, variance
    R phi mu) exceed the funnel's upper limit in 80% of draws (SE 0.3 points)."""
    from analysis.methods import dispersion

    r = power.funnel_detectable_ratio(mu, phi * mu)
    upper = dispersion.nb_quantile(0.975, mu, phi * mu)
    mean = r * mu
    size = mean / (phi - 1)
    rng = np.random.default_rng(11)
    draws = rng.negative_binomial(size, size / (size + mean), 20_000)
    assert np.mean(draws > upper) == pytest.approx(0.8, abs=0.012)
    # the normal closed form asks for less than the funnel's own limits need at small mu
    assert power.detectable_ratio(mu, phi) < r or mu >= 40
