"""Power of the funnel's normal test with overdispersion: closed form against simulation."""
import math

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
